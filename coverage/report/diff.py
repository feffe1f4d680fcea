"""`newscov diff` views: the sentence alignment of two articles side by side, in the terminal, as Markdown, as one
HTML page, and as JSON.

Every text that comes from the articles (sentences, titles, outlet ids, URLs) is untrusted: it is cleaned
(`clean_display`, `one_line`) and reaches rich only as `Text` (never markup), Markdown only through `md()`, and
HTML only as data of an autoescaped template. Reworded sentences carry their diff in marks that survive without
colour: `[-deleted-]` and `{+inserted+}` in the terminal, ~~deleted~~ and **inserted** in Markdown, <del> and <ins>
in HTML.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..diff import Line, Summary, crosses_languages, summarize
from ..models import Article, iso
from ..textnorm import clean_display, one_line
from .html import environment
from .json import SCHEMA_VERSION, dumps
from .markdown import md, md_link
from .summary import http

WIDE = 100  # console columns from which A and B stand side by side (below: one above the other)
APART = "set apart (bylines, credits, boilerplate)"
_SPACES = re.compile(r"\s+")
# one mark per op, for the terminal and the HTML page: it says what a line is without colour
MARKS = {"same": "=", "changed": "~", "only_a": "-", "only_b": "+", "rendered": "⇄"}
_STYLES = {"same": "dim", "changed": "yellow", "only_a": "red", "only_b": "green", "rendered": "cyan"}
DELETED, INSERTED = "bold red strike", "bold green underline"

Segment = tuple[str, str]  # ("equal" | "del" | "ins", text)


# ── shared by every view ──


def summary_counts(lines: Sequence[Line]) -> dict[str, int]:
    """The summary as JSON: lines per op as before (same, changed, only_a, only_b; rendered counts A's sentences)
    and the sentence counts of `coverage.diff.Summary` (shared, reworded, boilerplate_a, boilerplate_b)."""
    counts = {"same": 0, "changed": 0, "only_a": 0, "only_b": 0, "rendered": 0}
    for line in lines:
        if line.op in counts:
            counts[line.op] += line.parts[0] if line.op == "rendered" else 1
    summary = summarize(lines)
    return {
        **counts,
        "shared": summary.shared,
        "reworded": summary.reworded,
        "boilerplate_a": summary.boilerplate_a,
        "boilerplate_b": summary.boilerplate_b,
    }


def summary_line(a: Article, b: Article, summary: Summary) -> str:
    """One line: what both carry, what only one does, what was set apart."""
    if crosses_languages(a, b):
        head = f"{summary.rendered} rendered in B ({one_line(a.language or '')} -> {one_line(b.language or '')})"
    else:
        head = f"{summary.shared} shared, {summary.reworded} reworded"
    text = f"{head}, {summary.only_a} only in A, {summary.only_b} only in B"
    return text + (f"; {summary.boilerplate} set apart" if summary.boilerplate else "")


def _flat(text: str) -> str:
    """Untrusted text for display inside a line: cleaned, each run of whitespace one space (the edges kept)."""
    return _SPACES.sub(" ", clean_display(text))


def _marked(kind: str, text: str) -> list[Segment]:
    """A changed stretch, its surrounding spaces left outside the mark; whitespace alone is no change."""
    core = text.strip()
    if not core:
        return [("equal", text)] if text else []
    out: list[Segment] = [("equal", " ")] if text[0] == " " else []
    out.append((kind, core))
    return [*out, ("equal", " ")] if text[-1] == " " else out


def _tidy(segments: list[Segment]) -> tuple[Segment, ...]:
    """Adjacent stretches of one kind merged; no space at either end."""
    merged: list[Segment] = []
    for kind, text in segments:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif len(merged) >= 2 and merged[-1] == ("equal", " ") and merged[-2][0] == kind != "equal":
            merged[-2:] = [(kind, merged[-2][1] + " " + text)]  # [-a-] [-b-] reads [-a b-]
        elif text:
            merged.append((kind, text))
    if merged and merged[0][0] == "equal":
        merged[0] = ("equal", merged[0][1].lstrip())
    if merged and merged[-1][0] == "equal":
        merged[-1] = ("equal", merged[-1][1].rstrip())
    return tuple(s for s in merged if s[1])


def segments(line: Line) -> tuple[tuple[Segment, ...] | None, tuple[Segment, ...] | None]:
    """A's and B's text of a line as stretches to show (None for a side the line does not have); on a "changed"
    line, what only A has is "del" and what only B has is "ins"."""
    if line.op == "changed" and line.diff:
        a: list[Segment] = []
        b: list[Segment] = []
        for op in line.diff:
            pa, pb = _flat(op.phrase), _flat(op.article)
            if op.op == "equal":
                a.append(("equal", pa))
                b.append(("equal", pb))
            else:
                a += _marked("del", pa)
                b += _marked("ins", pb)
        return _tidy(a), _tidy(b)
    return (
        (("equal", one_line(line.a)),) if line.a is not None else None,
        (("equal", one_line(line.b)),) if line.b is not None else None,
    )


def _note(line: Line) -> str:
    """The score of a pair that is not word for word, and how many sentences a joined side holds."""
    notes = [f"{line.score:.0f}"] if line.op in ("changed", "rendered") else []
    if line.op in ("same", "changed", "rendered") and line.parts != (1, 1):
        notes.append(f"{line.parts[0]}:{line.parts[1]} sentences")
    return " · ".join(notes)


def _body(lines: Sequence[Line]) -> list[Line]:
    return [line for line in lines if line.op != "boilerplate"]


def _apart(lines: Sequence[Line]) -> list[tuple[str, str, str]]:
    """(side, kind, text) of every line set apart, A's first."""
    out = [("A" if line.a is not None else "B", one_line(line.kind or "boilerplate"), one_line(line.a or line.b or ""))
           for line in lines if line.op == "boilerplate"]  # fmt: skip
    return sorted(out, key=lambda item: item[0])


# ── JSON ──


def _line_json(line: Line) -> dict[str, object]:
    """A line as JSON; `parts` ([A sentences, B sentences]) on "rendered" lines and on pairs that join sentences,
    `kind` on "boilerplate" lines only, where they mean something."""
    data = {**asdict(line), "score": round(line.score, 1)}
    data["parts"] = list(line.parts)
    if line.op != "rendered" and not (line.op in ("same", "changed") and line.parts != (1, 1)):
        del data["parts"]
    if line.op != "boilerplate":
        del data["kind"]
    return data


def _meta(article: Article) -> dict[str, object]:
    return {
        "outlet_id": article.outlet_id,
        "url": article.url,
        "title": article.title,
        "published": iso(article.published),
    }


def diff_to_json(a: Article, b: Article, lines: Sequence[Line]) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "newscov", "version": __version__},
        "a": _meta(a),
        "b": _meta(b),
        "summary": summary_counts(lines),
        "lines": [_line_json(line) for line in lines],
    }
    return dumps(data, indent=2)


