"""Cold start on the 50k database, to the Today view's first page, against a bare PySide6 window
started the same way; and the app's peak memory.

Each start is a fresh ``python`` process (offscreen): ``python -m gridworker --data-dir D --user bench
--smoke-test`` exits 0 once the Today list shows its first page; the bare script shows a QMainWindow
and quits from the event loop. The wall time is the whole process, spawn to exit. One start of each
is run first and not counted (it warms the OS file cache and turns the copied database to WAL), then
five of each, alternating, so that noise on the shared cores falls on both sides alike. Issue 14: the
app is started on an encrypted copy (the floors) and on a plain copy (reported beside it).

Measuring: each start goes through a tiny launcher (``python -I -S``, about 10 MB) that forks, execs the
command, reaps it with ``os.wait4`` and reports the wall time from fork to exit and the rusage of that
one child: on Linux ``ru_maxrss`` is the peak resident set in KiB. The launcher is needed because
Linux carries the peak RSS of a process's old memory across ``exec``: a child spawned straight from
pytest (vfork/posix_spawn share pytest's memory until the exec) would report pytest's own peak,
about 230 MB, for the app and the bare script alike. ``getrusage(RUSAGE_CHILDREN)`` is no better: it
is the largest of all children reaped so far, not a delta, and polling with psutil can miss a short
peak. Nothing is added to the app.
"""

from __future__ import annotations

import compileall
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridworker.paths import worker_db_path
from gridworker.store import cipher
from tests.bench.benchlib import BENCH_USER, Figures, median, report
from tests.bench.cipherlib import BENCH_PIN, encrypted_data_dir, key_derivation_ms, keyed_start_code

START_VS_BARE = 3.0
RSS_MB = 300.0
RUNS = 5
TIMEOUT_S = 120.0
PROJECT = Path(__file__).resolve().parents[2]

BARE_QT = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


LAUNCHER = """\
import json, os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - t0
with open(out, "w") as f:
    json.dump({"seconds": seconds, "exit": os.waitstatus_to_exitcode(status), "max_rss_kib": usage.ru_maxrss}, f)
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float


def run_child(argv: list[str]) -> Run:
    """Start a process through the launcher and return its wall time and peak RSS; it must exit 0."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "run.json"
        log = Path(scratch) / "output.txt"
        with log.open("wb") as output:
            launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(report), *argv]
            proc = subprocess.Popen(
                launcher, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=PROJECT, start_new_session=True
            )
            try:
                proc.wait(TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
                proc.wait()
        text = log.read_text(errors="replace")
        assert proc.returncode == 0 and report.exists(), f"launcher failed ({proc.returncode}):\n{text}"
        result = json.loads(report.read_text())
    assert result["exit"] == 0, f"{argv} exited {result['exit']}:\n{text}"
    return Run(float(result["seconds"]), result["max_rss_kib"] / 1024)


@pytest.mark.bench
def test_cold_start(bench_data_dir: Callable[[], Path], bench_db: Path, tmp_path: Path, bench_results: Figures) -> None:
    """Issue 14: the app started on an encrypted copy (its data key registered before ``main``, as the
    start-up does once the PIN unwrapped it) and on a plain copy, each against the bare window; the
    floors are asserted on the encrypted starts. The key derivation (Argon2id of the PIN, once per
    start) is measured apart, in this process and as a process of its own (its peak memory)."""
    # The app's modules as an installed app has them, compiled (the installer ships bytecode): with
    # PYTHONDONTWRITEBYTECODE set, as on these machines, every start compiled each module it imports
    # from source (65 ms of a 0.38 s start), which the bare window (PySide6 only) never pays.
    for package in ("gridworker", "sync"):
        assert compileall.compile_dir(PROJECT / package, quiet=1)
    folder = bench_data_dir()
    plain = [sys.executable, "-m", "gridworker", "--data-dir", str(folder), "--user", BENCH_USER, "--smoke-test"]
    bare = [sys.executable, "-c", BARE_QT]
    with encrypted_data_dir(tmp_path / "encrypted", bench_db) as encrypted_folder:
        args = ["--data-dir", str(encrypted_folder), "--user", BENCH_USER, "--smoke-test"]
        app = [sys.executable, "-c", keyed_start_code(worker_db_path(BENCH_USER, encrypted_folder), args)]
        run_child(app)
        run_child(plain)
        run_child(bare)
        app_runs: list[Run] = []
        plain_runs: list[Run] = []
        bare_runs: list[Run] = []
        for _ in range(RUNS):
            app_runs.append(run_child(app))
            plain_runs.append(run_child(plain))
            bare_runs.append(run_child(bare))
        assert cipher.is_encrypted(worker_db_path(BENCH_USER, encrypted_folder))
    derivation_ms = key_derivation_ms(tmp_path)
    keyfile = tmp_path / "bench.db.key"  # made by key_derivation_ms
    unlock = (
        "from pathlib import Path; from gridworker.store.keys import KeyFile; "
        f"KeyFile.load(Path({str(keyfile)!r})).unlock({BENCH_PIN!r})"
    )
    unlock_run = run_child([sys.executable, "-c", unlock])

    app_s = median([r.seconds for r in app_runs])
    plain_s = median([r.seconds for r in plain_runs])
    bare_s = median([r.seconds for r in bare_runs])
    figures: Figures = {
        "start_median_s": round(app_s, 3),
        "start_median_plain_s": round(plain_s, 3),
        "bare_qt_start_median_s": round(bare_s, 3),
        "start_vs_bare_qt_ratio": round(app_s / bare_s, 3),
        "start_vs_bare_qt_plain_ratio": round(plain_s / bare_s, 3),
        "rss_mb": round(max(r.max_rss_mb for r in app_runs), 1),
        "rss_plain_mb": round(max(r.max_rss_mb for r in plain_runs), 1),
        "bare_qt_rss_mb": round(max(r.max_rss_mb for r in bare_runs), 1),
        "key_derivation_ms": round(derivation_ms, 1),
        "key_derivation_process_rss_mb": round(unlock_run.max_rss_mb, 1),
    }
    bench_results.update(figures)
    print("\n  app, encrypted (s): " + " ".join(f"{r.seconds:.3f}" for r in app_runs))
    print("  app, plain     (s): " + " ".join(f"{r.seconds:.3f}" for r in plain_runs))
    print("  bare           (s): " + " ".join(f"{r.seconds:.3f}" for r in bare_runs))
    report(
        "cold start to the Today view, 50k database, encrypted (plain beside; key derivation apart):",
        figures,
        {"start_vs_bare_qt_ratio": START_VS_BARE, "rss_mb": RSS_MB},
    )
