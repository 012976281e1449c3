"""Steps asked over the API or the command line rather than pushed: a station's, supervisor's or
admin's ``POST /v1/requests/{id}/step``, and the older ``transition`` (and ``request-transition``), whose
target status is taken as the flow's step that leads there."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from gridworker_server.auth import Principal, grids_of
from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.flow.apply import Actor, take
from gridworker_server.flow.state import Step
from gridworker_server.models import ResidentRequest
from gridworker_shared.domain.request_flow import FROM, FlowError, status_of

# a target status (the flow's, or an earlier version's) -> the step that leads there
STEP_TO = {
    "accepted": "accept",
    "dispatched": "dispatch",
    "assigned": "dispatch",
    "signed": "sign",
    "in_progress": "sign",
    "closed": "close",
    "resolved": "close",
    "cancelled": "cancel",
    "rejected": "cancel",
}
_STATUS = {"request_unknown": 404, "request_out_of_area": 404, "request_step_forbidden": 403}
_STATUS.update(request_step_not_allowed=409, request_department_same=409)


def actor_of(s: Session, p: Principal) -> Actor:
    """The principal as the flow sees them (the command line's operator is an admin of no user row)."""
    user = p.user_id if p.user_id.int != 0 else None
    return Actor(p.role, user, p.org_unit_id, frozenset(grids_of(s, p)), via="app" if user else "admin")


def step(s: Session, p: Principal, request_id: uuid.UUID, wanted: Step) -> ResidentRequest:
    changes = ChangeSet(s)
    try:
        request, _ = take(s, changes, actor_of(s, p), request_id, wanted, event_id=uuid.uuid4())
    except FlowError as exc:
        params: dict[str, Any] = dict(exc.params)
        raise ApiError(_STATUS.get(exc.code, 422), exc.code, str(exc), **params) from exc
    s.flush()
    changes.flush()
    return request


def transition(s: Session, p: Principal, request_id: uuid.UUID, to: str, note: str) -> ResidentRequest:
    """The older API: ``to`` a status; refused as ``invalid_transition`` where no step of the flow
    leads there from the request's status (a step the role may not take keeps its own code)."""
    name = STEP_TO.get(to)
    current = s.get(ResidentRequest, request_id)
    status = status_of(current.status) if current is not None else ""
    try:
        if name is None or (current is not None and status not in FROM[name]):
            raise ApiError(409, "invalid_transition", f"A {status} request cannot become {to}.", current=status, to=to)
        return step(s, p, request_id, Step(name, note=note.strip()[:500]))
    except ApiError as exc:
        if exc.code == "request_step_not_allowed":
            raise ApiError(
                409, "invalid_transition", f"A {status} request cannot become {to}.", current=status, to=to
            ) from exc
        raise
