"""The worker's returned visits (退回修改): the visits a reviewer sent back that this laptop has not
corrected yet, newest first. Used by gridworker.store.reads; stdlib only, like it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid

from gridworker.store.rows import ReturnedVisitRow

RETURNED_SQL = """
SELECT v.id, v.household_id, v.visited_at, v.outcome, v.review_reason, v.review_comment, v.review_pins,
       h.compound, h.building, h.unit, h.room, h.head_name
FROM visit v JOIN household h ON h.id = v.household_id
WHERE v.review_state = 'returned' AND NOT EXISTS (SELECT 1 FROM visit a WHERE a.amends_id = v.id)
ORDER BY v.visited_at DESC
"""


def pins(value: str | None) -> tuple[str, ...]:
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return ()
    return tuple(p for p in loaded if isinstance(p, str)) if isinstance(loaded, list) else ()


def returned_visits(con: sqlite3.Connection, household_id: uuid.UUID | None = None) -> list[ReturnedVisitRow]:
    sql, params = RETURNED_SQL, tuple[str, ...]()
    if household_id is not None:
        sql = sql.replace("ORDER BY", "AND v.household_id = ? ORDER BY")
        params = (household_id.hex,)
    out = []
    for r in con.execute(sql, params).fetchall():
        where = "-".join(p for p in (r["building"], r["unit"], r["room"]) if p)
        out.append(
            ReturnedVisitRow(
                uuid.UUID(hex=r["id"]),
                uuid.UUID(hex=r["household_id"]),
                f"{r['compound']} {where} {r['head_name']}".strip(),
                dt.datetime.fromisoformat(r["visited_at"]),
                r["outcome"],
                r["review_reason"] or "",
                r["review_comment"] or "",
                pins(r["review_pins"]),
            )
        )
    return out
