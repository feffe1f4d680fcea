"""What the extraction modules share: compiled patterns, node text, whitespace folding."""

from __future__ import annotations

import functools
import re
from typing import Any


@functools.cache
def _compiled(pattern: str, flags: int = re.MULTILINE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _text(node: Any) -> str:
    return " ".join(node.text_content().split()) if hasattr(node, "text_content") else ""


def _fold_space(text: str) -> str:
    return "".join(text.split())
