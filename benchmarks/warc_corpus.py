"""A deterministic generator of WARC.gz news corpora (CC-NEWS-like) with known planted phrases.

    uv run python -m benchmarks.warc_corpus OUT_DIR [--articles 20000] [--files 8] [--seed 1] [--no-extras]

Articles come from the fictional outlets of the demo registry (coverage/demo/sources.yaml) plus two hosts that
are in no registry (coastalgazette.example in English, tidewater-news.example in Chinese). Each article is a
realistic HTML page (head metadata, navigation, byline, 5-12 paragraphs, related links, footer) whose text is
random sentences from word lists: about 1,500 Han characters or 300 English words. About 8% of the articles carry
one of the two PHRASES: "verbatim" (the exact text, sometimes quoted, sometimes in Simplified characters: still
verbatim after folding), "reworded" (a close variant, 2-3 characters or words changed, >= 80% similar after
folding) or "translated" (the phrase's rendering in the other language, in an article of that language). English
articles, fewer, carry a phrase more often (14%), and the plants of each language take the kinds in turn (half
verbatim, a quarter each of the others), so even a few hundred articles hold every (phrase, kind) pair. Every
plant is recorded in Corpus.planted, and the word lists cannot produce any phrase text by chance (they lack some
character or word of every planted text).

The files are written as Common Crawl writes CC-NEWS: one gzip member per record, records in crawl order. With
extras=True each file also starts with a warcinfo record, every response is preceded by its request record, and
the files hold, spread over them, responses that are not well-formed articles (PNG, JSON and CSS responses, 404
and 301 pages, a page cut mid-tag, an empty page, a navigation-only page, a Big5-encoded article, a gzip
Content-Encoding article), a revisit record and a metadata record. None of these extras counts in
Corpus.articles or appears in Corpus.pages.

Everything is a function of the seed: the same arguments give byte-identical files (record ids are derived from
the seed and the URL, dates from the generated crawl times, and zlib writes no time stamp in its gzip headers).
An article's content depends only on the seed and its number, not on `files` or `extras`.
"""

from __future__ import annotations

import argparse
import base64
import functools
import gzip
import hashlib
import html
import io
import json
import random
import struct
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REGISTRY = Path(__file__).resolve().parent.parent / "coverage" / "demo" / "sources.yaml"

# --- the planted phrases ---------------------------------------------------------------------------------------

PHRASES: dict[str, dict[str, Any]] = {
    "p1": {
        "id": "p1",
        "text": "港灣協議生效後雙方的航運合作從未如此緊密",
        "language": "zh",
        "renderings": {"en": "shipping cooperation under the harbour accord has never been closer"},
        # close variants in the phrase's own language: 2-3 characters changed, 80-88% similar after folding
        "reworded": [
            "港灣協議生效後雙方的航運合作從來沒有這麼緊密",
            "港灣協定生效以後雙方的航運合作從未如此密切",
            "港灣協議實施後兩國的航運合作從未如此緊密",
        ],
    },
    "p2": {
        "id": "p2",
        "text": "the ferry link to the outer islands will reopen before summer",
        "language": "en",
        "renderings": {"zh": "通往外島的渡輪航線將在夏季之前恢復"},
        "reworded": [
            "the ferry service to the outer islands will resume before summer",
            "the ferry link to the outer islands should reopen ahead of summer",
            "the ferry route to the outlying islands will reopen before summer",
        ],
    },
}

PLANT_RATE = 0.08  # share of articles that carry a phrase
ENGLISH_PLANT_RATE = 0.14  # of English articles (fewer outlets write English: they carry more, so every kind shows)
KINDS = ("verbatim", "reworded", "translated")
# the plants of one language take these kinds in turn (by article number): half verbatim, a quarter each of the
# others, and a corpus with 4 plants in a language has all three kinds in it
_KIND_CYCLE = ("verbatim", "reworded", "translated", "verbatim")
SIMPLIFIED_PLANT_RATE = 0.2  # a Traditional outlet's verbatim/reworded Chinese plant written in Simplified

# --- word lists ------------------------------------------------------------------------------------------------

# 200 common two-character words (Traditional, all in Big5). None of them contains 灣/湾 or 渡, so random text
# can never hold p1 (or its variants) nor p2's Chinese rendering.
_ZH_LIST = """
    經濟 發展 社會 國家 地區 市場 企業 公司 工作 問題 情況 部門 方面 目前 今年 去年 明年 已經 進行 表示
    認為 指出 強調 希望 需要 可能 應該 能夠 繼續 開始 提出 加強 推動 實現 建立 提高 增加 減少 支持 參與
    交流 會議 活動 計畫 政策 措施 制度 管理 服務 系統 資料 資訊 技術 科技 研究 教育 學生 學校 老師 家長
    醫療 醫院 健康 環境 能源 電力 交通 道路 鐵路 機場 城市 鄉村 居民 民眾 社區 地方 中央 議員 委員 官員
    部長 市長 主席 總統 專家 學者 記者 業者 團體 組織 預算 經費 收入 價格 成本 投資 貿易 出口 進口 產業
    農業 漁業 工業 旅遊 文化 藝術 歷史 傳統 體育 比賽 天氣 氣溫 降雨 颱風 地震 安全 風險 事件 事故 調查
    法律 法院 警方 案件 結果 原因 影響 變化 趨勢 數據 報告 統計 比例 人數 時間 期間 上午 下午 晚間 昨天
    今天 未來 過去 最近 同時 此外 另外 因此 不過 但是 然而 而且 雖然 如果 由於 對於 關於 根據 透過 包括
    相關 重要 主要 重大 明顯 穩定 持續 積極 嚴重 特別 一般 全面 共同 正式 完成 討論 決定 規劃 評估 檢討
    處理 解決 改善 維持 保障 確保 提供 使用 取得 獲得 發布 公布 宣布 說明 回應 批評 反對 同意 接受 要求
    """
