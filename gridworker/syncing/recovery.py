"""A forgotten PIN at start-up: the database is encrypted and its key unknown, so no engine can open it.
The password sign-in that hands back this device's recovery secret (protocol 5, want_recovery) is made
here from what lies outside the database: the server, the user name, and the device id the key file
keeps once the server holds the secret (gridworker.store.keys.KeyFile.device_id). The new token is kept
in the token store, as the engine's sign-in keeps it."""

from __future__ import annotations

import base64
import uuid

from gridworker.store.keys import KEY_BYTES
from gridworker.store.schema import head_revision
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.transport import NotPossibleError, SyncError, Transport
from gridworker_shared.protocol import LoginRequest, LoginResponse


def recover_secret(server: str, username: str, password: str, device_id: uuid.UUID, tokens: TokenStore) -> bytes:
    """The device's 32-byte recovery secret; raises the transport's SyncError (bad_credentials,
    recovery_unavailable, offline ...)."""
    transport = Transport(server.rstrip("/"), head_revision())
    transport.health()  # a captive portal or a wrong address fails here, clearly
    try:
        body = LoginRequest(username=username, password=password, device_id=device_id, want_recovery=True)
    except ValueError as exc:
        raise NotPossibleError("bad_credentials", "The user name or password is not valid.") from exc
    answer = LoginResponse.model_validate(transport.post("/v1/auth/login", body))
    tokens.set(server.rstrip("/"), username, answer.token)
    return secret_of(answer)


def secret_of(answer: LoginResponse) -> bytes:
    """The 32-byte recovery secret a sign-in with want_recovery answered; raises SyncError."""
    try:
        secret = base64.b64decode((answer.recovery_key or "").encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise SyncError("recovery_key_invalid", "The server's recovery key is not base64.") from exc
    if len(secret) != KEY_BYTES:
        raise SyncError("recovery_unavailable", "The server sent no recovery key for this laptop.")
    return secret
