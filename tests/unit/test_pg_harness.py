"""The throwaway PostgreSQL harness (tests/helpers/pg.py) and its pytest fixtures (tests/helpers/pg_plugin.py)."""

from __future__ import annotations

import contextlib
import errno
import socket
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.helpers.pg import PostgresCluster, available

# Until tests/conftest.py registers the plugin for the whole suite; harmless once it does.
pytest_plugins = ["tests.helpers.pg_plugin"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    reason = available()
    if reason is not None:
        pytest.fail(f"PostgreSQL is required: {reason}", pytrace=False)
    with PostgresCluster() as pg:
        yield pg


def _port_refuses(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        try:
            s.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
        return False


def _port_bindable(port: int) -> bool:
    # SO_REUSEADDR as every server sets it: closed client connections may leave TIME_WAIT entries behind.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
        return True


def test_available_reports_usable_binaries() -> None:
    assert available() is None


def test_two_databases_are_isolated(cluster: PostgresCluster) -> None:
    url_a = cluster.create_database("harness_a")
    url_b = cluster.create_database("harness_b")
    assert url_a == f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/harness_a"
    assert cluster.url("harness_b") == url_b
    engine_a, engine_b = sa.create_engine(url_a), sa.create_engine(url_b)
    try:
        with engine_a.begin() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == "harness_a"
            assert str(conn.execute(sa.text("SHOW server_version")).scalar_one()).startswith("15.")
            conn.execute(sa.text("CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)"))
            conn.execute(sa.text("INSERT INTO note VALUES (1, '网格')"))
        with engine_b.begin() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == "harness_b"
            assert conn.execute(sa.text("SELECT to_regclass('note')")).scalar_one() is None
            conn.execute(sa.text("CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)"))
        with engine_a.connect() as conn:
            assert conn.execute(sa.text("SELECT body FROM note")).scalars().all() == ["网格"]
        with engine_b.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM note")).scalar_one() == 0
        assert {"harness_a", "harness_b"} <= set(cluster.databases())
    finally:
        engine_a.dispose()
        engine_b.dispose()


def test_drop_database_terminates_open_connections(cluster: PostgresCluster) -> None:
    url = cluster.create_database("harness_drop")
    engine = sa.create_engine(url)
    conn = engine.connect()  # left open on purpose: drop must not wait for it
    try:
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
        cluster.drop_database("harness_drop")
        assert "harness_drop" not in cluster.databases()
        cluster.drop_database("harness_drop")  # already gone: no error
    finally:
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.close()
        engine.dispose()


def test_invalid_database_name_is_refused(cluster: PostgresCluster) -> None:
    with pytest.raises(ValueError, match="database name"):
        cluster.create_database('x"; DROP DATABASE postgres; --')


def test_stop_removes_the_folder_and_frees_the_port() -> None:
    pg = PostgresCluster().start()
    base, port = pg.base_dir, pg.port
    assert (pg.data_dir / "PG_VERSION").read_text().strip() == "15"
    engine = sa.create_engine(pg.create_database("harness_stop"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    engine.dispose()
    assert pg.running and not _port_refuses(port)

    pg.stop()

    assert not pg.running
    assert not base.exists()
    assert _port_refuses(port)
    assert _port_bindable(port)
    pg.stop()  # a second stop is a no-op


def test_context_manager_stops_on_error() -> None:
    with pytest.raises(RuntimeError, match="boom"), PostgresCluster() as pg:
        base = pg.base_dir
        raise RuntimeError("boom")
    assert not base.exists()
    assert not pg.running


def test_pg_url_fixture_gives_a_fresh_database(pg_url: str, pg_cluster: PostgresCluster) -> None:
    name = sa.make_url(pg_url).database
    assert name is not None and name.startswith("t_")
    assert pg_url == pg_cluster.url(name)
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == name
            tables = conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one()
            assert tables == 0
            max_conn = conn.execute(sa.text("SHOW max_connections")).scalar_one()
            assert int(max_conn) >= 200
            assert conn.execute(sa.text("SHOW fsync")).scalar_one() == "off"
    finally:
        engine.dispose()


@pytest.mark.parametrize("round_", [1, 2])
def test_pg_url_databases_are_dropped_after_each_test(round_: int, pg_url: str, pg_cluster: PostgresCluster) -> None:
    # whatever ran before on this worker, only this test's database is left
    names = [n for n in pg_cluster.databases() if n.startswith("t_")]
    assert names == [sa.make_url(pg_url).database]
