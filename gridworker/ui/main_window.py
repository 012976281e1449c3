"""The main window: a navigation list on the left, the pages on the right, the sync state below."""

from __future__ import annotations

import uuid
import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.rows import (
    DraftRow,
    HouseholdDetail,
    OutboxRow,
    ReturnedVisitRow,
    VisitRow,
    WorkerCardRow,
    draft_key,
)
from gridworker.ui.context import AppContext
from gridworker.ui.other_pages import SettingsPage, UnsentPage
from gridworker.ui.pages import HouseholdBrowser, HouseholdsPage, TodayPage
from gridworker.ui.returned import returned_count_label
from gridworker.ui.sync import SyncController, SyncState, SyncStatus, SyncStatusWidget

if TYPE_CHECKING:
    from gridworker.cards.render import CardJob
    from gridworker.ui.cards_batch import CardsBatchDialog
    from gridworker.ui.cards_dialog import CardsDialog
    from gridworker.ui.guide_page import GuidePage
    from gridworker.ui.household_edit import HouseholdEditDialog
    from gridworker.ui.review.window import ReviewWindow
    from gridworker.ui.sign_in import SignInDialog
    from gridworker.ui.visit_dialog import VisitDialog

WARM_UP_MS = 1000
REVIEW_ROLES = ("station", "supervisor")  # their sign-in opens the review workspace (gridworker.ui.review)


def make_window(ctx: AppContext, sync: SyncController | None = None) -> MainWindow | ReviewWindow:
    """The window for whoever signed in: a station or a supervisor reviews their area's visits
    (the review workspace, loaded only for them); a worker gets Today."""
    if ctx.identity.role in REVIEW_ROLES:
        from gridworker.ui.review.window import ReviewWindow

        return ReviewWindow(ctx, sync)
    return MainWindow(ctx, sync)


