from __future__ import annotations

from pathlib import Path

import pytest

from coverage.errors import SourcesError
from coverage.sources import Registry, default_sources_path, load_sources, parse_sources


def parse(*texts: str) -> list:
    outlets, _ = parse_sources((text, f"f{i}.yaml") for i, text in enumerate(texts))
    return outlets


def test_bundled_registry_has_the_outlets_users_need() -> None:
    registry = load_sources(user=False)
    assert len(registry) >= 25
    assert default_sources_path().name == "sources.yaml"
    wanted = {
        "cna", "udn", "ltn", "chinatimes", "ettoday", "yahoo_tw", "tvbs", "pts", "setn", "storm", "newtalk",
        "focustaiwan", "taipeitimes", "hk01", "mingpao", "rthk", "bbc_zhongwen", "voa_zh", "rfi_zh", "dw_zh",
        "xinhua", "people", "globaltimes", "reuters", "ap", "afp", "politico", "bbc", "guardian", "nyt",
    }  # fmt: skip
    assert wanted <= set(registry.ids())
    cna = registry.get("cna")
    assert cna is not None and cna.native_name == "中央社" and cna.timezone == "Asia/Taipei"
    assert cna.feeds and cna.search and cna.article_pattern and cna.canonical_id
    assert all(not feed.verified for outlet in registry for feed in outlet.feeds)  # nothing checked live yet
    assert registry.get("bbc_zhongwen").scripts == ("zh-Hant", "zh-Hans")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://udn.com/news/story/6813/9112304", "udn"),
        ("https://www.cna.com.tw/news/aopl/202511010123.aspx", "cna"),
        ("https://m.cna.com.tw/news/aopl/1.aspx", "cna"),  # mobile host
        ("https://NEWS.LTN.COM.TW:443/news/world/breakingnews/1", "ltn"),
        ("https://ec.ltn.com.tw/article/breakingnews/1", "ltn"),
        ("https://cn.nytimes.com/world/1/", "nyt_cn"),  # most specific host wins
        ("https://www.nytimes.com/2025/11/01/world/x.html", "nyt"),
        ("https://www.bbc.com/zhongwen/articles/c1/trad", "bbc_zhongwen"),  # path prefix
        ("https://www.bbc.com/zhongwenx", "bbc"),  # a prefix is a whole path segment
        ("https://www.bbc.com/news/world-1", "bbc"),
        ("https://www.dw.com/zh-hant/a-1", "dw_zh"),
        ("https://www.rfi.fr/cn/中國/20251101-x", "rfi_zh"),
    ],
)
def test_urls_are_attributed_by_host_and_path(url: str, outlet: str) -> None:
    assert load_sources(user=False).for_url(url).id == outlet


def test_unknown_hosts_become_outlets_named_after_the_host() -> None:
    outlet = Registry([]).for_url("https://www.tidewater.example/a/1")
    assert (outlet.id, outlet.name, outlet.known) == ("tidewater-example", "tidewater.example", False)


GOOD = """\
version: 2
outlets:
  - id: tidewater
    name: Tidewater Daily
    native_name: 潮水日報
    language: zh
    script: zh-Hant
    domains: [tidewater.example]
    feeds:
      - {url: 'https://tidewater.example/rss', label: 要聞}
    search:
      - {template: 'https://tidewater.example/search?q={query}&page={page}'}
    article_url: {pattern: '^https://tidewater\\.example/news/\\d+$', canonical_id: '/news/(\\d+)$'}
    extract:
      byline: ['記者(?P<name>\\S+?)／']
      prune_xpath: ["//div[@class='share']"]
"""


