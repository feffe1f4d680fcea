"""Records and helpers shared by the discovery backends."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from ..event import Event
from ..fetch import FEED_TYPES, Fetcher
from ..models import BackendRun, Candidate, Failure, Feed, Fetched, Outlet, SearchTemplate, Target
from ..textnorm import fold_text, to_simplified
from ..urls import canonical_url

GNEWS_URL = "https://news.google.com/rss/search"
GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
GDELT_INTERVAL_S = 5.0  # GDELT asks for at most one request per 5 s
GNEWS_INTERVAL_S = 1.0
DISCOVERY_MAX_AGE_S = 600.0
E = TypeVar("E", Feed, SearchTemplate)


@dataclass(frozen=True, slots=True)
class DiscoverySettings:
    """Which backends run and how much they keep."""

    backends: frozenset[str] = frozenset({"feeds", "sitemaps", "search", "gnews", "gdelt"})
    per_outlet: int = 3  # articles kept per outlet
    exhaustive: bool = False  # run every strategy of an outlet, not only until one finds the event
    min_relevance: float = 0.5  # share of a query's terms a headline must contain
    max_sitemaps: int = 4  # child sitemaps read from a sitemap index (the newest first)
    gnews_url: str = GNEWS_URL
    gdelt_url: str = GDELT_URL
    gdelt_interval_s: float = GDELT_INTERVAL_S
    gnews_interval_s: float = GNEWS_INTERVAL_S


@dataclass
class Context:
    """What a backend needs: the fetcher, the event, the settings."""

    fetcher: Fetcher
    event: Event
    settings: DiscoverySettings

    async def get(self, outlet: Outlet, url: str) -> Fetched | Failure:
        """A feed, sitemap or search answer. Its address came from the registry or from an answer (a sitemap
        index, a configured index's URL): it is `discovered`, so a private address is refused unless allowed."""
        # feeds and search answers change: a cached copy serves for a few minutes only
        target = Target(outlet.id, url=url, discovered=True)
        return await self.fetcher.fetch(target, accept=FEED_TYPES, max_age_s=DISCOVERY_MAX_AGE_S)


class Backend:
    """One way of finding an outlet's articles; a new backend is a module with a subclass plus one line in
    `run.BACKENDS`.

    `own` backends search the outlet's own site (feeds, sitemaps, search) and are tried in the order of the
    outlet's `discovery` strategies, stopping at the first that finds the event; the others (Google News,
    GDELT) search an outside index and always run. A backend never raises: it returns a `BackendRun` with what
    it searched, what it found, or why it failed.
    """

    name: ClassVar[str]
    own: ClassVar[bool] = False

    def usable(self, outlet: Outlet) -> bool:
        """Whether the registry gives this backend anything to search for the outlet."""
        return True

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        raise NotImplementedError

    async def run_many(self, outlets: Sequence[Outlet], ctx: Context) -> list[BackendRun]:
        """One run per outlet; a backend that can serve many outlets in one request overrides this."""
        import asyncio

        return list(await asyncio.gather(*(self.run(outlet, ctx) for outlet in outlets)))


def on_domains(outlet: Outlet, url: str) -> bool:
    """Whether the address's host is one of the outlet's domains or a subdomain of one (udn.com covers
    money.udn.com; a path prefix in the registry entry is not looked at). An outlet with no domains has nothing
    to go by: any host is taken."""
    hosts = {d.split("/")[0].lower().rstrip(".") for d in outlet.domains}
    if not hosts:
        return True
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in hosts)


def drop_off_domain(run: BackendRun, outlet: Outlet) -> BackendRun:
    """The run without the addresses off the outlet's domains (a feed item linking elsewhere): discovery never
    reads another site's page as the outlet's. Headlines without an address (Google News) are kept."""
    kept = tuple(c for c in run.candidates if c.url is None or on_domains(outlet, c.url))
    dropped = len(run.candidates) - len(kept)
    if not dropped:
        return run
    links = "link" if dropped == 1 else "links"
    return replace(
        run, searched=f"{run.searched} ({dropped} {links} off the outlet's domains dropped)", candidates=kept
    )


def live_entries(entries: Sequence[E]) -> tuple[list[E], str]:
    """The entries worth requesting (stale ones last) and a note on those marked dead, which are never asked."""
    dead = [e for e in entries if e.status == "dead"]
    live = sorted((e for e in entries if e.status != "dead"), key=lambda e: e.status == "stale")
    if not dead:
        return live, ""
    days = sorted({e.checked for e in dead if e.checked})
    since = f" (checked {days[-1]})" if days else ""
    return live, f"; {len(dead)} marked dead in the registry{since}, not requested"


