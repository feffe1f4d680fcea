"""Where an article came from, read from the page itself: a saved page's own address, and wire copy reprinted
by another outlet."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..models import Article, Outlet
from ..textnorm import fold_text

HEAD_BYTES = 65536  # a saved page names its address in its <head>


def page_address(path: Path) -> str | None:
    """The http(s) address a saved page declares (`<link rel=canonical>`, else `og:url`) in its first 64 KiB."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        tree = lxml_html.document_fromstring(head) if head.strip() else None
    except (OSError, ValueError, etree.ParserError):
        return None
    if tree is None:
        return None
    found = tree.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANOIL', 'canoil')), ' '), ' canonical ')]"
        "/@href | //meta[@property='og:url']/@content"
    )
    return next((str(u).strip() for u in found if str(u).strip().startswith(("http://", "https://"))), None)


# wire datelines at the start of a reprinted story
WIRE_DATELINES = {
    "cna": re.compile(r"[（(]中央社(?:記者)?[^）)]{0,20}電[）)]"),
    "xinhua": re.compile(r"新[华華]社[^，,。]{0,20}電|新华社[^，,。]{0,20}电"),
}
SAME_COPY = 85  # rapidfuzz ratio of the folded openings above which two articles are one copy


def mark_reprints(articles: Sequence[Article], outlets: Mapping[str, Outlet]) -> list[Article]:
    """Mark wire copy: an article opening with another outlet's wire dateline, or nearly the same text as an
    article of a wire (or, between two of a kind, as the one published earlier)."""
    from rapidfuzz import fuzz

    folded = [fold_text(a.text[:3000]) for a in articles]
    wire = [bool((o := outlets.get(a.outlet_id)) and o.kind == "wire") for a in articles]
    marked = []
    for i, article in enumerate(articles):
        source = next(
            (w for w, p in WIRE_DATELINES.items() if article.outlet_id != w and p.search(article.text[:120])), None
        )
        if source is None:
            for j, other in enumerate(articles):
                if other.outlet_id == article.outlet_id or fuzz.ratio(folded[i], folded[j]) < SAME_COPY:
                    continue
                if (wire[j] and not wire[i]) or (wire[j] == wire[i] and _earlier(other, article)):
                    source = other.outlet_id
        marked.append(replace(article, reprint_of=source) if source else article)
    return marked


def _earlier(a: Article, b: Article) -> bool:
    """a was published before b (an article without a time is never the earlier one)."""
    return a.published is not None and (b.published is None or a.published.at < b.published.at)
