"""A small schema language over ruamel.yaml round-trip nodes, which know their line and column.

Each check validates one value, reports every problem as `file:line:col where: problem` and returns the value
(converted) or BAD; mappings and lists check all their items, so one pass finds every problem of a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import SourcesError

if TYPE_CHECKING:
    from ruamel.yaml.composer import Composer

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


# Limits on a YAML file (a registry or an event file) before and while it is read: a hand-written file is far
# below each, and beyond them ruamel's pure-Python reader takes minutes and gigabytes (a 361-byte alias bomb) or
# overflows the stack (1,000 nested brackets).
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 50  # nested mappings and lists (the bundled registry nests 5 deep)
MAX_YAML_NODES = 100_000  # values in all (the bundled registry has 2,872; ruamel reads some 20,000 a second)
MAX_YAML_ALIASES = 100  # *alias references (newscov's own files use none)
MAX_ALIAS_NODES = 10_000  # values that aliases may add to the document when they are expanded

# what can hold a flow bracket that is not one: quoted scalars and comments (a cheap, linear approximation of YAML's
# own reading, used only to refuse a file that opens more than MAX_YAML_DEPTH flow collections)
_FLOW_TOKENS = re.compile(r"""'(?:[^'\n]|'')*'|"(?:[^"\\\n]|\\.)*"|(?:^|(?<=\s))#[^\n]*|[\[\]{}]""", re.MULTILINE)


class _Refused(Exception):
    """A YAML file beyond one of the limits: where, and what."""

    def __init__(self, line: int, column: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.column, self.problem = line, column, problem


def _flow_depth(text: str) -> None:
    """Refuse more than MAX_YAML_DEPTH nested flow collections ([[[[...) before ruamel reads them: its scanner is
    quadratic in flow depth (1,000 brackets take seconds) and its composer recursive."""
    if text.count("[") + text.count("{") <= MAX_YAML_DEPTH:
        return
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                at = match.start()
                line = text.count("\n", 0, at)
                raise _Refused(line, at - text.rfind("\n", 0, at) - 1, _too_deep())
        elif token in ("]", "}"):
            depth = max(0, depth - 1)


def _too_deep() -> str:
    return f"nested deeper than {MAX_YAML_DEPTH} levels: newscov reads no YAML nested this deep"


def _guarded_composer() -> type[Composer]:
    """ruamel's composer, counting nesting depth and aliases as it goes (linear, refusing at the first excess)."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class GuardedComposer(Composer):
        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader)
            self.guard_depth = 0
            self.nodes = 0
            self.aliases: list[tuple[Any, Any]] = []  # (alias event, the node it refers to)

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            if isinstance(event, AliasEvent):
                node = super().compose_node(parent, index)
                self.aliases.append((event, node))
                if len(self.aliases) > MAX_YAML_ALIASES:
                    raise _Refused(
                        event.start_mark.line,
                        event.start_mark.column,
                        f"more than {MAX_YAML_ALIASES} aliases (*name): newscov reads no YAML with this many",
                    )
                return node
            self.guard_depth += 1
            self.nodes += 1
            if self.guard_depth > MAX_YAML_DEPTH:
                raise _Refused(event.start_mark.line, event.start_mark.column, _too_deep())
            if self.nodes > MAX_YAML_NODES:
                raise _Refused(
                    event.start_mark.line,
                    event.start_mark.column,
                    f"more than {MAX_YAML_NODES:,} values: newscov reads no YAML file this large",
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.guard_depth -= 1

        def get_single_node(self) -> Any:
            root = super().get_single_node()
            if self.aliases and root is not None:
                _check_expansion(root, self.aliases)
            return root

    return GuardedComposer


def _children(node: Any) -> list[Any]:
    value = node.value
    if isinstance(value, list):
        return [part for item in value for part in (item if isinstance(item, tuple) else (item,))]
    return []


def _check_expansion(root: Any, aliases: list[tuple[Any, Any]]) -> None:
    """Refuse aliases that refer to themselves or expand the document by more than MAX_ALIAS_NODES values (a
    billion-laughs file: each level repeating the one before). Each distinct node is visited once (iteratively):
    its expanded size is one plus its children's."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    distinct = 0
    budget = MAX_ALIAS_NODES
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if key in size:
            continue
        if key in open_:
            event = next((e for e, n in aliases if n is node), aliases[0][0])
            raise _Refused(
                event.start_mark.line,
                event.start_mark.column,
                f"the alias *{event.anchor} refers to a value that contains it: newscov reads no recursive YAML",
            )
        open_.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
    if size[id(root)] > distinct + budget:
        event, _ = max(aliases, key=lambda pair: size.get(id(pair[1]), 0))
        raise _Refused(
            event.start_mark.line,
            event.start_mark.column,
            f"the aliases (*{event.anchor} and others) expand to more than {budget:,} values: "
            "newscov reads no YAML that repeats itself this much",
        )


def read_yaml_text(path: Path) -> str:
    """A YAML file's text, reading no more than MAX_YAML_BYTES + 1 bytes of it (a larger file, or /dev/zero, is then
    refused by load_yaml); OSError and UnicodeDecodeError as Path.read_text raises them."""
    with path.open("rb") as handle:
        data = handle.read(MAX_YAML_BYTES + 1)
    # a file cut at the limit may end inside a character: it is refused for its size, not for that
    return data.decode("utf-8", "replace" if len(data) > MAX_YAML_BYTES else "strict")


def load_yaml(text: str, path: str, error: type[Exception] = SourcesError) -> Any:
    """Parse YAML 1.2 with positions; a syntax error becomes one `path:line:col not valid YAML: ...` error, and a
    file beyond the limits (MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, MAX_YAML_ALIASES, MAX_ALIAS_NODES) one
    `path:line:col refused: ...` error, before it costs more than linear time (MAX_YAML_NODES bounds that time)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        if len(text) > MAX_YAML_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
            raise _Refused(0, 0, "the file is larger than 2 MiB: newscov reads no YAML file this large")
        _flow_depth(text)
        yaml = YAML(typ="rt")
        yaml.Composer = _guarded_composer()
        return yaml.load(text)
    except _Refused as exc:
        raise error(f"{path}:{exc.line + 1}:{exc.column + 1} refused: {exc.problem}") from None
    except RecursionError:  # a nesting the limits above did not foresee
        raise error(f"{path}:1:1 refused: {_too_deep()}") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}:{line} not valid YAML: {problem}") from None
