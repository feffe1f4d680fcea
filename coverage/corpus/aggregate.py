"""What a corpus run found, summed up: `newscov corpus report DIR`.

DuckDB (in memory) reads the Parquet files of the finished tasks and does every count with GROUP BY, so the work
is linear in the rows and only the (bounded) results reach Python:

- per outlet: the articles read (distinct URLs with a page read), the pages left unreadable, the first and last
  publication time seen, and the articles carrying any phrase;
- the outlet x phrase matrix: distinct articles carrying each phrase, split by status (an article carried by
  several hits counts once, under its strongest status), zeros included: an outlet that read articles and carried
  none is the "left it out" case;
- per phrase: who carried it first and who followed (outlets by their earliest dated hit, undated ones after), and
  the articles carrying it per UTC day;
- the tasks: how many finished, with which errors, their pages and hits.

Only the part files of finished tasks (those with OUT/tasks/<task>.json) are read: a task without it may have left
half-written files, which the next run overwrites. Every string here comes from the archives and is untrusted; the
renderers in coverage/report/corpus.py clean and escape it. Long strings are cut at a few hundred characters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from ..errors import UsageError
from .layout import HITS, JOB_FILE, PAGES, TASKS

CARRIED = ("verbatim", "translated", "near", "partial")  # strongest first; any other status counts as "other"

FIRST_SEEN_LIMIT = 200  # outlets listed per phrase in "first seen"
DAYS_LIMIT = 3660  # days kept per phrase in the per-day counts (ten years)
OUTLETS_LIMIT = 10_000  # rows of the matrix (the outlets that read the most articles)
ERRORS_LIMIT = 100  # task errors listed

NAME_CAP = 200
TITLE_CAP = 300
URL_CAP = 2000
TEXT_CAP = 2000

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000


class CorpusReadError(UsageError):
    """The folder is not a corpus output folder, or its files cannot be read."""


@dataclass(frozen=True, slots=True)
class CorpusPhrase:
    id: str
    text: str
    renderings: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    """Distinct articles carrying a phrase, by status (each article once, under its strongest status)."""

    verbatim: int = 0
    translated: int = 0
    near: int = 0
    partial: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.verbatim + self.translated + self.near + self.partial + self.other

    def items(self) -> tuple[tuple[str, int], ...]:
        """(status, count) for every status, strongest first, "other" last."""
        return (
            ("verbatim", self.verbatim),
            ("translated", self.translated),
            ("near", self.near),
            ("partial", self.partial),
            ("other", self.other),
        )


@dataclass(frozen=True, slots=True)
class OutletRow:
    """One outlet: what it published (the denominator) and, per phrase, the articles carrying it."""

    outlet_id: str
    outlet: str  # display name
    read: int  # distinct articles (URLs) with a page read
    unreadable: int  # distinct URLs whose every page was unreadable
    first_published: datetime | None  # over every page of the outlet with a time
    last_published: datetime | None
    carrying: int  # distinct articles carrying at least one of the phrases
    cells: tuple[Counts, ...]  # one per phrase, in the order of CorpusSummary.phrases


@dataclass(frozen=True, slots=True)
class FirstSeen:
    """An outlet's earliest article carrying a phrase."""

    outlet_id: str
    outlet: str
    url: str
    title: str | None
    status: str
    published: datetime | None  # None: none of the outlet's hits has a date
    precision: str | None  # "minute" or "day" (a day-precision time stands at 00:00 UTC)
    delay: timedelta | None  # after the very first outlet; None when undated


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date  # UTC
    articles: int


@dataclass(frozen=True, slots=True)
class PhraseStats:
    """One phrase over the whole corpus."""

    phrase_id: str
    outlets: int  # outlets carrying it
    articles: Counts  # distinct articles carrying it, all outlets
    first_seen: tuple[FirstSeen, ...]  # dated first, earliest first; then undated, by outlet name
    first_seen_left_out: int  # outlets beyond the cap
    days: tuple[DayCount, ...]  # days with at least one article, in order
    days_left_out: int  # articles on days beyond the cap (the latest ones)
    undated: int  # articles carrying it with no publication time


