"""Publication and update times: metadata first, then the article's own <time>, then visible datelines by the
headline, then the URL's day and htmldate's; always the day and minute in the outlet's time zone, or else with the
page's own offset (never converted to UTC).

A page's own date is told apart from the dates of the other articles it lists: `<time>` elements in teaser, related,
sidebar, comment and footer blocks are not read (see `meta._page_times`), a generic visible dateline counts only on a
line of its own next to the headline, not after an update label, and one labelled as the publication date there wins
over the metadata. A metadata time written in UTC is not the page's day: when the outlet's time zone is unknown, the
same instant written elsewhere on the page with its local offset, a local reading of it, the visible dateline or the
URL's day gives it. htmldate comes last, run on the parsed page only when nothing above dates it: on the evaluation
set it beats dates found far from the headline."""

from __future__ import annotations

import functools
import html as htmlmod
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from email.utils import parsedate_to_datetime
from typing import Any

from ..models import ExtractHints, Timestamp
from .base import _compiled
from .meta import _Meta

# Month names as pages write them (English, German, French, Spanish, Italian, Portuguese, Dutch), with abbreviations.
_MONTH_WORDS = (
    "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari",
    "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari",
    "march mar märz maerz mär mars marzo março marco maart mrt",
    "april apr avril avr abril abr aprile",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno junho",
    "july jul juli juillet juil julio luglio julho",
    "august aug août aout agosto ago augustus",
    "september sep sept septembre septiembre setiembre settembre setembro set",
    "october oct oktober okt octobre octubre ottobre outubro out",
    "november nov novembre noviembre novembro",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
)
_MONTHS = {word: number for number, words in enumerate(_MONTH_WORDS, start=1) for word in words.split()}
# any word of a month's length, checked against _MONTHS after the match (an alternation of the names is slow)
_MONTH_WORD = r"[^\W\d_]{3,10}+"
# a time after a date: "18:16", "at 6:16 PM", "um 14:30 Uhr", "| 21:25", "a las 9:05"
_CLOCK = (
    r"(?:[\s,|·•–-]{0,6}(?:at|um|a\s+las|à|às|alle|om|kl\.)?\s*(?P<H>\d{1,2})[:：h](?P<M>\d{2})(?!\d)"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\b\.?))?)?"
)

GENERIC_DATELINES = (
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:(?P<ampm>上午|下午)\s*)?"
    r"(?:(?P<H>\d{1,2})[:：時](?P<M>\d{2}))?",
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?![\d.])(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    # November 1, 2025 (6:16 PM); Nov. 1, 2025
    rf"(?i)\b(?P<m>{_MONTH_WORD})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b{_CLOCK}",
    # 1 November 2025, 1. November 2025, 1er novembre 2025, 1 de noviembre de 2025
    rf"(?i)(?<![\d.])(?P<d>\d{{1,2}})(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+)?(?P<m>{_MONTH_WORD})\.?,?\s+(?:de\s+)?"
    rf"(?P<y>(?:19|20)\d{{2}})\b{_CLOCK}",
    # 01.11.2025
    rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<y>(?:19|20)\d{{2}})(?![\d.]){_CLOCK}",
)

_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?:(?P<ampm>上午|下午)\s*)?(?P<H>\d{1,2})[:：時](?P<M>\d{2})(?::(?P<S>\d{2}))?(?:[.,]\d+)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
)
_RFC_2822 = re.compile(r"^\s*(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
# A date-time with its offset anywhere in the page's source (scripts, attributes): where a UTC time is written local.
_OFFSET_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:[+-]\d{2}:?\d{2})")
_SOURCE_SCAN = 200  # at most this many occurrences of a day are looked at in a page's source
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)")

# A generic visible dateline is the page's own only next to its headline (measured on the evaluation set); further
# down the page dates belong to the story's events, teasers and comments.
NEAR_BEFORE = 200
NEAR_AFTER = 1200
# A generic dateline stands on a line of its own, with a label and a byline at most ("Published 1 May 2025, 10:00").
DATELINE_LINE = 80
_LOWER_WORD = re.compile(r"(?<!\w)[a-zäöüßàâçéèêëîïôûùüÿñæœ]{2,}")
# Labels before a visible date: a publication label makes it the page's own; an update label, not a publication date.
_LABELS = re.compile(
    r"(?i)(?P<published>published|publiziert|publicad[oa]|publicaci[óo]n|publiée?|pubblicato|veröffentlicht|erschien|erschein"
    r"|posted|gepostet|geschrieben|written|erstellt|created)"
    r"|(?P<updated>updat|aktualisiert|stand\b|geändert|modifi|actualiz|mis à jour|aggiornat|revised|edited)"
)
# Offsets a place can have from UTC (UTC-12 to UTC+14).
_EARLIEST, _LATEST = timedelta(hours=-12), timedelta(hours=14)


