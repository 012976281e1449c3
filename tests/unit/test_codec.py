"""The pull's row codec (gridworker_shared.codec): for every wire entity, decoding what the encoder
wrote gives the record back (with what the wire normalises: sex and birth date an ID number implies,
members seen who are not in the household, a worker's grids in their wire order, an empty photo), and
encoding a decoded row gives the row back. Records are generated as the server holds them: versions
from 1, instants in whole seconds after 2000."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridworker_shared.codec import (
    ACTION_CODES,
    COLUMNS,
    ArticleRecord,
    BackcheckRecord,
    CardRecord,
    HouseholdRecord,
    MemberRecord,
    OrgUnitRecord,
    RequestRecord,
    ReviewHouseholdRecord,
    VisitArticleRecord,
    VisitRecord,
    WorkerRecord,
    decode_article,
    decode_household,
    decode_member,
    decode_org_unit,
    decode_worker,
    encode_article,
    encode_household,
    encode_member,
    encode_org_unit,
    encode_worker,
    member_id,
    pack_id,
)
from gridworker_shared.codec.requests import RequestEventRecord, WorkOrderRecord
from gridworker_shared.domain.households import ARTICLE_ACTIONS
from gridworker_shared.domain.review import PINNABLE, STATES
from gridworker_shared.domain.validation import ID_PROVINCE_CODES, id_birth_date, id_check_char, id_sex

ROUND_TRIP = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)

ids = st.uuids()
texts = st.text(max_size=12)
versions = st.integers(min_value=1, max_value=2**31 - 1)
dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
).map(lambda when: when.replace(microsecond=0))


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)))
    area = draw(st.sampled_from(sorted(ID_PROVINCE_CODES))) + draw(st.from_regex(r"\A[0-9]{4}\Z"))
    first17 = area + born.strftime("%Y%m%d") + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return first17 + id_check_char(first17)


# valid numbers (they imply sex and birth date), 18 characters that are not one, and anything else
id_numbers = valid_id_numbers() | st.from_regex(r"\A[0-9]{17}[0-9X]\Z") | texts
sexes = st.sampled_from(["", "male", "female"]) | texts


@st.composite
def members(draw: st.DrawFn, household_id: uuid.UUID, index: int) -> MemberRecord:
    derived = draw(st.booleans())  # a roster's or the demo's member: its id follows from its place
    return MemberRecord(
        member_id(household_id, index) if derived else draw(ids),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(id_numbers),
        draw(sexes),
        draw(dates),
        draw(st.booleans()),
        draw(versions),
    )


visit_articles = st.builds(VisitArticleRecord, ids, versions, st.sampled_from(sorted(ACTION_CODES)), texts)


@st.composite
def visits(draw: st.DrawFn, member_ids: list[uuid.UUID]) -> VisitRecord:
    seen = st.sampled_from(member_ids) | ids if member_ids else ids
    return VisitRecord(
        draw(ids),
        draw(st.none() | ids),
        draw(instants),
        draw(st.sampled_from(["met", "not_home", "refused"]) | texts),
        draw(texts),
        draw(st.none() | ids),
        draw(st.lists(seen, max_size=4)),
        draw(st.lists(visit_articles, max_size=3)),
        draw(st.none() | st.integers(1, 2**40)),
        draw(st.sampled_from(STATES)),
        draw(texts),
        draw(texts),
        draw(st.lists(st.sampled_from(PINNABLE), max_size=3)),
    )


request_events = st.builds(
    RequestEventRecord, ids, texts.filter(bool), st.none() | ids, instants, texts, texts, st.dictionaries(texts, texts)
)
requests = st.builds(
    RequestRecord,
    ids,
    st.none() | ids,
    texts,
    texts,
    texts,
    dates,
    texts,
    texts,
    versions,
    st.none() | ids,
    st.none() | instants,
    st.none() | instants,
    st.none() | instants,
    st.booleans(),
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(0, 3),
    st.none() | st.booleans(),
    texts,
    st.none() | ids,
    st.lists(request_events, max_size=3),
)
cards = st.builds(CardRecord, ids, ids, instants, texts, st.booleans(), st.none() | ids)


@st.composite
def households(draw: st.DrawFn) -> HouseholdRecord:
    hid = draw(ids)
    people = [draw(members(hid, i)) for i in range(draw(st.integers(0, 4)))]
    return HouseholdRecord(
        hid,
        draw(st.none() | ids),
        draw(st.none() | ids),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(st.none() | st.integers(-5, 200)),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(st.lists(texts, max_size=3)),
        draw(st.none() | st.integers(0, 365)),
        draw(dates),
        draw(dates),
        draw(dates),
        draw(versions),
        people,
        draw(st.lists(visits([m.id for m in people]), max_size=3)),
        draw(st.lists(requests, max_size=2)),
        draw(st.lists(cards, max_size=2)),
    )


org_units = st.builds(
    OrgUnitRecord, ids, texts, texts, texts, st.none() | ids, texts, texts, st.dictionaries(texts, st.integers(0, 99))
)
articles = st.builds(
    ArticleRecord,
    ids,
    texts,
    texts,
    texts,
    texts,
    texts,
    st.lists(texts, max_size=3),
    dates,
    dates,
    versions,
    st.none() | instants,
)
workers = st.builds(
    WorkerRecord, ids, texts, texts, texts, texts, texts, st.none() | st.binary(max_size=20), st.lists(ids, max_size=3)
)


# --- what the wire normalises ------------------------------------------------------------------------


def implied(m: MemberRecord) -> MemberRecord:
    """Sex and birth date left empty are what a valid ID number gives."""
    if len(m.id_number) != 18:
        return m
    try:
        return m._replace(sex=m.sex or id_sex(m.id_number), birth_date=m.birth_date or id_birth_date(m.id_number))
    except ValueError:
        return m


def as_sent(h: HouseholdRecord) -> HouseholdRecord:
    known = {m.id for m in h.members}
    return h._replace(
        members=[implied(m) for m in h.members],
        visits=[v._replace(seen=[s for s in v.seen if s in known]) for v in h.visits],
    )


# --- round trips -------------------------------------------------------------------------------------


def test_records_are_the_columns() -> None:
    """Each record's fields are its entity's columns, in order: one list, read by both sides."""
    records: dict[str, Any] = {
        "org_unit": OrgUnitRecord,
        "household": HouseholdRecord,
        "member": MemberRecord,
        "visit": VisitRecord,
        "visit_article": VisitArticleRecord,
        "request": RequestRecord,
        "card": CardRecord,
        "article": ArticleRecord,
        "worker": WorkerRecord,
        "backcheck": BackcheckRecord,
        "request_event": RequestEventRecord,
        "work_order": WorkOrderRecord,
    }
    assert set(records) | {"review"} == set(COLUMNS)
    for entity, record in records.items():
        assert record._fields == COLUMNS[entity], entity
    # a review row lists its visits' workers once, after the household id (the visits index into it)
    assert ReviewHouseholdRecord._fields == tuple(c for c in COLUMNS["review"] if c != "workers")
    assert set(ACTION_CODES) == set(ARTICLE_ACTIONS)


@ROUND_TRIP
@given(households())
def test_household_aggregates_round_trip(h: HouseholdRecord) -> None:
    row = encode_household(h)
    assert decode_household(row) == as_sent(h)
    assert encode_household(decode_household(row)) == row


@ROUND_TRIP
@given(ids, st.integers(0, 30), st.data())
def test_members_round_trip(household_id: uuid.UUID, index: int, data: st.DataObject) -> None:
    m = data.draw(members(household_id, index))
    row = encode_member(m, household_id, index)
    assert decode_member(row, household_id, index) == implied(m)
    assert encode_member(decode_member(row, household_id, index), household_id, index) == row


@ROUND_TRIP
@given(org_units)
def test_org_units_round_trip(u: OrgUnitRecord) -> None:
    row = encode_org_unit(u)
    assert decode_org_unit(row) == u
    assert encode_org_unit(decode_org_unit(row)) == row


@ROUND_TRIP
@given(articles)
def test_articles_round_trip(a: ArticleRecord) -> None:
    row = encode_article(a)
    assert decode_article(row) == a
    assert encode_article(decode_article(row)) == row


@ROUND_TRIP
@given(workers)
def test_workers_round_trip(w: WorkerRecord) -> None:
    row = encode_worker(w)
    assert decode_worker(row) == w._replace(
        photo=w.photo or None, grids=sorted(w.grids, key=lambda g: pack_id(g) or "")
    )
    assert encode_worker(decode_worker(row)) == row


# --- the wire itself ---------------------------------------------------------------------------------


def test_a_household_row_as_the_wire_carries_it() -> None:
    """Compact where it can be: a derived member without its id, sex and birth date the ID number
    gives left out, the members seen by index, an article's action by letter, empties trimmed."""
    hid, grid, worker, article = (uuid.UUID(int=n) for n in (1, 2, 3, 4))
    number = "11010519491231002X"  # a woman born 1949-12-31
    head = MemberRecord(member_id(hid, 0), "王芳", "head", "", number, "female", dt.date(1949, 12, 31), False, 2)
    other = MemberRecord(uuid.UUID(int=5), "李明", "spouse", "13800000000", "", "male", None, True, 1)
    shown = VisitArticleRecord(article, 3, "explained", "")
    when = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
    visit = VisitRecord(uuid.UUID(int=6), worker, when, "met", "", None, [other.id, uuid.UUID(int=9)], [shown])
    h = HouseholdRecord(
        hid, grid, None, "西湖花园", "1", "2", 3, "301", "", "", ["elderly"], None, dt.date(2025, 1, 1), None, None, 4,
        [head, other], [visit], [], [],
    )  # fmt: skip
    row = encode_household(h)
    head_row = [None, "王芳", "head", "", number, "", None, False, 2]
    other_row = ["AAAAAAAAAAAAAAAAAAAABQ", "李明", "spouse", "13800000000", "", "male", None, True, 1]
    article_row = ["AAAAAAAAAAAAAAAAAAAABA", 3, "e"]
    seconds = int(when.timestamp())
    visit_row = ["AAAAAAAAAAAAAAAAAAAABg", "AAAAAAAAAAAAAAAAAAAAAw", seconds, "met", "", None, [1], [article_row]]
    assert row == [
        "AAAAAAAAAAAAAAAAAAAAAQ",
        "AAAAAAAAAAAAAAAAAAAAAg",
        None,
        "西湖花园",
        "1",
        "2",
        3,
        "301",
        "",
        "",
        ["elderly"],
        None,
        "2025-01-01",
        None,
        None,
        4,
        [head_row, other_row],
        [visit_row],
    ]
    assert decode_household(row) == h._replace(visits=[visit._replace(seen=[other.id])])


