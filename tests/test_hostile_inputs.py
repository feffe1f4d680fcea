"""Hostile inputs the pipeline itself must contain: a crash in one page or backend, sitemaps without end, event
files that reach for other files, degenerate phrases."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coverage.demo.server import LoopbackServer, Route
from coverage.discover import REGISTERED, DiscoverySettings, discover
from coverage.discover.sitemaps import MAX_SITEMAP_REQUESTS
from coverage.errors import UsageError
from coverage.event import Event, load_event
from coverage.extract import text_article
from coverage.fetch import Fetcher, FetchSettings
from coverage.match import match_phrase
from coverage.models import Phrase, Status
from coverage.pipeline import compare_async, make_phrases
from coverage.sources import load_sources

from .conftest import CliResult, one_outlet

Cli = Callable[..., CliResult]
EVENT = Event(queries=("hotline",), start=datetime(2026, 10, 13, tzinfo=UTC), end=datetime(2026, 10, 16, tzinfo=UTC))
STORY = (
    "<html><head><title>Hotline agreed</title></head><body><article><h1>Hotline agreed</h1>"
    + "<p>The two coast guards agreed a hotline on Wednesday, the minister said after the talks.</p>" * 8
    + "</article></body></html>"
)


def test_a_sitemap_index_that_lists_itself_or_fans_out_stops(tmp_path: Path) -> None:
    with LoopbackServer(host="127.0.0.41") as server:
        b = server.base_url

        def index(path: str) -> Route:  # every index lists itself and ten new ones, forever
            n = int(path.rsplit("/", 1)[-1].removesuffix(".xml") or 0)
            children = [f"{b}/s/{n}.xml", *(f"{b}/s/{n * 10 + k}.xml" for k in range(1, 11))]
            body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
            return Route(200, f"<sitemapindex>{body}</sitemapindex>".encode(), {"Content-Type": "text/xml"})

        server.routes.update({f"/s/{n}.xml": index for n in range(0, 100000)})
        outlets = one_outlet(tmp_path, server, f"    sitemaps: [{{url: '{b}/s/0.xml'}}]\n")

        async def go() -> list:
            async with Fetcher(FetchSettings(timeout_s=2, retries=0, allow_private=True)) as fetcher:
                return await discover(EVENT, outlets, fetcher, DiscoverySettings(backends=frozenset({"sitemaps"})))

        (found,) = asyncio.run(go())
    sitemap_requests = [p for p in server.requests if p.startswith("/s/")]
    assert len(sitemap_requests) == MAX_SITEMAP_REQUESTS and len(set(sitemap_requests)) == len(sitemap_requests)
    assert found.runs[0].searched.startswith(f"{MAX_SITEMAP_REQUESTS} sitemap(s)")


def test_a_backend_that_crashes_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer(host="127.0.0.42") as server:
        b = server.base_url
        server.routes["/feed"] = Route(
            200,
            f"<rss><channel><item><title>hotline</title><link>{b}/a/1</link></item></channel></rss>".encode(),
            {"Content-Type": "application/rss+xml"},
        )
        outlets = one_outlet(
            tmp_path, server, f"    feeds: [{{url: '{b}/feed'}}]\n    sitemaps: [{{url: '{b}/sitemap.xml'}}]\n"
        )

        async def boom(*_: object) -> None:
            raise RecursionError("maximum recursion depth exceeded")

        monkeypatch.setattr(REGISTERED["sitemaps"], "run", boom)

        async def go() -> list:
            settings = DiscoverySettings(backends=frozenset({"feeds", "sitemaps"}), exhaustive=True)
            async with Fetcher(FetchSettings(timeout_s=2, retries=0, allow_private=True)) as fetcher:
                return await discover(EVENT, outlets, fetcher, settings)

        (found,) = asyncio.run(go())
    runs = {r.backend: r for r in found.runs}
    assert runs["sitemaps"].error == "the answer could not be read (RecursionError: maximum recursion depth exceeded)"
    assert found.outcome == "found" and found.candidates[0].url == f"{b}/a/1"


def test_a_page_that_crashes_extraction_is_unavailable_and_the_others_are_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import coverage.pipeline as pipeline

    real = pipeline.extract

    def fragile(fetched, outlet=None):  # type: ignore[no-untyped-def]
        if fetched.target.location.endswith("bad.html"):
            raise ValueError("All strings must be XML compatible")
        return real(fetched, outlet)

    monkeypatch.setattr(pipeline, "extract", fragile)
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_text(STORY, encoding="utf-8")
    bad.write_text(STORY, encoding="utf-8")
    report = asyncio.run(compare_async(["agreed a hotline"], [str(good), str(bad)]))
    verdicts = {m.outlet_id: m for m in report.matches}
    assert verdicts["good"].status is Status.VERBATIM
    assert verdicts["bad"].status is Status.UNAVAILABLE
    assert verdicts["bad"].note == "could not read the page (ValueError: All strings must be XML compatible)"


def write_event(folder: Path, pinned: str) -> Path:
    event = folder / "event.yaml"
    event.write_text(f"queries: [hotline]\npinned:\n  - {pinned}\n", encoding="utf-8")
    return event


@pytest.mark.parametrize(
    ("pinned", "problem"),
    [
        ("../secret.html", "is outside the event file's folder; give it with --file instead"),
        ("{secret}", "is outside the event file's folder; give it with --file instead"),
        ("notes.cfg", "is not an article file (.html/.htm/.txt); give it with --file instead"),
        ("link.html", "is outside the event file's folder; give it with --file instead"),  # a symlink out
    ],
)
def test_an_event_file_cannot_pin_files_outside_its_folder(tmp_path: Path, pinned: str, problem: str) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<p>private</p>", encoding="utf-8")
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "notes.cfg").write_text("token = 1", encoding="utf-8")
    (folder / "link.html").symlink_to(secret)
    event = write_event(folder, pinned.format(secret=secret))
    with pytest.raises(UsageError) as refused:
        load_event(event)
    assert str(refused.value).startswith(f"{event}:3:5 event.pinned[0]: ")
    assert str(refused.value).endswith(problem)


def test_an_event_file_pins_its_own_articles_relative_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "case"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "story.html").write_text(STORY, encoding="utf-8")
    event = write_event(folder, "pages/story.html")
    monkeypatch.chdir(tmp_path)  # not the event's folder
    assert load_event(event).pinned == (str(folder / "pages" / "story.html"),)
    secret = tmp_path / "elsewhere.html"
    secret.write_text(STORY, encoding="utf-8")
    result = cli("compare", "-q", "agreed a hotline", "--file", str(secret), "--no-cache")
    assert result.exit_code == 0  # a path given on the command line is the user's own choice


@pytest.mark.parametrize(
    ("phrase", "text", "status"),
    [
        ("legal and relations have", "The illegal and relations have worsened since the spring.", "near"),
        ("legal and relations have", "The legal and relations have worsened since the spring.", "verbatim"),
        ("a", "The cat sat on the mat by the door.", "absent"),
        ("a", "It was a cat.", "verbatim"),
        ("2026", "In 20261 nothing happened.", "absent"),
        ("熱線", "雙方同意設立熱線電話。", "verbatim"),  # Han text has no spaces between words
    ],
)
def test_latin_phrases_match_on_word_boundaries(phrase: str, text: str, status: str) -> None:
    assert match_phrase(Phrase("p1", phrase), text_article(text, "x", "https://x.example/1")).status.value == status


@pytest.mark.parametrize("text", ["!!!", "…「」", " - ", "\u200b"])
def test_a_phrase_without_letters_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="has no letters or digits to look for"):
        make_phrases([text])
    with pytest.raises(UsageError, match="has no letters or digits to look for"):
        make_phrases([Phrase("p1", "hotline", renderings=(text,))])


def test_an_error_line_prints_no_escape_codes(cli: Cli, tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        'outlets:\n  - id: x\n    name: X\n    language: en\n    domains: [x.example]\n    access: {"k\\e[2J\\e]52;c;aGk=\\a": y}\n',
        encoding="utf-8",
    )
    result = cli("sources", "check", "--sources", str(registry))
    assert result.exit_code == 2 and "unknown field" in result.stderr
    assert not any(ch in result.stderr for ch in "\x1b\x07\x9b")


def test_a_reader_that_stops_reading_is_not_an_error() -> None:
    import subprocess
    import sys

    newscov = Path(sys.executable).with_name("newscov")
    process = subprocess.Popen(
        [str(newscov), "sources", "list", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has read all it wanted
    with process.stderr:
        stderr = process.stderr.read()
    assert process.wait(timeout=30) == 0 and stderr == b""


def test_a_registry_file_beyond_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    from coverage.errors import SourcesError
    from coverage.schema import MAX_YAML_BYTES

    huge = tmp_path / "sources.yaml"
    huge.write_text("outlets:\n" + "# padding\n" * (MAX_YAML_BYTES // 10 + 10), encoding="utf-8")
    with pytest.raises(SourcesError, match="refused"):
        load_sources(huge, bundled=False)


def test_a_local_file_beyond_the_page_cap_is_refused_unread(tmp_path: Path) -> None:
    from coverage.fetch import read_file
    from coverage.models import Failure, Target

    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 2048 + b"</p>")
    refused = read_file(Target("big", path=str(big)), max_bytes=1024)
    assert isinstance(refused, Failure) and refused.reason == "the file is larger than 0.000976562 MiB: not an article"
    assert not isinstance(read_file(Target("big", path=str(big)), max_bytes=4096), Failure)
