"""Signing in and out: a device per sign-in, its token, and who the token's user is."""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from gridworker_server import admin, auth, devices
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Me, Ok, user_info
from gridworker_server.db import Database
from gridworker_server.errors import ApiError, text_field
from gridworker_server.models import ServerMeta, User
from gridworker_shared.domain.usernames import normalize_username
from gridworker_shared.protocol import LoginRequest, LoginResponse

router = APIRouter(tags=["auth"], route_class=GzipRoute)


def changes_epoch() -> Any:
    """The server's epoch, as a subquery to read with other rows."""
    return select(ServerMeta.value).where(ServerMeta.key == "epoch").scalar_subquery()


def _new_device(
    s: Session, user: User, device_id: uuid.UUID | None, name: str, recovery: str | None = None
) -> LoginResponse:
    device, token = auth.register_device(s, user, device_id, name)
    epoch = s.scalar(select(changes_epoch()))
    return LoginResponse(
        token=token,
        device_id=device.id,
        last_seq=device.last_seq,
        user=user_info(user),
        epoch=uuid.UUID(str(epoch)),
        expires_at=device.expires_at,
        # only when true (the answer omits unset fields): an old app's strict parsing stays unaffected;
        # the recovery key only when asked for and given (want_recovery): other answers are as before
        **_only_set(must_change_password=user.must_change_password or None, recovery_key=recovery),
    )


def _only_set(**values: Any) -> dict[str, Any]:
    """The fields that have a value (the others stay unset, and out of the answer)."""
    return {name: value for name, value in values.items() if value is not None}


@router.post("/auth/login", response_model=LoginResponse, response_model_exclude_unset=True)
async def login(body: LoginRequest, request: Request, db: DatabaseDep) -> LoginResponse:
    """A sign-in: the user name in its normal form; an address with many failures waits its turn
    (asynchronously: a waiting sign-in holds no thread), then the attempt is counted for the user name
    (the sixth in the window is refused unverified), then the password is verified."""
    address = request.client.host if request.client else ""
    username = normalize_username(body.username)
    text_field("device_name", body.device_name)
    wait = await run_in_threadpool(_address_wait, db, address)
    if wait > 0:
        await asyncio.sleep(wait)
    return await run_in_threadpool(_sign_in, db, username, body, address)


def _address_wait(db: Database, address: str) -> float:
    with db.read() as s:
        delay = auth.address_slowed(s, address)
    if delay <= 0:
        return 0.0
    with db.write() as s:
        return auth.address_turn(s, address, delay)


def _sign_in(db: Database, username: str, body: LoginRequest, address: str) -> LoginResponse:
    with db.write() as s:  # committed before the password is verified: parallel guesses see it
        fresh = auth.begin_attempt(s, username)
    if fresh:
        with contextlib.suppress(DBAPIError), db.write() as s:  # housekeeping: another sweep may win
            auth.forget_old_attempts(s)
    with db.read() as s:
        user = auth.verify_user(s, username, body.password)
    if user is None:
        with db.write() as s:
            delay = auth.record_failure(s, address)
        raise ApiError(401, "bad_credentials", "Wrong user name or password.", retry_after=math.ceil(delay) or None)
    with db.write() as s:
        auth.clear_attempts(s, username)
        user = s.get(User, user.id)
        assert user is not None
        recovery = devices.recovery_for(s, user, body.device_id) if body.want_recovery else None
        if not body.want_recovery or recovery is not None:
            return _new_device(s, user, body.device_id, body.device_name, recovery)
    # committed without a new token: the password was right (its failures cleared), the secret refused
    raise ApiError(
        404,
        "recovery_unavailable",
        "This laptop's recovery key is not available: only an unrevoked device of yours that sent one gets it.",
    )


@router.post("/auth/fork", response_model=LoginResponse, response_model_exclude_unset=True)
def fork(p: CurrentPrincipal, db: DatabaseDep) -> LoginResponse:
    """The laptop's database was restored from a backup (the server answered ``device_fork``): a new
    device for the same user, so the unsent work continues under a fresh sequence."""
    with db.write() as s:
        user = s.get(User, p.user_id)
        assert user is not None
        admin.revoke_device(s, p.device_id)
        return _new_device(s, user, None, f"fork of {p.device_id}")


@router.post("/auth/logout", response_model=Ok)
def logout(p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    with db.write() as s:
        admin.revoke_device(s, p.device_id)
    return Ok()


@router.get("/me", response_model=Me)
def me(p: CurrentPrincipal, db: DatabaseDep) -> Me:
    with db.read() as s:
        user = s.get(User, p.user_id)
        assert user is not None
        return Me(user=user_info(user), scopes=auth.scopes_of(s, p))
