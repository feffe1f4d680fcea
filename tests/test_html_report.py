"""The HTML report in a real browser (headless Chromium): the matrix through the DOM, the page at desktop and phone
widths (screenshots saved as test artifacts), not one request leaving the page, the inline script optional.

Needs Chromium: Debian's `chromium` package (.ci/run installs it) or NEWSCOV_CHROMIUM=/path/to/chrome. Where there
is none the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coverage.models import Report, Status
from coverage.report import report_to_html

ARTIFACTS = Path(os.environ.get("NEWSCOV_ARTIFACTS", Path(__file__).parent.parent / "build" / "test-artifacts"))


def _chromium() -> str | None:
    given = os.environ.get("NEWSCOV_CHROMIUM")
    if given:
        return given
    return next(
        (path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None
    )


@pytest.fixture(scope="module")
def browser(page_file: Path) -> Iterator[Any]:
    """Chromium, started after the demo ran (Playwright's sync API keeps an event loop running in this thread)."""
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine: apt-get install chromium (or set NEWSCOV_CHROMIUM)")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Error as exc:
            pytest.skip(f"Chromium at {executable} does not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(demo_report: Report) -> Report:
    return demo_report


@pytest.fixture(scope="module")
def page_file(demo: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "demo.html"
    path.write_text(report_to_html(demo), encoding="utf-8")
    return path


def _open(browser: Any, path: Path, width: int, script: bool = True) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=script)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


@pytest.mark.parametrize("width", [1280, 400])
def test_the_page_fits_the_screen_and_asks_for_nothing(browser: Any, page_file: Path, width: int) -> None:
    page, requests = _open(browser, page_file, width)
    assert requests == [page_file.as_uri()]  # no font, style, script or image from anywhere
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out of the screen
    matrix = page.locator("#matrix")
    box = matrix.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width  # every column of the matrix is on the screen
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"demo-report-{width}px.png"), full_page=True)
    page.context.close()


def test_matrix_cells_through_the_dom(browser: Any, page_file: Path, demo: Report) -> None:
    page, _ = _open(browser, page_file, 1280)
    rows = page.locator("#matrix tbody tr")
    assert rows.count() == len(demo.outlets)
    assert page.locator("#matrix thead th").all_inner_texts() == ["outlet", *(p.id for p in demo.phrases)]
    for row_index, outlet in enumerate(demo.outlets):
        row = rows.nth(row_index)
        assert outlet.label in row.locator("td.outlet").inner_text()
        for column, phrase in enumerate(demo.phrases, start=1):
            status, match = demo.cell(phrase.id, outlet.id)
            cell = row.locator("td").nth(column)
            assert cell.get_attribute("data-status") == "s-" + status.name.lower().replace("_", "-")
            assert status.value in cell.inner_text()
            if match is not None:  # the cell links to its evidence, which says the same verdict
                target = cell.locator("a").get_attribute("href")
                assert target == f"#e-{phrase.id}-{outlet.id}"
                assert status.value in page.locator(target).locator(".head").inner_text()
    # the absent cell's evidence labels the closest wording as too weak, never as the outlet's wording
    absent = page.locator(".evidence.s-absent").first
    assert "too weak to count" in absent.inner_text()
    # the near match's diff is marked up, and every article is linked
    near = page.locator(".evidence.s-near").first
    assert near.locator("del").count() and near.locator("ins").count()
    links = page.locator("#articles a.article")
    assert links.count() == len(demo.articles) + len(demo.failures)
    assert sorted(links.evaluate_all("els => els.map(e => e.href)")) == sorted(
        [a.final_url or a.url for a in demo.articles] + [f.url for f in demo.failures]
    )
    page.context.close()


