"""Golden files of the demo's terminal report at 80 and 120 columns, plain and in colour (tests/golden/).

What varies from run to run is normalised: the loopback port, the run time, rich's random hyperlink ids. After a
deliberate change of the report, rewrite them with NEWSCOV_UPDATE_GOLDEN=1 and read the diff before committing.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from rich.console import Console

from coverage.models import Report
from coverage.report import render_terminal

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def demo(demo_report: Report) -> Report:
    return demo_report


def normalised(text: str) -> str:
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
    text = re.sub(r"· \d+\.\d s\b", "· N.N s", text)
    return re.sub(r"\x1b\]8;id=[^;]*;", "\x1b]8;id=ID;", text)


def render(report: Report, width: int, colour: bool) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        no_color=False,
        legacy_windows=False,
        highlight=False,
    )
    render_terminal(report, console)
    return normalised(buffer.getvalue())


@pytest.mark.parametrize(("width", "colour"), [(80, False), (120, False), (80, True), (120, True)])
def test_demo_report_matches_its_golden_file(demo: Report, width: int, colour: bool) -> None:
    path = GOLDEN / f"demo-{width}{'-colour.ansi' if colour else '.txt'}"
    text = render(demo, width, colour)
    if os.environ.get("NEWSCOV_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with NEWSCOV_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_the_80_column_report_fits_and_leads_with_the_tallies(demo: Report) -> None:
    text = render(demo, 80, colour=False)
    lines = text.splitlines()
    urls = [line for line in lines if "http://" in line]
    # nothing but a URL is wider than the screen, and no URL is broken over two lines
    assert all(len(line.rstrip()) <= 80 for line in lines if line not in urls)
    assert all(line.strip().startswith("http://") and line.strip().endswith(".html") for line in urls)
    assert lines[0].startswith("newscov ") and "6 outlets" in lines[0] and "5 articles read, 1 failed" in lines[0]
    tally = text.index("4 of 5 outlets read carried it: 1 verbatim, 3 translated; absent:")
    assert tally < text.index("Coverage matrix") < text.index("Evidence for")
    assert len(lines) < 120  # it was 216 lines at 80 columns before the compact evidence


def test_colour_never_carries_the_meaning_alone(demo: Report) -> None:
    plain = render(demo, 120, colour=False)
    assert "\x1b" not in plain
    assert "[-" in plain and "+}" in plain  # the near match's diff
    coloured = render(demo, 120, colour=True)
    assert "\x1b]8;id=ID;http://127.0.0.1:PORT/" in coloured  # articles are links on a terminal
    assert re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", coloured) == plain
