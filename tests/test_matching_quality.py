"""The quality gate: the matcher's verdicts on the labelled cases may not fall below the pinned floors."""

from __future__ import annotations

from typing import Any

from benchmarks.matching_eval import CASES, evaluate


def test_labelled_cases_are_many_and_current(matching_cases: list[dict[str, Any]]) -> None:
    from tests.data.build_matching_cases import build

    cases = matching_cases
    assert len(cases) >= 200
    assert {c["lang"] for c in cases} == {"zh-Hant", "zh-Hans", "en"}
    assert cases == build(), f"{CASES} is stale: run python tests/data/build_matching_cases.py"


def test_verdicts_meet_the_floors(matching_cases: list[dict[str, Any]]) -> None:
    scores = evaluate(matching_cases)
    assert scores["verbatim"]["precision"] >= 0.95, scores["wrong"]
    assert scores["absent"]["precision"] >= 0.95, scores["wrong"]
    assert scores["near"]["recall"] >= 0.9, scores["wrong"]
    flags = scores["flags"]
    assert flags["flagged"] == flags["of"] and flags["false"] == 0, scores["wrong"]
