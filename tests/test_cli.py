"""End-to-end: the `newscov` command over loopback servers, through real httpx, trafilatura and the matcher."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import coverage.cli
from coverage.demo.server import LoopbackServer
from coverage.fetch import FetchSettings
from coverage.models import Report

from .conftest import PAGES, CliResult

Cli = Callable[..., CliResult]
QUOTE = "輕軌是城市復興的第一步"


def test_compare_over_loopback_gives_every_outlet_a_verdict(cli: Cli, site: LoopbackServer) -> None:
    result = cli(
        "compare",
        "--quote", QUOTE,
        "--quote", "白皮書裡的數字看起來很漂亮",
        "--url", "tidewater=" + site.url("tidewater.html"),
        "--url", "pinecrest=" + site.url("pinecrest.html"),
        "--url", "eastwind=" + site.url("eastwind.html"),
        "--url", "gone=" + site.url("missing.html"),
        "--file", f"harborview={PAGES / 'harborview.txt'}",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matrix"] == {
        "p1": {
            "tidewater": "verbatim",
            "pinecrest": "near",
            "eastwind": "absent",
            "gone": "unavailable",
            "harborview": "verbatim",
        },
        "p2": {
            "tidewater": "verbatim",
            "pinecrest": "absent",
            "eastwind": "absent",
            "gone": "unavailable",
            "harborview": "verbatim",
        },
    }
    [near] = [m for m in data["matches"] if m["status"] == "near"]
    assert [(d["phrase"], d["article"]) for d in near["diff"] if d["op"] != "equal"] == [("興", "甦")]
    assert data["failures"][0]["reason"] == "HTTP 404 Not Found"
    assert {a["outlet_id"] for a in data["articles"]} == {"tidewater", "pinecrest", "eastwind", "harborview"}
    pages = sorted(r for r in site.requests if r != "/robots.txt")
    assert pages == ["/eastwind.html", "/missing.html", "/pinecrest.html", "/tidewater.html"]
    assert site.requests.count("/robots.txt") == 1  # read once per host


def test_terminal_report_over_loopback(cli: Cli, site: LoopbackServer) -> None:
    result = cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "-u", site.url("pinecrest.html"))
    assert result.exit_code == 0, result.stderr
    assert "Coverage matrix" in result.stdout
    assert "✓ verbatim" in result.stdout and "≈ near" in result.stdout
    # unlabelled URLs: outlet named after the host, which is not in the registry
    assert "not in registry" in result.stdout
    assert "輕軌是城市復[-興-]{+甦+}的第一步" in result.stdout  # the diff reads without colour


def test_renderings_make_translated_cells(cli: Cli, site: LoopbackServer) -> None:
    result = cli(
        "compare", "-q", "Light rail is the first step of the city's revival", "-r", "城市復興的第一步",
        "-u", "tidewater=" + site.url("tidewater.html"), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"]["tidewater"] == "translated"
    assert data["phrases"][0]["renderings"] == ["城市復興的第一步"]


def test_output_file(cli: Cli, site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote json report to {out}" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 4
    text_out = tmp_path / "report.txt"
    assert cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "-o", str(text_out)).exit_code == 0
    assert "\x1b[" not in text_out.read_text(encoding="utf-8")  # plain text in files
    assert "✓ verbatim" in text_out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("broken.html", "HTTP 500 Internal Server Error"),
        ("report.pdf", "not an HTML page (application/pdf)"),
        ("empty.html", "the page is empty"),
        ("blank.html", "no article text found on the page"),
        ("missing.html", "HTTP 404 Not Found"),
    ],
)
def test_one_bad_page_is_reported_and_the_others_still_compared(
    cli: Cli, site: LoopbackServer, path: str, reason: str
) -> None:
    result = cli(
        "compare",
        "-q",
        QUOTE,
        "-u",
        "bad=" + site.url(path),
        "-u",
        "tidewater=" + site.url("tidewater.html"),
        "--format",
        "json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"] == {"bad": "unavailable", "tidewater": "verbatim"}
    assert data["failures"][0]["reason"].startswith(reason)


def test_nothing_compared_exits_1(
    cli: Cli, site: LoopbackServer, closed_port_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no retries: a refused connection is retried after a backoff (tested in test_fetch), not the point here
    monkeypatch.setattr(coverage.cli, "FetchSettings", functools.partial(FetchSettings, retries=0))
    result = cli("compare", "-q", QUOTE, "-u", site.url("missing.html"), "-u", closed_port_url)
    assert result.exit_code == 1
    assert "HTTP 404 Not Found" in result.stdout
    assert "connection refused" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_undecodable_file_is_unavailable(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.html"
    junk.write_bytes(bytes(range(128, 256)) * 50)
    result = cli(
        "compare", "-q", QUOTE, "-f", str(junk), "-f", f"harborview={PAGES / 'harborview.txt'}", "--format", "json"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"] == {"junk": "unavailable", "harborview": "verbatim"}
    assert "not decodable as UTF-8, Big5 or GB18030" in data["failures"][0]["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quotes", "-q", "x", "-u", "https://udn.com/news/story/1/2"], "newscov quotes finds the quotes itself"),
        (["compare", "-q", "  ", "-u", "https://udn.com/news/story/1/2"], "--quote number 1 is empty"),
        (["compare", "-q", ""], "--quote number 1 is empty"),
        (["compare", "-q", "前所未有良好"], "no article to compare: give --url URL, --file PATH or --query TEXT"),
        (["compare", "-q", "x", "-u", "ftp://example.com/a"], "--url 'ftp://example.com/a': not an http(s) URL"),
        (["compare", "-q", "x", "-u", "udn.com/news/1"], "--url 'udn.com/news/1': not an http(s) URL"),
        (["compare", "-q", "x", "-f", "/no/such/file.html"], "--file '/no/such/file.html': no such file"),
        (["compare", "-q", "a", "-q", "b", "-r", "c", "-u", "https://a.example/"], "say which one it renders"),
        (["compare", "-q", "a", "-r", "3=c", "-u", "https://a.example/"], "there is no --quote number 3"),
        (["compare", "-q", "a", "--format", "pdf"], "--format 'pdf': not a format of this command"),
        (["compare", "-q", "a", "--bogus"], "No such option: --bogus"),
        (["compare", "-q", "a", "-u", "https://a.example/", "-o", "/no/such/dir/out.json"], "does not exist"),
        (["compare", "-q", "a", "-u", "https://a.example/", "--sources", "/no/such.yaml"], "no such registry file"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newscov: error: ")
    assert message in lines[0]


def test_invalid_registry_file_lists_its_problems(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text(
        "outlets:\n  - id: a\n    name: A\n    language: zh\n    domains: [a.example]\n    feedz: []\n",
        encoding="utf-8",
    )
    result = cli("compare", "-q", "x", "-u", "https://a.example/", "--sources", str(bad))
    assert result.exit_code == 2
    assert f"newscov: error: {bad}:6:5 outlets[0] (a).feedz: unknown field" in result.stderr


def test_help_of_every_command_has_an_example(cli: Cli) -> None:
    for command in ("compare", "quotes", "demo", "sources list", "sources show", "sources check"):
        result = cli(*command.split(), "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout
        assert "newscov " + command in result.stdout
    assert "compare" in cli("--help").stdout
    assert cli("--version").stdout.startswith("newscov ")


def test_demo_shows_the_expected_status_for_every_sample_outlet(cli: Cli) -> None:
    from coverage.demo import EXPECTED

    result = cli("demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    matrix = data["matrix"]
    assert {(p, o): s for p, row in matrix.items() for o, s in row.items()} == EXPECTED


def test_demo_renderings_view_shows_each_outlets_wording_of_the_post(
    cli: Cli, demo_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The minister's English post, found in translation with no rendering given: outlet -> the wording used.

    The command renders the demo three times; its pipeline run is shared (the run itself is tested above)."""
    import coverage.demo
    from coverage.demo import WORDINGS

    monkeypatch.setattr(coverage.demo, "run_demo", lambda on_progress=None: demo_report)
    data = json.loads(cli("demo", "--format", "json").stdout)
    [view] = [r for r in data["renderings"] if r["phrase_id"] == "o1"]
    wording_of = {outlet: g["wording"] for g in view["groups"] for outlet in g["outlets"]}
    for outlet, wording in WORDINGS.items():
        assert wording in wording_of[outlet], (outlet, wording_of)
    assert {o["outlet_id"]: o["status"] for o in view["others"]} == {"islandwire": "absent", "bayline": "unavailable"}
    differing = [g for g in view["groups"] if g["diff_from_most_common"]]
    assert any(op["op"] != "equal" for g in differing for op in g["diff_from_most_common"])
    text = cli("demo").stdout
    assert "Renderings of o1" in text and "從未如此之好" in text
    markdown = cli("demo", "--format", "markdown").stdout
    assert "## Renderings of o1" in markdown