@dataclass(frozen=True, slots=True)
class TaskError:
    task: str
    file: str
    error: str


@dataclass(frozen=True, slots=True)
class TaskSummary:
    finished: int
    failed: int  # finished with an error (their file was cut short)
    pages: int  # as the task markers count them ("pages": the pages read)
    unreadable: int  # "unreadable" of the markers (0 when they do not say)
    hits: int
    errors: tuple[TaskError, ...]
    errors_left_out: int


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    folder: str
    phrases: tuple[CorpusPhrase, ...]
    outlets: tuple[OutletRow, ...]  # most articles read first
    outlets_total: int  # outlets with a page or a hit; those beyond the cap are left out of `outlets`
    articles_read: int  # over all outlets
    pages_unreadable: int
    stats: tuple[PhraseStats, ...]  # one per phrase, in the order of `phrases`
    tasks: TaskSummary

    @property
    def outlets_left_out(self) -> int:
        return self.outlets_total - len(self.outlets)


def _cap(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _load_phrases(folder: Path, phrase_ids: Sequence[str] | None) -> tuple[CorpusPhrase, ...]:
    path = folder / JOB_FILE
    try:
        job = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusReadError(f"{folder} has no {JOB_FILE}: it is not the output folder of newscov corpus") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CorpusReadError(f"{path} cannot be read: {error}") from None
    items = job.get("phrases") if isinstance(job, dict) else None
    if not isinstance(items, list):
        raise CorpusReadError(f"{path} lists no phrases")
    phrases = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("text"), str):
            raise CorpusReadError(f"{path}: every phrase needs a string id and text")
        renderings = item.get("renderings") or []
        language = item.get("language")
        phrases.append(
            CorpusPhrase(
                item["id"],
                _cap(item["text"], TEXT_CAP),
                tuple(_cap(r, TEXT_CAP) for r in renderings if isinstance(r, str))
                if isinstance(renderings, list)
                else (),
                language if isinstance(language, str) else None,
            )
        )
    if phrase_ids is None:
        return tuple(phrases)
    known = {p.id: p for p in phrases}
    unknown = [i for i in phrase_ids if i not in known]
    if unknown:
        have = ", ".join(repr(_cap(k, 40)) for k in list(known)[:20])
        raise CorpusReadError(f"no phrase {', '.join(repr(_cap(i, 40)) for i in unknown[:5])} in {path}; it has {have}")
    wanted = dict.fromkeys(phrase_ids)
    return tuple(known[i] for i in wanted)


def _count(task: dict[str, object], key: str) -> int:
    value = task.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _load_tasks(folder: Path, errors_limit: int) -> tuple[TaskSummary, set[str]]:
    finished: set[str] = set()
    failed, pages, unreadable, hits = 0, 0, 0, 0
    errors: list[TaskError] = []
    for path in sorted((folder / TASKS).glob("*.json")):
        try:
            task = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # written atomically: a file that does not parse is no finished task
        if not isinstance(task, dict):
            continue
        finished.add(path.stem)
        pages += _count(task, "pages")
        unreadable += _count(task, "unreadable")
        hits += _count(task, "hits")
        error = task.get("error")
        if error:
            failed += 1
            if len(errors) < errors_limit:
                file = task.get("file")
                errors.append(TaskError(path.stem, _cap(str(file or ""), URL_CAP), _cap(str(error), TEXT_CAP)))
    summary = TaskSummary(len(finished), failed, pages, unreadable, hits, tuple(errors), failed - len(errors))
    return summary, finished


def _part_files(directory: Path, finished: set[str]) -> list[str]:
    """The Parquet files of finished tasks (<task>.parquet; a <task>.parquet.partial is being written)."""
    return [str(path) for path in sorted(directory.glob("*.parquet")) if path.stem in finished]


