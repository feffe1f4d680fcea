"""Pages kept on disk: the SQLite fetch cache and the WARC evidence archive.

The cache (`~/.cache/newscov/pages.sqlite`, or `$NEWSCOV_CACHE`) lets a repeated run skip the network; it is in
WAL mode and commits every page as it arrives, so two runs can share it and an interrupted run keeps what it
fetched; a damaged row is a miss, and a page it cannot store (a full disk) stops the storing, not the run. The
archive (`--archive DIR`) is the evidence: WARC 1.1 request and response records, with block and payload digests,
for every page a report used, and the report's JSON beside them, in files of their own for each run;
`--from-archive DIR` verifies every digest and size, then compares again from it alone.
"""

from __future__ import annotations

import errno
import io
import json
import os
import secrets
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ArchiveError, UsageError
from .urls import canonical_url

REPORT_FILE = "report.json"
MAX_RECORD_BYTES = 10 * 1024 * 1024  # a record's payload: the page cap (FetchSettings.max_bytes)
RECORD_HEADROOM = 1024 * 1024  # a record's WARC and HTTP headers, beyond its payload
MAX_REPORT_BYTES = 64 * 1024 * 1024  # an archive's report.json


@dataclass(frozen=True, slots=True)
class Page:
    """One HTTP exchange as newscov keeps it: the payload is stored decoded (no Content-Encoding)."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    reason: str
    http_version: str
    request_headers: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)


def default_cache_path() -> Path:
    if os.environ.get("NEWSCOV_CACHE"):
        return Path(os.environ["NEWSCOV_CACHE"]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newscov" / "pages.sqlite"


# keyed by the canonical form of the URL asked for (coverage.urls.canonical_url): an address with tracking
# parameters, another letter case or an AMP variant finds the page stored under its plain address
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages_v2 (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    reason TEXT NOT NULL,
    http_version TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL
)
"""


