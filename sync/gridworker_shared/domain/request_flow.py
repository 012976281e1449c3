"""A resident's request from the doorstep to closure, on the pattern residents know from 12345:
登记 → 受理 (or 即办) → 派单 → 签收 / 退单 → 处置 → 办结 → 回访 → 归档, with 重办 and 督办.

Status belongs to the server (SYNC.md): every step is a command (``request.step``) that the server's
state machine applies in arrival order and keeps as an event; nothing is overwritten. This module is
the one home of the rules: which step may follow which status, who may take it, what it must carry,
and the deadlines and rates derived from the events.

    submitted (登记) --accept--> accepted (受理)
    submitted | accepted --on_spot (what was done)--> closed (即办: closed without a department)
    submitted | accepted --merge (into an earlier request)--> merged
    submitted | accepted --dispatch (department)--> dispatched (派单: the clock starts here)
    dispatched --sign--> signed (签收)
    dispatched | signed --bounce (reason, whose)--> accepted (退单; bounced twice: flagged)
    signed --progress (note)--> signed (处置)
    signed --close (what was done)--> closed (办结)
    closed --callback (resolved, satisfaction)--> archived (归档) when resolved and 满意/基本满意,
           else dispatched again to the same department (重办; an 即办 goes back to accepted)
    closed --callback_failed--> closed; the third failure archives it (unreachable)
    dispatched | signed --extend (reason, days)--> the same, a later deadline (督办)
    dispatched | signed --reassign (department, reason)--> dispatched to another department
    submitted | accepted --cancel--> cancelled
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

Status = Literal["submitted", "accepted", "dispatched", "signed", "closed", "archived", "merged", "cancelled"]
STATUSES: tuple[Status, ...] = (
    "submitted",
    "accepted",
    "dispatched",
    "signed",
    "closed",
    "archived",
    "merged",
    "cancelled",
)
# statuses an earlier protocol used, as this flow reads them (the server's migration moves them)
LEGACY_STATUSES = {
    "assigned": "dispatched",
    "in_progress": "signed",
    "resolved": "closed",
    "closed": "archived",
    "rejected": "cancelled",
}
OPEN_STATUSES = frozenset({"submitted", "accepted", "dispatched", "signed"})
# the clock runs (an order past its deadline is overdue)
RUNNING = frozenset({"dispatched", "signed"})

Step = Literal[
    "accept",
    "on_spot",
    "merge",
    "dispatch",
    "sign",
    "bounce",
    "progress",
    "close",
    "callback",
    "callback_failed",
    "extend",
    "reassign",
    "cancel",
]
STEPS: tuple[Step, ...] = (
    "accept",
    "on_spot",
    "merge",
    "dispatch",
    "sign",
    "bounce",
    "progress",
    "close",
    "callback",
    "callback_failed",
    "extend",
    "reassign",
    "cancel",
)

# step -> the statuses it may follow
FROM: dict[str, frozenset[str]] = {
    "accept": frozenset({"submitted"}),
    "on_spot": frozenset({"submitted", "accepted"}),
    "merge": frozenset({"submitted", "accepted"}),
    "dispatch": frozenset({"submitted", "accepted"}),
    "sign": frozenset({"dispatched"}),
    "bounce": frozenset({"dispatched", "signed"}),
    "progress": frozenset({"signed"}),
    "close": frozenset({"signed"}),
    "callback": frozenset({"closed"}),
    "callback_failed": frozenset({"closed"}),
    "extend": frozenset({"dispatched", "signed"}),
    "reassign": frozenset({"dispatched", "signed"}),
    "cancel": frozenset({"submitted", "accepted"}),
}

# who may take a step: worker (of the request's grid), station (of its community), supervisor (of
# its street), department (the order's department), platform (the city platform's API key, for the
# department steps it relays), admin
WHO: dict[str, frozenset[str]] = {
    "accept": frozenset({"station", "supervisor", "admin"}),
    "on_spot": frozenset({"worker", "station", "admin"}),
    "merge": frozenset({"worker", "station", "supervisor", "admin"}),
    "dispatch": frozenset({"station", "supervisor", "admin"}),
    "sign": frozenset({"department", "platform", "admin"}),
    "bounce": frozenset({"department", "platform", "admin"}),
    "progress": frozenset({"department", "platform", "admin"}),
    "close": frozenset({"department", "platform", "admin"}),
    "callback": frozenset({"worker", "station", "supervisor", "admin"}),
    "callback_failed": frozenset({"worker", "station", "supervisor", "admin"}),
    "extend": frozenset({"supervisor", "admin"}),
    "reassign": frozenset({"station", "supervisor", "admin"}),
    "cancel": frozenset({"worker", "station", "admin"}),
}

BOUNCE_REASONS: tuple[str, ...] = ("not_ours", "outside_area")
SATISFACTIONS: tuple[str, ...] = ("satisfied", "basic", "dissatisfied")
CALLBACK_ATTEMPTS = 3  # failed call-backs before a closed request is archived as unreachable
BOUNCES_FLAGGED = 2  # a request bounced this often is flagged to the supervisor
MAX_NOTE = 500

# days from 派单 to the deadline, per category; a street may change them (StreetSettings.deadline_days)
DEFAULT_DEADLINE_DAYS: dict[str, int] = {
    "fire_lane_blocked": 2,
    "flying_wire_charging": 3,
    "disorderly_parking": 3,
    "dumped_rubbish": 3,
    "illegal_construction": 21,
    "policy_question": 5,
    "errand_service": 5,
    "other": 7,
}

# department kinds (an org unit of kind "department" names one in ``code``'s prefix is not required;
# these are the labels offered when a street adds departments)
DEPARTMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("urban_management", QT_TRANSLATE_NOOP("codes", "Urban management")),  # 城管执法
    ("housing", QT_TRANSLATE_NOOP("codes", "Housing and construction")),  # 住建
    ("fire", QT_TRANSLATE_NOOP("codes", "Fire and rescue")),  # 消防救援
    ("police", QT_TRANSLATE_NOOP("codes", "Police station")),  # 公安派出所
    ("property", QT_TRANSLATE_NOOP("codes", "Property management company")),  # 物业服务企业
    ("market", QT_TRANSLATE_NOOP("codes", "Market regulation")),  # 市场监管
    ("civil_affairs", QT_TRANSLATE_NOOP("codes", "Civil affairs")),  # 民政
    ("power", QT_TRANSLATE_NOOP("codes", "Power supply")),  # 供电
    ("community", QT_TRANSLATE_NOOP("codes", "The community itself")),  # 社区
)


class FlowError(ValueError):
    """A step the rules refuse; ``code`` is the server's stable code (translated by the app)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def status_of(stored: str) -> str:
    """A stored status in this flow's terms (an older row's status read through LEGACY_STATUSES)."""
    return stored if stored in STATUSES else LEGACY_STATUSES.get(stored, stored)


