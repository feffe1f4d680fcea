"""Cross-language alignment: where (if anywhere) does a text render a statement made in another language?

Every window of the text (1-3 clauses; the headline's parts too) is scored against the statement from several
signals at once, and the best window is then judged, never from one raw cosine (the best absent window can
out-score a true translation):

- `cos`: cosine of the two in a multilingual sentence encoder (Chinese and Japanese folded to Simplified; a
  window's vector is the normalised sum of its clauses' vectors, so each clause is encoded once; an English
  statement is compared without its names, since a translation may say 两国, "both countries");
- `lex`: the share of the statement's content words whose dictionary glosses (CC-CEDICT) meet the window, or for
  Japanese -> Chinese the share of its kanji in the window; `explained`: the share of the window's words that
  the statement accounts for (a window padded with other matter explains less);
- `num`: the statement's numbers found in the window (+1 all, -1 none; 0 when it has none);
- `name`: the statement's names and its speaker (alias sets: Hegseth = 赫塞斯 = 赫格塞斯) found in the window's
  sentence;
- `quoted`: the window sits inside quote marks; `attributed`: its sentence has a speech verb (表示, 說, said);
- `length`: how far the window's length is from what a translation of the statement would take;
- `headline`, and the direction (`from_han`, `to_han`: constant over an article, a bias for the decision).

The ranking weights were chosen for top-1 and the decision fitted on `tests/data/crosslang_cases.yaml`
(`python -m benchmarks.crosslang_eval --fit`; `--cv` scores leave-one-event-out).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..textnorm import _KANA, _convert, detect_script, han_count, to_simplified
from .encoder import Encoder, EncoderUnavailable, default_encoder
from .lexicon import english_stems, lexicon, number_values
from .windows import Clause, Window, chunks, clauses, windows

__all__ = ["Aligner", "Alignment", "EncoderUnavailable", "Prepared", "Statement"]

SIGNALS = ("cos", "lex", "explained", "num", "name", "quoted", "attributed", "length", "headline", "from_han", "to_han")
# ranking weights (one per signal) and the decision on the best window (see decision_inputs)
WEIGHTS = np.array([4.72, 2.96, 0.0, 0.54, 0.29, 0.48, 0.16, -1.0, 0.09, 0.0, 0.0], dtype=np.float64)
DECISION = np.array([-3.06, 1.83, 0.85, -0.55, 1.32, -2.19, -2.05], dtype=np.float64)
MAX_ALIGNED_CHARS = 100_000  # of one article's body; the rest is not aligned (and an absence there is not said)
TRANSLATED_AT = 0.7  # p(present) at or above: translated
ABSENT_BELOW = 0.15  # below: absent; between: uncertain

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
    return to_simplified(_convert("jp2t", text))


def _kanji(text: str) -> frozenset[str]:
    return frozenset(c for c in _fold_han(text) if "\u4e00" <= c <= "\u9fff")


def _alias_ids(text: str, aliases: Sequence[Sequence[str]]) -> frozenset[int]:
    lowered = text.lower()
    return frozenset(i for i, spellings in enumerate(aliases) if any(s and s.lower() in lowered for s in spellings))


def _overlap(a: Window, b: Window) -> bool:
    return a.start < b.end and b.start < a.end


_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’-]+(?:\s+(?:and\s+)?[A-Z][\w'’-]+)*")


def _without_names(text: str, aliases: Sequence[Sequence[str]]) -> str | None:
    """An English statement without its names (capitalised words after the first, alias spellings), or None
    when it names nobody: "relations between Veloria and Kestrel" -> "relations between"."""
    original = text
    for spellings in aliases:
        for spelling in spellings:
            if spelling and spelling.isascii():
                text = re.sub(rf"\b{re.escape(spelling)}\b", " ", text)
    first = re.match(r"\W*\w+", text)
    head, rest = (text[: first.end()], text[first.end() :]) if first else ("", text)
    nameless = " ".join((head + _CAPITALISED.sub(" ", rest)).split())
    return None if nameless == " ".join(original.split()) else nameless


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, x))))


@dataclass
class Statement:
    """The statement side, prepared once: its vector and lexical evidence."""

    text: str
    language: str | None
    vector: np.ndarray
    vectors: np.ndarray  # its vector, then (if it names anyone) the vector of the statement without its names
    stems: frozenset[str]  # English content stems (English statement)
    words: list[frozenset[str]]  # gloss stems per content word (Chinese or Japanese statement)
    kanji: frozenset[str]
    explains: frozenset[str]  # every stem the statement can account for in another text
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
    # English stems (English text) or gloss stems (Chinese/Japanese text): which window holds which stem
    stem_index: dict[str, int]
    stems: np.ndarray  # bool, windows x stems
    kanji_index: dict[str, int]
    kanji: np.ndarray  # bool, windows x kanji
    # window x word counts, and each word's gloss stems (flat stem indices, and where each word's run starts)
    content: tuple[np.ndarray, np.ndarray, np.ndarray]
    numbers: list[set[float]]
    names: list[frozenset[int]]  # alias sets named in the window's sentence(s)
    quoted: np.ndarray
    attributed: np.ndarray
    units: np.ndarray
    offset: int = 0  # where this text starts in the article's text (a chunk of a long body)


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


def decision_inputs(score: float, features: np.ndarray) -> np.ndarray:
    """What the present/absent decision reads of the best window, in the order of DECISION: a bias, its score,
    cos, lex, explained, from_han, to_han. Not the margin over the
    runner-up: an article often renders a line twice (the lede and the quote, the headline and the body), and the
    second rendering is no rival; nor how far the window stands above the article's other windows, which depends
    on the article's length (a three-sentence brief has no "usual" window)."""
    return np.array([1.0, score, features[0], features[1], features[2], features[9], features[10]])


