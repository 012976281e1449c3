"""The worker's side of the review (issue 12): the visit form records how long it was open; a visit the
reviewer returned is an item to act on, with the reason and comment in the worker's language; it opens
as a correction with the pinned fields marked; corrected, it shows 已修改 until the pull brings the
server's state; the visit history shows each visit's review. Screens are saved to /tmp to be looked at."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.models import Outbox
from gridworker.ui import visit_dialog
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.models import VisitsModel
from gridworker.ui.returned import ReturnedModel
from gridworker.ui.settings import TEXT_SIZES
from gridworker.ui.visit_dialog import VisitDialog
from gridworker_shared.domain.households import VisitInput
from gridworker_shared.domain.review import PINNABLE
from tests.helpers.gui import language_and_text_size, open_visit_form, open_window, wait_idle
from tests.helpers.review_client_rows import pull_reviews, visits_of

SHOTS = os.environ.get("GRIDWORKER_SHOTS", "/tmp/review_client_shots")


class Clock:
    """time.monotonic as the test moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock(1000.0)
    monkeypatch.setattr(visit_dialog, "monotonic", c)
    return c


@pytest.fixture
def zh_window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    with language_and_text_size("zh_CN", 13):
        yield open_window(qtbot, ctx)


def outbox(ctx: AppContext) -> list[tuple[str, dict[str, object]]]:
    with ctx.db.reading() as s:
        return [(o.kind, o.payload) for o in s.scalars(select(Outbox).order_by(Outbox.seq))]


def save(qtbot: QtBot, dialog: VisitDialog) -> uuid.UUID:
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        dialog.save()
    return saved.args[0]  # type: ignore[no-any-return]


def shot(widget: object, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    widget.grab().save(os.path.join(SHOTS, name))  # type: ignore[attr-defined]


def test_the_form_time_from_opening_to_saving_reaches_the_outbox(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, clock: Clock
) -> None:
    dialog = open_visit_form(qtbot, window)
    dialog.outcome_buttons.button(1).setChecked(True)  # not at home
    clock.now += 42.7
    save(qtbot, dialog)
    wait_idle(qtbot, ctx)
    [(kind, payload)] = outbox(ctx)
    assert kind == "visit.create" and payload["form_seconds"] == 42


def test_a_restored_draft_counts_from_when_the_form_was_opened_again(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, clock: Clock
) -> None:
    detail = window.today.browser.panel.detail
    assert detail is not None
    an_hour_ago = (dt.datetime.now().astimezone() - dt.timedelta(hours=1)).isoformat()
    clock.now = 5000.0
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        window.record_visit(detail, {"outcome": "not_home", "saved_at": an_hour_ago, "visit_id": str(uuid.uuid4())})
    dialog = opened.args[0]
    assert dialog.restored_label.isVisible()
    clock.now += 7.2
    save(qtbot, dialog)
    wait_idle(qtbot, ctx)
    [(_, payload)] = outbox(ctx)
    assert payload["form_seconds"] == 7


def returned_visit(ctx: AppContext, window: MainWindow) -> tuple[uuid.UUID, uuid.UUID]:
    """The first household's latest visit, returned by the reviewer (as a pull brings it)."""
    detail = window.today.browser.panel.detail
    assert detail is not None
    hid = detail.id
    [latest, *_] = visits_of(ctx.db, hid)
    pull_reviews(
        ctx.db,
        hid,
        {
            latest: {
                "no": 41,
                "review_state": "returned",
                "review_reason": "wrong_people",
                "review_comment": "见到的是租户，不是户主本人，请核实",
                "review_pins": ["seen", "notes"],
            }
        },
    )
    ctx.events.data_changed.emit()
    return hid, latest


def test_a_returned_visit_is_corrected_from_needs_attention(
    qtbot: QtBot, ctx: AppContext, zh_window: MainWindow, clock: Clock
) -> None:
    window = zh_window
    _, visit_id = returned_visit(ctx, window)
    window.go(MainWindow.PAGE_UNSENT)
    box = window.unsent.returned
    qtbot.waitUntil(lambda: box.model.rowCount() == 1 and box.isVisible())
    wait_idle(qtbot, ctx)
    assert box.heading.text() == "退回修改（1）"
    row = [str(box.model.data(box.model.index(0, c))) for c in range(box.model.columnCount())]
    assert row[ReturnedModel.COL_REASON] == "人员不符"
    assert row[ReturnedModel.COL_COMMENT] == "见到的是租户，不是户主本人，请核实"
    text = box.item_text.text()
    assert "退回原因：人员不符" in text and "需修改：见到的人员、备注" in text
    assert window.returned_label.isVisible() and window.returned_label.text() == "退回修改：1"
    shot(window, "unsent_returned_zh.png")

    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        box.correct_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog)
    assert dialog.amends is not None and dialog.amends.id == visit_id
    banner = dialog.findChild(QLabel, "review_banner")
    assert banner is not None and banner.isVisible()
    assert "退回修改：人员不符" in banner.text() and "见到的是租户" in banner.text()
    assert "正在更正" in banner.text()  # what a correction is, in the same box
    assert set(dialog.pinned) == {"seen", "notes"}
    for label in dialog.pinned.values():
        assert isinstance(label, QLabel) and label.text().startswith("● ")
        assert "#c01c28" in label.styleSheet() and "人员不符" in label.toolTip()
    marked = [w for w in dialog.findChildren(QLabel) if w.text().startswith("● ")]
    assert len(marked) == 2  # the others are as always
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    shot(dialog, "visit_form_returned_zh.png")

    dialog.notes.setPlainText("见到户主本人，租户已搬走")
    clock.now += 95
    amendment = save(qtbot, dialog)
    wait_idle(qtbot, ctx)
    kinds = outbox(ctx)
    assert [k for k, _ in kinds] == ["visit.amend"]
    payload = kinds[0][1]
    assert payload["amends"] == str(visit_id) and payload["form_seconds"] == 95 and payload["id"] == str(amendment)

    # no longer an item to act on; in the history the returned visit is 已修改, its correction 待审
    qtbot.waitUntil(lambda: box.model.rowCount() == 0 and not box.isVisible())
    qtbot.waitUntil(lambda: not window.returned_label.isVisible())
    panel = window.households.browser.panel
    qtbot.waitUntil(lambda: panel.detail is not None and any(v.id == amendment for v in panel.detail.visits))
    model = panel.visits_model
    states = {model.record(i).id: model.data(model.index(i, VisitsModel.COL_REVIEW)) for i in range(model.rowCount())}
    assert states[visit_id] == "已修改" and states[amendment] == "待审"
    shot(window, "household_after_correction_zh.png")


