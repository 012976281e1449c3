"""The policy guide and contact cards in the main window, offscreen, over a real seeded database: the
guide in the navigation with what's new; the visit form's article picker (draft and saved visit); the
household panel's card print and card history; a batch of cards for one building (the PDF read back,
one issue recorded per household); a station printing for a worker of its community; the hint when the
card has no phone; Settings → My contact card."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.cards.render import Layout
from gridworker.guide.store import upsert_articles
from gridworker.store.meta import set_meta
from gridworker.store.models import CardIssue, Outbox, VisitArticle, WorkerCard
from gridworker.store.rows import CardIssueRow, VisitArticleRow
from gridworker.syncing.engine import SyncReport
from gridworker.ui.cards_batch import CardsBatchDialog
from gridworker.ui.cards_dialog import CardsDialog
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.models import CardIssuesModel, VisitsModel
from gridworker.ui.visit_dialog import VisitDialog
from gridworker_shared.protocol import MAX_PHOTO_BYTES, ProfileUpdate, VisitCreate
from gridworker_shared.protocol import CardIssue as CardIssueMessage
from tests.helpers.data import counts
from tests.helpers.gui import search_and_wait, type_text, wait_idle
from tests.unit.test_guide_search import ARTICLES, guide_articles

PHONE = "13812345678"


class SaveAs:
    """Stands in for QFileDialog.getSaveFileName: answers ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.calls = 0

    def __call__(self, *args: object) -> tuple[str, str]:
        self.calls += 1
        return str(self.path), "PDF files (*.pdf)"


@pytest.fixture
def guide_window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    """The main window over a laptop that holds the guide (every article new, none read yet)."""
    with ctx.db.engine.begin() as conn:
        assert upsert_articles(conn, guide_articles()) == len(ARTICLES)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.today_shown, timeout=10000):
        w.show()
        w.start()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: w.today.browser.panel.detail is not None, timeout=10000)
    yield w
    wait_idle(qtbot, ctx)


def set_phone(ctx: AppContext, phone: str = PHONE) -> None:
    ctx.store.update_profile(phone, "工作日 8:30–17:30", "有事找网格，服务零距离")


def outbox_kinds(ctx: AppContext) -> list[str]:
    with ctx.db.reading() as s:
        return [o.kind for o in s.scalars(select(Outbox).order_by(Outbox.seq))]


# --- the guide in the navigation ----------------------------------------------------------------------------


def test_guide_page_in_the_navigation_with_whats_new(qtbot: QtBot, guide_window: MainWindow, ctx: AppContext) -> None:
    w = guide_window
    labels = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert labels == ["Today", "Households", f"Policy guide ({len(ARTICLES)})", "Unsent", "Settings"]
    assert w.nav.item(MainWindow.PAGE_GUIDE).font().bold()
    metrics = w.nav.fontMetrics()
    assert w.nav.width() > metrics.horizontalAdvance(labels[2])  # the longer label still fits
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=20_000)
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert w.stack.currentWidget() is w.guide
    qtbot.keyClick(w, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert w.stack.currentWidget() is w.settings_page
    # reading an article takes it off the count
    w.go(MainWindow.PAGE_GUIDE)
    qtbot.waitUntil(lambda: w.guide.model.rowCount() == len(ARTICLES), timeout=10000)
    wait_idle(qtbot, ctx)
    with qtbot.waitSignal(w.guide.article_read, timeout=10000):
        w.guide.show_article(w.guide.model.record(0).id, opened=True)
    wait_idle(qtbot, ctx)
    assert w.nav.item(MainWindow.PAGE_GUIDE).text() == f"Policy guide ({len(ARTICLES) - 1})"
    # after a sync: what came in, in the status bar
    w._on_synced(SyncReport(articles_changed=3, articles_removed=1))
    message = w.statusBar().currentMessage()  # (plural forms come with the translations)
    assert message.startswith("3 policy guide article") and message.endswith("new or updated · 1 withdrawn")


def test_handout_contact_line_has_name_phone_and_grid(qtbot: QtBot, guide_window: MainWindow, ctx: AppContext) -> None:
    set_phone(ctx)
    ctx.events.profile_changed.emit()
    wait_idle(qtbot, ctx)
    line = guide_window.guide.contact_line()
    assert line == f"Grid worker {ctx.identity.name} · {PHONE} · {ctx.identity.grid_name}"


# --- articles on a visit ------------------------------------------------------------------------------------


def open_form(qtbot: QtBot, window: MainWindow) -> VisitDialog:
    detail = window.today.browser.panel.detail
    assert detail is not None
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        window.record_visit(detail)
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog)
    return dialog


