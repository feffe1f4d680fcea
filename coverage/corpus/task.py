"""One corpus task: the HTML pages of one WARC file (or byte range) read, extracted and matched.

`run_task(task, job)` is a pure function of its arguments: it reads the file, keeps nothing between calls but a
per-process cache of the prepared matchers, and returns its rows; the caller (engine.py) writes them. So a Dask
worker needs nothing but the package, and running a task twice gives the same rows.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..extract import extract
from ..fetch import DecodeError, charset_of, decode_page
from ..match import MATCHERS, STRING_MATCHERS, ArticleView, Cascade, MatchSettings
from ..match.base import DECISIVE
from ..models import Article, Failure, Fetched, Match, Phrase, Status, Target
from ..sources import Registry, host_of
from ..store import MAX_RECORD_BYTES
from .layout import HITS_SCHEMA, PAGES_SCHEMA
from .prefilter import build_automaton, candidates
from .warc import Record, WarcDamaged, responses

TRAFILATURA = "trafilatura"
MAX_CELL = 2000  # characters of matched text, context or title kept per row


@dataclass(frozen=True, slots=True)
class Job:
    """What every task of a run shares: the phrases, how to match them, the registry that names the outlets."""

    phrases: tuple[Phrase, ...]
    settings: MatchSettings
    registry: Registry
    fast_text: bool = False  # resiliparse instead of trafilatura for the body
    aligner: bool = False  # the cross-language aligner on pages in another language than the phrase (costly)
    max_bytes: int = MAX_RECORD_BYTES  # the page cap, as in compare
    fingerprint: str = field(init=False, compare=False, repr=False)  # digest of describe(): a job's identity

    def __post_init__(self) -> None:
        text = json.dumps(self.describe(), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        object.__setattr__(self, "fingerprint", digest)

    @property
    def extraction(self) -> str:
        from ..extract.fast import NAME

        return NAME if self.fast_text else TRAFILATURA

    def describe(self) -> dict[str, Any]:
        """The job as JSON data (job.json): what decides the rows, so a resumed run can check it is the same job."""
        return {
            "phrases": [
                {"id": p.id, "text": p.text, "renderings": list(p.renderings), "language": p.language}
                for p in self.phrases
            ],
            "settings": {
                "near_han": self.settings.near_han,
                "near_latin": self.settings.near_latin,
                "short_han": self.settings.short_han,
                "short_words": self.settings.short_words,
                "aliases": [list(group) for group in self.settings.aliases],
            },
            "extraction": self.extraction,
            "aligner": self.aligner,
            "max_bytes": self.max_bytes,
            "registry": sorted((o.id, *o.domains) for o in self.registry),
        }


@dataclass(frozen=True, slots=True)
class Task:
    """One WARC file, or the records that start in [start, end) of one."""

    file: str  # as the user gave it (rows name it so)
    start: int = 0
    end: int | None = None
    size: int = 0  # the file's size when planned: a file that changed is a new task

    def id(self, fingerprint: str) -> str:
        key = json.dumps([self.file, self.size, self.start, self.end, fingerprint], ensure_ascii=False)
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass(slots=True)
class TaskOutput:
    """A task's rows and counts. `error` says where a damaged file stopped (the rows before it are kept)."""

    hits: pa.Table
    pages: pa.Table
    records: int = 0  # response records seen
    skipped: int = 0  # not HTML, not 200, over the cap
    read: int = 0  # pages with an article
    unreadable: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # "read", "extract", "match"
    error: str | None = None


_PREPARED: dict[str, tuple[Any, Cascade, Cascade | None]] = {}  # per worker process: the job's matchers, built once


def _prepared(job: Job) -> tuple[Any, Cascade, Cascade | None]:
    key = job.fingerprint
    if key not in _PREPARED:
        _PREPARED.clear()  # one job at a time per process
        cascade = Cascade([MATCHERS[name]() for name in STRING_MATCHERS], job.settings)
        aligner = Cascade([MATCHERS["aligner"]()], job.settings) if job.aligner else None
        if aligner is not None:
            aligner.prepare(job.phrases, [])
        _PREPARED[key] = (build_automaton(job.phrases, job.settings), cascade, aligner)
    return _PREPARED[key]


