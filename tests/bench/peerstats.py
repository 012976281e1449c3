"""Where a sync server's cycle goes on PostgreSQL and in Python (issue 15's profile).

* :class:`StatsCluster`: the bench's throwaway PostgreSQL with ``pg_stat_statements`` preloaded (every
  statement, utility ones such as BEGIN and COMMIT included, is counted per database);
* :class:`PgWatch`: one monitoring connection reading, per database, the sessions opened
  (``pg_stat_database.sessions``, PostgreSQL 14+) and the statements run, with their time;
* :func:`py_spy_top`: the functions a process tree spent its samples in, from ``py-spy record --format raw``
  (installed into the bench's own virtual environment on demand: ``BENCH_PROFILE=1``);
* :class:`WaitSampler`: what PostgreSQL's active backends wait on, sampled from ``pg_stat_activity``.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.helpers.pg import PostgresCluster


class StatsCluster(PostgresCluster):
    """A :class:`PostgresCluster` whose server loads ``pg_stat_statements``."""

    def _configure(self) -> None:
        super()._configure()
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "shared_preload_libraries = 'pg_stat_statements'\n"
                "pg_stat_statements.track = all\n"
                "pg_stat_statements.track_utility = on\n"
                "pg_stat_statements.max = 5000\n"
            )


@dataclass
class Statement:
    query: str
    calls: int
    total_ms: float
    rows: int


class PgWatch:
    """Reads the cluster's statistics through one connection kept open (so it opens no session itself)."""

    def __init__(self, cluster: PostgresCluster) -> None:
        self.conn = psycopg.connect(cluster.dsn("postgres"), autocommit=True)
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def close(self) -> None:
        self.conn.close()

    def sessions(self, database: str) -> int:
        """Sessions ever opened to ``database`` (counted at connection start)."""
        row = self.conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", (database,)).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def reset_statements(self) -> None:
        self.conn.execute("SELECT pg_stat_statements_reset()")

    def statements(self, database: str) -> dict[int, Statement]:
        """The statements run on ``database`` since the last reset, by query id."""
        rows = self.conn.execute(
            "SELECT s.queryid, s.query, s.calls, s.total_exec_time, s.rows FROM pg_stat_statements s"
            " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s",
            (database,),
        ).fetchall()
        return {int(q): Statement(str(text), int(calls), float(ms), int(n)) for q, text, calls, ms, n in rows}


def merge_statements(into: dict[int, Statement], more: dict[int, Statement]) -> None:
    for qid, st in more.items():
        if qid in into:
            have = into[qid]
            into[qid] = Statement(have.query, have.calls + st.calls, have.total_ms + st.total_ms, have.rows + st.rows)
        else:
            into[qid] = st


def statement_table(stmts: dict[int, Statement], per: int, what: str, top: int = 15) -> list[str]:
    """The top statements by total time: calls and ms per ``what`` (``per`` of them), the query cut short."""
    calls = sum(st.calls for st in stmts.values())
    ms = sum(st.total_ms for st in stmts.values())
    lines = [
        f"  in all: {calls / per:.2f} statements and {ms / per:.3f} ms of execution per {what}"
        f" ({len(stmts)} distinct statements)",
        f"  {'calls/' + what:>12} {'ms/' + what:>10} {'ms/call':>8}  statement",
    ]
    for st in sorted(stmts.values(), key=lambda s: s.total_ms, reverse=True)[:top]:
        text = " ".join(st.query.split())
        lines.append(
            f"  {st.calls / per:12.2f} {st.total_ms / per:10.3f} {st.total_ms / max(st.calls, 1):8.3f}  {text[:150]}"
        )
    return lines


# -- py-spy --------------------------------------------------------------------------------------------


def ensure_py_spy() -> Path:
    """py-spy in the bench's virtual environment (installed from PyPI on first use)."""
    exe = Path(sys.executable).with_name("py-spy")
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True, timeout=600)
    return exe


def py_spy_record(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes]:
    """Start sampling ``pid`` and its subprocesses for ``seconds`` (collapsed stacks into ``out``), only
    the threads holding the GIL (``--gil``): where the processes spend CPU in Python, not where their
    threads wait (on PostgreSQL, on the pool, for work)."""
    return subprocess.Popen(
        [
            str(ensure_py_spy()),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--gil",
            "--duration",
            str(seconds),
            "--rate",
            "200",
            "--format",
            "raw",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _frame(raw: str) -> str:
    """``function (/long/path/package/module.py:line)`` as ``function (package/module.py)``."""
    name, sep, where = raw.partition(" (")
    if not sep:
        return raw
    path = where.rsplit(":", 1)[0].rstrip(")")
    return f"{name} ({'/'.join(path.split('/')[-2:])})"


def py_spy_top(
    raw: Path, top: int = 25, ours: tuple[str, ...] = ("gridworker_server/", "gridworker_shared/")
) -> list[str]:
    """Functions by samples: own (the frame on top of the stack) and total (anywhere in the stack), then
    our own functions by total."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text("utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame(f) for f in stack.split(";")[1:]]  # the first frame names the process
        if not frames:
            continue
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for f in set(frames):
            total[f] += n
    if not samples:
        return ["  no samples"]

    def row(name: str) -> str:
        return f"  {100 * own[name] / samples:5.1f} {100 * total[name] / samples:6.1f}  {name}"

    lines = [f"  {samples} samples (threads holding the GIL); own% total%  function (file)"]
    lines += [row(name) for name, _ in own.most_common(top)]
    lines.append("  -- ours, by total:")
    lines += [row(name) for name, _ in total.most_common() if any(o in name for o in ours)][:top]
    return lines


class WaitSampler:
    """Samples what the active backends of a database wait on (``pg_stat_activity``), every ``every``
    seconds on a thread of its own, until stopped: (wait event, statement) -> samples."""

    def __init__(self, cluster: PostgresCluster, database: str, every: float = 0.05) -> None:
        self.dsn, self.database, self.every = cluster.dsn("postgres"), database, every
        self.samples: Counter[tuple[str, str]] = Counter()
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.wait(self.every):
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU'), left(query, 90)"
                    " FROM pg_stat_activity WHERE datname = %s AND state = 'active'",
                    (self.database,),
                ).fetchall()
                self.rounds += 1
                for event, query in rows:
                    self.samples[(str(event), " ".join(str(query).split()))] += 1

    def table(self, top: int = 12) -> list[str]:
        lines = [f"  {self.rounds} samples; active backends on average, by what they wait on:"]
        for (event, query), n in self.samples.most_common(top):
            lines.append(f"  {n / max(self.rounds, 1):6.2f}  {event:<28} {query}")
        return lines
