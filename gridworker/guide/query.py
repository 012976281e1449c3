"""A query as the guide's search reads it (gridworker.guide.search runs it): the words of what the user
typed, each with its synonyms, as an FTS5 MATCH expression over the index of character pairs.

A resident's question is typed without spaces (身份证补办, 低保怎么申请, 80岁老人补贴), so a word of
hanzi is cut into words (cut()): at each place the longest word the field's lexicon knows
(gridworker.guide.lexicon: synonyms, field words, question words), question words such as 怎么 or
在哪里 dropped, letters it does not know cut into pairs (a piece of three kept whole). Every word is
required (AND); a word brings its synonyms (OR: 违建 finds 违法建设, 医保 finds 医疗保险), and the
words cut from a sentence that the lexicon does not know are "optional": when the whole query
matches nothing, the search retries without them (孤寡老人没人养 -> 孤寡 老人). Words typed apart
by the user are always required (医保 量子 finds nothing). A number keeps the measure word after it
(80岁, also as 80周岁; 7天). The index is not touched by the lexicon: it is read at query time only,
so extending it needs no re-indexing.

jieba (or another segmenter) was not used: its last release is from 2020, it loads a 5 MB
dictionary (a second at first use), and its general dictionary does not know the words that matter
here (低保 as one word, 一件事, 两项补贴); a pair index already finds any substring, so only the
cut between words is needed, and a small lexicon of the field does it predictably.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_TERMS = 8  # words of a query that are searched (a pasted paragraph does not make a huge query)
MAX_TERM_CHARS = 32  # characters of one word that are searched

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


# --- text forms shared by the index (gridworker.guide.store) and the queries --------------------------


def fold(text: str) -> str:
    """The form text is compared in: NFKC (full-width to ASCII, compatibility ideographs to unified)
    and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def bigrams(chars: str) -> list[str]:
    """The token starting at each character: it and the next one; the last character alone."""
    return [chars[i : i + 2] for i in range(len(chars))]


def is_han(char: str) -> bool:
    return bool(_HAN.match(char))


# --- queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query: its letters and digits, folded, and the words that mean the same
    (``alts``: the synonyms of gridworker.guide.lexicon, the word itself first)."""

    chars: str
    alts: tuple[str, ...] = ()
    optional: bool = False  # letters the lexicon does not know, cut from a sentence: dropped if nothing matches

    @property
    def words(self) -> tuple[str, ...]:
        return self.alts or (self.chars,)

    @property
    def phrase(self) -> str:
        """One character: any token starting with it (the prefix index answers it); more: the phrase of
        the overlapping pairs (医保卡: "医保 保卡"); with synonyms, any of theirs."""
        phrases = [_phrase(w) for w in self.words]
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"

    @property
    def pinyin(self) -> bool:
        """Could be pinyin (initials or syllables) of a title: two or more ASCII letters."""
        return len(self.chars) >= 2 and self.chars.isascii() and self.chars.isalpha()

    @property
    def initials(self) -> tuple[str, ...]:
        """Initials typed for several words (dbsq: 低保 申请), in pairs: a title's words need not be
        side by side (低保怎么申请). Only for four or more letters without a vowel (not full pinyin)."""
        if not self.pinyin or len(self.chars) < 4 or any(v in self.chars for v in "aeiouv"):
            return ()
        return tuple(self.chars[i : i + 2] for i in range(0, len(self.chars), 2))


def _phrase(chars: str) -> str:
    if len(chars) == 1:
        return f'"{chars}" *'
    return '"' + " ".join(bigrams(chars)[:-1]) + '"'


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str], int]:
    """Synonyms by word, every known word, the fillers, the longest word's length (folded)."""
    from gridworker.guide import lexicon

    synonyms: dict[str, tuple[str, ...]] = {}
    for group in lexicon.SYNONYMS:
        for word in map(fold, group):
            words = {*synonyms.get(word, ()), *map(fold, group)}
            # a word containing another adds nothing (居民医保 is found by 医保)
            synonyms[word] = tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))
    fillers = frozenset(fold(w) for w in lexicon.FILLERS)
    known = frozenset(synonyms) | frozenset(fold(w) for w in lexicon.WORDS) | fillers
    return synonyms, known, fillers, max(map(len, known))


def cut(run: str) -> list[str]:
    """A run of hanzi as its words: the longest known word at each place (gridworker.guide.lexicon),
    question words (怎么, 在哪里) dropped; letters the lists do not know are cut in pairs, a piece of
    three kept whole (身份证补办 -> 身份证 补办; 低保怎么申请 -> 低保 申请). A run of fillers only is kept."""
    return [w for w, _ in _cut(run)]


