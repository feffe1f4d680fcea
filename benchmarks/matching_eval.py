"""Precision and recall of the matcher's verdicts on the labelled cases (tests/data/matching_cases.yaml).

uv run python -m benchmarks.matching_eval            # the current thresholds
uv run python -m benchmarks.matching_eval --sweep    # how the near thresholds trade precision for recall
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coverage.match import MatchSettings, match_phrase
from coverage.models import Article, Phrase
from coverage.textnorm import detect_script

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "matching_cases.yaml"
VERDICTS = ("verbatim", "near", "absent")


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    return list(YAML(typ="safe").load(path.read_text(encoding="utf-8"))["cases"])


def predict(case: dict[str, Any], settings: MatchSettings) -> tuple[str, tuple[str, ...]]:
    text = case["text"]
    language, script = detect_script(text)
    article = Article("x", "case", None, None, None, None, language, script, text, datetime.now(UTC), "")
    aliases = tuple(tuple(group) for group in case.get("aliases", ()))
    match = match_phrase(Phrase("p", case["phrase"]), article, settings=replace(settings, aliases=aliases))
    return match.status.value, match.flags


def evaluate(cases: list[dict[str, Any]], settings: MatchSettings | None = None) -> dict[str, Any]:
    """Per verdict: precision, recall and counts; flags: share of flagged cases flagged, false flags."""
    settings = settings or MatchSettings()
    confusion: Counter[tuple[str, str]] = Counter()
    flag_hits = flag_total = false_flags = 0
    wrong: list[str] = []
    for case in cases:
        got, flags = predict(case, settings)
        confusion[(case["expected"], got)] += 1
        if got != case["expected"]:
            wrong.append(f"{case['id']}: expected {case['expected']}, got {got}")
        wanted = set(case.get("flags", ()))
        if wanted:
            flag_total += 1
            flag_hits += wanted <= set(flags)
        elif flags and case["expected"] == "near":
            false_flags += 1
            wrong.append(f"{case['id']}: flagged {', '.join(flags)} without reason")
    scores: dict[str, Any] = {"cases": len(cases), "wrong": wrong}
    for verdict in VERDICTS:
        predicted = sum(n for (_, got), n in confusion.items() if got == verdict)
        actual = sum(n for (exp, _), n in confusion.items() if exp == verdict)
        right = confusion[(verdict, verdict)]
        scores[verdict] = {
            "precision": right / predicted if predicted else 1.0,
            "recall": right / actual if actual else 1.0,
            "expected": actual,
        }
    scores["flags"] = {"flagged": flag_hits, "of": flag_total, "false": false_flags}
    return scores


def _print(scores: dict[str, Any], label: str) -> None:
    cells = "  ".join(
        f"{v}: P {scores[v]['precision']:.3f} R {scores[v]['recall']:.3f} (n={scores[v]['expected']})" for v in VERDICTS
    )
    flags = scores["flags"]
    print(f"{label}{cells}  flags {flags['flagged']}/{flags['of']}, false flags {flags['false']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    cases = load_cases()
    started = time.perf_counter()
    scores = evaluate(cases)
    print(f"{len(cases)} labelled cases, {time.perf_counter() - started:.2f} s")
    _print(scores, "current thresholds  ")
    if args.show_wrong:
        print("\n".join(scores["wrong"]))
    if args.sweep:
        for han, latin in ((70, 75), (75, 80), (78, 82), (80, 85), (82, 88), (85, 90), (90, 92)):
            _print(evaluate(cases, MatchSettings(near_han=han, near_latin=latin)), f"near Han {han} Latin {latin}  ")


if __name__ == "__main__":
    main()
