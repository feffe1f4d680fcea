"""Two articles side by side, sentence by sentence: what A carries that B does not, and the other way round.

Sentences are compared folded (script, punctuation, spacing, aliases), so a Simplified reprint of a Traditional
story lines up; changed sentences carry a character (or word) diff.

When A and B are in different languages (an English wire story and its Chinese version), a sentence cannot be
compared with its translation character by character. Each pair of runs of one or two sentences is scored instead
from the cosine of the two in the multilingual sentence encoder (Chinese and Japanese folded to Simplified), the
share of content words that the dictionary's glosses carry across (both ways; numbers count as words), and how far
apart the two lengths are; a dynamic programme then pairs them in order (a translation keeps the order, mostly),
allowing 1-1, 1-2 and 2-1 matches and skips. A match scoring at least `RENDERED` (0-100) is "rendered"; A's
sentences left out are "only_a" (what the translation dropped), B's "only_b" (what it added).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .align import EncoderUnavailable, _fold_han, _kanji, _units
from .align.encoder import Encoder, default_encoder
from .align.lexicon import english_stems, lexicon, number_values
from .errors import NewscovError
from .match import MatchSettings, diff_texts, fold_for_matching
from .models import Article, DiffOp

SAME = 95.0  # folded ratio at or above: the same sentence
RELATED = 60.0  # at or above: the same sentence, reworded (shown with its diff)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*|(?<=\n)")
_LATIN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

# Across languages. The score of a pair of runs (0-100) is 100 * (COS_WEIGHT * cosine + LEX_WEIGHT * lexical share
# - LENGTH_WEIGHT * |log of the length ratio|), clipped. Calibrated on four fictional article pairs (en>zh-Hans,
# en>zh-Hant, zh>en, en>ja; 55 sentences): true renderings scored 43-91 (1-1) and 66-88 (1-2, 2-1), other pairs at
# most 37, so RENDERED sits in that gap; a 1-2 or 2-1 match beat its best 1-1 part by 7 to 24 points where it was
# right, and fell 7.7 or more points short where it was not, so merges need no penalty of their own.
RENDERED = 40.0  # a match scoring at or above: B renders A
COS_WEIGHT = 0.8
LEX_WEIGHT = 0.4
LENGTH_WEIGHT = 0.1
_HAN_LANGUAGES = ("zh", "ja")
_MATCHES = ((1, 1), (1, 2), (2, 1))  # (A sentences, B sentences) a match may take


@dataclass(frozen=True, slots=True)
class Line:
    """One step of the alignment: a sentence in both (same or changed), or in one article only; across languages,
    a rendering: `a` and `b` joined from `parts` = (A sentences, B sentences), (1, 1), (1, 2) or (2, 1)."""

    op: str  # "same", "changed", "only_a", "only_b", "rendered"
    a: str | None
    b: str | None
    score: float = 0.0
    diff: tuple[DiffOp, ...] = ()
    parts: tuple[int, int] = (1, 1)  # "rendered": how many sentences of A and of B the line joins


def sentences(text: str) -> list[str]:
    """Sentences of an article: split at Chinese and Latin sentence ends and at line breaks."""
    pieces: list[str] = []
    for line in text.splitlines():
        for chunk in _SENTENCE.findall(line):
            pieces.extend(p.strip() for p in _LATIN_SENTENCE.split(chunk))
    return [p for p in pieces if len(p) >= 2]


def _with_tails(diff: tuple[DiffOp, ...], a: str, b: str) -> tuple[DiffOp, ...]:
    """The closing punctuation after the last compared character, so the sentences read whole."""
    tail_a = a[sum(len(op.phrase) for op in diff) :]
    tail_b = b[sum(len(op.article) for op in diff) :]
    if not tail_a and not tail_b:
        return diff
    return (*diff, DiffOp("equal" if tail_a == tail_b else "replace", tail_a, tail_b))


def crosses_languages(a: Article, b: Article) -> bool:
    """Both languages known and different: the articles are aligned as a text and its translation."""
    return bool(a.language and b.language and a.language != b.language)


def align(a: Article, b: Article, settings: MatchSettings | None = None) -> list[Line]:
    """A's sentences in order, each with its counterpart in B (or none), B's unmatched sentences where they fall."""
    if crosses_languages(a, b):
        return align_across(a, b)
    settings = settings or MatchSettings()
    a_sentences, b_sentences = sentences(a.text), sentences(b.text)
    a_folds = [fold_for_matching(s, settings) for s in a_sentences]
    b_folds = [fold_for_matching(s, settings) for s in b_sentences]
    a_folded = [f.text for f in a_folds]
    b_folded = [f.text for f in b_folds]
    pairs: dict[int, tuple[int, float]] = {}  # a index -> (b index, score)
    taken: set[int] = set()
    # strongest pairs first, so a sentence repeated in A does not steal B's better partner
    candidates = []
    for i, folded in enumerate(a_folded):
        for _, score, j in process.extract(folded, b_folded, scorer=fuzz.ratio, limit=3, score_cutoff=RELATED):
            candidates.append((score, i, j))
    for score, i, j in sorted(candidates, reverse=True):
        if i not in pairs and j not in taken:
            pairs[i] = (j, score)
            taken.add(j)
    lines: list[Line] = []
    next_b = 0

    def flush_b(until: int) -> None:
        nonlocal next_b
        while next_b < until:
            if next_b not in taken:
                lines.append(Line("only_b", None, b_sentences[next_b]))
            next_b += 1

    for i, sentence in enumerate(a_sentences):
        if i not in pairs:
            lines.append(Line("only_a", sentence, None))
            continue
        j, score = pairs[i]
        flush_b(j)
        if score >= SAME:
            lines.append(Line("same", sentence, b_sentences[j], score))
        else:
            diff = diff_texts(sentence, a_folds[i], b_sentences[j], b_folds[j])
            lines.append(Line("changed", sentence, b_sentences[j], score, _with_tails(diff, sentence, b_sentences[j])))
        next_b = max(next_b, j + 1)
    flush_b(len(b_sentences))
    return lines


# ── across languages ──


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What a run of one or two sentences offers for comparison with the other language."""

    stems: frozenset[str]  # English: content stems; Chinese/Japanese: the gloss stems of all its words
    words: tuple[frozenset[str], ...]  # Chinese/Japanese: gloss stems per content word
    kanji: frozenset[str]
    numbers: frozenset[float]
    units: float  # length in English-word equivalents


