"""No big rooms: no module over 600 lines and no function or method over 100 lines (from its ``def`` to its
last line) in the app, the shared part and the server. Migrations and the declarative table modules are
aside: they are long lists, not logic."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = (ROOT / "gridworker", ROOT / "sync")
ASIDE = {"gridworker/store/models.py", "sync/gridworker_server/models.py"}
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def measured() -> list[Path]:
    return [
        path
        for folder in FOLDERS
        for path in sorted(folder.rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts and path.relative_to(ROOT).as_posix() not in ASIDE
    ]


def too_long_module(path: Path, text: str) -> list[str]:
    lines = len(text.splitlines())
    return [f"{path.relative_to(ROOT).as_posix()}: {lines} lines"] if lines > MAX_MODULE_LINES else []


def too_long_functions(path: Path, text: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {node.name}: {lines} lines")
    return found


def test_no_module_over_600_lines() -> None:
    assert [v for p in measured() for v in too_long_module(p, p.read_text(encoding="utf-8"))] == []


def test_no_function_over_100_lines() -> None:
    assert [v for p in measured() for v in too_long_functions(p, p.read_text(encoding="utf-8"))] == []


def test_the_guard_measures_real_files() -> None:
    """The checks above would pass on no files: they see the app, the shared part and the server, leave the
    migrations and the table modules aside, and find a long function and a long module when there is one."""
    names = {p.relative_to(ROOT).as_posix() for p in measured()}
    assert {"gridworker/app.py", "sync/gridworker_shared/protocol.py", "sync/gridworker_server/cli.py"} <= names
    assert not any("migrations" in n for n in names) and not names & ASIDE

    def function(indent: str, body_lines: int) -> str:
        return f"{indent}def f() -> None:\n" + "".join(f"{indent}    x{i} = {i}\n" for i in range(body_lines))

    long_method = "class C:\n" + function("    ", MAX_FUNCTION_LINES)
    assert too_long_functions(ROOT / "x.py", long_method) == ["x.py:2 f: 101 lines"]
    assert too_long_functions(ROOT / "x.py", function("", MAX_FUNCTION_LINES - 1)) == []
    assert too_long_module(ROOT / "x.py", "\n" * MAX_MODULE_LINES) == []
    assert too_long_module(ROOT / "x.py", "\n" * (MAX_MODULE_LINES + 1)) == ["x.py: 601 lines"]
