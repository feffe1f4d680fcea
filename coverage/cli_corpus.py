"""`newscov corpus` (match phrases over WARC archives on Dask) and `newscov corpus report` (sum up the results).

Registered on the `newscov` app by cli.py; only turns flags into calls of `coverage.corpus`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text
from typer.core import TyperGroup

from .cli import (
    AliasOption,
    ForceOption,
    Format,
    FormatOption,
    Look,
    OutputOption,
    QuietOption,
    SourcesOption,
    _check_output,
    _deliver,
    _examples,
    _warn,
    app,
    build_phrases,
    resolve_format,
)
from .errors import ExitStatus, UsageError
from .textnorm import one_line


class _RunByDefault(TyperGroup):
    """`newscov corpus PATH…` runs `corpus run PATH…`: a first argument that is not a subcommand is a path."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return list(super().parse_args(ctx, args))


corpus_app = typer.Typer(
    cls=_RunByDefault,
    help="Match phrases over whole web archives (WARC files) on the local cores or a Dask cluster, then sum up "
    "who carried which phrase, first, and when. 'newscov corpus PATH…' is 'newscov corpus run PATH…'.",
    no_args_is_help=True,
)
app.add_typer(corpus_app, name="corpus")


@contextmanager
def _corpus_progress(enabled: bool) -> Iterator[Callable[[Any], None] | None]:
    """files done / total, pages and hits so far, pages per second: on stderr, for interactive runs."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    progress = Progress(
        TextColumn("files"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]:,} pages · {task.fields[hits]:,} hits · {task.fields[rate]:,.0f} pages/s"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("files", total=None, pages=0, hits=0, rate=0.0)

    def on_progress(event: Any) -> None:
        rate = event.pages / event.elapsed if event.elapsed > 0 else 0.0
        progress.update(task, total=event.total, completed=event.done, pages=event.pages, hits=event.hits, rate=rate)

    with progress:
        yield on_progress


@corpus_app.command(
    "run",
    epilog=_examples(
        "  newscov corpus 'cc-news/2026/03/*.warc.gz' -q 港灣協議的關係從未如此之好 \\",
        "      -r 'the harbour accord relationship has never been better' --out runs/harbour",
        "  newscov corpus archives/ --event examples/hegseth-dong.yaml --out runs/hegseth --scheduler tcp://10.0.0.5:8786",
        "  newscov corpus report runs/harbour",
    ),
)
def corpus_run(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="WARC files (.warc, .warc.gz), folders of them, or quoted glob patterns."),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The results folder (Parquet files). Running the same command again resumes where it stopped.",
        ),
    ],
    quote: Annotated[list[str] | None, typer.Option("--quote", "-q", help="A phrase to look for (repeatable).")] = None,
    rendering: Annotated[
        list[str] | None,
        typer.Option(
            "--rendering",
            "-r",
            help="An accepted translation or rewording of a phrase (repeatable; '2=TEXT' with several --quote).",
        ),
    ] = None,
    original: Annotated[
        str | None,
        typer.Option("--original", help="A statement (its TEXT, a FILE or a URL): each sentence becomes a phrase."),
    ] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who made the --original statement.")] = None,
    event_file: Annotated[
        Path | None, typer.Option("--event", help="An event file (YAML): its phrases, original and aliases.")
    ] = None,
    alias: AliasOption = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on an existing Dask cluster (tcp://HOST:8786); its workers need newscov installed and must be "
            "able to read the WARC paths. Default: a local cluster on this machine's cores.",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes of the local cluster (default: cores).")
    ] = None,
    split_mb: Annotated[
        int,
        typer.Option(
            "--split-mb", min=0, help="Cut .warc.gz files larger than this into ranges, one task each (0: never)."
        ),
    ] = 256,
    fast_text: Annotated[
        bool,
        typer.Option(
            "--fast-text",
            help="Read article bodies with resiliparse instead of trafilatura (several times faster, a little less "
            "clean; rows say which). Needs: pip install 'newscov[fast]'.",
        ),
    ] = False,
    aligner: Annotated[
        bool,
        typer.Option(
            "--aligner",
            help="Also run the cross-language aligner on every page in another language than a phrase (costly: "
            "give the phrase's --rendering instead where you can).",
        ),
    ] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Discard the results already in --out and start again.")
    ] = False,
    sources: SourcesOption = None,
    quiet: QuietOption = False,
) -> int:
    """Match phrases over web archives: one row per article that carried a phrase, with the WARC file and offset
    of its page as evidence; every page read is listed too (who published what, when)."""
    from .corpus.engine import run_corpus
    from .corpus.task import Job
    from .event import build_event, load_event
    from .extract.fast import available
    from .match import MatchSettings
    from .pipeline import corpus_phrases
    from .sources import load_sources

    if fast_text and not available():
        raise UsageError("--fast-text needs resiliparse: pip install 'newscov[fast]' (or drop --fast-text)")
    base = load_event(event_file) if event_file else None
    event = build_event(base, aliases=alias or [], original=original, speaker=speaker)
    given = build_phrases(quote or [], rendering or []) if quote or rendering else list(base.phrases if base else ())
    if not given and not event.original:
        raise UsageError("no phrase to look for: give --quote TEXT, --original STATEMENT or an --event with phrases")
    registry = load_sources(sources)
    phrases = corpus_phrases(given, event.original, event.speaker, registry)
    job = Job(tuple(phrases), MatchSettings(aliases=event.aliases), registry, fast_text=fast_text, aligner=aligner)
    with _corpus_progress(not quiet) as on_progress:
        run = run_corpus(
            paths,
            job,
            out,
            scheduler=scheduler,
            workers=workers,
            split_bytes=split_mb * 1024 * 1024,
            restart=restart,
            on_progress=on_progress,
        )
    console = Console(highlight=False, soft_wrap=True)
    resumed = f" ({run.resumed} finished before)" if run.resumed else ""
    rate = f", {run.pages / run.seconds:,.0f} pages/s" if run.seconds and run.pages else ""
    console.print(
        Text(
            f"{run.finished + run.resumed} of {run.tasks} tasks done{resumed}: {run.pages:,} pages read, "
            f"{run.hits:,} hits in {run.seconds:,.1f} s{rate} -> {one_line(str(out))}"
        )
    )
    for file, where in run.damaged:
        _warn(f"{file}: {where}; the records before it were read")
    for file, why in run.failed:
        _warn(f"{file}: not read ({why}); run the same command again to retry it")
    if run.finished or run.resumed:
        console.print(Text(f"sum it up: newscov corpus report {one_line(str(out))}"))
    return ExitStatus.NOTHING_COMPARED if run.failed or not (run.finished or run.resumed) else ExitStatus.OK


CORPUS_FORMATS = (Format.terminal, Format.json, Format.markdown, Format.html)


@corpus_app.command(
    "report",
    epilog=_examples(
        "  newscov corpus report runs/harbour",
        "  newscov corpus report runs/harbour -o harbour.html",
        "  newscov corpus report runs/harbour --format json --phrase p1",
    ),
)
def corpus_report(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The --out folder of a corpus run.")],
    phrase: Annotated[
        list[str] | None, typer.Option("--phrase", help="Only this phrase id (repeatable; default: all).")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> int:
    """Sum up a corpus run: outlets x phrases (how many articles carried each), who carried each phrase first and
    who followed, and articles per day."""
    from .corpus.aggregate import summarize
    from .report.corpus import corpus_to_html, corpus_to_json, corpus_to_markdown, render_corpus_terminal

    chosen = resolve_format(fmt, output, CORPUS_FORMATS)
    _check_output(output, force)
    summary = summarize(folder, phrase or None)
    look = Look(chosen, output)
    if chosen is Format.terminal:
        _deliver(look, "corpus report", draw=lambda console: render_corpus_terminal(summary, console))
        return ExitStatus.OK
    writers: dict[Format, Callable[[Any], str]] = {
        Format.json: corpus_to_json,
        Format.markdown: corpus_to_markdown,
        Format.html: corpus_to_html,
    }
    _deliver(look, "corpus report", text=writers[chosen](summary))
    return ExitStatus.OK
