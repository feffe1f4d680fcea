"""Report -> one self-contained HTML page to share: header, tallies, the matrix as a table, the evidence per cell,
the renderings, the articles linked. No external asset (inline CSS, a few lines of inline script to filter and
sort the matrix; the page reads fully without it); a Content-Security-Policy forbids the page any request.

The page is a jinja2 template with autoescaping: text from articles and outlets (titles, labels, names, but also
phrase and outlet ids from event files and archived report.json files) only ever reaches it as data, cleaned of
control and bidi characters; ids reach `id` and `href="#..."` attributes only as slugs (`anchor`), so that no id can
take the place of the page's own elements; only http(s) URLs become links.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..models import Match, Outlet, Phrase, Report, Status, iso
from ..textnorm import clean_display, flat, one_line
from .renderings import renderings, wants_view
from .summary import (
    CARRIED,
    FLAG,
    changes_text,
    flag_words,
    header,
    header_line,
    how,
    http,
    sorted_outlets,
    tallies,
    widened,
)
from .terminal import SCORED, STYLES

TEXT_CAP = 50_000  # characters of each article's text kept in the page (the JSON keeps it all)


@functools.cache
def environment() -> jinja2.Environment:
    """The report templates (coverage/report/templates), autoescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("coverage.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_UNSAFE_ID = {True: re.compile(r"[^A-Za-z0-9_-]"), False: re.compile(r"[^A-Za-z0-9_]")}


def _slug(part: str, dash: bool) -> str:
    """An id as it may stand in an HTML id: ASCII letters, digits, _ (and - when `dash`) as they are, any other
    character as .hex. (the dots make it reversible: two ids never share a slug)."""
    return _UNSAFE_ID[dash].sub(lambda found: f".{ord(found.group()):x}.", part)


def anchor(prefix: str, *parts: str) -> str:
    """An element id for a phrase (and outlet): `prefix-p1`, `e-p1-tidewater`. Every part but the last has its -
    encoded as well, so that the parts can be told apart (p-1 + x is not p + 1-x)."""
    slugs = [_slug(part, dash=index == len(parts) - 1) for index, part in enumerate(parts)]
    return "-".join([prefix, *slugs])


def css_class(status: Status) -> str:
    return "s-" + status.name.lower().replace("_", "-")


@dataclass
class Cell:
    status: Status
    cls: str
    glyph: str
    score: str
    flagged: bool
    anchor: str


@dataclass
class Evidence:
    outlet: str
    status: Status
    cls: str
    glyph: str
    how: str
    anchor: str
    url: str
    link: str | None
    headline: bool
    context: tuple[str, str, str] | None = None  # before, match, after
    wording: str = ""
    label: str = ""  # what the wording is: "closest wording, too weak to count", "best candidate: check it"
    diff: list[tuple[str, str, str]] = field(default_factory=list)  # op, phrase's text, article's text
    carried: list[tuple[bool, str]] = field(default_factory=list)  # (carried word for word?, part of the phrase)
    rendering: str = ""
    flags: str = ""
    note: str = ""
    aligner: str = ""


def _split(context: str, matched: str) -> tuple[str, str, str] | None:
    context, matched = one_line(context), one_line(matched)
    start = context.find(matched) if matched else -1
    if start < 0:
        return (context, "", "") if context else None
    return context[:start], matched, context[start + len(matched) :]


def _carried(phrase: str, match: Match) -> list[tuple[bool, str]]:
    parts, position = [], 0
    for piece in match.pieces:
        found = phrase.find(piece.phrase, position)
        if found < 0:
            continue
        parts += [(False, phrase[position:found]), (True, piece.phrase)]
        position = found + len(piece.phrase)
    return [(carried, flat(part)) for carried, part in (*parts, (False, phrase[position:]))]


def _evidence(report: Report, match: Match, phrase: Phrase, outlet: Outlet, n: int = 1) -> Evidence:
    """The evidence of one match; `n`: its place among the outlet's matches of the phrase (the matrix cell links to
    the first, the best; the others get ids of their own, e2-p1-cna, e3-...)."""
    glyph = STYLES[match.status][0]
    item = Evidence(
        outlet=one_line(outlet.label),
        status=match.status,
        cls=css_class(match.status),
        glyph=glyph,
        how=how(match),
        anchor=anchor("e" if n == 1 else f"e{n}", phrase.id, outlet.id),
        url=one_line(match.article_url),
        link=http(match.article_url),
        headline=match.where == "headline",
        rendering=one_line(match.rendering or ""),
        note=one_line(match.note or ""),
    )
    wording = widened(report, match)
    if match.status is Status.ABSENT:
        item.wording, item.label = wording, "closest wording, too weak to count"
    elif match.status is Status.UNCERTAIN:
        item.wording, item.label = wording, "best candidate: a person should check it"
    elif match.status in CARRIED:
        item.wording, item.label = wording, "wording"
        if match.context and match.matched_text:
            item.context = _split(match.context, match.matched_text)
    if match.diff and match.status in (Status.NEAR, Status.TRANSLATED):
        item.diff = [(op.op, flat(op.phrase), flat(op.article)) for op in match.diff]
    if match.pieces:
        item.carried = _carried(phrase.text, match)
    item.flags = changes_text(match)
    if match.method.value == "aligner" and match.signals:
        signals = ", ".join(f"{one_line(name)} {value:.2f}" for name, value in match.signals if value)
        confidence = f"confidence {match.confidence:.2f}; " if match.confidence is not None else ""
        rank = f"encoder rank {match.rank}, " if match.rank is not None else ""
        margin = f"margin {match.margin:.2f}; " if match.margin is not None else ""
        item.aligner = f"{confidence}{rank}{margin}{signals}"
    return item


def _context(report: Report, sort: str, view: str) -> dict[str, Any]:
    outlets = sorted_outlets(report, sort)
    labels = {o.id: one_line(o.label) for o in report.outlets}
    counted = {t.phrase_id: t for t in tallies(report)}
    rows = []
    for outlet in outlets:
        cells = []
        for phrase in report.phrases:
            status, match = report.cell(phrase.id, outlet.id)
            score = f"{match.score:.0f}" if match and status in SCORED and match.score < 100 else ""
            link = anchor("e", phrase.id, outlet.id) if match else ""
            cells.append(Cell(status, css_class(status), STYLES[status][0], score, bool(match and match.flags), link))
        detail = [x for x in (outlet.id, outlet.script or outlet.language, outlet.country) if x]
        rows.append({"label": labels[outlet.id], "detail": " · ".join(one_line(d) for d in detail), "cells": cells})
    phrases = []
    for phrase in report.phrases:
        tally = counted[phrase.id]
        evidence = [
            _evidence(report, m, phrase, outlet, n)
            for outlet in outlets
            for n, m in enumerate(report.matches_of(phrase.id, outlet.id), start=1)
        ]
        phrases.append(
            {
                "id": one_line(phrase.id),
                "anchor": anchor("phrase", phrase.id),
                "renderings_anchor": anchor("renderings", phrase.id),
                "text": one_line(phrase.text),
                "speaker": one_line(phrase.speaker or ""),
                "renderings": [one_line(r) for r in phrase.renderings],
                "tally": tally.parts(labels),
                "carried": tally.carried,
                "read": tally.read,
                "evidence": evidence,
                "renderings_view": _renderings(report, phrase, labels) if wants_view(report, phrase) else None,
                "quotes": _quote_groups(report, phrase, outlets, labels) if view == "quotes" else None,
            }
        )
    articles = [
        {
            "outlet": labels[a.outlet_id],
            "title": one_line(a.title or "(no title)"),
            "url": one_line(a.final_url or a.url),
            "link": http(a.final_url or a.url),
            "published": one_line(iso(a.published) or ""),
            "author": one_line(a.author or ""),
            "chars": len(a.text),
            "sha256": one_line(a.sha256),  # as read from a report.json: any text
            "fetched": f"{a.fetched_at:%Y-%m-%d %H:%M} UTC",
            "text": clean_display(a.text[:TEXT_CAP]),
            "cut": TEXT_CAP if len(a.text) > TEXT_CAP else 0,
            "notes": [one_line(n) for n in a.notes],
            "reprint_of": labels.get(a.reprint_of or "", one_line(a.reprint_of or "")),
        }
        for a in report.articles
    ]
    failures = [
        {"outlet": labels[f.outlet_id], "reason": one_line(f.reason), "url": one_line(f.url), "link": http(f.url)}
        for f in report.failures
    ]
    head = header(report)
    head = dataclasses.replace(
        head, title=one_line(head.title) if head.title else None, queries=tuple(one_line(q) for q in head.queries)
    )
    return {
        "head": head,
        "summary": header_line(head),
        "view": view,
        "notes": [one_line(n) for n in report.notes],
        "legend": [(css_class(s), glyph, s.value) for s, (glyph, _) in STYLES.items()],
        "flag": FLAG,
        "columns": [(one_line(p.id), anchor("phrase", p.id)) for p in report.phrases],
        "rows": rows,
        "phrases": phrases,
        "articles": articles,
        "failures": failures,
    }


def _renderings(report: Report, phrase: Phrase, labels: dict[str, str]) -> dict[str, Any]:
    view = renderings(report, phrase)
    groups = [
        {
            "outlets": ", ".join(labels[o] for o in g.outlets),
            "parts": [(op.op != "equal", one_line(op.article)) for op in g.diff if op.article]
            if g.diff
            else [(False, one_line(g.wording))],
            "statuses": " / ".join(sorted({m.status.value for m in g.matches})),
            "flags": ", ".join(flag_words(f) for f in g.flags),
            "headline": any(m.where == "headline" for m in g.matches),
        }
        for g in view.groups
    ]
    others = [
        {
            "outlet": labels[o],
            "cls": css_class(s),
            "glyph": STYLES[s][0],
            "status": s.value,
            "candidate": one_line(m.matched_text or "") if s is Status.UNCERTAIN and m else "",
        }
        for o, s, m in view.others
    ]
    return {"groups": groups, "others": others}


def _quote_groups(report: Report, phrase: Phrase, outlets: list[Outlet], labels: dict[str, str]) -> dict[str, Any]:
    carried: list[tuple[str, str, str, str]] = []
    missing: list[tuple[str, str, str, str]] = []
    unread: list[tuple[str, str, str, str]] = []
    for outlet in outlets:
        status, _ = report.cell(phrase.id, outlet.id)
        item = (css_class(status), STYLES[status][0], labels[outlet.id], status.value)
        (carried if status in CARRIED else missing if status is Status.ABSENT else unread).append(item)
    return {"carried": carried, "missing": missing, "unread": unread}


def report_to_html(report: Report, sort: str = "registry", view: str = "compare") -> str:
    """The report as one self-contained HTML page."""
    return environment().get_template("report.html.j2").render(_context(report, sort, view))