ZH_WORDS: tuple[str, ...] = tuple(_ZH_LIST.split())

# about 300 common English words; none of ferry/harbour/accord, so p2 (and variants) and p1's rendering cannot
# come out of random text
_EN_LIST = """
    the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they
    which one you were her all she there would their we him been has when who will more no if out so said what up
    its about into than them can only other new some could time these two may then do first any my now such like
    our over man me even most made after also did many before must through back years where much your way well
    down should because each just those people how too little state good very make world still own see men work
    long get here between both life being under never day same another know while last might us great old year
    off come since against go came right used take three states himself few house use during without again place
    around however home small found thought went say part once general high upon school every does got united left
    number course war until always away something fact though water less public put think almost hand enough far
    took head yet government system better set told nothing night end why called did eyes find going look asked
    later knew point next city business give group toward young days let room president side social given present
    several order national possible rather second face per among form important often things looked early white
    case become large big need four within felt along children saw best church ever least power development light
    thing seemed family interest want members mind country area others done turned although open problem god sense
    service certain kind began thus help means law office market report council minister plan budget officials
    spokesperson committee agency talks policy statement region economy trade data survey board local press
    """
EN_WORDS: tuple[str, ...] = tuple(dict.fromkeys(_EN_LIST.split()))

_ZH_SURNAMES = "林陳王張李黃吳劉蔡楊許鄭謝郭洪曾"
_ZH_GIVEN = ("雨晴", "志明", "家豪", "怡君", "建宏", "淑芬", "冠廷", "雅婷", "俊傑", "美玲", "宗翰", "佳穎")
_ZH_CITIES = ("安柏利", "北岬", "石橋", "東嶼", "白沙", "西岸")
_EN_FIRST = ("Anna", "James", "Priya", "Tom", "Laura", "Daniel", "Grace", "Omar", "Helen", "Marcus")
_EN_LAST = ("Hughes", "Patel", "Morgan", "Reid", "Clarke", "Evans", "Shaw", "Wong", "Okafor", "Lindqvist")
_EN_CITIES = ("London", "Ambury", "Northcape", "Stonebridge", "Eastholm")
_ZH_SECTIONS = (("政治", "politics"), ("國際", "world"), ("財經", "finance"), ("生活", "life"), ("評論", "opinion"))
_EN_SECTIONS = (("Politics", "politics"), ("World", "world"), ("Business", "business"), ("Opinion", "opinion"))

# --- outlets ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str  # the name shown on the page (native name for Chinese outlets)
    domain: str
    language: str  # "zh" | "en"
    simplified: bool
    utc_offset: int  # hours
    url: Callable[[Outlet, datetime, int, str], str]  # (outlet, published, number, slug) -> article URL

    @property
    def lang_attr(self) -> str:
        if self.language == "en":
            return "en"
        return "zh-Hans" if self.simplified else "zh-Hant"

    def article_url(self, published: datetime, number: int, slug: str) -> str:
        return self.url(self, published, number, slug)


# article URL shapes, after the demo site's pages (coverage/demo/__init__.py PAGES and the canonical link of
# harbordaily's page); the demo registry has no article_url patterns, so these are the only reference
_URL_SHAPES: dict[str, Callable[[Outlet, datetime, int, str], str]] = {
    "harbordaily": lambda o, d, n, s: f"https://{o.domain}/news/{d:%Y%m%d}/{n:04d}",
    "islandwire": lambda o, d, n, s: f"https://{o.domain}/news/aipl/{d:%Y%m%d}{n:04d}.html",
    "lantern": lambda o, d, n, s: f"https://{o.domain}/article/{80000 + n}",
    "northstar": lambda o, d, n, s: f"https://{o.domain}/{d:%Y-%m-%d}/c_{1000 + n}.htm",
    "meridian": lambda o, d, n, s: f"https://{o.domain}/world/{d:%Y/%m/%d}/{s}-{n}",
    "bayline": lambda o, d, n, s: f"https://{o.domain}/{d:%Y%m%d}/n{n:05d}.html",
    "coastalgazette": lambda o, d, n, s: f"https://{o.domain}/local/{d:%Y/%m/%d}/{s}-{n}",
    "tidewater": lambda o, d, n, s: f"https://{o.domain}/a/{d:%Y%m%d}/{300000 + n}.html",
}


