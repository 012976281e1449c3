"""A worker's laptop as a real process, for the kill -9 tests: record visits and sync, with
``GRIDWORKER_CRASH_AT`` naming where the process dies.

    python -m tests.helpers.sync_client DB SERVER_URL [--visits N] [--pull-limit N] [--sign-in USER]
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from sqlalchemy import select

from gridworker.store.db import Database
from gridworker.store.models import Household
from gridworker.store.services import LocalStore
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker_shared.domain.households import VisitInput


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("db", type=Path)
    p.add_argument("server")
    p.add_argument("--visits", type=int, default=0)
    p.add_argument("--pull-limit", type=int, default=1000)
    p.add_argument("--sign-in", default="")
    args = p.parse_args()
    db = Database(args.db)
    engine = SyncEngine(db, TokenStore(args.db.parent, use_keyring=False), pull_limit=args.pull_limit)
    if args.sign_in:
        engine.sign_in(args.server, args.sign_in, "demo1234")
    if args.visits:
        store = LocalStore(db, uuid.UUID(engine.meta()["worker_id"]))
        with db.reading() as s:
            ids = list(s.scalars(select(Household.id).order_by(Household.walk_key).limit(args.visits)))
        for hid in ids:
            store.record_visit(VisitInput(hid, "not_home", [], "", [], None))
    report = engine.sync()
    print(report)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
