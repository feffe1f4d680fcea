from __future__ import annotations

from pathlib import Path

import pytest

from coverage.errors import SourcesError
from coverage.sources import Registry, default_sources_path, load_sources, parse_sources


def test_bundled_registry_loads_and_attributes_urls() -> None:
    registry = load_sources()
    assert len(registry) >= 25
    assert default_sources_path().name == "sources.yaml"
    assert registry.for_url("https://udn.com/news/story/6813/9112304").id == "udn"
    assert registry.for_url("https://www.cna.com.tw/news/aopl/202511010123.aspx").id == "cna"
    assert registry.for_url("https://m.cna.com.tw/news/aopl/1.aspx").id == "cna"  # mobile host
    assert registry.for_url("https://cn.nytimes.com/world/1/").id == "nyt_cn"  # most specific domain wins
    assert registry.for_url("https://www.nytimes.com/2025/11/01/world/x.html").id == "nyt"
    assert registry.for_url("https://NEWS.LTN.COM.TW:443/news/world/breakingnews/1").id == "ltn"


def test_unknown_hosts_become_outlets_named_after_the_host() -> None:
    outlet = Registry([]).for_url("https://www.tidewater.example/a/1")
    assert outlet.id == "tidewater-example"
    assert outlet.name == "tidewater.example"
    assert not outlet.known


GOOD = """\
version: 1
outlets:
  - id: tidewater
    name: Tidewater Daily
    native_name: 潮水日報
    language: zh
    script: zh-Hant
    domains: [tidewater.example]
"""


def test_a_valid_file_parses() -> None:
    [outlet] = parse_sources(GOOD)
    assert (outlet.id, outlet.label, outlet.domains) == ("tidewater", "潮水日報", ("tidewater.example",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("    language: zh\n", "    langauge: zh\n"),
            "sources.yaml:6:5 outlets[0] (tidewater).langauge: unknown field",
        ),
        (
            GOOD.replace("[tidewater.example]", "[tidewater.example, 'not a host']"),
            "sources.yaml:8:34 outlets[0] (tidewater).domains[1]: 'not a host' is not a host name",
        ),
        (GOOD.replace("script: zh-Hant", "script: zh-TW"), "sources.yaml:7:5 outlets[0] (tidewater).script: one of"),
        (GOOD.replace("    name: Tidewater Daily\n", ""), "sources.yaml:3:5 outlets[0] (tidewater).name: is required"),
        (
            GOOD.replace("id: tidewater", "id: Tide Water"),
            "sources.yaml:3:5 outlets[0] (Tide Water).id: use lower-case",
        ),
        (GOOD + GOOD.split("outlets:\n")[1], "sources.yaml:9:5 outlets[1].id: duplicate id 'tidewater'"),
        (
            GOOD + GOOD.split("outlets:\n")[1].replace("id: tidewater", "id: other"),
            "sources.yaml:14:5 outlets[1].domains: 'tidewater.example' is already listed by outlet 'tidewater'",
        ),
        ("outlets: [\n", "sources.yaml:2:1 not valid YAML"),
        ("- a\n- b\n", "sources.yaml:1:1 outlets: the file must hold a mapping"),
        (GOOD.replace("version: 1", "versoin: 1"), "sources.yaml:1:1 versoin: unknown top-level key"),
    ],
)
def test_validation_errors_name_line_column_and_field(text: str, expected: str) -> None:
    with pytest.raises(SourcesError) as caught:
        parse_sources(text)
    assert expected in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("script: zh-Hant", "script: zh-TW").replace("language: zh", "language: chinese")
    with pytest.raises(SourcesError) as caught:
        parse_sources(text)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("sources.yaml:6:5") and lines[1].startswith("sources.yaml:7:5")


def test_missing_registry_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="no such registry file"):
        load_sources(tmp_path / "nope.yaml")
