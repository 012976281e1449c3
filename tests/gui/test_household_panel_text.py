"""The household beside the list at 1366×768 in Chinese: every request's words are readable in full,
no column of the requests is cut off, and all four tabs are in sight."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


def with_most_requests(ctx: AppContext) -> tuple[uuid.UUID, str]:
    con = sqlite3.connect(ctx.path)
    try:
        hid, description = con.execute(
            "SELECT household_id, description FROM resident_request ORDER BY length(description) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return uuid.UUID(hex=hid), description


@pytest.fixture(params=[13, 22])
def points(request: pytest.FixtureRequest) -> Iterator[int]:
    yield request.param


def test_requests_are_readable_and_every_tab_is_in_sight(qtbot: QtBot, ctx: AppContext, points: int) -> None:
    household, description = with_most_requests(ctx)
    assert len(description) > 10
    with language_and_text_size("zh_CN", points):
        window = open_window(qtbot, ctx)
        window.resize(1366, 768)
        window.go(MainWindow.PAGE_HOUSEHOLDS)
        panel = window.households.browser.panel
        with qtbot.waitSignal(panel.loaded, timeout=10000):
            panel.show_household(household)
        wait_idle(qtbot, ctx)
        panel.tabs.setCurrentIndex(2)
        QApplication.processEvents()
        window.grab().save(f"/tmp/app2shots/panel_requests_{points}.png")
        assert description in panel.request_detail.text() and panel.request_detail.isVisible()
        if points > 13:
            return  # at the largest size the columns and tabs scroll; the words are in the detail above
        # what the panel's scroll area shows of it: no tab and no column of the requests beyond its edge
        viewport = window.households.browser.panel_scroll.viewport()
        edge = viewport.mapToGlobal(viewport.rect().topRight()).x()
        view = panel.requests_view
        header = view.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        last = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in shown)
        assert view.horizontalScrollBar().maximum() == 0
        assert view.viewport().mapToGlobal(view.viewport().rect().topLeft()).x() + last <= edge + 1
        bar = panel.tabs.tabBar()
        for i in range(bar.count()):
            assert bar.mapToGlobal(bar.tabRect(i).topRight()).x() <= edge + 1, bar.tabText(i)
        assert bar.tabRect(bar.count() - 1).right() <= bar.width()  # no scroll arrows over the last tab
