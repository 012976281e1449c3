"""The push: a device's mutations, exactly once, in its sequence (SYNC.md, Push and Who owns what).

One server transaction per batch. The device row is locked first, with the token read (``FOR UPDATE OF
device``; SQLite's write lock does the same), so two requests of one device never interleave. Each
mutation runs in a savepoint: a rejection undoes only its own effects, is recorded with its reason, and
the sequence still advances.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from gridworker_server.auth import Principal, grids_of
from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.models import (
    CardIssue,
    Conflict,
    Device,
    GridAssignment,
    Household,
    HouseholdMove,
    MutationLog,
    Person,
    RequestEvent,
    ResidentRequest,
    User,
    Visit,
    utcnow,
)
from gridworker_shared.domain.codes import (
    CARE_TAG_BY_CODE,
    OUTCOME_BY_CODE,
    RELATION_BY_CODE,
    REQUEST_CATEGORY_BY_CODE,
    SEX_BY_CODE,
    URGENCY_BY_CODE,
)
from gridworker_shared.domain.households import MAX_DESCRIPTION, MAX_NOTES
from gridworker_shared.domain.validation import (
    ValidationError,
    validate_id_number,
    validate_optional_phone,
    validate_person_name,
)
from gridworker_shared.faults import crash_point
from gridworker_shared.protocol import (
    MAX_PHOTO_BYTES,
    MUTATION_KINDS,
    HouseholdUpdate,
    PersonCreate,
    PersonRemove,
    PersonUpdate,
    ProfileUpdate,
    PushItem,
    PushRequest,
    PushResponse,
    PushResult,
    RequestCommand,
    VisitAmend,
    VisitCreate,
    grid_scope,
)
from gridworker_shared.protocol import (
    CardIssue as CardIssueMessage,
)

CHINA = dt.timezone(dt.timedelta(hours=8))
HOUSEHOLD_FIELDS = ("phone", "notes", "tags", "visit_interval_days")
PERSON_FIELDS = ("name", "relation", "sex", "birth_date", "phone", "id_number")
CANCELLABLE = ("submitted", "accepted", "assigned")


class PushError(ApiError):
    """The whole batch is refused and nothing is applied (a gap, a fork, a changed epoch)."""


class Rejected(Exception):  # noqa: N818 (a refusal, not an error)
    """A business rule refused one mutation: recorded with its reason, the queue goes on."""

    def __init__(self, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class Outcome:
    status: str = "applied"
    code: str = ""
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def visit_digest(m: VisitCreate | VisitAmend) -> str:
    """What a visit's content hashes to. A field added to the message later is left out while it holds
    its default, so a visit recorded before the field existed hashes as it did then."""
    body = m.model_dump(mode="json")
    if not body.get("articles"):
        body.pop("articles", None)
    return content_hash(body)


def visit_articles(m: VisitCreate | VisitAmend) -> list[dict[str, Any]]:
    """The articles a visit names, once per (article, action)."""
    out: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for a in m.articles:
        out.setdefault((a.id, a.action), {"id": str(a.id), "version": a.version, "action": a.action, "title": a.title})
    return list(out.values())


def local_day(when: dt.datetime) -> dt.date:
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(CHINA).date()


class _Statements:
    """The batch's reads, built once: each push runs them, and building a statement costs more Python
    than running it costs the database (SQLAlchemy memoizes the cache key on the statement object)."""

    def __init__(self) -> None:
        ids: Any = bindparam("ids", expanding=True)
        ml = MutationLog.__table__.c
        logged = (ml.seq, ml.mutation_id, ml.status, ml.code, ml.message, ml.data)
        self.replayed = select(*logged).where(
            ml.device_id == bindparam("device"), ml.seq.in_(bindparam("seqs", expanding=True))
        )
        self.earlier = (
            select(*logged)
            .where(ml.user_id == bindparam("user"), ml.mutation_id.in_(ids))
            .order_by(ml.received_at.desc())
        )
        self.households = select(Household).where(Household.id.in_(ids)).order_by(Household.id).with_for_update()
        self.members = select(Person.id, Person.household_id).where(Person.household_id.in_(ids))
        self.visits = select(Visit.id, Visit.content_hash, Visit.household_id).where(Visit.id.in_(ids))
        self.requests = select(ResidentRequest.id).where(ResidentRequest.id.in_(ids))
        dv, ht = Device.__table__.c, Household.__table__.c
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


_Q = _Statements()


def push(s: Session, p: Principal, req: PushRequest, epoch: uuid.UUID) -> PushResponse:
    """One batch in the caller's transaction. A batch costs a fixed handful of statements plus bulk
    inserts: the rows it needs are read once up front, visits are inserted together at the end."""
    if req.device_id != p.device_id:
        raise PushError(403, "wrong_device", "此令牌属于另一台设备。The token belongs to another device.")
    if req.epoch is not None and req.epoch != epoch:
        raise PushError(
            409,
            "epoch_changed",
            "服务器数据已从备份恢复，正在重新同步。The server was restored from a backup; syncing again.",
            epoch=str(epoch),
        )
    seqs = [m.seq for m in req.mutations]
    if seqs != sorted(set(seqs)):
        raise PushError(400, "bad_order", "批次中的序号必须递增且不重复。Sequence numbers must increase.")
    if p.last_seq is None:
        raise ValueError("a push authenticates with lock=True: the device row locked, its sequence read")
    last: int = p.last_seq
    now = utcnow()
    results: list[PushResult] = []
    logs: list[dict[str, Any]] = []
    fresh = [m for m in req.mutations if m.seq > last]
    replayed = (
        {
            row.seq: row
            for row in s.execute(
                _Q.replayed, {"device": p.device_id, "seqs": [m.seq for m in req.mutations if m.seq <= last]}
            )
        }
        if len(fresh) < len(req.mutations)
        else {}
    )
    earlier: dict[uuid.UUID, Any] = {}
    if fresh:
        for row in s.execute(_Q.earlier, {"user": p.user_id, "ids": [m.id for m in fresh]}):
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
                        "此设备的数据库是从备份恢复的，需要重新登记设备。This device's database was restored from a "
                        "backup; it must register again.",
                        last_seq=last,
                        seq=item.seq,
                    )
                results.append(_result(item, logged.status, logged.code, logged.message, logged.data))
                continue
            if item.seq > last + 1:
                raise PushError(
                    409,
                    "sequence_gap",
                    "同步序号不连续，本批未应用。A gap in the sequence; nothing was applied.",
                    expected=last + 1,
                    got=item.seq,
                )
            before = earlier.get(item.id)
            outcome = Outcome(before.status, before.code, before.message, before.data) if before else applier.run(item)
            logs.append(
                {
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
                }
            )
            last = item.seq
            results.append(_result(item, outcome.status, outcome.code, outcome.message, outcome.data))
        applier.write_pending()
    if logs:
        conn = s.connection()
        conn.execute(insert(MutationLog), logs)
        created = fresh[-1].created_at
        offset: int | None = None
        if created is not None:
            created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
            offset = int((created - now).total_seconds())
        conn.execute(_Q.advance, {"b_id": p.device_id, "b_seq": last, "b_offset": offset})
    applier.changes.flush()
    s.flush()
    crash_point("push_before_commit")
    return PushResponse(results=results, last_seq=last, server_time=now)


def _result(item: PushItem, status: str, code: str, message: str, data: dict[str, Any]) -> PushResult:
    return PushResult(seq=item.seq, id=item.id, status=status, code=code, message=message, data=data)  # type: ignore[arg-type]


class Applier:
    """Applies one mutation at a time in a savepoint, against the user's scope computed now."""

    def __init__(self, s: Session, p: Principal, items: list[PushItem] | None = None) -> None:
        self.s = s
        self.p = p
        self.grids = grids_of(s, p)
        self.changes = ChangeSet(s)
        # read once for the whole batch: its households (locked, in id order), their members, the visits
        # and requests it names; new visits and their requests are inserted together at the end
        self.households: dict[uuid.UUID, Household] = {}
        self.members: dict[uuid.UUID, set[uuid.UUID]] = {}
        self.known_visits: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}
        self.known_requests: set[uuid.UUID] = set()
        self._visits: list[dict[str, Any]] = []
        self._requests: list[dict[str, Any]] = []
        self._events: list[dict[str, Any]] = []
        # households whose dates and version only new visits changed: written together by write_pending
        self._visited: dict[uuid.UUID, Household] = {}
        self._prefetch(items or [])
        self._handlers: dict[str, Callable[[Any, uuid.UUID], Outcome]] = {
            "visit.create": self._visit,
            "visit.amend": self._visit,
            "household.update": self._household_update,
            "person.create": self._person_create,
            "person.update": self._person_update,
            "person.remove": self._person_remove,
            "request.command": self._request_command,
            "card.issue": self._card_issue,
            "profile.update": self._profile_update,
        }

    def _prefetch(self, items: list[PushItem]) -> None:
        households: set[uuid.UUID] = set()
        visits: set[uuid.UUID] = set()
        requests: set[uuid.UUID] = set()
        for item in items:
            hid = _as_uuid(item.payload.get("household_id"))
            if hid is not None:
                households.add(hid)
            if item.kind == "visit.create":
                vid = _as_uuid(item.payload.get("id"))
                if vid is not None:
                    visits.add(vid)
                for r in item.payload.get("requests") or []:
                    rid = _as_uuid(r.get("id")) if isinstance(r, dict) else None
                    if rid is not None:
                        requests.add(rid)
        s = self.s
        if households:
            ordered = sorted(households)
            for h in s.scalars(_Q.households, {"ids": ordered}):
                self.households[h.id] = h
            for pid, hid in s.execute(_Q.members, {"ids": ordered}):
                self.members.setdefault(hid, set()).add(pid)
        if visits:
            for vid, digest, hid in s.execute(_Q.visits, {"ids": list(visits)}):
                self.known_visits[vid] = (digest, hid)
        if requests:
            self.known_requests = set(s.scalars(_Q.requests, {"ids": list(requests)}))

    def write_pending(self) -> None:
        """The batch's new visits, then their requests, then the requests' first events (keys in order);
        then the visited households' dates and versions in one UPDATE, which the ORM is told about so
        its own flush does not write them again."""
        for model, rows in ((Visit, self._visits), (ResidentRequest, self._requests), (RequestEvent, self._events)):
            if rows:
                self.s.connection().execute(insert(model), rows)
                rows.clear()
        if self._visited:
            now = utcnow()
            params = [
                {
                    "b_id": h.id,
                    "b_version": h.version,
                    "b_attempt": h.last_attempt_on,
                    "b_met": h.last_met_on,
                    "b_now": now,
                }
                for h in self._visited.values()
            ]
            self.s.connection().execute(_Q.visited, params)
            for h in self._visited.values():
                for key in ("version", "last_attempt_on", "last_met_on"):
                    set_committed_value(h, key, getattr(h, key))
                set_committed_value(h, "updated_at", now)
            self._visited.clear()

    def run(self, item: PushItem) -> Outcome:
        if item.kind == "visit.create":
            try:
                return self._visit_create(self._validate(item), item.id)
            except Rejected as r:
                self._resend_truth(item)
                return Outcome("rejected", r.code, r.message, r.data)
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

    def _dispatch(self, item: PushItem) -> Outcome:
        message = self._validate(item)  # refuses unknown kinds before the handler is looked up
        return self._handlers[item.kind](message, item.id)

    def _validate(self, item: PushItem) -> Any:
        if _has_nul(item.kind) or _has_nul(item.payload):
            # PostgreSQL cannot store it: refused on every backend, rather than failing the batch forever
            raise Rejected("invalid", "数据中含有空字符。The mutation contains a NUL character.")
        model = MUTATION_KINDS.get(item.kind)
        if model is None:
            if item.kind.startswith("request.") or "status" in item.payload:
                raise Rejected(
                    "status_is_server_owned",
                    "诉求状态由服务器办理流程决定，客户端不能直接修改。A request's status is set by the server.",
                )
            raise Rejected("unknown_kind", f"不支持的操作类型：{item.kind}。Unknown mutation kind.")
        payload = {"kind": item.kind, **item.payload}
        if _mentions_status(item.payload):
            raise Rejected(
                "status_is_server_owned",
                "诉求状态由服务器办理流程决定，客户端不能直接修改。A request's status is set by the server.",
            )
        try:
            message = model.model_validate(payload)
        except PydanticError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ()))
            raise Rejected(
                "invalid", f"数据格式不正确（{where}）。Invalid mutation: {where}: {first.get('msg')}"
            ) from exc
        return message

    def _resend_truth(self, item: PushItem) -> None:
        """A refused edit leaves the device holding its own version: send it the server's row again."""
        raw = item.payload.get("household_id")
        try:
            hid = uuid.UUID(str(raw))
        except ValueError:
            return
        h = self.s.get(Household, hid)
        if h is not None and h.deleted_at is None and h.grid_id in self.grids:
            self.changes.household(h)

    # -- helpers ----------------------------------------------------------------------------------

    def _household(self, hid: uuid.UUID, *, facts: bool = False) -> tuple[Household, str]:
        """The household if the user may write it. ``facts``: a visit to a household that left the
        user's grid after the fact is still accepted, and flagged."""
        h = self.households.get(hid) or self.s.get(Household, hid, with_for_update=True)
        if h is None:
            raise Rejected("household_unknown", "服务器上没有这一户。The household does not exist on the server.")
        if h.deleted_at is not None:
            raise Rejected(
                "household_removed",
                "该户已被主管删除，此修改未保存。"
                "The household was removed by a supervisor; this change was not applied.",
            )
        if h.grid_id in self.grids:
            return h, ""
        if facts and self._held_before(h):
            return h, "household_left_scope"
        if self._held_before(h):
            raise Rejected(
                "household_reassigned",
                "该户已调整到其他网格，此修改未保存。The household moved to another grid; this change was not applied.",
            )
        raise Rejected("out_of_scope", "这一户不在您的网格内。This household is not in your grid.")

    def _held_before(self, h: Household) -> bool:
        grids = {
            h.grid_id,
            *self.s.scalars(select(HouseholdMove.from_grid_id).where(HouseholdMove.household_id == h.id)),
        }
        return bool(
            self.s.scalar(
                select(exists().where(GridAssignment.user_id == self.p.user_id, GridAssignment.grid_id.in_(grids)))
            )
        )

    def _bump(self, h: Household) -> None:
        h.version += 1
        self.changes.household(h)

    # -- visits -----------------------------------------------------------------------------------

    def _visit(self, m: VisitCreate | VisitAmend, mutation_id: uuid.UUID) -> Outcome:
        h, flag = self._household(m.household_id, facts=True)
        digest = visit_digest(m)
        existing = self.s.get(Visit, m.id)
        if existing is not None:
            if existing.content_hash == digest:
                return Outcome(data={"duplicate": True})
            return self._visit_id_reused(m.id, h.id, existing.content_hash, digest, mutation_id)
        amends: uuid.UUID | None = None
        if isinstance(m, VisitAmend):
            target = self.s.get(Visit, m.amends)
            if target is None or target.household_id != h.id:
                raise Rejected("visit_unknown", "要更正的走访记录不存在。The visit to correct does not exist.")
            if self.s.scalar(select(exists().where(Visit.amends_id == target.id))):
                raise Rejected(
                    "already_corrected", "该走访已被更正过，请更正最新的记录。The visit was already corrected."
                )
            amends = target.id
        _check_visit(m)
        members = set(self.s.scalars(select(Person.id).where(Person.household_id == h.id)))
        seen = [str(pid) for pid in dict.fromkeys(m.seen) if pid in members]
        visit = Visit(
            id=m.id,
            household_id=h.id,
            worker_id=self.p.user_id,
            visited_at=m.visited_at if m.visited_at.tzinfo else m.visited_at.replace(tzinfo=CHINA),
            outcome=m.outcome,
            notes=m.notes.strip(),
            amends_id=amends,
            seen=seen,
            flag=flag,
            content_hash=digest,
            articles=visit_articles(m),
        )
        self.s.add(visit)
        self.s.flush()
        for r in m.requests:
            if self.s.get(ResidentRequest, r.id) is not None:
                continue
            self.s.add(
                ResidentRequest(
                    id=r.id,
                    household_id=h.id,
                    visit_id=visit.id,
                    category=r.category,
                    description=r.description.strip(),
                    urgency=r.urgency,
                    due_on=r.due_on,
                    status="submitted",
                )
            )
            # no ORM relationship orders the two inserts: the request row must exist before its event
            self.s.flush()
            self.s.add(RequestEvent(request_id=r.id, actor_id=self.p.user_id, command="create", to_status="submitted"))
        self.s.flush()
        self._recompute_visits(h)
        self._bump(h)
        data: dict[str, Any] = {"household_version": h.version}
        if flag:
            data["flag"] = flag
        if len(seen) != len(set(m.seen)):
            data["unknown_seen"] = sorted(str(x) for x in set(m.seen) - members)
        return Outcome(data=data)

    def _visit_id_reused(
        self, visit_id: uuid.UUID, household_id: uuid.UUID, kept: str, digest: str, mutation_id: uuid.UUID
    ) -> Outcome:
        """The same visit id with other content: nothing overwritten, a conflict kept for review."""
        self.s.add(
            Conflict(
                entity="visit",
                entity_id=visit_id,
                household_id=household_id,
                field="*",
                kept=kept,
                overwritten=digest,
                code="visit_id_reused",
                mutation_id=mutation_id,
                user_id=self.p.user_id,
            )
        )
        return Outcome(
            "conflict",
            "visit_id_reused",
            "同一走访编号已存在不同内容，已留待主管核查。"
            "A visit with this id exists with other content; kept for review.",
        )

    def _visit_create(self, m: VisitCreate, mutation_id: uuid.UUID) -> Outcome:
        """A new visit, checked completely before anything is written (no savepoint needed); its rows
        wait for the batch's bulk insert. Last met / last attempt move forward incrementally."""
        h, flag = self._household(m.household_id, facts=True)
        digest = visit_digest(m)
        known = self.known_visits.get(m.id)
        if known is not None:
            if known[0] == digest:
                return Outcome(data={"duplicate": True})
            return self._visit_id_reused(m.id, h.id, known[0], digest, mutation_id)
        _check_visit(m)
        members = self.members.get(h.id, set())
        seen = [str(pid) for pid in dict.fromkeys(m.seen) if pid in members]
        visited_at = m.visited_at if m.visited_at.tzinfo else m.visited_at.replace(tzinfo=CHINA)
        now = utcnow()
        self._visits.append(
            {
                "id": m.id,
                "household_id": h.id,
                "worker_id": self.p.user_id,
                "visited_at": visited_at,
                "outcome": m.outcome,
                "notes": m.notes.strip(),
                "amends_id": None,
                "seen": seen,
                "flag": flag,
                "received_at": now,
                "content_hash": digest,
                "articles": visit_articles(m),
            }
        )
        self.known_visits[m.id] = (digest, h.id)
        for r in m.requests:
            if r.id in self.known_requests:
                continue
            self.known_requests.add(r.id)
            self._requests.append(
                {
                    "id": r.id,
                    "household_id": h.id,
                    "visit_id": m.id,
                    "category": r.category,
                    "description": r.description.strip(),
                    "urgency": r.urgency,
                    "due_on": r.due_on,
                    "status": "submitted",
                    "status_note": "",
                    "satisfaction": "",
                    "version": 1,
                    "created_at": now,
                }
            )
            self._events.append(
                {
                    "request_id": r.id,
                    "actor_id": self.p.user_id,
                    "command": "create",
                    "from_status": "",
                    "to_status": "submitted",
                    "note": "",
                    "mutation_id": mutation_id,
                    "at": now,
                }
            )
        day = local_day(visited_at)
        h.last_attempt_on = max(h.last_attempt_on, day) if h.last_attempt_on else day
        if m.outcome == "met":
            h.last_met_on = max(h.last_met_on, day) if h.last_met_on else day
        self._bump(h)
        self._visited[h.id] = h
        data: dict[str, Any] = {"household_version": h.version}
        if flag:
            data["flag"] = flag
        if len(seen) != len(set(m.seen)):
            data["unknown_seen"] = sorted(str(x) for x in set(m.seen) - members)
        return Outcome(data=data)

    def _recompute_visits(self, h: Household) -> None:
        """Last met / last attempt from the standing visits (a corrected visit no longer stands)."""
        visits = self.s.execute(
            select(Visit.id, Visit.visited_at, Visit.outcome, Visit.amends_id).where(Visit.household_id == h.id)
        ).all()
        corrected = {v.amends_id for v in visits if v.amends_id}
        met: dt.date | None = None
        attempt: dt.date | None = None
        for v in visits:
            if v.id in corrected:
                continue
            day = local_day(v.visited_at)
            attempt = max(attempt, day) if attempt else day
            if v.outcome == "met":
                met = max(met, day) if met else day
        h.last_met_on, h.last_attempt_on = met, attempt

    # -- household and member edits: field-by-field merge ------------------------------------------

    def _merge(
        self,
        row: Household | Person,
        entity: str,
        household_id: uuid.UUID,
        base_version: int,
        changes: dict[str, Any],
        previous: dict[str, Any],
        current: dict[str, Any],
        mutation_id: uuid.UUID,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Fields nobody else touched since ``base_version`` apply; a field changed on both sides
        takes the last arrival (this edit) and keeps both values in a conflict record."""
        versions = dict(row.field_versions or {})
        applied: dict[str, Any] = {}
        conflicts: list[dict[str, Any]] = []
        new_version = row.version + 1
        for name, value in changes.items():
            now_value = current[name]
            if now_value == value:
                continue
            touched = int(versions.get(name, 0)) > base_version
            if touched and now_value != previous.get(name, now_value):
                conflicts.append({"field": name, "kept": value, "overwritten": now_value})
                self.s.add(
                    Conflict(
                        entity=entity,
                        entity_id=row.id,
                        household_id=household_id,
                        field=name,
                        kept=value,
                        overwritten=now_value,
                        mutation_id=mutation_id,
                        user_id=self.p.user_id,
                    )
                )
            applied[name] = value
            versions[name] = new_version
        if applied:
            row.field_versions = versions
            row.version = new_version
        return applied, conflicts

    def _household_update(self, m: HouseholdUpdate, mutation_id: uuid.UUID) -> Outcome:
        h, _ = self._household(m.household_id)
        clean: dict[str, Any] = {}
        for name, value in m.changes.items():
            if name not in HOUSEHOLD_FIELDS:
                raise Rejected("unknown_field", f"不能修改字段：{name}。This field cannot be changed: {name}.")
            clean[name] = _clean_household_field(name, value)
        current = {
            "phone": h.phone,
            "notes": h.notes,
            "tags": sorted(h.tags or []),
            "visit_interval_days": h.visit_interval_days,
        }
        applied, conflicts = self._merge(h, "household", h.id, m.base_version, clean, m.previous, current, mutation_id)
        for name, value in applied.items():
            setattr(h, name, value)
        if applied:
            self.changes.household(h)
        data = {"version": h.version, "applied": sorted(applied)}
        if conflicts:
            data["conflicts"] = conflicts
            return Outcome(
                "conflict",
                "field_conflict",
                "主管也修改了相同内容：已按您的修改保存，原值留待核查。Someone else changed the same field; your "
                "value was kept and theirs recorded for review.",
                data,
            )
        return Outcome(data=data)

    def _person_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        try:
            for name, value in fields.items():
                if name not in PERSON_FIELDS:
                    raise Rejected("unknown_field", f"不能修改字段：{name}。This field cannot be changed: {name}.")
                if name == "name":
                    clean[name] = validate_person_name(str(value))
                elif name == "relation":
                    if value not in RELATION_BY_CODE:
                        raise Rejected("invalid", "与户主关系不正确。Invalid relation.")
                    clean[name] = value
                elif name == "sex":
                    if value not in ("", *SEX_BY_CODE):
                        raise Rejected("invalid", "性别不正确。Invalid sex.")
                    clean[name] = value
                elif name == "birth_date":
                    clean[name] = dt.date.fromisoformat(str(value)) if value else None
                elif name == "phone":
                    clean[name] = validate_optional_phone(value)
                elif name == "id_number":
                    clean[name] = validate_id_number(str(value)) if value else ""
        except ValidationError as exc:
            raise Rejected("invalid_value", f"{exc.field}: {exc}") from exc
        except ValueError as exc:
            raise Rejected("invalid_value", str(exc)) from exc
        return clean

    def _person_create(self, m: PersonCreate, mutation_id: uuid.UUID) -> Outcome:
        h, _ = self._household(m.household_id)
        fields = self._person_fields(m.fields.model_dump(mode="json"))
        existing = self.s.get(Person, m.id)
        if existing is not None:
            if existing.household_id == h.id and existing.name == fields["name"]:
                return Outcome(data={"duplicate": True, "version": existing.version})
            raise Rejected("person_id_reused", "成员编号已被使用。This member id is already used.")
        position = len(list(self.s.scalars(select(Person.id).where(Person.household_id == h.id))))
        person = Person(id=m.id, household_id=h.id, position=position, version=1, **fields)
        self.s.add(person)
        self.s.flush()
        if person.relation == "head":
            h.head_name = person.name
        self._bump(h)
        return Outcome(data={"version": person.version})

    def _person(self, pid: uuid.UUID, h: Household) -> Person:
        person = self.s.get(Person, pid, with_for_update=True)
        if person is None or person.household_id != h.id:
            raise Rejected("person_unknown", "服务器上没有这位成员。The member does not exist on the server.")
        return person

    def _person_update(self, m: PersonUpdate, mutation_id: uuid.UUID) -> Outcome:
        h, _ = self._household(m.household_id)
        person = self._person(m.id, h)
        clean = self._person_fields(m.changes)
        current = {
            "name": person.name,
            "relation": person.relation,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "id_number": person.id_number,
        }
        previous = dict(m.previous)
        if previous.get("birth_date"):
            previous["birth_date"] = dt.date.fromisoformat(str(previous["birth_date"]))
        applied, conflicts = self._merge(person, "person", h.id, m.base_version, clean, previous, current, mutation_id)
        for name, value in applied.items():
            setattr(person, name, value)
        if applied:
            if person.relation == "head":
                h.head_name = person.name
            self._bump(h)
        data: dict[str, Any] = {"version": person.version, "applied": sorted(applied)}
        if conflicts:
            data["conflicts"] = [
                {**c, "kept": _json(c["kept"]), "overwritten": _json(c["overwritten"])} for c in conflicts
            ]
            return Outcome("conflict", "field_conflict", "成员信息也被他人修改：已按您的修改保存，原值留待核查。", data)
        return Outcome(data=data)

    def _person_remove(self, m: PersonRemove, mutation_id: uuid.UUID) -> Outcome:
        h, _ = self._household(m.household_id)
        person = self._person(m.id, h)
        if person.active:
            person.active = False
            person.version += 1
            self._bump(h)
        return Outcome(data={"version": person.version})

    # -- resident requests: the worker asks, the server's state machine decides --------------------

    def _request_command(self, m: RequestCommand, mutation_id: uuid.UUID) -> Outcome:
        h, _ = self._household(m.household_id)
        request = self.s.get(ResidentRequest, m.id, with_for_update=True)
        if request is None or request.household_id != h.id:
            raise Rejected("request_unknown", "服务器上没有这条诉求。The request does not exist on the server.")
        note = m.note.strip()[:MAX_DESCRIPTION]
        before = request.status
        if m.command == "cancel":
            if request.status == "cancelled":
                return Outcome(data={"status": request.status, "transition": False})
            if request.status not in CANCELLABLE:
                raise Rejected(
                    "cannot_cancel",
                    "诉求已在办理或已办结，不能撤销。The request is already being handled and cannot be cancelled.",
                    status=request.status,
                )
            request.status = "cancelled"
            request.status_note = note
        elif m.command == "satisfaction":
            if request.status not in ("resolved", "closed") or m.satisfaction is None:
                raise Rejected("not_resolved", "诉求办结后才能评价。Rate a request once it is resolved.")
            request.satisfaction = m.satisfaction
        request.version += 1
        self.s.add(
            RequestEvent(
                request_id=request.id,
                actor_id=self.p.user_id,
                command=m.command,
                from_status=before,
                to_status=request.status,
                note=note,
                mutation_id=mutation_id,
            )
        )
        self.changes.household(h)
        return Outcome(data={"status": request.status, "transition": before != request.status})

    # -- contact cards ----------------------------------------------------------------------------

    def _card_issue(self, m: CardIssueMessage, mutation_id: uuid.UUID) -> Outcome:
        """A card handed to a household: a fact, like a visit (accepted and flagged when the household
        left the grid meanwhile). A worker hands out their own card; a station, supervisor or admin
        prints for any worker of the grids they hold."""
        h, _flag = self._household(m.household_id)
        check_business_time(m.issued_at, "发卡")
        existing = self.s.get(CardIssue, m.id)
        if existing is not None:
            if existing.household_id == h.id and existing.card_user_id == m.card_user_id:
                return Outcome(data={"duplicate": True})
            raise Rejected("card_id_reused", "该联系卡编号已用于另一条记录。The card record id is already used.")
        if m.card_user_id != self.p.user_id and self.p.role == "worker":
            raise Rejected("not_your_card", "网格员只能发放本人的联系卡。A worker hands out their own card only.")
        # the card is that of the worker who looks after the household's grid now
        holds = self.s.scalar(
            select(
                exists().where(
                    GridAssignment.user_id == m.card_user_id,
                    GridAssignment.grid_id == h.grid_id,
                    GridAssignment.until.is_(None),
                )
            )
        )
        if not holds:
            raise Rejected(
                "card_user_not_grid_worker",
                "这张联系卡的网格员不负责该户所在网格。The card's worker does not look after this household's grid.",
            )
        reprint = bool(
            self.s.scalar(
                select(exists().where(CardIssue.household_id == h.id, CardIssue.card_user_id == m.card_user_id))
            )
        )
        self.s.add(
            CardIssue(
                id=m.id,
                household_id=h.id,
                card_user_id=m.card_user_id,
                printed_by=self.p.user_id,
                issued_at=(m.issued_at if m.issued_at.tzinfo else m.issued_at.replace(tzinfo=CHINA)).astimezone(dt.UTC),
                layout=m.layout,
                reprint=reprint,
            )
        )
        self.s.flush()
        self.changes.household(h)
        return Outcome(data={"reprint": reprint})

    def _profile_update(self, m: ProfileUpdate, _mutation_id: uuid.UUID) -> Outcome:
        """The user's own card details; every grid they hold sends the worker row again."""
        user = self.s.get(User, self.p.user_id)
        if user is None:
            raise Rejected("user_unknown", "用户不存在。Unknown user.")
        try:
            phone = validate_optional_phone(m.phone)
        except ValidationError as exc:
            raise Rejected("invalid", f"手机号码不正确。Invalid phone: {exc}") from exc
        photo: bytes | None = user.photo
        if m.photo is not None:
            photo = _photo(m.photo) if m.photo else None
        user.phone = phone
        user.service_hours = m.service_hours.strip()
        user.card_line = m.card_line.strip()
        user.photo = photo
        self.s.flush()
        for grid in self.grids if self.p.role == "worker" else ():
            self.changes.upsert(grid_scope(grid), "worker", user.id)
        return Outcome()


def _photo(value: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Rejected("invalid", "照片数据不正确。The photo is not valid base64.") from exc
    if len(raw) > MAX_PHOTO_BYTES:
        raise Rejected("invalid", "照片过大（最多64 KB）。The photo is larger than 64 KB.")
    if not (raw.startswith(b"\xff\xd8\xff") or raw.startswith(b"\x89PNG\r\n\x1a\n")):
        raise Rejected("invalid", "照片须为JPEG或PNG格式。The photo must be a JPEG or PNG image.")
    return raw


# a device's clock may be wrong, but not by years: a business time outside this window is a corrupt
# value (and one the databases or the laptops could not read back)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
AHEAD = dt.timedelta(days=2)


def check_business_time(when: dt.datetime, what: str) -> None:
    aware = when if when.tzinfo else when.replace(tzinfo=CHINA)
    if not EARLIEST <= aware <= utcnow() + AHEAD:
        raise Rejected(
            "invalid", f"{what}的时间不正确（{when.isoformat()}）。The {what} time is out of range: check the clock."
        )


def _check_visit(m: VisitCreate | VisitAmend) -> None:
    """A visit's own fields, checked before anything of it is written (create and correction alike)."""
    check_business_time(m.visited_at, "走访")
    if m.outcome not in OUTCOME_BY_CODE:
        raise Rejected("invalid", "走访结果不正确。Invalid outcome.")
    if len(m.notes) > MAX_NOTES:
        raise Rejected("invalid", "备注过长。Notes are too long.")
    for r in m.requests:
        if r.category not in REQUEST_CATEGORY_BY_CODE or r.urgency not in URGENCY_BY_CODE:
            raise Rejected("invalid", "诉求类别或紧急程度不正确。Invalid request category or urgency.")
        if len(r.description) > MAX_DESCRIPTION:
            raise Rejected("invalid", "诉求描述过长。The request description is too long.")


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
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


def _clean_household_field(name: str, value: Any) -> Any:
    try:
        if name == "phone":
            return validate_optional_phone(value)
        if name == "notes":
            text = str(value or "").strip()
            if len(text) > MAX_NOTES:
                raise Rejected("invalid_value", "备注过长。Notes are too long.")
            return text
        if name == "tags":
            if not isinstance(value, list) or any(t not in CARE_TAG_BY_CODE for t in value):
                raise Rejected("invalid_value", "未知的人员标签。Unknown care tag.")
            return sorted(set(value))
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 365):
            raise Rejected("invalid_value", "走访周期应为1至365天。The visit interval must be 1 to 365 days.")
        return value
    except ValidationError as exc:
        raise Rejected("invalid_value", f"{exc.field}: {exc}") from exc