def _default_shape(o: Outlet, d: datetime, n: int, s: str) -> str:
    return f"https://{o.domain}/news/{d:%Y%m%d}/{n}"


# hosts in no registry, to look like the unknown outlets of a real crawl
UNREGISTERED: tuple[dict[str, Any], ...] = (
    {"id": "coastalgazette", "name": "The Coastal Gazette", "domains": ["coastalgazette.example"], "language": "en"},
    {"id": "tidewater", "native_name": "潮汐新聞", "domains": ["tidewater-news.example"], "language": "zh"},
)
_OFFSETS = {"GB": 0, "coastalgazette": -5}


@functools.cache
def outlets() -> tuple[Outlet, ...]:
    """The demo registry's outlets, then the unregistered hosts, in that order."""
    from ruamel.yaml import YAML

    entries = list(YAML(typ="safe").load(REGISTRY.read_text(encoding="utf-8"))["outlets"]) + list(UNREGISTERED)
    result = []
    for entry in entries:
        language = str(entry.get("language", "zh"))
        offset = _OFFSETS.get(entry["id"], _OFFSETS.get(str(entry.get("country")), 8))
        result.append(
            Outlet(
                id=entry["id"],
                name=str(entry.get("native_name") or entry["name"]) if language == "zh" else str(entry["name"]),
                domain=str(entry["domains"][0]),
                language=language,
                simplified=entry.get("script") == "zh-Hans",
                utc_offset=offset,
                url=_URL_SHAPES.get(entry["id"], _default_shape),
            )
        )
    return tuple(result)


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


@functools.cache
def _zh_words(simplified: bool) -> tuple[str, ...]:
    return tuple(to_simplified("\n".join(ZH_WORDS)).split("\n")) if simplified else ZH_WORDS


# --- the data ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    url: str
    phrase_id: str
    kind: str  # "verbatim" | "reworded" | "translated"
    text: str = ""  # exactly what was written into the page (a variant, a rendering, Simplified characters...)


@dataclass
class Corpus:
    files: list[Path]
    planted: list[Planted]
    articles: int
    pages: dict[str, str]  # url -> the HTML of every well-formed article
    extras: list[tuple[str, str]] = field(default_factory=list)  # (kind, url) of every extra response/record
    records: Counter[str] = field(default_factory=Counter)  # WARC-Type -> number of records, all files


@dataclass
class _Article:
    number: int
    outlet: Outlet
    published: datetime  # in the outlet's time zone
    crawled: datetime  # UTC
    url: str
    roll: float = 1.0  # drawn with the article: below its language's plant rate, it carries a phrase
    plan: tuple[str, str] | None = None  # (phrase id, kind) to plant
    html: str = ""
    plant: Planted | None = None


# --- text ------------------------------------------------------------------------------------------------------


def _zh_sentence(rng: random.Random, words: tuple[str, ...], n: int) -> str:
    picks = rng.choices(words, k=n)
    clauses = []
    i = 0
    while i < n:
        step = rng.randint(3, 7)
        clauses.append("".join(picks[i : i + step]))
        i += step
    return "，".join(clauses) + "。"


def _en_sentence(rng: random.Random, n: int) -> str:
    picks = rng.choices(EN_WORDS, k=n)
    if n > 9:
        picks[rng.randint(3, n - 4)] += ","
    first = picks[0]
    picks[0] = first[0].upper() + first[1:]
    return " ".join(picks) + "."


def _paragraphs(rng: random.Random, outlet: Outlet) -> list[list[str]]:
    """5-12 paragraphs of 2-5 sentences, about 1,500 Han characters or 300 English words in all."""
    shape = [rng.randint(2, 5) for _ in range(rng.randint(5, 12))]
    sentences = sum(shape)
    if outlet.language == "en":
        per = rng.randint(270, 330) / sentences
        low, high = max(4, round(per * 0.7)), max(5, round(per * 1.3))
        return [[_en_sentence(rng, rng.randint(low, high)) for _ in range(k)] for k in shape]
    words = _zh_words(outlet.simplified)
    per = rng.randint(1350, 1650) / 2 / sentences
    low, high = max(3, round(per * 0.7)), max(4, round(per * 1.3))
    return [[_zh_sentence(rng, words, rng.randint(low, high)) for _ in range(k)] for k in shape]


def _zh_name(rng: random.Random) -> str:
    return rng.choice(_ZH_SURNAMES) + rng.choice(_ZH_GIVEN)


def _en_name(rng: random.Random) -> str:
    return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"


def _headline(rng: random.Random, outlet: Outlet) -> str:
    if outlet.language == "en":
        picks = rng.choices(EN_WORDS, k=rng.randint(6, 10))
        return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w for i, w in enumerate(picks))
    words = _zh_words(outlet.simplified)
    return "".join(rng.choices(words, k=rng.randint(3, 5))) + "　" + "".join(rng.choices(words, k=rng.randint(2, 4)))


