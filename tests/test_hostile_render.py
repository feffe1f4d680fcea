"""Hostile ids, names and texts through every renderer (issue 14, case 1): whatever comes from outside (phrase ids
and texts, outlet ids, labels, names and native names from event files, registry files and archived report.json
files, URLs, titles, authors, article text, notes, failure reasons, discovery results, registry notes) is data.

It reaches the terminal only as text (rich never reads it as markup, no escape sequence, control or bidi character
gets through, only http(s) URLs become OSC 8 links), Markdown escaped (no raw HTML, no link but to http(s), table
cells intact), HTML autoescaped (no element or attribute from the input, only http(s) links, ids slugged), CSV and
JSON without a raw control character.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import rich.console
import rich.markup
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from rich.console import Console, RenderableType

from coverage.diff import align
from coverage.event import Event
from coverage.models import (
    Article,
    BackendRun,
    Candidate,
    DiffOp,
    Failure,
    Match,
    Method,
    Outlet,
    OutletDiscovery,
    Phrase,
    Piece,
    Report,
    Status,
    Target,
    Timestamp,
)
from coverage.probe import Probe
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
from coverage.report.sources import (
    outlet_panel,
    outlets_table,
    outlets_to_csv,
    outlets_to_html,
    outlets_to_markdown,
    probes_table,
)
from coverage.sources import load_sources
from coverage.textnorm import clean_display

from .conftest import PAGES, CliResult

SENTINEL = "ZQX"  # in every hostile string: rich's markup parser must never see it
MARKUP = "[red]R[/red][link=javascript:alert(1)]L[/link]"
ESCAPES = (
    "\x1b]8;;javascript:alert(1)\x1b\\K\x1b]8;;\x1b\\"  # OSC 8 link
    "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H\x1b[3J"  # clear the screen
    "\x1b]0;title\x07\x9b31m\x9d0;c1\x07\x85\x00\x08\r\x7f"  # window title, C1 CSI and OSC, NEL, C0
    "\u202eRLO\u202dLRO\u2067RLI\u2066\u2069\u200f\u061c"  # bidi controls
)
HTML = "<img src=x onerror=alert(1)><script>alert(1)</script>\"'&amp;"
MD = "|`*_~[x](javascript:alert(1))![i](https://evil.example/i.png)<https://evil.example>\\"


def hostile(tag: str) -> str:
    return f"{tag}{SENTINEL}{MARKUP}{ESCAPES}{HTML}{MD}"


BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_inert(text: str, where: str) -> None:
    """No escape, no C0 (but tab, newline) or C1 control, no bidi control."""
    found = sorted({f"U+{ord(c):04X}" for c in C0_C1.findall(text) + BIDI.findall(text)})
    assert not found, f"{where}: {found}"


_SGR = re.compile(r"\x1b\[[0-9;]*m")
_LINK = re.compile(r"\x1b\]8;(?:id=[0-9A-Za-z_-]*)?;([^\x1b\x07]*)\x1b\\")


def assert_terminal_inert(out: str, where: str) -> None:
    """A terminal's bytes: rich's own colours, and OSC 8 links to http(s) URLs in printable ASCII; nothing else."""
    for target in _LINK.findall(out):
        assert target == "" or re.fullmatch(r"https?://[!-~]+", target), f"{where}: a link to {target!r}"
    assert_inert(_LINK.sub("", _SGR.sub("", out)), where)


@pytest.fixture(autouse=True)
def _markup_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rich's markup parser, watched: hostile text (marked by SENTINEL) must never reach it."""
    seen: list[str] = []
    console_render = rich.console.render_markup
    markup_render = rich.markup.render

    def spy(original: Callable[..., Any]) -> Callable[..., Any]:
        def render(markup: str, *args: Any, **kwargs: Any) -> Any:
            if SENTINEL in markup:
                seen.append(markup)
            return original(markup, *args, **kwargs)

        return render

    monkeypatch.setattr(rich.console, "render_markup", spy(console_render))
    monkeypatch.setattr(rich.markup, "render", spy(markup_render))
    yield
    assert not seen, f"rich read untrusted text as markup: {seen[:3]!r}"


def terminal(render: Callable[[Console], None], width: int = 100, colour: bool = True) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        highlight=False,
        legacy_windows=False,
    )
    render(console)
    return buffer.getvalue()


