"""`sources check --live`: ask an outlet's feeds, sitemaps and site search whether they answer, and with what;
`--save` writes what was verified, and when, into a registry file (the user's, by default)."""

from __future__ import annotations

import asyncio
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from . import sources as registry_files
from .discover.base import fill_template, parse_datetime
from .errors import SourcesError
from .fetch import FEED_TYPES, Fetcher, FetchSettings, host_intervals
from .models import Failure, Outlet, Target
from .schema import load_yaml

# a word every outlet's search should find something for, in the outlet's script
PROBE_QUERY = {"zh-Hant": "台灣", "zh-Hans": "台湾", "en": "Taiwan"}
_ITEM = re.compile(r"<(item|entry|url|sitemap)[\s>]", re.IGNORECASE)
_ITEM_LINK = re.compile(r"<(link|loc|guid)[\s>/]", re.IGNORECASE)
_HREF = re.compile(r"""(?:href=["']|"(?:url|link|titleLink|PageUrl)"\s*:\s*")([^"'<>\s]+)""", re.IGNORECASE)
_DATE = re.compile(
    r"<(?:pubDate|updated|published|lastmod|dc:date|news:publication_date)>\s*(?:<!\[CDATA\[)?\s*([^<\]]+?)\s*(?:\]\]>)?\s*</",
    re.IGNORECASE,
)
_HTTP = re.compile(r"^HTTP (\d{3})\b")

# what a live check concludes about one registry entry (sources.ENTRY_STATUSES); UNDECIDED: the answer says nothing
# about the entry (a timeout, a failed DNS look-up, a refused connection, a 5xx or 429, robots.txt): keep its status
OK, STALE, DEAD, UNDECIDED = "ok", "stale", "dead", ""
DEAD_HTTP = (401, 403, 404, 410)  # answers that say the URL is gone or closed to newscov
STALE_AFTER_DAYS = 90  # a feed or sitemap whose newest item is older than this is stale: tried last
EVIDENCE = "newscov sources check --live"
_KEYS = {"feed": "feeds", "sitemap": "sitemaps", "search": "search"}  # probe kind -> registry list
_UNDECIDED_NOTE = re.compile(rf"(?:; )?{re.escape(EVIDENCE)} on \d{{4}}-\d{{2}}-\d{{2}} could not decide\b.*$")
USER_FILE_HEADER = """\
# newscov: your own outlets, and overrides of the bundled registry (see `newscov sources show ID`).
# An entry with a bundled outlet's id overrides only the fields it names; a list (feeds, sitemaps, search) is
# replaced whole. `newscov sources check --live ID --save` records here what it verified, and when.
"""


@dataclass(frozen=True, slots=True)
class Probe:
    """What one feed, sitemap or search URL of an outlet answered."""

    outlet_id: str
    kind: str  # feed, sitemap, search
    url: str
    ok: bool
    detail: str  # "12 items", "8 article links", or the failure reason
    verdict: str = UNDECIDED  # ok, stale, dead, or UNDECIDED when the answer says nothing about the entry
    evidence: str = ""  # for the registry: "HTTP 200, 20 items, newest 2026-12-01"
    index: int = 0  # the entry's position in the outlet's feeds, sitemaps or search list
    entry: str = ""  # the entry as the registry writes it: the feed or sitemap URL, or the search template


def _targets(outlet: Outlet) -> list[tuple[str, int, str, str]]:
    """(kind, index in its list, registry URL or template, URL to fetch) of every entry of the outlet."""
    query = PROBE_QUERY.get(outlet.script or "", PROBE_QUERY["zh-Hant" if outlet.language == "zh" else "en"])
    today = datetime.now(UTC).date()
    return (
        [("feed", i, f.url, f.url) for i, f in enumerate(outlet.feeds)]
        + [("sitemap", i, s.url, s.url) for i, s in enumerate(outlet.sitemaps)]
        + [
            ("search", i, s.template, fill_template(s.template, query, today - timedelta(days=3), today))
            for i, s in enumerate(outlet.search)
        ]
    )


def _items(text: str) -> tuple[int, int]:
    """(items, items with a link) of a feed or sitemap."""
    starts = [m.start() for m in _ITEM.finditer(text)]
    ends = [*starts[1:], len(text)]
    return len(starts), sum(bool(_ITEM_LINK.search(text, start, end)) for start, end in zip(starts, ends, strict=False))


