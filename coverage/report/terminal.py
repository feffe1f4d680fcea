"""Report -> rich terminal view: an outlets x phrases matrix, then the evidence behind every cell.

Text from articles is untrusted: it only ever reaches rich as `Text` (never markup) after `clean_display`.
"""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..models import Match, Outlet, Phrase, Report, Status
from ..textnorm import clean_display, one_line
from .renderings import WordingGroup, renderings, wants_view

# glyph, word, style: the glyph carries the verdict without colour too
STYLES: dict[Status, tuple[str, str]] = {
    Status.VERBATIM: ("✓", "bold green"),
    Status.TRANSLATED: ("⇄", "bold cyan"),
    Status.NEAR: ("≈", "bold yellow"),
    Status.PARTIAL: ("◐", "bold dark_orange"),
    Status.UNCERTAIN: ("?", "bold blue"),
    Status.ABSENT: ("✗", "bold red"),
    Status.NOT_COMPARED: ("○", "cyan"),
    Status.UNAVAILABLE: ("⊘", "magenta"),
    Status.NO_ARTICLE: ("—", "dim"),
    Status.SEARCH_FAILED: ("⚠", "yellow"),
}


SCORED = (Status.NEAR, Status.ABSENT, Status.TRANSLATED, Status.UNCERTAIN, Status.PARTIAL)
FLAG_WORDS = {
    "negation": "a negation",
    "number": "a number",
    "name": "a name or place",
    "hedge": "a hedge (may, 可能)",
    "speaker": "the speaker",
}


