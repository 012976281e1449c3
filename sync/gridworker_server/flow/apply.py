"""A step taken on a request: who may take it where, what it targets, what it changes, the event it
leaves and the scopes it touches. The push (``request.step``), the older ``request.command`` and the
city platform's updates all come through :func:`take`, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
import weakref
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.flow import pending
from gridworker_server.flow.state import Step, advance, check
from gridworker_server.models import Household, OrgUnit, RequestEvent, ResidentRequest, utcnow
from gridworker_server.review.settings import Streets
from gridworker_shared.domain import request_flow as rf
from gridworker_shared.protocol import department_scope

# every code a step can be refused with (the shared rules' and the server's own); the app holds a text
# for each (gridworker.ui.i18n._SERVER_MESSAGES)
FLOW_CODES: tuple[str, ...] = (
    "request_unknown",
    "request_out_of_area",
    "request_unknown_step",
    "request_step_forbidden",
    "request_step_not_allowed",
    "request_note_too_long",
    "request_note_required",
    "request_bounce_reason",
    "request_callback_answers",
    "request_extend_days",
    "request_department_required",
    "request_department_unknown",
    "request_department_same",
    "request_merge_target",
)


@dataclass(frozen=True)
class Actor:
    """Who takes the step: a role with its area (a worker's, station's or supervisor's grids; a
    department; the city platform's street), and where it came from (``via``: app, platform, admin)."""

    role: str
    user_id: uuid.UUID | None
    org_unit_id: uuid.UUID | None = None
    grids: frozenset[uuid.UUID] = frozenset()
    via: str = "app"


def take(
    s: Session,
    changes: ChangeSet,
    actor: Actor,
    request_id: uuid.UUID,
    step: Step,
    *,
    event_id: uuid.UUID | None = None,
    external_event_id: str | None = None,
    household_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> tuple[ResidentRequest, RequestEvent]:
    """Apply ``step`` (FlowError with its code when refused: nothing is changed then)."""
    request = s.get(ResidentRequest, request_id, with_for_update=True)
    h = s.get(Household, request.household_id) if request is not None else None
    if request is None or h is None or h.deleted_at is not None:
        raise rf.FlowError("request_unknown", "The request does not exist on the server.")
    if household_id is not None and household_id != h.id:
        raise rf.FlowError("request_unknown", "The request does not exist on the server.")
    streets = Streets(s)
    street = streets.street_id(h.grid_id)
    _authorize(actor, request, h, street)
    check(step, request.status, actor.role)
    _check_target(s, request, h, step, street)
    when = now or utcnow()
    before = rf.status_of(request.status)
    old_department = request.department_id
    row = {name: getattr(request, name) for name in ("status", "on_spot", "bounces", "reopens", "failed_callbacks")}
    row["deadline_at"] = request.deadline_at
    for name, value in advance(row, request.category, step, when, streets.settings(h.grid_id).deadline_days).items():
        setattr(request, name, value)
    request.version += 1
    event = RequestEvent(
        request_id=request.id,
        actor_id=actor.user_id,
        command=step.step,
        from_status=before,
        to_status=request.status,
        note=step.note.strip(),
        mutation_id=event_id,
        event_id=event_id,
        data=step.extras(),
        via=actor.via,
        external_event_id=external_event_id,
        at=when,
    )
    s.add(event)
    touch(changes, request, h, street, old_department)
    return request, event


def touch(
    changes: ChangeSet,
    request: ResidentRequest,
    h: Household,
    street: uuid.UUID | None,
    old_department: uuid.UUID | None = None,
) -> None:
    """The request changed: its household in the grid's scope, its work order in its department's
    scope (and out of the one it left), and the street's feed."""
    changes.household(h)
    if old_department is not None and old_department != request.department_id:
        changes.remove(department_scope(old_department), "work_order", request.id)
    if request.department_id is not None:
        changes.upsert(department_scope(request.department_id), "work_order", request.id)
    if street is not None:
        pending.mark(changes.session, street, request.id)


# a transaction's streets, read once (a batch may create many requests)
_STREETS: weakref.WeakKeyDictionary[ChangeSet, Streets] = weakref.WeakKeyDictionary()


def created(
    s: Session, changes: ChangeSet, grid_id: uuid.UUID, request_id: uuid.UUID, streets: Streets | None = None
) -> None:
    """A new request (登记, on a visit): it enters its street's feed. ``streets``: the push's own, which
    knows the grid's street already (it judged the visit's flags by its settings)."""
    if streets is None:
        streets = _STREETS.get(changes)
    if streets is None:
        streets = _STREETS[changes] = Streets(s)
    street = streets.street_id(grid_id)
    if street is not None:
        pending.mark(s, street, request_id)


def _authorize(actor: Actor, request: ResidentRequest, h: Household, street: uuid.UUID | None) -> None:
    if actor.role == "admin":
        return
    if actor.role == "department":
        mine = actor.org_unit_id is not None and request.department_id == actor.org_unit_id
    elif actor.role == "platform":
        mine = street is not None and actor.org_unit_id == street
    else:
        mine = h.grid_id in actor.grids
    if not mine:
        raise rf.FlowError("request_out_of_area", "This request is not in your area or not dispatched to you.")


def _check_target(s: Session, request: ResidentRequest, h: Household, step: Step, street: uuid.UUID | None) -> None:
    if step.step in ("dispatch", "reassign"):
        unit = s.get(OrgUnit, step.department_id) if step.department_id else None
        if unit is None or unit.kind != "department" or street is None or unit.parent_id != street:
            raise rf.FlowError("request_department_unknown", "No such department in the request's street.")
        if step.step == "reassign" and unit.id == request.department_id:
            raise rf.FlowError("request_department_same", "The request is already dispatched to this department.")
    elif step.step == "merge":
        target = s.get(ResidentRequest, step.merge_into) if step.merge_into else None
        other = s.get(Household, target.household_id) if target is not None else None
        if target is None or other is None or target.id == request.id:
            raise rf.FlowError(
                "request_merge_target", "Merge only into an earlier request of the same household or address."
            )
        earlier = (_aware(target.created_at), str(target.id)) < (_aware(request.created_at), str(request.id))
        place = (other.compound, other.building, other.unit, other.room)
        same = other.id == h.id or (bool(other.compound) and place == (h.compound, h.building, h.unit, h.room))
        if not earlier or not same or rf.status_of(target.status) in ("merged", "cancelled"):
            raise rf.FlowError(
                "request_merge_target", "Merge only into an earlier request of the same household or address."
            )


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; the server stores UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
