"""The cross-language matcher: a statement in one language, an article in another (see coverage.align).

It judges only pairs in two different known languages among English, Chinese and Japanese. Its verdicts are
three-way: translated (the window found is the rendering), uncertain (a person should look at the best
candidate), or absent (confident that no window renders the statement; the best candidate is the proof).
Windows are assigned jointly: two phrases of one run never claim the same window of an article.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..align import Aligner, Alignment, EncoderUnavailable, Prepared, Statement
from ..models import Article, Method, Phrase, Status
from .base import ArticleView, Hit, Matcher, MatchSettings, rendering_flags, sentence_around, speaker_change

LANGUAGES = frozenset({"en", "zh", "ja"})
_STATUS = {"translated": Status.TRANSLATED, "uncertain": Status.UNCERTAIN, "absent": Status.ABSENT}


def _language(phrase: Phrase) -> str | None:
    from ..textnorm import detect_script

    return phrase.language or detect_script(phrase.text)[0]


class AlignerMatcher(Matcher):
    """Finds how an article rendered a statement made in another language, offline."""

    method = Method.ALIGNER
    name = "aligner"

    def __init__(self, aligner: Aligner | None = None) -> None:
        super().__init__()
        self._aligner = aligner
        self._phrases: list[Phrase] = []
        self._statements: dict[tuple[str, str | None], Statement] = {}
        self._texts: dict[tuple[str, str], list[Prepared]] = {}
        self._results: dict[tuple[str, str], dict[str, Alignment]] = {}
        self.broken = False

    def prepare(self, phrases: Sequence[Phrase], articles: Sequence[Article], settings: MatchSettings) -> None:
        self._phrases = list(phrases)
        self._use_aliases(settings)

    def _use_aliases(self, settings: MatchSettings) -> None:
        """The alias sets count for the name signal: new sets mean new statements and texts."""
        aliases = [tuple(a) for a in settings.aliases]
        if self.aligner.aliases != aliases:
            self.aligner.use_aliases(aliases)
            self._results.clear()
            self._statements.clear()
            self._texts.clear()

    def release(self) -> None:
        """Article texts, their windows and vectors go; the statements stay (they are the same for every article)."""
        self._texts.clear()
        self._results.clear()
        if self._aligner is not None:
            self._aligner.encoder.forget()

    @property
    def aligner(self) -> Aligner:
        if self._aligner is None:
            self._aligner = Aligner()
        return self._aligner

    def applies(self, phrase: Phrase, view: ArticleView) -> bool:
        language = _language(phrase)
        return not self.broken and language in LANGUAGES and view.language in LANGUAGES and language != view.language

    def judges(self, phrase: Phrase, view: ArticleView) -> bool:
        return self.applies(phrase, view)

    def _statement(self, phrase: Phrase) -> Statement:
        key = (phrase.text, phrase.speaker)
        if key not in self._statements:
            self._statements[key] = self.aligner.statement(phrase.text, _language(phrase), phrase.speaker)
        return self._statements[key]

    def _prepared(self, article: Article) -> list[Prepared]:
        texts = []
        for where, text in (("body", article.text), ("headline", article.title or "")):
            if not text.strip():
                continue
            key = (article.sha256 or article.url, where)
            if key not in self._texts:
                self._texts[key] = self.aligner.prepare_all(text, where, article.language)
            texts.extend(self._texts[key])
        return texts

    def _align_article(self, phrase: Phrase, view: ArticleView) -> Alignment:
        """Every phrase of the run that this matcher applies to, aligned jointly on this article."""
        self._use_aliases(view.settings)
        article = view.article
        key = (article.url, article.sha256)
        results = self._results.setdefault(key, {})
        if phrase.id in results and phrase in self._phrases:
            return results[phrase.id]
        texts = self._prepared(article)
        group = [p for p in self._phrases if self.applies(p, view)] if phrase in self._phrases else [phrase]
        free = {p.id: self.aligner.align(self._statement(p), texts) for p in group}
        taken: list[tuple[str, int, int]] = []
        for member in sorted(group, key=lambda p: -free[p.id].score):
            found = self.aligner.align(self._statement(member), texts, taken) if taken else free[member.id]
            results[member.id] = found
            if found.status != "absent":
                taken.append((found.where, found.start, found.end))
        return results[phrase.id]

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        try:
            found = self._align_article(phrase, view)
        except (EncoderUnavailable, OSError, ImportError) as exc:
            self.broken = True
            self.problems.append(f"cross-language aligner unavailable: {exc}")
            return None
        if not found.text:
            return None
        status = _STATUS[found.status]
        article = view.article
        unread = len(article.text) > self.aligner.max_chars
        if status is Status.ABSENT and unread:
            status = Status.UNCERTAIN  # the end of a very long text was not aligned: no absence is proven
        body = found.where == "body"
        note = None
        flags: tuple[str, ...] = ()
        if status is not Status.ABSENT:
            changed = speaker_change(phrase, view, found.start, found.end) if body else None
            flags = rendering_flags(phrase.text, found.text, *(changed or (None, None)))
        if status is Status.UNCERTAIN:
            note = "the aligner is not sure this is a rendering of the phrase: read the sentence and decide"
            if unread:
                note += f" (only the first {self.aligner.max_chars:,} characters of this long text were aligned)"
        elif status is Status.ABSENT:
            note = "no part of the article renders the phrase; the closest candidate is too weak to count"
        return Hit(
            status=status,
            method=self.method,
            score=100 * found.p,
            matched_text=found.text,
            context=sentence_around(article.text, found.start, found.end, view.settings.context_chars)
            if body
            else article.title,
            span=(found.start, found.end) if body else None,
            note=note,
            confidence=round(found.p if status is not Status.ABSENT else 1 - found.p, 3),
            rank=found.rank,
            margin=round(found.margin, 3),
            signals=tuple(found.signals.items()),
            where=found.where,
            flags=flags,
        )
