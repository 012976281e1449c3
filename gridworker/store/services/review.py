"""A reviewer's actions (a station's or supervisor's laptop): a review of a visit and the result of a
back-check call. Each is one transaction: the outbox entry, and the row's ``pending_action`` /
``pending_result`` that shows it waiting to sync. Review state is the server's: the local row's
``state`` changes only when a pull brings the server's decision (gridworker_shared.domain.review)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker.store.models import Backcheck, ReviewVisit
from gridworker.store.services.base import StoreBase
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.review import MAX_COMMENT, ReviewError, allowed, check_review
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import BackcheckResult, VisitReview

MSG_NO_REVIEW_VISIT = QT_TRANSLATE_NOOP("validation", "This visit is not on this laptop.")
MSG_REVIEW_NOT_ALLOWED = QT_TRANSLATE_NOOP("validation", "This visit cannot be given that review in its state.")
MSG_REVIEW_WAITING = QT_TRANSLATE_NOOP("validation", "A review of this visit is still waiting to be sent.")
MSG_REVIEW_INPUT = QT_TRANSLATE_NOOP(
    "validation", "A return needs a reason; a reopen, a comment or a return for another reason needs a text."
)
MSG_NO_BACKCHECK = QT_TRANSLATE_NOOP("validation", "This back-check is not on this laptop.")
MSG_BACKCHECK_INPUT = QT_TRANSLATE_NOOP(
    "validation", "Choose the call's result (confirmed, denied or unreachable); a note holds at most 500 characters."
)
MSG_BACKCHECK_DONE = QT_TRANSLATE_NOOP("validation", "This back-check already has its result.")
BACKCHECK_RESULTS = ("confirmed", "denied", "unreachable")


class ReviewActions(StoreBase):
    def review_visit(
        self, no: int, action: str, reason: str = "", comment: str = "", pins: Sequence[str] = ()
    ) -> uuid.UUID:
        """Queue a review of visit ``no``; returns the review event's id. Refused (nothing written) when
        the visit is not here, its state does not allow the action, a review of it is still waiting,
        or the review lacks what it must carry."""
        try:
            check_review(action, reason, comment, list(pins))
        except ReviewError as e:
            raise ValidationError("review", MSG_REVIEW_INPUT) from e
        with self.db.transaction() as s:
            visit = s.get(ReviewVisit, no)
            return self._queue_review(s, visit, action, reason, comment, pins)

    def approve_many(self, nos: Sequence[int]) -> list[uuid.UUID]:
        """Approve a selection in one transaction: every visit that can be approved now is; the others
        (already decided, or with a review waiting) are left as they are. Returns the events' ids."""
        events: list[uuid.UUID] = []
        with self.db.transaction() as s:
            rows = s.scalars(select(ReviewVisit).where(ReviewVisit.no.in_(list(nos)))).all()
            for visit in rows:
                if visit.pending_action or "approve" not in allowed(visit.state):
                    continue
                events.append(self._queue_review(s, visit, "approve", "", "", ()))
        return events

    def _queue_review(
        self, s: Session, visit: ReviewVisit | None, action: str, reason: str, comment: str, pins: Sequence[str]
    ) -> uuid.UUID:
        if visit is None:
            raise ValidationError("review", MSG_NO_REVIEW_VISIT)
        if visit.pending_action:
            raise ValidationError("review", MSG_REVIEW_WAITING)
        if action not in allowed(visit.state):
            raise ValidationError("review", MSG_REVIEW_NOT_ALLOWED)
        event = uuid.uuid4()
        message = VisitReview(
            id=event,
            visit_no=visit.no,
            household_id=visit.household_id,
            action=action,  # type: ignore[arg-type]  # checked by check_review
            reason=reason,
            comment=comment,
            pins=list(pins),
        )
        self._enqueue(s, message, event, visit.household_id)
        visit.pending_action = action
        return event

    def record_backcheck(self, backcheck_id: uuid.UUID, result: str, note: str = "") -> None:
        """Queue a back-check call's result (属实 confirmed / 不属实 denied / 无法联系 unreachable). A call
        that could not reach anyone may be tried again; a confirmed or denied one is final."""
        if result not in BACKCHECK_RESULTS or len(note) > MAX_COMMENT:
            raise ValidationError("backcheck", MSG_BACKCHECK_INPUT)
        with self.db.transaction() as s:
            row = s.get(Backcheck, backcheck_id)
            if row is None:
                raise ValidationError("backcheck", MSG_NO_BACKCHECK)
            if row.result in ("confirmed", "denied") or row.pending_result:
                raise ValidationError("backcheck", MSG_BACKCHECK_DONE)
            message = BackcheckResult(
                id=backcheck_id,
                household_id=row.household_id,
                result=result,  # type: ignore[arg-type]  # checked above
                note=note,
            )
            self._enqueue(s, message, backcheck_id, row.household_id)
            row.pending_result = result
