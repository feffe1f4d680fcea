"""Report -> JSON with a schema_version; the same content as the terminal view, for scripts and archives."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..models import Phrase, Report, iso
from ..textnorm import BIDI_CONTROLS
from .renderings import renderings, wants_view
from .summary import header, tallies

# Bump on any change that can break a reader: renamed or removed keys, changed meanings. The JSON Schema of the
# current version is report.schema.json beside this file (`schema()`), checked against real reports in the tests.
# 2: statuses "uncertain" and "not compared"; method is one of exact, rendering, fuzzy, pieces, translator,
#    aligner, none; matches carry confidence, rank, margin, signals and where; phrases carry source; "renderings".
# 3: articles carry their text (match spans index into it); timings_s are wall-clock seconds per stage (stages
#    overlap; "total" is the run), not sums of concurrent work; "tallies" per phrase; "header".
SCHEMA_VERSION = 4
SCHEMA_FILE = Path(__file__).with_name("report.schema.json")


# Characters json.dumps(ensure_ascii=False) writes as they are although a terminal acts on them (DEL, C1 controls such
# as CSI, bidi controls, the line and paragraph separators) and lone surrogates (which no UTF-8 file can hold): they
# only ever occur inside strings, where \uXXXX stands for them exactly
_RAW = re.compile(rf"[\x7f-\x9f\u2028\u2029\ud800-\udfff{BIDI_CONTROLS}]")


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON text that keeps every character of the data (UTF-8, CJK as is) but shows no control character raw:
    C0 controls are escaped by json already, and C1, bidi controls and lone surrogates by `_RAW`."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every report_to_dict() output validates against."""
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def report_to_dict(report: Report) -> dict[str, Any]:
    """A plain-data view of the report; `matrix` holds each outlet's verdict per phrase."""
    matrix = {p.id: {o.id: report.cell(p.id, o.id)[0].value for o in report.outlets} for p in report.phrases}
    event = report.event
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "newscov", "version": __version__},
        "started": report.started.isoformat(),
        "finished": report.finished.isoformat(),
        "timings_s": dict(report.timings),
        "header": asdict(header(report)),
        "phrases": [asdict(p) for p in report.phrases],
        "outlets": [asdict(o) for o in report.outlets],
        "matrix": matrix,
        "tallies": [
            {
                "phrase_id": t.phrase_id,
                "read": t.read,
                "carried": t.carried,
                "outlets": {status.value: list(ids) for status, ids in t.by_status},
            }
            for t in tallies(report)
        ],
        "articles": [
            {
                "outlet_id": a.outlet_id,
                "url": a.url,
                "final_url": a.final_url,
                "title": a.title,
                "published": iso(a.published),
                "updated": iso(a.updated),
                "author": a.author,
                "language": a.language,
                "script": a.script,
                "chars": len(a.text),
                "sha256": a.sha256,
                "text": a.text,
                "captions": list(a.captions),
                "reprint_of": a.reprint_of,
                "notes": list(a.notes),
                "fetched_at": a.fetched_at.isoformat(),
            }
            for a in report.articles
        ],
        "matches": [
            {**asdict(m), "status": m.status.value, "span": list(m.span) if m.span else None} for m in report.matches
        ],
        "failures": [asdict(f) for f in report.failures],
        "event": None
        if event is None
        else {
            "title": event.title,
            "queries": list(event.queries),
            "aliases": [list(a) for a in event.aliases],
            "from": event.start.isoformat(),
            "to": event.end.isoformat(),
        },
        "discovery": [
            {
                "outlet_id": d.outlet_id,
                "outcome": d.outcome,
                "articles": [
                    {
                        "url": c.url,
                        "title": c.title,
                        "published": c.published.isoformat() if c.published else None,
                        "found_via": list(c.found_via),
                        "relevance": round(c.relevance, 3),
                    }
                    for c in d.candidates
                ],
                "searched": [
                    {"backend": r.backend, "searched": r.searched, "hits": len(r.candidates), "error": r.error}
                    for r in d.runs
                ],
                "off_topic": list(d.off_topic),
            }
            for d in report.discovery
        ],
        "renderings": [renderings_to_dict(report, p) for p in report.phrases if wants_view(report, p)],
        "requests": dict(report.requests),
        "notes": list(report.notes),
    }


def renderings_to_dict(report: Report, phrase: Phrase) -> dict[str, Any]:
    """How each outlet worded one statement: groups of identical wordings, then the outlets without one."""
    view = renderings(report, phrase)
    return {
        "phrase_id": phrase.id,
        "text": phrase.text,
        "groups": [
            {
                "wording": g.wording,
                "outlets": g.outlets,
                "statuses": sorted({m.status.value for m in g.matches}),
                "where": sorted({m.where for m in g.matches}),
                "flags": list(g.flags),
                "diff_from_most_common": [asdict(op) for op in g.diff],
            }
            for g in view.groups
        ],
        "others": [
            {"outlet_id": o, "status": s.value, "candidate": m.matched_text if m else None} for o, s, m in view.others
        ],
    }


def report_to_json(report: Report, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8, CJK kept as is)."""
    return dumps(report_to_dict(report), indent=indent)
