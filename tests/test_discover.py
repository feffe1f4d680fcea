"""Discovery end to end over a loopback fake web (tests/fakeweb.py), and its parts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coverage.discover.base import relevance, story_key
from coverage.discover.feeds import parse_feed
from coverage.discover.search import links_from_json
from coverage.discover.sitemaps import parse_sitemap
from coverage.event import Event, load_event
from coverage.models import Outlet

from .conftest import REPO, CliResult
from .fakeweb import ALIAS, OUTLETS, PHRASE, QUERY_EN, QUERY_ZH, RENDERING, fake_web

Cli = Callable[..., CliResult]


def run_fake_web(cli: Cli, tmp_path: Path, gdelt_mode: str = "ok") -> tuple[dict, dict[str, int]]:
    with fake_web(tmp_path, gdelt_mode=gdelt_mode) as web:
        outlets = [arg for name in OUTLETS for arg in ("--outlet", name)]
        result = cli(
            "compare", "-q", PHRASE, "-r", RENDERING, "--query", QUERY_ZH, "--query", QUERY_EN, "--alias", ALIAS,
            *outlets, *web.cli_args(), "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), web.requests_per_host()


def test_every_outcome_on_the_fake_web(cli: Cli, tmp_path: Path) -> None:
    data, requests = run_fake_web(cli, tmp_path)
    assert data["matrix"]["p1"] == {
        "alpha": "verbatim",
        "beta": "near",
        "gamma": "verbatim",
        "delta": "verbatim",  # Simplified Chinese, found through a JSON search API
        "epsilon": "translated",  # English, known only to GDELT
        "zeta": "no article",  # published nothing on the event
        "eta": "absent",  # its feed answered 429 first; the article leaves the phrase out
        "theta": "verbatim",
        "iota": "no article",  # malformed feed, Google News failed, GDELT answered with nothing
        "kappa": "unavailable",  # a Google News headline whose address cannot be resolved
    }
    found = {d["outlet_id"]: d for d in data["discovery"]}
    via = {o: [a["found_via"] for a in found[o]["articles"]] for o in found}
    assert via["alpha"] == [["feed", "gdelt"]]  # the out-of-window and off-topic feed items are not kept
    assert via["beta"] == [["sitemap", "gnews"]]  # the Google News headline matched back to the sitemap URL
    assert via["delta"] == [["search"]] and via["epsilon"] == [["gdelt"]] and via["eta"] == [["feed"]]
    assert found["zeta"]["outcome"] == "none"
    assert found["zeta"]["off_topic"][0].endswith("/n/2")  # the site search hit never mentions the event
    assert {s["backend"] for s in found["zeta"]["searched"]} == {"feeds", "search", "gnews", "gdelt"}
    assert all(s["error"] is None for s in found["zeta"]["searched"])  # "no article" only after every backend answered
    theta_search = next(s for s in found["theta"]["searched"] if s["backend"] == "search")
    assert theta_search["error"].endswith("robots.txt of the site disallows this path")
    iota = {s["backend"]: s["error"] for s in found["iota"]["searched"]}
    assert "not valid XML" in iota["feeds"] and iota["gnews"] == "HTTP 500 Internal Server Error"
    assert "could not be resolved" in next(f["reason"] for f in data["failures"] if f["outlet_id"] == "kappa")
    articles = {a["outlet_id"]: a for a in data["articles"]}
    assert articles["gamma"]["reprint_of"] == "alpha"  # the wire story, reprinted
    assert articles["alpha"]["reprint_of"] is None
    assert data["event"]["queries"] == [QUERY_ZH, QUERY_EN]
    # politeness: robots.txt once per host; one Google News request per outlet, one GDELT request
    assert requests["gnews"] == 1 + len(OUTLETS)
    assert requests["gdelt"] == 2
    assert all(count <= 5 for name, count in requests.items() if name in OUTLETS)


def test_a_backend_answering_garbage_fails_alone(cli: Cli, tmp_path: Path) -> None:
    data, _ = run_fake_web(cli, tmp_path, gdelt_mode="garbage")
    found = {d["outlet_id"]: d for d in data["discovery"]}
    gdelt_errors = {
        d["outlet_id"]: next(s["error"] for s in d["searched"] if s["backend"] == "gdelt") for d in data["discovery"]
    }
    assert all(
        e == "GDELT answered: Your search contained a keyword that is too common." for e in gdelt_errors.values()
    )
    assert found["iota"]["outcome"] == "failed"  # every backend failed: not "no article"
    assert data["matrix"]["p1"]["iota"] == "search failed"
    assert data["matrix"]["p1"]["epsilon"] == "no article"  # only GDELT knew it
    assert data["matrix"]["p1"]["alpha"] == "verbatim"  # the feed still found it


def test_terminal_report_shows_discovery(cli: Cli, tmp_path: Path) -> None:
    with fake_web(tmp_path) as web:
        result = cli("compare", "-q", PHRASE, "--query", QUERY_ZH, "--alias", ALIAS, "--outlet", "zeta", "--outlet", "alpha",
                     "--no-gdelt", *web.cli_args())  # fmt: skip
    assert result.exit_code == 0
    assert "Discovery (2026-10-13 00:00 – 2026-10-16 23:59 UTC)" in result.stdout
    assert "— no article" in result.stdout and "via feed" in result.stdout
    assert "read, but never mentions the event" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--query", "  "], "--query is empty"),
        (
            ["--query", "x", "--from", "2025-11-03", "--to", "2025-11-01"],
            "the window ends (2025-11-01 23:59) before it starts (2025-11-03 00:00)",
        ),
        (["--query", "x", "--from", "2099-01-01"], "the window starts in the future"),
        (["--query", "x", "--to", "2099-01-01"], "the window ends in the future (2099-01-01)"),
        (["--query", "x", "--from", "yesterday"], "'yesterday' is not a date"),
        (["--query", "x", "--since", "3d", "--from", "2025-11-01"], "give --since or --from, not both"),
        (["--query", "x", "--outlet", "cnaa"], "unknown outlet 'cnaa'; did you mean cna?"),
        (["--query", "x", "--country", "ZZ"], "no outlet to search"),
        (["--query", "x", "--alias", "赫塞斯"], "--alias '赫塞斯': give a name and its other spellings"),
        (["--event", "/no/such.yaml"], "--event '/no/such.yaml': no such file"),
    ],
)
def test_bad_event_input(cli: Cli, args: list[str], message: str) -> None:
    result = cli("compare", "-q", PHRASE, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_event_file_errors_name_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "event.yaml"
    bad.write_text(
        "title: x\nwindow: {from: 2025-11-01, to: someday}\nqueries: [赫塞斯]\naliases:\n  - [赫塞斯]\nphrase: []\n",
        encoding="utf-8",
    )
    result = cli("compare", "--event", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"newscov: error: {bad}:2:32 event.window.to: 'someday' is not a date")
    assert lines[1] == f"newscov: error: {bad}:5:5 event.aliases[0]: give two spellings or more"
    assert lines[2] == (
        f"newscov: error: {bad}:6:1 event.phrase: unknown field "
        "(known: aliases, original, outlets, phrases, pinned, queries, title, window)"
    )


def test_shipped_example_event_file_is_valid() -> None:
    event = load_event(REPO / "examples" / "hegseth-dong.yaml")
    assert event.queries and event.pinned and event.phrases
    assert "前所未有良好" in event.phrases[0].renderings
    assert event.start < event.end
    assert any("赫格塞思" in alias for alias in event.aliases)


def test_relevance_counts_alias_spellings_in_either_script() -> None:
    event = Event(queries=("赫塞斯 董軍",), aliases=(("赫塞斯", "赫格塞斯", "Hegseth"),))
    assert relevance(event, "赫格塞斯與董军會談") == 1.0  # alias spelling, Simplified 军
    assert relevance(event, "赫格塞斯訪問馬來西亞") == 0.5
    assert relevance(event, "颱風動向") == 0.0


def test_parse_feed_reads_rss_and_atom() -> None:
    atom = (
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>甲</title><link rel='alternate' href='https://a.example/1'/>"
        "<updated>2026-10-14T12:00:00Z</updated><summary>摘要</summary></entry></feed>"
    )
    assert parse_feed(atom) == [
        {"title": "甲", "link": "https://a.example/1", "published": "2026-10-14T12:00:00Z", "summary": "摘要"}
    ]
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        parse_feed("<html><body>x</body></html>")
    with pytest.raises(ValueError, match="refused unsafe XML"):
        parse_feed(
            '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>'
        )


def test_parse_sitemap_index_and_news_entries() -> None:
    children, urls = parse_sitemap(
        "<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc><lastmod>2026-10-14</lastmod></sitemap></sitemapindex>"
    )
    assert [c for c, _ in children] == ["https://a.example/s1.xml"] and urls == []
    _, urls = parse_sitemap(
        "<urlset xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'><url><loc>https://a.example/n/1</loc>"
        "<news:news><news:title>標題</news:title><news:publication_date>2026-10-14</news:publication_date></news:news></url></urlset>"
    )
    assert urls == [{"loc": "https://a.example/n/1", "title": "標題", "published": "2026-10-14", "keywords": ""}]


def test_json_search_answers_are_walked_for_links_and_titles() -> None:
    data = {"lists": [{"titleLink": "/news/story/1/2", "title": "甲", "time": {"date": "2026-10-14 10:00"}}]}
    assert links_from_json(data, "https://udn.example/api") == [
        ("https://udn.example/news/story/1/2", "甲", "2026-10-14 10:00")
    ]


def test_story_key_groups_the_same_story_under_several_sections() -> None:
    cna = Outlet("cna", "CNA", canonical_id=r"/news/[a-z]+/(\d{12})\.aspx")
    assert story_key(cna, "https://www.cna.com.tw/news/aipl/202511010123.aspx") == story_key(
        cna, "https://www.cna.com.tw/news/aopl/202511010123.aspx"
    )
    plain = Outlet("x", "X")
    assert story_key(plain, "https://m.x.example/a?utm_source=feed") == story_key(plain, "https://www.x.example/a")


def test_event_window_defaults_to_the_last_three_days() -> None:
    from coverage.event import build_event

    event = build_event(None, queries=["x"])
    assert 2.9 < (event.end - event.start).total_seconds() / 86400 < 3.1
    assert event.end <= datetime.now(UTC)


def test_an_outlet_nothing_can_search_is_search_failed(cli: Cli, tmp_path: Path) -> None:
    with fake_web(tmp_path) as web:
        result = cli("compare", "-q", PHRASE, "--query", QUERY_ZH, "--outlet", "kappa", "--no-gnews", "--no-gdelt",
                     *web.cli_args(), "--format", "json")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"]["kappa"] == "search failed"
    assert data["discovery"][0]["searched"][0]["error"].startswith("no backend can search this outlet")
    assert result.exit_code == 1  # nothing was compared
