"""`newscov sources check --live ID --save`: what the live check verified goes into the user's registry file.

Real HTTP over loopback; the bundled registry is replaced by a small file in tmp_path (a fictional outlet on the
loopback server), and $NEWSCOV_SOURCES, $HOME and $XDG_CONFIG_HOME point into tmp_path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import coverage.cli
import coverage.report.sources  # the command imports it: loaded once here, at collection
from coverage.demo.server import LoopbackServer, Route
from coverage.fetch import FetchSettings
from coverage.probe import DEAD, OK, STALE, UNDECIDED, judge_failure, judge_page
from coverage.sources import load_sources

from .conftest import CliResult

Cli = Callable[..., CliResult]
TODAY = date.today().isoformat()
YESTERDAY = datetime.now(UTC) - timedelta(days=1)

FEED = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
<item><title>一</title><link>https://tidewater.example/news/1</link><pubDate>{format_datetime(YESTERDAY)}</pubDate></item>
<item><title>二</title><link>https://tidewater.example/news/2</link><pubDate>{format_datetime(YESTERDAY - timedelta(days=1))}</pubDate></item>
</channel></rss>"""
SITEMAP = (
    f"""<urlset><url><loc>https://tidewater.example/news/9</loc><lastmod>{YESTERDAY.date()}</lastmod></url></urlset>"""
)
SEARCH = (
    """<html><body><a href="/news/31">輕軌</a> <a href="/news/32">台灣</a> <a href="/about">關於</a></body></html>"""
)