def tick(qtbot: QtBot, dialog: VisitDialog, query: str, column: int) -> str:
    """Find ``query`` in the picker and tick the first article in ``column``; returns its title."""
    picker = dialog.picker
    search_and_wait(qtbot, picker, picker.search, query)
    model = picker.model
    row = next(r for r in range(model.rowCount()) if query in model.record(r).title)
    index = picker.view.model().index(row, column)
    rect = picker.view.visualRect(index)
    qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if model.data(index, Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked:  # the click hit the cell
        qtbot.keyClick(picker.view, Qt.Key.Key_Space)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    return model.record(row).title


def test_visit_form_records_articles_in_draft_and_visit(
    qtbot: QtBot, guide_window: MainWindow, ctx: AppContext
) -> None:
    w = guide_window
    dialog = open_form(qtbot, w)
    detail = dialog.household
    height = dialog.height()
    width = dialog.width()
    assert not dialog.guide_panel.isVisible()
    qtbot.keyClick(dialog.guide_toggle, Qt.Key.Key_Space)
    assert dialog.guide_panel.isVisible()
    assert dialog.height() == height and dialog.width() > width  # opens beside the form
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width()
    title = tick(qtbot, dialog, "低保", 1)
    tick(qtbot, dialog, "医保", 2)
    assert "explained 1, handed out 1" in dialog.guide_toggle.text().replace("&", "")

    def both_in_draft() -> bool:  # the draft is saved a moment after each change: wait for the second
        saved = ctx.reader.draft(dialog.key)
        return saved is not None and len(saved.payload.get("articles", [])) == 2

    qtbot.waitUntil(both_in_draft, timeout=20_000)
    wait_idle(qtbot, ctx)
    draft = ctx.reader.draft(dialog.key)
    assert draft is not None
    assert [(a["action"], a["version"]) for a in draft.payload["articles"]] == [("explained", 1), ("handed_out", 1)]
    uuid.UUID(draft.payload["articles"][0]["id"])  # stored as text

    dialog.outcome_buttons.button(0).setChecked(True)
    dialog.members_model.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        dialog.save()
    wait_idle(qtbot, ctx)
    visit_id = saved.args[0]
    with ctx.db.reading() as s:
        rows = list(s.scalars(select(VisitArticle).where(VisitArticle.visit_id == visit_id)))
        entry = s.scalar(select(Outbox).where(Outbox.entity_id == visit_id))
    assert sorted(r.action for r in rows) == ["explained", "handed_out"]
    assert entry is not None
    message = VisitCreate.model_validate(entry.payload)
    assert [a.title for a in message.articles if a.action == "explained"] == [title]
    assert ctx.reader.draft(dialog.key) is None

    # the household's visit history shows them
    panel = w.households.browser.panel
    panel.show_household(detail.id)
    qtbot.waitUntil(
        lambda: panel.detail is not None and any(v.id == visit_id for v in panel.detail.visits), timeout=20_000
    )
    row = next(i for i in range(panel.visits_model.rowCount()) if panel.visits_model.record(i).id == visit_id)
    shown = panel.visits_model.data(panel.visits_model.index(row, VisitsModel.COL_GUIDE))
    assert shown.startswith(f"Explained: {title} · Handed out: ")
    assert title in panel.visit_detail.text()  # the latest visit, in full, under the list


def test_a_draft_brings_its_articles_back(qtbot: QtBot, guide_window: MainWindow, ctx: AppContext) -> None:
    detail = guide_window.today.browser.panel.detail
    assert detail is not None
    articles = [{"id": str(uuid.uuid4()), "version": 2, "action": "handed_out", "title": "已撤回的文章"}]
    with qtbot.waitSignal(guide_window.visit_form_opened, timeout=10000) as opened:
        guide_window.record_visit(detail, {"outcome": "not_home", "articles": articles})
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog)
    wait_idle(qtbot, ctx)
    assert dialog.guide_panel.isVisible()  # open, to show what was ticked
    picked = dialog.picker.model.record(0)
    assert picked.title == "已撤回的文章" and picked.withdrawn  # not on this laptop (any more)
    assert [(a.version, a.action) for a in dialog.visit_input().articles] == [(2, "handed_out")]
    dialog._dirty = False
    dialog.reject()


