"""Frozen records passed between the pipeline stages (sources -> fetch -> extract -> match -> report)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .event import Event
    from .store import Page


class Status(enum.StrEnum):
    """What one outlet's coverage says about one phrase.

    Ordered from strongest to weakest evidence of the phrase being carried; `rank` gives the order
    used when an outlet has several articles (the best one speaks for the outlet).
    """

    VERBATIM = "verbatim"  # the phrase itself, after normalisation
    TRANSLATED = "translated"  # one of the phrase's accepted renderings
    NEAR = "near"  # a close variant: a few characters differ
    PARTIAL = "partial"  # part of the phrase, word for word; the rest left out
    UNCERTAIN = "uncertain"  # a candidate that may be a rendering: a person should look
    ABSENT = "absent"  # the article was read and no candidate was close enough
    NOT_COMPARED = "not compared"  # the article was read, but nothing could judge it (other language, no aligner)
    UNAVAILABLE = "unavailable"  # an article exists but could not be fetched or extracted
    NO_ARTICLE = "no article"  # discovery searched this outlet and found nothing about the event
    SEARCH_FAILED = "search failed"  # discovery could not search this outlet (every backend failed)

    @property
    def rank(self) -> int:
        return _RANK[self]


# an outlet's best article speaks for it; "not compared" outranks "absent": one unjudged article may carry it
_RANK = {
    Status.VERBATIM: 9,
    Status.TRANSLATED: 8,
    Status.NEAR: 7,
    Status.PARTIAL: 6,
    Status.UNCERTAIN: 5,
    Status.NOT_COMPARED: 4,
    Status.ABSENT: 3,
    Status.UNAVAILABLE: 2,
    Status.NO_ARTICLE: 1,
    Status.SEARCH_FAILED: 0,
}


@dataclass(frozen=True, slots=True)
class Feed:
    """An RSS/Atom feed or a news sitemap of an outlet."""

    url: str
    label: str | None = None
    verified: bool = False  # False: taken from research notes, not checked against the live site
    status: str = "unknown"  # ok, stale (evidence it broke or only old use: tried last), dead (never requested)
    checked: str | None = None  # the day the status was established (YYYY-MM-DD)


@dataclass(frozen=True, slots=True)
class SearchTemplate:
    """An outlet's site search: a URL template with {query} (and optionally {page}, {from}, {to}, ...)."""

    template: str
    kind: str = "html"  # "html" result page or "json" API
    verified: bool = False
    status: str = "unknown"  # as Feed.status
    checked: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractHints:
    """How to read one outlet's pages better than generic rules do (regexes and XPath kept as source text)."""

    title_suffix: str | None = None  # removed from the end of the <title>/og:title
    bylines: tuple[str, ...] = ()  # regexes with a (?P<name>...) group, tried on byline text and the body
    datelines: tuple[str, ...] = ()  # regexes with y, m, d (and H, M) groups, tried on the visible text
    author_xpath: str | None = None  # where the visible byline is
    body_xpath: str | None = None  # the article container, when the generic extractor picks the wrong one
    prune_xpath: tuple[str, ...] = ()  # removed before extraction (share bars, related lists, ads)
    drop_lines: tuple[str, ...] = ()  # regexes: body lines that are boilerplate (app promos, notices)


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet from the registry (sources.yaml) or made up from a host name.

    `domains` attribute URLs to the outlet: an entry is a host ("udn.com", which covers its subdomains) or a
    host with a path prefix ("bbc.com/zhongwen"); the most specific entry wins. `known` is False for outlets
    invented from an unknown host or label.
    """

    id: str
    name: str
    native_name: str | None = None
    language: str | None = None  # "zh", "en"
    scripts: tuple[str, ...] = ()  # "zh-Hant", "zh-Hans", "en"; bilingual outlets have two
    country: str | None = None
    domains: tuple[str, ...] = ()
    homepage: str | None = None
    kind: str | None = None  # wire, newspaper, broadcaster, ...
    timezone: str | None = None  # IANA name; times without an offset on its pages are in this zone
    feeds: tuple[Feed, ...] = ()
    sitemaps: tuple[Feed, ...] = ()
    search: tuple[SearchTemplate, ...] = ()
    article_pattern: str | None = None  # regex an article URL matches
    canonical_id: str | None = None  # regex whose group 1 is the outlet's stable article id
    min_interval_s: float | None = None  # politeness: at least this long between two requests to one host
    discovery: tuple[str, ...] = ("feeds", "sitemaps", "search")  # the outlet's own strategies, in order
    defunct: str | None = None  # why and since when the outlet publishes nothing new: it is not searched
    hints: ExtractHints = field(default_factory=ExtractHints)
    access: tuple[tuple[str, str], ...] = ()  # paywall, anti_bot, robots_ai notes
    notes: str | None = None
    known: bool = True

    @property
    def label(self) -> str:
        """Short display name: the native name when there is one, else the name."""
        return self.native_name or self.name

    @property
    def script(self) -> str | None:
        return self.scripts[0] if self.scripts else None


class Method(enum.StrEnum):
    """Which matcher of the cascade reached a verdict (see coverage.match)."""

    EXACT = "exact"  # the phrase itself, after folding
    RENDERING = "rendering"  # one of the phrase's given renderings, exact or fuzzy
    FUZZY = "fuzzy"  # a close variant of the phrase (edit distance)
    PIECES = "pieces"  # the phrase in pieces: interrupted by its attribution, written with a gap, or in part
    TRANSLATOR = "translator"  # a machine translation of the phrase, found in the article
    ALIGNER = "aligner"  # the cross-language aligner (encoder + dictionary + structure)
    NONE = "none"  # no matcher ran: the article could not be read


@dataclass(frozen=True, slots=True)
class Phrase:
    """A key phrase to look for, with the renderings (translations, accepted rewordings) to accept.

    `source` is "original" for a sentence of an --original statement (the renderings view groups those)."""

    id: str
    text: str
    renderings: tuple[str, ...] = ()
    language: str | None = None
    speaker: str | None = None  # who said it (given, or found by newscov with the quote)
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One article to compare: a URL to fetch or a local file, attributed to an outlet.

    `discovered`: the URL came from discovery (a feed, sitemap, search answer, GDELT, Google News), not from the
    user; the fetcher then refuses to connect to a loopback, private or reserved address (unless allowed)."""

    outlet_id: str
    url: str | None = None
    path: str | None = None
    discovered: bool = False

    @property
    def location(self) -> str:
        return self.url or self.path or ""


