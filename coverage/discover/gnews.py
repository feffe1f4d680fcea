"""Google News RSS search per outlet (`site:` + query + window). Items carry a headline and the publisher but a
Google link, so they are matched back to articles found by the other backends by headline."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from ..models import BackendRun, Candidate, Failure, Outlet
from .base import Backend, Context, candidate, parse_datetime, queries_for
from .feeds import parse_feed

# (hl, gl, ceid) by the outlet's script and country
_LOCALES = {
    ("zh-Hant", "HK"): ("zh-HK", "HK", "HK:zh-Hant"),
    ("zh-Hant", None): ("zh-TW", "TW", "TW:zh-Hant"),
    ("zh-Hans", None): ("zh-CN", "CN", "CN:zh-Hans"),
    ("en", None): ("en-US", "US", "US:en"),
}


def locale(outlet: Outlet) -> tuple[str, str, str]:
    script = outlet.script or ("zh-Hant" if outlet.language == "zh" else "en")
    return _LOCALES.get((script, outlet.country), _LOCALES.get((script, None), _LOCALES[("en", None)]))


def search_url(base: str, outlet: Outlet, query: str, ctx: Context) -> str:
    site = outlet.domains[0] if outlet.domains else ""
    after, before = ctx.event.start.date(), ctx.event.end.date() + timedelta(days=1)
    hl, gl, ceid = locale(outlet)
    q = f"site:{site} {query} after:{after.isoformat()} before:{before.isoformat()}"
    return f"{base}?{urlencode({'q': q, 'hl': hl, 'gl': gl, 'ceid': ceid})}"


def _headline(title: str) -> str:
    """'Headline - Publisher' -> 'Headline'."""
    head, separator, _ = title.rpartition(" - ")
    return head if separator and head else title


class GoogleNews(Backend):
    """Google News RSS search, `site:` the outlet's first domain."""

    name = "gnews"

    def usable(self, outlet: Outlet) -> bool:
        return bool(outlet.domains)

    async def run(self, outlet: Outlet, ctx: Context) -> BackendRun:
        found: list[Candidate] = []
        errors: list[str] = []
        asked: list[str] = []
        own_hosts = {d.split("/")[0] for d in outlet.domains}
        for query in queries_for(outlet, ctx.event)[:2]:
            url = search_url(ctx.settings.gnews_url, outlet, query, ctx)
            asked.append(url)
            result = await ctx.get(outlet, url)
            if isinstance(result, Failure):
                errors.append(result.reason)
                continue
            try:
                entries = parse_feed(result.html)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            for entry in entries:
                link = entry["link"]
                host = (urlsplit(link).hostname or "").lower()
                direct = any(host == h or host.endswith("." + h) for h in own_hosts)
                found.append(
                    candidate(
                        outlet,
                        ctx.event,
                        link if direct else None,
                        _headline(entry.get("title", "")),
                        parse_datetime(entry.get("published")),
                        "gnews",
                    )
                )
        error = "; ".join(errors) if errors and len(errors) == len(asked) else None
        return BackendRun(self.name, outlet.id, "Google News: " + " | ".join(asked), tuple(found), error)
