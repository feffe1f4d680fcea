from __future__ import annotations

import asyncio
import gzip
import itertools
from pathlib import Path

import httpx
import pytest

from coverage.demo.server import LoopbackServer, Route
from coverage.fetch import DecodeError, Fetcher, FetchSettings, decode_body, read_file
from coverage.models import Failure, Fetched, Target

BIG5_PAGE = "<html><body><p>石港市長表示，輕軌是城市復興的第一步。裡面還有臺灣與香港的新聞。</p></body></html>"


def fetch(handler: object, url: str = "https://news.example/a", **settings: object) -> Fetched | Failure:
    """One fetch through a MockTransport; robots.txt is not asked for unless obey_robots=True is passed."""
    settings.setdefault("obey_robots", False)

    async def go() -> Fetched | Failure:
        transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
        async with Fetcher(FetchSettings(**settings), transport=transport) as fetcher:  # type: ignore[arg-type]
            return await fetcher.fetch(Target("x", url=url))

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"), (403, "HTTP 403 Forbidden")],
)
def test_http_errors_become_failures(status: int, reason: str) -> None:
    result = fetch(lambda request: httpx.Response(status, html="<p>no</p>"))
    assert isinstance(result, Failure)
    assert result.stage == "fetch"
    assert result.reason == reason


@pytest.mark.parametrize("mime", ["application/pdf", "image/png", "application/octet-stream"])
def test_non_html_is_refused(mime: str) -> None:
    result = fetch(lambda request: httpx.Response(200, content=b"%PDF-1.7", headers={"Content-Type": mime}))
    assert isinstance(result, Failure)
    assert result.reason == f"not an HTML page ({mime})"


def test_redirects_are_followed_and_recorded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://news.example/new"})
        return httpx.Response(200, html="<p>新的網址</p>")

    result = fetch(handler, "https://news.example/old")
    assert isinstance(result, Fetched)
    assert result.final_url == "https://news.example/new"
    assert "新的網址" in result.html


def test_redirect_loops_end_in_a_failure() -> None:
    result = fetch(lambda request: httpx.Response(302, headers={"Location": "https://news.example/a"}), max_redirects=3)
    assert isinstance(result, Failure)
    assert result.reason == "more than 3 redirects"


def test_size_cap_applies_to_decoded_bytes() -> None:
    body = gzip.compress(b"<p>" + b"a" * 3_000_000 + b"</p>")
    result = fetch(
        lambda request: httpx.Response(
            200, content=body, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}
        ),
        max_bytes=1024 * 1024,
    )
    assert isinstance(result, Failure)
    assert result.reason == "page larger than 1 MiB"


def test_sends_an_honest_user_agent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, html="<p>ok</p>")

    fetch(handler)
    assert seen and seen[0].startswith("newscov/")


def test_big5_without_charset_is_decoded() -> None:
    body = BIG5_PAGE.encode("big5")
    result = fetch(lambda request: httpx.Response(200, content=body, headers={"Content-Type": "text/html"}))
    assert isinstance(result, Fetched)
    assert "輕軌是城市復興的第一步" in result.html


def test_wrong_declared_charset_is_overruled() -> None:
    body = BIG5_PAGE.replace("<html>", '<html><meta charset="utf-8">').encode("cp950")
    text, encoding = decode_body(body, "utf-8")
    assert "臺灣與香港" in text
    assert encoding in ("cp950", "big5hkscs")


def test_gbk_declared_as_gb2312_keeps_gbk_only_characters() -> None:
    page = '<html><meta charset="gb2312"><p>朱镕基与王喆出席会议，会议讨论了两岸关系。</p></html>'
    text, encoding = decode_body(page.encode("gbk"))
    assert "朱镕基与王喆" in text
    assert encoding == "gb18030"


def test_binary_data_is_not_text() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_body(b"\x89PNG\r\n\x1a\n\x00\x00")


def test_read_file_reports_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "junk.html"
    path.write_bytes(bytes(range(128, 256)) * 40)
    result = read_file(Target("junk", path=str(path)))
    assert isinstance(result, Failure)
    assert "not decodable" in result.reason


