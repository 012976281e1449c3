"""Household and member edits pushed (``household.update``, ``person.*``): field by field, merged
with what others changed since the device's base version. The fields are checked by the same
rules as the laptop's edit (``gridworker_shared.domain.households``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from gridworker_server.models import Conflict, Household, Person
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_shared.domain import households as rules
from gridworker_shared.domain.households import HOUSEHOLD_FIELDS
from gridworker_shared.domain.validation import (
    ValidationError,
    validate_id_number,
    validate_optional_phone,
    validate_person_name,
)
from gridworker_shared.domain.visits import MSG_TOO_LONG
from gridworker_shared.protocol import HouseholdUpdate, PersonCreate, PersonRemove, PersonUpdate

__all__ = ["HOUSEHOLD_FIELDS", "PERSON_FIELDS", "clean_household_field"]

PERSON_FIELDS = ("name", "relation", "sex", "birth_date", "phone", "id_number")


def clean_household_field(name: str, value: Any) -> Any:
    """One field of a household edit, as the shared rule checks it; Rejected when it does not pass
    (the caller refuses a field not in ``HOUSEHOLD_FIELDS`` first)."""
    try:
        return rules.clean_household_change(name, value)
    except ValidationError as exc:
        raise _household_refusal(exc) from exc


def _household_refusal(exc: ValidationError) -> Rejected:
    """A shared rule's refusal of a household edit, in the server's words (code "invalid_value"; the
    ``reason`` picks the app's text)."""
    if exc.template == MSG_TOO_LONG:
        return Rejected("invalid_value", "Notes are too long.", reason="notes_too_long")
    if exc.template == rules.MSG_UNKNOWN_TAG:
        return Rejected("invalid_value", "Unknown care tag.", reason="tag")
    if exc.template == rules.MSG_INTERVAL:
        return Rejected("invalid_value", "The visit interval must be 1 to 365 days.", reason="interval")
    return Rejected("invalid_value", f"{exc.field}: {exc}", field=exc.field)


def _merge(
    b: Batch,
    row: Household | Person,
    entity: str,
    household_id: uuid.UUID,
    base_version: int,
    changes: dict[str, Any],
    previous: dict[str, Any],
    current: dict[str, Any],
    mutation_id: uuid.UUID,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fields nobody else touched since ``base_version`` apply; a field changed on both sides
    takes the last arrival (this edit) and keeps both values in a conflict record."""
    versions = dict(row.field_versions or {})
    applied: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    new_version = row.version + 1
    for name, value in changes.items():
        now_value = current[name]
        if now_value == value:
            continue
        touched = int(versions.get(name, 0)) > base_version
        if touched and now_value != previous.get(name, now_value):
            conflicts.append({"field": name, "kept": value, "overwritten": now_value})
            b.s.add(
                Conflict(
                    entity=entity,
                    entity_id=row.id,
                    household_id=household_id,
                    field=name,
                    kept=value,
                    overwritten=now_value,
                    mutation_id=mutation_id,
                    user_id=b.p.user_id,
                )
            )
        applied[name] = value
        versions[name] = new_version
    if applied:
        row.field_versions = versions
        row.version = new_version
    return applied, conflicts


def update(b: Batch, m: HouseholdUpdate, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    clean: dict[str, Any] = {}
    for name, value in m.changes.items():
        if name not in HOUSEHOLD_FIELDS:
            raise Rejected("unknown_field", f"This field cannot be changed: {name}.", field=name)
        clean[name] = clean_household_field(name, value)
    current = {
        "phone": h.phone,
        "notes": h.notes,
        "tags": sorted(h.tags or []),
        "visit_interval_days": h.visit_interval_days,
    }
    applied, conflicts = _merge(b, h, "household", h.id, m.base_version, clean, m.previous, current, mutation_id)
    for name, value in applied.items():
        setattr(h, name, value)
    if applied:
        b.changes.household(h)
    data = {"version": h.version, "applied": sorted(applied)}
    if conflicts:
        data["conflicts"] = conflicts
        return Outcome(
            "conflict",
            "field_conflict",
            "Someone else changed the same field; your value was kept and theirs recorded for review.",
            data,
        )
    return Outcome(data=data)


def _person_field(name: str, value: Any) -> Any:
    if name == "name":
        return validate_person_name(str(value))
    if name == "relation":
        try:
            return rules.check_relation(value)
        except ValidationError as exc:
            raise Rejected("invalid", "Invalid relation.", reason="relation") from exc
    if name == "sex":
        try:
            return rules.check_sex(value)
        except ValidationError as exc:
            raise Rejected("invalid", "Invalid sex.", reason="sex") from exc
    if name == "birth_date":
        return dt.date.fromisoformat(str(value)) if value else None
    if name == "phone":
        return validate_optional_phone(value)
    return validate_id_number(str(value)) if value else ""  # id_number


def _person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    try:
        for name, value in fields.items():
            if name not in PERSON_FIELDS:
                raise Rejected("unknown_field", f"This field cannot be changed: {name}.", field=name)
            clean[name] = _person_field(name, value)
    except ValidationError as exc:
        raise Rejected("invalid_value", f"{exc.field}: {exc}", field=exc.field) from exc
    except ValueError as exc:
        raise Rejected("invalid_value", str(exc), field="") from exc
    return clean


def person_create(b: Batch, m: PersonCreate, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    fields = _person_fields(m.fields.model_dump(mode="json"))
    existing = b.s.get(Person, m.id)
    if existing is not None:
        if existing.household_id == h.id and existing.name == fields["name"]:
            return Outcome(data={"duplicate": True, "version": existing.version})
        raise Rejected("person_id_reused", "This member id is already used.")
    position = len(list(b.s.scalars(select(Person.id).where(Person.household_id == h.id))))
    person = Person(id=m.id, household_id=h.id, position=position, version=1, **fields)
    b.s.add(person)
    b.s.flush()
    if person.relation == "head":
        h.head_name = person.name
    b.bump(h)
    return Outcome(data={"version": person.version})


def _person(b: Batch, pid: uuid.UUID, h: Household) -> Person:
    person = b.s.get(Person, pid, with_for_update=True)
    if person is None or person.household_id != h.id:
        raise Rejected("person_unknown", "The member does not exist on the server.")
    return person


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def person_update(b: Batch, m: PersonUpdate, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    person = _person(b, m.id, h)
    clean = _person_fields(m.changes)
    current = {
        "name": person.name,
        "relation": person.relation,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "phone": person.phone,
        "id_number": person.id_number,
    }
    previous = dict(m.previous)
    if previous.get("birth_date"):
        previous["birth_date"] = dt.date.fromisoformat(str(previous["birth_date"]))
    applied, conflicts = _merge(b, person, "person", h.id, m.base_version, clean, previous, current, mutation_id)
    for name, value in applied.items():
        setattr(person, name, value)
    if applied:
        if person.relation == "head":
            h.head_name = person.name
        b.bump(h)
    data: dict[str, Any] = {"version": person.version, "applied": sorted(applied)}
    if conflicts:
        data["conflicts"] = [{**c, "kept": _json(c["kept"]), "overwritten": _json(c["overwritten"])} for c in conflicts]
        return Outcome(
            "conflict",
            "field_conflict",
            "Someone else changed the same field; your value was kept and theirs recorded for review.",
            data,
        )
    return Outcome(data=data)


def person_remove(b: Batch, m: PersonRemove, mutation_id: uuid.UUID) -> Outcome:
    h, _ = b.household(m.household_id)
    person = _person(b, m.id, h)
    if person.active:
        person.active = False
        person.version += 1
        b.bump(h)
    return Outcome(data={"version": person.version})
