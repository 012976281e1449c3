"""Reading the policy guide: search as the user types, what's new, the list, one article. No Qt, no
SQLAlchemy: these run on the screens' reader connection (gridworker.store.reads), a plain sqlite3
connection, and any row factory.

The index, and why
==================
``article_fts`` is an SQLite FTS5 table (migration 0004) whose indexed columns hold each article's
letters and digits *pre-segmented into overlapping character pairs*, one token starting at every
character: ``segment("医保卡 App") == "医保 保卡 卡a ap pp p"`` (folded: NFKC, lower case; spaces and
punctuation dropped). SQLite ships no Chinese word breaker (``unicode61`` reads a run of hanzi as one
token, so 医保 inside 城乡居民医保缴费 would never be found), and a word dictionary would miss the terms
that matter here (低保, 一件事, 12345). With a token at every character, any substring is found:

- a two-character term (医保, 低保: the common query) is one token, one doclist;
- a longer one is the phrase of its pairs (医保卡: "医保 保卡"), answered from position lists;
- a single character (保: the first keystroke of any term) is a prefix query, ``"保" *``, answered by
  the one-character prefix index (``prefix = '1'``, counted in characters: 2 to 3 times faster than
  merging every pair that starts with 保, for 45 % more index);
- digits and Latin letters are characters like any other, so a phone number is found by any part of
  it (its last four digits), ``app`` inside ``App``; a query of several words (``12345 热线``,
  ``App 注册``) is an AND of phrases;
- punctuation and spaces are not characters here, so ``社保，医保`` and a query typed without the comma
  agree.

Single-character tokens (医 保, the phrase "医 保") were measured first: the same answers, but a pair
query reads and merges two long position lists, where a pair token reads one short doclist; over
5,000 articles the slowest queries took half as long again. A trigram index (FTS5's ``trigram``
tokenizer) cannot answer a one- or two-character query without a full scan.

The ``pinyin`` column holds, for each run of hanzi in the title, every suffix of its pinyin initials
and of its full pinyin (``低保申请``: dbsq, bsq, sq, q, dibaoshenqing, baoshenqing, …), so a prefix
query ``pinyin : "yb" *`` finds 医保 in the middle of a title, and ``dbsq`` / ``dibao`` find 低保申请.
A query word of two or more ASCII letters is searched both as text and as pinyin; initials of four or
more letters without a vowel are also searched in pairs (``dbsq``: db and sq, so 低保怎么申请 is found).

Every character of the user's text is either a letter or digit, put inside a quoted phrase, or
dropped: FTS5's syntax (quotes, ``*``, ``-``, ``NEAR``, parentheses, colons) never reaches the
parser, so no input raises. What the words of a query are (a question cut into words, synonyms,
optional words) is gridworker.guide.query's.

Ranking: the SQL query returns title matches (text or pinyin) first, then body-only matches; within
each, bm25 with the title weighted over the body. Whether a row matched in its title is itself a
bm25 with every other column weighted 0: its score is exactly 0 unless a phrase occurs in the title
(FTS5 clamps a term's idf above 0). The rows returned are then ordered by how many of the query's
words their title holds (a pinyin match counts only from the start of a word of the title, as
cut by the lexicon: db is 低保, not the 电报 of 停电报修), then by how many as typed (dbsq whole
before db … sq apart), then by how many in the title's subject (before its first colon), then by
where in the title the first one is, then by bm25.

Highlights are computed here on the original text, not by FTS5's ``highlight()`` (which would mark
the segmented copy): the same characters, with anything between them that is not a letter or digit,
are found in the title and in the body's plain text (``plain``, stored beside the index: the Markdown
without its markup), and wrapped in ``<b>``; everything else is HTML-escaped. The snippet is about 60
characters of the body around the window with the most query terms.

The index row of an article has a fixed rowid derived from the article's id (``fts_rowid``), so the
writer replaces or deletes it without a lookup; ``article_id`` (unindexed) leads back to the article.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gridworker.guide.query import MAX_TERM_CHARS as MAX_TERM_CHARS
from gridworker.guide.query import MAX_TERMS as MAX_TERMS
from gridworker.guide.query import Term as Term
from gridworker.guide.query import bigrams as bigrams
from gridworker.guide.query import cut as cut
from gridworker.guide.query import fold as fold
from gridworker.guide.query import is_han as is_han
from gridworker.guide.query import match_expression as match_expression
from gridworker.guide.query import parse_query as parse_query
from gridworker.guide.query import word_starts as word_starts

#: bm25 weights by column (title, body, phones, pinyin, category): the title counts most
RANK_WEIGHTS = "4.0, 1.0, 1.0, 2.0, 0.0"
#: the same with only the title's columns: non-zero exactly when a phrase occurs in the title
TITLE_WEIGHTS = "1.0, 0.0, 0.0, 1.0, 0.0"
SNIPPET_CHARS = 60
SNIPPET_LEAD = 16  # characters of context shown before the first match of a snippet
SNIPPET_SCAN = 48  # matches of a query of several words looked at for the best snippet
PINYIN_TOKEN_CHARS = 40  # the longest pinyin token indexed
ELLIPSIS = "…"


# --- text forms shared by the index (gridworker.guide.store) and the queries --------------------------


def segment(text: str) -> str:
    """Indexed text: the letters and digits only, a token starting at each of them ("医保 App" ->
    "医保 保a ap pp p")."""
    return " ".join(bigrams("".join(c for c in fold(text) if c.isalnum())))


def fts_rowid(article_id: uuid.UUID) -> int:
    """The index row of an article: the first 64 bits of its id, as a signed integer. Ids are random
    (60 random bits here), so two articles sharing a row is as likely as a UUID collision in practice
    (1e-11 among 5,000 articles)."""
    return int.from_bytes(article_id.bytes[:8], "big", signed=True)


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(```|~~~).*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE), ""),  # link reference definitions
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto|tel):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # headings
    (re.compile(r"^\s*(?:>\s*)+", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?", re.MULTILINE), ""),  # list items
    (re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$", re.MULTILINE), ""),  # table rules
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"\*\*|__|~~|`+|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)"), ""),  # emphasis, code spans
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])"), r"\1"),  # backslash escapes
    (re.compile(r"\s*\|\s*"), " "),  # table cells
    (re.compile(r"\s+"), " "),
)


def plain_text(markdown: str) -> str:
    """The words of a Markdown body without its markup, on one line: what is indexed and what a
    snippet shows. Raw HTML is kept as text, as the viewer shows it (it never renders HTML)."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