def test_read_file_of_big5_text(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes("港景週刊：輕軌是城市復興的第一步。這裡是臺灣。".encode("big5"))
    result = read_file(Target("page", path=str(path)))
    assert isinstance(result, Fetched)
    assert result.content_type == "text/plain"
    assert "臺灣" in result.html


def test_connection_refused_over_loopback(closed_port_url: str) -> None:
    async def go() -> Fetched | Failure:
        async with Fetcher(FetchSettings(timeout_s=5)) as fetcher:
            return await fetcher.fetch(Target("x", url=closed_port_url))

    result = asyncio.run(go())
    assert isinstance(result, Failure)
    assert result.reason == "connection refused; is the host up?"


def test_real_http_fetch_and_per_host_limit() -> None:
    """Through a real socket: the page arrives, and no more than per_host requests are in flight at once."""
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    class SlowRoutes(dict[str, Route]):
        def __contains__(self, key: object) -> bool:
            return True

        def __getitem__(self, key: str) -> Route:
            with lock:
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
            time.sleep(0.05)
            with lock:
                state["now"] -= 1
            return Route(200, f"<p>{key}</p>".encode())

    server = LoopbackServer()
    server.routes = SlowRoutes()
    with server:

        async def go() -> list[Fetched | Failure]:
            async with Fetcher(FetchSettings(per_host=2)) as fetcher:
                targets = [Target("x", url=server.url(f"/a{i}")) for i in range(6)]
                return await asyncio.gather(*(fetcher.fetch(t) for t in targets))

        results = asyncio.run(go())
    assert all(isinstance(r, Fetched) for r in results)
    assert [r.html for r in results if isinstance(r, Fetched)] == [f"<p>/a{i}</p>" for i in range(6)]
    assert state["peak"] == 2


def test_robots_txt_is_read_once_and_obeyed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /search\n")
        return httpx.Response(200, html="<p>ok</p>")

    async def go() -> list[Fetched | Failure]:
        async with Fetcher(FetchSettings(), transport=httpx.MockTransport(handler)) as fetcher:
            first = await fetcher.fetch(Target("x", url="https://news.example/search?q=a"))
            second = await fetcher.fetch(Target("x", url="https://news.example/news/1"))
            assert fetcher.requests == {"news.example": 2}  # robots.txt and the allowed page
            return [first, second]

    refused, allowed = asyncio.run(go())
    assert isinstance(refused, Failure) and refused.reason == "robots.txt of the site disallows this path"
    assert isinstance(allowed, Fetched)
    assert seen == ["/robots.txt", "/news/1"]


def test_robots_txt_server_error_keeps_newscov_out() -> None:
    result = fetch(lambda request: httpx.Response(503, text="down"), obey_robots=True, retries=0)
    assert isinstance(result, Failure)
    assert result.reason == "robots.txt answered HTTP 503; the site is treated as off limits"


def test_missing_robots_txt_allows_everything() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, html="<p>ok</p>")

    assert isinstance(fetch(handler, obey_robots=True), Fetched)


def sequence(*responses: httpx.Response) -> tuple[object, list[float]]:
    """A handler answering with `responses` in turn (the last one forever), recording when each request came."""
    import time

    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        return responses[min(len(times), len(responses)) - 1]

    return handler, times


def test_429_with_retry_after_then_200() -> None:
    handler, times = sequence(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, html="<p>ok</p>"))
    result = fetch(handler)
    assert isinstance(result, Fetched)
    assert len(times) == 2


def test_503_twice_then_200() -> None:
    handler, times = sequence(httpx.Response(503), httpx.Response(503), httpx.Response(200, html="<p>ok</p>"))
    assert isinstance(fetch(handler, retries=2), Fetched)
    assert len(times) == 3


def test_retries_run_out() -> None:
    handler, times = sequence(httpx.Response(502))
    result = fetch(handler, retries=1)
    assert isinstance(result, Failure) and result.reason == "HTTP 502 Bad Gateway"
    assert len(times) == 2


def test_a_long_retry_after_ends_the_attempts_at_once() -> None:
    handler, times = sequence(
        httpx.Response(503, headers={"Retry-After": "3600"}), httpx.Response(200, html="<p>x</p>")
    )
    result = fetch(handler, retries=3)
    assert isinstance(result, Failure)
    assert result.reason == "HTTP 503 Service Unavailable (asked to retry after 3600 s)"
    assert len(times) == 1


def test_requests_to_one_host_are_spaced_by_its_interval() -> None:
    handler, times = sequence(httpx.Response(200, html="<p>ok</p>"))

    async def go() -> None:
        transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
        settings = FetchSettings(obey_robots=False, per_host=4)
        async with Fetcher(settings, transport=transport, intervals={"news.example": 0.15}) as fetcher:
            await asyncio.gather(*(fetcher.fetch(Target("x", url=f"https://news.example/{i}")) for i in range(3)))

    asyncio.run(go())
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 3 and all(gap >= 0.14 for gap in gaps), gaps
