"""Report -> Markdown that renders on GitHub (for notes, issues, fact-check write-ups): the header and tallies, the
matrix as a table, the renderings, the evidence with every "absent" and "uncertain" labelled, the articles linked.

Text from articles is untrusted, and so are phrase and outlet ids, labels and names (from event files, registries,
archived report.json files): every character with a meaning in Markdown (emphasis, links, tables, raw HTML) is
escaped by `md`; link targets are percent-encoded instead (a backslash in a URL would break the link), and only
http(s) URLs become links.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..models import DiffOp, Match, Phrase, Report, Status, iso
from ..textnorm import flat, one_line
from .renderings import renderings, wants_view
from .summary import FLAG, changes_text, flag_words, header, header_line, how, http, sorted_outlets, tallies, widened
from .terminal import SCORED, STYLES

# emphasis, code, links/images, tables, strikethrough, autolinks; a line never starts with our text, so list and
# heading marks need no escape; < > & become entities so no raw HTML gets through
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]!|~#])")


def md(text: str | None, edges: bool = False) -> str:
    """One line of untrusted text, safe in Markdown (and in the HTML a Markdown renderer makes of it); `edges`
    keeps a leading or trailing space (a piece of a diff)."""
    escaped = (flat if edges else one_line)(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def md_url(url: str) -> str:
    """A link target: spaces, brackets, quotes and controls percent-encoded, everything else as written."""
    return quote(one_line(url), safe="!#$%&'*+,/:;=?@~-._[]")


def md_link(text: str | None, url: str) -> str:
    """[text](url) for an http(s) URL; anything else (a file path) as escaped text, never a link."""
    if http(url) is None:
        return md(text or url)
    return f"[{md(text or url)}]({md_url(url)})"


def md_diff(diff: tuple[DiffOp, ...]) -> str:
    """The article's wording with what changed: the phrase's words struck through, the article's in bold."""
    out = []
    for op in diff:
        if op.op == "equal":
            out.append(md(op.article, edges=True))
            continue
        phrase, article = md(op.phrase), md(op.article)
        lead = " " if op.article[:1].isspace() or op.phrase[:1].isspace() else ""
        tail = " " if op.article[-1:].isspace() or op.phrase[-1:].isspace() else ""
        out += [lead, f"~~{phrase}~~" if phrase else "", f"**{article}**" if article else "", tail]
    return "".join(out)


def _cell(report: Report, phrase_id: str, outlet_id: str) -> str:
    status, match = report.cell(phrase_id, outlet_id)
    text = f"{STYLES[status][0]} {status.value}"
    if match and status in SCORED and match.score < 100:
        text += f" {match.score:.0f}"
    if match and match.flags:
        text += f" {FLAG}"
    return text


