"""Applying pulled pages of the guide and of contact cards: articles upserted, withdrawn and reset
(the global scope); workers' cards arriving in grid scopes and leaving them grid by grid; a household's
cards replacing its card history; the articles of a pulled visit. Pages are built with the protocol's
COLUMNS, as the server writes them."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from gridworker.cards.vcard import fallback_code
from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.models import Article, CardIssue, Household, Outbox, VisitArticle, WorkerCard
from gridworker.store.reads import Reader
from gridworker.store.services import LocalStore
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker.ui.cards_batch import card_person
from gridworker.ui.context import Identity
from gridworker_server.demo_city import DemoCity
from gridworker_shared.protocol import COLUMNS, GLOBAL_SCOPE, PullResponse, grid_scope, pack_id

EPOCH = uuid.uuid4()
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 50


def positional(entity: str, **values: Any) -> list[Any]:
    """A row as the server sends it: in COLUMNS order, trailing empties trimmed."""
    row = [values.get(c) for c in COLUMNS[entity]]
    while row and row[-1] in (None, [], ""):
        row.pop()
    return row


def article(slug: str, title: str, version: int = 1, body: str = "正文。") -> list[Any]:
    return positional(
        "article",
        id=pack_id(uuid.uuid5(uuid.NAMESPACE_URL, slug)),
        slug=slug,
        category="policy",
        title=title,
        summary="",
        body=body,
        phones=["12345"],
        effective_from="2026-01-01",
        version=version,
        published_at="2026-11-20T08:00:00+00:00",
    )


def aid(slug: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, slug)


def apply(db: Database, **page: Any) -> dict[str, int]:
    with db.transaction() as s:
        defer_foreign_keys(s)
        return apply_page(s, PullResponse(epoch=EPOCH, **page), pending_households(s))


def articles(db: Database) -> dict[uuid.UUID, tuple[int, str, int]]:
    with db.reading() as s:
        return {a.id: (a.version, a.title, a.read_version) for a in s.scalars(select(Article))}


def workers(db: Database) -> dict[uuid.UUID, WorkerCard]:
    with db.reading() as s:
        return {w.user_id: w for w in s.scalars(select(WorkerCard))}


def test_articles_arrive_update_withdraw_and_reset(db: Database) -> None:
    # the guide's first copy (a new install): nothing in it is "new since the previous sync"
    counts = apply(db, upserts={"article": [article("dibao", "低保怎么申请"), article("yibao", "医保缴费")]})
    assert counts["articles"] == 0
    assert articles(db) == {aid("dibao"): (1, "低保怎么申请", 1), aid("yibao"): (1, "医保缴费", 1)}

    # the same version again is nothing new; a newer one is
    counts = apply(db, upserts={"article": [article("dibao", "低保怎么申请"), article("yibao", "医保缴费（2027）", 2)]})
    assert counts["articles"] == 1
    assert articles(db)[aid("yibao")] == (2, "医保缴费（2027）", 1)  # updated: shows as such

    counts = apply(db, removes={GLOBAL_SCOPE: {"article": [pack_id(aid("yibao"))]}})
    assert counts["articles_removed"] == 1
    assert set(articles(db)) == {aid("dibao")}
    with db.engine.connect() as conn:  # gone from the search too
        assert conn.exec_driver_sql("SELECT count(*) FROM article_fts").scalar() == 1

    # a reset of the guide: cleared and sent again; what was read stays read, only news count
    counts = apply(
        db,
        reset=[GLOBAL_SCOPE],
        upserts={"article": [article("dibao", "低保怎么申请"), article("tips", "电动车充电")]},
    )
    assert counts["articles"] == 1
    assert articles(db) == {aid("dibao"): (1, "低保怎么申请", 1), aid("tips"): (1, "电动车充电", 0)}

    apply(db, removed=[GLOBAL_SCOPE])  # the user left the global scope: no guide
    assert articles(db) == {}


def test_a_reset_over_several_pages_keeps_what_was_read(db: Database) -> None:
    apply(db, upserts={"article": [article("dibao", "低保"), article("yibao", "医保")]})
    with db.engine.begin() as conn:
        from gridworker.guide.store import mark_read

        mark_read(conn, aid("yibao"), 1)
    with db.transaction() as s:  # the engine applies all staged pages in one transaction
        first = apply_page(s, PullResponse(epoch=EPOCH, reset=[GLOBAL_SCOPE]), set())
        second = apply_page(s, PullResponse(epoch=EPOCH, upserts={"article": [article("yibao", "医保")]}), set())
        third = apply_page(s, PullResponse(epoch=EPOCH, upserts={"article": [article("dibao", "低保", 2)]}), set())
    assert (first["articles"], second["articles"], third["articles"]) == (0, 0, 1)
    assert articles(db) == {aid("yibao"): (1, "医保", 1), aid("dibao"): (2, "低保", 1)}  # updated since


def test_only_what_arrives_after_the_first_sync_is_new(db: Database) -> None:
    """A new install's first pull brings the whole guide as read, over several pages; an article
    published later is new, and an article the laptop already had but updated shows as updated."""
    with db.transaction() as s:  # the engine applies all staged pages in one transaction
        one = apply_page(s, PullResponse(epoch=EPOCH, upserts={"article": [article("dibao", "低保")]}), set())
        two = apply_page(s, PullResponse(epoch=EPOCH, upserts={"article": [article("yibao", "医保")]}), set())
        set_meta(s, cursors=json.dumps({GLOBAL_SCOPE: 2}))  # as the engine moves the cursors with them
    assert (one["articles"], two["articles"]) == (0, 0)
    assert articles(db) == {aid("dibao"): (1, "低保", 1), aid("yibao"): (1, "医保", 1)}
    counts = apply(db, upserts={"article": [article("tips", "电动车充电"), article("dibao", "低保", 2)]})
    assert counts["articles"] == 2
    assert articles(db)[aid("tips")] == (1, "电动车充电", 0)  # new
    assert articles(db)[aid("dibao")] == (2, "低保", 1)  # updated


def worker_row(user: uuid.UUID, grids: list[uuid.UUID], phone: str = "13812345678", **more: Any) -> list[Any]:
    return positional(
        "worker",
        id=pack_id(user),
        username=more.get("username", "zhangwei"),
        name=more.get("name", "张伟"),
        phone=phone,
        service_hours=more.get("service_hours", "工作日 8:30–17:30"),
        card_line=more.get("card_line", ""),
        photo=more.get("photo"),
        grids=[pack_id(g) for g in grids],
        card_code=more.get("card_code"),
    )


def test_the_servers_card_code_reaches_the_card(db: Database) -> None:
    """The worker row's trailing card code is stored, read and put on the card; a row without one (an
    older server's) leaves it empty, and a column a later protocol adds after it is left alone."""
    a, b, g = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    apply(
        db,
        upserts={
            "worker": [
                worker_row(a, [g], card_code="12345674"),
                worker_row(b, [g], name="李娜"),
            ]
        },
    )
    reader = Reader(db.path)
    try:
        mine, hers = reader.worker_card(a), reader.worker_card(b)
    finally:
        reader.close()
    assert mine is not None and mine.card_code == "12345674"
    assert hers is not None and hers.card_code == ""
    identity = Identity(a, "zhangwei", "张伟", "")
    assert fallback_code(card_person(mine, None, identity).card_code) == "1234 5674"
    assert fallback_code(card_person(hers, None, identity).card_code) == ""  # no code rather than a shared one
    longer = [*worker_row(b, [g], card_code="76543214"), "a column of a later protocol"]
    apply(db, upserts={"worker": [longer]})
    assert workers(db)[b].card_code == "76543214"


