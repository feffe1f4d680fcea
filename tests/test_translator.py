"""The --translator matcher: a LibreTranslate-compatible server, faked over loopback (real HTTP, no internet)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from coverage.extract import text_article
from coverage.match import Cascade, TranslatorMatcher, default_matchers
from coverage.match.translator import ALTERNATIVES, MAX_ANSWER, TranslatorError, translate
from coverage.models import Article, Method, Phrase, Status, Target
from coverage.pipeline import compare
from coverage.sources import Registry

from .conftest import PAGES

EN = "Light rail is the first step of the city's revival"
ZH = "輕軌是城市復興的第一步"  # what the tidewater article carries
SAME = "市府將在年底前完成綜合規劃"  # a Chinese phrase both test pages carry
BODY = (
    "石港市長羅季安5日在市議會說明輕軌建設計畫時表示，「輕軌是城市復興的第一步」，市府將在年底前完成綜合規劃。\n"
    "議員唐子涵說，白皮書裡的數字看起來很漂亮，但沒有人能保證運量真的會達標。\n"
    "市府交通局表示，將在下個月舉辦三場公聽會，蒐集市民意見。"
)
OTHER = "市府今天公布明年度預算，交通建設經費大幅增加，議員質疑財源規劃不夠保守，要求市府說明。"

# the machine translation and its alternatives: only the second alternative is the article's wording
FOUND = {"translatedText": "轻便铁路乃都会重生之始", "alternatives": ["电车带来城镇更新契机", "轻轨是城市复兴的第一步"]}
NOT_FOUND = {"translatedText": "央行宣布调升基本利率半码", "alternatives": ["台风登陆造成大规模停电"]}


def article(text: str = BODY, outlet: str = "tidewater") -> Article:
    return text_article(text, outlet, f"https://{outlet}.example/a/1")


# ── a fake LibreTranslate on 127.0.0.1 ──
# coverage.demo.server.LoopbackServer answers GET only (and polls for shutdown every 0.5 s): a small server here

Answer = tuple[int, str, bytes]  # status, content type, body


@dataclass
class FakeTranslator:
    """POST /translate answers with `answer(body)`: (status, content type, bytes). Records every request body."""

    answer: Callable[[dict[str, Any]], Answer]
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""


def json_answer(data: object, status: int = 200) -> Callable[[dict[str, Any]], Answer]:
    return lambda body: (status, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))


@contextlib.contextmanager
def serving(get: Callable[[str], Answer], post: Callable[[str, bytes], Answer]) -> Iterator[str]:
    """A ThreadingHTTPServer on 127.0.0.1 (ephemeral port) in a thread; yields its base URL.

    Polls for shutdown every 10 ms (the default 500 ms would make every test that stops a server slow)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, answer: Answer) -> None:
            status, kind, payload = answer
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._send(get(self.path))

        def do_POST(self) -> None:
            self._send(post(self.path, self.rfile.read(int(self.headers.get("Content-Length", "0")))))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


NOT_FOUND_PAGE: Answer = (404, "text/html", b"<html><body>Not Found</body></html>")


@pytest.fixture
def translator() -> Iterator[FakeTranslator]:
    fake = FakeTranslator(json_answer(FOUND))

    def post(path: str, raw: bytes) -> Answer:
        fake.paths.append(path)
        body = json.loads(raw)
        fake.requests.append(body)
        return fake.answer(body)

    with serving(lambda path: NOT_FOUND_PAGE, post) as base:
        fake.url = base + "/"  # a trailing slash: the client must not POST to //translate
        yield fake


@pytest.fixture
def dead_url(closed_port_url: str) -> str:
    """A translator URL nothing listens on."""
    return closed_port_url.rsplit("/", 1)[0]


def cascade_for(url: str) -> Cascade:
    return Cascade(default_matchers(aligner=False, translator=url))


def translator_of(cascade: Cascade) -> TranslatorMatcher:
    [matcher] = [m for m in cascade.matchers if isinstance(m, TranslatorMatcher)]
    return matcher