def _index(items: Sequence[frozenset[str]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for group in items:
        for item in group:
            index.setdefault(item, len(index))
    return index


def _window_sums(per_clause: np.ndarray, spans: Sequence[Window]) -> np.ndarray:
    """Rows summed over each window's clauses (cumulative sums: one subtraction per window)."""
    cumulative = np.vstack([np.zeros((1, per_clause.shape[1]), dtype=per_clause.dtype), per_clause.cumsum(axis=0)])
    firsts = np.fromiter((w.first for w in spans), dtype=np.int64, count=len(spans))
    lasts = np.fromiter((w.last for w in spans), dtype=np.int64, count=len(spans))
    return np.asarray(cumulative[lasts + 1] - cumulative[firsts])


class Aligner:
    """Scores windows of texts against statements; holds the encoder (loaded on first use) and the dictionary."""

    def __init__(
        self,
        encoder: Encoder | None = None,
        aliases: Sequence[Sequence[str]] = (),
        weights: np.ndarray | None = None,
        decision: np.ndarray | None = None,
    ) -> None:
        self.encoder = encoder or default_encoder()
        self.aliases = [tuple(a) for a in aliases]
        self.max_chars = MAX_ALIGNED_CHARS
        self.weights = WEIGHTS if weights is None else weights
        self.decision = DECISION if decision is None else decision
        self._scored: dict[tuple[int, int], tuple[Statement, Prepared, np.ndarray, np.ndarray]] = {}

    def use_aliases(self, aliases: Sequence[Sequence[str]]) -> None:
        """Other alias sets: statements and texts prepared before no longer apply."""
        self.aliases = [tuple(a) for a in aliases]
        self._scored.clear()

    def statement(self, text: str, language: str | None = None, speaker: str | None = None) -> Statement:
        language = language or language_of(text)
        han = language in ("zh", "ja")
        folded = _fold_han(text) if han else text
        nameless = None if han else _without_names(text, self.aliases)
        vectors = self.encoder.encode([folded, nameless] if nameless else [folded])
        names = _alias_ids(text + " " + (speaker or ""), self.aliases)
        if not han:
            stems = frozenset(english_stems(text))
            return Statement(text, language, vectors[0], vectors, stems, [], frozenset(), stems, number_values(text),
                             names, _units(text, language))  # fmt: skip
        words = lexicon().han_words(folded, min_chars=2) or lexicon().han_words(folded)
        explains = frozenset().union(*words) if words else frozenset()
        return Statement(text, language, vectors[0], vectors, frozenset(), words, _kanji(text), explains,
                         number_values(folded), names, _units(text, language))  # fmt: skip

    def prepare_all(self, text: str, where: str = "body", language: str | None = None) -> list[Prepared]:
        """A text in chunks (a long body costs time and memory in proportion to its length, up to
        `max_chars`)."""
        pieces = chunks(text[: self.max_chars])
        return [replace(self.prepare(piece, where, language), offset=offset) for offset, piece in pieces]

    def prepare(self, text: str, where: str = "body", language: str | None = None) -> Prepared:
        language = language or language_of(text)
        items = clauses(text)
        spans = windows(items)
        han = language in ("zh", "ja")
        pieces = [text[c.start : c.end] for c in items]
        folded = [_fold_han(p) for p in pieces] if han else pieces
        clause_vectors = self.encoder.encode(folded)
        lex = lexicon()
        # content words per clause: gloss-stem sets (Chinese, Japanese) or single stems (English)
        clause_words = [lex.han_words(f) if han else [frozenset({w}) for w in english_stems(f)] for f in folded]
        word_index: dict[frozenset[str], int] = {}
        for clause_list in clause_words:
            for word in clause_list:
                word_index.setdefault(word, len(word_index))
        stem_index = _index(list(word_index))
        glosses = np.zeros((len(word_index), len(stem_index)), dtype=np.float32)  # word x stem (float: BLAS)
        for word, i in word_index.items():
            glosses[i, [stem_index[g] for g in word]] = 1
        counts = np.zeros((len(items), len(word_index)), dtype=np.float32)  # clause x word
        for c, clause_list in enumerate(clause_words):
            for word in clause_list:
                counts[c, word_index[word]] += 1
        clause_kanji = [_kanji(p) if han else frozenset() for p in pieces]
        kanji_index = _index(clause_kanji)
        kanji = np.zeros((len(items), len(kanji_index)), dtype=np.int32)
        for c, chars in enumerate(clause_kanji):
            kanji[c, [kanji_index[k] for k in chars]] = 1
        clause_numbers = [number_values(f) for f in folded]
        sentences: dict[int, list[int]] = {}
        for index, clause in enumerate(items):
            sentences.setdefault(clause.sentence, []).append(index)
        sentence_text = {s: text[items[ids[0]].start : items[ids[-1]].end] for s, ids in sentences.items()}
        sentence_names = {s: _alias_ids(t, self.aliases) for s, t in sentence_text.items()}
        sentence_speech = {s: bool(_SPEECH.search(t)) for s, t in sentence_text.items()}

        dim = clause_vectors.shape[1] if len(items) else 512
        if not spans:
            empty = np.zeros((0, 0), dtype=bool)
            return Prepared(text, where, language, items, spans, np.zeros((0, dim), dtype=np.float32), stem_index,
                            empty, kanji_index, empty, (np.zeros((0, 0)), np.zeros(0, np.int64), np.zeros(0, np.int64)),
                            [], [], np.zeros(0), np.zeros(0),
                            np.zeros(0))  # fmt: skip
        summed = _window_sums(clause_vectors.astype(np.float64), spans)
        vectors = (summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-9)).astype(np.float32)
        word_counts = _window_sums(counts, spans)  # window x word
        window_stems = (word_counts @ glosses) > 0
        window_kanji = _window_sums(kanji, spans) > 0
        numbers, names = [], []
        quoted = np.zeros(len(spans))
        attributed = np.zeros(len(spans))
        units = np.zeros(len(spans))
        for w, span in enumerate(spans):
            members = range(span.first, span.last + 1)
            numbers.append(set().union(*(clause_numbers[i] for i in members)))
            touched = {items[i].sentence for i in members}
            names.append(frozenset().union(*(sentence_names[s] for s in touched)))
            quoted[w] = sum(items[i].quoted for i in members) / len(members)
            attributed[w] = float(any(sentence_speech[s] for s in touched))
            units[w] = _units(text[span.start : span.end], language)
        # the share of each window's content words that a statement can explain needs the words' glosses, kept
        # as flat runs (the dense word x stem matrix is megabytes per article)
        flat = np.array([stem_index[g] for word in word_index for g in word], dtype=np.int64)
        starts = np.cumsum([0, *(len(word) for word in word_index)])[:-1].astype(np.int64)
        content = word_counts, flat, starts
        return Prepared(text, where, language, items, spans, vectors, stem_index, window_stems, kanji_index,
                        window_kanji, content, numbers, names, quoted, attributed, units)  # fmt: skip

    def features(self, statement: Statement, prepared: Prepared) -> np.ndarray:
        """One row of SIGNALS per window."""
        n = len(prepared.windows)
        out = np.zeros((n, len(SIGNALS)))
        if not n:
            return out
        out[:, 0] = prepared.vectors @ statement.vectors[-1]
        out[:, 1] = self._lex(statement, prepared)
        out[:, 2] = self._explained(statement, prepared)
        if statement.numbers:
            out[:, 3] = [2 * len(statement.numbers & found) / len(statement.numbers) - 1 for found in prepared.numbers]
        if statement.names:
            out[:, 4] = [2 * len(statement.names & found) / len(statement.names) - 1 for found in prepared.names]
        out[:, 5] = prepared.quoted
        out[:, 6] = prepared.attributed
        out[:, 7] = np.abs(np.log(prepared.units / statement.units))
        out[:, 8] = 1.0 if prepared.where == "headline" else 0.0
        # the direction (constant over one text's windows: no effect on the ranking, a bias for the decision)
        out[:, 9] = 1.0 if statement.language in ("zh", "ja") else 0.0
        out[:, 10] = 1.0 if prepared.language in ("zh", "ja") else 0.0
        return out

    @staticmethod
    def _lex(statement: Statement, prepared: Prepared) -> np.ndarray:
        """The share of the statement's content words whose glosses meet the window (kanji for Japanese)."""
        n = len(prepared.windows)
        index = prepared.stem_index
        if statement.language == "en":
            hits = [index[s] for s in statement.stems if s in index]
            coverage = prepared.stems[:, hits].sum(axis=1) / max(1, len(statement.stems))
        elif statement.words:
            covered = np.zeros(n)
            for glosses in statement.words:
                columns = [index[g] for g in glosses if g in index]
                if columns:
                    covered += prepared.stems[:, columns].any(axis=1)
            coverage = covered / len(statement.words)
        else:
            coverage = np.zeros(n)
        if prepared.language in ("zh", "ja") and statement.kanji:
            columns = [prepared.kanji_index[k] for k in statement.kanji if k in prepared.kanji_index]
            shared = prepared.kanji[:, columns].sum(axis=1) / len(statement.kanji)
            coverage = np.maximum(coverage, shared)
        return np.asarray(coverage, dtype=np.float64)

    @staticmethod
    def _explained(statement: Statement, prepared: Prepared) -> np.ndarray:
        """The share of the window's content words that the statement explains (a window padded with other
        matter explains less): glosses meeting the statement's words, or kanji for Chinese <-> Japanese."""
        n = len(prepared.windows)
        word_counts, flat, starts = prepared.content
        total = word_counts.sum(axis=1)
        if statement.language in ("zh", "ja") and prepared.language in ("zh", "ja"):
            columns = [prepared.kanji_index[k] for k in statement.kanji if k in prepared.kanji_index]
            size = prepared.kanji.sum(axis=1)
            return np.asarray(prepared.kanji[:, columns].sum(axis=1) / np.maximum(size, 1), dtype=np.float64)
        wanted = np.zeros(len(prepared.stem_index))
        wanted[[prepared.stem_index[s] for s in statement.explains if s in prepared.stem_index]] = 1
        if not len(total) or not wanted.any():
            return np.zeros(n)
        explained_words = np.add.reduceat(wanted[flat], starts) > 0
        return np.asarray((word_counts @ explained_words) / np.maximum(total, 1), dtype=np.float64)

    def _scores(self, statement: Statement, prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
        key = (id(statement), id(prepared))
        if key not in self._scored:
            if len(self._scored) > 20_000:
                self._scored.clear()
            feats = self.features(statement, prepared)
            self._scored[key] = (statement, prepared, feats, feats @ self.weights)
        return self._scored[key][2], self._scored[key][3]

    def align(
        self, statement: Statement, texts: Sequence[Prepared], exclude: Sequence[tuple[str, int, int]] = ()
    ) -> Alignment:
        """The best window over `texts` (body and headline) and the verdict on it. `exclude`: (where, start, end)
        spans already taken by another statement of the same run, which this one may not claim.

        Each text's best window is judged on its own; the body's is reported when it is a rendering (a headline
        usually repeats the body's line), else the likelier of the two."""
        scored = []
        for prepared in texts:
            feats, scores = self._scores(statement, prepared)
            allowed = np.ones(len(scores), dtype=bool)
            shift = prepared.offset
            for where, start, end in exclude:
                if where == prepared.where:
                    allowed &= ~np.array(
                        [w.start + shift < end and start < w.end + shift for w in prepared.windows], dtype=bool
                    )
            scored.append((prepared, feats, scores, allowed))
        candidates = [self._judge(entry, scored) for entry in scored if entry[3].any()]
        if not candidates:
            return Alignment(p=0.0)
        body = max((c for c in candidates if c.where == "body"), key=lambda c: c.p, default=None)
        if body is not None and body.p >= TRANSLATED_AT:
            return body
        return max(candidates, key=lambda c: c.p)

    def _judge(
        self,
        entry: tuple[Prepared, np.ndarray, np.ndarray, np.ndarray],
        scored: list[tuple[Prepared, np.ndarray, np.ndarray, np.ndarray]],
    ) -> Alignment:
        """The verdict on one text's best allowed window."""
        text, feats, scores, allowed = entry
        w = int(np.argmax(np.where(allowed, scores, -np.inf)))
        best_score = float(scores[w])
        span = text.windows[w]
        # the margin (evidence for a reader): over the best window of the same text that does not overlap
        rival = np.array([not _overlap(other, span) for other in text.windows], dtype=bool)
        margin = best_score - (float(scores[rival].max()) if rival.any() else best_score - 1.0)
        best_cos = feats[w, 0]
        rank = 1 + sum(int((f[:, 0] > best_cos).sum()) for _, f, _, _ in scored)
        p = _sigmoid(float(self.decision @ decision_inputs(best_score, feats[w])))
        signals = {name: round(float(value), 3) for name, value in zip(SIGNALS, feats[w], strict=True)}
        signals["score"] = round(best_score, 3)
        return Alignment(p=p, where=text.where, start=text.offset + span.start, end=text.offset + span.end,
                         text=text.text[span.start : span.end], score=best_score, margin=margin, rank=rank,
                         signals=signals)  # fmt: skip
