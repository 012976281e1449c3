"""The push: a device's mutations, exactly once, in its sequence (SYNC.md, Push and Who owns what).

One server transaction per batch. The device row is locked first, with the token read (``FOR UPDATE OF
device``; SQLite's write lock does the same), so two requests of one device never interleave. Each
mutation runs in a savepoint: a rejection undoes only its own effects, is recorded with its reason, and
the sequence still advances.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from gridworker_server import metrics
from gridworker_server.auth import Principal
from gridworker_server.driver import all_rows, among, insert_rows, run
from gridworker_server.errors import ApiError
from gridworker_server.models import (
    Device,
    Household,
    MutationLog,
    Person,
    RequestEvent,
    ResidentRequest,
    Visit,
    utcnow,
)
from gridworker_server.push import access, backchecks, cards, households, request_flow, requests, review, visits
from gridworker_server.push.batch import Batch, HouseholdFacts, Outcome, Rejected
from gridworker_server.review.flags import Placed, flag_new
from gridworker_server.review.numbers import number_rows
from gridworker_shared.faults import crash_point
from gridworker_shared.protocol import MUTATION_KINDS, PushItem, PushRequest, PushResponse, PushResult

log = logging.getLogger("gridworker.server.push")

MAX_PAYLOAD_DEPTH = 32  # containers nested in one payload; the protocol's deepest nests 3

REUSED = ("mutation_id_reused", "This mutation id was already used for other content; nothing was applied.")


class PushError(ApiError):
    """The whole batch is refused and nothing is applied (a gap, a fork, a changed epoch)."""


class _Statements:
    """The batch's reads, built once per dialect: each push runs them, and building a statement costs
    more Python than running it costs the database (SQLAlchemy memoizes the cache key on the statement
    object). The plain reads run through the driver on PostgreSQL (:func:`driver.all_rows`)."""

    def __init__(self, dialect: str) -> None:
        ml, pt, vt = MutationLog.__table__.c, Person.__table__.c, Visit.__table__.c
        logged = (ml.seq, ml.mutation_id, ml.status, ml.code, ml.message, ml.data, ml.content_hash)
        self.replayed = select(*logged).where(ml.device_id == bindparam("device"), among(ml.seq, "seqs", dialect))
        self.earlier = (
            select(*logged)
            .where(ml.user_id == bindparam("user"), among(ml.mutation_id, "ids", dialect))
            .order_by(ml.received_at.desc())
        )
        ht = Household.__table__.c
        # a new visit's household facts (push.batch.HouseholdFacts: its fields, in their order), locked,
        # in id order
        self.households = (
            select(*(ht[f.name] for f in dataclasses.fields(HouseholdFacts)))
            .where(among(ht.id, "ids", dialect))
            .order_by(ht.id)
            .with_for_update()
        )
        self.members = select(pt.id, pt.household_id).where(among(pt.household_id, "ids", dialect))
        self.visits = select(vt.id, vt.content_hash, vt.household_id).where(among(vt.id, "ids", dialect))
        self.requests = select(ResidentRequest.__table__.c.id).where(
            among(ResidentRequest.__table__.c.id, "ids", dialect)
        )
        self.insert_visits = insert(Visit)
        self.insert_requests = insert(ResidentRequest)
        self.insert_events = insert(RequestEvent)
        self.insert_log = insert(MutationLog)
        dv = Device.__table__.c
        self.advance = (
            update(Device)
            .where(dv.id == bindparam("b_id"))
            .values(last_seq=bindparam("b_seq"), clock_offset_s=func.coalesce(bindparam("b_offset"), dv.clock_offset_s))
        )
        self.visited = (
            update(Household)
            .where(ht.id == bindparam("b_id"))
            .values(
                version=bindparam("b_version"),
                last_attempt_on=bindparam("b_attempt"),
                last_met_on=bindparam("b_met"),
                updated_at=bindparam("b_now"),
            )
        )
        # on PostgreSQL the visited households in one statement, their values as arrays side by side
        # (executemany sent one UPDATE per household through psycopg's pipeline)
        rows = select(
            func.unnest(bindparam("ids", type_=postgresql.ARRAY(ht.id.type))).label("id"),
            func.unnest(bindparam("versions", type_=postgresql.ARRAY(ht.version.type))).label("version"),
            func.unnest(bindparam("attempts", type_=postgresql.ARRAY(ht.last_attempt_on.type))).label("attempt"),
            func.unnest(bindparam("mets", type_=postgresql.ARRAY(ht.last_met_on.type))).label("met"),
        ).subquery("v")
        self.visited_all = (
            update(Household)
            .where(ht.id == rows.c.id)
            .values(
                version=rows.c.version,
                last_attempt_on=rows.c.attempt,
                last_met_on=rows.c.met,
                updated_at=bindparam("now"),
            )
        )


_statements = functools.cache(_Statements)


def push(s: Session, p: Principal, req: PushRequest, epoch: uuid.UUID) -> PushResponse:
    """One batch in the caller's transaction. A batch costs a fixed handful of statements plus bulk
    inserts: the rows it needs are read once up front, visits are inserted together at the end."""
    if req.device_id != p.device_id:
        raise PushError(403, "wrong_device", "The token belongs to another device.")
    if req.epoch is not None and req.epoch != epoch:
        raise PushError(
            409,
            "epoch_changed",
            "The server was restored from a backup; syncing again.",
            epoch=str(epoch),
        )
    seqs = [m.seq for m in req.mutations]
    if seqs != sorted(set(seqs)):
        raise PushError(400, "bad_order", "Sequence numbers must increase.")
    if p.last_seq is None:
        raise ValueError("a push authenticates with lock=True: the device row locked, its sequence read")
    last: int = p.last_seq
    now = utcnow()
    results: list[PushResult] = []
    logs: list[dict[str, Any]] = []
    fresh = [m for m in req.mutations if m.seq > last]
    conn = s.connection()
    q = _statements(conn.dialect.name)
    replayed = (
        {
            row.seq: row
            for row in all_rows(
                conn, q.replayed, {"device": p.device_id, "seqs": [m.seq for m in req.mutations if m.seq <= last]}
            )
        }
        if len(fresh) < len(req.mutations)
        else {}
    )
    earlier: dict[uuid.UUID, Any] = {}
    if fresh:
        for row in all_rows(conn, q.earlier, {"user": p.user_id, "ids": [m.id for m in fresh]}):
            earlier[row.mutation_id] = row
    with s.no_autoflush:
        applier = Applier(s, p, [m for m in fresh if m.id not in earlier])
        for item in req.mutations:
            if item.seq <= last:
                logged = replayed.get(item.seq)
                if logged is None or logged.mutation_id != item.id:
                    raise PushError(
                        409,
                        "device_fork",
                        "This device's database was restored from a backup; it must register again.",
                        last_seq=last,
                        seq=item.seq,
                    )
                if not _same_content(logged.content_hash, item):
                    # the same seq and id resent with other content: answered, not applied, not stored
                    results.append(_result(item, "conflict", *REUSED, {"seq": logged.seq}))
                    continue
                results.append(_result(item, logged.status, logged.code, logged.message, logged.data))
                continue
            if item.seq > last + 1:
                raise PushError(
                    409,
                    "sequence_gap",
                    "A gap in the sequence; nothing was applied.",
                    expected=last + 1,
                    got=item.seq,
                )
            before = earlier.get(item.id)
            digest = mutation_hash(item)
            if before is None:
                outcome = applier.run(item)
            elif _same_content(before.content_hash, item, digest):
                outcome = Outcome(before.status, before.code, before.message, before.data)
            else:
                outcome = Outcome("conflict", *REUSED, {"seq": before.seq})
            logs.append(_logged(p, item, outcome, now, digest))
            last = item.seq
            results.append(_result(item, outcome.status, outcome.code, outcome.message, outcome.data))
        applier.judge_pending()
        # the versions first: the new visits go in with their stamp (Visit.sv), not updated after
        applier.changes.flush()
        applier.write_pending()
    if logs:
        insert_rows(conn, q.insert_log, logs)
        created = fresh[-1].created_at
        offset: int | None = None
        if created is not None:
            created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
            offset = int((created - now).total_seconds())
        conn.execute(q.advance, {"b_id": p.device_id, "b_seq": last, "b_offset": offset})
    s.flush()
    crash_point("push_before_commit")
    metrics.count_push_results(results)
    return PushResponse(results=results, last_seq=last, server_time=now)


def _logged(p: Principal, item: PushItem, outcome: Outcome, now: dt.datetime, digest: str) -> dict[str, Any]:
    """The mutation's row: its result, kept to answer the same (device, seq) again."""
    return {
        "device_id": p.device_id,
        "seq": item.seq,
        "mutation_id": item.id,
        "user_id": p.user_id,
        "kind": item.kind[:40].replace("\x00", "?"),
        "status": outcome.status,
        "code": outcome.code,
        "message": outcome.message,
        "data": outcome.data,
        "received_at": now,
        "client_created_at": item.created_at,
        "content_hash": digest,
    }


