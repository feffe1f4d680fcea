"""`newscov diff`: two articles sentence by sentence."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from rich.console import Console

from coverage.align.encoder import Encoder, EncoderUnavailable
from coverage.demo import PAGES, SITE
from coverage.demo.server import LoopbackServer
from coverage.diff import align, align_across, sentences
from coverage.errors import NewscovError
from coverage.match import MatchSettings
from coverage.report.diff import diff_to_json, render_diff

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
    # what the wire left out: since reworded sentences are paired, the quote shows as A's words deleted from the
    # wire's shorter account of the same meeting (or as a sentence only A has)
    deleted = [op["phrase"] for line in data["lines"] if line["op"] == "changed" for op in line["diff"]
               if op["op"] in ("delete", "replace")]  # fmt: skip
    assert any("兩國關係前所未有地好" in text for text in only_a + deleted)
    assert data["summary"]["only_a"] == len(only_a)
    assert data["summary"]["boilerplate_b"] >= 1  # the wire's dateline and editor line are set apart
    assert data["a"]["outlet_id"] == "harbordaily" and data["b"]["outlet_id"] == "islandwire"
    assert "only in A" in text.stdout and "- " in text.stdout


def test_diff_command_across_languages_on_the_demo_sample(cli: Cli) -> None:
    """The English story against a Chinese one, over loopback: the post's line is rendered in both."""
    with LoopbackServer(root=SITE) as server:
        a, b = "meridian=" + server.url(PAGES["meridian"]), "harbordaily=" + server.url(PAGES["harbordaily"])
        result = cli("diff", a, b, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rendered = [line for line in data["lines"] if line["op"] == "rendered"]
    assert any("never been better" in line["a"] and "前所未有地好" in line["b"] for line in rendered)
    assert data["summary"]["rendered"] >= 2


def test_diff_of_files_and_failures(cli: Cli) -> None:
    result = cli("diff", str(TEST_PAGES / "tidewater.html"), str(TEST_PAGES / "pinecrest.html"), "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)["summary"]
    assert summary["only_a"] >= 1 and summary["only_b"] >= 1
    same = cli("diff", str(TEST_PAGES / "tidewater.html"), str(TEST_PAGES / "tidewater.html"))
    assert same.exit_code == 2 and "the same article" in same.stderr
    missing = cli("diff", str(TEST_PAGES / "tidewater.html"), "/no/such.html")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


# ── across languages (fictional texts; the encoder is loaded once per process by default_encoder) ──

LIBRARY_EN = (
    "The Veloria National Library reopened on Saturday after a four-year renovation that cost 120 million crowns. "
    "Director Hanna Seltz said the reading rooms could now seat 900 visitors, twice as many as before. "
    "The library's oldest map, drawn in 1642, has been moved to a new climate-controlled vault. "
    "Several staff members complained that the roof still leaks during storms. "
    "Admission will remain free for students and pensioners. "
    "The library will be open every day except Monday."
)
LIBRARY_ZH = (
    "维洛里亚国家图书馆经过历时四年、耗资1.2亿克朗的翻修后，于周六重新开放。"
    "馆长塞尔茨说，阅览室现在可容纳900名读者，是以前的两倍。"
    "该馆最古老的地图绘制于1642年，已被移入新建的恒温恒湿库房。"
    "学生和退休人员仍可免费入馆。"
    "开幕式上，一支儿童合唱团演唱了国歌。"  # added by the translation
    "图书馆除周一外每天开放。"
)
LAW_EN = (
    "Kestrel's parliament approved the new fishing law by 84 votes to 31 on Thursday, after a debate that lasted "
    "eleven hours. The law takes effect in May."
)
LAW_ZH = "凯斯特尔议会周四以84票对31票通过了新的渔业法。此前的辩论持续了十一个小时。该法将于五月生效。"


def test_translation_dropped_added_and_rendered_sentences() -> None:
    english, chinese = article(LIBRARY_EN, outlet="wire"), article(LIBRARY_ZH, outlet="daily")
    assert (english.language, chinese.language) == ("en", "zh")
    lines = align(english, chinese)
    assert [line.op for line in lines] == ["rendered"] * 3 + ["only_a", "rendered", "only_b", "rendered"]
    assert lines[3].a == "Several staff members complained that the roof still leaks during storms."
    assert lines[5].b == "开幕式上，一支儿童合唱团演唱了国歌。"
    rendered = [line for line in lines if line.op == "rendered"]
    zh = sentences(LIBRARY_ZH)
    assert [line.b for line in rendered] == [zh[0], zh[1], zh[2], zh[3], zh[5]]  # in order
    assert [line.a for line in rendered] == [s for s in sentences(LIBRARY_EN) if "roof" not in s]
    assert all(40 <= line.score <= 100 and line.parts == (1, 1) for line in rendered)


def test_one_sentence_rendered_by_two_and_the_other_way_round() -> None:
    english, chinese = article(LAW_EN, outlet="wire"), article(LAW_ZH, outlet="daily")
    lines = align(english, chinese)
    assert [(line.op, line.parts) for line in lines] == [("rendered", (1, 2)), ("rendered", (1, 1))]
    assert lines[0].b == "凯斯特尔议会周四以84票对31票通过了新的渔业法。此前的辩论持续了十一个小时。"
    back = align(chinese, english)
    assert [(line.op, line.parts) for line in back] == [("rendered", (2, 1)), ("rendered", (1, 1))]
    assert back[0].b == sentences(LAW_EN)[0]


def test_unrelated_stories_in_two_languages_share_no_sentence() -> None:
    lines = align(article(LAW_EN, outlet="wire"), article(LIBRARY_ZH, outlet="daily"))
    assert {line.op for line in lines} == {"only_a", "only_b"}


def test_rendered_lines_in_json_and_terminal() -> None:
    english, chinese = article(LIBRARY_EN, outlet="wire"), article(LIBRARY_ZH, outlet="daily")
    lines = align(english, chinese)
    data = json.loads(diff_to_json(english, chinese, lines))
    assert data["summary"] == {"same": 0, "changed": 0, "only_a": 1, "only_b": 1, "rendered": 5,
                               "shared": 0, "reworded": 0, "boilerplate_a": 0, "boilerplate_b": 0}  # fmt: skip
    rendered = [line for line in data["lines"] if line["op"] == "rendered"]
    assert len(rendered) == 5 and rendered[0]["parts"] == [1, 1] and 40 <= rendered[0]["score"] <= 100
    assert "parts" not in next(line for line in data["lines"] if line["op"] == "only_a")
    out = io.StringIO()
    render_diff(english, chinese, lines, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "5 rendered" in text and "1 only in A, 1 only in B" in text
    # side by side (the view is two columns from 100 columns of console): A's sentence and its rendering on one row
    row = next(row for row in text.splitlines() if "reading rooms" in row)
    assert row.lstrip().startswith("⇄ Director Hanna Seltz") and "⇄ 馆长塞尔茨说" in row
    assert row.index("馆长塞尔茨说") > row.index("reading rooms") and row.rstrip().endswith("]")


def test_untrusted_text_is_cleaned_in_rendered_lines() -> None:
    english = article("The law takes effect in May.\x1b[31m", outlet="wire")
    chinese = article("该法将于五月生效。", outlet="daily")
    lines = align(english, chinese)
    assert [line.op for line in lines] == ["rendered"]
    out = io.StringIO()
    render_diff(english, chinese, lines, Console(file=out, width=200, color_system=None))
    assert "\x1b" not in out.getvalue()


class _BrokenEncoder(Encoder):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise EncoderUnavailable("no weights")


def test_missing_encoder_is_a_user_error() -> None:
    with pytest.raises(NewscovError, match="sentence encoder"):
        align_across(article(LAW_EN, outlet="wire"), article(LAW_ZH, outlet="daily"), encoder=_BrokenEncoder())