# ── 1. a translation the article carries ──


def test_an_alternative_found_in_the_article_is_translated(translator: FakeTranslator) -> None:
    phrases = [Phrase("p1", EN, language="en")]
    articles = [article()]
    cascade = cascade_for(translator.url)
    cascade.prepare(phrases, articles)
    [match] = cascade.match_article(phrases, articles[0])
    assert match.status is Status.TRANSLATED
    assert match.method is Method.TRANSLATOR
    assert match.rendering == FOUND["alternatives"][1]  # the second alternative, as the server wrote it
    assert match.matched_text == ZH  # in the article's own (Traditional) characters
    assert match.span is not None and BODY[match.span[0] : match.span[1]] == ZH
    assert match.score == 100
    assert translator.paths == ["/translate"]
    assert translator.requests == [
        {"q": EN, "source": "en", "target": "zh", "format": "text", "alternatives": ALTERNATIVES}
    ]
    assert ALTERNATIVES == 3
    assert cascade.problems == []


def test_translations_are_asked_once_per_phrase_and_language(translator: FakeTranslator) -> None:
    phrases = [Phrase("p1", EN), Phrase("p2", SAME)]  # the second is Chinese: never sent for Chinese articles
    articles = [article(), article(OTHER, "other")]
    cascade = cascade_for(translator.url)
    cascade.prepare(phrases, articles)
    first = cascade.match_article(phrases, articles[0])
    second = cascade.match_article(phrases, articles[1])
    assert [m.status for m in first] == [Status.TRANSLATED, Status.VERBATIM]
    assert [m.method for m in first] == [Method.TRANSLATOR, Method.EXACT]
    assert second[0].status is Status.NOT_COMPARED
    assert second[1].status is Status.ABSENT  # same language: the string matchers judge it
    assert [(r["q"], r["source"], r["target"]) for r in translator.requests] == [(EN, "en", "zh")]


def test_without_prepare_the_translation_is_asked_when_first_needed(translator: FakeTranslator) -> None:
    cascade = cascade_for(translator.url)
    phrase = Phrase("p1", EN)
    assert cascade.match(phrase, cascade.view(article())).status is Status.TRANSLATED
    assert cascade.match(phrase, cascade.view(article(outlet="again"))).status is Status.TRANSLATED
    assert len(translator.requests) == 1


# ── 2. a translation the article does not carry ──


def test_a_translation_not_found_is_never_an_absence(translator: FakeTranslator) -> None:
    translator.answer = json_answer(NOT_FOUND)
    phrases = [Phrase("p1", EN)]
    articles = [article()]
    cascade = cascade_for(translator.url)
    cascade.prepare(phrases, articles)
    [match] = cascade.match_article(phrases, articles[0])
    assert match.status is Status.NOT_COMPARED  # not absent: the outlet may have worded it otherwise
    assert match.method is Method.NONE
    assert match.rendering is None and match.matched_text is None
    assert match.note is not None
    assert "the article is in zh and the phrase in en" in match.note
    assert "no cross-language matcher could judge the pair" in match.note
    assert cascade.problems == []
    assert len(translator.requests) == 1


# ── 3. a translator that fails: named once, never asked again, the other matchers go on ──


def _bad_answers() -> dict[str, Callable[[dict[str, Any]], Answer]]:
    return {
        "http 500": lambda body: (500, "text/plain", b"Internal Server Error\n  model not loaded"),
        "not json": lambda body: (200, "text/html", b"<html><body>LibreTranslate</body></html>"),
        "no translatedText": json_answer({"error": "Please provide a source language"}),
        "a json list": json_answer(["轻轨是城市复兴的第一步"]),
    }