def test_the_visit_history_shows_each_visits_review(qtbot: QtBot, ctx: AppContext, zh_window: MainWindow) -> None:
    window = zh_window
    panel = window.today.browser.panel
    assert panel.detail is not None
    hid = panel.detail.id
    ctx.store.record_visit(VisitInput(hid, "not_home", visited_at=dt.datetime.now().astimezone()))
    visits = visits_of(ctx.db, hid)
    assert len(visits) == 3
    reviews = {
        visits[0]: {"review_state": "questioned"},
        visits[1]: {"review_state": "returned", "review_reason": "incomplete", "review_comment": ""},
        visits[2]: {"review_state": "approved"},
    }
    pull_reviews(ctx.db, hid, reviews)
    ctx.events.data_changed.emit()
    model = panel.visits_model

    def states() -> dict[uuid.UUID, str]:
        return {model.record(i).id: model.data(model.index(i, VisitsModel.COL_REVIEW)) for i in range(model.rowCount())}

    qtbot.waitUntil(lambda: states().get(visits[0]) == "存疑")
    wait_idle(qtbot, ctx)
    got = states()
    assert (got[visits[1]], got[visits[2]]) == ("退回修改", "通过")
    returned_row = next(i for i in range(model.rowCount()) if model.record(i).id == visits[1])
    assert model.data(model.index(returned_row, VisitsModel.COL_REVIEW), 3) == "退回修改：信息不全"  # tooltip
    # the household's facts say what to do
    attention = panel.fact_labels["attention"]
    qtbot.waitUntil(lambda: "退回修改：信息不全" in attention.text())
    assert attention.isVisible()
    panel.tabs.setCurrentIndex(1)
    shot(window, "household_history_zh.png")


def test_a_correction_with_every_field_pinned_fits_the_screen_at_the_largest_text(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """The banner adds lines above the form: at 22 pt in Chinese the form is still no taller than the
    screen, and each of the six fields a reviewer can pin is marked (the requests by their box)."""
    with language_and_text_size("zh_CN", TEXT_SIZES[-1]):
        window = open_window(qtbot, ctx)
        panel = window.today.browser.panel
        assert panel.detail is not None
        hid = panel.detail.id
        [latest, *_] = visits_of(ctx.db, hid)
        pull_reviews(
            ctx.db,
            hid,
            {
                latest: {
                    "review_state": "returned",
                    "review_reason": "other",
                    "review_comment": "时间、人员、诉求和讲解的政策都需要再核实一遍，备注写得太简单",
                    "review_pins": list(PINNABLE),
                }
            },
        )
        ctx.events.data_changed.emit()
        qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.visits[0].review_state == "returned")
        with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
            window.amend_visit(panel.detail, panel.detail.visits[0])
        dialog = opened.args[0]
        wait_idle(qtbot, ctx)
        assert set(dialog.pinned) == set(PINNABLE)
        assert all(w.property("pinned") for w in dialog.pinned.values())
        screen = dialog.screen().availableGeometry()
        shot(dialog, "visit_form_all_pinned_22pt_zh.png")
        assert dialog.height() <= screen.height()
        # the fields scroll where the screen is too short: none lies under another (at 22 pt the notes
        # lay under the policy guide's row when the form was squeezed to the screen)
        rows = [dialog.outcome_row, dialog.members_box, dialog.notes, dialog.guide_toggle, dialog.visited_at]
        tops = [w.mapTo(dialog.form_area.widget(), w.rect().topLeft()).y() for w in rows]
        bottoms = [w.mapTo(dialog.form_area.widget(), w.rect().bottomLeft()).y() for w in rows]
        assert all(bottom < top for bottom, top in zip(bottoms, tops[1:], strict=False))
        assert dialog.buttons.isVisible()
        assert dialog.buttons.geometry().bottom() <= dialog.height()
        dialog.reject()
