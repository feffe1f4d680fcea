"""The `newscov` command: turns flags into library calls, renders the report, picks the exit status.

The exit statuses are `errors.ExitStatus` (listed in `newscov --help` and the README); every error ends in
`main()`, which prints it as one line and returns its status. Every output is checked before the run, and a
report that cannot be written after it is saved elsewhere (the message says where).
"""

from __future__ import annotations

import dataclasses
import enum
import errno
import functools
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TextIO
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

# typer >= 0.29 carries its own copy of click, whose commands raise that copy's exceptions (pinned in pyproject)
from typer._click import exceptions as click_errors

from . import __version__
from .discover.base import GDELT_INTERVAL_S, GDELT_URL, GNEWS_INTERVAL_S, GNEWS_URL, DiscoverySettings
from .errors import ExitStatus, NewscovError, OutputError, UsageError, exit_status_lines
from .fetch import USER_AGENT, FetchSettings
from .match import Matcher, MatchSettings, default_matchers
from .models import Article, Failure, Outlet, Phrase, Report, Target
from .pipeline import Progress as ProgressEvent
from .pipeline import compare as run_compare
from .sources import Registry, load_sources
from .store import Cache
from .textnorm import one_line

# click prints an epilog as written after a \b line; the README's "Exit status" section lists the same lines
EXIT_STATUS_HELP = "Exit status:\n\n\b\n" + "\n".join(f"  {line}" for line in exit_status_lines())

