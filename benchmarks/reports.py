"""How long each report format takes, and how big it is, for the demo and for reports 10 and 100 times its size.

    uv run python -m benchmarks.reports

The larger reports repeat the demo's six outlets 10 and 100 times (600 outlets, 500 articles, 1,800 cells), each
copy with its own ids and URLs: rendering should grow linearly with the cells.
"""

from __future__ import annotations

import io
import time
from dataclasses import replace

from rich.console import Console

from coverage.demo import run_demo
from coverage.models import Report
from coverage.report import render_terminal, report_to_csv, report_to_html, report_to_json, report_to_markdown


def scaled(report: Report, copies: int) -> Report:
    """The report with each outlet repeated `copies` times under new ids and URLs."""
    outlets, articles, matches, failures = [], [], [], []
    for k in range(copies):
        outlets += [replace(o, id=f"{o.id}-{k}", name=f"{o.name} {k}", native_name=None) for o in report.outlets]
        articles += [replace(a, outlet_id=f"{a.outlet_id}-{k}", url=f"{a.url}?copy={k}") for a in report.articles]
        matches += [
            replace(m, outlet_id=f"{m.outlet_id}-{k}", article_url=f"{m.article_url}?copy={k}") for m in report.matches
        ]
        failures += [replace(f, outlet_id=f"{f.outlet_id}-{k}", url=f"{f.url}?copy={k}") for f in report.failures]
    return replace(
        report, outlets=tuple(outlets), articles=tuple(articles), matches=tuple(matches), failures=tuple(failures)
    )


def terminal(report: Report) -> str:
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=120, color_system=None))
    return buffer.getvalue()


def main() -> None:
    demo = run_demo()
    renderers = {
        "terminal": terminal,
        "html": report_to_html,
        "markdown": report_to_markdown,
        "json": report_to_json,
        "csv": report_to_csv,
    }
    sizes = (("demo", demo), ("10x demo", scaled(demo, 10)), ("100x demo", scaled(demo, 100)))
    for name, report in sizes:
        print(f"{name}: {len(report.outlets)} outlets, {len(report.articles)} articles, {len(report.matches)} matches")
        for fmt, render in renderers.items():
            render(report)  # warm: templates compiled, modules imported
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                text = render(report)
                runs.append(time.perf_counter() - started)
            print(f"  {fmt:9} {min(runs) * 1000:7.1f} ms  {len(text.encode()) / 1024:7.1f} KiB")


if __name__ == "__main__":
    main()
