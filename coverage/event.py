"""An event to compare coverage of: query terms, name aliases, a time window, outlets, pinned URLs, phrases.

Built from command-line flags, an event file (YAML, validated with file:line errors), or both (flags add to the
file and override its window).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .errors import UsageError
from .models import Phrase, Target
from .schema import (
    BAD,
    Check,
    Position,
    Problems,
    item_position,
    key_position,
    list_of,
    load_yaml,
    mapping,
    node_position,
    read_yaml_text,
    string,
)
from .textnorm import fold_text

DEFAULT_WINDOW = timedelta(days=3)
_RELATIVE = re.compile(r"^(?P<n>\d+)\s*(?P<unit>[hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True, slots=True)
class Event:
    """What to look for and where. `aliases` are sets of spellings of one name (赫塞斯/赫格塞斯/Hegseth)."""

    title: str | None = None
    queries: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
    start: datetime = field(default_factory=lambda: datetime.now(UTC) - DEFAULT_WINDOW)
    end: datetime = field(default_factory=lambda: datetime.now(UTC))
    outlets: tuple[str, ...] = ()  # registry ids; empty: every outlet matching the language/country filters
    pinned: tuple[str | Target, ...] = ()  # URLs (outlet by domain) or Targets
    phrases: tuple[Phrase, ...] = ()
    original: str | None = None  # the statement in its own language: its text, a URL or a file
    speaker: str | None = None  # who made it

    def term_groups(self, query: str) -> list[tuple[str, ...]]:
        """The query's terms, each with every spelling that counts for it (folded), for relevance scoring."""
        groups: list[tuple[str, ...]] = []
        for term in query.split():
            folded = fold_text(term)
            if not folded:
                continue
            variants = {folded}
            for alias in self.aliases:
                spellings = {fold_text(a) for a in alias}
                if folded in spellings:
                    variants |= spellings
            groups.append(tuple(sorted(variants)))
        return groups


def parse_when(value: Any, now: datetime, end_of_day: bool = False) -> datetime:
    """A window bound: a date (start or end of that day, UTC), an ISO date-time, or '3d'/'12h'/'2w' ago."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time.max if end_of_day else time.min, tzinfo=UTC)
    text = str(value).strip()
    relative = _RELATIVE.match(text)
    if relative:
        return now - int(relative.group("n")) * _UNITS[relative.group("unit")]
    try:
        if len(text) == 10:
            return parse_when(date.fromisoformat(text), now, end_of_day)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{text!r} is not a date: use 2025-11-01, 2025-11-01T08:00+08:00, or a span ago like 3d, 12h, 2w"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_window(start: datetime, end: datetime, now: datetime) -> None:
    if end > now + timedelta(days=1):
        raise UsageError(f"the window ends in the future ({end:%Y-%m-%d}); leave --to out to end it now")
    if start > now:
        raise UsageError(f"the window starts in the future ({start:%Y-%m-%d %H:%M} UTC)")
    if end < start:
        raise UsageError(f"the window ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M})")


def parse_alias(value: str) -> tuple[str, ...]:
    """`NAME=VARIANT,VARIANT` (or `A,B,C`) -> the spellings, name first."""
    name, _, rest = value.partition("=")
    spellings = [name, *rest.split(",")] if rest else name.split(",")
    cleaned = tuple(dict.fromkeys(s.strip() for s in spellings if s.strip()))
    if len(cleaned) < 2:
        raise UsageError(
            f"--alias {value!r}: give a name and its other spellings, e.g. --alias 赫塞斯=赫格塞斯,Hegseth"
        )
    return cleaned


# ── event files ──

_PHRASE = mapping(
    {
        "text": string(),
        "renderings": list_of(string(), one_or_many=True),
        "speaker": string(),
        "id": string(),
        "language": string(),  # when the text alone cannot tell (存立危機事態 is Japanese)
    },
    required=["text"],
)
_PIN = mapping({"url": string(), "outlet": string()}, required=["url"])
_ORIGINAL = mapping({"text": string(), "url": string(), "file": string(), "speaker": string()})
MAX_ORIGINAL_CHARS = 20_000  # a statement longer than this is cut (a press release fits)
MAX_ORIGINAL_SENTENCES = 80


def _original(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    """`original:` is the statement's text, or a mapping with one of text/url/file and a speaker."""
    if isinstance(value, str):
        return string()(value, where, pos, problems)
    checked = _ORIGINAL(value, where, pos, problems)
    if checked is not BAD and sum(k in checked for k in ("text", "url", "file")) != 1:
        problems.add(pos, where, "give exactly one of text, url or file")
        return BAD
    return checked


