"""A device's own requests about itself (issue 14): its status, the recovery secret of its data key,
and the confirmation that a revoked laptop removed its data.

The recovery secret (gridworker.store.keys on the laptop) wraps the laptop's data key a second time. The
server keeps it for that device alone and gives it back only on a password sign-in from that device,
unrevoked (:func:`recovery_for`): a lost laptop, once revoked, can never get it, so its copy cannot be
opened even by someone who learns the password later.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.auth import token_hash
from gridworker_server.errors import ApiError
from gridworker_server.models import Device, User, utcnow

RECOVERY_BYTES = 32


def decode_recovery(text: str) -> bytes:
    """The 32 bytes of a recovery secret sent as base64; 400 ``recovery_key_invalid`` otherwise."""
    try:
        secret = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError) as exc:
        raise ApiError(400, "recovery_key_invalid", "The recovery key is not base64.") from exc
    if len(secret) != RECOVERY_BYTES:
        raise ApiError(
            400,
            "recovery_key_invalid",
            f"The recovery key must be {RECOVERY_BYTES} bytes; this one has {len(secret)}.",
            length=len(secret),
        )
    return secret


def store_recovery(s: Session, device_id: uuid.UUID, claimed: uuid.UUID, text: str) -> Device:
    """Keep the recovery secret of the caller's own device (``device_id``, the token's); the body names
    the device (``claimed``) and must name that one. Sending it again replaces it (the laptop sends the
    secret its key file is wrapped with, until the server confirmed it)."""
    if claimed != device_id:
        raise ApiError(403, "device_mismatch", "This token belongs to another device.")
    secret = decode_recovery(text)
    device = s.get(Device, device_id, with_for_update=True)
    if device is None:  # the token's device: it exists (authenticated in this transaction)
        raise ApiError(404, "device_unknown", "No such device.")
    device.recovery_key = secret
    return device


def recovery_for(s: Session, user: User, device_id: uuid.UUID | None) -> str | None:
    """The recovery secret (base64) of ``device_id`` for a password sign-in of ``user``: only that
    user's own device, unrevoked, holding one; None otherwise (the caller refuses the sign-in)."""
    device = s.get(Device, device_id) if device_id else None
    if device is None or device.user_id != user.id or device.revoked_at is not None or not device.recovery_key:
        return None
    return base64.b64encode(device.recovery_key).decode("ascii")


def confirm_wipe(s: Session, token: str | None, device_id: uuid.UUID) -> Device:
    """A revoked laptop says its data is gone (POST /v1/device/wiped, with its revoked token): when is
    recorded once (a repeated confirmation keeps the first time). Refused for a token of no device, of
    another device, or of a device not revoked with a wipe mode."""
    if not token:
        raise ApiError(401, "not_signed_in", "Sign in first.")
    device = s.scalar(select(Device).where(Device.token_hash == token_hash(token)).with_for_update())
    if device is None:
        raise ApiError(401, "invalid_token", "Your sign-in is no longer valid; sign in again.")
    if device.id != device_id:
        raise ApiError(403, "device_mismatch", "This token belongs to another device.")
    if device.revoked_at is None or not device.wipe:
        raise ApiError(409, "wipe_not_requested", "This device was not told to remove its data.")
    if device.wipe_confirmed_at is None:
        device.wipe_confirmed_at = utcnow()
    return device