def _evidence(text: str, language: str | None) -> _Evidence:
    if language in _HAN_LANGUAGES:
        folded = _fold_han(text)
        lex = lexicon()
        words = tuple(lex.han_words(folded))
        stems = frozenset().union(*words) if words else frozenset()
        return _Evidence(stems, words, _kanji(text), frozenset(number_values(folded)), _units(text, language))
    return _Evidence(frozenset(english_stems(text)), (), frozenset(), frozenset(number_values(text)),
                     _units(text, language))  # fmt: skip


def _share(x: _Evidence, y: _Evidence) -> float:
    """The share of x's words (and numbers) that y carries: by stems for English x, by glosses for Chinese x."""
    if x.words:
        found = sum(1 for glosses in x.words if not glosses.isdisjoint(y.stems))
        total = len(x.words)
    else:
        found, total = len(x.stems & y.stems), len(x.stems)
    found += len(x.numbers & y.numbers)
    total += len(x.numbers)
    return found / total if total else 0.0


def _lexical(x: _Evidence, y: _Evidence, both_han: bool) -> float:
    """Dictionary evidence that x and y say the same thing, 0-1 (kanji shared when both are Chinese/Japanese)."""
    if both_han:
        kanji = len(x.kanji & y.kanji) / max(1, min(len(x.kanji), len(y.kanji)))
        numbers = len(x.numbers & y.numbers) / max(1, len(x.numbers | y.numbers)) if x.numbers or y.numbers else kanji
        return (3 * kanji + numbers) / 4
    return (_share(x, y) + _share(y, x)) / 2


_Encode = Callable[[Sequence[str]], np.ndarray]  # texts -> L2-normalised rows


class _Side:
    """One article's sentences, and runs of two of them, prepared for scoring: vectors and evidence."""

    def __init__(self, texts: Sequence[str], language: str | None, encode: _Encode) -> None:
        self.texts = list(texts)
        self.language = language
        han = language in _HAN_LANGUAGES
        self.joiner = "" if han else " "
        runs = {1: self.texts, 2: [self.joiner.join(self.texts[i : i + 2]) for i in range(len(self.texts) - 1)]}
        self.vectors = {size: encode([_fold_han(t) if han else t for t in run]) for size, run in runs.items()}
        self.evidence = {size: [_evidence(t, language) for t in run] for size, run in runs.items()}


