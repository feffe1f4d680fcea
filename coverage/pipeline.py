"""Wires the stages: event -> discover -> fetch -> extract -> match -> Report. Emits progress; never prints."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import httpx

from .discover.base import DiscoverySettings
from .errors import NetworkError, UsageError
from .event import Event, statement_phrases
from .extract import extract
from .extract.origin import mark_reprints, page_address
from .fetch import Fetcher, FetchSettings, host_intervals
from .match import Cascade, Matcher, MatchSettings, default_matchers
from .models import Article, Failure, Fetched, Match, Method, Outlet, Phrase, Report, Status, Target
from .sources import Registry, host_of, label_id, load_sources
from .store import Cache, Page
from .textnorm import detect_script
from .urls import canonical_url


@dataclass(frozen=True, slots=True)
class Progress:
    """One step done for one target, for progress bars: stage is "fetch", "extract" or "match"; or, with stage
    "stage", a new phase of the run begins: `detail` says what it does ("searching 12 outlets", "reading 9
    articles", "matching 9 articles") and `total` how many steps it has (None when not known in advance)."""

    stage: str
    location: str
    ok: bool
    detail: str = ""
    total: int | None = None


ProgressCallback = Callable[[Progress], None]
P = ParamSpec("P")
R = TypeVar("R")


def make_phrases(texts: Iterable[str | Phrase]) -> tuple[Phrase, ...]:
    """Phrases from strings (ids p1, p2, ...) or Phrase records; rejects empty and duplicate phrases."""
    phrases: list[Phrase] = []
    for number, item in enumerate(texts, start=1):
        phrase = item if isinstance(item, Phrase) else Phrase(id=f"p{number}", text=item)
        if not phrase.text.strip():
            raise UsageError(f"phrase {number} is empty: give the words to look for, e.g. --quote '前所未有良好'")
        if any(r for r in phrase.renderings if not r.strip()):
            raise UsageError(f"phrase {number} has an empty rendering")
        for text in (phrase.text, *phrase.renderings):
            if not any(ch.isalnum() for ch in text):  # nothing to look for: it could only ever be "absent"
                raise UsageError(f"phrase {number}: {text[:40]!r} has no letters or digits to look for")
        if phrase.language is None:
            phrase = replace(phrase, language=detect_script(phrase.text)[0])
        phrases.append(phrase)
    if not phrases:
        raise UsageError("no phrase to look for: give at least one --quote TEXT")
    ids = [p.id for p in phrases]
    if len(set(ids)) != len(ids):
        raise UsageError(f"phrase ids must be unique, got {ids}")
    return tuple(phrases)


def resolve_targets(
    items: Iterable[str | Target], registry: Registry, required: bool = True
) -> tuple[tuple[Target, ...], tuple[Outlet, ...]]:
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
    if not targets and required:
        raise UsageError("no article to compare: give --url URL or --file PATH, or --query to search for them")
    return tuple(targets), tuple(outlets.values())


def _outlet_of_file(path: Path, registry: Registry) -> Outlet:
    address = page_address(path)
    outlet = registry.for_host(host_of(address)) if address else None
    return outlet or registry.for_label(label_id(path.stem, "file"))


def _extract_safely(fetched: Fetched, outlet: Outlet | None) -> Article | Failure:
    """Extraction of one page; whatever one hostile page makes it raise stays that page's failure."""
    try:
        return extract(fetched, outlet)
    except Exception as exc:  # a bug or a page nobody foresaw: the other articles' results are kept
        reason = f"could not read the page ({type(exc).__name__}: {str(exc)[:200]})"
        return Failure("extract", fetched.target.outlet_id, fetched.target.location, reason)


def _unavailable(phrases: Sequence[Phrase], failure: Failure) -> list[Match]:
    return [
        Match(p.id, failure.outlet_id, failure.url, Status.UNAVAILABLE, 0.0, method=Method.NONE, note=failure.reason)
        for p in phrases
    ]


async def compare_async(
    phrases: Iterable[str | Phrase],
    targets: Iterable[str | Target],
    *,
    registry: Registry | None = None,
    event: Event | None = None,
    outlets: Sequence[Outlet] | None = None,
    discovery_settings: DiscoverySettings | None = None,
    fetch_settings: FetchSettings | None = None,
    match_settings: MatchSettings | None = None,
    matchers: Sequence[Matcher] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_progress: ProgressCallback | None = None,
    cache: Cache | None = None,
    fetch_mode: str = "normal",
    archive: dict[str, Page] | None = None,
    original: str | None = None,
    speaker: str | None = None,
) -> Report:
    """Discover (when the event has queries), fetch, extract and match concurrently; one failing article or
    outlet never stops the others.

    `targets` and the event's pinned URLs are always read; `outlets` is the discovery scope (default: every
    registry outlet). Pages come from `cache` when there (`fetch_mode` "refresh" or "offline" change that), or
    only from `archive` (pages by URL, from `store.read_archive`). `matchers` is the matcher cascade (default:
    exact, renderings, fuzzy and the cross-language aligner). `original` is a statement in its own language
    (its text, a URL or a file, read like an article); each of its sentences is looked for in every article.
    """
    from .discover import NO_NETWORK, closed_before, confirm, discover

    started = datetime.now(UTC)
    wall = time.perf_counter()
    registry = registry if registry is not None else load_sources()
    match_settings = match_settings or MatchSettings()
    if event is not None and event.aliases and not match_settings.aliases:
        match_settings = replace(match_settings, aliases=event.aliases)  # 赫格塞斯 counts as 赫塞斯
    given = [*phrases] or list(event.phrases if event else ())
    original = original or (event.original if event else None)
    speaker = speaker or (event.speaker if event else None)
    # no phrase given: the quotes the articles carry become the phrases, once the articles are read
    phrase_list = make_phrases(given) if given else ()
    searching = event is not None and bool(event.queries)
    target_list, pinned_outlets = resolve_targets(
        [*targets, *(event.pinned if event else ())], registry, required=not searching
    )
    if not searching or event is None:
        scope: list[Outlet] = []
    else:  # every registry outlet, but not one that had closed before the window (unless asked for by name)
        scope = list(outlets) if outlets is not None else [o for o in registry if not closed_before(o, event)]
    all_outlets = {o.id: o for o in (*pinned_outlets, *scope)}
    # wall-clock per stage: from the stage's first start to its last end (fetch and extract overlap: pages are
    # read concurrently); "total" is the whole run
    spans: dict[str, list[float]] = {}

    def timed(stage: str, start: float) -> None:
        span = spans.setdefault(stage, [start, start])
        span[0], span[1] = min(span[0], start), max(span[1], time.perf_counter())

    def emit(stage: str, location: str, ok: bool, detail: str = "", total: int | None = None) -> None:
        if on_progress:
            on_progress(Progress(stage, location, ok, detail, total))

    pages: dict[str, Page] = {}

    async def one(fetcher: Fetcher, target: Target) -> Article | Failure:
        step = time.perf_counter()
        try:
            fetched = await fetcher.fetch(target)
        except Exception as exc:  # the fetcher answers with a Failure; this keeps a bug there to one page
            fetched = Failure("fetch", target.outlet_id, target.location, f"{type(exc).__name__}: {str(exc)[:200]}")
        timed("fetch", step)
        emit("fetch", target.location, not isinstance(fetched, Failure))
        if isinstance(fetched, Failure):
            return fetched
        if fetched.page is not None:
            pages[target.location] = fetched.page
        step = time.perf_counter()
        article = await asyncio.to_thread(_extract_safely, fetched, all_outlets.get(target.outlet_id))
        timed("extract", step)
        emit("extract", target.location, not isinstance(article, Failure))
        return article

    intervals = host_intervals((*registry, *all_outlets.values()))
    discoveries = []
    fetcher = Fetcher(fetch_settings, transport, intervals, cache=cache, mode=fetch_mode, archive=archive)
    async with fetcher:
        statement = await _statement_text(original, fetcher, registry) if original else None
        if searching and event is not None:
            emit("stage", "", True, f"searching {len(scope)} outlet{'s' * (len(scope) != 1)}")
            step = time.perf_counter()
            discoveries = await discover(event, scope, fetcher, discovery_settings)
            timed("discover", step)
            emit("discover", "", True, f"{sum(len(d.candidates) for d in discoveries)} candidates")
        pinned = {t.location for t in target_list}
        asked = {canonical_url(t.location) for t in target_list}  # a discovered copy of a pinned URL is not read twice
        found = [  # discovered: the fetcher refuses private addresses for them (unless --allow-private)
            Target(c.outlet_id, url=c.url, discovered=True)
            for d in discoveries
            for c in d.candidates
            if c.url and c.url not in asked
        ]
        found = list({t.location: t for t in found}.values())
        reading = len(target_list) + len(found)
        emit("stage", "", True, f"reading {reading} article{'s' * (reading != 1)}", reading)
        results = await asyncio.gather(*(one(fetcher, t) for t in (*target_list, *found)))
        requests = dict(fetcher.requests)
        offline, crawl_delays = fetcher.offline, dict(fetcher.crawl_delays)

    if event is not None:
        articles, failures, concluded = confirm(discoveries, results, event, pinned)
    else:
        articles = [r for r in results if not isinstance(r, Failure)]
        failures, concluded = [r for r in results if isinstance(r, Failure)], []
    if not articles and offline:
        raise NetworkError(NO_NETWORK)
    articles = mark_reprints(articles, {**{o.id: o for o in registry}, **all_outlets})
    if statement is not None:
        phrase_list = make_phrases([*phrase_list, *statement_phrases(statement, speaker)])
    elif not given:
        from .quotes import quote_phrases

        found_quotes = quote_phrases(articles, match_settings.aliases)
        phrase_list = make_phrases(found_quotes) if found_quotes else ()
    matches: list[Match] = [m for f in failures for m in _unavailable(phrase_list, f)]
    cascade = Cascade(matchers if matchers is not None else default_matchers(), match_settings)
    emit("stage", "", True, f"matching {len(articles)} article{'s' * (len(articles) != 1)}", len(articles))
    step = time.perf_counter()
    await asyncio.to_thread(cascade.prepare, phrase_list, articles)
    for article in articles:
        matches.extend(await asyncio.to_thread(cascade.match_article, phrase_list, article))
        emit("match", article.url, True)
    timed("match", step)
    timings = {stage: round(end - start, 3) for stage, (start, end) in spans.items()}
    timings["total"] = round(time.perf_counter() - wall, 3)
    return Report(
        phrases=phrase_list,
        outlets=tuple(all_outlets.values()),
        targets=(*target_list, *found),
        articles=tuple(articles),
        matches=tuple(matches),
        failures=tuple(failures),
        started=started,
        finished=datetime.now(UTC),
        timings=timings,
        event=event,
        discovery=tuple(concluded),
        requests=requests,
        pages={a.url: pages[a.url] for a in articles if a.url in pages},
        notes=(
            *_notes(fetch_settings, fetch_mode, archive),
            *_slow_hosts(crawl_delays, requests),
            *dict.fromkeys(cascade.problems),
        ),
    )


async def _statement_text(original: str, fetcher: Fetcher, registry: Registry) -> str:
    """--original: text as given, or the text of the page at a URL or in a file (read like an article)."""
    if original.startswith(("http://", "https://")):
        target = Target(registry.for_url(original).id, url=original)
    elif len(original) < 1024 and "\n" not in original and Path(original).expanduser().is_file():
        target = Target("original", path=str(Path(original).expanduser()))
    else:
        return original
    fetched = await fetcher.fetch(target)
    article = fetched if isinstance(fetched, Failure) else await asyncio.to_thread(extract, fetched)
    if isinstance(article, Failure):
        raise UsageError(f"--original {original!r}: {article.reason}")
    return article.text


def corpus_phrases(
    given: Sequence[Phrase],
    original: str | None = None,
    speaker: str | None = None,
    registry: Registry | None = None,
    fetch_settings: FetchSettings | None = None,
) -> tuple[Phrase, ...]:
    """The phrases of a corpus run: those given, and each sentence of an --original statement (its text, or the
    text of the page at a URL or in a file, read like an article)."""
    if not original:
        return make_phrases(given)

    async def read() -> str:
        async with Fetcher(fetch_settings) as fetcher:
            return await _statement_text(original, fetcher, registry if registry is not None else load_sources())

    return make_phrases([*given, *statement_phrases(asyncio.run(read()), speaker)])


SLOW_CRAWL_DELAY_S = 5.0  # a robots.txt Crawl-delay from this long up is said in the report


def _slow_hosts(crawl_delays: dict[str, tuple[float, float]], requests: dict[str, int]) -> list[str]:
    """A note per host whose robots.txt Crawl-delay slowed the run."""
    notes = []
    for host, (asked, used) in sorted(crawl_delays.items()):
        if used >= SLOW_CRAWL_DELAY_S and requests.get(host, 0) > 1:
            capped = f"; newscov waits at most {used:g} s" if used < asked else ""
            notes.append(
                f"{host} asks for {asked:g} s between requests (robots.txt Crawl-delay){capped}: "
                f"its {requests[host]} requests took at least {used * (requests[host] - 1):g} s"
            )
    return notes


def _notes(settings: FetchSettings | None, mode: str, archive: dict[str, Page] | None) -> list[str]:
    """What a reader of the report must know about how the pages were obtained."""
    from .fetch import USER_AGENT

    notes = []
    if settings is not None and not settings.obey_robots:
        notes.append("robots.txt was ignored (--ignore-robots)")
    sent_requests = archive is None and mode != "offline"
    if settings is not None and settings.user_agent != USER_AGENT and sent_requests:
        sent = "".join(ch for ch in settings.user_agent if ch.isprintable())[:80]
        obeyed = "; robots.txt rules for newscov were still obeyed" if settings.obey_robots else ""
        notes.append(f"requests were sent with the User-Agent header {sent!r} (--user-agent), not newscov's{obeyed}")
    if archive is not None:
        notes.append("pages read from an evidence archive, not from the sites")
    elif mode == "offline":
        notes.append("offline run: pages read from the cache only")
    return notes


async def read_articles(
    items: Sequence[str | Target],
    *,
    registry: Registry | None = None,
    fetch_settings: FetchSettings | None = None,
    cache: Cache | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Article | Failure]:
    """Fetch and extract a few articles (for `newscov diff`), in the order given."""
    registry = registry if registry is not None else load_sources()
    targets, outlets = resolve_targets(items, registry)
    by_id = {o.id: o for o in outlets}
    async with Fetcher(fetch_settings, transport, cache=cache) as fetcher:
        fetched = await asyncio.gather(*(fetcher.fetch(t) for t in targets))
    return [f if isinstance(f, Failure) else extract(f, by_id.get(f.target.outlet_id)) for f in fetched]


def _synchronous(function: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, R]:
    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return asyncio.run(function(*args, **kwargs))

    return run


# `compare(["never been better"], ["https://..."])` in a notebook or a script: compare_async, run to the end
compare = _synchronous(compare_async)
