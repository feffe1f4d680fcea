"""A small HTTP server on 127.0.0.1 in a background thread: serves a folder and canned routes (demo and tests)."""

from __future__ import annotations

import mimetypes
import threading
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


class LoopbackServer:
    """`with LoopbackServer(root=folder, routes={...}) as server: server.url("/a.html")`.

    A path in `routes` answers with its Route; any other path is looked up as a file under `root`.
    Binds an ephemeral port on 127.0.0.1 only and stops when the block ends.
    """

    def __init__(self, root: Path | None = None, routes: dict[str, Route] | None = None) -> None:
        self.root = root.resolve() if root else None
        self.routes = dict(routes or {})
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

    def _answer(self, path: str) -> Route:
        if path in self.routes:
            return self.routes[path]
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

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.requests.append(path)
                route = server._answer(path)
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:  # keep the terminal quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
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
