"""Corpus mode: phrases matched over whole web archives (WARC files), on the local cores or a Dask cluster.

warc.py reads records, task.py turns one file (or byte range) into rows, engine.py runs the tasks on Dask and
writes their rows (layout.py), aggregate.py sums them up for `newscov corpus report`. prefilter.py is the chunk
prefilter that keeps matching a small share of the work. The Dask and Arrow parts are imported when first used,
so `import coverage` does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import Any

from .prefilter import CorpusResult, chunks, fast_fold, match_corpus

_LAZY = {
    "CorpusProgress": "engine",
    "CorpusRun": "engine",
    "expand": "engine",
    "plan": "engine",
    "run_corpus": "engine",
    "Job": "task",
    "Task": "task",
    "TaskOutput": "task",
    "run_task": "task",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CorpusResult", "chunks", "fast_fold", "match_corpus", *_LAZY]
