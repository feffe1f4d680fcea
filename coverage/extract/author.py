"""The reporter: bylines in the page and the body's edges, then JSON-LD people and meta fields; people only."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..models import ExtractHints, Outlet
from .base import _compiled, _fold_space, _text
from .meta import _Meta

# bylines anywhere near the start or the end of the body, or in a byline element
GENERIC_BYLINES = (
    # CNA's dateline "（中央社記者邱俊欽桃園19日電）": a name of 2-3 characters, then a place of 2 or more
    r"[（(]中央社(?:記者)?(?P<name>[\u4e00-\u9fff]{2,3}(?:[、,，][\u4e00-\u9fff]{2,3})*)"
    r"[\u4e00-\u9fff]{2,8}?\d{1,2}日(?:專|綜合外|外)?電[）)]",
    r"記者\s*(?P<name>[\u4e00-\u9fff]{2,4}(?:\s*[、,，]\s*[\u4e00-\u9fff]{2,4})*)\s*[／/]\s*[^\s）)]{0,12}報導",
    r"[（(〔](?P<name>[\u4e00-\u9fff]{2,4}(?:[、,，][\u4e00-\u9fff]{2,4})*)[／/][^\s）)]{0,12}報導[）)〕]",
    r"^(?:By|BY|by)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and)\s+[A-Z][\w.'’-]+"
    r"(?:\s+[A-Z][\w.'’-]+){0,3})*)",
)
# elements that usually hold the byline on pages without outlet hints
GENERIC_AUTHOR_XPATH = (
    "//*[contains(@class, 'byline') or contains(@class, 'author') or @rel='author' or @itemprop='author']"
    "[not(self::meta) and not(self::link)]"
)
_BYLINE_FIELD = re.compile(r"^(?:\S{0,6}?)記者\s*(?P<name>[^／/\s]+(?:\s*[、,，]\s*[^／/\s]+)*)\s*[／/]\s*\S*報導$")
# visible datelines: 2025年11月1日 18:16, 2025/11/01 18:16, 2025-11-01 18:16 (time optional)
# organisation-like author values are not people
_ORGANISATION = re.compile(
    r"(?:新聞網|電子報|新聞雲|日報|時報|晚報|通訊社|中央社|新聞台|電視台|編輯部|中心|新聞|"
    r"\bNews\b|\bTimes\b|\bPost\b|\bPress\b|\bAgency\b|\bStaff\b|\bReuters\b|\bAFP\b|\bAP\b|\bEditorial\b)",
    re.IGNORECASE,
)


def clean_author(author: str | None) -> str | None:
    """The person's name from an author field that holds a Chinese byline; other values as given."""
    if not author or not author.strip():
        return None
    author = " ".join(author.split())
    byline = _BYLINE_FIELD.match(author)
    return byline.group("name") if byline else author


def _is_person(name: str, sites: list[str]) -> bool:
    if not name or len(name) > 60 or "://" in name or name.startswith(("@", "www.")):
        return False
    folded = _fold_space(name).lower()
    if any(folded == _fold_space(s).lower() or folded in _fold_space(s).lower() for s in sites if s):
        return False
    return not _ORGANISATION.search(name)


def _looks_like_a_name(text: str) -> bool:
    """Short enough to be one or a few names (not a sentence or a date line)."""
    if any(ch.isdigit() for ch in text):
        return False
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return bool(han and len(text) <= 12) or (not han and 1 <= len(text.split()) <= 8)


def _byline_in(texts: Iterable[str], patterns: Iterable[str]) -> str | None:
    for pattern in patterns:
        compiled = _compiled(pattern)
        for text in texts:
            found = compiled.search(text)
            if found and found.group("name"):
                return " ".join(found.group("name").split())
    return None


def find_author(
    tree: Any, meta: _Meta, hints: ExtractHints, edges: list[str], fallback: str | None, outlet: Outlet | None
) -> str | None:
    """The reporter: the outlet's byline element, a byline in the text's edges, then JSON-LD people, meta fields.

    `edges` are the byline lines and the first and last lines of the body, where bylines stand."""
    sites = meta.site_names + ([n for n in (outlet.name, outlet.native_name) if n] if outlet else [])
    if hints.author_xpath:
        names = [_text(n) if hasattr(n, "text_content") else str(n).strip() for n in tree.xpath(hints.author_xpath)]
        names = [clean_author(n) or "" for n in names]
        names = [n for n in dict.fromkeys(names) if _is_person(n, sites)]
        if names:
            return "、".join(names)
    # the outlet's own byline forms are specific enough to look for anywhere on the page
    found = _byline_in([*edges, meta.description, meta.visible], hints.bylines)
    found = found or _byline_in([*edges, meta.description], GENERIC_BYLINES)
    if found and _is_person(found, sites):
        return found
    for node in tree.xpath(GENERIC_AUTHOR_XPATH):
        text = _text(node)
        name = _byline_in([text], GENERIC_BYLINES) or clean_author(text.removeprefix("By ").removeprefix("by "))
        if name and _looks_like_a_name(name) and _is_person(name, sites):
            return name
    for candidate in (*meta.people, *meta.author_fields, fallback or ""):
        name = clean_author(candidate)
        if name and _is_person(name, sites):
            return name
    return None


# ── body ──
