"""The review of a visit: its states, what a reviewer may do in each, and the street's settings.

Review state is the server's (SYNC.md's ownership table, extended in the README): a reviewer's laptop
asks (``visit.review``), the server's state machine decides, in arrival order. Every review is kept as
an event, whether it changed the state or not; nothing is deleted.

    pending (待审) --approve--> approved (通过) --reopen (reason)--> pending
    pending --return (coded reason, comment, pinned fields)--> returned (退回修改)
    pending --question--> questioned (存疑) --approve / return--> ...
    returned --the worker's amendment--> amended (已修改; the amendment is a new visit, pending)
    any state --comment--> the same state

A visit that has been amended is *superseded*: a review that reaches the server after the amendment
(the two crossed offline) is kept as an event that changed nothing, and the reviewer is told that the
correction is waiting instead (code ``review_superseded``). An amendment that reaches the server after
an approval or a question is still accepted (a fact is a fact): the approved visit becomes amended and
the amendment is pending, so nothing a worker corrects goes unreviewed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from gridworker_shared.domain.codes import CARE_TAGS

State = Literal["pending", "approved", "returned", "questioned", "amended"]
Action = Literal["approve", "return", "question", "reopen", "comment"]

STATES: tuple[State, ...] = ("pending", "approved", "returned", "questioned", "amended")
# the states a reviewer acts on (amended is the system's: the correction is what is reviewed)
OPEN_STATES: frozenset[str] = frozenset({"pending", "questioned"})
ACTIONS: tuple[Action, ...] = ("approve", "return", "question", "reopen", "comment")

# a return's coded reason (信息不全, 人员不符, 时间地点存疑, 诉求未登记, 其他)
RETURN_REASONS: tuple[str, ...] = ("incomplete", "wrong_people", "time_place", "request_missing", "other")
# what a return may pin for the worker to correct: the visit form's parts
PINNABLE: tuple[str, ...] = ("visited_at", "outcome", "seen", "notes", "requests", "articles")
MAX_COMMENT = 500

# state -> action -> the state it leads to
_MOVES: dict[str, dict[str, str]] = {
    "pending": {"approve": "approved", "return": "returned", "question": "questioned", "comment": "pending"},
    "questioned": {"approve": "approved", "return": "returned", "comment": "questioned"},
    "approved": {"reopen": "pending", "comment": "approved"},
    "returned": {"comment": "returned"},
    "amended": {"comment": "amended"},
}

# the wire's one-letter state codes (a street's copy holds two years of visits)
STATE_CODES: dict[str, str] = {
    "pending": "",
    "approved": "a",
    "returned": "r",
    "questioned": "q",
    "amended": "m",
}
STATES_BY_CODE: dict[str, str] = {code: state for state, code in STATE_CODES.items()}


class ReviewError(ValueError):
    """A review the rules refuse; ``code`` is the server's stable code (translated by the app)."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def allowed(state: str) -> tuple[str, ...]:
    """The actions a reviewer may take on a visit in ``state``."""
    return tuple(_MOVES.get(state, {}))


def check_review(action: str, reason: str, comment: str, pins: list[str]) -> None:
    """What a review must carry, whatever the state: a return a coded reason (and a comment when the
    reason is 其他), a reopen a reason in its comment; pins only on a return, and only known fields."""
    if action not in ACTIONS:
        raise ReviewError("review_unknown_action", f"unknown review action {action!r}", action=action)
    if len(comment) > MAX_COMMENT:
        raise ReviewError(
            "review_comment_too_long", f"a comment holds at most {MAX_COMMENT} characters", limit=MAX_COMMENT
        )
    if action == "return":
        if reason not in RETURN_REASONS:
            raise ReviewError("review_reason_required", "a return needs one of the listed reasons")
        if reason == "other" and not comment.strip():
            raise ReviewError("review_comment_required", "a return for another reason needs a comment")
    elif reason:
        raise ReviewError("review_reason_not_allowed", "only a return carries a coded reason")
    if action in ("reopen", "comment") and not comment.strip():
        raise ReviewError("review_comment_required", "a reopen or a comment needs a text")
    if pins and action != "return":
        raise ReviewError("review_pins_not_allowed", "only a return pins fields to correct")
    unknown = [p for p in pins if p not in PINNABLE]
    if unknown or len(set(pins)) != len(pins):
        raise ReviewError("review_pins_unknown", "a pinned field is not one of the visit form's", fields=unknown)


def transition(state: str, action: str) -> str:
    """The state ``action`` leads to from ``state``; ReviewError when the state does not allow it
    (``review_superseded`` for a visit already corrected by an amendment)."""
    moves = _MOVES.get(state, {})
    if action in moves:
        return moves[action]
    if state == "amended":
        raise ReviewError("review_superseded", "the visit was corrected meanwhile; review the correction")
    raise ReviewError(
        "review_not_allowed", f"a visit in state {state!r} cannot be given {action!r}", state=state, action=action
    )


def after_amendment(state: str) -> str:
    """What an amendment does to the visit it corrects: whatever its state, it is superseded."""
    return "amended"


