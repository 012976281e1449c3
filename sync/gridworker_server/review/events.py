"""A visit's review events (``VisitReview``): every review and every amendment, kept for good."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from gridworker_server.models import VisitReview, utcnow


def record(
    s: Session,
    visit_id: uuid.UUID,
    *,
    event_id: uuid.UUID,
    action: str,
    from_state: str,
    to_state: str,
    actor_id: uuid.UUID | None,
    mutation_id: uuid.UUID | None,
    reason: str = "",
    comment: str = "",
    pins: Sequence[str] = (),
    effective: bool = True,
    at: dt.datetime | None = None,
) -> VisitReview:
    event = VisitReview(
        id=event_id,
        visit_id=visit_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        comment=comment,
        pins=list(pins),
        effective=effective,
        actor_id=actor_id,
        mutation_id=mutation_id,
        at=at or utcnow(),
    )
    s.add(event)
    return event