def outlet(base: str, *, extra: str = "") -> str:
    """The fictional outlet `tidewater` on a server at `base`: two feeds (one gone), a sitemap, a search."""
    return f"""\
  - id: tidewater
    name: Tidewater Daily
    language: zh
    script: zh-Hant
    domains: [tidewater.example]
    politeness: {{min_interval_s: 0}}
    feeds:
      - {{url: '{base}/rss.xml', label: 要聞, src: 'seen: the front page'}}
      - {{url: '{base}/gone.xml', label: 舊版}}
    sitemaps:
      - {{url: '{base}/sitemap.xml'}}
    search:
      - {{template: '{base}/search?q={{query}}', kind: html, note: 'results are server-rendered'}}
    article_url: {{pattern: '/news/\\d+$'}}
{extra}"""


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    routes: dict[str, Route | Callable[[str], Route]] = {
        "/rss.xml": Route(200, FEED.encode(), {"Content-Type": "application/rss+xml"}),
        "/gone.xml": Route(404, b"gone"),
        "/sitemap.xml": Route(200, SITEMAP.encode(), {"Content-Type": "application/xml"}),
        "/search": Route(200, SEARCH.encode()),
    }
    with LoopbackServer(routes=routes) as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Point HOME, XDG_CONFIG_HOME and NEWSCOV_SOURCES into tmp_path; `home(bundled_outlets)` writes the stand-in
    bundled registry and returns the (not yet existing) user file."""
    user = tmp_path / "config" / "newscov" / "sources.yaml"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("NEWSCOV_SOURCES", str(user))

    def make(bundled_outlets: str = "") -> Path:
        bundled = tmp_path / "bundled.yaml"
        bundled.write_text("version: 2\noutlets:\n" + (bundled_outlets or "  []\n"), encoding="utf-8")
        monkeypatch.setattr("coverage.sources.default_sources_path", lambda: bundled)
        return user

    return make


def read(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def entries(path: Path, outlet_id: str = "tidewater") -> list[dict[str, Any]]:
    return [o for o in read(path)["outlets"] if o["id"] == outlet_id]


def test_save_writes_statuses_into_a_new_user_file(
    cli: Cli, server: LoopbackServer, home: Callable[[str], Path]
) -> None:
    user = home(outlet(server.base_url))
    result = cli("sources", "check", "tidewater", "--live", "--save")
    assert result.exit_code == 1, result.stderr  # one feed is gone
    assert f"saved tidewater to {user} (new entry): 3 ok, 1 dead" in result.stdout.replace("\n", "")

    text = user.read_text(encoding="utf-8")
    assert text.startswith("# newscov: your own outlets")  # a short header for a file newscov created
    [entry] = entries(user)
    assert set(entry) == {"id", "feeds", "sitemaps", "search"}  # an override: only the lists, each complete
    rss, gone = entry["feeds"]
    assert rss["url"] == server.url("rss.xml") and rss["label"] == "要聞" and rss["src"] == "seen: the front page"
    assert (rss["status"], str(rss["checked"]), rss["verified"]) == ("ok", TODAY, True)
    assert rss["evidence"] == f"newscov sources check --live: HTTP 200, 2 items, newest {YESTERDAY.date()}"
    assert (gone["status"], str(gone["checked"]), gone["label"]) == ("dead", TODAY, "舊版")
    assert gone["evidence"] == "newscov sources check --live: HTTP 404 Not Found" and "verified" not in gone
    [sitemap] = entry["sitemaps"]
    assert (sitemap["status"], sitemap["verified"]) == ("ok", True)
    [search] = entry["search"]
    assert search["template"] == server.url("search") + "?q={query}"
    assert (search["kind"], search["note"], search["status"]) == ("html", "results are server-rendered", "ok")
    assert search["evidence"] == "newscov sources check --live: HTTP 200, 2 article links (of 3 links)"

    # the file loads back, and the outlet shows what was verified
    tidewater = load_sources().get("tidewater")
    assert tidewater is not None and tidewater.name == "Tidewater Daily"  # the rest still comes from the bundle
    assert [(f.status, f.checked, f.verified) for f in tidewater.feeds] == [("ok", TODAY, True), ("dead", TODAY, False)]
    assert [(s.status, s.checked) for s in (*tidewater.sitemaps, *tidewater.search)] == [("ok", TODAY)] * 2


USER_FILE = """\
# my own outlets: hand-written, keep these comments
version: 2
outlets:
  # harbor: a local weekly
  - id: harbor   # added 2025-03
    name: Harbor Weekly
    language: en
    domains: [harbor.example]
  # tidewater, with my notes
{tidewater}
"""


def test_save_keeps_comments_and_updates_the_entry_in_place(
    cli: Cli, server: LoopbackServer, home: Callable[[str], Path]
) -> None:
    user = home("")
    user.parent.mkdir(parents=True)
    user.write_text(USER_FILE.format(tidewater=outlet(server.base_url, extra="    # end of tidewater\n")), "utf-8")
    for _ in range(2):
        result = cli("sources", "check", "tidewater", "--live", "--save")
        assert result.exit_code == 1, result.stderr
        assert f"saved tidewater to {user} (entry updated): 3 ok, 1 dead" in result.stdout.replace("\n", "")

    text = user.read_text(encoding="utf-8")
    for comment in ("# my own outlets", "# harbor: a local weekly", "# added 2025-03", "# tidewater, with my notes"):
        assert comment in text
    [entry] = entries(user)  # updated in place: no second tidewater entry
    assert entry["name"] == "Tidewater Daily" and entry["politeness"] == {"min_interval_s": 0}
    assert [f["status"] for f in entry["feeds"]] == ["ok", "dead"]
    assert entry["feeds"][0]["src"] == "seen: the front page"
    assert [o["id"] for o in read(user)["outlets"]] == ["harbor", "tidewater"]
    registry = load_sources()
    assert registry.get("harbor") is not None
    assert [f.status for f in registry.get("tidewater").feeds] == ["ok", "dead"]  # type: ignore[union-attr]


def test_an_unreachable_server_leaves_status_and_checked_alone(
    cli: Cli, home: Callable[[str], Path], closed_port_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coverage.cli, "FetchSettings", functools.partial(FetchSettings, retries=0))  # at once
    base = closed_port_url.rsplit("/", 1)[0]
    user = home("")
    earlier = outlet(base).replace(
        "label: 要聞,", "label: 要聞, status: ok, checked: 2025-01-02, evidence: 'HTTP 200, 9 items',"
    )
    user.parent.mkdir(parents=True)
    user.write_text(f"# mine\nversion: 2\noutlets:\n{earlier}", encoding="utf-8")
    result = cli("sources", "check", "tidewater", "--live", "--save")
    assert result.exit_code == 1, result.stderr
    assert f"saved tidewater to {user} (entry updated): 4 not decided (status kept)" in result.stdout
    [entry] = entries(user)
    rss, gone = entry["feeds"]
    assert (rss["status"], str(rss["checked"])) == ("ok", "2025-01-02")  # a refused connection is not "dead"
    assert rss["evidence"] == (
        f"HTTP 200, 9 items; newscov sources check --live on {TODAY} could not decide "
        "(connection refused; is the host up?); status kept"
    )
    assert "status" not in gone and "checked" not in gone
    # again: the note is replaced, not repeated
    assert cli("sources", "check", "tidewater", "--live", "--save").exit_code == 1
    assert entries(user)[0]["feeds"][0]["evidence"].count("could not decide") == 1
    assert [(f.status, f.checked) for f in load_sources().get("tidewater").feeds] == [  # type: ignore[union-attr]
        ("ok", "2025-01-02"),
        ("unknown", None),
    ]


def test_nothing_decided_writes_no_new_entry(
    cli: Cli, home: Callable[[str], Path], closed_port_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coverage.cli, "FetchSettings", functools.partial(FetchSettings, retries=0))
    user = home(outlet(closed_port_url.rsplit("/", 1)[0]))
    result = cli("sources", "check", "tidewater", "--live", "--save")
    assert result.exit_code == 1
    assert "nothing saved for tidewater: no answer decided a status (4 not decided)" in result.stdout
    assert not user.exists()


def test_save_needs_live(cli: Cli, home: Callable[[str], Path]) -> None:
    user = home("")
    for flags in (["--save"], ["--save-to", "x.yaml"]):
        result = cli("sources", "check", "tidewater", *flags)
        assert result.exit_code == 2
        [line] = result.stderr.splitlines()
        assert line.startswith(f"newscov: error: {flags[0]} needs --live")
    assert not user.exists()


def test_an_outlet_of_a_sources_file_is_saved_with_save_to(
    cli: Cli, server: LoopbackServer, home: Callable[[str], Path], tmp_path: Path
) -> None:
    user = home("")
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"# my test registry\noutlets:\n{outlet(server.base_url)}", encoding="utf-8")
    result = cli("sources", "check", "tidewater", "--live", "--sources", str(mine), "--save")
    assert result.exit_code == 2  # the user file comes before mine.yaml: saving there would change nothing
    assert f"add --save-to {mine}" in result.stderr and "nothing written" in result.stderr
    assert not user.exists()

    result = cli("sources", "check", "tidewater", "--live", "--sources", str(mine), "--save-to", str(mine))
    assert result.exit_code == 1, result.stderr
    assert f"saved tidewater to {mine} (entry updated)" in result.stdout.replace("\n", "")
    assert mine.read_text(encoding="utf-8").startswith("# my test registry\n")
    assert [f["status"] for f in entries(mine)[0]["feeds"]] == ["ok", "dead"]
    assert not user.exists()


@pytest.mark.parametrize(
    ("reason", "verdict"),
    [
        ("HTTP 404 Not Found", DEAD),
        ("HTTP 410 Gone", DEAD),
        ("HTTP 403 Forbidden", DEAD),
        ("HTTP 401 Unauthorized", DEAD),
        ("not text (image/png)", DEAD),
        ("HTTP 503 Service Unavailable; gave up retrying (no complete answer within 60 s)", UNDECIDED),
        ("HTTP 429 Too Many Requests", UNDECIDED),
        ("could not resolve the host name; check the URL", UNDECIDED),
        ("connection timed out after 20 s", UNDECIDED),
        ("robots.txt of the site disallows this path", UNDECIDED),
    ],
)
def test_failures_that_decide_and_those_that_do_not(reason: str, verdict: str) -> None:
    assert judge_failure(reason) == verdict


def test_pages_old_blank_or_empty() -> None:
    today = date.today()
    old = FEED.replace(str(YESTERDAY.year), str(YESTERDAY.year - 2))
    assert judge_page("feed", 200, old, "2 items", True, today)[0] == STALE
    assert judge_page("feed", 200, FEED, "2 items", True, today)[0] == OK
    blank = "<rss><channel><link>https://x.example/</link><item></item><item> </item></channel></rss>"
    assert judge_page("feed", 200, blank, "2 items", True, today) == (DEAD, "HTTP 200, 2 items, all blank (no link)")
    assert judge_page("sitemap", 200, "<html>home</html>", "answered", False, today)[0] == DEAD
    assert judge_page("search", 200, "<html></html>", "0 article links (of 0 links)", False, today)[0] == STALE


def test_a_list_nothing_was_learned_about_is_not_copied(
    cli: Cli, server: LoopbackServer, home: Callable[[str], Path], closed_port_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coverage.cli, "FetchSettings", functools.partial(FetchSettings, retries=0))
    closed = closed_port_url.rsplit("/", 1)[0]
    user = home(outlet(server.base_url).replace(f"template: '{server.base_url}/search", f"template: '{closed}/search"))
    result = cli("sources", "check", "tidewater", "--live", "--save")
    assert result.exit_code == 1
    assert "(new entry): 2 ok, 1 dead, 1 not decided (status kept)" in result.stdout.replace("\n", "")
    [entry] = entries(user)
    assert set(entry) == {"id", "feeds", "sitemaps"}  # the bundled search list stays in force, not frozen here
    assert "&id" not in user.read_text(encoding="utf-8")  # one date object per entry: no YAML anchors
