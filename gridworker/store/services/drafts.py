"""Forms in progress kept on the laptop (no outbox entry: a draft never leaves it)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete

from gridworker.store.models import Draft, Visit, utcnow
from gridworker.store.services.base import StoreBase


class DraftActions(StoreBase):
    def save_draft(self, key: str, kind: str, household_id: uuid.UUID | None, payload: dict[str, Any]) -> bool:
        """Keep a form in progress. A draft of a visit already saved is not kept (a late write from
        the form must not bring back what was just recorded). False when nothing was kept."""
        with self.db.transaction() as s:
            visit_id = payload.get("visit_id")
            if visit_id and s.get(Visit, uuid.UUID(visit_id)) is not None:
                s.execute(delete(Draft).where(Draft.key == key))
                return False
            draft = s.get(Draft, key)
            if draft is None:
                s.add(Draft(key=key, kind=kind, household_id=household_id, payload=payload))
            else:
                draft.payload = payload
                draft.updated_at = utcnow()
        return True

    def discard_draft(self, key: str) -> None:
        with self.db.transaction() as s:
            s.execute(delete(Draft).where(Draft.key == key))
