"""CorpusSummary (`newscov corpus report DIR`) -> the rich terminal view, JSON, Markdown and one HTML page.

Each shows the same things: the phrases and how many outlets and articles carried them; the outlet x phrase matrix
(articles carrying each phrase, by status; 0 where an outlet read articles and carried none, — where it read none);
per phrase, who carried it first and who followed; the articles carrying it per day; the tasks and their errors.

Everything in the Parquet files and job.json (outlet names and ids, titles, URLs, phrase text, error text) is
untrusted, and handled as the other reports handle it: the terminal gets it only as `rich.text.Text` after
`one_line` (no markup, no escape or control character), Markdown through `md` (and `md_link`: only http(s) URLs
become links), HTML through the autoescaping templates after `one_line` (only http(s) links); JSON keeps every
character, with none raw (`dumps`). Long strings are cut for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from rich import box
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..corpus.aggregate import CorpusSummary, Counts, DayCount, FirstSeen, OutletRow, PhraseStats
from ..models import Status
from ..textnorm import one_line
from .html import anchor, environment
from .json import dumps
from .markdown import md, md_link
from .summary import http
from .terminal import STYLES, terminal_link

SCHEMA = "newscov-corpus-report"
VERSION = 1

# glyph and style per status of the hits; "other" is any status past the four (uncertain, with --aligner)
GLYPHS: dict[str, tuple[str, str]] = {
    "verbatim": STYLES[Status.VERBATIM],
    "translated": STYLES[Status.TRANSLATED],
    "near": STYLES[Status.NEAR],
    "partial": STYLES[Status.PARTIAL],
    "other": ("·", "bold blue"),
}
SPARKS = "▁▂▃▄▅▆▇█"

NAME_WIDTH = 60  # characters of an outlet name shown
TITLE_WIDTH = 120
URL_WIDTH = 200
TEXT_WIDTH = 300  # phrase text, error text


def _short(text: str | None, limit: int) -> str:
    """Untrusted text on one line, cleaned, cut to `limit` characters."""
    text = one_line(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _glyph(status: str) -> tuple[str, str]:
    return GLYPHS.get(status, GLYPHS["other"])


def when(moment: datetime | None, precision: str | None = None) -> str:
    """A time as the reports show it: UTC, to the minute (or the day alone when the page gave only the day)."""
    if moment is None:
        return "undated"
    return f"{moment:%Y-%m-%d}" if precision == "day" else f"{moment:%Y-%m-%d %H:%M} UTC"


def after(delay: timedelta | None) -> str:
    """The delay after the first outlet: 'first', '+45m', '+3h 05m', '+2d 4h'; '' when undated."""
    if delay is None:
        return ""
    minutes = int(delay.total_seconds() // 60)
    if minutes <= 0:
        return "first"
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"+{days}d {hours}h"
    return f"+{hours}h {minutes:02d}m" if hours else f"+{minutes}m"


def breakdown(counts: Counts) -> str:
    """'✓1 ≈1' (each non-zero status with its glyph)."""
    return " ".join(f"{_glyph(status)[0]}{n}" for status, n in counts.items() if n)


def in_words(counts: Counts) -> str:
    """'2 verbatim, 1 near' (each non-zero status)."""
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def carried_sentence(stats: PhraseStats) -> str:
    """'carried by 3 outlets in 4 articles: 2 verbatim, 1 near, 1 partial'."""
    if not stats.articles.total:
        return "carried by no outlet"
    return (
        f"carried by {_n(stats.outlets, 'outlet')} in {_n(stats.articles.total, 'article')}: {in_words(stats.articles)}"
    )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def header_line(summary: CorpusSummary) -> str:
    """'2 tasks finished (1 cut short by an error) · 10 pages read, 7 hits · 5 outlets: 8 articles read, ...'."""
    tasks = summary.tasks
    failed = f" ({tasks.failed} cut short by an error)" if tasks.failed else ""
    return (
        f"{_n(tasks.finished, 'task')} finished{failed} · {_n(tasks.pages, 'page')} read, {_n(tasks.hits, 'hit')} · "
        f"{_n(summary.outlets_total, 'outlet')}: {_n(summary.articles_read, 'article')} read, "
        f"{_n(summary.pages_unreadable, 'page')} unreadable"
    )


def cell_text(row: OutletRow, counts: Counts) -> str:
    """A matrix cell as plain text: '2 (✓1 ≈1)', '0' (read articles, carried none), '—' (read none)."""
    if not counts.total:
        return "0" if row.read else "—"
    return f"{counts.total} ({breakdown(counts)})"


def sparkline(days: Sequence[DayCount], width: int = 60) -> tuple[str, date | None, date | None]:
    """The articles per day from the first day to the last, as block characters, days grouped so that it fits
    `width` characters (each character: the sum of its days); and the first and last day."""
    if not days:
        return "", None, None
    first, last = days[0].day, days[-1].day
    span = (last - first).days + 1
    per = max(1, -(-span // max(1, width)))  # days per character
    buckets = [0] * (-(-span // per))
    for item in days:
        buckets[(item.day - first).days // per] += item.articles
    top = max(buckets) or 1
    line = "".join(" " if n == 0 else SPARKS[min(len(SPARKS) - 1, (n * len(SPARKS) - 1) // top)] for n in buckets)
    return line, first, last


def _peak(days: Sequence[DayCount]) -> DayCount | None:
    return max(days, key=lambda d: (d.articles, -d.day.toordinal()), default=None)


def day_line(stats: PhraseStats, width: int = 60) -> str:
    """'▅█ 2026-03-01 – 2026-03-02 (1 day a character); peak 2 on 2026-03-01; 1 undated'."""
    line, first, last = sparkline(stats.days, width)
    parts = []
    if first and last:
        span = (last - first).days + 1
        per = max(1, -(-span // max(1, width)))
        days = f"{first}" if first == last else f"{first} – {last}"
        parts.append(f"{line} {days}" + (f" ({per} days a character)" if per > 1 else ""))
        peak = _peak(stats.days)
        if peak:
            parts.append(f"peak {peak.articles} on {peak.day}")
    if stats.days_left_out:
        parts.append(f"{stats.days_left_out} more on later days")
    if stats.undated:
        parts.append(f"{stats.undated} undated")
    return "; ".join(parts) if parts else "no article"


# ── terminal ──


def _legend() -> Text:
    text = Text("articles carrying each phrase: ", style="dim")
    for status, (glyph, style) in GLYPHS.items():
        text.append(f"{glyph} {status}  ", style=style)
    return text.append("0: articles read, none carried it  —: no article read", style="dim")


def _cell(row: OutletRow, counts: Counts) -> Text:
    if not counts.total:
        return Text("0", style="bold red") if row.read else Text("—", style="dim")
    text = Text(str(counts.total), style="bold")
    for status, n in counts.items():
        if n:
            glyph, style = _glyph(status)
            text.append(f" {glyph}{n}", style=style)
    return text


def matrix_table(summary: CorpusSummary, limit: int = 40) -> Table:
    title = Text("Coverage matrix", style="bold")
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    table.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=32)
    table.add_column("read", justify="right")
    table.add_column("unreadable", justify="right")
    for phrase in summary.phrases:
        table.add_column(Text(_short(phrase.id, 24)), no_wrap=True)
    for row in summary.outlets[:limit]:
        name = Text(_short(row.outlet, NAME_WIDTH), style="bold")
        table.add_row(name, str(row.read), str(row.unreadable), *(_cell(row, c) for c in row.cells))
    return table


def first_seen_table(summary: CorpusSummary, index: int, limit: int = 15) -> Table:
    phrase, stats = summary.phrases[index], summary.stats[index]
    title = Text(f"First seen: {_short(phrase.id, 40)}  ", style="bold").append(_short(phrase.text, 80))
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column("published", no_wrap=True)
    table.add_column("after", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("article", overflow="fold")
    for n, seen in enumerate(stats.first_seen[:limit], start=1):
        glyph, style = _glyph(seen.status)
        article = Text(_short(seen.title or "(no title)", TITLE_WIDTH))
        article.append("\n").append(_short(seen.url, URL_WIDTH), style=Style(dim=True, link=terminal_link(seen.url)))
        table.add_row(
            str(n),
            Text(_short(seen.outlet, NAME_WIDTH), style="bold"),
            when(seen.published, seen.precision),
            after(seen.delay),
            Text(f"{glyph} {_short(seen.status, 20)}", style=style),
            article,
        )
    return table


def render_corpus_terminal(
    summary: CorpusSummary, console: Console, outlets: int = 40, first_seen: int = 15, width: int = 60
) -> None:
    """Print the summary on `console`: header, phrases, the matrix (`outlets` rows), who carried each phrase first
    (`first_seen` rows), the articles per day (a sparkline of at most `width` characters), the tasks."""
    console.print(Text("newscov corpus report  ", style="bold").append(_short(summary.folder, 200), style="dim"))
    console.print(Text(header_line(summary)))
    console.print()
    phrases = Table.grid(padding=(0, 2))
    phrases.add_column(style="bold", no_wrap=True)
    phrases.add_column(overflow="fold")
    for phrase, stats in zip(summary.phrases, summary.stats, strict=True):
        text = Text(_short(phrase.text, TEXT_WIDTH), style="bold")
        if phrase.language:
            text.append(f" ({_short(phrase.language, 20)})", style="dim")
        if phrase.renderings:
            renderings = " / ".join(_short(r, TEXT_WIDTH) for r in phrase.renderings[:10])
            text.append("\nrenderings: ", style="dim").append(renderings)
        text.append("\n" + carried_sentence(stats), style="green" if stats.articles.total else "red")
        phrases.add_row(Text(_short(phrase.id, 40)), text)
    console.print(phrases)
    console.print()
    console.print(matrix_table(summary, outlets))
    console.print(_legend())
    hidden = summary.outlets_total - min(outlets, len(summary.outlets))
    if hidden:
        console.print(Text(f"… and {hidden} more outlets (fewer articles read)", style="dim"))
    console.print()
    for index, stats in enumerate(summary.stats):
        if not stats.first_seen:
            continue
        console.print(first_seen_table(summary, index, first_seen))
        more = stats.first_seen_left_out + max(0, len(stats.first_seen) - first_seen)
        if more:
            console.print(Text(f"… and {more} more outlets", style="dim"))
        console.print()
    console.print(Text("Articles per day (UTC)", style="bold"))
    for phrase, stats in zip(summary.phrases, summary.stats, strict=True):
        line = Text(f"  {_short(phrase.id, 24)}  ", style="bold").append(day_line(stats, width))
        console.print(line, no_wrap=True, overflow="ellipsis")
    console.print()
    _tasks_terminal(console, summary)


def _tasks_terminal(console: Console, summary: CorpusSummary) -> None:
    tasks = summary.tasks
    console.print(Text(f"Tasks: {tasks.finished} finished, {tasks.failed} with an error", style="bold"))
    for error in tasks.errors:
        line = Text("  ").append(_short(error.file or error.task, URL_WIDTH), style="bold")
        console.print(line.append(": ").append(_short(error.error, TEXT_WIDTH), style="red"))
    if tasks.errors_left_out:
        console.print(Text(f"  … and {tasks.errors_left_out} more errors", style="dim"))


# ── JSON ──


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _counts(counts: Counts) -> dict[str, int]:
    return {**dict(counts.items()), "total": counts.total}


def _seen(seen: FirstSeen) -> dict[str, Any]:
    return {
        "outlet_id": seen.outlet_id,
        "outlet": seen.outlet,
        "url": seen.url,
        "title": seen.title,
        "status": seen.status,
        "published": _iso(seen.published),
        "precision": seen.precision,
        "delay_s": seen.delay.total_seconds() if seen.delay is not None else None,
    }


def corpus_to_dict(summary: CorpusSummary) -> dict[str, Any]:
    """Plain data: every phrase with its totals, first-seen list and days; every outlet with its cells."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "tool": {"name": "newscov", "version": __version__},
        "folder": summary.folder,
        "outlets_total": summary.outlets_total,
        "outlets_left_out": summary.outlets_left_out,
        "articles_read": summary.articles_read,
        "pages_unreadable": summary.pages_unreadable,
        "phrases": [
            {
                "id": phrase.id,
                "text": phrase.text,
                "renderings": list(phrase.renderings),
                "language": phrase.language,
                "outlets": stats.outlets,
                "articles": _counts(stats.articles),
                "first_seen": [_seen(s) for s in stats.first_seen],
                "first_seen_left_out": stats.first_seen_left_out,
                "days": [{"day": d.day.isoformat(), "articles": d.articles} for d in stats.days],
                "days_left_out": stats.days_left_out,
                "undated": stats.undated,
            }
            for phrase, stats in zip(summary.phrases, summary.stats, strict=True)
        ],
        "outlets": [
            {
                "outlet_id": row.outlet_id,
                "outlet": row.outlet,
                "read": row.read,
                "unreadable": row.unreadable,
                "first_published": _iso(row.first_published),
                "last_published": _iso(row.last_published),
                "carrying": row.carrying,
                "cells": [
                    {"phrase_id": phrase.id, **_counts(counts)}
                    for phrase, counts in zip(summary.phrases, row.cells, strict=True)
                ],
            }
            for row in summary.outlets
        ],
        "tasks": {
            "finished": summary.tasks.finished,
            "failed": summary.tasks.failed,
            "pages": summary.tasks.pages,
            "unreadable": summary.tasks.unreadable,
            "hits": summary.tasks.hits,
            "errors": [{"task": e.task, "file": e.file, "error": e.error} for e in summary.tasks.errors],
            "errors_left_out": summary.tasks.errors_left_out,
        },
    }


