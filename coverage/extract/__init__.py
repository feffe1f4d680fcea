"""Fetched page -> Article: trafilatura for the body, then outlet hints and generic rules for the rest.

trafilatura finds the main text well but keeps the site name in titles, gives days without times, takes
organisations (or whole bylines) for authors and leaves share bars and update stamps in some bodies. This
module reads title, times and author from the page itself (meta tags, JSON-LD, the visible byline and
dateline), in an order that prefers what the outlet shows its readers, and cleans the body line by line.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..models import Article, ExtractHints, Failure, Fetched, Outlet, Timestamp
from ..textnorm import detect_script
from .author import clean_author, find_author
from .body import CAPTION_XPATH, GENERIC_PRUNE, _article_html, _clean_body
from .limits import bound, tame_tags, xml_safe
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
    """The page's tree, parsed as trafilatura parses it (so that it can read this tree, not parse the page again)."""
    from lxml import etree
    from lxml import html as lxml_html
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        return tree if tree is not None else lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _article(
    fetched: Fetched,
    text: str,
    title: str | None,
    published: Timestamp | None,
    author: str | None,
    updated: Timestamp | None = None,
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
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        updated=updated,
        captions=tuple(dict.fromkeys(c for c in captions if c)),
        notes=tuple(notes),
    )


def text_article(text: str, outlet_id: str, url: str, title: str | None = None) -> Article:
    """Text that is already an article's body (a test case, a corpus record) as an Article: language, script and
    digest read from it."""
    language, script = detect_script(text)
    return Article(outlet_id, url, None, title, None, None, language, script, text, datetime.now(UTC),
                   hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())  # fmt: skip


def extract(fetched: Fetched, outlet: Outlet | None = None) -> Article | Failure:
    """Extract the article of a fetched page, or say why there is none; `outlet` brings its hints. Never raises:
    whatever one page does to the extractors is that page's Failure, not the run's."""
    try:
        return _extract(fetched, outlet)
    except Exception as exc:  # a page that breaks a rule or a library (RecursionError, MemoryError, lxml's refusals)
        logging.getLogger(__name__).debug("extracting %s failed", fetched.target.location, exc_info=True)
        reason = f"could not read the page: {type(exc).__name__}"
        return Failure("extract", fetched.target.outlet_id, fetched.target.location, reason)


def _extract(fetched: Fetched, outlet: Outlet | None) -> Article | Failure:
    location = fetched.target.location
    hints = outlet.hints if outlet else _NO_HINTS
    if fetched.content_type == "text/plain":
        text = fetched.html.strip()
        if not text:
            return Failure("extract", fetched.target.outlet_id, location, "the file is empty")
        return _article(fetched, text, text.splitlines()[0][:200], None, None)

    notes = [f"{fetched.replaced} undecodable byte(s) replaced ({fetched.encoding})"] if fetched.replaced else []
    html, tamed = tame_tags(xml_safe(_XML_PROLOG.sub("", fetched.html, count=1)))
    if not html.strip():
        return Failure("extract", fetched.target.outlet_id, location, "the page is empty")
    tree = _parse(html)
    if tree is None:
        return Failure("extract", fetched.target.outlet_id, location, "the page could not be parsed as HTML")
    bounds = bound(tree, len(html), tamed)
    if bounds.changed:
        from lxml import html as lxml_html

        html = lxml_html.tostring(tree, encoding="unicode")  # what every later reading of the page reads
    notes += bounds.notes
    fast = bounds.fast  # trafilatura without its fallback extractors
    import trafilatura

    def read(source: Any, prune: list[str]) -> Any:
        return trafilatura.bare_extraction(
            source,
            url=fetched.final_url,
            fast=fast,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            prune_xpath=[*hints.prune_xpath, *GENERIC_PRUNE, *prune],
        )

    try:
        # without an outlet container trafilatura reads our tree as it is now (it takes a copy: one parse, not two)
        document = None if hints.body_xpath else read(tree, [CAPTION_XPATH])
        meta = _read_meta(tree)
        container, captions = _article_html(tree, hints)
        if document is None:
            document = read(container or html, [CAPTION_XPATH])
        body = _clean_body((getattr(document, "text", None) or "").strip(), hints)
        if container is None and sum(map(len, captions)) >= CAPTIONS_ARE_THE_STORY * len("\n".join(body.lines)):
            # a slideshow or a gallery: the captions carry the story, so they stay in the body
            document = read(html, [])
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
        plain = _clean_body(_plain_body(html, fetched.final_url, fast), hints)
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
    # trafilatura read no metadata (htmldate is a third of its time): htmldate reads the tree only when newscov's own
    # sources, the datelines and the URL give no day, and trafilatura's title and author guesses are asked for only
    # when newscov finds none
    published, updated = publication_times(meta, hints, timezone, url=fetched.final_url, html=html, tree=tree)
    guesses = functools.cache(lambda: _trafilatura_guesses(html))
    title = clean_title(meta, hints, outlet, fetched.final_url) or guesses().title
    edges = [*body.bylines, *body.lines[:4], *body.lines[-4:]]
    author = find_author(tree, meta, hints, edges, None, outlet)
    if author is None and guesses().author:
        author = find_author(tree, meta, hints, edges, guesses().author, outlet)
    return _article(fetched, text, title, published, author, updated, [*captions, *body.captions], notes)


def _trafilatura_guesses(html: str) -> Any:
    """trafilatura's own title and author for the page (its metadata reading without htmldate)."""
    from trafilatura.metadata import examine_meta, extract_author, extract_meta_json, extract_title
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return Document()
    document = examine_meta(tree)
    if document.author and " " not in document.author:  # as trafilatura does: a single word is no author
        document.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader has bugs of its own; guesses are optional
        document = extract_meta_json(tree, document)
    document.title = document.title or extract_title(tree)
    document.author = document.author or extract_author(tree)
    return document


def _plain_body(html: str, url: str | None, fast: bool = False) -> str:
    """The body plain trafilatura reads (its defaults, no newscov rule; `fast` on a page of many elements)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, url=url, fast=fast, with_metadata=False, include_comments=False)
    except (ValueError, TypeError, AttributeError):
        return ""
    return (getattr(document, "text", None) or "").strip()
