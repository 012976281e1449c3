"""Does the guide's search answer a resident's question as they say it? The shipped guide
(resources/guide) is stored as a sync stores it, and every question of guide_relevance.yaml is
searched: the articles listed must be in the first three results (success@3), and the first listed
should come first (success@1). Both rates are printed (run with -s) and success@1 has a floor."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridworker.guide.search import search
from gridworker.guide.store import upsert_articles
from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker_server.guide_files import load_folder, starter_guide_path

RELEVANCE = Path(__file__).with_name("guide_relevance.yaml")
SUCCESS_AT_1_FLOOR = 0.9


def questions() -> list[tuple[str, list[str]]]:
    data: list[dict[str, Any]] = yaml.safe_load(RELEVANCE.read_text(encoding="utf-8"))
    return [(str(item["q"]), [str(s) for s in item["top3"]]) for item in data]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    articles, issues = load_folder(starter_guide_path())
    assert issues == []
    db = Database(tmp_path_factory.mktemp("relevance") / "guide.db")
    rows = [
        {
            "id": a.id,
            "slug": a.slug,
            "category": a.category,
            "title": a.title,
            "summary": a.summary,
            "body": a.body,
            "phones": list(a.phones),
            "effective_from": a.effective_from,
            "effective_to": a.effective_to,
            "version": a.version,
            "published_at": __import__("datetime").datetime(2026, 1, 1),
        }
        for a in articles
    ]
    with db.engine.begin() as conn:
        assert upsert_articles(conn, rows) == len(rows)
    reader = Reader(db.path)
    yield reader.connection()
    reader.close()
    db.close()


def test_the_set_is_large_and_names_real_articles() -> None:
    asked = questions()
    assert len(asked) >= 60
    assert len({q for q, _ in asked}) == len(asked), "a question twice"
    slugs = {a.slug for a in load_folder(starter_guide_path())[0]}
    assert {s for _, wanted in asked for s in wanted} <= slugs


def test_questions_find_their_articles(con: sqlite3.Connection) -> None:
    asked = questions()
    misses: list[str] = []
    first = 0
    for query, wanted in asked:
        got = [h.slug for h in search(con, query)]
        first += bool(got) and got[0] == wanted[0]
        if not set(wanted) <= set(got[:3]):
            misses.append(f"{query}: want {wanted} in the top 3, got {got[:5]}")
    at1, at3 = first / len(asked), 1 - len(misses) / len(asked)
    print(f"\nguide relevance: {len(asked)} questions, success@1 {at1:.1%}, success@3 {at3:.1%}")
    assert misses == []
    assert at1 >= SUCCESS_AT_1_FLOOR
