"""Reading web archives for corpus mode: response records streamed from a WARC file (or a byte range of one).

A .warc.gz file is a run of gzip members, one per record (as Common Crawl and every WARC writer make them), so a
large file is cut into byte ranges at member boundaries: a task reads the records that *start* in its range, the
one that straddles the end included. Memory stays one record deep whatever the file's size; a payload over the
page cap is skipped, never read whole.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..store import MAX_RECORD_BYTES, _bounded_read

GZIP_MAGIC = b"\x1f\x8b\x08"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCAN_BLOCK = 1 << 20


class WarcDamaged(Exception):
    """The file cannot be read past `offset` (a cut or corrupted record). The records before it were yielded."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"damaged at byte {offset}: {reason}")
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Record:
    """One response record: where it is in the file, what it answered, and its payload (None when over the cap
    or when it is not an HTML page, which corpus mode does not read)."""

    offset: int
    url: str
    record_id: str
    date: datetime | None
    status: int
    content_type: str
    body: bytes | None
    skipped: str | None = None  # why the payload was not kept: "not HTML", "over the page cap", "status 404"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(3) == GZIP_MAGIC


def _member_starts_here(handle: BinaryIO, offset: int) -> bool:
    """True when a gzip member holding a WARC record starts at `offset`."""
    handle.seek(offset)
    head = handle.read(4096)
    if not head.startswith(GZIP_MAGIC):
        return False
    try:
        inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
    except zlib.error:
        return False
    return inflated.startswith(b"WARC/")


def _next_member(handle: BinaryIO, offset: int, size: int) -> int:
    """The first record boundary at or after `offset` (`size` when there is none)."""
    position = offset
    while position < size:
        handle.seek(position)
        block = handle.read(_SCAN_BLOCK + len(GZIP_MAGIC))
        found = block.find(GZIP_MAGIC)
        while found != -1:
            if _member_starts_here(handle, position + found):
                return position + found
            found = block.find(GZIP_MAGIC, found + 1)
        position += _SCAN_BLOCK
    return size


def byte_ranges(path: Path, split_bytes: int) -> list[tuple[int, int | None]]:
    """The file cut into ranges of about `split_bytes`, each starting at a record; one range for a small file or an
    uncompressed one (whose record boundaries cannot be found without reading every record before them)."""
    size = path.stat().st_size
    if split_bytes <= 0 or size <= split_bytes or not is_gzip(path):
        return [(0, None)]
    starts = [0]
    with path.open("rb") as handle:
        for target in range(split_bytes, size, split_bytes):
            boundary = _next_member(handle, max(target, starts[-1] + 1), size)
            if boundary >= size:
                break
            if boundary > starts[-1]:
                starts.append(boundary)
    return [(start, end) for start, end in zip(starts, [*starts[1:], None], strict=True)]


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _record(record: Any, offset: int, max_bytes: int) -> Record:
    headers = record.rec_headers
    http = record.http_headers
    status_text = (http.get_statuscode() if http is not None else None) or "0"
    status = int(status_text) if status_text.isdigit() else 0
    content_type = (http.get_header("Content-Type") if http is not None else None) or ""
    skipped = None
    if status != 200:
        skipped = f"status {status}"
    elif content_type and not content_type.split(";")[0].strip().lower().startswith(HTML_TYPES):
        skipped = "not HTML"
    body = None
    if skipped is None:
        body = _bounded_read(record.content_stream(), max_bytes)
        if body is None:
            skipped = "over the page cap"
    return Record(
        offset=offset,
        url=headers.get_header("WARC-Target-URI") or "",
        record_id=headers.get_header("WARC-Record-ID") or "",
        date=_warc_date(headers.get_header("WARC-Date")),
        status=status,
        content_type=content_type,
        body=body,
        skipped=skipped,
    )


def responses(
    path: Path, start: int = 0, end: int | None = None, max_bytes: int = MAX_RECORD_BYTES
) -> Iterator[Record]:
    """The response records that start in [start, end) of a WARC file, in order. Other record kinds (requests,
    metadata, revisits, warcinfo) are passed over. Raises WarcDamaged where the file stops making sense."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        handle.seek(start)
        records = ArchiveIterator(handle)
        offset = start
        while True:
            try:
                record = next(records, None)
                if record is None:
                    return
                offset = (
                    records.offset
                )  # where this record starts in the file (before it is read: warcio asks the handle)
                if end is not None and offset >= end:
                    return
                if record.rec_type != "response":
                    continue
                yield _record(record, offset, max_bytes)
            except (GeneratorExit, KeyboardInterrupt):
                raise
            except Exception as exc:  # warcio's ArchiveLoadFailed, zlib and EOF errors, malformed headers
                detail = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise WarcDamaged(offset, detail) from exc
