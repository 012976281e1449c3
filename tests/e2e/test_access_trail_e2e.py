"""The access trail end to end (issue 14), on SQLite and PostgreSQL: a worker's laptop (the app's own
database and sync engine against a real server process) reveals a member's ID number and a household's
phone, exports and prints; the push's answer is lost once after the server committed (a proxy resets
the connection), the laptop syncs again, twice; the server holds each event exactly once. A
supervisor reads the trail through the API, through the app's reader and on the 访问记录 page
(rendered offscreen in Chinese); a worker and a department are refused."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from gridworker.store.meta import set_meta
from gridworker.store.reads import Reader
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.trail import read_trail
from gridworker.syncing.transport import OfflineError, RefusedError
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.review.trail_page import TrailModel, TrailPageWidget
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from gridworker_server import models as sm
from tests.e2e.test_sync_faults import Laptop, World, open_world
from tests.helpers.faultproxy import FaultProxy, ResetBeforeResponse
from tests.helpers.gui import language_and_text_size
from tests.helpers.server import auth_headers, login

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from open_world(request, tmp_path_factory)


def member_of(laptop: Laptop) -> tuple[uuid.UUID, uuid.UUID]:
    with sqlite3.connect(laptop.path) as c:
        hid, pid = c.execute(
            "SELECT h.id, p.id FROM household h JOIN person p ON p.household_id = h.id "
            "WHERE p.id_number != '' AND h.phone != '' ORDER BY h.walk_key LIMIT 1"
        ).fetchone()
    return uuid.UUID(hid), uuid.UUID(pid)


def server_count(world: World, ids: list[uuid.UUID]) -> int:
    with world.engine.connect() as c:
        return int(c.scalar(select(func.count()).where(sm.AccessEvent.id.in_(ids))) or 0)


def test_the_trail_reaches_the_server_once_and_the_supervisor_reads_it(
    world: World, tmp_path: Path, qtbot: QtBot
) -> None:
    laptop = Laptop(tmp_path / "worker", world.server.base)
    laptop.sign_in()
    laptop.sync()
    store = laptop.store()
    hid, pid = member_of(laptop)
    events = [
        store.record_access("reveal", household_id=hid, person_id=pid, field="id_number"),
        store.record_access("reveal", household_id=hid, field="phone"),
        store.record_access("export", what="诉求（xlsx）筛选：全部", rows=12),
        store.record_access("print", household_id=hid, what="联系卡 1 张（含住址，单张）", rows=1),
    ]
    # the answer to the push is lost after the server committed it: the laptop sends it again
    with FaultProxy("127.0.0.1", world.server.port) as proxy:
        laptop.sync_engine.transport.base_url = proxy.url
        proxy.set_plan(ResetBeforeResponse())
        with pytest.raises(OfflineError):
            laptop.sync()
        assert proxy.faults_applied == 1
        laptop.sync()
        laptop.sync()
    laptop.sync_engine.transport.base_url = world.server.base
    assert server_count(world, events) == len(events)
    with world.engine.connect() as c:
        assert int(c.scalar(select(func.count()).select_from(sm.AccessEvent)) or 0) >= len(events)
        kept = {r.id: r for r in c.execute(select(sm.AccessEvent).where(sm.AccessEvent.id.in_(events)))}
    assert kept[events[0]].person_id == pid and kept[events[0]].field == "id_number"
    assert kept[events[2]].rows == 12 and kept[events[2]].household_id is None
    assert laptop.outbox_states().count("applied") == len(laptop.outbox_states())
    # one more event after the fault: still each once
    later = store.record_access("reveal", household_id=hid, person_id=pid, field="phone")
    laptop.sync()
    laptop.sync()
    events.append(later)
    assert server_count(world, events) == len(events)

    # the supervisor, through the API
    token = login(world.server.base, "supervisor")["token"]
    r = requests.get(
        world.server.base + "/v1/access-trail",
        params={"user": "demo", "limit": 500},
        headers=auth_headers(token),
        timeout=30,
    )
    assert r.status_code == 200, r.text
    trail_ids = [e["id"] for e in r.json()["events"]]
    assert sorted(trail_ids) == sorted(str(e) for e in events)  # each once
    # a worker and a department may not read it
    for username in ("demo", "dept-cgzf"):
        other = login(world.server.base, username)["token"]
        refused = requests.get(world.server.base + "/v1/access-trail", headers=auth_headers(other), timeout=30)
        assert refused.status_code == 403
    with pytest.raises(RefusedError) as exc:
        read_trail(world.server.base, laptop.sync_engine.transport.token)
    assert exc.value.code == "forbidden"

    # the supervisor's laptop: the app's reader, then the page
    sup = Laptop(tmp_path / "supervisor", world.server.base, "supervisor")
    sup.sign_in()
    page_one = read_trail(world.server.base, sup.sync_engine.transport.token, user="demo", limit=2)
    assert len(page_one.entries) == 2 and page_one.next is not None
    rest = read_trail(world.server.base, sup.sync_engine.transport.token, user="demo", after=page_one.next)
    assert [e.id for e in page_one.entries + rest.entries] == [uuid.UUID(i) for i in trail_ids]
    reveals = read_trail(world.server.base, sup.sync_engine.transport.token, user="demo", action="reveal")
    assert {e.action for e in reveals.entries} == {"reveal"} and len(reveals.entries) == 3
    show_the_page(qtbot, sup, tmp_path, len(events))
    sup.close()
    laptop.close()


def show_the_page(qtbot: QtBot, sup: Laptop, tmp_path: Path, expected: int) -> None:
    meta = sup.sync_engine.meta()
    tasks = TaskManager()
    identity = Identity(uuid.UUID(meta["worker_id"]), "supervisor", "古城街道 李督导", "", role="supervisor")
    ctx = AppContext(sup.path, Reader(sup.path), tasks, Settings(tmp_path / "s.ini"), identity, Events())
    try:
        with language_and_text_size("zh_CN", 13):
            page = TrailPageWidget(ctx, tokens=lambda: TokenStore(sup.folder, use_keyring=False))
            qtbot.addWidget(page)
            page.resize(1366 - 200, 768 - 60)
            page.user_edit.setText("demo")
            page.show()
            qtbot.waitUntil(lambda: not page.loading, timeout=20000)
            assert page.error.isHidden(), page.error.text()
            assert page.model.rowCount() == expected
            first = page.model.index(0, TrailModel.COL_ACTION).data()
            assert first == "查看"  # the newest: a reveal, in Chinese
            QApplication.processEvents()
            page.grab().save(f"/tmp/trailshots/trail_page_{sup.sync_engine.transport.base_url[-5:]}.png")
            # offline (the server's address answers nobody): a clear message, the rows kept
            gone = "http://127.0.0.1:9"
            TokenStore(sup.folder, use_keyring=False).set(gone, "supervisor", sup.sync_engine.transport.token or "")
            with sup.db.transaction() as s:
                set_meta(s, server_url=gone)
            page.refresh()
            qtbot.waitUntil(lambda: not page.loading, timeout=20000)
            assert page.error.isVisible() and "无法连接服务器" in page.error.text()
            assert page.model.rowCount() == expected
            page.grab().save("/tmp/trailshots/trail_page_offline.png")
            assert page.shutdown(5.0)
    finally:
        qtbot.waitUntil(tasks.is_idle, timeout=10000)
        tasks.shutdown()
        ctx.reader.close()
