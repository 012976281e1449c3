"""Fixtures of the server tests: the backend (SQLite, PostgreSQL), a seeded server per backend shared
by the tests of a test process, and a fresh one for a test that changes what others rely on (the epoch,
purged tombstones, a grid's worker). Tests on the shared server sign in as their own devices and work on
households no other test touches (:meth:`Seeded.take`); a module that needs its own server overrides
``server``.

PostgreSQL comes from ``pg_cluster`` (tests/helpers/pg_plugin.py, registered in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.support import BACKENDS, DatabaseFactory, Seeded, start_seeded


@pytest.fixture(scope="session")
def db_factory(tmp_path_factory: pytest.TempPathFactory) -> DatabaseFactory:
    return DatabaseFactory(tmp_path_factory.mktemp("server-dbs"))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    """One seeded server per backend and test process (a server start and a database copy cost more
    than most tests); tests use their own devices and households."""
    yield from start_seeded(backend, db_factory, request)


@pytest.fixture
def fresh_server(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    """A seeded server of its own, for a test that changes what the module's other tests rely on."""
    yield from start_seeded(backend, db_factory, request)
