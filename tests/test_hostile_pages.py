"""Hostile pages, YAML files and quote-heavy articles: extraction never raises and stays within its bounds, a YAML
file beyond the limits is refused with one `path:line:col` line, quote grouping stays near-linear.

Each test is bounded in time by its input (no timed assertion): the limit is checked by the note or the error that
says it was applied."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import coverage.extract.limits as limits
from coverage import quotes as quotes_module
from coverage.errors import SourcesError, UsageError
from coverage.event import load_event
from coverage.extract import extract, text_article
from coverage.models import Article, Failure, Fetched, Target
from coverage.quotes import extract_quotes, group_quotes, quote_phrases
from coverage.schema import MAX_ALIAS_NODES, MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_DEPTH
from coverage.sources import load_sources

URL = "https://tidewater.example/a/1"
STORY = "<p>石港市長今天說明輕軌計畫，預計明年動工，市民普遍支持這項建設，議會也將在下週審查預算。</p>" * 4


def fetched(html: str) -> Fetched:
    return Fetched(
        target=Target("t", url=URL),
        final_url=URL,
        status_code=200,
        content_type="text/html",
        encoding="utf-8",
        html=html,
        fetched_at=datetime.now(UTC),
        elapsed_s=0.0,
    )


def page(body: str, head: str = "<title>石港輕軌</title>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# ── one hostile page never crashes extraction ──


@pytest.mark.parametrize("char", ["\b", "\x00", "\x1b", "\x0c", "\ud800", "\ufffe"])
def test_characters_lxml_refuses_are_dropped_and_the_article_read(char: str) -> None:
    # a page that is one block (no <html>): lxml keeps the character in the tree, and setting text with it raised
    # "ValueError: All strings must be XML compatible" (the page failed as unparsable)
    html = f"<div><h1>石港輕軌{char}<script>var a = 1;</script></h1>{STORY}</div>"
    article = extract(fetched(html))
    assert isinstance(article, Article), article
    assert "輕軌計畫" in article.text and char not in article.text
    full = extract(fetched(page(f"{char}<script>x</script><article>{STORY}</article>")))
    assert isinstance(full, Article) and char not in full.text


def test_json_ld_nested_a_thousand_deep_is_skipped_not_fatal() -> None:
    deep_list = "[" * 1000 + "]" * 1000
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    head = (
        f'<script type="application/ld+json">{deep_list}</script>'
        f'<script type="application/ld+json">{deep_object}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "石港輕軌明年動工",'
        ' "author": {"@type": "Person", "name": "許文豪"}}</script>'
    )
    article = extract(fetched(page(f"<article>{STORY}</article>", head)))
    assert isinstance(article, Article), article
    assert article.author == "許文豪"  # the readable JSON-LD block is still read


def test_a_huge_json_ld_graph_is_read_in_linear_time() -> None:
    graph = ",".join(['{"@type": "Thing"}'] * 100_000)  # list.pop(0) over it was quadratic
    head = f'<script type="application/ld+json">{{"@graph": [{graph}]}}</script>'
    assert isinstance(extract(fetched(page(f"<article>{STORY}</article>", head))), Article)


def test_any_unexpected_exception_becomes_the_pages_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import coverage.extract as extract_module

    def broken(tree: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract_module, "_read_meta", broken)
    result = extract(fetched(page(f"<article>{STORY}</article>")))
    assert result == Failure("extract", "t", URL, "could not read the page: RecursionError")


@pytest.mark.parametrize(
    "html",
    [
        "<div " + " ".join(f'a{i}="{"x" * 10}"' for i in range(20_000)) + f"><article>{STORY}</article></div>",
        f"<article>{STORY}<p>{'字' * 1_000_000}</p></article>",  # one enormous line
        "<div>" * 5_000 + STORY + "</div>" * 5_000,  # deeper than libxml2 keeps (255)
        "\x00" * 1000 + "<" * 10_000 + ">" * 10_000,
        "<script>" + "\ud800" * 1000 + "</script>",
        "",
    ],
    ids=["attributes", "long-line", "deep", "garbage", "surrogates", "empty"],
)
def test_a_pathological_page_is_an_article_or_a_failure(html: str) -> None:
    assert isinstance(extract(fetched(page(html) if html else html)), Article | Failure)


def test_attributes_beyond_the_budget_are_dropped_with_a_note() -> None:
    tags = "".join(f'<div class="{"share " * 2_000}">{i}</div>' for i in range(100))  # 1.2 million characters
    article = extract(fetched(page(f"{tags}<article>{STORY}</article>")))
    assert isinstance(article, Article)
    assert (
        "the attributes of 17 element(s) were not read: more than 100 on one element, or more than 1,000,000"
        in (article.notes[0])
    )


def test_a_tag_with_too_many_attributes_loses_them_before_parsing() -> None:
    # libxml2 parses attributes in quadratic time (80,000 on one element: 10 s); quoted < and > do not end the tag
    attributes = " ".join(f'a{i}="<>"' for i in range(100_000))
    article = extract(fetched(page(f'<div {attributes} class="x"><article>{STORY}</article></div>')))
    assert isinstance(article, Article) and "輕軌計畫" in article.text
    assert article.notes[0].startswith("the attributes of 1 element(s) were not read: more than 100 on one element")


# ── unbounded time in extraction ──


def test_a_page_of_eighty_thousand_paragraphs_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    # the same page as the (80,000 <p>, 40 s before), scaled to the cap lowered from 20,000 to 2,000 so
    # that the test stays quick: the first paragraphs are read, the ones past the cap are not
    monkeypatch.setattr(limits, "MAX_ELEMENTS", 2_000)
    paragraphs = "".join(f"<p>Paragraph {i} of the statement says something about the talks.</p>" for i in range(8_000))
    article = extract(fetched(page(f"<article>{paragraphs}</article>")))
    assert isinstance(article, Article), article
    assert "the page has 8,005 elements: only its first 2,000 were read" in article.notes
    assert "Paragraph 10 of" in article.text and "Paragraph 7000 of" not in article.text


def test_the_element_cap_applies_at_its_real_size() -> None:
    filler = "<b>x</b>" * (limits.MAX_ELEMENTS + 100)
    article = extract(fetched(page(f"<article>{STORY}{filler}</article>")))
    assert isinstance(article, Article), article
    assert any(
        re.fullmatch(r"the page has 20,1\d\d elements: only its first 20,000 were read", n) for n in article.notes
    )
    assert any("without trafilatura's fallback extractors" in note for note in article.notes)


def test_long_runs_of_short_blocks_skip_the_quadratic_fallback() -> None:
    # 3,000 short paragraphs: jusText's context pass would walk 9 million steps on each extraction
    html = page("<p>x</p>" * 3_000 + f"<article>{STORY}</article>")
    article = extract(fetched(html))
    assert isinstance(article, Article)
    assert "read without trafilatura's fallback extractors (readability, jusText): long runs of short blocks" in (
        article.notes
    )


def test_an_ordinary_page_carries_no_limit_note() -> None:
    article = extract(fetched(page(f"<nav>{'<a href=/x>menu</a>' * 50}</nav><article>{STORY}</article>")))
    assert isinstance(article, Article) and article.notes == ()


# ── YAML: alias bombs, deep nesting, size ──

ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
)  # 9^9 values from some 350 bytes
ONE_LINE = re.compile(r"^\S+\.yaml:\d+:\d+ refused: [^\n]+$")


def registry_error(tmp_path: Path, text: str) -> str:
    file = tmp_path / "sources.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_sources(file, bundled=False)
    return str(error.value)


def event_error(tmp_path: Path, text: str) -> str:
    file = tmp_path / "event.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        load_event(file)
    return str(error.value)


@pytest.mark.parametrize(
    ("registry", "event", "problem"),
    [
        (
            f"{ALIAS_BOMB}\noutlets: *i\n",
            f"{ALIAS_BOMB}\nqueries: *i\n",
            f"expand to more than {MAX_ALIAS_NODES:,} values",
        ),
        (
            "outlets: " + "[" * 1000 + "]" * 1000 + "\n",
            "queries: " + "[" * 1000 + "]" * 1000 + "\n",
            f"nested deeper than {MAX_YAML_DEPTH} levels",
        ),
        (
            "outlets: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n",
            "title: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n",
            f"nested deeper than {MAX_YAML_DEPTH} levels",
        ),
        (  # nested block mappings: no bracket to count, the composer counts the levels
            "outlets:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 1000)),
            "phrases:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 1000)),
            f"nested deeper than {MAX_YAML_DEPTH} levels",
        ),
        (
            "x: &x [1]\noutlets: [" + ", ".join(["*x"] * (MAX_YAML_ALIASES + 1)) + "]\n",
            "x: &x [1]\nqueries: [" + ", ".join(["*x"] * (MAX_YAML_ALIASES + 1)) + "]\n",
            f"more than {MAX_YAML_ALIASES} aliases",
        ),
        ("outlets: &o [1, *o]\n", "queries: &q [a, *q]\n", "refers to a value that contains it"),
        ("a: " + "x" * MAX_YAML_BYTES + "\n", "a: " + "x" * MAX_YAML_BYTES + "\n", "larger than 2 MiB"),
    ],
    ids=["alias-bomb", "deep-flow-lists", "deep-flow-mappings", "deep-block", "many-aliases", "recursive", "size"],
)
def test_a_yaml_file_beyond_the_limits_is_refused_in_one_line(
    tmp_path: Path, registry: str, event: str, problem: str
) -> None:
    for message in (registry_error(tmp_path, registry), event_error(tmp_path, event)):
        assert ONE_LINE.match(message), message
        assert problem in message


def test_the_refusal_points_at_the_line_and_column(tmp_path: Path) -> None:
    assert registry_error(tmp_path, "outlets: " + "[" * 60 + "]" * 60).startswith(f"{tmp_path}/sources.yaml:1:60 ")
    bomb = event_error(tmp_path, f"{ALIAS_BOMB}\nqueries: *i\n")
    assert bomb.startswith(f"{tmp_path}/event.yaml:10:10 refused: the aliases (*i and others)")


def test_brackets_in_quoted_strings_and_comments_are_no_nesting(tmp_path: Path) -> None:
    file = tmp_path / "event.yaml"
    file.write_text(
        f"title: '{'[' * 80}'\nqueries: [\"{'{' * 80}\", plain]  # {'[' * 80}\naliases: [[a, b]]\n", encoding="utf-8"
    )
    event = load_event(file)
    assert event.queries == ("{" * 80, "plain") and event.aliases == (("a", "b"),)


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    file = tmp_path / "event.yaml"
    file.write_text("x: &names [赫塞斯, Hegseth]\naliases: [*names]\nqueries: [赫塞斯]\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"event\.x: unknown field"):  # the schema still reads the file
        load_event(file)
    file.write_text("aliases: [&names [赫塞斯, Hegseth]]\nqueries: [赫塞斯]\n", encoding="utf-8")
    assert load_event(file).aliases == (("赫塞斯", "Hegseth"),)


def test_an_endless_event_file_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(UsageError, match=r"^/dev/zero:1:1 refused: the file is larger than 2 MiB"):
        load_event("/dev/zero")


# ── quotes: near-linear grouping ──


def _statement(i: int) -> str:
    # distinct statements: eight made-up words each, drawn from the statement's own seed
    draw = random.Random(i)
    words = ("".join(draw.choice("bcdfghklmnprstvz") + draw.choice("aeiou") for _ in range(3)) for _ in range(8))
    return f"we {' '.join(words)} together"


def test_four_thousand_quotes_group_correctly() -> None:
    body = "\n".join(f'"{_statement(i)}," said Aldric Voss.' for i in range(4_000))
    first = text_article(body, "a", "https://a.example/1")
    known = [_statement(i) for i in (7, 1234, 3999)]
    second = text_article(
        f'"{known[0]}," Voss said.\n"{known[1].upper()}," he added.\n"{known[2][:-11]}," said Voss.',
        "b",
        "https://b.example/1",
    )
    quotes = [*extract_quotes(first), *extract_quotes(second)]
    assert len(quotes) == 4_003
    groups = group_quotes(quotes)
    assert len(groups) == 4_000
    carried = {g.text: g.outlets for g in groups[:3]}
    assert carried == {text: ["a", "b"] for text in known}  # the same words, another case, part of it
    assert all(g.outlets == ["a"] and len(g.quotes) == 1 for g in groups[3:])


def test_quote_phrases_put_the_most_widely_carried_first() -> None:
    body = "\n".join(f'"{_statement(i)}," said Aldric Voss.' for i in range(300))
    first = text_article(body, "a", "https://a.example/1")
    second = text_article(f'"{_statement(42)}," Voss said.', "b", "https://b.example/1")
    phrases = quote_phrases([first, second], limit=2)
    assert [p.text for p in phrases][:1] == [_statement(42)] and phrases[0].speaker == "Aldric Voss"


def test_quote_marks_without_end_cost_linear_time() -> None:
    # each opening mark looked for its closing mark to the end of the text: 200,000 of them, quadratic
    text = "「" * 200_000 + "部長說：「我們一致認為兩國關係良好」。" + "“" * 200_000
    [quote] = extract_quotes(text_article(text, "a", "https://a.example/1"))
    assert quote.text.endswith("部長說：「我們一致認為兩國關係良好")  # the outermost mark within 600 characters


def test_quotes_in_one_endless_paragraph_cost_linear_time() -> None:
    # no sentence end and no line break: each 他說 looked back over the whole paragraph for its antecedent
    sentence = "他說，「我們一致認為兩國關係前所未有地好第{}次」，"
    text = "部長沃斯表示：「會談很成功大家都滿意」，" + "".join(sentence.format(i) for i in range(800))
    quotes = extract_quotes(text_article(text, "a", "https://a.example/1"))
    assert len(quotes) == 801 and quotes[-1].speaker == "沃斯"


def test_quotes_past_the_per_article_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotes_module, "MAX_QUOTES_PER_ARTICLE", 10)
    body = "\n".join(f'"{_statement(i)}," said Aldric Voss.' for i in range(50))
    assert len(extract_quotes(text_article(body, "a", "https://a.example/1"))) == 10
