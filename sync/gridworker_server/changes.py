"""Scopes, the change log and the pull (SYNC.md, Pull).

A write transaction collects what it touched in a :class:`ChangeSet`; ``flush`` takes each scope's
counter with one ``UPDATE … RETURNING`` (the row lock is held to commit, so versions follow commit order
on PostgreSQL with many writers, and on SQLite's single writer) and upserts one change-log row per
(scope, entity, id). A pull reads ``version > cursor`` per scope with keyset paging: a no-change pull is
one indexed read of the scope counters.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gridworker_server.driver import all_rows, among, first_row, insert_rows, run
from gridworker_server.flow.rows import request_records, work_order_rows
from gridworker_server.models import (
    Article,
    CardIssue,
    ChangeLog,
    GridAssignment,
    Household,
    OrgUnit,
    Person,
    ResidentRequest,
    ScopeVersion,
    User,
    Visit,
    VisitReview,
    utcnow,
)
from gridworker_server.review.rows import review_rows
from gridworker_shared.codec import (
    ArticleRecord,
    CardRecord,
    HouseholdRecord,
    MemberRecord,
    OrgUnitRecord,
    VisitArticleRecord,
    VisitRecord,
    WorkerRecord,
    encode_article,
    encode_household,
    encode_org_unit,
    encode_worker,
    pack_id,
)
from gridworker_shared.domain.review import StreetSettings
from gridworker_shared.protocol import (
    GLOBAL_SCOPE,
    VISIT_WINDOW_DAYS,
    PullRequest,
    PullResponse,
    grid_scope,
    review_scope,
    scope_grid,
)

GLOBAL = GLOBAL_SCOPE
# parents first: a transaction's changes get versions in this order, and a client applies in it
ENTITY_ORDER = ("org_unit", "worker", "household", "article", "review", "backcheck", "work_order", "request")
TOMBSTONE_DAYS = 60


def insert_for(dialect: str) -> Any:
    """The dialect's INSERT, the one with ON CONFLICT (both databases have it)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _insert(session: Session) -> Any:
    return insert_for(session.get_bind().dialect.name)


def ensure_scopes(session: Session, scopes: Iterable[str]) -> None:
    rows = [{"scope": s, "version": 0, "floor": 0, "grid_id": scope_grid(s)} for s in scopes]
    if rows:
        session.connection().execute(_insert(session)(ScopeVersion.__table__).on_conflict_do_nothing(), rows)


class InGrid(Protocol):
    """A household as the change log needs it: the ORM's, or the facts a push read of it."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def grid_id(self) -> uuid.UUID: ...


class ChangeSet:
    """What one write transaction touched, per scope; ``flush`` writes the versions and the log."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._pending: dict[str, dict[tuple[str, uuid.UUID], str]] = {}
        # after flush: each household upserted in its grid's scope, with the version it took there (the
        # stamp of its visits changed in the transaction, Visit.sv)
        self.stamps: dict[uuid.UUID, int] = {}

    def checkpoint(self) -> dict[str, dict[tuple[str, uuid.UUID], str]]:
        return {scope: dict(items) for scope, items in self._pending.items()}

    def restore(self, saved: dict[str, dict[tuple[str, uuid.UUID], str]]) -> None:
        """Forget what a rolled-back savepoint touched."""
        self._pending = saved

    def upsert(self, scope: str, entity: str, entity_id: uuid.UUID) -> None:
        self._pending.setdefault(scope, {})[(entity, entity_id)] = "u"

    def remove(self, scope: str, entity: str, entity_id: uuid.UUID) -> None:
        self._pending.setdefault(scope, {})[(entity, entity_id)] = "r"

    def household(self, household: InGrid, *, op: str = "u", scope: str | None = None) -> None:
        """The household aggregate (members, visits, requests travel with it) in its grid's scope; a
        household that leaves its grid (removed, moved) leaves the grid's review scope too."""
        target = scope or grid_scope(household.grid_id)
        (self.upsert if op == "u" else self.remove)(target, "household", household.id)
        if op != "u" and scope is None:
            self.remove(review_scope(household.grid_id), "review", household.id)

    def review(self, household: InGrid) -> None:
        """The household's review data (its visits for review, their events and flags) changed: its row
        in the grid's review scope ("r:<grid>", the reviewers' laptops) goes out again."""
        self.upsert(review_scope(household.grid_id), "review", household.id)

    def flush(self) -> dict[str, int]:
        """Allocate versions (scopes in a fixed order, so two writers never lock in opposite orders).
        Core statements with the rows as parameters: compiled once, cached, sent as one batch."""
        s = self.session
        conn = s.connection()
        tops: dict[str, int] = {}
        now = utcnow()
        q = _flush_statements(conn.dialect.name)
        rows: list[dict[str, Any]] = []
        for scope in sorted(self._pending):
            items = sorted(self._pending[scope].items(), key=lambda kv: (ENTITY_ORDER.index(kv[0][0]), kv[0][1]))
            n = len(items)
            bumped = first_row(conn, q.bump, {"s": scope, "n": n})  # through the driver: every write runs it
            if bumped is None:
                ensure_scopes(s, [scope])
                bumped = first_row(conn, q.bump, {"s": scope, "n": n})
            top = bumped.version
            start = top - n + 1
            rows += [
                {"scope": scope, "entity": e, "entity_id": i, "version": start + k, "op": op, "changed_at": now}
                for k, ((e, i), op) in enumerate(items)
            ]
            tops[scope] = top
        # every scope's log rows in one batch (a push touches a grid's scope and its review scope)
        insert_rows(conn, q.log, rows)
        self.stamps = {
            r["entity_id"]: r["version"]
            for r in rows
            if r["entity"] == "household" and r["op"] == "u" and scope_grid(r["scope"]) is not None
        }
        _stamp_visits(conn, q, self.stamps)
        self._pending.clear()
        return tops


