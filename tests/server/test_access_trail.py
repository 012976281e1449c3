"""The access trail on the server (issue 14), on SQLite and PostgreSQL: ``access.log`` stored once by
its id (a replay of the batch, the same mutation resent, another mutation carrying the same event:
still one row), refused with nothing stored for a household outside the user's scope or for a
department; read back by ``GET /v1/access-trail`` (supervisors: their area; admins: all; a worker, a
station and a department: 403), filtered and in keyset pages; and by ``gridworker-server access-trail``."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from gridworker_server.models import AccessEvent, Household, OrgUnit, User
from tests.server.support import PASSWORD, Device, Mut, Seeded, error_code

CHINA = dt.timezone(dt.timedelta(hours=8))


def access(action: str, event: uuid.UUID | None = None, **fields: Any) -> Mut:
    payload: dict[str, Any] = {
        "id": str(event or uuid.uuid4()),
        "action": action,
        "at": dt.datetime.now(CHINA).replace(microsecond=0).isoformat(),
    }
    payload.update({k: str(v) if isinstance(v, uuid.UUID) else v for k, v in fields.items()})
    return Mut("access.log", payload)


def stored(server: Seeded, event: uuid.UUID) -> int:
    with server.session() as s:
        return int(s.scalar(select(func.count()).select_from(AccessEvent).where(AccessEvent.id == event)) or 0)


def trail(dev: Device, **params: Any) -> dict[str, Any]:
    r = dev.get("/v1/access-trail", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_reveal_is_stored_once_whatever_is_sent_again(server: Seeded) -> None:
    grid = server.grids[0]
    (hid,) = server.take(grid)
    worker = server.device(grid.worker)
    event = uuid.uuid4()
    mut = access("reveal", event, household_id=hid, person_id=uuid.uuid4(), field="id_number")
    items = worker.batch(mut)
    first = worker.send(items)
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["status"] == "applied"
    # the same batch again (its answer was lost): answered from the log
    again = worker.send(items)
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "applied"
    # the same event under another mutation id (a client that rebuilt its outbox): a duplicate
    result = worker.push_one(access("reveal", event, household_id=hid, field="id_number"))
    assert (result["status"], result["data"]) == ("applied", {"duplicate": True})
    assert stored(server, event) == 1
    with server.session() as s:
        row = s.get(AccessEvent, event)
        user = s.scalar(select(User).where(User.username == grid.worker))
        assert row is not None and user is not None
        assert (row.user_id, row.device_id, row.household_id, row.field) == (
            user.id,
            worker.device_id,
            hid,
            "id_number",
        )
        assert row.org_unit_id == (user.org_unit_id or grid.id)


def test_a_household_outside_the_scope_is_refused_and_nothing_stored(server: Seeded) -> None:
    mine, other = server.grids[1], server.grids[2]
    (theirs,) = server.take(other)
    worker = server.device(mine.worker)
    for mut in (
        access("reveal", household_id=theirs, field="phone"),
        access("print", household_id=theirs, what="联系卡 1 张（含住址）", rows=1),
        access("reveal", household_id=uuid.uuid4(), field="phone"),
    ):
        result = worker.push_one(mut)
        assert result["status"] == "rejected"
        assert result["code"] in ("out_of_scope", "household_unknown")
        assert stored(server, uuid.UUID(mut.payload["id"])) == 0
    bad = worker.push_one(access("reveal", field="phone"))  # a reveal of nobody
    assert (bad["status"], bad["code"]) == ("rejected", "invalid")


def test_a_department_never_reveals(server: Seeded) -> None:
    (hid,) = server.take(server.grids[3])
    dept = server.device("dept-cgzf")
    mut = access("reveal", household_id=hid, field="phone")
    result = dept.push_one(mut)
    assert (result["status"], result["code"]) == ("rejected", "reveal_not_allowed")
    assert stored(server, uuid.UUID(mut.payload["id"])) == 0


def test_who_reads_the_trail(server: Seeded) -> None:
    for username in (server.grids[0].worker, "station01", "dept-cgzf"):
        r = server.device(username).get("/v1/access-trail")
        assert r.status_code == 403, (username, r.text)
        assert error_code(r) == "forbidden"
    assert server.device("supervisor").get("/v1/access-trail").status_code == 200
    assert server.device("admin").get("/v1/access-trail").status_code == 200


def test_the_supervisor_reads_filters_and_pages(server: Seeded) -> None:
    grid = server.grids[3]
    hids = server.take(grid, 2)
    worker = server.device(grid.worker)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    muts = [
        access("reveal", household_id=hids[0], field="id_number"),
        access("reveal", household_id=hids[1], field="phone"),
        access("export", what="走访记录 2026-11 全部社区 (xlsx)", rows=42),
        access("print", household_id=hids[0], what="联系卡 1 张（含住址）", rows=1),
    ]
    results = worker.push(*muts)
    assert [r["status"] for r in results] == ["applied"] * 4
    supervisor, admin = server.device("supervisor"), server.device("admin")
    mine = trail(supervisor, user=grid.worker, since=since.isoformat())
    ids = [e["id"] for e in mine["events"]]
    assert sorted(ids) == sorted(m.payload["id"] for m in muts)
    assert [e["at"] for e in mine["events"]] == sorted((e["at"] for e in mine["events"]), reverse=True)
    export = next(e for e in mine["events"] if e["action"] == "export")
    assert (export["what"], export["rows"], export["household_id"]) == ("走访记录 2026-11 全部社区 (xlsx)", 42, None)
    reveal = next(e for e in mine["events"] if e["field"] == "phone")
    assert reveal["household_id"] == str(hids[1]) and reveal["address"] and reveal["grid"]
    assert reveal["username"] == grid.worker and reveal["role"] == "worker"
    # filters
    assert {e["action"] for e in trail(supervisor, user=grid.worker, action="reveal")["events"]} == {"reveal"}
    by_house = trail(supervisor, household=str(hids[0]))["events"]
    assert {e["id"] for e in by_house} == {muts[0].payload["id"], muts[3].payload["id"]}
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert trail(supervisor, user=grid.worker, since=later)["events"] == []
    assert trail(supervisor, user=grid.worker, until=since.isoformat())["events"] == []
    # keyset pages of one: every event once, in the same order as one page
    seen: list[str] = []
    after = ""
    while True:
        page = trail(admin, user=grid.worker, limit=1, after=after)
        seen += [e["id"] for e in page["events"]]
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == [e["id"] for e in trail(admin, user=grid.worker)["events"]]
    bad = supervisor.get("/v1/access-trail", params={"after": "not-a-cursor"})
    assert (bad.status_code, error_code(bad)) == (400, "bad_cursor")
    assert supervisor.get("/v1/access-trail", params={"action": "look"}).status_code == 422
    # a time is ISO 8601: a number of seconds or a bare day is refused, not read as 1970 or midnight
    for when in ("0.5", "1733356800", "2026-12-01"):
        assert supervisor.get("/v1/access-trail", params={"until": when}).status_code == 422
    # the CLI reads the same
    lines = server.cli("access-trail", "--user", grid.worker, "--json").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(m.payload["id"] for m in muts)
    text = server.cli("access-trail", "--user", grid.worker, "--action", "export")
    assert "export" in text and "42 rows" in text and "reveal" not in text


def test_a_community_supervisor_reads_only_their_area(server: Seeded) -> None:
    """A supervisor over one community sees the events of its households and users, not another's."""
    with server.session() as s:
        inside, outside = (
            next(g for g in server.grids if s.get(OrgUnit, g.id).parent_id == c)  # type: ignore[union-attr]
            for c in list(
                dict.fromkeys(
                    s.get(OrgUnit, g.id).parent_id  # type: ignore[union-attr]
                    for g in server.grids
                )
            )[:2]
        )
        community = s.get(OrgUnit, s.get(OrgUnit, inside.id).parent_id)  # type: ignore[union-attr,arg-type]
        assert community is not None
        code = community.code
    name = f"sup-{uuid.uuid4().hex[:8]}"
    server.cli("create-user", name, "--role", "supervisor", "--org", code, "--password-stdin", stdin=PASSWORD + "\n")
    (h_in,) = server.take(inside)
    (h_out,) = server.take(outside)
    a = server.device(inside.worker).push_one(access("reveal", household_id=h_in, field="phone"))
    b = server.device(outside.worker).push_one(access("reveal", household_id=h_out, field="phone"))
    assert a["status"] == b["status"] == "applied"
    sup = server.device(name)
    seen = {e["household_id"] for e in trail(sup, limit=500)["events"]}
    assert str(h_in) in seen and str(h_out) not in seen
    with server.session() as s:
        assert s.get(Household, h_out) is not None


@pytest.mark.parametrize("action", ["export", "print"])
def test_an_export_or_print_without_a_household_names_the_users_unit(server: Seeded, action: str) -> None:
    grid = server.grids[2]
    mut = access(action, what="请求清单 全部 (csv)", rows=0)
    assert server.device(grid.worker).push_one(mut)["status"] == "applied"
    with server.session() as s:
        row = s.get(AccessEvent, uuid.UUID(mut.payload["id"]))
        assert row is not None and row.org_unit_id is not None and row.household_id is None
