"""An outlet's discovery strategies on a loopback web: their order, dead entries, RSS 1.0, canonical URLs,
defunct outlets, an offline machine, and the reprint order by instant."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest

from coverage.demo.server import LoopbackServer, Route
from coverage.discover import NO_NETWORK, DiscoverySettings, discover
from coverage.errors import NetworkError
from coverage.event import Event
from coverage.extract.origin import mark_reprints
from coverage.fetch import Fetcher, FetchSettings
from coverage.models import Article, Outlet, OutletDiscovery, Timestamp
from coverage.pipeline import compare_async
from coverage.sources import load_sources
from coverage.urls import canonical_url

from .conftest import CliResult

Cli = Callable[..., CliResult]

EVENT = Event(
    queries=("Voss hotline",),
    start=datetime(2026, 10, 13, tzinfo=UTC),
    end=datetime(2026, 10, 16, 23, 59, tzinfo=UTC),
)
TITLE = "Voss agrees a coast-guard hotline"
WHEN = "Wed, 14 Oct 2026 12:00:00 GMT"
RSS = "application/rss+xml"


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{escape(link)}</link><pubDate>{WHEN}</pubDate></item>" for t, link in items
    )
    return f"<rss version='2.0'><channel><title>x</title>{body}</channel></rss>".encode()


def rdf(*items: tuple[str, str]) -> bytes:
    """RSS 1.0: rdf:RDF root, items beside the channel, dc:date."""
    body = "".join(
        f"<item rdf:about='{link}'><title>{t}</title><link>{link}</link><dc:date>2026-10-14T20:00+08:00</dc:date></item>"
        for t, link in items
    )
    return (
        "<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        "xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        f"<channel rdf:about='x'><title>x</title></channel>{body}</rdf:RDF>"
    ).encode()


def sitemap(*locs: str) -> bytes:
    urls = "".join(
        f"<url><loc>{loc}</loc><news:news><news:title>{TITLE}</news:title>"
        "<news:publication_date>2026-10-14T20:00:00+08:00</news:publication_date></news:news></url>"
        for loc in locs
    )
    return (
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
        f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}</urlset>"
    ).encode()


@pytest.fixture
def web() -> Iterator[LoopbackServer]:
    with LoopbackServer(host="127.0.0.31") as server:
        yield server


def registry(tmp_path: Path, body: str) -> list[Outlet]:
    file = tmp_path / "sources.yaml"
    file.write_text("defaults: {min_interval_s: 0}\noutlets:\n" + body, encoding="utf-8")
    return list(load_sources(file, bundled=False))


def run(outlets: list[Outlet], settings: DiscoverySettings | None = None) -> list[OutletDiscovery]:
    async def go() -> list[OutletDiscovery]:
        async with Fetcher(FetchSettings(timeout_s=2, retries=0, allow_private=True)) as fetcher:
            return await discover(EVENT, outlets, fetcher, settings or DiscoverySettings(backends=OWN))

    return asyncio.run(go())


OWN = frozenset({"feeds", "sitemaps", "search"})


def test_dead_feeds_are_never_asked_and_a_failing_strategy_falls_through_to_the_sitemap(
    tmp_path: Path, web: LoopbackServer
) -> None:
    b = web.base_url
    web.routes["/sitemap.xml"] = Route(200, sitemap(f"{b}/story/7?utm_source=gnews"), {"Content-Type": "text/xml"})
    web.routes["/search"] = Route(200, b"<html><a href='/story/8'>Voss hotline</a></html>")
    outlets = registry(
        tmp_path,
        f"""  - id: lam
    name: Lambda Daily
    language: en
    domains: ['{web.host}']
    feeds:
      - {{url: '{b}/rss/blank', status: dead, checked: 2026-09-03, evidence: 'blank items dated 1970'}}
      - {{url: '{b}/rss/gone', status: ok, checked: 2026-02-24}}
    sitemaps: [{{url: '{b}/sitemap.xml', status: ok}}]
    search: [{{template: '{b}/search?q={{query}}'}}]
    discovery: [feeds, sitemaps, search]