def _stamp_visits(conn: Any, q: _Flush, stamps: dict[uuid.UUID, int]) -> None:
    """The households' unstamped visits (changed since their last stamp, or inserted without one) take
    the version of their household's change in its grid's scope (the only scope a household is
    upserted in): a pull that sends a laptop the visits changed since its cursors sends these
    (:func:`household_rows`). A push inserts its new visits stamped already, after this."""
    if not stamps:
        return
    if conn.dialect.name == "postgresql":
        run(conn, q.stamp_all, {"ids": list(stamps), "versions": list(stamps.values())})
    else:
        conn.execute(q.stamp, [{"h": h, "v": v} for h, v in stamps.items()])


class _Flush(NamedTuple):
    bump: Any
    log: Any
    stamp: Any
    stamp_all: Any


@functools.cache
def _flush_statements(dialect: str) -> _Flush:
    """The counter bump, the change-log upsert and the visits' stamp, built once per dialect (every
    write runs them); on PostgreSQL the stamp is one statement for every household, by arrays."""
    sv = ScopeVersion.__table__
    vt: Any = Visit.__table__
    bump = (
        update(ScopeVersion)
        .where(sv.c.scope == bindparam("s"))
        .values(version=sv.c.version + bindparam("n"))
        .returning(sv.c.version)
    )
    log = insert_for(dialect)(ChangeLog.__table__)
    log = log.on_conflict_do_update(
        index_elements=["scope", "entity", "entity_id"],
        set_={"version": log.excluded.version, "op": log.excluded.op, "changed_at": log.excluded.changed_at},
    )
    stamp = update(vt).where(vt.c.household_id == bindparam("h"), vt.c.sv.is_(None)).values(sv=bindparam("v"))
    stamped = select(
        func.unnest(bindparam("ids", type_=postgresql.ARRAY(vt.c.household_id.type))).label("id"),
        func.unnest(bindparam("versions", type_=postgresql.ARRAY(vt.c.sv.type))).label("version"),
    ).subquery("s")
    stamp_all = update(vt).where(vt.c.household_id == stamped.c.id, vt.c.sv.is_(None)).values(sv=stamped.c.version)
    return _Flush(bump, log, stamp, stamp_all)


# --- rows as the client receives them: the server's rows as the codec's records ------------------------
#
# Core rows (attribute access like the models, none of the ORM's cost) become gridworker_shared.codec's
# records, positionally, and the codec encodes them; the app decodes them with the same module.


def _org_unit(u: Any) -> OrgUnitRecord:
    """A street's row carries its settings, complete (the defaults filled in): the laptops' flags,
    care-tag overdue and coverage goal read them; other units' rows carry none."""
    settings = StreetSettings.from_dict(u.settings).to_dict() if u.kind == "street" else {}
    return OrgUnitRecord(u.id, u.code, u.name, u.kind, u.parent_id, u.liaison_name, u.liaison_phone, settings)


def _member(p: Any) -> MemberRecord:
    return MemberRecord(p.id, p.name, p.relation, p.phone, p.id_number, p.sex, p.birth_date, not p.active, p.version)


