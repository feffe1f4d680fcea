"""Wires the stages: targets -> fetch -> extract -> match -> Report. Emits progress events; never prints."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from .errors import UsageError
from .extract import extract
from .fetch import Fetcher, FetchSettings
from .match import MatchSettings, match_article
from .models import Article, Failure, Match, Outlet, Phrase, Report, Status, Target
from .sources import Registry, host_of, load_sources
from .textnorm import detect_script


@dataclass(frozen=True, slots=True)
class Progress:
    """One step done for one target, for progress bars: stage is "fetch", "extract" or "match"."""

    stage: str
    location: str
    ok: bool
    detail: str = ""


ProgressCallback = Callable[[Progress], None]


def make_phrases(texts: Iterable[str | Phrase]) -> tuple[Phrase, ...]:
    """Phrases from strings (ids p1, p2, ...) or Phrase records; rejects empty and duplicate phrases."""
    phrases: list[Phrase] = []
    for number, item in enumerate(texts, start=1):
        phrase = item if isinstance(item, Phrase) else Phrase(id=f"p{number}", text=item)
        if not phrase.text.strip():
            raise UsageError(f"phrase {number} is empty: give the words to look for, e.g. --quote '前所未有良好'")
        if any(r for r in phrase.renderings if not r.strip()):
            raise UsageError(f"phrase {number} has an empty rendering")
        if phrase.language is None:
            phrase = replace(phrase, language=detect_script(phrase.text)[0])
        phrases.append(phrase)
    if not phrases:
        raise UsageError("no phrase to look for: give at least one --quote TEXT")
    ids = [p.id for p in phrases]
    if len(set(ids)) != len(ids):
        raise UsageError(f"phrase ids must be unique, got {ids}")
    return tuple(phrases)


def resolve_targets(items: Iterable[str | Target], registry: Registry) -> tuple[tuple[Target, ...], tuple[Outlet, ...]]:
    """Targets and their outlets; the same URL or file given twice is read once.

    A string is a URL (outlet from its host) or a file path: a saved page whose canonical or og:url address
    belongs to a registry outlet is that outlet's, any other file is labelled with its name.
    """
    targets: list[Target] = []
    outlets: dict[str, Outlet] = {}
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Target):
            target = item
            outlet = registry.get(item.outlet_id) or registry.for_label(item.outlet_id)
        elif item.startswith(("http://", "https://")):
            outlet = registry.for_url(item)
            target = Target(outlet.id, url=item)
        else:
            outlet = _outlet_of_file(Path(item), registry)
            target = Target(outlet.id, path=item)
        if target.location in seen:
            continue
        seen.add(target.location)
        targets.append(target)
        outlets.setdefault(outlet.id, outlet)
    if not targets:
        raise UsageError("no article to compare: give --url URL or --file PATH")
    return tuple(targets), tuple(outlets.values())


# <link rel="canonical" href="..."> and <meta property="og:url" content="...">, attributes in either order
_PAGE_URL = re.compile(
    r"""<(?:link[^>]*?rel=["']?canonical["']?[^>]*?href=["']?|meta[^>]*?property=["']?og:url["']?[^>]*?content=["']?)"""
    r"""(https?://[^"'\s>]+)"""
    r"""|<(?:link[^>]*?href=["']?(https?://[^"'\s>]+)["']?[^>]*?rel=["']?canonical"""
    r"""|meta[^>]*?content=["']?(https?://[^"'\s>]+)["']?[^>]*?property=["']?og:url)""",
    re.IGNORECASE,
)


def _outlet_of_file(path: Path, registry: Registry) -> Outlet:
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("latin-1")
    except OSError:
        head = ""
    for found in _PAGE_URL.finditer(head):
        url = next(group for group in found.groups() if group)
        outlet = registry.for_host(host_of(url))
        if outlet:
            return outlet
    label = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-") or "file"
    return registry.for_label(label)


def _unavailable(phrases: Sequence[Phrase], failure: Failure) -> list[Match]:
    return [
        Match(p.id, failure.outlet_id, failure.url, Status.UNAVAILABLE, 0.0, method=failure.stage, note=failure.reason)
        for p in phrases
    ]


async def compare_async(
    phrases: Iterable[str | Phrase],
    targets: Iterable[str | Target],
    *,
    registry: Registry | None = None,
    fetch_settings: FetchSettings | None = None,
    match_settings: MatchSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_progress: ProgressCallback | None = None,
) -> Report:
    """Fetch, extract and match every target concurrently; one failing target never stops the others."""
    started = datetime.now(UTC)
    wall = time.perf_counter()
    registry = registry if registry is not None else load_sources()
    phrase_list = make_phrases(phrases)
    target_list, outlets = resolve_targets(targets, registry)
    timings = {"fetch": 0.0, "extract": 0.0, "match": 0.0}
    by_id = {outlet.id: outlet for outlet in outlets}

    def emit(stage: str, location: str, ok: bool, detail: str = "") -> None:
        if on_progress:
            on_progress(Progress(stage, location, ok, detail))

    async def one(fetcher: Fetcher, target: Target) -> Article | Failure:
        step = time.perf_counter()
        fetched = await fetcher.fetch(target)
        timings["fetch"] += time.perf_counter() - step
        emit("fetch", target.location, not isinstance(fetched, Failure))
        if isinstance(fetched, Failure):
            return fetched
        step = time.perf_counter()
        article = await asyncio.to_thread(extract, fetched, by_id.get(target.outlet_id))
        timings["extract"] += time.perf_counter() - step
        emit("extract", target.location, not isinstance(article, Failure))
        return article

    intervals = {
        domain.split("/")[0]: outlet.min_interval_s
        for outlet in (*registry, *outlets)
        for domain in outlet.domains
        if outlet.min_interval_s
    }
    async with Fetcher(fetch_settings, transport=transport, intervals=intervals) as fetcher:
        results = await asyncio.gather(*(one(fetcher, t) for t in target_list))

    articles: list[Article] = []
    failures: list[Failure] = []
    matches: list[Match] = []
    for result in results:
        if isinstance(result, Failure):
            failures.append(result)
            matches.extend(_unavailable(phrase_list, result))
            continue
        step = time.perf_counter()
        matches.extend(match_article(phrase_list, result, match_settings))
        timings["match"] += time.perf_counter() - step
        emit("match", result.url, True)
        articles.append(result)
    timings["wall"] = time.perf_counter() - wall
    return Report(
        phrases=phrase_list,
        outlets=outlets,
        targets=target_list,
        articles=tuple(articles),
        matches=tuple(matches),
        failures=tuple(failures),
        started=started,
        finished=datetime.now(UTC),
        timings={k: round(v, 3) for k, v in timings.items()},
    )


def compare(
    phrases: Iterable[str | Phrase],
    targets: Iterable[str | Target],
    *,
    registry: Registry | None = None,
    fetch_settings: FetchSettings | None = None,
    match_settings: MatchSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_progress: ProgressCallback | None = None,
) -> Report:
    """Synchronous `compare_async`: `compare(["never been better"], ["https://..."])` in a notebook or script."""
    return asyncio.run(
        compare_async(
            phrases,
            targets,
            registry=registry,
            fetch_settings=fetch_settings,
            match_settings=match_settings,
            transport=transport,
            on_progress=on_progress,
        )
    )
