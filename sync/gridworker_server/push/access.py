"""The access trail pushed (``access.log``, issue 14): a user revealed a resident's masked ID number
or phone, exported or printed personal data. Kept once by its id (a resend or a replay is answered
``duplicate`` and stores nothing more). A reveal follows the shared rule
(``gridworker_shared.domain.masking.may_reveal``): a worker their grids' households, a station or a
supervisor their area's, an admin any, a department none. A household outside the user's scope is
refused and nothing is stored: the trail holds what the user could see, and a device cannot write
into another area's trail."""

from __future__ import annotations

import uuid

from gridworker_server.models import AccessEvent, Household, utcnow
from gridworker_server.push.batch import Batch, Outcome, Rejected, aware
from gridworker_shared.domain.masking import may_reveal
from gridworker_shared.protocol import AccessLog


def log(b: Batch, m: AccessLog, _mutation_id: uuid.UUID) -> Outcome:
    existing = b.s.get(AccessEvent, m.id)
    if existing is not None:
        if existing.user_id == b.p.user_id:
            return Outcome(data={"duplicate": True})
        raise Rejected("access_id_reused", "The access event id is already used.")
    if m.action == "reveal" and (m.household_id is None or not m.field):
        raise Rejected("invalid", "A reveal names the household and the field.", reason="reveal_target")
    if b.p.role == "department" and (m.action == "reveal" or m.household_id is not None):
        raise Rejected("reveal_not_allowed", "A department does not see residents' ID numbers or phones.")
    household: Household | None = None
    if m.household_id is not None:
        household = b.loaded(m.household_id, lock=False)
        if household is None:
            raise Rejected("household_unknown", "The household does not exist on the server.")
        in_scope = household.grid_id in b.grids
        if m.action == "reveal" and not may_reveal(b.p.role, in_own_scope=in_scope):
            raise Rejected("out_of_scope", "This household is not in your grid.")
        if not in_scope and b.p.role != "admin":
            raise Rejected("out_of_scope", "This household is not in your grid.")
    org_unit = b.p.org_unit_id
    if org_unit is None and household is not None:
        org_unit = household.grid_id
    if org_unit is None and len(b.grids) == 1:
        org_unit = next(iter(b.grids))
    b.s.add(
        AccessEvent(
            id=m.id,
            user_id=b.p.user_id,
            device_id=b.p.device_id,
            action=m.action,
            household_id=m.household_id,
            person_id=m.person_id,
            field=m.field,
            what=m.what.strip(),
            rows=m.rows,
            org_unit_id=org_unit,
            at=aware(m.at),
            received_at=utcnow(),
        )
    )
    b.s.flush()
    return Outcome()
