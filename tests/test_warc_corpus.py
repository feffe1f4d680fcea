"""The WARC.gz corpus generator (benchmarks.warc_corpus): files that warcio reads back, known plants, determinism."""

from __future__ import annotations

import gzip
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from benchmarks.warc_corpus import (
    CORRUPT_VALID_ARTICLES,
    CORRUPT_VALID_RECORDS,
    KINDS,
    PHRASES,
    Corpus,
    corrupt_urls,
    corrupt_warc,
    outlets,
    to_simplified,
    write_corpus,
)


@dataclass(frozen=True)
class Record:
    file: int
    type: str
    url: str | None
    status: str | None
    content_type: str | None
    raw: bytes  # the payload as stored (still gzipped for a Content-Encoding: gzip response)
    body: bytes  # the payload as warcio decodes it


def read(path: Path, file: int = 0) -> list[Record]:
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            http = record.http_headers
            raw = record.raw_stream.read()
            records.append(
                Record(
                    file,
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    http.get_statuscode() if http else None,
                    http.get_header("Content-Type") if http else None,
                    raw,
                    gzip.decompress(raw) if http and http.get_header("Content-Encoding") == "gzip" else raw,
                )
            )
    return records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("warc"), 300, files=4, seed=1)


@pytest.fixture(scope="module")
def records(corpus: Corpus) -> list[Record]:
    return [record for k, path in enumerate(corpus.files) for record in read(path, k)]


def folded(text: str) -> str:
    return to_simplified(text).casefold()


def every_phrase_text() -> list[str]:
    texts = []
    for phrase in PHRASES.values():
        texts += [phrase["text"], *phrase["renderings"].values(), *phrase["reworded"]]
    return texts


def test_files_read_back_with_the_counts_written(corpus: Corpus, records: list[Record]) -> None:
    assert len(corpus.files) == 4
    assert all(p.name.startswith("CC-NEWS-2026") and p.name.endswith(".warc.gz") for p in corpus.files)
    assert Counter(r.type for r in records) == corpus.records
    for k in range(4):
        assert next(r for r in records if r.file == k).type == "warcinfo"
    responses = [r for r in records if r.type == "response"]
    extra_responses = [kind for kind, _ in corpus.extras if kind not in ("revisit", "metadata")]
    assert len(responses) == corpus.articles + len(extra_responses)
    assert corpus.records["request"] == len(responses)
    assert corpus.records["revisit"] == corpus.records["metadata"] == 1
    for before, record in pairwise(records):  # each response right after its request
        if record.type == "response":
            assert before.type == "request" and before.url == record.url
    # every well-formed article is a 200 UTF-8 HTML response whose body is the page kept in corpus.pages
    by_url = {r.url: r for r in responses}
    assert len(corpus.pages) == corpus.articles
    for url, page in corpus.pages.items():
        record = by_url[url]
        assert (record.status, record.content_type) == ("200", "text/html; charset=utf-8")
        assert record.body.decode("utf-8") == page


def test_article_pages_look_like_their_outlets(corpus: Corpus) -> None:
    hosts = Counter(url.split("/")[2] for url in corpus.pages)
    assert set(hosts) == {o.domain for o in outlets()}
    assert {"coastalgazette.example", "tidewater-news.example", "harbordaily.example"} <= set(hosts)
    assert any(re.fullmatch(r"https://harbordaily\.example/news/202603\d\d/\d{4}", url) for url in corpus.pages)
    days = set()
    for url, page in corpus.pages.items():
        assert f'<link rel="canonical" href="{url}">' in page
        assert "<article" in page and "<nav>" in page and "<footer>" in page
        stamp = re.search(r'"article:published_time" content="(2026-03-(\d\d))T', page)
        assert stamp is not None
        days.add(int(stamp.group(2)))
        body = re.search(r'<div class="story-body">(.*?)</div>', page, re.S)
        assert body is not None
        text = re.sub(r"<[^>]+>", "", body.group(1))
        if 'lang="en"' in page:
            assert 200 <= len(text.split()) <= 420
        else:
            assert 1100 <= len(re.findall(r"[\u4e00-\u9fff]", text)) <= 2000
    assert min(days) >= 2 and max(days) <= 15 and len(days) >= 10


def test_plants_are_recorded_and_in_their_pages(corpus: Corpus) -> None:
    planted = corpus.planted
    assert 0.04 * corpus.articles <= len(planted) <= 0.13 * corpus.articles
    assert {(p.phrase_id, p.kind) for p in planted} == {(i, kind) for i in PHRASES for kind in KINDS}
    assert len({p.url for p in planted}) == len(planted)  # never two phrases in one article
    for plant in planted:
        page = corpus.pages[plant.url]
        phrase = PHRASES[plant.phrase_id]
        assert plant.text in page
        english_page = 'lang="en"' in page
        if plant.kind == "verbatim":
            assert folded(phrase["text"]) in folded(page)
            assert english_page == (phrase["language"] == "en")
        elif plant.kind == "reworded":
            assert folded(plant.text) in {folded(v) for v in phrase["reworded"]}
            assert folded(phrase["text"]) not in folded(page)
        else:
            language = "en" if english_page else "zh"
            assert language != phrase["language"]
            assert folded(plant.text) == folded(phrase["renderings"][language])


