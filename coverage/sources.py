"""The outlet registry: sources.yaml -> Outlet records, strictly validated, and URL -> outlet attribution."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SourcesError
from .models import Outlet

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LANGUAGES = {"zh", "en"}
_SCRIPTS = {"zh-Hant", "zh-Hans", "en"}
_FIELDS = {
    "id": str,
    "name": str,
    "native_name": str,
    "language": str,
    "script": str,
    "country": str,
    "domains": list,
    "homepage": str,
    "notes": str,
}
_REQUIRED = ("id", "name", "domains")


def default_sources_path() -> Path:
    """The registry shipped with newscov: inside the installed package, or at the root of a source checkout."""
    packaged = Path(str(resources.files("coverage"))) / "sources.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "sources.yaml"


@dataclass
class _Problems:
    path: str
    items: list[str] = field(default_factory=list)

    def add(self, position: tuple[int, int] | None, where: str, problem: str) -> None:
        line, col = position if position else (0, 0)
        self.items.append(f"{self.path}:{line + 1}:{col + 1} {where}: {problem}")


def _key_position(node: Any, key: str) -> tuple[int, int] | None:
    try:
        line, col = node.lc.key(key)
        return int(line), int(col)
    except (AttributeError, KeyError, TypeError):
        return None


def _node_position(node: Any) -> tuple[int, int] | None:
    try:
        return int(node.lc.line), int(node.lc.col)
    except AttributeError:
        return None


def _check_outlet(entry: Any, index: int, problems: _Problems) -> Outlet | None:
    where = f"outlets[{index}]"
    if not isinstance(entry, dict):
        problems.add(_node_position(entry), where, "must be a mapping with id, name and domains")
        return None
    ident = entry.get("id")
    if isinstance(ident, str):
        where = f"outlets[{index}] ({ident})"
    ok = True
    for key, value in entry.items():
        expected = _FIELDS.get(str(key))
        if expected is None:
            known = ", ".join(sorted(_FIELDS))
            problems.add(_key_position(entry, key), f"{where}.{key}", f"unknown field (known: {known})")
            ok = False
        elif not isinstance(value, expected):
            kind = "a list" if expected is list else "a string"
            problems.add(_key_position(entry, key), f"{where}.{key}", f"must be {kind}, got {value!r}")
            ok = False
    for key in _REQUIRED:
        if key not in entry:
            problems.add(_node_position(entry), f"{where}.{key}", "is required")
            ok = False
    if not ok:
        return None
    ident = str(ident)
    if not _ID.match(ident):
        problems.add(_key_position(entry, "id"), f"{where}.id", "use lower-case letters, digits, - and _")
        ok = False
    if entry.get("language") and entry["language"] not in _LANGUAGES:
        problems.add(_key_position(entry, "language"), f"{where}.language", f"one of {sorted(_LANGUAGES)}")
        ok = False
    if entry.get("script") and entry["script"] not in _SCRIPTS:
        problems.add(_key_position(entry, "script"), f"{where}.script", f"one of {sorted(_SCRIPTS)}")
        ok = False
    domains = entry["domains"]
    for position, domain in enumerate(domains):
        if not isinstance(domain, str) or not _DOMAIN.match(domain):
            try:
                line, col = domains.lc.item(position)
                pos: tuple[int, int] | None = (int(line), int(col))
            except AttributeError:
                pos = None
            problems.add(pos, f"{where}.domains[{position}]", f"{domain!r} is not a host name like news.example.com")
            ok = False
    if not ok:
        return None
    return Outlet(
        id=ident,
        name=entry["name"],
        native_name=entry.get("native_name"),
        language=entry.get("language"),
        script=entry.get("script"),
        country=entry.get("country"),
        domains=tuple(d.lower() for d in domains),
        homepage=entry.get("homepage"),
        notes=entry.get("notes"),
    )


def parse_sources(text: str, path: str = "sources.yaml") -> list[Outlet]:
    """Parse and validate registry text; raise SourcesError listing every problem, one per line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourcesError(f"{path}:{line} not valid YAML: {problem}") from None
    problems = _Problems(path)
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise SourcesError(f"{path}:1:1 outlets: the file must hold a mapping with an 'outlets' list")
    for key in data:
        if key not in ("version", "outlets"):
            problems.add(_key_position(data, key), str(key), "unknown top-level key (expected version, outlets)")
    outlets = [o for i, e in enumerate(data["outlets"]) if (o := _check_outlet(e, i, problems))]
    seen_ids: dict[str, int] = {}
    seen_domains: dict[str, str] = {}
    for index, (entry, outlet) in enumerate(_entries_with_outlets(data["outlets"], outlets)):
        if outlet.id in seen_ids:
            problems.add(_key_position(entry, "id"), f"outlets[{index}].id", f"duplicate id {outlet.id!r}")
        seen_ids[outlet.id] = index
        for domain in outlet.domains:
            other = seen_domains.setdefault(domain, outlet.id)
            if other != outlet.id:
                problems.add(
                    _key_position(entry, "domains"),
                    f"outlets[{index}].domains",
                    f"{domain!r} is already listed by outlet {other!r}",
                )
    if problems.items:
        raise SourcesError("\n".join(problems.items))
    return outlets


def _entries_with_outlets(entries: list[Any], outlets: list[Outlet]) -> Iterator[tuple[Any, Outlet]]:
    by_id = {o.id: o for o in outlets}
    for entry in entries:
        if isinstance(entry, dict) and entry.get("id") in by_id:
            yield entry, by_id[entry["id"]]


def host_of(url: str) -> str:
    """Lower-case host name of a URL, without a port."""
    return (urlsplit(url).hostname or "").lower()


def _outlet_id_for_host(host: str) -> str:
    host = host.removeprefix("www.").removeprefix("m.")
    return re.sub(r"[^a-z0-9_-]+", "-", host).strip("-") or "unknown"


class Registry:
    """Outlets by id, and the lookup from a URL's host to its outlet."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self._by_id: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in outlets:
            self.add(outlet)

    def add(self, outlet: Outlet) -> None:
        self._by_id[outlet.id] = outlet
        for domain in outlet.domains:
            self._by_domain[domain] = outlet

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, outlet_id: str) -> Outlet | None:
        return self._by_id.get(outlet_id)

    def for_host(self, host: str) -> Outlet | None:
        """The outlet owning `host` or its closest registered parent domain (m.udn.com -> udn.com)."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet:
                return outlet
        return None

    def for_url(self, url: str) -> Outlet:
        """The registry outlet of a URL, or a new unknown outlet named after its host."""
        host = host_of(url)
        known = self.for_host(host)
        if known:
            return known
        outlet_id = _outlet_id_for_host(host)
        return self._by_id.get(outlet_id) or Outlet(
            id=outlet_id, name=host.removeprefix("www."), domains=(host,), known=False
        )

    def for_label(self, label: str) -> Outlet:
        """The outlet with this id, or a new unknown outlet named by the label."""
        return self._by_id.get(label) or Outlet(id=label, name=label, known=False)


def load_sources(path: str | Path | None = None) -> Registry:
    """Load a registry file (default: the one shipped with newscov)."""
    file = Path(path) if path else default_sources_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{file}: no such registry file; check the --sources path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{file}: cannot read the registry ({exc})") from None
    return Registry(parse_sources(text, str(file)))
