"""Registry views for `newscov sources`: the outlets table, one outlet's panel, live probe results.

A registry file is written by anyone (a user's file, one passed with --sources): every value in it, and every file
name, reaches rich only as `Text` after `one_line` (never as markup: no escape sequence, no OSC 8 link or OSC 52
clipboard write, no bidi control gets through), HTML only autoescaped and cleaned, Markdown only through `md()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Feed, Outlet, SearchTemplate
from ..probe import Probe
from ..textnorm import one_line


def _lines(values: Iterable[str]) -> Text:
    """Values from a registry file, one a line, as text."""
    return Text("\n".join(one_line(v) for v in values))


def outlet_to_dict(outlet: Outlet) -> dict[str, Any]:
    data = asdict(outlet)
    data["access"] = dict(outlet.access)
    return data


def outlets_table(outlets: Sequence[Outlet], files: Iterable[str]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"{len(outlets)} outlets",
        caption=Text("F/S/Q: feeds, sitemaps and site searches known; from " + ", ".join(one_line(f) for f in files)),
    )
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("outlet", overflow="fold")
    table.add_column("script", no_wrap=True)
    table.add_column("cc", no_wrap=True)
    table.add_column("domains", overflow="fold")
    table.add_column("F/S/Q", justify="right", no_wrap=True)
    for outlet in outlets:
        name = Text(one_line(outlet.label))
        if outlet.native_name:
            name.append("\n" + one_line(outlet.name), style="dim")
        table.add_row(
            Text(one_line(outlet.id)),
            name,
            _lines(outlet.scripts) if outlet.scripts else Text(one_line(outlet.language or "")),
            Text(one_line(outlet.country or "")),
            _lines(outlet.domains),
            Text(f"{len(outlet.feeds)}/{len(outlet.sitemaps)}/{len(outlet.search)}"),
        )
    return table


def outlet_panel(outlet: Outlet) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: str | None) -> None:
        # a value of several lines (feeds, regexes) keeps its line breaks; every line is cleaned
        if value:
            grid.add_row(Text(one_line(label)), Text("\n".join(one_line(line) for line in value.split("\n"))))

    row("name", outlet.name)
    row("native name", outlet.native_name)
    row("language", " / ".join(x for x in (outlet.language, "/".join(outlet.scripts)) if x))
    row("country", outlet.country)
    row("time zone", outlet.timezone)
    row("kind", outlet.kind)
    row("homepage", outlet.homepage)
    row("domains", ", ".join(outlet.domains))
    row("defunct", outlet.defunct)
    row("discovery", " → ".join(outlet.discovery) if any((outlet.feeds, outlet.sitemaps, outlet.search)) else None)
    for label, feeds in (("feeds", outlet.feeds), ("sitemaps", outlet.sitemaps)):
        row(label, "\n".join(f"{f.url}{'  ' + f.label if f.label else ''}  {_checked(f)}" for f in feeds))
    row("search", "\n".join(f"{s.template}  [{s.kind}]  {_checked(s)}" for s in outlet.search))
    row("article URL", outlet.article_pattern)
    row("canonical id", outlet.canonical_id)
    row("min interval", f"{outlet.min_interval_s:g} s between requests to one host" if outlet.min_interval_s else None)
    hints = outlet.hints
    row("title suffix", hints.title_suffix)
    row("bylines", "\n".join(hints.bylines))
    row("datelines", "\n".join(hints.datelines))
    row("author xpath", hints.author_xpath)
    row("body xpath", hints.body_xpath)
    row("prune xpath", "\n".join(hints.prune_xpath))
    row("drop lines", "\n".join(hints.drop_lines))
    for key, value in outlet.access:
        row(key.replace("_", " "), value)
    row("notes", outlet.notes)
    return Panel(grid, title=Text(f"{one_line(outlet.id)}  {one_line(outlet.label)}", style="bold"), title_align="left")


def _checked(entry: Feed | SearchTemplate) -> str:
    """ "(ok, checked 2026-09-03)", "(dead, checked …: never requested)" or "(unverified)"."""
    if entry.status == "unknown":
        return "(unverified)"
    day = f", checked {entry.checked}" if entry.checked else ""
    return f"({entry.status}{day}{': never requested' if entry.status == 'dead' else ''})"


def probes_table(probes: Sequence[Probe]) -> Group:
    table = Table(box=box.SIMPLE_HEAD)
    for column in ("outlet", "kind", "", "url / result"):
        table.add_column(column, overflow="fold")
    for probe in probes:
        mark = Text("✓", style="bold green") if probe.ok else Text("✗", style="bold red")
        detail = Text(one_line(probe.url)).append("\n" + one_line(probe.detail), style="dim" if probe.ok else "red")
        table.add_row(Text(one_line(probe.outlet_id)), Text(one_line(probe.kind)), mark, detail)
    return Group(table)


OUTLET_COLUMNS = ("id", "name", "native_name", "language", "scripts", "country", "kind", "domains", "homepage",
                  "feeds", "sitemaps", "searches")  # fmt: skip


def _outlet_row(outlet: Outlet) -> tuple[str, ...]:
    return (
        outlet.id,
        outlet.name,
        outlet.native_name or "",
        outlet.language or "",
        " ".join(outlet.scripts),
        outlet.country or "",
        outlet.kind or "",
        " ".join(outlet.domains),
        outlet.homepage or "",
        str(len(outlet.feeds)),
        str(len(outlet.sitemaps)),
        str(len(outlet.search)),
    )


def outlets_to_csv(outlets: Sequence[Outlet]) -> str:
    from .csvfile import rows_to_csv

    return rows_to_csv(OUTLET_COLUMNS, [_outlet_row(o) for o in outlets])


def outlets_to_markdown(outlets: Sequence[Outlet]) -> str:
    from .markdown import md, md_link

    lines = [f"# {len(outlets)} outlets", "", "| id | outlet | script | country | homepage | feeds/sitemaps/searches |"]
    lines.append("|---|---|---|---|---|---|")
    for outlet in outlets:
        name = md(outlet.label) + (f" ({md(outlet.name)})" if outlet.native_name else "")
        home = md_link(outlet.homepage, outlet.homepage) if outlet.homepage else ""
        counts = f"{len(outlet.feeds)}/{len(outlet.sitemaps)}/{len(outlet.search)}"
        lines.append(
            f"| {md(outlet.id)} | {name} | {md(' '.join(outlet.scripts))} | {md(outlet.country)} | {home} | {counts} |"
        )
    return "\n".join(lines) + "\n"


def outlets_to_html(outlets: Sequence[Outlet]) -> str:
    from .html import environment
    from .summary import http

    rows = [(tuple(one_line(value) for value in _outlet_row(o)), http(o.homepage)) for o in outlets]
    return environment().get_template("outlets.html.j2").render(columns=OUTLET_COLUMNS, rows=rows)