@pytest.mark.parametrize("kind", list(_bad_answers()))
def test_a_failing_translator_is_named_and_asked_once(translator: FakeTranslator, kind: str) -> None:
    translator.answer = _bad_answers()[kind]
    phrases = [Phrase("p1", EN), Phrase("p2", "Light rail will connect the station and the harbour"), Phrase("p3", ZH)]
    articles = [article(), article(OTHER, "other"), article("輕軌將串聯火車站と港区を結ぶ予定です。", "nichi")]
    cascade = cascade_for(translator.url)
    cascade.prepare(phrases, articles)
    results = [m for a in articles for m in cascade.match_article(phrases, a)]
    assert len(translator.requests) == 1  # the first failure stops it: no wait on a broken server per phrase
    [problem] = cascade.problems
    assert problem.startswith("translator failed: ")
    assert translator.url.rstrip("/") + "/translate" in problem
    if kind == "http 500":
        assert "HTTP 500" in problem and "model not loaded" in problem
    else:
        assert "not a LibreTranslate answer" in problem
    by = {(m.phrase_id, m.outlet_id): m for m in results}
    assert by["p3", "tidewater"].status is Status.VERBATIM  # the string matchers still judge
    assert by["p3", "other"].status is Status.ABSENT
    assert by["p1", "tidewater"].status is Status.NOT_COMPARED
    assert by["p1", "tidewater"].note is not None and problem in by["p1", "tidewater"].note


def test_a_server_that_is_down_is_named_with_its_url(dead_url: str) -> None:
    phrases = [Phrase("p1", EN), Phrase("p2", ZH)]
    articles = [article(), article(OTHER, "other")]
    cascade = cascade_for(dead_url)
    cascade.prepare(phrases, articles)
    matcher = translator_of(cascade)
    assert matcher.failed
    [problem] = cascade.problems
    assert f"{dead_url}/translate" in problem and "ConnectError" in problem
    results = [m for a in articles for m in cascade.match_article(phrases, a)]
    assert [m.status for m in results] == [Status.NOT_COMPARED, Status.VERBATIM, Status.NOT_COMPARED, Status.ABSENT]
    assert cascade.problems == [problem]  # named once, not once per phrase or article


def test_a_failure_while_matching_stops_later_requests(translator: FakeTranslator) -> None:
    translator.answer = _bad_answers()["http 500"]
    cascade = cascade_for(translator.url)  # no prepare: the first match asks
    phrases = [Phrase("p1", EN), Phrase("p2", "Light rail will connect the station and the harbour")]
    for text, outlet in ((BODY, "tidewater"), (OTHER, "other")):
        results = cascade.match_article(phrases, article(text, outlet))
        assert [m.status for m in results] == [Status.NOT_COMPARED, Status.NOT_COMPARED]
    assert len(translator.requests) == 1
    assert len(cascade.problems) == 1


# ── 4. end to end: compare() over loopback ──


# like eastwind.html, in Traditional characters and with a date in its metadata (a page without one sends
# htmldate to dateparser, whose first call loads its locales for seconds): it does not carry the translation
HARBOR = """<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<title>石港輕軌計畫提交議會 預計年底完成規劃 | 港灣報</title>
<meta property="article:published_time" content="2026-03-05T17:45:00+08:00">
</head><body>
<article>
<h1>石港輕軌計畫提交議會 預計年底完成規劃</h1>
<div class="content">
<p>石港市政府5日向市議會提交輕軌建設計畫。市長羅季安表示，市府將在年底前完成綜合規劃，並送交中央審查。</p>
<p>據介紹，輕軌第一期路線將連接火車站、舊港區和科學園區，全長約十二公里，預計每日運量可達四萬人次。</p>
<p>部分議員對財務規劃提出質疑，認為運量預估過於樂觀。市府交通局表示，將於下月舉辦三場公聽會聽取市民意見。</p>
</div>
</article>
</body></html>
"""
SITE = {
    "/tidewater.html": (PAGES / "tidewater.html").read_bytes(),  # carries the translation (Traditional)
    "/harbor.html": HARBOR.encode("utf-8"),
}