def corpus_to_json(summary: CorpusSummary, indent: int | None = 2) -> str:
    return dumps(corpus_to_dict(summary), indent=indent) + "\n"


# ── Markdown ──


def corpus_to_markdown(summary: CorpusSummary, outlets: int = 200, first_seen: int = 50, days: int = 60) -> str:
    """GitHub Markdown: the matrix (`outlets` rows), first seen (`first_seen` rows a phrase), the days (`days` rows
    a phrase) and the tasks; every untrusted string escaped, only http(s) URLs linked."""
    lines = ["# newscov corpus report", "", md(_short(summary.folder, 200)) + " · " + md(header_line(summary)), ""]
    lines += ["## Phrases", ""]
    for phrase, stats in zip(summary.phrases, summary.stats, strict=True):
        language = f" ({md(_short(phrase.language, 20))})" if phrase.language else ""
        lines.append(f"- **{md(_short(phrase.id, 40))}** {md(_short(phrase.text, TEXT_WIDTH))}{language}")
        if phrase.renderings:
            renderings = " / ".join(md(_short(r, TEXT_WIDTH)) for r in phrase.renderings[:10])
            lines.append(f"  - accepted renderings: {renderings}")
        lines.append(f"  - {md(carried_sentence(stats))}")
    legend = ", ".join(f"{glyph} {status}" for status, (glyph, _) in GLYPHS.items())
    about = f"Articles carrying each phrase ({legend}); 0: articles read, none carried it; —: no article read."
    lines += ["", "## Coverage matrix", "", about, ""]
    columns = " | ".join(md(_short(p.id, 40)) for p in summary.phrases)
    lines.append(f"| outlet | read | unreadable | {columns} |" if columns else "| outlet | read | unreadable |")
    lines.append("|---|---:|---:|" + "---|" * len(summary.phrases))
    for row in summary.outlets[:outlets]:
        name = md(_short(row.outlet, NAME_WIDTH))
        if one_line(row.outlet) != one_line(row.outlet_id):
            name += f" ({md(_short(row.outlet_id, NAME_WIDTH))})"
        cells = "".join(f" {md(cell_text(row, c))} |" for c in row.cells)
        lines.append(f"| {name} | {row.read} | {row.unreadable} |{cells}")
    hidden = summary.outlets_total - min(outlets, len(summary.outlets))
    if hidden:
        lines += ["", f"… and {hidden} more outlets (fewer articles read)."]
    lines += ["", "## First seen", ""]
    for phrase, stats in zip(summary.phrases, summary.stats, strict=True):
        lines += [f"### {md(_short(phrase.id, 40))} {md(_short(phrase.text, TEXT_WIDTH))}", ""]
        if not stats.first_seen:
            lines += ["No outlet carried it.", ""]
            continue
        lines += ["| # | outlet | published | after | status | article |", "|---:|---|---|---|---|---|"]
        for n, seen in enumerate(stats.first_seen[:first_seen], start=1):
            glyph = _glyph(seen.status)[0]
            article = md_link(_short(seen.title or "(no title)", TITLE_WIDTH), seen.url)
            if http(seen.url) is None:  # not a link: the address as text
                article += f" ({md(_short(seen.url, URL_WIDTH))})"
            lines.append(
                f"| {n} | {md(_short(seen.outlet, NAME_WIDTH))} | {md(when(seen.published, seen.precision))} | "
                f"{md(after(seen.delay))} | {glyph} {md(_short(seen.status, 20))} | {article} |"
            )
        more = stats.first_seen_left_out + max(0, len(stats.first_seen) - first_seen)
        lines += ["", f"… and {more} more outlets.", ""] if more else [""]
    lines += ["## Articles per day (UTC)", ""]
    for phrase, stats in zip(summary.phrases, summary.stats, strict=True):
        lines += [f"### {md(_short(phrase.id, 40))}", "", md(day_line(stats)), ""]
        if stats.days:
            lines += ["| day | articles |", "|---|---:|"]
            lines += [f"| {d.day} | {d.articles} |" for d in stats.days[:days]]
            if len(stats.days) > days:
                lines.append(f"| … {len(stats.days) - days} more days | |")
            lines.append("")
    tasks = summary.tasks
    lines += ["## Tasks", "", f"{tasks.finished} finished, {tasks.failed} with an error.", ""]
    if tasks.errors:
        lines += ["| file | error |", "|---|---|"]
        for error in tasks.errors:
            lines.append(
                f"| {md(_short(error.file or error.task, URL_WIDTH))} | {md(_short(error.error, TEXT_WIDTH))} |"
            )
        if tasks.errors_left_out:
            lines.append(f"| … {tasks.errors_left_out} more errors | |")
    return "\n".join(lines).rstrip("\n") + "\n"