def report_to_markdown(report: Report, sort: str = "registry", view: str = "compare") -> str:
    head = header(report)
    labels = {o.id: md(o.label) for o in report.outlets}
    lines = ["# newscov quotes" if view == "quotes" else "# newscov report", "", md(header_line(head)), ""]
    if head.title or head.queries or head.window:
        event = [md(head.title)] if head.title else []
        event += [f"searched for {' | '.join(md(q) for q in head.queries)}"] if head.queries else []
        event += [md(head.window)] if head.window else []
        lines += [f"Event: {' · '.join(event)}", ""]
    for note in report.notes:
        lines += [f"> note: {md(note)}", ""]
    lines += ["## Phrases", ""]
    counted = {t.phrase_id: t for t in tallies(report)}
    for phrase in report.phrases:
        speaker = f" — {md(phrase.speaker)}" if phrase.speaker else ""
        lines.append(f"- **{md(phrase.id)}** {md(phrase.text)}{speaker}")
        if phrase.renderings:
            lines.append(f"  - accepted renderings: {' / '.join(md(r) for r in phrase.renderings)}")
        lines.append(f"  - {counted[phrase.id].sentence(labels)}")
    outlets = sorted_outlets(report, sort)
    lines += ["", "## Coverage matrix", ""]
    lines.append("| outlet | " + " | ".join(md(p.id) for p in report.phrases) + " |")
    lines.append("|---|" + "---|" * len(report.phrases))
    for outlet in outlets:
        cells = " | ".join(_cell(report, p.id, outlet.id) for p in report.phrases)
        name = md(outlet.label) + (f" ({md(outlet.id)})" if outlet.label != outlet.id else "")
        lines.append(f"| {name} | {cells} |")
    lines += ["", " · ".join(f"{glyph} {status.value}" for status, (glyph, _) in STYLES.items())]
    lines += [f"Numbers are match scores (0-100); {FLAG}: the wording changes the meaning (see the evidence)."]
    for phrase in report.phrases:
        if wants_view(report, phrase):
            lines += _renderings_markdown(report, phrase)
    lines += ["", "## Evidence", ""]
    for phrase in report.phrases:
        lines += [f"### {md(phrase.id)} {md(phrase.text)}", ""]
        for outlet in outlets:
            for match in report.matches_of(phrase.id, outlet.id):
                lines += _evidence(report, match, phrase)
        lines.append("")
    lines += ["## Articles", "", "| outlet | title | published | author |", "|---|---|---|---|"]
    for article in report.articles:
        title = md_link(article.title or "(no title)", article.final_url or article.url)
        author = md(article.author)
        lines.append(f"| {labels[article.outlet_id]} | {title} | {md(iso(article.published))} | {author} |")
    for failure in report.failures:
        lines.append(f"| {labels[failure.outlet_id]} | unavailable: {md_link(failure.reason, failure.url)} | | |")
    return "\n".join(lines) + "\n"


def _evidence(report: Report, match: Match, phrase: Phrase) -> list[str]:
    name = md(report.outlet(match.outlet_id).label)
    glyph = STYLES[match.status][0]
    lines = [f"- {glyph} **{name}**: {how(match)}" + (" — in the headline" if match.where == "headline" else "")]
    wording = md(widened(report, match))
    if match.status is Status.ABSENT:
        weak = f"; closest wording, too weak to count: “{wording}”" if wording else ""
        lines.append(f"  - not carried{weak}")
    elif match.status is Status.UNCERTAIN:
        lines.append(f"  - uncertain, for a person to check: best candidate “{wording}”")
    elif match.status in (Status.NEAR,) and match.diff:
        lines.append(f"  - wording: {md_diff(match.diff)} (struck: the phrase's words; bold: the article's)")
    elif match.status is Status.PARTIAL and match.pieces:
        lines.append(f"  - carried word for word: {' … '.join(md(p.phrase) for p in match.pieces)}")
    elif wording:
        lines.append(f"  - wording: “{wording}”")
    if match.rendering:
        lines.append(f"  - rendering: {md(match.rendering)}")
    if match.context and match.status in (Status.VERBATIM, Status.TRANSLATED, Status.NEAR, Status.PARTIAL):
        lines.append(f"  - in: “{md(match.context)}”")
    if match.flags:
        lines.append(f"  - {FLAG} not the same statement: the wording changes {md(changes_text(match))}")
    if match.note:
        lines.append(f"  - {md(match.note)}")
    lines.append(f"  - article: {md_link(None, match.article_url)}")
    return lines


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
        flags = ", ".join(flag_words(f) for f in group.flags)
        lines.append(f"| {outlets} | {wording} ({statuses}) | {md(flags)} |")
    for outlet_id, status, match in view.others:
        checked = status is Status.UNCERTAIN and match is not None
        candidate = f" — best candidate, to check: “{md(match.matched_text)}”" if checked and match else ""
        lines.append(f"| {md(report.outlet(outlet_id).label)} | {STYLES[status][0]} {status.value}{candidate} | |")
    return lines
