"""Resident requests from the doorstep to closure through real pushes and pulls, on SQLite and
PostgreSQL: the station accepts and dispatches, the department signs and closes, the worker's laptop
sees it closed with its history, the resident's verdict archives or reopens it (重办); bounces flag it;
every step is an event; who may take which step where; replays are exactly-once."""

from __future__ import annotations

import datetime as dt
import uuid

from gridworker_shared.protocol import department_scope, pack_id
from tests.helpers.requests_server_flow import departments, events, raise_request, row, station_of, step
from tests.server.support import Mut, Seeded, unpack_id


def _ok(result: dict[str, object]) -> dict[str, object]:
    assert result["status"] == "applied", result
    return result


def _code(result: dict[str, object]) -> object:
    assert result["status"] == "rejected", result
    return result["code"]


def test_doorstep_to_reopen_through_every_role(server: Seeded) -> None:
    grid = server.grids[0]
    r = raise_request(server, grid)
    station = server.device(r.station)
    cgzf = r.departments["cgzf"]
    _ok(station.push_one(step(r.id, "accept")))
    sent = _ok(station.push_one(step(r.id, "dispatch", department_id=cgzf)))
    assert sent["data"]["status"] == "dispatched"  # type: ignore[index]
    dispatched = row(server, r.id)
    assert dispatched.department_id == cgzf and dispatched.dispatched_at is not None
    # the clock starts at 派单: dumped rubbish has 3 days
    assert dispatched.deadline_at is not None and dispatched.deadline_at - dispatched.dispatched_at == dt.timedelta(
        days=3
    )

    dept = server.device("dept-cgzf")
    assert dept.role == "department"
    dept.pull()
    assert set(dept.cursors) == {department_scope(cgzf)} and dept.households == {}
    page = dept.pull_raw(cursors={}).json()
    ids = {unpack_id(o[0]) for o in page["upserts"]["work_order"]}
    assert r.id in ids and set(page["upserts"]) == {"work_order"}
    mine = next(o for o in page["upserts"]["work_order"] if unpack_id(o[0]) == r.id)
    assert mine[8] == "dispatched" and "社区" in mine[2]  # the address in one line with the community

    _ok(dept.push_one(step(r.id, "sign")))
    _ok(dept.push_one(step(r.id, "progress", note="已到现场")))
    _ok(dept.push_one(step(r.id, "close", note="已清理")))
    assert row(server, r.id).status == "closed"

    worker = r.worker
    worker.pull()
    seen = next(q for q in worker.households[r.household]["requests"] if q["id"] == r.id)
    assert seen["status"] == "closed" and [e[1] for e in seen["events"]] == [
        "create", "accept", "dispatch", "sign", "progress", "close"
    ]  # fmt: skip

    _ok(worker.push_one(step(r.id, "callback", r.household, resolved=False, satisfaction="dissatisfied")))
    again = row(server, r.id)
    assert (again.status, again.department_id, again.reopens, again.resolved) == ("dispatched", cgzf, 1, False)
    assert again.closed_at is None and again.deadline_at is not None
    worker.pull()
    seen = next(q for q in worker.households[r.household]["requests"] if q["id"] == r.id)
    assert seen["status"] == "dispatched" and seen["reopens"] == 1
    steps = [(e.command, e.from_status, e.to_status) for e in events(server, r.id)]
    assert steps[-1] == ("callback", "closed", "dispatched")
    assert all(e.event_id is not None for e in events(server, r.id)[1:])


def test_a_satisfied_callback_archives_and_three_failed_ones_too(server: Seeded) -> None:
    grid = server.grids[1]
    station = server.device(station_of(server, grid))
    dept = server.device("dept-wy")
    wy = departments(server)["wy"]
    for verdict in ("satisfied", "failed"):
        r = raise_request(server, grid, category="other")
        _ok(station.push_one(step(r.id, "dispatch", department_id=wy)))
        _ok(dept.push_one(step(r.id, "sign")))
        _ok(dept.push_one(step(r.id, "close", note="灯已修好")))
        if verdict == "satisfied":
            _ok(station.push_one(step(r.id, "callback", resolved=True, satisfaction="basic")))
            assert (row(server, r.id).status, row(server, r.id).satisfaction) == ("archived", "basic")
        else:
            for n in range(3):
                result = _ok(station.push_one(step(r.id, "callback_failed")))
                assert result["data"]["status"] == ("archived" if n == 2 else "closed")  # type: ignore[index]
            assert row(server, r.id).failed_callbacks == 3 and row(server, r.id).archived_at is not None


