"""`newscov diff` views: the sentence alignment of two articles in the terminal and as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from rich.console import Console
from rich.text import Text

from .. import __version__
from ..diff import Line, crosses_languages
from ..models import Article
from ..textnorm import clean_display, one_line
from .json import SCHEMA_VERSION


def _summary(lines: Sequence[Line]) -> dict[str, int]:
    """Sentences per op; "rendered" counts A's sentences that B renders (two for a 2-1 line)."""
    counts = {"same": 0, "changed": 0, "only_a": 0, "only_b": 0, "rendered": 0}
    for line in lines:
        counts[line.op] += line.parts[0] if line.op == "rendered" else 1
    return counts


def _line_json(line: Line) -> dict[str, object]:
    """A line as JSON; `parts` ([A sentences, B sentences]) only on "rendered" lines, where it means something."""
    data = {**asdict(line), "score": round(line.score, 1)}
    if line.op == "rendered":
        data["parts"] = list(line.parts)
    else:
        del data["parts"]
    return data


def _meta(article: Article) -> dict[str, object]:
    return {"outlet_id": article.outlet_id, "url": article.url, "title": article.title, "published": article.published}


def diff_to_json(a: Article, b: Article, lines: Sequence[Line]) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "newscov", "version": __version__},
        "a": _meta(a),
        "b": _meta(b),
        "summary": _summary(lines),
        "lines": [_line_json(line) for line in lines],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_diff(a: Article, b: Article, lines: Sequence[Line], console: Console) -> None:
    counts = _summary(lines)
    for mark, article in (("A", a), ("B", b)):
        console.print(
            Text(f"{mark}  ", style="bold")
            .append(one_line(article.outlet_id), style="bold")
            .append("  " + one_line(article.title or "(no title)"))
            .append("\n   " + one_line(article.url), style="dim")
        )
    if crosses_languages(a, b):
        head = f"{counts['rendered']} rendered in B ({one_line(a.language or '')} -> {one_line(b.language or '')}), "
    else:
        head = f"{counts['same']} sentences in both, {counts['changed']} reworded, "
    console.print(Text(head + f"{counts['only_a']} only in A, {counts['only_b']} only in B", style="bold"))
    for line in lines:
        if line.op == "rendered":
            console.print(Text("  ⇄ A ", style="cyan").append(one_line(line.a or "")))
            console.print(
                Text("    B ", style="cyan").append(one_line(line.b or "")).append(f"  [{line.score:.0f}]", style="dim")
            )
        elif line.op == "same":
            console.print(Text("  = ", style="dim").append(one_line(line.a or ""), style="dim"))
        elif line.op == "only_a":
            console.print(Text("  - ", style="bold red").append(one_line(line.a or ""), style="red"))
        elif line.op == "only_b":
            console.print(Text("  + ", style="bold green").append(one_line(line.b or ""), style="green"))
        else:
            a_text, b_text = Text("  ~ A ", style="yellow"), Text("    B ", style="yellow")
            for op in line.diff:
                pa, pb = clean_display(op.phrase).replace("\n", " "), clean_display(op.article).replace("\n", " ")
                if op.op == "equal":
                    a_text.append(pa)
                    b_text.append(pb)
                else:
                    a_text.append(pa, style="bold red strike")
                    b_text.append(pb, style="bold green underline")
            console.print(a_text)
            console.print(b_text)
