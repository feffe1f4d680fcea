"""Shared fixtures: loopback servers, the real-pages folder, an in-process CLI runner."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coverage.cli import main
from coverage.demo.server import LoopbackServer, Route
from coverage.models import Report

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
REPO = TESTS.parent
# ../shared sits beside the checkout (developers and CI); NEWSCOV_SHARED points elsewhere if needed
SHARED = Path(os.environ.get("NEWSCOV_SHARED", REPO.parent / "shared"))
REAL_PAGES = SHARED / "real-pages" / "twnews"


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

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    """The test pages in tests/pages plus canned failure routes, on 127.0.0.1."""
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
