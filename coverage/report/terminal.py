"""Report -> rich terminal view: an outlets x phrases matrix, then the evidence behind every cell.

Everything from outside is untrusted (article text, titles, URLs, but also phrase and outlet ids, labels and names
from event files, registry files and archived report.json files): it only ever reaches rich as `Text` (never as
markup, not even as a table header) after `clean_display`, and only an http(s) URL becomes a terminal link.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..models import Match, Method, Outlet, Phrase, Report, Status
from ..textnorm import clean_display, flat, one_line
from .renderings import WordingGroup, renderings, wants_view
from .summary import FLAG, changes_text, flag_words, header, header_line, http, sorted_outlets, tallies, widened

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


def _shorten(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(status: Status, match: Match | None, compact: bool = False) -> Text:
    """A matrix cell: glyph and verdict (glyph alone when many phrases share the row), score, a flag mark."""
    glyph, style = STYLES[status]
    cell = Text(glyph if compact else f"{glyph} {status.value}", style=style)
    if match and status in SCORED and match.score < 100:
        cell.append(f" {match.score:.0f}", style="dim")
    if match and match.flags:
        cell.append(f" {FLAG}", style="bold red")
    return cell


def _outlet_cell(outlet: Outlet) -> Text:
    return Text(one_line(outlet.label), style="bold", no_wrap=True, overflow="ellipsis")


def phrase_list(report: Report) -> Table:
    """The phrases the matrix columns stand for, each with its tally: who carried it and how, who did not."""
    labels = {o.id: one_line(o.label) for o in report.outlets}
    counted = {t.phrase_id: t for t in tallies(report)}
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for phrase in report.phrases:
        text = Text(one_line(phrase.text), style="bold")
        if phrase.speaker:
            text.append(f" — {one_line(phrase.speaker)}", style="dim")
        if phrase.renderings:
            text.append("\nrenderings: ", style="dim").append(" / ".join(one_line(r) for r in phrase.renderings))
        tally = counted[phrase.id]
        text.append("\n" + tally.sentence(labels), style="green" if tally.carried else "red")
        table.add_row(Text(one_line(phrase.id)), text)
    return table


def matrix(report: Report, sort: str = "registry") -> Table:
    """Outlets as rows, phrases as columns (p1, p2, ...), one verdict per cell."""
    table = Table(box=box.SIMPLE_HEAD, title="Coverage matrix", title_style="bold", title_justify="left")
    table.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=24)
    compact = len(report.phrases) > 3  # glyphs only, so that many phrases still fit a terminal
    for phrase in report.phrases:
        table.add_column(Text(one_line(phrase.id)), no_wrap=True)
    for outlet in sorted_outlets(report, sort):
        cells = [_cell(*report.cell(phrase.id, outlet.id), compact=compact) for phrase in report.phrases]
        table.add_row(_outlet_cell(outlet), *cells)
    return table


LEGEND_NOTES = ("number: score 0-100", f"{FLAG} wording changes the meaning")


def legend(width: int = 80) -> Text:
    """Every glyph with its verdict, wrapped between items (never inside one) to fit `width`."""
    items = [Text(f"{glyph} {status.value}", style=style) for status, (glyph, style) in STYLES.items()]
    items += [Text(note, style="dim") for note in LEGEND_NOTES]
    text, line = Text(), 0
    for item in items:
        if line and line + 3 + item.cell_len > width:
            text.append("\n")
            line = 0
        elif line:
            text.append("   ")
            line += 3
        text.append_text(item)
        line += item.cell_len
    return text


def _highlighted(context: str, matched: str, style: str) -> Text:
    text = Text(one_line(context))
    needle = one_line(matched)
    start = text.plain.find(needle)
    if needle and start >= 0:
        text.stylize(style, start, start + len(needle))
    return text


def inline_diff(match: Match) -> Text:
    """The article's wording with what differs from the phrase marked so that it reads without colour too:
    [-phrase's words-]{+article's words+} (wdiff style; red and green on a colour terminal)."""
    text = Text()
    for op in match.diff:
        phrase, article = flat(op.phrase), flat(op.article)
        if op.op == "equal":
            text.append(article)
            continue
        if phrase.strip():
            text.append(f"[-{phrase}-]", style="bold red")
        if article.strip():
            text.append(f"{{+{article}+}}", style="bold green")
    return text


def carried_line(phrase: str, match: Match) -> Text:
    """The phrase with the parts the article carries word for word marked (the rest dim, struck through for a
    partial), so it reads without colour too: [carried] parts are in brackets."""
    text = Text("phrase:  ", style="dim")
    return text.append_text(_carried(phrase, match))


def _carried(phrase: str, match: Match) -> Text:
    text = Text()
    left_out = "dim strike" if match.status is Status.PARTIAL else "dim"
    position = 0
    for piece in match.pieces:
        found = phrase.find(piece.phrase, position)
        if found < 0:
            continue
        text.append(flat(phrase[position:found]), style=left_out)
        text.append("[" + flat(piece.phrase) + "]", style="bold green")
        position = found + len(piece.phrase)
    text.append(flat(phrase[position:]), style=left_out)
    return text


def _score(match: Match) -> str:
    if match.status is Status.PARTIAL and match.share is not None:
        return f"{match.share:.0%} carried"
    if match.status in (Status.UNAVAILABLE, Status.NOT_COMPARED):
        return ""
    return f"{match.score:.0f}"


def evidence_line(report: Report, match: Match, phrase: Phrase, width: int) -> Text:
    """One cell's evidence on one line: glyph, outlet, score, method, then what the article says."""
    glyph, style = STYLES[match.status]
    label = Text(f"{glyph} ", style=style).append(one_line(report.outlet(match.outlet_id).label), style="bold")
    label.truncate(width, overflow="ellipsis", pad=True)
    line = Text("  ").append_text(label)
    score = _score(match)
    line.append(f" {score:>3}" if len(score) <= 3 else f" {score}", style="dim")
    if match.method is not Method.NONE:
        line.append(f" {match.method.value}", style="dim")
    line.append("  ")
    if match.where == "headline":
        line.append("headline: ", style="bold")
    line.append_text(_what(report, match, phrase))
    if match.flags:
        line.append(f"  {FLAG} {changes_text(match)}", style="bold red")
    return line


