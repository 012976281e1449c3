"""Every custom model through qtmodeltester, and data() read without a window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from gridworker.store.rows import Filters, OutboxRow, Page
from gridworker.ui.context import AppContext
from gridworker.ui.models import (
    RECORD_ROLE,
    HouseholdTableModel,
    MembersModel,
    NewRequestsModel,
    OutboxModel,
    RequestsModel,
    VisitsModel,
)
from gridworker_shared.domain.households import RequestInput
from tests.helpers.data import TODAY
from tests.helpers.gui import wait_idle


def test_household_model_pages(qtbot: QtBot, qtmodeltester: ModelTester, ctx: AppContext) -> None:
    model = HouseholdTableModel(ctx.tasks, lambda: TODAY)
    reader = ctx.reader

    def page(after: object, limit: int) -> Page:
        return reader.search(Filters(), TODAY, after, limit=min(limit, 40))  # type: ignore[arg-type]

    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.load(page)
    assert model.rowCount() == 40 and model.canFetchMore()
    model.fetchMore()
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 80
    qtmodeltester.check(model, force_py=True)
    first = model.record(0)
    index = model.index(0, HouseholdTableModel.COL_ADDRESS)
    assert model.data(index) == f"{first.compound} {first.building}-{first.unit}-{first.room}"
    assert model.data(index, RECORD_ROLE) is first
    due = model.data(model.index(0, HouseholdTableModel.COL_DUE))
    assert due and isinstance(due, str)


def test_stale_query_answers_are_dropped(qtbot: QtBot, ctx: AppContext) -> None:
    model = HouseholdTableModel(ctx.tasks, lambda: TODAY)
    reader = ctx.reader

    def search(text: str):
        def page(after: object, limit: int) -> Page:
            return reader.search(Filters(text=text), TODAY, after, limit)  # type: ignore[arg-type]

        return page

    model.load(search(""))
    last = model.load(search("nobody-matches-this"))
    with qtbot.waitSignal(model.loaded, timeout=10000) as blocker:
        pass
    wait_idle(qtbot, ctx)
    assert blocker.args == [last]
    assert model.rowCount() == 0


def test_detail_models(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    reader = ctx.reader
    first = reader.search(Filters(), TODAY).rows[0]
    detail = reader.household_detail(first.id)
    visited = next(
        d
        for r in reader.search(Filters(), TODAY).rows
        if (d := reader.household_detail(r.id)) is not None and d.visits and d.requests
    )
    assert detail is not None
    members = MembersModel()
    members.set_rows(list(detail.members))
    qtmodeltester.check(members, force_py=True)
    id_cell = members.data(members.index(0, MembersModel.COL_ID))
    assert "*" in id_cell and id_cell != detail.members[0].id_number  # masked on screen
    assert id_cell[-4:] == detail.members[0].id_number[-4:]
    visits = VisitsModel()
    visits.set_rows(list(visited.visits))
    qtmodeltester.check(visits, force_py=True)
    requests = RequestsModel()
    requests.set_rows(list(visited.requests))
    qtmodeltester.check(requests, force_py=True)
    assert requests.headerData(0, Qt.Orientation.Horizontal) == "Category"


def test_new_requests_model(qtmodeltester: ModelTester) -> None:
    model = NewRequestsModel()
    model.append(RequestInput("fire_lane_blocked", "urgent", "楼道堆物"))
    model.append(RequestInput("other", "normal", "路灯坏了"))
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, NewRequestsModel.COL_CATEGORY)) == "Fire lane blocked"
    model.remove(0)
    assert [r.description for r in model.requests()] == ["路灯坏了"]


def test_outbox_model(qtmodeltester: ModelTester) -> None:
    model = OutboxModel()
    model.set_rows(
        [
            OutboxRow(1, "visit.create", "幸福里 3-2-501 张三", dt.datetime(2026, 11, 27, 2, 0), "pending", ""),
            OutboxRow(2, "household.update", "", dt.datetime(2026, 11, 27, 3, 0), "rejected", "已被删除"),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, OutboxModel.COL_KIND)) == "Visit recorded"
    assert model.data(model.index(1, OutboxModel.COL_REASON)) == "已被删除"  # an unknown code: the server's words