def test_bounced_twice_is_flagged_and_leaves_the_departments_scope(server: Seeded) -> None:
    grid = server.grids[2]
    r = raise_request(server, grid, category="fire_lane_blocked")
    station = server.device(r.station)
    xf, wy = r.departments["xfjy"], r.departments["wy"]
    fire = server.device("dept-xfjy")
    fire.pull()
    _ok(station.push_one(step(r.id, "dispatch", department_id=xf)))
    fire.pull()
    assert _code(fire.push_one(step(r.id, "bounce"))) == "request_bounce_reason"
    _ok(fire.push_one(step(r.id, "bounce", reason="not_ours", whose="物业")))
    page = fire.pull_raw().json()
    assert page["removes"][department_scope(xf)]["work_order"]  # the order left the fire station's list
    assert row(server, r.id).department_id is None and row(server, r.id).bounces == 1
    _ok(station.push_one(step(r.id, "dispatch", department_id=wy)))
    _ok(server.device("dept-wy").push_one(step(r.id, "bounce", reason="outside_area")))
    bounced = row(server, r.id)
    assert (bounced.status, bounced.bounces) == ("accepted", 2)
    assert events(server, r.id)[-1].data == {"reason": "outside_area"}
    # the supervisor extends or reassigns; an extension moves the deadline by its days
    sup = server.device("supervisor")
    _ok(sup.push_one(step(r.id, "dispatch", department_id=xf)))
    before = row(server, r.id).deadline_at
    assert _code(sup.push_one(step(r.id, "extend", days=5))) == "request_note_required"
    _ok(sup.push_one(step(r.id, "extend", note="需协调", days=5)))
    assert before is not None and row(server, r.id).deadline_at == before + dt.timedelta(days=5)
    _ok(sup.push_one(step(r.id, "reassign", note="改派物业", department_id=wy)))
    assert row(server, r.id).department_id == wy
    assert _code(sup.push_one(step(r.id, "reassign", note="再派", department_id=wy))) == "request_department_same"


def test_who_may_take_which_step_where(server: Seeded) -> None:
    grid, other = server.grids[3], server.grids[0]
    r = raise_request(server, grid)
    station = server.device(r.station)
    foreign_station = server.device(station_of(server, other))
    foreign_worker = server.device(other.worker)
    assert _code(foreign_station.push_one(step(r.id, "accept"))) == "request_out_of_area"
    assert _code(foreign_worker.push_one(step(r.id, "cancel"))) == "request_out_of_area"
    assert (
        _code(r.worker.push_one(step(r.id, "dispatch", department_id=r.departments["sq"]))) == "request_step_forbidden"
    )
    assert _code(station.push_one(step(r.id, "sign"))) == "request_step_forbidden"
    # a department: only of the request's street; a grid is no department
    assert _code(station.push_one(step(r.id, "dispatch", department_id=grid.id))) == "request_department_unknown"
    assert _code(station.push_one(step(r.id, "dispatch", department_id=uuid.uuid4()))) == "request_department_unknown"
    assert _code(station.push_one(step(r.id, "dispatch"))) == "request_department_required"
    _ok(station.push_one(step(r.id, "dispatch", department_id=r.departments["sq"])))
    # another department cannot touch it, nor pull it; its own can
    other_dept = server.device("dept-cgzf")
    assert _code(other_dept.push_one(step(r.id, "sign"))) == "request_out_of_area"
    assert r.id not in {
        unpack_id(o[0]) for o in other_dept.pull_raw(cursors={}).json().get("upserts", {}).get("work_order", [])
    }
    assert _code(server.device("dept-sq").push_one(step(r.id, "close", note="x"))) == "request_step_not_allowed"
    # unknown requests, and a household that is not the request's
    assert _code(station.push_one(step(uuid.uuid4(), "accept"))) == "request_unknown"
    assert _code(station.push_one(step(r.id, "sign", household=uuid.uuid4()))) == "request_unknown"
    # the status stays the server's: a client that writes one is refused
    forged = step(r.id, "sign")
    forged.payload["status"] = "closed"
    assert _code(server.device("dept-sq").push_one(forged)) == "status_is_server_owned"
    assert row(server, r.id).status == "dispatched"


def test_merge_only_into_an_earlier_request_of_the_household_or_address(server: Seeded) -> None:
    grid = server.grids[0]
    first = raise_request(server, grid)
    again = _req()
    later = first.worker.push_one(Mut("visit.create", {**_visit_payload(first.household), "requests": [again]}))
    assert later["status"] == "applied"
    second = uuid.UUID(str(again["id"]))
    elsewhere = raise_request(server, grid, worker=first.worker)
    worker = first.worker
    assert _code(worker.push_one(step(first.id, "merge", merge_into=second))) == "request_merge_target"  # not earlier
    assert _code(worker.push_one(step(second, "merge", merge_into=elsewhere.id))) == "request_merge_target"
    assert _code(worker.push_one(step(second, "merge", merge_into=second))) == "request_merge_target"
    _ok(worker.push_one(step(second, "merge", merge_into=first.id)))
    merged = row(server, second)
    assert (merged.status, merged.merged_into_id) == ("merged", first.id)
    assert _code(worker.push_one(step(elsewhere.id, "merge", merge_into=second))) == "request_merge_target"


