"""A fault-injecting loopback server: every fault ends as a page or a clear failure, in bounded time."""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import coverage.cli
from coverage.demo.server import LoopbackServer, Route
from coverage.fetch import Fetcher, FetchSettings
from coverage.models import Failure, Fetched, Target
from coverage.store import Cache, read_archive

from .conftest import PAGES, CliResult

Cli = Callable[..., CliResult]
GOOD = (PAGES / "tidewater.html").read_bytes()
BIG5 = GOOD.decode("utf-8").replace('charset="utf-8"', "").encode("cp950")
QUOTE = "輕軌是城市復興的第一步"


def then(*routes: Route) -> Callable[[str], Route]:
    """Answer with each route in turn, then keep answering with the last."""
    calls: list[int] = []

    def answer(_: str) -> Route:
        calls.append(1)
        return routes[min(len(calls), len(routes)) - 1]

    return answer


FAULTS: dict[str, Route | Callable[[str], Route]] = {
    "/slow": Route(200, GOOD, delay=3.0),
    "/drip": Route(200, GOOD, drip=0.2),
    "/reset": Route(reset=True),
    "/busy": then(Route(429, b"busy", {"Retry-After": "1"}), Route(200, GOOD)),
    "/flaky": then(Route(503), Route(503), Route(200, GOOD)),
    "/loop": Route(302, b"", {"Location": "/loop"}),
    "/huge": Route(200, b"<p>" + b"x" * (3 * 1024 * 1024) + b"</p>"),
    "/big5": Route(200, BIG5, {"Content-Type": "text/html"}),
    "/wrong-charset": Route(200, BIG5, {"Content-Type": "text/html; charset=utf-8"}),
    "/robots.txt": Route(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}),
    "/private/page": Route(200, GOOD),
    "/report.pdf": Route(200, b"%PDF-1.7 ...", {"Content-Type": "application/pdf"}),
    "/good": Route(200, GOOD),
}
SETTINGS = FetchSettings(timeout_s=1.0, deadline_s=2.0, max_bytes=1024 * 1024, max_redirects=5, retries=2)


@pytest.fixture(scope="module")
def faults() -> object:
    # the gzip bomb (200 MiB of zeros) is built only when these tests run, not when they are collected
    bomb = Route(200, gzip.compress(b"\0" * (200 * 1024 * 1024)), {"Content-Encoding": "gzip"})
    with LoopbackServer(routes={**FAULTS, "/bomb": bomb}) as server:
        yield server


def fetch_one(server: LoopbackServer, path: str) -> tuple[Fetched | Failure, float]:
    async def go() -> Fetched | Failure:
        async with Fetcher(SETTINGS) as fetcher:
            return await fetcher.fetch(Target("x", url=server.url(path)))

    started = time.monotonic()
    result = asyncio.run(go())
    return result, time.monotonic() - started


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "the server stopped answering (timeout 1 s)"),
        ("/drip", "no complete answer within 2 s"),
        ("/reset", "the server broke the connection"),
        ("/loop", "more than 5 redirects"),
        ("/huge", "page larger than 1 MiB"),
        ("/bomb", "page larger than 1 MiB"),
        ("/private/page", "robots.txt of the site disallows this path"),
        ("/report.pdf", "not an HTML page (application/pdf)"),
    ],
)
def test_faults_end_in_a_clear_failure_in_bounded_time(faults: LoopbackServer, path: str, reason: str) -> None:
    result, elapsed = fetch_one(faults, path)
    assert isinstance(result, Failure), result
    assert result.reason.startswith(reason), result.reason
    assert elapsed < SETTINGS.deadline_s + 1.5  # the per-URL deadline holds, retries included


@pytest.mark.parametrize("path", ["/busy", "/flaky", "/big5", "/wrong-charset", "/good"])
def test_recoverable_faults_end_in_the_page(faults: LoopbackServer, path: str) -> None:
    result, _ = fetch_one(faults, path)
    assert isinstance(result, Fetched), result
    assert QUOTE in result.html


def test_a_gzip_bomb_is_stopped_while_streaming(faults: LoopbackServer) -> None:
    tracemalloc.start()
    result, _ = fetch_one(faults, "/bomb")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(result, Failure)
    assert peak < 32 * 1024 * 1024  # 200 MiB were never inflated in memory


