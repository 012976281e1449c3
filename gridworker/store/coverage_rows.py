"""What the coverage dashboard and the monthly report show (户户到, 人人见, overdue, review counts), as
plain dataclasses: no SQLAlchemy, no Qt. Read by gridworker.store.coverage_reads."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, fields

from gridworker_shared.domain.review import StreetSettings


@dataclass(frozen=True)
class Area:
    """A community (社区, a station's) or a street (街道, a supervisor's) holding grids."""

    id: uuid.UUID
    name: str
    kind: str  # "community" or "street"


@dataclass
class Tally:
    """A month's figures of a grid, a worker, a community or the area.

    ``households``/``residents`` are the grid's (a worker's: those of their grids): the whole grid, not
    only who was visited. A visit corrected by an amendment counts through the amendment only."""

    households: int = 0
    households_visited: int = 0  # 户户到: at least one visit in the month, met or not
    residents: int = 0  # active members
    residents_seen: int = 0  # 人人见: seen by at least one visit of the month
    overdue: int = 0  # no visit within the household's interval as of the month's end (or today)
    care_households: int = 0  # households with the street's care tag (独居老人)
    care_overdue: int = 0  # ... with no visit within the care interval
    visits: int = 0
    days_with_visits: int = 0  # of the area (and of a community's row when it is the area) only
    pending: int = 0  # the month's visits waiting for review (待审)
    approved: int = 0  # ... standing approved (通过)
    returned: int = 0  # ... a reviewer returned at least once (退回, also those corrected since)
    questioned: int = 0  # ... a reviewer questioned at least once (存疑)
    checks_drawn: int = 0  # back-checks drawn from the month's visits
    checks_done: int = 0  # ... called back (a result, or this laptop's result still to be sent)
    checks_denied: int = 0  # ... the resident said the visit did not happen (不属实)

    def add(self, other: Tally) -> None:
        """Adds another's counts; not ``days_with_visits`` (a day two grids had visits is one day)."""
        for f in fields(self):
            if f.name != "days_with_visits":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def coverage(self) -> float | None:
        """户户到 as a share, None for an area without households."""
        return self.households_visited / self.households if self.households else None

    @property
    def seen_share(self) -> float | None:
        """人人见 as a share, None without residents."""
        return self.residents_seen / self.residents if self.residents else None


@dataclass(frozen=True)
class GridFigures:
    id: uuid.UUID
    name: str
    community_id: uuid.UUID | None
    community: str
    tally: Tally


@dataclass(frozen=True)
class WorkerFigures:
    id: uuid.UUID
    name: str  # "" when this laptop has no card of the worker
    grids: tuple[str, ...]  # the names of their grids in the area
    tally: Tally
    # the latest time the server received one of the worker's visits (the app has no sync time of a
    # worker: shown as 最近上传, "latest upload"); None when none of their visits is here
    last_upload: dt.datetime | None  # UTC
    silent: bool  # nothing uploaded for longer than the street's silent_days (or ever)

    def per_day(self, days: int) -> float:
        return self.tally.visits / days if days else 0.0


@dataclass(frozen=True)
class MonthFigures:
    area: Area
    month: dt.date  # the first day of the month
    as_of: dt.date  # overdue is counted as of this day: the month's last, or today within the month
    days: int  # the month's days up to as_of (visits per day are over these)
    settings: StreetSettings
    grids: list[GridFigures]
    communities: list[GridFigures]  # a community's totals (as a row of the table)
    workers: list[WorkerFigures]
    total: Tally
    daily: list[tuple[dt.date, int]]  # every day of the month up to as_of and its visits

    @property
    def silent(self) -> list[WorkerFigures]:
        return [w for w in self.workers if w.silent]


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    households: int  # today's households and residents: the copy keeps no history of them
    households_visited: int
    residents: int
    residents_seen: int
    visits: int

    @property
    def coverage(self) -> float | None:
        return self.households_visited / self.households if self.households else None

    @property
    def seen_share(self) -> float | None:
        return self.residents_seen / self.residents if self.residents else None


@dataclass(frozen=True)
class Trend:
    """Twelve months ending with the month asked for, oldest first, of the area and of each grid."""

    months: list[dt.date]
    area: list[TrendPoint]
    grids: dict[uuid.UUID, list[TrendPoint]] = field(default_factory=dict)
    names: dict[uuid.UUID, str] = field(default_factory=dict)
