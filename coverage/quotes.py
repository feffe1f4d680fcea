"""Quoted spans and their speakers, grouped across outlets: who carried which quote, who did not.

A quote is the text between quote marks (「」『』“”‘’ and straight double quotes) that says something: names of
things (「東協防長擴大會議」), titles and single terms are left out. Its speaker is the name (or alias) nearest
to a speech verb (表示, 說, 稱, 指出, 強調, 寫道, said, told, wrote, ...) in the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from .models import Article, Phrase
from .textnorm import apply_aliases, fold, han_count

_PAIRS = (("「", "」"), ("『", "』"), ("“", "”"), ("‘", "’"), ('"', '"'))
# short spans ending like these are names of things, not statements
_THING = re.compile(
    r"(?:會議|会议|論壇|论坛|峰會|峰会|大會|大会|計畫|計劃|计划|專案|专案|法案|條例|条例|報告|报告|白皮書|白皮书|協議|协议|"
    r"宣言|方案|行動|行动|節|节|獎|奖|號|号|部|案|委員會|委员会|組織|组织|平台|計|戰略|战略|政策|倡議|倡议|新聞|新闻)$"
)
_SPEECH = (
    r"表示|說|说|稱|称|指出|強調|强调|寫道|写道|透露|坦言|直言|認為|认为|宣布|宣稱|宣称|重申|提到|警告|呼籲|呼吁|"
    r"發文|发文|回應|回应|said|says|told|wrote|writes|added|stated|declared|warned|argued|insisted|"
    r"called for|urged|asked"
)
_SPEECH_RE = re.compile(_SPEECH)
_TITLES = (
    r"部長|部长|發言人|发言人|總統|总统|主席|市長|市长|議員|议员|院長|院长|局長|局长|官員|官员|教授|總裁|总裁|委員|委员|"
    r"代表|首相|總理|总理|大使|司令|將軍|将军|署長|署长|理事長|理事长|執行長|执行长|秘書長|秘书长"
)
_HAN_NAME = re.compile(
    rf"(?:{_TITLES})([\u4e00-\u9fff]{{2,3}}?)(?=$|[\d（(，、\s]|[在於于與与對对向今昨也則则又還还更再曾已將将並并]|{_SPEECH})"
)
_BARE_NAME = re.compile(r"^[\s，,、]*([\u4e00-\u9fff]{2,4})\s*$")  # "沃斯說：": the whole subject is a name
_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"  # Lin Chih-yuan, Tsen Li-heng
_LATIN_NAME = re.compile(rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})(?:\s+(?:had|has|have|was|is|also|then))?\s*$")
_LATIN_NAME_AFTER = re.compile(rf"^\s*(?:said|says|told|wrote|added)\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
# words that follow a title without being a name (總統報告, 部長官邸)
_NOT_NAMES = {
    "報告",
    "报告",
    "辦公",
    "办公",
    "官邸",
    "選舉",
    "选举",
    "致詞",
    "致词",
    "談話",
    "谈话",
    "訪問",
    "访问",
    "任內",
    "任内",
}
_PRONOUN = re.compile(r"(?:他|她|He|She|he|she)\s*$")
_PRONOUN_SUBJECT = re.compile(r"(?:^|[\s，,。「」“”\"])(?:他|她|he|she|He|She)(?:[也則则又還还更再就亦都並并]|\s)*$")
PRONOUN = "\x00pronoun"  # a speaker named by a pronoun, resolved by extract_quotes


@dataclass(frozen=True, slots=True)
class Quote:
    """One quoted span in one article."""

    outlet_id: str
    article_url: str
    text: str
    speaker: str | None
    start: int  # offsets of the quoted text in Article.text (in the title for a headline quote)
    end: int
    where: str = "body"  # or "headline"


@dataclass
class QuoteGroup:
    """Equivalent quotes across outlets (folded fuzzy match); `quotes[0]` is the longest wording."""

    quotes: list[Quote] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.quotes[0].text

    @property
    def speaker(self) -> str | None:
        return next((q.speaker for q in self.quotes if q.speaker), None)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(q.outlet_id for q in self.quotes))


def _says_something(text: str) -> bool:
    folded = fold(text).text
    han = han_count(folded)
    if han:
        if han < 5:
            return False
        return not (han < 12 and _THING.search(folded))
    return len(folded.split()) >= 4


def _spans(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of the text inside each pair of quote marks (nested inner quotes are found too)."""
    for opening, closing in _PAIRS:
        position = 0
        while True:
            start = text.find(opening, position)
            if start < 0:
                break
            end = text.find(closing, start + 1)
            if end < 0 or end - start > 600 or "\n" in text[start:end]:
                position = start + 1
                continue
            yield start + 1, end
            position = end + 1


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(mark, 0, start) for mark in ("。", "！", "？", "\n", ". ")) + 1
    rights = [i for i in (text.find(mark, end) for mark in ("。", "！", "？", "\n", ". ")) if i >= 0]
    return left, min(rights) if rights else len(text)


_ADVERBS = re.compile(r"[也則则又還还更再就亦都曾已並并]+\s*$")  # 佛斯也說: the subject is 佛斯


