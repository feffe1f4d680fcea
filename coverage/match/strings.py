"""The string matchers: the phrase itself (exact), a given rendering (exact), and close variants of either (fuzzy).

All comparison happens on folded text (see textnorm.fold); spans, matched text and context are mapped back to
the article's own characters. Short phrases are only searched exactly: fuzzy scores on a needle of a few
characters are noise (two shared characters out of four already score 50 against any long text).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..models import DiffOp, Method, Phrase, Status
from ..textnorm import Folded, han_count
from .base import (
    ArticleView,
    Hit,
    Matcher,
    MatchSettings,
    diff_texts,
    fold_for_matching,
    language_of,
    meaning_changes,
    sentence_around,
    speaker_change,
)


@dataclass(frozen=True, slots=True)
class _Found:
    score: float
    start: int  # folded offsets
    end: int
    needle: str  # the original phrase or rendering
    needle_folded: Folded
    exact: bool


def _word_char(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces (not Han, kana or hangul)."""
    return ch.isalnum() and ord(ch) < 0x2E80


def _exact(needle: str, folded: Folded, settings: MatchSettings) -> _Found | None:
    """The first occurrence of the folded needle; one that starts or ends with a Latin letter or digit must sit on
    word boundaries ("legal" is not in "illegal", "a" not in "cat")."""
    needle_folded = fold_for_matching(needle, settings)
    target, text = needle_folded.text, folded.text
    if not target:
        return None
    check_start, check_end = _word_char(target[0]), _word_char(target[-1])
    position = text.find(target)
    while position >= 0:
        end = position + len(target)
        inside = (check_start and position > 0 and _word_char(text[position - 1])) or (
            check_end and end < len(text) and _word_char(text[end])
        )
        if not inside:
            return _Found(100.0, position, end, needle, needle_folded, exact=True)
        position = text.find(target, position + 1)
    return None


def _fuzzy(needle: str, article: Folded, settings: MatchSettings) -> _Found | None:
    """The best fuzzy alignment of one needle in the folded article (None for short needles)."""
    folded = fold_for_matching(needle, settings)
    if not folded.text or settings.is_short(folded.text) or not article.text:
        return None
    if len(article.text) <= len(folded.text):
        return _Found(fuzz.ratio(folded.text, article.text), 0, len(article.text), needle, folded, exact=False)
    alignment = fuzz.partial_ratio_alignment(folded.text, article.text)
    if alignment is None:  # only with a score_cutoff, which is not used here
        return None
    score, start, end = _refine(folded.text, article.text, alignment.dest_start, alignment.dest_end)
    return _Found(score, start, end, needle, folded, exact=False)