def fill_template(template: str, query: str, start: date, end: date, page: int = 1) -> str:
    """A search URL from a registry template: {query} URL-encoded, {from}/{to} and friends from the window."""
    values = {
        "query": quote(query),
        "page": str(page),
        "page0": str(page - 1),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "yyyymmdd": end.strftime("%Y%m%d"),
        "yyyy-mm-dd": end.isoformat(),
        "from_yyyymmdd": start.strftime("%Y%m%d"),
        "to_yyyymmdd": end.strftime("%Y%m%d"),
    }
    return re.sub(r"\{([^{}]+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def local_name(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_xml(text: str) -> Any:
    """Parse untrusted XML safely (no entity expansion); raises ValueError with a short reason."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return ElementTree.fromstring(body.encode("utf-8"))
    except DefusedXmlException as exc:
        raise ValueError(f"refused unsafe XML ({type(exc).__name__})") from None
    except ElementTree.ParseError as exc:
        raise ValueError(f"not valid XML ({exc})") from None


def parse_datetime(value: str | None) -> datetime | None:
    """RFC 822 (feeds), ISO 8601 (Atom, sitemaps), GDELT's 20251101T123000Z; UTC when no offset is given."""
    if not value or not value.strip():
        return None
    text = value.strip()
    compact = re.fullmatch(r"(\d{8})T?(\d{6})Z?", text)
    if compact:
        return datetime.strptime(compact.group(1) + compact.group(2), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def in_window(published: datetime | None, event: Event, slack: timedelta = timedelta(hours=12)) -> bool:
    """Unknown dates pass; known ones must fall in the window (with slack for time-zone slips)."""
    return published is None or event.start - slack <= published <= event.end + slack


def relevance(event: Event, *texts: str) -> float:
    """The best share of one query's terms (any alias spelling counts) found in the texts, 0..1."""
    haystack = fold_text(" ".join(t for t in texts if t))
    best = 0.0
    for query in event.queries:
        groups = event.term_groups(query)
        if groups:
            hits = sum(any(variant in haystack for variant in group) for group in groups)
            best = max(best, hits / len(groups))
    if not event.queries and event.aliases:
        best = float(any(fold_text(a) in haystack for alias in event.aliases for a in alias))
    return best


def story_key(outlet: Outlet, url: str) -> str:
    """The outlet's stable article id when its pattern matches the canonical URL, else the canonical URL without
    www./m. (so tracking parameters, fragments and AMP variants never make two stories of one)."""
    canonical = canonical_url(url)
    if outlet.canonical_id:
        found = re.search(outlet.canonical_id, canonical)
        if found and found.groups():
            return f"{outlet.id}:{found.group(1)}"
    parts = urlsplit(canonical)
    host = parts.netloc.removeprefix("www.").removeprefix("m.")
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def is_article(outlet: Outlet, url: str) -> bool:
    """Whether a URL is one of the outlet's articles: its `article_url` pattern, applied to the canonical URL."""
    return not outlet.article_pattern or re.search(outlet.article_pattern, canonical_url(url)) is not None


def queries_for(outlet: Outlet, event: Event) -> list[str]:
    """The event's queries an outlet's own search can answer: Han queries for Chinese outlets (in their script),
    Latin ones for English outlets."""
    wanted: list[str] = []
    for query in event.queries:
        han = any("\u4e00" <= ch <= "\u9fff" for ch in query)
        if outlet.language == "zh" and han:
            wanted.append(to_simplified(query) if outlet.script == "zh-Hans" else query)
        elif outlet.language != "zh" and not han:
            wanted.append(query)
    return list(dict.fromkeys(wanted)) or list(event.queries[:1])


def candidate(
    outlet: Outlet,
    event: Event,
    url: str | None,
    title: str | None,
    published: datetime | None,
    via: str,
    summary: str = "",
) -> Candidate:
    url = canonical_url(url) if url else None
    return Candidate(
        outlet_id=outlet.id,
        url=url,
        title=" ".join(title.split()) if title else None,
        published=published,
        found_via=(via,),
        relevance=relevance(event, title or "", summary),
        summary=" ".join(summary.split())[:300],
        key=story_key(outlet, url) if url else f"{outlet.id}:headline:{fold_text(title or '')}",
    )
