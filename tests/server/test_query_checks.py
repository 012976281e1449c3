"""What a request may name: a query parameter the route does not declare, a day that is not written
YYYY-MM-DD, a pull cursor that is not a whole number: each refused with the one error shape, never
read as something else (schemathesis found each: an ignored ``?4=null``, ``week=0`` read as
1970-01-01, ``cursors: {"g:…": false}`` read as 0)."""

from __future__ import annotations

from tests.server.support import Seeded


def test_an_undeclared_query_parameter_is_refused(server: Seeded) -> None:
    admin = server.device("admin")
    assert admin.request("GET", "/v1/guide/articles", params={"include_withdrawn": "false"}).status_code == 200
    r = admin.request("GET", "/v1/guide/articles", params={"include_withdrawn": "false", "grid_id": "x"})
    assert r.status_code == 422
    assert r.json()["error"] == "unknown_parameter" and r.json()["detail"] == {"name": "grid_id"}


def test_a_week_is_a_day_written_out(server: Seeded) -> None:
    supervisor = server.device("supervisor")
    assert supervisor.request("GET", "/v1/backchecks", params={"week": "2026-11-23"}).json()["week"] == "2026-11-23"
    for bad in ("0", "1700000000", "2026-1-5", "tomorrow"):
        r = supervisor.request("GET", "/v1/backchecks", params={"week": bad})
        assert r.status_code == 422, bad


def test_a_pull_cursor_is_a_whole_number(server: Seeded) -> None:
    worker = server.device("worker02")
    grid = server.grid("worker02").scope
    assert worker.request("POST", "/v1/sync/pull", json={"cursors": {grid: 0}, "limit": 1}).status_code == 200
    for bad in (False, "3", 1.5, -1):
        r = worker.request("POST", "/v1/sync/pull", json={"cursors": {grid: bad}, "limit": 1})
        assert r.status_code == 422, bad