def statement_phrases(text: str, speaker: str | None = None) -> tuple[Phrase, ...]:
    """The sentences of an original statement as phrases o1, o2, ... (sentences too short to say something, a
    few characters or words, are left out)."""
    from .diff import sentences
    from .textnorm import detect_script, han_count

    phrases: list[Phrase] = []
    for sentence in sentences(text[:MAX_ORIGINAL_CHARS]):
        if (han_count(sentence) or len(sentence.split())) < 3:
            continue
        language = detect_script(sentence)[0]
        phrases.append(Phrase(f"o{len(phrases) + 1}", sentence, language=language, speaker=speaker, source="original"))
        if len(phrases) == MAX_ORIGINAL_SENTENCES:
            break
    if not phrases:
        raise UsageError("the original statement has no sentence to look for: give its full text")
    return tuple(phrases)


def _pin(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    if isinstance(value, str):
        return string()(value, where, pos, problems)
    return _PIN(value, where, pos, problems)


def _date_value(end_of_day: bool) -> Check:
    def check(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
        try:
            return parse_when(value, datetime.now(UTC), end_of_day)
        except UsageError as exc:
            problems.add(pos, where, str(exc))
            return BAD

    return check


def _queries(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    """A list of query strings, or a mapping of language -> list of query strings."""
    if isinstance(value, dict):
        out: list[str] = []
        for key, items in value.items():
            result = list_of(string(), one_or_many=True)(items, f"{where}.{key}", key_position(value, key), problems)
            if result is not BAD:
                out.extend(result)
        return tuple(out)
    return list_of(string(), one_or_many=True)(value, where, pos, problems)


def _alias(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    spellings = list_of(string())(value, where, pos, problems)
    if spellings is not BAD and len(set(spellings)) < 2:
        problems.add(pos, where, "give two spellings or more")
        return BAD
    return spellings


_EVENT = mapping(
    {
        "title": string(),
        "queries": _queries,
        "aliases": list_of(_alias),
        "window": mapping({"from": _date_value(end_of_day=False), "to": _date_value(end_of_day=True)}),
        "outlets": list_of(string(), one_or_many=True),
        "pinned": list_of(_pin),
        "phrases": list_of(_PHRASE),
        "original": _original,
    }
)


ARTICLE_SUFFIXES = (".html", ".htm", ".txt")  # what an event file may pin from its own folder


def _local(
    event_file: Path,
    location: str,
    pos: Position | None,
    where: str,
    problems: Problems,
    suffixes: tuple[str, ...] = ARTICLE_SUFFIXES,
) -> str:
    """A URL as given; a path resolved against the event file's folder, which it must stay inside, naming an
    article file. An event file comes from someone else: it must not make newscov read (and quote, and archive)
    any other file of the machine. Paths given on the command line are not restricted."""
    if location.startswith(("http://", "https://")):
        return location
    folder = event_file.resolve().parent
    resolved = (folder / location).resolve()
    if not resolved.is_relative_to(folder):
        problems.add(pos, where, f"{location!r} is outside the event file's folder; give it with --file instead")
    elif resolved.suffix.lower() not in suffixes:
        kinds = "/".join(suffixes)
        problems.add(pos, where, f"{location!r} is not an article file ({kinds}); give it with --file instead")
    return str(resolved)


def load_event(path: str | Path) -> Event:
    """Read and validate an event file; every problem is reported at once as file:line:col field: problem."""
    file = Path(path)
    try:
        text = read_yaml_text(file)  # at most MAX_YAML_BYTES + 1 bytes: load_yaml refuses a larger file
    except FileNotFoundError:
        raise UsageError(f"--event {str(file)!r}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--event {str(file)!r}: cannot read it ({exc})") from None
    data = load_yaml(text, str(file), UsageError)
    problems = Problems(str(file))
    checked = _EVENT(data if data is not None else {}, "event", node_position(data) or (0, 0), problems)
    if checked is not BAD:
        for index, alias in enumerate(checked.get("aliases", ())):
            if len(alias) < 2:
                problems.add(
                    item_position(data["aliases"], index), f"event.aliases[{index}]", "give two spellings or more"
                )
    if problems.items:
        raise UsageError("\n".join(problems.items))
    window = checked.get("window", {})
    now = datetime.now(UTC)
    end = window.get("to", now)
    start = window.get("from", end - DEFAULT_WINDOW)
    pinned: list[str | Target] = []
    for index, pin in enumerate(checked.get("pinned", ())):
        location = pin if isinstance(pin, str) else pin["url"]
        where = (item_position(data["pinned"], index), f"event.pinned[{index}]")
        location = _local(file, location, *where, problems)
        pinned.append(Target(pin["outlet"], url=location) if isinstance(pin, dict) and pin.get("outlet") else location)
    phrases = tuple(
        Phrase(
            p.get("id", f"p{n}"),
            p["text"],
            tuple(p.get("renderings", ())),
            language=p.get("language"),
            speaker=p.get("speaker"),
        )
        for n, p in enumerate(checked.get("phrases", ()), start=1)
    )
    original = checked.get("original")
    if isinstance(original, dict):
        speaker = original.get("speaker")
        source = original.get("text") or original.get("url") or original.get("file")
        if original.get("file"):
            source = _local(file, original["file"], key_position(data["original"], "file"), "event.original.file",
                            problems, suffixes=(".html", ".htm", ".txt", ".md"))  # fmt: skip
        original = source
    else:
        speaker = None
    if problems.items:
        raise UsageError("\n".join(problems.items))
    return Event(
        title=checked.get("title"),
        queries=tuple(checked.get("queries", ())),
        aliases=tuple(tuple(a) for a in checked.get("aliases", ())),
        start=start,
        end=end,
        outlets=tuple(checked.get("outlets", ())),
        pinned=tuple(pinned),
        phrases=phrases,
        original=original,
        speaker=speaker,
    )


def build_event(
    base: Event | None,
    *,
    queries: Sequence[str] = (),
    aliases: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
    since: str | None = None,
    outlets: Iterable[str] = (),
    pinned: Iterable[str | Target] = (),
    phrases: Sequence[Phrase] = (),
    original: str | None = None,
    speaker: str | None = None,
) -> Event:
    """Combine an event file (or nothing) with command-line flags; flags add terms and override the window."""
    now = datetime.now(UTC)
    base = base or Event(start=now - DEFAULT_WINDOW, end=now)
    if since and start:
        raise UsageError("give --since or --from, not both")
    window_end = parse_when(end, now, end_of_day=True) if end else base.end
    if since:
        window_start = parse_when(since, now)
    elif start:
        window_start = parse_when(start, now)
    elif end:  # --to alone: the default span before it
        window_start = window_end - DEFAULT_WINDOW
    else:
        window_start = base.start
    check_window(window_start, window_end, now)
    for query in queries:
        if not query.strip():
            raise UsageError("--query is empty: give the words an article about the event would contain")
    return Event(
        title=base.title,
        queries=tuple(dict.fromkeys([*base.queries, *(q.strip() for q in queries)])),
        aliases=(*base.aliases, *(parse_alias(a) for a in aliases)),
        start=window_start,
        end=window_end,
        outlets=tuple(dict.fromkeys([*base.outlets, *outlets])),
        pinned=(*base.pinned, *pinned),
        phrases=tuple(phrases) or base.phrases,
        original=original or base.original,
        speaker=speaker or base.speaker,
    )