# ── terminal ──

# no line starts with a closing mark or ends with an opening one (kinsoku); the diff marks stay whole
_CLOSING = frozenset("，。、；：！？）」』”’》〉】〕,.;:!?)]}%…")
_OPENING = frozenset("（「『“‘《〈【〔([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _may_break(text: str, position: int) -> bool:
    """Whether a line may start at text[position]: after spaces, or next to a wide (CJK) character."""
    before, after = text[position - 1], text[position]
    if after.isspace() or after in _CLOSING or before in _OPENING:
        return False
    if text[position - 2 : position] in ("[-", "{+") or text[position : position + 2] in ("-]", "+}"):
        return False
    return before.isspace() or _wide(before) or _wide(after)


class Wrapped:
    """Text wrapped the way CJK text wraps: between any two Chinese characters, at spaces between Latin words (which
    stay whole), folded only when a word is wider than the line; lines after the first indented by `hang` cells.
    (rich breaks only at spaces, so a long Chinese sentence would jump to a line of its own, then be cut.)"""

    def __init__(self, text: Text, hang: int = 0) -> None:
        self.text = text
        self.hang = hang

    def breaks(self, width: int) -> list[int]:
        """Offsets in the text where lines start, for lines `width` cells wide."""
        plain = self.text.plain
        stops = [p for p in range(1, len(plain)) if _may_break(plain, p)] + [len(plain)]
        out: list[int] = []
        start = last = 0
        k = 0
        while k < len(stops):
            room = max(1, width - (self.hang if out else 0))
            if cell_len(plain[start : stops[k]].rstrip()) <= room:
                last = stops[k]
                k += 1
            elif last > start:
                out.append(last)
                start = last
            else:  # one word wider than the line
                start = last = start + max(1, len(chop_cells(plain[start : stops[k]], room)[0]))
                out.append(start)
        return [b for b in out if 0 < b < len(plain)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.text.divide(self.breaks(options.max_width))
        for index, line in enumerate(lines):
            line.rstrip()
            if index and self.hang:
                line = Text(" " * self.hang) + line
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        stops = [0, *(p for p in range(1, len(plain)) if _may_break(plain, p)), len(plain)]
        longest = max((cell_len(plain[x:y].rstrip()) for x, y in itertools.pairwise(stops)), default=0)
        return Measurement(min(longest + self.hang, options.max_width), min(cell_len(plain), options.max_width))


def _text(segs: Sequence[Segment] | None, op: str, note: str = "") -> Wrapped | Text:
    """One side of a line: its mark, the text (deletions and insertions marked), the note; wrapped under the text."""
    if segs is None:
        return Text()
    out = Text(MARKS[op] + " ", style="bold " + _STYLES[op])
    base = _STYLES[op] if op in ("same", "only_a", "only_b") else ""
    for kind, text in segs:
        if kind == "del":
            out.append("[-", style=DELETED).append(text, style=DELETED).append("-]", style=DELETED)
        elif kind == "ins":
            out.append("{+", style=INSERTED).append(text, style=INSERTED).append("+}", style=INSERTED)
        else:
            out.append(text, style=base)
    if note:
        out.append(f"  [{note}]", style="dim")
    return Wrapped(out, hang=2)


def _header(a: Article, b: Article, lines: Sequence[Line], console: Console) -> None:
    console.print(Text(summary_line(a, b, summarize(lines)), style="bold"))
    for mark, article in (("A", a), ("B", b)):
        head = Table.grid(padding=(0, 1))
        head.add_column(no_wrap=True)
        head.add_column(ratio=1, overflow="fold")
        title = Text(one_line(article.outlet_id), style="bold").append("  " + one_line(article.title or "(no title)"))
        head.add_row(Text(mark, style="bold"), Wrapped(title))
        console.print(head)
        # the URL whole on its own line, never folded (a terminal wraps it and it stays one link)
        url = Text("  " + one_line(article.url), style="dim", no_wrap=True, overflow="ignore")
        console.print(url, soft_wrap=True)


def _side_by_side(a: Article, b: Article, body: Sequence[Line], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=True, show_edge=False, padding=(0, 1))
    table.add_column(Text("A · " + one_line(a.outlet_id), style="bold"), ratio=1, overflow="fold")
    table.add_column(Text("B · " + one_line(b.outlet_id), style="bold"), ratio=1, overflow="fold")
    for line in body:
        a_segs, b_segs = segments(line)
        table.add_row(_text(a_segs, line.op), _text(b_segs, line.op, _note(line)))
    console.print(table)


def _stacked(body: Sequence[Line], console: Console) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for line in body:
        a_segs, b_segs = segments(line)
        if a_segs is not None:
            grid.add_row(Text("A", style="bold"), _text(a_segs, line.op, "" if b_segs else _note(line)))
        if b_segs is not None:
            grid.add_row(Text("B", style="bold"), _text(b_segs, line.op, _note(line)))
    console.print(grid)


def _set_apart(lines: Sequence[Line], console: Console) -> None:
    apart = _apart(lines)
    if not apart:
        return
    console.print(Text(APART, style="bold dim"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True, style="dim italic")
    grid.add_column(ratio=1, overflow="fold", style="dim")
    for side, kind, text in apart:
        grid.add_row(Text(side), Text(kind), Wrapped(Text(text, style="dim")))
    console.print(grid)


def render_diff(a: Article, b: Article, lines: Sequence[Line], console: Console) -> None:
    """The summary, both articles, then A and B side by side (in two columns from `WIDE` columns of console, one
    above the other below that), and what was set apart."""
    _header(a, b, lines, console)
    body = _body(lines)
    if body:
        console.print()
        if console.width >= WIDE:
            _side_by_side(a, b, body, console)
        else:
            _stacked(body, console)
    console.print()
    _set_apart(lines, console)


# ── Markdown ──


def _md_keep(text: str) -> str:
    """md() keeping one space at either end (md() trims them, and words would run together)."""
    if not text.strip():
        return " " if text else ""
    return (" " if text[0].isspace() else "") + md(text) + (" " if text[-1].isspace() else "")


def _edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def _md_marked(text: str, delimiter: str) -> str:
    """A changed stretch wrapped in ~~ or **. Punctuation at its ends stays outside: a delimiter next to punctuation
    and a letter (的**「我們」**說) does not count as emphasis in CommonMark."""
    start, end = 0, len(text)
    while start < end and _edge(text[start]):
        start += 1
    while end > start and _edge(text[end - 1]):
        end -= 1
    if start == end:
        return _md_keep(text)
    return _md_keep(text[:start]) + delimiter + md(text[start:end]) + delimiter + _md_keep(text[end:])


def _md_cell(segs: Sequence[Segment] | None) -> str:
    if segs is None:
        return "—"
    out = []
    for kind, text in segs:
        if kind == "equal":
            out.append(_md_keep(text))
        else:
            out.append(_md_marked(text, "~~" if kind == "del" else "**"))
    return "".join(out).strip()


def diff_to_markdown(a: Article, b: Article, lines: Sequence[Line]) -> str:
    """The alignment as GitHub Markdown: the summary, both articles linked, a table with A and B side by side
    (deleted words ~~struck through~~, inserted ones **bold**), and what was set apart."""
    out = [
        "# newscov diff",
        "",
        f"**{md(summary_line(a, b, summarize(lines)))}**",
        "",
        f"- **A** · {md(a.outlet_id)}: {md_link(a.title, a.url)}",
        f"- **B** · {md(b.outlet_id)}: {md_link(b.title, b.url)}",
        "",
    ]
    body = _body(lines)
    if body:
        out += [
            "Words only A has are ~~struck through~~, words only B has are **bold**; — marks a side without the "
            "sentence; the number after B's is how surely the two are one sentence (0-100).",
            "",
            f"| A · {md(a.outlet_id)} | B · {md(b.outlet_id)} |",
            "|---|---|",
        ]
        for line in body:
            a_segs, b_segs = segments(line)
            note = _note(line)
            b_cell = _md_cell(b_segs) + (f" ({md(note)})" if note and b_segs is not None else "")
            out.append(f"| {_md_cell(a_segs)} | {b_cell} |")
        out.append("")
    apart = _apart(lines)
    if apart:
        out += [f"## {APART[0].upper()}{APART[1:]}", ""]
        out += [f"- {side} · {md(kind)}: {md(text)}" for side, kind, text in apart]
        out.append("")
    return "\n".join(out)


# ── HTML ──


@dataclass(frozen=True, slots=True)
class _Row:
    op: str
    mark: str
    a: tuple[Segment, ...] | None
    b: tuple[Segment, ...] | None
    note: str


def _article_context(side: str, article: Article) -> dict[str, Any]:
    return {
        "side": side,
        "outlet": one_line(article.outlet_id),
        "title": one_line(article.title or "(no title)"),
        "url": one_line(article.url),
        "link": http(article.url),
        "lang": one_line(article.script or article.language or ""),
    }


def diff_to_html(a: Article, b: Article, lines: Sequence[Line]) -> str:
    """The alignment as one self-contained HTML page (inline CSS, no script, no external asset): the summary, both
    articles linked, A and B in two columns (one above the other on a narrow screen), what was set apart."""
    summary = summarize(lines)
    rows = []
    for line in _body(lines):
        a_segs, b_segs = segments(line)
        rows.append(_Row(line.op, MARKS[line.op], a_segs, b_segs, _note(line)))
    counts = [("shared", summary.shared), ("reworded", summary.reworded)]
    if crosses_languages(a, b):
        counts = [("rendered", summary.rendered)]
    counts += [("only in A", summary.only_a), ("only in B", summary.only_b), ("set apart", summary.boilerplate)]
    context = {
        "summary": summary_line(a, b, summary),
        "counts": counts,
        "articles": [_article_context("A", a), _article_context("B", b)],
        "rows": rows,
        "apart": _apart(lines),
        "apart_heading": APART,
        "version": __version__,
    }
    return environment().get_template("diff.html.j2").render(context)