def printed(renderable: RenderableType, colour: bool = True) -> str:
    return terminal(lambda console: console.print(renderable), colour=colour)


# ── a hostile report, as an edited report.json or a hostile event file and pages would make it ──

QUOTE = "輕軌是城市復興的第一步"
P1 = hostile("p1")  # a phrase id from an event file
O1 = hostile("o1")  # an outlet id from an archived report.json (the registry and -f only allow [a-z0-9_-])


def hostile_report() -> Report:
    now = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    phrases = (
        Phrase(P1, QUOTE + hostile("text"), (hostile("rendering"),), "zh", hostile("speaker")),
        Phrase("p-2", hostile("original") + " Light rail is the first step", speaker=hostile("s2"), source="original"),
        Phrase("=cmd", "白皮書的數字很漂亮"),
    )
    outlets = (
        Outlet(O1, hostile("name"), hostile("native"), hostile("lang"), (hostile("script"),), hostile("cc")),
        Outlet("plain", "=HYPERLINK(1)" + hostile("label"), known=False),
        Outlet("2-x", hostile("third")),
    )
    body = f"{hostile('body')}\n「{QUOTE}」，{hostile('after')} 白皮書的數字並不漂亮 Light rail is the first step."
    start = body.index(QUOTE)
    article = Article(
        O1,
        "javascript:alert(1)//" + hostile("url"),
        "https://tide.example/a b?x=" + hostile("final"),
        hostile("title"),
        Timestamp.fromisoformat("2026-03-05T09:42+08:00"),
        hostile("author"),
        hostile("language"),
        hostile("script"),
        body,
        now,
        "0" * 64,
        captions=(hostile("caption"),),
        reprint_of=hostile("wire"),
        notes=(hostile("note"),),
    )
    other = Article(
        "plain", "data:text/html,<script>alert(1)</script>", None, "=1+1" + hostile("t2"), None, None, None, None,
        hostile("body2") + " Light rail is the first step", now, hostile("sha256"), reprint_of=O1,
    )  # fmt: skip
    flags = (hostile("flag"), "number")
    matches = (
        Match(P1, O1, article.url, Status.VERBATIM, 100.0, QUOTE, body[start - 5 : start + 40], (start, start + 11),
              method=Method.EXACT, flags=flags, changes=(hostile("change"),)),
        Match(P1, O1, "https://tide.example/2", Status.NEAR, 82.0, hostile("near"), hostile("context"),
              method=Method.FUZZY, diff=(DiffOp("equal", hostile("eq"), hostile("eq")), DiffOp("replace", hostile("a"), hostile("b")),
                                          DiffOp("insert", "", hostile("ins")), DiffOp("delete", hostile("del"), ""))),
        Match(P1, "plain", other.url, Status.PARTIAL, 60.0, QUOTE[:6], hostile("ctx"), method=Method.PIECES,
              pieces=(Piece(QUOTE[:6], 0, 6), Piece(hostile("piece"), 7, 9)), share=0.5, note=hostile("pnote")),
        Match(P1, "2-x", "https://third.example/", Status.UNAVAILABLE, 0.0, note=hostile("unavailable")),
        Match("p-2", O1, article.url, Status.TRANSLATED, 91.0, "Light rail is the first step", hostile("tctx"),
              rendering=hostile("rend"), method=Method.ALIGNER, confidence=0.9, rank=1, margin=0.2,
              signals=((hostile("signal"), 0.5), ("cos", 0.4)), flags=flags, changes=(hostile("c2"),)),
        Match("p-2", "plain", other.url, Status.TRANSLATED, 88.0, hostile("other wording"), hostile("c3"),
              rendering=hostile("r3"), method=Method.ALIGNER, signals=(("lex", 0.3),)),
        Match("p-2", "2-x", "https://third.example/", Status.UNCERTAIN, 40.0, hostile("cand"), hostile("c4"),
              method=Method.ALIGNER),
        Match("=cmd", O1, article.url, Status.ABSENT, 30.0, hostile("weak"), hostile("c5"), method=Method.FUZZY,
              where="headline"),
        Match("=cmd", "plain", other.url, Status.NOT_COMPARED, 0.0, note=hostile("nc")),
    )  # fmt: skip
    candidate = Candidate(O1, "https://tide.example/c?" + hostile("cand"), hostile("ctitle"), now, (hostile("via"),))
    discovery = (
        OutletDiscovery(
            O1,
            "found",
            (candidate, Candidate(O1, "javascript:alert(1)", hostile("js"), None, ("feeds",))),
            (BackendRun(hostile("backend"), O1, hostile("searched"), error=hostile("error")),
             BackendRun("search", O1, "skipped: " + hostile("why"))),
            ("https://tide.example/off?" + hostile("off"),),
        ),
        OutletDiscovery("2-x", "failed", (), (BackendRun("feeds", "2-x", hostile("feed"), error=hostile("err")),)),
    )  # fmt: skip
    event = Event(
        title=hostile("event"),
        queries=(hostile("query"),),
        aliases=((hostile("alias"), "Voss"),),
        start=now.replace(day=1),
        end=now,
    )
    failure = Failure("fetch", "2-x", "javascript:alert(1)//" + hostile("furl"), hostile("reason"))
    return Report(
        phrases=phrases,
        outlets=outlets,
        targets=(Target(O1, url=article.url), Target("plain", path=other.url), Target("2-x", url=failure.url)),
        articles=(article, other),
        matches=matches,
        failures=(failure,),
        started=now,
        finished=now,
        event=event,
        discovery=discovery,
        notes=(hostile("run note"),),
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return hostile_report()


# ── terminal ──


@pytest.mark.parametrize("evidence", ["compact", "full", "none"])
@pytest.mark.parametrize("view", [render_terminal, render_quotes])
@pytest.mark.parametrize("colour", [True, False])
def test_terminal_shows_hostile_text_as_text(report: Report, evidence: str, view: Any, colour: bool) -> None:
    for width in (60, 140):
        out = terminal(lambda console: view(report, console, sort="name", evidence=evidence), width, colour)
        assert_terminal_inert(out, f"{view.__name__} {evidence} {width}")
        assert "\x1b]52" not in out and "\x1b[2J" not in out
        plain = re.sub(r"\s", "", _LINK.sub("", _SGR.sub("", out)))  # lines wrapped anywhere
        assert MARKUP in plain  # rich markup in a name or id stays literal
        assert "<imgsrc=xonerror=alert(1)>" in plain
    out = terminal(lambda console: view(report, console, evidence=evidence), 100, colour)
    plain = _LINK.sub("", _SGR.sub("", out))
    assert f"p1{SENTINEL}{MARKUP}" in plain  # the hostile phrase id, as written (its controls dropped)


def test_only_http_urls_become_terminal_links_and_they_are_cleaned(report: Report) -> None:
    out = terminal(lambda console: render_terminal(report, console, evidence="full"), 200)
    targets = [t for t in _LINK.findall(out) if t]
    assert targets, "the article's https URL is a link"
    assert all(t.startswith(("https://tide.example/", "https://third.example/")) for t in targets)
    assert all(re.fullmatch(r"[!-~]+", t) for t in targets)  # spaces, quotes, CJK percent-encoded
    assert "https://tide.example/a%20b?x=final" in out


# ── Markdown ──


def _markdown_tokens(text: str) -> list[Any]:
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    out: list[Any] = []
    for token in parser.parse(text):
        out.append(token)
        out.extend(token.children or ())
    return out


def assert_markdown_safe(text: str, where: str) -> None:
    assert_inert(text, where)
    assert "<" not in text, f"{where}: a raw < from the input"  # the renderers write none of their own
    tokens = _markdown_tokens(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image"}, f"{where}: {kinds}"
    for token in tokens:
        if token.type == "link_open":
            assert re.match(r"https?://", str(token.attrs["href"])), f"{where}: a link to {token.attrs['href']!r}"
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)
    page = lxml_html.fragment_fromstring(rendered, create_parent="div")
    assert not page.xpath("//img|//script|//iframe"), where


@pytest.mark.parametrize("view", ["compare", "quotes"])
def test_markdown_escapes_ids_and_names(report: Report, view: str) -> None:
    text = report_to_markdown(report, view=view)
    assert_markdown_safe(text, "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    # the matrix: an escaped | in an id or a label splits no cell
    first = next(i for i, t in enumerate(tokens) if t.type == "table_open")
    end = next(i for i, t in enumerate(tokens) if t.type == "table_close" and i > first)
    rows = [tokens[i : next(j for j in range(i, end) if tokens[j].type == "tr_close")] for i in range(first, end)
            if tokens[i].type == "tr_open"]  # fmt: skip
    assert len(rows) == 1 + len(report.outlets)
    assert all(sum(t.type in ("th_open", "td_open") for t in row) == 1 + len(report.phrases) for row in rows)
    assert f"**p1{SENTINEL}" in text and "\\[red\\]R\\[/red\\]" in text


# ── HTML ──

TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "dl", "dt", "dd", "main",
    "section", "ol", "ul", "li", "strong", "span", "br", "select", "option", "div", "table", "thead", "tbody", "tr",
    "th", "td", "a", "small", "article", "blockquote", "mark", "del", "ins", "em", "details", "summary", "footer",
    "script", "b",
}  # fmt: skip
TEMPLATE_ATTRIBUTES = {
    "lang", "charset", "name", "content", "http-equiv", "id", "class", "href", "rel", "title", "scope", "value",
    "hidden", "aria-label", "aria-hidden", "data-col", "data-status", "data-rank",
}  # fmt: skip
PAGE_IDS = {"matrix": "table", "filter-col": "select", "filter-status": "select", "summary": "p", "articles": "table"}


def assert_html_safe(page: str, where: str, script: bool = True) -> Any:
    assert_inert(page, where)
    doc = lxml_html.document_fromstring(page)
    elements = [el for el in doc.iter() if isinstance(el.tag, str)]
    assert {el.tag for el in elements} <= TEMPLATE_TAGS, f"{where}: { ({el.tag for el in elements} - TEMPLATE_TAGS) }"
    scripts = doc.xpath("//script")
    assert len(scripts) == (1 if script else 0) and all(SENTINEL not in (s.text or "") for s in scripts)
    ids: list[str] = []
    for el in elements:
        for name, value in el.attrib.items():
            assert name in TEMPLATE_ATTRIBUTES, f"{where}: attribute {name}={value!r} on <{el.tag}>"
            if name == "href":
                assert value.startswith("#") or re.match(r"https?://", value), f"{where}: a link to {value!r}"
            if name == "id":
                assert re.fullmatch(r"[A-Za-z0-9_.-]+", value), f"{where}: id {value!r}"
                ids.append(value)
    assert len(ids) == len(set(ids)), f"{where}: an id twice"
    for target in doc.xpath("//a/@href"):
        assert not target.startswith("#") or target[1:] in ids, f"{where}: {target} leads nowhere"
    return doc


@pytest.mark.parametrize("view", ["compare", "quotes"])
def test_html_has_no_element_attribute_or_link_from_the_input(report: Report, view: str) -> None:
    doc = assert_html_safe(report_to_html(report, view=view), "html")
    for page_id, tag in PAGE_IDS.items():  # no phrase or outlet id takes the place of the page's own elements
        [element] = doc.xpath(f"//*[@id='{page_id}']")
        assert element.tag == tag
    text = doc.text_content()
    assert "<img src=x onerror=alert(1)>" in text and MARKUP in text  # shown as text
    headers = doc.xpath("//table[@id='matrix']/thead/tr/th")
    assert len(headers) == 1 + len(report.phrases)
    assert headers[1].text_content() == clean_display(P1)
    # every cell leads to its evidence, with ids that two phrase/outlet pairs never share
    evidence = doc.xpath("//article[contains(@class, 'evidence')]/@id")
    assert len(evidence) == len(set(evidence)) == len(report.matches)
    assert "e-p-2-plain" not in evidence and "e-p.2d.2-plain" in evidence


# ── CSV and JSON ──


def test_csv_cells_are_clean_and_never_formulas(report: Report) -> None:
    text = report_to_csv(report)
    assert_inert(text.replace("\r\n", "\n"), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS) and all(len(row) == len(COLUMNS) for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)
    assert any(cell.startswith("'=HYPERLINK(1)") for row in rows for cell in row)


def test_json_keeps_every_character_but_shows_none_raw(report: Report) -> None:
    text = report_to_json(report)
    assert_inert(text, "json")
    data = json.loads(text)
    assert data["phrases"][0]["id"] == P1 and data["outlets"][0]["name"] == hostile("name")  # nothing lost
    assert data["articles"][0]["text"] == report.articles[0].text


def test_lone_surrogates_from_a_report_json_are_written_as_replacement_characters() -> None:
    """json.loads("\\ud800") makes a string no UTF-8 file can hold: every format still writes (the JSON as an escape)."""
    broken = json.loads('"\\ud800 [red]x\\udfff ZQX"')
    now = datetime(2026, 3, 5, tzinfo=UTC)
    page = Article("o", "https://o.example/" + broken, None, broken, None, broken, None, None, broken, now, broken)
    report = Report(
        (Phrase(broken, broken, speaker=broken),), (Outlet("o", broken, broken),), (Target("o", url=page.url),),
        (page,), (Match(broken, "o", page.url, Status.ABSENT, 10.0, broken, broken, note=broken),), (), now, now,
        notes=(broken,),
    )  # fmt: skip
    outputs = {
        "terminal": terminal(lambda console: render_terminal(report, console, evidence="full")),
        "markdown": report_to_markdown(report),
        "html": report_to_html(report),
        "csv": report_to_csv(report),
        "json": report_to_json(report),
    }
    for name, text in outputs.items():
        text.encode("utf-8")  # no UnicodeEncodeError
        assert name == "json" or "\ufffd" in text, name
    assert json.loads(outputs["json"])["phrases"][0]["id"] == broken


# ── newscov diff ──


def test_diff_views_show_hostile_articles_as_text() -> None:
    now = datetime(2026, 3, 5, tzinfo=UTC)
    shared = "雙方同意建立海巡直接溝通管道。"
    a = Article(
        hostile("a"), "javascript:alert(1)", None, hostile("ta"), None, None, hostile("la"), hostile("sa"),
        f"{shared}\n{hostile('only a')}。\n記者{hostile('by')}／台北報導", now, "0" * 64,
    )  # fmt: skip
    b = Article(
        hostile("b"), "https://b.example/x y" + hostile("u"), None, hostile("tb"), None, None, None, None,
        f"{shared.replace('溝通', '聯繫')}\n{hostile('only b')}。", now, "1" * 64,
    )  # fmt: skip
    lines = align(a, b)
    for width in (80, 140):
        out = terminal(lambda console: render_diff(a, b, lines, console), width)
        assert_terminal_inert(out, f"diff terminal {width}")
        assert MARKUP in _SGR.sub("", out)
    assert_markdown_safe(diff_to_markdown(a, b, lines), "diff markdown")
    assert_html_safe(diff_to_html(a, b, lines), "diff html", script=False)
    assert_inert(diff_to_json(a, b, lines), "diff json")
    assert json.loads(diff_to_json(a, b, lines))["a"]["title"] == hostile("ta")
    assert_inert(diff_to_csv(a, b, lines).replace("\r\n", "\n"), "diff csv")


# ── the registry: `newscov sources list` and `sources show` ──

REGISTRY = r"""version: 3
outlets:
  - id: evil
    name: "Evil \e]52;c;cHduZWQ=\a [link=javascript:alert(1)]click[/link] [red]R[/red] ZQX"
    native_name: "\u202eevil\u202c \e]8;;http://evil.example\e\\here\e]8;;\e\\ \e[2J\e[H ZQX <img src=x onerror=alert(1)>"
    language: zh
    script: zh-Hant
    country: TW
    timezone: Asia/Taipei
    kind: wire
    domains: [evil.example]
    homepage: "https://evil.example/\e]8;;javascript:alert(1)\a<img src=x>"
    feeds:
      - {url: "https://evil.example/rss\e[2J", label: "\e]52;c;cHdu\a[bold]L[/bold] ZQX", src: "\e[31msrc", note: "\u2066note"}
    sitemaps:
      - {url: "https://evil.example/sitemap.xml\x9b31m", label: "\x85\x9d0;t\a"}
    search:
      - {template: "https://evil.example/s?q={query}\e]8;;x\a", kind: html}
    extract:
      title_suffix: " \e[2J]| Evil"
    access:
      paywall: "\e]52;c;cHduZWQ=\a metered [red]x[/red] ZQX"
      anti_bot: "\x85\x9d0;title\a \u202eRLO"
    notes: "\e[2J\e[3J [link=http://evil]n[/link] \u202eRLO ZQX\nsecond line \e[31m"
"""


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "evil [red]x[bold] ZQX \x1b[2J.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_registry_views_print_a_hostile_registry_as_inert_text(registry_file: Path) -> None:
    registry = load_sources(registry_file, bundled=False)
    outlets = list(registry)
    [evil] = outlets
    assert "\x1b]52" in evil.name and "\u202e" in (evil.native_name or "")  # the file is as hostile as meant
    probe = Probe(
        "evil", "feed [red]k[/red] ZQX", "https://evil.example/\x1b]52;c;AA\x07", False, "HTTP 500 \u202e\x9b"
    )
    for colour in (True, False):
        for name, view in (("table", outlets_table(outlets, [str(registry_file) + "\x1b[2J"])),
                           ("panel", outlet_panel(evil)), ("probes", probes_table([probe]))):  # fmt: skip
            out = printed(view, colour)
            assert_terminal_inert(out, name)
            assert "[red]" in _SGR.sub("", out) or name == "probes"
    panel = _SGR.sub("", printed(outlet_panel(evil)))
    assert "[link=javascript:alert(1)]click[/link]" in panel and "[link=http://evil]n[/link]" in panel
    assert "second line" in panel  # a value of several lines keeps them
    page = outlets_to_html(outlets)
    assert_html_safe(page, "outlets html", script=False)
    assert_markdown_safe(outlets_to_markdown(outlets), "outlets markdown")
    assert_inert(outlets_to_csv(outlets).replace("\r\n", "\n"), "outlets csv")


def test_sources_commands_print_a_hostile_registry_as_inert_text(cli: Any, registry_file: Path) -> None:
    shown: CliResult = cli("sources", "show", "evil", "--sources", str(registry_file))
    assert shown.exit_code == 0, shown.stderr
    assert_inert(shown.stdout, "sources show")
    assert "[link=javascript:alert(1)]click[/link]" in shown.stdout
    listed: CliResult = cli("sources", "list", "--sources", str(registry_file), "--country", "TW")
    assert listed.exit_code == 0, listed.stderr
    assert_inert(listed.stdout, "sources list")
    assert "evil" in listed.stdout
    for fmt in ("markdown", "html", "csv"):
        result: CliResult = cli("sources", "list", "--sources", str(registry_file), "--format", fmt, "--country", "TW")
        assert result.exit_code == 0, result.stderr
        assert_inert(result.stdout.replace("\r\n", "\n"), f"sources list --format {fmt}")


# ── end to end: a hostile event file, through the command ──

EVENT = r"""title: "T \e]0;pwn\a [red]t[/red] ZQX <img src=x onerror=alert(1)>"
phrases:
  - {id: "[link=javascript:alert(1)]p[/link]\e[2J\u202e<img src=x onerror=alert(1)>|ZQX", text: "輕軌是城市復興的第一步"}
  - {id: "matrix", text: "白皮書的數字很漂亮", speaker: "\e]52;c;cHdu\a ZQX"}
pinned:
  - {url: tidewater.html, outlet: "[red]O[/red]\e]8;;javascript:x\e\\L\e]8;;\e\\ \e]52;c;cHdu\a \u202eRLO <img src=x onerror=alert(1)> ZQX"}
"""


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json", "csv"])
def test_a_hostile_event_file_renders_inert_in_every_format(cli: Any, tmp_path: Path, fmt: str) -> None:
    shutil.copy(PAGES / "tidewater.html", tmp_path / "tidewater.html")
    event = tmp_path / "event.yaml"
    event.write_text(EVENT, encoding="utf-8")
    result: CliResult = cli("compare", "--event", str(event), "--no-cache", "--no-aligner", "--format", fmt)
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert out.strip(), result.stderr
    assert_inert(out.replace("\r\n", "\n"), fmt)
    assert_inert(result.stderr, f"{fmt} stderr")
    if fmt == "terminal":
        assert "[link=javascript:alert(1)]p[/link]" in out and "[red]O[/red]" in out
    elif fmt == "markdown":
        assert_markdown_safe(out, fmt)
    elif fmt == "html":
        doc = assert_html_safe(out, fmt)
        [matrix] = doc.xpath("//*[@id='matrix']")
        assert matrix.tag == "table"  # a phrase called "matrix" does not take the table's place
    elif fmt == "json":
        data = json.loads(out)
        assert data["phrases"][0]["id"].startswith("[link=javascript:alert(1)]p[/link]\x1b[2J")  # kept exactly