def _cut(run: str) -> list[tuple[str, bool]]:
    """cut(), each word with whether the lexicon knows it."""
    _, known, fillers, longest = _lexicon()
    words: list[tuple[str, bool]] = []
    unknown = ""

    def flush(last: bool = False) -> None:
        nonlocal unknown
        while len(unknown) > 3:
            words.append((unknown[:2], False))
            unknown = unknown[2:]
        if len(unknown) > 1 or (unknown and last):  # a lone letter between words (小区里有人) says little
            words.append((unknown, False))
        unknown = ""

    i = 0
    while i < len(run):
        size = next((n for n in range(min(longest, len(run) - i), 0, -1) if run[i : i + n] in known), 0)
        if size:
            flush()
            if run[i : i + size] not in fillers:
                words.append((run[i : i + size], True))
            i += size
        else:
            unknown += run[i]
            i += 1
    flush(last=True)
    return words or [(run, False)]


@lru_cache(maxsize=8192)
def word_starts(title: str) -> frozenset[int]:
    """Where the words of a title start, cut as a query is (the longest known word, else pairs): a
    pinyin query's initials must start at one (db: 低保, not 停电报修's 电报)."""
    _, known, _, longest = _lexicon()
    folded = fold(title)
    if len(folded) != len(title):  # positions must stay the title's
        folded = title
    starts: set[int] = set()
    i = 0
    while i < len(folded):
        if not is_han(folded[i]):
            i += 1
            continue
        starts.add(i)
        size = next((n for n in range(min(longest, len(folded) - i), 1, -1) if folded[i : i + n] in known), 0)
        if not size:  # unknown: a pair, unless a known word starts right after this letter
            nxt = folded[i + 1 : i + 1 + longest]
            size = 1 if any(nxt[:n] in known for n in range(2, len(nxt) + 1)) else 2
        i += size
    return frozenset(starts)


#: characters that belong to the number before them (80岁, 7天, 3号楼): kept with it in one phrase
MEASURES = frozenset("岁天元号年月日周个次楼栋层室户人")


def _word_terms(word: str) -> list[Term]:
    """One word of the query as terms: its hanzi cut into words (cut()), each with its synonyms; a
    run of digits or letters as typed, with the character of a number that measures it (80岁, also as
    80周岁)."""
    synonyms, _, _, _ = _lexicon()
    runs = [m.group() for m in _RUNS.finditer(word)]
    terms: list[Term] = []
    for k, run in enumerate(runs):
        if not is_han(run[0]):
            continue
        if k and run[0] in MEASURES:  # the number before it takes it
            run = run[1:]
        pieces = _cut(run) if run else []
        any_known = any(known for _, known in pieces)
        terms += [Term(w, synonyms.get(w, ()), any_known and not known) for w, known in pieces]
    for k, run in enumerate(runs):
        if is_han(run[0]):
            continue
        after = runs[k + 1][0] if k + 1 < len(runs) else ""
        if after in MEASURES:
            alts = (run + after, run + "周岁") if after == "岁" else ()
            terms.insert(0, Term(run + after, alts))
        else:
            terms.insert(0, Term(run))
    return terms


_HAN_CHARS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUNS = re.compile(f"[{_HAN_CHARS}]+|[^{_HAN_CHARS}]+")


def parse_query(text: str) -> list[Term]:
    """The words of a query; empty when it has no letter or digit. A word of hanzi is cut into its
    words (cut()); each word brings its synonyms."""
    terms: list[Term] = []
    for word in fold(text).split():
        chars = "".join(c for c in word if c.isalnum())[:MAX_TERM_CHARS]
        for term in _word_terms(chars) if chars else ():
            if term not in terms:
                terms.append(term)
    return terms[:MAX_TERMS]


def match_expression(terms: Sequence[Term], category: str | None = None) -> str:
    """The FTS5 MATCH expression of a parsed query: each term a phrase in the text columns (or a pinyin
    prefix), all terms required. Only letters and digits are ever inside the quotes."""
    parts = []
    for term in terms:
        text = "{title body phones} : " + term.phrase
        if term.pinyin:
            pinyin = f'pinyin : "{term.chars}" *'
            if term.initials:
                pinyin = f"({pinyin} OR pinyin : (" + " AND ".join(f'"{p}" *' for p in term.initials) + "))"
            text = f"({text} OR {pinyin})"
        parts.append(text)
    if category:
        parts.append('category : "' + fold(category).replace('"', '""') + '"')
    return " AND ".join(parts)