# --- one household's card -----------------------------------------------------------------------------------


def test_household_card_print_records_the_issue(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_phone(ctx)
    panel = window.today.browser.panel
    detail = panel.detail
    assert detail is not None
    assert panel.fact_labels["card"].text() == "Not given yet"
    with qtbot.waitSignal(window.cards_dialog_opened, timeout=10000) as opened:
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, CardsDialog)
    assert dialog.job.layout is Layout.SINGLE and dialog.job.with_address
    [target] = dialog.job.targets
    assert target.household_id == detail.id and detail.room in target.address and "室" in target.address
    assert dialog.job.person.phone == PHONE and dialog.job.person.grid_name == detail.grid_name
    path = tmp_path / "card.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(path))
    with qtbot.waitSignal(ctx.events.household_changed, timeout=10000):
        dialog.pdf_button.click()
    wait_idle(qtbot, ctx)
    assert len(PdfReader(path).pages) == 1
    qtbot.waitUntil(lambda: panel.cards_model.rowCount() == 1, timeout=10000)
    day = dt.datetime.now().date().isoformat()
    assert panel.fact_labels["card"].text() == f"Given {day} · Not sent"
    assert panel.tabs.tabText(3) == "Cards (1)"

    # saved again from the same dialog: still the one card the household was given
    with qtbot.waitSignal(dialog.printed, timeout=10000):
        dialog.pdf_button.click()
    wait_idle(qtbot, ctx)  # only the print itself is recorded (the access trail), no second card
    assert dialog.status.text() == f"Saved to {path}"
    with ctx.db.reading() as s:
        assert len(s.scalars(select(Outbox).where(Outbox.kind == "card.issue")).all()) == 1
    dialog.close()

    # printed later, from a new dialog: a reprint
    with qtbot.waitSignal(window.cards_dialog_opened, timeout=10000) as opened:
        qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, CardsDialog)
    with qtbot.waitSignal(ctx.events.household_changed, timeout=10000):
        dialog.pdf_button.click()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.cards_model.rowCount() == 2, timeout=10000)
    assert panel.fact_labels["card"].text().startswith(f"Given {day} · reprinted 1 time")
    record = panel.cards_model.record(1)
    assert isinstance(record, CardIssueRow) and record.reprint
    assert panel.cards_model.data(panel.cards_model.index(1, CardIssuesModel.COL_LAYOUT)) == "Single card, reprint"
    with ctx.db.reading() as s:
        entries = list(s.scalars(select(Outbox).where(Outbox.kind == "card.issue")))
    assert [CardIssueMessage.model_validate(e.payload).household_id for e in entries] == [detail.id, detail.id]
    # each of the three prints (addresses on paper) is on the access trail, the household named
    with ctx.db.reading() as s:
        prints = [e.payload for e in s.scalars(select(Outbox).where(Outbox.kind == "access.log"))]
    assert [(p["action"], p["household_id"], p["rows"]) for p in prints] == [("print", str(detail.id), 1)] * 3
    assert all(p["what"] == "联系卡 1 张（含住址，单张）" for p in prints)
    dialog.close()


