"""Resident requests pushed with the older ``request.command`` (apps before the flow of issue 13): the
worker asks, the server's state machine decides. ``cancel`` is the flow's cancel; ``satisfaction`` on a
closed request is the flow's call-back (the resident's rating taken as resolved: 满意 and 基本满意
archive it, 不满意 reopens it), on an archived one a late rating; ``follow_up`` is a note."""

from __future__ import annotations

import uuid

from gridworker_server.flow.apply import take
from gridworker_server.flow.state import Step
from gridworker_server.models import RequestEvent, ResidentRequest
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_server.push.request_flow import actor
from gridworker_shared.domain.request_flow import FlowError, status_of
from gridworker_shared.domain.visits import MAX_DESCRIPTION
from gridworker_shared.protocol import RequestCommand

SATISFACTION = {"satisfied": "satisfied", "neutral": "basic", "dissatisfied": "dissatisfied"}


def command(b: Batch, m: RequestCommand, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    request = b.s.get(ResidentRequest, m.id, with_for_update=True)
    if request is None or request.household_id != h.id:
        raise Rejected("request_unknown", "The request does not exist on the server.")
    note = m.note.strip()[:MAX_DESCRIPTION]
    before = status_of(request.status)
    if m.command == "cancel" and before == "cancelled":
        return Outcome(data={"status": before, "transition": False})
    if m.command == "cancel" or (m.command == "satisfaction" and before == "closed"):
        wanted = (
            Step("cancel", note=note)
            if m.command == "cancel"
            else Step("callback", note=note, resolved=True, satisfaction=SATISFACTION[m.satisfaction or "neutral"])
        )
        try:
            take(b.s, b.changes, actor(b), request.id, wanted, event_id=mutation_id, household_id=h.id)
        except FlowError as exc:
            if m.command == "cancel":
                raise Rejected(
                    "cannot_cancel",
                    "The request is already being handled and cannot be cancelled.",
                    status=before,
                ) from exc
            raise Rejected(exc.code, str(exc), **exc.params) from exc
        return Outcome(data={"status": request.status, "transition": before != request.status})
    if m.command == "satisfaction":
        if before != "archived" or m.satisfaction is None:
            raise Rejected("not_resolved", "Rate a request once it is resolved.")
        request.satisfaction = SATISFACTION[m.satisfaction]
    request.version += 1
    b.s.add(
        RequestEvent(
            request_id=request.id,
            actor_id=b.p.user_id,
            command=m.command,
            from_status=before,
            to_status=request.status,
            note=note,
            mutation_id=mutation_id,
        )
    )
    b.changes.household(h)
    return Outcome(data={"status": request.status, "transition": False})
