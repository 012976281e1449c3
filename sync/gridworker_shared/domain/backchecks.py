"""Back-checks (电话回访抽查): the week's draw of visits a station or supervisor calls back.

Every week the server draws, for each worker of a street separately (one stratum per worker):

- every flagged visit (reason ``flagged``): a flag asks for a look, a call is the surest one;
- a random sample of the worker's other visits (reason ``sample``, or ``new_worker`` for a worker in
  their first ``new_worker_days``, whose rate is doubled): ``ceil(rate × visits)`` of them, at least
  ``backcheck_min`` (all of them when the worker has fewer).

The sample is unpredictable for the worker and reproducible for an audit: each visit's place in the
draw order is ``sha256(seed, visit id)``, and the seed is a secret drawn with :func:`new_seed` (128
random bits) and stored with the draw. Without the seed a worker cannot tell which visits will be
called; with it, anyone re-runs :func:`draw` and gets the same picks, whatever order the visits are
listed in. A visit drawn before is never drawn again, and a visit the server had not received by the
draw's cutoff is never drawn (the audit re-runs the draw over what was there then).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from gridworker_shared.domain.review import StreetSettings

Reason = Literal["flagged", "new_worker", "sample"]
REASONS: tuple[Reason, ...] = ("flagged", "new_worker", "sample")
RESULTS: tuple[str, ...] = ("confirmed", "denied", "unreachable")
# a result that closes the back-check: no later call changes it (unreachable may be called again)
FINAL_RESULTS: frozenset[str] = frozenset({"confirmed", "denied"})
# the version of the draw's rules, stored with each draw's parameters (an audit re-runs that one)
ALGORITHM = 1


def new_seed() -> str:
    """A draw's secret: 128 random bits as 32 hex digits (stored with the draw, shown to no worker)."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Candidate:
    """A visit the week's draw may pick: one the server had received by the draw's cutoff."""

    visit_id: uuid.UUID
    visit_no: int
    worker_id: uuid.UUID
    received_at: dt.datetime
    flagged: bool = False


@dataclass(frozen=True)
class Pick:
    visit_id: uuid.UUID
    visit_no: int
    worker_id: uuid.UUID
    reason: Reason


def is_new_worker(started: dt.date | None, week: dt.date, settings: StreetSettings) -> bool:
    """Whether a worker who started on ``started`` is in their first ``new_worker_days`` in the week
    beginning ``week`` (on its Monday already, or starting later: any day of the week counts)."""
    return started is not None and (week - started).days < settings.new_worker_days


def sample_size(visits: int, rate: float, minimum: int) -> int:
    """How many of a worker's ``visits`` the sample takes: ``ceil(rate × visits)``, at least ``minimum``,
    at most all of them. (Rounded to nine places first: 0.07 × 100 is 7.000000000000001 in floats.)"""
    wanted = max(minimum, math.ceil(round(rate * visits, 9)))
    return max(0, min(visits, wanted))


def draw_key(seed: str, visit_id: uuid.UUID) -> bytes:
    """A visit's place in the draw order: unpredictable without the seed, the same with it."""
    return hashlib.sha256(f"{seed}:{visit_id.hex}".encode()).digest()


def draw(
    seed: str,
    candidates: Iterable[Candidate],
    started: Mapping[uuid.UUID, dt.date | None],
    drawn_before: Iterable[uuid.UUID],
    settings: StreetSettings,
    *,
    week: dt.date,
    cutoff: dt.datetime,
) -> list[Pick]:
    """The week's back-checks, ordered by worker and visit number (see the module).

    ``candidates``: the week's visits; those received after ``cutoff`` and those in ``drawn_before``
    are left out (a visit listed twice counts once). ``started``: each worker's first day (a worker
    missing from it counts as an established one)."""
    before = set(drawn_before)
    strata: dict[uuid.UUID, dict[uuid.UUID, Candidate]] = {}
    for c in candidates:
        if c.visit_id in before or _aware(c.received_at) > _aware(cutoff):
            continue
        strata.setdefault(c.worker_id, {})[c.visit_id] = c
    picks: list[Pick] = []
    for worker, visits in strata.items():
        new = is_new_worker(started.get(worker), week, settings)
        rate = settings.backcheck_rate * (2 if new else 1)
        flagged = [c for c in visits.values() if c.flagged]
        others = sorted((c for c in visits.values() if not c.flagged), key=lambda c: draw_key(seed, c.visit_id))
        take = sample_size(len(visits), rate, settings.backcheck_min)
        reason: Reason = "new_worker" if new else "sample"
        picks.extend(Pick(c.visit_id, c.visit_no, worker, "flagged") for c in flagged)
        picks.extend(Pick(c.visit_id, c.visit_no, worker, reason) for c in others[:take])
    return sorted(picks, key=lambda p: (p.worker_id, p.visit_no, p.visit_id))


def draw_params(settings: StreetSettings, cutoff: dt.datetime, candidates: Iterable[Candidate]) -> dict[str, Any]:
    """What a draw stores besides its seed, for an audit: the rules and settings it ran with, its
    cutoff, the numbers of the visits that were flagged then (a flag may be raised on a visit later,
    when another visit implicates it: the audit takes the flags of the draw's time), and a digest of
    the visits it drew from (numbers, workers and flags), which tells an audit whether the visits it
    finds now are the ones the draw saw."""
    listed = list(candidates)
    return {
        "algorithm": ALGORITHM,
        "rate": settings.backcheck_rate,
        "min": settings.backcheck_min,
        "new_worker_days": settings.new_worker_days,
        "cutoff": _aware(cutoff).isoformat(),
        "candidates": len({c.visit_id for c in listed}),
        "flagged": sorted({c.visit_no for c in listed if c.flagged}),
        "digest": candidates_digest(listed),
    }


def as_flagged_then(candidates: Iterable[Candidate], params: Mapping[str, Any]) -> list[Candidate]:
    """The candidates with the flags they had when the draw was made (its stored ``flagged``)."""
    then = set(params.get("flagged") or [])
    return [replace(c, flagged=c.visit_no in then) for c in candidates]


def settings_of(params: Mapping[str, Any]) -> StreetSettings:
    """The settings a stored draw ran with."""
    return StreetSettings.from_dict(
        {
            "backcheck_rate": params.get("rate"),
            "backcheck_min": params.get("min"),
            "new_worker_days": params.get("new_worker_days"),
        }
    )


def candidates_digest(candidates: Iterable[Candidate]) -> str:
    """SHA-256 of the candidates' numbers, workers and flags, in number order (input order ignored)."""
    lines = sorted({(c.visit_no, c.worker_id.hex, int(c.flagged)) for c in candidates})
    text = "\n".join(f"{no} {worker} {flag}" for no, worker, flag in lines)
    return hashlib.sha256(text.encode()).hexdigest()


def failure_rate(results: Iterable[str]) -> float | None:
    """A worker's verification-failure rate: denied / (confirmed + denied); None before any of them
    (unreachable calls and back-checks not yet called do not count)."""
    confirmed = denied = 0
    for result in results:
        if result == "confirmed":
            confirmed += 1
        elif result == "denied":
            denied += 1
    checked = confirmed + denied
    return None if checked == 0 else denied / checked


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` is in."""
    return day - dt.timedelta(days=day.weekday())


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