def test_worker_cards_arrive_and_leave_grid_by_grid(db: Database) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    g1, g2 = uuid.uuid4(), uuid.uuid4()
    photo = base64.b64encode(JPEG).decode()
    apply(db, upserts={"worker": [worker_row(a, [g1, g2], photo=photo), worker_row(b, [g2], name="李娜")]})
    cards = workers(db)
    assert cards[a].photo == JPEG and {uuid.UUID(g) for g in cards[a].grids} == {g1, g2}
    assert cards[a].service_hours == "工作日 8:30–17:30" and cards[b].name == "李娜"

    apply(db, removes={grid_scope(g2): {"worker": [pack_id(a), pack_id(b)]}})
    cards = workers(db)
    assert set(cards) == {a}  # b held only g2
    assert [uuid.UUID(g) for g in cards[a].grids] == [g1]

    apply(db, reset=[grid_scope(g1)])  # a reset of g1 clears what it brought
    assert workers(db) == {}
    reader = Reader(db.path)
    assert reader.worker_cards() == []
    reader.close()


def test_own_card_is_kept_while_its_edit_is_unsent(seeded_db: Database, grid: DemoCity) -> None:
    me = grid.workers[0].id
    g = grid.workers[0].grid_id
    with seeded_db.transaction() as s:
        set_meta(s, worker_id=str(me), username="zhangwei", worker_name="张伟")
    store = LocalStore(seeded_db, me)
    store.update_profile("13912345678", "周一至周五", "新的一句话")
    apply(seeded_db, upserts={"worker": [worker_row(me, [g], phone="13800000000", card_line="旧的")]})
    mine = workers(seeded_db)[me]
    assert (mine.phone, mine.card_line) == ("13912345678", "新的一句话")  # the unsent edit stays
    assert [uuid.UUID(x) for x in mine.grids] == [g]  # what the user cannot edit is the server's

    apply(seeded_db, removes={grid_scope(g): {"worker": [pack_id(me)]}})
    mine = workers(seeded_db)[me]
    assert mine.grids == [] and mine.phone == "13912345678"  # the user's own card stays

    with seeded_db.transaction() as s:  # once sent, the server's row is the truth
        for entry in s.scalars(select(Outbox)):
            entry.state = "applied"
    apply(seeded_db, upserts={"worker": [worker_row(me, [g], phone="13912345678", card_line="服务零距离")]})
    assert workers(seeded_db)[me].card_line == "服务零距离"