def _refine(needle: str, text: str, start: int, end: int) -> tuple[float, int, int]:
    """Move the window's ends to where the needle really starts and stops.

    partial_ratio compares windows exactly as long as the needle, so a variant with an inserted or dropped
    word is cut off or shifted ("te: The relationship..."); trying nearby ends (word starts in Latin text)
    gives the span a reader expects. Ends are chosen by edit distance (a substituted word costs one edit per
    character, where the Indel ratio would rather drop it), ties going to the length closest to the needle's;
    the score is the Indel ratio of the chosen window, on the same scale as partial_ratio.
    """
    # partial_ratio may align a window shorter than the needle (你們真的做好覺悟了嗎 for 你們做好覺悟了嗎 is
    # aligned on 做好覺悟了嗎): the ends may move by the shortfall too
    slack = max(4, len(needle) // 4) + max(0, len(needle) - (end - start))
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


def _hit(
    found: _Found, status: Status, method: Method, view: ArticleView, rendering: bool, phrase: Phrase | None = None
) -> Hit:
    """The Hit for a body match: original span, context, (unless exact) the diff and near-miss flags, and a flag
    when the article gives the words to another speaker than the phrase's."""
    article, folded = view.article, view.folded
    start, end = folded.span_to_original(found.start, found.end, len(article.text))
    diff: tuple[DiffOp, ...] = ()
    changes: tuple[tuple[str, str], ...] = ()
    if not found.exact:
        window = Folded(folded.text[found.start : found.end], folded.origin[found.start : found.end])
        diff = diff_texts(found.needle, found.needle_folded, article.text, window)
        if status is not Status.ABSENT:
            changes = meaning_changes(
                found.needle,
                found.needle_folded.text,
                article.text[start:end],
                window.text,
                view.settings.aliases,
                after=article.text[end : end + 8],
            )
    if phrase is not None and status is not Status.ABSENT:
        changed = speaker_change(phrase, view, start, end)
        if changed:
            changes = (*changes, ("speaker", f"{changed[0]} → {changed[1]}"))
    return Hit(
        status=status,
        method=method,
        score=found.score,
        matched_text=article.text[start:end],
        context=sentence_around(article.text, start, end, view.settings.context_chars),
        span=(start, end),
        rendering=found.needle if rendering and status is not Status.ABSENT else None,
        diff=diff,
        flags=tuple(flag for flag, _ in changes),
        changes=tuple(what for _, what in changes),
    )


def _headline_hit(found: _Found, status: Status, method: Method, view: ArticleView, rendering: bool) -> Hit:
    title = view.article.title or ""
    start, end = view.folded_title.span_to_original(found.start, found.end, len(title))
    return Hit(
        status=status,
        method=method,
        score=100.0,
        matched_text=title[start:end],
        context=title,
        rendering=found.needle if rendering else None,
        where="headline",
    )


def _judges_same_language(phrase: Phrase, view: ArticleView) -> bool:
    """A string search proves an absence only in an article of the phrase's own language (a phrase without
    letters, a number, in any language)."""
    language = phrase.language or language_of(phrase.text)
    return language is None or language == view.language


class ExactMatcher(Matcher):
    """The phrase itself, after folding (script, punctuation, case, spacing, aliases): verbatim. In the body
    first, then in the headline."""

    method = Method.EXACT
    name = "exact"

    def judges(self, phrase: Phrase, view: ArticleView) -> bool:
        return _judges_same_language(phrase, view)

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        found = _exact(phrase.text, view.folded, view.settings)
        if found:
            return _hit(found, Status.VERBATIM, self.method, view, rendering=False, phrase=phrase)
        found = _exact(phrase.text, view.folded_title, view.settings)
        return _headline_hit(found, Status.VERBATIM, self.method, view, rendering=False) if found else None


class RenderingMatcher(Matcher):
    """One of the phrase's given renderings, exactly (after folding): translated, the rendering named."""

    method = Method.RENDERING
    name = "renderings"

    def applies(self, phrase: Phrase, view: ArticleView) -> bool:
        return bool(phrase.renderings)

    # judges nothing: a rendering that is not there does not mean the outlet did not translate the phrase
    # in other words, so it is never the proof of an absence

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        for where in ("body", "headline"):
            for rendering in phrase.renderings:
                folded = view.folded if where == "body" else view.folded_title
                found = _exact(rendering, folded, view.settings)
                if found and where == "body":
                    return _hit(found, Status.TRANSLATED, self.method, view, rendering=True)
                if found:
                    return _headline_hit(found, Status.TRANSLATED, self.method, view, rendering=True)
        return None


class FuzzyMatcher(Matcher):
    """The best close variant of the phrase (near), else of a rendering (translated); below the threshold the
    best of them is returned as the closest wording behind an absence."""

    method = Method.FUZZY
    name = "fuzzy"

    def judges(self, phrase: Phrase, view: ArticleView) -> bool:
        return _judges_same_language(phrase, view)

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        settings = view.settings
        original = _fuzzy(phrase.text, view.folded, settings)
        if original and original.score >= settings.near_threshold(original.needle_folded.text):
            if view.same_language(phrase.text, phrase.language) is False:
                # a look-alike in another language (存立危機事態 in Japanese, 存亡危機事態 in Chinese) is how the
                # outlet translated it, not a rewording
                hit = _hit(original, Status.TRANSLATED, self.method, view, rendering=False)
                return replace(hit, note="written alike in the article's language: a translation, not a rewording")
            return _hit(original, Status.NEAR, self.method, view, rendering=False, phrase=phrase)
        renderings = [found for r in phrase.renderings if (found := _fuzzy(r, view.folded, settings))]
        best = max(renderings, key=lambda f: f.score, default=None)
        if best and best.score >= settings.near_threshold(best.needle_folded.text):
            return _hit(best, Status.TRANSLATED, Method.RENDERING, view, rendering=True)
        candidates = [f for f in (original, best) if f is not None]
        closest = max(candidates, key=lambda f: f.score, default=None)
        return _hit(closest, Status.ABSENT, self.method, view, rendering=False) if closest else None
