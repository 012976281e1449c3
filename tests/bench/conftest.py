"""Fixtures of the benchmarks: the cached 50,000-household database, a fresh copy of it per test, and
the figures file every benchmark writes to (``$BENCH_OUT``, default ``tests/bench/results.json``)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gridworker.paths import worker_db_path
from tests.bench.benchlib import (
    BENCH_DIR,
    BENCH_USER,
    CACHE_PATH,
    MIN_HOUSEHOLDS,
    MIN_PERSONS,
    Figures,
    copy_db,
    counts,
    ensure_bench_db,
)


@pytest.fixture(scope="session")
def bench_results() -> Iterator[Figures]:
    """The session's figures, merged into ``$BENCH_OUT`` at the end (keys from an earlier session
    that this one did not measure are kept; the ones it measured are replaced)."""
    figures: Figures = {}
    yield figures
    if not figures:
        return
    out = Path(os.environ.get("BENCH_OUT") or BENCH_DIR / "results.json")
    merged: dict[str, object] = {}
    if out.exists():
        try:
            merged = json.loads(out.read_text("utf-8"))
        except ValueError:
            merged = {}
    merged.update(figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")


@pytest.fixture(scope="session")
def bench_db(bench_results: Figures) -> Path:
    """The pristine 50k database, built on first use (about a minute) and reused while its schema
    revision and dataset tag match. Never opened for writing by a benchmark: they get copies."""
    path = ensure_bench_db(CACHE_PATH)
    households, persons = counts(path)
    bench_results["dataset_households"] = households
    bench_results["dataset_persons"] = persons
    assert households >= MIN_HOUSEHOLDS, f"{households} households in {path}"
    assert persons >= MIN_PERSONS, f"{persons} persons in {path}"
    return path


@pytest.fixture
def bench_data_dir(bench_db: Path, tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """Makes a data folder holding a copy of the 50k database as the ``bench`` worker's file, so
    ``gridworker --data-dir FOLDER --user bench`` opens it. The copies are deleted afterwards (each is
    a quarter of a gigabyte and pytest keeps the last runs' temporary folders)."""
    made: list[Path] = []

    def make() -> Path:
        folder = tmp_path / f"data{len(made)}"
        copy_db(bench_db, worker_db_path(BENCH_USER, folder))
        made.append(folder)
        return folder

    yield make
    for folder in made:
        shutil.rmtree(folder / "workers", ignore_errors=True)
