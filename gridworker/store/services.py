"""User actions on the local store. Each is one transaction: the domain rows and their outbox entry
commit together or not at all (SYNC.md, Client). Rows that a pull applies never come through here,
so nothing here has to guess whether a write is the user's.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session, aliased, selectinload

from gridworker.store.db import Database
from gridworker.store.models import (
    CardIssue,
    Draft,
    Household,
    HouseholdTag,
    Meta,
    Outbox,
    Person,
    ResidentRequest,
    SearchKey,
    Visit,
    VisitArticle,
    VisitPerson,
    WorkerCard,
    utcnow,
)
from gridworker_shared.domain.codes import CARE_TAG_BY_CODE, QT_TRANSLATE_NOOP, RELATION_BY_CODE, SEX_BY_CODE
from gridworker_shared.domain.households import (
    CARD_LAYOUTS,
    MAX_CARD_LINE,
    MAX_NOTES,
    MAX_SERVICE_HOURS,
    MSG_TOO_LONG,
    PersonInput,
    VisitInput,
    due_on,
    interval_for,
    request_due,
    validate_interval,
    validate_visit,
)
from gridworker_shared.domain.search import AddressParts, household_search_keys
from gridworker_shared.domain.validation import (
    ValidationError,
    id_birth_date,
    id_sex,
    normalize_text,
    validate_birth_date,
    validate_id_number,
    validate_optional_phone,
    validate_person_name,
)
from gridworker_shared.faults import crash_point
from gridworker_shared.protocol import (
    MAX_PHOTO_BYTES,
    AnyMutation,
    HouseholdUpdate,
    Mutation,
    Outcome,
    PersonCreate,
    PersonFields,
    PersonRemove,
    PersonUpdate,
    ProfileUpdate,
    RequestNew,
    VisitAmend,
    VisitCreate,
)
from gridworker_shared.protocol import CardIssue as CardIssueMutation

MSG_NO_HOUSEHOLD = QT_TRANSLATE_NOOP("validation", "This household is no longer in your list.")
MSG_NO_VISIT = QT_TRANSLATE_NOOP("validation", "The visit to correct was not found.")
MSG_VISIT_SAVED_ELSEWHERE = QT_TRANSLATE_NOOP(
    "validation",
    "This visit was already saved with other details (from another window). Close this form; to change "
    "the saved visit, correct it from the household's visit history.",
)
MSG_ALREADY_CORRECTED = QT_TRANSLATE_NOOP(
    "validation", "This visit has already been corrected; correct the latest correction instead."
)
MSG_NO_PERSON = QT_TRANSLATE_NOOP("validation", "This member is no longer in the household.")
MSG_UNKNOWN_TAG = QT_TRANSLATE_NOOP("validation", "Unknown tag: {tag}.")
MSG_RELATION = QT_TRANSLATE_NOOP("validation", "Choose the member's relation to the head of household.")
MSG_SEX = QT_TRANSLATE_NOOP("validation", "Choose male or female, or leave it empty.")
MSG_ID_SEX_MALE = QT_TRANSLATE_NOOP("validation", "The ID number is a man's; check the sex or the number.")
MSG_ID_SEX_FEMALE = QT_TRANSLATE_NOOP("validation", "The ID number is a woman's; check the sex or the number.")
MSG_ID_BIRTH = QT_TRANSLATE_NOOP(
    "validation", "The ID number says this person was born on {date}; check the birth date or the number."
)
MSG_KEEP_HEAD = QT_TRANSLATE_NOOP(
    "validation", "A household needs a head: make another member the head; this one then becomes “other”."
)
MSG_ID_TAKEN = QT_TRANSLATE_NOOP("validation", "{name} in this household already has this ID number.")
MSG_LAST_HEAD = QT_TRANSLATE_NOOP(
    "validation", "The head of household cannot be marked as moved out; make another member the head first."
)
MSG_CARD_LAYOUT = QT_TRANSLATE_NOOP("validation", "Choose a card layout: single card, A4 sheet or A3 poster.")
MSG_NO_CARD_HOUSEHOLDS = QT_TRANSLATE_NOOP("validation", "Choose at least one household for the cards.")
MSG_PHOTO_TOO_BIG = QT_TRANSLATE_NOOP(
    "validation", "The photo is {size} KB; a card photo is at most {limit} KB. Choose a smaller picture."
)
MSG_PHOTO_FORMAT = QT_TRANSLATE_NOOP("validation", "The photo must be a JPEG or PNG picture.")


class _Keep:
    """``update_profile(photo=KEEP)``: leave the photo as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def _card_text(value: str) -> str:
    """Trimmed, runs of spaces made one; full-width punctuation kept (the card is Chinese: ，stays ，)."""
    return " ".join(value.split())


