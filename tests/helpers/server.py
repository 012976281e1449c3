"""A real sync server as a subprocess on loopback: ``gridworker-server serve`` on a free port.

Tests and benchmarks start it on SQLite or PostgreSQL, kill it with SIGKILL at named crash points
(``crash_at``) and restart it on the same database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from gridworker.demo.server import die_with_parent, free_port, wait_until_serving
from gridworker_shared.protocol import HEADER_APP, HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION

HEADERS = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), HEADER_SCHEMA: "test", HEADER_APP: "test"}
ROOT = Path(__file__).resolve().parents[2]


def run_cli(url: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    """``gridworker-server --database URL ARGS`` to completion; returns stdout, raises on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "gridworker_server", "--database", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"gridworker-server {' '.join(args)} failed ({done.returncode}):\n{done.stderr}{done.stdout}"
        )
    return done.stdout


class ServerProcess:
    def __init__(self, url: str, *, workers: int = 1, crash_at: str | None = None, port: int | None = None) -> None:
        self.url = url
        self.workers = workers
        self.crash_at = crash_at
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {**os.environ}
        env.pop("GRIDWORKER_CRASH_AT", None)
        if self.crash_at:
            env["GRIDWORKER_CRASH_AT"] = self.crash_at
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gridworker_server",
                "--database",
                self.url,
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=die_with_parent(signal.SIGKILL),
        )
        wait_until_serving(self.base, self.port, self._exited, timeout)
        return self

    def _exited(self) -> str | None:
        assert self.proc is not None
        if self.proc.poll() is None:
            return None
        err = self.proc.stderr.read().decode() if self.proc.stderr else ""
        return f"server exited with {self.proc.returncode}:\n{err}"

    def wait_killed(self, timeout: float = 30.0) -> int:
        """Wait for the process to die (a crash point fired); returns its exit code."""
        assert self.proc is not None
        code = self.proc.wait(timeout=timeout)
        self._reap_group()
        return code

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._reap_group()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self._reap_group()

    def _reap_group(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # uvicorn's worker processes, if any
            if self.proc.stderr:
                self.proc.stderr.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def login(base: str, username: str, password: str = "demo1234", device_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"username": username, "password": password, "device_name": "test"}
    if device_id:
        body["device_id"] = device_id
    r = requests.post(base + "/v1/auth/login", json=body, headers=HEADERS, timeout=30)
    r.raise_for_status()
    return dict(r.json())


def auth_headers(token: str) -> dict[str, str]:
    return {**HEADERS, "Authorization": f"Bearer {token}"}