_HITS_COLUMNS = {
    "phrase_id": "VARCHAR",
    "status": "VARCHAR",
    "outlet_id": "VARCHAR",
    "outlet": "VARCHAR",
    "url": "VARCHAR",
    "title": "VARCHAR",
    "published": "TIMESTAMPTZ",
    "published_precision": "VARCHAR",
}
_PAGES_COLUMNS = {
    "outlet_id": "VARCHAR",
    "outlet": "VARCHAR",
    "url": "VARCHAR",
    "published": "TIMESTAMPTZ",
    "status": "VARCHAR",
}


def _view(con: duckdb.DuckDBPyConnection, name: str, files: list[str], columns: dict[str, str]) -> None:
    """`name` as a view of the files (read lazily; paths passed as values, never as SQL), or empty."""
    if files:
        con.read_parquet(files, union_by_name=True).select(", ".join(columns)).create_view(f"{name}_raw")
        casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in columns.items())
        con.execute(f"CREATE TEMP VIEW {name} AS SELECT {casts} FROM {name}_raw")
    else:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns.items())
        con.execute(f"CREATE TEMP VIEW {name} AS SELECT {nulls} LIMIT 0")


# an article counts once per phrase, under its strongest status
_RANK = "CASE status " + " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(CARRIED)) + f" ELSE {len(CARRIED)} END"
_BY_RANK = ", ".join(f"count(*) FILTER (WHERE rank = {n})" for n in range(5))

_SQL_SETUP = f"""
CREATE TEMP TABLE articles AS  -- (outlet, phrase, article): its strongest status, earliest time, a title
SELECT outlet_id, phrase_id, url, struct_extract(best, 'rank') AS rank, struct_extract(best, 'status') AS status,
       published, precision, title, outlet
FROM (
    SELECT outlet_id, phrase_id, url, min({{'rank': {_RANK}, 'status': status}}) AS best,
           min(published) AS published, arg_min(published_precision, published) AS precision,
           min(title) AS title, min(outlet) AS outlet
    FROM hits WHERE outlet_id IS NOT NULL AND url IS NOT NULL GROUP BY outlet_id, phrase_id, url
);

CREATE TEMP TABLE outlets AS
WITH per_url AS (
    SELECT outlet_id, url, bool_or(status = 'read') AS read, min(outlet) AS outlet,
           min(published) AS first, max(published) AS last
    FROM pages WHERE outlet_id IS NOT NULL AND url IS NOT NULL GROUP BY outlet_id, url
), per_outlet AS (
    SELECT outlet_id, min(outlet) AS outlet, count(*) FILTER (WHERE read) AS read,
           count(*) FILTER (WHERE NOT read) AS unreadable, min(first) AS first, max(last) AS last
    FROM per_url GROUP BY outlet_id
), names AS (
    SELECT outlet_id, min(outlet) AS outlet FROM articles GROUP BY outlet_id
), carrying AS (
    SELECT outlet_id, count(DISTINCT url) AS carrying FROM articles GROUP BY outlet_id
)
SELECT outlet_id, coalesce(o.outlet, n.outlet, outlet_id) AS outlet, coalesce(o.read, 0) AS read,
       coalesce(o.unreadable, 0) AS unreadable, o.first, o.last, coalesce(c.carrying, 0) AS carrying
FROM per_outlet o FULL JOIN carrying c USING (outlet_id) LEFT JOIN names n USING (outlet_id);
"""

_SQL_OUTLETS = """
SELECT outlet_id, outlet, read, unreadable, epoch_us(first), epoch_us(last), carrying
FROM outlets ORDER BY read DESC, carrying DESC, outlet, outlet_id LIMIT ?
"""

_SQL_TOTALS = "SELECT count(*), coalesce(sum(read), 0), coalesce(sum(unreadable), 0) FROM outlets"

