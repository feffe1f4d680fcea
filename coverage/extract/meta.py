"""What a page says about itself (meta tags, JSON-LD, headings, visible text), before any choice is made."""

from __future__ import annotations

import json
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
    published: list[str] = field(default_factory=list)  # in order of trust
    modified: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # JSON-LD Person authors
    author_fields: list[str] = field(default_factory=list)  # meta author values
    description: str = ""
    visible: str = ""  # the page's visible text (for datelines)


def _meta_values(tree: Any, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        expression = (
            f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"
            f" | //time[@itemprop='{name}']/@datetime"
        )
        values.extend(v.strip() for v in tree.xpath(expression) if v and v.strip())
    return values


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Article objects from the page's JSON-LD blocks (broken blocks are skipped, @graph is opened)."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
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
    meta.titles = _meta_values(tree, "og:title") + [_text(t) for t in tree.xpath("//head/title")]
    meta.titles += _meta_values(tree, "twitter:title")
    meta.headings = [h for h in (_text(n) for n in tree.xpath("//h1")) if 2 <= len(h) <= 200]
    meta.site_names = _meta_values(tree, "og:site_name", "application-name")
    for item in _json_ld(tree):
        if isinstance(item.get("headline"), str):
            meta.headlines.append(item["headline"].strip())
        for key, target in (("datePublished", meta.published), ("dateModified", meta.modified)):
            if isinstance(item.get(key), str):
                target.append(item[key])
        for name, is_person in _people(item.get("author")):
            (meta.people if is_person else meta.site_names).append(name.strip())
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            meta.site_names.append(publisher["name"])
    meta.published += _meta_values(
        tree, "article:published_time", "datePublished", "pubdate", "publishdate", "date.available", "date"
    )
    meta.published += list(tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"))
    meta.modified += _meta_values(tree, "article:modified_time", "dateModified", "lastmod")
    meta.author_fields = _meta_values(tree, "author", "article:author", "dable:author")
    descriptions = _meta_values(tree, "description", "og:description")
    meta.description = descriptions[0] if descriptions else ""
    for junk in tree.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    bodies = tree.xpath("//body")
    meta.visible = "\n".join(
        line for line in (" ".join(t.split()) for t in (bodies[0] if bodies else tree).itertext()) if line
    )
    return meta