app = typer.Typer(
    name="newscov",
    help="Compare how news outlets covered the same event: who quoted a phrase verbatim, "
    "who reworded or translated it, who left it out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    epilog=EXIT_STATUS_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class Format(enum.StrEnum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"


FORMAT_NAMES = {"md": Format.markdown, "text": Format.terminal, "txt": Format.terminal, "htm": Format.html}
EXTENSIONS = {".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown, ".html": Format.html,
              ".htm": Format.html, ".csv": Format.csv, ".txt": Format.terminal}  # fmt: skip


def resolve_format(value: str | None, output: Path | None, allowed: Sequence[Format] = tuple(Format)) -> Format:
    """--format as given (md is markdown), else from the -o file's extension, else the terminal view."""
    if value is None:
        fmt = EXTENSIONS.get(output.suffix.lower(), Format.terminal) if output is not None else Format.terminal
        return fmt if fmt in allowed else Format.terminal
    name = value.strip().lower()
    fmt = FORMAT_NAMES.get(name) or next((f for f in Format if f.value == name), None)  # type: ignore[assignment]
    if fmt is None or fmt not in allowed:
        choices = ", ".join(f.value for f in allowed)
        raise UsageError(f"--format {value!r}: not a format of this command; choose one of {choices}")
    return fmt


class Sort(enum.StrEnum):
    registry = "registry"
    verdict = "verdict"
    name = "name"


class Evidence(enum.StrEnum):
    compact = "compact"
    full = "full"
    none = "none"


@dataclass(frozen=True)
class Look:
    """How a report is shown: format, file, row order, evidence detail, colour."""

    fmt: Format = Format.terminal
    output: Path | None = None
    sort: str = "registry"
    evidence: str = "compact"
    color: bool = True


def _console(look: Look, handle: TextIO | None = None) -> Console:
    """The terminal report's console: the terminal (colour unless --no-color or NO_COLOR), or a file (plain text
    at 120 columns)."""
    if handle is not None:
        return Console(file=handle, width=120, color_system=None, force_terminal=False, highlight=False)
    return _StdoutConsole(highlight=False, color_system="auto" if look.color else None)


class _StdoutConsole(Console):
    """rich exits with status 1, silently, when standard output is a closed pipe; here it raises BrokenPipeError
    for `_deliver` to decide."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


_LABEL = re.compile(r"^([a-z0-9][a-z0-9_-]*)=(.+)$", re.DOTALL)
_RENDERING_INDEX = re.compile(r"^(\d+)=(.+)$", re.DOTALL)


def _split_label(value: str) -> tuple[str | None, str]:
    match = _LABEL.match(value)
    return (match.group(1), match.group(2)) if match else (None, value)


def parse_url(value: str) -> tuple[str | None, str]:
    """`[OUTLET=]URL` -> (outlet id or None, URL); rejects anything but absolute http(s) URLs."""
    label, url = _split_label(value.strip())
    if label and not url.startswith(("http://", "https://")):
        label, url = None, value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--url {value!r}: not an http(s) URL; give a full address like https://www.cna.com.tw/news/..."
        )
    return label, url


def parse_file(value: str) -> tuple[str | None, Path]:
    """`[OUTLET=]PATH` -> (outlet label or None, path)."""
    label, raw = _split_label(value)
    if label and Path(value).exists():  # a file whose name looks like "a=b.html"
        label, raw = None, value
    path = Path(raw).expanduser()
    if not path.exists():
        raise UsageError(f"--file {raw!r}: no such file; check the path")
    if not path.is_file():
        raise UsageError(f"--file {raw!r}: not a file")
    return label, path


def build_phrases(quotes: Sequence[str], renderings: Sequence[str]) -> list[Phrase]:
    """Phrases from --quote and --rendering ([N=]TEXT, N = 1-based --quote number, needed with several quotes)."""
    if not quotes:
        raise UsageError("no phrase to look for: give at least one --quote TEXT")
    for number, quote in enumerate(quotes, start=1):
        if not quote.strip():
            raise UsageError(f"--quote number {number} is empty: give the words to look for")
    attached: list[list[str]] = [[] for _ in quotes]
    for rendering in renderings:
        match = _RENDERING_INDEX.match(rendering)
        if match:
            index, text = int(match.group(1)), match.group(2)
        elif len(quotes) == 1:
            index, text = 1, rendering
        else:
            raise UsageError(
                f"--rendering {rendering!r}: with several --quote, say which one it renders, "
                f"e.g. --rendering '2={rendering}'"
            )
        if not 1 <= index <= len(quotes):
            raise UsageError(f"--rendering {rendering!r}: there is no --quote number {index}")
        if not text.strip():
            raise UsageError(f"--rendering {rendering!r} is empty")
        attached[index - 1].append(text.strip())
    return [
        Phrase(id=f"p{n}", text=q.strip(), renderings=tuple(r))
        for n, (q, r) in enumerate(zip(quotes, attached, strict=True), start=1)
    ]


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[ProgressEvent], None] | None]:
    """A progress bar on stderr for interactive runs; yields the pipeline's progress callback (or None)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("reading articles", total=total)

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "stage":  # a new phase: searching N outlets → reading N articles → matching N articles
            progress.reset(task, total=event.total, description=event.detail)
        elif event.stage in ("extract", "match") or (event.stage == "fetch" and not event.ok):
            progress.advance(task)

    with progress:
        yield on_event


def _emit(report: Report, look: Look, view: str = "compare") -> None:
    from . import report as render

    if look.fmt is Format.terminal:
        show = render.render_quotes if view == "quotes" else render.render_terminal
        _deliver(look, "report", draw=lambda console: show(report, console, sort=look.sort, evidence=look.evidence))
        return
    writers: dict[Format, Callable[[], str]] = {
        Format.json: lambda: render.report_to_json(report),
        Format.markdown: lambda: render.report_to_markdown(report, sort=look.sort, view=view),
        Format.html: lambda: render.report_to_html(report, sort=look.sort, view=view),
        Format.csv: lambda: render.report_to_csv(report, sort=look.sort),
    }
    _deliver(look, "report", text=writers[look.fmt]())


def _deliver(look: Look, what: str, text: str | None = None, draw: Callable[[Console], None] | None = None) -> None:
    """Write a rendered report (`text`, or `draw` for the terminal view) to -o or standard output.

    When that fails (a full disk, /dev/full), the report is saved to a new file in the temp
    folder (else standard output) and OutputError says where: the work of the run is never lost."""
    try:
        if draw is not None and look.output is None:
            draw(_console(look))
            sys.stdout.flush()
            return
        text = text if text is not None else _plain(look, draw)
        _write(text, look.output)
    except BrokenPipeError:
        if look.output is None:  # the reader stopped reading (`| head`): it has what it wanted, say nothing
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        problem = os.strerror(errno.EPIPE)
    except OSError as exc:
        problem = exc.strerror or str(exc)
    else:
        if look.output:
            _stderr().print(Text(f"newscov: wrote {look.fmt.value} {what} to {one_line(str(look.output))}"))
        return
    text = text if text is not None else _plain(look, draw)
    target = f"--output {str(look.output)!r}" if look.output else "standard output"
    saved = _fallback(text, look.fmt, stdout_too=look.output is not None)
    where = f"it was saved to {saved} instead" if saved else "it could not be saved anywhere else either"
    raise OutputError(f"cannot write the {what} to {target} ({problem}); {where}")


def _plain(look: Look, draw: Callable[[Console], None] | None) -> str:
    """The terminal view as plain text at 120 columns (what -o FILE.txt holds)."""
    assert draw is not None
    buffer = io.StringIO()
    draw(_console(look, buffer))
    return buffer.getvalue()


SUFFIXES = {Format.terminal: ".txt", Format.json: ".json", Format.markdown: ".md", Format.html: ".html",
            Format.csv: ".csv"}  # fmt: skip


def _fallback(text: str, fmt: Format, stdout_too: bool) -> str | None:
    """Save a report that could not be written where asked: a new file in the temp folder (named by the time and
    the process), else standard output (unless that is what failed). Returns where, or None."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    path = Path(tempfile.gettempdir()) / f"newscov-report-{stamp}-{os.getpid()}{SUFFIXES[fmt]}"
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        return str(path)
    except FileExistsError:
        pass
    except OSError:
        path.unlink(missing_ok=True)
    if stdout_too:
        try:
            _write(text, None)
            return "standard output"
        except OSError:
            pass
    return None


def _write(text: str, output: Path | None) -> None:
    """Write text to a file or standard output; OSError when it cannot (a new file left half-written is removed)."""
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    existed = output.exists()
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError:
        if not existed and output.is_file():
            output.unlink(missing_ok=True)
        raise


def _exit_status(report: Report) -> int:
    return ExitStatus.OK if report.compared else ExitStatus.NOTHING_COMPARED


def _check_output(output: Path | None, force: bool = False) -> None:
    """Refuse, before any work is done, an -o the report could not be written to or would overwrite unasked."""
    if output is None:
        return
    shown, folder = str(output), output.parent
    if output.is_dir():
        raise UsageError(f"--output {shown!r} is a folder: give a file name, e.g. {str(output / 'report.html')!r}")
    if not folder.exists():
        raise UsageError(f"--output {shown!r}: folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise UsageError(f"--output {shown!r}: {str(folder)!r} is not a folder")
    if output.exists():
        if output.is_file() and not force:
            raise UsageError(f"--output {shown!r} exists: give --force to overwrite it, or another file name")
        if not os.access(output, os.W_OK):
            raise UsageError(f"--output {shown!r}: not allowed to write to it")
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"--output {shown!r}: not allowed to create a file in {str(folder)!r}")


def _check_archive(folder: Path | None) -> None:
    """Refuse, before any work is done, an --archive folder that could not be written."""
    if folder is None:
        return
    shown = str(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--archive {shown!r} is a file: give a folder (it is created if need be)")
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise UsageError(f"--archive {shown!r}: {str(existing)!r} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--archive {shown!r}: not allowed to write in {str(existing)!r}")


def _warn(message: str) -> None:
    console = _stderr()
    for line in message.splitlines() or [""]:
        console.print(Text(f"newscov: warning: {one_line(line)}"))


def _cache_warnings(cache: Cache | None) -> None:
    """Say, in one line each, that the cache stopped storing pages or had damaged ones (the run went on)."""
    if cache is None:
        return
    if cache.trouble:
        _warn(f"{cache.trouble}; the run went on without storing pages")
    if cache.damaged:
        _warn(f"{cache.damaged} damaged cache entr{'y was' if cache.damaged == 1 else 'ies were'} ignored")


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="terminal (rich, for people), json (for scripts), markdown (md), html (a page to share) or csv "
        "(a row per outlet and phrase). Default: from the -o file's extension, else terminal.",
    ),
]
SortOption = Annotated[
    Sort, typer.Option("--sort", help="Order of the outlets: registry (as given), verdict (carried first) or name.")
]
EvidenceOption = Annotated[
    Evidence,
    typer.Option("--evidence", help="Terminal evidence: compact (a line per cell), full (the whole why), or none."),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour in the terminal (the NO_COLOR variable is honoured too).")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report to this file instead of the terminal (an existing file needs --force)."
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress bar.")]
AliasOption = Annotated[
    list[str] | None, typer.Option("--alias", help="Spellings of one name: NAME=VARIANT,VARIANT (repeatable).")
]
SourcesOption = Annotated[
    Path | None,
    typer.Option("--sources", help="Your own registry file: adds outlets, or overrides the fields it names."),
]


def _outlet_or_error(registry: Registry, outlet_id: str) -> Outlet:
    outlet = registry.get(outlet_id)
    if outlet is None:
        near = registry.suggest(outlet_id)
        hint = f"; did you mean {' or '.join(near)}?" if near else "; see 'newscov sources list'"
        raise UsageError(f"unknown outlet {outlet_id!r}{hint}")
    return outlet


def _examples(*lines: str) -> str:
    """An epilog click prints as written (the \\b marker stops it from re-wrapping the lines)."""
    return "Example:\n\n\b\n" + "\n".join(lines)


@app.command(
    epilog=_examples(
        "  newscov compare -q 'has never been better' -r 前所未有良好 -r 從未如此之好 \\",
        "      --url https://udn.com/news/story/6813/9112304 --file cna=saved/cna.html",
        "  newscov compare -q 前所未有良好 --query '赫塞斯 董軍' --alias 赫塞斯=赫格塞斯,赫格塞思,Hegseth \\",
        "      --from 2025-10-31 --to 2025-11-03 --lang zh --country TW",
        "  newscov compare --event examples/hegseth-dong.yaml -o report.html --sort verdict",
        "  newscov compare --original 'The relationship between the United States and China has never been better.' \\",
        "      --speaker Hegseth --alias 赫塞斯=赫格塞斯,赫格塞思,Hegseth \\",
        "      --file udn=saved/udn.html --file cna=saved/cna.html",
    )
)
def compare(
    quote: Annotated[
        list[str] | None, typer.Option("--quote", "-q", help="A key phrase to look for (repeatable).")
    ] = None,
    rendering: Annotated[
        list[str] | None,
        typer.Option(
            "--rendering",
            "-r",
            help="An accepted translation or rewording of a phrase, reported as 'translated' (repeatable). "
            "With several --quote, prefix the quote's number: --rendering '2=TEXT'.",
        ),
    ] = None,
    url: Annotated[
        list[str] | None,
        typer.Option(
            "--url",
            "-u",
            help="An article to fetch (repeatable). Its outlet comes from sources.yaml by domain; "
            "force one with OUTLET=URL.",
        ),
    ] = None,
    file: Annotated[
        list[str] | None,
        typer.Option(
            "--file",
            "-f",
            help="A saved article, .html or .txt (repeatable), as OUTLET=PATH; without OUTLET= the outlet "
            "comes from the page's canonical URL, else the file name.",
        ),
    ] = None,
    original: Annotated[
        str | None,
        typer.Option(
            "--original",
            help="The statement in its own language (an X post, a transcript, a press release): its TEXT, a FILE or "
            "a URL. Each sentence is looked for in every article, in every language, and the renderings are shown.",
        ),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Who made the --original statement (a name or an --alias).")
    ] = None,
    translator: Annotated[
        str | None,
        typer.Option(
            "--translator",
            help="A self-hosted LibreTranslate-compatible server (URL): phrases are machine-translated into each "
            "article's language and looked for too.",
        ),
    ] = None,
    no_aligner: Annotated[
        bool,
        typer.Option(
            "--no-aligner",
            help="Do not load the offline cross-language aligner (faster; other-language pairs are 'not compared').",
        ),
    ] = False,
    event_file: Annotated[
        Path | None,
        typer.Option(
            "--event", help="An event file (YAML): queries, aliases, window, outlets, pinned URLs, phrases, original."
        ),
    ] = None,
    query: Annotated[
        list[str] | None,
        typer.Option(
            "--query",
            help="Find each outlet's articles about the event: words an article would contain, in any language "
            "(repeatable; 'Hegseth Dong Jun', '赫塞斯 董軍').",
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias", help="Spellings of one name: NAME=VARIANT,VARIANT (repeatable; 赫塞斯=赫格塞斯,Hegseth)."
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Window start as a span ago: 3d, 12h, 2w.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Window start: 2025-11-01 or an ISO date-time.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Window end (default: now).")] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option("--outlet", help="Search this outlet (repeatable; default: every outlet of --lang/--country)."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Search the outlets in this language or script.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Search the outlets of this country.")] = None,
    per_outlet: Annotated[int, typer.Option("--per-outlet", min=1, help="Articles kept per outlet.")] = 3,
    exhaustive: Annotated[
        bool,
        typer.Option(
            "--exhaustive",
            help="Run every discovery strategy of an outlet (feeds, sitemaps, search), not only until one finds the "
            "event.",
        ),
    ] = False,
    no_feeds: Annotated[bool, typer.Option("--no-feeds", help="Do not read the outlets' RSS/Atom feeds.")] = False,
    no_sitemaps: Annotated[bool, typer.Option("--no-sitemaps", help="Do not read news sitemaps.")] = False,
    no_search: Annotated[bool, typer.Option("--no-search", help="Do not use the outlets' site search.")] = False,
    no_gnews: Annotated[bool, typer.Option("--no-gnews", help="Do not ask Google News RSS search.")] = False,
    no_gdelt: Annotated[bool, typer.Option("--no-gdelt", help="Do not ask the GDELT DOC API.")] = False,
    # where Google News and GDELT answer (tests point them at a loopback fake web)
    gnews_url: Annotated[str, typer.Option("--gnews-url", hidden=True)] = GNEWS_URL,
    gdelt_url: Annotated[str, typer.Option("--gdelt-url", hidden=True)] = GDELT_URL,
    gdelt_interval: Annotated[float, typer.Option("--gdelt-interval", hidden=True)] = GDELT_INTERVAL_S,
    gnews_interval: Annotated[float, typer.Option("--gnews-interval", hidden=True)] = GNEWS_INTERVAL_S,
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch every page again (the cache is updated).")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only pages in the cache; say which pages are missing.")
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the page cache.")] = False,
    archive: Annotated[
        Path | None,
        typer.Option("--archive", help="Write the evidence: WARC records of every page used, and the report JSON."),
    ] = None,
    from_archive: Annotated[
        Path | None,
        typer.Option(
            "--from-archive",
            help="Compare again, offline, from an --archive folder: its phrases, or new ones given with --quote or "
            "--original, in its pages. Every record's digest is verified first.",
        ),
    ] = None,
    accept_tampered: Annotated[
        bool,
        typer.Option(
            "--accept-tampered",
            help="With --from-archive: use records whose digests do not match (altered since they were written), "
            "with a warning in the report, instead of refusing the archive.",
        ),
    ] = False,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Fetch what robots.txt forbids (the report says so).")
    ] = False,
    user_agent: Annotated[str, typer.Option("--user-agent", help="The User-Agent header to send.")] = USER_AGENT,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Let discovered addresses and redirects reach loopback, private and link-local addresses "
            "(refused by default; a --url you give is always fetched).",
        ),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    sort: SortOption = Sort.registry,
    evidence: EvidenceOption = Evidence.compact,
    no_color: NoColorOption = False,
    sources: SourcesOption = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for each server step (connect, read).")
    ] = 20.0,
    quiet: QuietOption = False,
    view: Annotated[str, typer.Option("--view", hidden=True)] = "compare",
) -> int:
    """Compare how outlets carried phrases: verbatim, reworded, translated, or not at all.

    Give the articles (--url, --file), or describe the event (--query, --alias, --from/--to, --outlet, or an
    --event file) and newscov finds each outlet's articles itself, saying "no article" only after it searched.
    """
    from .event import build_event, load_event

    if refresh and offline:
        raise UsageError("give --refresh or --offline, not both")
    if accept_tampered and from_archive is None:
        raise UsageError("--accept-tampered goes with --from-archive: it accepts an archive that fails its check")
    _check_output(output, force)
    _check_archive(archive)
    look = Look(resolve_format(fmt, output), output, sort.value, evidence.value, not no_color)
    registry = load_sources(sources)
    settings = FetchSettings(
        timeout_s=timeout,
        deadline_s=max(60.0, timeout * 3),
        obey_robots=not ignore_robots,
        user_agent=user_agent,
        allow_private=allow_private,
    )
    if translator is not None and urlsplit(translator).scheme not in ("http", "https"):
        raise UsageError(f"--translator {translator!r}: give the server's http(s) URL, e.g. http://localhost:5000")
    if from_archive is not None:
        if url or file or query or event_file:
            raise UsageError(
                "--from-archive takes its articles from the archive: drop --url, --file, --query and --event "
                "(--quote, --rendering and --original check new phrases in them)"
            )
        given = build_phrases(quote or [], rendering or []) if quote or rendering else []
        statement = (original, speaker) if original else None
        cascade = default_matchers(aligner=not no_aligner, translator=translator)
        return _replay(
            from_archive, registry, settings, look, quiet, given, statement, alias or [], cascade, accept_tampered
        )
    base = load_event(event_file) if event_file else None
    if view == "quotes" and (quote or rendering or original):
        raise UsageError(
            "newscov quotes finds the quotes itself: drop --quote, --rendering and --original (or use compare)"
        )
    # no phrase at all: the quotes the articles carry are compared (who carried which quote)
    phrases = build_phrases(quote or [], rendering or []) if quote or rendering else list(base.phrases if base else ())
    if view == "quotes":
        phrases = []
    event = build_event(
        base,
        queries=query or [],
        aliases=alias or [],
        start=from_,
        end=to,
        since=since,
        outlets=outlet or [],
        original=original,
        speaker=speaker,
    )
    if not url and not file and not event.queries and not event.pinned:
        raise UsageError("no article to compare: give --url URL, --file PATH or --query TEXT (or try 'newscov demo')")
    targets: list[str | Target] = []
    for value in url or []:
        label, address = parse_url(value)
        targets.append(Target(label, url=address) if label else address)  # unlabelled: outlet by domain
    for value in file or []:
        name, path = parse_file(value)
        targets.append(Target(name, path=str(path)) if name else str(path))  # unlabelled: canonical URL or name
    scope = [_outlet_or_error(registry, o) for o in event.outlets] or [
        o
        for o in registry
        if (lang is None or lang == o.language or lang in o.scripts)
        and (country is None or (o.country or "").upper() == country.upper())
    ]
    if event.queries and not scope:
        raise UsageError("no outlet to search: --lang/--country match none; see 'newscov sources list'")
    off = {"feeds": no_feeds, "sitemaps": no_sitemaps, "search": no_search, "gnews": no_gnews, "gdelt": no_gdelt}
    discovery = DiscoverySettings(
        backends=frozenset(b for b, skip in off.items() if not skip),
        per_outlet=per_outlet,
        exhaustive=exhaustive,
        gnews_url=gnews_url,
        gdelt_url=gdelt_url,
        gdelt_interval_s=gdelt_interval,
        gnews_interval_s=gnews_interval,
    )
    expected = len(targets) + len(event.pinned) + (len(scope) * per_outlet if event.queries else 0)
    cache = None if no_cache else Cache()
    try:
        with _progress(not quiet, expected) as on_progress:
            report = run_compare(
                phrases,
                targets,
                registry=registry,
                event=event if (event.queries or event.pinned) else None,
                outlets=scope,
                discovery_settings=discovery,
                fetch_settings=settings,
                on_progress=on_progress,
                cache=cache,
                fetch_mode="offline" if offline else "refresh" if refresh else "normal",
                match_settings=MatchSettings(aliases=event.aliases),
                matchers=default_matchers(aligner=not no_aligner, translator=translator),
                original=event.original,
                speaker=event.speaker,
            )
    finally:
        if cache is not None:
            cache.close()
        _cache_warnings(cache)
    _deliver_all(report, look, view, archive)
    return _exit_status(report)


def _deliver_all(report: Report, look: Look, view: str, archive: Path | None) -> None:
    """The report, then the archive: one failing does not stop the other; OutputError lists what failed."""
    failed: list[str] = []
    try:
        _emit(report, look, view)
    except OutputError as exc:
        failed.append(str(exc))
    if archive is not None:
        try:
            _write_archive(archive, report)
        except OutputError as exc:
            failed.append(str(exc))
    if failed:
        raise OutputError("\n".join(failed))


@app.command(
    "quotes",
    epilog=_examples(
        "  newscov quotes --url https://udn.com/news/story/6813/9112304 --file cna=saved/cna.html",
        "  newscov quotes --query '赫塞斯 董軍' --alias 赫塞斯=赫格塞斯,赫格塞思 --since 3d --lang zh",
    ),
)
@functools.wraps(compare)
def quotes(**options: Any) -> int:
    options["view"] = "quotes"
    return compare(**options)


quotes.__doc__ = """What each outlet quoted, grouped across outlets: this quote is in UDN and HK01, not in CNA.

Takes the same inputs as compare (--url, --file, --query, --event, ...) but no --quote: newscov finds the
quoted statements and their speakers itself and says which outlet carried each one, verbatim or reworded.
"""


def _write_archive(folder: Path, report: Report) -> None:
    """The evidence archive; if the folder cannot take it after the run, a new folder in the temp folder does."""
    from .report import report_to_json
    from .store import write_archive

    report_json = report_to_json(report)
    try:
        path = write_archive(folder, report.pages.values(), report_json)
    except OSError as exc:
        problem = exc.strerror or str(exc)
        try:
            path = write_archive(Path(tempfile.mkdtemp(prefix="newscov-archive-")), report.pages.values(), report_json)
        except OSError:
            raise OutputError(
                f"--archive {str(folder)!r}: cannot write the evidence there ({problem}), nor in the temp folder"
            ) from None
        raise OutputError(
            f"--archive {str(folder)!r}: cannot write the evidence there ({problem}); it was written to "
            f"{path.parent} instead"
        ) from None
    _stderr().print(
        Text(f"newscov: archived {len(report.pages)} page(s) in {one_line(str(path))} and the report beside it")
    )


MAX_WARNINGS = 20  # archive problems shown (on stderr and in the report's notes); the rest are counted


def _replay(
    folder: Path,
    registry: Registry,
    settings: FetchSettings,
    look: Look,
    quiet: bool,
    phrases: list[Phrase],
    statement: tuple[str, str | None] | None,
    aliases: Sequence[str],
    matchers: list[Matcher],
    accept_tampered: bool = False,
) -> int:
    """--from-archive: the archived articles compared again from the archived pages, for the archived phrases or
    for new ones (--quote, --original). An archive failing its check is refused (ArchiveError), or with
    --accept-tampered read with a loud warning on stderr and in the report's notes."""
    from .event import parse_alias
    from .store import read_archive

    problems: list[str] = []
    pages, saved = read_archive(
        folder, max_bytes=settings.max_bytes, on_problem=problems.append if accept_tampered else None
    )
    warnings = [f"TAMPERED OR DAMAGED EVIDENCE: {problem}" for problem in problems[:MAX_WARNINGS]]
    if len(problems) > MAX_WARNINGS:
        warnings.append(f"TAMPERED OR DAMAGED EVIDENCE: {len(problems) - MAX_WARNINGS} more problem(s) in {folder}")
    for warning in warnings:
        _warn(warning)
    try:
        if not phrases and statement is None:
            phrases = [
                Phrase(p["id"], p["text"], tuple(p.get("renderings") or ()), p.get("language"), p.get("speaker"),
                       p.get("source"))
                for p in saved["phrases"]  # type: ignore[attr-defined]
            ]  # fmt: skip
        for item in saved["outlets"]:  # type: ignore[attr-defined]
            if registry.get(item["id"]) is None:
                registry.add(
                    Outlet(item["id"], item["name"], item.get("native_name"), item.get("language"), known=False)
                )
        locations = [(a["outlet_id"], a["url"]) for a in saved["articles"]]  # type: ignore[attr-defined]
        locations += [(f["outlet_id"], f["url"]) for f in saved["failures"] if f["stage"] != "discover"]  # type: ignore[attr-defined]
        saved_aliases = [tuple(a) for a in (saved.get("event") or {}).get("aliases") or ()]  # type: ignore[attr-defined]
    except (KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{folder}: the archived report lacks {exc}; is it a newscov archive?") from None
    targets = [Target(o, url=u) if u.startswith(("http://", "https://")) else Target(o, path=u) for o, u in locations]
    if not targets:
        raise UsageError(f"--from-archive {str(folder)!r}: the archived report read no article")
    names = tuple(parse_alias(x) for x in aliases) or tuple(tuple(str(n) for n in a) for a in saved_aliases)
    with _progress(not quiet, len(targets)) as on_progress:
        report = run_compare(
            phrases,
            targets,
            registry=registry,
            fetch_settings=settings,
            on_progress=on_progress,
            archive=pages,
            match_settings=MatchSettings(aliases=names),
            matchers=matchers,
            original=statement[0] if statement else None,
            speaker=statement[1] if statement else None,
        )
    if warnings:
        report = dataclasses.replace(report, notes=(*report.notes, *warnings))
    _emit(report, look)
    return _exit_status(report)


@app.command(
    epilog=_examples("  newscov demo", "  newscov demo -o demo.html", "  newscov demo --format json | jq .tallies")
)
def demo(
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    sort: SortOption = Sort.registry,
    evidence: EvidenceOption = Evidence.compact,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> int:
    """Run the whole pipeline on bundled SAMPLE pages (fictional outlets and event) over a loopback server.

    Six outlets report that a minister called relations with a neighbour "never better": one quotes it in
    English, two translate it in different words, one in Simplified Chinese, one leaves it out, one cannot
    be fetched.
    """
    from .demo import PAGES, run_demo

    _check_output(output, force)
    look = Look(resolve_format(fmt, output), output, sort.value, evidence.value, not no_color)
    with _progress(not quiet, len(PAGES)) as on_progress:
        report = run_demo(on_progress=on_progress)
    _emit(report, look)
    return _exit_status(report)


def _article_argument(value: str) -> str | Target:
    """A diff argument: [OUTLET=]URL or [OUTLET=]PATH."""
    label, rest = _split_label(value)
    if value.startswith(("http://", "https://")) or rest.startswith(("http://", "https://")):
        label, url = parse_url(value)
        return Target(label, url=url) if label else url
    name, path = parse_file(value)
    return Target(name, path=str(path)) if name else str(path)


@app.command(
    epilog=_examples(
        "  newscov diff https://udn.com/news/story/6813/9112304 cna=saved/cna.html",
        "  newscov diff saved/a.html saved/b.html --alias 赫塞斯=赫格塞斯,赫格塞思 --format json",
        "  newscov diff saved/a.html saved/b.html -o a-b.html",
    )
)
def diff(
    a: Annotated[str, typer.Argument(metavar="A", help="The first article: [OUTLET=]URL or [OUTLET=]FILE.")],
    b: Annotated[str, typer.Argument(metavar="B", help="The second article, the same way.")],
    alias: AliasOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    no_color: NoColorOption = False,
    sources: SourcesOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the page cache.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for each server step.")] = 20.0,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Let redirects reach other loopback, private and link-local hosts."),
    ] = False,
) -> int:
    """Two articles side by side, sentence by sentence: what A carries that B leaves out, what B adds, what was
    reworded (bylines and credits set apart); across languages, which sentence renders which."""
    import asyncio

    from .diff import align
    from .event import parse_alias
    from .pipeline import read_articles
    from .report import diff as render
    from .report.csvfile import diff_to_csv

    first, second = _article_argument(a), _article_argument(b)
    if first == second:
        raise UsageError("A and B are the same article: give two different ones")
    _check_output(output, force)
    look = Look(resolve_format(fmt, output), output, color=not no_color)
    registry = load_sources(sources)
    cache = None if no_cache else Cache()
    settings = FetchSettings(timeout_s=timeout, deadline_s=max(60.0, timeout * 3), allow_private=allow_private)
    try:
        results = asyncio.run(read_articles([first, second], registry=registry, fetch_settings=settings, cache=cache))
    finally:
        if cache is not None:
            cache.close()
        _cache_warnings(cache)
    failed = [r for r in results if isinstance(r, Failure)]
    for failure in failed:
        _print_error(f"{failure.url}: {failure.reason}")
    if failed:
        return ExitStatus.NOTHING_COMPARED
    article_a, article_b = (r for r in results if isinstance(r, Article))
    lines = align(article_a, article_b, MatchSettings(aliases=tuple(parse_alias(x) for x in alias or [])))
    if look.fmt is Format.terminal:
        _deliver(look, "diff", draw=lambda console: render.render_diff(article_a, article_b, lines, console))
        return ExitStatus.OK
    writers = {
        Format.json: render.diff_to_json,
        Format.markdown: render.diff_to_markdown,
        Format.html: render.diff_to_html,
        Format.csv: diff_to_csv,
    }
    _deliver(look, "diff", text=writers[look.fmt](article_a, article_b, lines))
    return ExitStatus.OK


sources_app = typer.Typer(
    help="The outlet registry: list the outlets newscov knows, show one, check the files (and, live, the feeds).",
    no_args_is_help=True,
)
app.add_typer(sources_app, name="sources")


@sources_app.command(
    "list", epilog=_examples("  newscov sources list --lang zh --country TW", "  newscov sources list --format json")
)
def sources_list(
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only outlets in this language or script (zh, en, zh-Hans, ...).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only outlets of this country (TW, HK, ...).")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> int:
    """List the outlets of the registry, with what newscov knows of each."""
    from .report.json import dumps
    from .report.sources import outlet_to_dict, outlets_table, outlets_to_csv, outlets_to_html, outlets_to_markdown

    chosen = resolve_format(fmt, output)
    _check_output(output, force)
    registry = load_sources(sources)
    outlets = [
        o
        for o in registry
        if (lang is None or lang == o.language or lang in o.scripts)
        and (country is None or (o.country or "").upper() == country.upper())
    ]
    look = Look(chosen, output)
    if chosen is Format.terminal:
        _deliver(look, "outlet list", draw=lambda console: console.print(outlets_table(outlets, registry.files)))
        return ExitStatus.OK
    writers = {
        Format.json: lambda: dumps([outlet_to_dict(o) for o in outlets]),
        Format.markdown: lambda: outlets_to_markdown(outlets),
        Format.html: lambda: outlets_to_html(outlets),
        Format.csv: lambda: outlets_to_csv(outlets),
    }
    _deliver(look, "outlet list", text=writers[chosen]())
    return ExitStatus.OK


@sources_app.command("show", epilog=_examples("  newscov sources show cna"))
def sources_show(
    outlet_id: Annotated[str, typer.Argument(metavar="ID", help="The outlet's id, as in 'sources list'.")],
    fmt: Annotated[str | None, typer.Option("--format", help="terminal (for people) or json (for scripts).")] = None,
    sources: SourcesOption = None,
) -> int:
    """Show everything the registry says about one outlet."""
    from .report.json import dumps
    from .report.sources import outlet_panel, outlet_to_dict

    chosen = resolve_format(fmt, None, (Format.terminal, Format.json))
    outlet = _outlet_or_error(load_sources(sources), outlet_id)
    if chosen is Format.json:
        sys.stdout.write(dumps(outlet_to_dict(outlet)) + "\n")
    else:
        Console(highlight=False).print(outlet_panel(outlet))
    return ExitStatus.OK


@sources_app.command(
    "check",
    epilog=_examples(
        "  newscov sources check",
        "  newscov sources check cna --live",
        "  newscov sources check cna udn --live --save",
        "  newscov sources check mine --live --sources mine.yaml --save-to mine.yaml",
        "  newscov sources check --sources mine.yaml",
    ),
)
def sources_check(
    outlet_ids: Annotated[
        list[str] | None, typer.Argument(metavar="ID", help="Check only these outlets.", show_default=False)
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Also fetch the outlet's feeds, sitemaps and search, and say what answered.")
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="With --live: record in your registry file ($NEWSCOV_SOURCES, else ~/.config/newscov/sources.yaml) "
            "each entry's status (ok, stale, dead), the day and the evidence; an entry the check could not decide "
            "(timeout, no network) keeps its status.",
        ),
    ] = False,
    save_to: Annotated[
        Path | None,
        typer.Option(
            "--save-to",
            metavar="FILE",
            help="As --save, but into FILE (for an outlet of a --sources FILE, give the same FILE).",
        ),
    ] = None,
    sources: SourcesOption = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for each server step.")] = 20.0,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="With --live: let redirects reach private and loopback hosts."),
    ] = False,
) -> int:
    """Validate the registry files (every problem as file:line:col field: problem); --live probes the outlets,
    --save records what they answered."""
    import asyncio

    from .probe import probe_outlets, save_probes
    from .report.sources import probes_table
    from .sources import user_sources_path

    if (save or save_to is not None) and not live:
        flag = "--save-to" if save_to is not None else "--save"
        example = f"newscov sources check ID --live {flag}{' FILE' if save_to is not None else ''}"
        raise UsageError(f"{flag} needs --live: it records what the live check found, as in '{example}'")
    registry = load_sources(sources)  # raises with every problem of every file
    outlets = [_outlet_or_error(registry, i) for i in dict.fromkeys(outlet_ids)] if outlet_ids else list(registry)
    console = Console(highlight=False)
    console.print(Text(f"registry OK: {len(registry)} outlets from {one_line(', '.join(registry.files))}"))
    if not live:
        return ExitStatus.OK
    # each outlet's own interval per host
    settings = FetchSettings(timeout_s=timeout, deadline_s=timeout * 3, allow_private=allow_private)
    probes = asyncio.run(probe_outlets(outlets, settings))
    console.print(probes_table(probes))
    failed = sum(not p.ok for p in probes)
    console.print(Text(f"{len(probes) - failed} of {len(probes)} answered with content"))
    if save or save_to is not None:
        target = save_to.expanduser() if save_to is not None else user_sources_path()
        for saved in save_probes(probes, registry.files, target):
            console.print(Text(one_line(saved.line)), soft_wrap=True)
        probed = {p.outlet_id for p in probes}
        for outlet in outlets:
            if outlet.id not in probed:
                console.print(Text(f"nothing saved for {outlet.id}: it lists no feeds, sitemaps or search"))
    return ExitStatus.OK if not failed else ExitStatus.NOTHING_COMPARED


