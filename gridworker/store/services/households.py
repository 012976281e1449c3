"""A household's facts and its members, edited on the laptop: the rows, the search keys and the
``household.update`` / ``person.*`` outbox entries in one transaction. The fields are checked by the
rules the server applies too (``gridworker_shared.domain.households``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy.orm import Session

from gridworker.store.models import Household, HouseholdTag, Person
from gridworker.store.services.base import StoreBase, index_household
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.households import (
    HOUSEHOLD_FIELDS,
    PersonInput,
    check_relation,
    check_sex,
    clean_household_change,
    interval_for,
)
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
from gridworker_shared.protocol import HouseholdUpdate, PersonCreate, PersonFields, PersonRemove, PersonUpdate

MSG_NO_PERSON = QT_TRANSLATE_NOOP("validation", "This member is no longer in the household.")
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


def validate_person(person: PersonInput, today: dt.date) -> PersonInput:
    name = validate_person_name(person.name)
    check_relation(person.relation)
    check_sex(person.sex)
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


def _person_fields(p: PersonInput) -> PersonFields:
    return PersonFields(
        name=p.name, relation=p.relation, sex=p.sex, birth_date=p.birth_date, phone=p.phone, id_number=p.id_number
    )


def _person_columns(p: PersonInput) -> dict[str, Any]:
    return {
        "name": p.name,
        "relation": p.relation,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "phone": p.phone,
        "id_number": p.id_number,
    }


class HouseholdActions(StoreBase):
    def update_household(self, household_id: uuid.UUID, changes: dict[str, Any]) -> bool:
        """Edit the household's own fields (phone, notes, tags, visit_interval_days: None follows the tags).
        Returns False, writing nothing, when no value actually changed."""
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in HOUSEHOLD_FIELDS:
                raise KeyError(name)
            clean[name] = clean_household_change(name, value)
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
                PersonCreate(id=row.id, household_id=household.id, fields=_person_fields(person)),
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
            ).model_dump(mode="json")
            after = _person_fields(person).model_dump(mode="json")
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
