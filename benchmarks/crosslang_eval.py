"""Cross-language quote finding on the labelled set (tests/data/crosslang_cases.yaml).

    uv run python -m benchmarks.crosslang_eval          # top-1, translated/absent precision, uncertain rate
    uv run python -m benchmarks.crosslang_eval --fit    # refit the aligner's weights (prints them)
    uv run python -m benchmarks.crosslang_eval --naive  # the baseline: best cosine window, one threshold

Top-1: the window the aligner picked holds most of the wording the outlet used (the case's `rendering`).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from ruamel.yaml import YAML

from coverage.align import DECISION, SIGNALS, WEIGHTS, Aligner
from coverage.match import AlignerMatcher, ArticleView, MatchSettings
from coverage.models import Article, Phrase
from coverage.textnorm import detect_script

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "crosslang_cases.yaml"


def load_cases(path: Path = CASES) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _article(event: str, article_id: str, data: dict[str, Any]) -> Article:
    text = data["text"].strip()
    language, script = detect_script(text)
    return Article(event, f"case://{event}/{article_id}", None, data.get("title"), None, None, language, script,
                   text, datetime.now(UTC), f"{event}/{article_id}")  # fmt: skip


def _hits(rendering: str, matched: str | None) -> bool:
    """The picked window holds at least 60% of the rendering (or the rendering holds the window)."""
    if not matched:
        return False
    if rendering in matched or (matched in rendering and len(matched) >= 0.6 * len(rendering)):
        return True
    overlap = max((k for k in range(len(rendering), 0, -1) for i in range(len(rendering) - k + 1)
                   if rendering[i : i + k] in matched), default=0)  # fmt: skip
    return overlap >= 0.6 * len(rendering)


def run(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every case through the aligner matcher (joint assignment over the event's statements, as in a run)."""
    out = []
    for event in data["events"]:
        settings = MatchSettings(aliases=tuple(tuple(a) for a in event.get("aliases") or ()))
        phrases = {
            sid: Phrase(
                sid, s["text"], language=detect_script(s["text"])[0], speaker=event.get("speaker"), source="original"
            )
            for sid, s in event["statements"].items()
        }
        articles = {aid: _article(event["id"], aid, a) for aid, a in event["articles"].items()}
        matcher = AlignerMatcher()
        matcher.prepare(list(phrases.values()), list(articles.values()), settings)
        for case in (c for c in data["cases"] if c["event"] == event["id"]):
            phrase, article = phrases[case["statement"]], articles[case["article"]]
            view = ArticleView(article, settings)
            hit = matcher.find(phrase, view) if matcher.applies(phrase, view) else None
            out.append(
                {
                    **case,
                    "status": hit.status.value if hit else "not compared",
                    "matched": hit and hit.matched_text,
                    "signals": dict(hit.signals) if hit else {},
                    "margin": hit.margin if hit else 0.0,
                }
            )
    return out


def score(results: list[dict[str, Any]]) -> dict[str, Any]:
    present = [r for r in results if r["expect"] == "translated"]
    said = {s: [r for r in results if r["status"] == s] for s in ("translated", "uncertain", "absent")}
    top1 = sum(_hits(r["rendering"], r["matched"]) for r in present) / max(1, len(present))
    translated_ok = sum(r["expect"] == "translated" and _hits(r["rendering"], r["matched"]) for r in said["translated"])
    absent_ok = sum(r["expect"] == "absent" for r in said["absent"])
    found = sum(r["status"] == "translated" and _hits(r["rendering"], r["matched"]) for r in present)
    return {
        "cases": len(results),
        "top1": round(top1, 3),
        "found": round(found / max(1, len(present)), 3),  # translated, with the right window
        "translated_precision": round(translated_ok / max(1, len(said["translated"])), 3),
        "absent_precision": round(absent_ok / max(1, len(said["absent"])), 3),
        "uncertain_rate": round(len(said["uncertain"]) / max(1, len(results)), 3),
        "wrong": [
            (r["event"], r["statement"], r["article"], r["expect"], r["status"], (r["matched"] or "")[:40])
            for r in results
            if (
                r["status"] == "translated"
                and not (r["expect"] == "translated" and _hits(r["rendering"], r["matched"]))
            )
            or (r["status"] == "absent" and r["expect"] == "translated")
        ],
    }