@app.callback(invoke_without_command=False)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the Python traceback of an error (for bug reports).")
    ] = False,
) -> None:
    """Compare how news outlets covered the same event."""


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_error(message: str) -> None:
    console = _stderr()
    for line in message.splitlines() or [""]:
        console.print(Text(f"newscov: error: {one_line(line)}"))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newscov` command; returns the exit status (an ExitStatus)."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    args = [a for a in args if a != "--traceback"]  # accepted anywhere on the line
    if "--version" in args[:1]:
        sys.stdout.write(f"newscov {__version__}\n")
        return ExitStatus.OK
    try:
        command = typer.main.get_command(app)
        result = command.main(args=args, prog_name="newscov", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.format_message() + "\n")
        return ExitStatus.USAGE
    except click_errors.UsageError as exc:
        if show_traceback:
            raise
        hint = f" (see 'newscov {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.info_name != "newscov" else ""
        _print_error(exc.format_message() + hint)
        return ExitStatus.USAGE
    except click_errors.ClickException as exc:
        if show_traceback:
            raise
        _print_error(exc.format_message())
        return exc.exit_code
    except NewscovError as exc:  # each kind carries its status: usage 2, offline 69, bad archive 65, write 74
        if show_traceback:
            raise
        _print_error(str(exc))
        return exc.exit_status
    except (KeyboardInterrupt, typer.Abort):
        _print_error("interrupted")
        return ExitStatus.INTERRUPTED
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if show_traceback:
            raise
        _print_error(f"internal error: {type(exc).__name__}: {exc} (run again with --traceback and report it)")
        return ExitStatus.INTERNAL
    if result == ExitStatus.INTERRUPTED:  # typer turns a KeyboardInterrupt inside a command into 130, silently
        _print_error("interrupted")
        return ExitStatus.INTERRUPTED
    return int(result) if isinstance(result, int) else ExitStatus.OK


def run() -> None:
    """Console-script wrapper: exit with main()'s status."""
    status = main()
    try:
        sys.stdout.flush()
    except OSError:  # standard output went away (a closed pipe): no traceback from the interpreter's last flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = status or ExitStatus.WRITE_FAILED
    sys.exit(status)


# `newscov corpus` lives in its own module; importing it registers it on `app`
from . import cli_corpus  # noqa: E402, F401

if __name__ == "__main__":
    run()
