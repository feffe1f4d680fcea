"""All HTTP happens here: httpx with timeouts, a per-URL deadline, a size cap, a per-host limit; plus local files.

Every call returns a `Fetched` record or a `Failure` naming the reason; nothing raises for a bad page.
"""

from __future__ import annotations

import asyncio
import codecs
import random
import re
import socket
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from . import __version__
from .models import Failure, Fetched, Target

USER_AGENT = f"newscov/{__version__} (news coverage comparison; +https://pypi.org/project/newscov/)"

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
# feeds, sitemaps and search APIs
FEED_TYPES = (
    *HTML_TYPES,
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/json",
    "text/javascript",
    "application/javascript",
)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how long to fetch."""

    timeout_s: float = 20.0  # per connect/read/write step
    deadline_s: float = 60.0  # whole request, so a server dripping bytes cannot hold a run
    max_bytes: int = 10 * 1024 * 1024  # decoded body size cap
    per_host: int = 2  # requests in flight per host
    min_interval_s: float = 0.0  # between two requests to one host, unless the outlet's registry entry says more
    max_redirects: int = 10
    retries: int = 2  # more attempts after a 429, 502, 503, 504 or a failed connection
    max_retry_wait_s: float = 30.0  # a Retry-After longer than this ends the attempts at once
    obey_robots: bool = True
    user_agent: str = USER_AGENT


class DecodeError(ValueError):
    """Bytes that are not text in any encoding news pages use."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# Declared names mapped to the supersets pages really use (a "gb2312" page often holds GBK-only characters).
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "cp950",
    "x-x-big5": "cp950",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}
_CHINESE_ENCODINGS = ["cp950", "big5hkscs", "gb18030"]
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a page: BOM, UTF-8, the declared charset, the <meta> charset, detection, Big5, GB18030.

    A declared charset that does not decode the bytes is ignored (pages often declare the wrong one).
    Returns (text, encoding used); raises DecodeError for binary data or bytes no candidate decodes.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace"), "utf-16"
    head = body[:4096]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise DecodeError("binary data, not a text or HTML page")
    meta = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    # bytes that decode as UTF-8 are UTF-8 in practice, whatever the page declares
    candidates = ["utf-8", _codec(declared), _codec(meta.group(1).decode("ascii")) if meta else None]
    for encoding in dict.fromkeys(c for c in candidates if c):
        text = _try(body, encoding)
        if text is not None:
            return text, encoding
    from charset_normalizer import from_bytes

    # Chinese encodings first: unrestricted detection takes short Big5 text for Shift-JIS or similar
    sample = body[:200_000]
    for isolation in (_CHINESE_ENCODINGS, None):
        guess = from_bytes(sample, cp_isolation=isolation).best()
        text = _try(body, _codec(guess.encoding) if guess else None)
        if text is not None and guess is not None:
            return text, _codec(guess.encoding) or guess.encoding
    for encoding in _CHINESE_ENCODINGS:
        text = _try(body, encoding)
        if text is not None:
            return text, encoding
    raise DecodeError("not decodable as UTF-8, Big5 or GB18030 text")


def read_file(target: Target) -> Fetched | Failure:
    """Read a local .html or .txt file as if it had been fetched."""
    assert target.path is not None
    started = time.perf_counter()
    path = Path(target.path)
    try:
        body = path.read_bytes()
    except OSError as exc:
        return Failure("fetch", target.outlet_id, target.location, f"cannot read file: {exc.strerror or exc}")
    try:
        text, encoding = decode_body(body)
    except DecodeError as exc:
        return Failure("fetch", target.outlet_id, target.location, f"{exc}; save the file as UTF-8")
    kind = "text/plain" if path.suffix.lower() in (".txt", ".text", ".md") else "text/html"
    return Fetched(
        target=target,
        final_url=None,
        status_code=None,
        content_type=kind,
        encoding=encoding,
        html=text,
        fetched_at=datetime.now(UTC),
        elapsed_s=time.perf_counter() - started,
    )


def _root_cause(exc: BaseException) -> BaseException:
    while exc.__cause__ or exc.__context__:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return exc


