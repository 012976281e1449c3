"""The worker database's own facts (who signed in, the device, the sync's cursors and stage): key, value."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gridworker.store.models import Meta


def set_meta(s: Session, **values: str) -> None:
    for key, value in values.items():
        row = s.get(Meta, key)
        if row is None:
            s.add(Meta(key=key, value=value))
        else:
            row.value = value
