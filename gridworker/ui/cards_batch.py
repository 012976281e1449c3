"""Printing contact cards (便民联系卡) from the app: whose card, for which households (a whole grid, one
building, the households chosen in the list, or the one on screen), with or without their addresses;
then the print dialog (gridworker.ui.cards_dialog), and, once the cards are printed or saved, which
household received which card is recorded (one ``card.issue`` per household, reprints included), so it
syncs.

A worker prints their own card. A station (社区工作站) prints for any worker of its community, and a
supervisor for any worker of their grids: the workers' cards arrive with the grids' sync scopes. A card
without a phone number is not printed: the worker is sent to Settings → My contact card first.

Loaded on first use (the card modules bring the QR code and print support).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.cards.render import CardJob, Layout
from gridworker.cards.vcard import CardPerson, CardTarget
from gridworker.store.reads import Reader
from gridworker.store.rows import CardHouseholdRow, GridRow, HouseholdDetail, WorkerCardRow
from gridworker.ui import labels
from gridworker.ui.context import AppContext, Identity
from gridworker.ui.forms import ERROR_STYLE
from gridworker.ui.reveal import record_access
from gridworker.ui.widgets import HeadingLabel

if TYPE_CHECKING:
    from gridworker.ui.cards_dialog import CardsDialog

# roles that print for other workers: a station for its community, a supervisor for their grids
PRINTS_FOR_OTHERS = ("station", "supervisor", "admin")


@dataclass(frozen=True)
class CardSources:
    """What the laptop knows to print cards: the user's role, their own card (None if never saved nor
    synced), the workers' cards of the grids held, and those grids."""

    role: str
    own: WorkerCardRow | None
    workers: tuple[WorkerCardRow, ...]
    grids: tuple[GridRow, ...]

    def people(self, identity: Identity) -> list[WorkerCardRow]:
        """Whose cards this user may print, the user's own first (a station has none of its own)."""
        mine = self.own or WorkerCardRow(identity.worker_id, identity.username, identity.name, "", "", "", None, ())
        others = [w for w in self.workers if w.user_id != identity.worker_id]
        if self.role == "station":
            return others
        if self.role in PRINTS_FOR_OTHERS:
            return [mine, *others]
        return [mine]

    def grids_of(self, worker: WorkerCardRow) -> list[GridRow]:
        """The grids on this laptop that ``worker`` holds (all of them when the card names none: the
        user's own card before the first sync brought it)."""
        held = [g for g in self.grids if g.id in worker.grids]
        return held or list(self.grids)


def no_phone_text(own: bool, name: str) -> str:
    """Why a card is not printed yet: the worker's card has no phone number."""
    if own:
        return QCoreApplication.translate(
            "CardsBatchDialog",
            "Your card has no phone number yet, and a card without one is no use to the residents. "
            "Set your phone in Settings → My contact card, then print.",
        )
    return QCoreApplication.translate(
        "CardsBatchDialog",
        "%1 has not set a phone number for the card yet: ask them to set it in Settings → My contact card and sync.",
    ).replace("%1", name)


def read_sources(reader: Reader, identity: Identity) -> CardSources:
    """On the reader thread."""
    with reader.snapshot():
        role = reader.meta().get("role") or "worker"
        return CardSources(
            role,
            reader.worker_card(identity.worker_id),
            tuple(reader.worker_cards()),
            tuple(reader.grids()),
        )


def card_person(worker: WorkerCardRow, grid: GridRow | None, identity: Identity) -> CardPerson:
    """The person on the card, for the households of ``grid``."""
    own = worker.user_id == identity.worker_id
    return CardPerson(
        worker_id=worker.user_id,
        name=worker.name or (identity.name if own else worker.username),
        phone=worker.phone,
        grid_name=grid.name if grid else (identity.grid_name if own else ""),
        community_name=grid.community_name if grid else "",
        service_hours=worker.service_hours,
        line=worker.card_line,
        photo=worker.photo,
        card_code=worker.card_code,
    )


