"""Quoted statements, their speakers, and who carried which quote: unit tests and the demo sample end to end."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from coverage.demo import PAGES, SITE
from coverage.demo.server import LoopbackServer
from coverage.quotes import Quote, extract_quotes, find_speaker, group_quotes

from .conftest import CliResult
from .test_match import article

Cli = Callable[..., CliResult]


def test_statements_are_quotes_names_of_things_are_not() -> None:
    text = (
        "部長沃斯在「東協防長擴大會議」場邊表示：「我們一致認為，兩國關係前所未有地好。」"
        "他也提到「熱線」一詞，並說“雙方同意建立海巡直接溝通管道”。"
        'He added: "we will keep talking with Kestrel."'
    )
    quotes = [q.text for q in extract_quotes(article(text))]
    assert quotes == [
        "我們一致認為，兩國關係前所未有地好",
        "雙方同意建立海巡直接溝通管道",
        "we will keep talking with Kestrel",
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("維洛里亞海事部長沃斯14日發文表示，他在會談後說：「我們一致認為兩國關係良好」。", "沃斯"),
        ("外交部發言人毛立文說：「我們歡迎一切有利於和平的努力」。", "毛立文"),
        ('"The relationship has never been better," Voss wrote on Pulse.', "Voss"),
        ('"We will not allow any nation to dominate the reef," said Aldric Voss.', "Aldric Voss"),
        ("他說：「這是最好的安排，大家都滿意」。", None),  # a pronoun names nobody
        ("新聞稿寫著「雙方應以對話取代對峙並持續溝通」。", None),
    ],
)
def test_speakers(text: str, speaker: str | None) -> None:
    [quote] = extract_quotes(article(text))
    assert quote.speaker == speaker


def test_aliases_name_the_speaker_by_one_spelling() -> None:
    text = "部長佛斯寫道，雙方同意「建立海巡直接溝通管道，海上事件能在第一時間降溫」。"
    start = text.index("「") + 1
    assert find_speaker(text, start, text.index("」"), [("沃斯", "沃思", "佛斯", "Voss")]) == "沃斯"


def test_quotes_group_across_outlets_and_scripts() -> None:
    a = extract_quotes(article("沃斯說：「我們一致認為，兩國關係前所未有地好」。", outlet="a"))
    b = extract_quotes(article("沃斯称：“我们一致认为两国关系前所未有地好”。", outlet="b"))
    c = extract_quotes(article("芮譚欣強調：「雙方應以對話取代對峙並持續溝通」。", outlet="c"))
    groups = group_quotes([*a, *b, *c])
    assert [g.outlets for g in groups] == [["a", "b"], ["c"]]
    assert groups[0].speaker == "沃斯"


def demo_urls(server: LoopbackServer) -> list[str]:
    return [a for outlet, path in PAGES.items() if outlet != "bayline" for a in ("-u", f"{outlet}={server.url(path)}")]


def test_quotes_command_on_the_demo_sample(cli: Cli) -> None:
    with LoopbackServer(root=SITE) as server:
        result = cli("quotes", *demo_urls(server), "--alias", "沃斯=沃思,佛斯,Voss", "--format", "json")
        text = cli("quotes", *demo_urls(server))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    by_text = {p["text"]: p for p in data["phrases"]}
    never_better = by_text["我們一致認為，兩國關係前所未有地好"]
    assert never_better["speaker"] == "沃斯"
    assert data["matrix"][never_better["id"]] == {
        "harbordaily": "verbatim",
        "islandwire": "absent",  # the wire left it out
        "lantern": "absent",  # a different translation
        "northstar": "verbatim",  # the same words in Simplified Chinese
        "meridian": "uncertain",  # its English rendering: the aligner asks a person to confirm it
    }
    english = by_text["The relationship between Veloria and Kestrel has never been better"]
    assert english["speaker"] == "沃斯"
    assert data["matrix"][english["id"]]["meridian"] == "verbatim"
    assert "carried by:" in text.stdout and "not in:" in text.stdout
    assert "「我們一致認為，兩國關係前所未有地好」  — 沃斯" in text.stdout


def test_compare_without_quote_compares_the_quotes_found(cli: Cli) -> None:
    with LoopbackServer(root=SITE) as server:
        result = cli("compare", *demo_urls(server), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["phrases"]) >= 4
    assert all(p["id"].startswith("q") for p in data["phrases"])


def _quotes(text: str, title: str | None = None, aliases: tuple[tuple[str, ...], ...] = ()) -> list[Quote]:
    from coverage.extract import text_article

    return extract_quotes(text_article(text, "x", "https://x.example/1", title), aliases)


def test_a_pronoun_names_the_last_speaker_of_the_paragraph() -> None:
    text = "國防部長林志遠今天在立法院答詢時表示，國軍已完成戰備整備。他說：「我們不會讓任何國家主宰灰礁海域。」"
    assert [q.speaker for q in _quotes(text)] == ["林志遠"]
    english = 'Defense Minister Lin Chih-yuan said the army was ready. "We will not back down," he said.'
    assert _quotes(english)[0].speaker is not None and "Lin Chih-yuan" in str(_quotes(english)[0].speaker)


def test_a_pronoun_with_nobody_before_it_is_the_articles_main_speaker() -> None:
    text = (
        'The talks ended late.\n"We will not back down," she said. Tamsin Rhee said: "Our position is clear and firm."'
    )
    assert {q.text: q.speaker for q in _quotes(text)} == {
        "We will not back down": "Tamsin Rhee",
        "Our position is clear and firm": "Tamsin Rhee",
    }


def test_an_adverb_after_the_name_is_not_part_of_it() -> None:
    text = "佛斯也說，「一旦海上出現問題，就能迅速化解，避免局勢升溫」。"
    assert _quotes(text)[0].speaker == "佛斯"
    assert _quotes(text, aliases=(("沃斯", "佛斯", "Voss"),))[0].speaker == "沃斯"


def test_a_quote_in_the_headline_is_marked_as_headline() -> None:
    quotes = _quotes("沃斯表示，兩國將持續對話。", title="沃斯：「兩國關係前所未有地好」")
    assert [(q.text, q.where) for q in quotes] == [("兩國關係前所未有地好", "headline")]
