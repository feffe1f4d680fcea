"""`newscov corpus report`: the aggregation of a corpus output folder (DuckDB over the Parquet files of the finished
tasks) checked number by number, and its renderers (terminal, JSON, Markdown, HTML) showing every untrusted string
(outlet names, titles, URLs, phrase text, error text) as inert text."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from rich.console import Console

from coverage.corpus.aggregate import CorpusReadError, CorpusSummary, Counts, summarize
from coverage.corpus.layout import HITS, HITS_SCHEMA, JOB_FILE, PAGES, PAGES_SCHEMA, TASKS
from coverage.report.corpus import (
    corpus_to_dict,
    corpus_to_html,
    corpus_to_json,
    corpus_to_markdown,
    render_corpus_terminal,
)

ESC = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e"
HOSTILE = f"[bold]x[/]<script>alert(1)</script>{ESC}](javascript:alert(1))"
QUOTE = "輕軌是城市復興的第一步"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


OUTLETS = {
    "cna": "Central News Agency",
    "udn": "United Daily News",
    "ltn": "Liberty Times",
    "host:evil.example": "evil" + HOSTILE,
    "ghost": "Ghost Wire",
    "phantom": "Phantom",
}
EVIL_URL = "https://evil.example/a?q=<script>alert(1)</script>"
JS_URL = "javascript:alert(1)//" + ESC


def page(
    outlet_id: str, url: str, published: datetime | None, status: str = "read", task: str = "t1"
) -> dict[str, Any]:
    return {
        "outlet_id": outlet_id,
        "outlet": OUTLETS[outlet_id],
        "host": outlet_id.removeprefix("host:"),
        "url": url,
        "title": f"title of {url}",
        "published": published,
        "published_precision": "minute" if published else None,
        "language": "zh",
        "warc_file": "/data/a.warc.gz",
        "warc_offset": 0,
        "warc_record_id": "<urn:uuid:1>",
        "extraction": "trafilatura",
        "task": task,
        "chars": 1000 if status == "read" else 0,
        "status": status,
        "reason": None if status == "read" else "no article text",
    }


def hit(
    phrase_id: str, status: str, outlet_id: str, url: str, published: datetime | None, title: str, task: str = "t1"
) -> dict[str, Any]:
    row = page(outlet_id, url, published, task=task)
    for key in ("chars", "status", "reason"):
        del row[key]
    return {
        **row,
        "title": title,
        "phrase_id": phrase_id,
        "phrase": QUOTE,
        "status": status,
        "score": 100.0,
        "method": "exact",
        "matched_text": QUOTE,
        "context": QUOTE,
        "rendering": None,
        "where": "body",
    }


def write(path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def job(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    phrases = [
        {"id": "p1", "text": QUOTE, "renderings": ["Light rail is the first step"], "language": "zh"},
        {"id": "p2", "text": "phrase two " + HOSTILE, "renderings": [], "language": "en"},
    ]
    (folder / JOB_FILE).write_text(json.dumps({"phrases": phrases, "settings": {}}), encoding="utf-8")


def marker(folder: Path, task: str, pages: int, hits: int, error: str | None = None) -> None:
    (folder / TASKS).mkdir(parents=True, exist_ok=True)
    data = {
        "task": task,
        "file": f"/data/{task}.warc.gz",
        "start": 0,
        "end": None,
        "pages": pages,
        "hits": hits,
        "error": error,
    }
    (folder / TASKS / f"{task}.json").write_text(json.dumps(data), encoding="utf-8")


TASK_ERROR = "gzip stream cut short " + HOSTILE


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_folder(tmp_path_factory.mktemp("corpus"))


def build_folder(parent: Path) -> Path:
    """Two finished tasks (one cut short by an error) and one unfinished; a folder name with a quote and globs."""
    out = parent / "it's [a] *?"
    job(out)
    write(out / HITS / "t1.parquet", [
        hit("p1", "verbatim", "cna", "https://cna.example/a1", at(1, 8), "CNA one"),
        hit("p1", "near", "cna", "https://cna.example/a2", at(2, 10), "CNA two"),
        hit("p2", "translated", "cna", "https://cna.example/a1", at(1, 8), "CNA one"),
        hit("p1", "partial", "host:evil.example", EVIL_URL, at(1, 9, 30), HOSTILE),
        hit("p2", "uncertain", "host:evil.example", JS_URL, at(1, 9, 30), HOSTILE),
    ], HITS_SCHEMA)  # fmt: skip
    write(out / PAGES / "t1.parquet", [
        page("cna", "https://cna.example/a1", at(1, 8)),
        page("cna", "https://cna.example/a2", at(2, 10)),
        page("cna", "https://cna.example/a3", None),
        page("host:evil.example", EVIL_URL, at(1, 9, 30)),
        page("host:evil.example", JS_URL, at(1, 9, 30)),
        page("host:evil.example", "https://evil.example/b2", at(4, 1), status="unreadable"),
        page("udn", "https://udn.example/c1", at(1, 7)),
        page("udn", "https://udn.example/c2", at(3, 7)),
    ], PAGES_SCHEMA)  # fmt: skip
    marker(out, "t1", pages=7, hits=5)
    # t2: the same article a1 again (another crawl) with a weaker verdict, an undated outlet, a page read in one
    # crawl and unreadable in another (read), an outlet with nothing readable
    write(out / HITS / "t2.parquet", [
        hit("p1", "near", "cna", "https://cna.example/a1", at(1, 8), "CNA one", task="t2"),
        hit("p1", "verbatim", "ltn", "https://ltn.example/d1", None, "LTN undated", task="t2"),
    ], HITS_SCHEMA)  # fmt: skip
    write(out / PAGES / "t2.parquet", [
        page("cna", "https://cna.example/a1", at(1, 8), task="t2"),
        page("ltn", "https://ltn.example/d1", None, task="t2"),
        page("udn", "https://udn.example/c2", at(3, 7), status="unreadable", task="t2"),
        page("ghost", "https://ghost.example/e1", None, status="unreadable", task="t2"),
    ], PAGES_SCHEMA)  # fmt: skip
    marker(out, "t2", pages=3, hits=2, error=TASK_ERROR)
    # t3 has not finished (no marker): its rows do not count, its half-written file is not read
    write(
        out / HITS / "t3.parquet",
        [hit("p1", "verbatim", "phantom", "https://ph.example/1", at(1, 1), "x", task="t3")],
        HITS_SCHEMA,
    )
    write(out / PAGES / "t3.parquet", [page("phantom", "https://ph.example/1", at(1, 1), task="t3")], PAGES_SCHEMA)
    (out / HITS / "t4.parquet.partial").write_bytes(b"PAR1 half")
    return out


@pytest.fixture(scope="module")
def summary(folder: Path) -> CorpusSummary:
    return summarize(folder)


def test_outlets_and_totals(summary: CorpusSummary) -> None:
    assert [p.id for p in summary.phrases] == ["p1", "p2"]
    assert summary.phrases[0].renderings == ("Light rail is the first step",) and summary.phrases[0].language == "zh"
    rows = [(r.outlet_id, r.read, r.unreadable, r.carrying) for r in summary.outlets]
    assert rows == [
        ("cna", 3, 0, 2),
        ("host:evil.example", 2, 1, 2),
        ("udn", 2, 0, 0),  # read articles, carried none: "left it out"
        ("ltn", 1, 0, 1),
        ("ghost", 0, 1, 0),  # nothing readable
    ]
    cna = summary.outlets[0]
    assert (cna.first_published, cna.last_published) == (at(1, 8), at(2, 10))
    assert summary.outlets[3].first_published is None
    assert summary.outlets[1].outlet == OUTLETS["host:evil.example"]
    assert (summary.outlets_total, summary.outlets_left_out) == (5, 0)
    assert (summary.articles_read, summary.pages_unreadable) == (8, 2)


def test_matrix_counts_each_article_once_under_its_strongest_status(summary: CorpusSummary) -> None:
    cells = {r.outlet_id: r.cells for r in summary.outlets}
    assert cells["cna"] == (Counts(verbatim=1, near=1), Counts(translated=1))  # a1 near in t2 is still verbatim
    assert cells["udn"] == (Counts(), Counts())
    assert cells["host:evil.example"] == (Counts(partial=1), Counts(other=1))
    assert cells["ltn"] == (Counts(verbatim=1), Counts())
    assert cells["ghost"] == (Counts(), Counts())
    p1, p2 = summary.stats
    assert (p1.outlets, p1.articles) == (3, Counts(verbatim=2, near=1, partial=1))
    assert (p2.outlets, p2.articles, p2.articles.total) == (2, Counts(translated=1, other=1), 2)


def test_first_seen_orders_outlets_by_their_earliest_dated_hit(summary: CorpusSummary) -> None:
    p1, p2 = summary.stats
    got = [(f.outlet_id, f.url, f.status, f.published, f.delay) for f in p1.first_seen]
    assert got == [
        ("cna", "https://cna.example/a1", "verbatim", at(1, 8), timedelta(0)),
        ("host:evil.example", EVIL_URL, "partial", at(1, 9, 30), timedelta(hours=1, minutes=30)),
        ("ltn", "https://ltn.example/d1", "verbatim", None, None),  # undated, after
    ]
    assert p1.first_seen[0].title == "CNA one" and p1.first_seen[0].precision == "minute"
    assert p1.first_seen_left_out == 0
    assert [(f.outlet_id, f.status, f.delay) for f in p2.first_seen] == [
        ("cna", "translated", timedelta(0)),
        ("host:evil.example", "uncertain", timedelta(hours=1, minutes=30)),
    ]


def test_articles_per_day(summary: CorpusSummary) -> None:
    p1, p2 = summary.stats
    assert [(d.day, d.articles) for d in p1.days] == [(date(2026, 3, 1), 2), (date(2026, 3, 2), 1)]
    assert (p1.undated, p1.days_left_out) == (1, 0)
    assert [(d.day, d.articles) for d in p2.days] == [(date(2026, 3, 1), 2)]
    assert p2.undated == 0


def test_tasks(summary: CorpusSummary) -> None:
    tasks = summary.tasks
    assert (tasks.finished, tasks.failed, tasks.pages, tasks.hits, tasks.errors_left_out) == (2, 1, 10, 7, 0)
    assert [(e.task, e.file, e.error) for e in tasks.errors] == [("t2", "/data/t2.warc.gz", TASK_ERROR)]


def test_limits_state_what_they_leave_out(folder: Path) -> None:
    small = summarize(folder, first_seen_limit=1, days_limit=1, outlets_limit=2, errors_limit=0)
    assert [r.outlet_id for r in small.outlets] == ["cna", "host:evil.example"] and small.outlets_left_out == 3
    p1 = small.stats[0]
    assert [f.outlet_id for f in p1.first_seen] == ["cna"] and p1.first_seen_left_out == 2
    assert [d.day for d in p1.days] == [date(2026, 3, 1)] and p1.days_left_out == 1
    assert small.tasks.errors == () and small.tasks.errors_left_out == 1


def test_phrase_selection(folder: Path) -> None:
    only = summarize(folder, ["p2"])
    assert [p.id for p in only.phrases] == ["p2"] and len(only.stats) == 1
    assert {r.outlet_id: (r.carrying, r.cells) for r in only.outlets}["cna"] == (1, (Counts(translated=1),))
    assert {r.outlet_id: r.carrying for r in only.outlets}["ltn"] == 0
    with pytest.raises(CorpusReadError, match="p9"):
        summarize(folder, ["p9"])


def test_a_folder_without_parquet_files_yet(tmp_path: Path) -> None:
    job(tmp_path)
    empty = summarize(tmp_path)
    assert empty.outlets == () and empty.outlets_total == 0 and empty.tasks.finished == 0
    assert [(s.outlets, s.articles, s.first_seen, s.days, s.undated) for s in empty.stats] == [
        (0, Counts(), (), (), 0)
    ] * 2
    for text in (corpus_to_json(empty), corpus_to_markdown(empty), corpus_to_html(empty), terminal(empty)):
        assert "p1" in text
    with pytest.raises(CorpusReadError, match=r"job\.json"):
        summarize(tmp_path / "nowhere")


# ── renderers: the values, and nothing from the data live ──

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_inert(text: str, where: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in C0_C1.findall(text) + BIDI.findall(text)})
    assert not found, f"{where}: {found}"


def terminal(summary: CorpusSummary, colour: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=160, color_system="truecolor" if colour else None, force_terminal=colour, highlight=False
    )
    render_corpus_terminal(summary, console)
    return buffer.getvalue()


def test_terminal_shows_the_numbers_and_no_markup_or_escape(summary: CorpusSummary) -> None:
    out = terminal(summary)
    assert_inert(out, "terminal")
    assert "[bold]x[/]" in out  # shown as text, never read as markup
    assert (
        "2 tasks finished (1 cut short by an error)" in out and "5 outlets: 8 articles read, 2 pages unreadable" in out
    )
    assert "carried by 3 outlets in 4 articles: 2 verbatim, 1 near, 1 partial" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()[:1].isalpha()}
    assert rows["Central"][2:] == ["3", "0", "2", "✓1", "≈1", "1", "⇄1"]
    assert rows["United"][2:] == ["2", "0", "0", "0"]  # read, carried nothing: 0, not —
    assert rows["Ghost"][1:] == ["0", "1", "—", "—"]
    assert "2026-03-01 08:00 UTC" in out and "+1h 30m" in out and "undated" in out
    assert "2026-03-01 – 2026-03-02" in out and "peak 2 on 2026-03-01; 1 undated" in out
    assert "/data/t2.warc.gz: gzip stream cut short" in out
    coloured = terminal(summary, colour=True)
    links = re.findall(r"\x1b\]8;[^;]*;([^\x1b]*)\x1b\\", coloured)
    assert links and all(re.fullmatch(r"https?://[!-~]+", link) for link in links if link)  # no javascript: link
    stripped = re.sub(r"\x1b\]8;[^;]*;[^\x1b]*\x1b\\", "", re.sub(r"\x1b\[[0-9;]*m", "", coloured))
    assert_inert(stripped, "terminal, colour")


def test_json_keeps_every_value(summary: CorpusSummary) -> None:
    text = corpus_to_json(summary)
    assert "\x1b" not in text and "\u202e" not in text  # escaped as \u001b, \u202e
    data = json.loads(text)
    assert data == corpus_to_dict(summary) and (data["schema"], data["version"]) == ("newscov-corpus-report", 1)
    p1 = data["phrases"][0]
    assert p1["articles"] == {"verbatim": 2, "translated": 0, "near": 1, "partial": 1, "other": 0, "total": 4}
    assert p1["first_seen"][1]["published"] == "2026-03-01T09:30:00+00:00" and p1["first_seen"][1]["delay_s"] == 5400.0
    assert p1["first_seen"][2]["published"] is None and p1["days"][0] == {"day": "2026-03-01", "articles": 2}
    evil = data["outlets"][1]
    assert evil["outlet"] == OUTLETS["host:evil.example"]  # every character kept
    assert evil["cells"] == [
        {"phrase_id": "p1", "verbatim": 0, "translated": 0, "near": 0, "partial": 1, "other": 0, "total": 1},
        {"phrase_id": "p2", "verbatim": 0, "translated": 0, "near": 0, "partial": 0, "other": 1, "total": 1},
    ]
    assert data["tasks"]["errors"] == [{"task": "t2", "file": "/data/t2.warc.gz", "error": TASK_ERROR}]


def _markdown_tokens(text: str) -> list[Any]:
    out: list[Any] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        out += [token, *(token.children or ())]
    return out


def test_markdown_escapes_everything_and_links_only_http(summary: CorpusSummary) -> None:
    text = corpus_to_markdown(summary)
    assert_inert(text, "markdown")
    assert "<" not in text and not re.search(r"(?<!\\)\]\(javascript", text)  # only \](javascript, as text
    tokens = _markdown_tokens(text)
    assert not {t.type for t in tokens} & {"html_inline", "html_block", "image"}
    links = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    assert links and all(re.match(r"https?://", link) for link in links)
    assert "| Central News Agency (cna) | 3 | 0 | 2 (✓1 ≈1) | 1 (⇄1) |" in text
    assert "| United Daily News (udn) | 2 | 0 | 0 | 0 |" in text and "| Ghost Wire (ghost) | 0 | 1 | — | — |" in text
    assert (
        "| 1 | Central News Agency | 2026-03-01 08:00 UTC | first | ✓ verbatim | [CNA one](https://cna.example/a1) |"
        in text
    )
    assert "\\[bold\\]x\\[/\\]" in text and "| 2026-03-01 | 2 |" in text
    # the matrix: an escaped | in a name splits no cell
    matrix = text.split("## Coverage matrix")[1].split("\n\n")[2]
    tokens = MarkdownIt("commonmark").enable("table").parse(matrix)
    cells = [t.type for t in tokens if t.type in ("tr_open", "th_open", "td_open")]
    assert cells == ["tr_open", *["th_open"] * 5] + ["tr_open", *["td_open"] * 5] * len(summary.outlets)


def test_html_has_no_element_or_link_from_the_data(summary: CorpusSummary) -> None:
    page = corpus_to_html(summary)
    assert_inert(page, "html")
    assert "<script" not in page.lower() and "&lt;script&gt;alert(1)" in page
    doc = lxml_html.document_fromstring(page)
    assert not doc.xpath("//script|//img|//iframe|//*[@onerror]")
    assert all(re.match(r"https?://|#", href) for href in doc.xpath("//a/@href"))
    ids = doc.xpath("//@id")
    assert all(href[1:] in ids for href in doc.xpath("//a/@href") if href.startswith("#"))
    cells = [[td.text_content() for td in tr.xpath("td")] for tr in doc.xpath("//table[@id='matrix']/tbody/tr")]
    assert [c[1:] for c in cells] == [
        ["3", "0", "2 (✓1 ≈1)", "1 (⇄1)"],
        ["2", "1", "1 (◐1)", "1 (·1)"],
        ["2", "0", "0", "0"],
        ["1", "0", "1 (✓1)", "0"],
        ["0", "1", "—", "—"],
    ]
    assert cells[1][0].startswith("evil[bold]x[/]<script>alert(1)</script>")  # as text
    assert "gzip stream cut short" in doc.text_content()