def _last_name(region: str, aliases: Sequence[Sequence[str]]) -> str | None:
    """The name nearest the end of `region`: an alias spelling, a titled Han name, a capitalised Latin name, or a
    subject that is nothing but a name; at the same place an alias wins over a titled name over a bare one."""
    region = _ADVERBS.sub("", region)
    found: list[tuple[int, int, str]] = []  # (end, priority, name)
    for spellings in aliases:
        for spelling in spellings:
            position = region.rfind(spelling) if spelling else -1
            if position >= 0:
                found.append((position + len(spelling), 3, spellings[0]))
    found += [(m.end(1), 2, m.group(1)) for m in _HAN_NAME.finditer(region) if m.group(1) not in _NOT_NAMES]
    latin = _LATIN_NAME.search(region)
    if latin and not _PRONOUN.search(region):
        found.append((latin.end(1), 2, latin.group(1)))
    bare = _BARE_NAME.match(region)
    if bare and bare.group(1) not in _NOT_NAMES and not _PRONOUN.search(bare.group(1)):
        found.append((bare.end(1), 1, bare.group(1)))
    return max(found)[2] if found else None


def _canonical(name: str, aliases: Sequence[Sequence[str]]) -> str:
    return next((spellings[0] for spellings in aliases if name in spellings), name)


def find_speaker(text: str, start: int, end: int, aliases: Sequence[Sequence[str]] = ()) -> str | None:
    """Who says the quote at text[start:end]: the name before a speech verb ahead of it in its sentence, the
    first verb first (沃斯…發文表示，…「…」), else the name at the first speech verb after it (“…,” Voss wrote)."""
    left, right = _sentence_bounds(text, start - 1, end + 1)
    before = text[left : max(left, start - 1)]
    after = text[end + 1 : right]
    previous = 0
    for verb in _SPEECH_RE.finditer(before):  # the subject of the sentence's first speech verb, then the next
        subject = before[previous : verb.start()]
        name = _last_name(subject, aliases)
        if name:
            return _canonical(name, aliases)
        if _PRONOUN_SUBJECT.search(subject):
            return _previous_speaker(text, left, aliases)
        previous = verb.end()
    following = _SPEECH_RE.search(after)
    if following:
        named_after = _LATIN_NAME_AFTER.search(after[following.start() :])
        name = named_after.group(1) if named_after else _last_name(after[: following.start()], aliases)
        if name:
            return _canonical(name, aliases)
        if _PRONOUN_SUBJECT.search(after[: following.start()]) or re.match(
            r"\s*(?:said|says|added|told)\s+(?:he|she)\b", after[following.start() - 1 :]
        ):
            return _previous_speaker(text, left, aliases)
    return None


def _previous_speaker(text: str, before: int, aliases: Sequence[Sequence[str]]) -> str:
    """Who 他/她/he/she is: the last speaker named in the paragraph before (by a speech verb), else PRONOUN
    (extract_quotes then takes the article's main speaker)."""
    paragraph = text[text.rfind("\n", 0, before) + 1 : before]
    speaker = None
    for sentence in re.split(r"(?<=[。！？!?])|(?<=[.!?])\s+", paragraph):
        for verb in _SPEECH_RE.finditer(sentence):
            name = _last_name(sentence[: verb.start()], aliases)
            if name:
                speaker = _canonical(name, aliases)
                break
    return speaker or PRONOUN


def extract_quotes(article: Article, aliases: Sequence[Sequence[str]] = ()) -> list[Quote]:
    """Every quoted statement of an article with its speaker, in order of appearance, duplicates dropped."""
    quotes: list[Quote] = []
    seen: set[str] = set()
    for where, text in (("headline", article.title or ""), ("body", article.text)):
        for start, end in sorted(_spans(text)):
            inner = text[start:end].strip().strip(",.;:，。；：、 ")
            key = fold(inner).text
            if not inner or key in seen or not _says_something(inner):
                continue
            seen.add(key)
            speaker = find_speaker(text, start, end, aliases)
            quotes.append(Quote(article.outlet_id, article.url, inner, speaker, start, end, where))
    # 他說 with no speaker named before it in the paragraph: the article's main speaker
    named = [q.speaker for q in quotes if q.speaker and q.speaker != PRONOUN]
    main = max(set(named), key=named.count) if named else None
    return [replace(q, speaker=main) if q.speaker == PRONOUN else q for q in quotes]


def group_quotes(
    quotes: Iterable[Quote], aliases: tuple[tuple[str, ...], ...] = (), threshold: float = 85.0
) -> list[QuoteGroup]:
    """Equivalent quotes together: the same words after folding, or one wording inside the other."""
    groups: list[tuple[str, QuoteGroup]] = []
    for quote in sorted(quotes, key=lambda q: -len(q.text)):
        folded = apply_aliases(fold(quote.text), aliases).text
        for key, group in groups:
            shorter, longer = sorted((folded, key), key=len)
            if len(shorter) >= 0.5 * len(longer) and fuzz.partial_ratio(shorter, longer) >= threshold:
                group.quotes.append(quote)
                break
        else:
            groups.append((folded, QuoteGroup([quote])))
    ranked = [g for _, g in groups]
    ranked.sort(key=lambda g: (-len(g.outlets), -len(g.text)))
    return ranked


def quote_phrases(
    articles: Sequence[Article], aliases: tuple[tuple[str, ...], ...] = (), limit: int = 12
) -> tuple[Phrase, ...]:
    """Phrases for a comparison without --quote: the quotes the articles carry, most widely carried first."""
    quotes = [q for article in articles for q in extract_quotes(article, aliases)]
    groups = group_quotes(quotes, aliases)[:limit]
    return tuple(Phrase(f"q{n}", g.text, speaker=g.speaker) for n, g in enumerate(groups, start=1))