# --- the street's settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class StreetSettings:
    """Thresholds a street (街道) sets for its flags, back-checks and coverage goal. Kept on the
    street's org unit on the server and synced to its laptops; unknown keys are ignored and missing
    ones take these defaults, so a setting can be added without a migration."""

    # flags
    min_form_seconds: int = 30  # a visit form open for less than this
    rapid_minutes: int = 10  # households of different buildings within this many minutes ...
    rapid_households: int = 3  # ... at least this many of them
    late_entry_hours: int = 48  # recorded this long after the time it claims
    day_start_hour: int = 7  # visits outside day_start..day_end (local time of the visit)
    day_end_hour: int = 21
    utc_offset_minutes: int = 480  # the street's local time (China: UTC+8) for day_start..day_end
    same_notes_days: int = 30  # notes identical to another household's within this many days
    same_notes_min_chars: int = 8  # (short notes such as "正常" are not compared)
    not_home_streak: int = 3  # 不在家 this many times running
    care_tag: str = "elderly_alone"  # 独居老人 ...
    care_interval_days: int = 7  # ... visited at least this often
    # back-checks
    backcheck_rate: float = 0.05
    backcheck_min: int = 2
    new_worker_days: int = 60  # a worker this new gets double the rate
    # coverage
    coverage_goal: float = 0.9  # a grid below this share of households visited is shown red
    silent_days: int = 3  # a worker who has not synced for longer is listed
    # resident requests: days from 派单 to the deadline per category, over
    # gridworker_shared.domain.request_flow.DEFAULT_DEADLINE_DAYS
    deadline_days: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> StreetSettings:
        """Lenient (what a laptop or the server reads back): a value of the wrong type or out of its
        range is left at its default, so a damaged setting never stops a sync or a review."""
        values: dict[str, Any] = {}
        for key, value in (data if isinstance(data, dict) else {}).items():
            if key in _LIMITS and _problem(key, value) is None:
                values[key] = float(value) if isinstance(cls.__dataclass_fields__[key].default, float) else value
        return cls(**values)

    @classmethod
    def validated(cls, data: Any) -> StreetSettings:
        """Strict (what a supervisor sets): every key known, every value of its type and range;
        ReviewError ``settings_invalid`` naming the first wrong key otherwise."""
        if not isinstance(data, dict):
            raise ReviewError("settings_invalid", "the settings must be an object of named values", field="")
        for key, value in data.items():
            if key not in _LIMITS:
                raise ReviewError("settings_invalid", f"unknown setting {key!r}", field=str(key)[:64])
            problem = _problem(key, value)
            if problem is not None:
                raise ReviewError("settings_invalid", f"setting {key!r}: {problem}", field=key)
        st = cls.from_dict(data)
        if st.day_start_hour >= st.day_end_hour:
            raise ReviewError("settings_invalid", "the day must start before it ends", field="day_start_hour")
        return st

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# each setting's range (inclusive); a str setting lists its allowed values
_LIMITS: dict[str, tuple[float, float] | tuple[str, ...]] = {
    "min_form_seconds": (0, 3600),
    "rapid_minutes": (1, 240),
    "rapid_households": (2, 100),
    "late_entry_hours": (1, 24 * 60),
    "day_start_hour": (0, 23),
    "day_end_hour": (1, 24),
    "utc_offset_minutes": (-12 * 60, 14 * 60),
    "same_notes_days": (1, 365),
    "same_notes_min_chars": (1, 500),
    "not_home_streak": (2, 20),
    "care_tag": tuple(t.code for t in CARE_TAGS),
    "care_interval_days": (1, 365),
    "backcheck_rate": (0.0, 1.0),
    "backcheck_min": (0, 100),
    "new_worker_days": (0, 365),
    "coverage_goal": (0.0, 1.0),
    "silent_days": (1, 365),
    "deadline_days": (1, 365),  # each category's days (a dict of category: days)
}


def _problem(key: str, value: Any) -> str | None:
    """What is wrong with ``value`` for the setting ``key`` (None: nothing)."""
    limits = _LIMITS[key]
    if key == "deadline_days":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and type(v) is int and 1 <= v <= 365 for k, v in value.items()
        ):
            return "an object of category: days between 1 and 365"
        return None
    if isinstance(limits[0], str):
        return None if isinstance(value, str) and value in limits else "not one of the allowed values"
    is_float = isinstance(StreetSettings.__dataclass_fields__[key].default, float)
    if isinstance(value, bool) or not isinstance(value, int | float) or (isinstance(value, float) and not is_float):
        return "a number is needed" if is_float else "a whole number is needed"
    low, high = float(limits[0]), float(limits[1])
    if not low <= value <= high:  # NaN compares false: refused too
        return f"between {limits[0]} and {limits[1]}"
    return None


# every code a review or a street's settings can be refused with (the app holds a text for each)
REVIEW_CODES: tuple[str, ...] = (
    "review_unknown_action",
    "review_comment_too_long",
    "review_reason_required",
    "review_comment_required",
    "review_reason_not_allowed",
    "review_pins_not_allowed",
    "review_pins_unknown",
    "review_not_allowed",
    "review_superseded",
    "settings_invalid",
)
