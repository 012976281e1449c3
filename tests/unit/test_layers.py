"""The domain and the store run without Qt (the server, the CLI and the benchmarks drive them), and
the app's first screen does not load the write side."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(imports: str) -> set[str]:
    code = f"import sys\n{imports}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return {m.split(".")[0] for m in out.stdout.split()}


def test_domain_store_and_protocol_import_no_qt() -> None:
    modules = loaded_after(
        "import gridworker.domain.validation, gridworker.domain.search, gridworker.domain.households\n"
        "import gridworker.store.services, gridworker.store.reads, gridworker.store.seed\n"
        "import sync.protocol, sync.demo"
    )
    assert "PySide6" not in modules and "shiboken6" not in modules


def test_the_app_starts_without_the_write_side() -> None:
    """SQLAlchemy, Alembic and pydantic load on the writer thread after the first screen."""
    modules = loaded_after("import gridworker.app")
    assert {"sqlalchemy", "alembic", "pydantic", "faker", "pypinyin"} & modules == set()