def test_one_faulty_page_never_loses_the_others(
    cli: Cli, faults: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no retries: the broken connection is retried after a backoff (tested above), not the point here
    monkeypatch.setattr(coverage.cli, "FetchSettings", functools.partial(FetchSettings, retries=0))
    urls = [
        f"{name.strip('/').replace('.', '-')}={faults.url(name)}"
        for name in ("/reset", "/bomb", "/good", "/report.pdf")
    ]
    args = [a for u in urls for a in ("-u", u)]
    result = cli("compare", "-q", QUOTE, *args, "--format", "json", "--timeout", "1")
    assert result.exit_code == 0
    matrix = json.loads(result.stdout)["matrix"]["p1"]
    assert matrix == {"reset": "unavailable", "bomb": "unavailable", "good": "verbatim", "report-pdf": "unavailable"}


# ── cache ──


def test_a_repeated_run_uses_the_cache_and_refresh_bypasses_it(cli: Cli, tmp_path: Path) -> None:
    with LoopbackServer(routes={"/a": Route(200, GOOD)}) as server:
        first = cli("compare", "-q", QUOTE, "-u", server.url("/a"), "--format", "json")
        assert json.loads(first.stdout)["requests"] == {f"127.0.0.1:{server.base_url.rsplit(':', 1)[1]}": 2}
        second = cli("compare", "-q", QUOTE, "-u", server.url("/a"), "--format", "json")
        assert json.loads(second.stdout)["requests"] == {}  # nothing went to the network
        assert json.loads(second.stdout)["matrix"] == json.loads(first.stdout)["matrix"]
        cli("compare", "-q", QUOTE, "-u", server.url("/a"), "--refresh", "--format", "json")
        assert server.requests.count("/a") == 2


def test_offline_uses_only_the_cache_and_says_what_is_missing(cli: Cli) -> None:
    with LoopbackServer(routes={"/a": Route(200, GOOD), "/b": Route(200, GOOD)}) as server:
        cli("compare", "-q", QUOTE, "-u", "a=" + server.url("/a"))
        before = len(server.requests)
        result = cli(
            "compare",
            "-q",
            QUOTE,
            "-u",
            "a=" + server.url("/a"),
            "-u",
            "b=" + server.url("/b"),
            "--offline",
            "--format",
            "json",
        )
        assert len(server.requests) == before
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"] == {"a": "verbatim", "b": "unavailable"}
    assert data["failures"][0]["reason"] == "not in the cache (offline run): run once without --offline"
    assert data["notes"] == ["offline run: pages read from the cache only"]


def test_two_runs_share_the_cache_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    routes = {f"/p{i}": Route(200, GOOD, delay=0.02) for i in range(20)}
    with LoopbackServer(routes=dict(routes)) as server:

        async def run(cache: Cache) -> None:
            async with Fetcher(FetchSettings(obey_robots=False, per_host=4), cache=cache) as fetcher:
                await asyncio.gather(*(fetcher.fetch(Target("x", url=server.url(p))) for p in routes))

        async def both() -> None:
            first, second = Cache(path), Cache(path)
            await asyncio.gather(run(first), run(second))
            first.close()
            second.close()

        asyncio.run(both())
    assert len(Cache(path)) == 20


def test_an_interrupted_run_keeps_what_it_fetched(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with LoopbackServer(routes={"/fast": Route(200, GOOD), "/stuck": Route(200, GOOD, delay=5)}) as server:

        async def go() -> None:
            cache = Cache(path)
            async with Fetcher(FetchSettings(obey_robots=False, timeout_s=10, deadline_s=10), cache=cache) as fetcher:
                stuck = asyncio.create_task(fetcher.fetch(Target("x", url=server.url("/stuck"))))
                await fetcher.fetch(Target("x", url=server.url("/fast")))
                stuck.cancel()  # what Ctrl-C does to the run
                with pytest.raises(asyncio.CancelledError):
                    await stuck

        asyncio.run(go())
    reopened = Cache(path)
    assert reopened.get(server.url("/fast")) is not None
    assert reopened.get(server.url("/stuck")) is None


# ── evidence archive ──


def test_archive_round_trip_gives_the_same_verdicts(cli: Cli, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    folder = tmp_path / "evidence"
    routes = {"/t": Route(200, GOOD), "/p": Route(200, (PAGES / "pinecrest.html").read_bytes()), "/gone": Route(404)}
    with LoopbackServer(routes=routes) as server:
        urls = [a for name in ("t", "p", "gone") for a in ("-u", f"{name}={server.url('/' + name)}")]
        first = cli("compare", "-q", QUOTE, *urls, "--format", "json", "--archive", str(folder), "--no-cache")
    assert first.exit_code == 0
    assert "archived 2 page(s)" in first.stderr
    [warc] = list(folder.glob("*.warc.gz"))
    with warc.open("rb") as handle:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Payload-Digest"))
            for r in ArchiveIterator(handle, check_digests=True)
        ]
    assert [kind for kind, _ in records] == ["response", "request", "response", "request"]
    assert all(digest for kind, digest in records if kind == "response")
    pages, saved = read_archive(folder)
    assert {p.final_url for p in pages.values()} == {server.url("/t"), server.url("/p")}
    assert saved["matrix"] == json.loads(first.stdout)["matrix"]
    # the server is gone: the archive alone gives the same verdicts
    again = cli("compare", "--from-archive", str(folder), "--format", "json")
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["matrix"] == json.loads(first.stdout)["matrix"]
    assert data["notes"] == ["pages read from an evidence archive, not from the sites"]
    assert data["failures"][0]["reason"] == "not in the archive"


def test_from_archive_errors(cli: Cli, tmp_path: Path) -> None:
    result = cli("compare", "--from-archive", str(tmp_path / "none"))
    assert result.exit_code == 2 and "no such folder" in result.stderr
    result = cli("compare", "--from-archive", str(tmp_path))
    assert result.exit_code == 2 and "no report.json in it" in result.stderr
    result = cli("compare", "--from-archive", str(tmp_path), "-u", "https://example.com/a")
    assert result.exit_code == 2 and "drop --url, --file, --query and --event" in result.stderr


def test_ignore_robots_is_stated_in_the_report(cli: Cli, faults: LoopbackServer) -> None:
    result = cli(
        "compare", "-q", QUOTE, "-u", "p=" + faults.url("/private/page"), "--ignore-robots", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"]["p"] == "verbatim"
    assert data["notes"] == ["robots.txt was ignored (--ignore-robots)"]
