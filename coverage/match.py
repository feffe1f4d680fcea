"""Phrase x Article -> Match: verbatim, translated (an accepted rendering), near, or absent with the best candidate.

All comparison happens on folded text (see textnorm.fold); spans, matched text and context are mapped back
to the article's own characters. Short phrases are only searched exactly: fuzzy scores on a needle of a few
characters are noise (two shared characters out of four already score 50 against any long text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .models import Article, DiffOp, Match, Phrase, Status
from .textnorm import Folded, apply_aliases, detect_script, fold, han_count


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Thresholds and alias sets of the matcher."""

    # Calibrated on tests/data/matching_cases.yaml (`python -m benchmarks.matching_eval --sweep`): the best
    # balance of near recall and absent precision there; Latin text shares letters more easily, so it asks more.
    near_han: float = 78.0
    near_latin: float = 82.0
    short_han: int = 6  # Han phrases shorter than this (folded) are matched exactly only
    short_words: int = 3  # Latin phrases of fewer words are matched exactly only
    context_chars: int = 60  # at most this much context on each side of a match
    aliases: tuple[tuple[str, ...], ...] = ()  # spellings of one name, each set counted as one (赫塞斯/赫格塞斯)


@dataclass(frozen=True, slots=True)
class _Hit:
    score: float
    start: int  # folded article offsets
    end: int
    needle: str  # the original phrase or rendering
    needle_folded: Folded
    exact: bool


def _is_short(folded: str, settings: MatchSettings) -> bool:
    if han_count(folded) > 0:
        return len(folded) < settings.short_han
    return len(folded.split()) < settings.short_words


def _near_threshold(folded: str, settings: MatchSettings) -> float:
    return settings.near_han if han_count(folded) > 0 else settings.near_latin


def fold_for_matching(text: str, settings: MatchSettings) -> Folded:
    """Folded text with every alias spelling replaced by its set's first spelling."""
    return apply_aliases(fold(text), settings.aliases)


def _search(needle: str, article: Folded, settings: MatchSettings) -> _Hit | None:
    """The best place for one needle in the folded article: exact if it occurs, else the best fuzzy alignment."""
    folded = fold_for_matching(needle, settings)
    if not folded.text:
        return None
    position = article.text.find(folded.text)
    if position >= 0:
        end = position + len(folded.text)
        return _Hit(100.0, position, end, needle, folded, exact=True)
    if _is_short(folded.text, settings) or not article.text:
        return None
    if len(article.text) <= len(folded.text):
        score = fuzz.ratio(folded.text, article.text)
        return _Hit(score, 0, len(article.text), needle, folded, exact=False)
    alignment = fuzz.partial_ratio_alignment(folded.text, article.text)
    if alignment is None:  # only with a score_cutoff, which is not used here
        return None
    score, start, end = _refine(folded.text, article.text, alignment.dest_start, alignment.dest_end)
    return _Hit(score, start, end, needle, folded, exact=False)