def check_step(
    step: str,
    status: str,
    role: str,
    *,
    note: str = "",
    reason: str = "",
    satisfaction: str = "",
    resolved: bool | None = None,
    days: int | None = None,
) -> None:
    """Whether ``role`` may take ``step`` on a request in ``status`` with what it carries; raises
    FlowError with the code the server answers. The target (department, merged-into request) is the
    caller's to check: it needs the database."""
    if step not in FROM:
        raise FlowError("request_unknown_step", f"unknown step {step!r}", step=step)
    if role not in WHO[step]:
        raise FlowError("request_step_forbidden", f"a {role} cannot {step} a request", step=step, role=role)
    current = status_of(status)
    if current not in FROM[step]:
        raise FlowError(
            "request_step_not_allowed", f"a {current} request cannot be given {step!r}", status=current, step=step
        )
    if len(note) > MAX_NOTE:
        raise FlowError("request_note_too_long", f"a note holds at most {MAX_NOTE} characters", limit=MAX_NOTE)
    if step in ("on_spot", "close", "progress", "extend", "reassign") and not note.strip():
        raise FlowError("request_note_required", "this step needs a note saying what was done or why", step=step)
    if step == "bounce" and reason not in BOUNCE_REASONS:
        raise FlowError("request_bounce_reason", "a bounce needs its reason (not ours, outside our area)")
    if step == "callback" and (resolved is None or satisfaction not in SATISFACTIONS):
        raise FlowError("request_callback_answers", "a call-back needs both answers: resolved, and satisfied")
    if step == "extend" and (days is None or not 1 <= days <= 365):
        raise FlowError("request_extend_days", "an extension is 1 to 365 days")


def after_step(
    step: str,
    status: str,
    *,
    resolved: bool | None = None,
    satisfaction: str = "",
    on_spot: bool = False,
    failed_callbacks: int = 0,
) -> str:
    """The status ``step`` leads to (check_step first). ``failed_callbacks``: the failures before this
    one; ``on_spot``: the request was closed 即办 (a 重办 then goes back to the station)."""
    current = status_of(status)
    if step == "accept":
        return "accepted"
    if step == "on_spot":
        return "closed"
    if step == "merge":
        return "merged"
    if step in ("dispatch", "reassign"):
        return "dispatched"
    if step == "sign":
        return "signed"
    if step == "bounce":
        return "accepted"
    if step == "close":
        return "closed"
    if step == "callback":
        if resolved and satisfaction in ("satisfied", "basic"):
            return "archived"
        return "accepted" if on_spot else "dispatched"
    if step == "callback_failed":
        return "archived" if failed_callbacks + 1 >= CALLBACK_ATTEMPTS else "closed"
    if step == "cancel":
        return "cancelled"
    return current  # progress, extend


def deadline(dispatched_at: dt.datetime, category: str, deadline_days: dict[str, int] | None = None) -> dt.datetime:
    """When a request dispatched at ``dispatched_at`` is due: the street's days for its category, else
    the defaults, else the "other" category's."""
    table = {**DEFAULT_DEADLINE_DAYS, **(deadline_days or {})}
    return dispatched_at + dt.timedelta(days=table.get(category, table["other"]))


def overdue(status: str, deadline_at: dt.datetime | None, now: dt.datetime) -> bool:
    return status_of(status) in RUNNING and deadline_at is not None and now > deadline_at
