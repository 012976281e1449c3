"""The Households page says how many households a search finds in all, not "more than 200" (the list
loads a page at a time); its search box's hint is read whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridworker.store.rows import PAGE_SIZE
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker_server.demo_city import DemoCity, generate_city
from tests.helpers.data import TODAY, make_template
from tests.helpers.gui import language_and_text_size, open_window, type_text, wait_idle


@pytest.fixture(scope="module")
def big_city() -> DemoCity:
    return generate_city(today=TODAY, grids_per_community=1, households_per_grid=(PAGE_SIZE + 40, PAGE_SIZE + 60))


@pytest.fixture(scope="module")
def grid(big_city: DemoCity) -> DemoCity:
    """A grid with more households than one page of the list."""
    return big_city.grid(big_city.workers[0].grid_id)


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, grid: DemoCity) -> Path:
    """This module's own template, seeded with the bigger grid (the session's holds the usual one)."""
    return make_template(tmp_path_factory.mktemp("big-grid") / "seeded.db", grid)


def test_the_count_is_the_total_not_a_page(qtbot: QtBot, ctx: AppContext) -> None:
    con = sqlite3.connect(ctx.path)
    try:
        total = con.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        con.close()
    assert total > PAGE_SIZE
    with language_and_text_size("zh_CN", 13):
        window = open_window(qtbot, ctx)
        page = window.households
        window.go(MainWindow.PAGE_HOUSEHOLDS)
        with qtbot.waitSignal(page.searched, timeout=10000):
            page.run_search()
        wait_idle(qtbot, ctx)
        qtbot.waitUntil(lambda: page.count_label.text() == f"共 {total} 户")
        assert page.browser.model.rowCount() == PAGE_SIZE  # still one page loaded
        with qtbot.waitSignal(page.searched, timeout=10000):
            type_text(qtbot, page.search, "1")
        wait_idle(qtbot, ctx)
        assert "超过" not in page.count_label.text()

        window.resize(1366, 768)
        page.search.clear()
        wait_idle(qtbot, ctx)
        hint = page.search.placeholderText()
        room = page.search.width() - 2 * page.search.fontMetrics().horizontalAdvance("M")  # frame, clear button
        assert page.search.fontMetrics().horizontalAdvance(hint) <= room
