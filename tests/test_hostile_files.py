"""Hostile files and failing outputs (issue 14, cases 3, 5 and 10): a tampered or inflating evidence archive is
refused naming the record, every output is checked before the run, a write failure after the run keeps the
report, the page cache never stops a run; the exit statuses are one enum, and Ctrl-C says "interrupted"."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coverage import store
from coverage.demo.server import LoopbackServer, Route
from coverage.errors import ArchiveError, ExitStatus, exit_status_lines
from coverage.store import Cache, Page, read_archive, write_archive
from coverage.urls import canonical_url

from .conftest import PAGES, REPO, CliResult

Cli = Callable[..., CliResult]
QUOTE = "輕軌是城市復興的第一步"
FORGED = "輕軌是城市衰退的第一步"  # the same number of bytes: only the digests tell
FILES = ["--file", f"tidewater={PAGES / 'tidewater.html'}", "--file", f"pinecrest={PAGES / 'pinecrest.html'}"]
MiB = 1024 * 1024


def _one_error_line(result: CliResult) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newscov: error: ")
    return lines[0]


# ── exit statuses ──


def test_exit_statuses_are_one_enum_listed_in_help_and_readme(cli: Cli) -> None:
    # the historical values stay (scripts rely on them)
    assert [ExitStatus.OK, ExitStatus.NOTHING_COMPARED, ExitStatus.USAGE] == [0, 1, 2]
    assert [ExitStatus.NO_NETWORK, ExitStatus.INTERNAL, ExitStatus.INTERRUPTED] == [69, 70, 130]
    assert [ExitStatus.BAD_ARCHIVE, ExitStatus.WRITE_FAILED] == [65, 74]
    help_text = cli("--help").stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit status") : readme.index("## Use from Python")]
    for line in exit_status_lines():
        assert line in help_text
        assert f"\n{line}\n" in section, f"README's Exit status section lacks {line!r}"
    listed = re.findall(r"^(\d+) {2,}", section, re.MULTILINE)
    assert [int(code) for code in listed] == [s.value for s in ExitStatus]


def test_ctrl_c_during_a_run_prints_interrupted_and_exits_130() -> None:
    """SIGINT while a page is being fetched (inside asyncio.run, behind the progress bar on a terminal)."""
    exe = Path(sys.executable).parent / "newscov"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "coverage.cli"]
    slow = Route(200, (PAGES / "tidewater.html").read_bytes(), delay=30.0)
    try:
        import pty

        master, stderr = pty.openpty()  # a terminal: the progress bar is drawn, and must not swallow Ctrl-C
    except (ImportError, OSError):
        master, stderr = -1, subprocess.PIPE
    received: list[bytes] = []

    def pump() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            received.append(data)

    with LoopbackServer(routes={"/slow": slow}) as server:
        process = subprocess.Popen(
            [*command, "compare", "-q", QUOTE, "-u", "t=" + server.url("/slow"), "--no-cache", "--no-aligner"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "COLUMNS": "80"},
        )
        if master >= 0:
            os.close(stderr)
            threading.Thread(target=pump, daemon=True).start()
        try:
            started = time.monotonic()
            while "/slow" not in server.requests:  # the run is waiting for the page: inside asyncio.run
                assert process.poll() is None and time.monotonic() - started < 30, "the run never asked for the page"
                time.sleep(0.02)
            process.send_signal(signal.SIGINT)
            interrupted = time.monotonic()
            _, err = process.communicate(timeout=10)
            assert time.monotonic() - interrupted < 5
        finally:
            if process.poll() is None:
                process.kill()
    if master >= 0:
        deadline = time.monotonic() + 2
        while b"interrupted" not in b"".join(received) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.close(master)
        err = b"".join(received)
    assert process.returncode == ExitStatus.INTERRUPTED
    assert b"newscov: error: interrupted" in err
    assert b"Traceback" not in err


# ── case 5: a tampered archive ──


def _members(data: bytes) -> list[bytes]:
    """The gzip members of a .warc.gz (one record each), inflated."""
    members = []
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(inflater.decompress(data))
        data = inflater.unused_data
    return members


def _tamper(warc: Path, old: bytes, new: bytes) -> None:
    """Edit one record's payload in place, keeping the file a valid multi-member .warc.gz."""
    members = _members(warc.read_bytes())
    edited = [m.replace(old, new) for m in members]
    assert sum(a != b for a, b in zip(members, edited, strict=True)) == 1
    warc.write_bytes(b"".join(gzip.compress(m) for m in edited))


