"""Visits pushed: a new visit (``visit.create``, checked completely and left for the batch's bulk
insert, no savepoint needed) and a correction (``visit.amend``, in its savepoint). Both check the
visit's fields by the shared rules (``gridworker_shared.domain.visits``) before anything is written."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, select

from gridworker_server.flow.apply import created as request_created
from gridworker_server.models import Conflict, Household, Person, RequestEvent, ResidentRequest, Visit, utcnow
from gridworker_server.push.batch import (
    Batch,
    Outcome,
    Rejected,
    Visited,
    aware,
    check_business_time,
    content_hash,
    local_day,
)
from gridworker_server.review import events
from gridworker_server.review.flags import raise_flags
from gridworker_server.review.numbers import allocate
from gridworker_shared.domain import visits as rules
from gridworker_shared.domain.review import after_amendment
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import VisitAmend, VisitCreate


def visit_digest(m: VisitCreate | VisitAmend) -> str:
    """What a visit's content hashes to. A field added to the message later is left out while it holds
    its default, so a visit recorded before the field existed hashes as it did then."""
    body = m.model_dump(mode="json")
    if not body.get("articles"):
        body.pop("articles", None)
    return content_hash(body)


def visit_articles(m: VisitCreate | VisitAmend) -> list[dict[str, Any]]:
    """The articles a visit names, once per (article, action)."""
    out: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for a in m.articles:
        out.setdefault((a.id, a.action), {"id": str(a.id), "version": a.version, "action": a.action, "title": a.title})
    return list(out.values())


def _refusal(exc: ValidationError) -> Rejected:
    """A shared rule's refusal of a visit, in the server's words (code "invalid"; the ``reason``
    picks the app's text)."""
    if exc.template == rules.MSG_OUTCOME:
        return Rejected("invalid", "Invalid outcome.", reason="outcome")
    if exc.template in (rules.MSG_CATEGORY, rules.MSG_URGENCY):
        return Rejected("invalid", "Invalid request category or urgency.", reason="request_codes")
    if exc.field == "notes":
        return Rejected("invalid", "Notes are too long.", reason="notes_too_long")
    return Rejected("invalid", "The request description is too long.", reason="description_too_long")


def check_visit(m: VisitCreate | VisitAmend) -> None:
    """A visit's own fields, checked before anything of it is written (create and correction alike)."""
    check_business_time(m.visited_at, "visit")
    try:
        rules.check_outcome(m.outcome)
        rules.check_notes(m.notes)
        for number, r in enumerate(m.requests, start=1):
            rules.check_request_codes(number, r.category, r.urgency)
            rules.check_description(number, r.description)
    except ValidationError as exc:
        raise _refusal(exc) from exc


def _id_reused(
    b: Batch, visit_id: uuid.UUID, household_id: uuid.UUID, kept: str, digest: str, mutation_id: uuid.UUID
) -> Outcome:
    """The same visit id with other content: nothing overwritten, a conflict kept for review."""
    b.s.add(
        Conflict(
            entity="visit",
            entity_id=visit_id,
            household_id=household_id,
            field="*",
            kept=kept,
            overwritten=digest,
            code="visit_id_reused",
            mutation_id=mutation_id,
            user_id=b.p.user_id,
        )
    )
    return Outcome(
        "conflict",
        "visit_id_reused",
        "A visit with this id exists with other content; kept for review.",
    )


def _applied(h: Visited, flag: str, seen: list[str], m: VisitCreate | VisitAmend, members: set[uuid.UUID]) -> Outcome:
    data: dict[str, Any] = {"household_version": h.version}
    if flag:
        data["flag"] = flag
    if len(seen) != len(set(m.seen)):
        data["unknown_seen"] = sorted(str(x) for x in set(m.seen) - members)
    return Outcome(data=data)


def create(b: Batch, m: VisitCreate, mutation_id: uuid.UUID) -> Outcome:
    """A new visit, checked completely before anything is written (no savepoint needed); its rows
    wait for the batch's bulk insert. Last met / last attempt move forward incrementally."""
    h, flag = b.visited_household(m.household_id)
    digest = visit_digest(m)
    known = b.known_visits.get(m.id)
    if known is not None:
        if known[0] == digest:
            return Outcome(data={"duplicate": True})
        return _id_reused(b, m.id, h.id, known[0], digest, mutation_id)
    check_visit(m)
    members = b.members.get(h.id, set())
    seen = [str(pid) for pid in dict.fromkeys(m.seen) if pid in members]
    visited_at = aware(m.visited_at)
    now = utcnow()
    b.new_visits.append(
        {
            "id": m.id,
            "household_id": h.id,
            "worker_id": b.p.user_id,
            "visited_at": visited_at,
            "outcome": m.outcome,
            "notes": m.notes.strip(),
            "amends_id": None,
            "seen": seen,
            "flag": flag,
            "received_at": now,
            "content_hash": digest,
            "articles": visit_articles(m),
            "form_seconds": m.form_seconds,
        }
    )
    b.known_visits[m.id] = (digest, h.id)
    for r in m.requests:
        if r.id in b.known_requests:
            continue
        b.known_requests.add(r.id)
        request_created(b.s, b.changes, h.grid_id, r.id, b.streets)  # into the street's feed
        b.new_requests.append(
            {
                "id": r.id,
                "household_id": h.id,
                "visit_id": m.id,
                "category": r.category,
                "description": r.description.strip(),
                "urgency": r.urgency,
                "due_on": r.due_on,
                "status": "submitted",
                "status_note": "",
                "satisfaction": "",
                "version": 1,
                "created_at": now,
            }
        )
        b.new_events.append(
            {
                "request_id": r.id,
                "actor_id": b.p.user_id,
                "command": "create",
                "from_status": "",
                "to_status": "submitted",
                "note": "",
                "mutation_id": mutation_id,
                "at": now,
            }
        )
    h.last_met_on, h.last_attempt_on = rules.after_visit(
        rules.VisitDates(h.last_met_on, h.last_attempt_on), local_day(visited_at), m.outcome
    )
    b.bump(h)
    b.changes.review(h)
    b.visited[h.id] = h
    return _applied(h, flag, seen, m, members)


def amend(b: Batch, m: VisitAmend, mutation_id: uuid.UUID) -> Outcome:
    """A correction of a visit: a new visit that replaces the one it amends, which then no longer
    counts for last met / last attempt (recomputed from the visits that stand)."""
    h, flag = b.household(m.household_id, facts=True)
    digest = visit_digest(m)
    existing = b.s.get(Visit, m.id)
    if existing is not None:
        if existing.content_hash == digest:
            return Outcome(data={"duplicate": True})
        return _id_reused(b, m.id, h.id, existing.content_hash, digest, mutation_id)
    if b.p.role != "worker":
        # a supervisor's correction is a review record of its own, not a visit in the worker's name
        raise Rejected("amend_not_for_supervisors", "A supervisor corrects a visit in review, not by amending it.")
    target = b.s.get(Visit, m.amends)
    if target is None or target.household_id != h.id:
        raise Rejected("visit_unknown", "The visit to correct does not exist.")
    if target.worker_id != b.p.user_id:
        raise Rejected("not_visit_author", "Only the worker who recorded a visit can correct it.")
    if b.s.scalar(select(exists().where(Visit.amends_id == target.id))):
        raise Rejected("already_corrected", "The visit was already corrected.")
    check_visit(m)
    members = set(b.s.scalars(select(Person.id).where(Person.household_id == h.id)))
    seen = [str(pid) for pid in dict.fromkeys(m.seen) if pid in members]
    visit = Visit(
        id=m.id,
        household_id=h.id,
        worker_id=b.p.user_id,
        visited_at=aware(m.visited_at),
        outcome=m.outcome,
        notes=m.notes.strip(),
        amends_id=target.id,
        seen=seen,
        flag=flag,
        content_hash=digest,
        articles=visit_articles(m),
        no=allocate(b.s, 1)[0],
        form_seconds=m.form_seconds,
    )
    b.s.add(visit)
    b.s.flush()
    # the corrected visit is superseded whatever its review state (a fact is a fact): the reviewer
    # reviews the amendment, which starts pending; the amendment is an event of the corrected visit
    events.record(
        b.s,
        target.id,
        event_id=mutation_id,
        action="amend",
        from_state=target.review_state,
        to_state=after_amendment(target.review_state),
        actor_id=b.p.user_id,
        mutation_id=mutation_id,
    )
    target.review_state = after_amendment(target.review_state)
    target.sv = None  # its row changed: sent to the laptop with the household's change
    b.changes.review(h)
    for r in m.requests:
        if b.s.get(ResidentRequest, r.id) is not None:
            continue
        b.s.add(
            ResidentRequest(
                id=r.id,
                household_id=h.id,
                visit_id=visit.id,
                category=r.category,
                description=r.description.strip(),
                urgency=r.urgency,
                due_on=r.due_on,
                status="submitted",
            )
        )
        # no ORM relationship orders the two inserts: the request row must exist before its event
        b.s.flush()
        b.s.add(RequestEvent(request_id=r.id, actor_id=b.p.user_id, command="create", to_status="submitted"))
        request_created(b.s, b.changes, h.grid_id, r.id)
    b.s.flush()
    raise_flags(b.s, b.changes, [visit.id], b.streets, amendment=True)
    _recompute_dates(b, h)
    b.bump(h)
    return _applied(h, flag, seen, m, members)


def _recompute_dates(b: Batch, h: Household) -> None:
    """Last met / last attempt from the standing visits (a corrected visit no longer stands)."""
    visits = b.s.execute(
        select(Visit.id, Visit.visited_at, Visit.outcome, Visit.amends_id).where(Visit.household_id == h.id)
    )
    dates = rules.last_visits(rules.VisitFact(v.id, local_day(v.visited_at), v.outcome, v.amends_id) for v in visits)
    h.last_met_on, h.last_attempt_on = dates.met, dates.attempt
