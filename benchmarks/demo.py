"""Wall time and peak memory of `newscov demo`, run as a user runs it (a fresh process each time).

    uv run python benchmarks/demo.py [--runs 5]

Prints the median and best wall time, the largest peak RSS of the runs, and the pipeline's own timings
(fetch/extract/match/wall, from the JSON report) of the last run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    command = [str(Path(sys.executable).parent / "newscov"), "demo", "--format", "json", "--quiet"]
    walls: list[float] = []
    peaks: list[int] = []
    timings: dict[str, float] = {}
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - started)
        # ru_maxrss of children is the largest of any child so far (KiB on Linux)
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
        timings = json.loads(done.stdout)["timings_s"]
    print(f"newscov demo, {args.runs} runs in fresh processes")
    print(f"  wall: median {statistics.median(walls):.2f} s, best {min(walls):.2f} s")
    print(f"  peak RSS: {max(peaks) / 1024:.0f} MiB")
    print(f"  pipeline timings of the last run (s): {timings}")


if __name__ == "__main__":
    main()
