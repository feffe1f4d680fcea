"""Quoted spans and their speakers, grouped across outlets: who carried which quote, who did not.

A quote is the text between quote marks (「」『』“”‘’ and straight double quotes) that says something: names of
things (「東協防長擴大會議」), titles and single terms are left out. Its speaker is the name (or alias) nearest
to a speech verb (表示, 說, 稱, 指出, 強調, 寫道, said, told, wrote, ...) in the same sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

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


def _says_something(text: str, folded: str | None = None) -> bool:
    folded = fold(text).text if folded is None else folded
    han = han_count(folded)
    if han:
        if han < 5:
            return False
        return not (han < 12 and _THING.search(folded))
    return len(folded.split()) >= 4


# A quote is at most this long (between its marks); a sentence is looked for this far around a quote, a pronoun's
# antecedent this far back, and a speaker's name this far before its speech verb: each quote costs bounded work,
# however long the article or its paragraphs (one endless paragraph of 3,000 quotes by 他 took 44 s when each looked
# 3,000 characters back with no limit on the name, 5 s with these).
MAX_QUOTE_CHARS = 600
SENTENCE_REACH = 2_000
PARAGRAPH_REACH = 1_000
NAME_REACH = 300


def _spans(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of the text inside each pair of quote marks (nested inner quotes are found too)."""
    for opening, closing in _PAIRS:
        position = 0
        while True:
            start = text.find(opening, position)
            if start < 0:
                break
            end = text.find(closing, start + 1, start + MAX_QUOTE_CHARS + 1)  # a bounded look, not to the end
            if end < 0 or "\n" in text[start:end]:
                position = start + 1
                continue
            yield start + 1, end
            position = end + 1


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], looked for at most SENTENCE_REACH characters either side."""
    reach = max(0, start - SENTENCE_REACH)
    left = max(reach - 1, *(text.rfind(mark, reach, start) for mark in ("。", "！", "？", "\n", ". "))) + 1
    limit = max(end, 0) + SENTENCE_REACH
    rights = [i for i in (text.find(mark, end, limit) for mark in ("。", "！", "？", "\n", ". ")) if i >= 0]
    return left, min(rights) if rights else min(len(text), limit)


_ADVERBS = re.compile(r"[也則则又還还更再就亦都曾已並并]+\s*$")  # 佛斯也說: the subject is 佛斯


def _last_name(region: str, aliases: Sequence[Sequence[str]]) -> str | None:
    """The name nearest the end of `region`: an alias spelling, a titled Han name, a capitalised Latin name, or a
    subject that is nothing but a name; at the same place an alias wins over a titled name over a bare one. Only
    the last NAME_REACH characters are read: a speaker is named next to the speech verb."""
    region = _ADVERBS.sub("", region[-NAME_REACH:])
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
    reach = max(0, before - PARAGRAPH_REACH)
    paragraph = text[max(reach, text.rfind("\n", reach, before) + 1) : before]
    for sentence in reversed(re.split(r"(?<=[。！？!?])|(?<=[.!?])\s+", paragraph)):  # the last one naming one
        for verb in _SPEECH_RE.finditer(sentence):
            name = _last_name(sentence[: verb.start()], aliases)
            if name:
                return _canonical(name, aliases)
    return PRONOUN


# An article's quotes past this many are not read (a long interview has a hundred; only a made-up page has more).
MAX_QUOTES_PER_ARTICLE = 5_000


def extract_quotes(article: Article, aliases: Sequence[Sequence[str]] = ()) -> list[Quote]:
    """Every quoted statement of an article with its speaker, in order of appearance, duplicates dropped (the first
    MAX_QUOTES_PER_ARTICLE of them)."""
    quotes: list[Quote] = []
    seen: set[str] = set()
    for where, text in (("headline", article.title or ""), ("body", article.text)):
        for start, end in sorted(_spans(text)):
            if len(quotes) >= MAX_QUOTES_PER_ARTICLE:
                break
            inner = text[start:end].strip().strip(",.;:，。；：、 ")
            key = fold(inner).text
            if not inner or key in seen or not _says_something(inner, key):
                continue
            seen.add(key)
            speaker = find_speaker(text, start, end, aliases)
            quotes.append(Quote(article.outlet_id, article.url, inner, speaker, start, end, where))
    # 他說 with no speaker named before it in the paragraph: the article's main speaker
    named = Counter(q.speaker for q in quotes if q.speaker and q.speaker != PRONOUN)
    main = max(named, key=lambda name: named[name]) if named else None
    return [replace(q, speaker=main) if q.speaker == PRONOUN else q for q in quotes]


# Each quote is compared with the groups that share the most of its rarer character trigrams (at most
# MAX_CANDIDATES of them): a wording 85% like another shares most of its trigrams with it. A trigram found in more
# groups than COMMON_TRIGRAM (a frequent word) picks no candidates, and a long quote looks up its MAX_QUERY_TRIGRAMS
# rarest ones. Comparing each quote with every group took 142 s on 4,000 quotes; this keeps grouping linear. On
# 12,000 quotes of real pages' text (4,000 sentences, reworded, cut and repeated by four more outlets) it took 2.7 s
# instead of 40, and 12 of the 3,679 groups differed from the exhaustive comparison's, all short script lines.
MAX_CANDIDATES = 64
COMMON_TRIGRAM = 128
MAX_QUERY_TRIGRAMS = 96


def _trigrams(folded: str) -> set[str]:
    return {folded[i : i + 3] for i in range(len(folded) - 2)} or {folded}


# partial_ratio costs up to 40 ns a pair of characters (14 ms on two wordings of 600): past this many pairs in one
# grouping, wordings are compared whole (fuzz.ratio) instead; real articles' quotes use a small part of it.
MAX_PARTIAL_WORK = 200_000_000


@dataclass
class _Comparer:
    threshold: float
    work: int = 0  # pairs of characters partial_ratio was given

    def close(self, shorter: str, longer: str) -> bool:
        """fuzz.partial_ratio(shorter, longer) >= threshold. A window of `longer` scoring `threshold` shares a
        subsequence of threshold / (200 - threshold) of `shorter` with it, which fuzz.ratio bounds on the whole of
        both in microseconds: most pairs are ruled out by that, before partial_ratio is asked."""
        if shorter == longer:
            return True
        ratio = fuzz.ratio(shorter, longer)
        if shorter:
            needed = 200 * self.threshold * len(shorter) / ((200 - self.threshold) * (len(shorter) + len(longer)))
            if ratio < needed - 1e-6:
                return False
        self.work += len(shorter) * len(longer)
        if self.work > MAX_PARTIAL_WORK:
            return ratio >= self.threshold
        return fuzz.partial_ratio(shorter, longer) >= self.threshold


def group_quotes(
    quotes: Iterable[Quote], aliases: tuple[tuple[str, ...], ...] = (), threshold: float = 85.0
) -> list[QuoteGroup]:
    """Equivalent quotes together: the same words after folding, or one wording inside the other. Longest first,
    each quote joins the first group (in the order they were made) among its candidates whose wording matches."""
    keys: list[str] = []  # each group's folded wording (its longest quote's)
    groups: list[QuoteGroup] = []
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}  # trigram -> the groups with it (up to COMMON_TRIGRAM + 1 of them)
    comparer = _Comparer(threshold)
    for quote in sorted(quotes, key=lambda q: -len(q.text)):
        folded = apply_aliases(fold(quote.text), aliases).text
        grams = _trigrams(folded)
        rare = sorted((index[g] for g in grams if g in index and len(index[g]) <= COMMON_TRIGRAM), key=len)
        shared = Counter(chain.from_iterable(rare[:MAX_QUERY_TRIGRAMS]))
        candidates = {number for number, _ in shared.most_common(MAX_CANDIDATES)}
        if folded in exact:
            candidates.add(exact[folded])
        for number in sorted(candidates):
            shorter, longer = sorted((folded, keys[number]), key=len)
            if len(shorter) >= 0.5 * len(longer) and comparer.close(shorter, longer):
                groups[number].quotes.append(quote)
                break
        else:
            exact.setdefault(folded, len(groups))
            for gram in grams:
                posting = index.setdefault(gram, [])
                if len(posting) <= COMMON_TRIGRAM:
                    posting.append(len(groups))
            keys.append(folded)
            groups.append(QuoteGroup([quote]))
    groups.sort(key=lambda g: (-len(g.outlets), -len(g.text)))
    return groups


def quote_phrases(
    articles: Sequence[Article], aliases: tuple[tuple[str, ...], ...] = (), limit: int = 12
) -> tuple[Phrase, ...]:
    """Phrases for a comparison without --quote: the quotes the articles carry, most widely carried first."""
    quotes = [q for article in articles for q in extract_quotes(article, aliases)]
    groups = group_quotes(quotes, aliases)[:limit]
    return tuple(Phrase(f"q{n}", g.text, speaker=g.speaker) for n, g in enumerate(groups, start=1))
