"""The headline as the outlet shows it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..models import ExtractHints, Outlet
from .base import _compiled, _fold_space
from .meta import _Meta

_TITLE_SEPARATOR = re.compile(r"\s+[|｜\-–—_:]\s+|\s*[｜|_]\s*")


_SECOND_LEVEL = {"com", "co", "org", "net", "gov", "edu", "ac", "or", "ne", "go"}


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def host_label(url: str | None) -> str | None:
    """The name part of a URL's registered domain: heizung for www.heizung.de, ltn for news.ltn.com.tw."""
    host = urlsplit(url or "").hostname or ""
    labels = [x for x in host.split(".") if x and x != "www"]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else None


def _site_like(segment: str, sites: list[str]) -> bool:
    """A title segment that names the site: one of its names, or its domain (SMAVA on smava.de)."""
    folded = _letters(segment)
    return bool(folded) and any(
        folded == site or (len(folded) >= 3 and len(site) >= 3 and (site in folded or folded in site)) for site in sites
    )


def strip_site(title: str, sites: list[str]) -> str:
    """The title without the site's name at its end or start ('… | CNN Politics', '自由電子報 - …'), and without a
    section between them and the headline ('… : The Two-Way : NPR')."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title.strip()
    separators = _TITLE_SEPARATOR.findall(title)
    keep = parts
    while len(keep) >= 2 and _site_like(keep[-1], sites):
        keep = keep[:-1]
    if len(keep) < len(parts):
        # sections between the headline and the site's name, each shorter than the headline and set off the same
        # way as the site's name ('…｜即時｜蘋果新聞網'), not a subtitle ('Würde des Lebens – ein Projekt | …')
        mark = separators[len(keep) - 1].strip()
        while (
            len(keep) >= 2
            and separators[len(keep) - 2].strip() == mark
            and len(_letters(keep[-1])) < len(_letters(keep[0]))
        ):
            keep = keep[:-1]
    elif _site_like(parts[0], sites):
        keep = parts[1:]
        separators = separators[1:]
    else:
        return title.strip()
    out = keep[0]
    for separator, part in zip(separators, keep[1:], strict=False):
        out += separator + part
    return out.strip() or title.strip()


def clean_title(meta: _Meta, hints: ExtractHints, outlet: Outlet | None, url: str | None = None) -> str | None:
    """The headline as the outlet shows it: the <title> (og:title first) without the site's name, or the <h1> it
    begins with (the outlet's own spelling and spacing)."""
    raw = [t for t in meta.titles if t]
    names = [s for s in meta.site_names if s]
    if outlet:
        names += [n for n in (outlet.name, outlet.native_name, outlet.id) if n]
    label = host_label(url)
    sites = [_letters(n) for n in names if _letters(n)] + ([label] if label else [])
    if hints.title_suffix:
        for title in raw:
            cut = _compiled(f"(?:{hints.title_suffix})\\s*$", 0).sub("", title).strip()
            if cut and cut != title:
                return cut
    cleaned = [strip_site(t, sites) for t in raw]
    for heading in meta.headings:
        folded = _fold_space(heading)
        if any(_fold_space(c).startswith(folded) and len(folded) * 10 >= len(_fold_space(c)) * 6 for c in cleaned):
            return heading
    for title, clean in zip(raw, cleaned, strict=True):
        if clean != title.strip():
            return clean
        separator = _TITLE_SEPARATOR.search(title)
        if separator:
            head = title[: separator.start()].strip()
            if head and any(_fold_space(h) == _fold_space(head) for h in meta.headlines):
                return head
    if meta.headlines:
        return meta.headlines[0]
    return raw[0] if raw else (meta.headings[0] if meta.headings else None)
