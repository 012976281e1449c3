"""No personal data in logs (issue 14): a whole session against a real server process, then every
resident's name, ID number and phone (read from the server's database) and every note, description and
value typed in the session is searched for in the app's log file and in everything the server wrote.

The app logs as it does when started (``gridworker.app.setup_logging`` into the data folder), at DEBUG;
the server runs as ``gridworker-server serve`` at ``GRIDWORKER_LOG_LEVEL=debug`` with its access log on.
The session: sign-in and the first pull, a search typed into the households page, a visit with a note and
a request naming the resident, its amendment, a field conflict with another device, a change refused
(a household removed meanwhile), an export of a station's visits, and failures on both sides: a person
edit the server's database refuses (an IntegrityError in a push handler), a household edit the laptop's
database refuses (an IntegrityError on the writer thread), bad requests whose bodies carry a resident's
name, ID number and phone. The logs must still say what happened, by id: the refused mutation's id,
the device's, codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.app import ensure_signed_in, read_identity, setup_logging
from gridworker.exports import ExportInfo, export_visits
from gridworker.paths import worker_db_path
from gridworker.store.db import Database
from gridworker.store.models import Household, Outbox, Person
from gridworker.store.reads import Reader
from gridworker.store.review_filter import ReviewFilter
from gridworker.store.services import LocalStore
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker.ui.context import AppContext, Events
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import Settings
from gridworker.ui.sync import SyncController
from gridworker.ui.tasks import TaskManager
from gridworker_shared.domain.households import PersonInput, RequestInput, VisitInput
from gridworker_shared.logsafe import MARK
from tests.helpers.data import TODAY
from tests.helpers.gui import open_visit_form, type_text
from tests.helpers.logs_session import LoggedServer, leaking_lines, leaks, personal_values
from tests.helpers.server import HEADERS, run_cli

pytestmark = pytest.mark.slow
PASSWORD = "demo1234"
SHOTS = Path("/tmp/shots")
REFUSED_NAME = "测试拒绝名"  # the server's database refuses this name (a trigger), as a constraint would
REFUSED_NOTE = "本地拒绝"  # the laptop's database refuses a household note starting with this


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedServer]:
    folder = tmp_path_factory.mktemp("logs-server")
    db = folder / "server.db"
    url = f"sqlite:///{db}"
    run_cli(url, "seed-demo", "--today", TODAY.isoformat(), "--grids-per-community", "1", "--households", "30")
    con = sqlite3.connect(db)
    with con:  # a constraint the push handler does not know: its IntegrityError carries the row's values
        con.execute(
            "CREATE TRIGGER test_refuse_name BEFORE UPDATE ON person "
            f"WHEN NEW.name = '{REFUSED_NAME}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
        # and one no handler expects: a sign-in whose new device row the database refuses (a 500)
        con.execute(
            "CREATE TRIGGER test_refuse_device BEFORE INSERT ON device "
            f"WHEN NEW.name LIKE '{REFUSED_NOTE}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    con.close()
    process = LoggedServer(url, folder).start()
    yield process
    process.stop()


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The app's own logging, as ``main`` sets it up, into the data folder, at DEBUG."""
    folder = tmp_path / "data"
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    setup_logging(folder)
    root.setLevel(logging.DEBUG)
    yield folder / "gridworker.log"
    for handler in root.handlers:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


class Laptop:
    """A worker's laptop: its context, sync controller and main window, signed in and synced."""

    def __init__(self, qtbot: QtBot, folder: Path, base: str, username: str) -> None:
        self.qtbot = qtbot
        tokens = TokenStore(folder, use_keyring=False)
        assert ensure_signed_in(folder, base, username, PASSWORD, tokens)
        path = worker_db_path(username, folder)
        reader = Reader(path)
        self.ctx = AppContext(
            path,
            reader,
            TaskManager(),
            Settings(folder / "settings.ini"),
            read_identity(reader, username),
            Events(),
            today=lambda: TODAY,
        )
        self.sync = SyncController(self.ctx, tokens, debounce_ms=600_000)
        self.window = MainWindow(self.ctx, self.sync)
        qtbot.addWidget(self.window)
        with qtbot.waitSignal(self.sync.finished, timeout=90_000):
            self.window.show()
            self.window.start()
            self.sync.start()
        self.wait_idle()

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.ctx.tasks.is_idle() and self.sync.is_idle(), timeout=60_000)

    def write(self, fn: object) -> None:
        self.ctx.tasks.write(fn)  # type: ignore[arg-type]
        self.qtbot.waitUntil(self.ctx.tasks.is_idle, timeout=20_000)
        self.ctx.events.outbox_changed.emit()

    def sync_now(self) -> object:
        with self.qtbot.waitSignal(self.sync.finished, timeout=60_000) as done:
            self.sync.sync_now()
        self.wait_idle()
        return done.args[0]

    def close(self) -> None:
        self.sync.shutdown(timeout=30)
        self.window.close()
        self.qtbot.waitUntil(self.ctx.tasks.is_idle, timeout=20_000)
        self.ctx.tasks.shutdown()
        self.ctx.close()


