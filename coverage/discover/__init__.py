"""Event -> each outlet's articles: feeds, news sitemaps, site search, Google News RSS and GDELT, then relevance.

Every backend returns a `BackendRun` (what it searched, what it found, or why it failed) so the report can say
"no article" with proof: which backends looked, over which window, and that they answered.
"""

from __future__ import annotations

from ..models import BackendRun, Candidate, OutletDiscovery
from .base import Backend, DiscoverySettings
from .run import BACKENDS, NO_NETWORK, REGISTERED, closed_before, confirm, discover

__all__ = [
    "BACKENDS",
    "NO_NETWORK",
    "REGISTERED",
    "Backend",
    "BackendRun",
    "Candidate",
    "DiscoverySettings",
    "OutletDiscovery",
    "closed_before",
    "confirm",
    "discover",
]