""",
    )
    (found,) = run(outlets)
    assert "/rss/blank" not in web.requests  # marked dead: kept for the record, never requested
    runs = {r.backend: r for r in found.runs}
    assert runs["feeds"].error and "HTTP 404" in runs["feeds"].error
    assert "1 marked dead in the registry (checked 2026-09-03), not requested" in runs["feeds"].searched
    assert found.outcome == "found" and [c.url for c in found.candidates] == [f"{b}/story/7"]  # no tracking query
    assert runs["search"].searched == "skipped: sitemaps already found the event" and "/search" not in web.requests

    (everything,) = run(outlets, DiscoverySettings(backends=OWN, exhaustive=True))
    assert "/search" in web.requests and not any(r.searched.startswith("skipped") for r in everything.runs)


def test_strategies_run_in_the_outlet_s_order(tmp_path: Path, web: LoopbackServer) -> None:
    b = web.base_url
    web.routes["/feed"] = Route(200, rss((TITLE, f"{b}/story/1")), {"Content-Type": RSS})
    web.routes["/sitemap.xml"] = Route(200, sitemap(f"{b}/story/1"), {"Content-Type": "text/xml"})
    outlets = registry(
        tmp_path,
        f"""  - id: mu
    name: Mu News
    language: en
    domains: ['{web.host}']
    feeds: [{{url: '{b}/feed'}}]
    sitemaps: [{{url: '{b}/sitemap.xml'}}]
    discovery: [sitemaps, feeds]
""",
    )
    (found,) = run(outlets)
    assert web.requests == ["/robots.txt", "/sitemap.xml"]
    assert [r.backend for r in found.runs] == ["sitemaps", "feeds"] and found.candidates[0].found_via == ("sitemap",)


def test_an_rss_1_0_feed_with_dc_dates(tmp_path: Path, web: LoopbackServer) -> None:
    b = web.base_url
    web.routes["/index.rss"] = Route(200, rdf((TITLE, f"{b}/News/world/archives/2026/10/14/2003845")), {})
    outlets = registry(
        tmp_path,
        f"""  - id: nu
    name: Nu Times
    language: en
    domains: ['{web.host}']
    feeds: [{{url: '{b}/index.rss'}}]
""",
    )
    (found,) = run(outlets)
    (item,) = found.candidates
    assert item.published == datetime(2026, 10, 14, 12, 0, tzinfo=UTC) and item.title == TITLE


def test_tracking_and_amp_variants_are_one_story_matched_by_the_pattern(tmp_path: Path, web: LoopbackServer) -> None:
    b = web.base_url
    web.routes["/feed"] = Route(
        200, rss((TITLE, f"{b}/news/story/6656/8123456?from=udn-ch1_breaknews-1-0-news&utm_medium=rss#top")), {}
    )
    web.routes["/sitemap.xml"] = Route(200, sitemap(f"{b}/news/amp/story/6656/8123456"), {})
    web.routes["/search"] = Route(200, f"<a href='{b}/news/story/6656/8123456?utm_source=search'>{TITLE}</a>".encode())
    outlets = registry(
        tmp_path,
        f"""  - id: xi
    name: Xi Daily
    language: en
    domains: ['{web.host}']
    feeds: [{{url: '{b}/feed'}}]
    sitemaps: [{{url: '{b}/sitemap.xml'}}]
    search: [{{template: '{b}/search?q={{query}}'}}]
    article_url: {{pattern: '^http://[^/]+/news/story/\\d+/\\d+$', canonical_id: '/story/\\d+/(\\d+)$'}}
""",
    )
    (found,) = run(outlets, DiscoverySettings(backends=OWN, exhaustive=True))
    (story,) = found.candidates  # three addresses, one story
    assert story.url == f"{b}/news/story/6656/8123456"
    assert set(story.found_via) == {"feed", "sitemap", "search"} and story.key == "xi:8123456"


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://Money.UDN.com.:443/money/amp/story/5612/8123?utm_source=x&from=rss#top") == (
        "https://money.udn.com/money/story/5612/8123"
    )
    assert canonical_url("https://www.setn.com/News.aspx?utm_campaign=a&NewsID=123") == (
        "https://www.setn.com/News.aspx?NewsID=123"  # a parameter naming the article stays
    )
    assert canonical_url("https://x.example/a?b=2&a=1&at_medium=RSS") == "https://x.example/a?a=1&b=2"
    assert canonical_url("/saved/page.html") == "/saved/page.html"


def test_a_defunct_outlet_is_not_searched_after_it_closed(tmp_path: Path, web: LoopbackServer) -> None:
    b = web.base_url
    outlets = registry(
        tmp_path,
        f"""  - id: omicron
    name: Omicron Daily
    language: en
    domains: ['{web.host}']
    feeds: [{{url: '{b}/feed'}}]
    defunct: '2021-08-31: closed; the site is an archive'
