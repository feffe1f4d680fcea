"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds of an outlet -> candidates."""

from __future__ import annotations

import asyncio

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Context, candidate, local_name, parse_datetime, parse_xml


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


async def run(outlet: Outlet, ctx: Context) -> BackendRun:
    """Read every feed of the outlet; the backend fails only when no feed could be read."""
    results = await asyncio.gather(*(ctx.get(outlet, feed.url) for feed in outlet.feeds))
    found: list[Candidate] = []
    errors: list[str] = []
    for feed, result in zip(outlet.feeds, results, strict=True):
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
                    entry["link"],
                    entry.get("title"),
                    parse_datetime(entry.get("published")),
                    "feed",
                    entry.get("summary", ""),
                )
            )
    searched = f"{len(outlet.feeds)} feed(s): " + ", ".join(f.url for f in outlet.feeds)
    error = "; ".join(errors) if errors and len(errors) == len(outlet.feeds) else None
    return BackendRun(
        "feeds",
        outlet.id,
        searched + (f" ({len(errors)} unreadable)" if errors and not error else ""),
        tuple(found),
        error,
    )
