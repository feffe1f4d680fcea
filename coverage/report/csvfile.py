"""Report -> CSV: one row per outlet and phrase, for spreadsheets and scripts.

Cells come from articles and outlets, so they are data a spreadsheet must not run: a cell that begins with
= + - @ (or a tab or carriage return) is prefixed with ' (the OWASP advice against formula injection). Cells are
cleaned first (`clean_display`: no escape sequence, control or bidi character reaches a terminal that shows the
file); the JSON report keeps every character as it was read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ..diff import Line
from ..models import Article, Report
from ..textnorm import clean_display
from .summary import sorted_outlets, widened

COLUMNS = (
    "outlet_id",
    "outlet",
    "phrase_id",
    "phrase",
    "status",
    "score",
    "method",
    "where",
    "matched_text",
    "rendering",
    "flags",
    "changes",
    "url",
    "note",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    text = "" if value is None else clean_display(str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (RFC 4180, CRLF line ends) with every cell made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def report_to_csv(report: Report, sort: str = "registry") -> str:
    """A row per outlet × phrase: the matrix's verdict and the match behind it (empty for no article)."""
    rows = []
    for outlet in sorted_outlets(report, sort):
        for phrase in report.phrases:
            status, match = report.cell(phrase.id, outlet.id)
            rows.append(
                (
                    outlet.id,
                    outlet.label,
                    phrase.id,
                    phrase.text,
                    status.value,
                    f"{match.score:.0f}" if match else "",
                    match.method.value if match else "",
                    match.where if match else "",
                    widened(report, match) if match else "",
                    match.rendering if match else "",
                    ";".join(match.flags) if match else "",
                    ";".join(match.changes) if match else "",
                    match.article_url if match else "",
                    match.note if match else "",
                )
            )
    return rows_to_csv(COLUMNS, rows)


def diff_to_csv(a: Article, b: Article, lines: Sequence[Line]) -> str:
    """`newscov diff` as CSV: a row per aligned line (op, what a set-apart line is, A's sentence, B's, score)."""
    rows = [(x.op, x.kind or "", x.a or "", x.b or "", f"{x.score:.0f}") for x in lines]
    return rows_to_csv(("op", "kind", "a", "b", "score"), rows)
