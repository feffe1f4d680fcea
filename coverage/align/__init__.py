"""Cross-language alignment: where (if anywhere) does a text render a statement made in another language?

Every window of the text (1-3 clauses, the headline's too) is scored against the statement from several signals
at once, and the best window is judged from its score and its margin over the best window that does not overlap
it, never from one raw cosine (the best absent window can out-score a true translation):

- `cos`: cosine of the two in a multilingual sentence encoder (Simplified/Traditional folded; a window's vector is
  the normalised sum of its clauses' vectors, so each clause is encoded once);
- `lex`: the share of the statement's content words whose dictionary glosses (CC-CEDICT) meet the window, or for
  Japanese -> Chinese the share of its kanji in the window;
- `num`: the statement's numbers found in the window (+1 all, -1 none; 0 when it has none);
- `name`: the statement's names and its speaker (alias sets: Hegseth = 赫塞斯 = 赫格塞斯) found in the window's
  sentence;
- `quoted`: the window sits inside quote marks; `attributed`: its sentence has a speech verb (表示, 說, said);
- `length`: how far the window's length is from what a translation of the statement would take.

The weights were fitted on `tests/data/crosslang_cases.yaml` (`python -m benchmarks.crosslang_eval --fit`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..textnorm import _KANA, _opencc, detect_script, han_count, to_simplified
from .encoder import Encoder, EncoderUnavailable, default_encoder
from .lexicon import english_stems, lexicon, number_values
from .windows import Clause, Window, clauses, windows

__all__ = ["Aligner", "Alignment", "EncoderUnavailable", "Prepared", "Statement"]

SIGNALS = ("cos", "lex", "num", "name", "quoted", "attributed", "length", "headline")
# ranking weights (one per signal) and the decision on the best window: bias, score, margin, cos, lex
WEIGHTS = np.array([3.72, 2.71, 0.54, 0.29, 0.48, 0.16, -1.0, 0.09], dtype=np.float64)
DECISION = np.array([-4.41, 1.0, 1.58, 1.85, -0.63], dtype=np.float64)
TRANSLATED_AT = 0.65  # p(present) at or above: translated
ABSENT_BELOW = 0.1  # below: absent; between: uncertain

_SPEECH = re.compile(
    r"表示|說|说|稱|称|指出|強調|强调|寫道|写道|透露|坦言|直言|認為|认为|宣布|重申|提到|警告|呼籲|呼吁|發文|发文|回應|回应|"
    r"述べ|語っ|強調し|said|says|told|wrote|writes|added|stated|declared|warned|argued|insisted|posted|tweeted"
)
_UNITS_PER_WORD = {"zh": 1.6, "ja": 2.2, "en": 1.0}


def language_of(text: str) -> str | None:
    """zh, ja, en, or None."""
    return detect_script(text)[0]


def _units(text: str, language: str | None) -> float:
    """Length in English-word equivalents."""
    if language in ("zh", "ja"):
        chars = han_count(text) + len(_KANA.findall(text))
        return max(1.0, chars / _UNITS_PER_WORD[language])
    return max(1.0, float(len(text.split())))


def _fold_han(text: str) -> str:
    """Japanese shinjitai and Traditional characters to Simplified (関係 -> 关系), for kanji comparison."""
    return to_simplified(str(_opencc("jp2t").convert(text)))


def _kanji(text: str) -> frozenset[str]:
    return frozenset(c for c in _fold_han(text) if "\u4e00" <= c <= "\u9fff")


def _alias_ids(text: str, aliases: Sequence[Sequence[str]]) -> frozenset[int]:
    lowered = text.lower()
    return frozenset(i for i, spellings in enumerate(aliases) if any(s and s.lower() in lowered for s in spellings))


def _overlap(a: Window, b: Window) -> bool:
    return a.start < b.end and b.start < a.end


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, x))))


@dataclass
class Statement:
    """The statement side, prepared once: its vector and lexical evidence."""

    text: str
    language: str | None
    vector: np.ndarray
    stems: frozenset[str]  # English content stems (English statement)
    words: list[frozenset[str]]  # gloss stems per content word (Chinese or Japanese statement)
    kanji: frozenset[str]
    numbers: set[float]
    names: frozenset[int]
    units: float


@dataclass
class Prepared:
    """One text (an article's body or its headline) prepared once: clauses, windows and their evidence."""

    text: str
    where: str
    language: str | None
    clauses: list[Clause]
    windows: list[Window]
    vectors: np.ndarray  # one per window
    stems: list[frozenset[str]]  # English stems (English text) or gloss stems (Chinese/Japanese text), per window
    kanji: list[frozenset[str]]
    numbers: list[set[float]]
    names: list[frozenset[int]]  # alias sets named in the window's sentence(s)
    quoted: np.ndarray
    attributed: np.ndarray
    units: np.ndarray


@dataclass
class Alignment:
    """The aligner's answer for one statement in one text."""

    p: float  # probability that the text renders the statement
    where: str = "body"
    start: int = 0
    end: int = 0
    text: str = ""
    score: float = 0.0
    margin: float = 0.0
    rank: int = 0  # the window's place in the encoder's own ranking
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "translated" if self.p >= TRANSLATED_AT else "absent" if self.p < ABSENT_BELOW else "uncertain"


class Aligner:
    """Scores windows of texts against statements; holds the encoder (loaded on first use) and the dictionary."""

    def __init__(self, encoder: Encoder | None = None, aliases: Sequence[Sequence[str]] = ()) -> None:
        self.encoder = encoder or default_encoder()
        self.aliases = [tuple(a) for a in aliases]

    def statement(self, text: str, language: str | None = None, speaker: str | None = None) -> Statement:
        language = language or language_of(text)
        vector = self.encoder.encode([_fold_han(text) if language in ("zh", "ja") else text])[0]
        lex = lexicon()
        names = _alias_ids(text + " " + (speaker or ""), self.aliases)
        if language == "en":
            return Statement(text, language, vector, frozenset(english_stems(text)), [], frozenset(),
                             number_values(text), names, _units(text, language))  # fmt: skip
        folded = _fold_han(text)
        words = lex.han_words(folded)
        return Statement(text, language, vector, frozenset(), words, _kanji(text), number_values(folded), names,
                         _units(text, language))  # fmt: skip

    def prepare(self, text: str, where: str = "body", language: str | None = None) -> Prepared:
        language = language or language_of(text)
        items = clauses(text)
        spans = windows(items)
        han = language in ("zh", "ja")
        pieces = [text[c.start : c.end] for c in items]
        clause_vectors = self.encoder.encode([_fold_han(p) if han else p for p in pieces])
        lex = lexicon()
        clause_stems = [frozenset(lex.han_stems(_fold_han(p)) if han else english_stems(p)) for p in pieces]
        clause_kanji = [_kanji(p) if han else frozenset() for p in pieces]
        clause_numbers = [number_values(_fold_han(p) if han else p) for p in pieces]
        sentences: dict[int, list[int]] = {}
        for index, clause in enumerate(items):
            sentences.setdefault(clause.sentence, []).append(index)
        sentence_text = {s: text[items[ids[0]].start : items[ids[-1]].end] for s, ids in sentences.items()}
        sentence_names = {s: _alias_ids(t, self.aliases) for s, t in sentence_text.items()}
        sentence_speech = {s: bool(_SPEECH.search(t)) for s, t in sentence_text.items()}

        vectors = np.zeros((len(spans), clause_vectors.shape[1] if len(items) else 512), dtype=np.float32)
        stems, kanji, numbers, names = [], [], [], []
        quoted = np.zeros(len(spans))
        attributed = np.zeros(len(spans))
        units = np.zeros(len(spans))
        for w, span in enumerate(spans):
            members = range(span.first, span.last + 1)
            summed = clause_vectors[span.first : span.last + 1].sum(axis=0)
            vectors[w] = summed / (np.linalg.norm(summed) or 1.0)
            stems.append(frozenset().union(*(clause_stems[i] for i in members)))
            kanji.append(frozenset().union(*(clause_kanji[i] for i in members)))
            numbers.append(set().union(*(clause_numbers[i] for i in members)))
            touched = {items[i].sentence for i in members}
            names.append(frozenset().union(*(sentence_names[s] for s in touched)))
            quoted[w] = sum(items[i].quoted for i in members) / len(members)
            attributed[w] = float(any(sentence_speech[s] for s in touched))
            units[w] = _units(text[span.start : span.end], language)
        return Prepared(text, where, language, items, spans, vectors, stems, kanji, numbers, names, quoted,
                        attributed, units)  # fmt: skip

    def features(self, statement: Statement, prepared: Prepared) -> np.ndarray:
        """One row of SIGNALS per window."""
        n = len(prepared.windows)
        out = np.zeros((n, len(SIGNALS)))
        if not n:
            return out
        out[:, 0] = prepared.vectors @ statement.vector
        for w in range(n):
            out[w, 1] = self._lex(statement, prepared, w)
            if statement.numbers:
                found = len(statement.numbers & prepared.numbers[w]) / len(statement.numbers)
                out[w, 2] = 2 * found - 1
            if statement.names:
                found = len(statement.names & prepared.names[w]) / len(statement.names)
                out[w, 3] = 2 * found - 1
        out[:, 4] = prepared.quoted
        out[:, 5] = prepared.attributed
        out[:, 6] = np.abs(np.log(prepared.units / statement.units))
        out[:, 7] = 1.0 if prepared.where == "headline" else 0.0
        return out

    @staticmethod
    def _lex(statement: Statement, prepared: Prepared, w: int) -> float:
        target = prepared.stems[w]
        if statement.language == "en":
            if not statement.stems:
                return 0.0
            return len(statement.stems & target) / len(statement.stems)
        coverage = (
            sum(1 for glosses in statement.words if glosses & target) / len(statement.words) if statement.words else 0.0
        )
        if prepared.language in ("zh", "ja") and statement.kanji:
            coverage = max(coverage, len(statement.kanji & prepared.kanji[w]) / len(statement.kanji))
        return coverage

    def align(
        self, statement: Statement, texts: Sequence[Prepared], exclude: Sequence[tuple[str, int, int]] = ()
    ) -> Alignment:
        """The best window over `texts` (body and headline) and the verdict on it. `exclude`: (where, start, end)
        spans already taken by another statement of the same run, which this one may not claim."""
        rows: list[tuple[float, float, int, Prepared]] = []  # (score, cos, window index, prepared)
        scored: list[tuple[Prepared, np.ndarray, np.ndarray]] = []
        for prepared in texts:
            feats = self.features(statement, prepared)
            scores = feats @ WEIGHTS
            scored.append((prepared, feats, scores))
            for w in range(len(prepared.windows)):
                span = prepared.windows[w]
                if any(
                    where == prepared.where and span.start < end and start < span.end for where, start, end in exclude
                ):
                    continue
                rows.append((float(scores[w]), float(feats[w, 0]), w, prepared))
        if not rows:
            return Alignment(p=0.0)
        rows.sort(key=lambda r: -r[0])
        best_score, best_cos, best_w, best_text = rows[0]
        best_span = best_text.windows[best_w]
        # the runner-up: the best window of the same text that does not overlap (a headline repeating the body's
        # line is a second rendering, not a rival)
        runner = next(
            (r for r in rows[1:] if r[3] is best_text and not _overlap(r[3].windows[r[2]], best_span)),
            None,
        )
        margin = best_score - runner[0] if runner else best_score
        feats = next(f for p, f, _ in scored if p is best_text)[best_w]
        rank = 1 + sum(1 for r in rows if r[1] > best_cos)
        x = np.array([1.0, best_score, margin, feats[0], feats[1]])
        p = _sigmoid(float(DECISION @ x))
        signals = {name: round(float(value), 3) for name, value in zip(SIGNALS, feats, strict=True)}
        signals["score"] = round(best_score, 3)
        return Alignment(
            p=p,
            where=best_text.where,
            start=best_span.start,
            end=best_span.end,
            text=best_text.text[best_span.start : best_span.end],
            score=best_score,
            margin=margin,
            rank=rank,
            signals=signals,
        )