def _what(report: Report, match: Match, phrase: Phrase) -> Text:
    """What the article says, for the one-line evidence."""
    wording = widened(report, match)
    if match.status is Status.NEAR and match.diff:
        return inline_diff(match)
    if match.status is Status.PARTIAL and match.pieces:
        return _carried(phrase.text, match)
    if match.status is Status.ABSENT:
        return Text("closest, too weak to count: ", style="dim").append(f"“{wording}”" if wording else "none")
    if match.status is Status.UNCERTAIN:
        return Text("check: ", style="blue").append(f"“{wording}”")
    if match.status in (Status.UNAVAILABLE, Status.NOT_COMPARED):
        return Text(one_line(match.note or ""), style="italic")
    text = Text(f"“{wording}”")
    if match.rendering and one_line(match.rendering) != wording:
        text.append(f"  as {one_line(match.rendering)}", style="dim cyan")
    return text


def evidence(report: Report, match: Match, outlet: Outlet, with_url: bool, phrase: Phrase) -> RenderableType:
    """Why a cell says what it says, in full: the sentence with the match, the diff, the best candidate, why."""
    glyph, style = STYLES[match.status]
    head = Text(f"{glyph} ", style=style).append(one_line(outlet.label), style="bold")
    head.append(f"  {match.status.value}", style=style)
    if score := _score(match):
        head.append(f"  {score if match.status is Status.PARTIAL else 'score ' + score}", style="dim")
    if match.status not in (Status.UNAVAILABLE, Status.NOT_COMPARED) and match.method:
        head.append(f"  by {match.method.value}", style="dim")
    if match.where == "headline":
        head.append("  in the headline", style="bold")
    parts: list[RenderableType] = [head]
    if with_url:
        parts.append(Text(one_line(match.article_url), style="dim"))
    if match.rendering:
        parts.append(Text("rendering: ", style="dim").append(one_line(match.rendering), style="cyan"))
    wording = widened(report, match)
    if match.status is Status.ABSENT and wording:
        parts.append(Text("closest wording (too weak to count): ", style="dim").append(wording))
    if match.status is Status.UNCERTAIN and wording:
        parts.append(Text("best candidate (check it): ", style="dim").append(wording, style="blue"))
    if match.method is Method.ALIGNER and match.signals:
        parts.append(Text(_aligner_evidence(match), style="dim"))
    if match.context and match.matched_text:
        mark = "reverse" if match.status is not Status.ABSENT else "underline"
        where = "headline: " if match.where == "headline" else ""
        quoted = _highlighted(match.context, match.matched_text, mark)
        parts.append(Text(where + "“", style="dim") + quoted + Text("”", style="dim"))
    if match.diff and match.status in (Status.NEAR, Status.TRANSLATED):
        parts.append(Text("diff: ", style="dim").append_text(inline_diff(match)))
    if match.pieces:
        parts.append(carried_line(phrase.text, match))
    if match.flags:
        parts.append(
            Text(f"{FLAG} not the same statement: the wording changes {changes_text(match)}", style="bold red")
        )
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
    # rank and margin may be missing from a report.json written by hand or by another tool
    rank = f"encoder rank {match.rank}, " if match.rank is not None else ""
    margin = f"margin {match.margin:.2f} over the next window; " if match.margin is not None else ""
    return f"aligner: {confidence}{rank}{margin}{shown}"


