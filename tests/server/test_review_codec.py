"""The review scope's rows (gridworker_shared.codec.review) as the server sends them: a round trip
(times to the minute), and the lean parts that keep a street's two years of visits small (old events
travel without their ids and with their day only, and come back with a derived id, the same each
time; the members seen as bits, an old plain approval in its visit's row)."""

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
    # an old event: a derived id, its day (after its visit was received) rather than its minute
    assert decoded.events == [approve._replace(id=derived_event_id(hid, 7, 0), at=old.received_at), back, late]
    assert decode_review_household(encode_review_household(decoded)) == decoded
    # the old visit's one plain approval rides in its row ([approver, day]); the others are events
    assert row[2][0][13] == [1, 0] and len(row[3]) == 2 and all(e[0] is not None for e in row[3])
    assert decode_review_household(row) == decoded  # the derived id is the same each time
