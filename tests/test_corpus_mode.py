"""Corpus mode end to end: a generated WARC corpus matched on a real Dask LocalCluster (2 workers).

The rows must equal what `compare --file` says of the same pages; an interrupted run or a killed worker must
resume to the same rows without duplicates; a damaged file is reported while the others complete; and the
command runs against a scheduler address as well as on its own local cluster.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from benchmarks.warc_corpus import PHRASES, REGISTRY, Corpus, corrupt_warc, write_corpus
from coverage.cli import main
from coverage.corpus import CorpusProgress, Job, Task, run_corpus, run_task
from coverage.corpus.engine import dask_client
from coverage.corpus.layout import HITS, HITS_SCHEMA, PAGES, PAGES_SCHEMA, TASKS
from coverage.corpus.warc import byte_ranges, responses
from coverage.match import MatchSettings, default_matchers
from coverage.models import Match, Phrase, Target
from coverage.pipeline import compare
from coverage.sources import load_sources

ROW_KEY = ("phrase_id", "url", "status", "score", "matched_text", "method", "where", "outlet_id")


def phrases() -> tuple[Phrase, ...]:
    made = []
    for pid, spec in PHRASES.items():
        renderings = tuple(spec["renderings"].values())
        made.append(Phrase(pid, spec["text"], renderings, spec["language"]))
    return tuple(made)


@pytest.fixture(scope="module")
def job() -> Job:
    return Job(phrases(), MatchSettings(), load_sources(REGISTRY))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("warcs"), articles=160, files=4, seed=7)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """newscov's own local cluster (what `newscov corpus` starts without --scheduler): 2 worker processes on
    loopback, shared by the module's tests (each cluster costs seconds of start-up)."""
    with dask_client(None, 2) as client:
        yield client


@pytest.fixture(scope="module")
def reference(
    corpus: Corpus, job: Job, cluster: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict[str, Any]]]:
    """One whole run: its folder and its hit rows."""
    out = tmp_path_factory.mktemp("reference")
    run = run_corpus([str(f) for f in corpus.files], job, out, client=cluster)
    assert run.finished == run.tasks and not run.failed
    return out, hit_rows(out)


def hit_rows(out: Path) -> list[dict[str, Any]]:
    return pq.read_table(out / HITS, schema=HITS_SCHEMA).to_pylist()


def of_files(rows: list[dict[str, Any]], files: list[Path]) -> list[dict[str, Any]]:
    return [row for row in rows if row["warc_file"] in {str(f) for f in files}]


