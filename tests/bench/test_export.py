"""100,000 visits of a street exported as a supervisor does (issue 12): to xlsx and to CSV through
``export_visits`` (keyset pages, Chinese labels, local times, flags, last review, formula guard),
against a floor that writes the same rows of the same joined query with no formatting: openpyxl's
write-only mode appending the raw cursor rows, and ``csv.writer`` over them.

The street: 4 communities, 20 grids, 10,000 households, 100,000 visits (a tenth flagged, the returned
ones with their review event), generated into a migrated app database with executemany.

Each side runs in a fresh ``python`` process, so neither the test process nor the other side inflates
the figures: the time is the wall time of the export alone (after imports), the memory the process's
peak resident set (``VmHWM`` of /proc/self/status: this process's own peak since its exec, unlike
``ru_maxrss``, which Linux carries over from the parent). Runs alternate, the medians are reported.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.bench.benchlib import Figures, median, report
from tests.helpers.review_export_data import fill, make_db

VISITS = 100_000
RUNS = 3
XLSX_S = 60.0
RSS_MB = 300.0
TIMEOUT_S = 600.0
PROJECT = Path(__file__).resolve().parents[2]

# The child: imports the exports (or only openpyxl / csv for the floor), then times one export.
CHILD = r"""
import csv, datetime as dt, json, resource, sqlite3, sys, time
from pathlib import Path

mode, db, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


FLOOR_SQL = '''
SELECT v.no, v.visited_at, c.name, g.name, w.name, h.compound, h.building, h.unit, h.room, h.head_name,
       v.outcome, v.seen, v.notes, v.state, v.flags, v.amends_no, v.form_seconds
FROM review_visit v
LEFT JOIN household h ON h.id = v.household_id
LEFT JOIN org_unit g ON g.id = v.grid_id
LEFT JOIN org_unit c ON c.id = g.parent_id
LEFT JOIN worker_card w ON w.user_id = v.worker_id
ORDER BY v.visited_at DESC, v.no DESC
'''

if mode in ("xlsx", "csv"):
    from openpyxl import Workbook  # what the export loads when it runs, loaded before the clock starts
    from gridworker.exports import ExportInfo, export_visits
    from gridworker.store.review_filter import ReviewFilter

    info = ExportInfo("基准测试", dt.datetime(2026, 12, 4, 20, 0))
    before = peak_mb()
    t0 = time.perf_counter()
    rows = export_visits(db, out, mode, ReviewFilter(), info).rows
else:
    from openpyxl import Workbook

    before = peak_mb()
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    cursor = con.execute(FLOOR_SQL)
    rows = 0
    if mode == "floor_xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("visits")
        for row in cursor:
            ws.append(row)
            rows += 1
        wb.save(out)
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            for row in cursor:
                writer.writerow(row)
                rows += 1
    con.close()
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "before_mb": before, "rows": rows}))
"""


def run(mode: str, db: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(db), str(out)],
        cwd=PROJECT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == VISITS
    return result


@pytest.fixture(scope="module")
def street_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_db(tmp_path_factory.mktemp("export-bench") / "street.db")
    fill(path, visits=VISITS, communities=4, grids_per_community=5, households_per_grid=500, requests=2000)
    return path


def xlsx_data_rows(path: Path) -> int:
    wb = load_workbook(path, read_only=True)
    try:
        return sum(sum(1 for _ in ws.iter_rows(values_only=True)) for ws in wb.worksheets) - 2
    finally:
        wb.close()


@pytest.mark.bench
def test_export_100k_visits(bench_results: Figures, street_db: Path, tmp_path: Path) -> None:
    outs = {
        mode: tmp_path / f"{mode}.{mode.removeprefix('floor_')}" for mode in ("xlsx", "floor_xlsx", "csv", "floor_csv")
    }
    results: dict[str, list[dict[str, float]]] = {mode: [] for mode in outs}
    for _ in range(RUNS):
        for mode, out in outs.items():
            results[mode].append(run(mode, street_db, out))

    assert xlsx_data_rows(outs["xlsx"]) == VISITS
    with outs["csv"].open(encoding="utf-8-sig", newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == VISITS + 2

    def seconds(mode: str) -> float:
        return median([r["seconds"] for r in results[mode]])

    def peak(mode: str) -> float:
        return max(r["peak_mb"] for r in results[mode])

    figures: Figures = {
        "export_100k_xlsx_s": round(seconds("xlsx"), 2),
        "export_100k_rss_mb": round(peak("xlsx"), 1),
        "export_100k_rss_before_mb": round(max(r["before_mb"] for r in results["xlsx"]), 1),
        "export_100k_xlsx_floor_s": round(seconds("floor_xlsx"), 2),
        "export_100k_xlsx_floor_rss_mb": round(peak("floor_xlsx"), 1),
        "export_100k_xlsx_vs_floor_ratio": round(seconds("xlsx") / seconds("floor_xlsx"), 2),
        "export_100k_csv_s": round(seconds("csv"), 2),
        "export_100k_csv_rss_mb": round(peak("csv"), 1),
        "export_100k_csv_floor_s": round(seconds("floor_csv"), 2),
        "export_100k_csv_vs_floor_ratio": round(seconds("csv") / seconds("floor_csv"), 2),
        "export_100k_xlsx_mb": round(outs["xlsx"].stat().st_size / 2**20, 1),
    }
    bench_results.update(figures)
    report(
        f"{VISITS} visits of a street exported (all of them, newest first), medians of {RUNS}:",
        figures,
        {"export_100k_xlsx_s": XLSX_S, "export_100k_rss_mb": RSS_MB},
    )
