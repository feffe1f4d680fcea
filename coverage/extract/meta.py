"""What a page says about itself (meta tags, JSON-LD, headings, visible text), before any choice is made."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .base import _text

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}


@dataclass
class _Meta:
    """What the page says about itself, before any choice is made."""

    titles: list[str] = field(default_factory=list)  # og:title, <title>, twitter:title
    headings: list[str] = field(default_factory=list)  # <h1> texts
    headlines: list[str] = field(default_factory=list)  # JSON-LD headline
    site_names: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # metadata publication times, in order of trust
    modified: list[str] = field(default_factory=list)
    page_times: list[str] = field(default_factory=list)  # <time> of the page's own article (not of its teasers)
    people: list[str] = field(default_factory=list)  # JSON-LD Person authors
    author_fields: list[str] = field(default_factory=list)  # meta author values
    description: str = ""
    visible: str = ""  # the page's visible text (for datelines)
    headline_span: tuple[int, int] = (-1, -1)  # where the headline (an <h1> a title repeats) is in the visible text


def meta_index(tree: Any) -> dict[str, list[str]]:
    """name -> values, in page order, of every <meta property|name|itemprop=… content=…> and <time itemprop=…
    datetime=…>: one pass over the page instead of one search per name."""
    index: dict[str, list[str]] = {}
    for node in tree.iter("meta", "time"):
        value = node.get("content" if node.tag == "meta" else "datetime")
        if not value or not value.strip():
            continue
        keys = ("property", "name", "itemprop") if node.tag == "meta" else ("itemprop",)
        for name in dict.fromkeys(node.get(key) for key in keys):
            if name:
                index.setdefault(name, []).append(value.strip())
    return index


def _meta_values(index: dict[str, list[str]], *names: str) -> list[str]:
    return [value for name in names for value in index.get(name, ())]


# Publication times in meta tags, in order of trust (measured on trafilatura's 990-page evaluation set, where the
# Open Graph time was right most often, then JSON-LD, then the Dublin Core and other names, then schema.org itemprop).
_PUBLISHED_FIRST = ("article:published_time", "og:article:published_time")
_PUBLISHED_NAMES = (
    "dc.date.issued", "dcterms.issued", "dc.date", "date", "publishdate", "publish-date", "date.available",
    "cxenseparse:publishtime", "cxenseparse:recs:publishtime", "parsely-pub-date", "sailthru.date",
    "citation_publication_date", "article.published", "dc.date.created", "pubdate",
)  # fmt: skip
_MODIFIED_NAMES = ("article:modified_time", "og:article:modified_time", "datemodified", "lastmod", "last-modified")


def _named_meta(tree: Any, names: tuple[str, ...]) -> list[str]:
    """<meta> contents whose name or property is one of `names` (any case), in the order of `names`."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for node in tree.iter("meta"):
        content = (node.get("content") or "").strip()
        key = (node.get("property") or node.get("name") or "").strip().lower()
        if content and key in found:
            found[key].append(content)
    return [value for name in names for value in found[name]]


# Blocks that list other articles or sit beside the article: their <time> elements date those articles, not this one.
_TEASER_TAGS = {"aside", "footer", "nav"}
_TEASER_WORDS = re.compile(
    r"related|teaser|sidebar|widget|recommend|popular|trending|most|more|also|similar|latest|list|feed"
    r"|carousel|slider|promo|comment|footer|nav|menu|pagination|prev|next|newsletter|aside|tease|readmore",
)
_ARTICLE_WORDS = re.compile(r"^(?:article|post|entry|story|content|main)(?:$|[-_](?:body|content|header|main|text))")
_TIME_SKIP = re.compile(r"modif|updat|aktualisiert|edit")
_TIME_FIRST = re.compile(r"publi|pubdate|created|posted|veröffentlicht|fecha")


def _words(node: Any) -> list[str]:
    text = f"{node.get('class') or ''} {node.get('id') or ''}"
    return [w for w in re.split(r"[^0-9a-z_-]+", text.lower()) if w]


def _teaser_like(node: Any) -> bool:
    return node.tag in _TEASER_TAGS or any(_TEASER_WORDS.search(w) for w in _words(node))


_TOKEN = re.compile(r"\w+")


def _repeats(heading: str, titles: list[set[str]]) -> bool:
    """Whether a title says what the heading says (most of the words of the shorter of the two, in any order)."""
    words = set(_TOKEN.findall(heading.lower()))
    return bool(words) and any(len(words & t) >= 0.6 * min(len(words), len(t)) for t in titles if t)


def _headline_node(tree: Any, titles: list[str]) -> tuple[Any, bool]:
    """The <h1> that carries the article's headline (the one a title repeats; on a page without titles, its only
    <h1>), else the first <h1>; and whether it is the headline."""
    nodes = tree.xpath("//h1")
    folded = [set(_TOKEN.findall(t.lower())) for t in titles if t]
    if not folded:
        return (nodes[0], True) if len(nodes) == 1 else (nodes[0] if nodes else None, False)
    for node in nodes:
        if _repeats(_text(node), folded):
            return node, True
    return (nodes[0] if nodes else None), False


