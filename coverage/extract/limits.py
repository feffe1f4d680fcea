"""What one page may cost: characters lxml refuses are dropped, and a page beyond a bound is cut, loses attributes or is
read the fast way, with a note, so that extraction stays within seconds whatever the page (the fetch caps it at
10 MiB).

The bounds are set well above the pages of trafilatura's 990-page evaluation set, where they change nothing but two
pages read the fast way (with the same text): at most 10,106 elements, 508,919 characters of attributes, 38
attributes on one element, and a jusText cost (below) of 7,017,242 on one page, 1,188,166 on the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Characters lxml refuses in text it is given (control characters but tab and line breaks, lone surrogates, U+FFFE,
# U+FFFF): its HTML parser keeps some of them in the tree, and the first rule that sets such text raises ValueError.
# They are dropped before parsing; vertical tab and form feed, whitespace in HTML, become spaces.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Above this many elements (tags and comments) a page is cut after its first MAX_ELEMENTS, in document order:
# trafilatura's time grows faster than the page (80,000 paragraphs took 40 s, and Ctrl-C waited for it).
MAX_ELEMENTS = 20_000
# Above this many a page is read without trafilatura's fallback extractors (readability and jusText).
FAST_ELEMENTS = 10_000
# Attribute names and values in all: beyond it the attributes of the elements that do not fit are dropped (a class
# attribute costs trafilatura's XPath rules some 2.5 µs a character: 9 MB of them took 24 s).
MAX_ATTRIBUTE_CHARS = 1_000_000
# Attributes of one element: libxml2's parser (and lxml's attrib.items()) take time quadratic in them (80,000 took
# 10 s to parse, 29 s to list), so a start tag with more loses them all before the page is parsed (real pages: 38).
MAX_ELEMENT_ATTRIBUTES = 100
# jusText, trafilatura's last fallback, walks from each short paragraph to the nearest long or linked one: a run of
# n short paragraphs costs n² steps (20,000 took 28 s, 2,000 about a second). Above this sum of squared runs, the
# fallbacks are not run.
JUSTEXT_BUDGET = 2_000_000

# how jusText (justext.core) cuts a page into paragraphs, and what it calls short
_PARAGRAPH_TAGS = frozenset(
    ("body", "blockquote", "caption", "center", "col", "colgroup", "dd", "div", "dl", "dt", "fieldset", "form",
     "legend", "optgroup", "option", "p", "pre", "table", "td", "textarea", "tfoot", "th", "thead", "tr", "ul", "li",
     "h1", "h2", "h3", "h4", "h5", "h6")
)  # fmt: skip
_SHORT_PARAGRAPH = 70


# The page as the parser reads it, once (possessive, so that no character is read twice): comments, the raw text of
# script-like elements (where < starts no tag), and start tags with their quoted values read whole (a quote after =
# opens one; it may hold < and >, and an unclosed one runs to the end of the page, as it does for the parser).
_TAG = r"""<[A-Za-z](?:[^>=]++|=\s*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))?+)*+"""
_TOKENS = re.compile(
    r"<!--(?:[^-]++|-(?!->))*+"
    rf"|(?P<open>(?=<(?P<raw>script|style|textarea|title|xmp|iframe|noembed|noframes)\b){_TAG})"
    r"(?:>(?:[^<]++|<(?!/(?P=raw)\b))*+)?"
    rf"|(?P<tag>{_TAG})",
    re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_QUOTED = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")
_ATTRIBUTE = re.compile(r"""[^\s>/=]+(?:\s*=\s*(?:''|[^\s>]*))?""")  # a="1"b="2": two


def tame_tags(html: str) -> tuple[str, int]:
    """The page without the attributes of start tags that have more than MAX_ELEMENT_ATTRIBUTES (in linear time,
    before parsing), and how many tags lost theirs."""
    pieces: list[str] = []
    kept = 0
    shortest = 2 * MAX_ELEMENT_ATTRIBUTES  # a tag with more attributes is longer than this
    for match in _TOKENS.finditer(html):
        if match.end() - match.start() <= shortest:
            continue
        start, end = match.span("tag") if match.group("tag") is not None else match.span("open")
        if end - start <= shortest:  # a comment, raw text, or a tag too short
            continue
        tag = html[start:end]
        name = _TAG_NAME.match(tag)
        if name is None or len(_ATTRIBUTE.findall(_QUOTED.sub("=''", tag[name.end() :]))) <= MAX_ELEMENT_ATTRIBUTES:
            continue
        pieces += [html[kept:start], name.group()]
        kept = end
    if not pieces:
        return html, 0
    return "".join([*pieces, html[kept:]]), len(pieces) // 2


def xml_safe(html: str) -> str:
    """The page without the characters lxml refuses."""
    if _XML_INCOMPATIBLE.search(html) is None:
        return html
    return _XML_INCOMPATIBLE.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", html)


@dataclass
class Bounds:
    """What bounding a page's tree did to it."""

    elements: int = 0  # the page's elements before any cut
    changed: bool = False  # the tree was cut or lost attributes: the page's HTML must be written anew from it
    fast: bool = False  # trafilatura is to run without its fallback extractors
    notes: list[str] = field(default_factory=list)


