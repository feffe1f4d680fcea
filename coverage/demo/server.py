"""A small HTTP server on 127.0.0.1 in a background thread: serves a folder and canned routes (demo and tests)."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Route:
    """A canned answer: status, body and headers (Content-Type defaults to UTF-8 HTML)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[str], Route]  # called with the request's path and query string


class LoopbackServer:
    """`with LoopbackServer(root=folder, routes={...}) as server: server.url("/a.html")`.

    A path in `routes` answers with its Route (or with what its handler returns for the full path and query);
    any other path is looked up as a file under `root`. Binds an ephemeral port on a loopback address (127.0.0.1
    unless `host` names another in 127.0.0.0/8) and stops when the block ends.
    """

    def __init__(
        self, root: Path | None = None, routes: dict[str, Route | Handler] | None = None, host: str = "127.0.0.1"
    ) -> None:
        if not host.startswith("127."):
            raise ValueError("LoopbackServer only binds loopback addresses (127.0.0.0/8)")
        self.host = host
        self.root = root.resolve() if root else None
        self.routes: dict[str, Route | Handler] = dict(routes or {})
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def _answer(self, path: str, full: str) -> Route:
        if path in self.routes:
            route = self.routes[path]
            return route if isinstance(route, Route) else route(full)
        if self.root is not None:
            file = (self.root / unquote(path).lstrip("/")).resolve()
            if file.is_file() and file.is_relative_to(self.root):
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if kind.startswith("text/"):
                    kind += "; charset=utf-8"
                return Route(200, file.read_bytes(), {"Content-Type": kind})
        return Route(404, b"<html><body><h1>Not Found</h1></body></html>")

    def __enter__(self) -> LoopbackServer:
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.requests.append(path)
                route = server._answer(path, self.path)
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:  # keep the terminal quiet
                pass

        self._server = ThreadingHTTPServer((self.host, 0), RequestHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="newscov-loopback", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