def test_a_tampered_archive_is_refused_naming_the_record(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    first = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--archive", str(folder))
    assert first.exit_code == 0, first.stderr
    [warc] = folder.glob("*.warc.gz")
    _tamper(warc, QUOTE.encode(), FORGED.encode())

    refused = cli("compare", "--from-archive", str(folder), "--no-aligner", "--format", "json")
    assert refused.exit_code == ExitStatus.BAD_ARCHIVE == 65
    assert refused.stdout == ""
    line = _one_error_line(refused)
    assert str(warc) in line and (PAGES / "tidewater.html").resolve().as_uri() in line
    assert "record 1 (<urn:uuid:" in line and "fails its digest check" in line and "--accept-tampered" in line

    accepted = cli(
        "compare", "--from-archive", str(folder), "--no-aligner", "--format", "json", "--accept-tampered"
    )  # fmt: skip
    assert accepted.exit_code == 0, accepted.stderr
    warnings = [w for w in accepted.stderr.splitlines() if w.startswith("newscov: warning: TAMPERED")]
    assert len(warnings) == 1 and "fails its digest check" in warnings[0] and "used all the same" in warnings[0]
    data = json.loads(accepted.stdout)
    [note] = [n for n in data["notes"] if "TAMPERED" in n]
    assert "tidewater.html" in note
    assert data["matrix"]["p1"]["tidewater"] != "verbatim"  # the forged text was read, and the report says so


def test_accept_tampered_goes_with_from_archive(cli: Cli) -> None:
    result = cli("compare", "-q", QUOTE, *FILES, "--accept-tampered")
    assert result.exit_code == 2 and "--accept-tampered goes with --from-archive" in _one_error_line(result)


def _page(body: bytes, url: str = "https://news.example/a", headers: tuple[tuple[str, str], ...] = ()) -> Page:
    return Page(url, url, 200, "OK", "HTTP/1.1", (), (("Content-Type", "text/html"), *headers), body,
                datetime(2025, 11, 1, tzinfo=UTC))  # fmt: skip


def test_a_record_without_digests_or_cut_short_is_refused(tmp_path: Path) -> None:
    path = write_archive(tmp_path, [_page(b"<p>" + QUOTE.encode() + b"</p>")], "{}")
    members = _members(path.read_bytes())
    stripped = re.sub(rb"WARC-(Block|Payload)-Digest: [^\r]*\r\n", b"", members[0])
    path.write_bytes(b"".join(gzip.compress(m) for m in (stripped, *members[1:])))
    with pytest.raises(ArchiveError, match="has no digest to verify"):
        read_archive(tmp_path)


def test_a_damaged_report_json_is_refused(cli: Cli, tmp_path: Path) -> None:
    write_archive(tmp_path, [_page(b"<p>x</p>")], "{}")
    (tmp_path / "report.json").write_text('{"phrases": [', encoding="utf-8")
    result = cli("compare", "--from-archive", str(tmp_path))
    assert result.exit_code == 65 and "not valid JSON" in _one_error_line(result)


# ── case 3 (part): records and reports that inflate beyond the caps ──


def test_a_record_inflating_beyond_the_page_cap_is_refused(cli: Cli, tmp_path: Path) -> None:
    """12 MiB of zeros is a 12 KiB gzip member: refused by streaming, before the WARC reader holds any of it."""
    write_archive(tmp_path, [_page(b"\0" * (12 * MiB))], "{}")
    assert sum(p.stat().st_size for p in tmp_path.glob("*.warc.gz")) < 100_000
    result = cli("compare", "--from-archive", str(tmp_path))
    assert result.exit_code == 65
    assert "gzip member 1 (a record) inflates beyond 11 MiB" in _one_error_line(result)
    problems: list[str] = []
    pages, _ = read_archive(tmp_path, on_problem=problems.append)  # --accept-tampered: left out, said so
    assert pages == {} and len(problems) == 1 and problems[0].endswith("the file is left out")


def test_a_payload_that_inflates_through_its_content_encoding_is_refused(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * (11 * MiB))  # small on disk; the reader would inflate it through Content-Encoding
    write_archive(tmp_path, [_page(bomb, headers=(("Content-Encoding", "gzip"),))], "{}")
    with pytest.raises(ArchiveError, match=r"record 1 \(<urn:uuid:.*has a payload that inflates beyond 10 MiB"):
        read_archive(tmp_path)
    problems: list[str] = []
    pages, _ = read_archive(tmp_path, on_problem=problems.append)
    assert pages == {} and problems[0].endswith("the record is left out")
    # a smaller cap (FetchSettings.max_bytes) is obeyed the same way
    write_archive(tmp_path / "small", [_page(b"x" * 5000)], "{}")
    with pytest.raises(ArchiveError, match="has a payload that inflates beyond 4,096 bytes"):
        read_archive(tmp_path / "small", max_bytes=4096)


def test_an_oversized_report_json_is_refused(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_archive(tmp_path, [_page(b"<p>x</p>")], json.dumps({"padding": "x" * 5000}))
    monkeypatch.setattr(store, "MAX_REPORT_BYTES", 4096)  # 64 MiB in use; a small cap keeps the test fast
    result = cli("compare", "--from-archive", str(tmp_path))
    assert result.exit_code == 65 and "report.json: larger than 4,096 bytes" in _one_error_line(result)


# ── case 10: outputs checked before the run, write failures after it ──


def test_output_onto_a_folder_is_refused_before_the_run(cli: Cli, site: LoopbackServer, tmp_path: Path) -> None:
    result = cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder: give a file name" in _one_error_line(result)
    assert site.requests == []  # nothing was fetched


def test_an_existing_output_file_needs_force(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("keep me", encoding="utf-8")
    refused = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "-o", str(out))
    assert refused.exit_code == 2
    assert "exists: give --force to overwrite it" in _one_error_line(refused)
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["matrix"]["p1"]["tidewater"] == "verbatim"


def test_archive_onto_a_file_is_refused_before_the_run(cli: Cli, site: LoopbackServer, tmp_path: Path) -> None:
    file = tmp_path / "evidence"
    file.write_text("not a folder", encoding="utf-8")
    result = cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "--archive", str(file))
    assert result.exit_code == 2 and "is a file: give a folder" in _one_error_line(result)
    result = cli("compare", "-q", QUOTE, "-u", site.url("tidewater.html"), "--archive", str(file / "below"))
    assert result.exit_code == 2 and "is a file, not a folder" in _one_error_line(result)
    assert site.requests == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_write_failure_after_the_run_keeps_the_report(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = cli("compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--format", "json", "-o", "/dev/full")
    assert result.exit_code == ExitStatus.WRITE_FAILED == 74
    line = _one_error_line(result)
    assert "cannot write the report to --output '/dev/full' (No space left on device)" in line
    [saved] = tmp_path.glob(f"newscov-report-*-{os.getpid()}.json")
    assert f"it was saved to {saved} instead" in line
    assert json.loads(saved.read_text(encoding="utf-8"))["matrix"]["p1"]["tidewater"] == "verbatim"
    # the terminal view too, as plain text
    result = cli(
        "compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--format", "terminal", "-o", "/dev/full"
    )
    assert result.exit_code == 74
    [text] = tmp_path.glob("newscov-report-*.txt")
    assert "✓ verbatim" in text.read_text(encoding="utf-8")


def test_an_archive_that_cannot_be_written_goes_to_the_temp_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    asked = tmp_path / "evidence"

    def full_disk(folder: Path, pages: object, report_json: str) -> Path:
        if folder == asked:
            raise OSError(28, "No space left on device")
        return write_archive(folder, pages, report_json)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "write_archive", full_disk)
    result = cli(
        "compare", "-q", QUOTE, *FILES, "--no-cache", "--no-aligner", "--format", "json", "--archive", str(asked)
    )
    assert result.exit_code == 74
    assert json.loads(result.stdout)["matrix"]["p1"]["tidewater"] == "verbatim"  # the report was written
    line = _one_error_line(result)
    assert "cannot write the evidence there (No space left on device); it was written to" in line
    [fallback] = (tmp_path / "tmp").glob("newscov-archive-*")
    assert str(fallback) in line and len({p.final_url for p in read_archive(fallback)[0].values()}) == 2


def test_two_archive_runs_in_the_same_second_keep_both(tmp_path: Path) -> None:
    first = write_archive(tmp_path, [_page(b"<p>one</p>", "https://news.example/1")], '{"run": 1}')
    second = write_archive(tmp_path, [_page(b"<p>two</p>", "https://news.example/2")], '{"run": 2}')
    assert first != second and first.exists() and second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [first.name, second.name, "report.json"] + [p.name.replace(".warc.gz", ".report.json") for p in (first, second)]
    )
    assert json.loads(first.with_name(first.name.replace(".warc.gz", ".report.json")).read_text())["run"] == 1
    pages, report = read_archive(tmp_path)
    assert report == {"run": 2}  # report.json: the latest run's
    assert {p.final_url for p in pages.values()} == {"https://news.example/1", "https://news.example/2"}


