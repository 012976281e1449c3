"""A protocol 7 laptop keeps the households it must ask for whole (``PullRequest.whole``): a household row
skipped for the laptop's own unsent work joins them (its visits are not here, and the next row brings only
the visits changed since), an applied row or a removal takes it out. Rows built with the codec's encoders,
as the server writes them."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from gridworker.store.db import Database
from gridworker.store.models import Household, Visit
from gridworker.syncing.apply import apply_page, defer_foreign_keys
from gridworker_server.demo_city import DemoCity
from gridworker_shared.codec import HouseholdRecord, encode_household, pack_id
from gridworker_shared.protocol import PullResponse, grid_scope

EPOCH = uuid.uuid4()


def row(hid: uuid.UUID, gid: uuid.UUID, notes: str) -> list[object]:
    record = HouseholdRecord(
        hid, gid, None, "幸福里", "9", "1", 1, "101", "", notes, [], None, None, None, None, 2, [], [], [], []
    )
    return encode_household(record)


def test_a_skipped_row_is_asked_for_whole_until_applied_or_removed(seeded_db: Database, grid: DemoCity) -> None:
    gid = grid.households[0].grid_id
    skipped, other = grid.households[0].id, grid.households[1].id
    with seeded_db.reading() as s:
        held_visits = set(s.scalars(select(Visit.id).where(Visit.household_id == skipped)))
    whole: set[uuid.UUID] = set()

    with seeded_db.transaction() as s:
        defer_foreign_keys(s)
        page = PullResponse(epoch=EPOCH, upserts={"household": [row(skipped, gid, "服务器"), row(other, gid, "新")]})
        counts = apply_page(s, page, {skipped}, whole)
    assert (counts["applied"], counts["skipped"]) == (1, 1)
    assert whole == {skipped}
    with seeded_db.reading() as s:  # the skipped row changed nothing, the visits held stay
        assert s.get(Household, skipped).notes != "服务器"  # type: ignore[union-attr]
        assert set(s.scalars(select(Visit.id).where(Visit.household_id == skipped))) == held_visits

    with seeded_db.transaction() as s:  # its row again, the unsent work sent: applied, asked no more
        defer_foreign_keys(s)
        apply_page(s, PullResponse(epoch=EPOCH, upserts={"household": [row(skipped, gid, "服务器")]}), set(), whole)
    assert whole == set()

    with seeded_db.transaction() as s:  # skipped again, then removed by a supervisor: nothing to ask for
        defer_foreign_keys(s)
        apply_page(s, PullResponse(epoch=EPOCH, upserts={"household": [row(other, gid, "再")]}), {other}, whole)
        assert whole == {other}
        gone = {grid_scope(gid): {"household": [pack_id(other)]}}
        apply_page(s, PullResponse(epoch=EPOCH, removes=gone), set(), whole)
    assert whole == set()