def is_card_photo(data: bytes) -> bool:
    """A JPEG or a PNG file, by its first bytes."""
    return data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def to_utc_naive(value: dt.datetime) -> dt.datetime:
    """Aware (or naive local) time to the naive UTC the database stores."""
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def local_date(utc_naive: dt.datetime) -> dt.date:
    """The local calendar date of a stored (naive UTC) timestamp."""
    return utc_naive.replace(tzinfo=dt.UTC).astimezone().date()


def validate_person(person: PersonInput, today: dt.date) -> PersonInput:
    name = validate_person_name(person.name)
    if person.relation not in RELATION_BY_CODE:
        raise ValidationError("relation", MSG_RELATION)
    if person.sex and person.sex not in SEX_BY_CODE:
        raise ValidationError("sex", MSG_SEX)
    id_number = validate_id_number(person.id_number, today=today) if normalize_text(person.id_number) else ""
    sex, birth = person.sex, person.birth_date
    if birth is not None:
        validate_birth_date(birth, today=today)
    if id_number:
        if sex and sex != id_sex(id_number):
            raise ValidationError("sex", MSG_ID_SEX_MALE if id_sex(id_number) == "male" else MSG_ID_SEX_FEMALE)
        if birth is not None and birth != id_birth_date(id_number):
            raise ValidationError("birth_date", MSG_ID_BIRTH, date=id_birth_date(id_number).isoformat())
        sex, birth = id_sex(id_number), id_birth_date(id_number)
    phone = validate_optional_phone(person.phone)
    return PersonInput(name, person.relation, sex, birth, phone, id_number)


def _person_fields(p: PersonInput) -> dict[str, Any]:
    return {
        "name": p.name,
        "relation": p.relation,
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "phone": p.phone,
        "id_number": p.id_number,
    }


def index_household(session: Session, household: Household) -> None:
    """Rebuild the search keys of one household from its current rows."""
    session.execute(delete(SearchKey).where(SearchKey.household_id == household.id))
    keys = household_search_keys(
        AddressParts(household.compound, household.building, household.unit, household.room),
        household.head_name,
        household.phone,
        ((m.name, m.phone, m.id_number) for m in household.members if m.active),
    )
    if keys:
        session.execute(insert(SearchKey), [{"key": k, "household_id": household.id} for k in keys])