def newest_day(text: str) -> date | None:
    """The latest publication or modification day a feed or sitemap gives, if it gives any."""
    days = [parsed.date() for raw in _DATE.findall(text) if (parsed := parse_datetime(raw))]
    return max(days, default=None)


def _describe(kind: str, outlet: Outlet, url: str, text: str) -> tuple[bool, str]:
    if kind in ("feed", "sitemap"):
        items = len(_ITEM.findall(text))
        return items > 0, f"{items} items" if items else "answered, but holds no feed or sitemap items"
    links = {urljoin(url, href.replace("\\/", "/")) for href in _HREF.findall(text)}
    if outlet.article_pattern:
        pattern = re.compile(outlet.article_pattern)
        articles = [link for link in links if pattern.search(link)]
        return bool(articles), f"{len(articles)} article links (of {len(links)} links)"
    return bool(links), f"{len(links)} links (no article_url pattern to tell articles apart)"


def judge_failure(reason: str) -> str:
    """The verdict of a fetch that gave no page: dead for 401/403/404/410 or a non-text answer, else UNDECIDED."""
    code = _HTTP.match(reason)
    if code and int(code.group(1)) in DEAD_HTTP:
        return DEAD
    return DEAD if reason.startswith("not text") else UNDECIDED


def judge_page(kind: str, status: int | None, text: str, detail: str, found: bool, today: date) -> tuple[str, str]:
    """(verdict, evidence) of a page that answered: a feed or sitemap with linked items is ok (stale when its newest
    item is older than STALE_AFTER_DAYS), one without is dead; a search page with article links is ok, without
    them stale (the page answers, but newscov finds nothing on it). `found`: what _describe said."""
    answer = f"HTTP {status}" if status else "answered"
    if kind == "search":
        return (OK if found else STALE), f"{answer}, {detail}"
    items, linked = _items(text)
    if not items:
        return DEAD, f"{answer}, but no feed or sitemap items"
    if not linked:
        return DEAD, f"{answer}, {items} items, all blank (no link)"
    counted = f"{items} item" if items == 1 else f"{items} items"
    newest = newest_day(text)
    if newest is None:
        return OK, f"{answer}, {counted}, no dates"
    if (today - newest).days > STALE_AFTER_DAYS:
        return STALE, f"{answer}, {counted}, newest {newest} (nothing in {STALE_AFTER_DAYS} days)"
    return OK, f"{answer}, {counted}, newest {newest}"


async def probe_outlets(
    outlets: Iterable[Outlet],
    settings: FetchSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Probe]:
    """Fetch every feed, sitemap and search URL of the outlets; one Probe each, in registry order."""
    outlets = list(outlets)
    jobs = [(outlet, *target) for outlet in outlets for target in _targets(outlet)]
    today = datetime.now(UTC).date()

    async def one(fetcher: Fetcher, outlet: Outlet, kind: str, index: int, entry: str, url: str) -> Probe:
        result = await fetcher.fetch(Target(outlet.id, url=url), accept=FEED_TYPES)
        if isinstance(result, Failure):
            reason = result.reason
            return Probe(outlet.id, kind, url, False, reason, judge_failure(reason), reason, index, entry)
        final = result.final_url or url
        ok, detail = _describe(kind, outlet, final, result.html)
        verdict, evidence = judge_page(kind, result.status_code, result.html, detail, ok, today)
        if kind != "search" and final != url:
            evidence += f", redirected to {final}"
        newest = newest_day(result.html) if ok and kind != "search" else None
        detail += f", newest {newest}" if newest else ""
        return Probe(outlet.id, kind, url, ok, detail, verdict, evidence, index, entry)

    async with Fetcher(settings, transport=transport, intervals=host_intervals(outlets)) as fetcher:
        return list(await asyncio.gather(*(one(fetcher, *job) for job in jobs)))


