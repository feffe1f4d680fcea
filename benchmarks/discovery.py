"""A 10-outlet event on the loopback fake web (tests/fakeweb.py): requests per host and wall time of a full
`compare --query` run (discovery, fetch, extraction, matching), without and with real politeness settings.

    uv run python -m benchmarks.discovery
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from coverage.discover.base import GDELT_INTERVAL_S, GNEWS_INTERVAL_S, DiscoverySettings
from coverage.event import build_event
from coverage.fetch import FetchSettings
from coverage.models import Phrase
from coverage.pipeline import compare_async
from coverage.sources import load_sources
from tests.fakeweb import ALIAS, OUTLETS, PHRASE, QUERY_EN, QUERY_ZH, RENDERING, WINDOW, fake_web


def run(min_interval: float, gnews: float, gdelt: float) -> None:
    with tempfile.TemporaryDirectory() as folder, fake_web(Path(folder), min_interval=min_interval) as web:
        registry = load_sources(web.registry, bundled=False)
        event = build_event(None, queries=[QUERY_ZH, QUERY_EN], aliases=[ALIAS], start=WINDOW[0], end=WINDOW[1])
        settings = DiscoverySettings(
            gnews_url=web.gnews_url, gdelt_url=web.gdelt_url, gnews_interval_s=gnews, gdelt_interval_s=gdelt
        )
        started = time.perf_counter()
        report = asyncio.run(
            compare_async(
                [Phrase("p1", PHRASE, (RENDERING,))],
                [],
                registry=registry,
                event=event,
                outlets=[o for o in registry if o.id in OUTLETS],
                discovery_settings=settings,
                fetch_settings=FetchSettings(timeout_s=5, deadline_s=15, allow_private=True),  # the fake web: loopback
            )
        )
        wall = time.perf_counter() - started
        print(f"politeness: outlets {min_interval:g} s, Google News {gnews:g} s, GDELT {gdelt:g} s between requests")
        print(
            f"  wall {wall:.2f} s  (discover {report.timings['discover']:.2f} s); "
            f"{report.compared} articles read, {sum(report.requests.values())} requests"
        )
        names = {server.base_url.split("//")[1]: name for name, server in web.servers.items()}
        print(
            "  requests per host: "
            + ", ".join(
                f"{names.get(h, h)} {n}"
                for h, n in sorted(report.requests.items(), key=lambda x: names.get(x[0], x[0]))
            )
        )


if __name__ == "__main__":
    run(0.0, 0.0, 0.0)
    run(2.0, GNEWS_INTERVAL_S, GDELT_INTERVAL_S)
