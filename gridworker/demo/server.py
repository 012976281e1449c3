"""The demo's local sync server (``make run`` / ``gridworker --demo``): a real ``gridworker-server`` on an
embedded SQLite database in the data folder, seeded with the demo city on first use, on a free loopback
port, stopped when the app quits. The frozen installer runs it on a thread instead of a process."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

from gridworker_shared.protocol import SERVICE_NAME

log = logging.getLogger(__name__)
DEMO_USER = "demo"
DEMO_PASSWORD = "demo1234"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` for a child server (Linux): it gets ``sig`` when its parent dies, even by kill -9,
    so no server is left orphaned on its port. None elsewhere."""
    if sys.platform != "linux":
        return None

    def arm() -> None:
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, sig)

    return arm


def wait_until_serving(base: str, port: int, exited: Callable[[], str | None], timeout: float = 60.0) -> None:
    """Until ``base`` answers /health as our service; ``exited`` says why the process died, if it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        why = exited()
        if why is not None:
            raise RuntimeError(why)
        with contextlib.suppress(requests.RequestException, ValueError):
            if requests.get(base + "/health", timeout=1).json().get("service") == SERVICE_NAME:
                return
        with socket.socket() as probe:  # wait for the port to open rather than sleeping blindly
            probe.settimeout(0.25)
            probe.connect_ex(("127.0.0.1", port))
    raise TimeoutError(f"the server did not answer on {base}")


class DemoServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder / "demo-server"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{self.folder / 'server.db'}"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._server: object | None = None

    def start(self, timeout: float = 60.0) -> DemoServer:
        self._seed()
        if getattr(sys, "frozen", False):
            self._start_thread()
        else:
            log_file = (self.folder / "server.log").open("ab")
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "gridworker_server", "--database", self.url, "serve", "--port", str(self.port)],
                stdout=log_file,
                stderr=log_file,
                env={k: v for k, v in os.environ.items() if k != "GRIDWORKER_CRASH_AT"},
                preexec_fn=die_with_parent(),
            )
        wait_until_serving(self.base, self.port, self._exited, timeout)
        return self

    def _exited(self) -> str | None:
        if self._proc is not None and self._proc.poll() is not None:
            return f"the demo server exited; see {self.folder / 'server.log'}"
        return None

    def _seed(self) -> None:
        from sqlalchemy import select

        from gridworker_server.admin import seed_demo
        from gridworker_server.db import Database
        from gridworker_server.demo_city import generate_city
        from gridworker_server.guide import publish_folder
        from gridworker_server.guide_files import starter_guide_path
        from gridworker_server.models import OrgUnit

        db = Database(self.url, pool_size=1)
        try:
            db.migrate()
            with db.write() as s:
                if s.scalar(select(OrgUnit.id).limit(1)) is None:
                    seed_demo(s, generate_city())
                else:
                    # the shipped guide as this version of the app has it (unchanged articles: nothing)
                    publish_folder(s, starter_guide_path())
        finally:
            db.dispose()

    def _start_thread(self) -> None:
        import uvicorn

        from gridworker_server.app import create_app
        from gridworker_server.db import Database

        # log_config None: uvicorn's records go to the app's log file, through its safe formatter
        config = uvicorn.Config(
            create_app(Database(self.url)), host="127.0.0.1", port=self.port, log_level="warning", log_config=None
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(target=server.run, name="demo-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        if self._server is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
