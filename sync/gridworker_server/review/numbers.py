"""The server's numbers for visits (``Visit.no``): what a street's copy names a visit by.

PostgreSQL takes them from the sequence ``visit_no_seq`` (migration 0009): concurrent pushes never
wait on each other for a number, and a rolled-back push leaves a gap, which is harmless. SQLite has
one writer at a time (every write transaction is ``BEGIN IMMEDIATE``): the largest number plus one.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, func, select, text
from sqlalchemy.orm import Session

from gridworker_server.driver import all_rows
from gridworker_server.models import Visit

# run through the driver (every push with visits takes numbers)
_NEXTVAL = text("SELECT nextval('visit_no_seq') AS no FROM generate_series(1, :n)").columns(no=BigInteger)


def allocate(s: Session, n: int) -> list[int]:
    """``n`` fresh visit numbers, ascending, inside the caller's write transaction."""
    if n <= 0:
        return []
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        return sorted(int(row.no) for row in all_rows(conn, _NEXTVAL, {"n": n}))
    top = conn.execute(select(func.coalesce(func.max(Visit.__table__.c.no), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + n + 1))


def number_rows(s: Session, rows: list[dict[str, object]]) -> None:
    """Give each visit row (a bulk insert's dict) its number, in the rows' order."""
    for row, no in zip(rows, allocate(s, len(rows)), strict=True):
        row["no"] = no
