"""The peers the sync benchmarks are measured against (issue 15): Kinto (Mozilla's sync server) on the
bench's own PostgreSQL and PouchDB Server (the CouchDB protocol) on LevelDB.

Both are installed by the bench itself into ``tests/bench/.peers/`` (gitignored) on first use: Kinto from
PyPI into its own virtual environment (``kinto-venv``), PouchDB Server from npm (``pouchdb``). A marker
file per peer records the pinned version installed, so later runs start at once. When an install fails
(no network to the registry, no npm), :class:`PeerUnavailableError` says what to install and where.

A peer runs as a subprocess on loopback in its own session (killed with its process group, and with the
bench if the bench dies): Kinto under gunicorn (3 processes, threaded workers, so that keep-alive works
as with the other two servers), PouchDB Server as one Node process.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from gridworker.demo.server import die_with_parent, free_port

PEERS_DIR = Path(__file__).resolve().parent / ".peers"  # gitignored
KINTO_VERSION = "26.5.0"
GUNICORN_VERSION = "27.0.1"
POUCHDB_SERVER_VERSION = "4.2.0"
KINTO_PROCESSES = 3
KINTO_THREADS = 8  # per process (gunicorn gthread: keep-alive connections, requests in threads)


class PeerUnavailableError(RuntimeError):
    """A peer could not be installed or started; the message names what to install."""


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _installed(marker: Path, want: str) -> bool:
    try:
        return marker.read_text("utf-8").strip() == want
    except OSError:
        return False


# -- installs ----------------------------------------------------------------------------------------


def ensure_kinto(folder: Path = PEERS_DIR) -> Path:
    """Kinto with its PostgreSQL backends and gunicorn in ``folder/kinto-venv``; returns its bin folder."""
    venv = folder / "kinto-venv"
    marker = venv / "gridworker-bench-installed"
    want = f"kinto[postgresql]=={KINTO_VERSION} gunicorn=={GUNICORN_VERSION}"
    if _installed(marker, want):
        return venv / "bin"
    what = f"pip install 'kinto[postgresql]=={KINTO_VERSION}' 'gunicorn=={GUNICORN_VERSION}' into {venv}"
    shutil.rmtree(venv, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    steps = [
        [base_python, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *want.split()],
    ]
    for argv in steps:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PeerUnavailableError(f"Kinto could not be installed ({what}): {exc}") from exc
        if done.returncode != 0:
            raise PeerUnavailableError(
                f"Kinto could not be installed from PyPI ({what}; is PyPI reachable?):\n"
                f"{_tail(done.stderr or done.stdout)}"
            )
    marker.write_text(want + "\n", "utf-8")
    return venv / "bin"


def ensure_pouchdb(folder: Path = PEERS_DIR) -> Path:
    """PouchDB Server from npm in ``folder/pouchdb``; returns its start script."""
    target = folder / "pouchdb"
    script = target / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
    marker = target / "gridworker-bench-installed"
    want = f"pouchdb-server@{POUCHDB_SERVER_VERSION}"
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise PeerUnavailableError(
            "PouchDB Server needs Node.js and npm on PATH (Debian: apt-get install nodejs npm), "
            f"then the bench installs {want} from npm into {target}"
        )
    if _installed(marker, want) and script.exists():
        return script
    what = f"npm install {want} in {target}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    # a package.json of its own, so npm installs here and not into a parent folder's project
    (target / "package.json").write_text('{"name": "gridworker-bench-peers", "private": true}\n', "utf-8")
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", want],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=900,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PeerUnavailableError(f"PouchDB Server could not be installed ({what}): {exc}") from exc
    if done.returncode != 0 or not script.exists():
        raise PeerUnavailableError(
            f"PouchDB Server could not be installed from npm ({what}; is the npm registry reachable?):\n"
            f"{_tail(done.stderr or done.stdout)}"
        )
    marker.write_text(want + "\n", "utf-8")
    return script


# -- servers -----------------------------------------------------------------------------------------


class PeerProcess:
    """A peer server as a subprocess in its own process group; ``pid`` is the root of its process tree."""

    name = "peer"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = self.folder / "server.log"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def argv(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 120.0) -> None:
        with self._log.open("wb") as log:
            self.proc = subprocess.Popen(
                self.argv(),
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent(signal.SIGKILL),
                env={k: v for k, v in os.environ.items() if not k.startswith(("PG", "PYTHON", "VIRTUAL_ENV"))},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PeerUnavailableError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException, ValueError):
                if self.ready():
                    return
            with socket.socket() as probe:  # wait for the port to open rather than sleeping blindly
                probe.settimeout(0.25)
                probe.connect_ex(("127.0.0.1", self.port))
        self.stop()
        why = f"{self.name} did not answer on {self.base} within {timeout:.0f} s:\n{self.log_tail()}"
        raise PeerUnavailableError(why)

    def log_tail(self) -> str:
        try:
            return _tail(self._log.read_text("utf-8", errors="replace"), 30)
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the workers, if any are left
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=15)

    def __enter__(self) -> PeerProcess:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


KINTO_INI = """\
[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = {url}
kinto.cache_backend = kinto.core.cache.postgresql
kinto.cache_url = {url}
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = {url}
kinto.userid_hmac_secret = {secret}
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Authenticated
kinto.batch_max_requests = 1000
kinto.storage_max_fetch_size = 10000

[loggers]
keys = root, kinto

[handlers]
keys = console

[formatters]
keys = plain

[logger_root]
level = WARNING
handlers = console

[logger_kinto]
level = WARNING
handlers = console
qualname = kinto
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = plain

[formatter_plain]
format = %(asctime)s %(levelname)s %(name)s %(message)s
"""


class KintoServer(PeerProcess):
    """Kinto on a PostgreSQL database (storage, permissions and cache), 3 gunicorn processes."""

    name = "Kinto"

    def __init__(self, folder: Path, bin_dir: Path, pg_url: str) -> None:
        super().__init__(folder)
        self.bin_dir = bin_dir
        self.ini = self.folder / "kinto.ini"
        self.ini.write_text(KINTO_INI.format(url=pg_url, secret=secrets.token_hex(16)), "utf-8")

    def migrate(self) -> None:
        done = subprocess.run(
            [str(self.bin_dir / "kinto"), "migrate", "--ini", str(self.ini)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise PeerUnavailableError(f"kinto migrate failed ({done.returncode}):\n{_tail(done.stderr + done.stdout)}")

    def argv(self) -> list[str]:
        return [
            str(self.bin_dir / "gunicorn"),
            "--paste",
            str(self.ini),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(KINTO_PROCESSES),
            "--worker-class",
            "gthread",
            "--threads",
            str(KINTO_THREADS),
            "--keep-alive",
            "75",
            "--backlog",
            "2048",
        ]

    def ready(self) -> bool:
        return requests.get(self.base + "/v1/", timeout=2).json().get("project_name") == "kinto"

    def start(self, timeout: float = 120.0) -> None:
        self.migrate()
        super().start(timeout)


class PouchServer(PeerProcess):
    """PouchDB Server on LevelDB (its default), one Node process, no authentication (admin party)."""

    name = "PouchDB Server"

    def __init__(self, folder: Path, script: Path) -> None:
        super().__init__(folder)
        self.script = script
        self.data = self.folder / "data"
        self.data.mkdir(exist_ok=True)
        # request logging down to errors, as for the other two servers (its default logs every request)
        (self.folder / "config.json").write_text('{"log": {"level": "error"}}\n', "utf-8")

    def argv(self) -> list[str]:
        node = shutil.which("node") or "node"
        return [
            node,
            str(self.script),
            "--port",
            str(self.port),
            "--dir",
            str(self.data),
            "--config",
            str(self.folder / "config.json"),
            "--no-stdout-logs",
        ]

    def ready(self) -> bool:
        return "express-pouchdb" in requests.get(self.base + "/", timeout=2).json()
