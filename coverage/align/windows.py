"""Candidate windows of a text for the cross-language aligner: clauses, and runs of two or three of them.

A clause ends at a comma, a full stop, a colon, a semicolon, a quote mark or a line break (Chinese or Latin
punctuation); a window never crosses a paragraph. Each clause remembers whether it sits inside quote marks and
which sentence holds it, for the structure signals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CLAUSES = 3  # a window spans at most this many clauses
MAX_WINDOW_CHARS = 400  # and at most this many characters
MAX_CLAUSE_CHARS = 200  # a longer stretch without punctuation is cut into pieces of this size
CHUNK_CHARS = 6_000  # a long text is aligned in chunks of about this size, cut at paragraphs (linear work)

# a space between two Han characters separates the parts of a Chinese headline ("…前所未有地好 同意建海巡熱線")
_BREAK = re.compile(
    r"[，,。；;：:！!？?\n「」『』“”\"（）()—]|(?<=[a-z0-9])\.(?=\s|$)|\s[-–]\s"
    r"|(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]|(?<=[a-z0-9\"”])\.(?=\s|$)")
_OPENERS = {"「": "」", "『": "』", "“": "”"}
_CLOSERS = set(_OPENERS.values())


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    paragraph: int
    sentence: int
    quoted: bool


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int
    first: int  # clause indices, inclusive
    last: int


def _quote_depths(text: str) -> list[int]:
    """For each character, how many quote pairs are open there (straight double quotes toggle)."""
    depth, straight = 0, False
    depths = []
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char == '"':
            straight = not straight
        elif char == "\n":
            depth, straight = 0, False
        depths.append(depth + straight)
    return depths


def clauses(text: str, min_chars: int = 2) -> list[Clause]:
    """The clauses of `text` with their spans (stripped of spaces); pieces shorter than `min_chars` are dropped."""
    depths = _quote_depths(text)
    out: list[Clause] = []
    paragraph = sentence = 0
    position = 0
    for found in [*_BREAK.finditer(text), None]:
        end = found.start() if found else len(text)
        start = position
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        for piece in range(start, stop, MAX_CLAUSE_CHARS):
            piece_end = min(stop, piece + MAX_CLAUSE_CHARS)
            if piece_end - piece >= min_chars:
                out.append(Clause(piece, piece_end, paragraph, sentence, depths[piece] > 0))
        if found:
            position = found.end()
            mark = found.group()
            if mark == "\n":
                paragraph += 1
                sentence += 1
            elif _SENTENCE_END.fullmatch(mark) or (mark == "." and found.end() < len(text)):
                sentence += 1
    return out


def windows(items: list[Clause], max_clauses: int = MAX_CLAUSES) -> list[Window]:
    """Every run of 1..max_clauses consecutive clauses within one paragraph."""
    out = []
    for i, first in enumerate(items):
        for j in range(i, min(len(items), i + max_clauses)):
            last = items[j]
            if last.paragraph != first.paragraph or last.end - first.start > MAX_WINDOW_CHARS:
                break
            out.append(Window(first.start, last.end, i, j))
    return out


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, text) pieces of about `size` characters, cut after a line break where there is one."""
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        out.append((start, text[start:end]))
        start = end
    return out
