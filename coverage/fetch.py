"""All HTTP happens here: httpx with timeouts, a per-URL deadline, a size cap, a per-host limit; plus local files.

Every call returns a `Fetched` record or a `Failure` naming the reason; nothing raises for a bad page.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import random
import re
import socket
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from protego import Protego

from . import __version__
from .models import Failure, Fetched, Outlet, Target
from .store import Cache, Page
from .urls import canonical_url

USER_AGENT = f"newscov/{__version__} (news coverage comparison; +https://pypi.org/project/newscov/)"

ROBOTS_MAX_AGE_S = 86400.0  # a day
# robots.txt groups are looked up for this product token, whatever User-Agent header the user configured
ROBOTS_TOKEN = "newscov"
# only the first 500 KiB of a robots.txt is read and parsed (RFC 9309's minimum; Google's limit)
ROBOTS_MAX_BYTES = 500 * 1024
# a robots.txt Crawl-delay (or Request-rate) longer than this is capped to it
MAX_CRAWL_DELAY_S = 120.0
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


def host_intervals(outlets: Iterable[Outlet]) -> dict[str, float]:
    """Host -> the minimum interval between two requests the outlets' registry entries ask for (the longest, when
    two outlets share a host). An explicit 0 is kept: the host's interval is then known, and is none."""
    intervals: dict[str, float] = {}
    for outlet in outlets:
        if outlet.min_interval_s is None:
            continue
        for domain in outlet.domains:
            host = domain.split("/")[0].lower().rstrip(".")
            intervals[host] = max(intervals.get(host, 0.0), outlet.min_interval_s)
    return intervals


_DEFAULT_PORTS = {"http": 80, "https": 443}
# names that are never a public server (RFC 2606, RFC 6761): no politeness interval is owed to them
_SPECIAL_USE = (".test", ".example", ".invalid", ".localhost")


def host_key(url: str) -> str:
    """The key a host is known by however its URL spells it: lower case, no trailing dot, no default port
    (`HTTP://News.Example.:80/a` and `http://news.example/b` are one host, with one semaphore, one pacing clock
    and one robots.txt). An IP address and a name that resolves to it stay two keys: unifying them would take a
    DNS lookup per request (and a name can resolve to many addresses)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal: the address as written
        return url.partition("//")[2].partition("/")[0].lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def _bare_host(key: str) -> str:
    """The host of a host key, without port or IPv6 brackets."""
    if key.startswith("["):
        return key[1 : key.find("]")] if "]" in key else key[1:]
    return key.rsplit(":", 1)[0] if ":" in key else key


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1, localhost (and names under .localhost), spelled as a URL spells them."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, shared (CGNAT), reserved, multicast or unspecified: not a public server."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1 (Python < 3.13 does not look through it)
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how long to fetch, and where to.

    `default_interval_s` is the interval between two requests to a host whose registry entry gives none (hosts
    outside the registry): 2 s, as the README promises. Loopback hosts (127.0.0.0/8, ::1, localhost) get none,
    as do the reserved test names (.test, .example, .invalid, .localhost): the tests and the demo serve from
    loopback, and nobody else's server is there.

    `allow_private`: connect to loopback, private, link-local, reserved, multicast or unspecified addresses even
    for addresses newscov found itself (discovery's feeds, sitemaps, search answers, GDELT and Google News, and
    the articles they list) and for every redirect. Without it those are refused, judged by the address the
    host name resolves to; a URL the user gave is fetched wherever it points, and may redirect within its own
    host:port, but not to another private host.
    """

    timeout_s: float = 20.0  # per connect/read/write step
    deadline_s: float = 60.0  # whole request, so a server dripping bytes cannot hold a run
    max_bytes: int = 10 * 1024 * 1024  # decoded body size cap
    per_host: int = 2  # requests in flight per host
    min_interval_s: float = 0.0  # between two requests to one host, unless the outlet's registry entry says more
    default_interval_s: float = 2.0  # between two requests to a host the registry gives no interval for
    max_redirects: int = 10
    retries: int = 2  # more attempts after a 429, 502, 503, 504 or a failed connection
    max_retry_wait_s: float = 30.0  # a Retry-After longer than this ends the attempts at once
    obey_robots: bool = True
    user_agent: str = USER_AGENT
    allow_private: bool = False


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


