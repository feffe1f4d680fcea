"""Runs a corpus job on Dask: plans the tasks, skips the finished ones, writes each task's rows as it completes.

Default: a `LocalCluster` of one single-threaded worker process per core (extraction holds the GIL). With a
scheduler address the same tasks run on an existing cluster; the WARC paths must then be readable by its workers
(a shared file system), and the output folder is written by this process only.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import NetworkError, OutputError, UsageError
from .layout import HITS, JOB_FILE, PAGES, TASKS
from .task import Job, Task, TaskOutput, run_task
from .warc import byte_ranges

WARC_SUFFIXES = (".warc", ".warc.gz")
DEFAULT_SPLIT_BYTES = 256 * 1024 * 1024  # a 1 GB CC-NEWS file becomes four tasks


@dataclass(frozen=True, slots=True)
class CorpusProgress:
    """After each finished task: files (tasks) done of the total, pages and hits so far, elapsed seconds."""

    done: int
    total: int
    pages: int
    hits: int
    elapsed: float
    file: str = ""
    error: str | None = None


@dataclass(slots=True)
class CorpusRun:
    """What a run did: tasks finished before (resumed), run now, failed; pages and hits of this run."""

    folder: Path
    tasks: int = 0
    resumed: int = 0
    finished: int = 0
    pages: int = 0
    hits: int = 0
    records: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # summed over tasks: read, extract, match
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why): not finished, retried next run
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (file, where): read up to the damage


def expand(paths: Sequence[str]) -> list[str]:
    """WARC files from paths, folders (their .warc/.warc.gz files) and glob patterns, each once, in order."""
    found: list[str] = []
    for item in paths:
        if any(ch in item for ch in "*?["):
            matched = sorted(glob.glob(str(Path(item).expanduser()), recursive=True))  # noqa: PTH207 (absolute patterns)
            if not matched:
                raise UsageError(f"{item!r} matches no file: check the pattern (quote it so the shell leaves it)")
            found.extend(m for m in matched if Path(m).is_file())
        elif Path(item).is_dir():
            inside = sorted(str(p) for p in Path(item).rglob("*") if p.name.endswith(WARC_SUFFIXES) and p.is_file())
            if not inside:
                raise UsageError(f"{item!r}: no .warc or .warc.gz file in this folder")
            found.extend(inside)
        elif Path(item).is_file():
            found.append(item)
        else:
            raise UsageError(f"{item!r}: no such file; give WARC files, folders of them or a quoted glob pattern")
    return list(dict.fromkeys(found))


def plan(files: Sequence[str], split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[Task]:
    """One task per file, or per byte range of a large .warc.gz file."""
    tasks: list[Task] = []
    for name in files:
        path = Path(name)
        size = path.stat().st_size
        tasks.extend(Task(name, start, end, size) for start, end in byte_ranges(path, split_bytes))
    return tasks


def _prepare_folder(folder: Path, job: Job, files: Sequence[str], restart: bool) -> None:
    """Create the output folder, or check that the run it holds is this job's (so its finished tasks count)."""
    job_file = folder / JOB_FILE
    if job_file.is_file() and not restart:
        try:
            held = json.loads(job_file.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError, AttributeError):
            held = None
        if held != job.fingerprint:
            raise UsageError(
                f"--out {str(folder)!r} holds the results of another job (other phrases, settings or registry): "
                "give a new --out folder, or --restart to discard them"
            )
    elif folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {str(folder)!r} is a file: give a folder")
    elif folder.is_dir() and any(folder.iterdir()) and not job_file.is_file():
        raise UsageError(f"--out {str(folder)!r} is a folder with other files in it: give a new or empty folder")
    try:
        if restart:
            for name in (HITS, PAGES, TASKS):
                shutil.rmtree(folder / name, ignore_errors=True)
        for name in (HITS, PAGES, TASKS):
            (folder / name).mkdir(parents=True, exist_ok=True)
        description = {
            "tool": "newscov corpus",
            "fingerprint": job.fingerprint,
            **job.describe(),
            "files": list(files),
            "written": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        _atomic_write(job_file, json.dumps(description, ensure_ascii=False, indent=1).encode("utf-8", "replace"))
    except OSError as exc:
        raise OutputError(f"--out {str(folder)!r}: cannot write there ({exc.strerror or exc})") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def _save(folder: Path, task_id: str, task: Task, output: TaskOutput) -> None:
    """A task's rows, then its marker: present marker = complete rows (a crash between the two reruns the task)."""
    import pyarrow.parquet as pq

    for name, table in ((HITS, output.hits), (PAGES, output.pages)):
        partial = folder / name / f"{task_id}.parquet.partial"
        pq.write_table(table, partial, compression="zstd")
        partial.replace(folder / name / f"{task_id}.parquet")
    marker = {
        "task": task_id,
        "file": task.file,
        "start": task.start,
        "end": task.end,
        "records": output.records,
        "skipped": output.skipped,
        "pages": output.read,
        "unreadable": output.unreadable,
        "hits": output.hits.num_rows,
        "seconds": output.seconds,
        "error": output.error,
    }
    _atomic_write(folder / TASKS / f"{task_id}.json", json.dumps(marker, ensure_ascii=False).encode("utf-8", "replace"))


def finished_tasks(folder: Path) -> set[str]:
    return {p.name.removesuffix(".json") for p in (folder / TASKS).glob("*.json")}


@contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a new LocalCluster with `workers` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise NetworkError(f"--scheduler {scheduler!r}: cannot reach the Dask scheduler ({detail})") from exc
        with client:
            yield client
        return
    count = max(1, workers or os.cpu_count() or 1)
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # None would still take :8787, and a second run would fail
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def run_corpus(
    paths: Sequence[str],
    job: Job,
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    split_bytes: int = DEFAULT_SPLIT_BYTES,
    restart: bool = False,
    on_progress: Callable[[CorpusProgress], None] | None = None,
    client: Any = None,
) -> CorpusRun:
    """Match `job` over the WARC files of `paths`, writing rows to `out`; tasks finished by an earlier run into the
    same folder are not run again. A task that fails (its file vanished, a worker died three times) is reported in
    the result and left for the next run; the others complete."""
    from distributed import as_completed

    started = time.perf_counter()
    files = expand(paths)
    tasks = plan(files, split_bytes)
    _prepare_folder(out, job, files, restart)
    done = finished_tasks(out)
    ids = {task.id(job.fingerprint): task for task in tasks}
    todo = {task_id: task for task_id, task in ids.items() if task_id not in done}
    run = CorpusRun(out, tasks=len(ids), resumed=len(ids) - len(todo))
    if not todo:
        return run

    def report(task: Task, error: str | None = None) -> None:
        if on_progress:
            count = run.resumed + run.finished
            elapsed = time.perf_counter() - started
            on_progress(CorpusProgress(count, run.tasks, run.pages, run.hits, elapsed, task.file, error))

    nonce = uuid.uuid4().hex[:8]  # a task's key is unique to this run: a scheduler may remember an earlier run's
    with dask_client(scheduler, workers) if client is None else _borrowed(client) as dask:
        job_future = dask.scatter(job, broadcast=True, hash=False)
        futures = {
            dask.submit(run_task, task, job_future, key=f"newscov-{task_id}-{nonce}", retries=1): task_id
            for task_id, task in todo.items()
        }
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                task_id = futures.pop(future)
                task = todo[task_id]
                if future.status != "finished":
                    why = _failure(future)
                    run.failed.append((task.file, why))
                    report(task, why)
                    continue
                output: TaskOutput = future.result()
                future.release()
                _save(out, task_id, task, output)
                run.finished += 1
                run.pages += output.read
                run.hits += output.hits.num_rows
                run.records += output.records
                for stage, value in output.seconds.items():
                    run.stages[stage] = round(run.stages.get(stage, 0.0) + value, 4)
                if output.error:
                    run.damaged.append((task.file, output.error))
                report(task, output.error)
        finally:
            if futures:  # interrupted: what is still running is dropped; finished tasks stay finished
                dask.cancel(list(futures))
    run.seconds = round(time.perf_counter() - started, 3)
    return run


@contextmanager
def _borrowed(client: Any) -> Iterator[Any]:
    yield client


def _failure(future: Any) -> str:
    try:
        exc = future.exception()
    except Exception as error:  # a cancelled future has no exception to give
        exc = error
    name = type(exc).__name__
    detail = " ".join(str(exc).split())[:200]
    if name == "KilledWorker":
        return "the worker running it died each time it was tried (out of memory?)"
    return f"{name}: {detail}" if detail else name