def test_a_card_without_a_phone_sends_the_worker_to_settings(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    panel = window.today.browser.panel
    with qtbot.waitSignal(window.card_hint_shown, timeout=10000) as shown:
        panel.card_button.click()
    box = shown.args[0]
    assert isinstance(box, QMessageBox)
    assert "Settings → My contact card" in box.text()
    assert not window.findChildren(CardsDialog)  # no card without a number
    settings = next(b for b in box.buttons() if b.text().replace("&", "") == "Open Settings")
    with qtbot.waitSignal(window.settings_page.my_card.loaded, timeout=10000):
        settings.click()
    assert window.stack.currentWidget() is window.settings_page
    assert window.focusWidget() is window.settings_page.my_card.phone
    assert outbox_kinds(ctx) == []


# --- a batch --------------------------------------------------------------------------------------------------


def open_batch(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> CardsBatchDialog:
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    with qtbot.waitSignal(window.cards_batch_opened, timeout=10000) as opened:
        window.households.cards_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, CardsBatchDialog)
    qtbot.waitUntil(lambda: dialog.sources is not None, timeout=10000)
    wait_idle(qtbot, ctx)
    return dialog


def test_batch_for_one_building(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_phone(ctx)
    ctx.events.profile_changed.emit()
    dialog = open_batch(qtbot, window, ctx)
    assert dialog.person.count() == 1 and not dialog.person.isEnabled()  # a worker prints their own card
    grid_total = len(dialog.households)
    assert grid_total == window.households.browser.model.rowCount()  # the whole grid by default
    with qtbot.waitSignal(dialog.counted, timeout=10000):
        dialog.scope_building.setChecked(True)
    with qtbot.waitSignal(dialog.counted, timeout=10000) as counted:
        dialog.building_combo.setCurrentIndex(1)
    n = counted.args[0]
    compound, building = dialog.building_combo.currentData()
    assert 10 < n < grid_total
    assert all((h.compound, h.building) == (compound, building) for h in dialog.households)
    assert dialog.count_label.text().startswith(f"{n} card")
    assert dialog.next_button.isEnabled()
    with qtbot.waitSignal(window.cards_dialog_opened, timeout=10000) as opened:
        dialog.next_button.click()
    cards = opened.args[0]
    assert isinstance(cards, CardsDialog)
    assert cards.job.layout is Layout.SHEET and cards.job.with_address
    assert [t.household_id for t in cards.job.targets] == [h.id for h in dialog.households]  # walking order
    path = tmp_path / "building.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(path))
    before = counts(ctx.db)
    with qtbot.waitSignal(ctx.events.data_changed, timeout=20000):
        cards.pdf_button.click()
    wait_idle(qtbot, ctx)
    assert len(PdfReader(path).pages) == math.ceil(n / 10)  # ten cards to an A4 sheet
    after = counts(ctx.db)
    assert after["card_issue"] == before["card_issue"] + n
    assert after["outbox"] == before["outbox"] + n + 1  # a card issue each, and the print on the access trail
    with ctx.db.reading() as s:
        issued = {i.household_id for i in s.scalars(select(CardIssue))}
        messages = [
            CardIssueMessage.model_validate(o.payload)
            for o in s.scalars(select(Outbox).where(Outbox.kind == "card.issue"))
        ]
    assert issued == {h.id for h in dialog.households}
    assert {m.layout for m in messages} == {"sheet"} and len(messages) == n
    cards.close()


def test_batch_of_the_households_selected(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    set_phone(ctx)
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    view = window.households.browser.view
    model = window.households.browser.model
    qtbot.waitUntil(lambda: model.rowCount() > 5, timeout=10000)
    view.clearSelection()
    for row in (4, 1, 2):
        view.selectionModel().select(
            model.index(row, 0),
            view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
        )
    chosen = [model.record(r).id for r in (1, 2, 4)]
    assert window.households.browser.selected_ids() == chosen
    dialog = open_batch(qtbot, window, ctx)
    assert dialog.scope_selected.isChecked() and dialog.scope_selected.isEnabled()
    assert "(3)" in dialog.scope_selected.text()
    assert [h.id for h in dialog.households] == chosen
    job = dialog.job()
    assert job is not None and [t.household_id for t in job.targets] == chosen
    dialog.reject()


def test_batch_without_a_phone_says_where_to_set_it(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_batch(qtbot, window, ctx)
    assert dialog.hint.isVisible() and "Settings → My contact card" in dialog.hint.text()
    assert not dialog.next_button.isEnabled()
    dialog.settings_button.click()
    assert window.stack.currentWidget() is window.settings_page


def test_a_station_prints_for_a_worker_of_its_community(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid = ctx.reader.grids()[0]
    li, zhao = uuid.uuid4(), uuid.uuid4()
    with ctx.db.transaction() as s:
        set_meta(s, role="station")
        s.add(WorkerCard(user_id=li, username="lina", name="李娜", phone="13900001111", grids=[str(grid.id)]))
        s.add(WorkerCard(user_id=zhao, username="zhao", name="赵强", phone="", grids=[str(uuid.uuid4())]))
    dialog = open_batch(qtbot, window, ctx)
    people = [dialog.person.itemText(i) for i in range(dialog.person.count())]
    assert people == ["李娜", "赵强"]  # a station has no card of its own
    assert dialog.person.isEnabled()
    assert [dialog.grid_combo.itemData(i) for i in range(dialog.grid_combo.count())] == [grid.id]
    job = dialog.job()
    assert job is not None and job.person.worker_id == li and job.person.grid_name == grid.name
    assert job.person.community_name == grid.community_name
    # the whole grid, in walking order, to a PDF: ten cards a page, one issue per household
    assert dialog.scope_grid.isChecked()
    n = len(dialog.households)
    assert n >= 150  # the demo grid
    with qtbot.waitSignal(window.cards_dialog_opened, timeout=10000) as opened:
        dialog.next_button.click()
    cards = opened.args[0]
    assert isinstance(cards, CardsDialog) and cards.job.layout is Layout.SHEET and len(cards.job.targets) == n
    path = tmp_path / "grid.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(path))
    with qtbot.waitSignal(ctx.events.data_changed, timeout=60000):
        cards.pdf_button.click()
    wait_idle(qtbot, ctx)
    assert len(PdfReader(path).pages) == math.ceil(n / 10)
    with ctx.db.reading() as s:
        issues = s.scalars(select(CardIssue)).all()
    assert len(issues) == n and {i.card_user_id for i in issues} == {li}
    assert {i.printed_by for i in issues} == {ctx.identity.worker_id}  # the station printed them
    cards.close()
    # 赵强 has no phone yet: the station is told to ask him
    dialog = open_batch(qtbot, window, ctx)
    with qtbot.waitSignal(dialog.counted, timeout=10000):
        dialog.person.setCurrentIndex(1)
    assert "赵强 has not set a phone number" in dialog.hint.text() and not dialog.next_button.isEnabled()
    assert not dialog.settings_button.isVisible()
    dialog.reject()
    # the household panel prints the card of the worker who holds the household's grid: a reprint now
    with qtbot.waitSignal(window.cards_dialog_opened, timeout=10000) as opened:
        window.today.browser.panel.card_button.click()
    cards = opened.args[0]
    assert isinstance(cards, CardsDialog) and cards.job.person.worker_id == li
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(tmp_path / "li.pdf"))
    with qtbot.waitSignal(ctx.events.household_changed, timeout=10000):
        cards.pdf_button.click()
    wait_idle(qtbot, ctx)
    household = window.today.browser.panel.detail
    assert household is not None
    with ctx.db.reading() as s:
        again = s.scalars(select(CardIssue).where(CardIssue.household_id == household.id)).all()
    assert sorted(i.reprint for i in again) == [False, True]
    cards.close()


# --- Settings → My contact card -------------------------------------------------------------------------------


def big_picture(path: Path) -> Path:
    image = QImage(2400, 3200, QImage.Format.Format_RGB32)
    for y in range(0, 3200, 40):  # detail, so it does not compress to nothing
        for x in range(0, 2400, 40):
            image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 3) % 256, (x + y) % 256))
    assert image.save(str(path), "PNG")
    return path


def test_settings_saves_my_card(qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path) -> None:
    section = window.settings_page.my_card
    with qtbot.waitSignal(section.loaded, timeout=10000):
        window.go(MainWindow.PAGE_SETTINGS)
    assert section.phone.text() == "" and section.photo is None
    type_text(qtbot, section.phone, "138 1234 5678")
    type_text(qtbot, section.hours, "工作日 8:30–17:30")
    type_text(qtbot, section.line, "有事找网格，服务零距离")
    with qtbot.waitSignal(section.preview_updated, timeout=10000):
        assert section.set_photo_file(big_picture(tmp_path / "me.png"))
    assert section.photo is not None and section.photo[:3] == b"\xff\xd8\xff"  # a JPEG now
    assert len(section.photo) <= MAX_PHOTO_BYTES
    assert section.preview.pixmap() is not None and not section.preview.pixmap().isNull()
    with qtbot.waitSignal(section.saved, timeout=10000) as saved:
        section.save_button.click()
    assert saved.args == [True]
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        card = s.get(WorkerCard, ctx.identity.worker_id)
        entry = s.scalar(select(Outbox).where(Outbox.kind == "profile.update"))
    assert card is not None and card.phone == PHONE and card.card_line == "有事找网格，服务零距离"
    assert card.photo == section.photo
    assert entry is not None
    message = ProfileUpdate.model_validate(entry.payload)
    assert message.service_hours == "工作日 8:30–17:30" and message.photo
    assert "sent to the server" in section.status.text()

    # a bad phone: said at the field, nothing written
    before = counts(ctx.db)
    section.phone.setText("12345")
    with qtbot.waitSignal(ctx.tasks.became_idle, timeout=10000):
        section.save_button.click()
    assert section.errors.message("phone")
    assert counts(ctx.db) == before
    # a file that is no picture
    (tmp_path / "notes.png").write_bytes(b"not a picture")
    assert not section.set_photo_file(tmp_path / "notes.png")
    assert section.errors.message("photo")
    # remove the photo
    section.phone.setText(PHONE)
    section.remove_photo()
    with qtbot.waitSignal(section.saved, timeout=10000):
        section.save_button.click()
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        card = s.get(WorkerCard, ctx.identity.worker_id)
        last = s.scalars(select(Outbox).where(Outbox.kind == "profile.update").order_by(Outbox.seq.desc())).first()
    assert card is not None and card.photo is None
    assert last is not None and ProfileUpdate.model_validate(last.payload).photo == ""


# --- models ----------------------------------------------------------------------------------------------------


def test_card_and_visit_models(qtmodeltester: ModelTester) -> None:
    cards = CardIssuesModel()
    when = dt.datetime(2026, 11, 20, 1, 0)
    cards.set_rows(
        [
            CardIssueRow(uuid.uuid4(), uuid.uuid4(), "张伟", when, "sheet", False, "applied"),
            CardIssueRow(uuid.uuid4(), uuid.uuid4(), "", when, "poster", True, "pending"),
        ]
    )
    qtmodeltester.check(cards, force_py=True)
    assert cards.data(cards.index(0, CardIssuesModel.COL_LAYOUT)) == "A4 sheet"
    assert cards.data(cards.index(1, CardIssuesModel.COL_LAYOUT)) == "A3 poster, reprint"
    assert cards.data(cards.index(1, CardIssuesModel.COL_WHOSE)) == "—"
    assert cards.data(cards.index(1, CardIssuesModel.COL_SYNC)) == "Not sent"
    from gridworker.ui.models import visit_articles

    rows = (
        VisitArticleRow(uuid.uuid4(), 1, "explained", "低保"),
        VisitArticleRow(uuid.uuid4(), 2, "handed_out", "医保"),
        VisitArticleRow(uuid.uuid4(), 2, "explained", "医保"),
    )
    assert visit_articles(rows) == "Explained: 低保、医保 · Handed out: 医保"
    assert visit_articles(()) == ""