# A declared (or detected) charset that fails on a few bytes is still the page's charset: a stray byte is
# replaced rather than the whole page read in another codec (mojibake). "A few": at most MAX_REPLACED bytes, or
# this share of a large page.
MAX_REPLACED = 8
MAX_REPLACED_SHARE = 0.001


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a page; see `decode_page`."""
    decoded = decode_page(body, declared)
    return decoded.text, decoded.encoding


def _tolerant(body: bytes, encoding: str | None) -> Decoded | None:
    """The bytes in this charset with bad bytes replaced, if they are few."""
    if not encoding:
        return None
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        return None
    replaced = text.count("\ufffd")
    if replaced > max(MAX_REPLACED, len(body) * MAX_REPLACED_SHARE):
        return None
    # mostly right: the other non-ASCII characters decode (a Latin-1 page labelled UTF-8 fails on every umlaut)
    decoded = sum(1 for char in text if char > "\x7f") - replaced
    return Decoded(text, encoding, replaced) if decoded >= 4 * replaced else None


def decode_page(body: bytes, declared: str | None = None) -> Decoded:
    """Decode a page: BOM, UTF-8, the declared charset, the <meta> charset, detection, Big5, GB18030.

    A declared charset that does not decode the bytes is ignored (pages often declare the wrong one), unless only
    a few bytes fail: then it is kept and those bytes are replaced (`Decoded.replaced` counts them). Raises
    DecodeError for binary data or bytes no candidate decodes.
    """
    if body.startswith(codecs.BOM_UTF8):
        text = body[3:].decode("utf-8", errors="replace")
        return Decoded(text, "utf-8-sig", text.count("\ufffd"))
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = body.decode("utf-16", errors="replace")
        return Decoded(text, "utf-16", text.count("\ufffd"))
    head = body[:4096]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise DecodeError("binary data, not a text or HTML page")
    meta = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    # bytes that decode as UTF-8 are UTF-8 in practice, whatever the page declares
    stated = [_codec(declared), _codec(meta.group(1).decode("ascii")) if meta else None]
    candidates = ["utf-8", *stated]
    for encoding in dict.fromkeys(c for c in candidates if c):
        strict = _try(body, encoding)
        if strict is not None:
            return Decoded(strict, encoding)
    # a stated charset (or UTF-8) that fails on a few bytes only
    for name in dict.fromkeys(c for c in (*stated, "utf-8") if c):
        tolerant = _tolerant(body, name)
        if tolerant is not None:
            return tolerant
    from charset_normalizer import from_bytes

    # Chinese encodings first: unrestricted detection takes short Big5 text for Shift-JIS or similar
    sample = body[:200_000]
    for isolation in (_CHINESE_ENCODINGS, None):
        guess = from_bytes(sample, cp_isolation=isolation).best()
        detected = _codec(guess.encoding) if guess else None
        strict = _try(body, detected)
        if strict is not None and detected is not None:
            return Decoded(strict, detected)
        tolerant = _tolerant(body, detected)
        if tolerant is not None:
            return tolerant
    for fallback in _CHINESE_ENCODINGS:
        strict = _try(body, fallback)
        if strict is not None:
            return Decoded(strict, fallback)
    raise DecodeError("not decodable as UTF-8, Big5 or GB18030 text")


MAX_FILE_BYTES = 10 * 1024 * 1024  # a local file is read under the same cap as a fetched page


def read_file(target: Target, page: Page | None = None, max_bytes: int = MAX_FILE_BYTES) -> Fetched | Failure:
    """Read a local .html or .txt file as if it had been fetched (or its copy in an evidence archive: `page`).

    The Fetched carries the file as a Page (a file: URI, status 200), so that --archive keeps it too. A file larger
    than `max_bytes` (the page cap) is refused without being read whole."""
    assert target.path is not None
    started = time.perf_counter()
    path = Path(target.path)
    kind = "text/plain" if path.suffix.lower() in (".txt", ".text", ".md") else "text/html"
    if page is None:
        try:
            with path.open("rb") as handle:
                body = handle.read(max_bytes + 1)
        except OSError as exc:
            return Failure("fetch", target.outlet_id, target.location, f"cannot read file: {exc.strerror or exc}")
        if len(body) > max_bytes:
            limit = f"{max_bytes / 1048576:g} MiB"
            return Failure(
                "fetch", target.outlet_id, target.location, f"the file is larger than {limit}: not an article"
            )
        page = Page(
            url=target.location,
            final_url=path.resolve().as_uri(),
            status=200,
            reason="OK",
            http_version="",
            request_headers=(),
            headers=(("Content-Type", f"{kind}"),),
            body=body,
            fetched_at=datetime.now(UTC),
        )
    try:
        decoded = decode_page(page.body)
    except DecodeError as exc:
        return Failure("fetch", target.outlet_id, target.location, f"{exc}; save the file as UTF-8")
    return Fetched(
        target=target,
        final_url=None,
        status_code=None,
        content_type=kind,
        encoding=decoded.encoding,
        html=decoded.text,
        replaced=decoded.replaced,
        fetched_at=page.fetched_at,
        elapsed_s=time.perf_counter() - started,
        page=page,
    )


# the deadline of the request the current task is making: pacing waits push it back
_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar("newscov_fetch_deadline", default=None)


@dataclass(frozen=True, slots=True)
class _Trip:
    """The fetch the current task is making, for the request hook that checks every request and redirect hop."""

    url: str  # the address asked for
    discovered: bool  # found by discovery: no private address, not even on the first request
    origin: str  # host key of the address asked for: a user's URL may redirect within it
    robots: bool = False  # a robots.txt request: not itself checked against robots.txt


_TRIP: ContextVar[_Trip | None] = ContextVar("newscov_fetch_trip", default=None)


class _Refused(Exception):
    """A request or redirect hop that must not be made (raised in an httpx event hook); carries the reason."""


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
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) address"
    if isinstance(exc, httpx.RemoteProtocolError) and text.startswith("Invalid URL in location header"):
        return "redirected to an address that is not valid"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {root or text}"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"the server broke the connection ({root or text})"
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


class _Unsupported(Exception):
    """A Content-Encoding newscov does not decode."""


def _decoder(encoding: str | None) -> Any:
    name = (encoding or "identity").strip().lower()
    if name in ("identity", ""):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS + 32)  # zlib or gzip header, detected
    raise _Unsupported(name)


def _inflate(decoder: Any, chunk: bytes, budget: int) -> bytes:
    """Decompress a chunk but never more than `budget` + 1 bytes: a gzip bomb stops at the cap, not in memory."""
    out = [decoder.decompress(chunk, budget + 1)]
    size = len(out[0])
    while decoder.unconsumed_tail and size <= budget:
        more = decoder.decompress(decoder.unconsumed_tail, budget + 1 - size)
        out.append(more)
        size += len(more)
    return b"".join(out)


async def _already(body: bytes) -> AsyncIterator[bytes]:
    yield body


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type header names, if any."""
    found = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return found.group(1) if found else None


