"""Resident requests pushed (``request.command``): the worker asks, the server's state machine decides."""

from __future__ import annotations

import uuid

from gridworker_server.models import RequestEvent, ResidentRequest
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_shared.domain.visits import MAX_DESCRIPTION
from gridworker_shared.protocol import RequestCommand

CANCELLABLE = ("submitted", "accepted", "assigned")


def command(b: Batch, m: RequestCommand, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    request = b.s.get(ResidentRequest, m.id, with_for_update=True)
    if request is None or request.household_id != h.id:
        raise Rejected("request_unknown", "The request does not exist on the server.")
    note = m.note.strip()[:MAX_DESCRIPTION]
    before = request.status
    if m.command == "cancel":
        if request.status == "cancelled":
            return Outcome(data={"status": request.status, "transition": False})
        if request.status not in CANCELLABLE:
            raise Rejected(
                "cannot_cancel",
                "The request is already being handled and cannot be cancelled.",
                status=request.status,
            )
        request.status = "cancelled"
        request.status_note = note
    elif m.command == "satisfaction":
        if request.status not in ("resolved", "closed") or m.satisfaction is None:
            raise Rejected("not_resolved", "Rate a request once it is resolved.")
        request.satisfaction = m.satisfaction
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
    return Outcome(data={"status": request.status, "transition": before != request.status})
