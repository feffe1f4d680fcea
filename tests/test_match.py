from __future__ import annotations

import pytest

from coverage.extract import text_article
from coverage.match import (
    ArticleView,
    Cascade,
    Hit,
    Matcher,
    MatchSettings,
    default_matchers,
    match_article,
    match_phrase,
    sentence_around,
)
from coverage.models import Article, Method, Phrase, Status

BODY = (
    "石港市長羅季安5日在市議會說明輕軌建設計畫時表示，「輕軌是城市復興的第一步」，市府將在年底前完成綜合規劃。\n"
    "議員唐子涵說，白皮書裡的數字看起來很漂亮，但沒有人能保證運量真的會達標。\n"
    "市府交通局表示，將在下個月舉辦三場公聽會，蒐集市民意見。"
)


def article(text: str = BODY, outlet: str = "tidewater") -> Article:
    return text_article(text, outlet, f"https://{outlet}.example/a/1")


def test_verbatim_inside_other_punctuation_and_script() -> None:
    match = match_phrase(Phrase("p1", "“轻轨是城市复兴的第一步”"), article())
    assert match.status is Status.VERBATIM
    assert match.score == 100
    assert match.matched_text == "輕軌是城市復興的第一步"  # shown in the outlet's own characters
    assert match.span is not None and BODY[match.span[0] : match.span[1]] == match.matched_text
    assert match.context is not None and match.context.startswith("石港市長羅季安5日")
    assert match.diff == ()


def test_near_reports_the_changed_characters() -> None:
    match = match_phrase(Phrase("p1", "白皮書裡的數字看起來很好看"), article())
    assert match.status is Status.NEAR
    assert 80 <= match.score < 100
    changed = [op for op in match.diff if op.op != "equal"]
    assert [(op.phrase, op.article) for op in changed] == [("好看", "漂亮")]
    assert "".join(op.article for op in match.diff) == "白皮書裡的數字看起來很漂亮"


def test_translated_through_an_accepted_rendering() -> None:
    phrase = Phrase("p1", "Light rail is the first step of the city's revival", renderings=("城市復興的第一步",))
    match = match_phrase(phrase, article())
    assert match.status is Status.TRANSLATED
    assert match.rendering == "城市復興的第一步"
    assert match.matched_text == "城市復興的第一步"


def test_absent_keeps_the_best_candidate_as_proof() -> None:
    match = match_phrase(Phrase("p1", "央行宣布調升基本利率半碼"), article())
    assert match.status is Status.ABSENT
    assert match.score < 60
    assert match.matched_text  # the closest wording is shown, so a reader can judge
    assert match.note is None  # same language: nothing to excuse


def test_short_phrases_are_matched_exactly_only() -> None:
    # two characters of which one occurs: fuzzy partial_ratio would say 50; exact search says absent, score 0
    match = match_phrase(Phrase("p1", "颱港"), article())
    assert match.status is Status.ABSENT
    assert match.score == 0
    assert match_phrase(Phrase("p2", "輕軌"), article()).status is Status.VERBATIM


def test_short_latin_phrases_are_matched_exactly_only() -> None:
    text = "The mayor said the light rail plan was the first step."
    assert match_phrase(Phrase("p1", "light rain"), article(text)).status is Status.ABSENT
    assert match_phrase(Phrase("p1", "LIGHT RAIL"), article(text)).status is Status.VERBATIM


def test_latin_near_match() -> None:
    text = 'He wrote: "The relationship between the two countries has never been stronger," after the talks.'
    match = match_phrase(
        Phrase("p1", "the relationship between the two countries has never been better"), article(text)
    )
    assert match.status is Status.NEAR
    assert any(op.article.strip() == "stronger" for op in match.diff if op.op != "equal")


def test_other_language_without_an_aligner_is_not_compared_never_absent() -> None:
    strings_only = Cascade(default_matchers(aligner=False))
    phrase = Phrase("p1", "the light rail is the first step of the city's revival")
    match = strings_only.match(phrase, strings_only.view(article()))
    assert match.status is Status.NOT_COMPARED
    assert match.note is not None and "--rendering" in match.note
    # a rendering that is not there proves nothing either: the outlet may have worded it otherwise
    phrase = Phrase("p1", "the light rail is the first step", renderings=("輕軌是復甦的開端",))
    assert strings_only.match(phrase, strings_only.view(article())).status is Status.NOT_COMPARED
    # an article whose language cannot be told is not judged across languages
    unknown = article("12345 67890")
    assert strings_only.match(Phrase("p1", "輕軌是城市復興的第一步"), strings_only.view(unknown)).status is (
        Status.NOT_COMPARED
    )


