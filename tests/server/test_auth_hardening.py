"""Signing in, ready for a real street (issue 11), against a real server process on SQLite and PostgreSQL.

Each test sends its sign-ins from addresses of its own (``X-Forwarded-For``, which the server trusts from
loopback as uvicorn does by default), so the per-address slow-down of one test does not reach another.
"""

from __future__ import annotations

import itertools
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from gridworker_server.db import Database, alembic_config
from gridworker_server.models import Device as DeviceRow
from gridworker_server.models import Household, LoginAttempt, OrgUnit, User
from tests.helpers.server import HEADERS
from tests.server.support import PASSWORD, Device, Seeded, error_code

STRONG = "correct horse 1"
_addresses = itertools.count(1)


def new_address() -> str:
    n = next(_addresses)
    return f"10.{uuid.uuid4().int % 200 + 20}.{n // 250}.{n % 250 + 1}"


def sign_in(server: Seeded, username: str, password: str, address: str, **extra: Any) -> requests.Response:
    body = {"username": username, "password": password, **extra}
    headers = {**HEADERS, "X-Forwarded-For": address}
    return requests.post(server.base + "/v1/auth/login", json=body, headers=headers, timeout=120)


@pytest.fixture(scope="module")
def admin(server: Seeded) -> Device:
    return server.device("admin")


def new_worker(server: Seeded, admin: Device, username: str | None = None) -> str:
    username = username or f"h{uuid.uuid4().hex[:10]}"
    body = {"username": username, "role": "worker", "org_code": server.grids[0].code, "password": STRONG}
    r = admin.post("/v1/users", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["username"])


# --- 1. parallel guesses ----------------------------------------------------------------------------


@pytest.mark.parametrize("guesses", [20, 40])
def test_parallel_wrong_passwords_are_verified_at_most_five_times(server: Seeded, admin: Device, guesses: int) -> None:
    """Before: the check and the failure record were apart; 20 guesses at once all got 401 (verified)."""
    username = new_worker(server, admin)
    addresses = [new_address() for _ in range(guesses)]  # the per-user limit alone, not the address's

    with ThreadPoolExecutor(max_workers=guesses) as pool:
        answers = list(pool.map(lambda a: sign_in(server, username, f"guess {a}", a).status_code, addresses))

    assert sorted(answers) == [401] * 5 + [429] * (guesses - 5)
    # the right password now waits out the window too: the limit is per user, wherever it comes from
    locked = sign_in(server, username, STRONG, new_address())
    assert (locked.status_code, error_code(locked)) == (429, "too_many_attempts")
    assert int(locked.headers["Retry-After"]) > 0


def test_a_right_password_clears_the_count(server: Seeded, admin: Device) -> None:
    username = new_worker(server, admin)
    address = new_address()
    for _ in range(4):
        assert sign_in(server, username, "mistyped", address).status_code == 401
    assert sign_in(server, username, STRONG, address).status_code == 200
    for _ in range(5):
        assert sign_in(server, username, "mistyped", address).status_code == 401
    assert sign_in(server, username, STRONG, address).status_code == 429


def test_windows_long_over_are_forgotten(server: Seeded) -> None:
    """The counts do not pile up: a sign-in that opens a window sweeps the ones long over."""
    old = f"u:gone-{uuid.uuid4().hex[:8]}"
    with server.session() as s:
        s.add(LoginAttempt(key=old, attempts=3, window_start=1.0, next_at=0.0))
    assert sign_in(server, f"fresh-{uuid.uuid4().hex[:8]}", "wrong", new_address()).status_code == 401
    with server.session() as s:
        assert s.get(LoginAttempt, old) is None


# --- 2. one spelling of a user name -----------------------------------------------------------------


def test_spaces_case_and_width_are_the_same_user_to_the_limit(server: Seeded, admin: Device) -> None:
    """Before: after a lockout " worker02" and "worker02 " with the right password got 200."""
    username = new_worker(server, admin)
    address = new_address()
    for variant in (username, f" {username}", f"{username} ", username.upper(), f"\u3000{username}"):
        assert sign_in(server, variant, "wrong", address).status_code == 401
    for variant in (username, f" {username}", f"{username} ", username.upper()):
        r = sign_in(server, variant, STRONG, address)
        assert (r.status_code, error_code(r)) == (429, "too_many_attempts"), variant


