"""The report of an org-tree or user import: the file's issues and, per row, what it does or why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ImportReport", "RowReport"]


@dataclass
class RowReport:
    row: int  # the row number as the user sees it in Excel
    key: str  # the unit's code or the user's name
    action: str = ""  # "create", "update", "unchanged" (or "remove" for a unit); "" while in error
    changes: list[str] = field(default_factory=list)  # the fields an update changes
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"code", "message", "column"}

    def error(self, code: str, message: str, column: str = "") -> None:
        self.errors.append({"code": code, "message": message, "column": column})

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "key": self.key, "action": self.action, "changes": self.changes, "errors": self.errors}


@dataclass
class ImportReport:
    dry_run: bool
    file_errors: list[dict[str, Any]] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    applied: bool = False  # the changes were written (never on a dry run, never with an error)
    # user import: the initial passwords of the users created (given out once; never stored in clear)
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    def file_error(self, code: str, message: str, **params: Any) -> None:
        self.file_errors.append({"code": code, "message": message, "params": params})

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {"create": 0, "update": 0, "unchanged": 0, "remove": 0, "error": 0}
        for r in self.rows:
            out["error" if r.errors else r.action] = out.get("error" if r.errors else r.action, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "counts": self.counts(),
            "file_errors": self.file_errors,
            "rows": [r.to_dict() for r in self.rows],
        }

    def describe(self) -> str:
        """The report as lines for a terminal."""
        lines = [f"文件：{e['message']}" for e in self.file_errors]
        for r in self.rows:
            for e in r.errors:
                where = " ".join(x for x in (f"第{r.row}行", e["column"]) if x)
                lines.append(f"{where}（{r.key}）：{e['message']}")
            if not r.errors and r.action != "unchanged":
                extra = f"：{', '.join(r.changes)}" if r.changes else ""
                lines.append(f"第{r.row}行 {r.key}：{r.action}{extra}")
        c = self.counts()
        summary = f"{c['create']} create, {c['update']} update, {c['unchanged']} unchanged, {c['remove']} remove"
        if not self.ok:
            lines.append(f"{c['error']} rows in error: nothing was imported")
        elif self.dry_run:
            lines.append(f"dry run: {summary} (nothing written)")
        else:
            lines.append(f"imported: {summary}")
        return "\n".join(lines)