def _describe(exc: Exception, settings: FetchSettings) -> str:
    """One sentence for a transport error."""
    text = str(exc) or type(exc).__name__
    root = _root_cause(exc)
    if isinstance(root, ConnectionRefusedError):
        return "connection refused; is the host up?"
    if isinstance(root, socket.gaierror):
        return "could not resolve the host name; check the URL"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out after {settings.timeout_s:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"the server stopped answering (timeout {settings.timeout_s:g} s)"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"more than {settings.max_redirects} redirects"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {root or text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection: {text}"
    return f"{type(exc).__name__}: {text}"


_RETRY_STATUS = (429, 502, 503, 504)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Retry(Exception):
    """An answer worth asking again for (429/5xx): carries the Failure to report if the attempts run out."""

    def __init__(self, failure: Failure, wait: float | None) -> None:
        super().__init__(failure.reason)
        self.failure = failure
        self.wait = wait


class Fetcher:
    """An httpx.AsyncClient that is polite per host: use as `async with Fetcher(...) as fetcher`.

    Per host (host:port): at most `per_host` requests in flight, at least the host's minimum interval between two
    requests, robots.txt read once and obeyed. Answers 429/502/503/504 and failed connections are retried with
    exponential backoff and jitter, honouring Retry-After up to a cap. `requests` counts requests per host.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        intervals: dict[str, float] | None = None,
    ):
        self.settings = settings or FetchSettings()
        self.intervals = dict(intervals or {})  # host (or host:port) -> minimum seconds between requests
        self.requests: Counter[str] = Counter()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host)
        )
        self._pace_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            timeout=httpx.Timeout(self.settings.timeout_s),
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8",
            },
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client:
            await self._client.aclose()

    def _interval(self, netloc: str) -> float:
        """The host's minimum interval: given for host:port, the host, or a parent domain (udn.com for www.udn.com)."""
        host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
        labels = host.split(".")
        given = [self.intervals.get(netloc, 0.0)] + [
            self.intervals.get(".".join(labels[i:]), 0.0) for i in range(len(labels))
        ]
        return max(*given, self.settings.min_interval_s)

    async def _pace(self, netloc: str) -> None:
        """Wait for this host's turn: requests to one host start at least its minimum interval apart."""
        self.requests[netloc] += 1
        interval = self._interval(netloc)
        if interval <= 0:
            return
        loop = asyncio.get_running_loop()
        async with self._pace_locks[netloc]:
            wait = self._last.get(netloc, -1e9) + interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last[netloc] = loop.time()

    async def _allowed(self, url: str) -> str | None:
        """None if robots.txt lets newscov fetch `url`, else the reason it may not."""
        if not self.settings.obey_robots:
            return None
        assert self._client is not None
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        async with self._robots_locks[netloc]:
            if netloc not in self._robots:
                self._robots[netloc] = await self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt", netloc)
        rules = self._robots[netloc]
        if isinstance(rules, str):
            return rules
        agent = self.settings.user_agent.split("/")[0]
        return None if rules.can_fetch(agent, url) else "robots.txt of the site disallows this path"

    async def _read_robots(self, robots_url: str, netloc: str) -> RobotFileParser | str:
        assert self._client is not None
        rules = RobotFileParser(robots_url)
        await self._pace(netloc)
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                response = await self._client.get(robots_url)
        except (TimeoutError, httpx.HTTPError):
            rules.parse([])  # unreachable robots.txt: fetch, and let the page request report the trouble
            return rules
        if response.status_code >= 500:
            # RFC 9309: a server error on robots.txt means the whole site is off limits for now
            return f"robots.txt answered HTTP {response.status_code}; the site is treated as off limits"
        rules.parse(response.text.splitlines() if response.status_code < 400 else [])
        return rules

    async def fetch(self, target: Target, accept: tuple[str, ...] = HTML_TYPES) -> Fetched | Failure:
        """Fetch one URL (or read one file); a Failure says why when there is no page.

        `accept`: the content types (prefixes) taken as text; anything else is a Failure."""
        if target.path is not None:
            return await asyncio.to_thread(read_file, target)
        assert target.url is not None and self._client is not None
        started = time.perf_counter()
        netloc = urlsplit(target.url).netloc.lower()
        async with self._hosts[netloc]:
            try:
                async with asyncio.timeout(self.settings.deadline_s):
                    refused = await self._allowed(target.url)
                    if refused:
                        return Failure("fetch", target.outlet_id, target.url, refused)
                    return await self._attempts(target, netloc, started, accept)
            except TimeoutError:
                reason = f"no complete answer within {self.settings.deadline_s:g} s"
        return Failure("fetch", target.outlet_id, target.url, reason)

    async def _attempts(
        self, target: Target, netloc: str, started: float, accept: tuple[str, ...]
    ) -> Fetched | Failure:
        assert target.url is not None
        for attempt in range(self.settings.retries + 1):
            await self._pace(netloc)
            try:
                return await self._get(target, started, accept)
            except _Retry as retry:
                failure, wait = retry.failure, retry.wait
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                failure, wait = Failure("fetch", target.outlet_id, target.url, _describe(exc, self.settings)), None
            except httpx.HTTPError as exc:
                return Failure("fetch", target.outlet_id, target.url, _describe(exc, self.settings))
            if attempt == self.settings.retries:
                break
            if wait is not None and wait > self.settings.max_retry_wait_s:
                return replace(failure, reason=f"{failure.reason} (asked to retry after {wait:g} s)")
            backoff = 0.5 * 2**attempt * (1 + random.random() / 2)  # exponential, with jitter
            await asyncio.sleep(wait if wait is not None else backoff)
        return failure

    async def _get(self, target: Target, started: float, accept: tuple[str, ...]) -> Fetched | Failure:
        assert target.url is not None and self._client is not None
        async with self._client.stream("GET", target.url) as response:
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                failure = Failure(
                    "fetch", target.outlet_id, target.url, f"HTTP {response.status_code} {phrase}".strip()
                )
                if response.status_code in _RETRY_STATUS:
                    raise _Retry(failure, _retry_after(response.headers.get("retry-after")))
                return failure
            content_type = response.headers.get("content-type", "")
            mime = content_type.split(";")[0].strip().lower()
            if mime and not mime.startswith(accept):
                kind = "an HTML page" if accept == HTML_TYPES else "text"
                return Failure("fetch", target.outlet_id, target.url, f"not {kind} ({mime})")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    limit = self.settings.max_bytes // (1024 * 1024)
                    return Failure("fetch", target.outlet_id, target.url, f"page larger than {limit} MiB")
                chunks.append(chunk)
        try:
            text, encoding = decode_body(b"".join(chunks), response.charset_encoding)
        except DecodeError as exc:
            return Failure("fetch", target.outlet_id, target.url, str(exc))
        return Fetched(
            target=target,
            final_url=str(response.url),
            status_code=response.status_code,
            content_type=mime or None,
            encoding=encoding,
            html=text,
            fetched_at=datetime.now(UTC),
            elapsed_s=time.perf_counter() - started,
        )
