"""Publication times, one rule a test, on small pages written for the tests (fictional outlets, people and events)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from coverage.extract import extract, times
from coverage.extract.meta import _read_meta
from coverage.models import Article, ExtractHints, Fetched, Outlet, Target, iso

from .conftest import shared_or_skip

HEADLINE = "Harbour council approves the new ferry line"
PARAGRAPHS = [
    "The harbour council of Port Amberly approved the new ferry line on Monday after a debate of four hours.",
    "The ferries will cross the bay every twenty minutes from next spring, with three new piers on the east side.",
    "Opposition members asked for the passenger forecasts to be published before the first contracts are signed.",
]


def page(head: str = "", top: str = "", bottom: str = "", aside: str = "", title: str = HEADLINE) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><meta charset='utf-8'><title>{title} | Amberly Tidings</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>"
        f"<main><article><h1>{HEADLINE}</h1>{top}<div class='body'>{body}</div>{bottom}</article>{aside}</main>"
        "<footer>Amberly Tidings, a page written for the tests</footer></body></html>"
    )


def run(html: str, outlet: Outlet | None = None, url: str = "https://tidings.example/news/ferry-line") -> Article:
    fetched = Fetched(Target("t", url=url), url, 200, "text/html", "utf-8", html, datetime.now(UTC), 0.0)
    article = extract(fetched, outlet)
    assert isinstance(article, Article), article
    return article


def json_ld(**fields: str) -> str:
    return f"<script type='application/ld+json'>{json.dumps({'@type': 'NewsArticle', **fields})}</script>"


def meta_times(html: str, url: str | None = None, found: str | None = None, timezone: str | None = None) -> Any:
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    found_times = times.publication_times(_read_meta(tree), ExtractHints(), timezone, url=url, html=html, found=found)
    return tuple(iso(t) for t in found_times)


NEW_YORK = Outlet("tidings", "Amberly Tidings", timezone="America/New_York")


# ── the day and minute where the outlet is ──


def test_a_utc_time_is_read_in_the_outlets_time_zone() -> None:
    html = page(head="<meta property='article:published_time' content='2025-11-09T03:30:00Z'>")
    assert str(run(html, NEW_YORK).published) == "2025-11-08T22:30-05:00"  # the 8th in New York, not the 9th


def test_an_offset_is_converted_to_the_outlets_zone_and_a_time_without_one_is_read_in_it() -> None:
    with_offset = page(head="<meta property='article:published_time' content='2025-07-01T08:00:00+02:00'>")
    assert str(run(with_offset, NEW_YORK).published) == "2025-07-01T02:00-04:00"
    naive = page(head="<meta property='article:published_time' content='2025-07-01 08:00'>")
    assert str(run(naive, NEW_YORK).published) == "2025-07-01T08:00-04:00"


def test_without_a_known_zone_the_pages_own_offset_is_kept() -> None:
    html = page(head="<meta property='article:published_time' content='2025-11-08T22:30:00-05:00'>")
    assert str(run(html).published) == "2025-11-08T22:30-05:00"  # never converted to UTC


def test_a_utc_time_takes_the_offset_the_page_writes_the_same_instant_with() -> None:
    script = '<script>var page = {"date": "2025-11-08T22:30:00-05:00"};</script>'
    html = page(head=f"<meta property='article:published_time' content='2025-11-09T03:30:00Z'>{script}")
    assert str(run(html).published) == "2025-11-08T22:30-05:00"


def test_a_utc_time_takes_the_offset_of_a_local_reading_to_the_second() -> None:
    head = "<meta property='article:published_time' content='2025-11-09T05:30:59Z'><meta name='date' content='2025-11-08 23:30:59'>"
    assert str(run(page(head=head)).published) == "2025-11-08T23:30-06:00"


def test_a_utc_time_takes_the_offset_of_the_visible_dateline() -> None:
    html = page(
        head="<meta property='article:published_time' content='2025-05-04T00:25:00Z'>",
        top="<p class='byline'>By Jane Ellery</p><p class='date'>3 May 2025 | 21:25</p>",
    )
    assert str(run(html).published) == "2025-05-03T21:25-03:00"


def test_a_utc_time_a_day_off_the_urls_day_gives_that_day() -> None:
    html = page(head="<meta property='article:published_time' content='2025-01-01T23:11:00+00:00'>")
    article = run(html, url="https://tidings.example/2025/01/02/ferry-line/")
    assert str(article.published) == "2025-01-02"  # the day readers saw; its minute is not known


# ── the page's own date, not its teasers' ──


def test_times_in_teaser_related_and_footer_blocks_are_not_the_articles() -> None:
    related = (
        "<aside><ul><li><time datetime='2019-04-11T18:06'>11 April 2019</time> Old story</li></ul></aside>"
        "<div class='related-posts'><article><h2>Another story</h2><time datetime='2013-09-27'>27 Sep</time></article></div>"
    )
    html = page(
        top="<div class='post-meta'><time datetime='2025-10-22T09:15:00+02:00'>22.10.2025</time></div>", aside=related
    )
    assert str(run(html).published) == "2025-10-22T09:15+02:00"
    from lxml import html as lxml_html

    assert _read_meta(lxml_html.document_fromstring(page(aside=related))).page_times == []


def test_the_articles_time_skips_update_stamps() -> None:
    top = (
        "<time class='updated' datetime='2025-10-24T10:00:00+02:00'>updated</time>"
        "<time itemprop='datePublished' datetime='2025-10-22T09:15:00+02:00'>22 October</time>"
    )
    assert str(run(page(top=top)).published) == "2025-10-22T09:15+02:00"


def test_the_open_graph_time_comes_before_json_ld() -> None:
    head = "<meta property='article:published_time' content='2025-01-06T08:29:34+01:00'>" + json_ld(
        datePublished="2024-12-04T07:29:00Z"
    )
    assert str(run(page(head=head)).published) == "2025-01-06T08:29+01:00"


# ── visible datelines ──


def test_a_dateline_next_to_the_headline_on_its_own_line() -> None:
    top = "<p class='meta'>Von Anna Berger | 2. August 2025, 14:30 Uhr</p>"
    assert str(run(page(top=top)).published) == "2025-08-02T14:30"
    in_a_sentence = "<p>Am 5. Februar 2025 trifft sich der Rat im Hafenhaus, um über die neue Fähre zu beraten.</p>"
    assert meta_times(page(top=in_a_sentence)) == (None, None)
    in_the_headline = page(title="Ferry line vote on 5 February 2025").replace(
        HEADLINE, "Ferry line vote on 5 February 2025"
    )
    assert meta_times(in_the_headline) == (None, None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 1, 2025, 6:16 PM", "2025-11-01T18:16"),
        ("Nov. 1, 2025", "2025-11-01"),
        ("1 de noviembre de 2025 - 9:05", "2025-11-01T09:05"),
        ("1er novembre 2025", "2025-11-01"),
        ("01.11.2025, 18:16", "2025-11-01T18:16"),
        ("2025年11月1日 下午6:16", "2025-11-01T18:16"),
    ],
)
def test_dateline_formats(line: str, expected: str) -> None:
    assert str(run(page(top=f"<div class='date'>{line}</div>")).published) == expected


def test_the_sites_date_above_the_headline_and_update_stamps_lose() -> None:
    html = page(top="<p>Aktualisiert am 9. Mai 2025</p><p>Published 3 May 2025</p>").replace(
        "<main>", "<div class='today'>Friday 9 May 2025</div><main>"
    )
    assert str(run(html).published) == "2025-05-03"


def test_a_labelled_publication_date_by_the_headline_beats_the_metadata() -> None:
    html = page(
        head="<meta property='article:published_time' content='2025-01-15'>",
        top="<p>Erscheinungsdatum</p><p>25.01.2025</p>",
    )
    assert str(run(html).published) == "2025-01-25"


def test_a_day_alone_takes_the_time_of_a_dateline_of_the_same_day() -> None:
    html = page(head="<meta name='date' content='2025-11-01'>", top="<p class='date'>2025/11/01 18:16</p>")
    assert str(run(html, NEW_YORK).published) == "2025-11-01T18:16-04:00"


# ── fallbacks ──


def test_the_urls_day_when_the_page_says_nothing() -> None:
    assert str(run(page(), url="https://tidings.example/2025/03/07/ferry-line.html").published) == "2025-03-07"


def test_htmldate_when_nothing_else_and_only_then(monkeypatch: pytest.MonkeyPatch) -> None:
    bare = "<html><body><h1>Ferry line</h1><p>Some words.</p><abbr class='published' title='2024-03-05T10:00:00'>x</abbr></body></html>"
    assert meta_times(bare, found="2024-03-05") == ("2024-03-05", None)  # htmldate's day that trafilatura found
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(bare)
    assert str(times.publication_times(_read_meta(tree), ExtractHints(), None, tree=tree)[0]) == "2024-03-05"

    def no_htmldate(*_: object) -> str:
        raise AssertionError("htmldate must not run when the page dates itself")

    monkeypatch.setattr(times, "_htmldate", no_htmldate)
    dated = page(head="<meta property='article:published_time' content='2025-11-01T18:16:00+08:00'>")
    assert meta_times(dated) == ("2025-11-01T18:16+08:00", None)
    tree = lxml_html.document_fromstring(dated)
    assert (
        str(times.publication_times(_read_meta(tree), ExtractHints(), None, tree=tree)[0]) == "2025-11-01T18:16+08:00"
    )


def test_times_as_pages_write_them() -> None:
    assert times.parse_time("Sat, 19 Oct 2019 00:04:00 +0200") == ("2019-10-19T00:04+02:00", True)
    assert times.parse_time("2022-05-11T4:10:00") == ("2022-05-11T04:10", True)
    assert times.parse_time("2016/03/19 08:15", "Asia/Taipei") == ("2016-03-19T08:15+08:00", True)
    assert times.parse_time("2025-11-01") == ("2025-11-01", False)
    assert times.parse_time("1970-01-01T00:00:00Z") is None


def test_the_updated_time() -> None:
    head = "<meta property='article:published_time' content='2025-11-01T08:00:00Z'><meta property='article:modified_time' content='2025-11-01T12:30:00Z'>"
    assert str(run(page(head=head), NEW_YORK).updated) == "2025-11-01T08:30-04:00"


# ── the shared evaluation pages (skipped when the folder is absent) ──

# One page per failure class of the issue, with the day its publisher gives (trafilatura's evaluation set).
EVAL_PAGES = {
    "pagesix.com.myers": "2020-02-24",  # UTC metadata; the page writes the instant with -05:00 elsewhere
    "twincities.com-mayor": "2023-11-08",  # UTC metadata; a local reading of it to the second
    "0b96fc66e2c94f45a1b923ec9a31fcf2": "2019-10-19",  # UTC metadata and an RFC 2822 time with +0200
    "lanacion.com.ar-jugada": "2022-05-03",  # UTC metadata; the visible dateline by the headline
    "literaturgefluester.wordpress.com.jahr": "2019-01-01",  # UTC metadata a day off the URL's day
    "limespace.de.entloeten": "2019-10-22",  # only teasers' <time> elements
    "archive.org.tv-orange.de.future": "2012-08-02",  # a German dateline under the headline, teasers' dates below
    "outdoor-magazin.com-vanlife": "2022-01-06",  # Open Graph before JSON-LD
    "boxen.de-staatsanwaltschaft": "2022-02-02",  # the headline is also in a ticker above the article
    "hertha-blog.de.dame": "2017-07-23",  # nothing but htmldate
    "baike.baidu.com.tanya": "2020-02-14",  # dates in the text are the story's, not the page's
}


def test_eval_pages_of_each_failure_class() -> None:
    from benchmarks.extraction_eval import _newscov

    folder = shared_or_skip("real-pages/trafilatura-eval")
    expected = {t["id"]: t for t in json.loads((folder / "expected.json").read_text(encoding="utf-8"))}
    wrong = {}
    for name, day in EVAL_PAGES.items():
        truth = expected[name]
        got = _newscov((folder / truth["file"]).read_bytes(), truth["url"])["date"]
        assert truth["date"] == day
        if (got or "")[:10] != day:
            wrong[name] = got
    assert not wrong
