"""Run the discovery backends for every outlet concurrently and conclude: found, none, or failed.

An outlet's own strategies (feeds, sitemaps, search) run in the order its registry entry gives, stopping at the
first that finds the event (unless `exhaustive`); outside indexes (Google News, GDELT) always run. After the
articles are read, `confirm` settles what discovery claimed: a hit whose text never mentions the event is off
topic, and a headline Google News knows but no address could be found for is an unavailable article.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from ..event import Event
from ..fetch import Fetcher
from ..models import Article, BackendRun, Candidate, Failure, Outlet, OutletDiscovery
from ..textnorm import fold_text
from .base import Backend, Context, DiscoverySettings, drop_off_domain, in_window, relevance
from .feeds import Feeds
from .gdelt import Gdelt
from .gnews import GoogleNews
from .search import Search
from .sitemaps import Sitemaps

# every backend, by name: a new one is a module with a Backend subclass and one entry here
REGISTERED: dict[str, Backend] = {b.name: b for b in (Feeds(), Sitemaps(), Search(), GoogleNews(), Gdelt())}
BACKENDS = tuple(REGISTERED)
NO_NETWORK = (
    "no network: could not resolve any host — are you offline? try --offline (pages in the cache) or --from-archive DIR"
)


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


def closed_before(outlet: Outlet, event: Event) -> bool:
    """A defunct outlet ("2021-08-31: closed") published nothing in a window after its closing day."""
    day = (outlet.defunct or "")[:10]
    try:
        return bool(outlet.defunct) and date.fromisoformat(day) < event.start.date()
    except ValueError:
        return bool(outlet.defunct)


def _useful(run: BackendRun, event: Event, settings: DiscoverySettings) -> int:
    """How many article addresses a run found that are about the event and in its window."""
    floor = settings.min_relevance
    return sum(1 for c in run.candidates if c.url and c.relevance >= floor and in_window(c.published, event))


def _crashed(exc: Exception) -> str:
    return f"the answer could not be read ({type(exc).__name__}: {str(exc)[:200]})"


async def _safely(backend: Backend, outlet: Outlet, ctx: Context) -> BackendRun:
    """A backend's run; whatever a hostile answer makes it raise becomes its error."""
    try:
        return drop_off_domain(await backend.run(outlet, ctx), outlet)
    except Exception as exc:
        return BackendRun(backend.name, outlet.id, backend.name, error=_crashed(exc))


async def _own_strategies(outlet: Outlet, ctx: Context) -> list[BackendRun]:
    """The outlet's own strategies in its order; the rest are skipped once one found the event."""
    runs: list[BackendRun] = []
    found_by = ""
    order = [*outlet.discovery, *(n for n, b in REGISTERED.items() if b.own and n not in outlet.discovery)]
    for name in order:
        backend = REGISTERED[name]
        if name not in ctx.settings.backends or not backend.usable(outlet):
            continue
        if name not in outlet.discovery:
            runs.append(BackendRun(name, outlet.id, "skipped: not among the outlet's discovery strategies"))
        elif found_by and not ctx.settings.exhaustive:
            runs.append(BackendRun(name, outlet.id, f"skipped: {found_by} already found the event"))
        else:
            run = await _safely(backend, outlet, ctx)
            runs.append(run)
            found_by = found_by or (name if _useful(run, ctx.event, ctx.settings) else "")
    return runs


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
    outlet_list = list(outlets)
    closed = {o.id for o in outlet_list if closed_before(o, event)}
    searched = [o for o in outlet_list if o.id not in closed]
    outside = [b for b in REGISTERED.values() if not b.own and b.name in settings.backends]

    async def outside_runs(backend: Backend) -> list[BackendRun]:
        serves = [o for o in searched if backend.usable(o)]
        by_id = {o.id: o for o in serves}
        try:
            return [drop_off_domain(run, by_id[run.outlet_id]) for run in await backend.run_many(serves, ctx)]
        except Exception as exc:  # one backend failing never loses the others' results
            return [BackendRun(backend.name, o.id, backend.name, error=_crashed(exc)) for o in serves]

    own_job = asyncio.gather(*(_own_strategies(o, ctx) for o in searched))
    own, others = await asyncio.gather(own_job, asyncio.gather(*(outside_runs(b) for b in outside)))
    runs: dict[str, list[BackendRun]] = {o.id: list(r) for o, r in zip(searched, own, strict=True)}
    for batch in others:
        for run in batch:
            runs[run.outlet_id].append(run)
    results = []
    for outlet in outlet_list:
        if outlet.id in closed:
            why = f"not searched: the outlet is defunct ({outlet.defunct}), before the event's window"
            results.append(OutletDiscovery(outlet.id, "none", (), (BackendRun("registry", outlet.id, why),)))
        else:
            results.append(conclude(outlet, runs[outlet.id], event, settings))
    return results


def confirm(
    discoveries: Sequence[OutletDiscovery],
    read: Sequence[Article | Failure],
    event: Event,
    pinned: set[str],
) -> tuple[list[Article], list[Failure], list[OutletDiscovery]]:
    """Settle discovery's claims once the articles are read.

    A discovered article whose headline and text never mention the event is off topic (kept out of the matrix,
    listed in the outlet's discovery); an outlet left with nothing read is "none" again. An outlet Google News
    lists a headline for, with no address, gets an unavailable article saying so (pin it with --url).
    """
    articles: list[Article] = []
    failures: list[Failure] = []
    off_topic: dict[str, list[str]] = {}
    for result in read:
        if isinstance(result, Failure):
            failures.append(result)
        elif result.url not in pinned and relevance(event, result.title or "", result.text) == 0:
            off_topic.setdefault(result.outlet_id, []).append(result.url)
        else:
            articles.append(result)
    outlets_read = {a.outlet_id for a in articles} | {f.outlet_id for f in failures}
    concluded = []
    for item in discoveries:
        if item.outlet_id in off_topic:
            item = replace(item, off_topic=tuple(off_topic[item.outlet_id]))
            if item.outlet_id not in outlets_read and not any(not c.url for c in item.candidates):
                item = replace(item, outcome="none")
        headline = _headline_only(item) if item.outlet_id not in outlets_read else None
        if headline:
            failures.append(headline)
        concluded.append(item)
    return articles, failures, concluded


def _headline_only(discovery: OutletDiscovery) -> Failure | None:
    seen = [c for c in discovery.candidates if not c.url]
    if not seen:
        return None
    first = seen[0]
    when = f" ({first.published:%Y-%m-%d})" if first.published else ""
    reason = (
        f"Google News lists “{first.title}”{when} by this outlet, but its address could not be resolved; "
        "pin the article with --url"
    )
    return Failure("discover", discovery.outlet_id, "Google News", reason)
