"""A step of a resident request's flow pushed (``request.step``): the server's state machine decides
(gridworker_shared.domain.request_flow), the step is kept as an event whose id is the mutation's."""

from __future__ import annotations

import uuid

from gridworker_server.flow.apply import Actor, take
from gridworker_server.flow.state import Step
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_shared.domain.request_flow import FlowError
from gridworker_shared.protocol import RequestStep


def actor(b: Batch) -> Actor:
    """The pushing user as the flow sees them: a department by its org unit, the others by their grids."""
    return Actor(b.p.role, b.p.user_id, b.p.org_unit_id, frozenset(b.grids))


def step(b: Batch, m: RequestStep, mutation_id: uuid.UUID) -> Outcome:
    wanted = Step(
        m.step,
        note=m.note,
        department_id=m.department_id,
        merge_into=m.merge_into,
        reason=m.reason,
        whose=m.whose.strip(),
        resolved=m.resolved,
        satisfaction=m.satisfaction or "",
        days=m.days,
    )
    try:
        request, _ = take(
            b.s, b.changes, actor(b), m.request_id, wanted, event_id=mutation_id, household_id=m.household_id
        )
    except FlowError as exc:
        raise Rejected(exc.code, str(exc), **exc.params) from exc
    return Outcome(data=flow_data(request))


def flow_data(request: object) -> dict[str, object]:
    """What the push result tells the device at once (the pull brings the rest)."""
    deadline = getattr(request, "deadline_at", None)
    return {
        "status": getattr(request, "status", ""),
        "bounces": getattr(request, "bounces", 0),
        "deadline_at": deadline.isoformat() if deadline is not None else None,
    }