def _visit(v: Any, returns: dict[uuid.UUID, Any], members: dict[str, uuid.UUID]) -> VisitRecord:
    """A visit of the worker's aggregate, with its number and review state; a returned visit with the
    reason, comment and pinned fields of the return that sent it back. ``members``: the household's
    member ids by their text, as a visit stores them (parsing each again was a tenth of a pull)."""
    articles = [
        VisitArticleRecord(uuid.UUID(a["id"]), a["version"], a["action"], a.get("title", "")) for a in v.articles or []
    ]
    seen = [members.get(s) or uuid.UUID(s) for s in v.seen]
    back = returns.get(v.id) if v.review_state == "returned" else None
    return VisitRecord(
        v.id,
        v.worker_id,
        v.visited_at,
        v.outcome,
        v.notes,
        v.amends_id,
        seen,
        articles,
        v.no,
        v.review_state,
        back.reason if back else "",
        back.comment if back else "",
        list(back.pins or []) if back else [],
    )


def _card(c: Any) -> CardRecord:
    return CardRecord(c.id, c.card_user_id, c.issued_at, c.layout, c.reprint, c.printed_by)


def _article(a: Any) -> ArticleRecord:
    return ArticleRecord(
        a.id,
        a.slug,
        a.category,
        a.title,
        a.summary,
        a.body,
        list(a.phones or []),
        a.effective_from,
        a.effective_to,
        a.version,
        a.published_at,
    )


