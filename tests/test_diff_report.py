"""`newscov diff` as a report: bylines set apart, reworded sentences paired, the summary, and the side-by-side views
(terminal, Markdown, HTML, JSON). Fictional texts only; no network, no sentence encoder."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt
from rapidfuzz import fuzz
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from coverage.diff import RELATED, Line, align, pair_score, sentences, split_body, summarize
from coverage.extract import text_article
from coverage.match import MatchSettings, fold_for_matching
from coverage.models import Article
from coverage.report.diff import Wrapped, diff_to_html, diff_to_json, diff_to_markdown, render_diff, segments
from coverage.report.json import SCHEMA_VERSION
from coverage.textnorm import is_han

# one fictional press release, as two outlets ran it: a daily (with its byline, a photo credit and a "more news"
# link) and a wire (with its dateline and editor line); the wire splits one sentence in two, rewords others
PRESS_A = """青嶼公共自行車明年起前30分鐘免費
〔記者王小明／青嶼報導〕青嶼市政府今天宣布，明年元旦起全市公共自行車前30分鐘免費。
市長林佳蓉表示：「我們希望讓更多市民以自行車代替機車，減少市區的空氣污染。」
市府交通局指出，目前全市共有420個租賃站，明年底前將再增設80站。
交通局長陳志明說，免費方案每年約需新台幣1.2億元，經費由空污基金支應。
交通局也提醒，自行車不得騎上人行道，違者最高可罰新台幣1200元。
部分議員質疑，租賃站分布不均，偏遠地區居民難以受惠。
（圖／青嶼市政府提供）
更多新聞：青嶼捷運延伸線明年動工"""
PRESS_B = """（東風通訊社記者李美華青嶼3日電）青嶼市政府今天宣布，明年元旦起，全市公共自行車前３０分鐘免費。
林佳蓉說：“希望讓更多市民用自行車代替機車，減少市區空氣污染。”
交通局表示，全市目前有420個租賃站。明年底以前將再增設80個站點。
免費方案每年約需新台幣1.2億元，交通局長陳志明說，經費將由空污基金支應。
交通局也提醒，自行車不得騎上人行道。違者最高可罰新台幣1200元。
偏遠地區居民難以受惠，是因為租賃站分布不均，一些議員這樣批評。
市府也將在捷運站周邊增設自行車停車格。
（編輯：張家豪）1151103"""
PRESS_A_URL = "https://harborview.example/news/2026/10/03/bike_share(free)-plan-for-all-residents-of-the-whole-city"
PRESS_B_URL = "https://eastwind.example/a/20261003_0042"

FERRY_A = """By Jane Doe
The city council of Port Ellery voted on Tuesday to close the old ferry terminal by the end of March.
Mayor Tom Reyes said the building was no longer safe for passengers.
The terminal, which opened in 1958, handled about 2,000 travellers a day at its peak.
A new terminal is expected to open next year on the north shore, the U.S. company building it said.
Read more: Port Ellery budget talks stall
© 2026 Tidewater Gazette. All rights reserved."""
FERRY_B = """PORT ELLERY, Nov 4 (Northwire) - The old ferry terminal will close by the end of March, the Port Ellery city council decided on Tuesday.
“Mayor Tom Reyes said the building was no longer safe for passengers.”
The terminal opened in 1958. At its peak it handled about 2,000 travellers a day.
Local shop owners fear losing customers once the terminal closes.
Reporting by John Roe; Editing by Mary Major"""


def make(text: str, outlet: str, url: str, title: str | None = None) -> Article:
    return text_article(text, outlet, url, title)


def press() -> tuple[Article, Article, list[Line]]:
    a = make(PRESS_A, "harborview", PRESS_A_URL, "青嶼公共自行車明年起前30分鐘免費")
    b = make(PRESS_B, "eastwind", PRESS_B_URL, "青嶼市長宣布公共自行車前半小時免費")
    return a, b, align(a, b)


def ferry() -> tuple[Article, Article, list[Line]]:
    a = make(FERRY_A, "tidewater", "https://tidewater.example/news/ferry_terminal_(update)", "Ferry terminal to close")
    b = make(FERRY_B, "northwire", "https://northwire.example/wire/4411", "Port Ellery ferry terminal to shut")
    return a, b, align(a, b)


def terminal(a: Article, b: Article, lines: list[Line], width: int) -> str:
    out = io.StringIO()
    render_diff(a, b, lines, Console(file=out, width=width, color_system=None))
    return out.getvalue()


# ── the alignment ──


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("記者王小明／台北報導", "byline"),
        ("〔記者王小明／台北報導〕", "byline"),
        ("社會中心／綜合報導", "byline"),
        ("By Jane Doe", "byline"),
        ("By Jane Doe and John Roe, Northwire", "byline"),
        ("Reporting by Jane Doe; Editing by John Roe", "byline"),
        ("(Reporting by Jane Doe in Port Ellery; Additional reporting by Ann Lee; Editing by John Roe)", "byline"),
        ("（圖／青嶼市政府提供）", "credit"),
        ("▲市長林佳蓉今天出席記者會。", "credit"),
        ("市長林佳蓉出席啟用典禮（記者王小明攝）", "credit"),
        ("Photo: Jane Doe/Northwire", "credit"),
        ("更多新聞：青嶼捷運延伸線明年動工", "more"),
        ("延伸閱讀》青嶼捷運延伸線明年動工", "more"),
        ("Read more: Port Ellery budget talks stall", "more"),
        ("© 2026 Tidewater Gazette. All rights reserved.", "copyright"),
        ("本網站內容未經授權不得轉載", "copyright"),
        ("責任編輯：孫麗", "editor"),
        ("（編輯：王美玲）1141015", "editor"),
        ("2026年10月15日 10:20　来源：北星日报　作者：赵明远", "meta"),
    ],
)
def test_bylines_credits_and_boilerplate_are_set_apart(line: str, kind: str) -> None:
    body = split_body(f"第一句話在這裡。\n{line}\nThe last sentence is here.")
    assert body.sentences == ["第一句話在這裡。", "The last sentence is here."]
    assert [k for k, _ in body.apart] == [kind]


def test_datelines_and_credits_are_taken_off_the_sentence_they_are_glued_to() -> None:
    body = split_body(
        "（中央社記者邱俊欽桃園19日電）桃園市政府今天宣布新的交通計畫。\n"
        "〔記者王小明／台北報導〕台北市議會今天通過預算。\n"
        "PORT ELLERY, Nov 4 (Northwire) - The council voted on Tuesday.\n"
        "論壇將於15日下午發表共同聲明。（編輯：王美玲）1141015",
        title=None,
    )
    assert body.sentences == [
        "桃園市政府今天宣布新的交通計畫。",
        "台北市議會今天通過預算。",
        "The council voted on Tuesday.",
        "論壇將於15日下午發表共同聲明。",
    ]
    assert [kind for kind, _ in body.apart] == ["dateline", "byline", "dateline", "editor"]


def test_prose_that_looks_like_boilerplate_stays() -> None:
    prose = [
        "By noon, the crowd had grown to 2,000 people.",
        "記者會上，林佳蓉表示將持續推動自行車政策。",
        "Photographers gathered outside the court.",
        "The court ruled that copying the map was not a breach of copyright.",
        "Read more about the plan at the library, officials said.",
        "更多市民希望市府延長免費時間。",
    ]
    assert split_body("\n".join(prose)).sentences == prose


def test_headline_repeated_in_the_body_is_set_apart() -> None:
    body = split_body("青嶼公共自行車明年起前30分鐘免費\n市府今天宣布。", title="青嶼公共自行車明年起「前30分鐘」免費")
    assert body.sentences == ["市府今天宣布。"] and body.apart == [("headline", "青嶼公共自行車明年起前30分鐘免費")]


def test_sentences_keep_closing_quotes_and_abbreviations() -> None:
    assert sentences("他說：「我們會努力。」記者問他何時完成。") == ["他說：「我們會努力。」", "記者問他何時完成。"]
    assert sentences('He said "it is safe." Then he left. Mr. Reyes met U.S. officials. They agreed.') == [
        'He said "it is safe."',
        "Then he left.",
        "Mr. Reyes met U.S. officials.",
        "They agreed.",
    ]


def test_boilerplate_is_not_counted_as_left_out() -> None:
    _, _, lines = press()
    apart = [line for line in lines if line.op == "boilerplate"]
    assert [(line.kind, line.a is not None) for line in apart] == [
        ("headline", True),
        ("byline", True),
        ("credit", True),
        ("more", True),
        ("dateline", False),
        ("editor", False),
    ]
    assert all((line.a is None) != (line.b is None) for line in apart)  # the side is the field that is set
    one_sided = [line.a or line.b or "" for line in lines if line.op in ("only_a", "only_b")]
    assert one_sided == ["市府也將在捷運站周邊增設自行車停車格。"]
    assert lines[-len(apart) :] == apart  # set apart at the end


def test_same_press_release_shares_sentences() -> None:
    """Punctuation, full-width digits, curly against straight quotes and a sentence split in two are no change."""
    _, _, lines = press()
    same = [line for line in lines if line.op == "same"]
    assert [line.a for line in same] == [
        "青嶼市政府今天宣布，明年元旦起全市公共自行車前30分鐘免費。",
        "交通局也提醒，自行車不得騎上人行道，違者最高可罰新台幣1200元。",
    ]
    assert same[0].b == "青嶼市政府今天宣布，明年元旦起，全市公共自行車前３０分鐘免費。"
    assert same[1].b == "交通局也提醒，自行車不得騎上人行道。違者最高可罰新台幣1200元。" and same[1].parts == (1, 2)
    assert summarize(lines).shared == 2
    *_, lines = ferry()
    assert [line.b for line in lines if line.op == "same"] == [
        "“Mayor Tom Reyes said the building was no longer safe for passengers.”"
    ]


def test_reworded_sentences_are_paired_not_removed_and_added() -> None:
    _, _, lines = press()
    settings = MatchSettings()
    reordered = next(line for line in lines if line.a == "部分議員質疑，租賃站分布不均，偏遠地區居民難以受惠。")
    assert reordered.op == "changed" and reordered.b == "偏遠地區居民難以受惠，是因為租賃站分布不均，一些議員這樣批評。"
    folded = [fold_for_matching(x, settings).text for x in (reordered.a or "", reordered.b or "")]
    assert fuzz.ratio(*folded) < RELATED <= reordered.score  # the plain ratio alone would not have paired them
    a_segments, b_segments = segments(reordered)
    assert a_segments and ("del", "部分議員質疑，") in a_segments
    assert b_segments and ("ins", "偏遠地區居民難以受惠，是因為") in b_segments
    split = next(line for line in lines if line.parts == (1, 2) and line.op == "changed")
    assert split.b == "交通局表示，全市目前有420個租賃站。明年底以前將再增設80個站點。"
    _, _, english = ferry()
    first = english[0]
    assert first.op == "changed" and first.a and first.a.startswith("The city council of Port Ellery voted")
    assert (
        first.b
        == "The old ferry terminal will close by the end of March, the Port Ellery city council decided on Tuesday."
    )
    assert pair_score(first.a, first.b) >= RELATED > fuzz.ratio(first.a.lower(), first.b.lower())


def test_different_sentences_of_one_story_stay_apart() -> None:
    a = make("市長林佳蓉今天宣布公共自行車前30分鐘免費。部分議員質疑租賃站分布不均。", "a", "https://a.example/1")
    b = make("市長林佳蓉今天宣布公共自行車前30分鐘免費。市府也將在捷運站周邊增設停車格。", "b", "https://b.example/1")
    assert [line.op for line in align(a, b)] == ["same", "only_a", "only_b"]


def test_a_moved_sentence_is_still_paired() -> None:
    a = make("第一段說明計畫內容與預算。第二段介紹市長的談話。第三段是議員的批評與質疑。", "a", "https://a.example/1")
    b = make("第三段是議員的批評與質疑。第一段說明計畫內容與預算。第二段介紹市長的談話。", "b", "https://b.example/1")
    lines = align(a, b)
    assert [line.op for line in lines] == ["same"] * 3
    assert [line.a for line in lines] == sentences(a.text)  # in A's order


def test_aliases_are_applied() -> None:
    aliases = MatchSettings(aliases=(("沃斯", "佛斯"),))
    a = make("沃斯表示同意。會議舉行。", "a", "https://a.example/1")
    b = make("佛斯表示同意，會議舉行。", "b", "https://b.example/1")
    assert [(line.op, line.parts) for line in align(a, b)] == [("changed", (2, 1))]
    assert [(line.op, line.parts) for line in align(a, b, aliases)] == [("same", (2, 1))]
    a = make("海事部長沃斯表示，雙方同意建立熱線。", "a", "https://a.example/1")
    b = make("海事部長佛斯說，雙方同意建立熱線。", "b", "https://b.example/1")
    (plain,), (aliased,) = align(a, b), align(a, b, aliases)
    assert ("沃", "佛") in [(op.phrase, op.article) for op in plain.diff]
    changed = "".join(op.phrase + op.article for op in aliased.diff if op.op != "equal")
    assert aliased.op == "changed" and "說" in changed and "沃" not in changed and "佛" not in changed


def test_summary_counts() -> None:
    *_, lines = press()
    summary = summarize(lines)
    assert (summary.shared, summary.reworded, summary.only_a, summary.only_b) == (2, 4, 0, 1)
    assert (summary.boilerplate_a, summary.boilerplate_b, summary.boilerplate) == (4, 2, 6)
    *_, lines = ferry()
    summary = summarize(lines)
    assert (summary.shared, summary.reworded, summary.only_a, summary.only_b) == (1, 2, 1, 1)
    assert (summary.boilerplate_a, summary.boilerplate_b) == (3, 2)


# ── the terminal ──


def test_terminal_side_by_side_when_wide() -> None:
    a, b, lines = press()
    text = terminal(a, b, lines, 120)
    rows = text.splitlines()
    assert rows[0] == "2 shared, 4 reworded, 0 only in A, 1 only in B; 6 set apart"  # the summary first
    assert "  " + PRESS_A_URL in rows  # whole, on its own line, although it is long
    # A's sentence and B's on one row, each in its column; the reworded words marked without colour
    row = next(row for row in rows if "[-市長-]林佳蓉" in row)
    assert "~ 林佳蓉{+說：“+}希望" in row and row.index("{+") > row.index("-]") and cell_len(row) <= 120
    assert any("1:2 sentences" in row for row in rows)
    assert max(cell_len(row) for row in rows if row != "  " + PRESS_A_URL) <= 120
    assert not any(row and is_han(row[0]) for row in rows)  # long Chinese sentences wrap inside their column
    assert rows.index("set apart (bylines, credits, boilerplate)") > max(i for i, r in enumerate(rows) if "{+" in r)
    assert any(row.startswith("A byline") and "〔記者王小明／青嶼報導〕" in row for row in rows)


def test_terminal_one_above_the_other_when_narrow() -> None:
    a, b, lines = press()
    rows = terminal(a, b, lines, 60).splitlines()
    assert "  " + PRESS_A_URL in rows  # never folded, even wider than the console
    body = rows[rows.index("") + 1 : rows.index("set apart (bylines, credits, boilerplate)")]
    assert not any("[-" in row and "{+" in row for row in body)  # A above B, never beside it
    assert all(cell_len(row) <= 60 for row in body)
    assert all(row.startswith(("A ", "B ", "    ")) for row in body if row.strip())  # wrapped under the text
    a_row = next(i for i, row in enumerate(body) if row.startswith("A ~ [-市長-]"))
    assert body[a_row + 2].startswith("B ~ 林佳蓉{+說")  # B's sentence right below A's (two rows each)


def test_diff_marks_without_colour() -> None:
    a, b, lines = ferry()
    text = terminal(a, b, lines, 120)
    assert "[-which-]" in text and "[-at its peak-]" in text and "{+At its peak it+}" in text
    assert "\x1b" not in text
    wide = terminal(a, b, lines, 240)  # the longer stretches fit on one row
    assert "The [-city council of Port Ellery voted on Tuesday to close-] the" in wide
    assert "The {+old ferry terminal will close by the end of March,+} the" in wide


def test_wrapped_text_breaks_between_chinese_characters_not_inside_words() -> None:
    wrapped = Wrapped(Text("~ " + "市府今天宣布，" * 6 + "the Port Ellery council"), hang=2)
    pieces = [
        wrapped.text.plain[x:y] for x, y in zip([0, *wrapped.breaks(16)], [*wrapped.breaks(16), 200], strict=True)
    ]
    assert all(cell_len(p.rstrip()) <= (16 if i == 0 else 14) for i, p in enumerate(pieces))
    assert not any(p.startswith("，") for p in pieces)  # no line starts with a closing mark
    assert pieces[-2:] == ["the Port ", "Ellery council"]  # Latin words stay whole
    assert "".join(pieces) == wrapped.text.plain


def test_untrusted_text_is_never_markup_in_the_terminal() -> None:
    a = make("[bold red]Fake[/] alert said the mayor.\x1b[31m Second part.", "x[/]", "https://x.example/[b]")
    b = make("The mayor spoke.", "y", "https://y.example/1")
    text = terminal(a, b, align(a, b), 120)
    assert "[bold red]Fake[/]" in text and "x[/]" in text and "\x1b" not in text


# ── Markdown ──


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def test_markdown_table_and_links() -> None:
    a, b, lines = ferry()
    text = diff_to_markdown(a, b, lines)
    tokens = _markdown().parse(text)
    links = [
        dict(t.attrs)["href"] for t in tokens if t.type == "inline" for t in t.children or [] if t.type == "link_open"
    ]
    assert links == [
        "https://tidewater.example/news/ferry_terminal_%28update%29",
        "https://northwire.example/wire/4411",
    ]
    rows = [t for t in tokens if t.type == "tr_open"]
    body = [line for line in lines if line.op != "boilerplate"]
    assert len(rows) == 1 + len(body)  # the header and a row per line
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    assert len(cells) == 2 * len(rows)
    html = _markdown().render(text)
    assert "<s>city council of Port Ellery voted on Tuesday to close</s>" in html
    assert "<strong>old ferry terminal will close by the end of March</strong>" in html
    assert "~~" not in html and "**" not in html  # every mark became emphasis
    assert "By Jane Doe" in html.split("Set apart (bylines, credits, boilerplate)")[1]


def test_markdown_marks_hold_next_to_chinese_punctuation() -> None:
    a, b, lines = press()
    html = _markdown().render(diff_to_markdown(a, b, lines))
    assert "~~" not in html and "**" not in html
    assert "<s>表示：「我們</s>" in html and "<strong>說</strong>：“" in html
    assert 'href="https://harborview.example/news/2026/10/03/bike_share%28free%29-plan' in html


# ── HTML ──


def test_html_page() -> None:
    a, b, lines = press()
    page = diff_to_html(a, b, lines)
    assert page.startswith("<!doctype html>")
    for needle in ('<meta charset="utf-8">', '<meta name="viewport"', "<title>", "青嶼公共自行車明年起前30分鐘免費",
                   "<del>市長</del>", "<ins>說：“</ins>", "@media (max-width: 700px)", "@media print",
                   "grid-template-columns", "set apart (bylines, credits, boilerplate)".capitalize()):  # fmt: skip
        assert needle in page, needle
    assert f'href="{PRESS_A_URL}"' in page and f'href="{PRESS_B_URL}"' in page
    for needle in ("<script", "<link", "src=", "@import", "url(", "@font-face"):
        assert needle not in page, needle
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls == {PRESS_A_URL, PRESS_B_URL}  # no other address: nothing to load
    assert page.count('class="grid row ') == len([line for line in lines if line.op != "boilerplate"])
    assert "（編輯：張家豪）1151103" in page.split('class="apart"')[1]


# ── untrusted text ──

HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) | **bold** <img src=x onerror=alert(1)> & ~~gone~~"


def hostile() -> tuple[Article, Article, list[Line]]:
    a = make(f"市長今天說明計畫。{HOSTILE}\nThe mayor spoke on Tuesday about the plan.", "a<b>", "javascript:alert(1)")
    a = replace(a, title="<b>Title</b> [t](javascript:alert(2))")
    b = make(f"The mayor spoke on Tuesday about the new plan. {HOSTILE} again", "b", "https://b.example/x_(y)")
    return a, b, align(a, b)


def test_hostile_text_is_escaped_in_html() -> None:
    a, b, lines = hostile()
    assert any(HOSTILE in (line.a or "") + (line.b or "") for line in lines)
    page = diff_to_html(a, b, lines)
    assert "<script" not in page and "<img" not in page and "<b>Title" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;Title&lt;/b&gt;" in page
    assert 'href="javascript' not in page and '<span class="url">javascript:alert(1)</span>' in page  # text, no link
    assert re.findall(r'href="([^"]*)"', page) == ["https://b.example/x_(y)"]


def test_hostile_text_is_escaped_in_markdown() -> None:
    a, b, lines = hostile()
    text = diff_to_markdown(a, b, lines)
    html = _markdown().render(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert re.findall(r'href="([^"]*)"', html) == ["https://b.example/x_%28y%29"]  # A's javascript: is no link
    tokens = _markdown().parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len([t for t in tokens if t.type in ("th_open", "td_open")]) == 2 * len(rows)  # the | stayed in its cell
    assert "[x](javascript:alert(1))" in html  # shown as text


def test_hostile_text_in_json_is_data() -> None:
    a, b, lines = hostile()
    data = json.loads(diff_to_json(a, b, lines))
    assert any(HOSTILE in (line.get("a") or "") for line in data["lines"])


# ── JSON ──


def test_json_summary_and_boilerplate_lines() -> None:
    a, b, lines = press()
    data = json.loads(diff_to_json(a, b, lines))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["summary"] == {"same": 2, "changed": 4, "only_a": 0, "only_b": 1, "rendered": 0, "shared": 2,
                               "reworded": 4, "boilerplate_a": 4, "boilerplate_b": 2}  # fmt: skip
    apart = [line for line in data["lines"] if line["op"] == "boilerplate"]
    assert apart[1] == {"op": "boilerplate", "a": "〔記者王小明／青嶼報導〕", "b": None, "score": 0.0, "diff": [],
                        "kind": "byline"}  # fmt: skip
    assert all("kind" not in line for line in data["lines"] if line["op"] != "boilerplate")
    joined = [line for line in data["lines"] if "parts" in line]
    assert [line["parts"] for line in joined] == [[1, 2], [1, 2]]