def other_device(folder: Path, base: str, username: str) -> tuple[Database, SyncEngine, LocalStore]:
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(folder / "app.db")
    engine = SyncEngine(db, TokenStore(folder, use_keyring=False))
    engine.sign_in(base, username, PASSWORD)
    engine.sync()
    return db, engine, LocalStore(db, uuid.UUID(engine.meta()["worker_id"]))


def outbox_row(db: Database, entity: uuid.UUID, state: str) -> tuple[str, str]:
    """(mutation id, the server's code) of the entity's outbox row in ``state``."""
    with db.reading() as s:
        row = s.scalars(select(Outbox).where(Outbox.entity_id == entity, Outbox.state == state)).first()
        assert row is not None, f"no {state} outbox row for {entity}"
        return str(row.mutation_id), str((row.result or {}).get("code", ""))


@pytest.mark.expect_log("gridworker.ui.tasks", "ERROR", match="unexpected error in a database task")
def test_a_session_leaves_no_resident_in_the_logs(
    qtbot: QtBot, server: LoggedServer, app_log: Path, tmp_path: Path
) -> None:
    typed: set[str] = set()
    laptop = Laptop(qtbot, app_log.parent, server.base, "demo")
    try:
        name, refused = run_session(qtbot, laptop, server, tmp_path, typed)
    finally:
        laptop.close()
    bad_requests(server, name, typed)
    server.stop()  # everything flushed

    values = personal_values(Path(server.url.removeprefix("sqlite:///"))) | typed
    assert len(values) > 100
    app_text = app_log.read_text(encoding="utf-8")
    server_text = server.logs()
    found = {"app": leaks(app_text, values), "server": leaks(server_text, values)}
    where = ["the app's log:", *leaking_lines(app_text, values), "the server's:", *leaking_lines(server_text, values)]
    assert found == {"app": [], "server": []}, "personal data in the logs; " + "\n".join(where)
    # what the code logs is safe by itself: the formatter's last guard had nothing to cut
    assert MARK not in app_text and MARK not in server_text
    # and the logs still say what happened, by id and code
    assert "unexpected error in a database task" in app_text and "IntegrityError" in app_text
    assert "[SQL: UPDATE household ...]" in app_text  # what failed, on which table
    assert f"push: mutation {refused} (person.update) rejected: unprocessable" in app_text
    assert "conflict: field_conflict" in app_text and "rejected: household_removed" in app_text
    assert "sync: pushed 2 (applied 0, rejected 2, conflicts 0)" in app_text
    assert f"push: mutation {refused} (seq" in server_text and "[SQL: UPDATE person ...]" in server_text
    assert "Exception in ASGI application" in server_text and "[SQL: INSERT INTO device ...]" in server_text
    assert "invalid request: fastapi.exceptions.RequestValidationError:" in server_text
    assert "POST /v1/sync/push 200" in server_text  # the access log: route templates and statuses