SEARCH_SQL = f"""
SELECT a.id, a.slug, a.category, a.title, a.version, a.read_version, a.phones,
       f.plain, f.title_pinyin, m.title_hit, m.score
FROM (SELECT rowid AS rid,
             bm25(article_fts, {TITLE_WEIGHTS}) < 0 AS title_hit,
             bm25(article_fts, {RANK_WEIGHTS}) AS score
      FROM article_fts WHERE article_fts MATCH ?
      ORDER BY title_hit DESC, score LIMIT ?) AS m
JOIN article_fts AS f ON f.rowid = m.rid
JOIN article AS a ON a.id = f.article_id
ORDER BY m.title_hit DESC, m.score
"""

#: the full-text query alone, for the benchmark's floor: the same MATCH, ranked by plain bm25
RAW_SQL = "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?"


@dataclass(frozen=True)
class Hit:
    """One search result. ``title_html`` and ``snippet_html`` are escaped HTML with ``<b>`` around
    each match. Results come ordered: ``title_match`` ones first, then by ``rank`` (bm25: lower is
    better)."""

    id: uuid.UUID
    slug: str
    category: str
    title: str
    version: int
    read_version: int
    is_new: bool  # a version the user has not opened: new (read_version 0) or updated
    title_html: str
    snippet_html: str
    rank: float
    title_match: bool = False

    @property
    def is_updated(self) -> bool:
        return self.is_new and self.read_version > 0


