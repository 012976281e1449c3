"""Typed helpers for the server tests: seeded databases, a real server per module, signed-in devices.

A :class:`Device` is one signed-in laptop as the protocol sees it: a token, a device id and its own
``client_seq``; it builds mutations, pushes them, and pulls pages into a small local state (decoded with
:data:`gridworker_shared.protocol.COLUMNS`), applying ``reset``, ``removed`` and ``removes`` as a client must.
:class:`Seeded` is a running server on a seeded demo city with a handle on its database (SQLAlchemy with
the server's own models) for what the API does not show (device sequences, visit counts, stored hashes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import sqlite3
import subprocess
import sys
import threading
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gridworker_server.db import make_engine
from gridworker_server.models import Device as DeviceRow
from gridworker_server.models import GridAssignment, Household, OrgUnit, ResidentRequest, User, Visit
from gridworker_shared.protocol import (
    COLUMNS,
    HEADER_PROTOCOL,
    MAX_PULL_LIMIT,
    MERGING_VISITS,
    PROTOCOL_VERSION,
    pack_id,
    pull_complete,
    unpack_id,
)
from tests.helpers.server import HEADERS, ROOT, ServerProcess, auth_headers, login, run_cli

PASSWORD = "demo1234"
TODAY = "2026-11-27"
CHINA = dt.timezone(dt.timedelta(hours=8))
BACKENDS = ("sqlite", "postgresql")
TIMEOUT = 60


# --- databases ---------------------------------------------------------------------------------------


class DatabaseFactory:
    """Fresh seeded databases, fast: the demo city is seeded once per test process and backend
    (``gridworker-server seed-demo``), then each module's database is a copy of it (the SQLite backup
    API; ``CREATE DATABASE … TEMPLATE`` on the session's PostgreSQL cluster)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None

    def new(self, backend: str, request: pytest.FixtureRequest) -> tuple[str, Callable[[], None]]:
        """A new seeded database: its URL and a function that drops it."""
        if backend == "sqlite":
            return self._new_sqlite()
        if backend == "postgresql":
            return self._new_pg(request)
        raise ValueError(backend)

    def _new_sqlite(self) -> tuple[str, Callable[[], None]]:
        if self._sqlite_template is None:
            template = self.folder / "template.db"
            run_cli(f"sqlite:///{template}", "seed-demo", "--today", TODAY, "--grids-per-community", "1")
            self._sqlite_template = template
        path = self.folder / f"s_{uuid.uuid4().hex[:16]}.db"
        source = sqlite3.connect(self._sqlite_template)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return f"sqlite:///{path}", lambda: _unlink_sqlite(path)

    def _new_pg(self, request: pytest.FixtureRequest) -> tuple[str, Callable[[], None]]:
        from psycopg import sql

        from tests.helpers.pg import PostgresCluster

        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        if self._pg_template is None:
            template = "seeded_template"
            cluster.drop_database(template)
            url = cluster.create_database(template)
            run_cli(url, "seed-demo", "--today", TODAY, "--grids-per-community", "1")
            self._pg_template = template
        name = f"s_{uuid.uuid4().hex[:16]}"
        with cluster.connect_admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self._pg_template)
                )
            )
        return cluster.url(name), lambda: cluster.drop_database(name)


def _unlink_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- a running server on a seeded database -----------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    id: uuid.UUID
    code: str
    worker: str

    @property
    def scope(self) -> str:
        return f"g:{self.id.hex}"


