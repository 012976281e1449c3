"""Writing the policy guide on the laptop: articles arriving by sync, withdrawn, reset, opened.

Each function takes the caller's SQLAlchemy connection and runs inside the caller's transaction (the
sync apply's, with its cursors), and keeps the article rows and their search index
(gridworker.guide.search explains it) in step: the index is written here, not by triggers, so there
is nothing to forget in a migration. No Qt.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert

from gridworker.guide import category_code
from gridworker.guide.search import PINYIN_TOKEN_CHARS, fold, fts_rowid, is_han, pinyin_runs, plain_text, segment
from gridworker.store.models import Article, utcnow

CHUNK = 500  # ids per IN (...) list, under SQLite's bound-parameter limit

_INSERT_INDEX = sa.text(
    "INSERT INTO article_fts (rowid, title, body, phones, pinyin, category, article_id, plain, title_pinyin) "
    "VALUES (:rowid, :title, :body, :phones, :pinyin, :category, :article_id, :plain, :title_pinyin)"
)
_DELETE_INDEX = sa.text("DELETE FROM article_fts WHERE rowid = :rowid")


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _utc_naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo is not None else value


# --- pinyin of titles ----------------------------------------------------------------------------


def title_syllables(title: str) -> list[str]:
    """The pinyin of each character of ``title`` (ü as v), "" for a character that is not hanzi.
    Runs of hanzi are read together, so pypinyin's phrase dictionary picks the reading (银行 yinhang)."""
    from pypinyin import Style, lazy_pinyin  # the writer thread loads it on first use

    out = [""] * len(title)
    i = 0
    while i < len(title):
        if not is_han(title[i]):
            i += 1
            continue
        j = i
        while j < len(title) and is_han(title[j]):
            j += 1
        run = title[i:j]
        readings = lazy_pinyin(run, style=Style.NORMAL)
        if len(readings) != len(run):  # a character without pinyin comes back glued to its neighbours
            readings = [(lazy_pinyin(c, style=Style.NORMAL) or [""])[0] for c in run]
        for k, reading in enumerate(readings):
            out[i + k] = reading if reading.isascii() and reading.isalpha() else ""
        i = j
    return out


def pinyin_tokens(title: str, syllables: Sequence[str]) -> str:
    """The indexed pinyin of a title: for each run of hanzi, every suffix of its initials and of its
    full pinyin (also with u for ü), so a prefix query finds a run anywhere in the title."""
    tokens: dict[str, None] = {}
    for run in pinyin_runs(title, syllables):
        readings = [s for _, s in run]
        for k in range(len(readings)):
            tokens["".join(x[0] for x in readings[k:])[:PINYIN_TOKEN_CHARS]] = None
            full = "".join(readings[k:])[:PINYIN_TOKEN_CHARS]
            tokens[full] = None
            tokens[full.replace("v", "u")] = None
    return " ".join(tokens)


# --- writes --------------------------------------------------------------------------------------


def _index_row(row: dict[str, Any]) -> dict[str, Any]:
    syllables = title_syllables(row["title"])
    plain = plain_text(row["body"])
    if row["summary"]:
        plain = plain_text(row["summary"]) + " " + plain
    return {
        "rowid": fts_rowid(row["id"]),
        "title": segment(row["title"]),
        "body": segment(plain),
        "phones": " , ".join(segment(p) for p in row["phones"]),
        "pinyin": pinyin_tokens(row["title"], syllables),
        "category": fold(row["category"]),  # one token: the code
        "article_id": row["id"].hex,
        "plain": plain,
        "title_pinyin": ",".join(syllables),
    }


def upsert_articles(conn: sa.Connection, rows: list[dict[str, Any]]) -> int:
    """Store articles as the server sent them (keys: id, slug, category, title, summary, body, phones,
    effective_from, effective_to, version, published_at). An article already here at the same or a
    higher version is left alone; a newer version replaces the old one and shows as updated (the
    version the user read is kept). Another article holding the same slug is stale (the server gives
    a slug to one article) and is removed. Returns how many articles were written."""
    newest: dict[uuid.UUID, dict[str, Any]] = {}
    for row in rows:
        have = newest.get(row["id"])
        if have is None or int(row["version"]) > int(have["version"]):
            newest[row["id"]] = row
    if not newest:
        return 0
    present: dict[uuid.UUID, int] = {}
    for ids in _chunks(list(newest)):
        for aid, version in conn.execute(sa.select(Article.id, Article.version).where(Article.id.in_(ids))):
            present[aid] = version
    now = utcnow()
    values = [
        {
            "id": r["id"],
            "slug": str(r["slug"])[:64],
            "category": category_code(str(r["category"])),
            "title": str(r["title"])[:200],
            "summary": str(r.get("summary") or ""),
            "body": str(r["body"] or ""),
            "phones": [str(p) for p in r.get("phones") or []],
            "effective_from": r["effective_from"],
            "effective_to": r.get("effective_to"),
            "version": int(r["version"]),
            "published_at": _utc_naive(r["published_at"]),
            "received_at": now,
        }
        for aid, r in newest.items()
        if int(r["version"]) > present.get(aid, -1)
    ]
    if not values:
        return 0
    stale: list[uuid.UUID] = []
    incoming = {v["id"] for v in values}
    for slugs in _chunks([v["slug"] for v in values]):
        for (aid,) in conn.execute(sa.select(Article.id).where(Article.slug.in_(slugs))):
            if aid not in incoming:
                stale.append(aid)
    remove_articles(conn, stale)
    replaced = [{"rowid": fts_rowid(v["id"])} for v in values if v["id"] in present]
    if replaced:
        conn.execute(_DELETE_INDEX, replaced)
    statement = insert(Article)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[Article.id],
            set_={c: statement.excluded[c] for c in values[0] if c != "id"},
        ),
        values,
    )
    conn.execute(_INSERT_INDEX, [_index_row(v) for v in values])
    return len(values)


def remove_articles(conn: sa.Connection, ids: list[uuid.UUID]) -> int:
    """Withdrawn articles leave the laptop and the search. Visits keep their record of them
    (``visit_article`` has the title and version). Returns how many were here."""
    if not ids:
        return 0
    removed = 0
    for chunk in _chunks(list(dict.fromkeys(ids))):
        conn.execute(_DELETE_INDEX, [{"rowid": fts_rowid(i)} for i in chunk])
        removed += conn.execute(sa.delete(Article).where(Article.id.in_(chunk))).rowcount or 0
    return removed


def clear_articles(conn: sa.Connection) -> None:
    """Every article and the whole index, for a reset of the global scope (a full pull follows)."""
    conn.execute(sa.delete(Article))
    conn.execute(sa.text("DELETE FROM article_fts"))


def mark_read(conn: sa.Connection, article_id: uuid.UUID, version: int) -> None:
    """The user opened ``version`` of an article: it no longer shows as new (a later version will)."""
    conn.execute(
        sa.update(Article)
        .where(Article.id == article_id, Article.read_version < version)
        .values(read_version=sa.func.min(version, Article.version))
    )
