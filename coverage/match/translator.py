"""Machine translation over HTTP: a self-hosted LibreTranslate-compatible server (`--translator URL`).

The phrase is translated into each article's language once per run (POST /translate with alternatives); each
translation is then looked for like a rendering (exactly, then fuzzily). A translation that is not found proves
nothing (the outlet may have worded it otherwise), so this matcher never judges an absence. A server that is
down or answers nonsense is named in the report's notes and the other matchers go on.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from ..models import Article, Method, Phrase, Status
from ..textnorm import detect_script, one_line
from .base import ArticleView, Hit, Matcher, MatchSettings
from .strings import _exact, _fuzzy, _hit

ALTERNATIVES = 3
MAX_ANSWER = 20_000  # characters of one translation kept
_CODES = {"zh": "zh", "en": "en", "ja": "ja"}


def _language(phrase: Phrase) -> str | None:
    return phrase.language or detect_script(phrase.text)[0]


class TranslatorError(RuntimeError):
    pass


def translate(client: httpx.Client, url: str, text: str, source: str, target: str) -> list[str]:
    """The server's translation of `text` and its alternatives (LibreTranslate's /translate)."""
    endpoint = url.rstrip("/") + "/translate"
    body = {"q": text, "source": source, "target": target, "format": "text", "alternatives": ALTERNATIVES}
    try:
        response = client.post(endpoint, json=body)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise TranslatorError(f"{endpoint}: {type(exc).__name__}: {exc}") from None
    if response.status_code != 200:
        detail = one_line(response.text[:200])
        raise TranslatorError(f"{endpoint} answered HTTP {response.status_code}: {detail}")
    try:
        data = response.json()
        main = data["translatedText"]
        alternatives = data.get("alternatives") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        raise TranslatorError(f"{endpoint}: not a LibreTranslate answer (no translatedText)") from None
    if not isinstance(main, str):
        raise TranslatorError(f"{endpoint}: not a LibreTranslate answer (translatedText is not text)")
    texts = [main, *alternatives] if isinstance(alternatives, list) else [main]
    return list(dict.fromkeys(t[:MAX_ANSWER] for t in texts if isinstance(t, str) and t.strip()))


class TranslatorMatcher(Matcher):
    """Looks for machine translations of the phrase in articles of another language."""

    method = Method.TRANSLATOR
    name = "translator"

    def __init__(self, url: str, timeout_s: float = 20.0, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__()
        self.url = url
        self.timeout_s = timeout_s
        self.transport = transport
        self.translations: dict[tuple[str, str], list[str]] = {}
        self.failed = False

    def prepare(self, phrases: Sequence[Phrase], articles: Sequence[Article], settings: MatchSettings) -> None:
        targets = {a.language for a in articles if a.language in _CODES}
        for phrase in phrases:
            for target in targets:
                self._translations(phrase, target)

    def _translations(self, phrase: Phrase, target: str) -> list[str]:
        source = _language(phrase)
        key = (phrase.text, target)
        if self.failed or source == target or source not in _CODES or target not in _CODES:
            return []
        if key not in self.translations:
            try:
                with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
                    self.translations[key] = translate(client, self.url, phrase.text, _CODES[source], _CODES[target])
            except TranslatorError as exc:
                self.failed = True  # one failure is enough: do not wait on a dead server for every phrase
                self.problems.append(f"translator failed: {exc}")
                return []
        return self.translations[key]

    def applies(self, phrase: Phrase, view: ArticleView) -> bool:
        return view.same_language(phrase.text, phrase.language) is False and not self.failed

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        if view.language is None:
            return None
        candidates = self._translations(phrase, view.language)
        settings = view.settings
        for text in candidates:
            found = _exact(text, view.folded, settings)
            if found:
                return _hit(found, Status.TRANSLATED, self.method, view, rendering=True)
        best = max(
            (f for t in candidates if (f := _fuzzy(t, view.folded, settings))), key=lambda f: f.score, default=None
        )
        if best and best.score >= settings.near_threshold(best.needle_folded.text):
            return _hit(best, Status.TRANSLATED, self.method, view, rendering=True)
        return None
