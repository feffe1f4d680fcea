"""Shared fixtures: loopback servers, the real-pages folder, an in-process CLI runner.

newscov itself is imported inside the fixtures, not at the top: under pytest-xdist this file is also loaded by
the controller process, which runs no test and need not import the package (about 1 s on a cold start).
"""

from __future__ import annotations

import copy
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from coverage.demo.server import LoopbackServer, Route
    from coverage.models import Report

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
REPO = TESTS.parent
# ../shared sits beside the checkout (developers and CI); NEWSCOV_SHARED points elsewhere if needed
SHARED = Path(os.environ.get("NEWSCOV_SHARED", REPO.parent / "shared"))
REAL_PAGES = SHARED / "real-pages" / "twnews"


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput"):
        return  # the pytest-xdist controller: it runs no test
    _parse_each_registry_text_once(config)


def _parse_each_registry_text_once(config: pytest.Config) -> None:
    """Each distinct registry text is parsed as YAML once per test process, not once per load.

    Parsing the bundled sources.yaml (65 KB, round-trip mode for line numbers) takes 0.2-0.3 s, and more than a
    hundred tests load it (every CLI command does, and two test modules at collection). Only the YAML parse is
    kept: each load gets a deep copy of the parsed tree (line and column positions included), so validation,
    merging and the file:line:col messages run as before; a text that does not parse raises from the real parser
    every time and is not kept.
    """
    import coverage.sources

    real = coverage.sources.load_yaml
    parsed: dict[str, object] = {}

    def load_yaml(text: str, path: str, *args: object, **kwargs: object) -> object:
        if text not in parsed:
            parsed[text] = real(text, path, *args, **kwargs)
        return copy.deepcopy(parsed[text])

    patch = pytest.MonkeyPatch()
    patch.setattr(coverage.sources, "load_yaml", load_yaml)
    config.add_cleanup(patch.undo)


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread_per_worker() -> Iterator[None]:
    """NumPy's BLAS runs on one thread in each test process, the sentence encoder's included.

    The suite runs two worker processes on two cores. With BLAS free to use both cores in each (and the encoder
    asking for two threads), four spinning OpenBLAS threads share two cores: the cross-language gate alone took
    30-40 s instead of 4-6 s. Only the speed changes (the gates score the same with one thread or two); the
    model is still loaded once per process, on the first cross-language pair (`default_encoder` is the one every
    aligner shares). Commands run as subprocesses keep their defaults.
    """
    from threadpoolctl import threadpool_limits

    from coverage.align.encoder import default_encoder

    encoder = default_encoder()
    threads, encoder.threads = encoder.threads, 1
    with threadpool_limits(limits=1, user_api="blas"):
        yield
    encoder.threads = threads


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test has its own empty page cache and no user registry file."""
    folder = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NEWSCOV_CACHE", str(folder / "pages.sqlite"))
    monkeypatch.setenv("NEWSCOV_SOURCES", str(folder / "no-user-sources.yaml"))


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> object:
    """Run `newscov ARGS` in-process; returns exit code and captured output."""
    from coverage.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    """The test pages in tests/pages plus canned failure routes, on 127.0.0.1."""
    from coverage.demo.server import LoopbackServer, Route

    routes = {
        "/missing.html": Route(404, b"<html><body>Not here</body></html>"),
        "/broken.html": Route(500, b"<html><body>Internal error</body></html>"),
        "/report.pdf": Route(200, b"%PDF-1.7\n%binary", {"Content-Type": "application/pdf"}),
        "/empty.html": Route(200, b""),
        "/blank.html": Route(200, b"<html><head><title>x</title></head><body></body></html>"),
    }
    with LoopbackServer(root=PAGES, routes=routes) as server:
        yield server


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/article.html"


def real_pages_or_skip() -> Path:
    if not (REAL_PAGES / "expected.json").is_file():
        pytest.skip(f"real pages not found at {REAL_PAGES} (set NEWSCOV_SHARED)")
    return REAL_PAGES


def free_route(body: str, content_type: str = "text/html; charset=utf-8") -> Route:
    from coverage.demo.server import Route

    return Route(200, body.encode("utf-8"), {"Content-Type": content_type})


def shared_or_skip(name: str) -> Path:
    """A folder of ../shared (seed, real pages), or skip the test when it is not there."""
    folder = SHARED / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (set NEWSCOV_SHARED)")
    return folder


@pytest.fixture(scope="session")
def demo_report() -> Report:
    """The demo's report, made once per test process (the whole pipeline over loopback takes about 2 s)."""
    from coverage.demo import run_demo

    return run_demo()


@pytest.fixture(scope="session")
def matching_cases() -> list[dict[str, Any]]:
    """The matcher's labelled cases (tests/data/matching_cases.yaml), read once per test process (0.7 s of YAML).

    Shared by the corpus and matching-quality tests, which only read them."""
    from benchmarks.matching_eval import load_cases

    return load_cases()


def one_outlet(tmp_path: Path, server: LoopbackServer, extra: str) -> list[Any]:
    """A registry of one outlet, Tau Daily, on `server`'s host (no interval), plus the YAML lines in `extra`."""
    from coverage.sources import load_sources

    file = tmp_path / "sources.yaml"
    file.write_text(
        "defaults: {min_interval_s: 0}\noutlets:\n"
        f"  - id: tau\n    name: Tau Daily\n    language: en\n    domains: ['{server.host}']\n{extra}",
        encoding="utf-8",
    )
    return list(load_sources(file, bundled=False))