class Seeded:
    """A real server process on a seeded database, with the database open for checks."""

    def __init__(self, url: str, backend: str, server: ServerProcess) -> None:
        self.url = url
        self.backend = backend
        self.server = server
        self.engine: Engine = make_engine(url, pool_size=2)
        self._taken: set[uuid.UUID] = set()
        self._devices: list[Device] = []
        self._log: deque[str] = deque(maxlen=400)
        self._readers: list[threading.Thread] = []
        self._watch(server)
        with self.session() as s:
            rows = s.execute(
                select(OrgUnit.id, OrgUnit.code, User.username)
                .join(GridAssignment, GridAssignment.grid_id == OrgUnit.id)
                .join(User, User.id == GridAssignment.user_id)
                .where(OrgUnit.kind == "grid", GridAssignment.until.is_(None))
                .order_by(OrgUnit.code)
            ).all()
        self.grids = [Grid(r.id, r.code, r.username) for r in rows]

    @property
    def base(self) -> str:
        return self.server.base

    def replace(self, server: ServerProcess) -> None:
        """Another server process on the same database (a restart after a crash)."""
        self.server = server
        self._watch(server)

    def _watch(self, server: ServerProcess) -> None:
        """Drain the server's stderr: a full pipe would block the server; a traceback is worth showing."""
        stream = server.proc.stderr if server.proc else None
        if stream is None:
            return

        def read() -> None:
            with contextlib.suppress(OSError, ValueError):
                for line in iter(stream.readline, b""):
                    self._log.append(line.decode(errors="replace"))

        reader = threading.Thread(target=read, name=f"server-stderr-{server.port}", daemon=True)
        reader.start()
        self._readers.append(reader)

    def close(self) -> None:
        """Stop the server (the devices' keep-alive connections closed first: a graceful stop waits for
        them); a server that logged a traceback is reported as a warning."""
        for dev in self._devices:
            dev.http.close()
        self.server.stop()
        for reader in self._readers:
            reader.join(timeout=10)
        self.engine.dispose()
        text = "".join(self._log)
        if "Traceback" in text:
            warnings.warn(f"the server on {self.backend} logged errors:\n{text[-4000:]}", stacklevel=1)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction on the server's database (committed at the end)."""
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            yield s

    def grid(self, worker: str) -> Grid:
        return next(g for g in self.grids if g.worker == worker)

    def take(self, grid: Grid, n: int = 1) -> list[uuid.UUID]:
        """Households of the grid that no other test used (the tests share the server)."""
        with self.session() as s:
            ids = s.scalars(
                select(Household.id)
                .where(Household.grid_id == grid.id, Household.deleted_at.is_(None))
                .order_by(Household.id)
            ).all()
        fresh = [i for i in ids if i not in self._taken][:n]
        assert len(fresh) == n, f"grid {grid.code} has too few unused households"
        self._taken.update(fresh)
        return fresh

    def take_request(self, grid: Grid, status: str = "submitted") -> uuid.UUID:
        """A seeded resident request of the grid in ``status``, in a household no other test uses."""
        with self.session() as s:
            rows = s.execute(
                select(ResidentRequest.id, ResidentRequest.household_id)
                .join(Household, Household.id == ResidentRequest.household_id)
                .where(Household.grid_id == grid.id, ResidentRequest.status == status)
                .order_by(ResidentRequest.id)
            ).all()
        for rid, hid in rows:
            if hid not in self._taken:
                self._taken.add(hid)
                return uuid.UUID(str(rid))
        raise AssertionError(f"grid {grid.code} has no unused {status} request")

    def household(self, household_id: uuid.UUID) -> Household:
        with self.session() as s:
            h = s.get(Household, household_id)
            assert h is not None
            return h

    def visit_count(self, visit_id: uuid.UUID) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(Visit).where(Visit.id == visit_id)) or 0)

    def visit(self, visit_id: uuid.UUID) -> Visit | None:
        with self.session() as s:
            return s.get(Visit, visit_id)

    def device_row(self, device_id: uuid.UUID) -> DeviceRow:
        with self.session() as s:
            d = s.get(DeviceRow, device_id)
            assert d is not None
            return d

    def last_seq(self, device_id: uuid.UUID) -> int:
        return self.device_row(device_id).last_seq

    def request_status(self, request_id: uuid.UUID) -> str:
        with self.session() as s:
            r = s.get(ResidentRequest, request_id)
            assert r is not None
            return r.status

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """``gridworker-server`` on this database; its output (a failure raises)."""
        return run_cli(self.url, *args, stdin=stdin)

    def cli_fails(self, *args: str, stdin: str | None = None) -> tuple[int, str]:
        """``gridworker-server`` expected to fail: its exit code and what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", "gridworker_server", "--database", self.url, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode != 0, f"gridworker-server {' '.join(args)} succeeded:\n{done.stdout}"
        return done.returncode, done.stderr + done.stdout

    def device(
        self,
        username: str,
        password: str = PASSWORD,
        device_id: uuid.UUID | None = None,
        protocol: int = PROTOCOL_VERSION,
    ) -> Device:
        """A fresh sign-in (a new device unless ``device_id`` names one of the user's)."""
        dev = Device(self.base, username, password, device_id, protocol)
        self._devices.append(dev)
        return dev


def start_seeded(backend: str, factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    """A fresh seeded database and a server on it; both gone afterwards."""
    url, drop = factory.new(backend, request)
    server = ServerProcess(url).start()
    seeded = Seeded(url, backend, server)
    try:
        yield seeded
    finally:
        seeded.close()
        drop()


# --- mutations ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mut:
    """One user action for the outbox: the kind, its payload, its mutation id and the device clock."""

    kind: str
    payload: dict[str, Any]
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: dt.datetime | None = None


def visited(days_ago: float = 0) -> str:
    return (dt.datetime.now(CHINA) - dt.timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def new_request(category: str = "dumped_rubbish", description: str = "楼道堆放杂物") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "category": category,
        "description": description,
        "urgency": "normal",
        "due_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
    }


def visit(
    household_id: uuid.UUID,
    *,
    visit_id: uuid.UUID | None = None,
    outcome: str = "met",
    notes: str = "",
    days_ago: float = 0,
    requests_: Sequence[dict[str, Any]] = (),
    created_at: dt.datetime | None = None,
) -> Mut:
    return Mut(
        "visit.create",
        {
            "id": str(visit_id or uuid.uuid4()),
            "household_id": str(household_id),
            "visited_at": visited(days_ago),
            "outcome": outcome,
            "notes": notes,
            "requests": list(requests_),
        },
        created_at=created_at,
    )


def household_update(
    household_id: uuid.UUID,
    base_version: int,
    changes: dict[str, Any],
    previous: dict[str, Any],
    *,
    created_at: dt.datetime | None = None,
) -> Mut:
    return Mut(
        "household.update",
        {
            "household_id": str(household_id),
            "base_version": base_version,
            "changes": changes,
            "previous": previous,
        },
        created_at=created_at,
    )


def request_command(request_id: uuid.UUID | str, household_id: uuid.UUID, command: str, note: str = "") -> Mut:
    return Mut(
        "request.command",
        {"id": str(request_id), "household_id": str(household_id), "command": command, "note": note},
    )


# --- a signed-in device ------------------------------------------------------------------------------


def decode(entity: str, row: Sequence[Any]) -> dict[str, Any]:
    """A positional row as a dict (trailing empty values were left out on the wire)."""
    columns = COLUMNS[entity]
    assert len(row) <= len(columns), f"{entity} row longer than its columns: {row}"
    out = dict(zip(columns, [*row, *([None] * (len(columns) - len(row)))], strict=True))
    if entity == "household":
        out["members"] = [decode("member", m) for m in out["members"] or []]
        out["visits"] = [decode("visit", v) for v in out["visits"] or []]
        out["requests"] = [decode("request", r) for r in out["requests"] or []]
        out["cards"] = [decode("card", c) for c in out["cards"] or []]
    if entity == "visit":
        out["articles"] = [decode("visit_article", a) for a in out["articles"] or []]
    if entity == "worker":
        out["grids"] = [unpack_id(g) for g in out["grids"] or []]
    keys = ("id", "grid_id", "micro_grid_id", "parent_id", "worker_id", "visit_id", "amends_id", "card_user_id")
    for key in (*keys, "printed_by"):
        if key in out and isinstance(out[key], str):
            out[key] = unpack_id(out[key])
    return out


class Device:
    """One laptop signed in as ``username``: its token, device id, next ``client_seq`` and pulled state.
    Of the current protocol it adds a household row's visits to the ones it holds, as the app does; of
    ``protocol`` 6 or older it takes the row's visits as they come (the server sends them all)."""

    def __init__(
        self,
        base: str,
        username: str,
        password: str = PASSWORD,
        device_id: uuid.UUID | None = None,
        protocol: int = PROTOCOL_VERSION,
    ) -> None:
        info = login(base, username, password, str(device_id) if device_id else None)
        self.base = base
        self.username = username
        self.token: str = info["token"]
        self.device_id = uuid.UUID(info["device_id"])
        self.user_id = uuid.UUID(info["user"]["id"])
        self.role: str = info["user"]["role"]
        self.login_seq: int = info["last_seq"]
        self.next_seq: int = info["last_seq"] + 1
        self.epoch: str = info["epoch"]
        self.protocol = protocol
        self.http = requests.Session()
        self.cursors: dict[str, int] = {}
        self.households: dict[uuid.UUID, dict[str, Any]] = {}
        self.org_units: dict[uuid.UUID, dict[str, Any]] = {}
        self.articles: dict[uuid.UUID, dict[str, Any]] = {}
        self.workers: dict[uuid.UUID, dict[str, Any]] = {}

    # -- plain HTTP with this device's token ----------------------------------------------------------

    @property
    def headers(self) -> dict[str, str]:
        return {**auth_headers(self.token), HEADER_PROTOCOL: str(self.protocol)}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.http.request(method, self.base + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    # -- push -------------------------------------------------------------------------------------------

    def batch(self, *muts: Mut) -> list[dict[str, Any]]:
        """Wire items with the next sequence numbers (the outbox order)."""
        items = []
        for m in muts:
            item: dict[str, Any] = {"seq": self.next_seq, "id": str(m.id), "kind": m.kind, "payload": m.payload}
            if m.created_at is not None:
                item["created_at"] = m.created_at.isoformat()
            items.append(item)
            self.next_seq += 1
        return items

    def body(self, items: list[dict[str, Any]], epoch: str | None = None) -> dict[str, Any]:
        return {"device_id": str(self.device_id), "epoch": epoch or self.epoch, "mutations": items}

    def send(self, items: list[dict[str, Any]], *, epoch: str | None = None) -> requests.Response:
        return self.post("/v1/sync/push", json=self.body(items, epoch))

    def send_gzip(self, items: list[dict[str, Any]], *, cut: int = 0) -> requests.Response:
        raw = gzip.compress(json.dumps(self.body(items)).encode())
        if cut:
            raw = raw[:-cut]
        return self.post(
            "/v1/sync/push",
            data=raw,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    def push(self, *muts: Mut) -> list[dict[str, Any]]:
        """Push the mutations as one batch; the per-mutation results."""
        r = self.send(self.batch(*muts))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["last_seq"] == self.next_seq - 1, body
        return list(body["results"])

    def push_one(self, mut: Mut) -> dict[str, Any]:
        (result,) = self.push(mut)
        return result

    # -- pull -------------------------------------------------------------------------------------------

    def pull_raw(
        self,
        *,
        limit: int = MAX_PULL_LIMIT,
        cursors: dict[str, int] | None = None,
        epoch: str | None = None,
        complete: dict[str, int] | None = None,
    ) -> requests.Response:
        """A pull from ``cursors`` (the device's); ``complete``: where it holds its households whole, if
        not at those cursors (protocol 7: a household's row brings the visits changed since)."""
        cursors = self.cursors if cursors is None else cursors
        body: dict[str, Any] = {"epoch": epoch or self.epoch, "cursors": cursors, "limit": limit}
        if complete is not None:
            body["complete"] = pull_complete(cursors, complete)
        return self.post("/v1/sync/pull", json=body)

    def pull_page(self, limit: int = MAX_PULL_LIMIT, complete: dict[str, int] | None = None) -> dict[str, Any]:
        r = self.pull_raw(limit=limit, complete=complete)
        assert r.status_code == 200, r.text
        page: dict[str, Any] = r.json()
        self.apply(page)
        return page

    def pull(self, limit: int = MAX_PULL_LIMIT, max_pages: int = 1000) -> list[dict[str, Any]]:
        """Pull pages until the server says no more follows; the pages. Each names the cursors the pull
        started from as held whole (a scope a page resets at 0), as the app does."""
        complete = dict(self.cursors)
        pages = []
        for _ in range(max_pages):
            page = self.pull_page(limit, complete)
            for scope in [*page.get("reset", []), *page.get("removed", [])]:
                complete.pop(scope, None)
            pages.append(page)
            if not page.get("more"):
                return pages
        raise AssertionError(f"no end of paging after {max_pages} pages")

    def apply(self, page: dict[str, Any]) -> None:
        """What a client does with a page: clear reset and removed scopes, drop removes, store upserts,
        store the cursors (in one step here: the test process does not crash half-way)."""
        self.epoch = page["epoch"]
        for scope in [*page.get("reset", []), *page.get("removed", [])]:
            self.cursors.pop(scope, None)
            for hid in [k for k, h in self.households.items() if _scope(h) == scope]:
                del self.households[hid]
        for scope, entities in page.get("removes", {}).items():
            for packed_id in entities.get("household", []):
                removed = unpack_id(packed_id)
                # a household that moved between two scopes this user holds stays under its new scope
                if removed in self.households and _scope(self.households[removed]) == scope:
                    del self.households[removed]
        for scope, entities in page.get("removes", {}).items():
            for packed_id in entities.get("worker", []):
                worker = self.workers.get(_id(packed_id))
                if worker is not None:
                    worker["grids"] = [g for g in worker["grids"] if f"g:{g.hex}" != scope]
                    if not worker["grids"]:
                        del self.workers[worker["id"]]
        for packed_id in page.get("removes", {}).get("global", {}).get("article", []):
            self.articles.pop(_id(packed_id), None)
        if "global" in [*page.get("reset", []), *page.get("removed", [])]:
            self.articles.clear()
        for row in page.get("upserts", {}).get("article", []):
            article = decode("article", row)
            self.articles[article["id"]] = article
        for row in page.get("upserts", {}).get("worker", []):
            worker = decode("worker", row)
            self.workers[worker["id"]] = worker
        for row in page.get("upserts", {}).get("org_unit", []):
            unit = decode("org_unit", row)
            self.org_units[unit["id"]] = unit
        for row in page.get("upserts", {}).get("household", []):
            h = decode("household", row)
            if self.protocol >= MERGING_VISITS:  # the row's visits join the ones held (those changed since)
                held = {v["id"]: v for v in self.households.get(h["id"], {}).get("visits", [])}
                held.update({v["id"]: v for v in h["visits"]})
                h["visits"] = sorted(held.values(), key=lambda v: (v["visited_at"], v["id"].hex))
            self.households[h["id"]] = h
        self.cursors.update(page.get("cursors", {}))

    def visit_ids(self) -> set[uuid.UUID]:
        return {v["id"] for h in self.households.values() for v in h["visits"]}


def _id(packed_id: str) -> uuid.UUID:
    value = unpack_id(packed_id)
    assert value is not None
    return value


def _scope(household: dict[str, Any]) -> str:
    return f"g:{household['grid_id'].hex}"


def error_code(response: requests.Response) -> str:
    body = response.json()
    assert set(body) >= {"error", "message"}, body
    return str(body["error"])


def packed(value: uuid.UUID) -> str:
    result = pack_id(value)
    assert result is not None
    return result


def anonymous(base: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A request with the protocol headers and no token."""
    headers = {**HEADERS, **kwargs.pop("headers", {})}
    return requests.request(method, base + path, headers=headers, timeout=TIMEOUT, **kwargs)