def test_a_name_signs_in_however_it_is_typed(server: Seeded, admin: Device) -> None:
    username = new_worker(server, admin)
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in username.upper())
    ids = {
        sign_in(server, v, STRONG, new_address()).json()["user"]["id"] for v in (f" {username.upper()} ", full_width)
    }
    assert len(ids) == 1


# --- 3. a shared address is slowed down, not locked out ---------------------------------------------


def test_an_address_with_many_failures_still_signs_in_an_untouched_user(server: Seeded, admin: Device) -> None:
    """Before: after 30 failures from one address, a right password of another user got 429 (a station's
    office is one address). Now the address waits longer and longer, and is told so, never refused."""
    office = new_address()
    colleague = new_worker(server, admin)
    for n in range(30):  # four tries each on many names: no user name reaches its own limit
        r = sign_in(server, f"typo{n // 4}-{uuid.uuid4().hex[:4]}", "wrong", office)
        assert r.status_code == 401, r.text
    retry = []
    for _ in range(4):
        r = sign_in(server, "nobody-" + uuid.uuid4().hex[:6], "wrong", office)
        assert (r.status_code, error_code(r)) == (401, "bad_credentials")
        retry.append(int(r.headers["Retry-After"]))

    assert retry == sorted(retry) and retry[-1] > retry[0], retry  # a growing delay
    r = sign_in(server, colleague, STRONG, office)
    assert r.status_code == 200, r.text


# --- 6. creating users -------------------------------------------------------------------------------


def test_a_taken_name_in_another_spelling_is_a_409_with_the_name(server: Seeded, admin: Device) -> None:
    """Before: " demo " was a 500 (IntegrityError) and "DEMO" was created, and could never sign in."""
    for given in (" demo ", "DEMO", "ｄｅｍｏ"):
        body = {"username": given, "role": "worker", "org_code": server.grids[0].code, "password": STRONG}
        r = admin.post("/v1/users", json=body)
        assert (r.status_code, error_code(r)) == (409, "user_exists"), r.text
        assert r.json()["detail"]["username"] == "demo"
    with server.session() as s:
        assert s.scalar(select(sa.func.count()).select_from(User).where(sa.func.lower(User.username) == "demo")) == 1


def test_a_new_name_is_stored_in_its_normal_form(server: Seeded, admin: Device) -> None:
    raw = f"  New{uuid.uuid4().hex[:6].upper()} "
    stored = new_worker(server, admin, raw)
    assert stored == raw.strip().lower()
    assert sign_in(server, raw.upper(), STRONG, new_address()).status_code == 200


@pytest.mark.parametrize("name", ["wor\u200bker", "\ufeffworker", "worker\u202e", "a\x00b", "a\tb", "   "])
def test_invisible_and_control_characters_in_a_new_name_are_refused(server: Seeded, admin: Device, name: str) -> None:
    body = {"username": name, "role": "worker", "org_code": server.grids[0].code, "password": STRONG}
    r = admin.post("/v1/users", json=body)
    # a NUL is no text at all (the body's check); the others are no user name
    wanted = "invalid_text" if "\x00" in name else "invalid_username"
    assert (r.status_code, error_code(r)) == (422, wanted), r.text


# --- 7. NUL and control characters -------------------------------------------------------------------


def test_a_nul_is_refused_alike_before_the_database(server: Seeded, admin: Device) -> None:
    """Before: SQLite stored a NUL in a user's name, a device's name and a supervisor's edit
    (PostgreSQL refused them, with another answer)."""
    body = {"username": f"n{uuid.uuid4().hex[:8]}", "role": "worker", "org_code": server.grids[0].code}
    r = admin.post("/v1/users", json={**body, "password": STRONG, "name": "王\x00五"})
    assert (r.status_code, error_code(r)) == (422, "invalid_text"), r.text
    assert r.json()["detail"]["char"] == "U+0000"

    r = sign_in(server, "worker02", PASSWORD, new_address(), device_name="lap\x00top")
    assert (r.status_code, error_code(r)) == (422, "invalid_text"), r.text
    r = sign_in(server, "worker02", PASSWORD, new_address(), device_name="lap\x1btop")
    assert (r.status_code, error_code(r)) == (422, "invalid_text"), r.text

    supervisor = server.device("supervisor")
    (h,) = server.take(server.grid("worker02"))
    before = server.household(h).notes
    r = supervisor.request("PATCH", f"/v1/households/{h}", json={"changes": {"notes": "楼道\x00堆物"}})
    assert (r.status_code, error_code(r)) == (422, "invalid_text"), r.text
    assert server.household(h).notes == before
    with server.session() as s:
        stored = [*s.scalars(select(User.name)), *s.scalars(select(DeviceRow.name))]
        stored += [n or "" for n in s.scalars(select(Household.notes))]
    assert not [text for text in stored if "\x00" in text]  # (LIKE cannot look for a NUL on SQLite)


