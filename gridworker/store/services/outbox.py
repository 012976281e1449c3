"""The worker's answer to a change the server set aside (rejected, or applied over someone else's
value): acknowledged, it no longer counts as needing attention. The record stays (SYNC.md: set-aside
items are never dropped); nothing is sent to the server."""

from __future__ import annotations

from gridworker.store.models import Outbox
from gridworker.store.services.base import StoreBase, to_utc_naive
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.validation import ValidationError

MSG_NOT_SET_ASIDE = QT_TRANSLATE_NOOP("validation", "Only a change the server set aside can be acknowledged.")
SET_ASIDE = ("rejected", "conflict")


class OutboxActions(StoreBase):
    def acknowledge(self, seq: int) -> None:
        """Mark a rejected or conflicting change as read (one transaction). Acknowledging it again
        changes nothing; a change still waiting to be sent, or applied, is refused."""
        with self.db.transaction() as s:
            row = s.get(Outbox, seq)
            if row is None or row.state not in SET_ASIDE:
                raise ValidationError("outbox", MSG_NOT_SET_ASIDE)
            if row.acknowledged_at is None:
                row.acknowledged_at = to_utc_naive(self.clock())
