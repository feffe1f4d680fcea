from __future__ import annotations

import pytest

from coverage.textnorm import clean_display, detect_script, fold, fold_text, one_line


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("兩國關係前所未有地好", "两国关系前所未有地好"),  # Traditional vs Simplified
        ("臺灣", "台湾"),  # variant 臺/台
        ("這裡", "这里"),
        ("裏面", "裡面"),  # variant 裏/裡
        ("「前所未有良好」", "“前所未有良好”"),  # quote-mark families
        ("前所未有良好", "『前所未有良好』"),
        ("ＡＢＣ１２３", "abc123"),  # full-width to half-width, case
        ("前所\n未有 良好", "前所未有良好"),  # line-break artefacts between Han characters
        ("Never  been\nBETTER", "never been better"),
        ("“never been better,” he said", '"Never been better", he said'),
    ],
)
def test_fold_makes_equivalent_texts_equal(a: str, b: str) -> None:
    assert fold_text(a) == fold_text(b)


def test_fold_keeps_word_boundaries_in_latin_text() -> None:
    assert fold_text("never  been\tbetter") == "never been better"
    assert fold_text("said,then") == "said then"
    assert fold_text("前所未有 良好") == "前所未有良好"


def test_fold_maps_every_character_back_to_the_original() -> None:
    original = "他說：「兩國關係　前所未有地好」。"
    folded = fold(original)
    assert len(folded.text) == len(folded.origin)
    start = folded.text.index(fold_text("前所未有"))
    begin, end = folded.span_to_original(start, start + 4, len(original))
    assert original[begin:end] == "前所未有"
    # a span crossing removed characters maps to the original stretch, removed characters included
    start = folded.text.index(fold_text("關係前所"))
    begin, end = folded.span_to_original(start, start + 4, len(original))
    assert original[begin:end] == "關係　前所"


def test_fold_expanding_nfkc_characters_keep_offsets() -> None:
    original = "㈱公司…完"
    folded = fold(original)
    assert folded.text == "(株)公司...完".replace("(", "").replace(")", "").replace(".", "")
    assert all(0 <= index < len(original) for index in folded.origin)


def test_clean_display_removes_escapes_and_controls() -> None:
    dirty = "title\x1b[31mRED\x1b[0m\x1b]8;;http://evil\x07link\x1b]8;;\x07\x07 ok\u202egnp.exe\r"
    assert clean_display(dirty) == "titleREDlink okgnp.exe"
    assert one_line("a\n\n  b\tc") == "a b c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("美國國防部長在社群平台發文表示，兩國關係從未如此之好。", ("zh", "zh-Hant")),
        ("美国国防部长在社交平台发文称，两国关系从未如此之好。", ("zh", "zh-Hans")),
        ("The relationship has never been better, he wrote.", ("en", "en")),
        ("12345 ...", (None, None)),
    ],
)
def test_detect_script(text: str, expected: tuple[str | None, str | None]) -> None:
    assert detect_script(text) == expected
