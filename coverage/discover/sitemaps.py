"""(Google) news sitemaps and sitemap indexes of an outlet -> candidates (news:title, news:publication_date)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Backend, Context, candidate, in_window, live_entries, local_name, parse_datetime, parse_xml

MAX_SITEMAP_REQUESTS = 12  # per outlet and run: an index that lists itself or fans out never runs away


def parse_sitemap(text: str) -> tuple[list[tuple[str, datetime | None]], list[dict[str, str]]]:
    """(child sitemaps with lastmod, url entries {loc, title, published}); ValueError if it is no sitemap."""
    root = parse_xml(text)
    kind = local_name(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    children: list[tuple[str, datetime | None]] = []
    urls: list[dict[str, str]] = []
    for element in root:
        fields: dict[str, str] = {}
        for child in element.iter():
            name = local_name(child.tag)
            text = (child.text or "").strip()
            if text and name in ("loc", "lastmod", "title", "publication_date", "keywords"):
                fields.setdefault(name, text)
        if not fields.get("loc"):
            continue
        if local_name(element.tag) == "sitemap":
            children.append((fields["loc"], parse_datetime(fields.get("lastmod"))))
        else:
            urls.append(
                {
                    "loc": fields["loc"],
                    "title": fields.get("title", ""),
                    "published": fields.get("publication_date") or fields.get("lastmod", ""),
                    "keywords": fields.get("keywords", ""),
                }
            )
    return children, urls


class Sitemaps(Backend):
    """The outlet's (Google) news sitemaps; an index is followed to its newest children covering the window."""

    name = "sitemaps"
    own = True

    def usable(self, outlet: Outlet) -> bool:
        return bool(outlet.sitemaps)

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        sitemaps, dead = live_entries(outlet.sitemaps)
        if not sitemaps:
            return BackendRun(self.name, outlet.id, f"skipped: every sitemap{dead.removeprefix(';')}")
        found: list[Candidate] = []
        errors: list[str] = []
        queue = [sitemap.url for sitemap in sitemaps]
        seen = set(queue)
        read = 0
        while queue:
            results = await asyncio.gather(*(ctx.get(outlet, url) for url in queue))
            next_queue: list[str] = []
            for url, result in zip(queue, results, strict=True):
                read += 1
                if isinstance(result, Failure):
                    errors.append(f"{url}: {result.reason}")
                    continue
                try:
                    children, entries = parse_sitemap(result.html)
                except ValueError as exc:
                    errors.append(f"{url}: {exc}")
                    continue
                # an index: the child sitemaps covering the window, newest first, each read once
                recent = sorted(
                    (c for c in children if in_window(c[1], ctx.event) and c[0] not in seen),
                    key=lambda c: c[1].timestamp() if c[1] else 0,
                    reverse=True,
                )
                for child, _ in recent[: ctx.settings.max_sitemaps]:
                    if len(seen) < MAX_SITEMAP_REQUESTS:  # every address queued so far, read or not
                        seen.add(child)
                        next_queue.append(child)
                for entry in entries:
                    if entry["title"] or entry["keywords"]:
                        found.append(
                            candidate(
                                outlet,
                                ctx.event,
                                entry["loc"],
                                entry["title"] or None,
                                parse_datetime(entry["published"]),
                                "sitemap",
                                entry["keywords"],
                            )
                        )
            queue = next_queue
        error = "; ".join(errors) if errors and not found and len(errors) == read else None
        searched = f"{read} sitemap(s) from " + ", ".join(s.url for s in sitemaps) + dead
        return BackendRun(self.name, outlet.id, searched, tuple(found), error)
