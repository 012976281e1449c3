"""Cold start on the 50k database, to the Today view's first page, against a bare PySide6 window
started the same way; and the app's peak memory.

Each start is a fresh ``python`` process (offscreen): ``python -m gridworker --data-dir D --user bench
--smoke-test`` exits 0 once the Today list shows its first page; the bare script shows a QMainWindow
and quits from the event loop. The wall time is the whole process, spawn to exit. One start of each
is run first and not counted (it warms the OS file cache and turns the copied database to WAL), then
five of each, alternating, so that noise on the shared cores falls on both sides alike.

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

from tests.bench.benchlib import BENCH_USER, Figures, median, report

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
def test_cold_start(bench_data_dir: Callable[[], Path], bench_results: Figures) -> None:
    folder = bench_data_dir()
    app = [sys.executable, "-m", "gridworker", "--data-dir", str(folder), "--user", BENCH_USER, "--smoke-test"]
    bare = [sys.executable, "-c", BARE_QT]
    run_child(app)
    run_child(bare)
    app_runs: list[Run] = []
    bare_runs: list[Run] = []
    for _ in range(RUNS):
        app_runs.append(run_child(app))
        bare_runs.append(run_child(bare))

    app_s = median([r.seconds for r in app_runs])
    bare_s = median([r.seconds for r in bare_runs])
    figures: Figures = {
        "start_median_s": round(app_s, 3),
        "bare_qt_start_median_s": round(bare_s, 3),
        "start_vs_bare_qt_ratio": round(app_s / bare_s, 3),
        "rss_mb": round(max(r.max_rss_mb for r in app_runs), 1),
        "bare_qt_rss_mb": round(max(r.max_rss_mb for r in bare_runs), 1),
    }
    bench_results.update(figures)
    print("\n  app  (s): " + " ".join(f"{r.seconds:.3f}" for r in app_runs))
    print("  bare (s): " + " ".join(f"{r.seconds:.3f}" for r in bare_runs))
    report(
        "cold start to the Today view, 50k database:",
        figures,
        {"start_vs_bare_qt_ratio": START_VS_BARE, "rss_mb": RSS_MB},
    )
