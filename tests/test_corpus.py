"""The corpus matcher: C-speed folding, the chunk prefilter, and agreement with the per-article matcher."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.matching_eval import predict
from benchmarks.matching_speed import build
from coverage.corpus import chunks, fast_fold, match_corpus
from coverage.match import MatchSettings
from coverage.models import Phrase, Status
from coverage.textnorm import apply_aliases, fold

from .test_match import article


def test_fast_fold_is_fold_without_offsets(matching_cases: list[dict[str, Any]]) -> None:
    for case in matching_cases:
        aliases = tuple(tuple(group) for group in case.get("aliases", ()))
        for text in (case["text"], case["phrase"], case["text"].replace("。", ". ")):
            assert fast_fold(text, aliases) == apply_aliases(fold(text), aliases).text, case["id"]


@pytest.mark.parametrize(
    "needle", ["雙方同意建立海巡直接溝通管道", "the relationship has never been better between us"]
)
def test_chunks_are_disjoint_and_cover_the_needle(needle: str) -> None:
    folded = fold(needle).text
    pieces = chunks(folded, 78)
    assert "".join(pieces) == folded
    assert len(pieces) >= 2 and all(len(p) >= 3 for p in pieces)


def test_corpus_verdicts_equal_the_per_article_verdicts_on_the_labelled_cases(
    matching_cases: list[dict[str, Any]],
) -> None:
    for case in matching_cases:
        aliases = tuple(tuple(group) for group in case.get("aliases", ()))
        full, _ = predict(case, MatchSettings())
        result = match_corpus([Phrase("p", case["phrase"])], [article(case["text"])], MatchSettings(aliases=aliases), 1)
        got = result.matches[0].status.value if result.matches else "absent"
        assert got == full, case["id"]


def test_corpus_matching_in_parallel_finds_every_planted_phrase() -> None:
    phrases, articles, planted = build(600, n_phrases=20, seed=3)
    single = match_corpus(phrases, articles, workers=1)
    double = match_corpus(phrases, articles, workers=2)
    found = {(int(m.phrase_id[1:]), int(m.article_url.rsplit("/", 1)[1])) for m in double.matches}
    assert planted <= found
    assert single.matches == double.matches
    assert double.candidates < double.pairs / 20  # the prefilter spared most pairs
    assert {m.status for m in double.matches} <= {Status.VERBATIM, Status.NEAR}