def test_a_step_replayed_is_applied_once(server: Seeded) -> None:
    r = raise_request(server, server.grids[1])
    station = server.device(r.station)
    items = station.batch(step(r.id, "accept"))
    first = station.send(items).json()["results"][0]
    again = station.send(items).json()["results"][0]
    assert first == again and first["status"] == "applied"
    assert [e.command for e in events(server, r.id)] == ["create", "accept"]
    assert events(server, r.id)[1].event_id == uuid.UUID(items[0]["id"])


def test_the_older_request_command_maps_onto_the_flow(server: Seeded) -> None:
    from tests.server.support import request_command

    r = raise_request(server, server.grids[2])
    cancel = r.worker.push_one(request_command(r.id, r.household, "cancel", "已自行解决"))
    assert cancel["status"] == "applied" and row(server, r.id).status == "cancelled"
    assert events(server, r.id)[-1].command == "cancel"
    # an older app's rating of a closed request is the resident's call-back: 满意 archives it
    rated = raise_request(server, server.grids[2], worker=r.worker)
    _ok(server.device(r.station).push_one(step(rated.id, "dispatch", department_id=rated.departments["sq"])))
    dept = server.device("dept-sq")
    _ok(dept.push_one(step(rated.id, "sign")))
    _ok(dept.push_one(step(rated.id, "close", note="已处理")))
    payload = {"id": str(rated.id), "household_id": str(rated.household), "command": "satisfaction"}
    _ok(r.worker.push_one(Mut("request.command", {**payload, "satisfaction": "neutral"})))
    done = row(server, rated.id)
    assert (done.status, done.resolved, done.satisfaction) == ("archived", True, "basic")


def _visit_payload(household: uuid.UUID) -> dict[str, object]:
    from tests.server.support import visited

    return {
        "id": str(uuid.uuid4()),
        "household_id": str(household),
        "visited_at": visited(),
        "outcome": "met",
        "notes": "",
    }


def _req() -> dict[str, object]:
    from tests.server.support import new_request

    return new_request("other", "同一件事又说了一遍")


def test_the_admin_adds_a_department_and_its_user(server: Seeded) -> None:
    admin = server.device("admin")
    code = f"32130200-t{uuid.uuid4().hex[:6]}"
    made = admin.post("/v1/departments", json={"street_code": "32130200", "code": code, "name": "市容所"})
    assert made.status_code == 201, made.text
    department = uuid.UUID(made.json()["id"])
    # the laptops of the street's grids learn the department (a station dispatches to it by name)
    worker = server.device(server.grids[0].worker)
    units = [row for page in worker.pull() for row in page["upserts"].get("org_unit", [])]
    assert [row[2] for row in units if row[0] == pack_id(department)] == ["市容所"]
    again = admin.post("/v1/departments", json={"street_code": "32130200", "code": code, "name": "市容所"})
    assert (again.status_code, again.json()["error"]) == (409, "org_unit_exists")
    nowhere = admin.post("/v1/departments", json={"street_code": server.grids[0].code, "code": "x1", "name": "x"})
    assert (nowhere.status_code, nowhere.json()["error"]) == (404, "street_unknown")
    station = server.device(station_of(server, server.grids[0]))
    assert (
        station.post("/v1/departments", json={"street_code": "32130200", "code": "x2", "name": "x"}).status_code == 403
    )
    listed = station.get("/v1/streets/32130200/departments")
    assert listed.status_code == 200 and code in {d["code"] for d in listed.json()}
    assert server.device(server.grids[0].worker).get("/v1/streets/32130200/departments").status_code == 403
    # a department user belongs to a department, and a department holds only department users
    body = {
        "username": f"d{uuid.uuid4().hex[:8]}",
        "role": "department",
        "org_code": code,
        "password": "correct horse 1",
    }
    assert admin.post("/v1/users", json=body).status_code == 201
    wrong = {**body, "username": f"d{uuid.uuid4().hex[:8]}", "org_code": server.grids[0].code}
    assert admin.post("/v1/users", json=wrong).json()["error"] == "department_user_org"
    worker_there = {**body, "username": f"w{uuid.uuid4().hex[:8]}", "role": "worker"}
    assert admin.post("/v1/users", json=worker_there).json()["error"] == "department_user_org"
    dept = server.device(body["username"], "correct horse 1")
    assert dept.get("/v1/me").json()["scopes"] == [department_scope(department)]