EVIDENCE = ("compact", "full", "none")


def _evidence_section(console: Console, report: Report, phrase: Phrase, sort: str, full: bool) -> None:
    title = Text(f"Evidence for {one_line(phrase.id)}  ", style="bold").append(one_line(phrase.text), style="bold")
    console.print(title, overflow="ellipsis", no_wrap=not full)
    labels = max((min(24, Text(one_line(o.label)).cell_len) for o in report.outlets), default=8) + 2  # glyph, space
    for outlet in sorted_outlets(report, sort):
        matches = report.matches_of(phrase.id, outlet.id)
        several = len(matches) > 1
        for match in matches:
            if full:
                console.print(evidence(report, match, outlet, with_url=several, phrase=phrase))
            else:
                console.print(evidence_line(report, match, phrase, labels), no_wrap=True, overflow="ellipsis")
    console.print()


def terminal_link(url: str | None) -> str | None:
    """The target of a terminal hyperlink (OSC 8) for an http(s) URL, else None (a file path, `javascript:`): the
    URL cleaned, then every character outside printable ASCII, and spaces and quotes, percent-encoded."""
    link = http(url)
    return quote(link, safe="!#$%&'()*+,/:;=?@~-._[]") if link else None


def print_url(console: Console, url: str, indent: int = 4) -> None:
    """A URL whole on its own line, never wrapped or cut (a terminal that supports it makes it a link)."""
    link = terminal_link(url)
    url = one_line(url)
    console.print(Text(" " * indent) + Text(url, style=Style(dim=True, link=link)), no_wrap=True, crop=False)


def _articles(console: Console, report: Report, sort: str) -> None:
    console.print(Text("Articles", style="bold"))
    order = {o.id: n for n, o in enumerate(sorted_outlets(report, sort))}
    for article in sorted(report.articles, key=lambda a: order.get(a.outlet_id, 0)):
        outlet = report.outlet(article.outlet_id)
        head = Text("  ").append(one_line(outlet.label), style="bold")
        about = [outlet.id] if outlet.native_name else []
        about += [x for x in (outlet.script or outlet.language, outlet.country) if x]
        about += [] if outlet.known else ["not in registry"]
        head.append(f" ({one_line(' · '.join(about))})" if about else "", style="dim")
        when = one_line(str(article.published or "date unknown"))
        if article.updated and article.updated != article.published:
            when += f", updated {one_line(str(article.updated))}"
        details = [when, *([one_line(article.author)] if article.author else []), f"{len(article.text)} chars"]
        console.print(head, no_wrap=True, overflow="ellipsis")
        title = Text(one_line(article.title or "(no title)"))
        if article.reprint_of:
            source = report.outlet(article.reprint_of).label if article.reprint_of in order else article.reprint_of
            title.append(f"  (reprints {one_line(source)} copy)", style="italic")
        title.append("\n" + " · ".join(details), style="dim")
        for note in article.notes:
            title.append("\nnote: " + one_line(note), style="italic yellow")
        console.print(Padding(title, (0, 0, 0, 4)))
        print_url(console, article.final_url or article.url)
    for failure in report.failures:
        console.print(Text("  ").append(one_line(report.outlet(failure.outlet_id).label), style="bold"))
        console.print(Padding(Text("unavailable: " + one_line(failure.reason), style="magenta"), (0, 0, 0, 4)))
        print_url(console, failure.url)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "date unknown"


