"""A resident request's steps taken on this laptop (gridworker_shared.domain.request_flow): a worker's
即办 or call-back, a station's 受理 / 派单, a department's 签收 / 处置 / 办结 / 退单 ... Each is one
transaction: the ``request.step`` outbox entry and the row's ``pending_step`` that shows it waiting.

The rules are checked here first, with the signed-in user's role, so that a step the server would
refuse is refused with a clear message and nothing written. Status is the server's: the local row's
status changes only when a pull brings it (gridworker.syncing.apply_requests)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker.store.models import Meta, ResidentRequest, WorkOrder
from gridworker.store.services.base import StoreBase
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.request_flow import FlowError, check_step
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import RequestStep

MSG_NO_REQUEST = QT_TRANSLATE_NOOP("validation", "This request is not on this laptop.")
MSG_STEP_WAITING = QT_TRANSLATE_NOOP(
    "validation", "A step of this request is still waiting to be sent; sync first, then take the next one."
)
MSG_NEEDS_DEPARTMENT = QT_TRANSLATE_NOOP("validation", "Choose the department.")
MSG_NEEDS_MERGE_TARGET = QT_TRANSLATE_NOOP("validation", "Choose the earlier request to merge this one into.")
MSG_NEEDS_WHOSE = QT_TRANSLATE_NOOP("validation", "Say whose matter it is (the department it belongs to).")
MSG_WHOSE_TOO_LONG = QT_TRANSLATE_NOOP("validation", "The department named holds at most 100 characters.")
# the rules' codes (request_flow.FlowError) as the person taking the step reads them
FLOW_MESSAGES: dict[str, str] = {
    "request_unknown_step": QT_TRANSLATE_NOOP("validation", "This is not a step of a request."),
    "request_step_forbidden": QT_TRANSLATE_NOOP("validation", "Your role may not take this step."),
    "request_step_not_allowed": QT_TRANSLATE_NOOP("validation", "This request cannot take that step in its status."),
    "request_note_too_long": QT_TRANSLATE_NOOP("validation", "A note holds at most 500 characters."),
    "request_note_required": QT_TRANSLATE_NOOP("validation", "Write what was done, or why."),
    "request_bounce_reason": QT_TRANSLATE_NOOP(
        "validation", "Choose why it goes back: not this department's, or outside its area."
    ),
    "request_callback_answers": QT_TRANSLATE_NOOP(
        "validation", "A call-back needs both answers: resolved or not, and how satisfied."
    ),
    "request_extend_days": QT_TRANSLATE_NOOP("validation", "An extension is 1 to 365 days."),
}
MAX_WHOSE = 100


@dataclass(frozen=True)
class StepExtras:
    """What a step may carry besides its note (request_flow: which step needs which)."""

    department_id: uuid.UUID | None = None  # dispatch, reassign
    merge_into: uuid.UUID | None = None  # merge
    reason: str = ""  # bounce: not_ours, outside_area
    whose: str = ""  # bounce not_ours: whose matter it is
    resolved: bool | None = None  # callback
    satisfaction: str = ""  # callback: satisfied, basic, dissatisfied
    days: int | None = None  # extend


def check_extras(step: str, status: str, role: str, note: str, extras: StepExtras) -> None:
    """The rules for ``step`` as this laptop can check them; raises ValidationError (translatable)."""
    try:
        check_step(
            step,
            status,
            role,
            note=note,
            reason=extras.reason,
            satisfaction=extras.satisfaction,
            resolved=extras.resolved,
            days=extras.days,
        )
    except FlowError as e:
        raise ValidationError("step", FLOW_MESSAGES.get(e.code, FLOW_MESSAGES["request_step_not_allowed"])) from e
    if step in ("dispatch", "reassign") and extras.department_id is None:
        raise ValidationError("department", MSG_NEEDS_DEPARTMENT)
    if step == "merge" and extras.merge_into is None:
        raise ValidationError("merge_into", MSG_NEEDS_MERGE_TARGET)
    if step == "bounce" and extras.reason == "not_ours" and not extras.whose.strip():
        raise ValidationError("whose", MSG_NEEDS_WHOSE)
    if len(extras.whose) > MAX_WHOSE:
        raise ValidationError("whose", MSG_WHOSE_TOO_LONG)


class RequestActions(StoreBase):
    def user_role(self) -> str:
        with self.db.reading() as s:
            return self._role(s)

    @staticmethod
    def _role(s: Session) -> str:
        return s.scalar(select(Meta.value).where(Meta.key == "role")) or "worker"

    def request_step(
        self, request_id: uuid.UUID, step: str, note: str = "", extras: StepExtras | None = None
    ) -> uuid.UUID:
        """Queue ``step`` of request ``request_id`` (a household's request on a worker's or station's
        laptop, or a work order on a department's); returns the step's event id. Refused, with nothing
        written, when the request is not here, a step of it is still waiting to be sent, or the rules
        refuse the step for the signed-in user's role and the request's status."""
        extras = extras or StepExtras()
        note = note.strip()
        with self.db.transaction() as s:
            request = s.get(ResidentRequest, request_id)
            order = s.get(WorkOrder, request_id) if request is None else None
            row = request or order
            if row is None:
                raise ValidationError("request", MSG_NO_REQUEST)
            if row.pending_step:
                raise ValidationError("request", MSG_STEP_WAITING)
            check_extras(step, row.status, self._role(s), note, extras)
            event = uuid.uuid4()
            message = RequestStep(
                id=event,
                request_id=request_id,
                household_id=request.household_id if request is not None else None,
                step=step,  # type: ignore[arg-type]  # checked by check_step
                note=note,
                department_id=extras.department_id,
                merge_into=extras.merge_into,
                reason=extras.reason,
                whose=extras.whose.strip(),
                resolved=extras.resolved,
                satisfaction=extras.satisfaction or None,  # type: ignore[arg-type]  # checked by check_step
                days=extras.days,
            )
            self._enqueue(s, message, request_id, message.household_id)
            row.pending_step = step
            return event

    # one function per step, for the screens and the tests

    def accept_request(self, request_id: uuid.UUID, note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "accept", note)

    def resolve_on_spot(self, request_id: uuid.UUID, note: str) -> uuid.UUID:
        return self.request_step(request_id, "on_spot", note)

    def dispatch_request(self, request_id: uuid.UUID, department_id: uuid.UUID, note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "dispatch", note, StepExtras(department_id=department_id))

    def sign_order(self, request_id: uuid.UUID, note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "sign", note)

    def progress_order(self, request_id: uuid.UUID, note: str) -> uuid.UUID:
        return self.request_step(request_id, "progress", note)

    def close_order(self, request_id: uuid.UUID, note: str) -> uuid.UUID:
        return self.request_step(request_id, "close", note)

    def bounce_order(self, request_id: uuid.UUID, reason: str, whose: str = "", note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "bounce", note, StepExtras(reason=reason, whose=whose))

    def record_callback(self, request_id: uuid.UUID, resolved: bool, satisfaction: str, note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "callback", note, StepExtras(resolved=resolved, satisfaction=satisfaction))

    def callback_failed(self, request_id: uuid.UUID, note: str = "") -> uuid.UUID:
        return self.request_step(request_id, "callback_failed", note)
