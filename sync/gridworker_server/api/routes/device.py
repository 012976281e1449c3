"""The signed-in laptop's own device (issue 14): its status, its recovery secret, and, once revoked
as lost or handed over, the confirmation that its data is gone."""

from __future__ import annotations

from fastapi import APIRouter

from gridworker_server import devices
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, TokenDep
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Ok
from gridworker_server.models import Device
from gridworker_shared.protocol import DeviceStatus, RecoveryKeyUpload, WipeConfirmation

router = APIRouter(tags=["device"], route_class=GzipRoute)


@router.get("/device", response_model=DeviceStatus)
def status(p: CurrentPrincipal, db: DatabaseDep) -> DeviceStatus:
    """The device as the server sees it; a revoked one gets 401 ``device_revoked`` with its wipe mode
    (the laptop's start-up check asks this before it shows anything)."""
    with db.read() as s:
        device = s.get(Device, p.device_id)
        return DeviceStatus(device_id=p.device_id, recovery_held=bool(device and device.recovery_key))


@router.put("/device/recovery", response_model=DeviceStatus)
def recovery(body: RecoveryKeyUpload, p: CurrentPrincipal, db: DatabaseDep) -> DeviceStatus:
    """Keep the recovery secret of the caller's own device (idempotent: the same secret again changes
    nothing; a new one replaces it). 400 ``recovery_key_invalid`` for anything but 32 bytes in base64,
    403 ``device_mismatch`` for another device's id."""
    with db.write() as s:
        devices.store_recovery(s, p.device_id, body.device_id, body.key)
    return DeviceStatus(device_id=p.device_id, recovery_held=True)


@router.post("/device/wiped", response_model=Ok)
def wiped(body: WipeConfirmation, token: TokenDep, db: DatabaseDep) -> Ok:
    """With the revoked token of a device revoked as lost or handed over: its data is gone; when is
    recorded once (idempotent)."""
    with db.write() as s:
        devices.confirm_wipe(s, token, body.device_id)
    return Ok()
