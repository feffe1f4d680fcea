"""Run the discovery backends for every outlet concurrently and conclude: found, none, or failed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from ..event import Event
from ..fetch import Fetcher
from ..models import BackendRun, Candidate, Outlet, OutletDiscovery
from ..textnorm import fold_text
from . import feeds, gdelt, gnews, search, sitemaps
from .base import Context, DiscoverySettings, in_window

BACKENDS = ("feeds", "sitemaps", "search", "gnews", "gdelt")


def _merge(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per story: same key (canonical id or URL), or a headline-only item with the same headline."""
    by_key: dict[str, Candidate] = {}
    for item in candidates:
        known = by_key.get(item.key)
        if known is None:
            by_key[item.key] = item
            continue
        by_key[item.key] = replace(
            known,
            title=known.title or item.title,
            published=known.published or item.published,
            found_via=tuple(dict.fromkeys((*known.found_via, *item.found_via))),
            relevance=max(known.relevance, item.relevance),
            summary=known.summary or item.summary,
        )
    with_url = [c for c in by_key.values() if c.url]
    merged = list(with_url)
    for headline in (c for c in by_key.values() if not c.url):
        title = fold_text(headline.title or "")
        twin = next((c for c in with_url if title and fuzz.ratio(title, fold_text(c.title or "")) >= 90), None)
        if twin is None:
            merged.append(headline)
            continue
        index = merged.index(twin)
        merged[index] = replace(
            merged[index],
            found_via=tuple(dict.fromkeys((*merged[index].found_via, *headline.found_via))),
            relevance=max(merged[index].relevance, headline.relevance),
        )
        with_url[with_url.index(twin)] = merged[index]
    return merged


def conclude(outlet: Outlet, runs: Sequence[BackendRun], event: Event, settings: DiscoverySettings) -> OutletDiscovery:
    merged = _merge([c for run in runs for c in run.candidates])
    kept = [c for c in merged if c.relevance >= settings.min_relevance and in_window(c.published, event)]
    kept.sort(
        key=lambda c: (c.url is not None, c.relevance, len(c.found_via), c.published.timestamp() if c.published else 0),
        reverse=True,
    )
    kept = kept[: settings.per_outlet]
    ran = [r for r in runs if not r.searched.startswith("skipped")]
    if not ran:
        nothing = "no backend can search this outlet: no feeds, sitemaps or search in the registry, or all switched off"
        runs = [*runs, BackendRun("none", outlet.id, "nothing", error=nothing)]
    if kept:
        outcome = "found"
    elif all(not r.ok for r in ran):  # every backend failed, or none could run: "no article" would be a guess
        outcome = "failed"
    else:
        outcome = "none"
    return OutletDiscovery(outlet.id, outcome, tuple(kept), tuple(runs))


async def discover(
    event: Event, outlets: Sequence[Outlet], fetcher: Fetcher, settings: DiscoverySettings | None = None
) -> list[OutletDiscovery]:
    """Search every outlet with every enabled backend that it supports; one OutletDiscovery per outlet."""
    settings = settings or DiscoverySettings()
    ctx = Context(fetcher, event, settings)
    for url, interval in (
        (settings.gnews_url, settings.gnews_interval_s),
        (settings.gdelt_url, settings.gdelt_interval_s),
    ):
        netloc = urlsplit(url).netloc.lower()
        fetcher.intervals[netloc] = max(fetcher.intervals.get(netloc, 0.0), interval)
    enabled = settings.backends

    async def for_outlet(outlet: Outlet) -> list[BackendRun]:
        jobs = []
        if "feeds" in enabled and outlet.feeds:
            jobs.append(feeds.run(outlet, ctx))
        if "sitemaps" in enabled and outlet.sitemaps:
            jobs.append(sitemaps.run(outlet, ctx))
        if "search" in enabled and outlet.search:
            jobs.append(search.run(outlet, ctx))
        if "gnews" in enabled and outlet.domains:
            jobs.append(gnews.run(outlet, ctx))
        return list(await asyncio.gather(*jobs))

    outlet_list = list(outlets)
    per_outlet, global_runs = await asyncio.gather(
        asyncio.gather(*(for_outlet(o) for o in outlet_list)),
        gdelt.run_all(outlet_list, ctx) if "gdelt" in enabled else _no_runs(),
    )
    by_outlet = {run.outlet_id: run for run in global_runs}
    results = []
    for outlet, runs in zip(outlet_list, per_outlet, strict=True):
        extra = [by_outlet[outlet.id]] if outlet.id in by_outlet else []
        results.append(conclude(outlet, [*runs, *extra], event, settings))
    return results


async def _no_runs() -> list[BackendRun]:
    return []