class LocalStore:
    """The worker's actions, each one transaction with its outbox entry. No Qt."""

    def __init__(self, db: Database, worker_id: uuid.UUID, clock: Callable[[], dt.datetime] = local_now) -> None:
        self.db = db
        self.worker_id = worker_id
        self.clock = clock

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _enqueue(session: Session, mutation: AnyMutation, entity_id: uuid.UUID, household_id: uuid.UUID | None) -> None:
        session.add(
            Outbox(
                kind=mutation.kind,
                entity_id=entity_id,
                household_id=household_id,
                payload=mutation.model_dump(mode="json"),
            )
        )

    @staticmethod
    def _household(session: Session, household_id: uuid.UUID) -> Household:
        household = session.get(
            Household, household_id, options=[selectinload(Household.members), selectinload(Household.tags)]
        )
        if household is None:
            raise ValidationError("household", MSG_NO_HOUSEHOLD)
        return household

    @staticmethod
    def _refresh_due(household: Household) -> None:
        registered = local_date(household.created_at)
        household.due_on = due_on(household.last_met_on, household.visit_interval_days, registered)

    # -- visits --------------------------------------------------------------------------------

    def record_visit(self, visit: VisitInput, draft_key: str | None = None) -> uuid.UUID:
        return self._write_visit(visit, None, draft_key)

    def amend_visit(self, amends: uuid.UUID, visit: VisitInput, draft_key: str | None = None) -> uuid.UUID:
        return self._write_visit(visit, amends, draft_key)

    def _write_visit(self, visit: VisitInput, amends: uuid.UUID | None, draft_key: str | None) -> uuid.UUID:
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
                original = s.get(Visit, amends)
                if original is None or original.household_id != household.id:
                    raise ValidationError("amends", MSG_NO_VISIT)
                if s.scalar(select(Visit.id).where(Visit.amends_id == amends).limit(1)) is not None:
                    raise ValidationError("amends", MSG_ALREADY_CORRECTED)
            members = {m.id for m in household.members if m.active}
            visit = validate_visit(visit, members, now)
            assert visit.visited_at is not None
            s.add(
                Visit(
                    id=visit.id,
                    household_id=household.id,
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
            s.add_all(
                ResidentRequest(
                    id=r.id,
                    household_id=household.id,
                    visit_id=visit.id,
                    category=r.category,
                    description=r.description,
                    urgency=r.urgency,
                    due_on=r.due_on,
                )
                for r in requests
            )
            s.flush()
            self._refresh_visit_dates(s, household)
            fields = {
                "id": visit.id, "household_id": household.id, "visited_at": visit.visited_at,
                "outcome": cast(Outcome, visit.outcome), "notes": visit.notes, "seen": visit.seen,
                "requests": requests,
                "articles": [
                    {"id": a.id, "version": a.version, "action": a.action, "title": a.title} for a in visit.articles
                ],
            }  # fmt: skip
            mutation: Mutation = (
                VisitCreate.model_validate(fields)
                if amends is None
                else VisitAmend.model_validate({**fields, "amends": amends})
            )
            self._enqueue(s, mutation, visit.id, household.id)
            if draft_key:
                s.execute(delete(Draft).where(Draft.key == draft_key))
            s.flush()
            crash_point("visit_before_commit")
        crash_point("visit_after_commit")
        return visit.id

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

    @staticmethod
    def _refresh_visit_dates(s: Session, household: Household) -> None:
        """Last met, last attempt and the due date, from the visits that stand (a corrected visit
        counts through its correction only), so a correction can move them back as well as forward."""
        amendment = aliased(Visit)
        standing = (
            select(Visit.visited_at, Visit.outcome)
            .where(Visit.household_id == household.id)
            .where(~exists().where(amendment.amends_id == Visit.id))
        )
        met: dt.date | None = None
        attempt: dt.date | None = None
        for when, outcome in s.execute(standing):
            day = local_date(when)
            attempt = max(attempt, day) if attempt else day
            if outcome == "met":
                met = max(met, day) if met else day
        household.last_met_on, household.last_attempt_on = met, attempt
        LocalStore._refresh_due(household)

    # -- household facts -------------------------------------------------------------------------

    def update_household(self, household_id: uuid.UUID, changes: dict[str, Any]) -> bool:
        """Apply edited fields (phone, notes, tags, visit_interval_days: None follows the tags).
        Returns False, writing nothing, when no value actually changed."""
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "phone":
                clean[name] = validate_optional_phone(value)
            elif name == "notes":
                text = str(value).strip()
                if len(text) > MAX_NOTES:
                    raise ValidationError("notes", MSG_TOO_LONG, limit=MAX_NOTES, length=len(text))
                clean[name] = text
            elif name == "tags":
                for tag in value:
                    if tag not in CARE_TAG_BY_CODE:
                        raise ValidationError("tags", MSG_UNKNOWN_TAG, tag=tag)
                clean[name] = sorted(set(value))
            elif name == "visit_interval_days":
                clean[name] = validate_interval(value)
            else:
                raise KeyError(name)
        with self.db.transaction() as s:
            household = self._household(s, household_id)
            current = {
                "phone": household.phone,
                "notes": household.notes,
                "tags": sorted(t.tag for t in household.tags),
                "visit_interval_days": household.visit_interval_days if household.interval_fixed else None,
            }
            changed = {k: v for k, v in clean.items() if current[k] != v}
            if not changed:
                return False
            previous = {k: current[k] for k in changed}
            if "phone" in changed:
                household.phone = changed["phone"]
            if "notes" in changed:
                household.notes = changed["notes"]
            if "tags" in changed:
                household.tags = [HouseholdTag(tag=t) for t in changed["tags"]]
            fixed = changed.get("visit_interval_days", current["visit_interval_days"])
            tags = cast(list[str], changed["tags"] if "tags" in changed else current["tags"])
            household.interval_fixed = fixed is not None
            household.visit_interval_days = interval_for(tags, fixed)
            self._refresh_due(household)
            if "phone" in changed:
                s.flush()
                index_household(s, household)
            self._enqueue(
                s,
                HouseholdUpdate(
                    household_id=household.id,
                    base_version=household.version,
                    changes=changed,
                    previous=previous,
                ),
                household.id,
                household.id,
            )
            s.flush()
            crash_point("household_before_commit")
        return True

    def add_person(self, household_id: uuid.UUID, person: PersonInput) -> uuid.UUID:
        person = validate_person(person, self.clock().date())
        with self.db.transaction() as s:
            household = self._household(s, household_id)
            self._check_unique_id(household, person.id_number, None)
            self._check_head(household, None, person.relation)
            row = Person(
                household_id=household.id,
                position=max((m.position for m in household.members), default=-1) + 1,
                **_person_columns(person),
            )
            household.members.append(row)
            s.flush()
            if person.relation == "head":
                self._hand_over(s, household, row)
            self._sync_head_name(household)
            s.flush()
            index_household(s, household)
            self._enqueue(
                s,
                PersonCreate(id=row.id, household_id=household.id, fields=PersonFields(**_person_fields(person))),
                row.id,
                household.id,
            )
            return row.id

    def update_person(self, person_id: uuid.UUID, person: PersonInput) -> bool:
        person = validate_person(person, self.clock().date())
        with self.db.transaction() as s:
            row = s.get(Person, person_id)
            if row is None or not row.active:
                raise ValidationError("person", MSG_NO_PERSON)
            household = self._household(s, row.household_id)
            self._check_unique_id(household, person.id_number, row.id)
            self._check_head(household, row, person.relation)
            before = _person_fields(
                PersonInput(row.name, row.relation, row.sex, row.birth_date, row.phone, row.id_number)
            )
            after = _person_fields(person)
            changed = {k: v for k, v in after.items() if before[k] != v}
            if not changed:
                return False
            for k, v in _person_columns(person).items():
                setattr(row, k, v)
            if person.relation == "head":
                self._hand_over(s, household, row)
            self._sync_head_name(household)
            s.flush()
            index_household(s, household)
            self._enqueue(
                s,
                PersonUpdate(
                    id=row.id,
                    household_id=household.id,
                    base_version=row.version,
                    changes=changed,
                    previous={k: before[k] for k in changed},
                ),
                row.id,
                household.id,
            )
            return True

    def remove_person(self, person_id: uuid.UUID) -> None:
        with self.db.transaction() as s:
            row = s.get(Person, person_id)
            if row is None or not row.active:
                raise ValidationError("person", MSG_NO_PERSON)
            if row.relation == "head":
                raise ValidationError("person", MSG_LAST_HEAD)
            household = self._household(s, row.household_id)
            row.active = False
            s.flush()
            index_household(s, household)
            self._enqueue(
                s,
                PersonRemove(id=row.id, household_id=household.id, base_version=row.version),
                row.id,
                household.id,
            )

    @staticmethod
    def _check_head(household: Household, member: Person | None, relation: str) -> None:
        """The head stays the head until another member is made head (one step, see _hand_over)."""
        head = next((m for m in household.members if m.active and m.relation == "head"), None)
        if member is not None and member is head and relation != "head":
            raise ValidationError("relation", MSG_KEEP_HEAD)

    def _hand_over(self, s: Session, household: Household, new_head: Person) -> None:
        """Exactly one head: making a member head makes the previous head an "other" member, in the
        same transaction and with its own outbox entry (the server merges it like any member edit)."""
        for old in household.members:
            if old.active and old.relation == "head" and old is not new_head:
                old.relation = "other"
                self._enqueue(
                    s,
                    PersonUpdate(
                        id=old.id,
                        household_id=household.id,
                        base_version=old.version,
                        changes={"relation": "other"},
                        previous={"relation": "head"},
                    ),
                    old.id,
                    household.id,
                )

    @staticmethod
    def _sync_head_name(household: Household) -> None:
        head = next((m for m in household.members if m.active and m.relation == "head"), None)
        if head is not None:
            household.head_name = head.name

    @staticmethod
    def _check_unique_id(household: Household, id_number: str, own: uuid.UUID | None) -> None:
        if not id_number:
            return
        for m in household.members:
            if m.active and m.id != own and m.id_number == id_number:
                raise ValidationError("id_number", MSG_ID_TAKEN, name=m.name)

    # -- contact cards ---------------------------------------------------------------------------

    def record_card_issues(
        self,
        card_user_id: uuid.UUID,
        household_ids: list[uuid.UUID],
        layout: str,
        issued_at: dt.datetime | None = None,
    ) -> list[uuid.UUID]:
        """Cards of ``card_user_id`` handed to households (a printed batch): one card_issue row and one
        ``card.issue`` outbox entry per household, in one transaction. A household that already had a
        card of that worker on this laptop gets a reprint (the server decides for good). Returns the
        new issues' ids, in the order of ``household_ids`` (each household once)."""
        if layout not in CARD_LAYOUTS:
            raise ValidationError("layout", MSG_CARD_LAYOUT)
        wanted = list(dict.fromkeys(household_ids))
        if not wanted:
            raise ValidationError("households", MSG_NO_CARD_HOUSEHOLDS)
        when = issued_at or self.clock()
        if when.tzinfo is None:
            when = when.astimezone()
        stored = to_utc_naive(when)
        ids: list[uuid.UUID] = []
        with self.db.transaction() as s:
            present = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                present |= set(s.scalars(select(Household.id).where(Household.id.in_(chunk))))
            if len(present) != len(wanted):
                raise ValidationError("households", MSG_NO_HOUSEHOLD)
            earlier: set[uuid.UUID] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                earlier |= set(
                    s.scalars(
                        select(CardIssue.household_id)
                        .where(CardIssue.card_user_id == card_user_id, CardIssue.household_id.in_(chunk))
                        .distinct()
                    )
                )
            for household_id in wanted:
                issue = CardIssue(
                    id=uuid.uuid4(),
                    household_id=household_id,
                    card_user_id=card_user_id,
                    issued_at=stored,
                    layout=layout,
                    reprint=household_id in earlier,
                    printed_by=self.worker_id,
                )
                s.add(issue)
                self._enqueue(
                    s,
                    CardIssueMutation.model_validate(
                        {
                            "id": issue.id,
                            "household_id": household_id,
                            "card_user_id": card_user_id,
                            "issued_at": when,
                            "layout": layout,
                        }
                    ),
                    issue.id,
                    household_id,
                )
                ids.append(issue.id)
            s.flush()
        return ids

    def update_profile(
        self, phone: str, service_hours: str, card_line: str, photo: bytes | _Keep | None = KEEP
    ) -> bool:
        """The signed-in user's own card: phone, service hours, a short line, the photo (bytes of a
        JPEG or PNG of at most MAX_PHOTO_BYTES, None to remove it, KEEP to leave it). The local card
        and a ``profile.update`` entry in one transaction; False, writing nothing, when nothing changed."""
        clean_phone = validate_optional_phone(phone)
        hours = _card_text(service_hours)
        if len(hours) > MAX_SERVICE_HOURS:
            raise ValidationError("service_hours", MSG_TOO_LONG, limit=MAX_SERVICE_HOURS, length=len(hours))
        line = _card_text(card_line)
        if len(line) > MAX_CARD_LINE:
            raise ValidationError("card_line", MSG_TOO_LONG, limit=MAX_CARD_LINE, length=len(line))
        if isinstance(photo, bytes):
            if len(photo) > MAX_PHOTO_BYTES:
                raise ValidationError(
                    "photo", MSG_PHOTO_TOO_BIG, size=(len(photo) + 1023) // 1024, limit=MAX_PHOTO_BYTES // 1024
                )
            if not is_card_photo(photo):
                raise ValidationError("photo", MSG_PHOTO_FORMAT)
        with self.db.transaction() as s:
            card = s.get(WorkerCard, self.worker_id)
            old_photo = card.photo if card is not None else None
            before = (card.phone, card.service_hours, card.card_line) if card is not None else ("", "", "")
            new_photo = old_photo if isinstance(photo, _Keep) else photo
            if (clean_phone, hours, line) == before and new_photo == old_photo:
                return False
            if card is None:
                meta = {key: value for key, value in s.execute(select(Meta.key, Meta.value))}
                card = WorkerCard(
                    user_id=self.worker_id,
                    username=meta.get("username", ""),
                    name=meta.get("worker_name", ""),
                    grids=[],
                )
                s.add(card)
            card.phone, card.service_hours, card.card_line, card.photo = clean_phone, hours, line, new_photo
            sent: str | None = None  # the photo is sent only when it changed
            if new_photo != old_photo:
                sent = base64.b64encode(new_photo).decode("ascii") if new_photo else ""
            self._enqueue(
                s,
                ProfileUpdate(phone=clean_phone, service_hours=hours, card_line=line, photo=sent),
                self.worker_id,
                None,
            )
            s.flush()
        return True

    # -- drafts ----------------------------------------------------------------------------------

    def save_draft(self, key: str, kind: str, household_id: uuid.UUID | None, payload: dict[str, Any]) -> bool:
        """Keep a form in progress. A draft of a visit already saved is not kept (a late write from
        the form must not bring back what was just recorded). False when nothing was kept."""
        with self.db.transaction() as s:
            visit_id = payload.get("visit_id")
            if visit_id and s.get(Visit, uuid.UUID(visit_id)) is not None:
                s.execute(delete(Draft).where(Draft.key == key))
                return False
            draft = s.get(Draft, key)
            if draft is None:
                s.add(Draft(key=key, kind=kind, household_id=household_id, payload=payload))
            else:
                draft.payload = payload
                draft.updated_at = utcnow()
        return True

    def discard_draft(self, key: str) -> None:
        with self.db.transaction() as s:
            s.execute(delete(Draft).where(Draft.key == key))


def _person_columns(p: PersonInput) -> dict[str, Any]:
    return {
        "name": p.name,
        "relation": p.relation,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "phone": p.phone,
        "id_number": p.id_number,
    }
