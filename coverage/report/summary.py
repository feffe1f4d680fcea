"""What every report format says first: what was compared (the header) and, per phrase, who carried it (tallies).

Shared by the terminal, Markdown, HTML, JSON and CSV renderers so that they never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import __version__
from ..models import Match, Outlet, Report, Status
from ..textnorm import one_line

FLAG = "⚑"  # the wording changes a negation, number, name, hedge or speaker: shown in the evidence
FLAG_WORDS = {
    "negation": "a negation",
    "number": "a number",
    "name": "a name or place",
    "hedge": "a hedge (may, 可能)",
    "speaker": "the speaker",
}
CARRIED = (Status.VERBATIM, Status.TRANSLATED, Status.NEAR, Status.PARTIAL)
# the outlet's article was read: the cell is a judgement about its text
READ = (*CARRIED, Status.UNCERTAIN, Status.ABSENT, Status.NOT_COMPARED)
SORTS = ("registry", "verdict", "name")


@dataclass(frozen=True, slots=True)
class Tally:
    """One phrase across the outlets: how many of those read carried it, and how; who did not, and why."""

    phrase_id: str
    read: int  # outlets whose article was read
    carried: int  # of those, verbatim + translated + near + partial
    by_status: tuple[tuple[Status, tuple[str, ...]], ...]  # status -> outlet ids, strongest first, only non-empty

    def outlets(self, status: Status) -> tuple[str, ...]:
        return next((ids for s, ids in self.by_status if s is status), ())

    def sentence(self, label: dict[str, str]) -> str:
        """'4 of 5 outlets read carried it: 1 verbatim, 3 translated; absent: Island Wire'."""
        return "".join(self.parts(label))

    def parts(self, label: dict[str, str]) -> tuple[str, str]:
        """The sentence as its head ('4 of 5 outlets read carried it') and the rest (': 1 verbatim, ...')."""
        head = f"{self.carried} of {self.read} outlet{'s' if self.read != 1 else ''} read carried it"
        how = ", ".join(f"{len(ids)} {s.value}" for s, ids in self.by_status if s in CARRIED)
        rest = "; ".join(
            f"{s.value}: {', '.join(label[i] for i in ids)}" for s, ids in self.by_status if s not in CARRIED
        )
        return head, (f": {how}" if how else "") + (f"; {rest}" if rest else "")


def tallies(report: Report) -> list[Tally]:
    out = []
    for phrase in report.phrases:
        groups: dict[Status, list[str]] = {}
        for outlet in report.outlets:
            groups.setdefault(report.cell(phrase.id, outlet.id)[0], []).append(outlet.id)
        by_status = tuple((s, tuple(groups[s])) for s in sorted(groups, key=lambda s: -s.rank))
        read = sum(len(ids) for s, ids in by_status if s in READ)
        carried = sum(len(ids) for s, ids in by_status if s in CARRIED)
        out.append(Tally(phrase.id, read, carried, by_status))
    return out


def sorted_outlets(report: Report, sort: str = "registry") -> list[Outlet]:
    """The matrix's rows: in registry (input) order, by verdict (most carried first), or by name."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    outlets = list(report.outlets)
    if sort == "name":
        return sorted(outlets, key=lambda o: o.label.casefold())
    if sort == "verdict":
        return sorted(outlets, key=lambda o: [-report.cell(p.id, o.id)[0].rank for p in report.phrases])
    return outlets


@dataclass(frozen=True, slots=True)
class Header:
    """What was compared: the event, its window, how many outlets and articles, how long it took."""

    title: str | None
    queries: tuple[str, ...]
    window: str | None  # "2026-03-01 00:00 – 2026-03-03 00:00 UTC"
    outlets: int
    searched: int  # outlets discovery searched (0 when the articles were given)
    phrases: int
    read: int  # articles read
    failed: int  # articles that could not be read
    seconds: float
    version: str
    finished: str  # ISO date-time, UTC, to the second


def header(report: Report) -> Header:
    event = report.event
    window = f"{event.start:%Y-%m-%d %H:%M} – {event.end:%Y-%m-%d %H:%M} UTC" if event and event.queries else None
    seconds = report.timings.get("total", (report.finished - report.started).total_seconds())
    return Header(
        title=event.title if event else None,
        queries=tuple(event.queries) if event else (),
        window=window,
        outlets=len(report.outlets),
        searched=len(report.discovery),
        phrases=len(report.phrases),
        read=len(report.articles),
        failed=sum(1 for f in report.failures if f.stage != "discover"),
        seconds=seconds,
        version=__version__,
        finished=f"{report.finished:%Y-%m-%d %H:%M:%S} UTC",
    )


def header_line(head: Header) -> str:
    """One line: 'newscov 0.1.0 · 2 phrases × 6 outlets (6 searched) · 5 articles read, 1 failed · 0.9 s'."""
    phrases = f"{head.phrases} phrase{'s' if head.phrases != 1 else ''}"
    parts = [f"newscov {head.version}", f"{phrases} × {head.outlets} outlet{'s' if head.outlets != 1 else ''}"]
    if head.searched:
        parts[-1] += f" ({head.searched} searched)"
    parts.append(f"{head.read} article{'s' if head.read != 1 else ''} read, {head.failed} failed")
    parts.append(f"{head.seconds:.1f} s")
    return " · ".join(parts)


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "'-")


def widened(report: Report, match: Match, limit: int = 40) -> str:
    """The matched text (or best candidate) grown to whole words, on one line: a fuzzy window can begin or end
    inside a Latin word ("lations between"), which reads as a mistake."""
    text = match.matched_text or ""
    article = report.article(match.article_url)
    if not text or match.span is None or article is None or article.text[slice(*match.span)] != text:
        return one_line(text)
    body, (start, end) = article.text, match.span
    low, high = max(0, start - limit), min(len(body), end + limit)
    while start > low and _latin(body[start - 1]) and _latin(body[start]):
        start -= 1
    while end < high and _latin(body[end]) and _latin(body[end - 1]):
        end += 1
    return one_line(body[start:end])


def flag_words(flag: str) -> str:
    """What a flag means in words ("a negation"); a flag newscov does not know (from an edited report.json) as text."""
    return FLAG_WORDS.get(flag) or one_line(flag)


def changes_text(match: Match) -> str:
    """What a flagged wording changes: 'a number (2 added) and a hedge (may, 可能) (could added)'."""
    changes = (*match.changes, *[""] * len(match.flags))
    return " and ".join(
        flag_words(flag) + (f" ({one_line(change)})" if change else "")
        for flag, change in zip(match.flags, changes, strict=False)
    )


def how(match: Match) -> str:
    """The verdict with its score (or share carried) and method: 'near, score 86, by fuzzy'."""
    parts = [match.status.value]
    if match.status is Status.PARTIAL and match.share is not None:
        parts.append(f"{match.share:.0%} of the phrase carried")
    elif match.status not in (Status.UNAVAILABLE, Status.NOT_COMPARED):
        parts.append(f"score {match.score:.0f}")
    if match.method.value != "none":
        parts.append(f"by {match.method.value}")
    return ", ".join(parts)


def http(url: str | None) -> str | None:
    """The URL if it may be a link (http or https), else None (a file path, a javascript: trick)."""
    url = one_line(url or "")
    return url if re.match(r"https?://", url, re.IGNORECASE) else None