@dataclass(frozen=True)
class Stamp:
    """A time as a page wrote it: the wall-clock reading, and its UTC offset when the page gave one."""

    wall: datetime  # naive
    timed: bool
    offset: timedelta | None = None
    seconds: bool = False  # written to the second

    @property
    def day(self) -> str:
        return self.wall.strftime("%Y-%m-%d")

    @property
    def instant(self) -> datetime | None:
        return None if self.offset is None else self.wall - self.offset

    def at(self, offset: timedelta) -> Stamp:
        """The same instant on the clock of another offset (only for stamps with an offset)."""
        assert self.offset is not None
        return Stamp(self.wall - self.offset + offset, True, offset, self.seconds)

    def day_only(self) -> Stamp:
        return Stamp(self.wall.replace(hour=0, minute=0, second=0), False)


def timestamp(stamp: Stamp, timezone: str | None) -> Timestamp:
    """The record of a stamp: in the outlet's time zone when it is known, else with the page's own offset."""
    if timezone:
        from zoneinfo import ZoneInfo

        zone: tzinfo = ZoneInfo(timezone)
    elif stamp.offset is not None:
        zone = dt_timezone(stamp.offset)
    else:
        zone = UTC
    if not stamp.timed:
        return Timestamp(stamp.wall.replace(hour=0, minute=0, second=0, tzinfo=zone), "day")
    instant = stamp.instant
    if instant is not None:
        return Timestamp(instant.replace(tzinfo=UTC).astimezone(zone))
    return Timestamp(stamp.wall.replace(tzinfo=zone), zoned=bool(timezone))


def render(stamp: Stamp, timezone: str | None) -> str:
    """ISO 8601 to the minute: in the outlet's time zone when it is known, else with the page's own offset."""
    return timestamp(stamp, timezone).isoformat()


def _from_groups(groups: dict[str, str | None]) -> Stamp | None:
    """A Stamp from y, m, d (H, M, S, ampm, tz optional) as a pattern matched them; None for no real date."""
    try:
        month_text = groups["m"] or ""
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower().rstrip(".")]
        year, day = int(groups["y"] or ""), int(groups["d"] or "")
        hour_text, minute_text, second_text = groups.get("H"), groups.get("M"), groups.get("S")
        hour = int(hour_text) if hour_text else None
        minute = int(minute_text) if minute_text else 0
        second = int(second_text) if second_text else 0
        ampm = (groups.get("ampm") or "").lower().replace(".", "").replace(" ", "")
        if hour is not None and ampm in ("下午", "pm") and hour < 12:
            hour += 12
        if hour == 12 and ampm in ("上午", "am"):
            hour = 0
        wall = datetime(year, month, day, hour or 0, minute, second)
    except (TypeError, ValueError, KeyError):
        return None
    if not 1990 <= year <= 2100 or wall > datetime.now() + timedelta(days=2):
        return None
    if hour is None:
        return Stamp(wall, False)
    zone = groups.get("tz")
    offset = None
    if zone:
        if zone in ("Z", "UTC", "GMT"):
            offset = timedelta(0)
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return Stamp(wall, True, offset, bool(groups.get("S")))


def parse_stamp(value: str) -> Stamp | None:
    """A date or date-time as pages write it (ISO 8601, 2016/03/19 08:15, 2025年11月1日 18:16, RFC 2822)."""
    text = htmlmod.unescape(value)
    if _RFC_2822.match(text):
        try:
            moment = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None and 1990 <= moment.year <= 2100:
            offset = moment.utcoffset()
            return Stamp(moment.replace(tzinfo=None), True, offset, True)
    found = _TIME.search(text)
    return _from_groups(found.groupdict()) if found else None


def parse_time(value: str, timezone: str | None = None) -> tuple[str, bool] | None:
    """Normalise a date or date-time as pages write it; (ISO text, has a time of day)."""
    stamp = parse_stamp(value)
    return (render(stamp, timezone), stamp.timed) if stamp else None


