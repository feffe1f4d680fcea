"""Fetched page -> Article: trafilatura's main text and metadata (title, date, author), comments left out."""

from __future__ import annotations

import hashlib
import logging
import re

from .models import Article, Failure, Fetched
from .textnorm import detect_script

# trafilatura logs every page it finds too short or unparsable; the Failure record carries the reason instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


# Less than this is a navigation stub or an error page, not an article (a one-line brief is still 30+ characters).
MIN_ARTICLE_CHARS = 20


# "記者王小明／台中報導" (with / or ／, "綜合報導" etc.): trafilatura gives the byline whole; keep the name
_BYLINE = re.compile(r"^(?:\S{0,6}?)記者\s*(?P<name>[^／/\s]+(?:\s*[、,，]\s*[^／/\s]+)*)\s*[／/]\s*\S*報導$")


def clean_author(author: str | None) -> str | None:
    """The person's name from an author field that holds a Chinese byline; other values as given."""
    if not author or not author.strip():
        return None
    author = author.strip()
    byline = _BYLINE.match(author)
    return byline.group("name") if byline else author


def _article(fetched: Fetched, text: str, title: str | None, published: str | None, author: str | None) -> Article:
    language, script = detect_script(text)
    return Article(
        outlet_id=fetched.target.outlet_id,
        url=fetched.target.location,
        final_url=fetched.final_url,
        title=title.strip() if title and title.strip() else None,
        published=published or None,
        author=clean_author(author),
        language=language,
        script=script,
        text=text,
        fetched_at=fetched.fetched_at,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def extract(fetched: Fetched) -> Article | Failure:
    """Extract the article of a fetched page, or say why there is none."""
    location = fetched.target.location
    if fetched.content_type == "text/plain":
        text = fetched.html.strip()
        if not text:
            return Failure("extract", fetched.target.outlet_id, location, "the file is empty")
        first_line = text.splitlines()[0]
        return _article(fetched, text, first_line[:200], None, None)

    if not fetched.html.strip():
        return Failure("extract", fetched.target.outlet_id, location, "the page is empty")
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            fetched.html,
            url=fetched.final_url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup that lxml/trafilatura choke on
        return Failure("extract", fetched.target.outlet_id, location, f"the page could not be parsed ({exc})")
    text = (getattr(document, "text", None) or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        found = f" (only {len(text)} characters)" if text else ""
        return Failure(
            "extract",
            fetched.target.outlet_id,
            location,
            f"no article text found on the page{found}: a script-rendered, paywalled or empty page?",
        )
    return _article(fetched, text, document.title, document.date, document.author)  # type: ignore[union-attr]
