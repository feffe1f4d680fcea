from __future__ import annotations

import coverage
from coverage.demo import PHRASES, run_demo


def test_public_api_is_exported() -> None:
    for name in coverage.__all__:
        assert hasattr(coverage, name), name
    assert coverage.__version__.count(".") == 2


def test_library_never_prints(capsys: object) -> None:
    report = run_demo()
    out, err = capsys.readouterr()  # type: ignore[attr-defined]
    assert (out, err) == ("", "")
    assert report.compared == 5
    assert [p.id for p in report.phrases] == [*(p.id for p in PHRASES), "o1", "o2"]  # the post's two sentences
    assert len(report.matches) == len(report.phrases) * 6
    # wall-clock per stage (fetch and extract overlap), never more than the whole run: no discovery in the demo
    assert set(report.timings) == {"fetch", "extract", "match", "total"}
    assert all(0 <= seconds <= report.timings["total"] for seconds in report.timings.values())
    assert sum(report.requests.values()) == 7  # robots.txt and six pages, all on one loopback host
