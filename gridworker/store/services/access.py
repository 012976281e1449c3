"""The access trail on the laptop (issue 14): a resident's masked ID number or phone revealed, an
export or a print of personal data. Each is one ``access.log`` outbox row in its own transaction,
sent to the server by the push like any change (exactly once: the server keeps it by its id). No
domain row is written: the laptop keeps no trail of its own beyond the outbox."""

from __future__ import annotations

import uuid

from gridworker.store.models import Household
from gridworker.store.services.base import MSG_NO_HOUSEHOLD, StoreBase
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import ACTIONS, FIELDS
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import AccessLog

MSG_ACCESS_FIELD = QT_TRANSLATE_NOOP("validation", "Only an ID number or a phone can be revealed.")
MAX_WHAT = 500  # protocol.AccessLog.what


class AccessActions(StoreBase):
    def record_access(
        self,
        action: str,
        *,
        household_id: uuid.UUID | None = None,
        person_id: uuid.UUID | None = None,
        field: str = "",
        what: str = "",
        rows: int | None = None,
    ) -> uuid.UUID:
        """Record a look at residents' personal data: ``reveal`` (a household's, or one member's,
        ``field`` shown in full), ``export`` or ``print`` (``what``: the filter or the document, with no
        personal data in it; ``rows``: how many records). One transaction: the ``access.log`` outbox row.
        Returns the event's id (the server keeps it once)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown access action {action!r}")
        if action == "reveal" and (field not in FIELDS or household_id is None):
            raise ValidationError("field", MSG_ACCESS_FIELD)
        if field and field not in FIELDS:
            raise ValidationError("field", MSG_ACCESS_FIELD)
        if rows is not None and rows < 0:
            raise ValueError("rows cannot be negative")
        event = AccessLog(
            id=uuid.uuid4(),
            action=action,  # type: ignore[arg-type]
            household_id=household_id,
            person_id=person_id,
            field=field,  # type: ignore[arg-type]
            what=" ".join(what.split())[:MAX_WHAT],
            rows=rows,
            at=self.clock(),
        )
        with self.db.transaction() as s:
            if household_id is not None and s.get(Household, household_id) is None:
                raise ValidationError("household", MSG_NO_HOUSEHOLD)
            # not the household's change: it would show as unsent in the household's list otherwise
            self._enqueue(s, event, event.id, None)
        return event.id