# --- sources check --live --save ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Saved:
    """What `save_probes` did for one outlet."""

    outlet_id: str
    path: Path
    action: str  # "added" (a new entry), "updated" (its entry, in place) or "skipped" (nothing decided or written)
    counts: tuple[tuple[str, int], ...]  # ("ok", 3), ("dead", 1), ("not decided", 1)

    @property
    def line(self) -> str:
        """One line for the terminal."""
        counts = ", ".join(f"{n} {what}" for what, n in self.counts)
        if self.action == "skipped":
            return f"nothing saved for {self.outlet_id}: no answer decided a status ({counts}); {self.path} unchanged"
        entry = "new entry" if self.action == "added" else "entry updated"
        kept = " (status kept)" if any(what == "not decided" for what, _ in self.counts) else ""
        return f"saved {self.outlet_id} to {self.path} ({entry}): {counts}{kept}"


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # long URLs and evidence stay on one line
    yaml.indent(mapping=2, sequence=4, offset=2)  # the bundled registry's layout
    return yaml


def _real(path: str | Path) -> Path:
    """The file a path names, through symbolic links (a dotfiles link keeps pointing at the updated file)."""
    return Path(path).expanduser().resolve()


def _outlet_items(doc: Any) -> list[Any]:
    items = doc.get("outlets") if isinstance(doc, dict) else None
    return items if isinstance(items, list) else []


def _find(doc: Any, outlet_id: str) -> Any:
    return next((o for o in _outlet_items(doc) if isinstance(o, dict) and o.get("id") == outlet_id), None)


def _winning_lists(
    files: Sequence[Path], ids: set[str], target: Path, target_doc: Any
) -> dict[tuple[str, str], tuple[Path, Any]]:
    """(outlet id, list key) -> (file, list node) of the file whose list the merged registry uses (the last to give
    one); the target file is read from `target_doc`, so that its own nodes are updated in place."""
    winners: dict[tuple[str, str], tuple[Path, Any]] = {}
    for path in files:
        if path == target:
            doc = target_doc
        else:
            text = path.read_text(encoding="utf-8")
            if not any(outlet_id in text for outlet_id in ids):
                continue
            doc = load_yaml(text, str(path))
        for outlet_id in ids:
            item = _find(doc, outlet_id)
            for key in _KEYS.values():
                if isinstance(item, dict) and isinstance(item.get(key), list):
                    winners[outlet_id, key] = (path, item[key])
    return winners


def _future_chain(target: Path) -> list[Path]:
    """The files a later run reads, in order, if `target` is not one of them it is read last (as --sources)."""
    chain = [_real(registry_files.default_sources_path()), _real(registry_files.user_sources_path())]
    return chain if target in chain else [*chain, target]


def _shadowed(winners: dict[tuple[str, str], tuple[Path, Any]], target: Path) -> list[str]:
    """A problem for each list that comes from a file a later run would not read before `target`."""
    chain = _future_chain(target)
    allowed = chain[: chain.index(target) + 1]
    return [
        f"{outlet_id}: its {key} list comes from {path}, which {target} does not override; "
        f"to record the check there, add --save-to {path}"
        for (outlet_id, key), (path, _) in winners.items()
        if path not in allowed
    ]