def test_damaged_cache_rows_are_misses(cli: Cli, site: LoopbackServer) -> None:
    url = site.url("tidewater.html")
    cache = Cache()
    cache.close()
    with closing(sqlite3.connect(cache.path)) as db, db:  # a text body, headers that are not JSON, no date
        db.execute(
            "INSERT INTO pages_v2 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (canonical_url(url), url, url, 200, "OK", "HTTP/1.1", "[", "{not json", "text", "yesterday"),
        )
    result = cli("compare", "-q", QUOTE, "-u", "tidewater=" + url, "--no-aligner", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["matrix"]["p1"]["tidewater"] == "verbatim"
    assert "/tidewater.html" in site.requests  # fetched again
    assert "newscov: warning: 1 damaged cache entry was ignored" in result.stderr
    reopened = Cache()
    page = reopened.get(url)
    reopened.close()
    assert page is not None and QUOTE.encode() in page.body  # and the row replaced


def test_a_full_cache_disk_stops_caching_and_says_so_once(
    cli: Cli, site: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = Cache.__init__

    def full(self: Cache, path: Path | None = None) -> None:  # the database may not grow: SQLITE_FULL
        opened(self, path)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Cache, "__init__", full)
    urls = ["-u", "tidewater=" + site.url("tidewater.html"), "-u", "pinecrest=" + site.url("pinecrest.html")]
    result = cli("compare", "-q", QUOTE, *urls, "--no-aligner", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["matrix"]["p1"] == {"tidewater": "verbatim", "pinecrest": "near"}
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "stopped storing pages in the cache" in warnings[0] and "database or disk is full" in warnings[0]


def test_cache_put_failure_is_remembered_not_raised(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "pages.sqlite")
    cache._db.execute("PRAGMA max_page_count = 1")
    cache.put(_page(b"x" * 50_000))
    assert cache.trouble is not None and "database or disk is full" in cache.trouble
    cache.put(_page(b"y", "https://news.example/b"))  # no more tries, no error
    assert cache.get("https://news.example/b") is None
    cache.close()