def run_session(qtbot: QtBot, laptop: Laptop, server: LoggedServer, tmp_path: Path, typed: set[str]) -> tuple[str, str]:
    """The session; returns the resident's name it worked with and the id of the mutation the server's
    database refused."""
    ctx = laptop.ctx
    db = ctx.db
    with db.reading() as s:
        households = list(s.scalars(select(Household).order_by(Household.walk_key).limit(4)))
        heads = {h.id: [p for p in h.members if p.active] for h in households}
    first, second, third, fourth = households
    person: Person = heads[first.id][0]
    name, phone, id_number = person.name, person.phone or first.phone, person.id_number

    # a search typed as a worker types it, for a resident's name and for an ID number's tail
    window = laptop.window
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    for text in (name, id_number[-4:] if id_number else name[:1]):
        with qtbot.waitSignal(window.households.searched, timeout=20_000):
            window.households.search.clear()
            type_text(qtbot, window.households.search, text)
    laptop.wait_idle()

    # a visit with a note and a request naming the resident, then its amendment
    note = f"{name}说邻居电话{phone}，身份证{id_number}"
    description = f"{name}家楼道堆物，联系{phone}"
    typed.update({note, description})
    visit = VisitInput(first.id, "met", [person.id], note, [RequestInput("fire_lane_blocked", "urgent", description)])
    laptop.write(lambda: ctx.store.record_visit(visit))
    amended_note = f"更正：{name}本人在家"
    typed.add(amended_note)
    amendment = dataclasses.replace(visit, id=uuid.uuid4(), notes=amended_note, requests=[])
    laptop.write(lambda: ctx.store.amend_visit(visit.id, amendment))
    # and one through the form, typed as a worker types it (its draft saved on the way)
    window.go(MainWindow.PAGE_TODAY)
    dialog = open_visit_form(qtbot, window)
    home = dialog.household
    form_note, form_request = f"{home.head_name}不在家，电话{home.phone}", f"{home.head_name}反映楼道灯坏了"
    typed.update({form_note, form_request})
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # not at home
    qtbot.waitUntil(lambda: dialog.outcome() == "not_home")
    dialog.category.setFocus()
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)
    dialog.description.setFocus()
    type_text(qtbot, dialog.description, form_request)
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)  # adds the request
    with qtbot.waitSignal(dialog.draft_saved, timeout=10_000):
        type_text(qtbot, dialog.notes, form_note)
    with qtbot.waitSignal(dialog.visit_saved, timeout=10_000):
        qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    laptop.wait_idle()
    assert laptop.sync_now().applied == 3  # type: ignore[attr-defined]

    # a field conflict: another device of the same worker changed the phone first
    other_db, other_engine, other_store = other_device(tmp_path / "other", server.base, "demo")
    theirs, mine = "13912340001", "13912340002"
    typed.update({theirs, mine})
    other_store.update_household(second.id, {"phone": theirs})
    other_engine.sync()
    other_db.close()
    laptop.write(lambda: ctx.store.update_household(second.id, {"phone": mine}))
    report = laptop.sync_now()
    assert report.conflicts == 1  # type: ignore[attr-defined]

    # a change refused: the supervisor removed the household meanwhile
    removed_note = f"{third.head_name}搬走了"
    typed.add(removed_note)
    run_cli(server.url, "household-remove", str(third.id))
    laptop.write(lambda: ctx.store.update_household(third.id, {"notes": removed_note}))

    # a person edit the server's database refuses (its push handler meets an IntegrityError)
    refused_person = PersonInput(REFUSED_NAME, person.relation, person.sex, person.birth_date, phone, id_number)
    typed.add(REFUSED_NAME)
    laptop.write(lambda: ctx.store.update_person(person.id, refused_person))
    report = laptop.sync_now()
    assert report.rejected == 2  # type: ignore[attr-defined]
    refused, code = outbox_row(db, person.id, "rejected")
    assert code == "unprocessable"

    # a household edit the laptop's own database refuses: the writer's unexpected-error path
    con = sqlite3.connect(ctx.path)
    with con:
        con.execute(
            "CREATE TRIGGER test_refuse_note BEFORE UPDATE ON household "
            f"WHEN NEW.notes LIKE '{REFUSED_NOTE}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    con.close()
    local_note = f"{REFUSED_NOTE}{fourth.head_name}{fourth.phone}"
    typed.add(local_note)
    laptop.write(lambda: ctx.store.update_household(fourth.id, {"notes": local_note}))
    # the box says so; its details (what a worker copies into a message to support) are the log's
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10_000)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    details = box.detailedText()
    assert "IntegrityError" in details and "[SQL: UPDATE household ...]" in details
    assert leaks(details, {local_note, fourth.head_name, fourth.phone}) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    box.grab().save(str(SHOTS / "logs_error_details.png"))
    box.close()

    # a station exports its visits (the worker's visit among them)
    station_db, _, _ = other_device(tmp_path / "station", server.base, "station01")
    station_db.close()
    target = tmp_path / "visits.xlsx"
    info = ExportInfo(made_by="station01", made_at=dt.datetime.now())
    export_visits(tmp_path / "station" / "app.db", target, "xlsx", ReviewFilter(), info)
    assert target.stat().st_size > 0
    return name, refused


def bad_requests(server: LoggedServer, name: str, typed: set[str]) -> None:
    """Requests a peer may send: each refused, with a resident's data in the body."""
    login = {"username": name, "password": "13800138000", "device_name": "110101199003071234"}
    typed.update({"13800138000", "110101199003071234"})
    r = requests.post(server.base + "/v1/auth/login", json=login, headers=HEADERS, timeout=30)
    assert r.status_code == 401
    junk = {"mutations": [{"id": name, "payload": {"name": name}}], "name": name}
    r = requests.post(server.base + "/v1/sync/push", json=junk, headers=HEADERS, timeout=30)
    assert r.status_code in (401, 422)
    r = requests.post(
        server.base + "/v1/auth/login", data=f'{{"username": "{name}"'.encode(), headers=HEADERS, timeout=30
    )
    assert r.status_code == 422
    # a failure no handler expects: the server's database refuses the new device's row (named by the user)
    device = f"{REFUSED_NOTE}{name}"
    typed.add(device)
    login = {"username": "worker02", "password": PASSWORD, "device_name": device}
    r = requests.post(server.base + "/v1/auth/login", json=login, headers=HEADERS, timeout=30)
    assert r.status_code == 500