def _own_times(root: Any, headline: Any) -> list[str]:
    """The datetime of the <time> elements under `root` that are not in a teaser-like block or another article."""
    first: list[str] = []
    other: list[str] = []
    for node in root.iter("time"):
        value = (node.get("datetime") or "").strip()
        if not value:
            continue
        marks = " ".join([node.get("itemprop") or "", *_words(node)]).lower()
        if _TIME_SKIP.search(marks) and not _TIME_FIRST.search(marks):
            continue
        between = []
        for ancestor in node.iterancestors():
            if ancestor is root:
                break
            between.append(ancestor)
        if any(_teaser_like(a) or (a.tag == "article" and headline not in a.iter("h1")) for a in between):
            continue
        (first if _TIME_FIRST.search(marks) or node.get("pubdate") is not None else other).append(value)
    return first + other


def _page_times(tree: Any, headline: Any) -> list[str]:
    """The datetime of <time> elements that date the page's own article: inside the article or main element that
    holds the headline (or next to the headline, or in the page's only article), never inside a teaser, related,
    sidebar, comment or footer block or another <article>; publication stamps first, update stamps left out."""
    roots: list[Any] = []
    if headline is not None:
        for ancestor in headline.iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            if ancestor.tag in ("article", "main"):
                roots.append(ancestor)
                break
            if any(_ARTICLE_WORDS.match(w) for w in _words(ancestor)):
                roots.append(ancestor)
        parent = headline.getparent()
        block = parent.getparent() if parent is not None else None
        if not roots and block is not None and block.tag not in ("body", "html"):
            roots.append(block)  # the headline's own block (a header with the byline and date beside it)
    articles = [a for a in tree.iter("article") if next(a.iterancestors("article"), None) is None]
    if len(articles) == 1 and articles[0] not in roots:
        roots.append(articles[0])
    for root in roots:
        found = _own_times(root, headline)
        if found:
            return found
    return []


def _visible(tree: Any, headline: Any) -> tuple[str, int]:
    """The page's visible text, a line per text node, and where the headline starts in it (-1 without one)."""
    marker = "\u2063"
    if headline is not None:
        headline.text = marker + (headline.text or "")
    bodies = tree.xpath("//body")
    lines = [line for line in (" ".join(t.split()) for t in (bodies[0] if bodies else tree).itertext()) if line]
    at = -1
    if headline is not None:
        headline.text = headline.text[1:] or None
        for number, line in enumerate(lines):
            if marker in line:
                lines[number] = " ".join(line.replace(marker, "").split())
                if not lines[number]:
                    del lines[number]
                at = sum(len(before) + 1 for before in lines[:number])
                break
    return "\n".join(lines), at


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Article objects from the page's JSON-LD blocks (broken blocks are skipped, @graph is opened)."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):  # broken, or nested deeper than Python's recursion limit (1,000)
            continue
        queue = deque(data if isinstance(data, list) else [data])
        while queue:
            item = queue.popleft()
            if not isinstance(item, dict):
                continue
            queue.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(item)
    return found


def _people(value: Any) -> Iterable[tuple[str, bool]]:
    """(name, is_person) for a JSON-LD author value (a string, an object, or a list of them)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item, True
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            yield item["name"], item.get("@type") not in ("Organization", "NewsMediaOrganization")


def _read_meta(tree: Any) -> _Meta:
    meta = _Meta()
    index = meta_index(tree)
    meta.titles = _meta_values(index, "og:title") + [_text(t) for t in tree.xpath("//head/title")]
    meta.titles += _meta_values(index, "twitter:title")
    meta.headings = [h for h in (_text(n) for n in tree.xpath("//h1")) if 2 <= len(h) <= 200]
    meta.site_names = _meta_values(index, "og:site_name", "application-name")
    published_ld: list[str] = []
    for item in _json_ld(tree):
        if isinstance(item.get("headline"), str):
            meta.headlines.append(item["headline"].strip())
        for key, target in (("datePublished", published_ld), ("dateModified", meta.modified)):
            if isinstance(item.get(key), str):
                target.append(item[key])
        for name, is_person in _people(item.get("author")):
            (meta.people if is_person else meta.site_names).append(name.strip())
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            meta.site_names.append(publisher["name"])
    meta.published = [
        *_named_meta(tree, _PUBLISHED_FIRST),
        *published_ld,
        *_named_meta(tree, _PUBLISHED_NAMES),
        *tree.xpath("//meta[@itemprop='datePublished']/@content"),
    ]
    meta.modified = [
        *_named_meta(tree, _MODIFIED_NAMES[:2]),
        *meta.modified,
        *_named_meta(tree, _MODIFIED_NAMES[2:]),
        *tree.xpath("//meta[@itemprop='dateModified']/@content"),
    ]
    headline, titled = _headline_node(tree, [*meta.titles, *meta.headlines])
    meta.page_times = _page_times(tree, headline)
    meta.author_fields = _meta_values(index, "author", "article:author", "dable:author")
    descriptions = _meta_values(index, "description", "og:description")
    meta.description = descriptions[0] if descriptions else ""
    for junk in tree.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    meta.visible, at = _visible(tree, headline)
    if titled and at >= 0:
        meta.headline_span = (at, at + len(_text(headline)))
    return meta
