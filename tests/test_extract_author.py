"""Author rules, one test each, on small pages written for the tests (fictional people, outlets and events)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from coverage.extract import extract
from coverage.extract.author import byline_names, find_author
from coverage.extract.meta import _read_meta
from coverage.models import Article, ExtractHints, Fetched, Target

TEXT = [
    "The city council of Port Amberly approved the first light rail line on Monday after a debate of six hours.",
    "The mayor said construction would start next year and take four years, with fourteen stations planned.",
    "Opposition members asked for the ridership model to be published before the public hearings begin.",
]
CHINESE = [
    "石港市政府今天宣布輕軌第一期工程將於明年動工，市府表示，全線預計四年內完工通車，並串聯火車站與科學園區。",
    "交通局長指出，綜合規劃已送交中央審查，若順利通過，明年初就會辦理招標，工程期間將分段施工以減少交通衝擊。",
    "多位議員則提醒市府，必須公開運量推估與財務計畫，避免重蹈其他城市輕軌營運虧損的覆轍，並定期向議會報告進度。",
]


def page(top: str = "", bottom: str = "", head: str = "", paragraphs: list[str] | None = None, after: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or TEXT))
    return (
        f"<html><head><meta charset='utf-8'><title>Light rail approved</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Light rail approved</h1>{top}<div class='body'>{body}</div>"
        f"{bottom}</article>{after}<footer>A page written for the tests</footer></body></html>"
    )


def author(html: str) -> str | None:
    url = "https://amberly-courier.example/a/1"
    fetched = Fetched(Target("t", url=url), url, 200, "text/html", "utf-8", html, datetime.now(UTC), 0.0)
    article = extract(fetched)
    assert isinstance(article, Article), article
    return article.author


def find(html: str, fallback: str | None = None, edges: list[str] | None = None) -> str | None:
    """find_author on its own: the page's meta, no outlet, the given body edges and trafilatura value."""
    tree = lxml_html.document_fromstring(html)
    return find_author(tree, _read_meta(tree), ExtractHints(), edges or [], fallback, None)


def json_ld(*people: str) -> str:
    item = {"@type": "NewsArticle", "headline": "Light rail approved"}
    item["author"] = [{"@type": "Person", "name": p} for p in people]
    return f"<script type='application/ld+json'>{json.dumps(item)}</script>"


# ── byline elements read up to the first part that is not a name ──


def test_a_byline_element_ends_at_the_job_title_and_the_date() -> None:
    top = (
        "<div class='byline'><span>By&#160;</span><a href='/people/jane'>Jane Ellery</a>"
        "<span class='title'>Staff Writer</span><time>Nov. 1, 2025</time></div>"
    )
    assert author(page(top)) == "Jane Ellery"


def test_a_byline_element_ends_at_a_social_link_run_together_with_the_name() -> None:
    top = "<div class='author'><a>Tom Reyes</a><a href='https://x.example/tr'>Twitter</a><span>News Writer</span></div>"
    assert author(page(top)) == "Tom Reyes"  # its text is "Tom ReyesTwitterNews Writer"


@pytest.mark.parametrize(
    "lead",
    ["Geschrieben von", "Veröffentlicht von", "Von", "von:", "By", "Posted by", "Par", "Por", "Author", "Autor:"],
)
def test_lead_words_before_the_name_are_dropped(lead: str) -> None:
    top = f"<div class='author-box'><span>{lead}</span><a>Hanna Berger</a></div>"
    assert author(page(top)) == "Hanna Berger"


def test_a_lead_word_run_together_with_the_name_is_dropped() -> None:
    assert author(page("<p class='byline'>ByMara Lindqvist</p>")) == "Mara Lindqvist"


def test_an_email_address_after_the_name_is_not_part_of_it() -> None:
    top = "<div class='author-name'>Ana Costa <span>ana.costa@amberly-courier.example</span></div>"
    assert author(page(top)) == "Ana Costa"


def test_a_word_split_by_markup_stays_one_word() -> None:
    assert author(page("<p class='byline'><a>Will Brigh<span>t</span></a></p>")) == "Will Bright"


def test_a_date_line_in_a_byline_element_is_no_name() -> None:
    top = "<div class='byline-date'>November 8, 2025</div><p class='byline'>von Jonas Weber</p>"
    assert author(page(top)) == "Jonas Weber"


def test_a_bio_sentence_is_no_name() -> None:
    top = "<div class='author-bio'>Oskar is our transport editor and writes about trains.</div>"
    assert author(page("", top)) is None


