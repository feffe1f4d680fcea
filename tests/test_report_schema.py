"""The JSON report against its JSON Schema (coverage/report/report.schema.json): real reports validate, and the
schema is strict enough that a key added to (or a type changed in) the JSON without a schema update fails here.

Reports are validated as a reader gets them: report_to_dict() serialised to JSON text and parsed back (the dict
itself holds tuples and StrEnum members, which json.dumps writes as arrays and strings).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from coverage.discover.base import DiscoverySettings
from coverage.event import Event, parse_alias, parse_when
from coverage.fetch import FetchSettings
from coverage.match import default_matchers
from coverage.models import (
    Article,
    DiffOp,
    ExtractHints,
    Failure,
    Feed,
    Match,
    Method,
    Outlet,
    Phrase,
    Piece,
    Report,
    SearchTemplate,
    Status,
    Target,
    Timestamp,
)
from coverage.pipeline import compare
from coverage.report.json import SCHEMA_VERSION, report_to_dict, schema
from coverage.sources import load_sources

from .fakeweb import ALIAS, PHRASE, QUERY_EN, QUERY_ZH, WINDOW, fake_web
from .test_report import HOSTILE

Data = dict[str, Any]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def as_json(report: Report) -> Data:
    """What a script reading the report file gets."""
    data: Data = json.loads(json.dumps(report_to_dict(report), ensure_ascii=False))
    return data


def errors(validator: Draft202012Validator, data: Data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(data)]


# ── the reports ──


@pytest.fixture(scope="module")
def demo(demo_report: Report) -> Report:
    return demo_report


@pytest.fixture(scope="module")
def discovered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    """A compare with discovery over the fake web (tests/fakeweb.py), GDELT answering garbage: found, none
    (off-topic), search failed, a reprint, a near match and an unresolvable Google News headline."""
    folder = tmp_path_factory.mktemp("schema-web")
    with pytest.MonkeyPatch.context() as env, fake_web(folder, gdelt_mode="garbage") as web:
        env.setenv("NEWSCOV_CACHE", str(folder / "pages.sqlite"))
        env.setenv("NEWSCOV_SOURCES", str(folder / "no-user-sources.yaml"))
        now = datetime.now(UTC)
        event = Event(
            title="Voss and Kestrel",
            queries=(QUERY_ZH, QUERY_EN),
            aliases=(parse_alias(ALIAS),),
            start=parse_when(WINDOW[0], now),
            end=parse_when(WINDOW[1], now, end_of_day=True),
        )
        registry = load_sources(web.registry, bundled=False)
        scope = [registry.get(name) for name in ("alpha", "beta", "gamma", "zeta", "theta", "iota", "kappa")]
        yield compare(
            [PHRASE],
            [],
            registry=registry,
            event=event,
            outlets=[o for o in scope if o is not None],
            discovery_settings=DiscoverySettings(
                gnews_url=web.gnews_url, gdelt_url=web.gdelt_url, gdelt_interval_s=0, gnews_interval_s=0
            ),
            matchers=default_matchers(aligner=False),
            fetch_settings=FetchSettings(allow_private=True),  # the fake web is on loopback
        )


def between(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def edge_report() -> Report:
    """Built by hand: hostile text, every optional field of a match filled, a headline match, failures, an
    --original statement (so the renderings view has groups and others), no event."""
    now = datetime.now(UTC)
    p1 = Phrase("p1", "輕軌是城市復興的第一步", ("Light rail is the first step",), language="zh", speaker="羅季安")
    p2 = Phrase("p2", "白皮書的數字很漂亮", language="zh")
    o1 = Phrase("o1", "Light rail is the first step of the city's revival.", language="en", source="original")
    tide_text = (
        HOSTILE + "\x00\u2028\n白皮書的數字並不漂亮，議員說。\n"
        "Light rail is the first step of the city's revival, the mayor said. 「引號」 \U0001f600 end"
    )
    tide = Article(
        "tide", "https://tide.example/1", "https://www.tide.example/1?x=1&y=<2>", "[link=http://evil]click[/link]",
        Timestamp.fromisoformat("2026-03-05T09:42+08:00"), "羅\x1b[31m", "zh", "zh-Hant", tide_text, now, "a" * 64,
        updated=Timestamp.fromisoformat("2026-03-05"), captions=("圖：資料照 \x07",), reprint_of="wire",
    )  # fmt: skip
    pine = Article(
        "pine", "/saved/pine.html", None, "市長：輕軌是城市復興的第一步", None, None, None, None, "本文沒有那句話。", now,
        "b" * 64,
    )  # fmt: skip
    verbatim = Match(
        "p1", "tide", tide.url, Status.VERBATIM, 100.0, "輕軌是城市復興的第一步", HOSTILE,
        between(tide_text, "輕軌是城市復興的第一步"), method=Method.EXACT,
    )  # fmt: skip
    partial_text = "白皮書的數字並不漂亮"
    start, end = between(tide_text, partial_text)
    partial = Match(
        "p2", "tide", tide.url, Status.PARTIAL, 61.5, partial_text, "白皮書的數字並不漂亮，議員說。", (start, end),
        method=Method.PIECES,
        diff=(DiffOp("equal", "白皮書的數字", "白皮書的數字"), DiffOp("replace", "很", "並不"), DiffOp("insert", "", "\x00"),
              DiffOp("delete", "亮", ""), DiffOp("equal", "漂", "漂")),
        note="<script>alert(1)</script>",
        flags=("negation", "hedge"), changes=("不 added", "很 → 並"),
        pieces=(Piece("白皮書的數字", start, start + 6), Piece("漂亮", end - 2, end)),
        share=0.667,
    )  # fmt: skip
    english = "Light rail is the first step of the city's revival"
    aligned = Match(
        "o1", "tide", tide.url, Status.TRANSLATED, 91.0, english, english + ", the mayor said.",
        between(tide_text, english), rendering="Light rail is the first step", method=Method.ALIGNER,
        confidence=0.91, rank=1, margin=-0.25, signals=(("cos", 0.5), ("lex", 0.0), ("name", -1.0)), flags=("number",),
        changes=("1 → 一",),
    )  # fmt: skip
    headline = Match(
        "p1", "pine", pine.url, Status.VERBATIM, 100.0, "輕軌是城市復興的第一步", pine.title, None,
        method=Method.EXACT, where="headline",
    )  # fmt: skip
    pine_o1 = Match(
        "o1", "pine", pine.url, Status.UNCERTAIN, 40.0, "本文沒有那句話", "本文沒有那句話。", (0, 7),
        method=Method.ALIGNER, confidence=0.4, rank=3, margin=0.01,
    )  # fmt: skip
    pine_p2 = Match("p2", "pine", pine.url, Status.NOT_COMPARED, 0.0, note="no aligner")
    failures = (
        Failure("fetch", "gone", "https://gone.example/2", "HTTP 503 Service Unavailable \x1b[5m[blink]"),
        Failure("extract", "gone", "https://gone.example/3", "the page is empty"),
    )
    unavailable = tuple(
        Match(p.id, "gone", f.url, Status.UNAVAILABLE, 0.0, note=f.reason) for f in failures for p in (p1, p2, o1)
    )
    tide_outlet = Outlet(
        "tide", "Tidewater", "潮水日報", "zh", ("zh-Hant", "en"), "TW", ("tide.example", "tide.example/en"),
        "https://tide.example/", "newspaper", "Asia/Taipei",
        feeds=(Feed("https://tide.example/rss", "main", True),), sitemaps=(Feed("https://tide.example/sitemap.xml"),),
        search=(SearchTemplate("https://tide.example/api?q={query}&from={from}", "json", True),),
        article_pattern=r"/\d+$", canonical_id=r"/(\d+)$", min_interval_s=2.0,
        hints=ExtractHints(" | 潮水日報", (r"記者(?P<name>\S+)",), (r"(?P<y>\d{4})",), "//span[@class='by']",
                           "//article", ("//aside",), ("^下載APP",)),
        access=(("paywall", "metered"), ("robots_ai", "disallows GPTBot")), notes="[red]x[/red]",
    )  # fmt: skip
    outlets = (tide_outlet, Outlet("pine", "Pinecrest", known=False), Outlet("gone", "Gone \x1b]0;pwned\x07"))
    articles = (tide, pine)
    return Report(
        phrases=(p1, p2, o1),
        outlets=outlets,
        targets=(
            Target("tide", url=tide.url),
            Target("pine", path=pine.url),
            *(Target("gone", f.url) for f in failures),
        ),
        articles=articles,
        matches=(*unavailable, verbatim, partial, aligned, headline, pine_o1, pine_p2),
        failures=failures,
        started=now,
        finished=now,
        timings={"fetch": 0.25, "extract": 0.0, "total": 0.5},
        requests={"tide.example": 2, "[::1]:8080": 0},
        notes=("robots.txt was ignored (--ignore-robots)",),
    )


@pytest.fixture(scope="module")
def edge() -> Report:
    return edge_report()


# ── 1-3: real and hand-made reports validate ──


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema()["$id"] == f"https://newscov.invalid/schema/report-{SCHEMA_VERSION}.json"


def test_the_demo_report_validates(validator: Draft202012Validator, demo: Report) -> None:
    data = as_json(demo)
    assert errors(validator, data) == []
    assert data["renderings"] and data["failures"] and data["event"] is None  # the parts the demo exercises
    assert any(m["diff"] for m in data["matches"]) and any(m["signals"] for m in data["matches"])


def test_a_report_with_discovery_validates(validator: Draft202012Validator, discovered: Report) -> None:
    data = as_json(discovered)
    assert errors(validator, data) == []
    assert data["event"] is not None and data["header"]["window"] is not None
    assert data["failures"] and {f["stage"] for f in data["failures"]} == {"discover"}
    assert {d["outcome"] for d in data["discovery"]} == {"found", "none", "failed"}
    assert any(c["url"] is None for d in data["discovery"] for c in d["articles"])  # a headline without an address
    assert any(r["error"] for d in data["discovery"] for r in d["searched"])
    assert any(d["off_topic"] for d in data["discovery"])
    assert any(a["reprint_of"] for a in data["articles"])
    assert set(data["matrix"]["p1"].values()) >= {"verbatim", "near", "no article", "search failed", "unavailable"}


def test_a_hostile_hand_made_report_validates(validator: Draft202012Validator, edge: Report) -> None:
    data = as_json(edge)
    assert errors(validator, data) == []
    assert data["event"] is None and data["discovery"] == []
    assert {m["where"] for m in data["matches"]} == {"body", "headline"}
    [group] = [g for r in data["renderings"] for g in r["groups"]]
    assert group["flags"] == ["number"]
    assert data["renderings"][0]["others"][0]["candidate"] == "本文沒有那句話"


# ── 4-5: the schema is strict ──

Mutation = Callable[[Data], None]


def first(items: list[Data], test: Callable[[Data], bool] = lambda _: True) -> Data:
    return next(item for item in items if test(item))


def set_cell(value: Any) -> Mutation:
    def mutate(data: Data) -> None:
        row = next(iter(data["matrix"].values()))
        row[next(iter(row))] = value

    return mutate


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    # the brief's five
    "unknown top-level key": ("demo", lambda d: d.update(extra=1)),
    "status maybe in the matrix": ("demo", set_cell("maybe")),
    "schema_version 3": ("demo", lambda d: d.update(schema_version=3)),
    "article without text": ("demo", lambda d: d["articles"][0].pop("text")),
    "match score high": ("demo", lambda d: d["matches"][0].update(score="high")),
    # unknown keys in every closed object
    "unknown key in tool": ("demo", lambda d: d["tool"].update(extra=1)),
    "unknown key in header": ("demo", lambda d: d["header"].update(extra=1)),
    "unknown key in a phrase": ("demo", lambda d: d["phrases"][0].update(extra=1)),
    "unknown key in an outlet": ("demo", lambda d: d["outlets"][0].update(extra=1)),
    "unknown key in outlet hints": ("demo", lambda d: d["outlets"][0]["hints"].update(extra=1)),
    "unknown key in a feed": ("edge", lambda d: d["outlets"][0]["feeds"][0].update(extra=1)),
    "unknown key in a search template": ("edge", lambda d: d["outlets"][0]["search"][0].update(extra=1)),
    "unknown key in a tally": ("demo", lambda d: d["tallies"][0].update(extra=1)),
    "unknown key in an article": ("demo", lambda d: d["articles"][0].update(extra=1)),
    "unknown key in a match": ("demo", lambda d: d["matches"][0].update(extra=1)),
    "unknown key in a diff op": (
        "edge",
        lambda d: first(d["matches"], lambda m: bool(m["diff"]))["diff"][0].update(x=1),
    ),
    "unknown key in a piece": (
        "edge",
        lambda d: first(d["matches"], lambda m: bool(m["pieces"]))["pieces"][0].update(x=1),
    ),
    "unknown key in a failure": ("demo", lambda d: d["failures"][0].update(extra=1)),
    "unknown key in the event": ("discovered", lambda d: d["event"].update(extra=1)),
    "unknown key in a discovery entry": ("discovered", lambda d: d["discovery"][0].update(extra=1)),
    "unknown key in a candidate": ("discovered", lambda d: d["discovery"][0]["articles"][0].update(extra=1)),
    "unknown key in a backend run": ("discovered", lambda d: d["discovery"][0]["searched"][0].update(extra=1)),
    "unknown key in a renderings view": ("demo", lambda d: d["renderings"][0].update(extra=1)),
    "unknown key in a wording group": ("demo", lambda d: d["renderings"][0]["groups"][0].update(extra=1)),
    "unknown key in a renderings other": ("demo", lambda d: d["renderings"][0]["others"][0].update(extra=1)),
    # wrong values
    "status maybe in a match": ("demo", lambda d: d["matches"][0].update(status="maybe")),
    "status maybe as a tally key": ("demo", lambda d: d["tallies"][0]["outlets"].update(maybe=["x"])),
    "status maybe in a wording group": ("demo", lambda d: d["renderings"][0]["groups"][0].update(statuses=["maybe"])),
    "method magic": ("demo", lambda d: d["matches"][0].update(method="magic")),
    "where footer": ("demo", lambda d: d["matches"][0].update(where="footer")),
    "span of three": ("demo", lambda d: first(d["matches"], lambda m: m["span"] is not None).update(span=[1, 2, 3])),
    "span of one": ("demo", lambda d: first(d["matches"], lambda m: m["span"] is not None).update(span=[1])),
    "span of strings": ("demo", lambda d: first(d["matches"], lambda m: m["span"] is not None).update(span=["1", "2"])),
    "diff op swap": ("edge", lambda d: first(d["matches"], lambda m: bool(m["diff"]))["diff"][0].update(op="swap")),
    "signal as an object": (
        "demo",
        lambda d: first(d["matches"], lambda m: bool(m["signals"])).update(signals=[{"cos": 1}]),
    ),
    "signal with a string value": (
        "demo",
        lambda d: first(d["matches"], lambda m: bool(m["signals"]))["signals"][0].__setitem__(1, "1"),
    ),
    "confidence above 1": (
        "demo",
        lambda d: first(d["matches"], lambda m: m["confidence"] is not None).update(confidence=87),
    ),
    "timings without total": ("demo", lambda d: d["timings_s"].pop("total")),
    "a negative timing": ("demo", lambda d: d["timings_s"].update(fetch=-0.1)),
    "a matrix cell that is not a status": ("demo", set_cell(None)),
    "a failure stage parse": ("demo", lambda d: d["failures"][0].update(stage="parse")),
    "a discovery outcome maybe": ("discovered", lambda d: d["discovery"][0].update(outcome="maybe")),
    "event without to": ("discovered", lambda d: d["event"].pop("to")),
    "a naive started time": ("demo", lambda d: d.update(started=d["started"][:-6])),
    "a sha256 in capitals": ("demo", lambda d: d["articles"][0].update(sha256=d["articles"][0]["sha256"].upper())),
    "an article without fetched_at": ("edge", lambda d: d["articles"][0].pop("fetched_at")),
    "event missing": ("edge", lambda d: d.pop("event")),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_the_schema_catches_a_mistake(
    name: str, validator: Draft202012Validator, request: pytest.FixtureRequest
) -> None:
    fixture, mutate = MUTATIONS[name]
    data = copy.deepcopy(as_json(request.getfixturevalue(fixture)))
    assert errors(validator, data) == []
    mutate(data)
    assert errors(validator, data), f"{name}: the schema accepted it"


def test_every_object_of_the_schema_is_closed() -> None:
    """A key added to report_to_dict without a schema update must fail the tests above: no open object."""
    open_objects: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("additionalProperties") is not False:
                open_objects.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}" if where else key)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(schema(), "")
    assert open_objects == ["properties/timings_s"]  # stage names are open; "total" is required


def test_the_schema_version_is_the_code_s() -> None:
    assert schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert Path(schema()["$id"]).name == f"report-{SCHEMA_VERSION}.json"


def test_the_enums_are_the_models() -> None:
    defs = schema()["$defs"]
    assert defs["status"]["enum"] == [s.value for s in Status]
    assert defs["method"]["enum"] == [m.value for m in Method]


# ── 6: the articles' text is there so that spans can be checked ──


@pytest.mark.parametrize("fixture", ["demo", "discovered", "edge"])
def test_spans_index_the_article_text(fixture: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(fixture)
    data = as_json(report)
    assert [a["text"] for a in data["articles"]] == [a.text for a in report.articles]
    assert all(a["chars"] == len(a["text"]) for a in data["articles"])
    texts = {(a["outlet_id"], a["url"]): a["text"] for a in data["articles"]}
    checked = 0
    for match in data["matches"]:
        if match["span"] is None:
            continue
        start, end = match["span"]
        text = texts[match["outlet_id"], match["article_url"]]
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == match["matched_text"], match
        for piece in match["pieces"]:
            assert start <= piece["start"] <= piece["end"] <= end
        checked += 1
    assert checked
