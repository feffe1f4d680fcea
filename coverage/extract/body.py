"""The body: share bars and captions out before trafilatura reads the page, boilerplate lines out after."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import ExtractHints
from .base import _compiled, _text

# ── generic rules, used for every outlet after its own hints ──


def class_tokens(
    words: tuple[str, ...], prefixes: tuple[str, ...] = (), suffixes: tuple[str, ...] = (), cores: tuple[str, ...] = ()
) -> str:
    """An XPath predicate on class *tokens*: one of `words`, or a token that begins with a prefix or ends with a
    suffix. `cores` are substrings every one of them contains, tested first because they are cheap (the token tests
    build a string per element).

    Substring tests alone (contains(@class, 'share')) delete <body class="shared-article-renderer"> or a container
    classed "wp-featherlight-captions" with the whole article in it."""
    tokens = "concat(' ', normalize-space(@class), ' ')"
    tests = [f"contains({tokens}, ' {w} ')" for w in words]
    tests += [f"contains({tokens}, ' {p}')" for p in prefixes]
    tests += [f"contains({tokens}, '{s} ')" for s in suffixes]
    cheap = " or ".join(f"contains(@class, '{c}')" for c in cores)
    return f"[{cheap}][{' or '.join(tests)}]" if cores else f"[{' or '.join(tests)}]"


# A widget or caption is short: an element with more text than this is never removed as one (it holds the article),
# nor is <html>, <body>, <main> or <article>.
MAX_REMOVED_CHARS = 500
_REMOVABLE = (
    "not(self::html or self::body or self::main or self::article)"
    f" and string-length(normalize-space(.)) < {MAX_REMOVED_CHARS}"
)

# share bars, font-size switches, social widgets: removed before extraction
SHARE_CLASSES = class_tokens(
    ("share", "shares", "sharing", "sharebar", "sharebox", "sharetools", "Share", "social", "socials", "addthis",
     "addtoany", "a2a_kit", "fontsize", "font-size", "print-btn", "print-button"),
    prefixes=("share-", "share_", "sharing-", "social-", "social_", "fb-like", "addthis_"),
    suffixes=("-share", "_share", "-sharing", "-social", "-fontsize", "-font-size"),
    cores=("hare", "haring", "social", "addt", "a2a", "fb-like", "font", "print"),
)  # fmt: skip
GENERIC_PRUNE = (
    f"//*{SHARE_CLASSES}[{_REMOVABLE}]",
    f"//*[(@aria-label='複製連結' or @aria-label='分享') and {_REMOVABLE}]",
)
# photo captions: kept apart from the body (Article.captions)
CAPTION_CLASSES = class_tokens(
    ("caption", "captions", "wp-caption-text", "image-caption", "img-caption", "photo-caption", "picture-caption",
     "media-caption", "figure-caption", "article-caption", "entry-caption", "post-caption", "picinfo", "pic-info",
     "photo-info", "img-desc", "photo-desc"),
    prefixes=("caption-", "caption_"),
    cores=("caption", "pic", "photo", "img"),
)  # fmt: skip
CAPTION_XPATH = f"//figcaption[{_REMOVABLE}] | //*{CAPTION_CLASSES}[{_REMOVABLE}]"
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

# a line that is only a byline: "記者林悅／南市報導", "社會中心／綜合報導", "〔記者王小明／台北報導〕"
_BYLINE_LINE = re.compile(r"^[〔【\[(（]?(?:記者)?[^\s／/]{2,12}\s*[／/]\s*[^\s／/]{0,12}報導[〕】\])）]?$")


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