def worker_rows(session: Session, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
    """Workers with what their contact cards show and every grid they hold."""
    conn = session.connection()
    q = _aggregate_statements(conn.dialect.name)
    grids: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, grid_id in all_rows(conn, q.worker_grids, {"ids": list(ids)}):
        grids.setdefault(user_id, []).append(grid_id)
    return [
        encode_worker(
            WorkerRecord(
                u.id,
                u.username,
                u.name,
                u.phone,
                u.service_hours,
                u.card_line,
                u.photo,
                grids.get(u.id, []),
                u.card_code or "",
            )
        )
        for u in all_rows(conn, q.workers, {"ids": list(ids)})
    ]


class _Aggregate(NamedTuple):
    members: Any
    visits: Any
    requests: Any
    cards: Any
    households: Any
    articles: Any
    workers: Any
    worker_grids: Any
    returns: Any


# what a worker's visit row is made of (_visit): not the visit's hash, flags or time of receipt
VISIT_COLUMNS: tuple[str, ...] = ("id", "household_id", "worker_id", "visited_at", "outcome", "notes")
VISIT_COLUMNS += ("amends_id", "seen", "articles", "no", "review_state")


@functools.cache
def _aggregate_statements(dialect: str) -> _Aggregate:
    """The reads of a page of household aggregates, built once per dialect (a pull runs them every
    time); on PostgreSQL their id lists are arrays, so :func:`driver.all_rows` runs them through the driver.
    A visit's row reads only the columns the laptop gets (not its hash, flags or times of receipt)."""
    pt, vt, rt, ht = Person.__table__, Visit.__table__, ResidentRequest.__table__, Household.__table__
    ct, at, ut, ga = CardIssue.__table__, Article.__table__, User.__table__, GridAssignment.__table__
    rv = VisitReview.__table__

    def ids(column: Any) -> Any:
        return among(column, "ids", dialect)

    visit_columns = [vt.c[name] for name in VISIT_COLUMNS]
    return _Aggregate(
        select(pt).where(ids(pt.c.household_id)).order_by(pt.c.household_id, pt.c.position, pt.c.id),
        select(*visit_columns)
        .where(
            ids(vt.c.household_id),
            vt.c.visited_at >= bindparam("since", type_=vt.c.visited_at.type),
            or_(vt.c.sv.is_(None), vt.c.sv > bindparam("after", type_=vt.c.sv.type)),
        )
        .order_by(vt.c.visited_at, vt.c.id),
        select(rt).where(ids(rt.c.household_id)).order_by(rt.c.created_at),
        select(ct).where(ids(ct.c.household_id)).order_by(ct.c.issued_at, ct.c.id),
        select(ht).where(ids(ht.c.id), ht.c.deleted_at.is_(None)),
        select(at).where(ids(at.c.id), at.c.withdrawn_at.is_(None)),
        select(
            ut.c.id,
            ut.c.username,
            ut.c.name,
            ut.c.phone,
            ut.c.service_hours,
            ut.c.card_line,
            ut.c.photo,
            ut.c.card_code,
        ).where(ids(ut.c.id)),
        select(ga.c.user_id, ga.c.grid_id).where(ids(ga.c.user_id), ga.c.until.is_(None)),
        select(rv.c.visit_id, rv.c.reason, rv.c.comment, rv.c.pins)
        .where(ids(rv.c.visit_id), rv.c.action == "return", rv.c.effective.is_(True))
        .order_by(rv.c.at, rv.c.id),
    )


def household_rows(
    session: Session,
    ids: Sequence[uuid.UUID],
    *,
    with_visits: bool = True,
    after: dict[uuid.UUID, int] | None = None,
) -> list[list[Any]]:
    """Household aggregates: the household with its members, recent visits, requests and cards. A
    reviewer's aggregates leave the visits out: their review scope carries them ("r:<grid>").
    ``after``: per household, the version in its grid's scope up to which the laptop holds it whole;
    its row then carries only the visits changed since (their stamp, ``Visit.sv``, is later). A
    household not in it (or at 0) comes with every visit of the window."""
    out: list[list[Any]] = []
    since = utcnow() - dt.timedelta(days=VISIT_WINDOW_DAYS)
    conn = session.connection()
    q = _aggregate_statements(conn.dialect.name)
    after = after or {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        members: dict[uuid.UUID, list[MemberRecord]] = {}
        for p in all_rows(conn, q.members, {"ids": chunk}):
            members.setdefault(p.household_id, []).append(_member(p))
        visits: dict[uuid.UUID, list[VisitRecord]] = {}
        rows: list[Any] = []
        if with_visits:
            groups: dict[int, list[uuid.UUID]] = {}  # one read per threshold: a page's usually share one
            for hid in chunk:
                groups.setdefault(after.get(hid, 0), []).append(hid)
            for threshold, group in groups.items():
                rows += all_rows(conn, q.visits, {"ids": group, "since": since, "after": threshold})
        returned = [v.id for v in rows if v.review_state == "returned"]
        returns = {r.visit_id: r for r in all_rows(conn, q.returns, {"ids": returned})} if returned else {}
        texts = {str(m.id): m.id for household in members.values() for m in household}
        for v in rows:
            visits.setdefault(v.household_id, []).append(_visit(v, returns, texts))
        # the requests with their flow and events (gridworker_server.flow.rows)
        requests = request_records(session, all_rows(conn, q.requests, {"ids": chunk}))
        cards: dict[uuid.UUID, list[CardRecord]] = {}
        for c in all_rows(conn, q.cards, {"ids": chunk}):
            cards.setdefault(c.household_id, []).append(_card(c))
        for h in all_rows(conn, q.households, {"ids": chunk}):
            record = HouseholdRecord(
                h.id,
                h.grid_id,
                h.micro_grid_id,
                h.compound,
                h.building,
                h.unit,
                h.floor,
                h.room,
                h.phone,
                h.notes,
                list(h.tags or []),
                h.visit_interval_days,
                h.registered_on,
                h.last_met_on,
                h.last_attempt_on,
                h.version,
                members.get(h.id, []),
                visits.get(h.id, []),
                requests.get(h.id, []),
                cards.get(h.id, []),
            )
            out.append(encode_household(record))
    return out


def _org_rows(session: Session, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
    return [encode_org_unit(_org_unit(u)) for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))]


# --- the pull -----------------------------------------------------------------------------------------


class _Pull(NamedTuple):
    counters: Any
    log: Any


@functools.cache
def _pull_statements(dialect: str) -> _Pull:
    sv, cl = ScopeVersion.__table__.c, ChangeLog.__table__.c
    return _Pull(
        select(sv.scope, sv.version, sv.floor).where(among(sv.scope, "scopes", dialect)),
        select(cl.entity, cl.entity_id, cl.version, cl.op)
        .where(cl.scope == bindparam("scope"), cl.version > bindparam("cursor"))
        .order_by(cl.version)
        .limit(bindparam("n")),
    )


def pull(
    session: Session,
    epoch: uuid.UUID,
    scopes: Sequence[str],
    req: PullRequest,
    known: dict[str, tuple[int, int]] | None = None,
    *,
    reviewer: bool = False,
    merges_visits: bool = False,
) -> PullResponse:
    """One page of changes for the user's scopes, given the client's cursors. ``known``: the scopes'
    counters when the caller read them already (with the token), else they are read here. A
    ``reviewer`` (station, supervisor) gets the households without their visits, which come as
    review rows of the review scopes. A laptop that ``merges_visits`` (protocol 7) gets with a
    household only the visits changed since the cursor it holds the household's scope whole up to."""
    held = sorted(set(scopes))
    same_epoch = req.epoch is None or req.epoch == epoch
    cursors = dict(req.cursors) if same_epoch else {}
    removed = sorted(s for s in req.cursors if s not in held)
    reset: list[str] = [] if same_epoch else sorted(s for s in req.cursors if s in held)
    conn = session.connection()
    q = _pull_statements(conn.dialect.name)
    q_agg = _aggregate_statements(conn.dialect.name)
    counters = (
        {scope: known[scope] for scope in held if scope in known}
        if known is not None and set(held) <= set(known) | {GLOBAL}
        else {row.scope: (row.version, row.floor) for row in all_rows(conn, q.counters, {"scopes": held})}
    )
    out: dict[str, int] = {}
    upserts: dict[str, set[uuid.UUID]] = {}
    removes: dict[str, dict[str, list[str]]] = {}
    # per household, the version up to which the laptop holds it whole (its visits until then): its
    # scope's cursor or the lower one the laptop names, unless it asks for the household whole
    after: dict[uuid.UUID, int] = {}
    whole = set(req.whole)
    more = False
    room = req.limit
    for scope in held:
        version, floor = counters.get(scope, (0, 0))
        cursor = cursors.get(scope, 0)
        if cursor > version or 0 < cursor < floor:
            # ahead of the server (restored without a new epoch) or older than the tombstone window
            reset.append(scope)
            cursor = 0
            out[scope] = 0
        if cursor >= version:
            continue
        if room == 0:
            more = True
            break
        take = room
        if cursor < floor:
            # a copy from 0 pages past the tombstone floor at once: a cursor left between 0 and the floor
            # would be taken for one older than the window and reset again, page after page
            below = select(func.count()).where(ChangeLog.scope == scope, ChangeLog.version.between(cursor + 1, floor))
            take = max(room, session.scalar(below) or 0)
        log = all_rows(conn, q.log, {"scope": scope, "cursor": cursor, "n": take + 1})
        if len(log) > take:
            log = log[:take]
            more = True
        held_whole = min(cursor, req.complete.get(scope, cursor)) if merges_visits else 0
        for r in log:
            if r.op == "u":
                upserts.setdefault(r.entity, set()).add(r.entity_id)
                if r.entity == "household" and held_whole and r.entity_id not in whole:
                    after[r.entity_id] = held_whole
            elif cursor > 0:  # a fresh or reset copy needs no removals of rows it never had
                packed = pack_id(r.entity_id)
                assert packed is not None
                removes.setdefault(scope, {}).setdefault(r.entity, []).append(packed)
        last = log[-1].version if log else 0
        out[scope] = last if more else max(version, last)
        room = max(room - len(log), 0)
        if more:
            break
    rows: dict[str, list[list[Any]]] = {}
    if "org_unit" in upserts:
        rows["org_unit"] = _org_rows(session, sorted(upserts["org_unit"]))
    if "worker" in upserts:
        rows["worker"] = worker_rows(session, sorted(upserts["worker"]))
    if "household" in upserts:
        rows["household"] = household_rows(session, sorted(upserts["household"]), with_visits=not reviewer, after=after)
    if "review" in upserts:
        rows["review"] = review_rows(session, sorted(upserts["review"]))
    if "work_order" in upserts:  # a department's scope (gridworker_server.flow.rows)
        rows["work_order"] = work_order_rows(session, sorted(upserts["work_order"]))
    if "article" in upserts:
        rows["article"] = [
            encode_article(_article(a)) for a in all_rows(conn, q_agg.articles, {"ids": sorted(upserts["article"])})
        ]
    if "backcheck" in upserts:
        from gridworker_server.review.backcheck_rows import backcheck_rows  # it writes through this module

        rows["backcheck"] = backcheck_rows(session, sorted(upserts["backcheck"]))
    return PullResponse(
        epoch=epoch, cursors=out, reset=sorted(set(reset)), removed=removed, upserts=rows, removes=removes, more=more
    )


def purge_tombstones(session: Session, days: int = TOMBSTONE_DAYS, now: dt.datetime | None = None) -> int:
    """Drop removals older than the window; a cursor from before them gets a reset of that scope."""
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    old = (ChangeLog.op == "r") & (ChangeLog.changed_at < cutoff)
    tops = session.execute(select(ChangeLog.scope, func.max(ChangeLog.version)).where(old).group_by(ChangeLog.scope))
    count = 0
    for scope, top in tops.all():
        session.execute(
            update(ScopeVersion).where(ScopeVersion.scope == scope, ScopeVersion.floor < top).values(floor=top)
        )
    count = session.execute(delete(ChangeLog).where(old)).rowcount or 0  # type: ignore[attr-defined]
    return int(count)