def by_direction(data: dict[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    languages = {}
    for event in data["events"]:
        for sid, s in event["statements"].items():
            for aid, a in event["articles"].items():
                languages[(event["id"], sid, aid)] = f"{s['lang']}->{a['lang']}"
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault(languages[(r["event"], r["statement"], r["article"])], []).append(r)
    return {k: {x: v for x, v in score(g).items() if x != "wrong"} for k, g in sorted(groups.items())}


def fit(data: dict[str, Any]) -> None:
    """Refit the ranking weights (softmax over each translated case's windows) and the decision (logistic)."""
    aligner_rows: list[tuple[np.ndarray, int]] = []
    for event in data["events"]:
        aligner = Aligner(aliases=[tuple(a) for a in event.get("aliases") or ()])
        articles = {aid: _article(event["id"], aid, a) for aid, a in event["articles"].items()}
        for case in (c for c in data["cases"] if c["event"] == event["id"] and c["expect"] == "translated"):
            statement_data = event["statements"][case["statement"]]
            statement = aligner.statement(statement_data["text"], speaker=event.get("speaker"))
            article = articles[case["article"]]
            feats: list[np.ndarray] = []
            windows: list[str] = []
            right = -1
            for where, text in (("body", article.text), ("headline", article.title or "")):
                if not text:
                    continue
                prepared = aligner.prepare(text, where, article.language)
                rows = aligner.features(statement, prepared)
                for w, span in enumerate(prepared.windows):
                    window = text[span.start : span.end]
                    # the right window: holds the rendering, and is the shortest that does
                    if _hits(case["rendering"], window) and (right < 0 or len(window) < len(windows[right])):
                        right = len(feats)
                    feats.append(rows[w])
                    windows.append(window)
            if right >= 0:
                aligner_rows.append((np.array(feats), right))
    w = WEIGHTS.copy()
    for _ in range(300):
        grad = np.zeros_like(w)
        for feats, right in aligner_rows:
            s = feats @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += feats[right] - p @ feats
        w += 0.02 * grad / len(aligner_rows) - 0.001 * w
    print("WEIGHTS =", np.round(w, 2).tolist(), dict(zip(SIGNALS, np.round(w, 2), strict=True)))
    print("DECISION (unchanged, refit by hand from --sweep):", DECISION.tolist())


def fit_decision(data: dict[str, Any]) -> None:
    """Logistic regression of present/absent on the best window's score, margin, cosine and dictionary share."""
    results = [r for r in run(data) if r["signals"]]
    x = np.array([[1.0, r["signals"]["score"], r["margin"], r["signals"]["cos"], r["signals"]["lex"]] for r in results])
    y = np.array([1.0 if r["expect"] == "translated" and _hits(r["rendering"], r["matched"]) else 0.0 for r in results])
    w = np.zeros(x.shape[1])
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w)))
        w += 0.05 * (x.T @ (y - p)) / len(y) - 1e-4 * w
    print("DECISION =", np.round(w, 2).tolist())


def naive(data: dict[str, Any]) -> None:
    """One encoder, best clause window by cosine, no calibration: how far apart present and absent are."""
    present, absent, hits = [], [], 0
    for event in data["events"]:
        aligner = Aligner()
        articles = {aid: _article(event["id"], aid, a) for aid, a in event["articles"].items()}
        for case in (c for c in data["cases"] if c["event"] == event["id"]):
            statement = aligner.statement(event["statements"][case["statement"]]["text"])
            prepared = aligner.prepare(articles[case["article"]].text, "body", articles[case["article"]].language)
            cos = prepared.vectors @ statement.vector
            best = int(np.argmax(cos)) if len(cos) else 0
            (present if case["expect"] == "translated" else absent).append(float(cos.max()) if len(cos) else 0.0)
            if case["expect"] == "translated" and len(cos):
                span = prepared.windows[best]
                hits += _hits(case["rendering"], prepared.text[span.start : span.end])
    print(f"naive top-1 {hits / max(1, len(present)):.3f}; worst translated cosine {min(present):.3f}, "
          f"best absent cosine {max(absent):.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--fit-decision", action="store_true")
    args = parser.parse_args()
    data = load_cases()
    if args.fit:
        fit(data)
        return
    if args.fit_decision:
        fit_decision(data)
        return
    if args.naive:
        naive(data)
        return
    started = time.perf_counter()
    results = run(data)
    scores = score(results)
    print({k: v for k, v in scores.items() if k != "wrong"}, f"{time.perf_counter() - started:.1f} s")
    for direction, values in by_direction(data, results).items():
        print(f"  {direction}: {values}")
    for wrong in scores["wrong"]:
        print("  wrong:", wrong)
    print("statuses:", {s: sum(r["status"] == s for r in results) for s in {r["status"] for r in results}})


if __name__ == "__main__":
    main()