def _choose(stamps: Iterable[Stamp]) -> Stamp | None:
    """The first (most trusted) stamp; a day alone takes the time of a later stamp of the same day."""
    chosen: Stamp | None = None
    for stamp in stamps:
        if chosen is None:
            chosen = stamp
            if chosen.timed:
                return chosen
        elif stamp.timed and stamp.day == chosen.day:
            return stamp
    return chosen


def _parsed(values: Iterable[str]) -> Iterator[Stamp]:
    return (stamp for stamp in map(parse_stamp, values) if stamp is not None)


def _datelines(
    text: str, patterns: Iterable[str], generic: int = 0, headline: tuple[int, int] = (0, 0)
) -> list[tuple[Stamp, bool]]:
    """The datelines in `text`, each with whether a publication label ("Published", "Veröffentlicht am") comes just
    before it: the outlet's patterns first, then labelled ones, then in reading order from the headline on (a date
    above it is more often the day's date in the site's header). The last `generic` patterns count only on a line of
    their own (a date in a sentence is an event's, not the page's), outside the headline, and not after an update
    label ("Updated", "Aktualisiert am")."""
    patterns = tuple(patterns)
    found: list[tuple[tuple[int, ...], Stamp, bool]] = []
    for rank, pattern in enumerate(patterns):
        is_generic = rank >= len(patterns) - generic
        for match in _compiled(pattern).finditer(text):
            if is_generic and (headline[0] <= match.start() < headline[1] or not _own_line(text, match)):
                continue
            labels = list(_LABELS.finditer(text[max(0, match.start() - 30) : match.start()]))
            label = labels[-1].lastgroup if labels else None
            if is_generic and label == "updated":
                continue
            stamp = _from_groups(match.groupdict())
            if stamp is None:
                continue
            labelled = label == "published"
            order = (int(is_generic), int(not labelled), int(match.start() < headline[0]), match.start(), rank)
            found.append((order, stamp, labelled))
    return [(stamp, labelled) for _, stamp, labelled in sorted(found, key=lambda item: item[0])]


def _own_line(text: str, match: re.Match[str]) -> bool:
    """Whether a date stands on a line of its own, give or take a label, a byline and a time."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end >= 0 else len(text)]
    rest = line[: match.start() - start] + " " + line[match.end() - start :]
    return len(line) <= DATELINE_LINE and len(_LOWER_WORD.findall(rest)) < 4


def _plausible(offset: timedelta) -> bool:
    return _EARLIEST <= offset <= _LATEST and offset != timedelta(0) and offset % timedelta(minutes=15) == timedelta(0)


def _url_day(url: str | None) -> Stamp | None:
    found = _URL_DATE.search(url or "")
    return _from_groups({"y": found[1], "m": found[2], "d": found[3]}) if found else None


def _local_day(utc: Stamp, day: Stamp) -> bool:
    """Whether `day` (a day alone) can be the local day of the UTC time `utc` at a real offset, other than UTC's."""
    assert utc.instant is not None
    shift = (day.wall - utc.wall.replace(hour=0, minute=0, second=0)).days
    if shift == 1:
        return utc.wall + _LATEST >= day.wall
    if shift == -1:
        return utc.wall + _EARLIEST < utc.wall.replace(hour=0, minute=0, second=0)
    return False


def _localise(utc: Stamp, candidates: Iterable[Stamp], near: list[Stamp], url: str | None, html: str | None) -> Stamp:
    """A UTC time as the page's readers saw it, when the page tells: the same instant written with its local
    offset (in the metadata, the page's <time> or anywhere in its source), a local reading of it to the second,
    the dateline by the headline, or the URL's day. Else the UTC time itself."""
    instant = utc.instant
    assert instant is not None
    naive: list[Stamp] = []
    for stamp in candidates:
        if stamp.instant is not None:
            if stamp.offset and stamp.instant == instant:
                return stamp
        elif stamp.timed and stamp.seconds and utc.seconds and _plausible(stamp.wall - instant):
            naive.append(stamp)
    if html:
        for shift in (0, -1, 1):
            text = (utc.wall + timedelta(days=shift)).strftime("%Y-%m-%d")
            at = html.find(text)
            for _ in range(_SOURCE_SCAN):
                if at < 0:
                    break
                match = _OFFSET_TIME.match(html, at)
                written = parse_stamp(match.group()) if match else None
                if written is not None and written.offset and written.instant == instant:
                    return written
                at = html.find(text, at + 10)
    if naive:
        return utc.at(naive[0].wall - instant)
    for stamp in near[:1]:
        if stamp.timed and _plausible(stamp.wall - instant.replace(second=0)):
            return utc.at(stamp.wall - instant.replace(second=0))
        if _local_day(utc, stamp.day_only()):
            return stamp
    day = _url_day(url)
    if day is not None and _local_day(utc, day):
        return day
    return utc


