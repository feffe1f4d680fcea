"""Two articles side by side, sentence by sentence: what A carries that B does not, and the other way round.

Sentences are compared folded (script, punctuation, spacing, aliases), so a Simplified reprint of a Traditional
story lines up; changed sentences carry a character (or word) diff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .match import MatchSettings, diff_texts, fold_for_matching
from .models import Article, DiffOp

SAME = 95.0  # folded ratio at or above: the same sentence
RELATED = 60.0  # at or above: the same sentence, reworded (shown with its diff)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*|(?<=\n)")
_LATIN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True, slots=True)
class Line:
    """One step of the alignment: a sentence in both (same or changed), or in one article only."""

    op: str  # "same", "changed", "only_a", "only_b"
    a: str | None
    b: str | None
    score: float = 0.0
    diff: tuple[DiffOp, ...] = ()


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


def align(a: Article, b: Article, settings: MatchSettings | None = None) -> list[Line]:
    """A's sentences in order, each with its counterpart in B (or none), B's unmatched sentences where they fall."""
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
