"""`newscov diff`: two articles sentence by sentence."""

from __future__ import annotations

import json
from collections.abc import Callable

from coverage.demo import PAGES, SITE
from coverage.demo.server import LoopbackServer
from coverage.diff import align, sentences
from coverage.match import MatchSettings

from .conftest import PAGES as TEST_PAGES
from .conftest import CliResult
from .test_match import article

Cli = Callable[..., CliResult]


def test_sentences_split_chinese_and_latin_text() -> None:
    assert sentences("第一句。第二句！Third one. Fourth?\n第五句") == [
        "第一句。",
        "第二句！",
        "Third one.",
        "Fourth?",
        "第五句",
    ]


def test_alignment_finds_what_each_side_carries() -> None:
    a = article("沃斯表示，雙方同意建立海巡直接溝通管道。他說，兩國關係前所未有地好。會議在安柏利港舉行。", outlet="a")
    b = article(
        "沃斯表示，双方同意建立海巡直接沟通管道。会议在安柏利港举行，共有十二国参加。分析人士持保留态度。", outlet="b"
    )
    lines = align(a, b)
    assert [line.op for line in lines] == ["same", "only_a", "changed", "only_b"]
    assert lines[1].a == "他說，兩國關係前所未有地好。"
    changed = [(op.phrase, op.article) for op in lines[2].diff if op.op != "equal"]
    assert changed == [("", "共有十二国参加")]  # only the real addition, not the script difference
    assert lines[3].b == "分析人士持保留态度。"


def test_aliases_make_name_spellings_the_same_sentence() -> None:
    a = article("部長沃斯表示雙方同意建立熱線。", outlet="a")
    b = article("部長佛斯表示雙方同意建立熱線。", outlet="b")
    assert [line.op for line in align(a, b)] == ["changed"]
    assert [line.op for line in align(a, b, MatchSettings(aliases=(("沃斯", "佛斯"),)))] == ["same"]


def test_diff_command_on_the_demo_sample(cli: Cli) -> None:
    with LoopbackServer(root=SITE) as server:
        a, b = "harbordaily=" + server.url(PAGES["harbordaily"]), "islandwire=" + server.url(PAGES["islandwire"])
        result = cli("diff", a, b, "--format", "json")
        text = cli("diff", a, b)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    only_a = [line["a"] for line in data["lines"] if line["op"] == "only_a"]
    assert any("兩國關係前所未有地好" in sentence for sentence in only_a)  # what the wire left out
    assert data["summary"]["only_a"] == len(only_a)
    assert data["a"]["outlet_id"] == "harbordaily" and data["b"]["outlet_id"] == "islandwire"
    assert "only in A" in text.stdout and "- " in text.stdout


def test_diff_of_files_and_failures(cli: Cli) -> None:
    result = cli("diff", str(TEST_PAGES / "tidewater.html"), str(TEST_PAGES / "pinecrest.html"), "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)["summary"]
    assert summary["only_a"] >= 1 and summary["only_b"] >= 1
    same = cli("diff", str(TEST_PAGES / "tidewater.html"), str(TEST_PAGES / "tidewater.html"))
    assert same.exit_code == 2 and "the same article" in same.stderr
    missing = cli("diff", str(TEST_PAGES / "tidewater.html"), "/no/such.html")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
