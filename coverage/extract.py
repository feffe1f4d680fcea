"""Fetched page -> Article: trafilatura for the body, then outlet hints and generic rules for the rest.

trafilatura finds the main text well but keeps the site name in titles, gives days without times, takes
organisations (or whole bylines) for authors and leaves share bars and update stamps in some bodies. This
module reads title, times and author from the page itself (meta tags, JSON-LD, the visible byline and
dateline), in an order that prefers what the outlet shows its readers, and cleans the body line by line.
"""

from __future__ import annotations

import functools
import hashlib
import html as htmlmod
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .models import Article, ExtractHints, Failure, Fetched, Outlet
from .textnorm import detect_script

# trafilatura logs every page it finds too short or unparsable; the Failure record carries the reason instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# Less than this is a navigation stub or an error page, not an article (a one-line brief is still 30+ characters).
MIN_ARTICLE_CHARS = 20

_NO_HINTS = ExtractHints()

# ── generic rules, used for every outlet after its own hints ──

# share bars, font-size switches, social widgets: removed before extraction
GENERIC_PRUNE = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' share') or contains(@class, 'Share')"
    " or contains(@class, 'social') or contains(@class, 'fb-like') or contains(@class, 'fontsize')"
    " or contains(@class, 'font-size') or contains(@class, 'print-btn')]",
    "//*[@aria-label='複製連結' or @aria-label='分享']",
)
# photo captions: kept apart from the body (Article.captions)
CAPTION_XPATH = (
    "//figcaption | //*[contains(@class, 'caption') or contains(@class, 'picinfo')"
    " or contains(@class, 'photo-info') or contains(@class, 'img-desc')]"
)
_SHARE_WORDS = (
    r"Facebook|FB|LINE|Line|Weibo|Twitter|X|Email|E-mail|Telegram|Plurk|WhatsApp|Threads|複製連結|複製網址|分享|"
    r"分享到|轉寄|列印|收藏|推薦|字級設定[:：]?|字級|小|中|大|特|A\+|A-"
)
GENERIC_DROP_LINES = (
    rf"^(?:(?:{_SHARE_WORDS})[\s、|｜:：/]*){{2,}}$",  # a line made only of share-button words
    r"^(?:最新更新|更新時間|更新日期|最後更新)[:：]",
    r"^字級設定",
    r"^(?:點我|立即)?下載.{0,20}(?:APP|App)",
    r"^(?:看更多|更多新聞)[!！]?請?加入.{0,20}粉絲團",
    r"^>>?加入.{0,20}粉絲團",
)
# a caption line: "▲…", "…（圖／記者某某攝）", "…（記者某某攝）"
GENERIC_CAPTION_LINES = (
    r"^[▲▼△▽]",
    r"[（(](?:圖|照片|影像|photo)[／/][^）)]{0,30}[）)]$",
    r"[（(][^（）()]{0,20}(?:攝|提供)[）)]$",
)
# bylines anywhere near the start or the end of the body, or in a byline element
GENERIC_BYLINES = (
    # CNA's dateline "（中央社記者邱俊欽桃園19日電）": a name of 2-3 characters, then a place of 2 or more
    r"[（(]中央社(?:記者)?(?P<name>[\u4e00-\u9fff]{2,3}(?:[、,，][\u4e00-\u9fff]{2,3})*)"
    r"[\u4e00-\u9fff]{2,8}?\d{1,2}日(?:專|綜合外|外)?電[）)]",
    r"記者\s*(?P<name>[\u4e00-\u9fff]{2,4}(?:\s*[、,，]\s*[\u4e00-\u9fff]{2,4})*)\s*[／/]\s*[^\s）)]{0,12}報導",
    r"[（(〔](?P<name>[\u4e00-\u9fff]{2,4}(?:[、,，][\u4e00-\u9fff]{2,4})*)[／/][^\s）)]{0,12}報導[）)〕]",
    r"^(?:By|BY|by)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and)\s+[A-Z][\w.'’-]+"
    r"(?:\s+[A-Z][\w.'’-]+){0,3})*)",
)
# a line that is only a byline: "記者林悅／南市報導", "社會中心／綜合報導", "〔記者王小明／台北報導〕"
_BYLINE_LINE = re.compile(r"^[〔【\[(（]?(?:記者)?[^\s／/]{2,12}\s*[／/]\s*[^\s／/]{0,12}報導[〕】\])）]?$")
# elements that usually hold the byline on pages without outlet hints
GENERIC_AUTHOR_XPATH = (
    "//*[contains(@class, 'byline') or contains(@class, 'author') or @rel='author' or @itemprop='author']"
    "[not(self::meta) and not(self::link)]"
)
_BYLINE_FIELD = re.compile(r"^(?:\S{0,6}?)記者\s*(?P<name>[^／/\s]+(?:\s*[、,，]\s*[^／/\s]+)*)\s*[／/]\s*\S*報導$")
# visible datelines: 2025年11月1日 18:16, 2025/11/01 18:16, 2025-11-01 18:16 (time optional)
GENERIC_DATELINES = (
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:(?P<ampm>上午|下午)\s*)?"
    r"(?:(?P<H>\d{1,2})[:：時](?P<M>\d{2}))?",
    r"(?P<y>\d{4})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    # November 1, 2025 (6:16 PM)
    r"\b(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2}),\s+(?P<y>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?",
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
# organisation-like author values are not people
_ORGANISATION = re.compile(
    r"(?:新聞網|電子報|新聞雲|日報|時報|晚報|通訊社|中央社|新聞台|電視台|編輯部|中心|新聞|"
    r"\bNews\b|\bTimes\b|\bPost\b|\bPress\b|\bAgency\b|\bStaff\b|\bReuters\b|\bAFP\b|\bAP\b|\bEditorial\b)",
    re.IGNORECASE,
)

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}


