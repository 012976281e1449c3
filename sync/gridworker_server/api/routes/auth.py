"""Signing in and out: a device per sign-in, its token, and who the token's user is."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server import admin, auth
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Me, Ok, user_info
from gridworker_server.errors import ApiError
from gridworker_server.models import ServerMeta, User
from gridworker_shared.protocol import LoginRequest, LoginResponse

router = APIRouter(tags=["auth"], route_class=GzipRoute)


def changes_epoch() -> Any:
    """The server's epoch, as a subquery to read with other rows."""
    return select(ServerMeta.value).where(ServerMeta.key == "epoch").scalar_subquery()


def _new_device(s: Session, user: User, device_id: uuid.UUID | None, name: str) -> LoginResponse:
    device, token = auth.register_device(s, user, device_id, name)
    epoch = s.scalar(select(changes_epoch()))
    return LoginResponse(
        token=token,
        device_id=device.id,
        last_seq=device.last_seq,
        user=user_info(user),
        epoch=uuid.UUID(str(epoch)),
        expires_at=device.expires_at,
        # only when true (the answer omits unset fields): an old app's strict parsing stays unaffected
        **({"must_change_password": True} if user.must_change_password else {}),
    )


@router.post("/auth/login", response_model=LoginResponse, response_model_exclude_unset=True)
def login(body: LoginRequest, request: Request, db: DatabaseDep) -> LoginResponse:
    address = request.client.host if request.client else ""
    with db.read() as s:
        auth.check_rate(s, body.username, address)
        user = auth.verify_user(s, body.username, body.password)
    if user is None:
        with db.write() as s:
            auth.record_failure(s, body.username, address)
        raise ApiError(401, "bad_credentials", "Wrong user name or password.")
    with db.write() as s:
        user = s.get(User, user.id)
        assert user is not None
        return _new_device(s, user, body.device_id, body.device_name)


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
