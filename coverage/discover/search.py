"""An outlet's own site search (HTML result pages or JSON APIs) -> candidates picked by its article URL pattern."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Backend, Context, candidate, fill_template, is_article, live_entries, parse_datetime, queries_for
from .feeds import parse_feed

_LINK_KEYS = ("url", "link", "href", "titlelink", "pageurl", "permalink", "shareurl")
_TITLE_KEYS = ("title", "headline", "name", "subject")
_DATE_KEYS = ("time", "date", "pubdate", "published", "createtime", "publishtime", "datepublished")


def links_from_html(html: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of every link of a result page."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    links = []
    for anchor in tree.xpath("//a[@href]"):
        text = " ".join(anchor.text_content().split()) or anchor.get("title", "")
        links.append((urljoin(base, anchor.get("href")), text))
    return links


def links_from_json(data: Any, base: str) -> list[tuple[str, str, str]]:
    """(URL, title, date) of every object in a JSON answer that has a link-like and a title-like field."""
    found: list[tuple[str, str, str]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            lowered = {str(k).lower(): v for k, v in item.items()}
            link = next((lowered[k] for k in _LINK_KEYS if isinstance(lowered.get(k), str)), None)
            title = next((lowered[k] for k in _TITLE_KEYS if isinstance(lowered.get(k), str)), None)
            when = next((lowered[k] for k in _DATE_KEYS if isinstance(lowered.get(k), str)), "")
            if isinstance(lowered.get("time"), dict):
                when = str(lowered["time"].get("date", ""))
            if link and title:
                found.append((urljoin(base, link), title, when))
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return found


class Search(Backend):
    """The outlet's own site search: result links kept when they match its article URL pattern."""

    name = "search"
    own = True

    def usable(self, outlet: Outlet) -> bool:
        return bool(outlet.search)

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        templates, dead = live_entries(outlet.search)
        if not templates:
            return BackendRun(self.name, outlet.id, f"skipped: every search template{dead.removeprefix(';')}")
        found: list[Candidate] = []
        errors: list[str] = []
        asked: list[str] = []
        start, end = ctx.event.start.date(), ctx.event.end.date()
        for template in templates:
            for query in queries_for(outlet, ctx.event)[:2]:
                url = fill_template(template.template, query, start, end)
                asked.append(url)
                result = await ctx.get(outlet, url)
                if isinstance(result, Failure):
                    errors.append(f"{url}: {result.reason}")
                    continue
                items = _items(result.html, result.final_url or url, template.kind)
                if items is None:
                    errors.append(f"{url}: the answer is not the {template.kind.upper()} the template expects")
                    continue
                for link, title, when in items:
                    if not is_article(outlet, link):
                        continue
                    hit = candidate(outlet, ctx.event, link, title, parse_datetime(when), "search")
                    # the site's own engine matched the query; the body check after fetching confirms it
                    floor = ctx.settings.min_relevance
                    found.append(hit if hit.relevance >= floor else _with_relevance(hit, floor))
        error = "; ".join(errors) if errors and len(errors) == len(asked) else None
        return BackendRun(self.name, outlet.id, "searched " + ", ".join(asked) + dead, tuple(found), error)


def _items(html: str, base: str, kind: str) -> list[tuple[str, str, str]] | None:
    """(link, title, date) of a result page, a JSON answer or an RSS search feed; None when a JSON or RSS answer
    is not what its kind says."""
    text = html.lstrip()
    if kind == "rss":
        try:
            return [(urljoin(base, e["link"]), e.get("title", ""), e.get("published", "")) for e in parse_feed(text)]
        except ValueError:
            return None
    if kind == "json" or text.startswith(("{", "[")):
        try:
            return links_from_json(json.loads(text), base)
        except (ValueError, RecursionError):
            return None
    return [(link, title, "") for link, title in links_from_html(text, base)]


def _with_relevance(hit: Candidate, value: float) -> Candidate:
    from dataclasses import replace

    return replace(hit, relevance=value)