def _shorten(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(status: Status, match: Match | None, compact: bool = False) -> Text:
    """A matrix cell: glyph and verdict (glyph alone when many phrases share the row), score, flags."""
    glyph, style = STYLES[status]
    cell = Text(glyph if compact else f"{glyph} {status.value}", style=style)
    if match and status in SCORED and match.score < 100:
        cell.append(f" {match.score:.0f}", style="dim")
    if match and match.flags:
        cell.append(" ⚠" if compact else " ⚠ " + ", ".join(match.flags), style="bold red")
    return cell


def _outlet_cell(outlet: Outlet) -> Text:
    cell = Text(one_line(outlet.label), style="bold")
    detail = [outlet.id] if outlet.native_name else []
    detail += [x for x in (outlet.script or outlet.language, outlet.country) if x]
    if not outlet.known:
        detail.append("not in registry")
    if detail:
        cell.append("\n" + one_line(" · ".join(detail)), style="dim")
    return cell


def phrase_list(report: Report) -> Table:
    """The phrases the matrix columns stand for."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for phrase in report.phrases:
        text = Text(one_line(phrase.text))
        if phrase.renderings:
            text.append("\naccepted renderings: ", style="dim").append(
                " / ".join(one_line(r) for r in phrase.renderings)
            )
        table.add_row(phrase.id, text)
    return table


def matrix(report: Report) -> Table:
    """Outlets as rows, phrases as columns (p1, p2, ...), one verdict per cell."""
    table = Table(box=box.ROUNDED, title="Coverage matrix", title_style="bold")
    table.add_column("outlet", overflow="fold", min_width=12)
    compact = len(report.phrases) > 3  # glyphs only, so that many phrases still fit a terminal
    for phrase in report.phrases:
        table.add_column(phrase.id, no_wrap=True)
    for outlet in report.outlets:
        cells = [_cell(*report.cell(phrase.id, outlet.id), compact=compact) for phrase in report.phrases]
        table.add_row(_outlet_cell(outlet), *cells)
    return table


def legend() -> Text:
    text = Text()
    for status, (glyph, style) in STYLES.items():
        text.append(f"{glyph} {status.value}", style=style).append("   ")
    return text


def _highlighted(context: str, matched: str, style: str) -> Text:
    text = Text(one_line(context))
    needle = one_line(matched)
    start = text.plain.find(needle)
    if needle and start >= 0:
        text.stylize(style, start, start + len(needle))
    return text


def diff_lines(match: Match) -> Group:
    """The phrase and the article's wording, with what differs marked (deleted red, inserted green)."""
    phrase = Text("phrase:  ", style="dim")
    article = Text("article: ", style="dim")
    for op in match.diff:
        p, a = clean_display(op.phrase), clean_display(op.article)
        if op.op == "equal":
            phrase.append(p)
            article.append(a)
        else:
            phrase.append(p, style="bold red strike" if p else "")
            article.append(a, style="bold green underline" if a else "")
    return Group(phrase, article)


def carried_line(phrase: str, match: Match) -> Text:
    """The phrase with the parts the article carries word for word marked (the rest dim, struck through for a
    partial), so it reads without colour too: [carried] parts are in brackets."""
    text = Text("phrase:  ", style="dim")
    position = 0
    for piece in match.pieces:
        found = phrase.find(piece.phrase, position)
        if found < 0:
            continue
        rest = clean_display(phrase[position:found])
        text.append(rest, style="dim strike" if match.status is Status.PARTIAL else "dim")
        text.append("[" + clean_display(piece.phrase) + "]", style="bold green")
        position = found + len(piece.phrase)
    text.append(clean_display(phrase[position:]), style="dim strike" if match.status is Status.PARTIAL else "dim")
    return text


def evidence(match: Match, outlet: Outlet, with_url: bool, phrase: Phrase | None = None) -> RenderableType:
    """Why a cell says what it says: the sentence with the match, the diff, the best candidate, the reason."""
    glyph, style = STYLES[match.status]
    head = Text(f"{glyph} ", style=style).append(one_line(outlet.label), style="bold")
    head.append(f"  {match.status.value}", style=style)
    if match.status is Status.PARTIAL and match.share is not None:
        head.append(f"  {match.share:.0%} of the phrase carried", style="dim")
    elif match.status not in (Status.UNAVAILABLE, Status.NOT_COMPARED):
        head.append(f"  score {match.score:.0f}", style="dim")
    if match.status not in (Status.UNAVAILABLE, Status.NOT_COMPARED) and match.method:
        head.append(f"  by {match.method.value}", style="dim")
    if match.where == "headline":
        head.append("  in the headline", style="bold")
    parts: list[RenderableType] = [head]
    if with_url:
        parts.append(Text(one_line(match.article_url), style="dim"))
    if match.rendering:
        parts.append(Text("rendering: ", style="dim").append(one_line(match.rendering), style="cyan"))
    if match.status is Status.ABSENT and match.matched_text:
        parts.append(Text("closest wording (too weak to count): ", style="dim").append(one_line(match.matched_text)))
    if match.status is Status.UNCERTAIN and match.matched_text:
        parts.append(
            Text("best candidate (check it): ", style="dim").append(one_line(match.matched_text), style="blue")
        )
    if match.method.value == "aligner" and match.signals:
        parts.append(Text(_aligner_evidence(match), style="dim"))
    if match.context and match.matched_text:
        mark = "reverse" if match.status is not Status.ABSENT else "underline"
        parts.append(
            Text("“", style="dim") + _highlighted(match.context, match.matched_text, mark) + Text("”", style="dim")
        )
    if match.diff and match.status in (Status.NEAR, Status.TRANSLATED):
        parts.append(diff_lines(match))
    if match.pieces and phrase is not None:
        parts.append(carried_line(phrase.text, match))
    if match.flags:
        what = " and ".join(
            FLAG_WORDS.get(f, f) + (f" ({one_line(change)})" if change else "")
            for f, change in zip(match.flags, (*match.changes, *[""] * len(match.flags)), strict=False)
        )
        parts.append(Text(f"⚠ not the same statement: the wording changes {what}", style="bold red"))
    if match.note:
        parts.append(
            Text(one_line(match.note), style="italic magenta" if match.status is Status.UNAVAILABLE else "italic")
        )
    return Padding(Group(*parts), (0, 0, 1, 2))


def _aligner_evidence(match: Match) -> str:
    """Why the aligner decided: confidence, the window's rank in the encoder's ranking, the margin, the signals."""
    signals = dict(match.signals)
    shown = ", ".join(f"{name} {signals[name]:.2f}" for name in ("cos", "lex", "num", "name", "quoted", "attributed")
                      if name in signals and (signals[name] or name in ("cos", "lex")))  # fmt: skip
    confidence = f"confidence {match.confidence:.2f}, " if match.confidence is not None else ""
    return f"aligner: {confidence}encoder rank {match.rank}, margin {match.margin:.2f} over the next window; {shown}"


def _evidence_section(report: Report, phrase: Phrase) -> RenderableType:
    title = Text(f"{phrase.id}  ", style="bold").append(one_line(phrase.text), style="bold")
    parts: list[RenderableType] = [title]
    if phrase.renderings:
        renderings = " / ".join(one_line(r) for r in phrase.renderings)
        parts.append(Padding(Text("accepted renderings: ", style="dim").append(renderings), (0, 0, 0, 2)))
    for outlet in report.outlets:
        matches = [m for m in report.matches if m.phrase_id == phrase.id and m.outlet_id == outlet.id]
        several = len(matches) > 1
        for match in sorted(matches, key=lambda m: (-m.status.rank, -m.score)):
            parts.append(evidence(match, outlet, with_url=several, phrase=phrase))
    return Group(*parts)


def _articles(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Articles", title_style="bold")
    table.add_column("outlet", no_wrap=True)
    table.add_column("title / source", overflow="fold")
    table.add_column("published / author", no_wrap=True)
    table.add_column("chars", justify="right")
    for article in report.articles:
        label = one_line(report.outlet(article.outlet_id).label)
        title = Text(_shorten(article.title or "(no title)", 80)).append(
            "\n" + one_line(article.final_url or article.url), style="dim"
        )
        when = Text(one_line(article.published or "?"))
        if article.updated and article.updated != article.published:
            when.append("\nupdated " + one_line(article.updated), style="dim")
        if article.author:
            when.append("\n" + one_line(article.author), style="dim")
        if article.reprint_of:
            source = next((o.label for o in report.outlets if o.id == article.reprint_of), article.reprint_of)
            title.append(f"\nreprints {one_line(source)} copy", style="italic")
        table.add_row(label, title, when, str(len(article.text)))
    for failure in report.failures:
        label = one_line(report.outlet(failure.outlet_id).label)
        reason = Text(one_line(failure.reason), style="magenta").append("\n" + one_line(failure.url), style="dim")
        table.add_row(label, reason, Text("unavailable", style="magenta"), "")
    return table


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "date unknown"


def discovery_section(report: Report) -> Table:
    """Per outlet: what was found and how, or what was searched and found nothing, or why the search failed."""
    event = report.event
    window = f"{event.start:%Y-%m-%d %H:%M} – {event.end:%Y-%m-%d %H:%M} UTC" if event else ""
    table = Table(box=box.SIMPLE_HEAD, title=f"Discovery ({window})", title_style="bold")
    table.add_column("outlet", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("articles / what was searched", overflow="fold")
    for found in report.discovery:
        label = one_line(report.outlet(found.outlet_id).label)
        detail = Text()
        for candidate in (c for c in found.candidates if c.url not in found.off_topic):
            detail.append(_shorten(candidate.title or "(no headline)", 70) + "\n")
            via = "+".join(candidate.found_via)
            detail.append(
                f"  via {via}, relevance {candidate.relevance:.2f}, {_when(candidate.published)}\n", style="dim"
            )
            if candidate.url:
                detail.append("  " + one_line(candidate.url) + "\n", style="dim")
        for url in found.off_topic:
            detail.append(f"read, but never mentions the event: {one_line(url)}\n", style="dim")
        for run in found.runs:
            if found.outcome != "found" or not run.ok:
                style = "dim" if run.ok else "red"
                state = f"{len(run.candidates)} hits" if run.ok else f"failed: {one_line(run.error or '')}"
                detail.append(f"{run.backend}: {state}\n", style=style)
        outcome = {
            "found": Text("found", style="green"),
            "none": Text("no article", style="bold"),
            "failed": Text("search failed", style="yellow"),
        }[found.outcome]
        detail.rstrip()
        table.add_row(label, outcome, detail)
    return table


def _wording(group: WordingGroup) -> Text:
    """A group's wording; with a diff, the characters that differ from the most common wording in bold."""
    if not group.diff:
        return Text(one_line(group.wording), style="cyan")
    text = Text()
    for op in group.diff:
        piece = clean_display(op.article).replace("\n", " ")
        text.append(piece, style="cyan" if op.op == "equal" else "bold yellow underline")
    return text


def renderings_section(report: Report, phrase: Phrase) -> RenderableType:
    """Outlet -> the wording it used for one statement, identical wordings grouped."""
    view = renderings(report, phrase)
    title = Text(f"Renderings of {one_line(phrase.id)}: ", style="bold").append(one_line(phrase.text), style="bold")
    if phrase.speaker:
        title.append(f"  — {one_line(phrase.speaker)}", style="dim")
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False)
    table.add_column("outlets", overflow="fold", max_width=28)
    table.add_column("wording", overflow="fold")
    for group in view.groups:
        outlets = Text(", ".join(one_line(report.outlet(o).label) for o in group.outlets), style="bold")
        statuses = sorted({m.status for m in group.matches}, key=lambda s: -s.rank)
        how = " / ".join(f"{STYLES[s][0]} {s.value}" for s in statuses)
        wording = _wording(group).append(f"  {how}", style="dim")
        if any(m.where == "headline" for m in group.matches):
            wording.append("  (headline)", style="bold")
        if group.flags:
            wording.append("\n⚠ changes " + " and ".join(FLAG_WORDS.get(f, f) for f in group.flags), style="bold red")
        table.add_row(outlets, wording)
    for outlet_id, status, match in view.others:
        glyph, style = STYLES[status]
        cell = Text(f"{glyph} {status.value}", style=style)
        if status is Status.UNCERTAIN and match and match.matched_text:
            cell.append("  best candidate: ", style="dim").append(one_line(match.matched_text))
        table.add_row(Text(one_line(report.outlet(outlet_id).label)), cell)
    return table


def render_terminal(report: Report, console: Console) -> None:
    """Print the whole report on `console`."""
    read = len(report.articles)
    console.print(
        Text(f"newscov: {len(report.phrases)} phrase(s) × {len(report.outlets)} outlet(s); ", style="bold")
        + Text(f"{read} article(s) read, {len(report.failures)} unavailable", style="bold")
    )
    for note in report.notes:
        console.print(Text("note: " + note, style="italic yellow"))
    console.print(phrase_list(report))
    console.print(matrix(report))
    console.print(legend())
    console.print()
    for phrase in report.phrases:
        if wants_view(report, phrase):
            console.print(renderings_section(report, phrase))
            console.print()
    if report.discovery:
        console.print(discovery_section(report))
    for phrase in report.phrases:
        console.print(_evidence_section(report, phrase))
    console.print(_articles(report))


def render_quotes(report: Report, console: Console) -> None:
    """The quotes view: each quote found, who said it, which outlets carried it and which did not."""
    read = {a.outlet_id for a in report.articles}
    console.print(
        Text(f"newscov: {len(report.phrases)} quote(s) in {len(report.articles)} article(s) "
             f"from {len(read)} outlet(s)", style="bold")
    )  # fmt: skip
    for note in report.notes:
        console.print(Text("note: " + note, style="italic yellow"))
    if not report.phrases:
        console.print(Text("no quoted statement found in the articles", style="italic"))
    for phrase in report.phrases:
        head = Text(f"{phrase.id}  ", style="bold").append("「" + one_line(phrase.text) + "」", style="bold")
        if phrase.speaker:
            head.append(f"  — {one_line(phrase.speaker)}", style="cyan")
        carried, missing, unknown = Text(), Text(), Text()
        for outlet in report.outlets:
            status, match = report.cell(phrase.id, outlet.id)
            label = one_line(outlet.label)
            if status in (Status.VERBATIM, Status.NEAR, Status.TRANSLATED, Status.PARTIAL):
                glyph, style = STYLES[status]
                carried.append(f"{glyph} {label}", style=style)
                if match and status is not Status.VERBATIM:
                    carried.append(f" ({status.value} {match.score:.0f})", style="dim")
                carried.append("   ")
            elif status is Status.ABSENT:
                missing.append(f"✗ {label}   ", style="red")
            else:
                unknown.append(f"{STYLES[status][0]} {label} ({status.value})   ", style="dim")
        lines: list[RenderableType] = [head, Padding(Text("carried by: ", style="dim") + carried, (0, 0, 0, 4))]
        if missing.plain:
            lines.append(Padding(Text("not in:     ", style="dim") + missing, (0, 0, 0, 4)))
        if unknown.plain:
            lines.append(Padding(Text("not read:   ", style="dim") + unknown, (0, 0, 0, 4)))
        console.print(Group(*lines))
    console.print(_articles(report))
