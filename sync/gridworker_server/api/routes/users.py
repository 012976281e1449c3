"""Users and their devices: admins create and deactivate users; admins and supervisors assign grids
and see or revoke the devices of users in their area; anyone may revoke their own devices."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server import admin, auth
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, grid_in_area, only
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Assign, DeviceInfo, Ok, Revoke, UserCreate, device_info, user_info
from gridworker_server.auth import Principal
from gridworker_server.errors import ApiError
from gridworker_server.models import Device, User
from gridworker_shared.domain.usernames import normalize_username
from gridworker_shared.protocol import UserInfo

router = APIRouter(tags=["admin"], route_class=GzipRoute)


@router.post("/users", response_model=UserInfo, status_code=201)
def create_user(body: UserCreate, p: CurrentPrincipal, db: DatabaseDep) -> UserInfo:
    only(p, "admin")
    with db.write() as s:
        user = admin.create_user(s, body.username, body.name, body.role, body.org_code, body.password, body.phone)
        return user_info(user)


@router.post("/users/{username}/deactivate", response_model=Ok)
def deactivate(username: str, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    only(p, "admin")
    with db.write() as s:
        admin.deactivate_user(s, username)
    return Ok()


@router.post("/grids/{code}/assign", response_model=Ok)
def assign(code: str, body: Assign, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    only(p, "admin", "supervisor")
    with db.write() as s:
        grid_in_area(s, p, code)
        admin.assign_grid(s, code, body.username)
    return Ok()


@router.get("/users/{username}/devices", response_model=list[DeviceInfo])
def devices(username: str, p: CurrentPrincipal, db: DatabaseDep) -> list[DeviceInfo]:
    username = normalize_username(username)
    if p.username != username:
        only(p, "admin", "supervisor")
    with db.read() as s:
        _check_user_in_area(s, p, username)
        return [device_info(d) for d in admin.list_devices(s, username)]


@router.post("/devices/{device_id}/revoke", response_model=Ok)
def revoke(device_id: uuid.UUID, p: CurrentPrincipal, db: DatabaseDep, body: Revoke | None = None) -> Ok:
    """Revoke a device: the user's own, or (admins, supervisors) one of a user of their area. The body
    says whether the laptop wipes its data (``lost``, ``handover``); none: it signs in again."""
    with db.write() as s:
        device = s.get(Device, device_id)
        owner = s.get(User, device.user_id) if device else None
        if device is None or owner is None:
            raise ApiError(404, "device_unknown", "No such device.")
        if owner.id != p.user_id:
            only(p, "admin", "supervisor")
            _check_user_in_area(s, p, owner.username)
        admin.revoke_device(s, device_id, body.wipe if body else "")
    return Ok()


def _check_user_in_area(s: Session, p: Principal, username: str) -> None:
    """Admins see everyone; a supervisor the users of their org unit and everything under it (the
    workers of its grids, the stations of its communities, fellow supervisors); 404 otherwise."""
    if p.role == "admin" or p.username == username:
        return
    user = s.scalar(select(User).where(User.username == username))
    area = auth.descendants(s, p.org_unit_id) if p.org_unit_id else set()
    if user is None or user.org_unit_id not in area:
        raise ApiError(404, "user_unknown", "No such user in your area.")
