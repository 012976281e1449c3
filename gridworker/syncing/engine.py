"""The sync engine (SYNC.md, Client): push the outbox until it is empty or holds only set-aside items,
then pull. One sync at a time per device; every step that changes the database is one transaction.

The engine knows nothing of Qt or timers: it returns what happened (``SyncReport``) or raises a
``SyncError`` whose kind tells the caller what to do (retry later, ask to sign in, ask to update).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update

from gridworker.store.db import Database
from gridworker.store.keys import KEY_BYTES, KeyFile, KeyFileError, WrongPinError, key_path
from gridworker.store.meta import set_meta
from gridworker.store.models import Meta, OrgUnit, Outbox, PullStage
from gridworker.store.schema import head_revision
from gridworker.syncing import wipe
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker.syncing.apply_review import settle_review_grids
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.recovery import secret_of
from gridworker.syncing.transport import (
    DeviceWipedError,
    NotPossibleError,
    RefusedError,
    SignInNeededError,
    SyncError,
    Transport,
    WipeRequiredError,
)
from gridworker_shared.domain.usernames import normalize_username
from gridworker_shared.faults import crash_point
from gridworker_shared.protocol import (
    MAX_PUSH_BATCH,
    MAX_WHOLE_HOUSEHOLDS,
    LoginRequest,
    LoginResponse,
    PullRequest,
    PullResponse,
    PushItem,
    PushRequest,
    PushResponse,
    RecoveryKeyUpload,
    pull_complete,
)

log = logging.getLogger(__name__)  # ids, codes, counts and timings only (gridworker_shared.logsafe)

PULL_LIMIT = 1000
MAX_RECOVERIES = 3  # epoch changes, forks and gaps handled within one sync attempt

Progress = Callable[[str, int, int], None]


@contextmanager
def _valid_request() -> Iterator[None]:
    """Around building a request body from its protocol model: one the server would refuse as invalid
    (a username too long, ...) is refused here, as the server would (``invalid_request``)."""
    try:
        yield
    except ValidationError as exc:
        where = ".".join(str(x) for x in exc.errors()[0]["loc"]) if exc.errors() else ""
        raise RefusedError("invalid_request", f"The request is invalid: {where}.", status=422, where=where) from exc


def _keyfile(path: Path) -> KeyFile | None:
    """The database's key file, or None (none yet, or damaged: the lock screen says so, not the sync)."""
    try:
        return KeyFile.load(path)
    except (FileNotFoundError, KeyFileError):
        return None


def _opens(keyfile: KeyFile, secret_b64: str) -> bool:
    """The key file's recovery wrap is of this secret (the one the server now holds)."""
    try:
        keyfile.unlock_with_recovery(base64.b64decode(secret_b64))
    except (KeyFileError, WrongPinError, ValueError):
        return False
    return True


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _held_whole(meta: dict[str, str], staged: str) -> dict[str, int]:
    """The cursors up to which the laptop holds its households whole: the applied ones, or, while a
    pull's pages are staged, the ones it started from (a scope a staged page resets at 0)."""
    return dict(json.loads((meta.get("stage_complete") if staged else meta.get("cursors")) or "{}"))


def _whole(stored: str | None) -> list[str]:
    """The households whose rows the laptop skipped for its own unsent work (meta ``whole``, as stored):
    it asks for them whole."""
    return list(json.loads(stored or "[]"))


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled_pages: int = 0
    households_applied: int = 0
    households_skipped: int = 0
    articles_changed: int = 0  # guide articles new or of a newer version ("what's new")
    articles_removed: int = 0  # guide articles withdrawn
    finished_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Backoff:
    """Exponential backoff with full jitter; a server's Retry-After is a floor (SYNC.md, Client)."""

    def __init__(self, base: float = 5.0, cap: float = 600.0, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self.rng = rng or random.Random()

    def next_delay(self, retry_after: float | None = None) -> float:
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** (self.failures - 1))
        delay = self.rng.uniform(0, ceiling)
        return max(delay, retry_after or 0.0, 1.0)

    def reset(self) -> None:
        self.failures = 0


