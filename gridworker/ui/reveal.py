"""Residents' ID numbers and phones on screen: masked (gridworker_shared.domain.masking) unless the
user, whose role allows it, asks to see one. Each reveal is recorded first (an ``access.log`` change
for the server's trail, LocalStore.record_access on the writer thread) and only then shown, for
REVEAL_SECONDS or until the household on screen changes.

Usage (the household panel)::

    self.revealer = Revealer(ctx, self)
    self.revealer.changed.connect(self._show_values)      # what is revealed now changed
    self.revealer.reveal(household_id, person_id, "phone")  # recorded, then shown
    self.revealer.is_shown(person_id or household_id, "phone")
    self.revealer.forget()                                   # another household
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QObject, QTimer, Signal

from gridworker.ui.context import AppContext
from gridworker_shared.domain.masking import may_reveal

log = logging.getLogger(__name__)

REVEAL_SECONDS = 30


def record_access(ctx: AppContext, action: str, *, what: str = "", rows: int | None = None, **ids: object) -> None:
    """An export or a print of personal data, recorded on the writer thread (the sync sends it)."""

    def write() -> uuid.UUID:
        return ctx.store.record_access(action, what=what, rows=rows, **ids)  # type: ignore[arg-type]

    def failed(exc: Exception) -> None:
        log.error("the access trail could not record a %s: %s", action, type(exc).__name__)

    ctx.tasks.write(write, lambda _id: ctx.events.outbox_changed.emit(), failed)


class Revealer(QObject):
    """What is shown in full now, by (person or household id, field)."""

    changed = Signal()
    failed = Signal(str)  # the reveal could not be recorded (so it is not shown)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, seconds: float = REVEAL_SECONDS) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._shown: set[tuple[uuid.UUID, str]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.forget)
        self._household: uuid.UUID | None = None

    @property
    def allowed(self) -> bool:
        """The user's role may reveal the households of their copy (their grids or area)."""
        return may_reveal(self._ctx.identity.role, in_own_scope=True)

    @property
    def shown(self) -> set[tuple[uuid.UUID, str]]:
        return set(self._shown)

    def is_shown(self, owner: uuid.UUID, field: str) -> bool:
        return (owner, field) in self._shown

    def reveal(
        self, household_id: uuid.UUID, person_id: uuid.UUID | None, field: str, *, what: str = "", key: str = ""
    ) -> None:
        """Record the reveal, then show it (for REVEAL_SECONDS from the last reveal). ``key``: what the
        screen calls the value when it is not the household's or a member's own ``field`` (the building
        liaison's phone: field "phone", key "liaison", ``what`` says whose)."""
        if not self.allowed:
            return
        owner = person_id or household_id
        shown_as = key or field
        if (owner, shown_as) in self._shown:
            self._timer.start()
            return
        ctx = self._ctx
        self._household = household_id

        def write() -> uuid.UUID:
            return ctx.store.record_access(
                "reveal", household_id=household_id, person_id=person_id, field=field, what=what
            )

        def done(_event: uuid.UUID) -> None:
            ctx.events.outbox_changed.emit()
            if self._household != household_id:  # the household changed meanwhile: recorded, not shown
                return
            self._shown.add((owner, shown_as))
            self._timer.start()
            self.changed.emit()

        def refused(exc: Exception) -> None:
            log.error("a reveal could not be recorded: %s", type(exc).__name__)
            self.failed.emit(field)

        ctx.tasks.write(write, done, refused, owner=self)

    def forget(self) -> None:
        """Mask everything again (time is up, or another household is on screen)."""
        self._timer.stop()
        self._household = None
        if self._shown:
            self._shown.clear()
            self.changed.emit()
