"""Run one visit save in a fresh process, so a crash point can kill it (SIGKILL) mid-write.

usage: python -m tests.helpers.crash_write DB WORKER_ID HOUSEHOLD_ID PERSON_ID
The crash point comes from GRIDWORKER_CRASH_AT in the environment.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from gridworker.store.db import Database
from gridworker.store.services import LocalStore
from gridworker_shared.domain.households import RequestInput, VisitInput


def main() -> int:
    db_path, worker, household, person = sys.argv[1:5]
    store = LocalStore(Database(Path(db_path)), uuid.UUID(worker))
    visit = VisitInput(
        uuid.UUID(household),
        "met",
        seen=[uuid.UUID(person)],
        notes="断电前的走访",
        requests=[RequestInput("dumped_rubbish", "normal", "绿化带垃圾")],
    )
    store.record_visit(visit)
    print("saved", visit.id, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
