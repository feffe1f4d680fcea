"""`sources check --live`: ask an outlet's feeds, sitemaps and site search whether they answer, and with what."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import httpx

from .discover.base import fill_template
from .fetch import FEED_TYPES, Fetcher, FetchSettings, host_intervals
from .models import Failure, Outlet, Target

# a word every outlet's search should find something for, in the outlet's script
PROBE_QUERY = {"zh-Hant": "台灣", "zh-Hans": "台湾", "en": "Taiwan"}
_ITEM = re.compile(r"<(item|entry|url|sitemap)[\s>]", re.IGNORECASE)
_HREF = re.compile(r"""(?:href=["']|"(?:url|link|titleLink|PageUrl)"\s*:\s*")([^"'<>\s]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Probe:
    """What one feed, sitemap or search URL of an outlet answered."""

    outlet_id: str
    kind: str  # feed, sitemap, search
    url: str
    ok: bool
    detail: str  # "12 items", "8 article links", or the failure reason


def _targets(outlet: Outlet) -> list[tuple[str, str]]:
    query = PROBE_QUERY.get(outlet.script or "", PROBE_QUERY["zh-Hant" if outlet.language == "zh" else "en"])
    today = datetime.now(UTC).date()
    return (
        [("feed", f.url) for f in outlet.feeds]
        + [("sitemap", s.url) for s in outlet.sitemaps]
        + [("search", fill_template(s.template, query, today - timedelta(days=3), today)) for s in outlet.search]
    )


def _describe(kind: str, outlet: Outlet, url: str, text: str) -> tuple[bool, str]:
    if kind in ("feed", "sitemap"):
        items = len(_ITEM.findall(text))
        return items > 0, f"{items} items" if items else "answered, but holds no feed or sitemap items"
    links = {urljoin(url, href.replace("\\/", "/")) for href in _HREF.findall(text)}
    if outlet.article_pattern:
        pattern = re.compile(outlet.article_pattern)
        articles = [link for link in links if pattern.search(link)]
        return bool(articles), f"{len(articles)} article links (of {len(links)} links)"
    return bool(links), f"{len(links)} links (no article_url pattern to tell articles apart)"


async def probe_outlets(
    outlets: Iterable[Outlet],
    settings: FetchSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Probe]:
    """Fetch every feed, sitemap and search URL of the outlets; one Probe each, in registry order."""
    outlets = list(outlets)
    jobs = [(outlet, kind, url) for outlet in outlets for kind, url in _targets(outlet)]

    async def one(fetcher: Fetcher, outlet: Outlet, kind: str, url: str) -> Probe:
        result = await fetcher.fetch(Target(outlet.id, url=url), accept=FEED_TYPES)
        if isinstance(result, Failure):
            return Probe(outlet.id, kind, url, False, result.reason)
        ok, detail = _describe(kind, outlet, result.final_url or url, result.html)
        return Probe(outlet.id, kind, url, ok, detail)

    async with Fetcher(settings, transport=transport, intervals=host_intervals(outlets)) as fetcher:
        return list(await asyncio.gather(*(one(fetcher, *job) for job in jobs)))
