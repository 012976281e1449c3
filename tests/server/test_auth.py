"""Sign-in, tokens and authorization against a real server on SQLite and PostgreSQL (SYNC.md, Auth;
failure list items 20 and 21).

The authorization matrix calls every endpoint of the API as each role, on its own area and on another's:
a worker (grid 1), a community station (the community of grid 1), the street supervisor, a supervisor of
another community (created by the admin through the API), the admin, and a department's user (issue 13:
its own orders are the requests dispatched to it, another's are dispatched elsewhere)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import inspect, select, text, update

from gridworker_server.api.deps import MIN_PROTOCOL
from gridworker_server.models import Device as DeviceRow
from gridworker_server.models import Household, OrgUnit
from gridworker_shared.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION, unpack_id
from tests.helpers.requests_server_flow import raise_request
from tests.server.support import Device, Grid, Mut, Seeded, anonymous, error_code, visit

STRONG = "correct horse 1"


@dataclass
class Area:
    """The signed-in principals of the module's server and the grids each calls its own or another's."""

    server: Seeded
    who: dict[str, Device]
    own: dict[str, Grid]
    other: dict[str, Grid | None]
    spare_grid: Grid  # a grid in the street supervisor's area, the target of moves

    def new_user(self, role: str = "worker", org: str | None = None) -> str:
        username = f"u{uuid.uuid4().hex[:10]}"
        body = {"username": username, "role": role, "org_code": org or self.own["worker"].code, "password": STRONG}
        r = self.who["admin"].post("/v1/users", json=body)
        assert r.status_code == 201, r.text
        return username


@pytest.fixture(scope="module")
def area(server: Seeded) -> Area:
    g1, g2, g3 = server.grid("demo"), server.grid("worker02"), server.grid("worker03")
    with server.session() as s:
        grid2 = s.get(OrgUnit, g2.id)
        assert grid2 is not None and grid2.parent_id is not None
        community = s.get(OrgUnit, grid2.parent_id)
        assert community is not None and community.kind == "community"
        community2 = community.code
    admin = server.device("admin")
    r = admin.post(
        "/v1/users",
        json={"username": "sup_c2", "role": "supervisor", "org_code": community2, "password": STRONG, "name": "二社区"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "supervisor"
    who = {
        "worker": server.device("demo"),
        "station": server.device("station01"),
        "supervisor": server.device("supervisor"),
        "area_supervisor": server.device("sup_c2", STRONG),
        "admin": admin,
        "department": server.device("dept-cgzf"),
    }
    own = {"worker": g1, "station": g1, "supervisor": g1, "area_supervisor": g2, "admin": g1, "department": g1}
    other: dict[str, Grid | None] = {
        "worker": g2,
        "station": g2,
        "supervisor": None,
        "area_supervisor": g1,
        "admin": None,
        "department": g2,
    }
    return Area(server, who, own, other, g3)


# --- the matrix ------------------------------------------------------------------------------------------

Action = Callable[[Area, Device, Grid], requests.Response]


def _me(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.get("/v1/me")


def _pull(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.pull_raw()


def _conflicts(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.get("/v1/conflicts")


def _create_user(a: Area, dev: Device, grid: Grid) -> requests.Response:
    body = {"username": f"n{uuid.uuid4().hex[:10]}", "role": "worker", "org_code": grid.code, "password": STRONG}
    return dev.post("/v1/users", json=body)


def _deactivate(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.post(f"/v1/users/{a.new_user(org=grid.code)}/deactivate")


def _visits(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.get("/v1/visits", params={"grid": grid.code})


def _assign(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.post(f"/v1/grids/{grid.code}/assign", json={"username": grid.worker})  # its own worker: no change


def _devices(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.get(f"/v1/users/{grid.worker}/devices")


def _revoke(a: Area, dev: Device, grid: Grid) -> requests.Response:
    laptop = a.server.device(grid.worker)
    return dev.post(f"/v1/devices/{laptop.device_id}/revoke")


def _patch(a: Area, dev: Device, grid: Grid) -> requests.Response:
    (h,) = a.server.take(grid)
    return dev.request("PATCH", f"/v1/households/{h}", json={"changes": {"notes": f"{dev.username} 修改"}})


def _move(a: Area, dev: Device, grid: Grid) -> requests.Response:
    (h,) = a.server.take(grid)
    # the street's spare grid; the community supervisor tries grid 1, outside its area
    target = a.own["worker"] if dev.username == "sup_c2" else a.spare_grid
    return dev.post(f"/v1/households/{h}/move", json={"grid_id": str(target.id)})


def _delete(a: Area, dev: Device, grid: Grid) -> requests.Response:
    (h,) = a.server.take(grid)
    return dev.request("DELETE", f"/v1/households/{h}")


def _transition(a: Area, dev: Device, grid: Grid) -> requests.Response:
    rid = a.server.take_request(grid)
    return dev.post(f"/v1/requests/{rid}/transition", json={"to": "accepted", "note": "受理"})


def _sign(a: Area, dev: Device, grid: Grid) -> requests.Response:
    """签收 of a request dispatched to the department (cgzf) in its own grid, to another one (wy) elsewhere."""
    rid = raise_request(a.server, grid).id  # a new one: the seeded requests of a grid are few
    with a.server.session() as s:
        code = "cgzf" if grid == a.own["department"] else "wy"
        department = s.scalar(select(OrgUnit.id).where(OrgUnit.code.endswith(f"-{code}")))
    sent = a.who["admin"].post(f"/v1/requests/{rid}/step", json={"step": "dispatch", "department_id": str(department)})
    assert sent.status_code == 200, sent.text
    return dev.post(f"/v1/requests/{rid}/step", json={"step": "sign"})


def _feed(a: Area, dev: Device, grid: Grid) -> requests.Response:
    return dev.get("/v1/feed/requests")  # the city platform's: an API key, never a user's token


ACTIONS: dict[str, Action] = {
    "me": _me,
    "pull": _pull,
    "conflicts": _conflicts,
    "create_user": _create_user,
    "deactivate": _deactivate,
    "visits": _visits,
    "assign": _assign,
    "devices": _devices,
    "revoke": _revoke,
    "patch": _patch,
    "move": _move,
    "delete": _delete,
    "transition": _transition,
    "sign": _sign,
    "feed": _feed,
}
ROLES = ("worker", "station", "supervisor", "area_supervisor", "admin", "department")
# action -> one (own area, another's area) pair per role, in ROLES order; None: the role has no other area
EXPECTED: dict[str, tuple[tuple[int, int | None], ...]] = {
    "me": ((200, None), (200, None), (200, None), (200, None), (200, None), (200, None)),
    "pull": ((200, None), (200, None), (200, None), (200, None), (200, None), (200, None)),
    "conflicts": ((200, None), (200, None), (200, None), (200, None), (200, None), (200, None)),
    "create_user": ((403, None), (403, None), (403, None), (403, None), (201, None), (403, None)),
    "deactivate": ((403, None), (403, None), (403, None), (403, None), (200, None), (403, None)),
    "visits": ((403, 403), (200, 404), (200, None), (200, 404), (200, None), (403, 403)),
    "assign": ((403, 403), (403, 403), (200, None), (200, 404), (200, None), (403, 403)),
    "devices": ((200, 403), (403, 403), (200, None), (200, 404), (200, None), (403, 403)),
    "revoke": ((200, 403), (403, 403), (200, None), (200, 404), (200, None), (403, 403)),
    "patch": ((403, 403), (403, 403), (200, None), (200, 404), (200, None), (403, 403)),
    "move": ((403, 403), (403, 403), (200, None), (404, 404), (200, None), (403, 403)),
    "delete": ((403, 403), (403, 403), (200, None), (200, 404), (200, None), (403, 403)),
    # the flow (issue 13): a station accepts in its community; outside one's area a request is not found
    "transition": ((403, 404), (200, 404), (200, None), (200, 404), (200, None), (404, 404)),
    # 签收 is the department's, of its own orders only
    "sign": ((403, 404), (403, 404), (403, None), (403, 404), (200, None), (200, 404)),
    "feed": ((401, None), (401, None), (401, None), (401, None), (401, None), (401, None)),
}
CASES = [
    pytest.param(action, role, side, status, id=f"{action}-{role}-{side}")
    for action, row in EXPECTED.items()
    for role, pair in zip(ROLES, row, strict=True)
    for side, status in zip(("own", "other"), pair, strict=True)
    if status is not None
]


@pytest.mark.parametrize(("action", "role", "side", "expected"), CASES)
def test_authorization_matrix(area: Area, action: str, role: str, side: str, expected: int) -> None:
    grid = area.own[role] if side == "own" else area.other[role]
    assert grid is not None

    r = ACTIONS[action](area, area.who[role], grid)

    assert r.status_code == expected, f"{role} {action} on {side} area: {r.status_code} {r.text[:300]}"
    if expected >= 400:
        assert error_code(r) in {
            "forbidden", "grid_unknown", "user_unknown", "household_unknown", "request_unknown",
            "request_out_of_area", "request_step_forbidden", "api_key_invalid",
        }  # fmt: skip


def test_scopes_are_computed_by_the_server(area: Area) -> None:
    server = area.server
    scopes = {role: set(dev.get("/v1/me").json()["scopes"]) for role, dev in area.who.items()}
    every = {g.scope for g in server.grids}
    review = {f"r:{g.id.hex}" for g in server.grids}
    # a worker pulls their grid; a station and a supervisor also the review scope of each grid of
    # their area (issue 12); an admin reviews through the API, without a laptop copy of every grid
    assert scopes["worker"] == {"global", area.own["worker"].scope}
    assert scopes["station"] == {"global", area.own["station"].scope, f"r:{area.own['station'].id.hex}"}
    own2 = area.own["area_supervisor"]
    assert scopes["area_supervisor"] == {"global", own2.scope, f"r:{own2.id.hex}"}
    assert scopes["supervisor"] - {"global"} == every | review
    assert scopes["admin"] - {"global"} == every
    # a pull carries only the scopes held, whatever cursors the client names
    worker = area.who["worker"]
    other = area.other["worker"]
    assert other is not None
    r = worker.pull_raw(cursors={other.scope: 0})
    assert r.status_code == 200
    page = r.json()
    assert page["removed"] == [other.scope]
    assert other.scope not in page.get("cursors", {})
    assert all(h[1] != str(other.id) for h in page.get("upserts", {}).get("household", []))


def test_a_worker_push_is_authorized_per_mutation(area: Area) -> None:
    server, worker = area.server, area.who["worker"]
    other = area.other["worker"]
    assert other is not None
    (mine,) = server.take(area.own["worker"])
    (theirs,) = server.take(other)

    results = worker.push(visit(mine), visit(theirs))

    assert [(r["status"], r["code"]) for r in results] == [("applied", ""), ("rejected", "out_of_scope")]


def test_a_push_for_another_device_is_refused(area: Area) -> None:
    worker = area.who["worker"]
    body = worker.body([])
    body["device_id"] = str(uuid.uuid4())
    r = worker.post("/v1/sync/push", json=body)
    assert r.status_code == 403, r.text
    assert error_code(r) == "wrong_device"


# --- signing in -------------------------------------------------------------------------------------


def _login(server: Seeded, username: str, password: str, **extra: str) -> requests.Response:
    body = {"username": username, "password": password, **extra}
    return anonymous(server.base, "POST", "/v1/auth/login", json=body)


def test_a_wrong_password_is_refused(area: Area) -> None:
    r = _login(area.server, "demo", "demo12345")
    assert r.status_code == 401, r.text
    assert error_code(r) == "bad_credentials"
    unknown = _login(area.server, "nobody-here", "demo1234")
    assert (unknown.status_code, error_code(unknown)) == (401, "bad_credentials")


def test_five_failed_sign_ins_lock_the_user_name_for_a_while(area: Area) -> None:
    username = area.new_user()
    for _ in range(5):
        r = _login(area.server, username, "wrong password")
        assert (r.status_code, error_code(r)) == (401, "bad_credentials")

    locked = _login(area.server, username, STRONG)

    assert locked.status_code == 429, locked.text
    assert error_code(locked) == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    # other users sign in as usual
    assert _login(area.server, "worker02", "demo1234").status_code == 200


def test_a_revoked_device_fails_its_next_request(area: Area) -> None:
    server = area.server
    laptop = server.device("demo")
    (h,) = server.take(area.own["worker"])
    assert laptop.push_one(visit(h))["status"] == "applied"
    assert laptop.pull_raw().status_code == 200

    r = area.who["supervisor"].post(f"/v1/devices/{laptop.device_id}/revoke")
    assert r.status_code == 200, r.text

    for answer in (laptop.pull_raw(), laptop.send(laptop.batch(visit(h))), laptop.get("/v1/me")):
        assert answer.status_code == 401, answer.text
        assert error_code(answer) == "device_revoked"
    listed = area.who["supervisor"].get("/v1/users/demo/devices").json()
    assert [d["revoked"] for d in listed if d["id"] == str(laptop.device_id)] == [True]
    # signing in again gives a new device: the revoked one's sequence is not continued
    again = server.device("demo", device_id=laptop.device_id)
    assert again.device_id != laptop.device_id
    assert again.login_seq == 0


def test_signing_out_revokes_the_token(area: Area) -> None:
    laptop = area.server.device("worker02")
    assert laptop.post("/v1/auth/logout").status_code == 200
    r = laptop.get("/v1/me")
    assert (r.status_code, error_code(r)) == (401, "device_revoked")


def test_an_expired_token_fails_and_signing_in_again_continues_the_sequence(area: Area) -> None:
    server = area.server
    laptop = server.device("demo")
    h1, h2 = server.take(area.own["worker"], 2)
    assert [r["status"] for r in laptop.push(visit(h1), visit(h2))] == ["applied", "applied"]
    with server.session() as s:
        s.execute(
            update(DeviceRow)
            .where(DeviceRow.id == laptop.device_id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        )

    r = laptop.pull_raw()
    assert r.status_code == 401, r.text
    assert error_code(r) == "token_expired"
    pending = visit(h1, notes="离线三个月后")
    refused = laptop.send(laptop.batch(pending))
    assert (refused.status_code, error_code(refused)) == (401, "token_expired")

    again = server.device("demo", device_id=laptop.device_id)

    assert again.device_id == laptop.device_id
    assert again.login_seq == 2
    again.next_seq = 3  # the outbox keeps its numbers
    assert again.push_one(pending)["status"] == "applied"
    assert server.last_seq(laptop.device_id) == 3
    # the old token was replaced
    assert laptop.get("/v1/me").status_code == 401


def test_a_deactivated_user_is_refused_at_once(area: Area) -> None:
    server = area.server
    username = area.new_user()
    laptop = server.device(username, STRONG)
    assert laptop.get("/v1/me").status_code == 200

    assert area.who["admin"].post(f"/v1/users/{username}/deactivate").status_code == 200

    r = laptop.pull_raw()
    assert (r.status_code, error_code(r)) == (401, "user_inactive")
    signin = _login(server, username, STRONG)
    assert (signin.status_code, error_code(signin)) == (401, "bad_credentials")


def test_no_token_or_a_made_up_one_is_refused(area: Area) -> None:
    r = anonymous(area.server.base, "GET", "/v1/me")
    assert (r.status_code, error_code(r)) == (401, "not_signed_in")
    r = anonymous(area.server.base, "GET", "/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert (r.status_code, error_code(r)) == (401, "invalid_token")


# --- protocol versions (item 20) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol", "code"),
    [
        (None, "client_too_old"),
        ("0", "client_too_old"),
        ("1", "client_too_old"),  # before the guide and the cards: it would misread the new rows
        ("2", "client_too_old"),  # its decoder refused the worker row with the card code
        ("3", "client_too_old"),  # its decoder refused the visit and org unit rows' review columns
        ("one", "client_too_old"),
        (str(PROTOCOL_VERSION + 1), "server_too_old"),
    ],
)
def test_a_protocol_outside_the_window_gets_426(area: Area, protocol: str | None, code: str) -> None:
    worker = area.who["worker"]
    headers = {k: v for k, v in worker.headers.items() if k != HEADER_PROTOCOL}
    if protocol is not None:
        headers[HEADER_PROTOCOL] = protocol
    base = area.server.base

    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/v1/me", None),
        ("POST", "/v1/sync/pull", {"cursors": {}}),
        ("POST", "/v1/sync/push", worker.body([])),
        ("POST", "/v1/auth/login", {"username": "demo", "password": "demo1234"}),
    ]
    for method, path, body in calls:
        r = requests.request(method, base + path, json=body, headers=headers, timeout=60)
        assert r.status_code == 426, f"{path}: {r.status_code} {r.text}"
        assert error_code(r) == code
        assert r.json()["detail"]["supported"] == {"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION}
    # the health check needs no version: a client can always tell it is our server
    assert requests.get(base + "/health", timeout=60).json()["service"] == "gridworker-sync"
    assert requests.get(base + "/v1/me", headers=worker.headers, timeout=60).status_code == 200


# --- what the server stores ---------------------------------------------------------------------------


def test_the_token_is_stored_only_as_its_sha256(area: Area) -> None:
    server = area.server
    laptop = server.device("demo")
    token = laptop.token

    row = server.device_row(laptop.device_id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    if server.backend == "sqlite":
        path = Path(server.url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert token.encode() not in file.read_bytes()
    else:
        with server.session() as s:
            tables = inspect(s.connection()).get_table_names()
            for table in tables:
                hits = s.scalar(
                    text(f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE :pattern'),
                    {"pattern": f"%{token}%"},
                )
                assert hits == 0, table


# --- the review (issue 12): who reviews which visits, who pulls which review scopes -------------------

REVIEW_EXPECTED: dict[str, tuple[tuple[str, str], tuple[str, str] | None]] = {
    # role -> (own area, another's area): the push result's (status, code)
    "worker": (("rejected", "review_forbidden"), ("rejected", "review_forbidden")),
    "station": (("applied", ""), ("rejected", "review_out_of_area")),
    "supervisor": (("applied", ""), None),
    "area_supervisor": (("applied", ""), ("rejected", "review_out_of_area")),
    "admin": (("applied", ""), None),
}
REVIEW_CASES = [
    pytest.param(role, side, expected, id=f"visit.review-{role}-{side}")
    for role, pair in REVIEW_EXPECTED.items()
    for side, expected in zip(("own", "other"), pair, strict=True)
    if expected is not None
]


@pytest.mark.parametrize(("role", "side", "expected"), REVIEW_CASES)
def test_review_authorization_matrix(area: Area, role: str, side: str, expected: tuple[str, str]) -> None:
    """visit.review is authorized by the server against the reviewer's area on every push: a worker
    never reviews, a station its community, a supervisor their area, an admin everywhere."""
    grid = area.own[role] if side == "own" else area.other[role]
    assert grid is not None
    (hid,) = area.server.take(grid)
    recorded = visit(hid)
    assert area.server.device(grid.worker).push_one(recorded)["status"] == "applied"
    found = area.server.visit(uuid.UUID(recorded.payload["id"]))
    assert found is not None
    review = Mut(
        "visit.review",
        {"id": str(uuid.uuid4()), "visit_no": found.no, "household_id": str(hid), "action": "approve"},
    )

    result = area.who[role].push_one(review)

    assert (result["status"], result["code"]) == expected, result
    after = area.server.visit(found.id)
    assert after is not None
    assert after.review_state == ("approved" if expected[0] == "applied" else "pending")


def test_review_rows_reach_reviewers_of_the_grid_only(area: Area) -> None:
    """A worker's pull carries no review rows; a station's only its community's grids'."""
    worker, station = area.who["worker"], area.who["station"]
    worker_rows = [r for p in worker.pull() for r in p.get("upserts", {}).get("review", [])]
    assert worker_rows == []
    rows = [r for p in station.pull() for r in p.get("upserts", {}).get("review", [])]
    assert rows
    with area.server.session() as s:
        grids = set(
            s.scalars(select(Household.grid_id).where(Household.id.in_([unpack_id(r[0]) for r in rows])).distinct())
        )
    assert grids == {area.own["station"].id}
