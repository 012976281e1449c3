"""A reviewer's decision on a visit (``visit.review``): authorized against the reviewer's area on
every request, checked by the shared rules, applied by the state machine in arrival order
(gridworker_shared.domain.review). Every review is kept as an event; one that crossed a worker's
amendment or another reviewer's decision changed nothing (``effective`` False) and its result says why.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from gridworker_server.models import Household, Visit, VisitReview
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_server.review import events
from gridworker_shared.domain.review import ReviewError, check_review, transition
from gridworker_shared.protocol import VisitReview as VisitReviewMessage

REVIEWERS = ("station", "supervisor", "admin")


def _reviewed_household(b: Batch, household_id: uuid.UUID) -> Household:
    if b.p.role not in REVIEWERS:
        raise Rejected("review_forbidden", "Only a station, a supervisor or an admin reviews visits.")
    h = b.loaded(household_id)
    if h is None:
        raise Rejected("household_unknown", "The household does not exist on the server.")
    if h.grid_id not in b.grids:
        raise Rejected("review_out_of_area", "This household is not in your area.")
    if h.deleted_at is not None:
        raise Rejected("household_removed", "The household was removed by a supervisor; this change was not applied.")
    return h


def review(b: Batch, m: VisitReviewMessage, mutation_id: uuid.UUID) -> Outcome:
    h = _reviewed_household(b, m.household_id)
    visit = b.s.scalar(select(Visit).where(Visit.no == m.visit_no).with_for_update())
    if visit is None or visit.household_id != h.id:
        raise Rejected("review_visit_unknown", "The visit to review does not exist in this household.")
    known = b.s.get(VisitReview, m.id)
    if known is not None:
        if known.visit_id == visit.id and known.action == m.action:
            return Outcome(data={"duplicate": True, "state": visit.review_state})
        raise Rejected("review_id_reused", "This review's id was already used for another review.")
    try:
        check_review(m.action, m.reason, m.comment, m.pins)
    except ReviewError as exc:
        raise Rejected(exc.code, _sentence(str(exc)), **exc.params) from exc
    before = visit.review_state
    try:
        after = transition(before, m.action)
    except ReviewError as exc:
        # crossed: an amendment or another reviewer's decision came first. Kept, changing nothing.
        _record(b, m, mutation_id, visit, before, effective=False)
        b.changes.review(h)
        data: dict[str, object] = {**exc.params, "state": before}
        if exc.code == "review_superseded":
            data["amended_by"] = b.s.scalar(select(Visit.no).where(Visit.amends_id == visit.id))
        return Outcome("conflict", exc.code, _sentence(str(exc)), data)
    _record(b, m, mutation_id, visit, after, effective=True)
    visit.review_state = after
    visit.sv = None  # its row changed (a return's reason too, the state the same): sent to the laptop
    b.changes.review(h)
    if after != before:
        b.changes.household(h)  # the worker's laptop learns a return, an approval, a reopening
    return Outcome(data={"state": after})


def _record(
    b: Batch, m: VisitReviewMessage, mutation_id: uuid.UUID, visit: Visit, to_state: str, *, effective: bool
) -> None:
    events.record(
        b.s,
        visit.id,
        event_id=m.id,
        action=m.action,
        from_state=visit.review_state,
        to_state=to_state,
        actor_id=b.p.user_id,
        mutation_id=mutation_id,
        reason=m.reason,
        comment=m.comment.strip(),
        pins=m.pins,
        effective=effective,
    )


def _sentence(text: str) -> str:
    """The rules' English as a sentence (they speak in lower case, for composing)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