def test_a_valid_file_parses() -> None:
    [outlet] = parse(GOOD)
    assert (outlet.id, outlet.label, outlet.domains, outlet.scripts) == (
        "tidewater", "潮水日報", ("tidewater.example",), ("zh-Hant",)
    )  # fmt: skip
    assert outlet.feeds[0].url == "https://tidewater.example/rss"
    assert outlet.search[0].template.endswith("{query}&page={page}")
    assert outlet.hints.bylines == ("記者(?P<name>\\S+?)／",)
    assert outlet.hints.prune_xpath == ("//div[@class='share']",)


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_with("    language: zh\n", "    langauge: zh\n"), "f0.yaml:6:5 outlets[0] (tidewater).langauge: unknown field"),
        (_with("label: 要聞}", "lable: 要聞}"), "f0.yaml:10:48 outlets[0] (tidewater).feeds[0].lable: unknown field"),
        (
            _with("[tidewater.example]", "[tidewater.example, 'not a host']"),
            "f0.yaml:8:34 outlets[0] (tidewater).domains[1]: 'not a host' is not a host name",
        ),
        (_with("script: zh-Hant", "script: zh-TW"), "f0.yaml:7:13 outlets[0] (tidewater).script[0]: 'zh-TW' is not one of"),
        (_with("language: zh", "language: chinese"), "f0.yaml:6:15 outlets[0] (tidewater).language: 'chinese' is not one"),
        (_with("    name: Tidewater Daily\n", ""), "f0.yaml:3:5 outlets[0] (tidewater).name: is required"),
        (_with("id: tidewater", "id: Tide Water"), "f0.yaml:3:9 outlets[0] (Tide Water).id: use lower-case"),
        (_with("\\S+?)／", "\\S+?／"), "f0.yaml:15:16 outlets[0] (tidewater).extract.byline[0]: not a valid regular"),
        (_with("(?P<name>\\S+?)", "(\\S+?)"), "f0.yaml:15:16 outlets[0] (tidewater).extract.byline[0]: the regular expression needs the named group(s) (?P<name>...)"),
        (_with("'/news/(\\d+)$'", "'/news/\\d+$'"), "f0.yaml:13:83 outlets[0] (tidewater).article_url.canonical_id: the regular expression needs 1 capture group"),
        (_with("[\"//div[@class='share']\"]", "[\"//div[@class=\"]"), "outlets[0] (tidewater).extract.prune_xpath"),
        (_with("[\"//div[@class='share']\"]", "['//div[@class=']"), "f0.yaml:16:21 outlets[0] (tidewater).extract.prune_xpath[0]: not a valid XPath"),
        (_with("q={query}&page={page}", "q={qeury}"), "f0.yaml:12:20 outlets[0] (tidewater).search[0].template: unknown placeholder {qeury}"),
        (_with("q={query}&page={page}", "page={page}"), "f0.yaml:12:20 outlets[0] (tidewater).search[0].template: the template must contain {query}"),
        (_with("'https://tidewater.example/search", "'ftp://tidewater.example/search"), "f0.yaml:12:20 outlets[0] (tidewater).search[0].template: 'ftp://tidewater.example/search?q=x&page=x' is not an absolute http(s) URL"),
        (_with("'https://tidewater.example/rss'", "'tidewater.example/rss'"), "f0.yaml:10:15 outlets[0] (tidewater).feeds[0].url: 'tidewater.example/rss' is not an absolute http(s) URL"),
        (GOOD + GOOD.split("outlets:\n")[1], "f0.yaml:17:5 outlets[1] (tidewater).id: duplicate id 'tidewater'"),
        (
            GOOD + GOOD.split("outlets:\n")[1].replace("id: tidewater", "id: other"),
            "f0.yaml:22:5 outlets (other).domains: 'tidewater.example' is already listed by outlet 'tidewater'",
        ),
        ("outlets: [\n", "f0.yaml:2:1 not valid YAML"),
        ("- a\n- b\n", "f0.yaml:1:1 outlets: the file must hold a mapping with an 'outlets' list"),
        (_with("version: 2", "versoin: 2"), "f0.yaml:1:1 file.versoin: unknown field"),
        (GOOD + "    politeness: {min_interval_s: -1}\n", "f0.yaml:17:34 outlets[0] (tidewater).politeness.min_interval_s: must be a number >= 0"),
        (GOOD + "    timezone: Asia/Taipie\n", "f0.yaml:17:15 outlets[0] (tidewater).timezone: 'Asia/Taipie' is not an IANA time zone"),
        (GOOD + "    country: Taiwan\n", "f0.yaml:17:14 outlets[0] (tidewater).country: a two-letter ISO 3166 code"),
    ],
)  # fmt: skip
def test_validation_errors_name_file_line_column_and_field(text: str, expected: str) -> None:
    with pytest.raises(SourcesError) as caught:
        parse(text)
    assert expected in str(caught.value)


def test_every_problem_of_every_file_is_reported_at_once() -> None:
    first = _with("script: zh-Hant", "script: zh-TW").replace("language: zh", "language: chinese")
    second = "outlets:\n  - id: extra\n    name: Extra\n    language: en\n    domains: ['bad host']\n"
    with pytest.raises(SourcesError) as caught:
        parse(first, second)
    lines = str(caught.value).splitlines()
    assert [line.split(" ")[0] for line in lines] == ["f0.yaml:6:15", "f0.yaml:7:13", "f1.yaml:5:15"]


def test_a_user_file_overrides_only_what_it_names() -> None:
    override = """\
outlets:
  - id: tidewater
    feeds: [{url: 'https://tidewater.example/other.xml'}]
    extract: {title_suffix: '\\s*\\|.*$'}
  - id: newcomer
    name: Newcomer
    language: en
    domains: [newcomer.example]
"""
    tidewater, newcomer = parse(GOOD, override)
    assert tidewater.feeds[0].url == "https://tidewater.example/other.xml"  # replaced
    assert tidewater.native_name == "潮水日報"  # kept
    assert tidewater.search[0].template.startswith("https://tidewater.example/search")  # kept
    assert tidewater.hints.title_suffix == "\\s*\\|.*$"  # merged key by key ...
    assert tidewater.hints.bylines == ("記者(?P<name>\\S+?)／",)  # ... with the bundled hints
    assert newcomer.id == "newcomer"


def test_a_new_outlet_in_a_user_file_must_be_complete() -> None:
    with pytest.raises(SourcesError, match=r"f1.yaml:2:5 outlets\[0\] \(newcomer\).name: is required"):
        parse(GOOD, "outlets:\n  - id: newcomer\n    language: en\n    domains: [newcomer.example]\n")


def test_a_user_file_can_hide_an_outlet() -> None:
    assert parse(GOOD, "outlets:\n  - id: tidewater\n    disabled: true\n") == []


def test_user_registry_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("outlets:\n  - id: cna\n    native_name: 中央通訊社\n", encoding="utf-8")
    monkeypatch.setenv("NEWSCOV_SOURCES", str(user))
    registry = load_sources()
    assert registry.get("cna").native_name == "中央通訊社"  # type: ignore[union-attr]
    assert str(user) in registry.files
    assert load_sources(user=False).get("cna").native_name == "中央社"  # type: ignore[union-attr]


def test_missing_registry_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="no such registry file"):
        load_sources(tmp_path / "nope.yaml")


def test_suggest_near_ids() -> None:
    assert load_sources(user=False).suggest("cnaa")[0] == "cna"
