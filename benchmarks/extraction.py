"""Extraction quality on the real Taiwanese pages: newscov (with outlet hints) against plain trafilatura.

    uv run python -m benchmarks.extraction [--folder ../shared/real-pages/twnews]

For each page of expected.json: title equal after whitespace folding, publication time equal to the minute,
author equal (None where the expected author is null), body containing the snippet, and share-widget or
update-stamp text left in the body.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SHARE_TEXT = ("複製連結", "Facebook Line", "字級設定", "最新更新")
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages" / "twnews"


def _fold(text: str | None) -> str:
    return "".join((text or "").split())


def _plain(html: str, url: str) -> dict[str, Any]:
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    return {"title": document.title, "published": document.date, "author": document.author, "text": document.text}


def _newscov(html: str, url: str) -> dict[str, Any]:
    from coverage.extract import extract
    from coverage.models import Article, Fetched, Target, iso
    from coverage.sources import load_sources

    outlet = load_sources(user=False).for_url(url)
    fetched = Fetched(Target(outlet.id, url=url), url, 200, "text/html", "utf-8", html, datetime.now(UTC), 0.0)
    article = extract(fetched, outlet)
    assert isinstance(article, Article), article
    return {"title": article.title, "published": iso(article.published), "author": article.author, "text": article.text}


def evaluate(folder: Path, with_hints: bool, verbose: bool = False) -> dict[str, Any]:
    """Count the pages each field is right on; with_hints=False measures plain trafilatura."""
    from coverage.fetch import decode_body

    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    scores: dict[str, Any] = {"pages": 0, "title": 0, "published": 0, "author": 0, "body": 0, "share_text": 0}
    started = time.perf_counter()
    for name, truth in expected.items():
        html, _ = decode_body((folder / f"{name}.html").read_bytes())
        got = (_newscov if with_hints else _plain)(html, truth["url"])
        checks = {
            "title": _fold(got["title"]) == _fold(truth["title"]),
            "published": (got["published"] or "")[:16] == truth["published"],
            "author": got["author"] == truth["author"],
            "body": truth["body_contains"] in (got["text"] or ""),
            "share_text": any(s in (got["text"] or "") for s in SHARE_TEXT),
        }
        scores["pages"] += 1
        for key, ok in checks.items():
            scores[key] += int(ok)
        if verbose:
            wrong = [k for k, ok in checks.items() if ok == (k == "share_text")]
            print(
                f"  {name:11} {'ok' if not wrong else 'wrong: ' + ', '.join(wrong)}"
                f"  | {got['title']} | {got['published']} | {got['author']}"
            )
    scores["seconds"] = round(time.perf_counter() - started, 2)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    for label, hints in (("plain trafilatura", False), ("newscov", True)):
        print(label)
        scores = evaluate(args.folder, hints, verbose=True)
        pages = scores["pages"]
        print(
            f"  title {scores['title']}/{pages}, published to the minute {scores['published']}/{pages}, "
            f"author {scores['author']}/{pages}, body snippet {scores['body']}/{pages}, "
            f"bodies with share/update text {scores['share_text']}/{pages}  ({scores['seconds']} s)"
        )


if __name__ == "__main__":
    main()