def test_a_matcher_added_to_the_cascade_is_consulted_in_order() -> None:
    class Always(Matcher):
        method = Method.TRANSLATOR

        def applies(self, phrase: Phrase, view: ArticleView) -> bool:
            return True

        def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
            return Hit(Status.TRANSLATED, self.method, 90.0, matched_text="x")

    cascade = Cascade([*default_matchers(aligner=False), Always()])
    assert cascade.match(Phrase("p1", "輕軌是城市復興的第一步"), cascade.view(article())).method is Method.EXACT
    found = cascade.match(Phrase("p1", "completely unrelated words here"), cascade.view(article()))
    assert (found.status, found.method, found.score) == (Status.TRANSLATED, Method.TRANSLATOR, 90.0)


def test_exact_original_wins_over_rendering() -> None:
    phrase = Phrase("p1", "輕軌是城市復興的第一步", renderings=("城市復興",))
    assert match_phrase(phrase, article()).status is Status.VERBATIM


def test_thresholds_are_settings() -> None:
    phrase = Phrase("p1", "白皮書裡的數字看起來很好看")
    strict = MatchSettings(near_han=95)
    # no longer near: what is left is the part carried word for word
    assert match_phrase(phrase, article(), settings=strict).status is Status.PARTIAL
    assert match_phrase(phrase, article()).status is Status.NEAR


def test_match_article_covers_every_phrase() -> None:
    phrases = [Phrase("p1", "輕軌是城市復興的第一步"), Phrase("p2", "颱風登陸造成大規模停電")]
    results = match_article(phrases, article())
    assert [m.status for m in results] == [Status.VERBATIM, Status.ABSENT]


def test_sentence_around_cuts_long_context() -> None:
    text = "甲" * 300 + "目標" + "乙" * 300
    context = sentence_around(text, 300, 302, 20)
    assert context == "…" + "甲" * 20 + "目標" + "乙" * 20 + "…"
    assert sentence_around("第一句。第二句有目標。第三句。", 8, 10, 50) == "第二句有目標。"


ALIASES = (("赫塞斯", "赫格塞斯", "赫格塞思", "Hegseth"), ("董軍", "Dong Jun"))


@pytest.mark.parametrize(
    ("phrase", "text", "status"),
    [
        ("赫塞斯在X發文表示美中關係良好", "國防部長赫格塞斯在X發文表示美中關係良好。", Status.VERBATIM),
        ("赫格塞思在X發文表示美中關係良好", "國防部長赫塞斯在X發文表示美中關係良好。", Status.VERBATIM),
        ("赫塞斯與董軍會談", "赫格塞斯與Dong Jun會談後表示。", Status.VERBATIM),
        ("Hegseth met Dong Jun in Kuala Lumpur", "赫格塞思 met 董軍 in Kuala Lumpur on Friday.", Status.VERBATIM),
        ("Hegseth wrote on X", "Hegsethberg wrote on X today.", Status.ABSENT),  # a Latin alias stands as a word
    ],
)
def test_alias_spellings_count_as_one_name(phrase: str, text: str, status: Status) -> None:
    match = match_phrase(Phrase("p1", phrase), article(text), settings=MatchSettings(aliases=ALIASES))
    assert match.status is status, match
    if status is Status.VERBATIM:
        assert match.matched_text and text.find(match.matched_text) >= 0


def test_without_aliases_a_variant_spelling_is_a_difference() -> None:
    match = match_phrase(
        Phrase("p1", "赫塞斯在X發文表示美中關係良好"), article("國防部長赫格塞斯在X發文表示美中關係良好。")
    )
    assert match.status is Status.NEAR


@pytest.mark.parametrize(
    ("phrase", "text", "flags"),
    [
        ("我們絕不會讓任何國家主宰灰礁海域", "他說：「我們絕會讓任何國家主宰灰礁海域。」", ("negation",)),
        ("我們絕會讓任何國家主宰灰礁海域", "他說：「我們絕不會讓任何國家主宰灰礁海域。」", ("negation",)),
        ("兩國海巡將在年底前舉行三次工作會議", "兩國海巡將在年底前舉行五次工作會議。", ("number",)),
        ("雙方將在2026年底前完成談判", "雙方將在2027年底前完成談判。", ("number",)),
        (
            "We will not allow any nation to dominate the Grey Reef",
            "He said: we will allow any nation to dominate the Grey Reef.",
            ("negation",),
        ),
        ("Voss met Rhee in Port Amberly on Tuesday", "Voss met Tam in Port Amberly on Tuesday.", ("name",)),
        ("兩國關係在未來會更好更穩定", "兩國關係在將來會更好更穩定。", ()),  # 未來 is not a negation
        ("白皮書裡的數字看起來很好看", BODY, ()),
    ],
)
def test_near_misses_that_change_the_meaning_are_flagged(phrase: str, text: str, flags: tuple[str, ...]) -> None:
    match = match_phrase(Phrase("p1", phrase), article(text))
    assert match.status is Status.NEAR
    assert match.flags == flags


def test_a_negation_with_a_typographic_apostrophe_is_a_negation() -> None:
    text = "The minister said: “We don’t accept any unilateral change to the status quo,” after the talks."
    match = match_phrase(Phrase("p1", "We do accept any unilateral change to the status quo"), article(text))
    assert match.status is Status.NEAR
    assert "negation" in match.flags