def test_some_chinese_plants_are_in_simplified_characters(corpus: Corpus) -> None:
    chinese = [p for p in corpus.planted if p.kind == "verbatim" and p.phrase_id == "p1"]
    assert any(p.text == PHRASES["p1"]["text"] for p in chinese)
    assert any(p.text == to_simplified(PHRASES["p1"]["text"]) for p in chinese)


def test_unplanted_pages_hold_no_phrase(corpus: Corpus) -> None:
    planted = {p.url for p in corpus.planted}
    needles = [folded(text) for text in every_phrase_text()]
    for url, page in corpus.pages.items():
        if url not in planted:
            text = folded(page)
            assert not any(needle in text for needle in needles), url


def test_rewordings_stay_close_variants() -> None:
    def bare(text: str) -> str:
        return re.sub(r"\s+", " ", folded(text)).strip()

    for phrase in PHRASES.values():
        assert len(phrase["text"]) >= 10 if phrase["language"] == "zh" else len(phrase["text"].split()) >= 7
        for variant in phrase["reworded"]:
            assert 80 <= fuzz.ratio(bare(phrase["text"]), bare(variant)) < 100, variant


def test_extras_are_there_and_well_formed(corpus: Corpus, records: list[Record]) -> None:
    kinds = Counter(kind for kind, _ in corpus.extras)
    for kind in ("png", "json", "css", "404", "301", "truncated", "empty", "navigation-only", "big5", "gzip"):
        assert kinds[kind] >= 1, kind
    assert {r.file for r in records if r.type == "response" and r.url not in corpus.pages} == {0, 1, 2, 3}
    extra = {url: kind for kind, url in corpus.extras if kind not in ("revisit", "metadata")}
    assert not set(extra) & set(corpus.pages)
    responses = {r.url: r for r in records if r.type == "response" and r.url in extra}
    assert len(responses) == len(extra)
    for url, kind in extra.items():
        record = responses[url]
        if kind == "png":
            assert record.content_type == "image/png" and record.body.startswith(b"\x89PNG\r\n\x1a\n")
        elif kind == "big5":
            assert record.content_type == "text/html; charset=big5"
            text = record.body.decode("big5")
            assert "<article" in text and len(re.findall(r"[\u4e00-\u9fff]", text)) > 1000
            with pytest.raises(UnicodeDecodeError):
                record.body.decode("utf-8")
        elif kind == "gzip":
            assert record.raw[:2] == b"\x1f\x8b" and b"<article" in record.body
        elif kind == "truncated":
            assert record.body.endswith(b"<p") and b"</html>" not in record.body
        elif kind == "empty":
            assert record.body == b"" and record.status == "200"
        elif kind in ("404", "301"):
            assert record.status.startswith(kind) and record.body.startswith(b"<html>")
    revisit = next(r for r in records if r.type == "revisit")
    assert revisit.url in corpus.pages and revisit.raw == b""
    assert next(r for r in records if r.type == "metadata").body.startswith(b"fetchTimeMs: ")


def test_generation_is_deterministic(tmp_path: Path) -> None:
    one = write_corpus(tmp_path / "one", 40, files=2, seed=5)
    two = write_corpus(tmp_path / "two", 40, files=2, seed=5)
    assert [p.name for p in one.files] == [p.name for p in two.files]
    assert [p.read_bytes() for p in one.files] == [p.read_bytes() for p in two.files]
    assert one.planted == two.planted and one.pages == two.pages
    # the articles depend on the seed, not on how they are split into files
    plain = write_corpus(tmp_path / "plain", 40, files=3, seed=5, extras=False)
    assert plain.pages == one.pages and plain.planted == one.planted
    assert set(plain.records) == {"response"}
    other = write_corpus(tmp_path / "other", 40, files=2, seed=6)
    assert other.pages != one.pages


def test_a_corrupt_file_reads_partway(tmp_path: Path) -> None:
    path = corrupt_warc(tmp_path / "damaged.warc.gz")
    assert path == tmp_path / "damaged.warc.gz"
    seen: list[tuple[str, str | None]] = []
    failed = False
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                record.content_stream().read()
                seen.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI")))
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError):
            failed = True
    responses = [url for kind, url in seen if kind == "response"]
    assert responses[:CORRUPT_VALID_ARTICLES] == corrupt_urls()
    assert failed or len(responses) == CORRUPT_VALID_ARTICLES  # raises, or stops at the damage
    assert len(seen) >= CORRUPT_VALID_RECORDS