# htmldate gives the strings its own rules cannot read to dateparser with all of dateparser's 200+ locales: the first
# such page cost every process 3-6 s compiling their regular expressions (each newscov command, each test process,
# each corpus worker). These languages cover the registry's outlets and most of the web's dates in words.
DATEPARSER_LANGUAGES = ("en", "zh", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "ru")


@functools.cache
def _date_words_parser() -> Any:
    """htmldate's own dateparser settings, for DATEPARSER_LANGUAGES only."""
    from dateparser import DateDataParser  # type: ignore[import-untyped]

    settings = {
        "NORMALIZE": True,
        "PARSERS": ["custom-formats", "absolute-time"],
        "PREFER_DATES_FROM": "past",
        "PREFER_LOCALE_DATE_ORDER": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": True,
    }
    return DateDataParser(languages=list(DATEPARSER_LANGUAGES), settings=settings)


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's reading of the publication day (on the already parsed page)."""
    from htmldate import extractors, find_date

    extractors.get_external_parser = _date_words_parser  # looked up at each call: see DATEPARSER_LANGUAGES
    try:
        return find_date(tree, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError):
        return None


def publication_times(
    meta: _Meta,
    hints: ExtractHints,
    timezone: str | None,
    *,
    url: str | None = None,
    html: str | None = None,
    tree: Any = None,
    found: str | None = None,
) -> tuple[Timestamp | None, Timestamp | None]:
    """(published, updated) of a page.

    Published is, in this order: the metadata's publication time, the `<time>` of the article itself, the outlet's
    dateline anywhere near the top or a generic dateline next to the headline, the URL's day, and last the day
    htmldate finds (`found` when the caller has it already, else htmldate run on `tree`). A day alone takes the time
    of a dateline of the same day.
    """
    at, end = meta.headline_span
    start = max(0, at - NEAR_BEFORE)
    near_text = meta.visible[start : at + NEAR_AFTER] if at >= 0 else ""
    patterns = (*hints.datelines, *GENERIC_DATELINES)
    found_near = _datelines(near_text, patterns, len(GENERIC_DATELINES), (at - start, end - start))
    near = [stamp for stamp, _ in found_near]
    outlet = [stamp for stamp, _ in _datelines(meta.visible[:6000], hints.datelines)] if hints.datelines else []

    metadata = list(_parsed(meta.published))
    chosen = _choose(metadata) or _choose(_parsed(meta.page_times))
    if chosen is None or not chosen.timed:
        visible = _choose([*outlet, *near]) if chosen is None else _choose([chosen, *outlet, *near])
        chosen = visible if visible is not None else chosen
    if chosen is not None and chosen.offset == timedelta(0) and not timezone:
        others = [*metadata, *_parsed(meta.modified), *_parsed(meta.page_times)]
        chosen = _localise(chosen, others, near, url, html)
    if found_near and found_near[0][1] and chosen is not None and found_near[0][0].day != chosen.day:
        chosen = _choose([found_near[0][0], *near])  # the page says when it was published, by its headline
    if chosen is None:
        chosen = _url_day(url)
    if chosen is None:
        day = found if found is not None or tree is None else _htmldate(tree, url)
        chosen = parse_stamp(day) if day else None
    if chosen is not None and not chosen.timed and at < 0:
        # No headline to look next to: a dateline of the same day anywhere near the top gives the time of day.
        top = _datelines(meta.visible[:6000], GENERIC_DATELINES, len(GENERIC_DATELINES))
        chosen = _choose([chosen, *(stamp for stamp, _ in top)])
    published = timestamp(chosen, timezone) if chosen is not None else None
    updated = _choose(_parsed(meta.modified))
    return published, timestamp(updated, timezone) if updated is not None else None
