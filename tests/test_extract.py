from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from coverage.extract import clean_author, extract
from coverage.fetch import decode_body
from coverage.models import Article, Failure, Fetched, Target

from .conftest import PAGES, real_pages_or_skip


def fetched(html: str, url: str = "https://tidewater.example/a/1", content_type: str = "text/html") -> Fetched:
    return Fetched(
        target=Target("t", url=url),
        final_url=url,
        status_code=200,
        content_type=content_type,
        encoding="utf-8",
        html=html,
        fetched_at=datetime.now(UTC),
        elapsed_s=0.0,
    )


def test_article_text_and_metadata_from_a_test_page() -> None:
    article = extract(fetched((PAGES / "tidewater.html").read_text(encoding="utf-8")))
    assert isinstance(article, Article)
    assert "「輕軌是城市復興的第一步」" in article.text
    assert "寒流來襲" not in article.text  # the sidebar is not the article
    assert "首頁" not in article.text  # nor the navigation
    assert article.title == "石港市長：輕軌是城市復興的第一步"  # trafilatura drops the " | site" suffix here
    assert article.author == "許文豪"
    assert str(article.published) == "2026-03-05T14:30+08:00"
    assert (article.language, article.script) == ("zh", "zh-Hant")
    assert len(article.sha256) == 64


def test_simplified_page_is_recognised() -> None:
    article = extract(fetched((PAGES / "eastwind.html").read_text(encoding="utf-8")))
    assert isinstance(article, Article)
    assert (article.language, article.script) == ("zh", "zh-Hans")


@pytest.mark.parametrize(
    "html", ["", "   ", "<html><head><title>x</title></head><body></body></html>", "<html><body><nav>a</nav>"]
)
def test_pages_without_article_text_fail_with_a_reason(html: str) -> None:
    result = extract(fetched(html))
    assert isinstance(result, Failure)
    assert result.stage == "extract"
    assert "empty" in result.reason or "no article text" in result.reason


def test_plain_text_files_are_taken_whole() -> None:
    text = (PAGES / "harborview.txt").read_text(encoding="utf-8")
    article = extract(fetched(text, content_type="text/plain"))
    assert isinstance(article, Article)
    assert article.title == "港景週刊：石港輕軌進入議會審查"
    assert "「輕軌是城市復興的第一步。」" in article.text


def test_big5_page_extracts_after_decoding() -> None:
    html = (PAGES / "tidewater.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="big5"')
    text, _ = decode_body(html.encode("cp950"), None)
    article = extract(fetched(text))
    assert isinstance(article, Article)
    assert "輕軌是城市復興的第一步" in article.text


def test_real_pages_bodies_contain_their_snippet() -> None:
    folder = real_pages_or_skip()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) == 7
    found = 0
    for name, truth in expected.items():
        text, _ = decode_body((folder / f"{name}.html").read_bytes())
        article = extract(fetched(text, url=truth["url"]))
        assert isinstance(article, Article), f"{name}: {article}"
        assert truth["body_contains"] in article.text, name
        assert (article.language, article.script) == ("zh", "zh-Hant"), name
        found += 1
    assert found == 7


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("記者許文豪／石港報導", "許文豪"),
        ("記者陳嘉寧／桃園機場報導", "陳嘉寧"),
        ("記者林雨晴/綜合報導", "林雨晴"),
        ("記者王小明、李大華／台北報導", "王小明、李大華"),
        ("Hannah Ellery", "Hannah Ellery"),
        ("  ", None),
        (None, None),
    ],
)
def test_clean_author_keeps_the_name_of_a_byline(raw: str | None, name: str | None) -> None:
    assert clean_author(raw) == name
