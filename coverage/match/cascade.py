"""The matcher cascade: run the matchers in order, the first decisive hit wins, and be honest otherwise.

Without a decisive hit the verdict is, in this order: uncertain (a matcher has a candidate a person should check),
absent (a matcher that can judge this pair found nothing strong enough: its best candidate is the proof), or
not compared (nothing could judge it: an English phrase in a Chinese article with no aligner, an article whose
language is unknown). "Absent" is never said for a pair no matcher could judge.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Article, Match, Method, Phrase, Status
from ..textnorm import detect_script
from .base import DECISIVE, ArticleView, Hit, Matcher, MatchSettings


class Cascade:
    """Matchers in order, with the settings they share."""

    def __init__(self, matchers: Sequence[Matcher], settings: MatchSettings | None = None) -> None:
        self.matchers = list(matchers)
        self.settings = settings or MatchSettings()

    def prepare(self, phrases: Sequence[Phrase], articles: Sequence[Article]) -> None:
        """Once per run, before matching: lets matchers batch their expensive work."""
        for matcher in self.matchers:
            matcher.prepare(phrases, articles, self.settings)

    def release(self) -> None:
        """Each matcher forgets what it kept about the articles seen so far."""
        for matcher in self.matchers:
            matcher.release()

    @property
    def problems(self) -> list[str]:
        return [problem for matcher in self.matchers for problem in matcher.problems]

    def view(self, article: Article) -> ArticleView:
        return ArticleView(article, self.settings)

    def match(self, phrase: Phrase, view: ArticleView) -> Match:
        article = view.article
        judged = False
        proofs: list[Hit] = []  # candidates of matchers that can judge this pair
        uncertain: list[Hit] = []
        for matcher in self.matchers:
            if not matcher.applies(phrase, view):
                continue
            hit = matcher.find(phrase, view)
            judges = matcher.judges(phrase, view)  # asked after find: a matcher that failed there judges nothing
            judged = judged or judges
            if hit is None:
                continue
            if hit.status in DECISIVE:
                return hit.to_match(phrase, article)
            if hit.status is Status.UNCERTAIN:
                uncertain.append(hit)
            elif judges:
                proofs.append(hit)
        if uncertain:
            return max(uncertain, key=lambda h: h.score).to_match(phrase, article)
        if judged:
            best = max(proofs, key=lambda h: h.score, default=None)
            if best is None:
                return Match(phrase.id, article.outlet_id, article.url, Status.ABSENT, 0.0, method=Method.EXACT)
            return best.to_match(phrase, article, status=Status.ABSENT)
        return Match(
            phrase.id,
            article.outlet_id,
            article.url,
            Status.NOT_COMPARED,
            0.0,
            note=self._why_not_compared(phrase, article),
        )

    def _why_not_compared(self, phrase: Phrase, article: Article) -> str:
        phrase_language = phrase.language or detect_script(phrase.text)[0] or "an unknown language"
        if article.language is None:
            return "the article's language could not be told, so no matcher could judge it: read it yourself"
        reasons = [p for m in self.matchers for p in m.problems]
        why = f" ({reasons[0]})" if reasons else ""
        remedies = ["give a --rendering"]
        if not any(m.name == "aligner" for m in self.matchers):
            remedies.append("run without --no-aligner")
        return (
            f"the article is in {article.language} and the phrase in {phrase_language}, and no cross-language "
            f"matcher could judge the pair{why}: {' or '.join(remedies)}"
        )

    def match_article(self, phrases: Sequence[Phrase], article: Article) -> list[Match]:
        view = self.view(article)
        return [self.match(phrase, view) for phrase in phrases]
