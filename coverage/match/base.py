"""What every matcher shares: settings, the prepared article, the hit a matcher returns, and the Matcher protocol.

A matcher is one way of finding a phrase in an article (exact, given renderings, fuzzy, machine translation,
cross-language alignment). The cascade (`cascade.py`) runs them in order, the way trafilatura runs its
extractors: the first decisive hit wins; otherwise the best candidate is kept as the proof of an absence, or
as an uncertain verdict for a person to check.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields

from rapidfuzz.distance import Levenshtein

from ..models import Article, DiffOp, Match, Method, Phrase, Piece, Status
from ..textnorm import Folded, apply_aliases, detect_script, fold, han_count

# a hit with one of these ends the cascade
DECISIVE = frozenset({Status.VERBATIM, Status.TRANSLATED, Status.NEAR, Status.PARTIAL})


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Thresholds and alias sets shared by the matchers."""

    # Calibrated on tests/data/matching_cases.yaml (`python -m benchmarks.matching_eval --sweep`): the best
    # balance of near recall and absent precision there; Latin text shares letters more easily, so it asks more.
    near_han: float = 78.0
    near_latin: float = 82.0
    short_han: int = 6  # Han phrases shorter than this (folded) are matched exactly only
    short_words: int = 3  # Latin phrases of fewer words are matched exactly only
    context_chars: int = 60  # at most this much context on each side of a match
    aliases: tuple[tuple[str, ...], ...] = ()  # spellings of one name, each set counted as one (赫塞斯/赫格塞斯)

    def is_short(self, folded: str) -> bool:
        """Too short for fuzzy matching: a score on a few characters is noise."""
        if han_count(folded) > 0:
            return len(folded) < self.short_han
        return len(folded.split()) < self.short_words

    def near_threshold(self, folded: str) -> float:
        return self.near_han if han_count(folded) > 0 else self.near_latin


def fold_for_matching(text: str, settings: MatchSettings) -> Folded:
    """Folded text with every alias spelling replaced by its set's first spelling."""
    return apply_aliases(fold(text), settings.aliases)


def language_of(text: str) -> str | None:
    return detect_script(text)[0]


class ArticleView:
    """One article prepared once for every matcher: its folded body and headline, computed when first asked."""

    def __init__(self, article: Article, settings: MatchSettings, folded: Folded | None = None) -> None:
        self.article = article
        self.settings = settings
        self._folded = folded
        self._folded_title: Folded | None = None

    @property
    def folded(self) -> Folded:
        if self._folded is None:
            self._folded = fold_for_matching(self.article.text, self.settings)
        return self._folded

    @property
    def folded_title(self) -> Folded:
        if self._folded_title is None:
            self._folded_title = fold_for_matching(self.article.title or "", self.settings)
        return self._folded_title

    @property
    def language(self) -> str | None:
        return self.article.language

    def same_language(self, text: str, language: str | None = None) -> bool | None:
        """Whether `text` is in the article's language (None: one of the two is unknown)."""
        language = language or language_of(text)
        if language is None or self.language is None:
            return None
        return language == self.language


@dataclass(frozen=True, slots=True)
class Hit:
    """What a matcher found for one phrase in one article: a verdict and its evidence (a Match without ids)."""

    status: Status
    method: Method
    score: float  # 0-100
    matched_text: str | None = None
    context: str | None = None
    span: tuple[int, int] | None = None  # in Article.text (None for a headline hit)
    rendering: str | None = None
    diff: tuple[DiffOp, ...] = ()
    note: str | None = None
    flags: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    confidence: float | None = None
    rank: int | None = None
    margin: float | None = None
    signals: tuple[tuple[str, float], ...] = ()
    where: str = "body"
    pieces: tuple[Piece, ...] = ()
    share: float | None = None

    def to_match(self, phrase: Phrase, article: Article, **changes: object) -> Match:
        values: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        values["score"] = round(float(values["score"]), 1)  # type: ignore[arg-type]
        return Match(phrase_id=phrase.id, outlet_id=article.outlet_id, article_url=article.url, **values)  # type: ignore[arg-type]


