"""Each failure class of extraction on real pages, as a small page of our own: the page is read, never lost."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coverage.extract import extract
from coverage.fetch import decode_page
from coverage.models import Article, Fetched, Target

PARAGRAPHS = (
    "The harbour council of Westmere voted on Tuesday to close the old ferry pier for repairs until spring.",
    "Councillor Ilse Varga said the pier had been patched for twenty years and could not wait another winter.",
    "Ferry passengers will board at the north quay, a ten-minute walk away, from the first of November.",
    "Local shop owners said they feared losing the morning trade from commuters who pass the pier every day.",
)
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def page(body: str, head: str = "<title>Ferry pier to close</title>", body_attrs: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body{body_attrs}>{body}</body></html>"


def read(html: str, replaced: int = 0, encoding: str = "utf-8") -> Article:
    url = "https://westmere.example/news/pier"
    fetched = Fetched(Target("westmere", url=url), url, 200, "text/html", encoding, html, datetime.now(UTC), 0.0,
                      replaced=replaced)  # fmt: skip
    article = extract(fetched)
    assert isinstance(article, Article), article
    return article


def carried(article: Article) -> int:
    return sum(p in article.text for p in PARAGRAPHS)


def test_a_page_with_an_xml_prolog_is_read() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(f"<article>{ARTICLE}</article>")
    assert carried(read(html)) == len(PARAGRAPHS)


@pytest.mark.parametrize(
    "attrs",
    [' class="wp-featherlight-captions"', ' class="hide-social-icons"', ' class="font-size-1 home"',
     ' class="shared-article-renderer"', ' class="share"', ' class="caption"'],
)  # fmt: skip
def test_a_body_class_that_looks_like_a_widget_never_removes_the_page(attrs: str) -> None:
    assert carried(read(page(f"<article>{ARTICLE}</article>", body_attrs=attrs))) == len(PARAGRAPHS)


@pytest.mark.parametrize("cls", ["caption", "article-caption", "social-feed", "share-content"])
def test_an_article_container_with_a_widget_class_is_kept(cls: str) -> None:
    assert carried(read(page(f'<div class="{cls}">{ARTICLE}</div>'))) == len(PARAGRAPHS)


def test_share_bars_go_and_captions_are_kept_apart() -> None:
    html = page(
        f"<article><h1>Ferry pier to close</h1>"
        f'<div class="post-share"><a>Share on Facebook</a> <a>Share on Bluesky</a> <a>Email this</a></div>'
        f'<figure><img src="pier.jpg"><figcaption>The old pier at dawn. Photo: Ana Lopes</figcaption></figure>'
        f"{ARTICLE}</article>"
    )
    article = read(html)
    assert carried(article) == len(PARAGRAPHS)
    assert "Share on Facebook" not in article.text and "The old pier at dawn" not in article.text
    assert "The old pier at dawn. Photo: Ana Lopes" in article.captions


def test_when_the_clean_up_leaves_nothing_plain_trafilaturas_reading_is_used_and_said() -> None:
    # the whole story sits in a short block classed like a social widget: removed as one, nothing would be left
    story = " ".join(PARAGRAPHS[:2])
    html = page(f'<main><div class="social-story"><p>{story}</p></div></main>')
    article = read(html)
    assert PARAGRAPHS[0] in article.text
    assert any("plain trafilatura" in note for note in article.notes)


def test_a_few_bad_bytes_keep_the_declared_charset() -> None:
    html = page(f"<article><p>{'港務局今天宣布，舊渡輪碼頭將自下月起封閉整修，旅客改至北碼頭搭船。' * 3}</p></article>",
                head='<meta charset="big5"><title>渡輪碼頭封閉整修</title>')  # fmt: skip
    body = html.encode("big5")
    broken = body.replace("北碼頭".encode("big5"), "北碼".encode("big5") + b"\xff\xfe", 1)  # one character spoiled
    decoded = decode_page(broken)
    assert decoded.encoding in ("big5", "cp950") and decoded.replaced >= 1
    assert "港務局今天宣布" in decoded.text  # not mojibake from another codec
    article = read(decoded.text, replaced=decoded.replaced, encoding=decoded.encoding)
    assert "港務局今天宣布" in article.text
    assert any("undecodable byte" in note for note in article.notes)


def test_many_bad_bytes_are_not_a_few() -> None:
    from coverage.fetch import DecodeError

    body = page("<p>" + "港務局" * 50 + "</p>", head='<meta charset="big5">').encode("big5")
    noisy = bytes(b ^ 0x5A if i % 7 == 0 else b for i, b in enumerate(body))
    try:
        decoded = decode_page(noisy)
    except DecodeError:
        return
    assert decoded.replaced <= max(8, len(noisy) // 1000) or decoded.encoding not in ("big5", "cp950")


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        ("Ferry pier to close | Westmere Politics", "https://westmere.example/news/1", "Ferry pier to close"),
        ("Ferry pier to close : The Harbour Beat : WPR", "https://www.wpr.example/beat/1", "Ferry pier to close"),
        ("西港日報 - 渡輪碼頭將封閉整修", "https://news.xigang.example.tw/a/1", "渡輪碼頭將封閉整修"),
        ("渡輪碼頭將封閉整修｜即時｜西港新聞網｜西港日報", "https://xigang.com.tw/a/1", "渡輪碼頭將封閉整修"),
        ("Ferry pier to close - Westmere", "https://smava.example/x", "Ferry pier to close - Westmere"),  # kept
        ("Pier works – a project | Harbour Notes", "https://harbournotes.example/a", "Pier works – a project"),
    ],
)
def test_titles_lose_the_sites_name_and_sections(title: str, url: str, expected: str) -> None:
    from coverage.extract.meta import _Meta
    from coverage.extract.title import clean_title
    from coverage.models import ExtractHints

    sites = ["西港日報"] if "西港" in title else []
    meta = _Meta(titles=[title], site_names=sites)
    assert clean_title(meta, ExtractHints(), None, url) == expected


def test_a_slideshow_whose_captions_carry_the_story_keeps_them_in_the_body() -> None:
    slides = "".join(
        f'<figure><img src="s{n}.jpg"><figcaption class="slide-caption">{p}</figcaption></figure>'
        for n, p in enumerate(PARAGRAPHS)
    )
    article = read(page(f"<article><h1>Ten views of the old pier</h1><p>Our pick of the week.</p>{slides}</article>"))
    assert carried(article) == len(PARAGRAPHS)
    assert any("captions read as part of the body" in note for note in article.notes)


def test_a_latin_1_page_is_not_read_as_broken_utf_8() -> None:
    body = page("<p>Die Gebühren für die Fähre ändern sich. Grüße aus Westmere.</p>").encode("cp1252")
    decoded = decode_page(body)
    assert "Gebühren" in decoded.text and "\ufffd" not in decoded.text and decoded.replaced == 0
