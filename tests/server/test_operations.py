"""Operations (issue 11): ``backup`` while serving, ``/health`` checks the database, Prometheus
``/metrics``, and an access log without personal data. Real server processes on loopback."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from gridworker_server.backup import pg_dump_path
from gridworker_server.db import make_engine
from gridworker_server.models import Household, ServerMeta, User, Visit
from tests.helpers.server import HEADERS, ServerProcess
from tests.server.support import DatabaseFactory, Seeded, anonymous, error_code, visit

TIMEOUT = 30


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition ``text`` (0 when absent)."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        if "{" in sample:
            n, _, rest = sample.partition("{")
            got = ",".join(sorted(rest.rstrip("}").split(",")))
        else:
            n, got = sample, ""
        if n == name and got == want:
            return float(value)
    return 0.0


def _scrape(base: str) -> str:
    r = requests.get(base + "/metrics", timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.text


# -- backup -------------------------------------------------------------------------------------------


def test_backup_while_serving_is_a_consistent_copy(
    server: Seeded, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A backup taken while the server serves holds what was pushed before it and restores (the copy
    itself on SQLite, ``pg_restore`` on PostgreSQL) to a database with the same epoch; a second backup
    to the same file is refused and leaves the first intact."""
    dev = server.device(server.grids[0].worker)
    [hid] = server.take(server.grids[0])
    mut = visit(hid)
    assert dev.push_one(mut)["status"] == "applied"
    dest = tmp_path / "server.backup"
    out = server.cli("backup", str(dest))
    assert str(dest) in out
    restored = f"sqlite:///{dest}" if server.backend == "sqlite" else _pg_restore(request, dest)
    engine = make_engine(restored, pool_size=1)
    try:
        with engine.connect() as c:
            n = c.scalar(select(func.count()).select_from(Visit).where(Visit.id == uuid.UUID(mut.payload["id"])))
            epoch = c.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch"))
    finally:
        engine.dispose()
    assert n == 1
    with server.session() as s:
        assert epoch == s.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch"))
    size = dest.stat().st_size
    code, err = server.cli_fails("backup", str(dest))
    assert code == 2 and "exists" in err
    assert dest.stat().st_size == size


def _pg_restore(request: pytest.FixtureRequest, dump: Path) -> str:
    """The documented restore: ``pg_restore --no-owner`` into an empty database."""
    cluster = request.getfixturevalue("pg_cluster")
    url = str(cluster.create_database(f"restored_{uuid.uuid4().hex[:10]}"))
    restore = str(Path(pg_dump_path()).with_name("pg_restore"))
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        [restore, "--no-owner", "--dbname", libpq_url, str(dump)], check=True, capture_output=True, timeout=120
    )
    return url


def test_backup_refuses_a_missing_folder(server: Seeded, tmp_path: Path) -> None:
    code, err = server.cli_fails("backup", str(tmp_path / "nowhere" / "x.backup"))
    assert code == 2 and "is not a folder" in err
    assert not (tmp_path / "nowhere").exists()


# -- /health ------------------------------------------------------------------------------------------


