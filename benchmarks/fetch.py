"""Fetching speed: 60 articles on 6 loopback hosts, every answer delayed 200 ms, at most 2 requests per host.

    uv run python -m benchmarks.fetch

Reports newscov's fetch stage against a sequential loop over the same URLs and against the floor
(articles per host / per-host limit x delay), its peak memory, and a second run served from the cache.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import tempfile
import time
import tracemalloc
from contextlib import ExitStack
from pathlib import Path

import httpx

from coverage.demo.server import LoopbackServer, Route
from coverage.fetch import Fetcher, FetchSettings
from coverage.models import Failure, Target
from coverage.store import Cache

HOSTS, PER_HOST_ARTICLES, DELAY, LIMIT = 6, 10, 0.2, 2
PAGE = (Path(__file__).resolve().parent.parent / "tests" / "pages" / "tidewater.html").read_bytes()


async def newscov_fetch(urls: list[str], cache: Cache | None) -> float:
    started = time.perf_counter()
    async with Fetcher(FetchSettings(per_host=LIMIT), cache=cache) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(Target("x", url=u)) for u in urls))
    assert not any(isinstance(r, Failure) for r in results), [r for r in results if isinstance(r, Failure)][:1]
    return time.perf_counter() - started


async def bare_httpx(urls: list[str]) -> float:
    """The same work with httpx alone and one semaphore per host: what the test server and httpx cost."""
    from collections import defaultdict

    limits: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(LIMIT))
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:

        async def one(url: str) -> None:
            async with limits[url.split("/")[2]]:
                (await client.get(url)).raise_for_status()

        await asyncio.gather(*(one(u) for u in urls))
    return time.perf_counter() - started


def sequential(urls: list[str]) -> float:
    started = time.perf_counter()
    with httpx.Client() as client:
        for url in urls:
            client.get(url).raise_for_status()
    return time.perf_counter() - started


def serve(urls: multiprocessing.Queue, stop: multiprocessing.Event) -> None:  # type: ignore[type-arg]
    """The slow hosts, in a process of their own so that they do not share a GIL with the client measured."""
    routes = {f"/a/{i}": Route(200, PAGE, delay=DELAY) for i in range(PER_HOST_ARTICLES)}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(LoopbackServer(routes=dict(routes), host=f"127.0.0.{31 + h}")) for h in range(HOSTS)
        ]
        urls.put([server.url(path) for path in routes for server in servers])
        stop.wait()


def main() -> None:
    context = multiprocessing.get_context("fork")
    queue, stop = context.Queue(), context.Event()
    server = context.Process(target=serve, args=(queue, stop), daemon=True)
    server.start()
    try:
        urls = queue.get(timeout=30)
        with tempfile.TemporaryDirectory() as folder:
            floor = PER_HOST_ARTICLES / LIMIT * DELAY
            seq = sequential(urls)
            bare = asyncio.run(bare_httpx(urls))
            cache = Cache(Path(folder) / "bench.sqlite")
            first = asyncio.run(newscov_fetch(urls, cache))
            second = asyncio.run(newscov_fetch(urls, cache))
            cache.close()
            tracemalloc.start()  # a third run, uncached, only to measure memory (tracing slows Python down)
            asyncio.run(newscov_fetch(urls, None))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    finally:
        stop.set()
        server.join(timeout=10)
    print(f"{len(urls)} articles on {HOSTS} hosts, {DELAY * 1000:.0f} ms per answer, {LIMIT} in flight per host")
    print(f"  sequential loop:   {seq:6.2f} s")
    ratio = f"{seq / first:.1f}x faster than sequential, {first / floor:.2f}x the floor"
    print(f"  newscov:           {first:6.2f} s  ({ratio})")
    print(f"  floor:             {floor:6.2f} s  (articles per host / per-host limit x delay)")
    note = f"same semaphores, no robots.txt, no decoding: {bare / floor:.2f}x the floor"
    print(f"  bare httpx:        {bare:6.2f} s  ({note})")
    print(f"  second run, cache: {second:6.3f} s")
    print(
        f"  peak Python memory while fetching: {peak / 2**20:.1f} MiB; process max RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
