"""A step's effect on a request's flow columns, as a pure function over a dict of them: the push, the
city feed and the demo city's history all go through it, so the columns always follow the same rules
(gridworker_shared.domain.request_flow decides the status; this module the clock and the counts)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from gridworker_shared.domain import request_flow as rf

# the columns a step may change (ResidentRequest's)
FLOW_COLUMNS = (
    "status",
    "status_note",
    "department_id",
    "dispatched_at",
    "deadline_at",
    "closed_at",
    "archived_at",
    "on_spot",
    "bounces",
    "reopens",
    "failed_callbacks",
    "resolved",
    "satisfaction",
    "merged_into_id",
)


@dataclass(frozen=True)
class Step:
    """A step with what it carries (protocol.RequestStep's extras, or the city platform's)."""

    step: str
    note: str = ""
    department_id: uuid.UUID | None = None
    merge_into: uuid.UUID | None = None
    reason: str = ""
    whose: str = ""
    resolved: bool | None = None
    satisfaction: str = ""
    days: int | None = None

    def extras(self) -> dict[str, Any]:
        """What the event keeps besides its note (JSON)."""
        out: dict[str, Any] = {}
        if self.department_id is not None:
            out["department_id"] = str(self.department_id)
        if self.merge_into is not None:
            out["merge_into"] = str(self.merge_into)
        for key in ("reason", "whose", "satisfaction"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.resolved is not None:
            out["resolved"] = self.resolved
        if self.days is not None:
            out["days"] = self.days
        return out


def check(step: Step, status: str, role: str) -> None:
    """The shared rules (FlowError with the server's code)."""
    rf.check_step(
        step.step,
        status,
        role,
        note=step.note,
        reason=step.reason,
        satisfaction=step.satisfaction,
        resolved=step.resolved,
        days=step.days,
    )
    if step.step in ("dispatch", "reassign") and step.department_id is None:
        raise rf.FlowError("request_department_required", "name the department to dispatch to")
    if step.step == "merge" and step.merge_into is None:
        raise rf.FlowError("request_merge_target", "name the earlier request it duplicates")


def advance(
    row: dict[str, Any], category: str, step: Step, now: dt.datetime, deadline_days: dict[str, int] | None = None
) -> dict[str, Any]:
    """The flow columns after ``step`` (checked first), from ``row``'s; only the changed ones."""
    status = rf.status_of(row["status"])
    new = rf.after_step(
        step.step,
        status,
        resolved=step.resolved,
        satisfaction=step.satisfaction,
        on_spot=bool(row.get("on_spot")),
        failed_callbacks=int(row.get("failed_callbacks") or 0),
    )
    out: dict[str, Any] = {"status": new}
    if step.note.strip():
        out["status_note"] = step.note.strip()
    kind = step.step
    if kind in ("dispatch", "reassign"):
        due = rf.deadline(now, category, deadline_days)
        out.update(department_id=step.department_id, dispatched_at=now, deadline_at=due)
    elif kind == "bounce":
        out.update(bounces=int(row.get("bounces") or 0) + 1, department_id=None, dispatched_at=None, deadline_at=None)
    elif kind in ("close", "on_spot"):
        out.update(closed_at=now, on_spot=kind == "on_spot")
    elif kind == "callback":
        out.update(resolved=step.resolved, satisfaction=step.satisfaction)
        if new == "archived":
            out["archived_at"] = now
        else:  # 重办: again to the same department with a new deadline (an 即办 back to the station)
            out.update(reopens=int(row.get("reopens") or 0) + 1, closed_at=None, failed_callbacks=0)
            if new == "dispatched":
                out.update(dispatched_at=now, deadline_at=rf.deadline(now, category, deadline_days))
            else:
                out["on_spot"] = False
    elif kind == "callback_failed":
        out["failed_callbacks"] = int(row.get("failed_callbacks") or 0) + 1
        if new == "archived":
            out["archived_at"] = now
    elif kind == "extend":
        current = row.get("deadline_at")
        out["deadline_at"] = (current or now) + dt.timedelta(days=step.days or 0)
    elif kind == "merge":
        out["merged_into_id"] = step.merge_into
    return out