class Matcher:
    """One way of finding a phrase in an article, run by the cascade in order.

    Subclasses set `method` and implement `find`. `prepare` runs once per run, before any article is matched,
    with every phrase and article (to batch expensive work: translations, embeddings). `applies` says whether the
    matcher has anything to say about the pair; `judges` whether finding nothing is proof that the phrase is not
    there (a string search of an English phrase in a Chinese article is no proof). `problems` collects what went
    wrong (a backend that failed), for the report's notes: a failing matcher never stops the others.
    """

    method: Method = Method.NONE
    name: str = ""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def prepare(self, phrases: Sequence[Phrase], articles: Sequence[Article], settings: MatchSettings) -> None:
        """Once per run: nothing by default."""

    def applies(self, phrase: Phrase, view: ArticleView) -> bool:
        return True

    def judges(self, phrase: Phrase, view: ArticleView) -> bool:
        return False

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        raise NotImplementedError

    def release(self) -> None:
        """Forget what was kept about the articles matched so far (corpus mode calls it after each article, so a
        worker's memory stays flat over a whole archive): nothing by default."""


# ── shared by the string matchers and the reports ──

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


# negation marks; compounds where the character does not negate are removed before counting; folding turns an
# apostrophe into a space ("don’t" -> "don t")
_NEGATION_HAN = re.compile(r"[不沒没未非無无別别勿莫否]")
_NOT_NEGATION = re.compile(r"非常|未來|未来|不過|不过|無論|无论|莫斯科|不斷|不断|並非|无疑|無疑")
_NEGATION_WORDS = re.compile(
    r"(?<![a-z])(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot|"
    r"(?:do|does|did|is|are|was|were|wo|would|ca|could|should|has|have|had|must|need)n ?t)(?![a-z])"
)
# digits, and Chinese numerals that count something (三次, 第3輪, 兩艘) rather than words like 一致 or 統一
_NUMBER = re.compile(
    r"\d+(?:\.\d+)?[萬万億亿]?|第[零〇一二兩两三四五六七八九十百千]+|百分之[零〇一二兩两三四五六七八九十百點点]+"
    r"|[零〇一二兩两三四五六七八九十百千萬万億亿]+(?=[個个次年月日名艘人倍成輪轮項项所家架輛辆天週周歲岁點点元塊块條条位場场])"
    r"|(?:周|週|星期|禮拜|礼拜)[一二三四五六日天]"
    r"|(?<![a-z])(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)(?![a-z])"
)
# months and weekdays are numbers, though the dictionary reads them as names (六月 "June", 周一 "Monday")
_CALENDAR = re.compile(r"^(?:[一二三四五六七八九十]+月|(?:周|週|星期|禮拜|礼拜)[一二三四五六日天])$")
# a place: Han characters before one of these (灰礁海域, 銀灣港)
_PLACE_SUFFIX = re.compile(r"(?:海域|海峽|海峡|群島|群岛|島|岛|灣|湾|港|市|縣|县|省|州|河|山|湖|礁)")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][a-zA-Z'’-]+")


def _negation_words(folded: str) -> list[str]:
    stripped = _NOT_NEGATION.sub("", folded)
    return _NEGATION_HAN.findall(stripped) + [w.replace(" ", "") for w in _NEGATION_WORDS.findall(stripped)]


def negations(folded: str) -> int:
    return len(_negation_words(folded))


def numbers(folded: str) -> list[str]:
    return sorted(_NUMBER.findall(folded))


def _number_values(folded: str) -> Counter[str]:
    """Numbers by value where one can be read (两万 = 2万 = 20000), else as written (周一)."""
    from ..align.lexicon import number_values

    counted: Counter[str] = Counter()
    for token in _NUMBER.findall(folded):
        values = number_values(token)
        counted[f"{min(values):g}" if values else token] += 1
    return counted


def _names(original: str) -> set[str]:
    """Capitalised Latin words (likely names); at the start of a sentence only when they are not common words
    ("Kestrel will send" names Kestrel, "We will send" names nobody); never number words ("Three")."""
    from ..align.lexicon import STOPWORDS

    names = set()
    for found in _CAPITALISED.finditer(original):
        before = original[: found.start()].rstrip()
        word = found.group()
        bare = word.lower().replace("’", "'").split("'")[0]
        if _NUMBER.fullmatch(bare):
            continue
        if (before and before[-1] not in ".!?:\"“‘'") or bare not in STOPWORDS:
            names.add(word)
    return names


def _unknown_names(ops: Sequence[DiffOp], side: str, after: str = "") -> set[str]:
    """Han words the dictionary does not know that a diff puts in place of others: transliterated names (凱斯楚:
    three characters that fall apart into single ones) and places (灰礁 before 海域). `after`: the Han characters
    that follow the compared text, which the last change may run into (…移到凱斯|楚)."""
    from ..align.lexicon import lexicon

    found = set()
    for index, op in enumerate(ops):
        text = op.phrase if side == "phrase" else op.article
        if index == len(ops) - 1 and op.op != "equal":
            text += after
        if op.op == "equal" or han_count(text) < 2:
            continue
        following = ops[index + 1].phrase if index + 1 < len(ops) else ""
        if all(len(w) == 1 for w in lexicon().segment(text)) and (
            han_count(text) >= 3 or _PLACE_SUFFIX.match(following)
        ):
            found.add(text.strip())
    return found


def _han_names(folded: str, aliases: Sequence[Sequence[str]]) -> set[str]:
    """Names and places in Han text: the dictionary's proper nouns (南海, 台海, 北京) and alias spellings."""
    if not any("\u4e00" <= c <= "\u9fff" for c in folded):
        return set()
    from ..align.lexicon import lexicon

    names = {w for w in lexicon().segment(folded) if lexicon().is_name(w) and not _CALENDAR.match(w)}
    names |= {fold(s[0]).text for s in aliases if s and s[0] and fold(s[0]).text in folded}
    return names


def _difference(phrase_side: Counter[str], article_side: Counter[str], negation: bool = False) -> str:
    """ "a → b" for what the article has instead of the phrase's words; "a dropped" / "b added" for the rest."""
    shown = _shown if negation else str
    dropped = [shown(x) for x in (phrase_side - article_side).elements()]
    added = [shown(x) for x in (article_side - phrase_side).elements()]
    if dropped and added:
        return f"{', '.join(dropped)} → {', '.join(added)}"
    return f"{', '.join(dropped)} dropped" if dropped else f"{', '.join(added)} added"


def _canonical_names(names: set[str], aliases: Sequence[Sequence[str]]) -> set[str]:
    """Latin names with every alias spelling replaced by its set's first spelling (Voss -> 沃斯), as folded."""
    table = {fold(s).text: fold(spellings[0]).text for spellings in aliases for s in spellings if s and spellings[0]}
    return {table.get(fold(name).text, name) for name in names}


def _shown(token: str) -> str:
    """A folded negation as written: "dont" -> "don't"."""
    return token[:-1] + "'t" if token.endswith("nt") and token not in ("cannot",) else token


def meaning_changes(
    needle: str,
    needle_folded: str,
    window: str,
    window_folded: str,
    aliases: Sequence[Sequence[str]] = (),
    after: str = "",
) -> tuple[tuple[str, str], ...]:
    """Why a close variant may not be the same statement, each with what changed: a negation added or dropped
    (不, not, don’t), a number changed (三艘 → 五艘, June → September, 两万 = 2万 is no change), a name or place
    swapped (台海 → 南海, Kestrel → Veloria, 海外 → 凱斯楚), a hedge added or dropped (可能, 可望, may). Names are
    read on the aligned text: a name counts when the other side does not have it ("Every" at a sentence start
    against "every" is no name). `after`: the article's text after the window. Such a match is shown flagged,
    never as the phrase itself."""
    sets = tuple(tuple(a) for a in aliases)
    ops = diff_texts(needle, apply_aliases(fold(needle), sets), window, apply_aliases(fold(window), sets))
    needle_names = _canonical_names(_names(needle), aliases) | _han_names(needle_folded, aliases)
    window_names = _canonical_names(_names(window), aliases) | _han_names(window_folded, aliases)
    needle_names = {n for n in needle_names if fold(n).text not in window_folded} | _unknown_names(ops, "phrase")
    window_names = {n for n in window_names if fold(n).text not in needle_folded} | _unknown_names(
        ops,
        "article",
        re.match(r"[\u4e00-\u9fff]*", after).group(),  # type: ignore[union-attr]
    )
    changes = []
    checks = (
        ("negation", Counter(_negation_words(needle_folded)), Counter(_negation_words(window_folded))),
        ("number", _number_values(needle_folded), _number_values(window_folded)),
        ("name", Counter(needle_names), Counter(window_names)),
        ("hedge", Counter(_HEDGES.findall(needle_folded)), Counter(_HEDGES.findall(window_folded))),
    )
    for flag, phrase_side, article_side in checks:
        # a negation counts by number: "do not" and "don’t" say the same
        differs = phrase_side.total() != article_side.total() if flag == "negation" else phrase_side != article_side
        if differs:
            changes.append((flag, _difference(phrase_side, article_side, negation=flag == "negation")))
    return tuple(changes)


def near_miss_flags(needle: str, needle_folded: str, window: str, window_folded: str) -> tuple[str, ...]:
    """The kinds of meaning_changes alone."""
    return tuple(flag for flag, _ in meaning_changes(needle, needle_folded, window, window_folded))


# ── what a translation may change: hedges, negation, numbers, the speaker ──

_HEDGES = re.compile(
    r"(?<![a-z])(?:may|might|could|perhaps|possibly|probably|likely|reportedly|allegedly|apparently)(?![a-z])"
    r"|可能|或許|或许|也許|也许|恐怕|恐將|恐将|或將|或将|據稱|据称|似乎|大概|可望|有望|料將|料将|基本|"
    r"かもしれ|だろう|恐れ"
)
# superlatives written with a negation in one language and without in another ("never been better" = 史上最佳)
_SUPERLATIVE = re.compile(
    r"never been (?:better|stronger|closer|higher|worse)|前所未有|前所未見|前所未见|史無前例|史无前例|"
    r"從未如此|从未如此|未曾如此|空前|かつてない|これまでにない|今までにない"
)
_NEGATION_JA = re.compile(r"ない|ません|ず(?![つっ])|ぬ")


def _polarity(text: str) -> int:
    stripped = fold(_SUPERLATIVE.sub("", text.lower())).text  # folded, as negations() expects
    return (negations(stripped) + len(_NEGATION_JA.findall(stripped))) % 2


def rendering_flags(source: str, wording: str, speaker: str | None = None, found: str | None = None) -> tuple[str, ...]:
    """What a rendering in another language changes: a negation dropped or added, a hedge (may, 可能) added or
    dropped, a number changed, another speaker named."""
    from ..align.lexicon import number_values

    flags = []
    if _polarity(source) != _polarity(wording):
        flags.append("negation")
    if bool(_HEDGES.search(source.lower())) != bool(_HEDGES.search(wording.lower())):
        flags.append("hedge")
    source_numbers, wording_numbers = number_values(source), number_values(wording)
    if (source_numbers or wording_numbers) and source_numbers != wording_numbers:
        flags.append("number")
    if speaker and found and speaker != found:
        flags.append("speaker")
    return tuple(flags)


def speaker_change(phrase: Phrase, view: ArticleView, start: int, end: int) -> tuple[str, str] | None:
    """(the phrase's speaker, the one the article names for text[start:end]) when the article attributes the words
    to someone else (alias-aware; "佛斯也說" is 佛斯); None when it names nobody or the same person."""
    from ..quotes import PRONOUN, _canonical, find_speaker

    if not phrase.speaker:
        return None
    aliases = view.settings.aliases
    said_by = find_speaker(view.article.text, start, end, aliases)
    speaker = _canonical(phrase.speaker, aliases)
    spellings = next((s for s in aliases if speaker in s), (speaker,))
    if said_by is None or said_by == PRONOUN or any(s and (s in said_by or said_by in s) for s in spellings):
        return None
    return speaker, said_by