def test_a_user_name_in_lower_case_counts_after_a_lead_word_only() -> None:
    assert author(page("<h4 class='vcard author'>von gizzmo</h4>")) == "gizzmo"
    top = "<div class='byline'><a>courierlive</a><a>Share</a><span>By</span><a>Gavin Doyle</a></div>"
    assert author(page(top)) == "Gavin Doyle"


def test_the_name_after_a_posted_on_date() -> None:
    top = "<div class='post-meta-author'>Posted on September 21, 2025 by Adi Kessler</div>"
    assert author(page(top)) == "Adi Kessler"


def test_a_photo_credit_is_not_the_byline() -> None:
    top = "<div class='photoauthor'>Photo by ev on Unsplash</div>"
    assert author(page(top)) is None


def test_a_byline_line_in_the_body() -> None:
    assert find(page(), edges=["Von Hanna Berger und Jonas Weber", TEXT[0]]) == "Hanna Berger, Jonas Weber"
    assert find(page(), edges=["By Tom Reyes, November 3, 2025 2:30 pm", TEXT[0]]) == "Tom Reyes"


def test_a_headline_or_a_sentence_starting_with_von_is_not_a_byline() -> None:
    html = page(head="<meta property='og:title' content='Von Risiken und Nebenwirkungen'>")
    assert find(html, edges=["Von Risiken und Nebenwirkungen", TEXT[0]]) is None
    assert find(html, edges=["Von Anfang an war klar, dass die Bahn kommt."]) is None


# ── not the article's author: comments, reply forms, quotes, menus ──


def test_a_commenters_name_is_not_the_author() -> None:
    comments = (
        "<section id='comments' class='comments-area'><ol class='comment-list'><li class='comment'>"
        "<div class='comment-author vcard'><b>Gabi</b> <span>sagt:</span></div><p>Toller Artikel!</p></li></ol>"
        "<div id='respond'><p class='comment-form-author'><label for='author'>Name *</label>"
        "<input id='author' name='author'></p></div></section>"
    )
    assert author(page(after=comments)) is None
    assert author(page(bottom="<p class='byline'>Von Clara Engel</p>", after=comments)) == "Clara Engel"


def test_a_recent_comments_widget_before_the_article_does_not_count() -> None:
    widget = (
        "<aside class='widget widget_recent_comments'><ul id='recentcomments'><li>"
        "<span class='comment-author-link'>Jamie_NYC</span> on <a>Light rail</a></li></ul></aside>"
    )
    html = page(top="<span class='byline'><span class='author vcard'>Daniel Lemmer</span></span>")
    assert author(html.replace("<nav>", widget + "<nav>")) == "Daniel Lemmer"


def test_a_quoted_persons_name_is_not_the_author() -> None:
    quote = "<div class='testimonial'><span class='quote-author-name'>Mark Golder, USA</span></div>"
    assert author(page(top=quote, bottom="<div class='author'>Elisa Marven</div>")) == "Elisa Marven"


def test_an_authors_menu_is_not_the_byline() -> None:
    menu = "<div class='menu-authors-container'><h3>Auteurs</h3><a>Pierre Puchet</a><a>Barbara Stiel</a></div>"
    html = page(top="<p class='byline author'>Par <a>Barbara Stiel</a></p>")
    assert author(html.replace("<nav>", menu + "<nav>")) == "Barbara Stiel"
    assert find(page(after=menu), fallback="Pierre Puchet") is None  # nor is trafilatura's reading of it


# ── Taiwanese bylines ──


@pytest.mark.parametrize(
    ("first", "name"),
    [
        ("【林志成／石港報導】" + CHINESE[0], "林志成"),
        ("記者林志成╱石港報導 " + CHINESE[0], "林志成"),
        ("（林志成╱石港報導）" + CHINESE[0], "林志成"),
        ("【石港日報╱本報記者張國華】" + CHINESE[0], "張國華"),
        ("【石港日報╱記者張國華／石港報導】" + CHINESE[0], "張國華"),
        ("記者王小明、李大華／石港報導 " + CHINESE[0], "王小明、李大華"),
        ("記者：陳怡君", "陳怡君"),
    ],
)
def test_taiwanese_bylines(first: str, name: str) -> None:
    assert author(page(paragraphs=[first, *CHINESE])) == name


def test_a_chinese_byline_in_an_element_and_a_title_that_is_no_name() -> None:
    assert author(page("<div class='author'>記者 周正義</div>", paragraphs=CHINESE)) == "周正義"
    assert author(page("<div class='author'>責任編輯：</div>", paragraphs=CHINESE)) is None
    # the editor in charge is not the reporter, whoever names him
    assert find(page(paragraphs=CHINESE), fallback="責任編輯：周正義") is None