def _fetched(record: Record, outlet_id: str) -> Fetched | Failure:
    assert record.body is not None
    try:
        decoded = decode_page(record.body, charset_of(record.content_type))
    except DecodeError as exc:
        return Failure("fetch", outlet_id, record.url, str(exc))
    return Fetched(
        target=Target(outlet_id, url=record.url),
        final_url=record.url,
        status_code=record.status,
        content_type="text/html",
        encoding=decoded.encoding,
        html=decoded.text,
        fetched_at=record.date or datetime.now(UTC),
        elapsed_s=0.0,
        replaced=decoded.replaced,
    )


def matches_of(article: Article, job: Job) -> list[Match]:
    """The phrases this article carries: the prefilter's candidates through the string matchers, and (with the
    aligner) every phrase of another language through the aligner."""
    automaton, cascade, aligner = _prepared(job)
    view = ArticleView(article, job.settings)
    wanted = candidates(automaton, f"{article.title or ''}\n{article.text}", job.settings.aliases)
    found = []
    for index, phrase in enumerate(job.phrases):
        if index in wanted:
            match = cascade.match(phrase, view)
            if match.status in DECISIVE:
                found.append(match)
                continue
        if aligner is not None and phrase.language and article.language and phrase.language != article.language:
            match = aligner.match(phrase, view)
            if match.status in DECISIVE or match.status is Status.UNCERTAIN:
                found.append(match)
    if aligner is not None:
        aligner.release()  # the article's clauses and vectors: memory stays flat over the archive
    return found


def _cut(text: str | None) -> str | None:
    return text if text is None or len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


def run_task(task: Task, job: Job) -> TaskOutput:
    """Read, extract and match the pages of one task. Never raises for what a page or the file holds."""
    from ..extract.fast import extract_fast

    task_id = task.id(job.fingerprint)
    texts = {phrase.id: phrase.text for phrase in job.phrases}
    read_one = extract_fast if job.fast_text else extract
    hits: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    output = TaskOutput(pa.table({}), pa.table({}))
    seconds = {"read": 0.0, "extract": 0.0, "match": 0.0}
    records = responses(Path(task.file), task.start, task.end, job.max_bytes)
    step = time.perf_counter()
    try:
        for record in records:
            output.records += 1
            if record.body is None:
                output.skipped += 1
                continue
            outlet = job.registry.for_url(record.url)
            fetched = _fetched(record, outlet.id)
            now = time.perf_counter()
            seconds["read"] += now - step
            step = now
            article = fetched if isinstance(fetched, Failure) else read_one(fetched, outlet)
            now = time.perf_counter()
            seconds["extract"] += now - step
            step = now
            where = {
                "outlet_id": outlet.id,
                "outlet": outlet.name,
                "host": host_of(record.url),
                "url": record.url,
                "warc_file": task.file,
                "warc_offset": record.offset,
                "warc_record_id": record.record_id,
                "extraction": job.extraction,
                "task": task_id,
            }
            if isinstance(article, Failure):
                output.unreadable += 1
                pages.append({**where, "chars": 0, "status": "unreadable", "reason": _cut(article.reason)})
                continue
            output.read += 1
            published = article.published
            where |= {
                "title": _cut(article.title),
                "published": published.at.astimezone(UTC) if published else None,
                "published_precision": published.precision if published else None,
                "language": article.language,
            }
            pages.append({**where, "chars": len(article.text), "status": "read", "reason": None})
            for match in matches_of(article, job):
                hits.append(
                    {
                        **where,
                        "phrase_id": match.phrase_id,
                        "phrase": texts[match.phrase_id],
                        "status": match.status.value,
                        "score": float(match.score),
                        "method": match.method.value,
                        "matched_text": _cut(match.matched_text),
                        "context": _cut(match.context),
                        "rendering": match.rendering,
                        "where": match.where,
                    }
                )
            now = time.perf_counter()
            seconds["match"] += now - step
            step = now
    except WarcDamaged as exc:
        output.error = str(exc)
    seconds["read"] += time.perf_counter() - step
    output.hits = pa.Table.from_pylist(hits, schema=HITS_SCHEMA)
    output.pages = pa.Table.from_pylist(pages, schema=PAGES_SCHEMA)
    output.seconds = {stage: round(value, 4) for stage, value in seconds.items()}
    return output
