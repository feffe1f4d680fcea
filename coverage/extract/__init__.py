"""Fetched page -> Article: trafilatura for the body, then outlet hints and generic rules for the rest.

trafilatura finds the main text well but keeps the site name in titles, gives days without times, takes
organisations (or whole bylines) for authors and leaves share bars and update stamps in some bodies. This
module reads title, times and author from the page itself (meta tags, JSON-LD, the visible byline and
dateline), in an order that prefers what the outlet shows its readers, and cleans the body line by line.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..models import Article, ExtractHints, Failure, Fetched, Outlet
from ..textnorm import detect_script
from .author import clean_author, find_author
from .body import CAPTION_XPATH, GENERIC_PRUNE, _article_html, _clean_body
from .meta import _read_meta
from .times import parse_time, publication_times
from .title import clean_title

__all__ = ["MIN_ARTICLE_CHARS", "clean_author", "clean_title", "extract", "parse_time", "text_article"]

# trafilatura logs every page it finds too short or unparsable; the Failure record carries the reason instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# Less than this is a navigation stub or an error page, not an article (a one-line brief is still 30+ characters).
MIN_ARTICLE_CHARS = 20

# Below this a body is checked against plain trafilatura's reading of the page, which wins when it is longer by
# LONGER_BY. On the 990-page evaluation set 2.5% of bodies are that short; the check costs about that share of time.
SHORT_BODY_CHARS = 500
LONGER_BY = 2.0

# Captions with this much text, against the body's, are the story itself (a slideshow), not asides.
CAPTIONS_ARE_THE_STORY = 0.4

_NO_HINTS = ExtractHints()


# lxml refuses a str that declares its encoding: the declaration is dropped (the text is decoded already)
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parse(html: str) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _article(
    fetched: Fetched,
    text: str,
    title: str | None,
    published: str | None,
    author: str | None,
    updated: str | None = None,
    captions: Iterable[str] = (),
    notes: Iterable[str] = (),
) -> Article:
    language, script = detect_script(text)
    return Article(
        outlet_id=fetched.target.outlet_id,
        url=fetched.target.location,
        final_url=fetched.final_url,
        title=title.strip() if title and title.strip() else None,
        published=published or None,
        author=author,
        language=language,
        script=script,
        text=text,
        fetched_at=fetched.fetched_at,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        updated=updated,
        captions=tuple(dict.fromkeys(c for c in captions if c)),
        notes=tuple(notes),
    )


def text_article(text: str, outlet_id: str, url: str, title: str | None = None) -> Article:
    """Text that is already an article's body (a test case, a corpus record) as an Article: language, script and
    digest read from it."""
    language, script = detect_script(text)
    return Article(outlet_id, url, None, title, None, None, language, script, text, datetime.now(UTC),
                   hashlib.sha256(text.encode("utf-8")).hexdigest())  # fmt: skip


def extract(fetched: Fetched, outlet: Outlet | None = None) -> Article | Failure:
    """Extract the article of a fetched page, or say why there is none; `outlet` brings its hints."""
    location = fetched.target.location
    hints = outlet.hints if outlet else _NO_HINTS
    if fetched.content_type == "text/plain":
        text = fetched.html.strip()
        if not text:
            return Failure("extract", fetched.target.outlet_id, location, "the file is empty")
        return _article(fetched, text, text.splitlines()[0][:200], None, None)

    notes = [f"{fetched.replaced} undecodable byte(s) replaced ({fetched.encoding})"] if fetched.replaced else []
    html = _XML_PROLOG.sub("", fetched.html, count=1)
    if not html.strip():
        return Failure("extract", fetched.target.outlet_id, location, "the page is empty")
    tree = _parse(html)
    if tree is None:
        return Failure("extract", fetched.target.outlet_id, location, "the page could not be parsed as HTML")
    import trafilatura

    meta = _read_meta(tree)
    container, captions = _article_html(tree, hints)

    def read(prune: list[str]) -> Any:
        return trafilatura.bare_extraction(
            container or html,
            url=fetched.final_url,
            with_metadata=container is None,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            prune_xpath=[*hints.prune_xpath, *GENERIC_PRUNE, *prune],
        )

    try:
        document = read([CAPTION_XPATH])
        body = _clean_body((getattr(document, "text", None) or "").strip(), hints)
        if container is None and sum(map(len, captions)) >= CAPTIONS_ARE_THE_STORY * len("\n".join(body.lines)):
            # a slideshow or a gallery: the captions carry the story, so they stay in the body
            document = read([])
            body = _clean_body((getattr(document, "text", None) or "").strip(), hints)
            captions = []
            notes.append("photo captions read as part of the body (they carry most of the text)")
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup that lxml/trafilatura choke on
        return Failure("extract", fetched.target.outlet_id, location, f"the page could not be parsed ({exc})")
    short = MIN_ARTICLE_CHARS if container is not None else SHORT_BODY_CHARS  # the outlet's container is trusted
    if len("\n".join(body.lines)) < short:
        # A short body may be newscov's clean-up misleading trafilatura (a share bar or caption rule removing a
        # block it relied on): read the page as plain trafilatura does, and keep the longer reading, so that newscov
        # never reads less than it.
        plain = _clean_body(_plain_body(html, fetched.final_url), hints)
        ours, theirs = len("\n".join(body.lines)), len("\n".join(plain.lines))
        if theirs >= MIN_ARTICLE_CHARS and (ours < MIN_ARTICLE_CHARS or theirs >= ours * LONGER_BY):
            body = plain
            notes.append("body read by plain trafilatura: newscov's clean-up read less")
    text = "\n".join(body.lines)
    if len(text) < MIN_ARTICLE_CHARS:
        found = f" (only {len(text)} characters)" if text else ""
        return Failure(
            "extract",
            fetched.target.outlet_id,
            location,
            f"no article text found on the page{found}: a script-rendered, paywalled or empty page?",
        )
    timezone = outlet.timezone if outlet else None
    # htmldate's day is in trafilatura's metadata when it read the whole page; else htmldate reads the parsed tree
    published, updated = publication_times(
        meta,
        hints,
        timezone,
        url=fetched.final_url,
        html=html,
        found=getattr(document, "date", None),
        tree=tree if container is not None else None,
    )
    title = clean_title(meta, hints, outlet, fetched.final_url) or getattr(document, "title", None)
    edges = [*body.bylines, *body.lines[:4], *body.lines[-4:]]
    author = find_author(tree, meta, hints, edges, getattr(document, "author", None), outlet)
    return _article(fetched, text, title, published, author, updated, [*captions, *body.captions], notes)


def _plain_body(html: str, url: str | None) -> str:
    """The body plain trafilatura reads (its defaults, no newscov rule)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=False, include_comments=False)
    except (ValueError, TypeError, AttributeError):
        return ""
    return (getattr(document, "text", None) or "").strip()
