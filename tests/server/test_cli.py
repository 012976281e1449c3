"""``gridworker-server`` administration commands on a live server's database (SQLite and PostgreSQL):
their effects reach the workers' next pull, and bad input exits non-zero, says why, and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from gridworker_server.models import Device as DeviceRow
from gridworker_server.models import GridAssignment, Household, ResidentRequest, User
from gridworker_shared.protocol import GLOBAL_SCOPE
from tests.server.support import Seeded, error_code, packed, visit

SECRET = "grid-worker-2026"


def snapshot(server: Seeded) -> dict[str, Any]:
    """What an administration command may change: users, assignments, households, requests, devices."""
    with server.session() as s:
        return {
            "users": sorted(tuple(r) for r in s.execute(select(User.username, User.role, User.active))),
            "assignments": sorted(
                (str(g), str(u), str(until))
                for g, u, until in s.execute(
                    select(GridAssignment.grid_id, GridAssignment.user_id, GridAssignment.until)
                )
            ),
            "households": sorted(
                (str(i), v, str(g), str(d))
                for i, v, g, d in s.execute(
                    select(Household.id, Household.version, Household.grid_id, Household.deleted_at)
                )
            ),
            "requests": sorted((str(i), st) for i, st in s.execute(select(ResidentRequest.id, ResidentRequest.status))),
            "devices": sorted((str(i), str(r)) for i, r in s.execute(select(DeviceRow.id, DeviceRow.revoked_at))),
        }


def test_create_user_reads_the_password_from_stdin(server: Seeded) -> None:
    grid = server.grid("demo")

    out = server.cli(
        "create-user",
        "cli_worker",
        "--role",
        "worker",
        "--org",
        grid.code,
        "--name",
        "王小明",
        "--password-stdin",
        stdin=SECRET + "\n",
    )

    assert out.startswith("created worker cli_worker (")
    dev = server.device("cli_worker", SECRET)
    assert dev.role == "worker"
    assert dev.get("/v1/me").json()["user"]["name"] == "王小明"


# argument checks do not depend on the database: SQLite only (each case is a process start)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        pytest.param(
            ("create-user", "weak_pw", "--role", "worker", "--org", "{grid}", "--password-stdin"),
            "short\n",
            "at least 8 characters",
            id="weak-password",
        ),
        pytest.param(
            ("create-user", "bad_role", "--role", "chief", "--org", "{grid}", "--password-stdin"),
            SECRET + "\n",
            "invalid choice: 'chief'",
            id="unknown-role",
        ),
        pytest.param(
            ("create-user", "bad_org", "--role", "worker", "--org", "999999", "--password-stdin"),
            SECRET + "\n",
            "No org unit with code 999999",
            id="unknown-org",
        ),
        pytest.param(("assign-grid", "999999", "demo"), None, "No org unit with code 999999", id="unknown-grid"),
        pytest.param(("assign-grid", "{grid}", "supervisor"), None, "supervisor is not a worker", id="not-a-worker"),
        pytest.param(("revoke-device", "{uuid}"), None, "No such device", id="revoke-unknown"),
        pytest.param(("household-edit", "{household}", "status=closed"), None, "cannot be changed", id="edit-field"),
        pytest.param(("household-move", "{household}", "999999"), None, "No org unit", id="move-unknown-grid"),
        pytest.param(("request-transition", "{request}", "closed"), None, "cannot become closed", id="transition"),
    ],
)
def test_bad_input_exits_non_zero_says_why_and_changes_nothing(
    server: Seeded, args: tuple[str, ...], stdin: str | None, says: str
) -> None:
    grid = server.grid("demo")
    placeholders = {
        "{grid}": lambda: grid.code,
        "{uuid}": lambda: str(uuid.uuid4()),
        "{household}": lambda: str(server.take(grid)[0]),
        "{request}": lambda: str(server.take_request(grid)),
    }
    argv = [placeholders[a]() if a in placeholders else a for a in args]
    before = snapshot(server)

    code, output = server.cli_fails(*argv, stdin=stdin)

    assert code == 2
    assert says in output
    assert "Traceback" not in output
    assert snapshot(server) == before


def test_deactivate_user_stops_its_devices(server: Seeded) -> None:
    server.cli(
        "create-user",
        "leaving",
        "--role",
        "worker",
        "--org",
        server.grid("demo").code,
        "--password-stdin",
        stdin=SECRET + "\n",
    )
    dev = server.device("leaving", SECRET)
    assert dev.pull_raw().status_code == 200

    assert server.cli("deactivate-user", "leaving").strip() == "deactivated leaving"

    r = dev.pull_raw()
    assert (r.status_code, error_code(r)) == (401, "user_inactive")


def test_assign_grid_moves_the_scope_to_the_new_worker(fresh_server: Seeded) -> None:
    server = fresh_server
    grid = server.grid("worker04")
    server.cli(
        "create-user", "successor", "--role", "worker", "--org", grid.code, "--password-stdin", stdin=SECRET + "\n"
    )
    old, new = server.device("worker04"), server.device("successor", SECRET)
    old.pull()
    new.pull()
    assert not new.households

    assert server.cli("assign-grid", grid.code, "successor").strip() == f"grid {grid.code} -> successor"

    (page,) = old.pull()
    assert page["removed"] == [grid.scope]
    assert not old.households
    new.pull()
    assert new.cursors.keys() == {grid.scope, GLOBAL_SCOPE}
    assert len(new.households) > 100
    assert {h["grid_id"] for h in new.households.values()} == {grid.id}


def test_devices_lists_and_revoke_device_stops_a_laptop(server: Seeded) -> None:
    dev = server.device("worker02")
    (h,) = server.take(server.grid("worker02"))
    assert dev.push_one(visit(h))["status"] == "applied"

    listed = [line for line in server.cli("devices", "worker02").splitlines() if str(dev.device_id) in line]
    assert len(listed) == 1
    assert "active" in listed[0] and "seq 1 " in listed[0]

    assert server.cli("revoke-device", str(dev.device_id)).strip() == f"revoked {dev.device_id}"

    r = dev.pull_raw()
    assert (r.status_code, error_code(r)) == (401, "device_revoked")
    (line,) = [line for line in server.cli("devices", "worker02").splitlines() if str(dev.device_id) in line]
    assert "revoked" in line


def test_household_and_request_commands_reach_the_workers_next_pull(server: Seeded) -> None:
    grid, other = server.grid("demo"), server.grid("worker02")
    edited, moved, removed = server.take(grid, 3)
    request = server.take_request(grid)
    with server.session() as s:
        row = s.get(ResidentRequest, request)
        assert row is not None
        request_household = row.household_id
    worker, neighbour = server.device("demo"), server.device("worker02")
    worker.pull()
    neighbour.pull()

    assert (
        server.cli(
            "household-edit", str(edited), "phone=13912345678", "notes=命令行修改", "tags=low_income,elderly_alone"
        ).strip()
        == "saved"
    )
    assert server.cli("household-move", str(moved), other.code).strip() == "moved"
    assert server.cli("household-remove", str(removed)).strip() == "removed"
    assert server.cli("request-transition", str(request), "accepted", "--note", "已受理").strip() == (
        "request is now accepted"
    )

    (page,) = worker.pull()
    assert sorted(page["removes"][grid.scope]["household"]) == sorted([packed(moved), packed(removed)])
    h = worker.households[edited]
    assert (h["phone"], h["notes"], h["tags"]) == ("13912345678", "命令行修改", ["elderly_alone", "low_income"])
    assert moved not in worker.households and removed not in worker.households
    (req,) = [r for r in worker.households[request_household]["requests"] if r["id"] == request]
    assert (req["status"], req["status_note"]) == ("accepted", "已受理")
    neighbour.pull()
    assert neighbour.households[moved]["grid_id"] == other.id