@dataclass(frozen=True, slots=True)
class Fetched:
    """An HTTP response or local file, decoded to text."""

    target: Target
    final_url: str | None
    status_code: int | None
    content_type: str | None
    encoding: str
    html: str
    fetched_at: datetime
    elapsed_s: float
    page: Page | None = None  # the HTTP exchange (None for local files), for the evidence archive
    replaced: int = 0  # bytes the page's charset could not decode, replaced by U+FFFD


@dataclass(frozen=True, slots=True)
class Timestamp:
    """When a page says an article was published or updated: an aware datetime, and how much the page said.

    `at` is always aware, so two times compare as instants. A page that gives only a day has precision "day" (`at`
    is that day's midnight in the outlet's time zone, or UTC). A time of day given without any zone, on an outlet
    whose zone is unknown, is read as UTC with `zoned` False, and is written back without an offset.
    """

    at: datetime
    precision: str = "minute"  # "minute" or "day"
    zoned: bool = True

    def isoformat(self) -> str:
        """ISO 8601 as the page stated it: the day alone, or the time to the minute with its offset when known."""
        if self.precision == "day":
            return self.at.strftime("%Y-%m-%d")
        text = self.at.strftime("%Y-%m-%dT%H:%M")
        offset = self.at.utcoffset()
        if not self.zoned or offset is None:
            return text
        minutes = int(offset.total_seconds() // 60)
        return f"{text}{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    @classmethod
    def fromisoformat(cls, text: str) -> Timestamp:
        """The inverse of `isoformat`: "2025-11-01", "2025-11-01T18:16" (no zone) or "2025-11-01T18:16+08:00"."""
        from datetime import UTC, date

        if len(text) == 10:
            return cls(datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC), "day")
        at = datetime.fromisoformat(text)
        return cls(at, zoned=True) if at.tzinfo else cls(at.replace(tzinfo=UTC), zoned=False)


