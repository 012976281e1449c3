"""Throwaway PostgreSQL 15 clusters for tests that must run on the real database.

A :class:`PostgresCluster` runs ``initdb`` in a fresh temporary folder, starts the server on 127.0.0.1 on a free
port with trust authentication (loopback and the cluster's own unix socket only), fsync off, and removes
everything again on :meth:`PostgresCluster.stop`::

    with PostgresCluster() as pg:
        url = pg.create_database("t1")  # postgresql+psycopg://postgres@127.0.0.1:PORT/t1
        engine = sqlalchemy.create_engine(url)

``initdb`` and ``pg_ctl`` refuse to run as root: when the tests run as root, the server binaries run as the
``postgres`` system user (through ``runuser``) and the temporary folder is given to that user. Otherwise they run
as the current user. The binaries are looked up in ``$GRIDWORKER_PG_BIN`` if set, else in
``/usr/lib/postgresql/15/bin``, else through ``pg_config --bindir``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

__all__ = ["PostgresCluster", "PostgresError", "available", "find_bin_dir"]

PG_MAJOR = 15
DEFAULT_BIN_DIR = Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")
SERVICE_USER = "postgres"
SUPERUSER = "postgres"
HOST = "127.0.0.1"

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_BINARIES = ("initdb", "pg_ctl", "postgres")
# The longest unix socket path the kernel takes is 107 bytes; the socket is <dir>/.s.PGSQL.<port>.
_MAX_SOCKET_DIR = 80
_START_ATTEMPTS = 3


class PostgresError(RuntimeError):
    """A cluster could not be created, started or stopped; the message says why (with the server log's tail)."""


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None."""
    override = os.environ.get("GRIDWORKER_PG_BIN")
    if override:
        return Path(override)
    if (DEFAULT_BIN_DIR / "initdb").exists():
        return DEFAULT_BIN_DIR
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    return None


def _as_service_user(argv: Sequence[str]) -> list[str]:
    """Prefix argv so that it runs as the postgres user when we are root."""
    if _running_as_root():
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", SERVICE_USER, "--", *argv]
    return list(argv)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


def available(bin_dir: Path | None = None) -> str | None:
    """None if PostgreSQL 15 server binaries are present and usable here, else the reason they are not."""
    bin_dir = bin_dir or find_bin_dir()
    if bin_dir is None:
        return (
            f"PostgreSQL {PG_MAJOR} server binaries not found: no {DEFAULT_BIN_DIR}/initdb, no pg_config on PATH "
            "and GRIDWORKER_PG_BIN is not set (Debian: apt-get install postgresql-15)"
        )
    for name in _BINARIES:
        path = bin_dir / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} is missing or not executable"
    if _running_as_root():
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return (
                f"running as root, but there is no '{SERVICE_USER}' system user to run initdb/pg_ctl as "
                "(they refuse to run as root)"
            )
        if shutil.which("runuser") is None and not Path("/usr/sbin/runuser").exists():
            return "running as root, but runuser (util-linux) is not available to drop to the postgres user"
    try:
        out = subprocess.run(
            _as_service_user([str(bin_dir / "postgres"), "--version"]),
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
            env=_env(),
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {bin_dir / 'postgres'} --version: {exc}"
    if out.returncode != 0:
        return f"{bin_dir / 'postgres'} --version failed ({out.returncode}): {(out.stderr or out.stdout).strip()}"
    match = re.search(r"\b(\d+)(?:\.\d+)?", out.stdout)
    if match is None or int(match.group(1)) != PG_MAJOR:
        return f"expected PostgreSQL {PG_MAJOR}, {bin_dir / 'postgres'} says: {out.stdout.strip()}"
    return None


def free_port(host: str = HOST) -> int:
    """A TCP port that was free a moment ago (the caller retries if someone else takes it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def _traversable_by_others(folder: Path) -> bool:
    """Whether every folder from / down to `folder` lets other users through (o+x): the postgres user must."""
    for part in [folder, *folder.parents]:
        try:
            if not part.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def _base_parent() -> Path:
    parent = Path(tempfile.gettempdir()).resolve()
    if len(str(parent)) > _MAX_SOCKET_DIR - 20 or (_running_as_root() and not _traversable_by_others(parent)):
        return Path("/tmp")
    return parent


def _stop_server(bin_dir: Path, base: Path, data_dir: Path) -> str | None:
    """Stop the server (immediate shutdown) if it runs; the error text if it would not stop."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    argv = _as_service_user([str(bin_dir / "pg_ctl"), "stop", "-D", str(data_dir), "-m", "immediate", "-w", "-t", "60"])
    try:
        out = subprocess.run(
            argv, capture_output=True, text=True, timeout=90, cwd=base, env=_env(), stdin=subprocess.DEVNULL
        )
        if out.returncode == 0 or not pid_file.exists():
            return None
        error = (out.stderr or out.stdout).strip()
    except (OSError, subprocess.SubprocessError) as exc:
        error = str(exc)
    # pg_ctl failed: send the postmaster the immediate-shutdown signal ourselves and wait for it to go.
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)
    except (OSError, ValueError, IndexError):
        return error
    # wait for the postmaster to exit on a pidfd (no polling): readable once the process is gone
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return None
    try:
        gone, _, _ = select.select([handle], [], [], 30)
    finally:
        os.close(handle)
    return None if gone else f"{error}; postmaster {pid} still alive after SIGQUIT"


def _cleanup(bin_dir: Path, base: Path, data_dir: Path) -> None:
    """Finalizer: stop a cluster its owner forgot to stop, and remove its folder."""
    _stop_server(bin_dir, base, data_dir)
    shutil.rmtree(base, ignore_errors=True)


class PostgresCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (see the module docstring).

    ``start()`` (or entering the context manager) creates and starts it; ``stop()`` (or leaving the context
    manager) stops it with an immediate shutdown and deletes its folder. A cluster is started once: create a new
    object for another one.
    """

    def __init__(self, bin_dir: Path | str | None = None, *, max_connections: int = 200) -> None:
        found = Path(bin_dir) if bin_dir is not None else find_bin_dir()
        if found is None:
            raise PostgresError(available() or "PostgreSQL server binaries not found")
        self.bin_dir = found
        self.max_connections = max_connections
        self.host = HOST
        self.user = SUPERUSER
        self._port: int | None = None
        self._base: Path | None = None
        self._finalizer: weakref.finalize[..., PostgresCluster] | None = None
        self._started = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._started and self._finalizer is not None and self._finalizer.alive

    @property
    def port(self) -> int:
        if self._port is None:
            raise PostgresError("cluster not started")
        return self._port

    @property
    def base_dir(self) -> Path:
        """The temporary folder holding the data directory, the server log and the unix socket."""
        if self._base is None:
            raise PostgresError("cluster not started")
        return self._base

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir

    def start(self) -> PostgresCluster:
        if self._started:
            raise PostgresError("a PostgresCluster is started once; create a new one")
        self._started = True
        reason = available(self.bin_dir)
        if reason is not None:
            raise PostgresError(reason)
        base = Path(tempfile.mkdtemp(prefix="gwpg-", dir=_base_parent()))
        self._base = base
        self._finalizer = weakref.finalize(self, _cleanup, self.bin_dir, base, base / "data")
        try:
            if _running_as_root():
                entry = pwd.getpwnam(SERVICE_USER)
                os.chown(base, entry.pw_uid, entry.pw_gid)
            self._initdb()
            self._configure()
            self._start_server()
        except BaseException:
            with contextlib.suppress(PostgresError):
                self.stop()
            raise
        return self

    def stop(self) -> None:
        """Immediate shutdown, then remove the folder (data, log, socket). Safe to call twice."""
        if self._finalizer is None or not self._finalizer.alive:
            return
        self._finalizer.detach()
        base = self.base_dir
        error = _stop_server(self.bin_dir, base, self.data_dir)
        shutil.rmtree(base, ignore_errors=True)
        if error is not None:
            raise PostgresError(f"could not stop the cluster in {base}: {error}")

    def __enter__(self) -> PostgresCluster:
        if not self._started:
            self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _run(self, argv: Sequence[str], what: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        try:
            out = subprocess.run(
                _as_service_user(argv),
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=self.base_dir,
                env=_env(),
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresError(
                f"{what} timed out after {timeout}s\n--- server log ---\n{_tail(self.log_file)}"
            ) from exc
        except OSError as exc:
            raise PostgresError(f"{what}: cannot run {argv[0]}: {exc}") from exc
        return out

    def _initdb(self) -> None:
        out = self._run(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            "initdb",
        )
        if out.returncode != 0:
            raise PostgresError(f"initdb failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")

    def _configure(self) -> None:
        # Writing into the files initdb made keeps their owner (postgres when we are root).
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "\n# --- throwaway test cluster (tests/helpers/pg.py) ---\n"
                f"listen_addresses = '{HOST}'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                f"max_connections = {self.max_connections}\n"
                "shared_buffers = 32MB\n"
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
                "wal_level = minimal\n"
                "max_wal_senders = 0\n"
                "logging_collector = off\n"
                "log_min_messages = warning\n"
                "log_min_error_statement = panic\n"
                "timezone = 'UTC'\n"
                "log_timezone = 'UTC'\n"
            )
        (self.data_dir / "pg_hba.conf").write_text(
            "# throwaway test cluster: trust on its own unix socket and loopback only\n"
            "local all all trust\n"
            f"host  all all {HOST}/32 trust\n",
            encoding="utf-8",
        )

    def _start_server(self) -> None:
        problems: list[str] = []
        log = ""
        for _attempt in range(_START_ATTEMPTS):
            port = free_port()
            out = self._run(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {port}",
                ],
                "pg_ctl start",
                timeout=90,
            )
            if out.returncode == 0:
                self._port = port
                return
            log = _tail(self.log_file)
            problems.append(f"port {port}: pg_ctl start failed ({out.returncode}): {out.stderr.strip()}")
            _stop_server(self.bin_dir, self.base_dir, self.data_dir)
            if "could not bind" not in log and "already in use" not in log:
                break  # not a port race: retrying will not help
            with contextlib.suppress(OSError):
                self.log_file.unlink()  # the next attempt's log starts afresh
        raise PostgresError("\n".join(problems) + f"\n--- server log (last attempt) ---\n{log}")

    # ------------------------------------------------------------------ databases

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database `name` (psycopg 3 driver)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{name}"

    def dsn(self, name: str = "postgres") -> str:
        """A libpq connection string for psycopg.connect."""
        return f"host={self.host} port={self.port} user={self.user} dbname={name} connect_timeout=30"

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the maintenance database `postgres` (the caller closes it)."""
        return psycopg.connect(self.dsn("postgres"), autocommit=True)

    @staticmethod
    def _check_name(name: str) -> None:
        if not _NAME_RE.match(name):
            raise ValueError(f"database name {name!r}: use lower-case letters, digits and _ (at most 63)")

    def create_database(self, name: str) -> str:
        """Create an empty database (from template0, UTF8) and return its SQLAlchemy URL."""
        self._check_name(name)
        with self.connect_admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Terminate the database's connections and drop it; no error if it does not exist."""
        self._check_name(name)
        with self.connect_admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def databases(self) -> list[str]:
        with self.connect_admin() as conn:
            rows = conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname").fetchall()
        return [str(r[0]) for r in rows]