def keys(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows as comparable tuples, in one order (the run's order is the order tasks finished in)."""
    return sorted(tuple(row[k] for k in ROW_KEY) for row in rows)


def compared(match: Match, url: str) -> tuple[Any, ...]:
    """A compare verdict as the same tuple as a corpus row's (ROW_KEY)."""
    status, method = match.status.value, match.method.value
    return (match.phrase_id, url, status, match.score, match.matched_text, method, match.where, match.outlet_id)


def test_byte_ranges_start_at_records_and_cover_each_record_once(corpus: Corpus) -> None:
    path = corpus.files[0]
    whole = [(r.offset, r.url) for r in responses(path)]
    ranges = byte_ranges(path, 20_000)
    assert len(ranges) > 3
    pieces = [(r.offset, r.url) for start, end in ranges for r in responses(path, start, end)]
    assert pieces == whole
    offset, url = whole[len(whole) // 2]
    assert next(responses(path, offset)).url == url  # the offset in a row reads the page back


def test_rows_equal_compare_on_the_same_pages(
    reference: tuple[Path, list[dict[str, Any]]], corpus: Corpus, job: Job, tmp_path: Path
) -> None:
    _, rows = reference
    planted = {p.url for p in corpus.planted}
    assert {row["url"] for row in rows} <= planted  # no hit where nothing was planted
    verbatim_or_translated = {(p.url, p.phrase_id) for p in corpus.planted if p.kind != "reworded"}
    assert verbatim_or_translated <= {(row["url"], row["phrase_id"]) for row in rows}
    # compare --file on every planted page and a sample of the others: the same verdicts, word for word
    others = sorted(set(corpus.pages) - planted)[:: max(1, len(corpus.pages) // 25)]
    chosen = sorted(planted | set(others))
    registry = load_sources(REGISTRY)
    targets, by_path = [], {}
    for number, url in enumerate(chosen):
        path = tmp_path / f"{number}.html"
        path.write_text(corpus.pages[url], encoding="utf-8")
        targets.append(Target(registry.for_url(url).id, path=str(path)))
        by_path[str(path)] = url
    report = compare(list(job.phrases), targets, registry=registry, matchers=default_matchers(aligner=False))
    carried = {"verbatim", "translated", "near", "partial"}
    expected = sorted(compared(m, by_path[m.article_url]) for m in report.matches if m.status.value in carried)
    assert keys([row for row in rows if row["url"] in set(chosen)]) == expected
    assert len(expected) >= len(verbatim_or_translated)
    # and the columns a researcher needs: the page's time, its evidence in the WARC
    row = rows[0]
    assert row["published"] is not None and row["warc_offset"] >= 0 and row["extraction"] == "trafilatura"
    assert next(responses(Path(row["warc_file"]), row["warc_offset"])).url == row["url"]


def test_pages_table_lists_every_article_once(reference: tuple[Path, list[dict[str, Any]]], corpus: Corpus) -> None:
    out, _ = reference
    pages = pq.read_table(out / PAGES, schema=PAGES_SCHEMA).to_pylist()
    read = [p["url"] for p in pages if p["status"] == "read"]
    assert len(read) == len(set(read))
    assert set(corpus.pages) <= set(read)
    assert any(p["status"] == "unreadable" and p["reason"] for p in pages)  # the broken pages say why
    markers = [json.loads(p.read_text()) for p in (out / TASKS).glob("*.json")]
    assert sum(m["pages"] for m in markers) == len(read)


def test_an_interrupted_run_resumes_to_the_same_rows(
    reference: tuple[Path, list[dict[str, Any]]], corpus: Corpus, job: Job, cluster: Any, tmp_path: Path
) -> None:
    files = corpus.files[:2]

    def stop(event: CorpusProgress) -> None:
        if event.done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # Ctrl-C after the first task: the other is cancelled
        run_corpus([str(f) for f in files], job, tmp_path, client=cluster, on_progress=stop)
    assert len(list((tmp_path / TASKS).glob("*.json"))) == 1
    again = run_corpus([str(f) for f in files], job, tmp_path, client=cluster)
    assert (again.resumed, again.finished, again.tasks) == (1, 1, 2)
    assert keys(hit_rows(tmp_path)) == keys(of_files(reference[1], files))
    nothing = run_corpus([str(f) for f in files], job, tmp_path, client=cluster)
    assert nothing.finished == 0 and nothing.resumed == nothing.tasks


def test_a_killed_worker_loses_nothing(
    reference: tuple[Path, list[dict[str, Any]]], corpus: Corpus, job: Job, cluster: Any, tmp_path: Path
) -> None:
    files = corpus.files[2:]
    killed: list[int] = []

    def kill_one(event: CorpusProgress) -> None:
        if not killed:  # the nanny starts a new worker; the scheduler gives its tasks to the other one meanwhile
            victim = min(cluster.run(os.getpid).values())
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    paths = [str(f) for f in files]
    run = run_corpus(paths, job, tmp_path, client=cluster, on_progress=kill_one, split_bytes=60_000)
    assert killed and not run.failed and run.finished == run.tasks > 2
    assert keys(hit_rows(tmp_path)) == keys(of_files(reference[1], files))


def test_a_damaged_file_is_reported_and_the_others_complete(
    corpus: Corpus, job: Job, cluster: Any, tmp_path: Path
) -> None:
    damaged = corrupt_warc(tmp_path / "damaged.warc.gz")
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(gzip.compress(b"<html>a page saved as .warc.gz, not a WARC record</html>\n" * 40))
    files = [str(corpus.files[0]), str(damaged), str(garbage)]
    run = run_corpus(files, job, tmp_path / "out", client=cluster)
    assert run.finished == run.tasks == 3 and not run.failed
    assert {file for file, _ in run.damaged} == {str(damaged), str(garbage)}
    assert all("damaged at byte" in why for _, why in run.damaged)
    pages = pq.read_table(tmp_path / "out" / PAGES, schema=PAGES_SCHEMA).to_pylist()
    assert any(p["warc_file"] == str(damaged) for p in pages)  # the records before the damage were read
    assert any(p["warc_file"] == str(corpus.files[0]) for p in pages)


def test_the_fast_text_path_is_named_in_its_rows(corpus: Corpus, job: Job) -> None:
    fast = Job(job.phrases, job.settings, job.registry, fast_text=True)
    output = run_task(Task(str(corpus.files[0])), fast)
    assert output.read > 0 and output.error is None
    assert set(output.pages.column("extraction").to_pylist()) == {"resiliparse"}
    verbatim = {p.url for p in corpus.planted if p.kind == "verbatim"}
    found = set(output.hits.column("url").to_pylist())
    assert verbatim & {r.url for r in responses(corpus.files[0])} <= found


def phrase_flags() -> list[str]:
    flags = []
    for spec in PHRASES.values():
        flags += ["-q", spec["text"]]
    for number, spec in enumerate(PHRASES.values(), start=1):
        flags += ["-r", f"{number}={next(iter(spec['renderings'].values()))}"]
    return flags


def test_cli_against_a_scheduler_on_loopback_then_report(
    reference: tuple[Path, list[dict[str, Any]]], corpus: Corpus, cluster: Any, tmp_path: Path, capsys: Any
) -> None:
    address = cluster.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    # the dashboard takes a free port: a fixed one (:8787) made a second run on the machine fail to start
    assert cluster.dashboard_link.startswith("http://127.0.0.1:") and ":8787/" not in cluster.dashboard_link
    out, files = tmp_path / "run", corpus.files[:1]
    args = ["corpus", str(files[0]), "--out", str(out), "--scheduler", address, "--sources", str(REGISTRY)]
    assert main([*args, *phrase_flags()]) == 0
    assert "1 of 1 tasks done" in capsys.readouterr().out
    assert keys(hit_rows(out)) == keys(of_files(reference[1], files))
    assert main(["corpus", "report", str(out), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["schema"] == "newscov-corpus-report"
    totals = {phrase["id"]: phrase["articles"]["total"] for phrase in summary["phrases"]}
    rows = hit_rows(out)
    assert totals == {pid: len({r["url"] for r in rows if r["phrase_id"] == pid}) for pid in PHRASES}


def test_cli_refuses_bad_input_in_one_line(corpus: Corpus, tmp_path: Path, capsys: Any) -> None:
    assert main(["corpus", str(tmp_path / "nope.warc.gz"), "-q", "the ferry link", "--out", str(tmp_path / "o")]) == 2
    assert "nope.warc.gz" in capsys.readouterr().err
    assert main(["corpus", str(tmp_path / "*.warc.gz"), "-q", "the ferry link", "--out", str(tmp_path / "o")]) == 2
    assert "matches no file" in capsys.readouterr().err
    assert main(["corpus", str(corpus.files[0]), "--out", str(tmp_path / "o")]) == 2
    assert "no phrase" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert main(["corpus", str(corpus.files[0]), "-q", "the ferry link", "--out", str(tmp_path / "full")]) == 2
    assert "other files" in capsys.readouterr().err
    assert main(["corpus", "report", str(tmp_path / "missing")]) == 2
    assert "missing" in capsys.readouterr().err


def test_an_out_folder_of_another_job_is_refused(corpus: Corpus, job: Job, tmp_path: Path) -> None:
    from coverage.corpus.engine import _prepare_folder
    from coverage.errors import UsageError

    _prepare_folder(tmp_path, job, [], restart=False)
    other = Job(job.phrases[:1], job.settings, job.registry)
    with pytest.raises(UsageError, match="another job"):
        _prepare_folder(tmp_path, other, [], restart=False)
    (tmp_path / HITS / "x.parquet").write_bytes(b"")
    _prepare_folder(tmp_path, other, [], restart=True)
    assert not (tmp_path / HITS / "x.parquet").exists()
    shutil.rmtree(tmp_path)


def test_the_aligner_finds_a_translation_no_rendering_names(corpus: Corpus, job: Job, tmp_path: Path) -> None:
    """--aligner: an English phrase given without its Chinese rendering is found in the Chinese page that
    translated it; without --aligner the same page is no hit (the string matchers cannot see a translation)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    translated = next(p for p in corpus.planted if p.kind == "translated" and p.phrase_id == "p2")
    plain = next(
        url for url in sorted(corpus.pages) if url not in {p.url for p in corpus.planted} and ".example/" in url
    )
    path = tmp_path / "two.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url in (translated.url, plain):
            body = corpus.pages[url].encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)
    spec = PHRASES["p2"]
    bare = (Phrase("p2", spec["text"], (), spec["language"]),)
    aligned = run_task(Task(str(path)), Job(bare, job.settings, job.registry, aligner=True))
    assert [(row["url"], row["method"]) for row in aligned.hits.to_pylist()] == [(translated.url, "aligner")]
    assert aligned.hits.column("status").to_pylist()[0] in ("translated", "uncertain")
    assert run_task(Task(str(path)), Job(bare, job.settings, job.registry)).hits.num_rows == 0