class MainWindow(QMainWindow):
    PAGE_TODAY, PAGE_HOUSEHOLDS, PAGE_GUIDE, PAGE_UNSENT, PAGE_SETTINGS = range(5)
    # the Today list is on screen with its first page (cold start measures up to here)
    today_shown = Signal()
    # a visit form is on screen (tests and the smoke test drive it)
    visit_form_opened = Signal(object)
    # the contact-card print dialog is on screen (CardsDialog), and the batch's choice (CardsBatchDialog)
    cards_dialog_opened = Signal(object)
    cards_batch_opened = Signal(object)
    # a card cannot be printed: the user's card has no phone (the hint box is on screen)
    card_hint_shown = Signal(object)

    def __init__(self, ctx: AppContext, sync: SyncController | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sync = sync
        grid = ctx.identity.grid_name  # none yet before the first sync has brought the grid
        self.setWindowTitle(self.tr("Gridworker — %1").replace("%1", grid) if grid else self.tr("Gridworker"))
        self.setObjectName("main_window")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stack = QStackedWidget()
        self.today = TodayPage(ctx)
        self.households = HouseholdsPage(ctx)
        # the guide's page is built when it is first shown (its search and handout code need not load
        # before Today is on screen); until then a placeholder holds its place in the stack
        self._guide: GuidePage | None = None
        self._guide_slot = QWidget()
        self.unsent = UnsentPage(ctx)
        self.settings_page = SettingsPage(ctx)
        self.own_card: WorkerCardRow | None = None
        for text, page in (
            (self.tr("Today"), self.today),
            (self.tr("Households"), self.households),
            (self.tr("Policy guide"), self._guide_slot),
            (self.tr("Unsent"), self.unsent),
            (self.tr("Settings"), self.settings_page),
        ):
            item = QListWidgetItem(text)
            item.setSizeHint(QSize(0, self.nav.fontMetrics().height() * 2 + 8))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self._fit_nav(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._fit_nav)
            app.fontChanged.connect(self._follow_font)
        self.nav.currentRowChanged.connect(self._show_page)
        layout.addWidget(self.nav)
        pages = QVBoxLayout()
        pages.setContentsMargins(0, 0, 0, 0)
        self.sync_banner = self._make_sync_banner()
        pages.addWidget(self.sync_banner)
        pages.addWidget(self.stack, 1)
        layout.addLayout(pages, 1)
        self.setCentralWidget(central)

        self.unsent_label = QLabel()
        self.unsent_label.setObjectName("unsent_count")
        self.sync_label = QLabel(self.tr("Offline: changes are kept on this laptop"))
        who = QLabel(" · ".join(p for p in (ctx.identity.name, ctx.identity.grid_name) if p))
        self.statusBar().addWidget(who)
        self.sync_status: SyncStatusWidget | None = None
        if sync is not None:
            self.sync_status = SyncStatusWidget(sync)
            self.sync_status.sign_in_requested.connect(self.sign_in_again)
            self.statusBar().addPermanentWidget(self.sync_status)
            sync.status_changed.connect(self._on_sync_status)
            sync.finished.connect(self._on_synced)
            self._on_sync_status(sync.status)
            self.settings_page.sign_out_button.show()
            self.settings_page.sign_out_requested.connect(sync.sign_out)
            QShortcut(QKeySequence.StandardKey.Refresh, self, sync.sync_now)
        else:
            self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(QLabel("|"))
        self.statusBar().addPermanentWidget(self.unsent_label)
        self.returned_label = returned_count_label()
        self.statusBar().addPermanentWidget(self.returned_label)

        for browser in (self.today.browser, self.households.browser):
            self._wire(browser)
        self.today.resume_draft.connect(self.resume_draft)
        self.today.browser.model.loaded.connect(self._on_today_loaded)
        self.households.cards_requested.connect(self.print_cards_batch)
        self.unsent.open_household.connect(self.show_household)
        self.unsent.redo_requested.connect(self.redo_change)
        self.unsent.correct_requested.connect(self.correct_returned)
        ctx.events.outbox_changed.connect(self.refresh_unsent)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.events.profile_changed.connect(self.refresh_own_card)
        ctx.tasks.failed.connect(self.show_error)

        for i in range(self.nav.count()):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.go(i))
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_household)
        self.nav.setCurrentRow(self.PAGE_TODAY)
        self._today_announced = False
        self._visit_forms: dict[str, VisitDialog | None] = {}
        self._day = ctx.today()
        self._day_timer = QTimer(self, interval=60_000)
        self._day_timer.timeout.connect(self.check_day)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_app_state)
        self._warm_timer = QTimer(self, singleShot=True, interval=WARM_UP_MS)
        self._warm_timer.timeout.connect(self._warm_up)
        self.resize(1366, 768)  # the common laptop screen; the app opens maximized

    def _make_sync_banner(self) -> QFrame:
        """Above every page when only the user can get sync going again: never a dialog of its own."""
        banner = QFrame()
        banner.setObjectName("sync_banner")
        banner.setStyleSheet("#sync_banner { background: #fff4ce; border: 1px solid #e0c060; }")
        row = QHBoxLayout(banner)
        self.sync_banner_label = QLabel()
        self.sync_banner_label.setObjectName("sync_banner_text")
        self.sync_banner_label.setWordWrap(True)
        self.sync_banner_button = QPushButton(self.tr("Sign &in again…"))
        self.sync_banner_button.setObjectName("sign_in_banner")
        self.sync_banner_button.clicked.connect(self.sign_in_again)
        row.addWidget(self.sync_banner_label, 1)
        row.addWidget(self.sync_banner_button)
        banner.hide()
        return banner

    def _on_sync_status(self, status: SyncStatus) -> None:
        if status.state == SyncState.SIGN_IN_NEEDED:
            text = self.tr(
                "Sign in again to sync. Everything you recorded is kept on this laptop, and the unsent changes "
                "go out once you are signed in."
            )
        elif status.state == SyncState.UPDATE_NEEDED:
            text = self.tr(
                "This version of Gridworker is too old to sync with the server. Install the update; everything "
                "you recorded is kept on this laptop and is sent after the update."
            )
        elif status.state == SyncState.STOPPED:
            text = self.tr("Sync has stopped: %1").replace("%1", status.message)
        else:
            self.sync_banner.hide()
            return
        if status.message and status.state != SyncState.STOPPED:
            text += "\n" + status.message
        self.sync_banner_label.setText(text)
        self.sync_banner_button.setVisible(status.state == SyncState.SIGN_IN_NEEDED)
        self.sync_banner.show()

    def sign_in_again(self) -> SignInDialog | None:
        """The same worker signs in again; the user name is locked, the data and the outbox stay."""
        if self.sync is None:
            return None
        from gridworker.ui.sign_in import SignInDialog  # loaded on first use

        meta = self.sync.meta
        dialog = SignInDialog(
            self.sync.sign_in,
            meta.get("server_url", ""),
            meta.get("username") or self.ctx.identity.username,
            again=True,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.sign_in_dialog = dialog
        return dialog

    def _on_data_changed(self) -> None:
        """A sync changed households and the outbox's states: every page shows them, in place."""
        self.today.browser.reload()
        self.today.refresh_figures()
        self.households.refresh_filters()
        self.households.browser.reload()
        for browser in (self.today.browser, self.households.browser):
            if browser.panel.detail is not None:
                browser.panel.show_household(browser.panel.detail.id)
        self.unsent.refresh()
        self.refresh_unsent()
        self.refresh_own_card()
        if self._guide is None and self._today_announced:
            self.refresh_guide_count()  # once built, the guide's page counts again itself

    def _on_synced(self, report: Any) -> None:
        """What's new in the guide after a sync, in the status bar (the navigation keeps the count)."""
        changed = int(getattr(report, "articles_changed", 0) or 0)
        removed = int(getattr(report, "articles_removed", 0) or 0)
        parts = []
        if changed:
            parts.append(self.tr("%n policy guide article(s) new or updated", "", changed))
        if removed:
            parts.append(self.tr("%n withdrawn", "", removed))
        if parts:
            self.statusBar().showMessage(" · ".join(parts), 15_000)

    @property
    def guide(self) -> GuidePage:
        """The policy guide's page, built on first use."""
        if self._guide is None:
            from gridworker.ui.guide_page import GuidePage

            # the handouts' contact line reads the window's copy of the user's card through a weak
            # reference: the page must not keep a closed window (replaced by a language switch) alive
            window = weakref.ref(self)
            page = GuidePage(self.ctx, contact_line=lambda: w.contact_line() if (w := window()) else "")
            page.new_count_changed.connect(self._on_guide_count)
            index = self.stack.indexOf(self._guide_slot)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(self._guide_slot)
            self._guide_slot.deleteLater()
            self._guide = page
        return self._guide

    def _show_page(self, row: int) -> None:
        if row == self.PAGE_GUIDE:
            self.guide  # noqa: B018 - built on first use
        self.stack.setCurrentIndex(row)

    def _on_guide_count(self, count: int) -> None:
        """The navigation shows how many guide articles are new or updated since the user read them."""
        item = self.nav.item(self.PAGE_GUIDE)
        item.setText(self.tr("Policy guide (%1)").replace("%1", str(count)) if count else self.tr("Policy guide"))
        item.setToolTip(self.tr("%n article(s) new or updated since you last read them", "", count) if count else "")
        font = item.font()
        font.setBold(bool(count))
        item.setFont(font)
        self._fit_nav(QApplication.font())

    def refresh_guide_count(self) -> None:
        reader = self.ctx.reader

        def count() -> int:
            from gridworker.guide.search import new_count

            return new_count(reader.connection())

        self.ctx.tasks.read(count, self._on_guide_count)

    def refresh_own_card(self) -> None:
        reader, me = self.ctx.reader, self.ctx.identity.worker_id
        self.ctx.tasks.read(lambda: reader.worker_card(me), self._on_own_card)

    def _on_own_card(self, card: WorkerCardRow | None) -> None:
        self.own_card = card

    def contact_line(self) -> str:
        """The foot of a policy handout: the worker's name, mobile phone and grid."""
        who = self.ctx.identity
        name = self.own_card.name if self.own_card and self.own_card.name else who.name
        phone = self.own_card.phone if self.own_card else ""
        parts = [self.tr("Grid worker %1").replace("%1", name) if name else "", phone, who.grid_name]
        return " · ".join(p for p in parts if p)

    def _fit_nav(self, font: QFont) -> None:
        """The navigation is as wide as its longest label, in the current language and text size."""
        metrics = QFontMetrics(font)
        bold = QFont(font)
        bold.setBold(True)
        wide = QFontMetrics(bold)  # a label in bold (the guide's, with news) is wider
        widest = max(wide.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count()))
        self.nav.setFixedWidth(widest + metrics.horizontalAdvance("M") * 2 + 8)
        for i in range(self.nav.count()):
            self.nav.item(i).setSizeHint(QSize(0, metrics.height() * 2 + 8))

    def _follow_font(self, font: QFont) -> None:
        """A new text size reaches every widget at once, as a restart would show it. Qt leaves behind a
        widget with a style sheet (it keeps the font it was polished with) and the row height of a
        list (computed once): both are renewed here."""
        for widget in [self, *self.findChildren(QWidget)]:
            if widget.styleSheet():
                widget.setStyleSheet(widget.styleSheet())
            if isinstance(widget, QTableView):
                # as Qt sizes a new list's rows: the line height and a margin, at least the style's
                header = widget.verticalHeader()
                least = QFontMetrics(font).height() + 4
                header.setMinimumSectionSize(least)
                header.resetDefaultSectionSize()
                header.setDefaultSectionSize(max(header.defaultSectionSize(), least))

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_day()

    def _wire(self, browser: HouseholdBrowser) -> None:
        browser.panel.visit_requested.connect(self.record_visit)
        browser.panel.amend_requested.connect(self.amend_visit)
        browser.panel.edit_requested.connect(self.edit_household)
        browser.panel.card_requested.connect(self.print_household_card)

    def check_day(self) -> None:
        """A new day makes other households due. Checked every minute and whenever the app comes
        back to the front: a timer set for midnight would fire hours late after the laptop slept
        (Qt's timers do not count time spent suspended)."""
        if self.ctx.today() != self._day:
            self._day = self.ctx.today()
            self.today.refresh()
            self.households.run_search()

    def start(self) -> None:
        """Load what the pages show (off the GUI thread)."""
        self._day = self.ctx.today()
        self._day_timer.start()
        self.today.refresh()
        self.households.refresh_filters()
        self.households.run_search()
        self.unsent.refresh()
        self.refresh_unsent()
        self.refresh_own_card()

    def _on_today_loaded(self, _generation: int) -> None:
        if not self._today_announced:
            self._today_announced = True
            self.today_shown.emit()
            self.refresh_guide_count()  # once Today is on screen: the guide's code loads on the reader
            # open the write side (SQLAlchemy) on the writer thread while the user reads the screen
            self._warm_timer.start()

    def _warm_up(self) -> None:
        ctx = self.ctx
        self.ctx.tasks.write(lambda: ctx.store)

    def go(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def find_household(self) -> None:
        self.go(self.PAGE_HOUSEHOLDS)
        self.households.focus_search()

    def show_household(self, household_id: uuid.UUID) -> None:
        """The Households page with this household beside the list (from the Unsent page)."""
        self.go(self.PAGE_HOUSEHOLDS)
        self.households.browser.panel.show_household(household_id)

    def redo_change(self, row: OutboxRow) -> None:
        """A change the server set aside, made again: the household's form, as it is now."""
        if row.household_id is None:
            return

        def opened(detail: HouseholdDetail | None) -> None:
            if detail is not None:
                self.show_household(detail.id)
                self.edit_household(detail)

        household_id = row.household_id
        self.ctx.tasks.read(lambda: self.ctx.reader.household_detail(household_id), opened)

    def correct_returned(self, row: ReturnedVisitRow) -> None:
        """A visit the reviewer returned: its household beside the list, the visit form correcting it."""

        def opened(detail: HouseholdDetail | None) -> None:
            visit = next((v for v in detail.visits if v.id == row.id), None) if detail is not None else None
            if detail is not None and visit is not None:
                self.show_household(detail.id)
                self.amend_visit(detail, visit)

        household_id = row.household_id
        self.ctx.tasks.read(lambda: self.ctx.reader.household_detail(household_id), opened, owner=self)

    def refresh_unsent(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.unsent_count, self._on_unsent)
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: len(reader.returned_visits()), self._on_returned, owner=self)

    def _on_returned(self, count: int) -> None:
        self.returned_label.setText(self.tr("Returned for correction: %1").replace("%1", str(count)))
        self.returned_label.setVisible(bool(count))

    def _on_unsent(self, count: int) -> None:
        self.unsent_count = count
        self.unsent_label.setText(self.tr("Unsent: %1").replace("%1", str(count)))
        self.unsent_label.setStyleSheet("color: #8a5a00; font-weight: bold;" if count else "")

    # -- actions ----------------------------------------------------------------------------------

    def record_visit(self, detail: HouseholdDetail, draft: dict[str, Any] | None = None) -> None:
        """Open the visit form for a household, with its unfinished draft if one is stored."""
        key = draft_key(detail.id)
        if not self._claim_form(key):
            return
        if draft is not None:
            self._open_visit_form(key, detail, None, draft)
            return
        reader = self.ctx.reader

        def open_form(row: DraftRow | None) -> None:
            self._open_visit_form(key, detail, None, row.payload if row else None)

        self.ctx.tasks.read(lambda: reader.draft(key), open_form, owner=self)

    def amend_visit(self, detail: HouseholdDetail, visit: VisitRow) -> None:
        key = draft_key(detail.id, visit.id)
        if not self._claim_form(key):
            return
        reader = self.ctx.reader

        def open_form(row: DraftRow | None) -> None:
            self._open_visit_form(key, detail, visit, row.payload if row else None)

        self.ctx.tasks.read(lambda: reader.draft(key), open_form, owner=self)

    def resume_draft(self, draft: DraftRow) -> None:
        if draft.household_id is None or not self._claim_form(draft.key):
            return
        reader, hid, key = self.ctx.reader, draft.household_id, draft.key
        payload = dict(draft.payload)

        def open_form(detail: HouseholdDetail | None) -> None:
            if detail is None:
                self._visit_forms.pop(key, None)
                return
            amends = payload.get("amends")
            visit = next((v for v in detail.visits if str(v.id) == amends), None) if amends else None
            self._open_visit_form(key, detail, visit, payload)

        self.ctx.tasks.read(lambda: reader.household_detail(hid), open_form, owner=self)

    def _claim_form(self, key: str) -> bool:
        """One form per visit at a time: a second Ctrl+N, double click or Resume while the form is
        loading or open brings that form forward instead of opening another on the same draft."""
        if key in self._visit_forms:
            dialog = self._visit_forms[key]
            if dialog is not None:
                dialog.raise_()
                dialog.activateWindow()
            return False
        self._visit_forms[key] = None  # loading
        return True

    def _open_visit_form(
        self, key: str, detail: HouseholdDetail, amends: VisitRow | None, draft: dict[str, Any] | None
    ) -> VisitDialog:
        from gridworker.ui.visit_dialog import VisitDialog  # loaded on first use: start-up is shorter

        dialog = VisitDialog(self.ctx, detail, amends, draft, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.finished.connect(lambda _: self._visit_forms.pop(key, None))
        self._visit_forms[key] = dialog
        dialog.show()
        self.visit_form_opened.emit(dialog)
        return dialog

    def edit_household(self, detail: HouseholdDetail) -> HouseholdEditDialog:
        from gridworker.ui.household_edit import HouseholdEditDialog  # loaded on first use

        dialog = HouseholdEditDialog(self.ctx, detail, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.show()
        return dialog

    # -- contact cards --------------------------------------------------------------------------

    def print_household_card(self, detail: HouseholdDetail) -> None:
        """One card for the household on screen, with its address: the print dialog, or the hint to
        set a phone first."""
        from gridworker.ui.cards_batch import household_job, read_sources

        reader, identity = self.ctx.reader, self.ctx.identity

        def ready(job: CardJob) -> None:
            if not job.person.phone.strip():
                self.show_card_hint(job.person.worker_id == identity.worker_id, job.person.name)
                return
            self.print_cards(job)

        self.ctx.tasks.read(lambda: household_job(read_sources(reader, identity), detail, identity), ready, owner=self)

    def print_cards_batch(self, selected: list[Any]) -> CardsBatchDialog:
        """Cards for a grid, a building or the households selected in the list."""
        from gridworker.ui.cards_batch import CardsBatchDialog

        dialog = CardsBatchDialog(self.ctx, selected, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.chosen.connect(self.print_cards)
        dialog.settings_requested.connect(self.open_card_settings)
        dialog.open()
        self.cards_batch_opened.emit(dialog)
        return dialog

    def print_cards(self, job: CardJob) -> CardsDialog:
        from gridworker.ui.cards_batch import open_cards_dialog

        dialog = open_cards_dialog(self.ctx, job, self)
        self.cards_dialog_opened.emit(dialog)
        return dialog

    def show_card_hint(self, own: bool, name: str) -> QMessageBox:
        from gridworker.ui.cards_batch import no_phone_text

        text = no_phone_text(own, name)
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Contact card"), text, QMessageBox.StandardButton.NoButton, self
        )
        box.setObjectName("card_hint")
        settings = box.addButton(self.tr("Open &Settings"), QMessageBox.ButtonRole.AcceptRole) if own else None
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Close))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if settings is not None and box.clickedButton() is settings:
                self.open_card_settings()

        box.finished.connect(answered)
        box.open()
        self.card_hint_shown.emit(box)
        return box

    def open_card_settings(self) -> None:
        self.go(self.PAGE_SETTINGS)
        self.settings_page.focus_card_phone()

    def show_error(self, message: str, detail: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Gridworker"), message, QMessageBox.StandardButton.Ok, self)
        if detail:
            box.setDetailedText(detail)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        # timers of a closed window (replaced by a language switch, or at quit) start no more work
        self._warm_timer.stop()
        self._day_timer.stop()
        super().closeEvent(event)