def test_the_decoder_reads_older_and_hand_built_rows() -> None:
    """An instant as an ISO string, an action spelled out, a photo that is not base64; a child row
    without its id or with an action it does not know is left out of the aggregate."""
    hid = uuid.UUID(int=1)
    visit = ["AAAAAAAAAAAAAAAAAAAABg", None, "2026-11-25T10:00:00+08:00", "met", "", None, [], [
        ["AAAAAAAAAAAAAAAAAAAABA", 1, "handed_out"], ["AAAAAAAAAAAAAAAAAAAABA", 1, "?"], [None, 1, "e"]
    ]]  # fmt: skip
    card = ["AAAAAAAAAAAAAAAAAAAABw", "AAAAAAAAAAAAAAAAAAAAAw", "2026-11-20T09:00:00", "sheet"]
    row = [pack_id(hid), None, None, "", "", "", None, "", "", "", [], None, None, None, None, 1, [], [visit], [
        [None, None, "other"]
    ], [card, [None, "AAAAAAAAAAAAAAAAAAAAAw", 1]]]  # fmt: skip
    h = decode_household(row)
    [v] = h.visits
    assert v.visited_at == dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
    assert [(a.action, a.version) for a in v.articles] == [("handed_out", 1)]
    assert h.requests == []
    [c] = h.cards
    assert c.issued_at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC) and not c.reprint
    assert decode_worker(["AAAAAAAAAAAAAAAAAAAAAw", "w", "", "", "", "", "not base64!"]).photo is None


def test_a_row_longer_than_the_app_knows_is_read_by_its_known_columns() -> None:
    """A newer server adds trailing columns; this app reads the ones it knows (a protocol 2 app
    refused the whole page over one longer row)."""
    unit = OrgUnitRecord(uuid.UUID(int=1), "g1", "一网格", "grid", None, "", "", {})
    row = [*encode_org_unit(unit), *([None] * (len(COLUMNS["org_unit"]) - len(encode_org_unit(unit)))), "new", 7]
    assert decode_org_unit(row) == unit