# ── HTML ──

HTML_DAYS = 400  # day rows a phrase in the page


def _html_context(summary: CorpusSummary, outlets: int, first_seen: int) -> dict[str, Any]:
    phrases = []
    for index, (phrase, stats) in enumerate(zip(summary.phrases, summary.stats, strict=True)):
        top = max((d.articles for d in stats.days), default=0) or 1
        seen = [
            {
                "outlet": _short(s.outlet, NAME_WIDTH),
                "published": when(s.published, s.precision),
                "after": after(s.delay),
                "glyph": _glyph(s.status)[0],
                "status": _short(s.status, 20),
                "cls": "s-" + (s.status if s.status in GLYPHS else "other"),
                "title": _short(s.title or "(no title)", TITLE_WIDTH),
                "url": _short(s.url, URL_WIDTH),
                "link": http(s.url),
            }
            for s in stats.first_seen[:first_seen]
        ]
        phrases.append(
            {
                "id": _short(phrase.id, 40),
                "anchor": anchor("phrase", f"{index}"),
                "text": _short(phrase.text, TEXT_WIDTH),
                "language": _short(phrase.language, 20),
                "renderings": [_short(r, TEXT_WIDTH) for r in phrase.renderings[:10]],
                "carried": carried_sentence(stats),
                "seen": seen,
                "seen_more": stats.first_seen_left_out + max(0, len(stats.first_seen) - first_seen),
                "day_line": day_line(stats),
                "days": [(str(d.day), d.articles, round(100 * d.articles / top)) for d in stats.days[:HTML_DAYS]],
                "days_more": max(0, len(stats.days) - HTML_DAYS),
            }
        )
    rows = [
        {
            "outlet": _short(row.outlet, NAME_WIDTH),
            "detail": _short(row.outlet_id, NAME_WIDTH) if one_line(row.outlet) != one_line(row.outlet_id) else "",
            "read": row.read,
            "unreadable": row.unreadable,
            "span": f"{when(row.first_published)} – {when(row.last_published)}" if row.first_published else "",
            "cells": [
                {
                    "total": c.total,
                    "text": cell_text(row, c),
                    "cls": "zero" if row.read and not c.total else "none" if not c.total else "some",
                }
                for c in row.cells
            ],
        }
        for row in summary.outlets[:outlets]
    ]
    tasks = summary.tasks
    return {
        "folder": _short(summary.folder, 200),
        "summary": header_line(summary),
        "version": __version__,
        "legend": [(f"s-{status}", glyph, status) for status, (glyph, _) in GLYPHS.items()],
        "columns": [(p["id"], p["anchor"]) for p in phrases],
        "rows": rows,
        "hidden": summary.outlets_total - len(rows),
        "phrases": phrases,
        "tasks": {
            "finished": tasks.finished,
            "failed": tasks.failed,
            "errors": [(_short(e.file or e.task, URL_WIDTH), _short(e.error, TEXT_WIDTH)) for e in tasks.errors],
            "errors_left_out": tasks.errors_left_out,
        },
    }


def corpus_to_html(summary: CorpusSummary, outlets: int = 2000, first_seen: int = 200) -> str:
    """One self-contained page (no script, no external asset): the matrix (`outlets` rows), first seen
    (`first_seen` rows a phrase), the days as bars, the tasks."""
    return environment().get_template("corpus.html.j2").render(_html_context(summary, outlets, first_seen))