@pytest.fixture
def pages() -> Iterator[str]:
    """The two test pages on 127.0.0.1 (robots.txt and anything else: 404); yields the base URL."""

    def get(path: str) -> Answer:
        if path in SITE:
            return 200, "text/html; charset=utf-8", SITE[path]
        return NOT_FOUND_PAGE

    with serving(get, lambda path, raw: NOT_FOUND_PAGE) as base:
        yield base


def _targets(base: str) -> list[Target]:
    return [Target("tidewater", url=base + "/tidewater.html"), Target("harbor", url=base + "/harbor.html")]


def test_compare_with_a_translator(pages: str, translator: FakeTranslator) -> None:
    report = compare(
        [EN, SAME],
        _targets(pages),
        registry=Registry([]),
        matchers=default_matchers(aligner=False, translator=translator.url),
    )
    assert report.failures == ()
    assert {a.outlet_id: a.language for a in report.articles} == {"tidewater": "zh", "harbor": "zh"}
    cells = {(m.phrase_id, m.outlet_id): m for m in report.matches}
    assert {key: m.status for key, m in cells.items()} == {
        ("p1", "tidewater"): Status.TRANSLATED,
        ("p1", "harbor"): Status.NOT_COMPARED,
        ("p2", "tidewater"): Status.VERBATIM,
        ("p2", "harbor"): Status.VERBATIM,
    }
    assert cells["p1", "tidewater"].method is Method.TRANSLATOR
    assert cells["p1", "tidewater"].rendering == FOUND["alternatives"][1]
    assert cells["p1", "tidewater"].matched_text == ZH
    assert report.notes == ()
    assert [(r["q"], r["target"]) for r in translator.requests] == [(EN, "zh")]  # once for both articles


def test_compare_with_a_failing_translator(pages: str, translator: FakeTranslator) -> None:
    translator.answer = _bad_answers()["http 500"]
    report = compare(
        [EN, SAME],
        _targets(pages),
        registry=Registry([]),
        matchers=default_matchers(aligner=False, translator=translator.url),
    )
    [note] = report.notes
    assert note.startswith("translator failed: ") and translator.url.rstrip("/") + "/translate" in note
    assert "HTTP 500" in note
    statuses = {(m.phrase_id, m.outlet_id): m.status for m in report.matches}
    assert statuses == {
        ("p1", "tidewater"): Status.NOT_COMPARED,
        ("p1", "harbor"): Status.NOT_COMPARED,
        ("p2", "tidewater"): Status.VERBATIM,
        ("p2", "harbor"): Status.VERBATIM,
    }
    assert all(note in (m.note or "") for m in report.matches if m.phrase_id == "p1")  # each cell says why
    assert len(translator.requests) == 1


def test_compare_with_a_translator_that_is_down(pages: str, dead_url: str) -> None:
    report = compare(
        [EN, SAME],
        _targets(pages),
        registry=Registry([]),
        matchers=default_matchers(aligner=False, translator=dead_url),
    )
    [note] = report.notes
    assert f"{dead_url}/translate" in note
    assert len(report.articles) == 2
    assert {m.status for m in report.matches if m.phrase_id == "p2"} == {Status.VERBATIM}


# ── translate(): the answer's shape, through httpx.MockTransport ──


