"""Shared fixtures: each test gets its own data folder and database file.

The plugins: a logged warning or error fails a test unless it declares it (tests/helpers/logfail.py),
no connection beyond loopback (tests/helpers/netguard.py), and real PostgreSQL for the server tests
(tests/helpers/pg_plugin.py). Plain helpers live in tests/helpers, never in a conftest."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gridworker.store.db import Database
from gridworker.store.services import LocalStore
from gridworker_server.demo_city import DemoCity, generate_city
from tests.helpers.data import TODAY, copy_database, make_template

pytest_plugins = ["tests.helpers.logfail", "tests.helpers.netguard", "tests.helpers.pg_plugin"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the imports made lives as long as the run: the collector need not look at it again (the
    full collection after each test with a QApplication, below, takes 35 ms instead of 145)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def gui_thread_gc(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test with a QApplication collects reference cycles on the GUI thread only, as the app does
    (gridworker.ui.collector): otherwise a Qt object in a cycle may be destroyed on a worker thread."""
    if "qapp" not in request.fixturenames:
        yield
        return
    from gridworker.ui.collector import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector()
    yield
    collector.close()


@pytest.fixture(scope="session")
def city() -> DemoCity:
    """A small demo city (deterministic), shared read-only by the tests that load it."""
    return generate_city(today=TODAY, grids_per_community=1, households_per_grid=(150, 160))


@pytest.fixture(scope="session")
def grid(city: DemoCity) -> DemoCity:
    """The first worker's part of the city, as the laptop holds it (read-only)."""
    return city.grid(city.workers[0].grid_id)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A worker database migrated to head, made once per test process; tests get copies."""
    return make_template(tmp_path_factory.mktemp("templates") / "empty.db", None)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, grid: DemoCity) -> Path:
    """The worker database seeded with ``grid``, made once per test process; tests get copies."""
    return make_template(tmp_path_factory.mktemp("templates") / "seeded.db", grid)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("GRIDWORKER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """The test's own worker database: a copy of the seeded template when the test asks for
    ``seeded_db`` (or ``store``, ``ctx``, ...), else of the empty one."""
    seeded = "seeded_db" in request.fixturenames
    template: Path = request.getfixturevalue("seeded_template" if seeded else "empty_template")
    database = Database(copy_database(template, tmp_path / "worker.db"))
    yield database
    database.close()


@pytest.fixture
def seeded_db(db: Database) -> Database:
    """The test's own worker database holding ``grid``."""
    return db


@pytest.fixture
def store(seeded_db: Database, grid: DemoCity) -> LocalStore:
    return LocalStore(seeded_db, grid.workers[0].id)
