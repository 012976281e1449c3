"""The back-check calls: this week's and last week's draws with the household's name and phone, the
call script, a result with its note (one outbox entry, the row then waits to sync), and each worker's
verification-failure rate over the last four weeks and overall."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridworker.store.db import Database
from gridworker.ui.context import AppContext
from gridworker.ui.review.backcheck_page import BackcheckPage
from gridworker_server.demo_city import DemoCity
from gridworker_shared.domain.masking import mask_phone
from tests.gui.test_review_queue import make_ctx
from tests.helpers.data import TODAY, counts
from tests.helpers.gui import wait_idle
from tests.helpers.review_ui_data import ReviewData, make_review_db


@pytest.fixture
def review_db(tmp_path: Path, city: DemoCity) -> Iterator[tuple[Database, ReviewData]]:
    db, data = make_review_db(tmp_path / "station.db", city, TODAY, role="station")
    yield db, data
    db.close()


@pytest.fixture
def page(qtbot: QtBot, review_db: tuple[Database, ReviewData], tmp_path: Path) -> Iterator[BackcheckPage]:
    ctx: AppContext = make_ctx(review_db[0], tmp_path, "station")
    widget = BackcheckPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        widget.refresh()
    yield widget
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)
    ctx.tasks.shutdown()
    ctx.reader.close()


def test_the_draws_are_listed_with_the_call_script_and_the_rates(qtbot: QtBot, page: BackcheckPage) -> None:
    rows = page.model.rows
    assert len(rows) == 8
    assert rows[0].week > rows[-1].week  # this week's first
    current = page.current()
    assert current is not None and not current.result  # an open call is chosen first
    script = page.script.text()
    # the number masked until the station asks for it; the look is recorded first (the access trail)
    assert current.phone and current.phone not in script and mask_phone(current.phone) in script
    assert current.worker in script
    with qtbot.waitSignal(page.revealer.changed, timeout=10000):
        page.reveal_button.click()
    assert current.phone in page.script.text() and not page.reveal_button.isEnabled()
    con = sqlite3.connect(page.ctx.path)
    try:
        (payload,) = con.execute("SELECT payload FROM outbox WHERE kind = 'access.log'").fetchone()
    finally:
        con.close()
    event = json.loads(payload)
    assert (event["action"], event["field"], event["household_id"]) == ("reveal", "phone", str(current.household_id))
    assert all(b.isEnabled() for b in page.result_buttons.values())
    # last week: confirmed, denied, confirmed, unreachable -> the denied worker's rate is 1/1 or 1/2
    by_worker = {r.worker_id: r for r in page.rates.rows}
    denied = next(b for b in rows if b.result == "denied")
    rate = by_worker[denied.worker_id]
    assert rate.denied == 1 and rate.recent_denied == 1 and rate.checked >= 1
    shown = page.rates.index(page.rates.rows.index(rate), 1).data()
    assert shown.startswith(f"{rate.recent_denied / rate.recent_checked:.0%}")


def test_a_result_with_its_note_is_queued_and_shown_waiting(
    qtbot: QtBot, page: BackcheckPage, review_db: tuple[Database, ReviewData]
) -> None:
    db, _ = review_db
    current = page.current()
    assert current is not None
    page.note.setText("住户说网格员11月来过")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.result_buttons["confirmed"].click()
    wait_idle(qtbot, page.ctx)
    con = sqlite3.connect(db.path)
    try:
        [(kind, payload)] = con.execute("SELECT kind, payload FROM outbox").fetchall()
        waiting = con.execute("SELECT pending_result FROM backcheck WHERE id = ?", (current.id.hex,)).fetchone()[0]
    finally:
        con.close()
    assert kind == "backcheck.result"
    assert (json.loads(payload)["result"], json.loads(payload)["note"]) == ("confirmed", "住户说网格员11月来过")
    assert waiting == "confirmed"
    row = next(r for r in page.model.rows if r.id == current.id)
    assert row.pending_result == "confirmed"
    assert page.current() is not None and page.current().id == current.id  # type: ignore[union-attr]
    assert not any(b.isEnabled() for b in page.result_buttons.values())  # a final result is not given twice


def test_a_called_back_check_cannot_get_another_result(
    qtbot: QtBot, page: BackcheckPage, review_db: tuple[Database, ReviewData]
) -> None:
    db, _ = review_db
    done = next(i for i, r in enumerate(page.model.rows) if r.result == "denied")
    page.view.setCurrentIndex(page.model.index(done, 0))
    assert not any(b.isEnabled() for b in page.result_buttons.values())
    before = counts(db)
    page.record("confirmed")  # as if the button could still be pressed: the store refuses
    qtbot.waitUntil(page.error.isVisible, timeout=5000)
    assert counts(db) == before