def household_row(db: Database, hid: uuid.UUID, **values: Any) -> list[Any]:
    with db.reading() as s:
        h = s.get(Household, hid)
        assert h is not None
        base = {
            "id": pack_id(h.id),
            "grid_id": pack_id(h.grid_id),
            "micro_grid_id": pack_id(h.micro_grid_id),
            "compound": h.compound,
            "building": h.building,
            "unit": h.unit,
            "floor": h.floor,
            "room": h.room,
            "phone": h.phone,
            "notes": h.notes,
            "tags": [],
            "registered_on": "2025-01-01",
            "version": h.version + 1,
        }
    return positional("household", **(base | values))


def card(issued: dt.datetime, user: uuid.UUID, reprint: bool = False, layout: str = "sheet") -> list[Any]:
    return positional(
        "card",
        id=pack_id(uuid.uuid4()),
        card_user_id=pack_id(user),
        issued_at=int(issued.timestamp()),
        layout=layout,
        reprint=reprint,
        printed_by=pack_id(user),
    )


def test_a_households_cards_replace_its_history(seeded_db: Database, grid: DemoCity) -> None:
    me = grid.workers[0].id
    hid = grid.households[0].id
    other = grid.households[1].id
    store = LocalStore(seeded_db, me)
    store.record_card_issues(me, [other], "single")
    with seeded_db.transaction() as s:
        for entry in s.scalars(select(Outbox)):
            entry.state = "applied"
    day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    apply(
        seeded_db,
        upserts={
            "worker": [worker_row(me, [grid.workers[0].grid_id], name="王欣怡")],
            "household": [
                household_row(seeded_db, hid, cards=[card(day, me), card(day + dt.timedelta(days=3), me, True)])
            ],
        },
    )
    reader = Reader(seeded_db.path)
    cards = reader.card_issues(hid)
    assert [(c.issued_at, c.reprint, c.card_user_name, c.sync_state) for c in cards] == [
        (dt.datetime(2026, 11, 20, 9, 0), False, "王欣怡", "applied"),
        (dt.datetime(2026, 11, 23, 9, 0), True, "王欣怡", "applied"),
    ]
    assert len(reader.card_issues(other)) == 1  # another household's history is untouched

    apply(seeded_db, upserts={"household": [household_row(seeded_db, hid)]})  # the server has none now
    assert reader.card_issues(hid) == []
    reader.close()