class Cache:
    """A SQLite page cache, safe for several threads of one run and for several runs at once.

    A cache is a convenience, never a reason for a run to fail: a damaged row is a miss (the page is fetched
    again and the row replaced), and when a page cannot be stored (a full disk, a locked or damaged database)
    the cache stops storing and `trouble` says why, for the command to tell the user."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cache {str(self.path)!r}: cannot open it ({exc}); set NEWSCOV_CACHE elsewhere") from None
        self._lock = threading.Lock()
        self.trouble: str | None = None  # why pages are no longer stored, once one could not be
        self.damaged = 0  # rows that could not be read back (treated as misses)

    def get(self, url: str, max_age_s: float | None = None) -> Page | None:
        """The cached page for `url`, if any, readable and no older than `max_age_s` (None: any age)."""
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT url, final_url, status, reason, http_version, request_headers, headers, body, fetched_at "
                    "FROM pages_v2 WHERE key = ?",
                    (canonical_url(url),),
                ).fetchone()
        except sqlite3.Error:  # a damaged database page: the page is fetched again
            self.damaged += 1
            return None
        if row is None:
            return None
        page = _page_of_row(row)
        if page is None:
            self.damaged += 1
            return None
        if max_age_s is not None and (datetime.now(UTC) - page.fetched_at).total_seconds() > max_age_s:
            return None
        return page

    def put(self, page: Page) -> None:
        """Store a page at once (its own transaction: an interrupted run keeps every page stored so far); after a
        failure to store one, store nothing more this run."""
        if self.trouble is not None:
            return
        try:
            with self._lock:
                self._db.execute(
                    "INSERT OR REPLACE INTO pages_v2 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        canonical_url(page.url),
                        page.url,
                        page.final_url,
                        page.status,
                        page.reason,
                        page.http_version,
                        json.dumps(page.request_headers),
                        json.dumps(page.headers),
                        page.body,
                        page.fetched_at.isoformat(),
                    ),
                )
        except sqlite3.Error as exc:  # "database or disk is full", a lock held too long, a damaged file
            self.trouble = f"stopped storing pages in the cache {str(self.path)!r}: {exc}"

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM pages_v2").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _header_pairs(text: object) -> tuple[tuple[str, str], ...]:
    pairs = json.loads(text) if isinstance(text, str) else None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str) for p in pairs
    ):
        raise ValueError("not a list of header pairs")
    return tuple((p[0], p[1]) for p in pairs)


def _page_of_row(row: tuple[object, ...]) -> Page | None:
    """A cache row as a Page, or None when a field is not what newscov stores (a damaged or foreign row)."""
    url, final_url, status, reason, http_version, request_headers, headers, body, fetched_at = row
    texts = (url, final_url, reason, http_version, fetched_at)
    if not all(isinstance(t, str) for t in texts) or not isinstance(status, int) or not isinstance(body, bytes):
        return None
    try:
        when = datetime.fromisoformat(str(fetched_at))
        if when.tzinfo is None:
            return None
        return Page(str(url), str(final_url), status, str(reason), str(http_version), _header_pairs(request_headers),
                    _header_pairs(headers), body, when)  # fmt: skip
    except (ValueError, RecursionError):
        return None


# ── WARC evidence archive ──


def write_archive(folder: Path, pages: Iterable[Page], report_json: str) -> Path:
    """Write the pages as WARC request/response records (gzip, WARC 1.1) and the report beside them; a local
    file (a page whose final URL is a file: URI) becomes a resource record.

    Each run writes its own files, named by the time, the process and a random part (two runs in the same second
    never overwrite each other's): `newscov-STAMP-PID-RANDOM.warc.gz` and `.report.json`; `report.json` is the
    latest run's report, the one `--from-archive` reads. A run that fails leaves no partial file behind."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"newscov-{stamp}-{os.getpid()}-{secrets.token_hex(4)}"
    path = folder / f"{name}.warc.gz"
    own_report = folder / f"{name}.report.json"
    partial = folder / f".{name}.partial"  # not matched by *.warc* until it is complete
    try:
        with partial.open("xb") as handle:
            _write_records(handle, pages)
        if path.exists():  # a name with a random part: cannot happen, but never overwrite evidence
            raise FileExistsError(errno.EEXIST, "an archive file of that name exists", str(path))
        partial.rename(path)
        partial.with_name(f".{name}.report.partial").write_text(report_json, encoding="utf-8")
        partial.with_name(f".{name}.report.partial").rename(own_report)
        latest = folder / f".{name}.latest.partial"
        latest.write_text(report_json, encoding="utf-8")
        latest.replace(folder / REPORT_FILE)  # atomic: report.json is always one whole report
    finally:
        for leftover in folder.glob(f".{name}.*partial"):
            leftover.unlink(missing_ok=True)
    return path


def _write_records(handle: BinaryIO, pages: Iterable[Page]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(handle, gzip=True, warc_version="1.1")
    for page in pages:
        date = page.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if page.final_url.startswith("file:"):
            resource = writer.create_warc_record(
                page.final_url,
                "resource",
                payload=io.BytesIO(page.body),
                length=len(page.body),
                warc_content_type=page.header("Content-Type") or "application/octet-stream",
                warc_headers_dict={"WARC-Date": date},
            )
            resource.rec_headers.add_header("WARC-Newscov-Requested-URI", page.url)  # the path as given
            writer.write_record(resource)
            continue
        response_headers = StatusAndHeaders(
            f"{page.status} {page.reason}".strip(), list(page.headers), protocol=page.http_version
        )
        response = writer.create_warc_record(
            page.final_url,
            "response",
            payload=io.BytesIO(page.body),
            length=len(page.body),
            http_headers=response_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Target-URI": page.final_url},
        )
        path_part = page.final_url.split("/", 3)[3] if page.final_url.count("/") >= 3 else ""
        request = writer.create_warc_record(
            page.final_url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET /{path_part} HTTP/1.1", list(page.request_headers), is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        # the URL asked for, when a redirect changed it, so --from-archive finds the page again
        if page.url != page.final_url:
            response.rec_headers.add_header("WARC-Newscov-Requested-URI", page.url)
        writer.write_record(response)
        writer.write_record(request)


def _warc_date(record: Any) -> datetime:
    return datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))


def _shown(value: object, limit: int = 200) -> str:
    """A string from an archive, fit for a one-line message: control, format and bidi characters escaped."""
    text = str(value)
    text = text if len(text) <= limit else text[:limit] + "…"
    return text if text.isprintable() else repr(text)[1:-1]


class _Refused(Exception):
    """One record (or file) of an archive that cannot be trusted; the message names it."""


_CHUNK = 64 * 1024


def _members_within(path: Path, limit: int) -> None:
    """Raise _Refused when a gzip member of a .warc.gz inflates beyond `limit` bytes (newscov writes one record
    per member): checked by streaming, before the WARC reader buffers a header line or a payload."""
    with path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return  # not gzip: an uncompressed WARC is read as it is (its size on disk bounds it)
        handle.seek(0)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        member, inflated = 1, 0
        pending = handle.read(_CHUNK)
        while True:
            try:
                out = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise _Refused(f"gzip member {member} is damaged ({exc})") from None
            inflated += len(out)
            if inflated > limit:
                raise _Refused(
                    f"gzip member {member} (a record) inflates beyond {_size(limit)}: larger than any record newscov "
                    "writes (the page cap and its headers)"
                )
            if inflater.eof:
                pending = inflater.unused_data or handle.read(_CHUNK)
                if not pending:
                    return
                inflater, member, inflated = zlib.decompressobj(16 + zlib.MAX_WBITS), member + 1, 0
                continue
            pending = inflater.unconsumed_tail
            if not pending and len(out) < _CHUNK:  # the input is used up and no output waits: read on
                pending = handle.read(_CHUNK)
                if not pending:
                    return  # cut short: the WARC reader says so


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit:,} bytes"


