"""Every output format end to end: Markdown parsed back, CSV read back, the format taken from the -o extension, the
formats of `sources list`, local files in the evidence archive, new phrases checked against an archive."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from coverage.models import Outlet, Report, Status
from coverage.report import report_to_csv, report_to_markdown
from coverage.report.markdown import md_link

from .conftest import PAGES, CliResult

QUOTE = "輕軌是城市復興的第一步"
FILES = ["--file", f"tidewater={PAGES / 'tidewater.html'}", "--file", f"pinecrest={PAGES / 'pinecrest.html'}"]


def _tokens(text: str) -> list[Any]:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)


def _links(tokens: list[Any]) -> list[str]:
    return [
        str(child.attrs["href"])
        for token in tokens
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "link_open"
    ]


def test_markdown_renders_table_links_and_labelled_absences(demo_report: Report) -> None:
    text = report_to_markdown(demo_report)
    tokens = _tokens(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    header_cells = [t for t in tokens if t.type == "th_open"]
    assert header_cells and len(rows) >= 1 + len(demo_report.outlets)  # the matrix, a row per outlet
    links = _links(tokens)
    for article in demo_report.articles:  # every article linked, its URL intact (c_1130.html, no backslash)
        assert (article.final_url or article.url) in links
    assert all("\\" not in link for link in links)
    assert any("c_1130.html" in link for link in links)
    # the closest wording behind "absent" is never shown bare, as if the outlet had carried the line
    [absent] = [m for m in demo_report.matches if m.status is Status.ABSENT]
    weak = next(line for line in text.splitlines() if "too weak to count" in line)
    assert weak.strip().startswith("- not carried; closest wording, too weak to count:")
    assert absent.outlet_id and "4 of 5 outlets read carried it" in text
    # the near match's diff survives as strikethrough and bold
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)
    assert "<s>溝通</s><strong>聯繫</strong>" in html


def test_markdown_escapes_article_text_and_keeps_links_safe() -> None:
    assert md_link("a [b](javascript:x)", "https://x.example/a_(b) c") == (
        "[a \\[b\\](javascript:x)](https://x.example/a_%28b%29%20c)"
    )
    assert md_link("t", "javascript:alert(1)") == "t"  # only http(s) becomes a link
    assert _links(_tokens(md_link("t", "https://x.example/a_(b)"))) == ["https://x.example/a_%28b%29"]


def test_csv_has_a_row_per_outlet_and_phrase(demo_report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(report_to_csv(demo_report))))
    assert len(rows) == len(demo_report.outlets) * len(demo_report.phrases)
    for row in rows:
        status, match = demo_report.cell(row["phrase_id"], row["outlet_id"])
        assert row["status"] == status.value
        assert row["url"] == (match.article_url if match else "")
    near = next(r for r in rows if r["status"] == "near" and r["phrase_id"] == "p1")
    assert near["matched_text"] == "雙方同意建立海巡直接聯繫管道" and near["method"] == "fuzzy"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(demo_report: Report) -> None:
    from dataclasses import replace

    evil = replace(demo_report, outlets=(replace(demo_report.outlets[0], name="x", native_name="=HYPERLINK(1)"),))
    rows = list(csv.reader(io.StringIO(report_to_csv(evil))))
    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("report.md", "markdown"), ("report.markdown", "markdown"), ("report.HTML", "html"), ("report.htm", "html"),
     ("report.json", "json"), ("report.csv", "csv"), ("report.txt", "terminal"), ("report.out", "terminal")],
)  # fmt: skip
def test_the_format_follows_the_output_extension(name: str, fmt: str) -> None:
    from coverage.cli import resolve_format

    assert resolve_format(None, Path(name)).value == fmt
    assert resolve_format("md", Path(name)).value == "markdown"  # --format wins over the extension


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.html", lambda text: text.startswith("<!doctype html>")),
        ("report.csv", lambda text: text.startswith("outlet_id,outlet,phrase_id")),
        ("report.txt", lambda text: text.startswith("newscov ") and "\x1b" not in text),
    ],
)
def test_the_command_writes_the_format_of_the_extension(cli: Any, tmp_path: Path, name: str, check: Any) -> None:
    out = tmp_path / name
    result: CliResult = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert check(out.read_text(encoding="utf-8"))


def test_format_names_and_refusals(cli: Any) -> None:
    result = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--format", "md")
    assert result.exit_code == 0 and result.stdout.startswith("# newscov report")
    result = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--format", "csv", "--sort", "verdict")
    assert [row["outlet_id"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["tidewater", "pinecrest"]
    result = cli("sources", "show", "cna", "--format", "csv")
    assert result.exit_code == 2 and "choose one of terminal, json" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("markdown", lambda text: text.startswith("# ") and "| cna |" in text),
        ("html", lambda text: text.startswith("<!doctype html>") and "<td>cna</td>" in text),
        ("csv", lambda text: text.splitlines()[0].startswith("id,name,native_name")),
        ("json", lambda text: any(o["id"] == "cna" for o in json.loads(text))),
    ],
)
def test_sources_list_honours_every_format(cli: Any, fmt: str, check: Any) -> None:
    result = cli("sources", "list", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert check(result.stdout)


def test_terminal_options_sort_evidence_and_no_color(cli: Any) -> None:
    base = ["compare", "-q", QUOTE, "-q", "白皮書的數字很漂亮", *FILES, "--no-cache", "--no-aligner"]
    compact = cli(*base).stdout
    full = cli(*base, "--evidence", "full").stdout
    none = cli(*base, "--evidence", "none").stdout
    assert "Evidence for p1" in compact and "Evidence for p1" in full and "Evidence for" not in none
    assert "phrase:" not in compact and "score 91" in full  # full evidence: the whole why, per cell
    assert len(none.splitlines()) < len(compact.splitlines()) < len(full.splitlines())
    by_name = cli(*base, "--sort", "name", "--no-color").stdout
    matrix = by_name[by_name.index("Coverage matrix") :]
    assert matrix.index("pinecrest") < matrix.index("tidewater") and "\x1b" not in by_name


def test_local_files_are_archived_and_new_phrases_checked_against_the_archive(cli: Any, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    folder = tmp_path / "evidence"
    first = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--archive", str(folder))
    assert first.exit_code == 0 and "archived 2 page(s)" in first.stderr
    [warc] = list(folder.glob("*.warc.gz"))
    with warc.open("rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(handle)]
    assert [kind for kind, _ in records] == ["resource", "resource"]
    assert {uri for _, uri in records} == {(PAGES / n).resolve().as_uri() for n in ("tidewater.html", "pinecrest.html")}
    # a new phrase, checked in the archived copies (the files may be gone or changed since)
    again = cli(
        "compare", "--from-archive", str(folder), "-q", "白皮書的數字很漂亮", "--format", "json", "--no-aligner"
    )
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    assert [p["text"] for p in data["phrases"]] == ["白皮書的數字很漂亮"]
    assert set(data["matrix"]["p1"]) == {"tidewater", "pinecrest"}
    assert "not in the archive" not in json.dumps(data["failures"])
    # and the archived phrases again, with nothing new given
    same = json.loads(cli("compare", "--from-archive", str(folder), "--format", "json", "--no-aligner").stdout)
    assert same["matrix"] == {"p1": {"tidewater": "verbatim", "pinecrest": "near"}}


def test_outlet_rows_are_escaped_in_html_and_markdown() -> None:
    from coverage.report.sources import outlets_to_html, outlets_to_markdown

    evil = Outlet("x", "<script>alert(1)</script>", homepage="javascript:alert(1)")
    page = outlets_to_html([evil])
    assert "<script>alert" not in page and "&lt;script&gt;" in page and 'href="javascript' not in page
    assert "<script>" not in outlets_to_markdown([evil])


@pytest.mark.parametrize("suffix", ["html", "md", "json", "csv", "txt"])
def test_demo_writes_every_format(
    cli: Any, tmp_path: Path, demo_report: Report, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """`newscov demo -o demo.EXT` through the command (the demo's pipeline run is shared: it is tested elsewhere)."""
    import coverage.demo

    monkeypatch.setattr(coverage.demo, "run_demo", lambda on_progress=None: demo_report)
    out = tmp_path / f"demo.{suffix}"
    result = cli("demo", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    labels = [o.label for o in demo_report.outlets]
    assert all(label in text for label in labels)
    if suffix == "html":  # the article texts travel with the page: the evidence can be read offline
        from markupsafe import escape

        assert all(str(escape(a.text.splitlines()[0])) in text for a in demo_report.articles)
