"""Pages kept on disk: the SQLite fetch cache and the WARC evidence archive.

The cache (`~/.cache/newscov/pages.sqlite`, or `$NEWSCOV_CACHE`) lets a repeated run skip the network; it is in
WAL mode and commits every page as it arrives, so two runs can share it and an interrupted run keeps what it
fetched. The archive (`--archive DIR`) is the evidence: WARC 1.1 request and response records, with payload
digests, for every page a report used, and the report's JSON beside them; `--from-archive DIR` compares again
from it alone.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import UsageError
from .urls import canonical_url

REPORT_FILE = "report.json"


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
    """A SQLite page cache, safe for several threads of one run and for several runs at once."""

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

    def get(self, url: str, max_age_s: float | None = None) -> Page | None:
        """The cached page for `url`, if any and no older than `max_age_s` (None: any age)."""
        with self._lock:
            row = self._db.execute(
                "SELECT url, final_url, status, reason, http_version, request_headers, headers, body, fetched_at "
                "FROM pages_v2 WHERE key = ?",
                (canonical_url(url),),
            ).fetchone()
        if row is None:
            return None
        page = Page(
            url=row[0],
            final_url=row[1],
            status=row[2],
            reason=row[3],
            http_version=row[4],
            request_headers=tuple(tuple(h) for h in json.loads(row[5])),
            headers=tuple(tuple(h) for h in json.loads(row[6])),
            body=bytes(row[7]),
            fetched_at=datetime.fromisoformat(row[8]),
        )
        if max_age_s is not None and (datetime.now(UTC) - page.fetched_at).total_seconds() > max_age_s:
            return None
        return page

    def put(self, page: Page) -> None:
        """Store a page at once (its own transaction: an interrupted run keeps every page stored so far)."""
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

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM pages_v2").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


# ── WARC evidence archive ──


def write_archive(folder: Path, pages: Iterable[Page], report_json: str) -> Path:
    """Write the pages as WARC request/response records (gzip, WARC 1.1) and the report beside them; a local
    file (a page whose final URL is a file: URI) becomes a resource record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"newscov-{stamp}.warc.gz"
    with path.open("wb") as handle:
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
    (folder / REPORT_FILE).write_text(report_json, encoding="utf-8")
    return path


def _warc_date(record: Any) -> datetime:
    return datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))


def read_archive(folder: Path) -> tuple[dict[str, Page], dict[str, object]]:
    """Pages by the canonical form of their URLs (asked-for and final) from every WARC file of a folder, and the report
    JSON."""
    from warcio.archiveiterator import ArchiveIterator

    if not folder.is_dir():
        raise UsageError(f"--from-archive {str(folder)!r}: no such folder")
    report_path = folder / REPORT_FILE
    if not report_path.is_file():
        raise UsageError(f"--from-archive {str(folder)!r}: no {REPORT_FILE} in it; is it a newscov archive?")
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise UsageError(f"{report_path}: not valid JSON ({exc})") from None
    pages: dict[str, Page] = {}
    for warc in sorted(folder.glob("*.warc*")):
        with warc.open("rb") as handle:
            for record in ArchiveIterator(handle):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "resource":  # a local file
                    page = Page(
                        url=record.rec_headers.get_header("WARC-Newscov-Requested-URI") or uri,
                        final_url=uri,
                        status=200,
                        reason="OK",
                        http_version="",
                        request_headers=(),
                        headers=(("Content-Type", record.rec_headers.get_header("Content-Type") or ""),),
                        body=record.content_stream().read(),
                        fetched_at=_warc_date(record),
                    )
                    pages[canonical_url(page.url)] = page
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status_line = record.http_headers.get_statuscode() or "200"
                page = Page(
                    url=record.rec_headers.get_header("WARC-Newscov-Requested-URI") or uri,
                    final_url=uri,
                    status=int(status_line),
                    reason=record.http_headers.statusline.partition(" ")[2],
                    http_version=record.http_headers.protocol or "HTTP/1.1",
                    request_headers=(),
                    headers=tuple(record.http_headers.headers),
                    body=record.content_stream().read(),
                    fetched_at=_warc_date(record),
                )
                pages[canonical_url(page.url)] = page
                pages[canonical_url(page.final_url)] = page
    if not isinstance(report, dict):
        raise UsageError(f"{report_path}: not a newscov report")
    return pages, report
