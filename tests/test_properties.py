"""Property tests (Hypothesis) over the folder, the matcher, the quote extractor and every renderer (issue 14): no
exception on any Unicode input, offsets and scores within bounds, a phrase planted verbatim in random text found
verbatim, and no rendered output carrying an escape character or live markup from its input.

Each test runs a modest number of examples with no deadline, so that the whole file takes a few seconds; the
example database is off (nothing written into the checkout). NEWSCOV_PROPERTY_EXAMPLES=2000 searches harder.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import rich.console
import rich.markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from coverage.diff import align
from coverage.event import Event
from coverage.match import Cascade, MatchSettings, default_matchers, fold_for_matching, match_article, match_phrase
from coverage.models import Article, Failure, Match, Outlet, Phrase, Report, Status, Target, Timestamp
from coverage.quotes import extract_quotes, group_quotes, quote_phrases
from coverage.report import (
    render_quotes,
    render_terminal,
    report_to_csv,
    report_to_html,
    report_to_json,
    report_to_markdown,
)
from coverage.report.csvfile import COLUMNS, diff_to_csv
from coverage.report.diff import diff_to_html, diff_to_json, diff_to_markdown, render_diff
from coverage.textnorm import clean_display, flat, fold, fold_text, one_line

from .test_hostile_render import assert_html_safe, assert_inert, assert_markdown_safe, assert_terminal_inert

EXAMPLES = int(os.environ.get("NEWSCOV_PROPERTY_EXAMPLES", "60"))
FEW = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(
    max_examples=max(1, EXAMPLES // 2), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# any character (Hypothesis leaves lone surrogates out), with the ones that matter here drawn more often: Han,
# quote marks, punctuation, spaces, escape and control characters, bidi controls, rich markup, HTML, Markdown
NASTY = list(
    "輕軌是城市復興的第一步白皮書數字漂亮臺灣乾隆「」『』“”‘’\"'，。：、！？ \n\t\r\x1b\x07\x9b\x9d\x85\x00\u202e\u2066\u200f"
)
NASTY += [
    "[red]",
    "[/red]",
    "[link=javascript:alert(1)]",
    "<img src=x onerror=alert(1)>",
    "](javascript:x)",
    "|",
    "&amp;",
]
CHARS = st.one_of(st.characters(), st.sampled_from(NASTY))
TEXT = st.lists(CHARS, max_size=60).map("".join)
LONG_TEXT = st.lists(CHARS, max_size=300).map("".join)
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
STRING_CASCADE = Cascade(default_matchers(aligner=False))  # the cross-language aligner loads a model: left out


# ── the folder ──


@FEW
@given(LONG_TEXT)
def test_fold_takes_any_text_and_keeps_offsets_in_bounds(text: str) -> None:
    folded = fold(text)
    assert fold_text(text) == folded.text
    assert len(folded.origin) == len(folded.text)
    assert all(0 <= index < len(text) for index in folded.origin)
    assert list(folded.origin) == sorted(folded.origin)  # folding keeps the order of the text
    for start in range(0, len(folded.text) + 1, 7):
        for end in (start, min(len(folded.text), start + 5)):
            low, high = folded.span_to_original(start, end, len(text))
            assert 0 <= low <= high <= len(text)


@FEW
@given(LONG_TEXT, st.lists(st.lists(TEXT, min_size=2, max_size=3), max_size=2))
def test_aliases_keep_offsets_in_bounds(text: str, aliases: list[list[str]]) -> None:
    folded = fold_for_matching(text, MatchSettings(aliases=tuple(tuple(a) for a in aliases)))
    assert len(folded.origin) == len(folded.text)
    assert all(0 <= index < len(text) for index in folded.origin)


@FEW
@given(LONG_TEXT)
def test_display_cleaning_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    for cleaned in (clean_display(text), flat(text), one_line(text)):
        assert_inert(cleaned, "clean")
    assert "\n" not in one_line(text) and "\n" not in flat(text)
    assert clean_display(clean_display(text)) == clean_display(text)


# ── the matcher ──


def article(text: str, title: str | None = None, outlet: str = "o") -> Article:
    now = datetime(2026, 3, 5, tzinfo=UTC)
    return Article(outlet, f"https://{outlet}.example/1", None, title, None, None, None, None, text, now, "0" * 64)


@FEW
@given(TEXT, LONG_TEXT, st.one_of(st.none(), TEXT))
def test_matching_takes_any_text_and_scores_within_bounds(phrase: str, text: str, title: str | None) -> None:
    match = match_phrase(Phrase("p1", phrase), article(text, title), cascade=STRING_CASCADE)
    assert isinstance(match.status, Status)
    assert 0 <= match.score <= 100
    if match.span is not None:
        start, end = match.span
        assert 0 <= start <= end <= len(text)
    if match.share is not None:
        assert 0 <= match.share <= 1


LATIN_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8)
PLANTED = st.one_of(
    st.lists(HAN, min_size=4, max_size=14).map("".join),
    st.lists(LATIN_WORD, min_size=1, max_size=5).map(" ".join).filter(lambda p: sum(c.isalpha() for c in p) >= 4),
)


SEPARATOR = st.sampled_from([" ", "\n", "「", "」", "“", "，", "。", ", "])


@FEW
@given(PLANTED, TEXT, TEXT, SEPARATOR, SEPARATOR)
def test_a_phrase_planted_verbatim_is_found_verbatim(
    phrase: str, before: str, after: str, left: str, right: str
) -> None:
    # set apart from the filler as in an article (a Latin phrase must stand on word boundaries; and OpenCC converts
    # some characters differently next to others: 麼 alone is 么, but 么麼 is 幺麽)
    text = f"{before}{left}{phrase}{right}{after}"
    match = match_phrase(Phrase("p1", phrase), article(text), cascade=STRING_CASCADE)
    assert match.status is Status.VERBATIM, (match.status, match.score, match.matched_text)
    assert match.score == 100
    assert match.span is not None and fold_text(text[slice(*match.span)]) == fold_text(phrase)


# ── the quote extractor ──


QUOTED = st.lists(
    st.one_of(TEXT, st.sampled_from(["「", "」", "“", "”", '"', "他說", "表示", " said ", "Voss"])), max_size=30
)


@FEW
@given(QUOTED.map("".join), st.one_of(st.none(), TEXT))
def test_quote_extraction_takes_any_text(text: str, title: str | None) -> None:
    page = article(text, title)
    quotes = extract_quotes(page, (("沃斯", "Voss"),))
    for quote in quotes:
        source = page.text if quote.where == "body" else page.title or ""
        assert 0 <= quote.start <= quote.end <= len(source)
    group_quotes(quotes)
    quote_phrases([page, article(text[::-1], outlet="b")])


# ── every renderer ──

SENTINEL = "ZQX"  # in every id, label, title and note: rich's markup parser must never see one of them
MARKED = st.builds(lambda a, b: f"{a}{SENTINEL}{b}", TEXT, TEXT)
URLS = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["https://x.example/", "http://y.example/", "javascript:alert(1)//", "data:text/html,", "/a/", ""]),
    MARKED,
)


@contextmanager
def no_markup_from_input() -> Iterator[None]:
    """Rich's markup parser, watched for the sentinel of the input (the tests' autouse spy is function-scoped)."""
    seen: list[str] = []
    originals = (rich.console.render_markup, rich.markup.render)

    def spy(original: Callable[..., Any]) -> Callable[..., Any]:
        def render(markup: str, *args: Any, **kwargs: Any) -> Any:
            if SENTINEL in markup:
                seen.append(markup)
            return original(markup, *args, **kwargs)

        return render

    rich.console.render_markup, rich.markup.render = (spy(o) for o in originals)
    try:
        yield
    finally:
        rich.console.render_markup, rich.markup.render = originals
    assert not seen, f"rich read untrusted text as markup: {seen[:2]!r}"


@st.composite
def reports(draw: st.DrawFn) -> Report:
    now = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    phrase_ids = draw(st.lists(MARKED, min_size=1, max_size=3, unique=True))
    outlet_ids = draw(st.lists(MARKED, min_size=1, max_size=3, unique=True))
    phrases = tuple(
        Phrase(pid, draw(st.one_of(PLANTED, TEXT)), tuple(draw(st.lists(MARKED, max_size=1))),
               speaker=draw(st.one_of(st.none(), MARKED)), source=draw(st.sampled_from([None, "original"])))
        for pid in phrase_ids
    )  # fmt: skip
    outlets = tuple(
        Outlet(oid, draw(MARKED), draw(st.one_of(st.none(), MARKED)), known=draw(st.booleans())) for oid in outlet_ids
    )
    articles: list[Article] = []
    matches: list[Match] = []
    failures: list[Failure] = []
    for n, outlet in enumerate(outlets):
        url = draw(URLS) + str(n)
        if n and draw(st.booleans()):
            failure = Failure("fetch", outlet.id, url, draw(MARKED))
            failures.append(failure)
            matches += [Match(p.id, outlet.id, url, Status.UNAVAILABLE, 0.0, note=failure.reason) for p in phrases]
            continue
        planted = " ".join(p.text for p in phrases if draw(st.booleans()))
        text = f"{draw(LONG_TEXT)} 「{planted}」 {draw(TEXT)}"
        published = draw(st.sampled_from([None, Timestamp.fromisoformat("2026-03-05T09:42+08:00")]))
        page = Article(
            outlet.id, url, draw(st.one_of(st.none(), URLS)), draw(st.one_of(st.none(), MARKED)), published,
            draw(st.one_of(st.none(), MARKED)), None, None, text, now, "0" * 64, notes=tuple(draw(st.lists(MARKED, max_size=1))),
        )  # fmt: skip
        articles.append(page)
        matches += match_article(phrases, page, cascade=STRING_CASCADE)
    event = draw(st.one_of(st.none(), st.builds(lambda t, q: Event(title=t, queries=(q,)), MARKED, MARKED)))
    return Report(
        phrases=phrases,
        outlets=outlets,
        targets=tuple(Target(a.outlet_id, url=a.url) for a in articles),
        articles=tuple(articles),
        matches=tuple(matches),
        failures=tuple(failures),
        started=now,
        finished=now,
        event=event,
        notes=tuple(draw(st.lists(MARKED, max_size=1))),
    )


def terminal(render: Callable[[Console], None], width: int) -> str:
    buffer = io.StringIO()
    render(Console(file=buffer, width=width, color_system="truecolor", force_terminal=True, legacy_windows=False))
    return buffer.getvalue()


@SOME
@given(reports(), st.sampled_from(["compact", "full"]), st.sampled_from(["registry", "verdict", "name"]))
def test_every_renderer_shows_random_text_as_inert_data(report: Report, evidence: str, sort: str) -> None:
    with no_markup_from_input():
        for view in (render_terminal, render_quotes):
            out = terminal(lambda console, view=view: view(report, console, sort=sort, evidence=evidence), 90)
            assert_terminal_inert(out, view.__name__)
    for view_name in ("compare", "quotes"):
        assert_markdown_safe(report_to_markdown(report, sort=sort, view=view_name), "markdown")
        assert_html_safe(report_to_html(report, sort=sort, view=view_name), "html")
    text = report_to_csv(report, sort=sort)
    assert_inert(text.replace("\r\n", "\n"), "csv")
    assert text.count("\r\n") >= 1 + len(report.outlets) * len(report.phrases)
    assert all(not re.match(r"[=+\-@]", line) for line in text.split("\r\n"))
    assert list(COLUMNS) == text.split("\r\n", 1)[0].split(",")
    json_text = report_to_json(report)
    assert_inert(json_text, "json")
    data = json.loads(json_text)
    assert [p["id"] for p in data["phrases"]] == [p.id for p in report.phrases]  # JSON keeps every character


@SOME
@given(LONG_TEXT, LONG_TEXT, MARKED, MARKED)
def test_diff_views_show_random_articles_as_inert_data(text_a: str, text_b: str, title: str, outlet: str) -> None:
    a = article(text_a, title, outlet)
    b = article(text_b + text_a[: len(text_a) // 2], None, "b" + outlet)
    lines = align(a, b)
    with no_markup_from_input():
        for width in (70, 120):
            assert_terminal_inert(terminal(lambda console: render_diff(a, b, lines, console), width), "diff")
    assert_markdown_safe(diff_to_markdown(a, b, lines), "diff markdown")
    assert_html_safe(diff_to_html(a, b, lines), "diff html", script=False)
    assert_inert(diff_to_json(a, b, lines), "diff json")
    assert_inert(diff_to_csv(a, b, lines).replace("\r\n", "\n"), "diff csv")
