"""Text folding for comparison (NFKC, Traditional/Simplified, case, punctuation, spacing) and display cleaning.

Folding is for comparison only: every folded character keeps the offset of the original character it came
from, so a match found in folded text is always shown in the outlet's own words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# Characters that are neither Han nor Latin word characters but that one script writes where the other
# writes a space; folding removes whitespace next to them.
_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)


def is_han(char: str) -> bool:
    """True for a CJK unified ideograph (any extension block)."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


def is_word(char: str) -> bool:
    # a Latin/Greek/Cyrillic letter or a digit: a space between two of these separates words
    return char.isalnum() and ord(char) < 0x2E80


@functools.cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _convert(config: str, text: str) -> str:
    # OpenCC encodes to UTF-8, which a lone surrogate (from JSON "\\ud800" or an undecodable argv byte) cannot
    # be: it becomes U+FFFD, one character for one, so folded offsets stay 1:1
    return str(_opencc(config).convert(_SURROGATE.sub("\ufffd", text)))


def to_simplified(text: str) -> str:
    """OpenCC t2s: Traditional characters (and variants such as 臺/裡/裏) to Simplified."""
    return _convert("t2s", text)


def to_traditional(text: str) -> str:
    """OpenCC s2t: Simplified characters to Traditional."""
    return _convert("s2t", text)


def _t2s_same_length(text: str) -> str:
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    # a phrase-level rule changed the length: convert character by character so offsets stay 1:1
    return "".join(to_simplified(char) if len(to_simplified(char)) == 1 else char for char in text)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the offset of the original character it came from."""

    text: str
    origin: tuple[int, ...]

    def span_to_original(self, start: int, end: int, original_length: int) -> tuple[int, int]:
        """Map a half-open span of folded text back to a half-open span of the original text."""
        if start >= end:
            position = self.origin[start] if start < len(self.origin) else original_length
            return position, position
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """Fold text for comparison.

    NFKC (full-width to half-width), Traditional to Simplified (both sides of a comparison are folded, so
    either script matches the other), case-folding, every punctuation mark (all quote-mark families
    included) removed, whitespace removed except one space between two Latin words.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normal = unicodedata.normalize("NFKC", char) if ord(char) > 0x7F else char
        for piece in normal:
            chars.append(piece)
            origin.append(index)
    simplified = _t2s_same_length("".join(chars))

    out: list[str] = []
    out_origin: list[int] = []
    space_at: int | None = None
    for char, index in zip(simplified, origin, strict=True):
        if char.isspace():
            if space_at is None:
                space_at = index
            continue
        if unicodedata.category(char).startswith("P"):
            # punctuation separates Latin words like a space does ("said,then" -> "said then")
            if space_at is None:
                space_at = index
            continue
        for piece in char.casefold():
            if space_at is not None and out and is_word(out[-1]) and is_word(piece):
                out.append(" ")
                out_origin.append(space_at)
            space_at = None
            out.append(piece)
            out_origin.append(index)
    return Folded("".join(out), tuple(out_origin))