def _scores(a: _Side, b: _Side, ka: int, kb: int) -> np.ndarray:
    """Score (0-100) of every run of `ka` sentences of A against every run of `kb` sentences of B."""
    va, vb = a.vectors[ka], b.vectors[kb]
    out = np.zeros((len(va), len(vb)))
    if not len(va) or not len(vb):
        return out
    cos = va @ vb.T
    both_han = a.language in _HAN_LANGUAGES and b.language in _HAN_LANGUAGES
    reachable = (COS_WEIGHT * cos + LEX_WEIGHT) * 100 >= RENDERED  # lexical evidence cannot lift the rest
    for i, j in zip(*np.nonzero(reachable), strict=True):
        x, y = a.evidence[ka][i], b.evidence[kb][j]
        length = abs(math.log(y.units / x.units))
        value = COS_WEIGHT * float(cos[i, j]) + LEX_WEIGHT * _lexical(x, y, both_han) - LENGTH_WEIGHT * length
        out[i, j] = 100 * min(1.0, max(0.0, value))
    return out


def align_across(a: Article, b: Article, encoder: Encoder | None = None) -> list[Line]:
    """A's sentences in order against their translation in B: each "rendered" by one or two B sentences (with a
    score, 0-100) or "only_a" (dropped); B's sentences that render nothing of A are "only_b" (added).

    Raises NewscovError when the sentence encoder or the dictionary cannot be loaded.
    """
    model = encoder or default_encoder()
    try:
        return _align_sides(
            _Side(sentences(a.text), a.language, model.encode), _Side(sentences(b.text), b.language, model.encode)
        )
    except (EncoderUnavailable, OSError, ImportError) as exc:
        raise NewscovError(
            f"A is in {a.language} and B in {b.language}: comparing them needs the sentence encoder and the "
            f"dictionary, which could not be loaded ({exc})"
        ) from exc


def _align_sides(a: _Side, b: _Side) -> list[Line]:
    """The best monotone path through both sentence lists: the highest total of (score - RENDERED) over matches."""
    n, m = len(a.texts), len(b.texts)
    scores = {(ka, kb): _scores(a, b, ka, kb) for ka, kb in _MATCHES}
    best = np.full((n + 1, m + 1), -np.inf)
    best[0, 0] = 0.0
    step: dict[tuple[int, int], tuple[int, int, float]] = {}  # (i, j) -> (A taken, B taken, score)
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            options: list[tuple[float, int, int, float]] = []
            for ka, kb in _MATCHES:
                if i >= ka and j >= kb:
                    score = float(scores[ka, kb][i - ka, j - kb])
                    if score >= RENDERED:
                        options.append((best[i - ka, j - kb] + score - RENDERED, ka, kb, score))
            if i:
                options.append((best[i - 1, j], 1, 0, 0.0))
            if j:
                options.append((best[i, j - 1], 0, 1, 0.0))
            total, ka, kb, score = max(options, key=lambda o: o[0])
            best[i, j] = total
            step[i, j] = (ka, kb, score)
    path: list[tuple[int, int, int, int, float]] = []  # (A start, A count, B start, B count, score)
    i, j = n, m
    while i or j:
        ka, kb, score = step[i, j]
        i, j = i - ka, j - kb
        path.append((i, ka, j, kb, score))
    path.reverse()
    lines: list[Line] = []
    skipped: list[Line] = []
    for i, ka, j, kb, score in path:
        if ka and kb:
            lines.extend(sorted(skipped, key=lambda line: line.op))  # only_a before only_b between two renderings
            skipped = []
            lines.append(Line("rendered", a.joiner.join(a.texts[i : i + ka]), b.joiner.join(b.texts[j : j + kb]), score,
                              parts=(ka, kb)))  # fmt: skip
        elif ka:
            skipped.append(Line("only_a", a.texts[i], None, parts=(1, 0)))
        else:
            skipped.append(Line("only_b", None, b.texts[j], parts=(0, 1)))
    lines.extend(sorted(skipped, key=lambda line: line.op))
    return lines