def _bounded_read(stream: Any, limit: int) -> bytes | None:
    """Up to `limit` bytes of a stream, read in chunks; None when it holds more."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None


def _drain(stream: Any) -> None:
    while stream.read(_CHUNK):
        pass


def _verified_body(record: Any, limit: int) -> tuple[bytes, str | None]:
    """A record's payload, read under the size cap, and what is wrong with its digests (None: they match).

    _Refused when it cannot be used at all (larger than newscov ever writes)."""
    headers = record.rec_headers
    declared = headers.get_header("Content-Length") or "0"
    if not declared.isdigit() or int(declared) > limit + RECORD_HEADROOM:
        raise _Refused(f"declares {_shown(declared)} bytes; newscov never writes a record over {_size(limit)}")
    body = _bounded_read(record.content_stream(), limit)
    _drain(record.raw_stream)  # the rest of the block (if any): the digests are checked at its end
    if body is None:
        raise _Refused(f"has a payload that inflates beyond {_size(limit)}, the page size cap")
    if not headers.get_header("WARC-Block-Digest") and not headers.get_header("WARC-Payload-Digest"):
        return body, "has no digest to verify (newscov writes them for every record)"
    checker = record.digest_checker
    if checker.passed is False:
        problems = [str(p) for p in checker.problems]
        failed = [kind for kind in ("block", "payload") if any(p.startswith(kind) for p in problems)]
        if failed:
            return body, f"fails its digest check ({' and '.join(failed)} digest): its content was altered"
        return body, f"cannot be checked ({_shown('; '.join(problems))})"
    if checker.passed is None:
        return body, "could not be checked against its digest (the record is cut short or of an unknown kind)"
    return body, None


def read_archive(
    folder: Path,
    *,
    max_bytes: int = MAX_RECORD_BYTES,
    on_problem: Callable[[str], None] | None = None,
) -> tuple[dict[str, Page], dict[str, object]]:
    """Pages by the canonical form of their URLs (asked-for and final) from every WARC file of a folder, and the
    report JSON.

    Every record's digests are verified and its payload read under `max_bytes` (the page cap); the report is
    read under MAX_REPORT_BYTES. A record that fails raises ArchiveError naming the file and the record, unless
    `on_problem` is given (--accept-tampered): then it is told each problem in one line, a record whose digest
    does not match is used all the same, one too large is left out, and a damaged file is read up to the
    damage."""
    from warcio.archiveiterator import ArchiveIterator

    if not folder.is_dir():
        raise UsageError(f"--from-archive {str(folder)!r}: no such folder")
    report_path = folder / REPORT_FILE
    if not report_path.is_file():
        raise UsageError(f"--from-archive {str(folder)!r}: no {REPORT_FILE} in it; is it a newscov archive?")
    report = _read_report(report_path)

    def refuse(message: str, accepted: str) -> None:
        if on_problem is None:
            raise ArchiveError(f"{message}; refused (--accept-tampered reads the archive all the same)")
        on_problem(f"{message}; {accepted}")

    pages: dict[str, Page] = {}
    for warc in sorted(folder.glob("*.warc*")):
        where = _shown(warc)
        try:
            _members_within(warc, max_bytes + RECORD_HEADROOM)
        except _Refused as exc:
            refuse(f"{where}: {exc}", "the file is left out")
            continue
        except OSError as exc:
            refuse(f"{where}: cannot read it ({exc.strerror or exc})", "the file is left out")
            continue
        try:
            with warc.open("rb") as handle:
                for number, record in enumerate(ArchiveIterator(handle, check_digests=True), start=1):
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    named = (
                        f"record {number} ({_shown(record.rec_headers.get_header('WARC-Record-ID'))}, {_shown(uri)})"
                    )
                    try:
                        body, problem = _verified_body(record, max_bytes)
                        page = _page_of_record(record, uri, body)
                    except _Refused as exc:
                        refuse(f"{where}: {named} {exc}", "the record is left out")
                        continue
                    except (ValueError, TypeError, AttributeError) as exc:
                        refuse(f"{where}: {named} is damaged ({_shown(exc)})", "the record is left out")
                        continue
                    if problem is not None:
                        refuse(f"{where}: {named} {problem}", "used all the same (--accept-tampered)")
                    if page is None:
                        continue
                    pages[canonical_url(page.url)] = page
                    pages[canonical_url(page.final_url)] = page
        except ArchiveError:
            raise
        except Exception as exc:  # warcio's ArchiveLoadFailed, a damaged gzip stream, a header it cannot parse
            refuse(
                f"{where}: cannot be read past a damaged part ({type(exc).__name__}: {_shown(exc)})",
                "the records before it are used",
            )
    return pages, report


def _page_of_record(record: Any, uri: str, body: bytes) -> Page | None:
    """The page a resource or response record holds (None for the other kinds: requests, metadata)."""
    requested = record.rec_headers.get_header("WARC-Newscov-Requested-URI") or uri
    if record.rec_type == "resource":  # a local file
        content_type = record.rec_headers.get_header("Content-Type") or ""
        return Page(requested, uri, 200, "OK", "", (), (("Content-Type", content_type),), body, _warc_date(record))
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status_line = record.http_headers.get_statuscode() or "200"
    return Page(
        url=requested,
        final_url=uri,
        status=int(status_line),
        reason=record.http_headers.statusline.partition(" ")[2],
        http_version=record.http_headers.protocol or "HTTP/1.1",
        request_headers=(),
        headers=tuple(record.http_headers.headers),
        body=body,
        fetched_at=_warc_date(record),
    )


def _read_report(path: Path) -> dict[str, object]:
    """The archive's report.json, read under MAX_REPORT_BYTES."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise ArchiveError(f"{_shown(path)}: cannot read it ({exc.strerror or exc})") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise ArchiveError(
            f"{_shown(path)}: larger than {_size(MAX_REPORT_BYTES)}; newscov never writes a report so large"
        )
    try:
        report = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"{_shown(path)}: not valid JSON ({_shown(exc)})") from None
    if not isinstance(report, dict):
        raise ArchiveError(f"{_shown(path)}: not a newscov report")
    return report
