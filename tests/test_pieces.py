"""The phrase in pieces: interrupted by its attribution, written with a gap, or carried in part."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from coverage.extract import text_article
from coverage.match import match_phrase
from coverage.models import Match, Method, Phrase, Status
from coverage.report.terminal import carried_line


def verdict(phrase: str, text: str) -> Match:
    return match_phrase(Phrase("p1", phrase), text_article(text, "harbor", "https://harbor.example/1"))


@pytest.mark.parametrize(
    ("phrase", "text", "between"),
    [
        (
            "我們會持續與夥伴密切合作，維護區域的和平與穩定",
            "林部長表示：「我們會持續與夥伴密切合作，」林部長在記者會上說，「維護區域的和平與穩定。」他未透露細節。",
            "林部長在記者會上說",
        ),
        (
            "We will stay the course",
            'The minister was defiant. "We will," she said, "stay the course." Critics balked.',
            "she said",
        ),
    ],
)
def test_a_quote_interrupted_by_its_attribution_is_verbatim(phrase: str, text: str, between: str) -> None:
    match = verdict(phrase, text)
    assert match.status is Status.VERBATIM and match.method is Method.PIECES
    assert len(match.pieces) == 2
    assert match.note is not None and between in match.note
    start, end = match.span
    assert text[start:end] == match.matched_text
    for piece in match.pieces:
        assert piece.phrase in phrase and text[piece.start : piece.end].strip("，,") in piece.phrase


def test_an_inserted_word_is_a_variant_not_an_interruption() -> None:
    match = verdict("我們絕不會讓任何國家主宰灰礁海域", "他說：「我們絕不會真的讓任何國家主宰灰礁海域。」")
    assert match.status is Status.NEAR
    negated = verdict("我們絕會讓任何國家主宰灰礁海域", "他說：「我們絕不會讓任何國家主宰灰礁海域。」")
    assert negated.status is Status.NEAR and "negation" in negated.flags


def test_a_phrase_written_with_a_gap_matches_its_parts_in_order() -> None:
    text = "國防部長在立法院表示，我們不會退讓，面對任何壓力都將堅守立場，但也不會挑釁，以免局勢升溫。"
    match = verdict("我們不會退讓…也不會挑釁", text)
    assert match.status is Status.VERBATIM
    assert [p.phrase for p in match.pieces] == ["我們不會退讓", "也不會挑釁"]
    assert verdict("也不會挑釁…我們不會退讓", text).status is not Status.VERBATIM


@pytest.mark.parametrize(
    ("phrase", "text", "carried"),
    [
        (
            "Veloria will stoutly defend its interests in the Grey Reef waters and will never give up an inch",
            "The minister said Veloria will stoutly defend its interests, without giving details.",
            ["Veloria will stoutly defend its interests"],
        ),
        (
            "Veloria will stoutly defend its interests in the Grey Reef waters and will never give up an inch",
            'He vowed that his country would "stoutly defend its interests" at all costs.',
            ["stoutly defend its interests"],
        ),
        (
            "我國漁民在這片傳統漁場作業已有上百年的歷史",
            "漁會理事長表示，我國漁民在這片傳統漁場作業，政府應保障權益。",
            ["我國漁民在這片傳統漁場作業"],
        ),
    ],
)
def test_a_part_carried_word_for_word_is_partial(phrase: str, text: str, carried: list[str]) -> None:
    match = verdict(phrase, text)
    assert match.status is Status.PARTIAL
    assert [p.phrase for p in match.pieces] == carried
    assert match.share == pytest.approx(sum(len(c) for c in carried) / len(phrase), abs=0.1)
    assert match.note is not None and "not carried" in match.note


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        (
            "兩國關係前所未有地好，雙方同意建立海巡熱線",
            "外交部表示，兩國關係穩定，將持續溝通。",
        ),  # 兩國關係: 4 characters
        (
            "兩國海巡單位將在年底前舉行首次工作會議",
            "沃斯說，兩國海巡今年已經開過三次工作會議。",
        ),  # 次工作會議, by chance
        ("we will not allow any nation to dominate the Grey Reef", "Fishing boats were seen near the Grey Reef."),
    ],
)
def test_words_two_texts_happen_to_share_are_no_partial(phrase: str, text: str) -> None:
    assert verdict(phrase, text).status is Status.ABSENT


def test_a_subject_carried_without_its_predicate_says_what_was_left_out() -> None:
    # the outlet writes 经济增长的基础 and something else of it: partial, with 仍然稳固 named as not carried
    match = verdict("经济增长的基础仍然稳固", "分析人士担心经济增长的基础正在松动。")
    assert match.status is Status.PARTIAL and match.note is not None and "not carried: 仍然稳固" in match.note


def test_the_phrase_is_shown_with_its_carried_part_marked() -> None:
    phrase = "我國漁民在這片傳統漁場作業已有上百年的歷史"
    match = verdict(phrase, "漁會理事長表示，我國漁民在這片傳統漁場作業，政府應保障權益。")
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(carried_line(phrase, match))
    assert "[我國漁民在這片傳統漁場作業]已有上百年的歷史" in console.file.getvalue()


@pytest.mark.parametrize(
    ("phrase", "text", "flag", "change"),
    [
        (
            "維持台海的和平與穩定是各方的共同利益",
            "他說：「維持南海的和平與穩定是各方的共同利益。」",
            "name",
            "台海 → 南海",
        ),
        ("我們將派出三艘巡邏艦前往北部海域", "他說，我們將派出五艘巡邏艦前往北部海域。", "number", "三 → 五"),
        (
            "兩國海巡單位將在年底前舉行首次工作會議",
            "消息指出，兩國海巡單位可能在年底前舉行首次工作會議。",
            "hedge",
            "可能 added",
        ),
        (
            "We do accept any unilateral change",
            "She said: “We don’t accept any unilateral change,” firmly.",
            "negation",
            "don't added",
        ),
        (
            "Kestrel will send three ships to the northern approaches",
            "He said Veloria will send three ships to the northern approaches.",
            "name",
            "Kestrel → Veloria",
        ),
    ],
)
def test_a_near_match_says_what_it_changes(phrase: str, text: str, flag: str, change: str) -> None:
    match = verdict(phrase, text)
    assert match.status is Status.NEAR
    assert dict(zip(match.flags, match.changes, strict=True))[flag] == change


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("We do not accept any unilateral change", "She said: “We don’t accept any unilateral change,” firmly."),
        (
            "這項協議為區域和平奠定了堅實基礎",
            "他表示，這項協議為區域和平奠定了非常堅實的基礎。",
        ),  # 和平 is a word, not a place
    ],
)
def test_same_meaning_carries_no_flag(phrase: str, text: str) -> None:
    match = verdict(phrase, text)
    assert match.status in (Status.NEAR, Status.VERBATIM) and match.flags == ()


def test_words_given_to_another_speaker_are_flagged() -> None:
    from coverage.match import MatchSettings

    aliases = (("沃斯", "沃思", "佛斯", "Voss"), ("芮譚欣", "Rhee"))
    phrase = Phrase("p1", "兩國關係前所未有地好", speaker="Voss")
    settings = MatchSettings(aliases=aliases)
    other = text_article("芮譚欣在記者會上表示：「兩國關係前所未有地好。」沃斯則未回應。", "x", "https://x.example/1")
    match = match_phrase(phrase, other, settings=settings)
    assert match.status is Status.VERBATIM and match.flags == ("speaker",) and match.changes == ("沃斯 → 芮譚欣",)
    same = text_article("佛斯也說：「兩國關係前所未有地好。」", "x", "https://x.example/2")
    assert match_phrase(phrase, same, settings=settings).flags == ()


def test_a_short_rendering_with_a_word_inserted_is_near() -> None:
    match = verdict("你們做好覺悟了嗎", "總教練在賽前向球員喊話：「你們真的做好覺悟了嗎？」不少球員事後回應。")
    assert match.status is Status.NEAR and match.matched_text == "你們真的做好覺悟了嗎"


def test_a_look_alike_in_another_language_is_a_translation() -> None:
    text = "首相在國會答詢時表示，若發生緊急情況，可能構成存亡危機事態，引發外界關注。"
    match = match_phrase(Phrase("p1", "存立危機事態", language="ja"), text_article(text, "x", "https://x.example/1"))
    assert match.status is Status.TRANSLATED and match.matched_text == "存亡危機事態"
    assert match.note is not None and "translation" in match.note


def test_a_name_the_dictionary_does_not_know_is_a_name_change() -> None:
    match = verdict("我們沒有計畫把先進製程移到海外", "她說：「我們沒有計畫把先進製程移到凱斯楚。」")
    assert match.status is Status.NEAR and "name" in match.flags
    place = verdict("灰礁海域的漁民有權安心作業", "他說：「銀灣海域的漁民有權安心作業。」")
    assert dict(zip(place.flags, place.changes, strict=True)) == {"name": "灰礁 → 銀灣"}


def test_a_rendering_with_a_gap_is_translated() -> None:
    text = "外長表示，兩國關係可說是前所未有，而且各方面都相當良好。"
    match = match_phrase(
        Phrase("p1", "relations have never been better", renderings=("前所未有…良好",)),
        text_article(text, "x", "https://x.example/1"),
    )
    assert match.status is Status.TRANSLATED and match.rendering == "前所未有…良好"
    assert match.matched_text == "前所未有，而且各方面都相當良好"