def _translate(payload: object, status: int = 200) -> list[str]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(payload, bytes):
            return httpx.Response(status, content=payload)
        return httpx.Response(status, json=payload)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        try:
            return translate(client, "http://mt.test/", "hello", "en", "zh")
        finally:
            [request] = seen
            assert request.method == "POST" and str(request.url) == "http://mt.test/translate"
            assert json.loads(request.content) == {
                "q": "hello",
                "source": "en",
                "target": "zh",
                "format": "text",
                "alternatives": 3,
            }


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"translatedText": "你好", "alternatives": ["您好", "哈囉"]}, ["你好", "您好", "哈囉"]),
        ({"translatedText": "你好"}, ["你好"]),  # an older server: no alternatives
        ({"translatedText": "你好", "alternatives": None}, ["你好"]),
        ({"translatedText": "你好", "alternatives": []}, ["你好"]),
        ({"translatedText": "你好", "alternatives": "您好"}, ["你好"]),  # not a list: its letters are no wordings
        ({"translatedText": "你好", "alternatives": {"a": "您好"}}, ["你好"]),
        ({"translatedText": "你好", "alternatives": ["你好", "", "  ", 7, None, "您好", "您好"]}, ["你好", "您好"]),
        ({"translatedText": "", "alternatives": ["您好"]}, ["您好"]),
    ],
)
def test_translate_reads_the_answer(payload: object, expected: list[str]) -> None:
    assert _translate(payload) == expected


def test_translate_caps_each_translation() -> None:
    long = "长" * (MAX_ANSWER + 500)
    texts = _translate({"translatedText": long, "alternatives": ["短", "久" * (MAX_ANSWER * 2)]})
    assert [len(t) for t in texts] == [MAX_ANSWER, 1, MAX_ANSWER]
    assert texts[0] == long[:MAX_ANSWER]


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"error": "bad"}, 200, "not a LibreTranslate answer"),
        (["你好"], 200, "not a LibreTranslate answer"),
        ("你好", 200, "not a LibreTranslate answer"),
        (b"<html>busy</html>", 200, "not a LibreTranslate answer"),
        (b"\xff\xfe garbage", 200, "not a LibreTranslate answer"),
        ({"error": "Too many requests"}, 429, "answered HTTP 429: {"),
        (b"Internal error\n\n   details", 500, "answered HTTP 500: Internal error details"),
    ],
)
def test_translate_rejects_nonsense(payload: object, status: int, message: str) -> None:
    with pytest.raises(TranslatorError) as caught:
        _translate(payload, status)
    assert str(caught.value).startswith("http://mt.test/translate")
    assert message in str(caught.value)


def test_translate_names_a_transport_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(TranslatorError) as caught:
        translate(client, "http://mt.test", "hello", "en", "zh")
    assert str(caught.value) == "http://mt.test/translate: ConnectTimeout: timed out"


def test_the_matcher_uses_its_transport() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=FOUND)

    matcher = TranslatorMatcher("http://mt.test", transport=httpx.MockTransport(handler))
    cascade = Cascade([matcher])
    phrase = Phrase("p1", EN)
    match = cascade.match(phrase, cascade.view(article()))
    assert match.status is Status.TRANSLATED and match.matched_text == ZH


# ── answers that are not translations, and addresses that are not URLs ──


@pytest.mark.parametrize("main", [None, 42, ["你好"]])
def test_translate_rejects_a_translated_text_that_is_not_text(main: object) -> None:
    with pytest.raises(TranslatorError, match="not a LibreTranslate answer"):
        _translate({"translatedText": main, "alternatives": []})


def test_a_malformed_translator_url_is_a_problem_not_a_crash() -> None:
    cascade = cascade_for("http://[::1")
    cascade.prepare([Phrase("p1", EN)], [article()])
    [problem] = cascade.problems
    assert problem.startswith("translator failed: http://[::1/translate")


def test_the_translator_flag_end_to_end(pages: str, translator: FakeTranslator, cli: Callable[..., Any]) -> None:
    """`newscov compare --translator URL --no-aligner`: the CLI wires the flag to the matcher."""
    result = cli(
        "compare", "-q", EN, "--translator", translator.url, "--no-aligner", "--no-cache", "--format", "json",
        "-u", f"tidewater={pages}/tidewater.html", "-u", f"harbor={pages}/harbor.html",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matrix"]["p1"] == {"tidewater": "translated", "harbor": "not compared"}
    [found] = [m for m in data["matches"] if m["outlet_id"] == "tidewater"]
    assert found["method"] == "translator" and found["rendering"] == FOUND["alternatives"][1]