""",
    )
    (found,) = run(outlets)
    assert web.requests == [] and found.outcome == "none"
    assert "defunct (2021-08-31: closed; the site is an archive)" in found.runs[0].searched


def test_offline_is_one_line(tmp_path: Path) -> None:
    outlets = registry(
        tmp_path,
        """  - id: pi
    name: Pi Post
    language: en
    domains: [pi-post.invalid]
    feeds: [{url: 'https://pi-post.invalid/feed'}, {url: 'https://feeds.pi-post.invalid/all'}]
    sitemaps: [{url: 'https://pi-post.invalid/sitemap.xml'}]
""",
    )
    settings = DiscoverySettings(backends=OWN)
    fetch = FetchSettings(timeout_s=2, retries=0)
    with pytest.raises(NetworkError) as refused:
        asyncio.run(compare_async(["hotline"], [], event=EVENT, outlets=outlets, discovery_settings=settings,
                                  fetch_settings=fetch))  # fmt: skip
    assert str(refused.value) == NO_NETWORK and "\n" not in NO_NETWORK


def test_an_earlier_instant_is_the_source_whatever_the_offsets() -> None:
    text = "Voss and Kestrel agreed a direct line between the two coast guards, the minister said on Wednesday. " * 3
    now = datetime.now(UTC)

    def article(outlet: str, published: str) -> Article:
        stamp = Timestamp.fromisoformat(published)
        return Article(outlet, f"https://{outlet}.example/1", None, TITLE, stamp, None, "en", "en", text, now, "0" * 64)

    # 10:00+08:00 is 02:00Z, three hours before 05:00Z; as text, "…T05:00+00:00" sorts first
    first, second = article("rho", "2026-10-14T10:00+08:00"), article("sigma", "2026-10-14T05:00+00:00")
    marked = {a.outlet_id: a.reprint_of for a in mark_reprints([second, first], {})}
    assert marked == {"rho": None, "sigma": "rho"}


PI = """  - id: pi
    name: Pi Post
    language: en
    domains: [pi-post.invalid]
    feeds: [{url: 'https://pi-post.invalid/feed'}]
  - id: rho
    name: Rho Herald
    language: en
    domains: [rho-herald.invalid]
    feeds: [{url: 'https://rho-herald.invalid/feed'}]
    defunct: '2020-01-31: closed'
"""


def test_the_command_says_offline_in_one_line(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "sources.yaml"
    file.write_text("defaults: {min_interval_s: 0}\noutlets:\n" + PI, encoding="utf-8")
    window = ["--from", "2026-10-13", "--to", "2026-10-16"]
    result = cli("compare", "-q", "hotline", "--query", "Voss hotline", "--sources", str(file), "--outlet", "pi",
                 "--no-gnews", "--no-gdelt", *window)  # fmt: skip
    assert result.exit_code == 69
    assert result.stderr.strip().splitlines() == [f"newscov: error: {NO_NETWORK}"]


def test_the_report_says_why_an_outlet_or_a_backend_was_not_searched(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "sources.yaml"
    file.write_text("defaults: {min_interval_s: 0}\noutlets:\n" + PI, encoding="utf-8")
    pinned = tmp_path / "story.html"
    pinned.write_text("<html><body><article><h1>Hotline</h1><p>" + "Voss agreed a hotline today. " * 20
                      + "</p></article></body></html>", encoding="utf-8")  # fmt: skip
    result = cli("compare", "-q", "hotline", "--query", "沃斯 熱線", "--sources", str(file), "--outlet", "rho",
                 "--outlet", "pi", "--no-gnews", "--file", str(pinned), "--from", "2026-10-13", "--to", "2026-10-16")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "not searched: the outlet is defunct (2020-01-31: closed)" in result.stdout
    assert "gdelt: skipped: GDELT needs an English --query" in result.stdout  # pi: said, not silently skipped
    assert result.stdout.count("gdelt:") == 1  # the defunct outlet is not asked anywhere
