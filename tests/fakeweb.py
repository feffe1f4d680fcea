"""A fake web for discovery tests: fictional outlets on their own loopback addresses, a Google-News-shaped RSS
search and a GDELT-shaped API, about one fictional event (Veloria's minister Voss and a coast-guard hotline).

Outlets and what they exercise:
  alpha   wire; RSS feed (one matching item outside the window)      -> found via feed (+gdelt), verbatim
  beta    news sitemap index -> child news sitemap; on Google News    -> found via sitemap+gnews, near
  gamma   HTML site search; reprints alpha's story                    -> found via search, verbatim, reprint
  delta   JSON search API, Simplified Chinese                         -> found via search, verbatim
  epsilon English, no feeds: only GDELT knows its article             -> found via gdelt, translated
  zeta    published nothing on the event (feed and search off-topic)  -> no article
  eta     feed answers 429, then 200                                  -> found via feed, absent
  theta   search tried first, but robots.txt forbids /search; its feed -> search failed, found via feed
  iota    malformed feed, Google News fails for it                    -> search failed (all backends fail
          when GDELT fails too), else no article
  kappa   only a Google News headline, link unresolvable              -> unavailable
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from coverage.demo.server import LoopbackServer, Route

PHRASE = "雙方同意建立海巡直接溝通管道"
RENDERING = "a direct line of communication between the two coast guards"
QUERY_ZH = "沃斯 凱斯特爾"
QUERY_EN = "Voss Kestrel"
ALIAS = "沃斯=沃思,佛斯,Voss"
WINDOW = ("2026-10-13", "2026-10-16")

FILLER = (
    "北海論壇今年在安柏利港舉行，漁權與航道安全是主要議題。過去兩年，兩國漁船在灰礁海域多次發生碰撞與扣押事件，"
    "外界普遍認為雙邊關係處於低點。分析人士指出，熱線能否在危機時刻發揮作用，仍有待觀察。"
)
UNRELATED = (
    "市府今天公布明年度預算，交通建設經費大幅增加，其中輕軌第二期工程編列最多。議員質疑財源規劃不夠保守，"
    "要求市府在下次定期會前提出完整的財務評估報告，並說明舉債上限。"
)


def article(title: str, body: str, when: str = "2026-10-14T21:00:00+08:00") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{when}'></head><body>"
        f"<nav><a href='/'>首頁</a></nav><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in body.split("\n"))
        + f"<p>{FILLER}</p></article><footer>測試用虛構媒體</footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>" for t, link, d in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>{entries}</channel></rss>'.encode()


WIRE_BODY = f"（島嶼通訊社記者陳立安安柏利港14日電）維洛里亞海事部長沃斯與凱斯特爾漁業部長會談後表示，{PHRASE}，以便海上發生問題時能及時處理。"
OUTLETS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]


@dataclass
class FakeWeb:
    """Started servers by name, the registry file describing the outlets, and request logs."""

    servers: dict[str, LoopbackServer] = field(default_factory=dict)
    registry: Path = Path()
    gdelt_mode: str = "ok"
    min_interval: float = 0.0  # the outlets' politeness interval (the bundled registry uses 2 s)
    eta_calls: int = 0

    def base(self, name: str) -> str:
        return self.servers[name].base_url

    @property
    def gnews_url(self) -> str:
        return self.base("gnews") + "/rss/search"

    @property
    def gdelt_url(self) -> str:
        return self.base("gdelt") + "/api/v2/doc/doc"

    def cli_args(self) -> list[str]:
        return [
            "--sources", str(self.registry), "--gnews-url", self.gnews_url, "--gdelt-url", self.gdelt_url,
            "--gdelt-interval", "0", "--gnews-interval", "0", "--from", WINDOW[0], "--to", WINDOW[1],
            "--allow-private",  # the fake web is on loopback: discovered addresses there are refused otherwise
        ]  # fmt: skip

    def requests_per_host(self) -> dict[str, int]:
        return {name: len(server.requests) for name, server in self.servers.items()}


def _routes(web: FakeWeb, name: str) -> dict[str, Route | object]:
    b = web.base(name)
    routes: dict[str, Route | object] = {}
    if name == "alpha":
        routes["/rss.xml"] = Route(200, rss([
            ("沃斯：凱斯特爾關係良好 同意建海巡熱線", f"{b}/news/1001", "Wed, 14 Oct 2026 13:05:00 GMT"),
            ("沃斯上月談凱斯特爾漁權", f"{b}/news/0900", "Tue, 01 Sep 2026 10:00:00 GMT"),  # outside the window
            ("市府公布明年度預算", f"{b}/news/1002", "Wed, 14 Oct 2026 09:00:00 GMT"),
        ]), {"Content-Type": "application/rss+xml"})  # fmt: skip
        routes["/news/1001"] = Route(200, article("沃斯：凱斯特爾關係良好 同意建海巡熱線", WIRE_BODY))
        routes["/news/0900"] = Route(200, article("沃斯上月談凱斯特爾漁權", UNRELATED, "2026-09-01T10:00:00+08:00"))
        routes["/news/1002"] = Route(200, article("市府公布明年度預算", UNRELATED))
    elif name == "beta":
        routes["/sitemap-index.xml"] = Route(200, (
            "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"<sitemap><loc>{b}/sitemap-news-1.xml</loc><lastmod>2026-10-14T12:00:00+08:00</lastmod></sitemap>"
            f"<sitemap><loc>{b}/sitemap-old.xml</loc><lastmod>2025-01-01T00:00:00+08:00</lastmod></sitemap>"
            "</sitemapindex>").encode(), {"Content-Type": "application/xml"})  # fmt: skip
        routes["/sitemap-news-1.xml"] = Route(200, (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
            f"<url><loc>{b}/story/77</loc><news:news><news:publication_date>2026-10-14T22:10:00+08:00"
            "</news:publication_date><news:title>沃思發文：與凱斯特爾建立海巡熱線</news:title></news:news></url>"
            f"<url><loc>{b}/story/78</loc><news:news><news:publication_date>2026-10-14T08:00:00+08:00"
            "</news:publication_date><news:title>颱風動向最新預報</news:title></news:news></url>"
            "</urlset>").encode(), {"Content-Type": "application/xml"})  # fmt: skip
        routes["/story/77"] = Route(
            200,
            article(
                "沃思發文：與凱斯特爾建立海巡熱線",
                "維洛里亞海事部長沃思表示，雙方同意建立海巡直接聯繫管道，讓海上事件能在第一時間降溫。",
            ),
        )
    elif name == "gamma":
        routes["/search"] = Route(200, (
            "<html><body><ul><li><a href='/a/501'>沃斯：與凱斯特爾同意建海巡熱線</a></li>"
            "<li><a href='/a/502'>市府公布明年度預算</a></li><li><a href='/about'>關於我們</a></li></ul></body></html>"
        ).encode())  # fmt: skip
        routes["/a/501"] = Route(200, article("沃斯：與凱斯特爾同意建海巡熱線", WIRE_BODY))
        routes["/a/502"] = Route(200, article("市府公布明年度預算", UNRELATED))
    elif name == "delta":
        routes["/api/search"] = Route(200, json.dumps({"data": {"list": [
            {"title": "沃斯称与凯斯特尔关系良好 双方同意建立海巡沟通管道", "url": f"{b}/c/3001.html", "time": "2026-10-14 20:00"},
        ]}}, ensure_ascii=False).encode(), {"Content-Type": "application/json"})  # fmt: skip
        routes["/c/3001.html"] = Route(
            200,
            article(
                "沃斯称与凯斯特尔关系良好 双方同意建立海巡沟通管道",
                "沃斯表示，双方同意建立海巡直接沟通管道，以便海上出现问题时能够迅速化解。",
            ),
        )
    elif name == "epsilon":
        routes["/world/voss-kestrel-hotline"] = Route(200, article(
            "Voss hails ties with Kestrel, agrees coast guard hotline",
            f"Veloria's maritime minister Aldric Voss said the two sides had agreed to set up {RENDERING}, so that "
            "problems at sea could be defused quickly. Officials will meet before the end of the year.",
        ))  # fmt: skip
    elif name == "zeta":
        routes["/rss.xml"] = Route(200, rss([("市府公布明年度預算", f"{b}/n/1", "Wed, 14 Oct 2026 09:00:00 GMT")]),
                                   {"Content-Type": "application/rss+xml"})  # fmt: skip
        routes["/search"] = Route(200, "<html><body><a href='/n/2'>議會質詢紀要</a></body></html>".encode())
        routes["/n/1"] = Route(200, article("市府公布明年度預算", UNRELATED))
        routes["/n/2"] = Route(200, article("議會質詢紀要", UNRELATED))
    elif name == "eta":

        def eta_feed(_: str) -> Route:
            web.eta_calls += 1
            if web.eta_calls == 1:
                return Route(429, b"slow down", {"Retry-After": "0"})
            return Route(
                200,
                rss([("凱斯特爾部長訪問 沃斯接待", f"{b}/p/9", "Wed, 14 Oct 2026 15:00:00 GMT")]),
                {"Content-Type": "application/rss+xml"},
            )

        routes["/feed"] = eta_feed
        routes["/p/9"] = Route(
            200,
            article("凱斯特爾部長訪問 沃斯接待", "維洛里亞海事部長沃斯14日接待凱斯特爾漁業部長，雙方討論漁權議題。"),
        )
    elif name == "theta":
        routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /search\n", {"Content-Type": "text/plain"})
        routes["/rss.xml"] = Route(200, rss([("沃斯與凱斯特爾同意設熱線", f"{b}/t/5", "Wed, 14 Oct 2026 12:00:00 GMT")]),
                                   {"Content-Type": "application/rss+xml"})  # fmt: skip
        routes["/t/5"] = Route(200, article("沃斯與凱斯特爾同意設熱線", f"沃斯說，{PHRASE}。"))
    elif name == "iota":
        routes["/rss.xml"] = Route(200, b"<rss><channel><item><title>broken", {"Content-Type": "application/rss+xml"})
    return routes


def _gnews(web: FakeWeb) -> object:
    def answer(full: str) -> Route:
        query = parse_qs(urlsplit(full).query).get("q", [""])[0]
        site = query.split()[0].removeprefix("site:")
        if site == web.servers["iota"].host:
            return Route(500, b"oops")
        items = []
        if site == web.servers["beta"].host:
            items.append(
                (
                    "沃思發文：與凱斯特爾建立海巡熱線 - 貝塔日報",
                    f"{web.base('gnews')}/rss/articles/CBMiB",
                    "Wed, 14 Oct 2026 14:10:00 GMT",
                )
            )
        if site == web.servers["kappa"].host:
            items.append(
                (
                    "沃斯：凱斯特爾熱線年底上路 - 卡帕新聞",
                    f"{web.base('gnews')}/rss/articles/CBMiK",
                    "Wed, 14 Oct 2026 16:00:00 GMT",
                )
            )
        return Route(200, rss(items), {"Content-Type": "application/rss+xml"})

    return answer


def _gdelt(web: FakeWeb) -> object:
    def answer(full: str) -> Route:
        if web.gdelt_mode == "garbage":
            return Route(200, b"Your search contained a keyword that is too common.", {"Content-Type": "text/html"})
        articles = [
            {"url": web.base("epsilon") + "/world/voss-kestrel-hotline", "title": "Voss hails ties with Kestrel, agrees coast guard hotline",
             "seendate": "20261014T130000Z", "domain": web.servers["epsilon"].host, "language": "English"},
            {"url": web.base("alpha") + "/news/1001", "title": "Voss: relations with Kestrel good, hotline agreed",
             "seendate": "20261014T131500Z", "domain": web.servers["alpha"].host, "language": "Chinese"},
        ]  # fmt: skip
        return Route(200, json.dumps({"articles": articles}).encode(), {"Content-Type": "application/json"})

    return answer


def registry_yaml(web: FakeWeb) -> str:
    def outlet(name: str, lang: str, script: str, extra: str = "", kind: str = "newspaper") -> str:
        host = web.servers[name].host
        return (f"  - id: {name}\n    name: {name.title()} News\n    language: {lang}\n    script: {script}\n"
                f"    kind: {kind}\n    domains: ['{host}']\n{extra}")  # fmt: skip

    b = web.base
    return f"defaults: {{min_interval_s: {web.min_interval}}}\noutlets:\n" + "".join([
        outlet("alpha", "zh", "zh-Hant", f"    feeds: [{{url: '{b('alpha')}/rss.xml'}}]\n", kind="wire"),
        outlet("beta", "zh", "zh-Hant", f"    sitemaps: [{{url: '{b('beta')}/sitemap-index.xml'}}]\n"),
        outlet("gamma", "zh", "zh-Hant", f"    search: [{{template: '{b('gamma')}/search?q={{query}}'}}]\n"
                                         "    article_url: {pattern: '/a/\\d+$', canonical_id: '/a/(\\d+)$'}\n"),
        outlet("delta", "zh", "zh-Hans", f"    search: [{{template: '{b('delta')}/api/search?kw={{query}}&from={{from}}', kind: json}}]\n"),
        outlet("epsilon", "en", "en"),
        outlet("zeta", "zh", "zh-Hant", f"    feeds: [{{url: '{b('zeta')}/rss.xml'}}]\n"
                                        f"    search: [{{template: '{b('zeta')}/search?q={{query}}'}}]\n"
                                        "    article_url: {pattern: '/n/\\d+$'}\n"),
        outlet("eta", "zh", "zh-Hant", f"    feeds: [{{url: '{b('eta')}/feed'}}]\n"),
        outlet("theta", "zh", "zh-Hant", f"    feeds: [{{url: '{b('theta')}/rss.xml'}}]\n"
                                         f"    search: [{{template: '{b('theta')}/search?q={{query}}'}}]\n"
                                         "    discovery: [search, feeds]\n"),
        outlet("iota", "zh", "zh-Hant", f"    feeds: [{{url: '{b('iota')}/rss.xml'}}]\n"),
        outlet("kappa", "zh", "zh-Hant"),
    ])  # fmt: skip


class fake_web:
    """`with fake_web(tmp_path) as web:` starts every server and writes the registry."""

    def __init__(self, folder: Path, gdelt_mode: str = "ok", min_interval: float = 0.0) -> None:
        self.folder = folder
        self.web = FakeWeb(gdelt_mode=gdelt_mode, min_interval=min_interval)
        self.stack = ExitStack()

    def __enter__(self) -> FakeWeb:
        web = self.web
        for index, name in enumerate([*OUTLETS, "gnews", "gdelt"]):
            server = LoopbackServer(host=f"127.0.0.{11 + index}")
            web.servers[name] = self.stack.enter_context(server)
        for name in OUTLETS:
            web.servers[name].routes.update(_routes(web, name))  # type: ignore[arg-type]
        web.servers["gnews"].routes["/rss/search"] = _gnews(web)  # type: ignore[assignment]
        web.servers["gdelt"].routes["/api/v2/doc/doc"] = _gdelt(web)  # type: ignore[assignment]
        web.registry = self.folder / "fakeweb-sources.yaml"
        web.registry.write_text(registry_yaml(web), encoding="utf-8")
        return web

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