@functools.cache
def alias_table(aliases: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    table: dict[str, str] = {}
    for spellings in aliases:
        folded = [fold(s).text for s in spellings]
        canonical = next((f for f in folded if f), "")
        for variant in folded:
            if variant and variant != canonical:
                table.setdefault(variant, canonical)
    if not table:
        return None
    parts = []
    for variant in sorted(table, key=len, reverse=True):  # longest first: 赫格塞斯 before 赫塞斯
        piece = re.escape(variant)
        # a Latin spelling must stand as a word ("voss" is not in "vossberg")
        parts.append(rf"(?<![a-z0-9]){piece}(?![a-z0-9])" if variant.isascii() else piece)
    return re.compile("|".join(parts)), table


def apply_aliases(folded: Folded, aliases: tuple[tuple[str, ...], ...]) -> Folded:
    """Replace every spelling of a name by the first spelling of its set (赫格塞斯, Hegseth -> 赫塞斯).

    Offsets still lead back to the original text: the replacement maps onto the whole replaced name.
    """
    compiled = alias_table(aliases) if aliases else None
    if compiled is None:
        return folded
    pattern, table = compiled
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for found in pattern.finditer(folded.text):
        out.append(folded.text[position : found.start()])
        origin.extend(folded.origin[position : found.start()])
        replacement = table[found.group()]
        first, last = folded.origin[found.start()], folded.origin[found.end() - 1]
        out.append(replacement)
        origin.extend([first] * (len(replacement) - 1) + [last])
        position = found.end()
    out.append(folded.text[position:])
    origin.extend(folded.origin[position:])
    text = "".join(out)
    # a space survives only between two Latin words, as in fold(): "hegseth later" -> "赫塞斯later"
    keep = [
        i
        for i, char in enumerate(text)
        if char != " " or (0 < i < len(text) - 1 and is_word(text[i - 1]) and is_word(text[i + 1]))
    ]
    return Folded("".join(text[i] for i in keep), tuple(origin[i] for i in keep))


def fold_text(text: str) -> str:
    """The folded string alone (for keys and comparisons that need no offsets)."""
    return fold(text).text


_HAN = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _HAN_RANGES) + "]")
_LATIN = re.compile(r"[A-Za-z]")


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30fa]")  # hiragana, katakana (not ・ or ー, which Chinese uses)


def detect_script(text: str) -> tuple[str | None, str | None]:
    """Guess (language, script) of an article: ("zh", "zh-Hant"|"zh-Hans"), ("ja", "ja"), ("en", "en") or
    (None, None).

    Kana make it Japanese; Han against Latin letters decides between Chinese and English; for Chinese,
    Traditional wins when OpenCC t2s changes more characters than s2t does (a cheap and, on news text,
    reliable heuristic).
    """
    sample = text[:4000]
    han = han_count(sample)
    kana = len(_KANA.findall(sample))
    if kana >= 3 and kana * 3 >= han:  # Japanese prose is 40-60% kana; a Chinese page may carry a few
        return "ja", "ja"
    latin = len(_LATIN.findall(sample))
    if han == 0 and latin == 0:
        return None, None
    if han * 2 < latin:  # a Han character carries about as much as a two-to-three-letter word
        return "en", "en"
    han_only = "".join(_HAN.findall(sample))
    traditional = sum(a != b for a, b in zip(han_only, to_simplified(han_only), strict=False))
    simplified = sum(a != b for a, b in zip(han_only, to_traditional(han_only), strict=False))
    if traditional == simplified:
        return "zh", None
    return "zh", "zh-Hant" if traditional > simplified else "zh-Hans"


# ANSI/VT escape sequences (CSI, OSC, single-character escapes) and the control characters terminals act on.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
# C0 (but tab and newline) and C1 controls, DEL, and the bidi controls that reorder what is shown (LRM, RLM, ALM,
# LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI): a name with an RLO in it reads backwards, hiding what follows it
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone halves (from JSON "\\ud800"): no encoder can write them


def clean_display(text: str) -> str:
    """Make untrusted text safe to print: drop terminal escape sequences, control and bidi-control characters; a
    lone surrogate becomes U+FFFD (it could not be written out at all).

    Rich markup is not handled here; renderers pass untrusted text as `rich.text.Text`, never as markup.
    """
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", _ESCAPES.sub("", text)))


_WHITESPACE = re.compile(r"\s+")


def flat(text: str) -> str:
    """Display text on one line with its edges kept: cleaned, each whitespace run one space (diff pieces begin and
    end with the spaces between words)."""
    return _WHITESPACE.sub(" ", clean_display(text))


def one_line(text: str) -> str:
    """Display text on one line: cleaned, whitespace runs collapsed."""
    return " ".join(clean_display(text).split())