class SyncEngine:
    def __init__(
        self,
        db: Database,
        tokens: TokenStore,
        *,
        transport: Transport | None = None,
        pull_limit: int = PULL_LIMIT,
        defer_wipe: bool = False,
    ) -> None:
        self.db = db
        # a laptop revoked as lost or handed over: the engine wipes it itself (DeviceWipedError), or with
        # ``defer_wipe`` (the app, whose windows hold the database open) only writes the wipe down and
        # raises WipeRequiredError: the app closes everything, then finishes it (syncing.wipe)
        self.defer_wipe = defer_wipe
        self.pull_limit = pull_limit
        self.tokens = tokens
        self._lock = threading.Lock()
        meta = self.meta()
        self.transport = transport or Transport(meta.get("server_url", ""), head_revision())
        if meta.get("server_url") and meta.get("username"):
            self.transport.token = tokens.get(meta["server_url"], meta["username"])

    # -- state --------------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self.db.reading() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}

    def signed_in(self) -> bool:
        meta = self.meta()
        return bool(meta.get("device_id") and self.transport.token and not meta.get("sign_in_needed"))

    def _set(self, **values: str) -> None:
        with self.db.transaction() as s:
            set_meta(s, **values)

    # -- sign-in --------------------------------------------------------------------------------------

    def sign_in(
        self, server_url: str, username: str, password: str, device_name: str = "", *, want_recovery: bool = False
    ) -> LoginResponse:
        """Register this laptop with the server. Signing in again (token expired, device revoked) keeps
        every local row and the outbox; a new device id renumbers only the unsent entries.
        ``want_recovery``: also ask for this device's recovery secret (see :meth:`recover_secret`)."""
        meta = self.meta()
        # compared in the normal form: a database an older version signed in as "Worker02" is worker02's
        if meta.get("username") and normalize_username(meta["username"]) != normalize_username(username):
            raise NotPossibleError("other_user", "This database belongs to another worker.")
        self.transport.base_url = server_url.rstrip("/")
        self.transport.health()  # a captive portal or a wrong address fails here, clearly
        with _valid_request():
            body = LoginRequest(
                username=username,
                password=password,
                device_id=_uuid(meta.get("device_id")),
                device_name=device_name[:100],
                **({"want_recovery": True} if want_recovery else {}),
            )
        answer = LoginResponse.model_validate(self.transport.post("/v1/auth/login", body))
        self.tokens.set(server_url, username, answer.token)
        self.transport.token = answer.token
        with self.db.transaction() as s:
            base = self._renumber(s, meta.get("device_id"), answer.device_id)
            set_meta(
                s,
                server_url=server_url.rstrip("/"),
                username=answer.user.username,
                worker_id=str(answer.user.id),
                worker_name=answer.user.name,
                role=answer.user.role,
                org_unit_id=str(answer.user.org_unit_id or ""),
                device_id=str(answer.device_id),
                seq_base=str(base),
                push_epoch=meta.get("push_epoch") or str(answer.epoch),
                sign_in_needed="",
                update_needed="",
            )
            if answer.user.org_unit_id:
                grid = s.get(OrgUnit, answer.user.org_unit_id)
                if grid is not None:
                    set_meta(s, grid_name=grid.name)
        return answer

    def _renumber(self, s: Any, old_device: str | None, new_device: uuid.UUID) -> int:
        """A new device starts its sequence at 1: the unsent entries are numbered from there."""
        current = int(dict(s.execute(select(Meta.key, Meta.value)).all()).get("seq_base", "0") or 0)
        if old_device == str(new_device):
            return current
        first_pending = s.scalar(select(func.min(Outbox.seq)).where(Outbox.state == "pending"))
        if first_pending is not None:
            return int(first_pending) - 1
        return int(s.scalar(select(func.max(Outbox.seq))) or 0)

    def forget_token(self) -> None:
        meta = self.meta()
        if meta.get("server_url") and meta.get("username"):
            self.tokens.delete(meta["server_url"], meta["username"])
        self.transport.token = None

    # -- one sync -----------------------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        if not self._lock.acquire(blocking=False):
            raise SyncError("busy_locally", "A sync is already running.")
        try:
            report = SyncReport()
            started = time.perf_counter()
            try:
                self._send_pending_recovery()
                first = self._push_all(report, progress)
                if not self._pull_all(report, progress, first):
                    # the server was restored from a backup: push everything again, then pull afresh
                    self._push_all(report, progress)
                    self._pull_all(report, progress)
            except SignInNeededError as exc:
                mode = wipe.wipe_mode(exc)
                if mode:
                    self._wipe(mode, exc, report, progress)
                self._set(sign_in_needed=exc.code)
                raise
            except SyncError as exc:
                if exc.code in ("client_too_old", "server_too_old"):
                    self._set(update_needed=exc.code)
                raise
            finished = dt.datetime.now(dt.UTC)
            report.finished_at = finished
            self._set(last_sync_at=finished.isoformat(timespec="seconds"), update_needed="")
            log.info(
                "sync: pushed %d (applied %d, rejected %d, conflicts %d), pulled %d page(s), %d household(s), %.0f ms",
                report.pushed,
                report.applied,
                report.rejected,
                report.conflicts,
                report.pulled_pages,
                report.households_applied,
                (time.perf_counter() - started) * 1000,
            )
            return report
        finally:
            self._lock.release()

    # -- revoked as lost or handed over ----------------------------------------------------------------

    def _wipe(self, mode: str, exc: SignInNeededError, report: SyncReport, progress: Progress | None) -> None:
        """Revoked as ``mode``. Handed over: push what is unsent first (the server takes this device's
        pushes until it confirms its wipe; offline: the error goes up and nothing is wiped yet). Then the
        wipe is written down, done (unless deferred to the app) and confirmed; always raises."""
        if mode == "handover":
            closed = False
            try:
                self._push_all(report, progress)
            except SignInNeededError as refused:
                # the server takes no more pushes from it (its wipe confirmed already, its user deactivated,
                # its token lapsed): the laptop is someone else's now, what is left cannot be sent from it
                log.warning("handover: the server took no more pushes (%s); wiping", refused.code)
                closed = True
            if self._pending_count() and not closed:
                raise SyncError("handover_unsent", "Unsent work is left; the laptop is not wiped yet.")
        meta = self.meta()
        folder = self.db.path.parent.parent
        username = meta.get("username", "")
        wipe.begin_wipe(
            folder,
            username,
            mode,
            server_url=meta.get("server_url", ""),
            device_id=str(exc.detail.get("device_id") or meta.get("device_id", "")),
            token=self.transport.token,
        )
        if self.defer_wipe:
            raise WipeRequiredError(mode) from exc
        self.db.close()
        wipe.finish_wipes(folder, self.tokens)
        self.transport.token = None
        raise DeviceWipedError(mode) from exc

    def push_unsent(self) -> bool:
        """A handed-over laptop before its wipe (syncing.wipe.check_device): push the outbox until it is
        empty or holds only set-aside items. True when nothing is left unsent."""
        with self._lock:
            self._push_all(SyncReport(), None)
        return self._pending_count() == 0

    # -- the recovery secret of the data key (gridworker.store.keys) ---------------------------------------
    #
    # The secret wraps the data key a second time; the server keeps it for this device. Until the server has
    # it, it waits in the database's meta ("recovery_secret", base64), which is encrypted with the data key
    # it protects: on the disk it is as safe as the data, and never in a file of its own. It is removed from
    # there once the server holds it and the key file says so (KeyFile.recovery_sent).

    def recover_secret(self, base: str, username: str, password: str) -> bytes:
        """The user forgot the PIN: a password sign-in asking for this device's recovery secret (only an
        unrevoked device that sent one gets it). Returns its 32 bytes; raises the engine's SyncError
        (``recovery_unavailable``, ``bad_credentials``, offline ...). The sign-in's new token is kept."""
        if not self.meta().get("device_id"):
            raise NotPossibleError("recovery_unavailable", "This laptop never signed in: it has no recovery key.")
        return secret_of(self.sign_in(base, username, password, want_recovery=True))

    def send_recovery_secret(self, secret: bytes) -> None:
        """Give the server this device's recovery secret (PUT /v1/device/recovery). It is kept in the
        (encrypted) database until the server has it; offline, the next sync sends it (the SyncError is
        raised all the same, for a caller that wants to say so)."""
        if len(secret) != KEY_BYTES:
            raise ValueError("a recovery secret is 32 bytes")
        self._set(recovery_secret=base64.b64encode(secret).decode("ascii"))
        self._send_pending_recovery(force=True)

    def _send_pending_recovery(self, force: bool = False) -> None:
        """The secret waiting in meta sent (once: meta keeps its digest as ``recovery_held``; ``force``:
        again), then the key file told, and the secret dropped from meta once the key file's recovery
        wrap is of this secret (the PIN set-up may write the wrap before or after handing it over)."""
        meta = self.meta()
        text = meta.get("recovery_secret", "")
        if not text:
            return
        digest = hashlib.sha256(text.encode("ascii")).hexdigest()
        if force or meta.get("recovery_held") != digest:
            if not meta.get("device_id") or not self.transport.token:
                return  # not signed in yet: a later sync sends it
            with _valid_request():
                body = RecoveryKeyUpload(device_id=uuid.UUID(meta["device_id"]), key=text)
            try:
                self.transport.put("/v1/device/recovery", body)
            except RefusedError as exc:  # a bad secret or another device's: the sync goes on, the log says so
                log.warning("the server refused the recovery key: %s", exc.code)
                if force:
                    raise
                return
            self._set(recovery_held=digest)
        keyfile = _keyfile(key_path(self.db.path))
        if keyfile is not None and keyfile.has_recovery and _opens(keyfile, text):
            if keyfile.recovery_pending or keyfile.device_id != meta.get("device_id", ""):
                keyfile.recovery_sent(meta.get("device_id", ""))
            self._set(recovery_secret="", recovery_held="")

    # -- push -----------------------------------------------------------------------------------------

    def _push_all(self, report: SyncReport, progress: Progress | None) -> PullResponse | None:
        """Push the outbox in batches. The last batch carries the sync's pull (protocol 6), answered in
        the same round trip: its first page is returned when the outbox is empty after it."""
        recoveries = 0
        total = self._pending_count()
        first: PullResponse | None = None
        while True:
            meta = self.meta()
            base = int(meta.get("seq_base", "0") or 0)
            with self.db.reading() as s:
                rows = s.scalars(
                    select(Outbox).where(Outbox.state == "pending").order_by(Outbox.seq).limit(MAX_PUSH_BATCH)
                ).all()
            if not rows:
                return first
            first = None  # a page asked for before these rows were queued is not the sync's pull
            if progress:
                progress("push", report.pushed, max(total, report.pushed + len(rows)))
            with _valid_request():
                body = PushRequest(
                    device_id=uuid.UUID(meta["device_id"]),
                    epoch=_uuid(meta.get("push_epoch")),
                    mutations=[
                        PushItem(
                            seq=r.seq - base,
                            id=r.mutation_id,
                            kind=r.kind,
                            payload=r.payload,
                            created_at=r.created_at.replace(tzinfo=dt.UTC),
                        )
                        for r in rows
                    ],
                    pull=self._pull_request(meta)[0] if len(rows) < MAX_PUSH_BATCH else None,
                )
            try:
                answer = PushResponse.model_validate(self.transport.post("/v1/sync/push", body))
            except RefusedError as exc:
                recoveries += 1
                if recoveries > MAX_RECOVERIES:
                    raise
                self._recover(exc, base)
                continue
            crash_point("client_push_after_response")
            self._acknowledge(answer, base, report)
            first = answer.pull

    def _acknowledge(self, answer: PushResponse, base: int, report: SyncReport) -> None:
        """The server's answers, in one local transaction: applied, rejected (with its reason) or
        conflicting; set-aside items never block the queue and are never dropped."""
        with self.db.transaction() as s:
            for result in answer.results:
                row = s.get(Outbox, result.seq + base)
                if row is None or row.mutation_id != result.id:
                    continue
                row.state = result.status
                row.result = {"code": result.code, **result.data} if result.code else dict(result.data)
                row.error = result.message if result.status != "applied" else ""
                report.pushed += 1
                if result.status != "applied":  # the mutation's id and the server's code; its reason is in the outbox
                    log.info("push: mutation %s (%s) %s: %s", row.mutation_id, row.kind, result.status, result.code)
                if result.status == "rejected":
                    report.rejected += 1
                elif result.status == "conflict":
                    report.conflicts += 1
                else:
                    report.applied += 1
            s.flush()
            crash_point("client_ack_before_commit")

    def _recover(self, exc: RefusedError, base: int) -> None:
        if exc.code == "epoch_changed":
            self._epoch_changed(str(exc.detail.get("epoch", "")))
            return
        if exc.code == "sequence_gap":
            expected = int(exc.detail.get("expected", 1))
            with self.db.transaction() as s:
                if s.get(Outbox, expected + base) is not None:
                    s.execute(update(Outbox).where(Outbox.seq >= expected + base).values(state="pending"))
                    return
            self._fork()
            return
        if exc.code == "device_fork":
            self._fork()
            return
        raise exc

    def _epoch_changed(self, epoch: str) -> None:
        """The server was restored from a backup: it may have lost what it acknowledged since. Push
        everything again (it replays what it has and applies what it lost); the pull resets the scopes."""
        with self.db.transaction() as s:
            s.execute(update(Outbox).values(state="pending"))
            set_meta(s, push_epoch=epoch)

    def _fork(self) -> None:
        """This database was restored from a backup: take a new device id (the old one's sequence went
        further than ours), and number the unsent entries from 1 under it."""
        meta = self.meta()
        answer = LoginResponse.model_validate(self.transport.post("/v1/auth/fork"))
        self.tokens.set(meta["server_url"], meta["username"], answer.token)
        self.transport.token = answer.token
        with self.db.transaction() as s:
            base = self._renumber(s, meta.get("device_id"), answer.device_id)
            set_meta(s, device_id=str(answer.device_id), seq_base=str(base))

    def _pending_count(self) -> int:
        with self.db.reading() as s:
            return int(s.scalar(select(func.count()).where(Outbox.state == "pending")) or 0)

    # -- pull -------------------------------------------------------------------------------------------

    def _pull_request(self, meta: dict[str, str]) -> tuple[PullRequest, str]:
        """The pull that continues from what is staged, else from the applied cursors; and what is staged."""
        staged = meta.get("stage_cursors") or ""
        cursors: dict[str, int] = json.loads(staged or meta.get("cursors") or "{}")
        epoch = meta.get("stage_epoch") if staged else meta.get("epoch")
        return self._pull_body(_uuid(epoch), cursors, _held_whole(meta, staged), _whole(meta.get("whole"))), staged

    def _pull_body(
        self, epoch: uuid.UUID | None, cursors: dict[str, int], complete: dict[str, int], whole: list[str]
    ) -> PullRequest:
        """A pull from ``cursors``, naming where the laptop holds its households whole (``complete``,
        protocol 7): their rows then bring only the visits changed since. Past the cap of households
        asked for whole, the grids are asked for whole instead."""
        if len(whole) > MAX_WHOLE_HOUSEHOLDS:
            complete, whole = {}, []
        with _valid_request():
            return PullRequest(
                epoch=epoch,
                cursors=cursors,
                limit=self.pull_limit,
                complete=pull_complete(cursors, complete),
                whole=[uuid.UUID(h) for h in whole],
            )

    def _pull_all(self, report: SyncReport, progress: Progress | None, first: PullResponse | None = None) -> bool:
        """Stage pages until the last, then apply them and move the cursors in one transaction. False
        when the server's epoch changed under an empty outbox: the caller pushes everything again.
        ``first``: the first page, answered already with the last push (it asked from these cursors)."""
        meta = self.meta()
        body, staged = self._pull_request(meta)
        cursors, epoch = dict(body.cursors), body.epoch
        # where the laptop holds its households whole: the applied cursors, 0 for a scope a page resets
        complete = _held_whole(meta, staged)
        while True:
            if first is not None:
                page, first = first, None
            else:
                body = self._pull_body(epoch, cursors, complete, _whole(meta.get("whole")))
                page = PullResponse.model_validate(self.transport.post("/v1/sync/pull", body))
            if meta.get("push_epoch") and str(page.epoch) != meta["push_epoch"]:
                self._epoch_changed(str(page.epoch))
                return False
            for scope in page.removed:
                cursors.pop(scope, None)
            for scope in [*page.removed, *page.reset]:
                complete.pop(scope, None)
            cursors.update(page.cursors)
            epoch = page.epoch
            empty = not (page.more or page.upserts or page.removes or page.reset or page.removed)
            if empty and not staged and cursors == json.loads(meta.get("cursors") or "{}"):
                break  # nothing new: a no-change pull writes nothing
            with self.db.transaction() as s:
                s.add(PullStage(page=page.model_dump(mode="json")))
                set_meta(
                    s,
                    stage_cursors=json.dumps(cursors, sort_keys=True),
                    stage_epoch=str(epoch),
                    stage_complete=json.dumps(complete, sort_keys=True),
                )
            staged = "1"
            report.pulled_pages += 1
            if progress:
                progress("pull", report.pulled_pages, report.pulled_pages + (1 if page.more else 0))
            crash_point("client_pull_after_stage")
            if not page.more:
                break
        if staged:
            self._apply_staged(report)
        return True

    def _apply_staged(self, report: SyncReport) -> None:
        with self.db.transaction() as s:
            defer_foreign_keys(s)
            pending = pending_households(s)
            stored = s.get(Meta, "whole")
            whole = {uuid.UUID(h) for h in _whole(stored.value if stored else None)}
            for stage in s.scalars(select(PullStage).order_by(PullStage.seq)):
                counts = apply_page(s, PullResponse.model_validate(stage.page), pending, whole)
                report.households_applied += counts["applied"]
                report.households_skipped += counts["skipped"]
                report.articles_changed += counts.get("articles", 0)
                report.articles_removed += counts.get("articles_removed", 0)
                s.delete(stage)
            settle_review_grids(s)  # review rows that came before their household
            meta = {m.key: m.value for m in s.scalars(select(Meta))}
            if meta.get("org_unit_id") and not meta.get("grid_name"):
                unit = s.get(OrgUnit, uuid.UUID(meta["org_unit_id"]))
                if unit is not None:  # the worker's grid arrived with this pull: its name for the title
                    set_meta(s, grid_name=unit.name)
            set_meta(
                s,
                cursors=meta.get("stage_cursors", "{}"),
                epoch=meta.get("stage_epoch", ""),
                stage_cursors="",
                stage_epoch="",
                stage_complete="",
                whole=json.dumps(sorted(str(h) for h in whole)),
            )
            s.flush()
            crash_point("client_pull_apply_before_commit")
