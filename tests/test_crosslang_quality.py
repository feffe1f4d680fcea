"""The quality gate of the cross-language aligner on its labelled set (240 cases, four directions)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.crosslang_eval import load_cases, run, score


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    """The labelled set, read once for both tests."""
    return load_cases()


def test_the_set_is_large_and_covers_every_direction(data: dict[str, Any]) -> None:
    assert len(data["cases"]) >= 150
    directions = {
        (e["statements"][c["statement"]]["lang"][:2], e["articles"][c["article"]]["lang"][:2])
        for e in data["events"]
        for c in data["cases"]
        if c["event"] == e["id"]
    }
    assert {("en", "zh"), ("ja", "zh"), ("zh", "en")} <= directions


def test_verdicts_meet_the_floors(data: dict[str, Any]) -> None:
    scores = score(run(data))
    assert scores["top1"] >= 0.95, scores["wrong"]
    assert scores["found"] >= 0.82, scores["wrong"]
    assert scores["translated_precision"] >= 0.94, scores["wrong"]
    assert scores["absent_precision"] >= 0.95, scores["wrong"]
    assert scores["uncertain_rate"] <= 0.2
