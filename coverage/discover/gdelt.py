"""GDELT DOC 2.0 `artlist` search: English keywords over every selected outlet's domain in one request per query.

GDELT answers errors with HTTP 200 and a line of text, and wants at most one request per 5 seconds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Backend, Context, candidate, parse_datetime


def english_queries(ctx: Context) -> list[str]:
    latin = [q for q in ctx.event.queries if q.isascii()]
    names = [a for alias in ctx.event.aliases for a in alias if a.isascii()]
    return latin or names[:1]


def request_url(base: str, query: str, outlets: list[Outlet], ctx: Context) -> str:
    domains = sorted({d.split("/")[0] for o in outlets for d in o.domains})
    scope = " OR ".join(f"domainis:{d}" for d in domains)
    words = " ".join(f'"{w}"' if " " in w else w for w in [query])
    params = {
        "query": f"{words} ({scope})" if len(domains) > 1 else f"{words} {scope}",
        "mode": "artlist",
        "format": "json",
        "maxrecords": "250",
        "sort": "datedesc",
        "startdatetime": ctx.event.start.strftime("%Y%m%d%H%M%S"),
        "enddatetime": ctx.event.end.strftime("%Y%m%d%H%M%S"),
    }
    return f"{base}?{urlencode(params)}"


def _owner(url: str, outlets: list[Outlet]) -> Outlet | None:
    host = (urlsplit(url).hostname or "").lower()
    path = urlsplit(url).path
    best: tuple[int, Outlet] | None = None
    for outlet in outlets:
        for domain in outlet.domains:
            dhost, _, prefix = domain.partition("/")
            if (host == dhost or host.endswith("." + dhost)) and path.startswith("/" + prefix if prefix else "/"):
                score = len(domain)
                if best is None or score > best[0]:
                    best = (score, outlet)
    return best[1] if best else None


class Gdelt(Backend):
    """GDELT DOC 2.0: one request per English query covers every outlet; results attributed by domain."""

    name = "gdelt"

    def usable(self, outlet: Outlet) -> bool:
        return bool(outlet.domains)

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        return (await self.run_many([outlet], ctx))[0]

    async def run_many(self, outlets: Sequence[Outlet], ctx: Context) -> list[BackendRun]:
        """One BackendRun per outlet, from one GDELT request per English query."""
        outlets = list(outlets)
        queries = english_queries(ctx)
        if not queries or not outlets:
            reason = "skipped: GDELT needs an English --query (or an alias spelled in Latin letters)"
            return [BackendRun(self.name, o.id, reason) for o in outlets]
        found: dict[str, list[Candidate]] = {o.id: [] for o in outlets}
        errors: list[str] = []
        asked: list[str] = []
        host_outlet = outlets[0]  # GDELT answers for every outlet; any one of them names the request
        for query in queries[:2]:
            url = request_url(ctx.settings.gdelt_url, query, outlets, ctx)
            asked.append(url)
            result = await ctx.get(host_outlet, url)
            if isinstance(result, Failure):
                errors.append(result.reason)
                continue
            try:
                data = json.loads(result.html) if result.html.strip() else {}
            except (ValueError, RecursionError):
                first = result.html.strip().splitlines()[0][:200] if result.html.strip() else "an empty answer"
                errors.append(f"GDELT answered: {first}")
                continue
            for article in data.get("articles", []) if isinstance(data, dict) else []:
                if not isinstance(article, dict) or not isinstance(article.get("url"), str):
                    continue
                outlet = _owner(article["url"], outlets)
                if outlet:
                    found[outlet.id].append(
                        candidate(
                            outlet,
                            ctx.event,
                            article["url"],
                            article.get("title"),
                            parse_datetime(article.get("seendate")),
                            "gdelt",
                        )
                    )
        error = "; ".join(errors) if errors and len(errors) == len(asked) else None
        searched = "GDELT: " + " | ".join(asked)
        return [BackendRun(self.name, o.id, searched, tuple(found[o.id]), error) for o in outlets]