def grid_label(grid: GridRow) -> str:
    """古城社区第1网格; with the community in front when the grid's name does not say it."""
    if not grid.community_name or grid.name.startswith(grid.community_name):
        return grid.name
    return f"{grid.community_name} {grid.name}"


def household_target(h: CardHouseholdRow | HouseholdDetail) -> CardTarget:
    return CardTarget(h.id, labels.chinese_address(h.compound, h.building, h.unit, h.room))


def record_printed(ctx: AppContext, job: CardJob, on_done: Callable[[list[uuid.UUID]], None] | None = None) -> None:
    """The cards of ``job`` were printed or saved: one card issue per household, on the writer thread."""
    households = [t.household_id for t in job.targets if t.household_id is not None]
    if not households:
        return
    worker, layout = job.person.worker_id, job.layout.value

    def write() -> list[uuid.UUID]:
        return ctx.store.record_card_issues(worker, households, layout)

    def done(ids: list[uuid.UUID]) -> None:
        ctx.events.outbox_changed.emit()
        if len(households) == 1:
            ctx.events.household_changed.emit(households[0])
        else:
            ctx.events.data_changed.emit()  # every list shows the new unsent changes, once
        if on_done is not None:
            on_done(ids)

    ctx.tasks.write(write, done)


# the trail's words for a layout (Chinese, as the trail's other words: the street office reads them)
LAYOUT_ZH = {"single": "单张", "sheet": "A4 整页", "poster": "A3 海报"}


def record_card_print(ctx: AppContext, job: CardJob) -> None:
    """Cards printed (or saved as PDF) with the households' addresses: residents' data on paper, on the
    access trail (every print, a reprint too); the trail says how many cards, never whose."""
    households = [t.household_id for t in job.targets if t.household_id is not None]
    if not job.with_address or not households:
        return
    single = households[0] if len(households) == 1 else None
    layout = LAYOUT_ZH.get(job.layout.value, job.layout.value)
    what = f"联系卡 {len(households)} 张（含住址，{layout}）"
    record_access(ctx, "print", what=what, rows=len(households), household_id=single)


