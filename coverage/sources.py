"""The outlet registry: sources.yaml files -> Outlet records, strictly validated; URL -> outlet attribution.

The bundled registry is read first, then the user's own file (`~/.config/newscov/sources.yaml`, or
`$NEWSCOV_SOURCES`), then any `--sources FILE`. A later file adds outlets or overrides only the fields it names
of an outlet with the same id (`extract`, `politeness` and `access` key by key), so a user never has to copy the
bundled entry. Every problem of every file is reported at once as `file:line:col field: problem`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SourcesError
from .models import ExtractHints, Feed, Outlet, SearchTemplate
from .schema import (
    BAD,
    Check,
    Position,
    Problems,
    boolean,
    choice,
    http_url,
    integer,
    item_position,
    key_position,
    list_of,
    load_yaml,
    mapping,
    node_position,
    number,
    read_yaml_text,
    regex,
    string,
    timezone,
    xpath,
)

LANGUAGES = ("zh", "en")
SCRIPTS = ("zh-Hant", "zh-Hans", "en")
KINDS = ("wire", "newspaper", "broadcaster", "public_broadcaster", "online", "portal", "aggregator", "magazine")
# placeholders a search template may use; search templates must use {query}
PLACEHOLDERS = ("query", "page", "page0", "from", "to", "yyyymmdd", "yyyy-mm-dd", "from_yyyymmdd", "to_yyyymmdd")

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_DOMAIN = re.compile(r"^(?P<host>[^/\s]+)(?P<path>/[^\s]*)?$")
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")  # intranet mirrors
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def default_sources_path() -> Path:
    """The registry shipped with newscov: inside the installed package, or at the root of a source checkout."""
    packaged = Path(str(resources.files("coverage"))) / "sources.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "sources.yaml"


def user_sources_path() -> Path:
    """Where a user's own outlets and overrides live: $NEWSCOV_SOURCES, else the user config folder."""
    if os.environ.get("NEWSCOV_SOURCES"):
        return Path(os.environ["NEWSCOV_SOURCES"]).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "newscov" / "sources.yaml"


def _template(*required: str) -> Check:
    def test(value: str) -> str | None:
        names = _PLACEHOLDER.findall(value)
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            return f"unknown placeholder {{{unknown[0]}}} (known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
        missing = [r for r in required if r not in names]
        if missing:
            return f"the template must contain {{{missing[0]}}}"
        if value.count("{") != value.count("}"):
            return "unbalanced { } in the template"
        return http_url(_PLACEHOLDER.sub("x", value))

    return string(test)


def _domain(value: str) -> str | None:
    found = _DOMAIN.match(value)
    if not found or not (_HOST.match(found.group("host")) or _IPV4.match(found.group("host"))):
        return f"{value!r} is not a host name like news.example.com (optionally with a path: bbc.com/zhongwen)"
    return None


def _day(value: Any, where: str, pos: Position | None, problems: Problems) -> Any:
    """A day as YYYY-MM-DD (YAML may already have read it as a date)."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    problems.add(pos, where, f"must be a day as YYYY-MM-DD, got {value!r}")
    return BAD


# how far an entry can be trusted: ok (seen working), stale (evidence it broke or only old use: tried last),
# dead (kept for the record, never requested), unknown (never checked)
ENTRY_STATUSES = ("ok", "stale", "dead", "unknown")
STRATEGIES = ("feeds", "sitemaps", "search")  # an outlet's own discovery strategies
_CHECKED = {"status": choice(ENTRY_STATUSES), "checked": _day, "evidence": string()}
_FEED = mapping({"url": string(http_url), "label": string(), **_CHECKED}, required=["url"])
_SEARCH = mapping(
    {"template": _template("query"), "kind": choice(("html", "json", "rss")), "label": string(), **_CHECKED},
    required=["template"],
)
_EXTRACT = mapping(
    {
        "title_suffix": regex(),
        "byline": list_of(regex("name"), one_or_many=True),
        "dateline": list_of(regex("y", "m", "d"), one_or_many=True),
        "author_xpath": string(xpath),
        "body_xpath": string(xpath),
        "prune_xpath": list_of(string(xpath), one_or_many=True),
        "drop_lines": list_of(regex(), one_or_many=True),
    }
)
_OUTLET_FIELDS: dict[str, Check] = {
    "id": string(lambda v: None if _ID.match(v) else "use lower-case letters, digits, - and _"),
    "name": string(),
    "native_name": string(),
    "language": choice(LANGUAGES),
    "script": list_of(choice(SCRIPTS), one_or_many=True),
    "country": string(lambda v: None if _COUNTRY.match(v) else "a two-letter ISO 3166 code such as TW"),
    "timezone": string(timezone),
    "kind": choice(KINDS),
    "homepage": string(http_url),
    "domains": list_of(string(_domain), one_or_many=True),
    "feeds": list_of(_FEED),
    "sitemaps": list_of(_FEED),
    "search": list_of(_SEARCH),
    "discovery": list_of(choice(STRATEGIES), one_or_many=True),
    "defunct": string(),
    "article_url": mapping({"pattern": regex(), "canonical_id": regex(numbered=1)}),
    "politeness": mapping({"min_interval_s": number(0)}),
    "extract": _EXTRACT,
    "access": mapping({"paywall": string(), "anti_bot": string(), "robots_ai": string()}),
    "disabled": boolean,
    "notes": string(),
}
_NEW_OUTLET_REQUIRED = ("id", "name", "language", "domains")
_MERGED_KEYS = ("extract", "politeness", "access")  # a later file overrides these key by key
_TOP = mapping(
    {
        "version": integer,
        "defaults": mapping({"min_interval_s": number(0), "timezone": string(timezone)}),
        "outlets": list_of(lambda value, *_: value),  # items are checked one by one below (ids decide new vs override)
    },
    required=["outlets"],
)


@dataclass
class _Entry:
    """One outlet's fields as merged so far, with the file and position each value came from."""

    values: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, tuple[str, Position | None]] = field(default_factory=dict)


