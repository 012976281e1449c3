"""Guide articles on visits, contact cards handed out and the worker's own card: each a user action that
writes its rows and its outbox entries in one transaction, with payloads the protocol accepts; bad input
changes nothing. And the reads the screens use for them."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.models import CardIssue, Outbox, VisitArticle, WorkerCard
from gridworker.store.reads import Reader
from gridworker.store.services import KEEP, LocalStore
from gridworker_server.demo_city import DemoCity
from gridworker_shared.domain.households import MAX_ARTICLES, ArticleInput, VisitInput, walk_key
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import MAX_PHOTO_BYTES, ProfileUpdate, VisitAmend, VisitCreate
from gridworker_shared.protocol import CardIssue as CardIssueMessage
from tests.helpers.data import counts

NOW = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DIBAO = uuid.UUID("7d7c4a55-5c0e-5b8a-9a4e-3f3c1f0b2a11")
YIBAO = uuid.UUID("1c2b3a49-8f7e-5d6c-b5a4-938271605f4e")
# the smallest files that are what they say: a JPEG's and a PNG's first bytes
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture
def fixed_store(seeded_db: Database, grid: DemoCity) -> LocalStore:
    with seeded_db.transaction() as s:
        set_meta(s, worker_id=str(grid.workers[0].id), username=grid.workers[0].username, worker_name="张伟")
    return LocalStore(seeded_db, grid.workers[0].id, clock=lambda: NOW)


def household(grid: DemoCity, index: int = 0) -> tuple[uuid.UUID, list[uuid.UUID]]:
    h = [h for h in grid.households if h.members][index]
    return h.id, [m.id for m in h.members]


def outbox(db: Database) -> list[Outbox]:
    with db.reading() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


# --- articles on a visit ------------------------------------------------------------------------------


def test_a_visit_keeps_its_articles_and_sends_them(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = household(grid)
    articles = [
        ArticleInput(DIBAO, 3, "explained", " 最低生活保障（低保）怎么申请 "),
        ArticleInput(DIBAO, 3, "handed_out", "最低生活保障（低保）怎么申请"),
        ArticleInput(YIBAO, 1, "explained", "城乡居民医保缴费指南"),
        ArticleInput(YIBAO, 1, "explained", "城乡居民医保缴费指南"),  # ticked twice: once
    ]
    visit_id = fixed_store.record_visit(VisitInput(hid, "met", members[:1], visited_at=NOW, articles=articles))
    with fixed_store.db.reading() as s:
        rows = {(r.article_id, r.action): (r.version, r.title) for r in s.scalars(select(VisitArticle))}
    assert rows == {
        (DIBAO, "explained"): (3, "最低生活保障（低保）怎么申请"),
        (DIBAO, "handed_out"): (3, "最低生活保障（低保）怎么申请"),
        (YIBAO, "explained"): (1, "城乡居民医保缴费指南"),
    }
    [entry] = outbox(fixed_store.db)
    message = VisitCreate.model_validate(entry.payload)
    assert [(a.id, a.version, a.action) for a in message.articles] == [
        (DIBAO, 3, "explained"),
        (DIBAO, 3, "handed_out"),
        (YIBAO, 1, "explained"),
    ]
    assert message.articles[0].title == "最低生活保障（低保）怎么申请"
    detail = Reader(fixed_store.db.path).household_detail(hid)
    assert detail is not None
    visit = next(v for v in detail.visits if v.id == visit_id)
    assert [(a.id, a.action, a.version) for a in visit.articles] == [
        (DIBAO, "explained", 3),
        (DIBAO, "handed_out", 3),
        (YIBAO, "explained", 1),
    ]


def test_a_correction_carries_its_own_articles(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = household(grid)
    first = fixed_store.record_visit(VisitInput(hid, "met", members[:1], visited_at=NOW))
    fixed_store.amend_visit(
        first,
        VisitInput(hid, "met", members[:1], visited_at=NOW, articles=[ArticleInput(DIBAO, 2, "handed_out", "低保")]),
    )
    amend = VisitAmend.model_validate(outbox(fixed_store.db)[-1].payload)
    assert [(a.id, a.action) for a in amend.articles] == [(DIBAO, "handed_out")]


def test_saving_twice_with_other_articles_is_refused(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = household(grid)
    visit = VisitInput(hid, "met", members[:1], visited_at=NOW, articles=[ArticleInput(DIBAO, 1, "explained", "低保")])
    fixed_store.record_visit(visit)
    fixed_store.record_visit(visit)  # the same form saved twice: once
    assert len(outbox(fixed_store.db)) == 1
    other = VisitInput(hid, "met", members[:1], visited_at=NOW, id=visit.id)
    with pytest.raises(ValidationError):
        fixed_store.record_visit(other)


@pytest.mark.parametrize(
    "articles",
    [
        [ArticleInput(DIBAO, 1, "read")],
        [ArticleInput(DIBAO, 0, "explained")],
        [ArticleInput(uuid.uuid4(), 1, "explained") for _ in range(MAX_ARTICLES + 1)],
    ],
)
def test_bad_articles_change_nothing(fixed_store: LocalStore, grid: DemoCity, articles: list[ArticleInput]) -> None:
    hid, members = household(grid)
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as caught:
        fixed_store.record_visit(VisitInput(hid, "met", members[:1], visited_at=NOW, articles=articles))
    assert caught.value.field == "articles"
    assert counts(fixed_store.db) == before


# --- contact cards handed out -------------------------------------------------------------------------


def test_card_issues_one_per_household_with_reprints(fixed_store: LocalStore, grid: DemoCity) -> None:
    worker = grid.workers[0].id
    a, _ = household(grid, 0)
    b, _ = household(grid, 1)
    c, _ = household(grid, 2)
    first = fixed_store.record_card_issues(worker, [a, b, a], "sheet")
    assert len(first) == 2  # each household once
    second = fixed_store.record_card_issues(worker, [b, c], "single", NOW + dt.timedelta(days=1))
    other_worker = uuid.uuid4()
    third = fixed_store.record_card_issues(other_worker, [b], "poster")
    with fixed_store.db.reading() as s:
        issues = {i.id: i for i in s.scalars(select(CardIssue))}
    assert [issues[i].reprint for i in first] == [False, False]
    assert [issues[i].reprint for i in second] == [True, False]  # b had this worker's card already
    assert issues[third[0]].reprint is False  # another worker's card is a first card
    assert all(i.printed_by == worker for i in issues.values())
    assert issues[first[0]].issued_at == dt.datetime(2026, 11, 27, 2, 30)  # UTC
    entries = outbox(fixed_store.db)
    assert [e.kind for e in entries] == ["card.issue"] * 5
    messages = [CardIssueMessage.model_validate(e.payload) for e in entries]
    assert [(m.household_id, m.card_user_id, m.layout) for m in messages] == [
        (a, worker, "sheet"),
        (b, worker, "sheet"),
        (b, worker, "single"),
        (c, worker, "single"),
        (b, other_worker, "poster"),
    ]
    assert [e.household_id for e in entries] == [a, b, b, c, b]  # the household shows unsent work
    assert [e.entity_id for e in entries] == [m.id for m in messages] == [*first, *second, *third]
    assert messages[0].issued_at == NOW
    cards = Reader(fixed_store.db.path).card_issues(b)
    assert [(c.layout, c.reprint, c.sync_state) for c in cards] == [
        ("sheet", False, "pending"),
        ("poster", False, "pending"),
        ("single", True, "pending"),  # a day later
    ]


@pytest.mark.parametrize(
    ("households", "layout", "field"),
    [([], "sheet", "households"), (None, "wallet", "layout"), ("unknown", "sheet", "households")],
)
def test_bad_card_issues_change_nothing(
    fixed_store: LocalStore, grid: DemoCity, households: object, layout: str, field: str
) -> None:
    hid, _ = household(grid)
    ids = [hid] if households is None else [hid, uuid.uuid4()] if households == "unknown" else []
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as caught:
        fixed_store.record_card_issues(grid.workers[0].id, ids, layout)
    assert caught.value.field == field
    assert counts(fixed_store.db) == before


# --- the worker's own card ------------------------------------------------------------------------------


def own_card(store: LocalStore) -> WorkerCard | None:
    with store.db.reading() as s:
        return s.get(WorkerCard, store.worker_id)


def test_profile_update_writes_the_card_and_one_entry(fixed_store: LocalStore) -> None:
    assert fixed_store.update_profile("138 1234 5678", " 工作日  8:30–17:30 ", "有事找网格，服务零距离", JPEG)
    card = own_card(fixed_store)
    assert card is not None
    assert (card.phone, card.service_hours, card.card_line, card.photo) == (
        "13812345678",
        "工作日 8:30–17:30",
        "有事找网格，服务零距离",  # full-width punctuation kept: the card is Chinese
        JPEG,
    )
    assert card.name == "张伟" and card.grids == []
    [entry] = outbox(fixed_store.db)
    assert entry.kind == "profile.update" and entry.household_id is None and entry.entity_id == fixed_store.worker_id
    message = ProfileUpdate.model_validate(entry.payload)
    assert message.phone == "13812345678" and base64.b64decode(message.photo or "") == JPEG

    assert not fixed_store.update_profile("13812345678", "工作日 8:30–17:30", "有事找网格，服务零距离")  # no change
    assert len(outbox(fixed_store.db)) == 1

    assert fixed_store.update_profile("13812345678", "工作日 8:30–17:30", "随叫随到", KEEP)
    assert ProfileUpdate.model_validate(outbox(fixed_store.db)[-1].payload).photo is None  # photo left as it is
    assert fixed_store.update_profile("13812345678", "工作日 8:30–17:30", "随叫随到", PNG)
    assert fixed_store.update_profile("13812345678", "工作日 8:30–17:30", "随叫随到", None)
    assert ProfileUpdate.model_validate(outbox(fixed_store.db)[-1].payload).photo == ""  # removed
    card = own_card(fixed_store)
    assert card is not None and card.photo is None and card.card_line == "随叫随到"
    own = Reader(fixed_store.db.path).worker_card(fixed_store.worker_id)
    assert own is not None and own.phone == "13812345678" and own.photo is None


@pytest.mark.parametrize(
    ("phone", "hours", "line", "photo", "field"),
    [
        ("1381234", "", "", KEEP, "phone"),
        ("13812345678", "时" * 61, "", KEEP, "service_hours"),
        ("13812345678", "", "字" * 81, KEEP, "card_line"),
        ("13812345678", "", "", b"GIF89a" + b"\x00" * 10, "photo"),
        ("13812345678", "", "", JPEG + b"\x00" * MAX_PHOTO_BYTES, "photo"),
    ],
)
def test_bad_profile_changes_nothing(
    fixed_store: LocalStore, phone: str, hours: str, line: str, photo: object, field: str
) -> None:
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as caught:
        fixed_store.update_profile(phone, hours, line, photo)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert counts(fixed_store.db) == before


# --- reads for a batch ------------------------------------------------------------------------------------


def test_batch_reads_in_walking_order(seeded_db: Database, grid: DemoCity) -> None:
    reader = Reader(seeded_db.path)
    [g] = reader.grids()
    assert g.id == grid.workers[0].grid_id and g.name.endswith("网格") and g.community_name.endswith("社区")
    everyone = reader.card_households(grid_id=g.id)
    assert len(everyone) == len(grid.households)
    assert [h.id for h in everyone] == [
        h.id
        for h in sorted(
            grid.households, key=lambda h: (walk_key(h.compound, h.building, h.unit, h.floor, h.room), h.id.hex)
        )
    ]
    compound, building = reader.buildings(g.id)[0]
    one = reader.card_households(grid_id=g.id, compound=compound, building=building)
    expected = {h.id for h in grid.households if (h.compound, h.building) == (compound, building)}
    assert {h.id for h in one} == expected and 0 < len(one) < len(everyone)
    chosen = [everyone[5].id, everyone[2].id]
    assert [h.id for h in reader.card_households(ids=chosen)] == [everyone[2].id, everyone[5].id]
    assert reader.card_households(ids=[]) == []
    reader.close()