def _refine(needle: str, text: str, start: int, end: int) -> tuple[float, int, int]:
    """Move the window's ends to where the needle really starts and stops.

    partial_ratio compares windows exactly as long as the needle, so a variant with an inserted or dropped
    word is cut off or shifted ("te: The relationship..."); trying nearby ends (word starts in Latin text)
    gives the span a reader expects. Ends are chosen by edit distance (a substituted word costs one edit per
    character, where the Indel ratio would rather drop it), ties going to the length closest to the needle's;
    the score is the Indel ratio of the chosen window, on the same scale as partial_ratio.
    """
    slack = max(2, len(needle) // 5)
    latin = not han_count(needle)

    def boundaries(low: int, high: int, at_start: bool) -> list[int]:
        positions = range(max(0, low), min(len(text), high) + 1)
        if not latin:
            return list(positions)
        if at_start:
            return [p for p in positions if p == 0 or text[p - 1] == " "]
        return [p for p in positions if p == len(text) or text[p] == " "]

    def key(left: int, right: int) -> tuple[float, int]:
        return Levenshtein.normalized_similarity(needle, text[left:right]), -abs(right - left - len(needle))

    best, best_key = (start, end), key(start, end)
    for left in boundaries(start - slack, start + slack, at_start=True):
        for right in boundaries(end - slack, end + slack, at_start=False):
            if right - left < len(needle) // 2:
                continue
            candidate = key(left, right)
            if candidate > best_key:
                best, best_key = (left, right), candidate
    return fuzz.ratio(needle, text[best[0] : best[1]]), best[0], best[1]


_SENTENCE_END = re.compile(r"[。！？!?\n]|[.;](?=\s)")


def sentence_around(text: str, start: int, end: int, limit: int) -> str:
    """The sentence holding text[start:end], cut to `limit` characters on each side (marked with …)."""
    left = start
    floor = max(0, start - limit)
    while left > floor and not _SENTENCE_END.match(text, left - 1):
        left -= 1
    right = end
    ceiling = min(len(text), end + limit)
    while right < ceiling and not _SENTENCE_END.match(text, right):
        right += 1
    if right < len(text) and _SENTENCE_END.match(text, right) and text[right] != "\n":
        right += 1  # keep the sentence's own full stop
    prefix = "…" if left == floor and left > 0 and not _SENTENCE_END.match(text, left - 1) else ""
    suffix = "…" if right == ceiling and right < len(text) else ""
    return prefix + text[left:right].strip() + suffix


_UNIT = re.compile(r"[^\W_]+|\S", re.ASCII)


def _units(text: str) -> tuple[list[str], list[int]]:
    """Diff units of folded text: Latin words and digit runs whole, every other character alone.

    Returns the units and their start offsets followed by len(text)."""
    units, starts = [], []
    for found in _UNIT.finditer(text):
        if found.group().isspace():
            continue
        units.append(found.group())
        starts.append(found.start())
    return units, [*starts, len(text)]


def _cut(folded: Folded, positions: list[int], start: int, end: int, original_length: int) -> list[int]:
    """Original offsets of op boundaries; text between two ops (spaces, punctuation) stays with the first."""
    if end <= start:
        anchor = folded.origin[start] if start < len(folded.origin) else original_length
        return [anchor for _ in positions]
    stop = folded.origin[end - 1] + 1
    return [folded.origin[start + p] if start + p < end else stop for p in positions]


def diff_texts(a: str, a_folded: Folded, b: str, b_folded: Folded) -> tuple[DiffOp, ...]:
    """Word/character diff of two folded texts, told in the original text of both (origins index into a and b),
    so a Traditional/Simplified or punctuation difference is never shown as a change."""
    a_units, a_starts = _units(a_folded.text)
    b_units, b_starts = _units(b_folded.text)
    opcodes = list(Levenshtein.opcodes(a_units, b_units))
    a_cuts = _cut(
        a_folded, [a_starts[op.src_start] for op in opcodes] + [len(a_folded.text)], 0, len(a_folded.text), len(a)
    )
    b_cuts = _cut(
        b_folded, [b_starts[op.dest_start] for op in opcodes] + [len(b_folded.text)], 0, len(b_folded.text), len(b)
    )
    return tuple(
        DiffOp(op.tag, a[a_cuts[i] : a_cuts[i + 1]], b[b_cuts[i] : b_cuts[i + 1]]) for i, op in enumerate(opcodes)
    )


def _diff(hit: _Hit, article: Article, folded_article: Folded) -> tuple[DiffOp, ...]:
    """The needle against the matched window of the article."""
    window = Folded(folded_article.text[hit.start : hit.end], folded_article.origin[hit.start : hit.end])
    return diff_texts(hit.needle, hit.needle_folded, article.text, window)


# negation marks; compounds where the character does not negate are removed before counting
_NEGATION_HAN = re.compile(r"[不沒没未非無无別别勿莫否]")
_NOT_NEGATION = re.compile(r"非常|未來|未来|不過|不过|無論|无论|莫斯科|不斷|不断|並非|无疑|無疑")
_NEGATION_WORDS = re.compile(
    r"(?<![a-z])(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot|"
    r"(?:do|does|did|is|are|was|were|wo|would|ca|could|should|has|have|had|must|need)nt)(?![a-z])"
)
# digits, and Chinese numerals that count something (三次, 第3輪, 兩艘) rather than words like 一致 or 統一
_NUMBER = re.compile(
    r"\d+(?:\.\d+)?|第[零〇一二兩两三四五六七八九十百千]+"
    r"|[零〇一二兩两三四五六七八九十百千萬万億亿]+(?=[個个次年月日名艘人倍成輪轮項项所家架輛辆天週周歲岁點点元塊块條条位場场])"
)
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][a-zA-Z'’-]+")


def _negations(folded: str) -> int:
    stripped = _NOT_NEGATION.sub("", folded)
    return len(_NEGATION_HAN.findall(stripped)) + len(_NEGATION_WORDS.findall(stripped))


def _names(original: str) -> set[str]:
    """Capitalised Latin words that do not start a sentence (likely names)."""
    names = set()
    for found in _CAPITALISED.finditer(original):
        before = original[: found.start()].rstrip()
        if before and before[-1] not in ".!?:\"“‘'":
            names.add(found.group().lower())
    return names


def near_miss_flags(needle: str, needle_folded: str, window: str, window_folded: str) -> tuple[str, ...]:
    """Why a close variant may not be the same statement: a negation added or dropped, a number or a name
    changed. Such a match is shown flagged, never as the phrase itself."""
    flags = []
    if _negations(needle_folded) != _negations(window_folded):
        flags.append("negation")
    if sorted(_NUMBER.findall(needle_folded)) != sorted(_NUMBER.findall(window_folded)):
        flags.append("number")
    if _names(needle) != _names(window):
        flags.append("name")
    return tuple(flags)


def match_phrase(
    phrase: Phrase,
    article: Article,
    folded_article: Folded | None = None,
    settings: MatchSettings | None = None,
) -> Match:
    """Find `phrase` (or one of its renderings) in `article` and say how it was carried."""
    settings = settings or MatchSettings()
    folded_article = folded_article or fold_for_matching(article.text, settings)
    original = _search(phrase.text, folded_article, settings)
    renderings = [h for r in phrase.renderings if (h := _search(r, folded_article, settings))]
    best_rendering = max(renderings, key=lambda h: (h.exact, h.score), default=None)

    status: Status
    hit: _Hit | None
    if original and original.exact:
        status, hit, method = Status.VERBATIM, original, "exact"
    elif best_rendering and best_rendering.exact:
        status, hit, method = Status.TRANSLATED, best_rendering, "rendering, exact"
    elif original and original.score >= _near_threshold(original.needle_folded.text, settings):
        status, hit, method = Status.NEAR, original, "fuzzy"
    elif best_rendering and best_rendering.score >= _near_threshold(best_rendering.needle_folded.text, settings):
        status, hit, method = Status.TRANSLATED, best_rendering, "rendering, fuzzy"
    else:
        candidates = [h for h in (original, best_rendering) if h is not None]
        hit = max(candidates, key=lambda h: h.score, default=None)
        status, method = Status.ABSENT, "exact" if hit is None else "fuzzy"

    if hit is None:
        return Match(
            phrase.id,
            article.outlet_id,
            article.url,
            status,
            0.0,
            method=method,
            note=_absent_note(phrase, article, settings),
        )
    start, end = folded_article.span_to_original(hit.start, hit.end, len(article.text))
    exact_hit = status in (Status.VERBATIM, Status.TRANSLATED) and hit.exact
    flags: tuple[str, ...] = ()
    if status in (Status.NEAR, Status.TRANSLATED) and not hit.exact:
        window = folded_article.text[hit.start : hit.end]
        flags = near_miss_flags(hit.needle, hit.needle_folded.text, article.text[start:end], window)
    return Match(
        phrase_id=phrase.id,
        outlet_id=article.outlet_id,
        article_url=article.url,
        status=status,
        score=round(hit.score, 1),
        matched_text=article.text[start:end],
        context=sentence_around(article.text, start, end, settings.context_chars),
        span=(start, end),
        rendering=hit.needle if status is Status.TRANSLATED else None,
        method=method,
        diff=() if exact_hit else _diff(hit, article, folded_article),
        note=_absent_note(phrase, article, settings) if status is Status.ABSENT else None,
        flags=flags,
    )


def _absent_note(phrase: Phrase, article: Article, settings: MatchSettings) -> str | None:
    """Say when an absent verdict may only mean the article is in another language."""
    phrase_lang = phrase.language or detect_script(phrase.text)[0]
    if not phrase_lang or not article.language or phrase_lang == article.language:
        return None
    if any(detect_script(r)[0] == article.language for r in phrase.renderings):
        return None
    return (
        f"the article is in {article.language} and the phrase in {phrase_lang}, with no {article.language} "
        "rendering given: add one with --rendering"
    )


def match_article(
    phrases: tuple[Phrase, ...] | list[Phrase], article: Article, settings: MatchSettings | None = None
) -> list[Match]:
    """Match every phrase in one article, folding the article once."""
    settings = settings or MatchSettings()
    folded = fold_for_matching(article.text, settings)
    return [match_phrase(p, article, folded, settings) for p in phrases]
