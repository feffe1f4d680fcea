from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from rich.console import Console

from coverage.match import match_article
from coverage.models import Article, Failure, Match, Outlet, Phrase, Report, Status, Target, Timestamp
from coverage.report import SCHEMA_VERSION, render_terminal, report_to_dict, report_to_json

HOSTILE = "[bold red]FAKE[/bold red]\x1b[2J\x1b]0;pwned\x07「輕軌是城市復興的第一步」<script>alert(1)</script>"


def make_report(text: str = HOSTILE, title: str = "[link=http://evil]click[/link] \x1b[31mtitle") -> Report:
    now = datetime.now(UTC)
    phrases = (Phrase("p1", "輕軌是城市復興的第一步"), Phrase("p2", "白皮書的數字很漂亮"))
    article = Article(
        "tide",
        "https://tide.example/1",
        None,
        title,
        Timestamp.fromisoformat("2026-03-05"),
        None,
        "zh",
        "zh-Hant",
        text,
        now,
        "0" * 64,
    )
    matches = tuple(match_article(phrases, article))
    failure = Failure("fetch", "pine", "https://pine.example/2", "HTTP 503 Service Unavailable \x1b[5m[blink]")
    unavailable = tuple(Match(p.id, "pine", failure.url, Status.UNAVAILABLE, 0.0, note=failure.reason) for p in phrases)
    return Report(
        phrases=phrases,
        outlets=(Outlet("tide", "Tidewater", "潮水日報"), Outlet("pine", "Pinecrest [red]x[/red]", known=False)),
        targets=(Target("tide", url=article.url), Target("pine", url=failure.url)),
        articles=(article,),
        matches=matches + unavailable,
        failures=(failure,),
        started=now,
        finished=now,
        timings={"wall": 0.1},
    )


def render(report: Report) -> str:
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=100, color_system=None), evidence="full")
    return buffer.getvalue()


def test_terminal_report_shows_matrix_and_evidence() -> None:
    out = render(make_report())
    assert "Coverage matrix" in out
    assert "✓ verbatim" in out and "⊘ unavailable" in out and "✗ absent" in out
    assert "潮水日報" in out
    assert "HTTP 503 Service Unavailable" in out


def test_untrusted_text_is_shown_as_text_never_as_markup_or_escape_codes() -> None:
    out = render(make_report())
    assert "[bold red]FAKE[/bold red]" in out  # rich markup in an article stays literal
    assert "[link=http://evil]click[/link]" in out
    assert "Pinecrest [red]x[/red]" in out
    assert "\x1b" not in out and "\x07" not in out  # no terminal escape reaches the screen
    assert "[blink]" in out


def test_colour_output_has_no_injected_escapes() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system="truecolor", force_terminal=True)
    render_terminal(make_report(), console, evidence="full")
    out = buffer.getvalue()
    assert "\x1b]0;pwned" not in out and "\x1b[2J" not in out and "\x1b[5m" not in out


def test_json_report_carries_schema_and_verdicts() -> None:
    report = make_report()
    data = json.loads(report_to_json(report))
    assert data["schema_version"] == SCHEMA_VERSION == 4
    assert data["matrix"] == {
        "p1": {"tide": "verbatim", "pine": "unavailable"},
        "p2": {"tide": "absent", "pine": "unavailable"},
    }
    [verbatim] = [m for m in data["matches"] if m["phrase_id"] == "p1" and m["outlet_id"] == "tide"]
    assert verbatim["matched_text"] == "輕軌是城市復興的第一步"
    assert verbatim["span"] == list(report.matches[0].span or ())
    assert data["failures"] == [
        {"stage": "fetch", "outlet_id": "pine", "url": "https://pine.example/2", "reason": report.failures[0].reason}
    ]
    assert data["articles"][0]["chars"] == len(HOSTILE)
    assert "輕軌" in report_to_json(report)  # CJK kept readable, not \\u-escaped


def test_report_dict_marks_outlets_without_articles() -> None:
    report = make_report()
    lonely = Report(
        phrases=report.phrases,
        outlets=(*report.outlets, Outlet("ghost", "Ghost")),
        targets=report.targets,
        articles=report.articles,
        matches=report.matches,
        failures=report.failures,
        started=report.started,
        finished=report.finished,
    )
    assert report_to_dict(lonely)["matrix"]["p1"]["ghost"] == "no article"
    assert "— no article" in render(lonely)


def test_markdown_escapes_untrusted_text() -> None:
    from coverage.report import report_to_markdown

    report = make_report(
        text="[click](javascript:alert(1)) <img src=x onerror=y> a|b **bold** 「輕軌是城市復興的第一步」"
    )
    out = report_to_markdown(report)
    assert "## Coverage matrix" in out and "| 潮水日報 (tide) | ✓ verbatim | ✗ absent" in out
    assert "<img" not in out and "&lt;img src=x onerror=y&gt;" in out
    assert "\\](javascript:alert(1))" in out and "](javascript" not in out.replace("\\](", "")  # no link forms
    assert "a\\|b" in out and "\\*\\*bold\\*\\*" in out  # no table break, no emphasis
    assert "\x1b" not in out


def test_html_page_escapes_untrusted_text() -> None:
    from coverage.report import report_to_html

    page = report_to_html(make_report(text="<script>alert(1)</script>「輕軌是城市復興的第一步」"))
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    assert page.count("<script>") == 1  # the page's own few lines (filter and sort the matrix), nothing else
    assert "潮水日報" in page
