"""The headline as the outlet shows it."""

from __future__ import annotations

import re

from ..models import ExtractHints, Outlet
from .base import _compiled, _fold_space
from .meta import _Meta

_TITLE_SEPARATOR = re.compile(r"\s+[|｜\-–—_]\s+|\s*[｜|_]\s*")


def clean_title(meta: _Meta, hints: ExtractHints, outlet: Outlet | None) -> str | None:
    """The headline as the outlet shows it: an <h1> the <title> starts with, else the <title> minus the site part."""
    raw = [t for t in meta.titles if t]
    sites = [s for s in meta.site_names if s]
    if outlet:
        sites += [n for n in (outlet.name, outlet.native_name) if n]
    for heading in meta.headings:
        if any(_fold_space(t).startswith(_fold_space(heading)) for t in raw):
            return heading
    for title in raw:
        if hints.title_suffix:
            cut = _compiled(f"(?:{hints.title_suffix})\\s*$", 0).sub("", title).strip()
            if cut and cut != title:
                return cut
        separator = _TITLE_SEPARATOR.search(title)
        if separator:
            head, tail = title[: separator.start()].strip(), title[separator.end() :]
            site_named = any(_fold_space(s).lower() in _fold_space(tail).lower() for s in sites)
            headline_agrees = any(_fold_space(h) == _fold_space(head) for h in meta.headlines)
            if head and (site_named or headline_agrees):
                return head
    if meta.headlines:
        return meta.headlines[0]
    return raw[0] if raw else (meta.headings[0] if meta.headings else None)