# ── several names ──


def test_several_names_are_joined_with_commas() -> None:
    top = "<div class='c-page-intro__author'><span>von</span> <a>Daniel Braun</a> und <a>Davor Pasek</a></div>"
    assert author(page(top)) == "Daniel Braun, Davor Pasek"
    top = "<div class='byline'>By <a>Jessica Holm</a>, <a>Gail Lewin</a> &amp; <a>Kiran Nair</a>, 7 News</div>"
    assert author(page(top)) == "Jessica Holm, Gail Lewin, Kiran Nair"


def test_a_by_line_of_names_only_keeps_its_own_words() -> None:
    assert author(page("<p class='byline'>By Jane Ellery and Tom Reyes</p>")) == "Jane Ellery and Tom Reyes"


def test_a_degree_after_a_comma_is_not_a_name() -> None:
    assert author(page("<div class='author'>Grant Tindall, PhD</div>")) == "Grant Tindall"


# ── the JSON-LD people against the visible byline, and plain trafilatura's value ──


def test_json_ld_people_win_over_a_byline_element_that_names_someone_else() -> None:
    html = page("<span class='author'>Roland Hilde</span>", head=json_ld("Adrian Padea"))
    assert author(html) == "Adrian Padea"


def test_a_byline_element_naming_the_json_ld_person_and_a_co_author_wins() -> None:
    html = page("<p class='byline'>von Rudolf Fischler, Simon Kohl</p>", head=json_ld("Rudolf Fischler"))
    assert author(html) == "Rudolf Fischler, Simon Kohl"


def test_a_byline_element_that_leaves_out_a_json_ld_person_loses() -> None:
    top = "<div class='author'><a>Sarah Hinz</a>, Staff Attorney &amp; <a>Sylvia Torres</a>, Director</div>"
    assert author(page(top, head=json_ld("Sarah Hinz", "Sylvia Torres"))) == "Sarah Hinz, Sylvia Torres"


def test_a_json_ld_user_name_is_the_same_person_as_the_visible_name() -> None:
    html = page("<p class='byline'>von Arian Schlicht</p>", head=json_ld("arianschlicht"))
    assert author(html) == "Arian Schlicht"


def test_plain_trafilaturas_value_comes_last_and_is_read_like_a_byline() -> None:
    assert find(page(), fallback="View all posts by Jane Ellery") == "Jane Ellery"
    assert find(page(), fallback="Jane Ellery; Tom Reyes") == "Jane Ellery, Tom Reyes"
    head = "<meta name='author' content='Hanna Berger'>"
    assert find(page(head=head), fallback="Someone Else") == "Hanna Berger"
    assert find(page(), fallback="Name") is None  # a comment form's label
    assert find(page(), fallback="Amt für Verkehr; Bau") is None  # "Amt für Verkehr und Bau" cut at "und"


def test_plain_trafilaturas_respelling_of_a_site_name_is_not_a_person() -> None:
    head = "<meta name='author' content='amberly-courier.de'>"
    assert find(page(head=head), fallback="Amberly-Courier De") is None


# ── organisations are not authors ──


@pytest.mark.parametrize(
    "value", ["Amberly Courier", "Redaktion", "Beispiel Medien GmbH", "Verein Lichtbahn e.V.", "amberly-courier.de"]
)
def test_organisations_are_not_authors(value: str) -> None:
    head = "<meta property='og:site_name' content='Amberly Courier'>"
    assert author(page(f"<p class='byline'>Von {value}</p>", head=head)) is None
    assert find(page(head=head), fallback=value) is None


def test_a_name_followed_by_a_newsroom_word_is_an_organisation() -> None:
    assert author(page("<div class='author'>Greentech Redaktion</div>")) is None


def test_a_blog_named_after_its_author_keeps_the_author_unless_the_name_is_the_whole_site_name() -> None:
    head = "<meta property='og:site_name' content=\"Matthew Dahl's Blog\">"
    assert author(page("<span class='byline-name'>Matthew Dahl</span>", head=head)) == "Matthew Dahl"


def test_byline_names_on_its_own() -> None:
    assert byline_names(["By", "Evan Halper", "Staff Writer", "Feb. 19, 2020"]) == ["Evan Halper"]
    assert byline_names(["Itamar Turner-Trauring", "Last updated 12 May 2023"]) == ["Itamar Turner-Trauring"]
    assert byline_names(["Loïc Le Clerc"]) == ["Loïc Le Clerc"]
    assert byline_names(["Christoph von Ritter"]) == ["Christoph von Ritter"]