_SQL_CELLS = f"""
SELECT a.outlet_id, a.phrase_id, {_BY_RANK}
FROM articles a SEMI JOIN shown s ON a.outlet_id = s.outlet_id
GROUP BY a.outlet_id, a.phrase_id
"""

_SQL_PHRASES = f"""
SELECT phrase_id, count(DISTINCT outlet_id), {_BY_RANK} FROM articles GROUP BY phrase_id
"""

_SQL_FIRST_SEEN = """
WITH per_outlet AS (
    SELECT phrase_id, outlet_id, min(outlet) AS outlet,
           min({'published': published, 'url': url, 'rank': rank, 'status': status, 'title': title,
                'precision': precision}) FILTER (WHERE published IS NOT NULL) AS dated,
           min({'rank': rank, 'url': url, 'status': status, 'title': title}) AS fallback
    FROM articles GROUP BY phrase_id, outlet_id
), timed AS (
    SELECT *, struct_extract(dated, 'published') AS published FROM per_outlet
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY phrase_id
                              ORDER BY published IS NULL, published, outlet, outlet_id) AS n,
           count(*) OVER (PARTITION BY phrase_id) AS total,
           min(published) OVER (PARTITION BY phrase_id) AS earliest
    FROM timed
)
SELECT phrase_id, outlet_id, coalesce(outlet, outlet_id),
       coalesce(struct_extract(dated, 'url'), struct_extract(fallback, 'url')),
       coalesce(struct_extract(dated, 'title'), struct_extract(fallback, 'title')),
       coalesce(struct_extract(dated, 'status'), struct_extract(fallback, 'status')),
       epoch_us(published), struct_extract(dated, 'precision'), epoch_us(published) - epoch_us(earliest), total
FROM ranked WHERE n <= ? ORDER BY phrase_id, n
"""

_SQL_DAYS = f"""
WITH per_article AS (  -- an article carried by several outlets' rows (one URL, one outlet) counts once
    SELECT phrase_id, url, min(published) AS published FROM articles GROUP BY phrase_id, url
), per_day AS (
    SELECT phrase_id, CAST(floor(epoch_us(published) / {_DAY_US}) AS BIGINT) AS day, count(*) AS articles
    FROM per_article GROUP BY ALL
)
SELECT phrase_id, day, articles,
       CASE WHEN day IS NULL THEN 0 ELSE row_number() OVER (PARTITION BY phrase_id, day IS NULL ORDER BY day) END
FROM per_day ORDER BY phrase_id, day NULLS LAST
"""


def summarize(
    folder: Path,
    phrase_ids: Sequence[str] | None = None,
    *,
    first_seen_limit: int = FIRST_SEEN_LIMIT,
    days_limit: int = DAYS_LIMIT,
    outlets_limit: int = OUTLETS_LIMIT,
    errors_limit: int = ERRORS_LIMIT,
) -> CorpusSummary:
    """Sum up the output folder of `newscov corpus` (the finished tasks so far); `phrase_ids`: only these phrases
    (in that order), else every phrase of job.json."""
    folder = Path(folder)
    phrases = _load_phrases(folder, phrase_ids)
    tasks, finished = _load_tasks(folder, errors_limit)
    hit_files = _part_files(folder / HITS, finished)
    page_files = _part_files(folder / PAGES, finished)
    try:
        with duckdb.connect() as con:
            return _summarize(
                con, folder, phrases, tasks, hit_files, page_files, first_seen_limit, days_limit, outlets_limit
            )
    except duckdb.Error as error:
        raise CorpusReadError(f"the Parquet files in {folder} cannot be read: {error}") from None