def search(conn: sqlite3.Connection, query: str, *, category: str | None = None, limit: int = 50) -> list[Hit]:
    """Articles matching every word of ``query`` (see the module's docstring), best first."""
    terms = parse_query(query)
    if not terms or limit <= 0:
        return []
    rows = conn.execute(SEARCH_SQL, (match_expression(terms, category), limit)).fetchall()
    required = [t for t in terms if not t.optional]
    if not rows and required and len(required) < len(terms):  # 孤寡老人没人养: the words it knows
        terms = required
        rows = conn.execute(SEARCH_SQL, (match_expression(terms, category), limit)).fetchall()
    if not rows:
        return []
    pattern = _pattern(tuple(t.words for t in terms))
    pinyin_terms = [(i, t) for i, t in enumerate(terms) if t.pinyin]
    ranked = []
    for r in rows:
        title, version, read_version = r[3], int(r[4]), int(r[5])
        found = _term_spans(title, pattern)
        pinyin = _pinyin_matches(title, r[8], pinyin_terms)
        starts = word_starts(title) if pinyin else frozenset()
        strong = [(s, t) for s, _, t in pinyin if s in starts]
        in_title = {t for _, _, t in found} | {t for _, t in strong}
        whole = {t for _, _, t in found} | {t for s, t in strong if _whole(title, r[8], s, terms[t])}
        main = _main_title_end(title)
        in_main = {t for s, _, t in found if s < main} | {t for s, t in strong if s < main}
        hit = Hit(
            id=uuid.UUID(hex=r[0]),
            slug=r[1],
            category=r[2],
            title=title,
            version=version,
            read_version=read_version,
            is_new=read_version < version,
            title_html=marked_html(title, [(s, e) for s, e, _ in found + pinyin]),
            snippet_html=_snippet(r[7], r[6], pattern, len(terms)),
            rank=float(r[10]),
            title_match=bool(in_title),
        )
        first = min([s for s, _, _ in found] + [s for s, _ in strong] + [len(title)]) if in_title else 0
        ranked.append(((-len(in_title), -len(whole), -len(in_main), first, hit.rank), hit))
    ranked.sort(key=lambda k: k[0])
    return [h for _, h in ranked]


def _main_title_end(title: str) -> int:
    """Where a title's subject ends: at its first colon (低保：哪些家庭可以享受…), else the whole."""
    ends = [i for i in (title.find("："), title.find(":")) if i >= 0]
    return min(ends) if ends else len(title)


def _whole(title: str, title_pinyin: str, start: int, term: Term) -> bool:
    """A pinyin term's initials or syllables read from ``start`` as typed, not in pieces."""
    syllables = title_pinyin.split(",")[start:]
    initials = "".join(s[0] for s in syllables if s)
    return initials.startswith(term.chars) or "".join(syllables).startswith(term.chars)


# --- highlighting --------------------------------------------------------------------------------

Span = tuple[int, int]


def _char_class(char: str) -> str:
    """A query character as it may be written in the text: a letter or digit also full-width."""
    if char.isascii() and char.isalnum():
        return f"[{char}{chr(ord(char) + 0xFEE0)}]"
    return re.escape(char)


