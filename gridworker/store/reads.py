"""What the screens read, on a DB-API connection like the standard library's sqlite3 (opened by
gridworker.store.cipher, SQLCipher): the Today list, search, one household, the month's coverage, the
unsent changes, drafts.

These are the hot paths of the UI (a keystroke, the first screen), so they are written as the indexed
SQL they are and run on a plain connection: no ORM objects, no statement compilation, and start-up does
not wait for SQLAlchemy to load. Lists are keyset-paged on (walk_key, id): one indexed range read per
page however deep the user scrolls. The writes stay in gridworker.store.services (SQLAlchemy).

Storage formats are SQLAlchemy's on SQLite: UUIDs as 32 hex digits, dates as ISO text, datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC), booleans as 0/1, JSON as text.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from gridworker.store import cipher, schema
from gridworker.store.returned_reads import pins, returned_visits
from gridworker.store.rows import (
    PAGE_SIZE,
    After,
    CardHouseholdRow,
    CardIssueRow,
    Coverage,
    DraftRow,
    Filters,
    GridRow,
    HouseholdDetail,
    HouseholdRow,
    MemberRow,
    OutboxRow,
    Page,
    RequestRow,
    ReturnedVisitRow,
    VisitArticleRow,
    VisitRow,
    WorkerCardRow,
)
from gridworker.store.search_reads import _ROW_COLUMNS, match_reason, search_count_sql, search_sql
from gridworker_shared.domain.search import parse_query

#: the state a record shows when several of its changes differ: what needs a person first
STATE_ORDER = {"conflict": 0, "rejected": 1, "pending": 2, "applied": 3}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=value) if value else None


def month_start_utc(today: dt.date) -> dt.datetime:
    local = dt.datetime(today.year, today.month, 1).astimezone()
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


#: Today's two groups, in the order shown: overdue, then due today
DUE_BUCKETS = ((0, "h.due_on < :today"), (1, "h.due_on = :today"))


def due_sql(today: dt.date, bucket: int, after: After | None, limit: int) -> tuple[str, dict[str, Any]]:
    """One of Today's groups in walking order. Each group is read on its own so that the walking-order
    index serves the ORDER BY and a page stops after ``limit`` rows (sorting every due household of a
    street for each page took 20 ms at 50,000 households; this takes under 1 ms)."""
    params: dict[str, Any] = {"today": today.isoformat(), "limit": limit}
    sql = f"SELECT {_ROW_COLUMNS.format(bucket=bucket)} FROM household h WHERE {dict(DUE_BUCKETS)[bucket]}"
    if after is not None and after[0] == bucket:
        params["after_key"], params["after_id"] = after[1], after[2].hex
        sql += " AND (h.walk_key, h.id) > (:after_key, :after_id)"
    return sql + " ORDER BY h.walk_key, h.id LIMIT :limit", params


def _member_row(m: sqlite3.Row, state: str) -> MemberRow:
    return MemberRow(
        uuid.UUID(hex=m["id"]),
        m["name"],
        m["relation"],
        m["sex"],
        _date(m["birth_date"]),
        m["phone"],
        m["id_number"],
        state,
    )


class Reader:
    """Read-only queries for the screens. Each thread gets its own connection (SQLite connections are
    not shared across threads); ``interrupt`` stops a running query when the app quits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = cipher.connect(
                self.path,
                rows=True,
                cache_kib=cipher.PAGE_CACHE_KIB,
                timeout=schema.BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            con.execute("PRAGMA query_only=1")
            con.execute(f"PRAGMA busy_timeout={schema.BUSY_TIMEOUT_MS}")
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    def connection(self) -> sqlite3.Connection:
        """This thread's read-only connection (rows by name: sqlite3.Row or SQLCipher's own), for reads
        that live elsewhere (the guide's search): call it on the thread that uses it."""
        return self._con()

    def _rows(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self._con().execute(sql, params).fetchall()

    def _scalar(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> Any:
        row = self._con().execute(sql, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several SELECTs that see one state of the database (a commit in between cannot show a
        visit without its requests)."""
        con = self._con()
        if con.in_transaction:  # already inside one (a snapshot calling another): it holds
            yield
            return
        con.execute("BEGIN")
        try:
            yield
        finally:
            if con.in_transaction:
                con.execute("COMMIT")  # a read-only transaction: COMMIT only ends it

    def interrupt(self) -> None:
        with self._lock:
            for con in self._all:
                con.interrupt()

    def close(self) -> None:
        with self._lock:
            for con in self._all:
                con.close()
            self._all.clear()
        self._local = threading.local()

    # -- lists --------------------------------------------------------------------------------

    @staticmethod
    def _page(rows: list[sqlite3.Row], limit: int) -> Page:
        out = [
            HouseholdRow(
                uuid.UUID(hex=r["id"]),
                r["walk_key"],
                int(r["bucket"]),
                r["compound"],
                r["building"],
                r["unit"],
                r["room"],
                r["head_name"],
                r["phone"],
                tuple(sorted(r["tags"].split(","))) if r["tags"] else (),
                dt.date.fromisoformat(r["due_on"]),
                _date(r["last_met_on"]),
                r["sync_state"] or "applied",
            )
            for r in rows[:limit]
        ]
        return Page(out, len(rows) > limit)

    def search(
        self, filters: Filters, today: dt.date, after: After | None = None, limit: int = PAGE_SIZE, reasons: bool = True
    ) -> Page:
        """One page of a search, each household with what matched when its row does not show it (刘波
        found by ``zs``: a member is 张思琪). ``reasons=False``: the page alone (as you type, the first
        page shows at once and :meth:`match_reasons` follows)."""
        with self.snapshot():
            page = self._page(self._rows(*search_sql(filters, today, after, limit)), limit)
            return Page(self._explained(filters, page.rows), page.more) if reasons else page

    def match_reasons(self, filters: Filters, rows: list[HouseholdRow]) -> list[HouseholdRow]:
        """``rows`` with what matched, where their address and head do not show it."""
        with self.snapshot():
            return self._explained(filters, rows)

    def _explained(self, filters: Filters, rows: list[HouseholdRow]) -> list[HouseholdRow]:
        tokens = parse_query(filters.text)
        if not tokens or not rows:
            return rows
        marks = ",".join("?" * len(rows))
        people: dict[str, list[sqlite3.Row]] = {}
        for p in self._rows(
            f"SELECT household_id, name, phone, id_number FROM person WHERE active AND household_id IN ({marks}) "
            "ORDER BY household_id, position",
            tuple(r.id.hex for r in rows),
        ):
            people.setdefault(p["household_id"], []).append(p)
        return [replace(r, match=match_reason(r, people.get(r.id.hex, []), tokens)) for r in rows]

    def search_count(self, filters: Filters, today: dt.date) -> int:
        return int(self._scalar(*search_count_sql(filters, today)) or 0)

    def due(self, today: dt.date, after: After | None = None, limit: int = PAGE_SIZE) -> Page:
        """Today: households due or overdue, overdue first, each group in walking order."""
        rows: list[sqlite3.Row] = []
        with self.snapshot():  # both groups from one state: a household moving between them shows once
            for bucket, _ in DUE_BUCKETS:
                if after is not None and bucket < after[0]:
                    continue
                rows += self._rows(*due_sql(today, bucket, after, limit + 1 - len(rows)))
                if len(rows) > limit:
                    break
        return self._page(rows, limit)

    # -- coverage ------------------------------------------------------------------------------

    def coverage(self, today: dt.date) -> Coverage:
        with self.snapshot():
            return self._coverage(today)

    def _coverage(self, today: dt.date) -> Coverage:
        """This month's effective visits that met the household: a visit corrected by a later
        amendment counts through its amendment only. CROSS JOIN keeps SQLite starting from the
        month's visits (the visited_at index) rather than scanning every visit_person row."""
        since = {"since": _stamp(month_start_utc(today)), "today": today.isoformat()}
        effective = (
            "v.visited_at >= :since AND v.outcome = 'met' "
            "AND NOT EXISTS (SELECT 1 FROM visit a WHERE a.amends_id = v.id)"
        )
        visited = self._scalar(f"SELECT count(DISTINCT v.household_id) FROM visit v WHERE {effective}", since)
        seen = self._scalar(
            "SELECT count(DISTINCT vp.person_id) FROM visit v "
            "CROSS JOIN visit_person vp ON vp.visit_id = v.id "
            "CROSS JOIN person p ON p.id = vp.person_id "
            f"WHERE {effective} AND p.active",
            since,
        )
        totals = (
            self._con()
            .execute(
                "SELECT (SELECT count(*) FROM household), (SELECT count(*) FROM person WHERE active), "
                "(SELECT count(*) FROM household WHERE due_on < :today), "
                "(SELECT count(*) FROM household WHERE due_on = :today)",
                since,
            )
            .fetchone()
        )
        return Coverage(visited or 0, totals[0], seen or 0, totals[1], totals[3], totals[2])

    # -- one household ---------------------------------------------------------------------------

    def _states(self, ids: list[str]) -> dict[str, str]:
        """Each entity's sync state: the most pressing of its outbox entries (conflict, rejected,
        pending); entities with none, or only applied ones, are absent (synced)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f"SELECT entity_id, state FROM outbox WHERE entity_id IN ({marks}) AND state != 'applied' "
            "AND acknowledged_at IS NULL",
            tuple(ids),
        )
        states: dict[str, str] = {}
        for r in rows:
            if STATE_ORDER[r["state"]] < STATE_ORDER[states.get(r["entity_id"], "applied")]:
                states[r["entity_id"]] = r["state"]
        return states

    def household_detail(self, household_id: uuid.UUID) -> HouseholdDetail | None:
        with self.snapshot():
            return self._household_detail(household_id)

    def _visit_people(self, hid: str) -> dict[str, list[str]]:
        """Who was met at each of a household's visits: visit id -> person ids."""
        seen: dict[str, list[str]] = {}
        for r in self._rows(
            "SELECT vp.visit_id, vp.person_id FROM visit v JOIN visit_person vp ON vp.visit_id = v.id "
            "WHERE v.household_id = ?",
            (hid,),
        ):
            seen.setdefault(r["visit_id"], []).append(r["person_id"])
        return seen

    def _visit_articles(self, hid: str) -> dict[str, list[VisitArticleRow]]:
        """The guide articles explained or handed out at each of a household's visits, in the order given."""
        articles: dict[str, list[VisitArticleRow]] = {}
        for r in self._rows(
            "SELECT va.visit_id, va.article_id, va.version, va.action, va.title FROM visit v "
            "JOIN visit_article va ON va.visit_id = v.id WHERE v.household_id = ? ORDER BY va.rowid",
            (hid,),
        ):
            articles.setdefault(r["visit_id"], []).append(
                VisitArticleRow(uuid.UUID(hex=r["article_id"]), r["version"], r["action"], r["title"])
            )
        return articles

    def _household_detail(self, household_id: uuid.UUID) -> HouseholdDetail | None:
        hid = household_id.hex
        h = (
            self._con()
            .execute(
                "SELECT h.*, g.name AS grid_name, c.name AS community_name, m.name AS micro_name, m.liaison_name, "
                "m.liaison_phone FROM household h JOIN org_unit g ON g.id = h.grid_id "
                "LEFT JOIN org_unit c ON c.id = g.parent_id LEFT JOIN org_unit m ON m.id = h.micro_grid_id "
                "WHERE h.id = ?",
                (hid,),
            )
            .fetchone()
        )
        if h is None:
            return None
        persons = self._rows("SELECT * FROM person WHERE household_id = ? ORDER BY position", (hid,))
        members = [p for p in persons if p["active"]]
        names = {p["id"]: p["name"] for p in persons}
        visits = self._rows("SELECT * FROM visit WHERE household_id = ? ORDER BY visited_at DESC", (hid,))
        requests = self._rows("SELECT * FROM resident_request WHERE household_id = ? ORDER BY created_at DESC", (hid,))
        seen = self._visit_people(hid)
        articles = self._visit_articles(hid)
        states = self._states(
            [hid] + [m["id"] for m in members] + [v["id"] for v in visits] + [r["id"] for r in requests]
        )
        amended_by = {v["amends_id"]: v["id"] for v in visits if v["amends_id"]}

        def request_row(r: sqlite3.Row) -> RequestRow:
            state = states.get(r["id"]) or (states.get(r["visit_id"], "applied") if r["visit_id"] else "applied")
            return RequestRow(
                uuid.UUID(hex=r["id"]),
                r["category"],
                r["description"],
                r["urgency"],
                r["status"],
                dt.date.fromisoformat(r["due_on"]),
                _datetime(r["created_at"]),
                state,
            )

        request_rows = [request_row(r) for r in requests]
        by_visit: dict[str, list[RequestRow]] = {}
        for r, row in zip(requests, request_rows, strict=True):
            if r["visit_id"]:
                by_visit.setdefault(r["visit_id"], []).append(row)
        tags = [r[0] for r in self._rows("SELECT tag FROM household_tag WHERE household_id = ? ORDER BY tag", (hid,))]
        unsent = self._scalar(
            "SELECT count(*) FROM outbox WHERE household_id = ? AND state != 'applied' AND acknowledged_at IS NULL",
            (hid,),
        )
        return HouseholdDetail(
            id=household_id,
            compound=h["compound"],
            building=h["building"],
            unit=h["unit"],
            floor=h["floor"],
            room=h["room"],
            head_name=h["head_name"],
            phone=h["phone"],
            notes=h["notes"],
            tags=tuple(tags),
            visit_interval_days=h["visit_interval_days"],
            interval_fixed=bool(h["interval_fixed"]),
            last_met_on=_date(h["last_met_on"]),
            last_attempt_on=_date(h["last_attempt_on"]),
            due_on=dt.date.fromisoformat(h["due_on"]),
            grid_name=h["grid_name"],
            micro_grid_name=h["micro_name"] or "",
            liaison_name=h["liaison_name"] or "",
            liaison_phone=h["liaison_phone"] or "",
            members=tuple(_member_row(m, states.get(m["id"], "applied")) for m in members),
            visits=tuple(
                VisitRow(
                    uuid.UUID(hex=v["id"]),
                    _datetime(v["visited_at"]),
                    v["outcome"],
                    v["notes"],
                    tuple(names.get(p, "?") for p in seen.get(v["id"], [])),
                    tuple(uuid.UUID(hex=p) for p in seen.get(v["id"], [])),
                    _uuid(v["amends_id"]),
                    _uuid(amended_by.get(v["id"])),
                    tuple(by_visit.get(v["id"], [])),
                    states.get(v["id"], "applied"),
                    tuple(articles.get(v["id"], [])),
                    # a returned visit corrected here: 已修改 until the pull brings the server's state
                    "amended" if v["review_state"] == "returned" and v["id"] in amended_by else v["review_state"],
                    v["review_reason"],
                    v["review_comment"],
                    pins(v["review_pins"]),
                )
                for v in visits
            ),
            requests=tuple(request_rows),
            unsent=unsent or 0,
            version=h["version"],
            grid_id=uuid.UUID(hex=h["grid_id"]),
            community_name=h["community_name"] or "",
            cards=tuple(self._card_issues(hid)),
        )

    # -- filters, unsent, drafts, identity --------------------------------------------------------

    def buildings(self, grid_id: uuid.UUID | None = None) -> list[tuple[str, str]]:
        """(compound, building) pairs in walking order, for the building filter (of one grid if given)."""
        where, params = ("WHERE grid_id = ?", (grid_id.hex,)) if grid_id else ("", ())
        rows = self._rows(
            f"SELECT compound, building, min(walk_key) AS k FROM household {where} "
            "GROUP BY compound, building ORDER BY k",
            params,
        )
        return [(r["compound"], r["building"]) for r in rows]

    # -- contact cards ----------------------------------------------------------------------------

    @staticmethod
    def _worker_card(r: sqlite3.Row) -> WorkerCardRow:
        grids = json.loads(r["grids"]) if r["grids"] else []
        return WorkerCardRow(
            uuid.UUID(hex=r["user_id"]),
            r["username"],
            r["name"],
            r["phone"],
            r["service_hours"],
            r["card_line"],
            bytes(r["photo"]) if r["photo"] else None,
            tuple(uuid.UUID(g) for g in grids),
            r["card_code"] or "",
        )

    def worker_card(self, user_id: uuid.UUID) -> WorkerCardRow | None:
        """What one worker's card shows (the signed-in user's own, for Settings and printing)."""
        rows = self._rows("SELECT * FROM worker_card WHERE user_id = ?", (user_id.hex,))
        return self._worker_card(rows[0]) if rows else None

    def worker_cards(self) -> list[WorkerCardRow]:
        """The workers whose cards this laptop can print: those of the grids it holds (a station's
        whole community), by name."""
        return [self._worker_card(r) for r in self._rows("SELECT * FROM worker_card ORDER BY name, username")]

    def grids(self) -> list[GridRow]:
        """The grids this laptop holds households of, with their community, in code order."""
        rows = self._rows(
            "SELECT g.id, g.name, c.name AS community FROM org_unit g LEFT JOIN org_unit c ON c.id = g.parent_id "
            "WHERE g.kind = 'grid' AND EXISTS (SELECT 1 FROM household h WHERE h.grid_id = g.id) ORDER BY g.code"
        )
        return [GridRow(uuid.UUID(hex=r["id"]), r["name"], r["community"] or "") for r in rows]

    def card_households(
        self,
        grid_id: uuid.UUID | None = None,
        compound: str | None = None,
        building: str | None = None,
        ids: list[uuid.UUID] | None = None,
    ) -> list[CardHouseholdRow]:
        """The households a batch of cards is for, in walking order: a grid's, one building's, or
        the ones chosen (``ids``); each condition given narrows the batch."""
        where: list[str] = []
        params: list[Any] = []
        if grid_id is not None:
            where.append("grid_id = ?")
            params.append(grid_id.hex)
        if compound is not None:
            where.append("compound = ?")
            params.append(compound)
        if building is not None:
            where.append("building = ?")
            params.append(building)
        if ids is not None:
            if not ids:
                return []
            where.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps([i.hex for i in ids]))
        sql = "SELECT id, grid_id, compound, building, unit, room, head_name FROM household"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._rows(sql + " ORDER BY walk_key, id", tuple(params))
        return [
            CardHouseholdRow(
                uuid.UUID(hex=r["id"]),
                uuid.UUID(hex=r["grid_id"]),
                r["compound"],
                r["building"],
                r["unit"],
                r["room"],
                r["head_name"],
            )
            for r in rows
        ]

    def card_issues(self, household_id: uuid.UUID) -> list[CardIssueRow]:
        """The contact cards a household received, oldest first."""
        with self.snapshot():
            return self._card_issues(household_id.hex)

    def _card_issues(self, hid: str) -> list[CardIssueRow]:
        cards = self._rows(
            "SELECT ci.*, wc.name AS card_user_name FROM card_issue ci "
            "LEFT JOIN worker_card wc ON wc.user_id = ci.card_user_id "
            "WHERE ci.household_id = ? ORDER BY ci.issued_at, ci.created_at",
            (hid,),
        )
        states = self._states([c["id"] for c in cards])
        return [
            CardIssueRow(
                uuid.UUID(hex=c["id"]),
                uuid.UUID(hex=c["card_user_id"]),
                c["card_user_name"] or "",
                _datetime(c["issued_at"]),
                c["layout"],
                bool(c["reprint"]),
                states.get(c["id"], "applied"),
            )
            for c in cards
        ]

    def unsent_count(self) -> int:
        """Changes the server has not accepted yet: waiting to be sent, or set aside (rejected,
        conflicting) for a person to look at and not yet acknowledged."""
        return int(
            self._scalar("SELECT count(*) FROM outbox WHERE state != 'applied' AND acknowledged_at IS NULL") or 0
        )

    def outbox_rows(self, limit: int = 1000) -> list[OutboxRow]:
        """Changes not yet accepted by the server: pending, and rejected and conflicting ones the worker
        has not acknowledged, oldest first, with what was sent and what the server answered."""
        rows = self._rows(
            "SELECT o.seq, o.kind, o.created_at, o.state, o.error, o.result, o.payload, o.household_id, "
            "h.compound, h.building, h.unit, h.room, h.head_name "
            "FROM outbox o LEFT JOIN household h ON h.id = o.household_id "
            "WHERE o.state != 'applied' AND o.acknowledged_at IS NULL ORDER BY o.seq LIMIT ?",
            (limit,),
        )
        out = []
        for r in rows:
            where = "-".join(p for p in (r["building"], r["unit"], r["room"]) if p)
            label = f"{r['compound']} {where} {r['head_name']}".strip() if r["compound"] is not None else ""
            result = json.loads(r["result"]) if r["result"] else None
            code = str(result.get("code") or "") if isinstance(result, dict) else ""
            created = _datetime(r["created_at"])
            payload = json.loads(r["payload"]) if r["payload"] else {}
            out.append(
                OutboxRow(
                    r["seq"],
                    r["kind"],
                    label,
                    created,
                    r["state"],
                    r["error"],
                    code,
                    _uuid(r["household_id"]),
                    payload if isinstance(payload, dict) else {},
                    result if isinstance(result, dict) else {},
                )
            )
        return out

    def returned_visits(self, household_id: uuid.UUID | None = None) -> list[ReturnedVisitRow]:
        """Visits a reviewer returned for correction, not corrected yet (of one household, or all)."""
        return returned_visits(self._con(), household_id)

    def pending_count(self) -> int:
        """Changes still waiting to be sent (not those the server set aside)."""
        return int(self._scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") or 0)

    def drafts(self) -> list[DraftRow]:
        rows = self._rows("SELECT key, kind, household_id, payload, updated_at FROM draft ORDER BY updated_at DESC")
        return [
            DraftRow(
                r["key"], r["kind"], _uuid(r["household_id"]), json.loads(r["payload"]), _datetime(r["updated_at"])
            )
            for r in rows
        ]

    def draft(self, key: str) -> DraftRow | None:
        return next((d for d in self.drafts() if d.key == key), None)

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}