def test_demo_terminal_output_through_the_console_script() -> None:
    """`newscov demo` as a user runs it: the installed command, its own loopback server, the matrix."""
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    script = Path(sys.executable).parent / "newscov"
    done = subprocess.run([str(script), "demo"], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Coverage matrix" in out
    for cell in ("⇄ translated", "✗ absent", "≈ near", "✓ verbatim", "⊘ unavailable"):
        assert cell in out
    assert "HTTP 503 Service Unavailable" in out
    assert "雙方同意建立海巡直接[-溝通-]{+聯繫+}管道" in out
    assert done.stderr == ""


@pytest.mark.parametrize(
    "tag",
    [
        '<link rel="canonical" href="https://udn.com/news/story/6813/1">',
        '<link href="https://udn.com/news/story/6813/1" rel="canonical">',
        "<meta property='og:url' content='https://udn.com/news/story/6813/1'>",
    ],
)
def test_saved_page_is_attributed_by_its_canonical_url(cli: Cli, tmp_path: Path, tag: str) -> None:
    page = tmp_path / "saved page.html"
    html = (PAGES / "tidewater.html").read_text(encoding="utf-8").replace("<head>", "<head>" + tag)
    page.write_text(html, encoding="utf-8")
    plain = tmp_path / "Notes 2.txt"
    plain.write_text((PAGES / "harborview.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("compare", "-q", QUOTE, "-f", str(page), "-f", str(plain), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"] == {"udn": "verbatim", "notes-2": "verbatim"}
    assert [o["native_name"] for o in data["outlets"]] == ["聯合新聞網", None]


def test_the_same_url_twice_is_read_once(cli: Cli, site: LoopbackServer) -> None:
    url = site.url("tidewater.html")
    result = cli("compare", "-q", QUOTE, "-q", "has never been better", "-u", url, "-u", url, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert site.requests == ["/robots.txt", "/tidewater.html"]
    assert len(data["articles"]) == 1
    assert [p["language"] for p in data["phrases"]] == ["zh", "en"]


def test_sources_list_filters_and_json(cli: Cli) -> None:
    result = cli("sources", "list", "--country", "hk")
    assert result.exit_code == 0
    assert "hk01" in result.stdout and "mingpao" in result.stdout and "cna" not in result.stdout
    data = json.loads(cli("sources", "list", "--lang", "zh-Hans", "--format", "json").stdout)
    assert {o["id"] for o in data} >= {"xinhua", "people", "voa_zh"}
    assert all("zh-Hans" in o["scripts"] for o in data)


def test_sources_show_and_unknown_id(cli: Cli) -> None:
    result = cli("sources", "show", "cna")
    assert result.exit_code == 0
    assert "中央社" in result.stdout and "feeds.feedburner.com/rsscna/politics" in result.stdout
    result = cli("sources", "show", "cnaa")
    assert result.exit_code == 2
    assert result.stderr.strip() == "newscov: error: unknown outlet 'cnaa'; did you mean cna?"


def test_sources_check_reports_every_problem_with_its_line(cli: Cli, tmp_path: Path) -> None:
    assert cli("sources", "check").exit_code == 0
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "outlets:\n  - id: cna\n    feeds: [{url: 'feeds/cna.xml'}]\n  - id: extra\n    name: Extra\n    domains: [extra.example]\n",
        encoding="utf-8",
    )
    result = cli("sources", "check", "--sources", str(mine))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"newscov: error: {mine}:3:19 outlets[0] (cna).feeds[0].url: 'feeds/cna.xml' is not an absolute http(s) URL",
        f"newscov: error: {mine}:4:5 outlets[1] (extra).language: is required",
    ]


FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
<item><title>一</title><link>https://tidewater.example/news/1</link></item>
<item><title>二</title><link>https://tidewater.example/news/2</link></item></channel></rss>"""
SEARCH = (
    """<html><body><a href="/news/31">輕軌</a> <a href="/news/32">台灣</a> <a href="/about">關於</a></body></html>"""
)


def test_sources_check_live_probes_feeds_sitemaps_and_search(cli: Cli, tmp_path: Path) -> None:
    from coverage.demo.server import Route

    routes = {
        "/rss.xml": Route(200, FEED.encode(), {"Content-Type": "application/rss+xml"}),
        "/gone.xml": Route(404, b"gone"),
        "/sitemap.xml": Route(
            200,
            b"<urlset><url><loc>https://tidewater.example/news/9</loc></url></urlset>",
            {"Content-Type": "application/xml"},
        ),
        "/search": Route(200, SEARCH.encode()),
    }
    with LoopbackServer(routes=routes) as server:
        registry = tmp_path / "tide.yaml"
        registry.write_text(
            f"""outlets:
  - id: tidewater
    name: Tidewater Daily
    language: zh
    script: zh-Hant
    domains: [tidewater.example]
    feeds: [{{url: '{server.url("rss.xml")}'}}, {{url: '{server.url("gone.xml")}'}}]
    sitemaps: [{{url: '{server.url("sitemap.xml")}'}}]
    search: [{{template: '{server.url("search")}?q={{query}}'}}]
    article_url: {{pattern: '/news/\\d+$'}}
""",
            encoding="utf-8",
        )
        result = cli("sources", "check", "tidewater", "--live", "--sources", str(registry))
        assert result.exit_code == 1, result.stderr  # one feed is gone
        assert "2 items" in result.stdout and "1 items" in result.stdout
        assert "2 article links (of 3 links)" in result.stdout
        assert "HTTP 404 Not Found" in result.stdout
        assert "3 of 4 answered with content" in result.stdout
        assert "/search?q=%E5%8F%B0%E7%81%A3" in server.requests or "/search" in server.requests


@pytest.mark.parametrize(("fmt", "marker"), [("markdown", "## Coverage matrix"), ("html", "<!doctype html>")])
def test_markdown_and_html_output(cli: Cli, site: LoopbackServer, tmp_path: Path, fmt: str, marker: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = cli(
        "compare", "-q", QUOTE, "-u", "tidewater=" + site.url("tidewater.html"), "--format", fmt, "-o", str(out)
    )
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert marker in text and "tidewater" in text and "verbatim" in text


def _demo_site() -> LoopbackServer:
    from coverage.demo import SITE

    return LoopbackServer(root=SITE)


def test_compare_original_text_file_url_and_event_file(cli: Cli, tmp_path: Path) -> None:
    """--original as text, as a file, as a URL, and `original:` in an event file: each sentence is a phrase."""
    from coverage.demo import ORIGINAL, PAGES

    with _demo_site() as server:
        urls = [x for o in ("harbordaily", "islandwire", "lantern") for x in ("-u", f"{o}={server.url(PAGES[o])}")]
        common = ["--speaker", "Voss", "--alias", "沃斯=沃思,佛斯,Voss", "--no-cache", "--format", "json", *urls]
        as_text = json.loads(cli("compare", "--original", ORIGINAL, *common).stdout)
        post = tmp_path / "post.txt"
        post.write_text(ORIGINAL, encoding="utf-8")
        as_file = json.loads(cli("compare", "--original", str(post), *common).stdout)
        event = tmp_path / "event.yaml"
        event.write_text(
            "original: {file: post.txt, speaker: Voss}\naliases: [[沃斯, 沃思, 佛斯, Voss]]\n", encoding="utf-8"
        )
        from_event = json.loads(cli("compare", "--event", str(event), "--no-cache", "--format", "json", *urls).stdout)
        # a URL is fetched and read like an article (here: the English page itself)
        as_url = cli("compare", "--original", server.url(PAGES["meridian"]), *common)
    expected = {"harbordaily": "translated", "islandwire": "absent", "lantern": "translated"}
    for data in (as_text, as_file, from_event):
        assert [p["id"] for p in data["phrases"]] == ["o1", "o2"]
        assert data["phrases"][0]["source"] == "original" and data["phrases"][0]["speaker"] == "Voss"
        assert data["matrix"]["o1"] == expected, data["matrix"]
    assert as_url.exit_code == 0, as_url.stderr
    url_phrases = json.loads(as_url.stdout)["phrases"]
    assert any("never been better" in p["text"] for p in url_phrases) and len(url_phrases) >= 4


def test_compare_without_the_aligner_says_not_compared(cli: Cli) -> None:
    from coverage.demo import ORIGINAL, PAGES

    with _demo_site() as server:
        result = cli("compare", "--original", ORIGINAL, "--no-aligner", "--no-cache", "--format", "json",
                     "-u", f"lantern={server.url(PAGES['lantern'])}")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["matrix"]["o1"] == {"lantern": "not compared"}
    [match] = [m for m in data["matches"] if m["phrase_id"] == "o1"]
    assert "--no-aligner" in match["note"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--translator", "localhost:5000"], "--translator 'localhost:5000': give the server's http(s) URL"),
        (["--original", "   "], "the original statement has no sentence to look for"),
    ],
)
def test_original_and_translator_usage_errors(cli: Cli, args: list[str], message: str) -> None:
    result = cli("compare", *args, "--file", f"x={PAGES / 'harborview.txt'}", "--no-cache")
    assert result.exit_code == 2
    assert message in result.stderr


def test_event_file_original_takes_exactly_one_source(cli: Cli, tmp_path: Path) -> None:
    event = tmp_path / "event.yaml"
    event.write_text("original:\n  text: We agreed.\n  url: https://example.test/post\n", encoding="utf-8")
    result = cli("compare", "--event", str(event), "--file", f"x={PAGES / 'harborview.txt'}")
    assert result.exit_code == 2
    assert f"{event}:2:3 event.original: give exactly one of text, url or file" in result.stderr


def test_seed_case_through_the_command(cli: Cli, tmp_path: Path) -> None:
    """The issue's own command: `compare --file udn=… --original "…never been better…"` finds UDN's 前所未有良好."""
    import re

    from .conftest import shared_or_skip

    raw = (shared_or_skip("seed") / "ptt-hegseth-udn-vs-cna.txt").read_text(encoding="utf-8")
    udn = tmp_path / "udn.txt"
    udn.write_text(re.sub(r" (?=\S)", "", raw[raw.index("美國國防部長赫塞斯") : raw.index("6.備註")]), encoding="utf-8")
    result = cli(
        "compare", "--file", f"udn={udn}", "--no-cache", "--format", "json", "--speaker", "Hegseth",
        "--alias", "赫塞斯=赫格塞斯,赫格塞思,Hegseth",
        "--original", "The relationship between the United States and China has never been better.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matrix"]["o1"] == {"udn": "translated"}
    [match] = [m for m in data["matches"] if m["phrase_id"] == "o1"]
    assert "前所未有良好" in match["matched_text"] and match["method"] == "aligner"