@lru_cache(maxsize=256)
def _pattern(terms: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """Each term's characters in order, with anything but letters and digits allowed between them (as
    the index skips it), one named group per term. It is matched against the lower-cased text: full
    NFKC of every result's body would cost more than the search (a letter's full-width form is in its
    character class instead)."""
    gap = r"[\W_]*"
    groups = (
        f"(?P<t{i}_{j}>{gap.join(map(_char_class, chars))})"
        for i, words in enumerate(terms)
        for j, chars in enumerate(words)
    )
    firsts = "".join(sorted({_char_class(w[0]).strip("[]").lstrip("\\") for words in terms for w in words}))
    # a position whose character starts no term is skipped at once (re tries every alternative else)
    return re.compile(f"(?=[{re.escape(firsts)}])(?:" + "|".join(groups) + ")")


def _folded(text: str) -> tuple[str, list[int] | None]:
    """``text`` lower-cased for matching, and where each character came from (None: one to one)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        out.append(low)
        origin += [i] * len(low)
    return "".join(out), origin


def _spans(text: str, pattern: re.Pattern[str], limit: int = 200) -> list[Span]:
    return [(s, e) for s, e, _ in _term_spans(text, pattern, limit)]


def _term_spans(text: str, pattern: re.Pattern[str], limit: int = 200) -> list[tuple[int, int, int]]:
    """(start, end, term index) of the matches in ``text``, in original character positions."""
    folded, origin = _folded(text)
    out = []
    for m in pattern.finditer(folded):
        start, end = m.span()
        if start == end:
            continue
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        out.append((start, end, int((m.lastgroup or "t0_0")[1:].split("_")[0])))
        if len(out) >= limit:
            break
    return out


def _pinyin_matches(title: str, title_pinyin: str, terms: list[tuple[int, Term]]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of the title characters a pinyin term matched: initials (yb -> 医保;
    dbsq -> 低保申请, or 低保 and 申请 apart) or syllables from one character's start (yibao, yib -> 医保)."""
    if not terms or not title_pinyin:
        return []
    syllables = title_pinyin.split(",")
    if len(syllables) != len(title):
        return []
    spans: list[tuple[int, int, int]] = []
    for run in pinyin_runs(title, syllables):
        where = [i for i, _ in run]
        readings = [s for _, s in run]
        initials = "".join(s[0] for s in readings)
        for index, term in terms:
            whole = initials.find(term.chars) >= 0
            for part in (term.chars,) if whole or not term.initials else term.initials:
                k = initials.find(part)
                while k >= 0:
                    spans.append((where[k], where[k + len(part) - 1] + 1, index))
                    k = initials.find(part, k + 1)
            for k, first in enumerate(readings):
                if not (term.chars.startswith(first) or first.startswith(term.chars)):
                    continue
                joined = ""
                for j in range(k, len(readings)):
                    joined += readings[j]
                    if joined.startswith(term.chars):
                        spans.append((where[k], where[j] + 1, index))
                        break
                    if not term.chars.startswith(joined):
                        break
    return spans


def pinyin_runs(title: str, syllables: Sequence[str]) -> list[list[tuple[int, str]]]:
    """The title's hanzi as runs of (position, syllable): punctuation and spaces between hanzi are
    skipped (最低生活保障（低保）申请 reads as one run), a Latin letter or digit ends a run."""
    runs: list[list[tuple[int, str]]] = [[]]
    for i, (char, syllable) in enumerate(zip(title, syllables, strict=True)):
        if syllable:
            runs[-1].append((i, syllable))
        elif char.isalnum() and runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_html(text: str, spans: list[Span]) -> str:
    """``text`` HTML-escaped, with ``<b>``…``</b>`` around each span (overlapping spans merged)."""
    out = []
    at = 0
    for start, end in _merge(spans):
        out.append(html.escape(text[at:start]))
        out.append("<b>" + html.escape(text[start:end]) + "</b>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _window(text: str, spans: list[Span], start: int) -> str:
    """About SNIPPET_CHARS characters of ``text`` from ``start``, highlighted, with … at cut ends."""
    start = max(0, min(start, len(text) - SNIPPET_CHARS))
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + SNIPPET_CHARS)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end]
    body = marked_html(text[start:end], inside)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def _snippet(plain: str, phones_json: str, pattern: re.Pattern[str], n_terms: int) -> str:
    """The part of the body with the most query terms close together; the phone numbers if only they
    matched; else the body's beginning."""
    if n_terms == 1:  # the window is around the first match: only that part of the body is scanned
        first = _term_spans(plain, pattern, limit=1)
        if first:
            a = max(0, min(first[0][0] - SNIPPET_LEAD, len(plain) - SNIPPET_CHARS))
            b = a + 2 * SNIPPET_CHARS  # the window, and room for the blanks _window skips at its start
            spans = [(s + a, e + a) for s, e, _ in _term_spans(plain[a:b], pattern)]
            return _window(plain, spans, first[0][0] - SNIPPET_LEAD)
    found = _term_spans(plain, pattern, SNIPPET_SCAN)  # the best window among the first matches
    if not found:
        phones = " / ".join(json.loads(phones_json or "[]"))
        matched = _spans(phones, pattern)
        if matched:
            return _window(phones, matched, matched[0][0] - SNIPPET_LEAD)
        return _window(plain, [], 0)
    best = found[0][0]
    if n_terms > 1:  # the window that shows the most different terms, then the most matches
        best_key = (0, 0)
        reach = SNIPPET_CHARS - SNIPPET_LEAD
        counts: dict[int, int] = {}
        j = 0
        for i, (start, _end, term) in enumerate(found):  # two pointers: found[i:j] end within reach
            j = max(j, i)
            while j < len(found) and found[j][1] <= start + reach:
                counts[found[j][2]] = counts.get(found[j][2], 0) + 1
                j += 1
            key = (len(counts), sum(counts.values()))
            if key > best_key:
                best, best_key = start, key
            if j > i:  # found[i] leaves the window
                counts[term] -= 1
                if not counts[term]:
                    del counts[term]
    return _window(plain, [(s, e) for s, e, _ in found], best - SNIPPET_LEAD)


