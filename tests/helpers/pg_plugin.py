"""pytest plugin: real PostgreSQL for the tests that need it.

Register it in the root ``tests/conftest.py`` with ``pytest_plugins = ["tests.helpers.pg_plugin"]``.

* ``pg_cluster`` (session): one throwaway PostgreSQL 15 cluster per pytest process, i.e. one per xdist worker.
* ``pg_url`` (function): a fresh, uniquely named, empty database on that cluster; its SQLAlchemy URL
  (``postgresql+psycopg://postgres@127.0.0.1:PORT/NAME``). Dropped after the test, its connections terminated.

The project requires these tests to run on real PostgreSQL, so when the server binaries are missing or the
cluster will not start the fixtures FAIL with the reason; they never skip.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest

from tests.helpers.pg import PostgresCluster, PostgresError, available


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    reason = available()
    if reason is not None:
        pytest.fail(f"PostgreSQL is required for this test and is not usable here: {reason}", pytrace=False)
    try:
        cluster = PostgresCluster().start()
    except PostgresError as exc:
        pytest.fail(f"could not start a throwaway PostgreSQL cluster: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def _database_name(request: pytest.FixtureRequest) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    stem = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:30]
    return f"t_{worker}_{uuid.uuid4().hex[:12]}_{stem}".rstrip("_")[:63]


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = _database_name(request)
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)
