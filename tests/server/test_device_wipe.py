"""A revoked laptop told to wipe its data, and the laptop's recovery secret (issue 14), against a real
server on SQLite and PostgreSQL: the CLI's and the API's revoke with a wipe mode, the 401 that tells
the laptop, the handover laptop's last pushes, the wipe confirmation, the device's status, the recovery
secret's upload and its return on a password sign-in, and every refusal (another user's device, a
revoked one, bad base64, another device's id)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from typing import Any

import requests

from gridworker_server.models import Device as DeviceRow
from tests.helpers.server import HEADERS
from tests.server.support import PASSWORD, Device, Seeded, anonymous, error_code, visit


def _wiped(dev: Device, device_id: uuid.UUID | None = None) -> requests.Response:
    body = {"device_id": str(device_id or dev.device_id), "wiped_at": dt.datetime.now(dt.UTC).isoformat()}
    return dev.post("/v1/device/wiped", json=body)


def _listed(server: Seeded, viewer: Device, username: str, device_id: uuid.UUID) -> dict[str, Any]:
    r = viewer.get(f"/v1/users/{username}/devices")
    assert r.status_code == 200, r.text
    (row,) = [d for d in r.json() if d["id"] == str(device_id)]
    return dict(row)


def _upload(dev: Device, key: str, device_id: uuid.UUID | None = None) -> requests.Response:
    body = {"device_id": str(device_id or dev.device_id), "key": key}
    return dev.request("PUT", "/v1/device/recovery", json=body)


def _login(server: Seeded, username: str, device_id: uuid.UUID | None, password: str = PASSWORD) -> requests.Response:
    body: dict[str, Any] = {"username": username, "password": password, "device_name": "t", "want_recovery": True}
    if device_id is not None:
        body["device_id"] = str(device_id)
    return requests.post(server.base + "/v1/auth/login", json=body, headers=HEADERS, timeout=60)


def test_a_device_revoked_as_lost_is_told_so_and_its_wipe_is_recorded_once(server: Seeded) -> None:
    dev = server.device("worker02")
    assert dev.get("/v1/device").json() == {"device_id": str(dev.device_id), "recovery_held": False}
    out = server.cli("revoke-device", str(dev.device_id), "--wipe", "lost").strip()
    assert out == f"revoked {dev.device_id} (wipe: lost)"

    for answer in (dev.pull_raw(), dev.send(dev.batch()), dev.get("/v1/device"), dev.get("/v1/me")):
        assert (answer.status_code, error_code(answer)) == (401, "device_revoked"), answer.text
        assert answer.json()["detail"] == {"wipe": "lost", "device_id": str(dev.device_id)}
    supervisor = server.device("supervisor")
    row = _listed(server, supervisor, "worker02", dev.device_id)
    assert (row["revoked"], row["wipe"], row["wipe_confirmed_at"]) == (True, "lost", None)
    (line,) = [x for x in server.cli("devices", "worker02").splitlines() if str(dev.device_id) in x]
    assert "wipe lost (not yet wiped)" in line

    assert _wiped(dev).json() == {"ok": True}
    first = _listed(server, supervisor, "worker02", dev.device_id)["wipe_confirmed_at"]
    assert first is not None and dt.datetime.fromisoformat(first).tzinfo is not None
    assert _wiped(dev).status_code == 200  # idempotent: the first time is kept
    assert _listed(server, supervisor, "worker02", dev.device_id)["wipe_confirmed_at"] == first
    (line,) = [x for x in server.cli("devices", "worker02").splitlines() if str(dev.device_id) in x]
    assert "wipe lost (wiped " in line


def test_a_handed_over_device_pushes_until_it_confirms_its_wipe_but_never_pulls(server: Seeded) -> None:
    grid = server.grid("worker03")
    first, second = server.take(grid, 2)
    dev = server.device("worker03")
    supervisor = server.device("supervisor")
    r = supervisor.post(f"/v1/devices/{dev.device_id}/revoke", json={"wipe": "handover"})
    assert r.status_code == 200, r.text

    pulled = dev.pull_raw()
    assert (pulled.status_code, error_code(pulled)) == (401, "device_revoked")
    assert pulled.json()["detail"]["wipe"] == "handover"
    mut = visit(first)
    assert dev.push_one(mut)["status"] == "applied"
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1
    assert server.last_seq(dev.device_id) == 1

    assert _wiped(dev).status_code == 200
    late = dev.send(dev.batch(visit(second)))
    assert (late.status_code, error_code(late)) == (401, "device_revoked")
    assert late.json()["detail"]["wipe"] == "handover"
    assert _listed(server, supervisor, "worker03", dev.device_id)["wipe_confirmed_at"] is not None


def test_a_plain_revoke_keeps_the_data_and_refuses_a_wipe_confirmation(server: Seeded) -> None:
    dev = server.device("worker02")
    assert server.cli("revoke-device", str(dev.device_id)).strip() == f"revoked {dev.device_id}"
    r = dev.get("/v1/device")
    assert (r.status_code, error_code(r)) == (401, "device_revoked")
    assert r.json()["detail"]["wipe"] == ""
    pushed = dev.send(dev.batch())  # no handover: a plain revoke does not push either
    assert (pushed.status_code, error_code(pushed)) == (401, "device_revoked")
    refused = _wiped(dev)
    assert (refused.status_code, error_code(refused)) == (409, "wipe_not_requested")
    with server.session() as s:
        row = s.get(DeviceRow, dev.device_id)
        assert row is not None and (row.wipe, row.wipe_confirmed_at) == ("", None)


def test_a_wipe_confirmation_is_refused_for_another_device_an_active_one_or_no_token(server: Seeded) -> None:
    lost = server.device("worker02")
    other = server.device("worker02")
    server.cli("revoke-device", str(lost.device_id), "--wipe", "lost")
    wrong = _wiped(lost, other.device_id)
    assert (wrong.status_code, error_code(wrong)) == (403, "device_mismatch")
    active = _wiped(other)
    assert (active.status_code, error_code(active)) == (409, "wipe_not_requested")
    body = {"device_id": str(lost.device_id), "wiped_at": dt.datetime.now(dt.UTC).isoformat()}
    nobody = anonymous(server.base, "POST", "/v1/device/wiped", json=body)
    assert (nobody.status_code, error_code(nobody)) == (401, "not_signed_in")
    with server.session() as s:
        row = s.get(DeviceRow, lost.device_id)
        assert row is not None and row.wipe_confirmed_at is None


def test_revoking_with_a_wipe_mode_is_for_the_owner_or_the_area_and_only_raises_the_mode(server: Seeded) -> None:
    laptop = server.device("demo")
    worker = server.device("worker02")
    refused = worker.post(f"/v1/devices/{laptop.device_id}/revoke", json={"wipe": "lost"})
    assert (refused.status_code, error_code(refused)) == (403, "forbidden")
    bad = server.device("supervisor").post(f"/v1/devices/{laptop.device_id}/revoke", json={"wipe": "burn"})
    assert (bad.status_code, error_code(bad)) == (422, "invalid_request")
    with server.session() as s:
        row = s.get(DeviceRow, laptop.device_id)
        assert row is not None and (row.revoked_at, row.wipe) == (None, "")

    # the owner may report their own laptop handed over; a later report as lost raises the mode ...
    own = laptop.post(f"/v1/devices/{laptop.device_id}/revoke", json={"wipe": "handover"})
    assert own.status_code == 200, own.text
    admin = server.device("admin")
    assert admin.post(f"/v1/devices/{laptop.device_id}/revoke", json={"wipe": "lost"}).status_code == 200
    # ... and neither a handover nor a plain revoke lowers it again
    assert admin.post(f"/v1/devices/{laptop.device_id}/revoke", json={"wipe": "handover"}).status_code == 200
    assert admin.post(f"/v1/devices/{laptop.device_id}/revoke").status_code == 200
    assert _listed(server, admin, "demo", laptop.device_id)["wipe"] == "lost"
    code, out = server.cli_fails("revoke-device", str(laptop.device_id), "--wipe", "burn")
    assert code != 0 and "invalid choice" in out


def test_the_recovery_secret_is_kept_for_the_device_and_given_back_only_to_it(server: Seeded) -> None:
    dev = server.device("worker03")
    secret = secrets.token_bytes(32)
    key = base64.b64encode(secret).decode()

    for bad, code in (
        ("!" * 44, "recovery_key_invalid"),  # not base64
        ("A" * 44, "recovery_key_invalid"),  # base64 of 33 bytes
    ):
        r = _upload(dev, bad)
        assert (r.status_code, error_code(r)) == (400, code), r.text
    short = _upload(dev, key[:40])
    assert (short.status_code, error_code(short)) == (422, "invalid_request")
    other = server.device("worker03")
    wrong = _upload(dev, key, other.device_id)
    assert (wrong.status_code, error_code(wrong)) == (403, "device_mismatch")
    assert dev.get("/v1/device").json()["recovery_held"] is False
    assert other.get("/v1/device").json()["recovery_held"] is False

    for _ in range(2):  # idempotent
        r = _upload(dev, key)
        assert r.json() == {"device_id": str(dev.device_id), "recovery_held": True}, r.text
    with server.session() as s:
        row = s.get(DeviceRow, dev.device_id)
        assert row is not None and row.recovery_key == secret

    back = _login(server, "worker03", dev.device_id)
    assert back.status_code == 200, back.text
    assert (back.json()["recovery_key"], back.json()["device_id"]) == (key, str(dev.device_id))
    plain = requests.post(
        server.base + "/v1/auth/login",
        json={"username": "worker03", "password": PASSWORD, "device_id": str(dev.device_id)},
        headers=HEADERS,
        timeout=60,
    )
    assert plain.status_code == 200 and "recovery_key" not in plain.json()

    # refused: another user's device, no device, a device without a secret, a wrong password
    for username, device_id in (("worker02", dev.device_id), ("worker03", None), ("worker03", other.device_id)):
        r = _login(server, username, device_id)
        assert (r.status_code, error_code(r)) == (404, "recovery_unavailable"), (username, device_id)
    wrong_password = _login(server, "worker03", dev.device_id, "not the password")
    assert (wrong_password.status_code, error_code(wrong_password)) == (401, "bad_credentials")
    assert "recovery_key" not in wrong_password.json()

    # a revoked device is never given its secret back
    server.cli("revoke-device", str(dev.device_id), "--wipe", "lost")
    r = _login(server, "worker03", dev.device_id)
    assert (r.status_code, error_code(r)) == (404, "recovery_unavailable")
    assert "recovery_key" not in r.json()


def test_a_handed_over_laptop_whose_user_was_deactivated_is_told_to_wipe_not_to_sign_in(server: Seeded) -> None:
    admin = server.device("admin")
    name = f"leaver{uuid.uuid4().hex[:6]}"
    body = {"username": name, "role": "worker", "org_code": server.grid("demo").code, "password": "correct horse 1"}
    assert admin.post("/v1/users", json=body).status_code == 201
    dev = server.device(name, "correct horse 1")
    assert admin.post(f"/v1/devices/{dev.device_id}/revoke", json={"wipe": "handover"}).status_code == 200
    assert admin.post(f"/v1/users/{name}/deactivate").status_code == 200
    pushed = dev.send(dev.batch())
    assert (pushed.status_code, error_code(pushed)) == (401, "device_revoked")
    assert pushed.json()["detail"]["wipe"] == "handover"
    assert _wiped(dev).status_code == 200