_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}


async def _robots_body(response: httpx.Response) -> bytes:
    """A robots.txt body, decompressed by newscov, read no further than ROBOTS_MAX_BYTES + 1 bytes.

    A bigger file (or a gzip bomb) is cut while streaming, never held whole. Raises _Unsupported for a
    Content-Encoding newscov does not decode and zlib.error for a corrupt compressed body."""
    decoder = _decoder(response.headers.get("content-encoding"))
    # a response read already (mock transports do) arrives decoded in full; a real one is streamed raw
    if response.is_stream_consumed:
        raw_stream, decoder = _already(response.content), None
    else:
        raw_stream = response.aiter_raw()
    limit = ROBOTS_MAX_BYTES + 1  # one byte more tells whether the last line kept is whole
    chunks: list[bytes] = []
    size = 0
    async for raw in raw_stream:
        chunk = _inflate(decoder, raw, limit - size) if decoder else raw
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _parse_robots(body: bytes) -> Protego:
    """Rules from the first ROBOTS_MAX_BYTES of a robots.txt (RFC 9309); a line cut by that cap is dropped."""
    if len(body) > ROBOTS_MAX_BYTES:
        head = body[:ROBOTS_MAX_BYTES]
        if body[ROBOTS_MAX_BYTES : ROBOTS_MAX_BYTES + 1] not in (b"\n", b"\r"):
            head = head[: max(head.rfind(b"\n"), head.rfind(b"\r")) + 1]
        body = head
    return Protego.parse(body.decode("utf-8-sig", errors="replace"))  # utf-8-sig: a BOM is not part of line 1


