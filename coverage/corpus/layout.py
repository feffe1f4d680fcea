"""The output folder of a corpus run, and the columns of its Parquet files.

    OUT/job.json             what was asked (phrases, settings, extraction), and its fingerprint
    OUT/hits/<task>.parquet  one row per (phrase, article) where the phrase was carried
    OUT/pages/<task>.parquet one row per HTML page read (the denominator: who published what, when)
    OUT/tasks/<task>.json    written last, atomically: the task is finished (its counts, and the error that cut
                             its file short, if any). A task without it is run again by the next run.

A task is one WARC file, or one byte range of one; its id is a digest of (file, size, range, job fingerprint),
so a resumed run gives every task the same id and overwrites any half-written part files it left.
"""

from __future__ import annotations

import pyarrow as pa

JOB_FILE = "job.json"
HITS = "hits"
PAGES = "pages"
TASKS = "tasks"

_WHERE = [
    ("outlet_id", pa.string()),  # registry id, or an id made from the host for a domain no outlet has
    ("outlet", pa.string()),  # display name (the host for unknown domains)
    ("host", pa.string()),
    ("url", pa.string()),
    ("title", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")),  # null when the page gives no time
    ("published_precision", pa.string()),  # "minute" or "day"; null with published
    ("language", pa.string()),
    ("warc_file", pa.string()),  # the path as given on the command line
    ("warc_offset", pa.int64()),  # byte offset of the response record: `newscov` or warcio can read it back
    ("warc_record_id", pa.string()),
    ("extraction", pa.string()),  # "trafilatura" (what compare uses) or "resiliparse" (--fast-text)
    ("task", pa.string()),
]

HITS_SCHEMA = pa.schema(
    [
        ("phrase_id", pa.string()),
        ("phrase", pa.string()),
        ("status", pa.string()),  # verbatim, translated, near, partial (and uncertain with --aligner)
        ("score", pa.float64()),  # 0-100
        ("method", pa.string()),  # the matcher that reached the verdict
        ("matched_text", pa.string()),  # the outlet's own words
        ("context", pa.string()),  # the sentence around them
        ("rendering", pa.string()),  # the accepted rendering that matched (translated)
        ("where", pa.string()),  # "body" or "headline"
        *_WHERE,
    ]
)

PAGES_SCHEMA = pa.schema(
    [
        *_WHERE,
        ("chars", pa.int64()),  # characters of article text (0 when unreadable)
        ("status", pa.string()),  # "read" or "unreadable"
        ("reason", pa.string()),  # why unreadable
    ]
)
