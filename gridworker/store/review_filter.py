"""What a reviewer filters the visits of their area by: the review queue, its export and its counts
use this one filter, so what is exported is what the queue shows."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from gridworker_shared.domain.review import StreetSettings
from gridworker_shared.domain.review_flags import CARE_OVERDUE


@dataclass(frozen=True)
class ReviewFilter:
    """Empty fields filter nothing. Dates are the visit's local calendar days (inclusive), turned into
    UTC bounds by the caller's time zone; ``state`` one of gridworker_shared.domain.review.STATES;
    ``flag`` a flag code (gridworker_shared.domain.review_flags)."""

    community_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    worker_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outcome: str = ""
    state: str = ""
    flag: str = ""
    # the day care visits are overdue on (the care_overdue flag; None: today)
    today: dt.date | None = None

    def where(self, utc_offset: dt.timedelta, probe_flag: bool = False) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``review_visit AS v`` (stdlib sqlite3 named parameters; ids as the
        16-byte or hex form the app's store writes: see ``uuid_param``) and its parameters.

        ``probe_flag``: the flag as a probe of each visit (EXISTS) instead of the list of its visits
        (IN). The same rows either way; for a flag many visits carry, a page newest first then walks
        the time index and stops after a page (2 ms instead of 80 ms for one visit in 25 of 200,000),
        where the list would look up and sort every flagged visit. A count wants the list."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.grid_id is not None:
            parts.append("v.grid_id = :grid")
            params["grid"] = uuid_param(self.grid_id)
        elif self.community_id is not None:
            parts.append("v.grid_id IN (SELECT id FROM org_unit WHERE parent_id = :community)")
            params["community"] = uuid_param(self.community_id)
        if self.worker_id is not None:
            parts.append("v.worker_id = :worker")
            params["worker"] = uuid_param(self.worker_id)
        if self.date_from is not None:
            parts.append("v.visited_at >= :start")
            params["start"] = _utc_text(self.date_from, utc_offset)
        if self.date_to is not None:
            parts.append("v.visited_at < :end")
            params["end"] = _utc_text(self.date_to + dt.timedelta(days=1), utc_offset)
        if self.outcome:
            parts.append("v.outcome = :outcome")
            params["outcome"] = self.outcome
        if self.state:
            parts.append("v.state = :state")
            params["state"] = self.state
        if self.flag == CARE_OVERDUE:
            # a household's fact, not a visit's: the visits of the households it holds for today
            parts.append(_CARE_OVERDUE_SQL)
            params["today"] = (self.today or dt.date.today()).isoformat()
        elif self.flag and probe_flag:
            parts.append("EXISTS (SELECT 1 FROM review_flag AS f WHERE f.code = :flag AND f.visit_no = v.no)")
        elif self.flag:
            parts.append("v.no IN (SELECT visit_no FROM review_flag WHERE code = :flag)")
        if self.flag and self.flag != CARE_OVERDUE:
            params["flag"] = self.flag
        return (" AND ".join(parts) or "1"), params


# gridworker_shared.domain.review_flags.care_overdue in SQL: a household with the street's care tag
# whose last visit (met or attempted) is more than the street's care interval before today, or never
_STREET_SETTING = "(SELECT json_extract(settings, '$.{0}') FROM org_unit WHERE kind = 'street' LIMIT 1)"
_CARE_OVERDUE_SQL = f"""v.household_id IN (
    SELECT h.id FROM household AS h JOIN household_tag AS t ON t.household_id = h.id
    WHERE t.tag = coalesce({_STREET_SETTING.format("care_tag")}, '{StreetSettings.care_tag}')
      AND coalesce(max(coalesce(h.last_met_on, ''), coalesce(h.last_attempt_on, '')), '') < date(
          :today, '-' || coalesce({_STREET_SETTING.format("care_interval_days")}, {StreetSettings.care_interval_days})
          || ' days'))"""


def uuid_param(value: uuid.UUID) -> str:
    """A UUID as SQLAlchemy's Uuid type stores it in SQLite (32 hex characters, no dashes)."""
    return value.hex


def _utc_text(day: dt.date, utc_offset: dt.timedelta) -> str:
    """Local midnight of ``day`` in UTC, as SQLAlchemy's DateTime stores it in SQLite."""
    start = dt.datetime.combine(day, dt.time()) - utc_offset
    return start.strftime("%Y-%m-%d %H:%M:%S.%f")
