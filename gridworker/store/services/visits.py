"""Visits recorded and corrected on the laptop: the rows and the ``visit.create`` / ``visit.amend``
outbox entry in one transaction, the entry built once from the protocol's message."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gridworker.store.models import Draft, Household, ResidentRequest, Visit, VisitArticle, VisitPerson
from gridworker.store.services.base import StoreBase, local_date, to_utc_naive
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.households import VisitInput, request_due, validate_visit
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.domain.visits import VisitFact, last_visits
from gridworker_shared.faults import crash_point
from gridworker_shared.protocol import MAX_INT32, ArticleRef, Outcome, RequestNew, VisitAmend, VisitCreate

MSG_NO_VISIT = QT_TRANSLATE_NOOP("validation", "The visit to correct was not found.")
MSG_VISIT_SAVED_ELSEWHERE = QT_TRANSLATE_NOOP(
    "validation",
    "This visit was already saved with other details (from another window). Close this form; to change "
    "the saved visit, correct it from the household's visit history.",
)
MSG_ALREADY_CORRECTED = QT_TRANSLATE_NOOP(
    "validation", "This visit has already been corrected; correct the latest correction instead."
)


def visit_message(
    visit: VisitInput, amends: uuid.UUID | None, form_seconds: int | None = None
) -> VisitCreate | VisitAmend:
    """The outbox entry of a validated visit; its requests fall due by their urgency from the visit's day.
    ``form_seconds``: how long the form was open (None when not measured: an import, a script)."""
    assert visit.visited_at is not None
    day = visit.visited_at.astimezone().date()
    requests = [
        RequestNew(
            id=r.id,
            category=r.category,
            description=r.description,
            urgency=r.urgency,
            due_on=request_due(r.urgency, day),
        )
        for r in visit.requests
    ]
    articles = [
        ArticleRef.model_validate({"id": a.id, "version": a.version, "action": a.action, "title": a.title})
        for a in visit.articles
    ]
    outcome = cast(Outcome, visit.outcome)
    if amends is None:
        return VisitCreate(
            id=visit.id,
            household_id=visit.household_id,
            visited_at=visit.visited_at,
            outcome=outcome,
            notes=visit.notes,
            seen=visit.seen,
            requests=requests,
            articles=articles,
            form_seconds=form_seconds,
        )
    return VisitAmend(
        id=visit.id,
        amends=amends,
        household_id=visit.household_id,
        visited_at=visit.visited_at,
        outcome=outcome,
        notes=visit.notes,
        seen=visit.seen,
        requests=requests,
        articles=articles,
        form_seconds=form_seconds,
    )


def form_time(seconds: float | None) -> int | None:
    """A form's open time as the message carries it: whole seconds, within the protocol's range."""
    if seconds is None or seconds != seconds:  # not measured, or NaN
        return None
    return max(0, min(int(seconds), MAX_INT32))


class VisitActions(StoreBase):
    def record_visit(
        self, visit: VisitInput, draft_key: str | None = None, form_seconds: float | None = None
    ) -> uuid.UUID:
        """``form_seconds``: how long the visit form was open, from opening to saving (a monotonic clock)."""
        return self._write_visit(visit, None, draft_key, form_time(form_seconds))

    def amend_visit(
        self, amends: uuid.UUID, visit: VisitInput, draft_key: str | None = None, form_seconds: float | None = None
    ) -> uuid.UUID:
        return self._write_visit(visit, amends, draft_key, form_time(form_seconds))

    def _write_visit(
        self, visit: VisitInput, amends: uuid.UUID | None, draft_key: str | None, form_seconds: int | None
    ) -> uuid.UUID:
        now = self.clock()
        with self.db.transaction() as s:
            saved = s.get(Visit, visit.id)
            if saved is not None:
                # the same form saved twice (a double press, a draft brought back): exactly once.
                # Different content under the same id (two windows on one draft) is refused.
                if not self._same_visit(s, saved, visit, amends, now):
                    raise ValidationError("visit", MSG_VISIT_SAVED_ELSEWHERE)
                if draft_key:
                    s.execute(delete(Draft).where(Draft.key == draft_key))
                return visit.id
            household = self._household(s, visit.household_id)
            if amends is not None:
                self._check_correctable(s, household, amends)
            members = {m.id for m in household.members if m.active}
            visit = validate_visit(visit, members, now)
            message = visit_message(visit, amends, form_seconds)
            self._add_visit_rows(s, visit, message, amends)
            self._refresh_visit_dates(s, household)
            self._enqueue(s, message, visit.id, household.id)
            if draft_key:
                s.execute(delete(Draft).where(Draft.key == draft_key))
            s.flush()
            crash_point("visit_before_commit")
        crash_point("visit_after_commit")
        return visit.id

    @staticmethod
    def _check_correctable(s: Session, household: Household, amends: uuid.UUID) -> None:
        original = s.get(Visit, amends)
        if original is None or original.household_id != household.id:
            raise ValidationError("amends", MSG_NO_VISIT)
        if s.scalar(select(Visit.id).where(Visit.amends_id == amends).limit(1)) is not None:
            raise ValidationError("amends", MSG_ALREADY_CORRECTED)

    def _add_visit_rows(
        self, s: Session, visit: VisitInput, message: VisitCreate | VisitAmend, amends: uuid.UUID | None
    ) -> None:
        assert visit.visited_at is not None
        s.add(
            Visit(
                id=visit.id,
                household_id=visit.household_id,
                worker_id=self.worker_id,
                visited_at=to_utc_naive(visit.visited_at),
                outcome=visit.outcome,
                notes=visit.notes,
                amends_id=amends,
                seen=[VisitPerson(person_id=p) for p in visit.seen],
            )
        )
        s.flush()  # the visit row exists before the requests and articles that point at it
        s.add_all(
            VisitArticle(visit_id=visit.id, article_id=a.id, action=a.action, version=a.version, title=a.title)
            for a in visit.articles
        )
        s.add_all(
            ResidentRequest(
                id=r.id,
                household_id=visit.household_id,
                visit_id=visit.id,
                category=r.category,
                description=r.description,
                urgency=r.urgency,
                due_on=r.due_on,
            )
            for r in message.requests
        )
        s.flush()

    @staticmethod
    def _same_visit(s: Session, saved: Visit, visit: VisitInput, amends: uuid.UUID | None, now: dt.datetime) -> bool:
        try:
            members = {vp.person_id for vp in saved.seen} | set(visit.seen)
            clean = validate_visit(visit, members, now)
        except ValidationError:
            return False
        requests = set(s.scalars(select(ResidentRequest.id).where(ResidentRequest.visit_id == saved.id)))
        articles = {
            (aid, action, version)
            for aid, action, version in s.execute(
                select(VisitArticle.article_id, VisitArticle.action, VisitArticle.version).where(
                    VisitArticle.visit_id == saved.id
                )
            )
        }
        return (
            saved.household_id == clean.household_id
            and saved.amends_id == amends
            and saved.outcome == clean.outcome
            and saved.notes == clean.notes
            and {vp.person_id for vp in saved.seen} == set(clean.seen)
            and requests == {r.id for r in clean.requests}
            and articles == {(a.id, a.action, a.version) for a in clean.articles}
        )

    def _refresh_visit_dates(self, s: Session, household: Household) -> None:
        """Last met, last attempt and the due date, from the visits that stand (the shared rule: a
        corrected visit counts through its correction only, so a correction can move them back)."""
        visits = s.execute(
            select(Visit.id, Visit.visited_at, Visit.outcome, Visit.amends_id).where(Visit.household_id == household.id)
        )
        dates = last_visits(VisitFact(v.id, local_date(v.visited_at), v.outcome, v.amends_id) for v in visits)
        household.last_met_on, household.last_attempt_on = dates.met, dates.attempt
        self._refresh_due(household)
