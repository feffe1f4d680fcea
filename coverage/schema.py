"""A small schema language over ruamel.yaml round-trip nodes, which know their line and column.

Each check validates one value, reports every problem as `file:line:col where: problem` and returns the value
(converted) or BAD; mappings and lists check all their items, so one pass finds every problem of a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import SourcesError

Position = tuple[int, int]
BAD = object()


@dataclass
class Problems:
    path: str
    items: list[str] = field(default_factory=list)

    def add(self, position: Position | None, where: str, problem: str) -> None:
        line, col = position if position else (0, 0)
        self.items.append(f"{self.path}:{line + 1}:{col + 1} {where}: {problem}")


def key_position(node: Any, key: Any) -> Position | None:
    try:
        line, col = node.lc.key(key)
        return int(line), int(col)
    except (AttributeError, KeyError, TypeError):
        return None


def value_position(node: Any, key: Any) -> Position | None:
    try:
        line, col = node.lc.value(key)
        return int(line), int(col)
    except (AttributeError, KeyError, TypeError):
        return key_position(node, key)


def item_position(node: Any, index: int) -> Position | None:
    try:
        line, col = node.lc.item(index)
        return int(line), int(col)
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def node_position(node: Any) -> Position | None:
    try:
        return int(node.lc.line), int(node.lc.col)
    except AttributeError:
        return None


Check = Callable[[Any, str, Position | None, Problems], Any]


def string(test: Callable[[str], str | None] | None = None) -> Check:
    """A non-empty string, optionally checked by `test`, which returns a problem or None."""

    def check(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
        if not isinstance(value, str) or not value.strip():
            problems.add(pos, where, f"must be a non-empty string, got {value!r}")
            return BAD
        problem = test(value) if test else None
        if problem:
            problems.add(pos, where, problem)
            return BAD
        return value

    return check


def choice(options: Iterable[str]) -> Check:
    allowed = tuple(options)
    return string(lambda v: None if v in allowed else f"{v!r} is not one of {', '.join(allowed)}")


def regex(*groups: str, numbered: int = 0) -> Check:
    def test(value: str) -> str | None:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            return f"not a valid regular expression: {exc}"
        missing = [g for g in groups if g not in compiled.groupindex]
        if missing:
            return f"the regular expression needs the named group(s) {', '.join(f'(?P<{g}>...)' for g in missing)}"
        if compiled.groups < numbered:
            return f"the regular expression needs {numbered} capture group(s)"
        return None

    return string(test)


def http_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{value!r} is not an absolute http(s) URL"
    return None


def xpath(value: str) -> str | None:
    from lxml import etree

    try:
        etree.XPath(value)
    except etree.XPathSyntaxError as exc:
        return f"not a valid XPath expression: {exc}"
    return None


def timezone(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{value!r} is not an IANA time zone such as Asia/Taipei"
    return None


def number(minimum: float) -> Check:
    def check(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            problems.add(pos, where, f"must be a number >= {minimum:g}, got {value!r}")
            return BAD
        return float(value)

    return check


def boolean(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    if not isinstance(value, bool):
        problems.add(pos, where, f"must be true or false, got {value!r}")
        return BAD
    return value


def integer(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(pos, where, f"must be a whole number, got {value!r}")
        return BAD
    return value


def list_of(item: Check, one_or_many: bool = False) -> Check:
    def check(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
        if one_or_many and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            problems.add(pos, where, f"must be a list, got {value!r}")
            return BAD
        results = [item(v, f"{where}[{i}]", item_position(value, i) or pos, problems) for i, v in enumerate(value)]
        return BAD if any(r is BAD for r in results) else tuple(results)

    return check


# documentation keys allowed in every mapping: where a value was seen and whether it was checked live
NOTE_KEYS: dict[str, Check] = {"src": string(), "verified": boolean, "note": string()}


def mapping(fields: dict[str, Check], required: Iterable[str] = ()) -> Check:
    allowed = {**fields, **NOTE_KEYS}
    needed = tuple(required)

    def check(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
        if not isinstance(value, dict):
            problems.add(pos, where, f"must be a mapping, got {value!r}")
            return BAD
        result: dict[str, Any] = {}
        bad = False
        for key, item in value.items():
            spec = allowed.get(str(key))
            if spec is None:
                near = ", ".join(sorted(fields))
                problems.add(key_position(value, key), f"{where}.{key}", f"unknown field (known: {near})")
                bad = True
                continue
            checked = spec(item, f"{where}.{key}", value_position(value, key), problems)
            bad |= checked is BAD
            result[str(key)] = checked
        for key in needed:
            if key not in value:
                problems.add(node_position(value) or pos, f"{where}.{key}", "is required")
                bad = True
        return BAD if bad else result

    return check


def load_yaml(text: str, path: str, error: type[Exception] = SourcesError) -> Any:
    """Parse YAML 1.2 with positions; a syntax error becomes one `path:line:col not valid YAML: ...` error."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}:{line} not valid YAML: {problem}") from None