@functools.cache
def _compiled(pattern: str, flags: int = re.MULTILINE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@dataclass
class _Meta:
    """What the page says about itself, before any choice is made."""

    titles: list[str] = field(default_factory=list)  # og:title, <title>, twitter:title
    headings: list[str] = field(default_factory=list)  # <h1> texts
    headlines: list[str] = field(default_factory=list)  # JSON-LD headline
    site_names: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # in order of trust
    modified: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # JSON-LD Person authors
    author_fields: list[str] = field(default_factory=list)  # meta author values
    description: str = ""
    visible: str = ""  # the page's visible text (for datelines)


def _text(node: Any) -> str:
    return " ".join(node.text_content().split()) if hasattr(node, "text_content") else ""


def _meta_values(tree: Any, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        expression = (
            f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"
            f" | //time[@itemprop='{name}']/@datetime"
        )
        values.extend(v.strip() for v in tree.xpath(expression) if v and v.strip())
    return values


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Article objects from the page's JSON-LD blocks (broken blocks are skipped, @graph is opened)."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(item)
    return found


def _people(value: Any) -> Iterable[tuple[str, bool]]:
    """(name, is_person) for a JSON-LD author value (a string, an object, or a list of them)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item, True
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            yield item["name"], item.get("@type") not in ("Organization", "NewsMediaOrganization")


def _read_meta(tree: Any) -> _Meta:
    meta = _Meta()
    meta.titles = _meta_values(tree, "og:title") + [_text(t) for t in tree.xpath("//head/title")]
    meta.titles += _meta_values(tree, "twitter:title")
    meta.headings = [h for h in (_text(n) for n in tree.xpath("//h1")) if 2 <= len(h) <= 200]
    meta.site_names = _meta_values(tree, "og:site_name", "application-name")
    for item in _json_ld(tree):
        if isinstance(item.get("headline"), str):
            meta.headlines.append(item["headline"].strip())
        for key, target in (("datePublished", meta.published), ("dateModified", meta.modified)):
            if isinstance(item.get(key), str):
                target.append(item[key])
        for name, is_person in _people(item.get("author")):
            (meta.people if is_person else meta.site_names).append(name.strip())
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            meta.site_names.append(publisher["name"])
    meta.published += _meta_values(
        tree, "article:published_time", "datePublished", "pubdate", "publishdate", "date.available", "date"
    )
    meta.published += list(tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"))
    meta.modified += _meta_values(tree, "article:modified_time", "dateModified", "lastmod")
    meta.author_fields = _meta_values(tree, "author", "article:author", "dable:author")
    descriptions = _meta_values(tree, "description", "og:description")
    meta.description = descriptions[0] if descriptions else ""
    for junk in tree.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    bodies = tree.xpath("//body")
    meta.visible = "\n".join(
        line for line in (" ".join(t.split()) for t in (bodies[0] if bodies else tree).itertext()) if line
    )
    return meta


# ── title ──

_TITLE_SEPARATOR = re.compile(r"\s+[|｜\-–—_]\s+|\s*[｜|_]\s*")


def _fold_space(text: str) -> str:
    return "".join(text.split())


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


# ── times ──

_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?:(?P<ampm>上午|下午)\s*)?(?P<H>\d{1,2})[:：時](?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)


def _iso(found: re.Match[str], timezone: str | None) -> tuple[str, bool] | None:
    """ISO 8601 to the minute from a match with y, m, d (H, M, ampm, tz optional); (text, has_time)."""
    groups = found.groupdict()
    try:
        month_text = groups["m"]
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3].lower()]
        year, day = int(groups["y"]), int(groups["d"])
        hour = int(groups["H"]) if groups.get("H") else None
        minute = int(groups["M"]) if groups.get("M") else 0
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if hour is not None and ampm in ("下午", "pm") and hour < 12:
            hour += 12
        if hour == 12 and ampm in ("上午", "am"):
            hour = 0
        moment = datetime(year, month, day, hour or 0, minute)
    except (TypeError, ValueError, KeyError):
        return None
    if not 1990 <= year <= 2100:
        return None
    if hour is None:
        return moment.strftime("%Y-%m-%d"), False
    text = moment.strftime("%Y-%m-%dT%H:%M")
    zone = groups.get("tz")
    if zone:
        offset = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
        return text + offset, True
    if timezone:
        from zoneinfo import ZoneInfo

        offset_text = moment.replace(tzinfo=ZoneInfo(timezone)).strftime("%z")
        return f"{text}{offset_text[:3]}:{offset_text[3:]}", True
    return text, True


def parse_time(value: str, timezone: str | None = None) -> tuple[str, bool] | None:
    """Normalise a date or date-time as pages write it (ISO, 2016/03/19 08:15, 2025年11月1日 18:16)."""
    found = _TIME.search(htmlmod.unescape(value))
    return _iso(found, timezone) if found else None


def _prefer_timed(parsed: Iterable[tuple[str, bool] | None]) -> str | None:
    """The first value with a time of day; failing that, the first with a date alone."""
    day_only: str | None = None
    for item in parsed:
        if item and item[1]:
            return item[0]
        if item and day_only is None:
            day_only = item[0]
    return day_only


def _first_time(values: Iterable[str], timezone: str | None) -> str | None:
    return _prefer_timed(parse_time(value, timezone) for value in values)


def _dateline(text: str, patterns: Iterable[str], timezone: str | None) -> str | None:
    return _prefer_timed(_iso(found, timezone) for pattern in patterns for found in _compiled(pattern).finditer(text))


def publication_times(meta: _Meta, hints: ExtractHints, timezone: str | None) -> tuple[str | None, str | None]:
    """(published, updated): metadata first, then the outlet's and the generic visible datelines."""
    published = _first_time(meta.published, timezone)
    if published is None or "T" not in published:
        visible = _dateline(meta.visible[:6000], (*hints.datelines, *GENERIC_DATELINES), timezone)
        if visible and (published is None or ("T" in visible and visible.startswith(published))):
            published = visible
    return published, _first_time(meta.modified, timezone)


# ── author ──


def clean_author(author: str | None) -> str | None:
    """The person's name from an author field that holds a Chinese byline; other values as given."""
    if not author or not author.strip():
        return None
    author = " ".join(author.split())
    byline = _BYLINE_FIELD.match(author)
    return byline.group("name") if byline else author


def _is_person(name: str, sites: list[str]) -> bool:
    if not name or len(name) > 60 or "://" in name or name.startswith(("@", "www.")):
        return False
    folded = _fold_space(name).lower()
    if any(folded == _fold_space(s).lower() or folded in _fold_space(s).lower() for s in sites if s):
        return False
    return not _ORGANISATION.search(name)


def _looks_like_a_name(text: str) -> bool:
    """Short enough to be one or a few names (not a sentence or a date line)."""
    if any(ch.isdigit() for ch in text):
        return False
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return bool(han and len(text) <= 12) or (not han and 1 <= len(text.split()) <= 8)


def _byline_in(texts: Iterable[str], patterns: Iterable[str]) -> str | None:
    for pattern in patterns:
        compiled = _compiled(pattern)
        for text in texts:
            found = compiled.search(text)
            if found and found.group("name"):
                return " ".join(found.group("name").split())
    return None


def find_author(
    tree: Any, meta: _Meta, hints: ExtractHints, edges: list[str], fallback: str | None, outlet: Outlet | None
) -> str | None:
    """The reporter: the outlet's byline element, a byline in the text's edges, then JSON-LD people, meta fields.

    `edges` are the byline lines and the first and last lines of the body, where bylines stand."""
    sites = meta.site_names + ([n for n in (outlet.name, outlet.native_name) if n] if outlet else [])
    if hints.author_xpath:
        names = [_text(n) if hasattr(n, "text_content") else str(n).strip() for n in tree.xpath(hints.author_xpath)]
        names = [clean_author(n) or "" for n in names]
        names = [n for n in dict.fromkeys(names) if _is_person(n, sites)]
        if names:
            return "、".join(names)
    # the outlet's own byline forms are specific enough to look for anywhere on the page
    found = _byline_in([*edges, meta.description, meta.visible], hints.bylines)
    found = found or _byline_in([*edges, meta.description], GENERIC_BYLINES)
    if found and _is_person(found, sites):
        return found
    for node in tree.xpath(GENERIC_AUTHOR_XPATH):
        text = _text(node)
        name = _byline_in([text], GENERIC_BYLINES) or clean_author(text.removeprefix("By ").removeprefix("by "))
        if name and _looks_like_a_name(name) and _is_person(name, sites):
            return name
    for candidate in (*meta.people, *meta.author_fields, fallback or ""):
        name = clean_author(candidate)
        if name and _is_person(name, sites):
            return name
    return None


# ── body ──


@dataclass
class _Body:
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)  # lines that only say who reported from where


def _clean_body(text: str, hints: ExtractHints) -> _Body:
    """Body lines without boilerplate; captions and stand-alone byline lines taken out of it."""
    drop = [_compiled(p) for p in (*hints.drop_lines, *GENERIC_DROP_LINES)]
    captions_patterns = [_compiled(p) for p in GENERIC_CAPTION_LINES]
    body = _Body()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or any(p.search(line) for p in drop):
            continue
        if any(p.search(line) for p in captions_patterns):
            body.captions.append(line)
        elif _BYLINE_LINE.match(line):
            body.bylines.append(line)
        else:
            body.lines.append(line)
    return body


def _article_html(tree: Any, hints: ExtractHints) -> tuple[str | None, list[str]]:
    """The HTML trafilatura should read (the outlet's article container, when it has one) and the captions."""
    from lxml import html as lxml_html

    captions: list[str] = []
    for node in tree.xpath(CAPTION_XPATH):
        caption = _text(node)
        if caption:
            captions.append(caption)
        node.drop_tree()
    if not hints.body_xpath:
        return None, captions
    nodes = [n for n in tree.xpath(hints.body_xpath) if hasattr(n, "tag")]
    if not nodes:
        return None, captions
    inner = "".join(lxml_html.tostring(n, encoding="unicode") for n in nodes)
    return f"<html><body><article>{inner}</article></body></html>", captions


def _parse(html: str) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _article(
    fetched: Fetched,
    text: str,
    title: str | None,
    published: str | None,
    author: str | None,
    updated: str | None = None,
    captions: Iterable[str] = (),
) -> Article:
    language, script = detect_script(text)
    return Article(
        outlet_id=fetched.target.outlet_id,
        url=fetched.target.location,
        final_url=fetched.final_url,
        title=title.strip() if title and title.strip() else None,
        published=published or None,
        author=author,
        language=language,
        script=script,
        text=text,
        fetched_at=fetched.fetched_at,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        updated=updated,
        captions=tuple(dict.fromkeys(c for c in captions if c)),
    )


def text_article(text: str, outlet_id: str, url: str, title: str | None = None) -> Article:
    """Text that is already an article's body (a test case, a corpus record) as an Article: language, script and
    digest read from it."""
    language, script = detect_script(text)
    return Article(outlet_id, url, None, title, None, None, language, script, text, datetime.now(UTC),
                   hashlib.sha256(text.encode("utf-8")).hexdigest())  # fmt: skip


def extract(fetched: Fetched, outlet: Outlet | None = None) -> Article | Failure:
    """Extract the article of a fetched page, or say why there is none; `outlet` brings its hints."""
    location = fetched.target.location
    hints = outlet.hints if outlet else _NO_HINTS
    if fetched.content_type == "text/plain":
        text = fetched.html.strip()
        if not text:
            return Failure("extract", fetched.target.outlet_id, location, "the file is empty")
        return _article(fetched, text, text.splitlines()[0][:200], None, None)

    if not fetched.html.strip():
        return Failure("extract", fetched.target.outlet_id, location, "the page is empty")
    tree = _parse(fetched.html)
    if tree is None:
        return Failure("extract", fetched.target.outlet_id, location, "the page could not be parsed as HTML")
    import trafilatura

    meta = _read_meta(tree)
    container, captions = _article_html(tree, hints)
    try:
        document = trafilatura.bare_extraction(
            container or fetched.html,
            url=fetched.final_url,
            with_metadata=container is None,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            prune_xpath=[*hints.prune_xpath, *GENERIC_PRUNE, CAPTION_XPATH],
        )
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup that lxml/trafilatura choke on
        return Failure("extract", fetched.target.outlet_id, location, f"the page could not be parsed ({exc})")
    body = _clean_body((getattr(document, "text", None) or "").strip(), hints)
    text = "\n".join(body.lines)
    if len(text) < MIN_ARTICLE_CHARS:
        found = f" (only {len(text)} characters)" if text else ""
        return Failure(
            "extract",
            fetched.target.outlet_id,
            location,
            f"no article text found on the page{found}: a script-rendered, paywalled or empty page?",
        )
    timezone = outlet.timezone if outlet else None
    published, updated = publication_times(meta, hints, timezone)
    if published is None:
        published = getattr(document, "date", None)
    title = clean_title(meta, hints, outlet) or getattr(document, "title", None)
    edges = [*body.bylines, *body.lines[:4], *body.lines[-4:]]
    author = find_author(tree, meta, hints, edges, getattr(document, "author", None), outlet)
    return _article(fetched, text, title, published, author, updated, [*captions, *body.captions])
