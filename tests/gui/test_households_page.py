"""Search as you type on the Households page, with filters, through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridworker.store.rows import Filters
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from tests.helpers.data import TODAY
from tests.helpers.gui import type_text, wait_idle


def shown(window: MainWindow) -> list[str]:
    model = window.households.browser.model
    return [model.record(i).head_name for i in range(model.rowCount())]


def test_typing_narrows_the_list(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == MainWindow.PAGE_HOUSEHOLDS
    assert window.households.search.hasFocus()
    wait_idle(qtbot, ctx)
    everyone = window.households.browser.model.rowCount()
    some = ctx.reader.search(Filters(), TODAY).rows[3]
    detail = ctx.reader.household_detail(some.id)
    assert detail is not None
    name = detail.members[-1].name
    with qtbot.waitSignal(window.households.searched, timeout=10000):
        type_text(qtbot, window.households.search, name)
    wait_idle(qtbot, ctx)
    assert 0 < window.households.browser.model.rowCount() < everyone
    assert some.id in {
        window.households.browser.model.record(i).id for i in range(window.households.browser.model.rowCount())
    }
    # the top match is selected and shown
    browser = window.households.browser
    assert browser.view.currentIndex().row() == 0
    top = browser.model.record(0)
    qtbot.waitUntil(lambda: browser.panel.current() is not None and browser.panel.current().id == top.id)
    # Enter moves to the list; Enter again opens the visit form for that household
    qtbot.keyClick(window.households.search, Qt.Key.Key_Return)
    assert browser.view.hasFocus()
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        qtbot.keyClick(browser.view, Qt.Key.Key_Return)
    assert opened.args[0].household.id == top.id
    opened.args[0].reject()


def test_nothing_found_says_so(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    with qtbot.waitSignal(window.households.searched, timeout=10000):
        window.households.search.setText("qqqqqq")
    assert window.households.browser.model.rowCount() == 0
    assert "No household matches" in window.households.count_label.text()


def test_tag_and_overdue_filters(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    page = window.households
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    wait_idle(qtbot, ctx)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.tag_filter.setCurrentIndex(page.tag_filter.findData("elderly_alone"))
    wait_idle(qtbot, ctx)
    rows = [page.browser.model.record(i) for i in range(page.browser.model.rowCount())]
    assert rows and all("elderly_alone" in r.tags for r in rows)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.overdue_filter.setChecked(True)
    wait_idle(qtbot, ctx)
    rows = [page.browser.model.record(i) for i in range(page.browser.model.rowCount())]
    assert all(r.due_on < TODAY and "elderly_alone" in r.tags for r in rows)
    qtbot.waitUntil(lambda: page.building_filter.count() > 1)
    compound, building = page.building_filter.itemData(1)
    page.overdue_filter.setChecked(False)
    page.tag_filter.setCurrentIndex(0)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.building_filter.setCurrentIndex(1)
    wait_idle(qtbot, ctx)
    rows = [page.browser.model.record(i) for i in range(page.browser.model.rowCount())]
    assert rows and all((r.compound, r.building) == (compound, building) for r in rows)