def _slug(headline: str) -> str:
    return "-".join(headline.lower().split()[:5])


def _plant_sentence(rng: random.Random, outlet: Outlet, text: str) -> str:
    """A sentence that carries `text`: quoted after a speaker, or bare inside the sentence."""
    if outlet.language == "en":
        name = _en_name(rng)
        form = rng.randrange(3)
        if form == 0:
            return f"{name}, a spokesperson for the council, said “{text}”, according to a statement."
        if form == 1:
            return f"Officials told reporters that {text}, {' '.join(rng.choices(EN_WORDS, k=6))}."
        return f"“We believe {text},” {name} said on {rng.choice(('Monday', 'Tuesday', 'Friday'))}."
    words = _zh_words(outlet.simplified)
    form = rng.randrange(3)
    if form == 0:
        who = rng.choice(("部長", "發言人", "市長", "主席"))
        said = rng.choice(("表示", "指出", "強調"))
        sentence = f"{who}{_zh_name(rng)}{said}，「{text}」。"
    elif form == 1:
        sentence = f"{''.join(rng.choices(words, k=3))}，{text}，{''.join(rng.choices(words, k=4))}。"
    else:
        sentence = f"「{text}」，{_zh_name(rng)}在記者會上說。"
    if outlet.simplified:
        # the frame only: `text` is already in the script the plant asked for (opencc keeps Simplified as is)
        head, _, tail = sentence.partition(text)
        sentence = to_simplified(head) + text + to_simplified(tail)
    return sentence


def _plant_rates(pool: tuple[Outlet, ...]) -> dict[str, float]:
    """Plant rate by language, so that about PLANT_RATE of all articles (outlets drawn evenly) carry a phrase."""
    english = sum(o.language == "en" for o in pool) / len(pool)
    chinese = (PLANT_RATE - english * ENGLISH_PLANT_RATE) / (1 - english) if english < 1 else 0.0
    return {"en": ENGLISH_PLANT_RATE if english else 0.0, "zh": max(0.02, chinese)}


def _plan(kind: str, language: str) -> tuple[str, str]:
    """(phrase id, kind) of a plant of this kind in an article of this language."""
    own = next(key for key, phrase in PHRASES.items() if phrase["language"] == language)
    if kind != "translated":
        return own, kind
    return next(key for key, phrase in PHRASES.items() if language in phrase["renderings"]), kind


def _plant_text(rng: random.Random, outlet: Outlet, phrase_id: str, kind: str) -> str:
    """What a plant writes into an article of this outlet: the phrase, a variant or a rendering."""
    phrase = PHRASES[phrase_id]
    if kind == "translated":
        text = str(phrase["renderings"][outlet.language])
    else:
        text = str(phrase["text"]) if kind == "verbatim" else str(rng.choice(phrase["reworded"]))
    if outlet.language == "zh" and (
        outlet.simplified or (kind != "translated" and rng.random() < SIMPLIFIED_PLANT_RATE)
    ):
        text = to_simplified(text)
    return text


# --- pages -----------------------------------------------------------------------------------------------------


def _page(
    rng: random.Random,
    outlet: Outlet,
    url: str,
    published: datetime,
    headline: str,
    paragraphs: list[list[str]],
    charset: str = "utf-8",
) -> str:
    zh = outlet.language == "zh"
    sections: tuple[tuple[str, str], ...] = _ZH_SECTIONS if zh else _EN_SECTIONS
    if zh and outlet.simplified:
        sections = tuple((to_simplified(label), path) for label, path in sections)
    nav = " ".join(f'<a href="/{path}">{label}</a>' for label, path in sections)
    stamp = published.isoformat(timespec="seconds")
    if zh:
        author = _zh_name(rng)
        byline = f"記者{author}／{rng.choice(_ZH_CITIES)}報導　{published:%Y年%m月%d日 %H:%M}"
        related_title, share = "延伸閱讀", "分享：Facebook Line X 複製連結"
        footer = f"版權所有 {published:%Y} {outlet.name}"
        if outlet.simplified:
            author, byline, footer = to_simplified(author), to_simplified(byline), to_simplified(footer)
            related_title, share = "延伸阅读", "分享：微信 微博 复制链接"
    else:
        author = _en_name(rng)
        byline = f"By {author}, {rng.choice(_EN_CITIES)} · {published:%d %B %Y %H:%M}"
        related_title, share, footer = "Related", "Share: Facebook X Email", f"© {published:%Y} {outlet.name}"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline,
            "datePublished": stamp,
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": outlet.name},
        },
        ensure_ascii=False,
    )
    related = "".join(
        f'<li><a href="{outlet.article_url(published - timedelta(days=k + 1), rng.randint(1, 9999), "story")}">'
        f"{html.escape(_headline(rng, outlet))}</a></li>"
        for k in range(3)
    )
    body = "\n".join("    <p>" + ("" if zh else " ").join(sentences) + "</p>" for sentences in paragraphs)
    title = html.escape(headline)
    return f"""<!DOCTYPE html>
<html lang="{outlet.lang_attr}">
<head>
<meta charset="{charset}">
<title>{title} - {html.escape(outlet.name)}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{html.escape(outlet.name)}">
<meta property="og:type" content="article">
<meta name="author" content="{html.escape(author)}">
<meta property="article:published_time" content="{stamp}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{ld}</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{html.escape(outlet.name)}</a>
  <nav>{nav}</nav>
</header>
<main>
<article class="story">
  <h1>{title}</h1>
  <p class="byline">{byline}</p>
  <div class="share">{share}</div>
  <div class="story-body">
{body}
  </div>
</article>
<aside class="related">
  <h2>{related_title}</h2>
  <ul>{related}</ul>
</aside>
</main>
<footer>{footer}</footer>
</body>
</html>
"""


