"""robots.txt after RFC 9309 (protego) and its Crawl-delay, over a real loopback server."""

from __future__ import annotations

import asyncio
import gzip
import time
from pathlib import Path
from urllib.parse import urlsplit

from coverage.demo.server import Handler, LoopbackServer, Route
from coverage.fetch import MAX_CRAWL_DELAY_S, ROBOTS_MAX_BYTES, Fetcher, FetchSettings
from coverage.models import Failure, Fetched, Target
from coverage.store import Cache

PAGE = b"<html><body><p>ok</p></body></html>"
REFUSED = "robots.txt of the site disallows this path"


def robots(text: str | bytes, **headers: str) -> Route:
    body = text.encode() if isinstance(text, str) else text
    return Route(200, body, {"Content-Type": "text/plain", **headers})


def pages(*paths: str) -> dict[str, Route | Handler]:
    return {path: Route(200, PAGE) for path in paths}


def fetch_all(
    server: LoopbackServer, paths: list[str], cache: Cache | None = None, **settings: object
) -> tuple[list[Fetched | Failure], Fetcher]:
    """Fetch the paths one after the other with one Fetcher (robots.txt obeyed)."""

    async def go() -> tuple[list[Fetched | Failure], Fetcher]:
        async with Fetcher(FetchSettings(**settings), cache=cache) as fetcher:  # type: ignore[arg-type]
            return [await fetcher.fetch(Target("x", url=server.url(path))) for path in paths], fetcher

    return asyncio.run(go())


def netloc(server: LoopbackServer) -> str:
    return urlsplit(server.base_url).netloc


def test_the_longest_match_wins() -> None:
    rules = robots("User-agent: *\nDisallow: /search\nAllow: /search/news\n")
    with LoopbackServer(routes={"/robots.txt": rules, **pages("/search/news/1", "/search/x")}) as server:
        (news, other), _ = fetch_all(server, ["/search/news/1", "/search/x"])
    assert isinstance(news, Fetched)
    assert isinstance(other, Failure) and other.reason == REFUSED
    assert server.requests == ["/robots.txt", "/search/news/1"]  # the refused page never reaches the server


def test_wildcards_and_end_anchors() -> None:
    rules = robots("User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?print=\n")
    paths = ["/a/b.pdf", "/a/b.pdf.html", "/a?print=1", "/a"]
    with LoopbackServer(routes={"/robots.txt": rules, **pages("/a/b.pdf", "/a/b.pdf.html", "/a")}) as server:
        results, _ = fetch_all(server, paths)
    refused = [path for path, result in zip(paths, results, strict=True) if isinstance(result, Failure)]
    assert refused == ["/a/b.pdf", "/a?print=1"]
    assert all(r.reason == REFUSED for r in results if isinstance(r, Failure))
    assert server.requests == ["/robots.txt", "/a/b.pdf.html", "/a"]


def test_the_newscov_group_applies_whatever_user_agent_header_is_sent() -> None:
    text = "User-agent: *\nDisallow: /\n\nUser-agent: Mozilla\nDisallow: /\n\nUser-agent: newscov\nDisallow: /private\n"
    routes: dict[str, Route | Handler] = {"/robots.txt": robots(text), **pages("/private/1", "/public/1")}
    with LoopbackServer(routes=routes) as server:
        (private, public), _ = fetch_all(server, ["/private/1", "/public/1"], user_agent="Mozilla/5.0 (X11)")
    assert isinstance(private, Failure) and private.reason == REFUSED
    assert isinstance(public, Fetched)  # neither the `*` group nor the `Mozilla` one is used
    assert server.requests == ["/robots.txt", "/public/1"]


def test_crawl_delay_spaces_the_page_requests() -> None:
    arrivals: dict[str, float] = {}

    def page(path: str) -> Route:
        arrivals[path] = time.monotonic()
        return Route(200, PAGE)

    routes: dict[str, Route | Handler] = {
        "/robots.txt": robots("User-agent: *\nCrawl-delay: 0.3\n"),
        "/p1": page,
        "/p2": page,
    }
    with LoopbackServer(routes=routes) as server:

        async def go() -> tuple[list[Fetched | Failure], Fetcher]:
            async with Fetcher(FetchSettings(per_host=2)) as fetcher:
                results = await asyncio.gather(*(fetcher.fetch(Target("x", url=server.url(p))) for p in ("/p1", "/p2")))
                return list(results), fetcher

        results, fetcher = asyncio.run(go())
    assert all(isinstance(r, Fetched) for r in results)
    host = netloc(server)
    assert fetcher.crawl_delays == {host: (0.3, 0.3)}
    assert fetcher._interval(host) >= 0.3
    assert abs(arrivals["/p2"] - arrivals["/p1"]) >= 0.29  # ~0.3 s, measured where the requests arrive


def test_a_huge_crawl_delay_is_capped() -> None:
    # only a refused path is asked for: robots.txt is read, no page request waits for the delay
    routes: dict[str, Route | Handler] = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 100000\nDisallow: /no\n")}
    with LoopbackServer(routes=routes) as server:
        (refused,), fetcher = fetch_all(server, ["/no"])
    assert isinstance(refused, Failure) and refused.reason == REFUSED
    host = netloc(server)
    assert fetcher.crawl_delays == {host: (100000.0, MAX_CRAWL_DELAY_S)}
    assert fetcher._interval(host) == MAX_CRAWL_DELAY_S


