"""Speed and memory of the cross-language aligner: a 40-sentence English statement against 30 Chinese articles of
about 1,600 characters (built from the labelled set's texts), through the real cascade (string matchers first).

    uv run python -m benchmarks.crosslang_speed
"""

from __future__ import annotations

import resource
import time

from benchmarks.crosslang_eval import load_cases
from coverage.extract import text_article
from coverage.match import Cascade, default_matchers
from coverage.models import Phrase


def main() -> None:
    data = load_cases()
    statements = [s["text"] for e in data["events"] for s in e["statements"].values() if s["lang"] == "en"]
    # forty sentences: the English statements, then sentences of the English articles
    english = [a["text"] for e in data["events"] for a in e["articles"].values() if a["lang"] == "en"]
    statements += [s.strip() + "." for text in english for s in text.split(". ")[1:3] if len(s.split()) > 6]
    statements = statements[:40]
    texts = [a["text"] for e in data["events"] for a in e["articles"].values() if a["lang"].startswith("zh")]
    articles = []
    for n in range(30):
        body = ""
        k = n
        while len(body) < 1500:
            body += texts[k % len(texts)].strip() + "\n"
            k += 7
        articles.append(text_article(body[:1600], f"o{n}", f"case://{n}"))
    phrases = [Phrase(f"o{i}", s, language="en", source="original") for i, s in enumerate(statements, start=1)]
    started = time.perf_counter()
    cascade = Cascade(default_matchers())
    cascade.prepare(phrases, articles)
    matches = [m for a in articles for m in cascade.match_article(phrases, a)]
    wall = time.perf_counter() - started
    aligner = cascade.matchers[-1]
    encoder = aligner.aligner.encoder  # type: ignore[attr-defined]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(phrases)} sentences x {len(articles)} articles ({sum(len(a.text) for a in articles)} chars): "
          f"{wall:.2f} s wall, peak RSS {peak:.0f} MB, encoder load {encoder.load_s:.2f} s, "
          f"{encoder.encoded} texts encoded, {1000 * (wall - encoder.load_s) / len(phrases):.0f} ms per sentence; "
          f"{len(matches)} verdicts")  # fmt: skip


if __name__ == "__main__":
    main()