def test_filter_and_sort_with_script_and_a_full_page_without(browser: Any, page_file: Path, demo: Report) -> None:
    page, _ = _open(browser, page_file, 1280)
    absent_o1 = [o for o in demo.outlets if demo.cell("o1", o.id)[0] is Status.ABSENT]
    page.select_option("#filter-col", str(1 + [p.id for p in demo.phrases].index("o1")))
    page.select_option("#filter-status", "s-absent")
    visible = page.locator("#matrix tbody tr:visible")
    assert visible.count() == len(absent_o1) == 1
    assert absent_o1[0].label in visible.first.inner_text()
    page.select_option("#filter-status", "")
    page.locator("#matrix thead th[data-col='2']").click()  # sort by o1: carried first, absent and unavailable last
    order = page.locator("#matrix tbody tr td:nth-child(3)").evaluate_all("els => els.map(e => +e.dataset.rank)")
    assert order == sorted(order, reverse=True)
    page.context.close()
    # without script: the filter bar stays hidden, every row and every piece of evidence is there
    page, _ = _open(browser, page_file, 1280, script=False)
    assert not page.locator(".filters").is_visible()
    assert page.locator("#matrix tbody tr:visible").count() == len(demo.outlets)
    assert page.locator(".evidence").count() == len(demo.matches)
    page.context.close()


def test_hostile_article_text_stays_text(browser: Any, tmp_path: Path) -> None:
    from tests.test_report import make_report

    hostile = '「輕軌是城市復興的第一步」<img src="http://evil.invalid/x.png"><script>document.title="owned"</script>'
    path = tmp_path / "hostile.html"
    path.write_text(report_to_html(make_report(text=hostile, title='<a href="javascript:alert(1)">x</a>')), "utf-8")
    page, requests = _open(browser, path, 1280)
    assert requests == [path.as_uri()]
    assert page.title().startswith("newscov") and page.locator("img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.title() != "owned"
    assert '<img src="http://evil.invalid/x.png">' in page.locator("#evidence").inner_text()  # shown as text
    page.context.close()


@pytest.mark.parametrize("width", [1280, 400])
def test_the_diff_page_is_side_by_side_on_a_desktop_and_stacked_on_a_phone(
    browser: Any, tmp_path: Path, width: int
) -> None:
    from coverage.demo import SITE
    from coverage.diff import align
    from coverage.extract import extract
    from coverage.fetch import read_file
    from coverage.models import Article, Fetched, Target
    from coverage.report.diff import diff_to_html

    articles = []
    for outlet, name in (("harbordaily", "news-20261015-0042.html"), ("islandwire", "news-aipl-202610150017.html")):
        fetched = read_file(Target(outlet, path=str(SITE / outlet / name)))
        assert isinstance(fetched, Fetched)
        article = extract(fetched)
        assert isinstance(article, Article)
        articles.append(article)
    path = tmp_path / "diff.html"
    path.write_text(diff_to_html(articles[0], articles[1], align(articles[0], articles[1])), encoding="utf-8")
    page, requests = _open(browser, path, width)
    assert requests == [path.as_uri()]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    first = page.locator(".grid.row").first
    a, b = (first.locator(".cell").nth(i).bounding_box() for i in range(2))
    assert a is not None and b is not None
    if width >= 1000:
        assert a["y"] == b["y"] and a["x"] < b["x"]  # A and B side by side
    else:
        assert b["y"] >= a["y"] + a["height"] - 1  # B under A
    assert page.locator("del").count() and page.locator("ins").count()
    page.screenshot(path=str(ARTIFACTS / f"demo-diff-{width}px.png"), full_page=True)
    page.context.close()


def test_the_corpus_report_page_shows_hostile_data_as_text_and_fits(
    browser: Any, corpus_summary: Any, tmp_path: Path
) -> None:
    """`newscov corpus report -o x.html` in the browser: the matrix reads through the DOM, markup from the archive
    stays text, nothing runs, nothing is requested, nothing sticks out of a phone's screen."""
    from coverage.report.corpus import corpus_to_html

    path = tmp_path / "corpus.html"
    path.write_text(corpus_to_html(corpus_summary), encoding="utf-8")
    for width in (1280, 400):
        page, requests = _open(browser, path, width)
        assert requests == [path.as_uri()]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.scripts.length") == 0
        rows = page.locator("#matrix tbody tr")
        assert rows.count() == 5
        assert "<script>alert(1)</script>" in rows.nth(1).inner_text()  # shown, not run
        page.context.close()


@pytest.fixture(scope="module")
def corpus_summary(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from coverage.corpus.aggregate import summarize

    from .test_corpus_report import build_folder

    return summarize(build_folder(tmp_path_factory.mktemp("corpus")))
