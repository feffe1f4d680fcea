"""Same-language verdicts on hand-written cases in the style of real coverage (tests/data/realistic_cases.yaml):
quotes interrupted by their attribution, carried in part, reworded, with a gap, only in the headline, reprinted
with edits, or left out.

    uv run python -m benchmarks.realistic_eval            # confusion table, precision/recall, flags
    uv run python -m benchmarks.realistic_eval --wrong    # and every case judged wrong

It reads only `match_phrase` and the Match's status and flags, so it runs on older versions of newscov too (for a
before/after table).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from coverage.match import match_phrase
from coverage.models import Article, Phrase
from coverage.textnorm import detect_script

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "realistic_cases.yaml"
STATUSES = ("verbatim", "partial", "near", "absent")


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["cases"]  # type: ignore[no-any-return]


def _article(case: dict[str, Any]) -> Article:
    text = case["text"].strip()
    language, script = detect_script(text)
    return Article("case", f"case://{case['id']}", None, case.get("title"), None, None, language, script, text,
                   datetime.now(UTC), case["id"])  # fmt: skip


def predict(case: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    match = match_phrase(Phrase("p", case["phrase"]), _article(case))
    status = match.status.value
    return (status if status in STATUSES else "other"), tuple(match.flags)


def evaluate(cases: list[dict[str, Any]]) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    flags = {"expected": 0, "caught": 0, "false": 0}
    for case in cases:
        got, got_flags = predict(case)
        confusion[(case["expected"], got)] += 1
        if got != case["expected"]:
            wrong.append(f"{case['id']} ({case['kind']}): expected {case['expected']}, got {got}")
        expected_flags = set(case.get("flags") or ())
        if case["expected"] == "near":
            flags["expected"] += len(expected_flags)
            flags["caught"] += len(expected_flags & set(got_flags))
        if case["expected"] in ("near", "verbatim") and got in ("near", "verbatim"):
            false = set(got_flags) - expected_flags - {"speaker"}
            flags["false"] += len(false)
            if false or expected_flags - set(got_flags):
                wrong.append(f"{case['id']} ({case['kind']}): flags expected {sorted(expected_flags)}, got {got_flags}")
    scores: dict[str, Any] = {}
    for status in STATUSES:
        said = sum(n for (_, got), n in confusion.items() if got == status)
        real = sum(n for (expected, _), n in confusion.items() if expected == status)
        right = confusion[(status, status)]
        scores[status] = {
            "precision": round(right / said, 3) if said else None,
            "recall": round(right / real, 3) if real else None,
            "n": real,
        }
    return {"confusion": confusion, "scores": scores, "flags": flags, "wrong": wrong}


def table(confusion: Counter[tuple[str, str]]) -> str:
    columns = [*STATUSES, "other"]
    lines = ["expected \\ got  " + "".join(f"{c:>10}" for c in columns)]
    for expected in STATUSES:
        lines.append(f"{expected:<16}" + "".join(f"{confusion[(expected, c)]:>10}" for c in columns))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wrong", action="store_true", help="list the cases judged wrong")
    args = parser.parse_args()
    cases = load_cases()
    started = time.perf_counter()
    result = evaluate(cases)
    print(f"{len(cases)} hand-written cases, {time.perf_counter() - started:.2f} s")
    print(table(result["confusion"]))
    for status, values in result["scores"].items():
        print(f"  {status:<9} precision {values['precision']}  recall {values['recall']}  (n={values['n']})")
    flags = result["flags"]
    print(f"  flags: {flags['caught']} of {flags['expected']} caught, {flags['false']} false")
    if args.wrong:
        for line in result["wrong"]:
            print("  wrong:", line)


if __name__ == "__main__":
    main()
