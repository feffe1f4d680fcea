"""Report -> Markdown (for notes, issues, fact-check write-ups) and HTML (a standalone page of the terminal report).

Text from articles is untrusted: in Markdown every character with a meaning (emphasis, links, tables, raw HTML)
is escaped; the HTML page is rich's export, which escapes all text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from rich.console import Console

from ..models import Phrase, Report, Status
from ..textnorm import one_line
from .renderings import renderings, wants_view
from .terminal import FLAG_WORDS, SCORED, STYLES, render_terminal

# emphasis, code, links/images, tables, strikethrough; a markdown line never starts with our text, so list and
# heading marks need no escape; < > & become entities so no raw HTML gets through
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]!|~])")


def md(text: str | None) -> str:
    """One line of untrusted text, safe in Markdown (and in the HTML a Markdown renderer makes of it)."""
    escaped = one_line(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def _cell(report: Report, phrase_id: str, outlet_id: str) -> str:
    status, match = report.cell(phrase_id, outlet_id)
    glyph = STYLES[status][0]
    text = f"{glyph} {status.value}"
    if match and status in SCORED and match.score < 100:
        text += f" {match.score:.0f}"
    if match and match.flags:
        text += " ⚠ " + ", ".join(match.flags)
    return text


def report_to_markdown(report: Report) -> str:
    lines = ["# newscov report", ""]
    if report.event and report.event.title:
        lines += [f"Event: {md(report.event.title)}", ""]
    for note in report.notes:
        lines += [f"> note: {md(note)}", ""]
    lines += ["## Phrases", ""]
    for phrase in report.phrases:
        speaker = f" — {md(phrase.speaker)}" if phrase.speaker else ""
        lines.append(f"- **{phrase.id}** {md(phrase.text)}{speaker}")
        if phrase.renderings:
            lines.append(f"  - accepted renderings: {' / '.join(md(r) for r in phrase.renderings)}")
    lines += ["", "## Coverage matrix", ""]
    lines.append("| outlet | " + " | ".join(p.id for p in report.phrases) + " |")
    lines.append("|---|" + "---|" * len(report.phrases))
    for outlet in report.outlets:
        cells = " | ".join(_cell(report, p.id, outlet.id) for p in report.phrases)
        lines.append(f"| {md(outlet.label)} ({md(outlet.id)}) | {cells} |")
    for phrase in report.phrases:
        if wants_view(report, phrase):
            lines += _renderings_markdown(report, phrase)
    lines += ["", "## Evidence", ""]
    for phrase in report.phrases:
        lines += [f"### {phrase.id} {md(phrase.text)}", ""]
        for match in (m for m in report.matches if m.phrase_id == phrase.id):
            name = md(report.outlet(match.outlet_id).label)
            lines.append(f"- **{name}**: {match.status.value}" + (f", score {match.score:.0f}" if match.score else ""))
            if match.where == "headline":
                lines.append("  - in the headline")
            if match.rendering:
                lines.append(f"  - rendering: {md(match.rendering)}")
            if match.status is Status.ABSENT and match.matched_text:
                lines.append(f"  - closest wording (too weak to count): {md(match.matched_text)}")
            if match.pieces:
                carried = " … ".join(md(piece.phrase) for piece in match.pieces)
                share = f" ({match.share:.0%} of the phrase)" if match.share is not None else ""
                lines.append(f"  - carried word for word: {carried}{share}")
            if match.status is Status.UNCERTAIN and match.matched_text:
                lines.append(f"  - best candidate, for a person to check: {md(match.matched_text)}")
            if match.context:
                lines.append(f"  - “{md(match.context)}”")
            changed = [op for op in match.diff if op.op != "equal"]
            if changed and match.status in (Status.NEAR, Status.TRANSLATED):
                edits = "; ".join(f"{md(op.phrase) or '∅'} → {md(op.article) or '∅'}" for op in changed)
                lines.append(f"  - changed: {edits}")
            if match.flags:
                flagged = [f"{flag} ({md(what)})" for flag, what in zip(match.flags, match.changes, strict=False)]
                flagged += list(match.flags[len(flagged) :])
                lines.append(f"  - ⚠ not the same statement: changes {', '.join(flagged)}")
            if match.note:
                lines.append(f"  - {md(match.note)}")
        lines.append("")
    lines += ["## Articles", "", "| outlet | title | published | URL |", "|---|---|---|---|"]
    for article in report.articles:
        name = md(report.outlet(article.outlet_id).label)
        url = md(article.final_url or article.url)
        lines.append(f"| {name} | {md(article.title)} | {md(article.published)} | {url} |")
    for failure in report.failures:
        name = md(report.outlet(failure.outlet_id).label)
        lines.append(f"| {name} | unavailable: {md(failure.reason)} | | {md(failure.url)} |")
    return "\n".join(lines) + "\n"


def _renderings_markdown(report: Report, phrase: Phrase) -> list[str]:
    view = renderings(report, phrase)
    lines = [
        "",
        f"## Renderings of {md(phrase.id)}: {md(phrase.text)}",
        "",
        "| outlets | wording | flags |",
        "|---|---|---|",
    ]
    for group in view.groups:
        outlets = ", ".join(md(report.outlet(o).label) for o in group.outlets)
        wording = (
            "".join(md(op.article) if op.op == "equal" else f"**{md(op.article)}**" for op in group.diff if op.article)
            if group.diff
            else md(group.wording)
        )
        statuses = " / ".join(sorted({m.status.value for m in group.matches}))
        flags = ", ".join(FLAG_WORDS.get(f, f) for f in group.flags)
        lines.append(f"| {outlets} | {wording} ({statuses}) | {md(flags)} |")
    for outlet_id, status, _ in view.others:
        lines.append(f"| {md(report.outlet(outlet_id).label)} | {STYLES[status][0]} {status.value} | |")
    return lines


def report_to_html(report: Report, render: Callable[[Report, Console], None] = render_terminal) -> str:
    """The terminal report as a standalone HTML page (colours kept, every text escaped)."""
    console = Console(record=True, width=120, file=io.StringIO(), color_system="truecolor", force_terminal=True)
    render(report, console)
    return console.export_html(inline_styles=True)
