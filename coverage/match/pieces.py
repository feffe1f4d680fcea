"""The phrase in pieces: a quote interrupted by its attribution, a phrase written with a gap, or carried in part.

News writes 「我們會持續與夥伴密切合作，」林部長說，「維護區域的和平與穩定。」 and "We will," she said, "stay the
course." — the whole phrase, word for word, in two pieces around the attribution: that is verbatim, with the
interruption shown. A phrase quoted with a gap (「我們不會退讓…也不會挑釁」) is verbatim when each part is there, in
order, within a sentence or two. An article that carries only part of the phrase word for word is **partial**,
with the parts carried and the share of the phrase they make.

How short a part may be and still count: 5 Han characters, or 3 Latin words of which two are content words and
not all names (MIN_HAN, MIN_WORDS: "the Grey Reef" is a name, "inflation is coming down" a clause); a partial
carries at least a fifth of the phrase (MIN_SHARE), and each part reads as part of it: in quote marks, completing
a clause of the phrase, beginning one and making a quarter of the phrase (MAJOR_SHARE), or half the phrase
wherever it stands (HALF). Two shared characters (兩國) or two words ("the talks") are common to any coverage of
the event, not a quote. The rules were set on tests/data/realistic_cases.yaml (benchmarks/realistic_eval.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ..models import Method, Phrase, Piece, Status
from ..quotes import _SPEECH_RE
from ..textnorm import Folded, han_count, one_line
from .base import ArticleView, Hit, Matcher, fold_for_matching, sentence_around

MIN_HAN = 5  # characters of Han text a carried part needs
MIN_WORDS = 3  # words of Latin text a carried part needs
MIN_SHARE = 0.2  # a partial carries at least this share of the phrase
MAJOR_SHARE = 0.25  # a part that begins a clause of the phrase counts from this share of it
HALF = 0.5  # a part this large counts wherever it stands
WHOLE = 0.95  # pieces covering this share of the phrase (within MAX_PIECES) are the whole phrase, interrupted
MAX_PIECES = 3  # an interrupted quote is in two or three pieces
SPREAD = 160  # characters of the article the pieces may spread beyond the phrase's own length
MAX_SEARCH = 200_000  # characters of an article searched for pieces
_GAP = re.compile(r"\s*(?:…+|\.{3,}|⋯+)\s*")
_SEPARATOR = "\x00"  # between the parts of a gap phrase (never in folded text)
_QUOTE_MARK = re.compile(r"[「」『』“”\"‘’]")
# where a clause of the phrase begins or ends: punctuation, and in Latin text a conjunction ("… for an hour and we
# paid for it")
_MARK = r"[，,。；;：:！!？?、—「」『』“”\"（）()]|\b(?:and|but|or|so|because|while|then)\b"
_CLAUSE_BEFORE = re.compile(rf"(?:{_MARK})\s*$")
_CLAUSE_AFTER = re.compile(rf"\s*(?:{_MARK})")
# what may stand before a quoted part: the text's start, a clause mark, or a speech verb ("said", 表示)
_LEFT_EDGE = re.compile(
    r"(?:^|[，,。；;：:！!？?\n「」『』“”\"（）()—]|\b(?:said|says|told|added|stated|wrote|that|vowed to|pledged to)|"
    r"說|说|表示|稱|称|指出|強調|强调|寫道|写道)\s*$"
)
_RIGHT_EDGE = re.compile(r"\s*(?:$|[，,。；;：:！!？?\n「」『』“”\"（）()—])")


@dataclass(frozen=True, slots=True)
class _Block:
    phrase: int  # offset in the joined folded phrase
    article: int  # offset in the folded article
    size: int


def _longest_piece(needle: str, haystack: str) -> tuple[int, int]:
    """(start in needle, length) of the longest piece of `needle` found in `haystack` (matching statistics:
    each position extends the previous one's length less one, so the searches are linear in the needle)."""
    best = (0, 0)
    length = 0
    for start in range(len(needle)):
        length = max(0, length - 1)
        while start + length < len(needle) and needle[start : start + length + 1] in haystack:
            length += 1
        if length > best[1]:
            best = (start, length)
    return best


_TOKEN = re.compile(r"[^\W_]+|\S", re.ASCII)  # Latin words and digit runs whole, every other character alone


def _tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    return [(m.group(), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text) if not m.group().isspace()]


def _blocks(joined: str, article: str, low: int, high: int) -> list[_Block]:
    """The phrase's pieces found in order in article[low:high], as whole words (a character-level match would
    let the d of "said" finish "exhausted")."""
    ours, theirs = _tokens(joined), _tokens(article[low:high], low)
    matcher = SequenceMatcher(None, [t[0] for t in ours], [t[0] for t in theirs], autojunk=False)
    blocks = []
    for found in matcher.get_matching_blocks():
        if not found.size:
            continue
        start, end = ours[found.a][1], ours[found.a + found.size - 1][2]
        where = theirs[found.b][1]
        if _SEPARATOR in joined[start:end]:
            continue
        blocks.append(_Block(start, where, end - start))
    return blocks


def _long_enough(text: str, written: str = "") -> bool:
    """MIN_HAN characters of Han text; MIN_WORDS words of Latin text, two of them content words and one of those
    not a name ("the Grey Reef" is a name, "inflation is coming down" a clause). `written`: the text as written,
    for the capitals."""
    if han_count(text):
        return len(text) >= MIN_HAN
    from ..align.lexicon import STOPWORDS

    words = text.split()
    content = [w for w in words if w not in STOPWORDS and len(w) > 1]
    capitalised = {w.lower() for w in (written or "").split() if w[:1].isupper()}
    return len(words) >= MIN_WORDS and len(content) >= 2 and any(w not in capitalised for w in content)


class PiecesMatcher(Matcher):
    """The phrase interrupted, with a gap, or in part (see the module's notes).

    The cascade holds two: one before the fuzzy matcher for the whole phrase in pieces ("interrupted": an
    interruption is not a rewording), one after it for a part ("partial": a close variant is near, not partial).
    """

    method = Method.PIECES

    def __init__(self, whole: bool = True, partial: bool = True) -> None:
        super().__init__()
        self.whole = whole
        self.partial = partial
        self.name = "interrupted" if not partial else "partial" if not whole else "pieces"

    def applies(self, phrase: Phrase, view: ArticleView) -> bool:
        return bool(view.article.text)

    def find(self, phrase: Phrase, view: ArticleView) -> Hit | None:
        found = self._search(phrase.text, view)
        if found is not None or not self.whole:
            return found
        # a rendering written with a gap (前所未有…良好): its parts in order make it translated
        for rendering in (r for r in phrase.renderings if _GAP.search(r)):
            hit = self._search(rendering, view)
            if hit is not None and hit.status is Status.VERBATIM:
                return replace(hit, status=Status.TRANSLATED, rendering=rendering)
        return None

    def _search(self, text: str, view: ArticleView) -> Hit | None:
        settings = view.settings
        pairs = [(part, fold) for part in _GAP.split(text) if (fold := fold_for_matching(part, settings)).text]
        if not pairs:
            return None
        parts = [part for part, _ in pairs]
        folds = [fold for _, fold in pairs]
        joined = _SEPARATOR.join(f.text for f in folds)
        total = sum(len(f.text) for f in folds)
        article = view.folded.text[:MAX_SEARCH]
        start, length = _longest_piece(joined, article)
        if length < 2:  # how long a part must be is judged below: a whole quote may come in short pieces
            return None
        anchor = article.find(joined[start : start + length])
        low = max(0, anchor - start - SPREAD)
        high = min(len(article), anchor + (len(joined) - start) + SPREAD)
        blocks = _blocks(joined, article, low, high)
        return self._judge(parts, folds, joined, total, blocks, view)

    def _judge(
        self,
        parts: list[str],
        folds: list[Folded],
        joined: str,
        total: int,
        blocks: list[_Block],
        view: ArticleView,
    ) -> Hit | None:
        # the whole phrase in two or three pieces (or each part of a gap phrase); within one part of the phrase the
        # article may put only an interruption between two pieces (see _attribution): anything else there (an
        # inserted 不, a word) makes a variant for the fuzzy matcher. Single characters the aligner finds between
        # the pieces are chance, not pieces of the quote.
        blocks = [b for b in blocks if len(joined[b.phrase : b.phrase + b.size].strip()) >= 2]
        covered = sum(b.size for b in blocks)
        whole = covered >= WHOLE * total and len(blocks) <= MAX_PIECES + len(folds) - 1
        if whole and not all(self._attribution(a, b, joined, view) for a, b in itertools.pairwise(blocks)):
            whole = False
            blocks = []
        if whole and (len(blocks) > 1 or len(folds) > 1):
            return self._hit(Status.VERBATIM, blocks, joined, total, parts, folds, view) if self.whole else None
        kept = [
            b
            for b in blocks
            if _long_enough(joined[b.phrase : b.phrase + b.size], _phrase_text(b, joined, parts, folds))
            and self._a_quote(b, joined, parts, folds, view)
        ]
        share = sum(b.size for b in kept) / total if total else 0.0
        if self.partial and kept and share >= MIN_SHARE and not whole:
            return self._hit(Status.PARTIAL, kept, joined, total, parts, folds, view)
        return None

    @staticmethod
    def _a_quote(block: _Block, joined: str, parts: list[str], folds: list[Folded], view: ArticleView) -> bool:
        """Whether a carried part reads as part of the phrase, not as words that happen to recur (次工作會議 at the
        end of 首次工作會議): it is in quote marks in the article; or it completes a clause of the phrase (the end of
        a clause usually carries what is said of the subject: 疫苗存量充足); or it begins a clause of the phrase and
        either is a good part of it (MAJOR_SHARE: 房地产市场的风险 of 房地产市场的风险总体可控, 总体可控 then shown as
        not carried) or stands alone in the article."""
        folded, text = view.folded, view.article.text
        start = folded.origin[block.article]
        end = folded.origin[block.article + block.size - 1] + 1
        before, after = text[max(0, start - 12) : start], text[end : end + 2]
        if _QUOTE_MARK.search(before[-2:]) and _QUOTE_MARK.match(after.lstrip(" ,，")):
            return True
        piece = joined[block.phrase : block.phrase + block.size]
        if len(piece) >= HALF * len(joined):
            return True
        if _clause_edge(block.phrase + block.size, joined, parts, folds, at_start=False) and (
            not han_count(piece) or len(piece) > MIN_HAN  # 次工作會議 (five characters) ends 首次工作會議 by chance
        ):
            return True
        if not _clause_edge(block.phrase, joined, parts, folds, at_start=True):
            return False
        delimited = bool(_LEFT_EDGE.search(before) and _RIGHT_EDGE.match(after))
        return delimited or len(piece) >= MAJOR_SHARE * len(joined)

    @staticmethod
    def _attribution(a: _Block, b: _Block, joined: str, view: ArticleView) -> bool:
        """Whether what stands between two pieces in the article may: anything between two parts of a gap
        phrase; within one part, an interruption of the quote: its marks closed and opened again (」她加重語氣，「)
        or a quote mark and a speech verb."""
        if _SEPARATOR in joined[a.phrase + a.size : b.phrase + 1]:
            return True
        folded, text = view.folded, view.article.text
        start = folded.origin[a.article + a.size - 1] + 1
        end = folded.origin[b.article]
        between = text[start:end]
        marks = len(_QUOTE_MARK.findall(between))
        return marks >= 2 or (marks == 1 and bool(_SPEECH_RE.search(between)))

    def _hit(
        self,
        status: Status,
        blocks: list[_Block],
        joined: str,
        total: int,
        parts: list[str],
        folds: list[Folded],
        view: ArticleView,
    ) -> Hit:
        article, folded = view.article, view.folded
        spans = [folded.span_to_original(b.article, b.article + b.size, len(article.text)) for b in blocks]
        pieces = tuple(
            Piece(_phrase_text(b, joined, parts, folds), start, end)
            for b, (start, end) in zip(blocks, spans, strict=True)
        )
        first, last = spans[0][0], spans[-1][1]
        share = sum(b.size for b in blocks) / total
        gaps = [one_line(article.text[a[1] : b[0]]).strip(" ，,。「」“”\"'") for a, b in itertools.pairwise(spans)]
        gaps = [g for g in gaps if g]
        note = None
        if status is Status.VERBATIM and gaps:
            what = "the phrase's parts are apart; between them" if len(folds) > 1 else "the quote is interrupted by"
            note = f"{what}: " + " / ".join(g[:80] for g in gaps)
        elif status is Status.PARTIAL:
            missing = _missing(parts, pieces)
            note = f"carries {share:.0%} of the phrase word for word" + (f"; not carried: {missing}" if missing else "")
        return Hit(
            status=status,
            method=self.method,
            score=100 * share if status is Status.PARTIAL else 100.0,
            matched_text=article.text[first:last],
            context=sentence_around(article.text, first, last, view.settings.context_chars),
            span=(first, last),
            note=note,
            pieces=pieces,
            share=round(share, 3) if status is Status.PARTIAL else None,
        )


def _clause_edge(offset: int, joined: str, parts: list[str], folds: list[Folded], at_start: bool) -> bool:
    """Whether a folded offset of the joined phrase is where a clause of it begins (at_start) or ends: a part's
    edge, a punctuation mark or a conjunction in the phrase as written."""
    for part, fold in zip(parts, folds, strict=False):
        if offset <= len(fold.text):
            if offset in (0, len(fold.text)):
                return offset == 0 if at_start else offset == len(fold.text)
            if at_start:
                return bool(_CLAUSE_BEFORE.search(part[: fold.origin[offset]]))
            return bool(_CLAUSE_AFTER.match(part, fold.origin[offset - 1] + 1))
        offset -= len(fold.text) + len(_SEPARATOR)
    return False


def _phrase_text(block: _Block, joined: str, parts: list[str], folds: list[Folded]) -> str:
    """The block's words in the phrase as written (its own characters, punctuation inside kept)."""
    offset = block.phrase
    for part, fold in zip(parts, folds, strict=False):
        if offset < len(fold.text):
            start, end = fold.span_to_original(offset, offset + block.size, len(part))
            return part[start:end]
        offset -= len(fold.text) + len(_SEPARATOR)
    return joined[block.phrase : block.phrase + block.size]


def _missing(parts: list[str], pieces: tuple[Piece, ...]) -> str:
    """What of the phrase was not carried, as written (pieces removed, the rest joined with …)."""
    text = " … ".join(parts)
    for piece in pieces:
        text = text.replace(piece.phrase, "\x00", 1)
    rest = [one_line(x).strip(" ，,。、;；:：") for x in text.split("\x00")]
    return " … ".join(x for x in rest if x and x != "…")
