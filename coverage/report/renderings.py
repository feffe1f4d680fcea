"""The renderings view: for one statement, how each outlet worded it, identical wordings grouped.

A group's wording is compared with the most common one (character diff on folded text, so script and
punctuation never count), and a rendering that drops or adds a negation or a hedge, changes a number or names
another speaker carries its flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..match.base import DECISIVE, MatchSettings, diff_texts, fold_for_matching
from ..models import DiffOp, Match, Phrase, Report, Status


@dataclass
class WordingGroup:
    """Outlets that rendered the statement in the same words (after folding)."""

    wording: str  # as the first outlet wrote it
    outlets: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    diff: tuple[DiffOp, ...] = ()  # against the most common wording (empty for that one)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for m in self.matches for f in m.flags))


@dataclass
class Renderings:
    phrase: Phrase
    groups: list[WordingGroup]
    others: list[tuple[str, Status, Match | None]]  # outlets without a rendering: uncertain, absent, no article, ...


def wants_view(report: Report, phrase: Phrase) -> bool:
    """A statement of --original, or a phrase some outlet carried in another language."""
    if phrase.source == "original":
        return True
    return any(m.phrase_id == phrase.id and m.status is Status.TRANSLATED for m in report.matches)


def renderings(report: Report, phrase: Phrase) -> Renderings:
    """The outlets' wordings of one phrase, grouped, the most common first."""
    settings = MatchSettings(aliases=report.event.aliases if report.event else ())
    groups: dict[str, WordingGroup] = {}
    others: list[tuple[str, Status, Match | None]] = []
    for outlet in report.outlets:
        status, match = report.cell(phrase.id, outlet.id)
        if match is None or status not in DECISIVE or not match.matched_text:
            others.append((outlet.id, status, match))
            continue
        key = fold_for_matching(match.matched_text, settings).text
        group = groups.setdefault(key, WordingGroup(match.matched_text))
        group.outlets.append(outlet.id)
        group.matches.append(match)
    ordered = sorted(groups.values(), key=lambda g: -len(g.outlets))
    if ordered:
        first = ordered[0].wording
        first_folded = fold_for_matching(first, settings)
        for group in ordered[1:]:
            group.diff = diff_texts(first, first_folded, group.wording, fold_for_matching(group.wording, settings))
    return Renderings(phrase, ordered, others)