def discovery_section(console: Console, report: Report) -> None:
    """Per outlet: what was found and how, or what was searched and found nothing, or why the search failed."""
    event = report.event
    window = f" ({event.start:%Y-%m-%d %H:%M} – {event.end:%Y-%m-%d %H:%M} UTC)" if event else ""
    console.print(Text(f"Discovery{window}", style="bold"))
    outcomes = {"found": ("found", "green"), "none": ("no article", "bold"), "failed": ("search failed", "yellow")}
    for found in report.discovery:
        word, style = outcomes[found.outcome]
        console.print(Text("  ").append(one_line(report.outlet(found.outlet_id).label), style="bold")
                      .append(f"  {word}", style=style))  # fmt: skip
        for candidate in (c for c in found.candidates if c.url not in found.off_topic):
            via = one_line("+".join(candidate.found_via))
            line = Text("    " + _shorten(candidate.title or "(no headline)", 70))
            line.append(f"  via {via}, relevance {candidate.relevance:.2f}, {_when(candidate.published)}", style="dim")
            console.print(line)
            if candidate.url:
                print_url(console, candidate.url, indent=6)
        for url in found.off_topic:
            console.print(Text("    read, but never mentions the event:", style="dim"))
            print_url(console, url, indent=6)
        for run in found.runs:
            # a backend that could not serve the query, or the registry's reason not to search, is always said
            skipped = run.searched.startswith(("skipped", "not searched"))
            if skipped and (found.outcome != "found" or "already found" not in run.searched):
                console.print(Text(f"    {one_line(run.backend)}: {one_line(run.searched)}", style="dim"))
            elif not skipped and (found.outcome != "found" or not run.ok):
                state = f"{len(run.candidates)} hits" if run.ok else f"failed: {one_line(run.error or '')}"
                console.print(Text(f"    {one_line(run.backend)}: {state}", style="dim" if run.ok else "red"))
    console.print()


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
            wording.append(f"\n{FLAG} changes " + " and ".join(flag_words(f) for f in group.flags), style="bold red")
        table.add_row(outlets, wording)
    for outlet_id, status, match in view.others:
        glyph, style = STYLES[status]
        cell = Text(f"{glyph} {status.value}", style=style)
        if status is Status.UNCERTAIN and match and match.matched_text:
            cell.append("  best candidate: ", style="dim").append(one_line(match.matched_text))
        table.add_row(Text(one_line(report.outlet(outlet_id).label)), cell)
    return table


def print_header(console: Console, report: Report) -> None:
    """What was compared: one line of counts, then the event and its window, then the run's notes."""
    head = header(report)
    console.print(Text(header_line(head), style="bold"))
    event = [one_line(head.title)] if head.title else []
    if head.queries:
        event.append("searched for " + " | ".join(one_line(q) for q in head.queries))
    if head.window:
        event.append(head.window)
    if event:
        console.print(Text("event: " + " · ".join(event)))
    for note in report.notes:
        console.print(Text("note: " + one_line(note), style="italic yellow"))


def render_terminal(report: Report, console: Console, sort: str = "registry", evidence: str = "compact") -> None:
    """Print the whole report on `console`: header and tallies, the matrix and its legend, the renderings, the
    discovery, the evidence (`compact`: a line per cell, `full`, or `none`), the articles."""
    if evidence not in EVIDENCE:
        raise ValueError(f"evidence must be one of {', '.join(EVIDENCE)}")
    print_header(console, report)
    console.print()
    console.print(phrase_list(report))
    console.print()
    console.print(matrix(report, sort))
    console.print(legend(console.width))
    console.print()
    for phrase in report.phrases:
        if wants_view(report, phrase):
            console.print(renderings_section(report, phrase))
            console.print()
    if report.discovery:
        discovery_section(console, report)
    if evidence != "none":
        for phrase in report.phrases:
            _evidence_section(console, report, phrase, sort, full=evidence == "full")
    _articles(console, report, sort)


def render_quotes(report: Report, console: Console, sort: str = "registry", evidence: str = "compact") -> None:
    """The quotes view: each quote found, who said it, which outlets carried it and which did not."""
    print_header(console, report)
    console.print()
    if not report.phrases:
        console.print(Text("no quoted statement found in the articles", style="italic"))
    for phrase in report.phrases:
        head = Text(f"{one_line(phrase.id)}  ", style="bold").append("「" + one_line(phrase.text) + "」", style="bold")
        if phrase.speaker:
            head.append(f"  — {one_line(phrase.speaker)}", style="cyan")
        carried, missing, unknown = Text(), Text(), Text()
        for outlet in sorted_outlets(report, sort):
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
    console.print()
    if evidence != "none":
        for phrase in report.phrases:
            _evidence_section(console, report, phrase, sort, full=evidence == "full")
    _articles(console, report, sort)
