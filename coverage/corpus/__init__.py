"""Corpus mode: phrases matched over whole web archives (WARC files), on the local cores or a Dask cluster.

warc.py reads records, task.py turns one file (or byte range) into rows, engine.py runs the tasks on Dask and
writes their rows (layout.py), aggregate.py sums them up for `newscov corpus report`. prefilter.py is the chunk
prefilter that keeps matching a small share of the work.
"""

from __future__ import annotations

from .engine import CorpusProgress, CorpusRun, expand, plan, run_corpus
from .prefilter import CorpusResult, chunks, fast_fold, match_corpus
from .task import Job, Task, TaskOutput, run_task

__all__ = [
    "CorpusProgress",
    "CorpusResult",
    "CorpusRun",
    "Job",
    "Task",
    "TaskOutput",
    "chunks",
    "expand",
    "fast_fold",
    "match_corpus",
    "plan",
    "run_corpus",
    "run_task",
]