def _asked_delay(rules: Protego) -> float | None:
    """Seconds between two requests that robots.txt asks of newscov: Crawl-delay, or Request-rate r/s as s/r.

    The longer of the two when both are given; None when neither is. (A Request-rate's time-of-day window is
    not looked at: the rate is kept all day.)"""
    asked = [rules.crawl_delay(ROBOTS_TOKEN)]
    rate = rules.request_rate(ROBOTS_TOKEN)
    if rate is not None:
        asked.append(rate.seconds / rate.requests)
    given = [delay for delay in asked if delay is not None]
    return max(given) if given else None


class Fetcher:
    """An httpx.AsyncClient that is polite per host, with a page cache: use as `async with Fetcher(...) as f`.

    Per host (host:port, however spelt: see `host_key`): at most `per_host` requests in flight, at least the
    host's minimum interval between two requests, robots.txt read once and obeyed (RFC 9309, for the product token
    "newscov") for every redirect hop too, its Crawl-delay too. Addresses found by discovery and every redirect
    hop are refused when they resolve to a private address (unless `allow_private`); see `FetchSettings`.
    Answers 429/502/503/504 and failed connections are retried with exponential backoff and jitter, honouring
    Retry-After up to a cap. Bodies are decompressed by newscov itself
    under the size cap. With a `cache`, pages come from it when present (`mode="refresh"` fetches anew,
    `mode="offline"` never goes to the network); with `archive`, pages come only from those archived.
    `requests` counts requests per host; `used` keeps every page served, for the evidence archive;
    `crawl_delays` maps a host whose robots.txt asks for a delay to (asked, used) seconds (used: capped).
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        intervals: dict[str, float] | None = None,
        cache: Cache | None = None,
        mode: str = "normal",
        archive: dict[str, Page] | None = None,
    ):
        if mode not in ("normal", "refresh", "offline"):
            raise ValueError(f"unknown fetch mode {mode!r}")
        self.settings = settings or FetchSettings()
        self.intervals = dict(intervals or {})  # host (or host:port) -> minimum seconds between requests
        self.requests: Counter[str] = Counter()
        self.answered = 0  # requests a server answered (any status)
        self.unresolved = 0  # attempts that failed because the host name did not resolve
        self.used: dict[str, Page] = {}
        self.cache = cache
        self.mode = mode
        self.archive = archive
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host)
        )
        self._pace_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, float] = {}
        self.crawl_delays: dict[str, tuple[float, float]] = {}  # host:port -> robots.txt's delay (asked, used)
        self._robots: dict[str, Protego | str] = {}
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            transport=self._transport,
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            timeout=httpx.Timeout(self.settings.timeout_s),
            # called for the first request and every redirect hop; raising _Refused in one aborts the request
            event_hooks={"request": [self._check_request], "response": [self._check_redirect]},
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8",
                "Accept-Encoding": "gzip, deflate",  # the encodings newscov decodes itself, under the size cap
            },
        )
        return self

    @property
    def offline(self) -> bool:
        """No server answered and host names failed to resolve: the machine has no network."""
        return self.answered == 0 and self.unresolved > 0

    async def __aexit__(self, *exc: object) -> None:
        if self._client:
            await self._client.aclose()

    def _interval(self, netloc: str) -> float:
        """The host's minimum interval: the longest of the one given for host:port, the host, or a parent domain
        (udn.com for www.udn.com), the settings' own, and the Crawl-delay of its robots.txt (capped). A host
        the intervals do not name gets the settings' default interval (2 s), unless it is loopback or a
        reserved test name."""
        host = _bare_host(netloc)
        labels = host.split(".")
        names = [netloc, *(".".join(labels[i:]) for i in range(len(labels)))]
        given = [self.intervals[name] for name in names if name in self.intervals]
        exempt = is_loopback_host(host) or f".{host}".endswith(_SPECIAL_USE)
        default = 0.0 if given or exempt else self.settings.default_interval_s
        crawl_delay = self.crawl_delays.get(netloc, (0.0, 0.0))[1]
        return max(*given, default, self.settings.min_interval_s, crawl_delay)

    async def _pace(self, netloc: str) -> None:
        """Wait for this host's turn: requests to one host start at least its minimum interval apart. The time
        spent waiting does not count against the request's deadline, which is for the server's answer."""
        self.requests[netloc] += 1
        interval = self._interval(netloc)
        loop = asyncio.get_running_loop()
        if interval <= 0:
            # kept even so: a Crawl-delay learnt from robots.txt spaces the next request from this one
            self._last[netloc] = loop.time()
            return
        entered = loop.time()
        deadline = _DEADLINE.get()
        when = deadline.when() if deadline is not None else None
        if deadline is not None:
            deadline.reschedule(None)  # stopped while waiting for the host's turn
        try:
            async with self._pace_locks[netloc]:
                wait = self._last.get(netloc, -1e9) + interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._last[netloc] = loop.time()
        finally:
            if deadline is not None and when is not None:
                deadline.reschedule(when + loop.time() - entered)

    async def _allowed(self, url: str) -> str | None:
        """None if robots.txt lets newscov fetch `url`, else the reason it may not.

        The groups are looked up for the product token "newscov" whatever User-Agent header is sent (a
        `User-agent: newscov` group applies, else `*`); the longest matching Allow or Disallow wins."""
        if not self.settings.obey_robots:
            return None
        try:
            parts = urlsplit(url)
        except ValueError:
            return "not a valid address"
        netloc = host_key(url)
        async with self._robots_locks[netloc]:
            if netloc not in self._robots:
                self._robots[netloc] = await self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt", netloc)
        rules = self._robots[netloc]
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(url, ROBOTS_TOKEN) else "robots.txt of the site disallows this path"

    async def _read_robots(self, robots_url: str, netloc: str) -> Protego | str:
        """The host's robots.txt rules (from the cache when fresh), or why the whole site is off limits.

        4xx: everything allowed; 5xx: nothing; unreachable (a timeout, a broken connection, a host that does not
        resolve or refuses connections): nothing either (RFC 9309 2.3.1.4), unless a copy in the cache, however
        old, says otherwise (RFC 9309 2.4 allows a stale copy then). The reason names the real trouble ("could
        not resolve the host name"), and a name that does not resolve counts in `unresolved`. An offline run
        reads only the cache: its robots.txt copy, or no rules when there is none. The Crawl-delay is noted in
        `crawl_delays` and paces the host's later requests."""
        page = None
        if self.cache is not None and self.mode in ("normal", "offline"):
            page = self.cache.get(robots_url, ROBOTS_MAX_AGE_S if self.mode == "normal" else None)
        if page is None and self.mode == "offline":
            return Protego.parse("")  # nothing to go by, and no network: the cached page is served
        if page is None:
            fetched = await self._robots_request(robots_url, netloc)
            if isinstance(fetched, str):
                stale = self.cache.get(robots_url, None) if self.cache is not None else None
                if stale is None:
                    return fetched
                fetched = stale
            page = fetched
        rules = _parse_robots(page.body if page.status < 400 else b"")
        asked = _asked_delay(rules)
        if asked is not None:
            self.crawl_delays[netloc] = (asked, min(asked, MAX_CRAWL_DELAY_S))
        return rules

    async def _robots_request(self, robots_url: str, netloc: str) -> Page | str:
        """robots.txt from the host (cached when it answered), or the reason the whole site is off limits."""
        assert self._client is not None
        await self._pace(netloc)
        trip = _TRIP.get()
        token = _TRIP.set(_Trip(robots_url, trip.discovered if trip else False, trip.origin if trip else netloc, True))
        try:
            async with asyncio.timeout(self.settings.timeout_s), self._client.stream("GET", robots_url) as response:
                if response.status_code >= 500:
                    # RFC 9309: a server error on robots.txt means the whole site is off limits for now
                    return f"robots.txt answered HTTP {response.status_code}; the site is treated as off limits"
                try:
                    body = await _robots_body(response) if response.status_code < 400 else b""
                except (zlib.error, _Unsupported):
                    return Page(robots_url, str(response.url), 200, "", "", (), (), b"", datetime.now(UTC))  # no rules
        except (TimeoutError, httpx.TimeoutException):
            return (
                f"robots.txt did not answer within {self.settings.timeout_s:g} s; the site is treated as off limits "
                "(RFC 9309: an unreachable robots.txt means disallow)"
            )
        except httpx.InvalidURL as exc:
            return f"not a valid address ({exc})"
        except _Refused as exc:
            if not str(exc).startswith("redirected"):
                raise  # the host itself is refused (a private address): that is the page's reason too
            return f"robots.txt {exc}; the site is treated as off limits"
        except httpx.HTTPError as exc:
            reason = _describe(exc, self.settings)
            if isinstance(_root_cause(exc), socket.gaierror):
                self.unresolved += 1
            if isinstance(exc, httpx.ConnectError):
                return reason  # the host cannot be reached at all: say why, as a page request would
            return f"robots.txt could not be read ({reason}); the site is treated as off limits"
        finally:
            _TRIP.reset(token)
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS)
        page = Page(robots_url, str(response.url), response.status_code, response.reason_phrase,
                    response.http_version, (), headers, body, datetime.now(UTC))  # fmt: skip
        if self.cache is not None:
            self.cache.put(page)
        return page

    async def fetch(
        self, target: Target, accept: tuple[str, ...] = HTML_TYPES, max_age_s: float | None = None
    ) -> Fetched | Failure:
        """Fetch one URL (or read one file); a Failure says why when there is no page.

        `accept`: the content types (prefixes) taken as text. `max_age_s`: how old a cached copy may be (None:
        any age; discovery asks for fresh feeds and search results, articles do not change)."""
        started = time.perf_counter()
        if self.archive is not None:
            page = self.archive.get(canonical_url(target.location))  # archive pages are keyed so
            if page is None:
                return Failure("fetch", target.outlet_id, target.location, "not in the archive")
            if target.path is not None:
                return read_file(target, page)
            return self._fetched(page, target, accept, started)
        if target.path is not None:
            return await asyncio.to_thread(read_file, target, None, self.settings.max_bytes)
        assert target.url is not None
        netloc = host_key(target.url)
        trip = _TRIP.set(_Trip(target.url, target.discovered, netloc))
        try:
            return await self._fetch_url(target, netloc, accept, max_age_s, started)
        finally:
            _TRIP.reset(trip)

    async def _fetch_url(
        self, target: Target, netloc: str, accept: tuple[str, ...], max_age_s: float | None, started: float
    ) -> Fetched | Failure:
        assert target.url is not None
        if self.cache is not None and self.mode != "refresh":
            page = self.cache.get(target.url, max_age_s)
            if page is not None:
                # a page robots.txt disallows now is not served, though it was fetched once (--ignore-robots)
                refused = await self._robots_verdict(target.url)
                if refused:
                    return Failure("fetch", target.outlet_id, target.url, refused)
                return self._fetched(page, target, accept, started)
        if self.mode == "offline":
            return Failure(
                "fetch", target.outlet_id, target.url, "not in the cache (offline run): run once without --offline"
            )
        failures: list[Failure] = []  # of earlier attempts, to explain a deadline reached while retrying
        async with self._hosts[netloc]:
            try:
                async with asyncio.timeout(self.settings.deadline_s) as clock:
                    token = _DEADLINE.set(clock)
                    try:
                        refused = await self._robots_verdict(target.url)
                        if refused:
                            return Failure("fetch", target.outlet_id, target.url, refused)
                        result = await self._attempts(target, netloc, failures)
                    finally:
                        _DEADLINE.reset(token)
            except TimeoutError:
                deadline = f"no complete answer within {self.settings.deadline_s:g} s"
                if failures:
                    return replace(failures[-1], reason=f"{failures[-1].reason}; gave up retrying ({deadline})")
                return Failure("fetch", target.outlet_id, target.url, deadline)
        if isinstance(result, Failure):
            return result
        if self.cache is not None:
            self.cache.put(result)
        return self._fetched(result, target, accept, started)

    async def _robots_verdict(self, url: str) -> str | None:
        """`_allowed`, with a refused robots.txt request (its host resolves to a private address) as the reason."""
        try:
            return await self._allowed(url)
        except _Refused as exc:
            return str(exc)

    async def _check_request(self, request: httpx.Request) -> None:
        """The request hook, for the first request and every redirect hop of a fetch: only http(s); no private
        address unless allowed (a discovered address never, a user's only within its own host:port); and every
        hop after the first obeys robots.txt (the first was checked before it was paced). Raises _Refused."""
        trip = _TRIP.get()
        if trip is None:
            return
        url = request.url
        first = str(url) == str(httpx.URL(trip.url))  # the address asked for (or a redirect back to it)
        if url.scheme not in ("http", "https"):
            raise _Refused("not an http(s) address" if first else f"redirected to a {url.scheme}: address")
        if not self.settings.allow_private and (trip.discovered or host_key(str(url)) != trip.origin):
            refused = await self._private_address(url)
            if refused:
                raise _Refused(refused)
        if trip.robots or not self.settings.obey_robots or first:
            return
        refused = await self._allowed(str(url))
        if refused:
            raise _Refused(f"redirected to {url.host}{url.raw_path.decode('ascii', 'replace')[:100]}: {refused}")

    async def _check_redirect(self, response: httpx.Response) -> None:
        """The response hook: a redirect to anything but http(s) (javascript:, data:, file:) or to an address
        that cannot be read ends the fetch with that reason, before httpx tries to follow it."""
        if not response.has_redirect_location:
            return
        location = response.headers["Location"].strip()
        try:
            scheme = urlsplit(location).scheme.lower()
            httpx.URL(location)
        except (ValueError, httpx.InvalidURL):
            raise _Refused("redirected to an address that is not valid") from None
        if scheme and scheme not in ("http", "https"):
            raise _Refused(f"redirected to a {scheme}: address")

    async def _private_address(self, url: httpx.URL) -> str | None:
        """Why `url` may not be fetched: its host resolves (as the connection will resolve it) to a loopback,
        private, link-local, reserved, multicast or unspecified address; None when it does not, or does not
        resolve at all (the connection then fails and says so)."""
        host = url.raw_host.decode("ascii", "replace")
        port = url.port or _DEFAULT_PORTS.get(url.scheme, 80)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return None
        for info in infos:
            try:
                address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            except ValueError:
                continue
            if _not_public(address):
                if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                    address = address.ipv4_mapped  # said as the IPv4 address it is
                shown = f"[{url.host}]" if ":" in url.host else url.host
                return f"refused: {shown} resolves to a private address ({address}); use --allow-private to allow it"
        return None

    def _fetched(self, page: Page, target: Target, accept: tuple[str, ...], started: float) -> Fetched | Failure:
        """Check and decode a page (from the network, the cache or the archive)."""
        assert target.url is not None
        content_type = page.header("content-type") or ""
        mime = content_type.split(";")[0].strip().lower()
        if mime and not mime.startswith(accept):
            kind = "an HTML page" if accept == HTML_TYPES else "text"
            return Failure("fetch", target.outlet_id, target.url, f"not {kind} ({mime})")
        try:
            decoded = decode_page(page.body, charset_of(content_type))
        except DecodeError as exc:
            return Failure("fetch", target.outlet_id, target.url, str(exc))
        self.used[target.url] = page
        return Fetched(
            target=target,
            final_url=page.final_url,
            status_code=page.status,
            content_type=mime or None,
            encoding=decoded.encoding,
            html=decoded.text,
            replaced=decoded.replaced,
            fetched_at=page.fetched_at,
            elapsed_s=time.perf_counter() - started,
            page=page,
        )

    async def _attempts(self, target: Target, netloc: str, failures: list[Failure]) -> Page | Failure:
        assert target.url is not None
        for attempt in range(self.settings.retries + 1):
            await self._pace(netloc)
            try:
                page = await self._download(target)
                self.answered += 1
                return page
            except _Retry as retry:
                self.answered += 1
                failure, wait = retry.failure, retry.wait
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                failure, wait = Failure("fetch", target.outlet_id, target.url, _describe(exc, self.settings)), None
                if isinstance(_root_cause(exc), socket.gaierror):  # a name that does not resolve will not in a second
                    self.unresolved += 1
                    return failure
                if failure.reason == "redirected to an address that is not valid":  # asking again changes nothing
                    return failure
            except _Refused as exc:  # a hop the request hook would not make
                return Failure("fetch", target.outlet_id, target.url, str(exc))
            except httpx.InvalidURL as exc:  # not an HTTPError: the address itself cannot be read
                return Failure("fetch", target.outlet_id, target.url, f"not a valid address ({exc})")
            except httpx.HTTPError as exc:
                return Failure("fetch", target.outlet_id, target.url, _describe(exc, self.settings))
            failures.append(failure)
            if attempt == self.settings.retries:
                break
            if wait is not None and wait > self.settings.max_retry_wait_s:
                return replace(failure, reason=f"{failure.reason} (asked to retry after {wait:g} s)")
            backoff = 0.25 * 2**attempt * (1 + random.random() / 2)  # exponential, with jitter
            await asyncio.sleep(wait if wait is not None else backoff)
        return failure

    async def _download(self, target: Target) -> Page | Failure:
        """One GET: the status checked, the body read raw and decompressed under the size cap."""
        assert target.url is not None and self._client is not None
        limit = self.settings.max_bytes
        async with self._client.stream("GET", target.url) as response:
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                failure = Failure(
                    "fetch", target.outlet_id, target.url, f"HTTP {response.status_code} {phrase}".strip()
                )
                if response.status_code in _RETRY_STATUS:
                    raise _Retry(failure, _retry_after(response.headers.get("retry-after")))
                return failure
            try:
                decoder = _decoder(response.headers.get("content-encoding"))
            except _Unsupported as exc:
                return Failure("fetch", target.outlet_id, target.url, f"unsupported content encoding {exc}")
            chunks: list[bytes] = []
            size = 0
            # a response read already (mock transports do) arrives decoded in full; a real one is streamed raw
            raw_stream = _already(response.content) if response.is_stream_consumed else response.aiter_raw()
            if response.is_stream_consumed:
                decoder = None
            async for raw in raw_stream:
                try:
                    chunk = _inflate(decoder, raw, limit - size) if decoder else raw
                except zlib.error as exc:
                    return Failure("fetch", target.outlet_id, target.url, f"corrupt compressed body ({exc})")
                size += len(chunk)
                if size > limit:
                    return Failure(
                        "fetch", target.outlet_id, target.url, f"page larger than {limit // (1024 * 1024)} MiB"
                    )
                chunks.append(chunk)
            headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS)
            return Page(
                url=target.url,
                final_url=str(response.url),
                status=response.status_code,
                reason=response.reason_phrase,
                http_version=response.http_version,
                request_headers=tuple(response.request.headers.items()),
                headers=headers,
                body=b"".join(chunks),
                fetched_at=datetime.now(UTC),
            )
