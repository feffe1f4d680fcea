"""Phrase x Article -> Match, through a cascade of matchers (exact, renderings, fuzzy, translator, aligner).

Adding a matcher: a subclass of `Matcher` in a module of this package, and its name in `MATCHERS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from ..models import Article, Match, Phrase
from ..textnorm import Folded
from .aligner import AlignerMatcher
from .base import (
    ArticleView,
    Hit,
    Matcher,
    MatchSettings,
    diff_texts,
    fold_for_matching,
    near_miss_flags,
    sentence_around,
)
from .cascade import Cascade
from .pieces import PiecesMatcher
from .strings import ExactMatcher, FuzzyMatcher, RenderingMatcher
from .translator import TranslatorMatcher

# the registry, in cascade order: name -> factory
MATCHERS: dict[str, Callable[[], Matcher]] = {
    "exact": ExactMatcher,
    "renderings": RenderingMatcher,
    "interrupted": functools.partial(PiecesMatcher, partial=False),
    "fuzzy": FuzzyMatcher,
    "partial": functools.partial(PiecesMatcher, whole=False),
    "aligner": AlignerMatcher,
}
STRING_MATCHERS = ("exact", "renderings", "interrupted", "fuzzy", "partial")


def default_matchers(aligner: bool = True, translator: str | None = None) -> list[Matcher]:
    """The cascade's matchers: the string matchers (exact, renderings, interrupted, fuzzy, partial), then a
    --translator (if any), then the aligner (if wanted)."""
    matchers = [MATCHERS[name]() for name in STRING_MATCHERS]
    if translator:
        matchers.append(TranslatorMatcher(translator))
    if aligner:
        matchers.append(MATCHERS["aligner"]())
    return matchers


@functools.cache
def _default_cascade(settings: MatchSettings) -> Cascade:
    return Cascade(default_matchers(), settings)


def match_phrase(
    phrase: Phrase,
    article: Article,
    folded_article: Folded | None = None,
    settings: MatchSettings | None = None,
    cascade: Cascade | None = None,
) -> Match:
    """Find `phrase` (or one of its renderings, or a translation of it) in `article` and say how it was carried."""
    cascade = cascade or _default_cascade(settings or MatchSettings())
    return cascade.match(phrase, ArticleView(article, cascade.settings, folded_article))


def match_article(
    phrases: Sequence[Phrase], article: Article, settings: MatchSettings | None = None, cascade: Cascade | None = None
) -> list[Match]:
    """Match every phrase in one article, preparing the article once."""
    cascade = cascade or _default_cascade(settings or MatchSettings())
    return cascade.match_article(phrases, article)


__all__ = [
    "MATCHERS",
    "AlignerMatcher",
    "ArticleView",
    "Cascade",
    "ExactMatcher",
    "FuzzyMatcher",
    "Hit",
    "MatchSettings",
    "Matcher",
    "PiecesMatcher",
    "RenderingMatcher",
    "TranslatorMatcher",
    "default_matchers",
    "diff_texts",
    "fold_for_matching",
    "match_article",
    "match_phrase",
    "near_miss_flags",
    "sentence_around",
]
