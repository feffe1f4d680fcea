"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds of an outlet -> candidates."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Backend, Context, candidate, live_entries, local_name, parse_datetime, parse_xml


def parse_feed(text: str) -> list[dict[str, str]]:
    """Entries of a feed as {title, link, published, summary}; raises ValueError for what is not a feed."""
    root = parse_xml(text)
    if local_name(root.tag) not in ("rss", "feed", "rdf", "channel"):
        raise ValueError(f"not an RSS or Atom feed (root element <{local_name(root.tag)}>)")
    entries: list[dict[str, str]] = []
    for element in root.iter():
        if local_name(element.tag) not in ("item", "entry"):
            continue
        entry: dict[str, str] = {}
        for child in element:
            name = local_name(child.tag)
            text = (child.text or "").strip()
            if name == "title":
                entry["title"] = text
            elif name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    entry["link"] = href
                elif text:
                    entry.setdefault("link", text)
            elif name in ("pubdate", "published", "date", "updated", "issued") and text:
                entry.setdefault("published", text)
            elif name in ("description", "summary", "content", "encoded") and text:
                entry.setdefault("summary", text)
            elif name == "guid" and text.startswith("http"):
                entry.setdefault("link", text)
        if entry.get("link"):
            entries.append(entry)
    return entries


class Feeds(Backend):
    """The outlet's RSS/Atom feeds; the backend fails only when no feed could be read."""

    name = "feeds"
    own = True

    def usable(self, outlet: Outlet) -> bool:
        return bool(outlet.feeds)

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        feeds, dead = live_entries(outlet.feeds)
        if not feeds:
            return BackendRun(self.name, outlet.id, f"skipped: every feed{dead.removeprefix(';')}")
        results = await asyncio.gather(*(ctx.get(outlet, feed.url) for feed in feeds))
        found: list[Candidate] = []
        errors: list[str] = []
        for feed, result in zip(feeds, results, strict=True):
            if isinstance(result, Failure):
                errors.append(f"{feed.url}: {result.reason}")
                continue
            try:
                entries = parse_feed(result.html)
            except ValueError as exc:
                errors.append(f"{feed.url}: {exc}")
                continue
            for entry in entries:
                found.append(
                    candidate(
                        outlet,
                        ctx.event,
                        urljoin(feed.url, entry["link"]),  # some feeds give paths, not addresses
                        entry.get("title"),
                        parse_datetime(entry.get("published")),
                        "feed",
                        entry.get("summary", ""),
                    )
                )
        searched = f"{len(feeds)} feed(s): " + ", ".join(f.url for f in feeds) + dead
        error = "; ".join(errors) if errors and len(errors) == len(feeds) else None
        unreadable = f" ({len(errors)} unreadable)" if errors and not error else ""
        return BackendRun(self.name, outlet.id, searched + unreadable, tuple(found), error)