def _nav_only_page(outlet: Outlet) -> str:
    sections = _ZH_SECTIONS if outlet.language == "zh" else _EN_SECTIONS
    nav = " ".join(f'<a href="/{path}">{label}</a>' for label, path in sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{outlet.lang_attr}"><head><meta charset="utf-8"><title>{outlet.name}</title>'
        f'</head>\n<body><header><a href="/">{outlet.name}</a><nav>{nav}</nav></header>\n'
        f'<main><ul class="menu">{nav}</ul></main><footer>{outlet.name}</footer></body></html>\n'
    )


def _png(rng: random.Random, size: int = 16) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = bytes(rng.randrange(256) for _ in range(3))
    raw = b"".join(b"\x00" + pixel * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# --- generation ----------------------------------------------------------------------------------------------

_START = datetime(2026, 3, 2, tzinfo=UTC)  # publication days: 2 to 15 March 2026
_WINDOW_DAYS = 14


def _article(seed: int, number: int, pool: tuple[Outlet, ...]) -> _Article:
    """Who published article `number`, when, and where it lives (cheap: the page itself comes later)."""
    rng = random.Random(f"article {seed} {number}")
    outlet = rng.choice(pool)
    zone = timezone(timedelta(hours=outlet.utc_offset))
    day = rng.randrange(_WINDOW_DAYS)
    minute = rng.choice((rng.randint(6 * 60, 23 * 60), rng.randrange(24 * 60)))  # mostly daytime
    local = datetime(2026, 3, 2 + day, minute // 60, minute % 60, rng.randrange(60), tzinfo=zone)
    crawled = local.astimezone(UTC) + timedelta(minutes=rng.randint(5, 600), seconds=rng.randrange(60))
    return _Article(number, outlet, local, crawled, "", roll=rng.random())


def _plan_plants(items: list[_Article], pool: tuple[Outlet, ...]) -> None:
    """Choose which articles carry a phrase, and which phrase and kind (in article number order: article n's plan
    depends on the articles before it only, so a smaller corpus of the same seed is a prefix of a larger one)."""
    rates = _plant_rates(pool)
    planted: Counter[str] = Counter()
    for article in sorted(items, key=lambda a: a.number):
        language = article.outlet.language
        if article.roll < rates.get(language, 0.0):
            article.plan = _plan(_KIND_CYCLE[planted[language] % len(_KIND_CYCLE)], language)
            planted[language] += 1


def _fill(seed: int, article: _Article) -> None:
    """Write the article's page (with the phrase its plan asks for, if any)."""
    rng = random.Random(f"page {seed} {article.number}")
    outlet = article.outlet
    headline = _headline(rng, outlet)
    article.url = outlet.article_url(article.published, article.number, _slug(headline))
    paragraphs = _paragraphs(rng, outlet)
    if article.plan is not None:
        phrase_id, kind = article.plan
        text = _plant_text(rng, outlet, phrase_id, kind)
        where = rng.randrange(len(paragraphs))
        sentences = paragraphs[where]
        sentences.insert(rng.randint(0, len(sentences)), _plant_sentence(rng, outlet, text))
        article.plant = Planted(article.url, phrase_id, kind, text)
    article.html = _page(rng, outlet, article.url, article.published, headline, paragraphs)


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(seed: int, *parts: object) -> str:
    digest = hashlib.md5("|".join(map(str, (seed, *parts))).encode(), usedforsecurity=False).digest()
    return f"<urn:uuid:{uuid.UUID(bytes=digest, version=4)}>"


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode()


@dataclass
class _Response:
    """One HTTP exchange to write: a request record (if asked) and a response record."""

    url: str
    crawled: datetime
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class _Writer:
    def __init__(self, out: BinaryIO, seed: int, requests: bool) -> None:
        self.writer = WARCWriter(out, gzip=True)
        self.seed = seed
        self.requests = requests
        self.counts: Counter[str] = Counter()

    def _write(self, record: Any) -> None:
        self.writer.write_record(record)
        self.counts[record.rec_type] += 1

    def warcinfo(self, filename: str, moment: datetime, info: dict[str, str]) -> None:
        payload = "".join(f"{k}: {v}\r\n" for k, v in info.items()).encode()
        headers = {
            "WARC-Record-ID": _record_id(self.seed, "warcinfo", filename),
            "WARC-Date": _warc_date(moment),
            "WARC-Filename": filename,
        }
        self._write(
            self.writer.create_warc_record(
                "", "warcinfo", payload=io.BytesIO(payload), length=len(payload), warc_headers_dict=headers
            )
        )

    def exchange(self, response: _Response) -> str:
        """Write the request (if asked) then the response; returns the response's record id."""
        parts = response.url.split("/", 3)
        host, path = parts[2], "/" + (parts[3] if len(parts) > 3 else "")
        date = _warc_date(response.crawled)
        response_id = _record_id(self.seed, "response", response.url, date)
        if self.requests:
            request_headers = StatusAndHeaders(
                f"GET {path} HTTP/1.1",
                [
                    ("Host", host),
                    ("User-Agent", "CCBot/2.0 (https://commoncrawl.org/faq/)"),
                    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                    ("Accept-Encoding", "gzip"),
                ],
                protocol="HTTP/1.1",
                is_http_request=True,
            )
            warc_headers = {
                "WARC-Record-ID": _record_id(self.seed, "request", response.url, date),
                "WARC-Date": date,
                "WARC-Concurrent-To": response_id,
            }
            self._write(
                self.writer.create_warc_record(
                    response.url,
                    "request",
                    payload=io.BytesIO(b""),
                    length=0,
                    http_headers=request_headers,
                    warc_headers_dict=warc_headers,
                )
            )
        http_headers = StatusAndHeaders(
            response.status,
            [
                ("Date", format_datetime(response.crawled.astimezone(UTC), usegmt=True)),
                ("Server", "nginx"),
                ("Content-Type", response.content_type),
                ("Content-Length", str(len(response.body))),
                *response.headers,
            ],
            protocol="HTTP/1.1",
        )
        self._write(
            self.writer.create_warc_record(
                response.url,
                "response",
                payload=io.BytesIO(response.body),
                length=len(response.body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date},
            )
        )
        return response_id

    def revisit(self, url: str, crawled: datetime, original: datetime, body: bytes) -> None:
        date = _warc_date(crawled)
        http_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Date", format_datetime(crawled.astimezone(UTC), usegmt=True)),
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
            protocol="HTTP/1.1",
        )
        record = self.writer.create_revisit_record(
            url,
            _sha1(body),
            url,
            _warc_date(original),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Record-ID": _record_id(self.seed, "revisit", url, date), "WARC-Date": date},
        )
        self._write(record)

    def metadata(self, url: str, crawled: datetime, concurrent_to: str, fields: dict[str, str]) -> None:
        date = _warc_date(crawled)
        payload = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode()
        headers = {
            "WARC-Record-ID": _record_id(self.seed, "metadata", url, date),
            "WARC-Date": date,
            "WARC-Concurrent-To": concurrent_to,
        }
        self._write(
            self.writer.create_warc_record(
                url,
                "metadata",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="application/warc-fields",
                warc_headers_dict=headers,
            )
        )


def _extra_article(
    seed: int, number: int, outlet: Outlet, crawled: datetime, charset: str = "utf-8"
) -> tuple[str, str]:
    """(url, html) of a real article that is written as an extra (Big5, gzip, truncated...)."""
    rng = random.Random(f"page {seed} {number}")
    published = crawled.astimezone(timezone(timedelta(hours=outlet.utc_offset))) - timedelta(hours=2)
    headline = _headline(rng, outlet)
    url = outlet.article_url(published, number, _slug(headline))
    return url, _page(rng, outlet, url, published, headline, _paragraphs(rng, outlet), charset)


def _extras(seed: int, pool: tuple[Outlet, ...], files: int, base: int) -> list[tuple[str, Callable[..., _Response]]]:
    """The extra responses, each a (kind, make(crawled) -> _Response), in the order they are spread over files."""
    zh = [o for o in pool if o.language == "zh" and not o.simplified]
    en = [o for o in pool if o.language == "en"]
    rng = random.Random(f"extras {seed}")
    numbers = iter(range(base, base + 1000))
    made: list[tuple[str, Callable[..., _Response]]] = []

    def add(kind: str, make: Callable[..., _Response]) -> None:
        made.append((kind, make))

    for k in range(files):  # one of each non-HTML type per file
        outlet = pool[k % len(pool)]
        png = _png(random.Random(f"png {seed} {k}"))
        add(
            "png",
            lambda c, o=outlet, b=png: _Response(
                f"https://{o.domain}/static/img/logo.png", c, b, "200 OK", "image/png"
            ),
        )
        listing = json.dumps({"outlet": outlet.id, "latest": [f"/news/{seed}/{k}/{i}" for i in range(5)]}).encode()
        add(
            "json",
            lambda c, o=outlet, b=listing: _Response(
                f"https://{o.domain}/api/latest.json", c, b, "200 OK", "application/json"
            ),
        )
        css = b"body{font-family:sans-serif;margin:0}\nnav a{padding:0 .5em}\narticle p{line-height:1.7}\n"
        add(
            "css",
            lambda c, o=outlet, b=css: _Response(f"https://{o.domain}/static/css/site.css", c, b, "200 OK", "text/css"),
        )
    for i in range(3):
        outlet = pool[(i * 3) % len(pool)]
        number = next(numbers)
        body = (
            b"<html><head><title>404 Not Found</title></head>"
            b"<body><h1>404 Not Found</h1><p>Page not found.</p></body></html>"
        )
        add(
            "404",
            lambda c, o=outlet, n=number, b=body: _Response(
                o.article_url(c, n, "gone"), c, b, "404 Not Found", "text/html; charset=utf-8"
            ),
        )
    for i in range(2):
        outlet = pool[(i * 5 + 1) % len(pool)]
        number = next(numbers)

        def moved(c: datetime, o: Outlet = outlet, n: int = number) -> _Response:
            target = o.article_url(c, n, "moved")
            body = (
                "<html><head><title>301 Moved Permanently</title></head>"
                f'<body><a href="{target}">{target}</a></body></html>'
            )
            return _Response(
                "http://" + target.split("://", 1)[1],
                c,
                body.encode(),
                "301 Moved Permanently",
                headers=[("Location", target)],
            )

        add("301", moved)
    outlet = rng.choice(zh)
    number = next(numbers)

    def truncated(c: datetime, o: Outlet = outlet, n: int = number) -> _Response:
        url, page = _extra_article(seed, n, o, c)
        data = page.encode()
        cut = data.index(b"<p>", len(data) // 2) + 2  # "...<p" : cut inside the tag
        return _Response(url, c, data[:cut])

    add("truncated", truncated)
    outlet, number = rng.choice(zh), next(numbers)
    add("empty", lambda c, o=outlet, n=number: _Response(o.article_url(c, n, "empty"), c, b""))
    outlet = rng.choice(en or zh)
    add("navigation-only", lambda c, o=outlet: _Response(f"https://{o.domain}/", c, _nav_only_page(o).encode()))
    outlet, number = rng.choice(zh), next(numbers)

    def big5(c: datetime, o: Outlet = outlet, n: int = number) -> _Response:
        url, page = _extra_article(seed, n, o, c, charset="big5")
        return _Response(url, c, page.encode("big5"), content_type="text/html; charset=big5")

    add("big5", big5)
    outlet, number = rng.choice(zh), next(numbers)

    def gzipped(c: datetime, o: Outlet = outlet, n: int = number) -> _Response:
        url, page = _extra_article(seed, n, o, c)
        return _Response(url, c, gzip.compress(page.encode(), mtime=0), headers=[("Content-Encoding", "gzip")])

    add("gzip", gzipped)
    return made


def _spread(items: list[Any], parts: int) -> list[list[Any]]:
    """Split `items` in `parts` contiguous runs of near-equal length."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for k in range(parts):
        end = start + size + (1 if k < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def write_corpus(folder: Path, articles: int, files: int = 4, seed: int = 1, extras: bool = True) -> Corpus:
    """Write `articles` articles over `files` .warc.gz files in `folder` (created if need be); see the module doc.

    The files are named CC-NEWS-<first crawl time>-<NNNNN>.warc.gz; articles are in crawl order across them.
    """
    if files < 1:
        raise ValueError("files must be at least 1")
    folder.mkdir(parents=True, exist_ok=True)
    pool = outlets()
    items = [_article(seed, n, pool) for n in range(articles)]
    _plan_plants(items, pool)
    items.sort(key=lambda a: (a.crawled, a.number))
    runs = _spread(items, files)
    # extras go round-robin over the files, at positions drawn from the file's own generator
    extra_runs: list[list[tuple[str, Callable[..., _Response]]]] = [[] for _ in range(files)]
    if extras:
        for i, extra in enumerate(_extras(seed, pool, files, base=articles + 1)):
            extra_runs[i % files].append(extra)
    corpus = Corpus(files=[], planted=[], articles=articles, pages={})
    for k, run in enumerate(runs):
        first = run[0].crawled if run else _START + timedelta(days=_WINDOW_DAYS)
        name = f"CC-NEWS-{first:%Y%m%d%H%M%S}-{k:05d}.warc.gz"
        path = folder / name
        file_rng = random.Random(f"file {seed} {k}")
        positions = sorted((file_rng.randint(0, len(run)), j) for j in range(len(extra_runs[k])))
        with path.open("wb") as out:
            writer = _Writer(out, seed, requests=extras)
            if extras:
                writer.warcinfo(
                    name,
                    first,
                    {
                        "software": "newscov benchmarks.warc_corpus",
                        "format": "WARC File Format 1.0",
                        "description": f"synthetic news corpus, seed {seed}, file {k + 1} of {files}",
                        "isPartOf": f"NEWSCOV-SYNTHETIC-{seed}",
                        "operator": "newscov tests",
                    },
                )
            written: list[tuple[_Article, str]] = []
            pending = iter(positions)
            upcoming = next(pending, None)
            for index in range(len(run) + 1):
                while upcoming is not None and upcoming[0] == index:
                    kind, make = extra_runs[k][upcoming[1]]
                    moment = (run[index - 1].crawled if index else first) + timedelta(seconds=1 + upcoming[1])
                    response = make(moment)
                    writer.exchange(response)
                    corpus.extras.append((kind, response.url))
                    upcoming = next(pending, None)
                if index == len(run):
                    break
                article = run[index]
                _fill(seed, article)
                body = article.html.encode()
                record_id = writer.exchange(_Response(article.url, article.crawled, body))
                written.append((article, record_id))
                corpus.pages[article.url] = article.html
                if article.plant is not None:
                    corpus.planted.append(article.plant)
            if extras and k == 0 and written:
                # a later crawl of the first article found it unchanged; and one metadata record, as CC writes
                article, record_id = written[0]
                later = written[-1][0].crawled + timedelta(minutes=30)
                writer.revisit(article.url, later, article.crawled, article.html.encode())
                corpus.extras.append(("revisit", article.url))
                fields = {"fetchTimeMs": str(file_rng.randint(80, 900)), "charset-detected": "UTF-8"}
                writer.metadata(article.url, later, record_id, fields)
                corpus.extras.append(("metadata", article.url))
        corpus.records.update(writer.counts)
        corpus.files.append(path)
    return corpus


# --- a damaged file --------------------------------------------------------------------------------------------

CORRUPT_VALID_ARTICLES = 3  # article responses in corrupt_warc's file that read back whole before the damage
CORRUPT_VALID_RECORDS = 2 + 2 * CORRUPT_VALID_ARTICLES  # warcinfo, the pairs, and the damaged article's request
_CORRUPT_SEED = 0


def corrupt_urls() -> list[str]:
    """The URLs of the CORRUPT_VALID_ARTICLES well-formed article responses at the start of corrupt_warc's file."""
    pool = outlets()
    result = []
    for number in range(CORRUPT_VALID_ARTICLES):
        article = _article(_CORRUPT_SEED, number, pool)
        _fill(_CORRUPT_SEED, article)
        result.append(article.url)
    return result


def corrupt_warc(path: Path) -> Path:
    """Write at `path` a .warc.gz that starts well and breaks; returns `path`.

    The file holds a warcinfo record, CORRUPT_VALID_ARTICLES request/response pairs of well-formed articles (their
    URLs: corrupt_urls()) and the request record of one more article: CORRUPT_VALID_RECORDS valid records in all.
    Then comes the first half of that article's response gzip member, cut mid-member, then 600 bytes of garbage.
    Iterated with warcio (1.7-1.8), the valid records read back whole, then warcio raises ArchiveLoadFailed at the
    damage (a reader that skips bad members would instead stop there).
    """
    pool = outlets()
    buffer = io.BytesIO()
    writer = _Writer(buffer, _CORRUPT_SEED, requests=True)
    first = _article(_CORRUPT_SEED, 0, pool).crawled
    writer.warcinfo(path.name, first, {"software": "newscov benchmarks.warc_corpus", "description": "damaged"})
    for number in range(CORRUPT_VALID_ARTICLES + 1):
        article = _article(_CORRUPT_SEED, number, pool)
        _fill(_CORRUPT_SEED, article)
        cut_from = buffer.tell()
        writer.exchange(_Response(article.url, article.crawled, article.html.encode()))
    data = buffer.getvalue()
    # the last exchange wrote a request member then a response member: keep half of the response member
    request_end = cut_from + _member_length(data[cut_from:])
    damaged = data[: request_end + (len(data) - request_end) // 2]
    garbage = random.Random(_CORRUPT_SEED).randbytes(600)
    path.write_bytes(damaged + garbage)
    return path


def _member_length(data: bytes) -> int:
    """The length of the gzip member at the start of `data`."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS + 16)
    decompressor.decompress(data)
    return len(data) - len(decompressor.unused_data)


def iter_records(path: Path) -> Iterator[Any]:
    """warcio records of one file (convenience for tests and benchmarks)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        yield from ArchiveIterator(stream)


# --- command line ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-extras", action="store_true", help="articles only: no warcinfo, requests or extras")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = write_corpus(args.out_dir, args.articles, args.files, args.seed, extras=not args.no_extras)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in corpus.files)
    kinds = Counter(p.kind for p in corpus.planted)
    print(f"{corpus.articles} articles in {len(corpus.files)} files ({size / 1e6:.1f} MB) in {elapsed:.2f} s")
    print(f"records: {dict(sorted(corpus.records.items()))}")
    print(f"planted: {len(corpus.planted)} ({', '.join(f'{k} {kinds[k]}' for k in KINDS)})")
    print(f"extras: {dict(Counter(kind for kind, _ in corpus.extras))}")


if __name__ == "__main__":
    main()
