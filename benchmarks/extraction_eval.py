"""newscov's extraction against plain trafilatura (and htmldate for the day) on trafilatura's 990-page evaluation set.

    uv run python -m benchmarks.extraction_eval [--folder ../shared/real-pages/trafilatura-eval] [--limit N]
                                                [--save build/extraction-eval.json] [--workers 2]

Per field, over the pages where the set gives a value:
- body: the share of must-contain snippets found in the text (higher is better), the share of must-not-contain
  snippets wrongly kept (lower is better), and pages with no article where plain trafilatura reads one;
- title: equal after whitespace folding; author: the same set of names (split at , 、 ; and &);
- date: the publication day (YYYY-MM-DD) equal; htmldate (`find_date(original_date=True)`) as a third column;
- time per page: the median and the total, each extractor on the same decoded page, one page at a time.

Each page's results can be saved (--save) to compare two versions page by page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages" / "trafilatura-eval"
_NAME_SPLIT = re.compile(r"\s*(?:,|、|;|；|\band\b|\bund\b|&)\s*")


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def names(value: str | list[str] | None) -> set[str]:
    items = value if isinstance(value, list) else _NAME_SPLIT.split(value or "")
    return {fold(n).lower() for item in items for n in _NAME_SPLIT.split(item) if fold(n)}


def _plain(raw: bytes, url: str) -> dict[str, Any]:
    import trafilatura

    document = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
    if document is None:
        return {"text": "", "title": None, "date": None, "author": None}
    return {"text": document.text or "", "title": document.title, "date": document.date, "author": document.author}


def _newscov(raw: bytes, url: str) -> dict[str, Any]:
    from coverage.extract import extract
    from coverage.fetch import DecodeError, decode_body
    from coverage.models import Article, Fetched, Target, iso

    try:
        html, encoding = decode_body(raw)
    except DecodeError:
        return {"text": "", "title": None, "date": None, "author": None, "failure": "not decodable"}
    fetched = Fetched(Target("page", url=url), url, 200, "text/html", encoding, html, datetime.now(UTC), 0.0)
    article = extract(fetched)
    if not isinstance(article, Article):
        return {"text": "", "title": None, "date": None, "author": None, "failure": article.reason}
    return {"text": article.text, "title": article.title, "date": iso(article.published), "author": article.author}


def _htmldate(raw: bytes, url: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(raw, url=url, original_date=True)
    except (ValueError, TypeError):
        return None


def one_page(job: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    """Every extractor on one page: what it read and how long it took."""
    import logging

    logging.disable(logging.CRITICAL)
    folder, truth = job
    raw = (folder / truth["file"]).read_bytes()
    url = truth["url"]
    result: dict[str, Any] = {"id": truth["id"]}
    for name, run in (("plain", _plain), ("newscov", _newscov)):
        started = time.perf_counter()
        got = run(raw, url)
        got["seconds"] = time.perf_counter() - started
        result[name] = got
    result["htmldate"] = _htmldate(raw, url)
    return result


def score(truth: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    text = fold(got.get("text"))
    found = sum(fold(s) in text for s in truth["with"] or [])
    kept = sum(fold(s) in text for s in truth["without"] or [])
    return {
        "with": found,
        "without": kept,
        "read": len(text) >= 20,
        "title": None if truth["title"] is None else fold(got.get("title")) == fold(truth["title"]),
        "date": None if truth["date"] is None else (got.get("date") or "")[:10] == truth["date"],
        "author": None if not truth["authors"] else names(got.get("author")) == names(truth["authors"]),
    }


def summarise(expected: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    by_id = {r["id"]: r for r in results}
    table: dict[str, dict[str, float]] = {}
    total_with = sum(len(t["with"] or []) for t in expected)
    total_without = sum(len(t["without"] or []) for t in expected)
    for name in ("plain", "newscov"):
        scores = [score(t, by_id[t["id"]][name]) for t in expected]
        row = {
            "body with": sum(s["with"] for s in scores) / total_with,
            "body without": sum(s["without"] for s in scores) / total_without,
        }
        for field in ("title", "date", "author"):
            judged = [s[field] for s in scores if s[field] is not None]
            row[field] = sum(judged) / max(1, len(judged))
        seconds = [by_id[t["id"]][name]["seconds"] for t in expected]
        row["ms per page (median)"] = statistics.median(seconds) * 1000
        row["s in all"] = sum(seconds)
        table[name] = row
    plain_read = {t["id"] for t in expected if score(t, by_id[t["id"]]["plain"])["read"]}
    lost = [t["id"] for t in expected if t["id"] in plain_read and not score(t, by_id[t["id"]]["newscov"])["read"]]
    table["newscov"]["no article where plain reads one"] = len(lost)
    table["plain"]["no article where plain reads one"] = 0
    dated = [t for t in expected if t["date"]]
    right = sum((by_id[t["id"]]["htmldate"] or "") == t["date"] for t in dated)
    table["htmldate"] = {"date": right / max(1, len(dated))}
    table["lost pages"] = dict.fromkeys(lost, 1.0)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", type=Path, help="write every page's results to this JSON file")
    args = parser.parse_args()
    expected = json.loads((args.folder / "expected.json").read_text(encoding="utf-8"))
    if args.limit:
        expected = expected[: args.limit]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(one_page, [(args.folder, t) for t in expected], chunksize=8))
    table = summarise(expected, results)
    lost = sorted(table.pop("lost pages"))
    print(f"{len(expected)} pages in {time.perf_counter() - started:.0f} s ({args.workers} workers)\n")
    fields = ["body with", "body without", "title", "date", "author", "no article where plain reads one",
              "ms per page (median)", "s in all"]  # fmt: skip
    print(f"| {'field':34} | plain trafilatura | newscov | htmldate |")
    print(f"|{'-' * 36}|---|---|---|")
    for field in fields:
        cells = []
        for name in ("plain", "newscov", "htmldate"):
            value = table[name].get(field)
            cells.append("" if value is None else f"{value:.3f}" if value < 1.5 else f"{value:.1f}")
        print(f"| {field:34} | {cells[0]} | {cells[1]} | {cells[2]} |")
    ratio = table["newscov"]["s in all"] / table["plain"]["s in all"]
    print(f"\nnewscov / plain time: {ratio:.2f}x")
    if lost:
        print(f"no article where plain trafilatura reads one: {', '.join(lost)}")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
