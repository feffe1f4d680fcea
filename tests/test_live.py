"""Live-site checks, opt-in: `uv run pytest -m network`. They need the internet and may break when sites change."""

from __future__ import annotations

import pytest

from coverage import Phrase, Status, compare

pytestmark = pytest.mark.network

UDN = "https://udn.com/news/story/6813/9112304"


def test_udn_renders_hegseths_line_as_translated() -> None:
    phrase = Phrase(
        "p1",
        "the relationship between the United States and China has never been better",
        renderings=("前所未有良好", "從未如此之好"),
    )
    report = compare([phrase], [UDN])
    verdict = report.verdict("p1", "udn")
    assert verdict is not None
    assert verdict.status is Status.TRANSLATED, verdict
    assert verdict.rendering == "前所未有良好"
