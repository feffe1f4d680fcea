"""A small HTTP server on 127.0.0.1 in a background thread: serves a folder and canned routes (demo and tests)."""

from __future__ import annotations

import contextlib
import functools
import mimetypes
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Route:
    """A canned answer: status, body and headers (Content-Type defaults to UTF-8 HTML).

    For fault injection: `delay` waits before answering, `drip` sends the body a few bytes at a time with this
    pause between, `reset` drops the connection without an answer.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0
    reset: bool = False


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
            disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms Nagle stall

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.requests.append(path)
                route = server._answer(path, self.path)
                if route.reset:  # RST instead of an answer
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                time.sleep(route.delay)
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if not route.drip:
                    self.wfile.write(route.body)
                    return
                for start in range(0, len(route.body), 8):
                    self.wfile.write(route.body[start : start + 8])
                    self.wfile.flush()
                    time.sleep(route.drip)

            def log_message(self, format: str, *args: object) -> None:  # keep the terminal quiet
                pass

            def handle(self) -> None:
                # the client may give up (deadline, size cap) in the middle of an answer: that is fine
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

        self._server = ThreadingHTTPServer((self.host, 0), RequestHandler)
        self._server.daemon_threads = True
        # a short poll: shutdown() waits for the serving loop to notice (0.5 s by default, per server)
        serve = functools.partial(self._server.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, name="newscov-loopback", daemon=True)
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
