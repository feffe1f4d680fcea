"""One exception tree, and the exit status each error ends the `newscov` command with; every message is a single
sentence a user can act on.

NewscovError
├── UsageError        bad flags or arguments (exit status 2)
├── SourcesError      the outlet registry cannot be read (exit status 2)
├── NetworkError      no host could be reached at all: the machine is offline (exit status 69)
├── ArchiveError      an evidence archive fails its check: altered, damaged or oversized (exit status 65)
├── OutputError       the report or the archive could not be written after the run (exit status 74)
├── FetchError        one URL could not be fetched (becomes a per-article Failure)
└── ExtractError      one page has no readable article (becomes a per-article Failure)
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The exit status of the `newscov` command (after httpie's ExitStatus); sysexits.h values where one fits."""

    OK = 0
    NOTHING_COMPARED = 1
    USAGE = 2
    BAD_ARCHIVE = 65  # EX_DATAERR
    NO_NETWORK = 69  # EX_UNAVAILABLE
    INTERNAL = 70  # EX_SOFTWARE
    WRITE_FAILED = 74  # EX_IOERR
    INTERRUPTED = 130  # 128 + SIGINT

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitStatus.OK: "at least one article was compared",
    ExitStatus.NOTHING_COMPARED: "no article could be compared (corpus: a file could not be read; run again to retry)",
    ExitStatus.USAGE: "a usage error: one line names the flag, file or URL at fault",
    ExitStatus.BAD_ARCHIVE: "the --from-archive folder failed its check: a record altered, damaged or too large",
    ExitStatus.NO_NETWORK: "no host could be reached at all (offline)",
    ExitStatus.INTERNAL: "a bug: run again with --traceback and report it",
    ExitStatus.WRITE_FAILED: "the report or archive could not be written after the run; the message says where it went",
    ExitStatus.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_status_lines() -> list[str]:
    """`CODE  meaning` for each exit status: the --help epilog and the README list these same lines."""
    return [f"{status.value:<4} {status.meaning}" for status in ExitStatus]


class NewscovError(Exception):
    """Base class of every error newscov raises on purpose."""

    exit_status: ExitStatus = ExitStatus.USAGE


class UsageError(NewscovError):
    """The command line or a value given to the API is wrong."""


class SourcesError(NewscovError):
    """The registry file is missing or invalid; the message names file:line and the field."""


class FetchError(NewscovError):
    """A URL or file could not be read."""


class ExtractError(NewscovError):
    """A page was read but holds no article text."""


class NetworkError(NewscovError):
    """Nothing could be searched or read because no host name resolved (the machine is offline)."""

    exit_status = ExitStatus.NO_NETWORK


class ArchiveError(NewscovError):
    """An evidence archive cannot be trusted: a record's digest does not match its content, a record or the
    report is damaged, or one is larger than newscov ever writes. The message names the file and the record."""

    exit_status = ExitStatus.BAD_ARCHIVE


class OutputError(NewscovError):
    """A report or an archive could not be written after the run; the message says where the report went."""

    exit_status = ExitStatus.WRITE_FAILED