def open_cards_dialog(
    ctx: AppContext, job: CardJob, parent: QWidget, on_recorded: Callable[[list[uuid.UUID]], None] | None = None
) -> CardsDialog:
    """The print dialog for ``job``. The first completed print or PDF records the issues; printing again
    or saving a PDF in the same dialog gives the household no second card, so it records nothing more
    (a card printed later, from a new dialog, is a reprint)."""
    from gridworker.ui.cards_dialog import CardsDialog

    dialog = CardsDialog(job, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    recorded: set[uuid.UUID] = set()

    def on_printed(printed: CardJob) -> None:
        record_card_print(ctx, printed)
        fresh = [t for t in printed.targets if t.household_id is not None and t.household_id not in recorded]
        recorded.update(t.household_id for t in fresh if t.household_id is not None)
        if fresh:
            record_printed(ctx, replace(printed, targets=fresh), on_recorded)

    dialog.printed.connect(on_printed)
    dialog.open()
    return dialog


def household_job(sources: CardSources, detail: HouseholdDetail, identity: Identity) -> CardJob:
    """One card for the household on screen, with its address: the user's own card; for a station or
    supervisor, the card of the worker who holds the household's grid."""
    people = sources.people(identity)
    worker = next((w for w in people if detail.grid_id in w.grids), None) or (
        people[0]
        if people
        else WorkerCardRow(identity.worker_id, identity.username, identity.name, "", "", "", None, ())
    )
    grid = next((g for g in sources.grids if g.id == detail.grid_id), None)
    person = card_person(worker, grid, identity)
    return CardJob(person, [household_target(detail)], Layout.SINGLE, with_address=True)


class CardsBatchDialog(QDialog):
    """Choose whose card and which households; ``chosen`` gives the CardJob (targets in walking
    order) for the print dialog."""

    SCOPE_GRID, SCOPE_BUILDING, SCOPE_SELECTED = range(3)
    loaded = Signal()  # the sources (people, grids) were read
    counted = Signal(int)  # the households of the current choice, read again
    chosen = Signal(object)  # CardJob
    settings_requested = Signal()  # the user wants to set their phone

    def __init__(self, ctx: AppContext, selected: list[uuid.UUID], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected = list(selected)
        self.sources: CardSources | None = None
        self.households: list[CardHouseholdRow] = []
        self.generation = 0
        self._counted_generation = -1
        self.setObjectName("cards_batch")
        self.setWindowTitle(self.tr("Print contact cards"))
        root = QVBoxLayout(self)
        heading = HeadingLabel(self.tr("Contact cards for households"), factor=1.2)
        root.addWidget(heading)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        root.addLayout(grid)

        whose = QLabel(self.tr("&Whose card"))
        self.person = QComboBox()
        self.person.setObjectName("card_person")
        whose.setBuddy(self.person)
        grid.addWidget(whose, 0, 0)
        grid.addWidget(self.person, 0, 1)

        grid.addWidget(QLabel(self.tr("Households")), 1, 0, Qt.AlignmentFlag.AlignTop)
        self.scope = QButtonGroup(self)
        self.scope_grid = QRadioButton(self.tr("The whole &grid"))
        self.scope_building = QRadioButton(self.tr("One &building"))
        self.scope_selected = QRadioButton()
        self.scope_selected.setText(self.tr("The households selected in the list (%n)", "", len(self.selected)))
        for i, (button, name) in enumerate(
            ((self.scope_grid, "grid"), (self.scope_building, "building"), (self.scope_selected, "selected"))
        ):
            button.setObjectName(f"scope_{name}")
            self.scope.addButton(button, i)
        self.grid_combo = QComboBox()
        self.grid_combo.setObjectName("card_grid")
        self.building_combo = QComboBox()
        self.building_combo.setObjectName("card_building")
        grid.addWidget(self.scope_grid, 1, 1)
        grid.addWidget(self.grid_combo, 2, 1)
        grid.addWidget(self.scope_building, 3, 1)
        grid.addWidget(self.building_combo, 4, 1)
        grid.addWidget(self.scope_selected, 5, 1)
        self.scope_selected.setEnabled(bool(self.selected))
        (self.scope_selected if len(self.selected) > 1 else self.scope_grid).setChecked(True)

        self.with_address = QCheckBox(self.tr("Print each household's &address on its card"))
        self.with_address.setObjectName("card_with_address")
        self.with_address.setChecked(True)
        root.addWidget(self.with_address)
        self.count_label = QLabel()
        self.count_label.setObjectName("card_count")
        root.addWidget(self.count_label)
        self.hint = QLabel()
        self.hint.setObjectName("card_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(ERROR_STYLE)
        self.hint.hide()
        root.addWidget(self.hint)
        self.settings_button = QPushButton(self.tr("Open &Settings"))
        self.settings_button.setObjectName("open_settings")
        self.settings_button.clicked.connect(self._to_settings)
        self.settings_button.hide()
        root.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        root.addStretch()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.next_button = self.buttons.addButton(
            self.tr("&Next: layout and print…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.next_button.setObjectName("cards_next")
        self.next_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)

        self.person.currentIndexChanged.connect(self._on_person)
        self.grid_combo.currentIndexChanged.connect(self._on_grid)
        self.building_combo.currentIndexChanged.connect(self.recount)
        self.scope.idToggled.connect(lambda _id, on: self.recount() if on else None)
        self.with_address.toggled.connect(lambda _on: self._update())
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        reader, identity = ctx.reader, ctx.identity
        ctx.tasks.read(lambda: read_sources(reader, identity), self._on_sources, owner=self)

    # -- reading ------------------------------------------------------------------------------------

    def _on_sources(self, sources: CardSources) -> None:
        self.sources = sources
        self.person.blockSignals(True)
        for w in sources.people(self.ctx.identity):
            own = w.user_id == self.ctx.identity.worker_id
            name = (w.name or self.ctx.identity.name) if own else (w.name or w.username)
            self.person.addItem(self.tr("%1 (me)").replace("%1", name) if own else name, w.user_id)
        self.person.blockSignals(False)
        self.person.setEnabled(self.person.count() > 1)
        self.loaded.emit()
        self._on_person()

    def worker(self) -> WorkerCardRow | None:
        if self.sources is None:
            return None
        people = {w.user_id: w for w in self.sources.people(self.ctx.identity)}
        return people.get(self.person.currentData())

    def _on_person(self, *_: object) -> None:
        worker = self.worker()
        if worker is None or self.sources is None:
            self._update()
            return
        current = self.grid_combo.currentData()
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        for g in self.sources.grids_of(worker):
            self.grid_combo.addItem(grid_label(g), g.id)
        if current is not None and self.grid_combo.findData(current) >= 0:
            self.grid_combo.setCurrentIndex(self.grid_combo.findData(current))
        self.grid_combo.blockSignals(False)
        self._on_grid()

    def _on_grid(self, *_: object) -> None:
        grid_id = self.grid_combo.currentData()
        reader = self.ctx.reader
        self.generation += 1
        generation = self.generation

        def fill(pairs: list[tuple[str, str]]) -> None:
            if generation != self.generation:
                return
            self.building_combo.blockSignals(True)
            self.building_combo.clear()
            for compound, building in pairs:
                self.building_combo.addItem(labels.long_address(compound, building, "", ""), (compound, building))
            self.building_combo.blockSignals(False)
            self.scope_building.setEnabled(bool(pairs))
            self.recount()

        self.ctx.tasks.read(lambda: reader.buildings(grid_id), fill, owner=self)

    def recount(self, *_: object) -> int:
        """Read the households of the current choice again (walking order)."""
        self.generation += 1
        generation = self.generation
        reader, scope = self.ctx.reader, self.scope.checkedId()
        grid_id = self.grid_combo.currentData()
        building = self.building_combo.currentData()
        selected = list(self.selected)

        def read() -> list[CardHouseholdRow]:
            if scope == self.SCOPE_SELECTED:
                return reader.card_households(ids=selected)
            if grid_id is None:
                return []
            if scope == self.SCOPE_BUILDING:
                if building is None:
                    return []
                return reader.card_households(grid_id=grid_id, compound=building[0], building=building[1])
            return reader.card_households(grid_id=grid_id)

        def done(rows: list[CardHouseholdRow]) -> None:
            if generation != self.generation:
                return
            self.households = rows
            self._counted_generation = generation
            self._update()
            self.counted.emit(len(rows))

        self.ctx.tasks.read(read, done, owner=self)
        return generation

    # -- state --------------------------------------------------------------------------------------

    def _update(self) -> None:
        scope = self.scope.checkedId()
        self.grid_combo.setEnabled(scope != self.SCOPE_SELECTED)
        self.building_combo.setEnabled(scope == self.SCOPE_BUILDING)
        ready = self._counted_generation == self.generation
        n = len(self.households)
        if ready:
            text = self.tr("%n card(s), one for each household, in walking order", "", n)
            self.count_label.setText(text)
        worker = self.worker()
        missing = worker is not None and not worker.phone.strip()
        own = worker is not None and worker.user_id == self.ctx.identity.worker_id
        if missing:
            self.hint.setText(no_phone_text(own, worker.name if worker else ""))
        self.hint.setVisible(missing)
        self.settings_button.setVisible(missing and own)
        self.next_button.setEnabled(ready and n > 0 and worker is not None and not missing)

    def job(self) -> CardJob | None:
        """The cards as chosen: one per household, in walking order; None until they are read."""
        worker = self.worker()
        if worker is None or self.sources is None or not self.households:
            return None
        grid_id = self.households[0].grid_id
        grid = next((g for g in self.sources.grids if g.id == grid_id), None)
        targets = [household_target(h) for h in self.households]
        layout = Layout.SHEET if len(targets) > 1 else Layout.SINGLE
        return CardJob(card_person(worker, grid, self.ctx.identity), targets, layout, self.with_address.isChecked())

    def accept(self) -> None:
        if not self.next_button.isEnabled():
            return
        job = self.job()
        if job is None:
            return
        super().accept()
        self.chosen.emit(job)

    def _to_settings(self) -> None:
        self.settings_requested.emit()
        self.reject()
