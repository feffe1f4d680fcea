"""Publication and update times: metadata first, then visible datelines, in the outlet's time zone."""

from __future__ import annotations

import html as htmlmod
import re
from collections.abc import Iterable
from datetime import datetime

from ..models import ExtractHints
from .base import _compiled
from .meta import _Meta

GENERIC_DATELINES = (
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:(?P<ampm>上午|下午)\s*)?"
    r"(?:(?P<H>\d{1,2})[:：時](?P<M>\d{2}))?",
    r"(?P<y>\d{4})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    # November 1, 2025 (6:16 PM)
    r"\b(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2}),\s+(?P<y>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?",
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}

_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?:(?P<ampm>上午|下午)\s*)?(?P<H>\d{1,2})[:：時](?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)


def _iso(found: re.Match[str], timezone: str | None) -> tuple[str, bool] | None:
    """ISO 8601 to the minute from a match with y, m, d (H, M, ampm, tz optional); (text, has_time)."""
    groups = found.groupdict()
    try:
        month_text = groups["m"]
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3].lower()]
        year, day = int(groups["y"]), int(groups["d"])
        hour = int(groups["H"]) if groups.get("H") else None
        minute = int(groups["M"]) if groups.get("M") else 0
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if hour is not None and ampm in ("下午", "pm") and hour < 12:
            hour += 12
        if hour == 12 and ampm in ("上午", "am"):
            hour = 0
        moment = datetime(year, month, day, hour or 0, minute)
    except (TypeError, ValueError, KeyError):
        return None
    if not 1990 <= year <= 2100:
        return None
    if hour is None:
        return moment.strftime("%Y-%m-%d"), False
    text = moment.strftime("%Y-%m-%dT%H:%M")
    zone = groups.get("tz")
    if zone:
        offset = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
        return text + offset, True
    if timezone:
        from zoneinfo import ZoneInfo

        offset_text = moment.replace(tzinfo=ZoneInfo(timezone)).strftime("%z")
        return f"{text}{offset_text[:3]}:{offset_text[3:]}", True
    return text, True


def parse_time(value: str, timezone: str | None = None) -> tuple[str, bool] | None:
    """Normalise a date or date-time as pages write it (ISO, 2016/03/19 08:15, 2025年11月1日 18:16)."""
    found = _TIME.search(htmlmod.unescape(value))
    return _iso(found, timezone) if found else None


def _prefer_timed(parsed: Iterable[tuple[str, bool] | None]) -> str | None:
    """The first value with a time of day; failing that, the first with a date alone."""
    day_only: str | None = None
    for item in parsed:
        if item and item[1]:
            return item[0]
        if item and day_only is None:
            day_only = item[0]
    return day_only


def _first_time(values: Iterable[str], timezone: str | None) -> str | None:
    return _prefer_timed(parse_time(value, timezone) for value in values)


def _dateline(text: str, patterns: Iterable[str], timezone: str | None) -> str | None:
    return _prefer_timed(_iso(found, timezone) for pattern in patterns for found in _compiled(pattern).finditer(text))


def publication_times(meta: _Meta, hints: ExtractHints, timezone: str | None) -> tuple[str | None, str | None]:
    """(published, updated): metadata first, then the outlet's and the generic visible datelines."""
    published = _first_time(meta.published, timezone)
    if published is None or "T" not in published:
        visible = _dateline(meta.visible[:6000], (*hints.datelines, *GENERIC_DATELINES), timezone)
        if visible and (published is None or ("T" in visible and visible.startswith(published))):
            published = visible
    return published, _first_time(meta.modified, timezone)


# ── author ──