def _copy(entry: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap((str(k), v) for k, v in entry.items()) if isinstance(entry, dict) else entry


def _undecided_note(evidence: Any, probe: Probe, today: date) -> str:
    note = f"{EVIDENCE} on {today.isoformat()} could not decide ({probe.evidence}); status kept"
    earlier = _UNDECIDED_NOTE.sub("", str(evidence or "")).strip()
    return f"{earlier}; {note}" if earlier else note


def record(entry: Any, probe: Probe, today: date) -> None:
    """Write one probe's verdict into its registry entry (a mapping): status, checked, verified and evidence when
    the probe decided; when it did not, only a dated note in the evidence (status and checked stay as they were)."""
    if not probe.verdict:
        entry["evidence"] = _undecided_note(entry.get("evidence"), probe, today)
        return
    entry["status"] = probe.verdict
    entry["checked"] = date.fromordinal(today.toordinal())  # its own object: one shared would be written as &id001
    if probe.verdict == OK:
        entry["verified"] = True
    elif "verified" in entry:
        del entry["verified"]
    entry["evidence"] = f"{EVIDENCE}: {probe.evidence}"


def _counts(probes: Sequence[Probe]) -> tuple[tuple[str, int], ...]:
    counted = Counter(p.verdict or "not decided" for p in probes)
    return tuple((what, counted[what]) for what in (OK, STALE, DEAD, "not decided") if counted[what])


def _validate(text: str, target: Path) -> None:
    """Raise SourcesError unless a later run can load the registry with `text` as the target file."""
    texts: list[tuple[str, str]] = []
    for path in _future_chain(target):
        if path == target:
            texts.append((text, str(target)))
        elif path.is_file():
            texts.append((path.read_text(encoding="utf-8"), str(path)))
    try:
        registry_files.parse_sources(texts)
    except SourcesError as exc:
        raise SourcesError(f"nothing written: {target} would not load after saving:\n{exc}") from None


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` at once (a temporary file beside it, then os.replace); make its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_probes(
    probes: Sequence[Probe], files: Sequence[str | Path], target: str | Path, today: date | None = None
) -> list[Saved]:
    """Record the probes' verdicts in the registry file `target`, one entry per outlet; one Saved per outlet.

    `files` are the registry files the probed outlets were loaded from, in order. Each outlet's entry in `target`
    (updated in place, or appended) gets its complete feeds, sitemaps and search lists, copied from the file the
    registry took them from, since a later file replaces a list whole. The file keeps its comments and other
    outlets; it is created (with its folder) when missing, and replaced atomically. Nothing is written, and
    SourcesError says why, when a list comes from a file that would override `target`, or when the result would
    not load. A list is copied from another file only when the check decided one of its entries at least (so an
    offline run freezes nothing); an outlet with no such list, and none in `target`, is "skipped".
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    today = today or date.today()
    target = _real(target)
    if target.is_dir():
        raise SourcesError(f"{target}: is a folder; give the registry file to write (a .yaml file)")
    yaml = _yaml()
    existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    try:
        doc = yaml.load(existing) if existing.strip() else None
    except Exception as exc:  # ruamel's YAMLError; load_yaml gives the file:line message
        load_yaml(existing, str(target))
        raise SourcesError(f"{target}: not valid YAML ({exc})") from None
    if doc is None:
        doc = yaml.load(USER_FILE_HEADER + "version: 2\n")
    if not isinstance(doc, dict):
        raise SourcesError(f"{target}: not a registry file (it must hold a mapping with an 'outlets' list)")
    if not isinstance(doc.get("outlets"), list):
        doc["outlets"] = CommentedSeq()

    by_outlet: dict[str, list[Probe]] = {}
    for each in probes:
        by_outlet.setdefault(each.outlet_id, []).append(each)
    winners = _winning_lists([_real(f) for f in files], set(by_outlet), target, doc)
    problems = _shadowed(winners, target)
    if problems:
        raise SourcesError("nothing written: " + "\n".join(problems))

    saved: list[Saved] = []
    for outlet_id, outlet_probes in by_outlet.items():
        by_entry = {(_KEYS[p.kind], p.index): p for p in outlet_probes}
        lists: dict[str, Any] = {}
        for key in _KEYS.values():
            if (outlet_id, key) not in winners:
                continue
            path, entries = winners[outlet_id, key]
            if path != target:  # copied whole, as a later file replaces a list whole; only when something was learned
                if not any(p.verdict for (k, _), p in by_entry.items() if k == key):
                    continue
                entries = CommentedSeq(_copy(e) for e in entries)
            for index, entry in enumerate(entries):
                probe = by_entry.get((key, index))
                written = entry.get("template" if key == "search" else "url") if isinstance(entry, dict) else None
                if probe is not None and written == probe.entry:
                    record(entry, probe, today)
            lists[key] = entries
        item = _find(doc, outlet_id)
        if not lists:
            saved.append(Saved(outlet_id, target, "skipped", _counts(outlet_probes)))
            continue
        if item is None:
            item = CommentedMap([("id", outlet_id)])
            doc["outlets"].append(item)
            saved.append(Saved(outlet_id, target, "added", _counts(outlet_probes)))
        else:
            saved.append(Saved(outlet_id, target, "updated", _counts(outlet_probes)))
        for key, entries in lists.items():
            item[key] = entries

    if all(s.action == "skipped" for s in saved):
        return saved
    out = io.StringIO()
    yaml.dump(doc, out)
    _validate(out.getvalue(), target)
    try:
        write_atomically(target, out.getvalue())
    except OSError as exc:
        raise SourcesError(f"cannot write {target}: {exc.strerror or exc}") from None
    return saved
