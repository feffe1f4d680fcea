"""Matching many phrases against a large corpus: a chunk prefilter, then the full matcher on the candidates.

Comparing every phrase with every article costs phrases x articles fuzzy alignments. Here each phrase (and each
rendering) is cut into a few chunks; by the pigeonhole principle a variant with at most k edits keeps at least
one of k + 1 disjoint chunks intact, so an article can only hold the phrase (or a close variant) if it contains
one of its chunks. One Aho-Corasick pass per article finds the chunks of all phrases at once, and only those
(phrase, article) pairs are matched in full. Chunks are at least 3 characters, so a phrase too short for k + 1
such chunks keeps fewer: variants with more edits than that are left to the per-article matcher. A Latin phrase's
pieces are its words instead (`word_pieces`): three-letter chunks of English are in every English page.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..match import MATCHERS, STRING_MATCHERS, ArticleView, Cascade, MatchSettings, fold_for_matching
from ..match.base import DECISIVE
from ..models import Article, Match, Phrase
from ..textnorm import alias_table, han_count, is_word, to_simplified

MIN_CHUNK = 3


@functools.cache
def _punctuation() -> re.Pattern[str]:
    """Every punctuation character of the basic plane (what fold() drops), as one character class."""
    marks = "".join(chr(code) for code in range(0x10000) if unicodedata.category(chr(code)).startswith("P"))
    return re.compile("[" + re.escape(marks) + "]+")


# what OpenCC can change: a text without any of these (an English page) skips it
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def fast_fold(text: str, aliases: tuple[tuple[str, ...], ...] = ()) -> str:
    """textnorm.fold(text).text without the offset map, at C speed: for scanning whole corpora."""
    normal = unicodedata.normalize("NFKC", text)
    if _CJK.search(normal):
        normal = to_simplified(normal)
    folded = _punctuation().sub(" ", normal.casefold())
    if aliases and (compiled := alias_table(aliases)):
        pattern, table = compiled
        folded = pattern.sub(lambda m: table[m.group()], folded)
    parts = folded.split()
    if not parts:
        return ""
    # a space survives only between two Latin words
    out = [parts[0]]
    for part in parts[1:]:
        if is_word(out[-1][-1]) and is_word(part[0]):
            out.append(" ")
        out.append(part)
    return "".join(out)


def chunks(needle: str, threshold: float) -> list[str]:
    """Disjoint pieces of a folded needle such that any window scoring >= threshold contains one of them."""
    length = len(needle)
    # Indel distance allowed at this ratio (window about as long as the needle): each edit breaks one piece
    edits = int((1 - threshold / 100) * 2 * length) + 1
    pieces = max(1, min(edits + 1, length // MIN_CHUNK))
    size = length / pieces
    return [needle[round(i * size) : round((i + 1) * size)] for i in range(pieces)]


# Latin words too common to tell articles apart: a piece made of one would send every English page to the matcher
_COMMON = frozenset(
    [
        "that",
        "this",
        "with",
        "have",
        "from",
        "they",
        "will",
        "would",
        "there",
        "their",
        "what",
        "about",
        "which",
        "when",
        "were",
        "been",
        "said",
        "also",
        "into",
        "than",
        "them",
        "some",
        "could",
        "other",
        "only",
        "over",
        "after",
        "more",
        "most",
        "such",
        "then",
        "these",
        "those",
        "very",
        "just",
        "like",
        "make",
        "made",
        "before",
        "being",
    ]
)


def word_pieces(needle: str, threshold: float) -> list[str]:
    """The pieces of a folded Latin needle: pairs of neighbouring words that hold a word of 4 letters or more (not
    one of the most common), or for a needle of fewer than 6 words those words alone.

    A close variant (a score at the near threshold) rewrites a few words, never most of them, so it keeps one of
    these whole; three-letter chunks ("the", "er ") would let every English page through, and single words such as
    "link" or "under" most of them. A needle with no such word falls back to `chunks`."""
    words = needle.split()

    def rare(word: str) -> bool:
        return len(word) >= 4 and word not in _COMMON

    if len(words) >= 6:
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(words) if rare(a) or rare(b)]
        if pairs:
            return list(dict.fromkeys(pairs))
    return list(dict.fromkeys(w for w in words if rare(w))) or chunks(needle, threshold)


@dataclass
class CorpusResult:
    """Matches worth reporting (everything but "absent"), and how much work the prefilter saved."""

    matches: list[Match] = field(default_factory=list)
    pairs: int = 0  # phrases x articles
    candidates: int = 0  # pairs matched in full


_SHARED: dict[str, Any] = {}  # what forked scanning processes inherit (the corpus is not pickled)


def candidates(automaton: Any, text: str, aliases: tuple[tuple[str, ...], ...] = ()) -> frozenset[int]:
    """Indices of the phrases one of whose chunks `text` contains: the only ones it can carry."""
    wanted: set[int] = set()
    for _, owners in automaton.iter(fast_fold(text, aliases)):
        wanted |= owners
    return frozenset(wanted)


def _scan(bounds: tuple[int, int]) -> list[tuple[int, frozenset[int]]]:
    """(article index, phrase indices whose chunks it contains) for the articles in range(*bounds)."""
    texts, automaton, aliases = _SHARED["texts"], _SHARED["automaton"], _SHARED["aliases"]
    found = []
    for index in range(*bounds):
        if wanted := candidates(automaton, texts[index], aliases):
            found.append((index, wanted))
    return found


def build_automaton(phrases: Sequence[Phrase], settings: MatchSettings) -> Any:
    import ahocorasick

    owners: dict[str, set[int]] = {}
    for index, phrase in enumerate(phrases):
        for needle in (phrase.text, *phrase.renderings):
            folded = fold_for_matching(needle, settings).text
            if not folded:
                continue
            threshold = settings.near_threshold(folded)
            if settings.is_short(folded):
                pieces = [folded]
            else:
                pieces = chunks(folded, threshold) if han_count(folded) else word_pieces(folded, threshold)
            for piece in pieces:
                owners.setdefault(piece, set()).add(index)
    automaton = ahocorasick.Automaton()
    for piece, indices in owners.items():
        automaton.add_word(piece, frozenset(indices))
    automaton.make_automaton()
    return automaton


def match_corpus(
    phrases: Sequence[Phrase],
    articles: Sequence[Article],
    settings: MatchSettings | None = None,
    workers: int | None = None,
) -> CorpusResult:
    """Every phrase in every article with the string matchers (exact, renderings, fuzzy), reporting verbatim,
    translated and near matches; the other pairs are counted, not listed (there are phrases x articles of them).

    `workers`: processes that fold and scan the corpus (default: every core for 4,000 articles or more, where
    the fork pays for itself; 1 elsewhere and where fork is not available)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    settings = settings or MatchSettings()
    if workers is None:
        fork = "fork" in multiprocessing.get_all_start_methods()
        workers = (os.cpu_count() or 1) if fork and len(articles) >= 4000 else 1
    _SHARED.update(texts=[a.text for a in articles], automaton=build_automaton(phrases, settings),
                   aliases=settings.aliases)  # fmt: skip
    try:
        if workers > 1:
            step = max(1, len(articles) // (workers * 8))
            ranges = [(start, min(start + step, len(articles))) for start in range(0, len(articles), step)]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                scanned = [hit for part in pool.map(_scan, ranges) for hit in part]
        else:
            scanned = _scan((0, len(articles)))
    finally:
        _SHARED.clear()

    result = CorpusResult(pairs=len(phrases) * len(articles))
    cascade = Cascade([MATCHERS[name]() for name in STRING_MATCHERS], settings)
    for index, wanted in scanned:
        view = ArticleView(articles[index], settings)
        result.candidates += len(wanted)
        for phrase_index in sorted(wanted):
            match = cascade.match(phrases[phrase_index], view)
            if match.status in DECISIVE:
                result.matches.append(match)
    return result