def mutation_hash(item: PushItem) -> str:
    """The canonical content of a mutation (its kind and payload, keys sorted, compact) hashed: what
    tells a mutation sent again from another one under the same id."""
    canonical = json.dumps({"kind": item.kind, "payload": item.payload}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _same_content(stored: str, item: PushItem, digest: str | None = None) -> bool:
    """A row pushed before hashes were kept has none: replayed as before."""
    return not stored or stored == (digest or mutation_hash(item))


def _result(item: PushItem, status: str, code: str, message: str, data: dict[str, Any]) -> PushResult:
    return PushResult(seq=item.seq, id=item.id, status=status, code=code, message=message, data=data)  # type: ignore[arg-type]


# the handler of each mutation kind that runs in a savepoint (a new visit runs without one, see run)
HANDLERS: dict[str, Callable[[Batch, Any, uuid.UUID], Outcome]] = {
    "visit.amend": visits.amend,
    "household.update": households.update,
    "person.create": households.person_create,
    "person.update": households.person_update,
    "person.remove": households.person_remove,
    "request.command": requests.command,
    "card.issue": cards.issue,
    "profile.update": cards.profile_update,
    "visit.review": review.review,
    "backcheck.result": backchecks.result,
    "request.step": request_flow.step,
    "access.log": access.log,
}


class Applier(Batch):
    """Applies one mutation at a time, against the user's scope computed now: a new visit checked
    completely and left for the bulk insert, any other mutation in a savepoint of its own."""

    def __init__(self, s: Session, p: Principal, items: list[PushItem] | None = None) -> None:
        super().__init__(s, p)
        self._prefetch(items or [])

    def _prefetch(self, items: list[PushItem]) -> None:
        household_ids: set[uuid.UUID] = set()
        visit_ids: set[uuid.UUID] = set()
        request_ids: set[uuid.UUID] = set()
        for item in items:
            hid = _as_uuid(item.payload.get("household_id"))
            if hid is not None:
                household_ids.add(hid)
            if item.kind == "visit.create":
                vid = _as_uuid(item.payload.get("id"))
                if vid is not None:
                    visit_ids.add(vid)
                for r in item.payload.get("requests") or []:
                    rid = _as_uuid(r.get("id")) if isinstance(r, dict) else None
                    if rid is not None:
                        request_ids.add(rid)
        s = self.s
        conn = s.connection()
        q = _statements(conn.dialect.name)
        if household_ids:
            ordered = sorted(household_ids)
            for row in all_rows(conn, q.households, {"ids": ordered}):
                self.facts[row.id] = HouseholdFacts(*row)
            for pid, hid in all_rows(conn, q.members, {"ids": ordered}):
                self.members.setdefault(hid, set()).add(pid)
        if visit_ids:
            for vid, digest, hid in all_rows(conn, q.visits, {"ids": list(visit_ids)}):
                self.known_visits[vid] = (digest, hid)
        if request_ids:
            self.known_requests = {row.id for row in all_rows(conn, q.requests, {"ids": list(request_ids)})}

    def judge_pending(self) -> None:
        """The new visits not written yet numbered and judged (their flags may send review rows out
        again): at the end of a batch, all it changes is known before its versions are taken."""
        fresh = [row for row in self.new_visits if "no" not in row]
        number_rows(self.s, fresh)
        placed: dict[uuid.UUID, Placed] = {**self.facts, **self.households, **self.visited}
        flag_new(self.s, self.changes, fresh, placed, self.streets)

    def write_pending(self) -> None:
        """The batch's new visits, then their requests, then the requests' first events (keys in order);
        then the visited households' dates and versions in one UPDATE, which the ORM is told about so
        its own flush does not write them again. After the versions (:meth:`ChangeSet.flush`, the end of
        a batch) the visits go in stamped with their household's; before another mutation (which may
        read them) unstamped, for the flush to stamp."""
        self.judge_pending()
        for row in self.new_visits:
            row["sv"] = self.changes.stamps.get(row["household_id"])
        q = _statements(self.s.get_bind().dialect.name)
        for stmt, rows in (
            (q.insert_visits, self.new_visits),
            (q.insert_requests, self.new_requests),
            (q.insert_events, self.new_events),
        ):
            if rows:
                insert_rows(self.s.connection(), stmt, rows)
                rows.clear()
        if self.visited:
            now = utcnow()
            conn = self.s.connection()
            visited = list(self.visited.values())
            if conn.dialect.name == "postgresql":
                values = {
                    "ids": [h.id for h in visited],
                    "versions": [h.version for h in visited],
                    "attempts": [h.last_attempt_on for h in visited],
                    "mets": [h.last_met_on for h in visited],
                }
                run(conn, q.visited_all, values | {"now": now})
            else:
                params = [
                    {
                        "b_id": h.id,
                        "b_version": h.version,
                        "b_attempt": h.last_attempt_on,
                        "b_met": h.last_met_on,
                        "b_now": now,
                    }
                    for h in visited
                ]
                conn.execute(q.visited, params)
            for h in self.visited.values():
                if isinstance(h, Household):  # loaded by a handler of the batch: the ORM's flush skips it
                    for key in ("version", "last_attempt_on", "last_met_on"):
                        set_committed_value(h, key, getattr(h, key))
                    set_committed_value(h, "updated_at", now)
            self.visited.clear()

    def run(self, item: PushItem) -> Outcome:
        if item.kind == "visit.create":
            saved = self.changes.checkpoint()
            try:
                return visits.create(self, self._validate(item), item.id)
            except Rejected as r:
                self._resend_truth(item)
                return Outcome("rejected", r.code, r.message, r.data)
            except Exception as exc:  # checked completely before anything is written: nothing to undo
                _reraise_unless_one_mutations(exc)
                self.changes.restore(saved)
                return _unprocessable(item, self.p)
        self.write_pending()  # what follows may read them, and runs in a savepoint
        saved = self.changes.checkpoint()
        savepoint = self.s.begin_nested()
        try:
            outcome = self._dispatch(item)
            savepoint.commit()
            return outcome
        except Rejected as r:
            savepoint.rollback()
            self.changes.restore(saved)
            self._resend_truth(item)
            return Outcome("rejected", r.code, r.message, r.data)
        except Exception as exc:
            _reraise_unless_one_mutations(exc)
            savepoint.rollback()
            self.changes.restore(saved)
            return _unprocessable(item, self.p)

    def _dispatch(self, item: PushItem) -> Outcome:
        message = self._validate(item)  # refuses unknown kinds before the handler is looked up
        return HANDLERS[item.kind](self, message, item.id)

    def _validate(self, item: PushItem) -> Any:
        if _deeper_than(item.payload, MAX_PAYLOAD_DEPTH):
            raise Rejected("invalid", "The mutation is nested too deeply.", reason="too_deep", limit=MAX_PAYLOAD_DEPTH)
        if _has_nul(item.kind) or _has_nul(item.payload):
            # PostgreSQL cannot store it: refused on every backend, rather than failing the batch forever
            raise Rejected("invalid", "The mutation contains a NUL character.", reason="nul")
        model = MUTATION_KINDS.get(item.kind)
        if model is None:
            if item.kind.startswith("request.") or "status" in item.payload:
                raise Rejected(
                    "status_is_server_owned",
                    "A request's status is set by the server.",
                )
            raise Rejected("unknown_kind", f"Unknown mutation kind: {item.kind}.", kind=item.kind)
        payload = {"kind": item.kind, **item.payload}
        if _mentions_status(item.payload):
            raise Rejected(
                "status_is_server_owned",
                "A request's status is set by the server.",
            )
        try:
            message = model.model_validate(payload)
        except PydanticError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ()))
            raise Rejected(
                "invalid", f"Invalid mutation: {where}: {first.get('msg')}", reason="format", where=where
            ) from exc
        return message

    def _resend_truth(self, item: PushItem) -> None:
        """A refused edit leaves the device holding its own version: send it the server's row again."""
        if item.kind == "backcheck.result":
            backchecks.resend(self, item.payload.get("id"))
            return
        raw = item.payload.get("household_id")
        try:
            hid = uuid.UUID(str(raw))
        except ValueError:
            return
        h = self.s.get(Household, hid)
        if h is not None and h.deleted_at is None and h.grid_id in self.grids:
            self.changes.household(h)


