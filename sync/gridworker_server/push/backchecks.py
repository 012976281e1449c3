"""A back-check's result pushed (``backcheck.result``): the call-back made, its outcome recorded.

Only a reviewer of the household's area calls: a station for its community, a supervisor for their
street, an admin; never the worker whose visit it is (a worker who also reviews cannot check their
own work). 属实 (confirmed) and 不属实 (denied) close the back-check: a later result is refused
(``backcheck_closed``) and the reviewer's copy gets the server's row again; 无法联系 (unreachable) may
be followed by another call. The same mutation sent again is answered from the mutation log, as any.
"""

from __future__ import annotations

import uuid

from gridworker_server.models import Backcheck, Household, Visit, utcnow
from gridworker_server.push.batch import Batch, Outcome, Rejected
from gridworker_shared.domain.backchecks import FINAL_RESULTS
from gridworker_shared.protocol import BackcheckResult, review_scope

CALLERS = ("station", "supervisor", "admin")


def result(b: Batch, m: BackcheckResult, mutation_id: uuid.UUID) -> Outcome:
    if b.p.role not in CALLERS:
        raise Rejected("backcheck_not_allowed", "Only a station or a supervisor records a back-check.")
    check = b.s.get(Backcheck, m.id, with_for_update=True)
    visit = None if check is None else b.s.get(Visit, check.visit_id)
    if check is None or visit is None or visit.household_id != m.household_id:
        raise Rejected("backcheck_unknown", "The back-check does not exist on the server.")
    h, _ = b.household(m.household_id)
    if check.worker_id == b.p.user_id:
        raise Rejected("backcheck_own_visit", "A back-check of your own visit is made by someone else.")
    if check.result in FINAL_RESULTS:
        raise Rejected(
            "backcheck_closed",
            f"The back-check was already recorded as {check.result}; it cannot change.",
            result=check.result,
        )
    check.result = m.result
    check.note = m.note.strip()
    check.checked_by = b.p.user_id
    check.checked_at = utcnow()
    check.mutation_id = mutation_id
    b.s.flush()
    b.changes.upsert(review_scope(h.grid_id), "backcheck", check.id)
    return Outcome(data={"result": check.result})


def resend(b: Batch, backcheck_id: object) -> None:
    """A refused result leaves the reviewer's copy with its own: send it the server's row again."""
    try:
        bid = uuid.UUID(str(backcheck_id))
    except ValueError:
        return
    check = b.s.get(Backcheck, bid)
    visit = None if check is None else b.s.get(Visit, check.visit_id)
    h = None if visit is None else b.s.get(Household, visit.household_id)
    if check is not None and h is not None and h.grid_id in b.grids:
        b.changes.upsert(review_scope(h.grid_id), "backcheck", check.id)
