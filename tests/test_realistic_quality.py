"""The quality gate on hand-written cases in the style of real coverage (tests/data/realistic_cases.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.realistic_eval import evaluate, load_cases


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    """The labelled cases, read once for both tests (0.3 s of YAML)."""
    return load_cases()


def test_the_set_is_large_and_covers_every_kind(cases: list[dict[str, Any]]) -> None:
    assert len(cases) >= 150
    assert {c["lang"] for c in cases} == {"zh-Hant", "zh-Hans", "en"}
    kinds = {c["kind"] for c in cases}
    assert {"interrupted", "partial", "near", "gap", "headline-only", "reprint-edited", "absent", "verbatim"} <= kinds


def test_verdicts_meet_the_floors(cases: list[dict[str, Any]]) -> None:
    result = evaluate(cases)
    scores, flags = result["scores"], result["flags"]
    assert scores["verbatim"]["precision"] >= 0.98, result["wrong"]
    assert scores["absent"]["precision"] >= 0.98, result["wrong"]
    assert scores["partial"]["recall"] >= 0.95, result["wrong"]
    assert scores["near"]["recall"] >= 0.95, result["wrong"]
    assert flags["false"] == 0, result["wrong"]
    assert flags["caught"] == flags["expected"], result["wrong"]  # every meaning change caught
