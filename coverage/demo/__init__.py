"""`newscov demo`: the real pipeline on bundled SAMPLE pages (fictional outlets and event) served over loopback.

The event: Veloria's maritime minister (沃斯 / 沃思 / 佛斯 in different outlets) writes that relations with
Kestrel "have never been better" and that both sides agreed on a coast-guard hotline. Five outlets carry it
in different ways, one cannot be fetched: the situation newscov was built for, with nothing real in it.
"""

from __future__ import annotations

from pathlib import Path

from ..match import MatchSettings
from ..models import Phrase, Report, Target
from ..pipeline import ProgressCallback, compare
from ..sources import load_sources
from .server import LoopbackServer, Route

HERE = Path(__file__).parent
SITE = HERE / "site"

# the minister's post, in English: each sentence is looked for in every article, in every language, with no
# rendering given (the aligner finds how each outlet translated it)
ORIGINAL = (
    "The relationship between Veloria and Kestrel has never been better. "
    "We agreed to set up a direct line of communication between our coast guards, "
    "so that problems at sea can be defused quickly."
)
SPEAKER = "Voss"
ALIASES = (("沃斯", "沃思", "佛斯", "Voss", "Aldric Voss"),)
PHRASES = (
    Phrase(
        id="p1",
        text="雙方同意建立海巡直接溝通管道",
        renderings=("a direct line of communication between the two coast guards",),
        language="zh",
    ),
)

# outlet id -> path on the loopback server
PAGES = {
    "harbordaily": "harbordaily/news-20261015-0042.html",
    "islandwire": "islandwire/news-aipl-202610150017.html",
    "lantern": "lantern/article-88213.html",
    "northstar": "northstar/2026-10-15-c_1130.html",
    "meridian": "meridian/world-voss-kestrel-hotline.html",
    "bayline": "bayline/20261015/voss-kestrel.html",
}

# what the demo must show (asserted by the tests): (phrase id, outlet id) -> status
EXPECTED = {
    ("p1", "harbordaily"): "verbatim",
    ("p1", "islandwire"): "verbatim",
    ("p1", "lantern"): "near",
    ("p1", "northstar"): "verbatim",
    ("p1", "meridian"): "translated",
    ("p1", "bayline"): "unavailable",
    ("o1", "harbordaily"): "translated",
    ("o1", "islandwire"): "absent",  # the wire reports the talks, not the line
    ("o1", "lantern"): "translated",
    ("o1", "northstar"): "translated",
    ("o1", "meridian"): "verbatim",
    ("o1", "bayline"): "unavailable",
    ("o2", "harbordaily"): "translated",
    ("o2", "islandwire"): "translated",
    ("o2", "lantern"): "translated",
    ("o2", "northstar"): "translated",
    ("o2", "meridian"): "near",
    ("o2", "bayline"): "unavailable",
}
# the wording each outlet used for the first sentence of the post (the renderings view)
WORDINGS = {"harbordaily": "關係前所未有地好", "lantern": "從未如此之好", "northstar": "两国关系前所未有地好"}

_UNAVAILABLE = Route(503, b"<html><body>Service Unavailable</body></html>", {"Retry-After": "3600"})


def run_demo(on_progress: ProgressCallback | None = None) -> Report:
    """Serve the sample site on 127.0.0.1, compare the phrases across its outlets, stop the server."""
    registry = load_sources(HERE / "sources.yaml", bundled=False)
    with LoopbackServer(root=SITE, routes={"/" + PAGES["bayline"]: _UNAVAILABLE}) as server:
        targets = [Target(outlet, url=server.url(path)) for outlet, path in PAGES.items()]
        return compare(
            PHRASES,
            targets,
            registry=registry,
            on_progress=on_progress,
            original=ORIGINAL,
            speaker=SPEAKER,
            match_settings=MatchSettings(aliases=ALIASES),
        )
