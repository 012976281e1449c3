"""The three parts stay apart: the app (gridworker), what app and server share (gridworker_shared: no Qt,
no SQLAlchemy) and the server (gridworker_server). Only the demo launcher (gridworker.demo) may start a
server in-process; the app's first screen does not load the write side."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "gridworker"
SHARED = ROOT / "sync" / "gridworker_shared"
SERVER = ROOT / "sync" / "gridworker_server"
DEMO_LAUNCHER = "gridworker.demo"


def loaded_after(imports: str) -> set[str]:
    code = f"import sys\n{imports}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT / "sync" if path.is_relative_to(ROOT / "sync") else ROOT).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (a lazy import is still an import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imports_of(folder: Path) -> dict[str, set[str]]:
    return {module_name(p): imported(p) for p in sorted(folder.rglob("*.py"))}


def offenders(folder: Path, forbidden: tuple[str, ...], allowed: str = "") -> list[str]:
    return sorted(
        f"{mod} imports {name}"
        for mod, names in imports_of(folder).items()
        if not (allowed and (mod == allowed or mod.startswith(allowed + ".")))
        for name in names
        if name.split(".")[0] in forbidden
    )


def test_the_server_never_imports_the_app() -> None:
    assert offenders(SERVER, ("gridworker",)) == []


def test_the_app_imports_the_server_only_in_the_demo_launcher() -> None:
    assert offenders(APP, ("gridworker_server",), allowed=DEMO_LAUNCHER) == []


def test_the_shared_part_imports_neither_side_nor_qt_nor_sqlalchemy() -> None:
    forbidden = ("gridworker", "gridworker_server", "PySide6", "shiboken6", "sqlalchemy", "alembic", "fastapi")
    assert offenders(SHARED, forbidden) == []


def test_the_layers_are_checked_on_real_files() -> None:
    """The checks above would pass on an empty tree: each part has its files, and the guard sees imports."""
    assert {"gridworker.app", "gridworker.demo.server"} <= set(imports_of(APP))
    assert "gridworker_shared.protocol" in imports_of(SHARED)
    assert "gridworker_server.app" in imports_of(SERVER)
    assert any(n.startswith("gridworker_server") for n in imports_of(APP)["gridworker.demo.server"])


def test_domain_store_and_protocol_import_no_qt() -> None:
    modules = tops(
        loaded_after(
            "import gridworker_shared.domain.validation, gridworker_shared.domain.search\n"
            "import gridworker_shared.domain.households, gridworker_shared.protocol\n"
            "import gridworker.store.services, gridworker.store.reads, gridworker.syncing.engine"
        )
    )
    assert "PySide6" not in modules and "shiboken6" not in modules


def test_the_sync_engine_loads_no_demo_and_no_server() -> None:
    modules = loaded_after("import gridworker.syncing.engine")
    assert "faker" not in tops(modules)
    assert not {m for m in modules if m.startswith(("gridworker.demo", "gridworker_server"))}


def test_the_app_starts_without_the_write_side() -> None:
    """SQLAlchemy, Alembic and pydantic load on the writer thread after the first screen."""
    modules = tops(loaded_after("import gridworker.app"))
    assert {"sqlalchemy", "alembic", "pydantic", "faker", "pypinyin", "gridworker_server"} & modules == set()


def test_tests_import_helpers_from_the_helpers_package_never_from_a_conftest() -> None:
    """Fixtures live in conftest files and plugins; plain helpers in tests/helpers (qutebrowser's layout)."""
    found = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "tests").rglob("*.py")
        for name in imported(path)
        if name.split(".")[-1] == "conftest"
    )
    assert found == []