def iso(stamp: Timestamp | None) -> str | None:
    """A record's time as the reports write it (ISO 8601 as the page stated it), or None."""
    return stamp.isoformat() if stamp is not None else None


@dataclass(frozen=True, slots=True)
class Article:
    """The readable part of a page: what the outlet published."""

    outlet_id: str
    url: str  # the location asked for (URL or file path)
    final_url: str | None  # after redirects; None for files
    title: str | None
    published: Timestamp | None
    author: str | None
    language: str | None
    script: str | None
    text: str
    fetched_at: datetime
    sha256: str  # of the extracted text, to show two runs read the same words
    updated: Timestamp | None = None  # last modification
    captions: tuple[str, ...] = ()  # photo captions and credits, kept out of the body text
    reprint_of: str | None = None  # outlet id whose (wire) copy this article reprints
    notes: tuple[str, ...] = ()  # how the text was read where it departs from the usual way (bad bytes, fallback)


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of the character diff between a phrase and its near match (original text on both sides)."""

    op: str  # "equal", "replace", "delete" (in phrase only), "insert" (in article only)
    phrase: str
    article: str


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of the phrase carried word for word: its text in the phrase, and where it is in Article.text."""

    phrase: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Match:
    """The verdict for one phrase in one article (or for an article that could not be read)."""

    phrase_id: str
    outlet_id: str
    article_url: str
    status: Status
    score: float  # 0-100; 100 for verbatim, the best candidate's score for absent
    matched_text: str | None = None  # original text of the match or best candidate
    context: str | None = None  # the sentence around it
    span: tuple[int, int] | None = None  # character offsets of matched_text in Article.text
    rendering: str | None = None  # the accepted rendering or machine translation that matched (translated)
    method: Method = Method.NONE  # which matcher reached the verdict
    diff: tuple[DiffOp, ...] = ()
    note: str | None = None
    flags: tuple[str, ...] = ()  # changes that may alter the meaning: "negation", "number", "name", "hedge", ...
    changes: tuple[str, ...] = ()  # what each flag changed, in order: "台海 → 南海", "不 added"
    confidence: float | None = None  # 0-1: how sure the matcher is of this verdict (aligner, translator)
    rank: int | None = None  # aligner: the chosen window's place in the encoder's own ranking (1 = top)
    margin: float | None = None  # aligner: combined score of the chosen window minus the best other window's
    signals: tuple[tuple[str, float], ...] = ()  # aligner: each signal's contribution, for the evidence
    where: str = "body"  # "body", or "headline" when the match is in the article's title (span is then None)
    pieces: tuple[Piece, ...] = ()  # the parts of the phrase found word for word (interrupted, gap, partial)
    share: float | None = None  # partial: the share of the phrase carried word for word (0-1)


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a stage could not produce its record for one target. A stage never returns a bare None."""

    stage: str  # "fetch" or "extract"
    outlet_id: str
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article an outlet may have published about the event."""

    outlet_id: str
    url: str | None  # None: a headline seen (on Google News) whose article URL could not be resolved
    title: str | None
    published: datetime | None
    found_via: tuple[str, ...]
    relevance: float = 0.0
    summary: str = ""
    key: str = ""  # canonical id (same story under several sections or URLs)