@dataclass
class _Loaded:
    entries: dict[str, _Entry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _merge_file(text: str, path: str, loaded: _Loaded, problems: Problems) -> None:
    data = load_yaml(text, path)
    if not isinstance(data, dict) or "outlets" not in data:
        problems.add(node_position(data), "outlets", "the file must hold a mapping with an 'outlets' list")
        return
    top = _TOP(data, "file", (0, 0), problems)
    if top is BAD or not isinstance(data["outlets"], list):
        return
    defaults = top.get("defaults") or {}
    for index, raw in enumerate(data["outlets"]):
        pos = item_position(data["outlets"], index)
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"outlets[{index}] ({ident})" if isinstance(ident, str) else f"outlets[{index}]"
        if not isinstance(ident, str):
            problems.add(node_position(raw) or pos, f"{where}.id", "is required")
            continue
        existing = loaded.entries.get(ident)
        required = () if existing and existing.origin["id"][0] != path else _NEW_OUTLET_REQUIRED
        if existing and existing.origin["id"][0] == path:
            problems.add(key_position(raw, "id"), f"{where}.id", f"duplicate id {ident!r}")
            continue
        checked = mapping(_OUTLET_FIELDS, required=required)(raw, where, pos, problems)
        if checked is BAD:
            continue
        entry = existing or _Entry()
        if existing is None:  # a file's defaults apply to the outlets it introduces
            if "min_interval_s" in defaults and "politeness" not in checked:
                checked["politeness"] = {"min_interval_s": defaults["min_interval_s"]}
            if "timezone" in defaults and "timezone" not in checked:
                checked["timezone"] = defaults["timezone"]
        for key, value in checked.items():
            if key in _MERGED_KEYS and isinstance(entry.values.get(key), dict):
                value = {**entry.values[key], **value}
            entry.values[key] = value
            entry.origin[key] = (path, key_position(raw, key))
        loaded.entries[ident] = entry


def _hosts(domain: str) -> tuple[str, str]:
    host, _, path = domain.partition("/")
    return host.lower(), ("/" + path if path else "")


def _check_domains(loaded: _Loaded) -> list[str]:
    owners: dict[str, str] = {}
    items: list[str] = []
    for ident, entry in loaded.entries.items():
        if entry.values.get("disabled"):
            continue
        for domain in entry.values.get("domains", ()):
            key = "".join(_hosts(domain)).rstrip("/")
            other = owners.setdefault(key, ident)
            if other != ident:
                path, pos = entry.origin["domains"]
                line, col = pos or (0, 0)
                items.append(
                    f"{path}:{line + 1}:{col + 1} outlets ({ident}).domains: "
                    f"{domain!r} is already listed by outlet {other!r}"
                )
    return items


def _status(entry: dict[str, Any]) -> str:
    return str(entry.get("status") or ("ok" if entry.get("verified") else "unknown"))


def _feed(entry: dict[str, Any]) -> Feed:
    return Feed(entry["url"], entry.get("label"), bool(entry.get("verified")), _status(entry), entry.get("checked"))


def _outlet(values: dict[str, Any]) -> Outlet:
    extract = values.get("extract") or {}
    article = values.get("article_url") or {}
    politeness = values.get("politeness") or {}
    access = values.get("access") or {}
    return Outlet(
        id=values["id"],
        name=values["name"],
        native_name=values.get("native_name"),
        language=values.get("language"),
        scripts=tuple(values.get("script") or ()),
        country=values.get("country"),
        domains=tuple(d.lower() for d in values.get("domains", ())),
        homepage=values.get("homepage"),
        kind=values.get("kind"),
        timezone=values.get("timezone"),
        feeds=tuple(_feed(f) for f in values.get("feeds", ())),
        sitemaps=tuple(_feed(f) for f in values.get("sitemaps", ())),
        search=tuple(
            SearchTemplate(s["template"], s.get("kind", "html"), bool(s.get("verified")), _status(s), s.get("checked"))
            for s in values.get("search", ())
        ),
        discovery=tuple(values.get("discovery") or STRATEGIES),
        defunct=values.get("defunct"),
        article_pattern=article.get("pattern"),
        canonical_id=article.get("canonical_id"),
        min_interval_s=politeness.get("min_interval_s"),
        hints=ExtractHints(
            title_suffix=extract.get("title_suffix"),
            bylines=tuple(extract.get("byline", ())),
            datelines=tuple(extract.get("dateline", ())),
            author_xpath=extract.get("author_xpath"),
            body_xpath=extract.get("body_xpath"),
            prune_xpath=tuple(extract.get("prune_xpath", ())),
            drop_lines=tuple(extract.get("drop_lines", ())),
        ),
        access=tuple((k, str(v)) for k, v in access.items()),
        notes=values.get("notes"),
    )


def parse_sources(texts: Iterable[tuple[str, str]]) -> tuple[list[Outlet], list[str]]:
    """Validate and merge registry texts given as (text, path) in order; returns outlets and the file list.

    Raises SourcesError with one line per problem, over all files.
    """
    loaded = _Loaded()
    items: list[str] = []
    for text, path in texts:
        problems = Problems(path)
        _merge_file(text, path, loaded, problems)
        items.extend(problems.items)
        loaded.files.append(path)
    items.extend(_check_domains(loaded))
    if items:
        raise SourcesError("\n".join(items))
    outlets = [_outlet(e.values) for e in loaded.entries.values() if not e.values.get("disabled")]
    return outlets, loaded.files


def host_of(url: str) -> str:
    """Lower-case host name of a URL, without a port."""
    return (urlsplit(url).hostname or "").lower()


def label_id(text: str, fallback: str) -> str:
    """An outlet id made from a host or file name: lower-case letters, digits, - and _."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or fallback


def _outlet_id_for_host(host: str) -> str:
    return label_id(host.removeprefix("www.").removeprefix("m."), "unknown")


class Registry:
    """Outlets by id, and the lookup from a URL's host (and path) to its outlet."""

    def __init__(self, outlets: Iterable[Outlet], files: Iterable[str] = ()) -> None:
        self.files = tuple(files)
        self._by_id: dict[str, Outlet] = {}
        self._by_host: dict[str, list[tuple[str, Outlet]]] = {}
        for outlet in outlets:
            self.add(outlet)

    def add(self, outlet: Outlet) -> None:
        self._by_id[outlet.id] = outlet
        for domain in outlet.domains:
            host, path = _hosts(domain)
            entries = self._by_host.setdefault(host, [])
            entries.append((path, outlet))
            entries.sort(key=lambda item: -len(item[0]))  # longest path prefix first

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, outlet_id: str) -> Outlet | None:
        return self._by_id.get(outlet_id)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def for_host(self, host: str, path: str = "/") -> Outlet | None:
        """The outlet owning `host` (or its closest registered parent domain) and `path`."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(1 if _IPV4.match(host) else len(labels) - 1):  # an address has no parent domains
            for prefix, outlet in self._by_host.get(".".join(labels[i:]), ()):
                if not prefix or path.startswith(prefix.rstrip("/") + "/") or path == prefix.rstrip("/"):
                    return outlet
        return None

    def for_url(self, url: str) -> Outlet:
        """The registry outlet of a URL, or a new unknown outlet named after its host."""
        host = host_of(url)
        known = self.for_host(host, urlsplit(url).path or "/")
        if known:
            return known
        outlet_id = _outlet_id_for_host(host)
        return self._by_id.get(outlet_id) or Outlet(
            id=outlet_id, name=host.removeprefix("www."), domains=(host,), known=False
        )

    def for_label(self, label: str) -> Outlet:
        """The outlet with this id, or a new unknown outlet named by the label."""
        return self._by_id.get(label) or Outlet(id=label, name=label, known=False)

    def suggest(self, outlet_id: str) -> list[str]:
        """Registry ids close to a mistyped one."""
        import difflib

        return difflib.get_close_matches(outlet_id, self.ids(), n=3, cutoff=0.5)


def _read(path: Path) -> str:
    try:
        return read_yaml_text(path)  # at most the YAML size limit: a larger file is refused, never read whole
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such registry file; check the --sources path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the registry ({exc})") from None


def load_sources(*paths: str | Path | None, bundled: bool = True, user: bool | None = None) -> Registry:
    """Load the bundled registry, then the user's file (if present), then `paths`, each overriding the last.

    `user` defaults to the same as `bundled`; `load_sources(file, bundled=False)` reads only `file`.
    """
    files: list[Path] = [default_sources_path()] if bundled else []
    user_file = user_sources_path()
    if (bundled if user is None else user) and user_file.is_file():
        files.append(user_file)
    files.extend(Path(p).expanduser() for p in paths if p)
    outlets, names = parse_sources((_read(f), str(f)) for f in files)
    return Registry(outlets, names)
