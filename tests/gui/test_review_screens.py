"""Every screen of the review workspace in Chinese at 1366x768 (13 pt and the largest, 22 pt), saved
as PNG to ``$REVIEW_SHOTS`` (default: the test's temporary folder) to be looked at; the checks here
are what a look finds first: Chinese text on every label, nothing cut off in the filter bar and the
buttons under the queue."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from gridworker.store.db import Database
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import make_window
from gridworker.ui.review.window import ReviewWindow
from gridworker_server.demo_city import DemoCity
from tests.gui.test_review_queue import go_to, make_ctx
from tests.helpers.data import TODAY
from tests.helpers.gui import language_and_text_size, wait_idle
from tests.helpers.review_ui_data import ReviewData, make_review_db


@pytest.fixture
def review_db(tmp_path: Path, city: DemoCity) -> Iterator[tuple[Database, ReviewData]]:
    db, data = make_review_db(tmp_path / "supervisor.db", city, TODAY)
    yield db, data
    db.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("REVIEW_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clipped(root: QWidget) -> list[str]:
    """Visible buttons and one-line labels narrower than their text."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QAbstractButton) and w.text():
            need = w.fontMetrics().horizontalAdvance(w.text().replace("&", ""))
            if w.width() < need:
                out.append(f"button {w.text()!r} {w.width()} < {need}")
        elif isinstance(w, QLabel) and not w.wordWrap() and w.text() and "<" not in w.text():
            need = w.fontMetrics().horizontalAdvance(w.text().replace("&", ""))
            if w.width() < need:
                out.append(f"label {w.text()!r} {w.width()} < {need}")
    return out


def open_workspace(qtbot: QtBot, ctx: AppContext) -> ReviewWindow:
    window = make_window(ctx)
    assert isinstance(window, ReviewWindow)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.workspace_shown, timeout=10000):
        window.show()
        window.start()
    wait_idle(qtbot, ctx)
    return window


@pytest.mark.parametrize("points", [13, 22])
def test_every_review_screen_in_chinese(
    qtbot: QtBot, review_db: tuple[Database, ReviewData], tmp_path: Path, shots: Path, points: int
) -> None:
    db, data = review_db
    ctx = make_ctx(db, tmp_path)
    try:
        with language_and_text_size("zh_CN", points):
            window = open_workspace(qtbot, ctx)
            page = window.queue
            assert window.nav.item(0).text() == "审核队列"
            assert page.model.headerData(0, Qt.Orientation.Horizontal) == "时间"
            window.grab().save(str(shots / f"queue-{points}.png"))
            if points == 13:
                assert clipped(window) == []
            go_to(qtbot, page, data.amendment)
            assert "这次更正改了什么" in page.detail.toPlainText()
            window.grab().save(str(shots / f"queue-correction-{points}.png"))
            go_to(qtbot, page, data.returned_no)
            window.grab().save(str(shots / f"queue-returned-{points}.png"))
            for action in ("return", "question", "reopen"):
                state = "approved" if action == "reopen" else "pending"
                go_to(qtbot, page, next(n for n in data.nos if data.states[n] == state))
                dialog = page.open_dialog(action)
                assert dialog is not None
                qtbot.waitExposed(dialog)
                if action == "return":
                    dialog.send()  # no reason: the error shows in the dialog
                    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
                    assert "原因" in dialog.error.text()
                dialog.grab().save(str(shots / f"dialog-{action}-{points}.png"))
                dialog.reject()
            page.view.selectAll()
            box = page.approve_selected()
            assert box is not None
            box.grab().save(str(shots / f"bulk-confirm-{points}.png"))
            box.reject()
            for index, name in (
                (window.PAGE_BACKCHECKS, "backchecks"),
                (window.PAGE_COVERAGE, "coverage"),
                (window.PAGE_EXPORT, "export"),
                (window.PAGE_UNSENT, "unsent"),
            ):
                window.go(index)
                wait_idle(qtbot, ctx)
                window.grab().save(str(shots / f"{name}-{points}.png"))
            assert "您好" in window.backchecks.script.text()
            window.close()
    finally:
        qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)
        ctx.tasks.shutdown()
        ctx.reader.close()