def _reraise_unless_one_mutations(exc: Exception) -> None:
    """What the server or its database suffers (a lost connection, a deadlock, a full pool, a batch
    refusal) is not the mutation's fault: it fails the batch, which the device sends again."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | ApiError):
        raise exc
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        raise exc


def _unprocessable(item: PushItem, p: Principal) -> Outcome:
    """A handler failed on this mutation in a way no rule names: rejected with a reason, so the
    device's queue goes on (SYNC.md); the traceback is logged with ids only, never the content."""
    log.exception("push: mutation %s (seq %s, device %s) failed; rejected", item.id, item.seq, p.device_id)
    return Outcome("rejected", "unprocessable", "The server could not process this change.")


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _has_nul(value: Any) -> bool:
    """Any NUL in the strings of a JSON value, without recursion (a deep value is no RecursionError)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if "\x00" in v:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` deep in a JSON value, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        inner = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        if inner is None:
            continue
        if depth + 1 > limit:
            return True
        stack.extend((x, depth + 1) for x in inner if isinstance(x, dict | list))
    return False


def _mentions_status(payload: dict[str, Any]) -> bool:
    if "status" in payload:
        return True
    for key in ("changes", "fields"):
        inner = payload.get(key)
        if isinstance(inner, dict) and "status" in inner:
            return True
    requests = payload.get("requests")
    return isinstance(requests, list) and any(isinstance(r, dict) and "status" in r for r in requests)
