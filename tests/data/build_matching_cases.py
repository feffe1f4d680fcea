"""Builds tests/data/matching_cases.yaml: labelled (phrase, text, expected verdict) cases for the matcher.

    uv run python tests/data/build_matching_cases.py

The seeds below were written for the project (fictional people, places and events). Each seed is a quote and
the sentences around it; the builder derives the cases a reader can label without doubt: the quote verbatim
behind other punctuation or in the other Chinese script (verbatim), one or two characters or a word changed, a
few characters inserted (near), a negation or a number changed (near, flagged), the same characters in another
order or an unrelated article (absent), very long articles, very short phrases, name variants. Labels follow
from the transformation, so the file is rebuilt, not edited by hand.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from coverage.textnorm import to_simplified, to_traditional  # noqa: E402

# (quote, before, after): Traditional Chinese
HANT = [
    ("兩國海巡單位將在年底前舉行首次工作會議", "維洛里亞海事部長沃斯表示，", "，敲定熱線的運作細節。"),
    ("任何國家都不應試圖主宰灰礁海域", "他在國會警告，", "，否則將付出代價。"),
    ("交通建設是城市復興的第一步", "市長羅季安說，", "，市府會在年底前完成規劃。"),
    ("白皮書裡的數字看起來很漂亮", "議員唐子涵批評，", "，但沒有人能保證運量真的會達標。"),
    ("我們一致認為兩國關係前所未有地好", "沃斯在社群平台寫道：", "，未來還會更緊密。"),
    ("政府將全力協助受災漁民重建家園", "行政院長在記者會上承諾，", "，補助款下週開始發放。"),
    ("這項協議為區域和平奠定了堅實基礎", "外交部發言人指出，", "，各方都應珍惜得來不易的成果。"),
    ("我們必須確保年輕人願意留在家鄉工作", "縣長在議會答詢時強調，", "，這是縣府最優先的施政目標。"),
    ("氣候變遷已經是每個人都要面對的日常", "環境部長出席論壇時說，", "，不能再把責任推給下一代。"),
    ("醫院的急診人力已經到了極限", "醫師公會理事長表示，", "，衛生單位必須立刻補充人手。"),
    ("央行會密切關注房市與物價的變化", "總裁在理監事會後說，", "，必要時將採取適當措施。"),
    ("這次颱風造成的農損超過預期", "農業部官員坦言，", "，救助方案將視災情擴大辦理。"),
    ("雙方同意建立軍方直接溝通管道", "會談結束後，國防部長在聲明中寫道，", "，以降低誤判的風險。"),
    ("選舉結果反映了人民對改革的期待", "黨主席在敗選後表示，", "，黨內必須徹底檢討。"),
    ("學校將延後一小時上課讓學生睡得更飽", "教育局長宣布，", "，新制從下學期開始實施。"),
    ("我們不會在主權問題上做任何讓步", "總統在國慶演說中重申，", "，但願意坐下來對話。"),
]
# Simplified Chinese
HANS = [
    ("双方同意加强海上执法合作", "据新华社报道，两国部长会谈后表示，", "，并将定期举行磋商。"),
    ("经济增长的基础仍然稳固", "国家统计局发言人表示，", "，下半年有望继续回升。"),
    ("我们欢迎一切有利于和平的努力", "外交部发言人在例行记者会上说，", "，希望各方保持克制。"),
    ("新能源汽车产业迎来重要发展机遇", "工业部门负责人指出，", "，相关企业应加快技术创新。"),
    ("城市更新必须坚持以人民为中心", "住建部长在座谈会上强调，", "，切实改善居民生活条件。"),
    ("今年粮食总产量再创历史新高", "农业农村部介绍，", "，为稳定物价提供了有力支撑。"),
    ("网络平台必须承担起内容审核责任", "监管部门负责人表示，", "，违规者将被依法处理。"),
    ("两岸同胞是血脉相连的一家人", "发言人在记者会上说，", "，应共同维护和平发展。"),
]
# English
EN = [
    (
        "the relationship between our two countries has never been better",
        "Voss wrote on Pulse that ",
        ", adding that talks would continue.",
    ),
    (
        "we will not allow any nation to dominate the Grey Reef",
        "The minister told parliament that ",
        " and that patrols would be stepped up.",
    ),
    ("light rail is the first step of the city's revival", "The mayor said ", ", promising a final plan by December."),
    (
        "the numbers in the white paper look very good on paper",
        "Councillor Tang said ",
        ", but nobody can guarantee the ridership.",
    ),
    (
        "our hospitals are already stretched to the limit",
        "The head of the doctors' association said ",
        " and called for more staff.",
    ),
    (
        "the central bank will keep a close eye on housing prices",
        "The governor said after the board meeting that ",
        ", without giving details.",
    ),
    (
        "this agreement lays a solid foundation for regional peace",
        "A foreign ministry spokesperson said ",
        " and urged all parties to honour it.",
    ),
    (
        "schools will start an hour later so that students can sleep longer",
        "The education chief announced that ",
        ", from next term.",
    ),
    (
        "both sides agreed to set up a direct line of communication between their coast guards",
        "In a statement, the ministry said ",
        ".",
    ),
    (
        "the election result reflects the public's desire for reform",
        "The party chair conceded that ",
        " and promised a review.",
    ),
    (
        "farm losses from the typhoon are larger than expected",
        "An agriculture official admitted that ",
        ", and relief would be expanded.",
    ),
    (
        "we must make sure young people want to stay and work here",
        "The county chief told the council ",
        ", calling it her top priority.",
    ),
]
NUMBERED = [
    ("hant", "兩國將在2026年底前完成第3輪談判", "外交部表示，", "，細節仍在協商。", "2027", "2026"),
    ("hant", "今年共有12艘漁船在灰礁海域遭扣押", "漁業署統計，", "，創下五年新高。", "15", "12"),
    ("hans", "今年前三季度GDP同比增长5.2%", "统计局发布数据显示，", "，好于市场预期。", "4.8", "5.2"),
    (
        "en",
        "the city will build 14 new stations by 2030",
        "The plan says ",
        ", at a cost still under review.",
        "16",
        "14",
    ),
    (
        "en",
        "about 40,000 passengers a day are expected to ride the line",
        "Officials estimate that ",
        " in its first year.",
        "60,000",
        "40,000",
    ),
]
NEGATABLE = {
    "hant": [("將", "不會"), ("會", "不會"), ("是", "不是"), ("已經", "還沒"), ("必須", "不必")],
    "hans": [("同意", "不同意"), ("仍然", "不再"), ("欢迎", "不欢迎"), ("必须", "不必"), ("是", "不是")],
}
FILLER_HANT = (
    "北海論壇今年在安柏利港舉行，漁權與航道安全是主要議題。過去兩年，兩國漁船在灰礁海域多次發生碰撞與扣押事件，"
    "外界普遍認為雙邊關係處於低點。分析人士指出，熱線能否在危機時刻發揮作用，仍有待觀察。"
)
FILLER_EN = (
    "The North Sea Forum met in Port Amberly this week, with fishing rights and shipping safety at the top of the "
    "agenda. Boats from the two countries have clashed repeatedly in the Grey Reef waters over the past two years. "
)
EN_SWAPS = {
    "better": "stronger", "dominate": "control", "first": "final", "very": "quite", "already": "now",
    "close": "careful", "solid": "firm", "later": "earlier", "direct": "secure", "reflects": "shows",
    "larger": "worse", "young": "older", "sides": "parties", "public's": "voters'", "limit": "edge",
    "numbers": "figures", "revival": "renewal", "agreement": "accord", "students": "pupils", "losses": "damage",
    "housing": "property", "stay": "live", "hospitals": "clinics", "relationship": "friendship",
    "communication": "contact", "election": "vote", "regional": "lasting", "bank": "regulator",
}  # fmt: skip
HAN_REPLACEMENTS = "甲乙丙丁戊己庚辛壬癸"


def _han_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]


NEGATION_CHARS = set("不沒没未非無无別别勿莫否")
NUMERALS = set("零〇一二兩两三四五六七八九十百千萬万億亿")


def _substitute(text: str, count: int, rng: random.Random) -> tuple[str, list[str]]:
    """`count` Han characters replaced; the flags a reader expects when a negation or a numeral was hit."""
    positions = _han_positions(text)[2:-2]
    chosen = sorted(rng.sample(positions, count)) if len(positions) >= count else positions[:count]
    chars = list(text)
    flags = []
    for index, position in enumerate(chosen):
        if chars[position] in NEGATION_CHARS and "negation" not in flags:
            flags.append("negation")
        if chars[position] in NUMERALS and "number" not in flags:
            flags.append("number")
        chars[position] = HAN_REPLACEMENTS[(position + index) % len(HAN_REPLACEMENTS)]
    return "".join(chars), flags


def _insert(text: str, extra: str) -> str:
    middle = len(text) // 2
    return text[:middle] + extra + text[middle:]


def _negate_han(quote: str, script: str) -> str | None:
    for plain, negated in NEGATABLE[script]:
        if plain in quote and negated not in quote:
            return quote.replace(plain, negated, 1)
    return None


def _negate_en(quote: str) -> str | None:
    for word, negated in (
        (" will ", " will not "),
        (" must ", " must not "),
        (" are ", " are not "),
        (" is ", " is not "),
    ):
        if word in f" {quote} ":
            return f" {quote} ".replace(word, negated, 1).strip()
    if " not " in f" {quote} ":
        return f" {quote} ".replace(" not ", " ", 1).strip()
    return None


def _shuffle(text: str, rng: random.Random) -> str:
    chars = [c for c in text if not c.isspace()]
    rng.shuffle(chars)
    return "".join(chars)


def build() -> list[dict[str, Any]]:
    rng = random.Random(20261126)
    cases: list[dict[str, Any]] = []

    def add(kind: str, lang: str, phrase: str, text: str, expected: str, **extra: Any) -> None:
        cases.append({"id": f"{kind}-{len(cases) + 1:03d}", "lang": lang, "phrase": phrase, "text": text,
                      "expected": expected, **extra})  # fmt: skip

    chinese = [("zh-Hant", q, b, a) for q, b, a in HANT] + [("zh-Hans", q, b, a) for q, b, a in HANS]
    for lang, quote, before, after in chinese:
        script = "hant" if lang == "zh-Hant" else "hans"
        article = before + "「" + quote + "」" + after + FILLER_HANT
        add("verbatim", lang, quote, article, "verbatim")
        add("verbatim-punct", lang, "“" + quote + "”", before + quote + after + FILLER_HANT, "verbatim")
        converted = to_simplified(article) if script == "hant" else to_traditional(article)
        add("script", lang, quote, converted, "verbatim")
        changed, flags = _substitute(quote, 1, rng)
        add("sub1", lang, quote, before + changed + after + FILLER_HANT, "near", **({"flags": flags} if flags else {}))
        if len(quote) >= 12:
            changed, flags = _substitute(quote, 2, rng)
            add(
                "sub2",
                lang,
                quote,
                before + changed + after + FILLER_HANT,
                "near",
                **({"flags": flags} if flags else {}),
            )
        add("insert", lang, quote, before + _insert(quote, "確實") + after + FILLER_HANT, "near")
        negated = _negate_han(quote, script)
        if negated:
            add("negation", lang, quote, before + negated + after + FILLER_HANT, "near", flags=["negation"])
        add("shuffled", lang, quote, before + _shuffle(quote, rng) + after + FILLER_HANT, "absent")
        add("unrelated", lang, quote, FILLER_HANT + "市府今天公布明年度預算，交通建設經費大幅增加。", "absent")
        long_text = (FILLER_HANT * 30) + before + quote + after + (FILLER_HANT * 30)
        add("long", lang, quote, long_text, "verbatim")
        changed, flags = _substitute(quote, 1, rng)
        long_changed = (FILLER_HANT * 30) + before + changed + after + FILLER_HANT * 30
        add("long-sub1", lang, quote, long_changed, "near", **({"flags": flags} if flags else {}))
    for quote, before, after in EN:
        article = before + '"' + quote + '"' + after + " " + FILLER_EN
        add("verbatim", "en", quote, article, "verbatim")
        add("verbatim-punct", "en", quote.capitalize() + ".", before + "“" + quote.upper() + "”" + after, "verbatim")
        words = quote.split()
        swappable = [i for i, w in enumerate(words) if w in EN_SWAPS]
        if swappable:
            one = words.copy()
            one[swappable[0]] = EN_SWAPS[one[swappable[0]]]
            add("sub1", "en", quote, before + " ".join(one) + after + " " + FILLER_EN, "near")
        if len(swappable) >= 2 and len(words) >= 9:
            two = words.copy()
            for i in swappable[:2]:
                two[i] = EN_SWAPS[two[i]]
            add("sub2", "en", quote, before + " ".join(two) + after + " " + FILLER_EN, "near")
        add(
            "insert",
            "en",
            quote,
            before + " ".join([*words[:3], "really", *words[3:]]) + after + " " + FILLER_EN,
            "near",
        )
        negated = _negate_en(quote)
        if negated:
            add("negation", "en", quote, before + negated + after + " " + FILLER_EN, "near", flags=["negation"])
        shuffled = words.copy()
        rng.shuffle(shuffled)
        add("shuffled", "en", quote, before + " ".join(shuffled) + after + " " + FILLER_EN, "absent")
        add("unrelated", "en", quote, FILLER_EN + "The city council will vote on the budget next week.", "absent")
        add("long", "en", quote, FILLER_EN * 25 + before + quote + after + " " + FILLER_EN * 25, "verbatim")
    for script, quote, before, after, new, old in NUMBERED:
        lang = {"hant": "zh-Hant", "hans": "zh-Hans", "en": "en"}[script]
        add("verbatim", lang, quote, before + quote + after, "verbatim")
        add("number", lang, quote, before + quote.replace(old, new, 1) + after, "near", flags=["number"])
    # very short phrases: exact only
    shorts = [
        ("zh-Hant", "輕軌", "市府說輕軌明年動工。", "verbatim"), ("zh-Hant", "熱線", "雙方同意設立熱線。", "verbatim"),
        ("zh-Hant", "颱風", "颶風過後，港口恢復運作，風災損失仍在統計。", "absent"),
        ("zh-Hant", "海巡", "海上巡邏的船隻增加了。", "absent"), ("zh-Hans", "关系", "兩國關係良好。", "verbatim"),
        ("zh-Hant", "漁權", "渔权问题是论坛焦点。", "verbatim"), ("zh-Hant", "前所未有", "關係前所未有地好。", "verbatim"),
        ("zh-Hant", "前所未有", "關係從未如此之好，前景未有定論。", "absent"), ("en", "hotline", "They set up a hotline.", "verbatim"),
        ("en", "hotline", "They set up a hot line.", "absent"), ("en", "never better", "Ties have never been better.", "absent"),
        ("en", "Grey Reef", "Boats clashed near the grey reef.", "verbatim"), ("zh-Hant", "董軍", "國防部長董军出席。", "verbatim"),
        ("zh-Hant", "沃斯", "部長沃思出席。", "absent"), ("zh-Hans", "峰会", "峰會在吉隆坡舉行。", "verbatim"),
        ("zh-Hant", "關稅", "政府調整稅率。", "absent"),
    ]  # fmt: skip
    for lang, phrase, text, expected in shorts:
        add("short", lang, phrase, text, expected)
    # name variants, with the alias set the event would give
    aliases = [["赫塞斯", "赫格塞斯", "赫格塞思", "Hegseth"], ["沃斯", "沃思", "佛斯", "Voss"]]
    named = [
        ("赫塞斯在X發文表示美中關係前所未有良好", "國防部長赫格塞斯在X發文表示美中關係前所未有良好。"),
        ("赫格塞思與董軍同意建立溝通管道", "美國國防部長赫塞斯與董軍同意建立溝通管道。"),
        ("沃斯寫道雙方同意建立海巡熱線", "部長佛斯寫道雙方同意建立海巡熱線，細節年底敲定。"),
        (
            "Voss wrote that the relationship has never been better",
            "沃思 wrote that the relationship has never been better.",
        ),
        ("沃思表示兩國關係前所未有地好", "部長沃斯表示，兩國關係前所未有地好。"),
        ("赫塞斯稱美中應建立軍方對軍方溝通管道", "赫格塞斯稱，美中應建立軍方對軍方溝通管道。"),
    ]
    for phrase, text in named:
        add("alias", "zh-Hant", phrase, text, "verbatim", aliases=aliases)
    for lang, phrase, text, expected in HARD:
        add("hard", lang, phrase, text, expected)
    return cases


# Hard cases, labelled one by one: paraphrases that go too far, other statements in the same words (absent),
# and light rewordings a reader would call the same statement (near).
HARD = [
    ("zh-Hant", "兩國海巡單位將在年底前舉行首次工作會議", "沃斯說，兩國海巡今年已經開過三次工作會議。", "absent"),
    ("zh-Hant", "兩國海巡單位將在年底前舉行首次工作會議", "年底前，兩國的海上巡防單位會先開第一次工作會議。", "absent"),
    ("zh-Hant", "兩國海巡單位將在年底前舉行首次工作會議", "沃斯說，兩國海巡單位將於年底前舉行首次工作會議。", "near"),
    ("zh-Hant", "任何國家都不應試圖主宰灰礁海域", "他說，灰礁海域不屬於任何一個國家。", "absent"),
    ("zh-Hant", "任何國家都不應試圖主宰灰礁海域", "他警告，任何國家都不該試圖主宰灰礁海域。", "near"),
    ("zh-Hant", "交通建設是城市復興的第一步", "市長認為，城市要復興，得先從交通下手。", "absent"),
    ("zh-Hant", "交通建設是城市復興的第一步", "市長說交通建設就是城市復興的第一步。", "near"),
    ("zh-Hant", "交通建設是城市復興的第一步", "議員質疑交通建設能否帶動城市發展。", "absent"),
    ("zh-Hant", "我們一致認為兩國關係前所未有地好", "他說兩國關係從未如此之好。", "absent"),
    ("zh-Hant", "我們一致認為兩國關係前所未有地好", "沃斯寫道：「我們都認為兩國關係前所未有地好」。", "near"),
    ("zh-Hant", "我們一致認為兩國關係前所未有地好", "外界普遍認為兩國關係處於低點，沃斯則持不同看法。", "absent"),
    ("zh-Hant", "政府將全力協助受災漁民重建家園", "受災漁民重建家園，仍面臨資金缺口。", "absent"),
    ("zh-Hant", "政府將全力協助受災漁民重建家園", "院長說政府會全力協助受災漁民重建家園。", "near"),
    ("zh-Hant", "醫院的急診人力已經到了極限", "醫院表示急診室目前人力充足。", "absent"),
    ("zh-Hant", "醫院的急診人力已經到了極限", "他說醫院的急診人力早就到了極限。", "near"),
    ("zh-Hant", "雙方同意建立軍方直接溝通管道", "雙方同意擴大經貿往來與人員交流。", "absent"),
    ("zh-Hant", "雙方同意建立軍方直接溝通管道", "雙方都同意建立軍方的直接溝通管道。", "near"),
    ("zh-Hant", "雙方同意建立軍方直接溝通管道", "軍方之間的直接溝通管道，雙方仍未談妥。", "absent"),
    ("zh-Hans", "双方同意加强海上执法合作", "双方同意在海上执法方面进一步加强合作。", "absent"),
    ("zh-Hans", "双方同意加强海上执法合作", "双方一致同意加强海上执法合作。", "near"),
    ("zh-Hans", "经济增长的基础仍然稳固", "分析人士担心经济增长的基础正在松动。", "absent"),
    ("zh-Hans", "经济增长的基础仍然稳固", "他表示经济增长的基础依然稳固。", "near"),
    ("en", "the relationship between our two countries has never been better",
     "Voss said relations were at a historic high.", "absent"),
    ("en", "the relationship between our two countries has never been better",
     "Voss wrote that the relationship between the two countries had never been better.", "near"),
    ("en", "the relationship between our two countries has never been better",
     "Critics said the relationship between the two countries has rarely been worse.", "absent"),
    ("en", "we will not allow any nation to dominate the Grey Reef",
     "No single nation should control the Grey Reef, he said.", "absent"),
    ("en", "we will not allow any nation to dominate the Grey Reef",
     "He said we will never allow any nation to dominate the Grey Reef.", "near"),
    ("en", "light rail is the first step of the city's revival",
     "The mayor called the light rail line the start of a revival for the city.", "absent"),
    ("en", "light rail is the first step of the city's revival",
     "The mayor said light rail was the first step of the city's revival.", "near"),
    ("en", "our hospitals are already stretched to the limit",
     "Hospitals say they have enough staff for now.", "absent"),
    ("en", "our hospitals are already stretched to the limit",
     "He said our hospitals were already stretched to the limit.", "near"),
    ("en", "both sides agreed to set up a direct line of communication between their coast guards",
     "The coast guards will keep talking through existing channels.", "absent"),
]  # fmt: skip


def main() -> None:
    cases = build()
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    with (HERE / "matching_cases.yaml").open("w", encoding="utf-8") as handle:
        handle.write("# Built by build_matching_cases.py: rebuild, do not edit. Fictional texts written for newscov.\n")
        yaml.dump({"cases": cases}, handle)
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[case["expected"]] = kinds.get(case["expected"], 0) + 1
    print(f"{len(cases)} cases: {kinds}")


if __name__ == "__main__":
    main()
