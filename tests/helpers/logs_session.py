"""What a log may not hold, and a server whose every line of output lands in a file.

``LoggedServer`` is ``tests.helpers.server.ServerProcess`` with the server's stdout and stderr (uvicorn's
messages, tracebacks, the app's loggers) written to ``output`` and its access log to ``access``, at the
level ``GRIDWORKER_LOG_LEVEL`` names. ``personal_values`` reads every resident's name, ID number and phone
(and each household's head name and phone) from the server's database; ``leaks`` says which of them a
text holds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from gridworker.demo.server import die_with_parent, wait_until_serving
from tests.helpers.server import ROOT, ServerProcess


class LoggedServer(ServerProcess):
    def __init__(self, url: str, folder: Path, *, level: str = "debug") -> None:
        super().__init__(url)
        self.output = folder / "server-output.log"
        self.access = folder / "server-access.log"
        self.level = level

    def start(self, timeout: float = 60.0) -> LoggedServer:
        env = {k: v for k, v in os.environ.items() if k != "GRIDWORKER_CRASH_AT"}
        env["GRIDWORKER_LOG_LEVEL"] = self.level
        env["GRIDWORKER_ACCESS_LOG"] = str(self.access)
        env["PYTHONIOENCODING"] = "utf-8"
        with self.output.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gridworker_server", "--database", self.url, "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=out,
                start_new_session=True,
                preexec_fn=die_with_parent(signal.SIGKILL),
            )
        wait_until_serving(self.base, self.port, self._exited, timeout)
        return self

    def _exited(self) -> str | None:
        assert self.proc is not None
        if self.proc.poll() is None:
            return None
        return f"server exited with {self.proc.returncode}:\n{self.output.read_text(encoding='utf-8')}"

    def logs(self) -> str:
        """Everything the server wrote: its output and its access log."""
        return "\n".join(p.read_text(encoding="utf-8") for p in (self.output, self.access) if p.exists())


def personal_values(server_db: Path) -> set[str]:
    """Every resident's name, ID number and phone in the server's database, and each household's
    head name and phone."""
    con = sqlite3.connect(server_db)
    try:
        rows = con.execute("SELECT name, id_number, phone FROM person").fetchall()
        rows += con.execute("SELECT head_name, phone, '' FROM household").fetchall()
    finally:
        con.close()
    return {str(v) for row in rows for v in row if v and len(str(v)) >= 2}


def leaks(text: str, values: Iterable[str]) -> list[str]:
    """The values that occur in ``text``, sorted."""
    return sorted(v for v in set(values) if v in text)


def leaking_lines(text: str, values: Iterable[str]) -> list[str]:
    """The lines of ``text`` that hold a value, numbered (a failure's message: where the leak is)."""
    found = set(values)
    return [f"{n}: {line[:160]}" for n, line in enumerate(text.splitlines(), 1) if any(v in line for v in found)]
