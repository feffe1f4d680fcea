"""Where newscov connects and how politely (issue 14, cases 6 and 7), against hostile servers on loopback only.

Discovered addresses and redirect hops never reach loopback or private addresses unless allowed (judged by the
resolved address, not the spelling); discovered links stay on the outlet's domains; redirects to javascript:
and data: are a page's failure; robots.txt is obeyed for every hop, a robots.txt that times out means disallow,
a cached page robots.txt now forbids is not served; one host however spelt has one semaphore; hosts outside the
registry get 2 s between requests.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from coverage.demo.server import Handler, LoopbackServer, Route
from coverage.discover import DiscoverySettings, discover
from coverage.event import Event
from coverage.fetch import USER_AGENT, Fetcher, FetchSettings, host_intervals, host_key
from coverage.models import Failure, Fetched, Outlet, Target
from coverage.pipeline import compare_async
from coverage.sources import load_sources
from coverage.store import Cache

from .conftest import one_outlet

PAGE = b"<html><body><p>ok</p></body></html>"
REFUSED = "robots.txt of the site disallows this path"
EVENT = Event(queries=("hotline",), start=datetime(2026, 10, 13, tzinfo=UTC), end=datetime(2026, 10, 16, tzinfo=UTC))
STORY = (
    "<html><head><title>Hotline agreed</title></head><body><article><h1>Hotline agreed</h1>"
    + "<p>The two coast guards agreed a hotline on Wednesday, the minister said after the talks.</p>" * 8
    + "</article></body></html>"
).encode()


def moved(location: str) -> Route:
    return Route(302, b"", {"Location": location})


def robots(text: str) -> Route:
    return Route(200, text.encode(), {"Content-Type": "text/plain"})


def fetch(*targets: Target, cache: Cache | None = None, mode: str = "normal", **settings: Any) -> list[Any]:
    """Fetch the targets one after the other with one Fetcher; returns the results and the fetcher last."""

    async def go() -> list[Any]:
        async with Fetcher(FetchSettings(**settings), cache=cache, mode=mode) as fetcher:
            return [*[await fetcher.fetch(t) for t in targets], fetcher]

    return asyncio.run(go())


def private(host: str, address: str) -> str:
    return f"refused: {host} resolves to a private address ({address}); use --allow-private to allow it"


# --- case 6: where it connects


def test_a_discovered_address_on_loopback_is_refused_unless_allowed() -> None:
    with LoopbackServer(host="127.0.0.2", routes={"/a": Route(200, PAGE)}) as server:
        target = Target("x", url=server.url("/a"), discovered=True)
        refused, _ = fetch(target)
        assert server.requests == []  # not even its robots.txt is asked for
        fetched, _ = fetch(target, allow_private=True)
    assert isinstance(refused, Failure) and refused.reason == private("127.0.0.2", "127.0.0.2")
    assert isinstance(fetched, Fetched) and "ok" in fetched.html
    assert server.requests == ["/robots.txt", "/a"]


def test_a_given_url_may_redirect_within_its_host_but_not_to_another_loopback_host() -> None:
    with LoopbackServer(host="127.0.0.62") as other, LoopbackServer(host="127.0.0.61") as server:
        server.routes.update({"/away": moved(other.url("/x")), "/home": moved("/page"), "/page": Route(200, PAGE)})
        other.routes["/x"] = Route(200, PAGE)
        away, home, _ = fetch(Target("x", url=server.url("/away")), Target("x", url=server.url("/home")))
        assert other.requests == []
        allowed, _ = fetch(Target("x", url=server.url("/away")), allow_private=True)
    assert isinstance(away, Failure) and away.reason == private("127.0.0.62", "127.0.0.62")
    assert isinstance(home, Fetched) and home.final_url == server.url("/page")
    assert isinstance(allowed, Fetched) and allowed.final_url == other.url("/x")


def test_loopback_spelt_as_a_number_a_short_form_or_mapped_ipv6_is_refused() -> None:
    with LoopbackServer(routes={"/a": Route(200, PAGE)}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        spellings = [f"http://2130706433:{port}/a", f"http://127.1:{port}/a", f"http://0x7f.1:{port}/a",
                     f"http://[::ffff:127.0.0.1]:{port}/a", f"http://localhost:{port}/a"]  # fmt: skip
        *results, _ = fetch(*(Target("x", url=url, discovered=True) for url in spellings))
        assert server.requests == []
    reasons = [r.reason for r in results]
    assert reasons[:3] == [private(host, "127.0.0.1") for host in ("2130706433", "127.1", "0x7f.1")]
    assert reasons[3] == private("[::ffff:127.0.0.1]", "127.0.0.1")  # judged by the address it resolves to
    assert reasons[4].startswith("refused: localhost resolves to a private address (")


def test_discovery_asks_nothing_of_a_loopback_outlet_without_the_opt_in(tmp_path: Path) -> None:
    with LoopbackServer(host="127.0.0.63") as server:
        b = server.base_url
        feed = f"<rss><channel><item><title>hotline</title><link>{b}/a/1</link></item></channel></rss>".encode()
        server.routes.update(
            {"/feed": Route(200, feed, {"Content-Type": "application/rss+xml"}), "/a/1": Route(200, STORY)}
        )
        outlets = one_outlet(tmp_path, server, f"    feeds: [{{url: '{b}/feed'}}]\n")
        registry = load_sources(tmp_path / "sources.yaml", bundled=False)
        settings = DiscoverySettings(backends=frozenset({"feeds"}))

        def run(fetch_settings: FetchSettings) -> Any:
            return asyncio.run(compare_async(["hotline"], [], registry=registry, event=EVENT, outlets=outlets,
                                             discovery_settings=settings, fetch_settings=fetch_settings))  # fmt: skip

        refused = run(FetchSettings(retries=0))
        assert server.requests == []
        allowed = run(FetchSettings(retries=0, allow_private=True))
    (outlet,) = refused.discovery
    assert outlet.outcome == "failed" and private("127.0.0.63", "127.0.0.63") in (outlet.runs[0].error or "")
    assert [t.url for t in allowed.targets] == [f"{b}/a/1"] and all(t.discovered for t in allowed.targets)
    assert [a.url for a in allowed.articles] == [f"{b}/a/1"]


def test_a_feed_item_linking_off_the_outlet_s_domains_is_dropped(tmp_path: Path) -> None:
    with LoopbackServer(host="127.0.0.64") as server:
        b = server.base_url
        links = [f"{b}/a/1", b.replace("127.0.0.64", "127.0.0.65") + "/a/2", "http://evil.example/a/3"]
        items = "".join(f"<item><title>hotline {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
        server.routes["/feed"] = Route(
            200, f"<rss><channel>{items}</channel></rss>".encode(), {"Content-Type": "text/xml"}
        )
        outlets = one_outlet(tmp_path, server, f"    feeds: [{{url: '{b}/feed'}}]\n")

        async def go() -> list[Any]:
            async with Fetcher(FetchSettings(retries=0, allow_private=True)) as fetcher:
                return await discover(EVENT, outlets, fetcher, DiscoverySettings(backends=frozenset({"feeds"})))

        (found,) = asyncio.run(go())
    assert [c.url for c in found.candidates] == [f"{b}/a/1"]
    assert found.runs[0].searched.endswith("(2 links off the outlet's domains dropped)")


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("javascript:alert(1)", "redirected to a javascript: address"),
        ("data:text/html,<script>alert(1)</script>", "redirected to a data: address"),
        ("file:///etc/passwd", "redirected to a file: address"),
        ("http://[::1", "redirected to an address that is not valid"),
    ],
)
def test_a_redirect_to_javascript_data_or_nonsense_is_the_page_s_failure(location: str, reason: str) -> None:
    with LoopbackServer(routes={"/a": moved(location)}) as server:
        result, _ = fetch(Target("x", url=server.url("/a")), obey_robots=False)
    assert isinstance(result, Failure) and result.reason == reason
    assert server.requests == ["/a"]  # not retried


# --- case 7: politeness


def test_robots_txt_is_obeyed_for_every_redirect_hop() -> None:
    with LoopbackServer(host="127.0.0.67") as other, LoopbackServer(host="127.0.0.66") as server:
        server.routes.update({"/robots.txt": robots("User-agent: *\nDisallow: /private\n"), "/hop": moved("/private"),
                              "/away": moved(other.url("/secret")), "/private": Route(200, PAGE)})  # fmt: skip
        other.routes.update(
            {"/robots.txt": robots("User-agent: newscov\nDisallow: /secret\n"), "/secret": Route(200, PAGE)}
        )
        hop, away, _ = fetch(
            Target("x", url=server.url("/hop")), Target("x", url=server.url("/away")), allow_private=True
        )
    assert isinstance(hop, Failure) and hop.reason == f"redirected to 127.0.0.66/private: {REFUSED}"
    assert isinstance(away, Failure) and away.reason == f"redirected to 127.0.0.67/secret: {REFUSED}"
    assert server.requests == ["/robots.txt", "/hop", "/away"]
    assert other.requests == ["/robots.txt"]  # the disallowed target itself is never asked for


def test_a_robots_txt_that_redirects_to_javascript_closes_the_site() -> None:
    with LoopbackServer(routes={"/robots.txt": moved("javascript:alert(1)"), "/a": Route(200, PAGE)}) as server:
        result, _ = fetch(Target("x", url=server.url("/a")))
    assert isinstance(result, Failure)
    assert result.reason == "robots.txt redirected to a javascript: address; the site is treated as off limits"
    assert server.requests == ["/robots.txt"]


def test_a_robots_txt_that_times_out_means_disallow() -> None:
    routes: dict[str, Route | Handler] = {"/robots.txt": Route(200, b"", delay=1.0), "/a": Route(200, PAGE)}
    with LoopbackServer(routes=routes) as server:
        started = time.perf_counter()
        result, _ = fetch(Target("x", url=server.url("/a")), timeout_s=0.2)
        took = time.perf_counter() - started
        assert server.requests == ["/robots.txt"]
    assert isinstance(result, Failure)
    assert result.reason == (
        "robots.txt did not answer within 0.2 s; the site is treated as off limits "
        "(RFC 9309: an unreachable robots.txt means disallow)"
    )
    assert took < 0.8


def test_a_host_that_cannot_be_reached_says_why_and_still_counts_as_offline(
    closed_port_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve = socket.getaddrinfo

    def no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:  # nothing leaves the machine
        if host == "nowhere.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    refused, unresolved, fetcher = fetch(Target("x", url=closed_port_url), Target("x", url="http://nowhere.invalid/a"))
    assert isinstance(refused, Failure) and refused.reason == "connection refused; is the host up?"
    assert isinstance(unresolved, Failure) and unresolved.reason == "could not resolve the host name; check the URL"
    assert fetcher.unresolved == 1 and fetcher.answered == 0 and fetcher.offline


def test_a_changed_user_agent_is_said_in_the_report(tmp_path: Path) -> None:
    with LoopbackServer(routes={"/a": Route(200, STORY)}) as server:
        registry = load_sources(one_outlet_file(tmp_path), bundled=False)

        def run(**settings: Any) -> Any:
            return asyncio.run(compare_async(["hotline"], [server.url("/a")], registry=registry,
                                             fetch_settings=FetchSettings(**settings)))  # fmt: skip

        changed, default = run(user_agent="Mozilla/5.0 (X11)"), run(user_agent=USER_AGENT)
    assert (
        "requests were sent with the User-Agent header 'Mozilla/5.0 (X11)' (--user-agent), not newscov's; "
        "robots.txt rules for newscov were still obeyed"
    ) in changed.notes
    assert not any("User-Agent" in note for note in default.notes)


def one_outlet_file(tmp_path: Path) -> Path:
    file = tmp_path / "empty-sources.yaml"
    file.write_text("defaults: {min_interval_s: 0}\noutlets: []\n", encoding="utf-8")
    return file


def test_a_cached_page_robots_txt_now_disallows_is_not_served(tmp_path: Path) -> None:
    routes: dict[str, Route | Handler] = {
        "/robots.txt": robots("User-agent: *\nDisallow: /a\n"),
        "/a": Route(200, PAGE),
    }
    cache = Cache(tmp_path / "cache.sqlite")
    try:
        with LoopbackServer(routes=routes) as server:
            target = Target("x", url=server.url("/a"))
            ignored, _ = fetch(target, cache=cache, obey_robots=False)  # --ignore-robots: fetched and cached
            obeyed, _ = fetch(target, cache=cache)
            assert server.requests == ["/a", "/robots.txt"]  # the page is not asked again, robots.txt is
            offline, _ = fetch(target, cache=cache, mode="offline")  # the cached robots.txt decides
            assert server.requests == ["/a", "/robots.txt"]
    finally:
        cache.close()
    assert isinstance(ignored, Fetched)
    assert isinstance(obeyed, Failure) and obeyed.reason == REFUSED
    assert isinstance(offline, Failure) and offline.reason == REFUSED


def test_one_host_spelt_several_ways_shares_one_semaphore_and_one_clock() -> None:
    assert host_key("HTTP://127.0.0.1.:8080/a") == host_key("http://127.0.0.1:8080/b") == "127.0.0.1:8080"
    assert host_key("https://News.Example.:443/") == host_key("https://news.example/x") == "news.example"
    assert host_key("http://[::1]:80/") == "[::1]" and host_key("http://news.example:8080/") == "news.example:8080"
    lock = threading.Lock()
    flight = {"now": 0, "most": 0}

    def slow(path: str) -> Route:
        with lock:
            flight["now"] += 1
            flight["most"] = max(flight["most"], flight["now"])
        time.sleep(0.12)
        with lock:
            flight["now"] -= 1
        return Route(200, PAGE)

    with LoopbackServer(routes={"/slow": slow}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        urls = [f"http://localhost:{port}/slow", f"HTTP://LOCALHOST:{port}/slow?2", f"http://LocalHost:{port}/slow?3"]

        async def go() -> Fetcher:
            async with Fetcher(FetchSettings(per_host=1, obey_robots=False)) as fetcher:
                results = await asyncio.gather(*(fetcher.fetch(Target("x", url=u)) for u in urls))
                assert all(isinstance(r, Fetched) for r in results)
                return fetcher

        fetcher = asyncio.run(go())
    assert flight["most"] == 1
    assert list(fetcher._hosts) == [f"localhost:{port}"] and fetcher.requests == {f"localhost:{port}": 3}


def test_a_host_outside_the_registry_gets_two_seconds_but_loopback_none() -> None:
    fetcher = Fetcher(FetchSettings(), intervals={"udn.com": 3.0, "quiet.org": 0.0})
    assert fetcher._interval(host_key("https://news.unknown-outlet.com/a")) == 2.0
    assert fetcher._interval(host_key("https://www.udn.com/news/1")) == 3.0  # the registry's, for a subdomain too
    assert fetcher._interval(host_key("https://quiet.org/")) == 0.0  # the registry says none
    for url in ("http://127.0.0.1:8080/", "http://127.0.0.99/", "http://localhost:1/", "http://[::1]:8/"):
        assert fetcher._interval(host_key(url)) == 0.0, url
    assert Fetcher(FetchSettings(default_interval_s=5.0))._interval("example.org") == 5.0
    explicit = Outlet(id="q", name="Q", domains=("quiet.org",), min_interval_s=0.0)
    unknown = Outlet(id="u", name="U", domains=("u.org",), known=False)
    assert host_intervals([explicit, unknown]) == {"quiet.org": 0.0}
