"""The review scope's rows (gridworker_shared.codec.review) as the server sends them: a round trip,
and the lean parts that keep a street's two years of visits small (events of visits sent without
an id travel without theirs and come back with a derived one, the same each time)."""

from __future__ import annotations

import datetime as dt
import uuid

from gridworker_shared.codec import (
    ReviewEventRecord,
    ReviewHouseholdRecord,
    ReviewVisitRecord,
    decode_review_household,
    encode_review_household,
)
from gridworker_shared.codec.review import derived_event_id

T = dt.datetime(2026, 6, 1, 2, 30, tzinfo=dt.UTC)
WORKER, SUPERVISOR = uuid.uuid4(), uuid.uuid4()


def _visit(no: int, vid: uuid.UUID | None, days: int, state: str) -> ReviewVisitRecord:
    at = T + dt.timedelta(days=days)
    return ReviewVisitRecord(
        no, vid, WORKER, at, at + dt.timedelta(hours=5), "met", "宣传防诈骗知识。", None, [0, 2], [], 95, state, []
    )


def test_a_review_row_round_trips_and_old_approvals_travel_without_ids() -> None:
    hid = uuid.uuid4()
    old = _visit(7, None, 0, "approved")
    new = _visit(9120, uuid.uuid4(), 300, "returned")._replace(flags=["late_entry"], amends_no=None)
    approve = ReviewEventRecord(
        uuid.uuid4(), 7, "approve", SUPERVISOR, old.received_at + dt.timedelta(hours=20), "", "", [], "approved", True
    )
    back = ReviewEventRecord(
        uuid.uuid4(),
        9120,
        "return",
        SUPERVISOR,
        new.received_at + dt.timedelta(days=1),
        "incomplete",
        "请补充见到的家庭成员。",
        ["seen"],
        "returned",
        True,
    )
    late = back._replace(id=uuid.uuid4(), action="approve", reason="", comment="", pins=[], effective=False)
    record = ReviewHouseholdRecord(hid, [old, new], [approve, back, late])

    row = encode_review_household(record, ids_since=T + dt.timedelta(days=200))
    decoded = decode_review_household(row)

    assert row[1] == [row[1][0], row[1][1]] and len(row[1]) == 2  # the worker, then the supervisor, once
    assert decoded.visits == [old, new]
    assert decoded.events == [approve._replace(id=derived_event_id(hid, 7, 0)), back, late]
    assert decode_review_household(encode_review_household(decoded)) == decoded
    assert row[3][0][0] is None and row[3][1][0] is not None  # older than ids_since: no id of its own
    assert decode_review_household(row) == decoded  # the derived id is the same each time
