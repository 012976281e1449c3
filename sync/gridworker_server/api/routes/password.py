"""A user sets their own password: after a bulk import's initial one (sync is refused until then,
``password_change_required``) or at any time. The current password is asked for either way."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials

from gridworker_server import auth
from gridworker_server.api.deps import DatabaseDep, bearer
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Ok
from gridworker_server.auth import Principal
from gridworker_server.errors import ApiError
from gridworker_server.models import User
from gridworker_shared.protocol import PasswordChangeRequest

router = APIRouter(tags=["auth"], route_class=GzipRoute)

MIN_PASSWORD = 8


def _principal(db: DatabaseDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The token's user, also while still on an initial password."""
    with db.read() as s:
        return auth.authenticate(s, creds.credentials if creds else None, initial_password=True)


@router.post("/auth/password", response_model=Ok)
def change_password(body: PasswordChangeRequest, p: Annotated[Principal, Depends(_principal)], db: DatabaseDep) -> Ok:
    if len(body.new_password) < MIN_PASSWORD:
        raise ApiError(422, "weak_password", "The password needs at least 8 characters.", min=MIN_PASSWORD)
    if body.new_password == body.old_password:
        raise ApiError(422, "password_unchanged", "Choose a password other than the current one.")
    with db.write() as s:
        user = s.get(User, p.user_id, with_for_update=True)
        if user is None or not auth.check_password(user, body.old_password):
            raise ApiError(403, "bad_credentials", "Wrong user name or password.")
        user.password_hash = auth.hash_password(body.new_password)
        user.must_change_password = False
    return Ok()
