"""Push and pull, the hot paths: few statements, no work the answer does not need."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from fastapi import APIRouter, Response
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool

from gridworker_server import auth, changes
from gridworker_server.api.deps import DatabaseDep, ProtocolDep, TokenDep, retrying
from gridworker_server.api.fast import FastJsonRoute
from gridworker_server.api.http import GzipRoute
from gridworker_server.db import Database
from gridworker_server.errors import ApiError
from gridworker_server.models import utcnow
from gridworker_server.push import push
from gridworker_server.review import backchecks
from gridworker_shared.protocol import MERGING_VISITS, PullRequest, PullResponse, PushRequest, PushResponse

router = APIRouter(tags=["sync"], route_class=GzipRoute)
log = logging.getLogger("gridworker.server.sync")


@router.post("/sync/push", response_model=PushResponse)
def push_(body: PushRequest, token: TokenDep, db: DatabaseDep, protocol: ProtocolDep) -> Response:
    """The token, the epoch and the batch in one transaction (the hot path: few statements). A push that
    carries a pull (protocol 6: a device's last push of a sync) has it answered in the same round trip:
    a worker's in the push's own transaction, after its writes (:func:`_carried_pull`), anyone else's
    after the commit, as the pull route answers it. A push as the app sends it reaches
    :func:`push_answer` by the fast path in front of this route (:data:`fast_push`)."""
    return push_answer(db, body, token, protocol)


def push_answer(db: Database, body: PushRequest, token: str | None, protocol: int) -> Response:
    """The push route's answer (on a worker thread: it waits on the database); ``protocol``: the
    request's, which says how the pull it carries is answered (:func:`_pull`)."""
    asked = body.pull

    def work(s: Session, carry: bool) -> tuple[PushResponse, bytes | None, bool]:
        p = auth.authenticate(s, token, lock=True, handover_push=True)
        if p.seen_stale:
            auth.touch_device(s, p.device_id)
        answer = push(s, p, body, p.epoch or uuid.UUID(int=0))
        if carry and asked is not None and p.role == "worker" and not p.handed_over:
            return answer, _carried_pull(s, p, asked, protocol), True
        return answer, None, False

    try:
        answer, page, here = retrying(db, lambda s: work(s, True))
    except _PullError:  # rolled back with the push: the push again, alone, and the pull after it
        answer, page, here = retrying(db, lambda s: work(s, False))
    pushed = answer.model_dump_json(exclude={"pull"}).encode()
    if asked is not None and not here:
        page = _pull_after_push(db, asked, token, protocol)
    if page is None:
        return Response(pushed, media_type="application/json")
    return Response(pushed[:-1] + b',"pull":' + page + b"}", media_type="application/json")


# in front of the push route as the app mounts it under /v1 (gridworker_server.app)
fast_push = FastJsonRoute(
    "/v1/sync/push", PushRequest, push_answer, next(r for r in router.routes if getattr(r, "endpoint", None) is push_)
)


class _PullError(Exception):
    """The database refused a read of the pull a push carried: the transaction is lost with it."""


def _carried_pull(s: Session, p: auth.Principal, req: PullRequest, protocol: int) -> bytes | None:
    """A worker's pull, read in the push's transaction after its writes: what the push changed is in
    the page, and the page is answered whole or not at all (the commit follows it). The scopes the push
    wrote to are locked by it to its commit, so their change log is complete up to the versions it took;
    the other scopes read as any pull reads them. It saves the pull its own session, its token's read
    and its counters' (4-5 % of the server's samples under a workday's syncs). A failure of the page's own
    making leaves the push whole: None, and the device pulls on its own."""
    try:
        return _pull(s, p, req, protocol).model_dump_json(exclude_defaults=True).encode()
    except DBAPIError as exc:
        raise _PullError from exc
    except ApiError:
        return None
    except Exception:  # the push is still to commit: its answer must reach the device whatever the read does
        log.exception("push: the pull it carried failed; answered without it")
        return None


def _pull_after_push(db: Database, req: PullRequest, token: str | None, protocol: int) -> bytes | None:
    """The pull a push carried, as the pull route answers it, after the push's commit (a reviewer's,
    whose back-checks may be drawn on the way); None when it cannot be answered now (a handed-over
    device, which may push but not pull; a failure of the read): the push's answer goes back alone and
    the device pulls on its own, which says why."""
    try:
        return bytes(full_pull(db, req, token, protocol).body)
    except ApiError:
        return None
    except Exception:  # the push is committed: its answer must reach the device whatever the read does
        log.exception("push: the pull it carried failed; answered without it")
        return None


@router.post("/sync/pull", response_model=PullResponse, response_model_exclude_defaults=True)
async def pull_(body: PullRequest, token: TokenDep, db: DatabaseDep, protocol: ProtocolDep) -> Response:
    """Most pulls find nothing new: that answer comes from two indexed reads on the event loop (no
    locks, no session, no thread hop). Anything else takes the full path on a worker thread, and so does
    this one when no pooled connection is idle: waiting for one here would stall the event loop, and with
    it every answer of the process, the 429s of load shedding too."""
    if token and body.epoch is not None and _idle_connection(db.read_engine):
        with db.read_engine.connect() as conn:
            quiet = nothing_new(conn, token, body)
            conn.rollback()
        if quiet is not None:
            return Response(quiet, media_type="application/json")
    return await run_in_threadpool(full_pull, db, body, token, protocol)


def full_pull(db: Database, body: PullRequest, token: str | None, protocol: int) -> Response:
    """The pull on the full path: authenticated with the scopes' counters, a reviewer's back-checks
    drawn when due, the token's expiry slid."""
    with db.read() as s:
        p = auth.authenticate(s, token, counters=True)
        due = backchecks.due(s, p, utcnow())  # a reviewer's first pull of a week: last week's back-checks
        if due is None:
            answer = _pull(s, p, body, protocol)
    if due is not None:
        street, week = due
        try:
            retrying(db, lambda w: backchecks.draw_week(w, street, week, utcnow()))
        except ApiError:
            pass  # the week is not over yet in the street's own time (a street outside China's)
        except Exception:  # the pull's side job: a failed draw never stops a sync, the next pull tries again
            log.exception("back-checks: the draw of street %s, week %s failed", street, week)
        with db.read() as s:
            answer = _pull(s, p, body, protocol)
    if p.seen_stale:
        with db.write() as s:
            auth.touch_device(s, p.device_id)
    return Response(answer.model_dump_json(exclude_defaults=True), media_type="application/json")


def _pull(s: Session, p: auth.Principal, body: PullRequest, protocol: int) -> PullResponse:
    """A page of the user's scopes. A laptop of protocol 7 adds a household row's visits to the ones it
    holds: its rows bring only the visits changed since the cursors it holds whole (PullRequest.complete);
    an older one's bring every visit of the window."""
    scopes = auth.scopes_of(s, p)
    return changes.pull(
        s,
        p.epoch or uuid.UUID(int=0),
        scopes,
        body,
        p.counters,
        reviewer=p.role in auth.REVIEWER_ROLES,
        merges_visits=protocol >= MERGING_VISITS,
    )


def nothing_new(conn: Connection, token: str, req: PullRequest) -> bytes | None:
    """The answer to a worker's pull that finds nothing new, from two indexed reads and no session;
    None whenever anything needs the full path (a change, another role, a stale or refused token)."""
    row = auth.principal_row(conn, auth.token_hash(token), counters=True)
    if row is None or row.role != "worker" or not row.epoch or str(req.epoch) != row.epoch:
        return None
    if row.revoked_at is not None or not row.active or _aware(row.expires_at) <= utcnow():
        return None
    if utcnow() - _aware(row.last_seen_at) >= auth.SEEN_RESOLUTION:
        return None  # the token's expiry slides: a write, on the full path
    counters = auth.parse_counters(row.counters)
    if not set(req.cursors) <= set(counters):
        return None  # a scope the user left: the full path says so
    for scope, (version, floor) in counters.items():
        cursor = req.cursors.get(scope, 0)
        if cursor != version or 0 < cursor < floor:
            return None
    epoch: str = row.epoch
    return b'{"epoch":"' + epoch.encode() + b'"}'


def _idle_connection(engine: Engine) -> bool:
    pool = engine.pool
    return not isinstance(pool, QueuePool) or pool.checkedin() > 0


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; the server stores UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
