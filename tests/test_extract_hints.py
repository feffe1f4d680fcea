"""Outlet families' bylines, datelines and titles, on pages written for the tests (fictional people and events)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from coverage.extract import extract
from coverage.fetch import decode_body
from coverage.models import Article, ExtractHints, Fetched, Outlet, Target
from coverage.sources import load_sources

from .conftest import real_pages_or_skip

PARAGRAPHS = [
    "石港市政府今天宣布輕軌第一期工程將於明年動工，市府表示，全線預計四年內完工通車，並串聯火車站與科學園區。",
    "交通局長指出，綜合規劃已送交中央審查，若順利通過，明年初就會辦理招標，工程期間將分段施工以減少交通衝擊。",
    "多位議員則提醒市府，必須公開運量推估與財務計畫，避免重蹈其他城市輕軌營運虧損的覆轍，並定期向議會報告進度。",
]


def page(head: str = "", top: str = "", bottom: str = "", paragraphs: list[str] | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return (
        f"<html><head><meta charset='utf-8'>{head}</head><body><nav><a href='/'>首頁</a> <a href='/a'>政治</a></nav>"
        f"<article><h1>石港輕軌明年動工 四年內通車</h1>{top}<div class='body'>{body}</div>{bottom}</article>"
        "<footer>測試用虛構頁面</footer></body></html>"
    )


def run(html: str, outlet: Outlet | None = None, url: str = "https://news.example/a/1") -> Article:
    fetched = Fetched(Target("t", url=url), url, 200, "text/html", "utf-8", html, datetime.now(UTC), 0.0)
    article = extract(fetched, outlet)
    assert isinstance(article, Article), article
    return article


REGISTRY = load_sources(user=False)


def test_cna_family_dateline_byline_and_update_stamp() -> None:
    html = page(
        head="<title>石港輕軌明年動工 四年內通車 | 地方 | 中央社 CNA</title><meta itemprop='author' content='中央通訊社'>",
        top="<div class='updatetime'>最新更新：<span>2025/11/01 18:16</span></div>",
        paragraphs=["（中央社記者林小芬石港1日電）" + PARAGRAPHS[0], *PARAGRAPHS[1:]],
    )
    article = run(html, REGISTRY.get("cna"))
    assert article.author == "林小芬"
    assert article.title == "石港輕軌明年動工 四年內通車"
    assert str(article.published) == "2025-11-01T18:16+08:00"  # the visible time, in the outlet's time zone
    assert "最新更新" not in article.text


def test_udn_family_byline_in_json_ld_and_date_meta() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "石港輕軌明年動工 四年內通車",
        "author": {"@type": "Person", "name": "記者王大同／石港即時報導"},
    }
    html = page(
        head=f"<title>石港輕軌明年動工 四年內通車 | 地方 | 聯合新聞網</title><meta name='date' content='2025-11-01 18:16:13'>"
        f"<meta name='author' content='聯合新聞網'><script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>",
    )
    article = run(html, REGISTRY.get("udn"))
    assert (article.author, str(article.published)) == ("王大同", "2025-11-01T18:16+08:00")


def test_ltn_family_bracket_byline_and_title_suffix() -> None:
    html = page(
        head="<meta property='og:title' content='石港輕軌明年動工 四年內通車 - 政治 - 自由時報電子報'>"
        "<meta property='og:site_name' content='自由時報電子報'>",
        top="<div class='time'>2025/11/01 18:16</div>",
        paragraphs=["〔記者陳美玲／石港報導〕" + PARAGRAPHS[0], *PARAGRAPHS[1:]],
    )
    article = run(
        html.replace("<h1>石港輕軌明年動工 四年內通車</h1>", "<h1>自由首頁 即時 報紙</h1>"), REGISTRY.get("ltn")
    )
    assert article.title == "石港輕軌明年動工 四年內通車"
    assert article.author == "陳美玲"
    assert str(article.published) == "2025-11-01T18:16+08:00"


def test_apple_family_closing_byline_and_chinese_date_with_afternoon() -> None:
    html = page(
        top="<div class='date'>出版時間：2025年11月01日 下午6:16</div>",
        paragraphs=[*PARAGRAPHS[:-1], PARAGRAPHS[-1] + "（張志明／石港報導）"],
    )
    article = run(html)
    assert article.author == "張志明"
    assert str(article.published) == "2025-11-01T18:16"  # no time zone known for an unknown outlet


def test_ettoday_family_byline_line_and_captions_leave_the_body() -> None:
    html = page(
        top="<p>▲石港市長視察輕軌預定路線。（圖／記者李國華攝）</p><p>記者李國華／石港報導</p>",
        bottom="<p>Facebook Line Weibo Twitter 複製連結</p><p>字級設定：小 中 大 特</p>",
    )
    article = run(html)
    assert article.author == "李國華"
    assert article.captions == ("▲石港市長視察輕軌預定路線。（圖／記者李國華攝）",)
    assert "記者李國華" not in article.text and "複製連結" not in article.text and "字級" not in article.text
    assert PARAGRAPHS[0] in article.text


def test_figcaptions_are_kept_apart() -> None:
    html = page(top="<figure><img src='a.jpg'><figcaption>輕軌示意圖（石港市政府提供）</figcaption></figure>")
    article = run(html)
    assert "輕軌示意圖（石港市政府提供）" in article.captions
    assert "示意圖" not in article.text


def test_chinatimes_family_visible_byline_beats_json_ld() -> None:
    ld = {
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": "錯誤的人"},
        "datePublished": "2025-11-01T18:16:00+08:00",
    }
    html = page(
        head=f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>",
        top="<div class='meta-info'><div class='source'>中時</div><div class='author'><a href='/reporter/1'>周正義</a></div></div>",
    )
    article = run(html, REGISTRY.get("chinatimes"))
    assert article.author == "周正義"
    assert str(article.published) == "2025-11-01T18:16+08:00"


def test_organisations_are_not_authors() -> None:
    html = page(
        head="<meta name='author' content='三立新聞網'><meta property='article:author' content='https://www.facebook.com/x'>"
    )
    assert run(html).author is None


def test_english_byline_and_dateline() -> None:
    text = [
        "PORT AMBERLY - The city council approved the first light rail line on Monday after a long debate.",
        "The mayor said construction would start next year and take four years, with fourteen stations planned.",
        "Opposition members asked for the ridership model to be published before the public hearings begin.",
    ]
    html = page(
        top="<p class='byline'>By Jane Ellery and Tom Reyes</p><p class='date'>November 1, 2025, 6:16 PM</p>",
        paragraphs=text,
    )
    article = run(html)
    assert article.author == "Jane Ellery and Tom Reyes"
    assert str(article.published) == "2025-11-01T18:16"


def test_outlet_hints_win_over_generic_rules() -> None:
    outlet = Outlet(
        "tide", "Tidewater", "潮水日報",
        hints=ExtractHints(
            title_suffix=r"\s*::\s*潮水.*",
            bylines=(r"撰稿人[:：](?P<name>\S{2,4})",),
            datelines=(r"發稿\s*(?P<y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})-(?P<H>\d{2})(?P<M>\d{2})",),
            drop_lines=(r"^訂閱潮水電子報",),
            body_xpath="//div[@class='body']",
        ),
    )  # fmt: skip
    html = page(
        head="<title>石港輕軌 :: 潮水日報</title>",
        top="<p>發稿 2025.11.01-1816</p>",
        bottom="<p>撰稿人：何美華</p><aside>訂閱潮水電子報，每天早上看新聞</aside>",
        paragraphs=[*PARAGRAPHS, "訂閱潮水電子報"],
    ).replace("<h1>石港輕軌明年動工 四年內通車</h1>", "")
    article = run(html, outlet)
    assert article.title == "石港輕軌"
    assert str(article.published) == "2025-11-01T18:16"
    assert article.author == "何美華"
    assert "訂閱潮水電子報" not in article.text
    assert "首頁" not in article.text


@pytest.mark.parametrize("encoding", ["cp950", "big5hkscs", "gb18030"])
def test_pages_in_chinese_encodings_without_a_declared_charset(encoding: str) -> None:
    html = page().replace("<meta charset='utf-8'>", "")
    if encoding == "gb18030":
        html = html.replace("輕軌", "轻轨")
    text, used = decode_body(html.encode(encoding), None)
    article = run(text)
    assert PARAGRAPHS[1][:20] in article.text or "轻轨" in article.text
    assert used in ("cp950", "big5hkscs", "gb18030")


def test_real_pages_title_time_author_body() -> None:
    """The figures issue 3 asks for, on seven real Taiwanese pages (../shared/real-pages/twnews)."""
    from benchmarks.extraction import evaluate

    scores = evaluate(real_pages_or_skip(), with_hints=True)
    assert scores["pages"] == 7
    assert scores["title"] == 7
    assert scores["published"] >= 6
    assert scores["author"] == 7
    assert scores["body"] == 7
    assert scores["share_text"] == 0