def test_request_rate_becomes_a_delay_and_the_newscov_group_has_its_own() -> None:
    text = "User-agent: *\nCrawl-delay: 50\nDisallow: /no\n\nUser-agent: newscov\nRequest-rate: 1/5\nDisallow: /no\n"
    with LoopbackServer(routes={"/robots.txt": robots(text)}) as server:
        (refused,), fetcher = fetch_all(server, ["/no"], user_agent="Mozilla/5.0")
    assert isinstance(refused, Failure)
    assert fetcher.crawl_delays == {netloc(server): (5.0, 5.0)}


def test_no_crawl_delay_leaves_the_interval_alone() -> None:
    routes: dict[str, Route | Handler] = {"/robots.txt": robots("User-agent: *\nDisallow: /no\n"), **pages("/a")}
    with LoopbackServer(routes=routes) as server:
        (page,), fetcher = fetch_all(server, ["/a"])
    assert isinstance(page, Fetched)
    assert fetcher.crawl_delays == {}
    assert fetcher._interval(netloc(server)) == 0.0


def test_a_cached_robots_txt_still_paces(tmp_path: Path) -> None:
    routes: dict[str, Route | Handler] = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 7\nDisallow: /no\n")}
    cache = Cache(tmp_path / "cache.sqlite")
    with LoopbackServer(routes=routes) as server:
        fetch_all(server, ["/no"], cache=cache)
        (refused,), fetcher = fetch_all(server, ["/no"], cache=cache)
    cache.close()
    assert isinstance(refused, Failure) and refused.reason == REFUSED
    assert server.requests == ["/robots.txt"]  # read once, then from the cache
    assert fetcher.crawl_delays == {netloc(server): (7.0, 7.0)}


def test_an_oversized_robots_txt_is_cut_at_the_cap() -> None:
    # 2 MiB of rules, then one the cap leaves out
    text = "User-agent: *\n" + "Disallow: /x\n" * (2 * 1024 * 1024 // 13) + "Disallow: /tail\n"
    routes: dict[str, Route | Handler] = {"/robots.txt": robots(text), **pages("/tail/1", "/x")}
    with LoopbackServer(routes=routes) as server:
        (tail, x), _ = fetch_all(server, ["/tail/1", "/x"])
    assert isinstance(tail, Fetched)  # the rule past 500 KiB is ignored
    assert isinstance(x, Failure) and x.reason == REFUSED
    assert server.requests == ["/robots.txt", "/tail/1"]


def test_a_line_cut_by_the_cap_is_dropped() -> None:
    # "Allow: /abcdef..." straddles the cap: read shortened ("Allow: /a") it would let /a1 through
    head = "User-agent: *\nDisallow: /\n"
    filler = "#" * (ROBOTS_MAX_BYTES - 9 - len(head) - 1) + "\n"
    text = head + filler + "Allow: /abcdefghijklmnopqrstuvwxyz\n"
    assert text.encode()[:ROBOTS_MAX_BYTES].endswith(b"\nAllow: /a")
    with LoopbackServer(routes={"/robots.txt": robots(text), **pages("/a1")}) as server:
        (a1,), _ = fetch_all(server, ["/a1"])
    assert isinstance(a1, Failure) and a1.reason == REFUSED


def test_a_gzip_bombed_robots_txt_is_cut_while_streaming() -> None:
    import tracemalloc

    inflated = "User-agent: *\n" + "Disallow: /x\n" * (40 * 1024 * 1024 // 13) + "Disallow: /tail\n"
    bomb = robots(gzip.compress(inflated.encode(), compresslevel=1), **{"Content-Encoding": "gzip"})
    with LoopbackServer(routes={"/robots.txt": bomb, **pages("/tail/1")}) as server:
        tracemalloc.start()
        try:
            (tail, x), _ = fetch_all(server, ["/tail/1", "/x"])
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert isinstance(tail, Fetched)
    assert isinstance(x, Failure) and x.reason == REFUSED
    assert peak < 25 * 1024 * 1024  # 40 MiB inflated: never held whole (parsing 500 KiB of rules takes ~10 MiB)


def test_waiting_for_the_host_s_turn_does_not_count_against_the_deadline() -> None:
    routes: dict[str, Route | Handler] = {
        "/robots.txt": robots("User-agent: *\nCrawl-delay: 0.2\n"),
        **pages("/a", "/b", "/c", "/d"),
    }
    with LoopbackServer(routes=routes) as server:

        async def go() -> list[Fetched | Failure]:
            # the fourth page waits about 0.8 s for its turn: longer than the 0.5 s deadline for an answer
            async with Fetcher(FetchSettings(deadline_s=0.5, per_host=2)) as fetcher:
                urls = [server.url(p) for p in ("/a", "/b", "/c", "/d")]
                return list(await asyncio.gather(*(fetcher.fetch(Target("x", url=u)) for u in urls)))

        results = asyncio.run(go())
    assert [type(r).__name__ for r in results] == ["Fetched"] * 4
