"""The policy guide and the contact cards end to end: a real server process (SQLite and PostgreSQL),
real laptops (the app's database, store and sync engine), the guide published and withdrawn with the
server's own CLI, and cards printed through the app's real PDF path.

Done means (issue 4): a worker finds 低保 in the guide offline and records that it was explained; a
station prints a grid's cards and a phone camera would save the contact from any of them.
"""

from __future__ import annotations

import math
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from gridworker.cards.render import CardJob, Layout, write_pdf
from gridworker.cards.vcard import CardPerson, CardTarget, vcard
from gridworker.guide.search import search
from gridworker.guide.store import clear_articles
from gridworker_server import models as sm
from gridworker_server.guide_files import article_id
from gridworker_shared.domain.households import ArticleInput, VisitInput
from tests.e2e.test_sync_faults import Laptop, World, open_world
from tests.helpers.server import run_cli

pytestmark = pytest.mark.slow

NEW_ARTICLE = """---
slug: {slug}
title: 门前三包责任制怎么落实
category: 网格小常识
phones: ["12345"]
effective_from: 2026-06-01
version: 1
---
## 是什么

沿街商户负责门前的市容、绿化和秩序，有问题可拨打12345反映。
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from open_world(request, tmp_path_factory)


@pytest.fixture
def worker(world: World, tmp_path: Path) -> Iterator[Laptop]:
    lap = Laptop(tmp_path / "worker", world.server.base)
    lap.sign_in()
    lap.sync()
    yield lap
    lap.close()


def hits(laptop: Laptop, query: str) -> list[str]:
    with sqlite3.connect(laptop.path) as c:
        return [h.slug for h in search(c, query)]


def test_a_worker_finds_dibao_offline_and_the_visit_keeps_what_was_explained(
    world: World, worker: Laptop, tmp_path: Path
) -> None:
    found = hits(worker, "低保")
    assert "dibao-shenqing" in found and "dibao-tiaojian" in found
    assert hits(worker, "医保") and hits(worker, "保") and not hits(worker, "量子计算")
    dibao = article_id("dibao-shenqing")
    with sqlite3.connect(worker.path) as c:
        (version, title) = c.execute("SELECT version, title FROM article WHERE id = ?", (dibao.hex,)).fetchone()
    household = worker.households()[0]
    visit_id = worker.store().record_visit(
        VisitInput(household, "not_home", articles=[ArticleInput(dibao, version, "handed_out", title)])
    )
    worker.sync()
    with world.engine.connect() as c:
        stored = c.scalar(select(sm.Visit.articles).where(sm.Visit.id == visit_id))
    assert stored == [{"id": str(dibao), "version": version, "action": "handed_out", "title": title}]
    # the supervisor's view and another laptop of the same worker get it back
    other = Laptop(tmp_path / "second", world.server.base)
    other.sign_in()
    other.sync()
    with sqlite3.connect(other.path) as c:
        rows = c.execute("SELECT article_id, version, action FROM visit_article WHERE visit_id = ?", (visit_id.hex,))
        assert [(uuid.UUID(a), v, act) for a, v, act in rows] == [(dibao, version, "handed_out")]
    other.close()


def test_publishing_and_withdrawing_reach_the_laptop(world: World, worker: Laptop, tmp_path: Path) -> None:
    slug = f"menqian-{uuid.uuid4().hex[:6]}"
    folder = tmp_path / "guide"
    folder.mkdir()
    (folder / f"{slug}.md").write_text(NEW_ARTICLE.format(slug=slug), encoding="utf-8")
    run_cli(world.url, "publish-guide", str(folder))
    worker.sync()
    assert hits(worker, "门前三包") == [slug]

    run_cli(world.url, "withdraw-article", slug)
    worker.sync()
    assert hits(worker, "门前三包") == []
    with sqlite3.connect(worker.path) as c:
        assert c.execute("SELECT count(*) FROM article WHERE slug = ?", (slug,)).fetchone() == (0,)


def test_a_station_prints_a_grids_cards_and_the_worker_sees_each_household_got_one(
    world: World, worker: Laptop, tmp_path: Path, qapp: QApplication
) -> None:
    station = Laptop(tmp_path / "station", world.server.base, username="station01")
    station.sign_in()
    station.sync()
    worker_id = uuid.UUID(worker.sync_engine.meta()["worker_id"])
    with sqlite3.connect(station.path) as c:
        name, phone, hours, line = c.execute(
            "SELECT name, phone, service_hours, card_line FROM worker_card WHERE user_id = ?", (worker_id.hex,)
        ).fetchone()
        (grid,) = c.execute("SELECT name FROM org_unit WHERE kind = 'grid'").fetchone()
        (community,) = c.execute("SELECT name FROM org_unit WHERE kind = 'community'").fetchone()
        homes = [
            (uuid.UUID(h), f"{compound}{building}栋{room}")
            for h, compound, building, room in c.execute(
                "SELECT id, compound, building, room FROM household ORDER BY walk_key, id"
            )
        ]
    assert phone, "the demo worker's card has a phone"
    person = CardPerson(worker_id, name, phone, grid, community, hours, line)
    job = CardJob(person, [CardTarget(h, address) for h, address in homes], Layout.SHEET, with_address=True)
    pdf = tmp_path / "cards.pdf"
    assert write_pdf(job, pdf) == len(homes)
    assert len(PdfReader(pdf).pages) == math.ceil(len(homes) / 10)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p*.png")
    codes = zxingcpp.read_barcodes(QImage(str(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 10 and {c.text for c in codes} == {vcard(person)}

    station.store().record_card_issues(worker_id, [h for h, _ in homes], "sheet")
    station.sync()
    with world.engine.connect() as server_db:
        rows = server_db.execute(
            select(sm.CardIssue.card_user_id, func.count())
            .where(sm.CardIssue.household_id.in_([h for h, _ in homes]))
            .group_by(sm.CardIssue.card_user_id)
        ).all()
    assert rows == [(worker_id, len(homes))]
    worker.sync()
    with sqlite3.connect(worker.path) as c:
        got = c.execute("SELECT count(DISTINCT household_id), sum(reprint) FROM card_issue").fetchone()
    assert got == (len(homes), 0)
    # a second print of one household is a reprint, decided by the server and seen by the worker
    station.store().record_card_issues(worker_id, [homes[0][0]], "single")
    station.sync()
    worker.sync()
    with sqlite3.connect(worker.path) as c:
        reprints = c.execute(
            "SELECT reprint FROM card_issue WHERE household_id = ? ORDER BY issued_at, created_at", (homes[0][0].hex,)
        ).fetchall()
    assert [r[0] for r in reprints] == [0, 1]
    station.close()


def test_a_laptop_updated_from_an_earlier_version_gets_what_it_skipped(world: World, worker: Laptop) -> None:
    """A protocol-1 laptop applied households without their cards and skipped the guide while its cursors
    moved on; after the update (migration 0005 sets an epoch no server has) one sync brings it all,
    and a household with unsent work keeps it."""
    with sqlite3.connect(worker.path) as c:
        articles = c.execute("SELECT count(*) FROM article").fetchone()[0]
        c.execute("DELETE FROM worker_card")
    with worker.db.transaction() as s:
        clear_articles(s.connection())
    pending = worker.visit(1)
    with sqlite3.connect(worker.path) as c:
        c.execute("UPDATE meta SET value = '00000000-0000-0000-0000-000000000000' WHERE key = 'epoch'")
    worker.sync()
    with sqlite3.connect(worker.path) as c:
        assert c.execute("SELECT count(*) FROM article").fetchone()[0] == articles > 30
        assert c.execute("SELECT count(*) FROM worker_card").fetchone()[0] >= 1
        assert c.execute("SELECT count(*) FROM visit WHERE id = ?", (pending[0].hex,)).fetchone() == (1,)
    assert hits(worker, "低保")
    assert worker.outbox_states().count("pending") == 0