# --- lists and one article -----------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


@dataclass(frozen=True)
class ArticleRow:
    """An article in a list: what the list shows, without the body."""

    id: uuid.UUID
    slug: str
    category: str
    title: str
    excerpt: str  # the summary, or the body's beginning as plain text
    version: int
    read_version: int
    effective_from: dt.date
    effective_to: dt.date | None
    published_at: dt.datetime
    received_at: dt.datetime

    @property
    def is_new(self) -> bool:
        return self.read_version < self.version

    @property
    def is_updated(self) -> bool:
        return 0 < self.read_version < self.version

    def hit(self) -> Hit:
        """The row as an unranked result (a list without a query shows the same way)."""
        return Hit(
            self.id,
            self.slug,
            self.category,
            self.title,
            self.version,
            self.read_version,
            self.is_new,
            html.escape(self.title),
            _window(self.excerpt, [], 0),
            0.0,
        )


@dataclass(frozen=True)
class ArticleView:
    """One article, every field."""

    id: uuid.UUID
    slug: str
    category: str
    title: str
    summary: str
    body: str  # Markdown
    phones: tuple[str, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    version: int
    published_at: dt.datetime
    received_at: dt.datetime
    read_version: int

    @property
    def is_new(self) -> bool:
        return self.read_version < self.version


_ROW_COLUMNS = (
    "id, slug, category, title, summary, version, read_version, effective_from, effective_to, "
    "published_at, received_at, substr(body, 1, 400)"
)


def _article_row(r: Sequence[Any]) -> ArticleRow:
    return ArticleRow(
        uuid.UUID(hex=r[0]),
        r[1],
        r[2],
        r[3],
        r[4] or plain_text(r[11] or "")[: SNIPPET_CHARS + 1],
        int(r[5]),
        int(r[6]),
        dt.date.fromisoformat(r[7]),
        _date(r[8]),
        _datetime(r[9]),
        _datetime(r[10]),
    )


def list_articles(conn: sqlite3.Connection, category: str | None = None) -> list[ArticleRow]:
    """Every article (of one category), by category, then newest first."""
    where, params = ("WHERE category = ?", (category,)) if category else ("", ())
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM article {where} ORDER BY category, published_at DESC, title", params
    ).fetchall()
    return [_article_row(r) for r in rows]


def whats_new(conn: sqlite3.Connection, category: str | None = None) -> list[ArticleRow]:
    """Articles whose current version the user has not opened (new or updated), newest first."""
    where, params = ("AND category = ?", (category,)) if category else ("", ())
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM article WHERE read_version < version {where} "
        "ORDER BY received_at DESC, published_at DESC, title",
        params,
    ).fetchall()
    return [_article_row(r) for r in rows]


def new_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM article WHERE read_version < version").fetchone()[0])


def article(conn: sqlite3.Connection, article_id: uuid.UUID) -> ArticleView | None:
    r = conn.execute(
        "SELECT id, slug, category, title, summary, body, phones, effective_from, effective_to, version, "
        "published_at, received_at, read_version FROM article WHERE id = ?",
        (article_id.hex,),
    ).fetchone()
    if r is None:
        return None
    return ArticleView(
        uuid.UUID(hex=r[0]),
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        tuple(str(p) for p in json.loads(r[6] or "[]")),
        dt.date.fromisoformat(r[7]),
        _date(r[8]),
        int(r[9]),
        _datetime(r[10]),
        _datetime(r[11]),
        int(r[12]),
    )


def articles(conn: sqlite3.Connection, ids: Sequence[uuid.UUID]) -> list[ArticleView]:
    """Several articles in the order asked (withdrawn ones left out): a handout's pages."""
    found = (article(conn, i) for i in ids)
    return [a for a in found if a is not None]