# --- 9. a supervisor and the station laptops of their street ----------------------------------------


def test_a_supervisor_lists_and_revokes_a_station_laptop_of_their_street(server: Seeded) -> None:
    """Before: 404 for the devices of station users in the supervisor's own street."""
    station = server.device("station01")
    supervisor = server.device("supervisor")

    listed = supervisor.get("/v1/users/station01/devices")
    assert listed.status_code == 200, listed.text
    assert str(station.device_id) in {d["id"] for d in listed.json()}
    r = supervisor.post(f"/v1/devices/{station.device_id}/revoke")
    assert r.status_code == 200, r.text
    gone = station.get("/v1/me")
    assert (gone.status_code, error_code(gone)) == (401, "device_revoked")


def test_a_supervisor_of_another_area_still_gets_404(server: Seeded, admin: Device) -> None:
    with server.session() as s:
        street = s.scalars(select(OrgUnit).where(OrgUnit.kind == "street")).first()
        assert street is not None
        other = OrgUnit(id=uuid.uuid4(), code=f"S{uuid.uuid4().hex[:6]}", name="另一街道", kind="street")
        s.add(other)
    name = f"sup{uuid.uuid4().hex[:6]}"
    body = {"username": name, "role": "supervisor", "org_code": other.code, "password": STRONG}
    assert admin.post("/v1/users", json=body).status_code == 201
    outsider = server.device(name, STRONG)
    assert outsider.get("/v1/users/station01/devices").status_code == 404


# --- the command line, and the names already stored ---------------------------------------------------


def test_the_command_line_normalises_names(server: Seeded) -> None:
    name = f"Cli{uuid.uuid4().hex[:6]}"
    grid = server.grids[0].code
    out = server.cli(
        "create-user", f" {name.upper()} ", "--role", "worker", "--org", grid, "--password-stdin", stdin=STRONG
    )
    assert f"created worker {name.lower()} (" in out
    _code, text = server.cli_fails(
        "create-user", name, "--role", "worker", "--org", grid, "--password-stdin", stdin=STRONG
    )
    assert "exists" in text
    assert sign_in(server, name, STRONG, new_address()).status_code == 200
    assert "active" in server.cli("devices", f"{name.upper()}  ")


def _database_before_usernames(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database(f"old_{uuid.uuid4().hex[:12]}")
    db = Database(url, pool_size=1)
    config = alembic_config(url)
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if backend == "sqlite" and raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # as `migrate` runs revision 0004 (names constraints)
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")  # the revision before the names' normal form (0008)
        if backend == "sqlite" and raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")
    return db


def _add_user(db: Database, username: str) -> None:
    """A user as an older server stored it (app_user is the same at 0007 as now)."""
    with db.engine.begin() as c:
        c.execute(sa.insert(User).values(id=uuid.uuid4(), username=username, name="x", role="admin", password_hash="x"))


def test_migrate_brings_stored_names_to_their_normal_form(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db = _database_before_usernames(backend, request, tmp_path)
    try:
        for name in (" Wang Wei ", "LI\u3000NA", "zhao"):
            _add_user(db, name)
        db.migrate()
        with db.read() as s:
            assert sorted(s.scalars(select(User.username))) == ["li na", "wang wei", "zhao"]
    finally:
        db.dispose()


def test_migrate_refuses_names_that_become_one_and_lists_them(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db = _database_before_usernames(backend, request, tmp_path)
    try:
        for name in ("Demo", "demo ", "other"):
            _add_user(db, name)
        with pytest.raises(RuntimeError, match="'Demo' / 'demo ' -> 'demo'"):
            db.migrate()
        with db.read() as s:  # nothing changed: the migration is one transaction
            assert sorted(s.scalars(select(User.username))) == ["Demo", "demo ", "other"]
    finally:
        db.dispose()