def _summarize(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    phrases: tuple[CorpusPhrase, ...],
    tasks: TaskSummary,
    hit_files: list[str],
    page_files: list[str],
    first_seen_limit: int,
    days_limit: int,
    outlets_limit: int,
) -> CorpusSummary:
    con.execute("CREATE TEMP TABLE wanted (id VARCHAR)")
    if phrases:
        con.executemany("INSERT INTO wanted VALUES (?)", [[p.id] for p in phrases])
    _view(con, "pages", page_files, _PAGES_COLUMNS)
    _view(con, "all_hits", hit_files, _HITS_COLUMNS)
    con.execute("CREATE TEMP VIEW hits AS SELECT * FROM all_hits SEMI JOIN wanted ON phrase_id = wanted.id")
    con.execute(_SQL_SETUP)

    rows = con.execute(_SQL_OUTLETS, [outlets_limit]).fetchall()
    total_row = con.execute(_SQL_TOTALS).fetchone()
    outlets_total, articles_read, unreadable = total_row if total_row else (0, 0, 0)
    con.execute("CREATE TEMP TABLE shown (outlet_id VARCHAR)")
    if rows:
        con.executemany("INSERT INTO shown VALUES (?)", [[r[0]] for r in rows])
    cells = {(o, p): Counts(*counts) for o, p, *counts in con.execute(_SQL_CELLS).fetchall()}
    outlets = tuple(
        OutletRow(
            outlet_id=_cap(outlet_id, NAME_CAP),
            outlet=_cap(name, NAME_CAP),
            read=read,
            unreadable=unread,
            first_published=_time(first),
            last_published=_time(last),
            carrying=carrying,
            cells=tuple(cells.get((outlet_id, p.id), Counts()) for p in phrases),
        )
        for outlet_id, name, read, unread, first, last, carrying in rows
    )

    per_phrase = {p: (n, Counts(*counts)) for p, n, *counts in con.execute(_SQL_PHRASES).fetchall()}
    seen: dict[str, list[FirstSeen]] = {}
    seen_total: dict[str, int] = {}
    for phrase_id, outlet_id, name, url, title, status, published, precision, delay, total in con.execute(
        _SQL_FIRST_SEEN, [first_seen_limit]
    ).fetchall():
        seen.setdefault(phrase_id, []).append(
            FirstSeen(
                outlet_id=_cap(outlet_id, NAME_CAP),
                outlet=_cap(name, NAME_CAP),
                url=_cap(url, URL_CAP),
                title=_cap(title, TITLE_CAP) if title is not None else None,
                status=_cap(status, NAME_CAP),
                published=_time(published),
                precision=precision if precision in ("minute", "day") else None,
                delay=None if delay is None else timedelta(microseconds=delay),
            )
        )
        seen_total[phrase_id] = total
    days: dict[str, list[DayCount]] = {}
    later: dict[str, int] = {}
    undated: dict[str, int] = {}
    for phrase_id, day, count, n in con.execute(_SQL_DAYS).fetchall():
        if day is None:
            undated[phrase_id] = count
        elif n <= days_limit:
            days.setdefault(phrase_id, []).append(DayCount(date(1970, 1, 1) + timedelta(days=day), count))
        else:
            later[phrase_id] = later.get(phrase_id, 0) + count
    stats = tuple(
        PhraseStats(
            phrase_id=p.id,
            outlets=per_phrase.get(p.id, (0, Counts()))[0],
            articles=per_phrase.get(p.id, (0, Counts()))[1],
            first_seen=tuple(seen.get(p.id, ())),
            first_seen_left_out=seen_total.get(p.id, 0) - len(seen.get(p.id, ())),
            days=tuple(days.get(p.id, ())),
            days_left_out=later.get(p.id, 0),
            undated=undated.get(p.id, 0),
        )
        for p in phrases
    )
    return CorpusSummary(
        folder=str(folder),
        phrases=phrases,
        outlets=outlets,
        outlets_total=outlets_total,
        articles_read=articles_read,
        pages_unreadable=unreadable,
        stats=stats,
        tasks=tasks,
    )
