"""Search says why a household matched when its row does not show it: 刘波 is listed for ``zsq``
because a member is 张思琪."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gridworker.store.rows import Filters
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.models import HouseholdTableModel
from gridworker_shared.domain.households import PersonInput
from tests.helpers.data import TODAY
from tests.helpers.gui import type_text, wait_idle


def test_a_household_found_by_a_member_names_the_member(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    household = ctx.reader.search(Filters(), TODAY).rows[5]
    ctx.store.add_person(household.id, PersonInput("瞿思琪", "child", phone="13711112222"))
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    wait_idle(qtbot, ctx)
    model = window.households.browser.model

    def row_text(query: str) -> str:
        window.households.search.clear()
        with qtbot.waitSignal(window.households.explained, timeout=10000):
            type_text(qtbot, window.households.search, query)
        wait_idle(qtbot, ctx)
        rows = [i for i in range(model.rowCount()) if model.record(i).id == household.id]
        assert rows, query
        return str(model.data(model.index(rows[0], HouseholdTableModel.COL_TAGS)))

    assert "Member 瞿思琪" in row_text("qsq")  # pinyin initials of the member, not of the head
    assert "Member 瞿思琪" in row_text("瞿思琪")
    # masked: a search by part of a number does not show the rest of it
    assert "Phone of 瞿思琪: 137****2222" in row_text("1371111")
    # found by its own address: the row shows why, nothing is added
    address = f"{household.building}-{household.unit}-{household.room}"
    assert "Member" not in row_text(address)
