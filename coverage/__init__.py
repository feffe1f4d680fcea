"""newscov: how did each outlet cover the same event? Who quoted a phrase verbatim, who reworded or
translated it, who left it out.

The import package is called `coverage` (the command is `newscov`); it shares that name with coverage.py,
so install newscov in its own environment (`uv tool install newscov` or `pipx install newscov`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .corpus import match_corpus
from .errors import ExtractError, FetchError, NetworkError, NewscovError, SourcesError, UsageError
from .event import Event, load_event
from .match import Cascade, Matcher, MatchSettings, default_matchers, match_article, match_phrase
from .models import (
    Article,
    DiffOp,
    Failure,
    Fetched,
    Match,
    Method,
    Outlet,
    Phrase,
    Report,
    Status,
    Target,
    Timestamp,
)
from .pipeline import compare, compare_async, read_articles
from .sources import Registry, load_sources

__all__ = [
    "Article",
    "Cascade",
    "DiffOp",
    "Event",
    "ExtractError",
    "Failure",
    "FetchError",
    "Fetched",
    "Match",
    "MatchSettings",
    "Matcher",
    "Method",
    "NetworkError",
    "NewscovError",
    "Outlet",
    "Phrase",
    "Registry",
    "Report",
    "SourcesError",
    "Status",
    "Target",
    "Timestamp",
    "UsageError",
    "__version__",
    "compare",
    "compare_async",
    "default_matchers",
    "load_event",
    "load_sources",
    "match_article",
    "match_corpus",
    "match_phrase",
    "read_articles",
]