def bound(tree: Any, size: int, tamed: int = 0) -> Bounds:
    """Bring a parsed page within the bounds above, in place, in linear time; what was done, with notes. `size`: the
    page's length in characters; `tamed`: start tags tame_tags took the attributes of."""
    result = Bounds(elements=cut(tree, MAX_ELEMENTS))
    if result.elements > MAX_ELEMENTS:
        result.changed = True
        result.notes.append(f"the page has {result.elements:,} elements: only its first {MAX_ELEMENTS:,} were read")
    # a page shorter than the budget has fewer characters of attributes (tame_tags took the crowded tags already)
    dropped = drop_attributes(tree, MAX_ATTRIBUTE_CHARS) if size > MAX_ATTRIBUTE_CHARS else 0
    if dropped:
        result.changed = True
    if dropped or tamed:
        result.notes.append(
            f"the attributes of {dropped + tamed:,} element(s) were not read: more than {MAX_ELEMENT_ATTRIBUTES:,} on"
            f" one element, or more than {MAX_ATTRIBUTE_CHARS:,} characters of them on the page"
        )
    if result.elements > FAST_ELEMENTS:
        result.fast = True
        reason = f"{min(result.elements, MAX_ELEMENTS):,} elements"
    elif min(result.elements, MAX_ELEMENTS) ** 2 > JUSTEXT_BUDGET and short_runs_cost(tree) > JUSTEXT_BUDGET:
        result.fast = True
        reason = "long runs of short blocks"
    if result.fast:
        result.notes.append(f"read without trafilatura's fallback extractors (readability, jusText): {reason}")
    return result


def cut(tree: Any, limit: int) -> int:
    """Cut the tree after its first `limit` elements in document order (in place, in linear time); the number of
    elements it had."""
    count = 0
    first_cut = None
    for element in tree.iter():
        count += 1
        if count == limit + 1:
            first_cut = element
    node = first_cut
    while node is not None:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        if node is first_cut:
            parent.remove(node)
        node = parent
    return count


def drop_attributes(tree: Any, budget: int) -> int:
    """Clear the attributes of every element whose attributes no longer fit in `budget` characters (names and
    values, in document order); how many elements lost theirs."""
    used = dropped = 0
    for element in tree.iter():
        attributes = element.attrib
        if not attributes:
            continue
        if len(attributes) > MAX_ELEMENT_ATTRIBUTES:  # lxml lists attributes in quadratic time
            attributes.clear()
            dropped += 1
            continue
        size = sum(len(name) + len(value) for name, value in attributes.items())
        if used + size > budget:
            attributes.clear()
            dropped += 1
        else:
            used += size
    return dropped


def short_runs_cost(tree: Any) -> int:
    """The sum of squared lengths of the runs of short paragraphs without links, cutting the page into paragraphs as
    jusText does: what its context pass costs."""
    from lxml import etree

    cost = run = length = links = 0
    linked = br = False

    def close() -> None:
        nonlocal cost, run, length, linked
        if length:
            if length < _SHORT_PARAGRAPH and not linked:
                run += 1
            else:
                cost += run * run
                run = 0
        length, linked = 0, False

    def text(value: str | None) -> None:
        nonlocal length, linked, br
        if value and not value.isspace():
            length += len(value.strip())
            linked = linked or links > 0
            br = False

    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None  # None: a comment or processing instruction
        if event == "start":
            if tag in _PARAGRAPH_TAGS or (tag == "br" and br):
                close()
            elif tag is not None:
                br = tag == "br"
                links += tag == "a"
            if tag is not None:
                text(element.text)
        else:
            if tag in _PARAGRAPH_TAGS:
                close()
            elif tag == "a":
                links -= 1
            text(element.tail)
    close()
    return cost + run * run