@pytest.fixture
def own_sqlite(db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    url, drop = db_factory.new("sqlite", request)
    seeded = Seeded(url, "sqlite", ServerProcess(url).start())
    try:
        yield seeded
    finally:
        seeded.close()
        drop()


def test_health_answers_503_when_the_database_file_is_gone(own_sqlite: Seeded) -> None:
    """/health checks the database: the SQLite file moved away is 503 ``database_unavailable``, and
    200 again once it is back."""
    base = own_sqlite.base
    ok = requests.get(base + "/health", timeout=TIMEOUT)
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    path = Path(own_sqlite.url.removeprefix("sqlite:///"))
    aside = path.with_name(path.name + ".aside")
    shutil.move(path, aside)
    try:
        down = requests.get(base + "/health", timeout=TIMEOUT)
        assert down.status_code == 503
        assert error_code(down) == "database_unavailable"
        assert down.headers["Retry-After"]
    finally:
        shutil.move(aside, path)
    assert requests.get(base + "/health", timeout=TIMEOUT).status_code == 200


def test_health_answers_503_when_postgresql_is_gone(
    db_factory: DatabaseFactory, request: pytest.FixtureRequest
) -> None:
    """/health on PostgreSQL: the server's database dropped under it (its connections terminated) is 503
    ``database_unavailable`` on every check, not a 500 and not a stale 200."""
    url, drop = db_factory.new("postgresql", request)
    seeded = Seeded(url, "postgresql", ServerProcess(url).start())
    try:
        assert requests.get(seeded.base + "/health", timeout=TIMEOUT).status_code == 200
        seeded.engine.dispose()
        drop()
        for _ in range(2):  # the pooled connection that died, then a new one that cannot connect
            down = requests.get(seeded.base + "/health", timeout=TIMEOUT)
            assert down.status_code == 503
            assert error_code(down) == "database_unavailable"
    finally:
        seeded.close()
        drop()


# -- /metrics -----------------------------------------------------------------------------------------


def test_metrics_count_requests_push_results_pull_bytes_and_refused_sign_ins(server: Seeded) -> None:
    before = _scrape(server.base)
    dev = server.device(server.grids[1].worker)
    [hid] = server.take(server.grids[1])
    assert dev.push_one(visit(hid))["status"] == "applied"
    page = dev.pull_raw()
    assert page.status_code == 200
    bad = anonymous(server.base, "POST", "/v1/auth/login", json={"username": "nobody", "password": "x" * 8})
    assert bad.status_code == 401
    assert anonymous(server.base, "GET", f"/v1/users/{server.grids[1].worker}/devices").status_code == 401
    after = _scrape(server.base)

    def delta(name: str, **labels: str) -> float:
        return _metric(after, name, **labels) - _metric(before, name, **labels)

    assert delta("gridworker_push_results_total", status="applied") == 1
    assert delta("gridworker_sign_in_failures_total", status="401") == 1
    assert delta("gridworker_pull_bytes_total") >= int(page.headers["Content-Length"]) > 0  # as sent (gzip)
    pulls = delta("gridworker_http_requests_total", route="/v1/sync/pull", method="POST", status="200")
    assert pulls >= 1
    assert delta("gridworker_http_request_duration_seconds_count", route="/v1/sync/push") >= 1
    path = "/v1/users/{username}/devices"
    assert delta("gridworker_http_requests_total", route=path, method="GET", status="401") == 1
    # labels are route templates: no user name from a path, no ids
    assert server.grids[1].worker not in after
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", after)


def test_metrics_are_for_loopback_without_a_proxy(server: Seeded) -> None:
    """A request a proxy forwarded (X-Forwarded-For) is refused: /metrics is not for the internet."""
    r = requests.get(server.base + "/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=TIMEOUT)
    assert r.status_code == 403
    assert error_code(r) == "metrics_forbidden"


# -- access log ---------------------------------------------------------------------------------------


def test_access_log_has_a_line_per_request_and_no_personal_data(
    db_factory: DatabaseFactory, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker signs in, pushes a visit and pulls its grid, an admin lists the worker's devices (a path
    with the user name): the access log has one line per request, with route templates, and none of the
    user names, the worker's name or phone, nor a resident's name or phone."""
    log = tmp_path / "access.log"
    monkeypatch.setenv("GRIDWORKER_ACCESS_LOG", str(log))
    url, drop = db_factory.new("sqlite", request)
    seeded = Seeded(url, "sqlite", ServerProcess(url).start())
    try:
        grid = seeded.grids[0]
        dev = seeded.device(grid.worker)
        [hid] = seeded.take(grid)
        assert dev.push_one(visit(hid))["status"] == "applied"
        dev.pull()
        admin = seeded.device("admin")
        listed = admin.get(f"/v1/users/{grid.worker}/devices")
        assert listed.status_code == 200
        with seeded.session() as s:
            user = s.scalars(select(User).where(User.username == grid.worker)).one()
            residents = s.scalars(select(Household).where(Household.grid_id == grid.id)).all()
        secrets = {grid.worker, "admin", user.name, user.phone} - {""}
        for h in residents:
            secrets |= {getattr(h, a) for a in ("head_name", "phone", "id_number") if getattr(h, a, "")}
        requests.get(seeded.base + "/health", headers=HEADERS, timeout=TIMEOUT)
    finally:
        seeded.close()
        drop()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert any(" GET /v1/users/{username}/devices 200 " in line for line in lines)
    assert any(" POST /v1/sync/push 200 " in line and "token=" in line for line in lines)
    assert lines[-1].split()[3:6] == ["GET", "/health", "200"]
    text = "\n".join(lines)
    leaked = sorted(s for s in secrets if s and s in text)
    assert leaked == []


def test_metrics_sum_every_worker_in_multiprocess_mode(
    db_factory: DatabaseFactory, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --workers 2`` with PROMETHEUS_MULTIPROC_DIR: a scrape counts the requests both workers
    answered, whichever worker answers the scrape."""
    folder = tmp_path / "prom"
    folder.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    url, drop = db_factory.new("postgresql", request)
    seeded = Seeded(url, "postgresql", ServerProcess(url, workers=2).start())
    try:
        for _ in range(40):
            assert requests.get(seeded.base + "/ping", timeout=TIMEOUT).status_code == 200
        pids = {p.name.split("_")[-1] for p in folder.glob("counter_*.db")}
        text = _scrape(seeded.base)
    finally:
        seeded.close()
        drop()
    assert len(pids) >= 2, "each worker keeps its own file"
    assert _metric(text, "gridworker_http_requests_total", route="/ping", method="GET", status="200") == 40
