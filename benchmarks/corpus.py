"""Corpus mode throughput: pages per second per core for read + extract + match, with 1 and 2 workers.

    uv run python -m benchmarks.corpus [--articles 20000] [--files 16] [--real ../shared/real-pages/trafilatura-eval]

1. A generated corpus (benchmarks/warc_corpus.py: fictional outlets, planted phrases) of --articles articles in
   --files WARC.gz files, matched on a LocalCluster of 1 worker, then of 2: the wall time of the run (cluster
   start-up apart), pages/s, pages/s per worker, the scaling ratio, each worker's peak memory, and each stage's
   share of the task time (read = WARC parsing and decoding, extract, match).
2. Memory as the corpus grows: peak memory per worker on a quarter of the files and on all of them.
3. Real pages (the 990 pages of trafilatura's evaluation set, written as one WARC file each of --real-files):
   generated pages are plainer than real ones, so the figure to extrapolate from is this one; with trafilatura
   (what compare uses) and with --fast-text (resiliparse).
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.warc_corpus import PHRASES, REGISTRY, write_corpus
from coverage.corpus.engine import CorpusRun, dask_client, run_corpus
from coverage.corpus.task import Job, Task, run_task
from coverage.corpus.warc import byte_ranges
from coverage.match import MatchSettings
from coverage.models import Phrase
from coverage.sources import load_sources

DEFAULT_REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages" / "trafilatura-eval"


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def job(fast_text: bool = False) -> Job:
    phrases = tuple(
        Phrase(pid, spec["text"], tuple(spec["renderings"].values()), spec["language"]) for pid, spec in PHRASES.items()
    )
    return Job(phrases, MatchSettings(), load_sources(REGISTRY), fast_text=fast_text)


def measure(files: list[Path], workers: int, the_job: Job, scratch: Path, split_bytes: int) -> dict[str, Any]:
    """One run on a fresh cluster of `workers` processes: wall time of the run itself (after each worker has
    imported newscov and read a few pages, which is start-up), and memory."""
    out = scratch / f"out-{workers}-{len(files)}-{the_job.extraction}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with dask_client(None, workers) as client:
        start, end = byte_ranges(files[0], 50_000)[0]
        client.run(run_task, Task(str(files[0]), start, end), the_job)  # imports and warm caches: start-up
        startup = time.perf_counter() - started
        began = time.perf_counter()
        run: CorpusRun = run_corpus([str(f) for f in files], the_job, out, client=client, split_bytes=split_bytes)
        wall = time.perf_counter() - began
        peaks = sorted(client.run(_peak_kib).values())
    total = sum(run.stages.values()) or 1.0
    return {
        "workers": workers,
        "pages": run.pages,
        "hits": run.hits,
        "startup_s": startup,
        "wall_s": wall,
        "pages_per_s": run.pages / wall,
        "pages_per_s_per_worker": run.pages / wall / workers,
        "peak_mib": [round(p / 1024) for p in peaks],
        "shares": {stage: value / total for stage, value in run.stages.items()},
        "failed": run.failed,
    }


def show(title: str, result: dict[str, Any]) -> None:
    shares = ", ".join(f"{stage} {share:.0%}" for stage, share in result["shares"].items())
    print(
        f"  {title}: {result['pages']:,} pages in {result['wall_s']:.1f} s (+{result['startup_s']:.1f} s start-up) = "
        f"{result['pages_per_s']:.1f} pages/s, {result['pages_per_s_per_worker']:.1f} per worker; "
        f"peak memory per worker {result['peak_mib']} MiB; {shares}; {result['hits']:,} hits"
    )


def real_corpus(folder: Path, out: Path, files: int) -> list[Path]:
    """The evaluation pages as response records (their own URLs when known, else a made-up one)."""
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    listed = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    urls = {Path(entry["file"]).stem: entry.get("url") for entry in listed}
    pages = sorted((folder / "pages").glob("*.html"))
    paths = [out / f"real-{n:02d}.warc.gz" for n in range(files)]
    handles = [p.open("wb") for p in paths]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    for number, page in enumerate(pages):
        url = urls.get(page.stem) or f"https://real{number % 50}.example/{page.stem}"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer = writers[number % files]
        body = page.read_bytes()
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers)
        )
    for handle in handles:
        handle.close()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--real-files", type=int, default=8)
    parser.add_argument("--split-mb", type=float, default=1.0, help="task size (CC-NEWS: 256 of a 1 GB file)")
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="newscov-corpus-bench-"))
    try:
        if not args.skip_generated:
            began = time.perf_counter()
            corpus = write_corpus(scratch / "warcs", args.articles, files=args.files, seed=1)
            size = sum(f.stat().st_size for f in corpus.files) / 2**20
            print(f"generated corpus: {corpus.articles:,} articles in {len(corpus.files)} files ({size:.0f} MiB), "
                  f"{len(corpus.planted)} planted phrases, written in {time.perf_counter() - began:.0f} s")  # fmt: skip
            split = int(args.split_mb * 2**20)
            one = measure(corpus.files, 1, job(), scratch, split)
            show("1 worker ", one)
            two = measure(corpus.files, 2, job(), scratch, split)
            show("2 workers", two)
            print(f"  scaling 1 -> 2 workers: {two['pages_per_s'] / one['pages_per_s']:.2f}x")
            quarter = measure(corpus.files[: max(1, len(corpus.files) // 4)], 2, job(), scratch, split)
            show("a quarter of the files, 2 workers", quarter)
            print(f"  peak memory per worker: {quarter['peak_mib']} MiB on a quarter, {two['peak_mib']} MiB on all")
        if args.skip_real:
            pass
        elif (args.real / "pages").is_dir():
            files = real_corpus(args.real, scratch, args.real_files)
            print(f"real pages: {len(list((args.real / 'pages').glob('*.html')))} pages of {args.real.name}")
            for fast in (False, True):
                for workers in (1, 2):
                    result = measure(files, workers, job(fast), scratch, 0)
                    show(f"{job(fast).extraction}, {workers} worker(s)", result)
        else:
            print(f"real pages: {args.real} not found; skipped")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