@dataclass(frozen=True, slots=True)
class BackendRun:
    """One backend's search for one outlet (or for all outlets at once, for GDELT)."""

    backend: str
    outlet_id: str
    searched: str  # what was asked: feed URLs, the search URL, the query
    candidates: tuple[Candidate, ...] = ()
    error: str | None = None  # the backend failed: why

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class OutletDiscovery:
    """What discovery concluded for one outlet: found (with candidates), none (with proof), or failed (why)."""

    outlet_id: str
    outcome: str  # "found", "none", "failed"
    candidates: tuple[Candidate, ...] = ()
    runs: tuple[BackendRun, ...] = ()
    off_topic: tuple[str, ...] = field(default=())  # fetched, but the body never mentions the event


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a run found; renderers turn it into terminal, JSON (and later Markdown, HTML) output."""

    phrases: tuple[Phrase, ...]
    outlets: tuple[Outlet, ...]
    targets: tuple[Target, ...]
    articles: tuple[Article, ...]
    matches: tuple[Match, ...]
    failures: tuple[Failure, ...]
    started: datetime
    finished: datetime
    timings: dict[str, float] = field(default_factory=dict)
    event: Event | None = None
    discovery: tuple[OutletDiscovery, ...] = ()
    requests: dict[str, int] = field(default_factory=dict)  # HTTP requests per host
    pages: dict[str, Page] = field(default_factory=dict, repr=False)  # article URL -> HTTP exchange (evidence)
    notes: tuple[str, ...] = ()  # how pages were obtained: robots ignored, offline, from an archive
    # lookups by id, built on first use, so that rendering a report stays linear in its size
    _index: list[_ReportIndex] = field(default_factory=list, init=False, repr=False, compare=False)

    def _indexed(self) -> _ReportIndex:
        if not self._index:
            self._index.append(_ReportIndex.of(self))
        return self._index[0]

    def discovery_of(self, outlet_id: str) -> OutletDiscovery | None:
        return next((d for d in self.discovery if d.outlet_id == outlet_id), None)

    def cell(self, phrase_id: str, outlet_id: str) -> tuple[Status, Match | None]:
        """What the matrix shows: the outlet's best match, else no article / search failed."""
        match = self.verdict(phrase_id, outlet_id)
        if match is not None:
            return match.status, match
        found = self.discovery_of(outlet_id)
        return (Status.SEARCH_FAILED if found and found.outcome == "failed" else Status.NO_ARTICLE), None

    def outlet(self, outlet_id: str) -> Outlet:
        return self._indexed().outlets[outlet_id]

    def article(self, url: str) -> Article | None:
        """The article read at this location (URL or file path), if any."""
        return self._indexed().articles.get(url)

    def matches_of(self, phrase_id: str, outlet_id: str) -> tuple[Match, ...]:
        """Every match of the phrase in the outlet's articles, the best first."""
        return self._indexed().every.get((phrase_id, outlet_id), ())

    def verdict(self, phrase_id: str, outlet_id: str) -> Match | None:
        """The outlet's best match for the phrase over all its articles (None if it has no target)."""
        found = self._indexed().every.get((phrase_id, outlet_id))
        return found[0] if found else None

    @property
    def compared(self) -> int:
        """How many articles were read and matched."""
        return len(self.articles)


@dataclass(frozen=True, slots=True)
class _ReportIndex:
    outlets: dict[str, Outlet]
    articles: dict[str, Article]
    every: dict[tuple[str, str], tuple[Match, ...]]  # (phrase id, outlet id) -> matches, best first

    @classmethod
    def of(cls, report: Report) -> _ReportIndex:
        every: dict[tuple[str, str], list[Match]] = {}
        for match in report.matches:
            every.setdefault((match.phrase_id, match.outlet_id), []).append(match)
        return cls(
            outlets={o.id: o for o in report.outlets},
            articles={a.url: a for a in report.articles},
            every={key: tuple(sorted(ms, key=lambda m: (-m.status.rank, -m.score))) for key, ms in every.items()},
        )