def test_unsent_card_issues_are_not_overwritten(seeded_db: Database, grid: DemoCity) -> None:
    me = grid.workers[0].id
    hid = grid.households[0].id
    LocalStore(seeded_db, me).record_card_issues(me, [hid], "sheet")
    counts = apply(seeded_db, upserts={"household": [household_row(seeded_db, hid)]})
    assert counts["skipped"] == 1
    with seeded_db.reading() as s:
        assert len(s.scalars(select(CardIssue)).all()) == 1


def test_a_pulled_visit_brings_its_articles(seeded_db: Database, grid: DemoCity) -> None:
    hid = grid.households[0].id
    vid = uuid.uuid4()
    visit = positional(
        "visit",
        id=pack_id(vid),
        worker_id=pack_id(grid.workers[0].id),
        visited_at=int(dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC).timestamp()),
        outcome="met",
        notes="讲了低保",
        seen=[0],
        articles=[
            [pack_id(aid("dibao")), 3, "e", "低保怎么申请"],
            [pack_id(aid("dibao")), 3, "h", "低保怎么申请"],
            [pack_id(aid("gone")), 1, "e"],  # a withdrawn article's title may be trimmed away
            [pack_id(aid("x")), 1, "?", "unknown action: ignored"],
        ],
    )
    apply(seeded_db, upserts={"household": [household_row(seeded_db, hid, visits=[visit])]})
    with seeded_db.reading() as s:
        rows = {(r.article_id, r.action): (r.version, r.title) for r in s.scalars(select(VisitArticle))}
    assert rows == {
        (aid("dibao"), "explained"): (3, "低保怎么申请"),
        (aid("dibao"), "handed_out"): (3, "低保怎么申请"),
        (aid("gone"), "explained"): (1, ""),
    }
    reader = Reader(seeded_db.path)
    detail = reader.household_detail(hid)
    assert detail is not None
    [shown] = [v for v in detail.visits if v.id == vid]
    assert [a.action for a in shown.articles] == ["explained", "handed_out", "explained"]
    reader.close()


@pytest.mark.parametrize("scope_change", ["reset", "removed"])
def test_dropping_a_grid_drops_its_households_cards(seeded_db: Database, grid: DemoCity, scope_change: str) -> None:
    me = grid.workers[0].id
    hid = grid.households[0].id
    day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    apply(seeded_db, upserts={"household": [household_row(seeded_db, hid, cards=[card(day, me)])]})
    apply(seeded_db, **{scope_change: [grid_scope(grid.workers[0].grid_id)]})
    with seeded_db.reading() as s:
        assert s.scalars(select(CardIssue)).all() == []
        assert s.get(Household, hid) is None


def test_cards_of_one_second_keep_the_servers_order(seeded_db: Database, grid: DemoCity) -> None:
    """issued_at travels in whole seconds: a first card and its reprint printed in the same second
    stay in the order the server lists them (oldest first)."""
    me = grid.workers[0].id
    hid = grid.households[0].id
    second = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    listed = [card(second, me, False), card(second, me, True), card(second, me, True)]
    apply(seeded_db, upserts={"household": [household_row(seeded_db, hid, cards=listed)]})
    reader = Reader(seeded_db.path)
    assert [c.id for c in reader.card_issues(hid)] == [uuid_of(c) for c in listed]
    reader.close()


def uuid_of(row: list[Any]) -> uuid.UUID:
    from gridworker_shared.protocol import unpack_id

    value = unpack_id(row[0])
    assert value is not None
    return value
