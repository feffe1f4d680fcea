"""Matching speed on a generated corpus: 100 phrases x 2,000 articles of ~1,500 Han characters, then 1k/10k/100k.

    uv run python -m benchmarks.matching_speed [--sizes 1000 10000 100000]

Compares newscov's corpus matcher (chunk prefilter + full matcher on candidates) with a plain Python loop over
fuzz.partial_ratio, rapidfuzz's cdist (partial_ratio, score_cutoff, workers=-1) and difflib.SequenceMatcher on a
sample, on the same folded texts. Articles are random sentences from a generated vocabulary; 1% carry a phrase
verbatim and 1% a variant with one character changed, so the right answer is known.
"""

from __future__ import annotations

import argparse
import difflib
import random
import resource
import time
from datetime import UTC, datetime

from rapidfuzz import fuzz, process

from coverage.corpus import fast_fold, match_corpus
from coverage.match import MatchSettings
from coverage.models import Article, Phrase, Status

COMMON = (
    "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後"
    "多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還"
    "因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結"
    "解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少"
)


def word(rng: random.Random) -> str:
    return "".join(rng.choices(COMMON, k=rng.choice((2, 2, 2, 3, 4))))


def sentence(rng: random.Random) -> str:
    return "".join(word(rng) for _ in range(rng.randint(6, 14))) + "。"


def build(
    n_articles: int, n_phrases: int = 100, seed: int = 7
) -> tuple[list[Phrase], list[Article], set[tuple[int, int]]]:
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(5000)]
    phrases = [Phrase(f"p{i}", "".join(word(rng) for _ in range(rng.randint(4, 7)))) for i in range(n_phrases)]
    now = datetime.now(UTC)
    articles: list[Article] = []
    planted: set[tuple[int, int]] = set()
    for a in range(n_articles):
        text = "".join(rng.choices(pool, k=55))[:1500]
        roll = rng.random()
        if roll < 0.02:
            p = rng.randrange(n_phrases)
            needle = phrases[p].text
            if roll < 0.01:  # a variant: one character changed
                i = len(needle) // 2
                needle = needle[:i] + ("甲" if needle[i] != "甲" else "乙") + needle[i + 1 :]
            cut = rng.randrange(len(text))
            text = text[:cut] + needle + text[cut:]
            planted.add((p, a))
        articles.append(Article(f"o{a % 50}", f"https://example.test/{a}", None, None, None, None, "zh", "zh-Hant",
                                text, now, ""))  # fmt: skip
    return phrases, articles, planted


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def newscov(phrases: list[Phrase], articles: list[Article]) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = match_corpus(phrases, articles, MatchSettings())
    wall = time.perf_counter() - started
    found = sum(m.status in (Status.VERBATIM, Status.NEAR) for m in result.matches)
    return wall, result.candidates, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    args = parser.parse_args()

    phrases, articles, planted = build(2000)
    print(f"100 phrases x 2,000 articles ({sum(len(a.text) for a in articles) / len(articles):.0f} chars each)")
    wall, candidates, found = newscov(phrases, articles)
    print(f"  newscov corpus matcher: {wall:7.2f} s  ({candidates} of 200,000 pairs matched in full; "
          f"{found} matches, {len(planted)} planted)  max RSS {rss_mib():.0f} MiB")  # fmt: skip
    folded_phrases = [fast_fold(p.text) for p in phrases]
    folded_articles = [fast_fold(a.text) for a in articles]
    started = time.perf_counter()
    process.cdist(folded_phrases, folded_articles, scorer=fuzz.partial_ratio, score_cutoff=78, workers=-1)
    cdist = time.perf_counter() - started
    print(
        f"  rapidfuzz cdist (partial_ratio, score_cutoff=78, workers=-1): {cdist:7.2f} s  (newscov {wall / cdist:.2f}x)"
    )
    started = time.perf_counter()
    for p in folded_phrases:
        for t in folded_articles:
            fuzz.partial_ratio(p, t)
    loop = time.perf_counter() - started
    print(f"  Python loop over fuzz.partial_ratio: {loop:7.2f} s  (newscov {loop / wall:.0f}x faster)")
    sample = 200
    started = time.perf_counter()
    for k in range(sample):
        difflib.SequenceMatcher(None, folded_phrases[k % 100], folded_articles[k], autojunk=False).find_longest_match()
        difflib.SequenceMatcher(None, folded_phrases[k % 100], folded_articles[k], autojunk=False).ratio()
    per_pair = (time.perf_counter() - started) / sample
    print(
        f"  difflib.SequenceMatcher: {per_pair * 1e3:.2f} ms a pair on a {sample}-pair sample -> "
        f"{per_pair * 200000:7.0f} s for all pairs  (newscov {per_pair * 200000 / wall:.0f}x faster)"
    )
    print("growth with the corpus (100 phrases):")
    for size in args.sizes:
        phrases, articles, planted = build(size, seed=size)
        wall, candidates, found = newscov(phrases, articles)
        print(
            f"  {size:>7,} articles: {wall:7.2f} s, {candidates:,} candidate pairs of {100 * size:,}, "
            f"{found} matches of {len(planted)} planted, max RSS {rss_mib():.0f} MiB"
        )


if __name__ == "__main__":
    main()
