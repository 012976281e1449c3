"""``gridworker-server``: run and administer the sync server.

The database is one setting: ``--database URL`` or ``GRIDWORKER_DATABASE_URL`` (default: a SQLite file in
the platform's data folder). ``serve --workers N`` runs N processes over one PostgreSQL database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from gridworker_server import admin, guide, logconf
from gridworker_server.auth import ROLES, Principal
from gridworker_server.changes import TOMBSTONE_DAYS, purge_tombstones
from gridworker_server.config import ENV_URL, database_url
from gridworker_server.db import Database
from gridworker_server.errors import ApiError
from gridworker_server.flow import cli as flow_cli
from gridworker_server.guide_files import starter_guide_path
from gridworker_server.models import Backcheck, BackcheckDraw, OrgUnit, utcnow

OPERATOR = Principal(uuid.UUID(int=0), "(operator)", "admin", None, uuid.UUID(int=0))


def _backcheck_commands(sub: Any) -> None:
    bc = sub.add_parser("backchecks", help="the weekly back-checks (call-backs): draw a week, audit the draws")
    bcs = bc.add_subparsers(dest="backchecks", required=True)
    for name, text in (
        ("draw", "draw a week's back-checks (a week drawn before is left as it is)"),
        ("audit", "draw the stored draws again from their seeds and compare (exit 1 on a difference)"),
    ):
        one = bcs.add_parser(name, help=text)
        one.add_argument("--street", help="street code (default: every street)")
        one.add_argument(
            "--week", type=dt.date.fromisoformat, help="a day of the week, YYYY-MM-DD (draw: default the last week)"
        )


def _import_commands(sub: Any) -> None:
    """The imports: a grid's roster, the org tree, users."""
    imp = sub.add_parser("import-roster", help="import a household roster (.xlsx or .csv) into a grid")
    imp.add_argument("file", type=Path)
    imp.add_argument("--grid", required=True, help="grid code")
    imp.add_argument("--dry-run", action="store_true", help="report what would be imported, change nothing")
    imp.add_argument(
        "--allow-partial", action="store_true", help="import the valid households even if some rows are invalid"
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    io_ = sub.add_parser(
        "import-orgs", help="import the org tree (city to micro-grid, by statistical code) from .xlsx or .csv"
    )
    io_.add_argument("file", type=Path)
    io_.add_argument("--dry-run", action="store_true", help="report per row what would change, change nothing")
    io_.add_argument("--json", action="store_true", help="print the report as JSON")
    iu = sub.add_parser("import-users", help="import users (initial passwords: changed at first sign-in)")
    iu.add_argument("file", type=Path)
    iu.add_argument("--dry-run", action="store_true", help="report per row what would change, change nothing")
    iu.add_argument("--json", action="store_true", help="the report as JSON (passwords in it unless --passwords-out)")
    iu.add_argument(
        "--passwords-out",
        type=Path,
        help="write the new users' initial passwords to this new file (mode 0600) instead of printing them",
    )


def _trail_command(sub: Any) -> None:
    """The access trail (issue 14): who revealed, exported or printed residents' personal data."""
    at = sub.add_parser("access-trail", help="who revealed, exported or printed residents' personal data")
    at.add_argument("--since", type=_when, help="from this day or time (YYYY-MM-DD[THH:MM], China time)")
    at.add_argument("--until", type=_when, help="before this day or time")
    at.add_argument("--user", default="", help="a username")
    at.add_argument("--household", type=uuid.UUID, help="a household id")
    at.add_argument("--action", choices=("reveal", "export", "print"), default="")
    at.add_argument("--json", action="store_true", help="one JSON object a line")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gridworker-server", description=__doc__.splitlines()[0])
    p.add_argument("--database", help=f"SQLAlchemy URL (default: ${ENV_URL}, else a SQLite file)")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="create or upgrade the database schema")
    serve = sub.add_parser("serve", help="run the HTTP server (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL for more than one)")
    serve.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema at start")

    u = sub.add_parser("create-user", help="add a user (the password is read from the terminal or stdin)")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=ROLES)
    u.add_argument("--org", help="org unit code (grid, community, street ...)")
    u.add_argument("--name", default="")
    u.add_argument("--phone", default="")
    u.add_argument("--password-stdin", action="store_true")
    d = sub.add_parser("deactivate-user", help="the user's devices stop syncing on their next request")
    d.add_argument("username")
    a = sub.add_parser("assign-grid", help="make a worker the grid's worker (the previous one loses it)")
    a.add_argument("grid_code")
    a.add_argument("username")
    r = sub.add_parser("revoke-device", help="a lost laptop: its token fails on its next request")
    r.add_argument("device_id", type=uuid.UUID)
    r.add_argument(
        "--wipe",
        choices=("lost", "handover"),
        default="",
        help="lost: the laptop removes its data when it next reaches the server; handover: it sends what is "
        "unsent, then removes its data (default: it signs in again and keeps its data)",
    )
    lst = sub.add_parser("devices", help="a user's devices")
    lst.add_argument("username")

    _import_commands(sub)

    seed = sub.add_parser("seed-demo", help="load the demo city (users' password: demo1234)")
    seed.add_argument("--today", type=dt.date.fromisoformat, default=None)
    seed.add_argument("--grids-per-community", type=int, default=3)
    seed.add_argument("--households", type=int, default=0, help="households per grid (default: 150 to 500)")

    bk = sub.add_parser("backup", help="copy the database while serving (SQLite backup API, or pg_dump)")
    bk.add_argument("dest", type=Path, help="a new file")
    sub.add_parser("new-epoch", help="after restoring the database from a backup: clients resync")
    purge = sub.add_parser("purge-tombstones", help="drop removals older than the window")
    purge.add_argument("--days", type=int, default=TOMBSTONE_DAYS)

    he = sub.add_parser("household-edit", help="edit household fields: phone=... notes=... tags=a,b")
    he.add_argument("household_id", type=uuid.UUID)
    he.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    hm = sub.add_parser("household-move", help="reassign a household to another grid")
    hm.add_argument("household_id", type=uuid.UUID)
    hm.add_argument("grid_code")
    hr = sub.add_parser("household-remove", help="remove a household (laptops drop it)")
    hr.add_argument("household_id", type=uuid.UUID)
    rt = sub.add_parser("request-transition", help="move a resident request to its next status")
    rt.add_argument("request_id", type=uuid.UUID)
    rt.add_argument("to")
    rt.add_argument("--note", default="")
    pg = sub.add_parser(
        "publish-guide",
        help="publish a folder of policy-guide articles (Markdown with front matter); nothing is published "
        "while any file has an issue",
    )
    pg.add_argument("folder", type=Path, nargs="?", help="default: the starter guide shipped with Gridworker")
    pg.add_argument("--withdraw-missing", action="store_true", help="withdraw published articles not in the folder")
    pg.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    pg.add_argument("--json", action="store_true")
    _backcheck_commands(sub)
    _trail_command(sub)
    wa = sub.add_parser("withdraw-article", help="withdraw policy-guide articles (they leave every laptop)")
    wa.add_argument("slugs", nargs="+")
    flow_cli.add_commands(sub)  # departments, the city platform's API keys
    return p


def _when(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _field(text: str) -> tuple[str, Any]:
    name, _, value = text.partition("=")
    if name == "tags":
        return name, [t for t in value.split(",") if t]
    if name == "visit_interval_days":
        return name, int(value) if value else None
    return name, value


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = database_url(args.database)
    if args.command == "serve":
        return _serve(url, args)
    if args.command == "backup":
        return _backup(url, args)
    db = Database(url, pool_size=2)
    try:
        return _run(db, args)
    except ApiError as exc:
        print(f"gridworker-server: {exc.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _run(db: Database, args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "migrate":
        db.migrate()
        print(f"database ready, epoch {db.epoch()}")
        return 0
    db.migrate()
    if cmd in flow_cli.COMMANDS:
        return flow_cli.run(db, args)
    if cmd == "create-user":
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
        with db.write() as s:
            user = admin.create_user(s, args.username, args.name, args.role, args.org, password, args.phone)
            print(f"created {user.role} {user.username} ({user.id})")
    elif cmd == "deactivate-user":
        with db.write() as s:
            admin.deactivate_user(s, args.username)
        print(f"deactivated {args.username}")
    elif cmd == "assign-grid":
        with db.write() as s:
            admin.assign_grid(s, args.grid_code, args.username)
        print(f"grid {args.grid_code} -> {args.username}")
    elif cmd == "revoke-device":
        with db.write() as s:
            admin.revoke_device(s, args.device_id, args.wipe)
        print(f"revoked {args.device_id}" + (f" (wipe: {args.wipe})" if args.wipe else ""))
    elif cmd == "devices":
        with db.read() as s:
            for d in admin.list_devices(s, args.username):
                state = "revoked" if d.revoked_at else "active"
                wipe = f"  wipe {d.wipe}" if d.wipe else ""
                if d.wipe and d.wipe_confirmed_at:
                    wipe += f" (wiped {d.wipe_confirmed_at:%Y-%m-%d %H:%M})"
                elif d.wipe:
                    wipe += " (not yet wiped)"
                print(
                    f"{d.id}  {state:8}  seq {d.last_seq:<6} last seen {d.last_seen_at:%Y-%m-%d %H:%M}  {d.name}{wipe}"
                )
    elif cmd == "import-roster":
        return _import(db, args)
    elif cmd in ("import-orgs", "import-users"):
        from gridworker_server.orgs.cli import run_import

        return run_import(db, OPERATOR, args)
    elif cmd == "seed-demo":
        from gridworker_server.demo_city import generate_city

        sizes = (args.households, args.households) if args.households > 0 else (150, 500)
        city = generate_city(today=args.today, grids_per_community=args.grids_per_community, households_per_grid=sizes)
        with db.write() as s:
            counts = admin.seed_demo(s, city)
        print("demo city loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        print(f"sign in as demo / {admin.DEMO_PASSWORD} (worker), supervisor, station01, admin, dept-cgzf (department)")
    elif cmd == "new-epoch":
        print(f"new epoch {db.new_epoch()}: clients will reset their scopes and push again")
    elif cmd == "purge-tombstones":
        with db.write() as s:
            n = purge_tombstones(s, args.days)
        print(f"purged {n} removals older than {args.days} days")
    elif cmd == "household-edit":
        with db.write() as s:
            admin.edit_household(s, OPERATOR, args.household_id, dict(_field(f) for f in args.fields))
        print("saved")
    elif cmd == "household-move":
        with db.write() as s:
            grid = admin.org_by_code(s, args.grid_code)
            admin.move_household(s, OPERATOR, args.household_id, grid.id)
        print("moved")
    elif cmd == "household-remove":
        with db.write() as s:
            admin.remove_household(s, OPERATOR, args.household_id)
        print("removed")
    elif cmd == "publish-guide":
        return _publish(db, args)
    elif cmd == "withdraw-article":
        with db.write() as s:
            done = guide.withdraw(s, args.slugs)
        print(f"withdrawn: {', '.join(done) or 'none (already withdrawn)'}")
    elif cmd == "backchecks":
        return _backchecks(db, args)
    elif cmd == "access-trail":
        return _access_trail(db, args)
    elif cmd == "request-transition":
        with db.write() as s:
            req = admin.transition_request(s, OPERATOR, args.request_id, args.to, args.note)
        print(f"request is now {req.status}")
    return 0


def _backchecks(db: Database, args: argparse.Namespace) -> int:
    from gridworker_server.review import backchecks
    from gridworker_shared.domain.backchecks import week_of

    now = utcnow()
    with db.write() as s:
        streets = (
            [admin.org_by_code(s, args.street)]
            if args.street
            else list(s.scalars(select(OrgUnit).where(OrgUnit.kind == "street").order_by(OrgUnit.code)))
        )
        if args.backchecks == "draw":
            week = week_of(args.week) if args.week else backchecks.last_week(now)
            for street in streets:
                row = backchecks.draw_week(s, street.id, week, now)
                n = s.scalar(select(func.count()).select_from(Backcheck).where(Backcheck.draw_id == row.id))
                print(f"{street.code} week of {week}: {n} back-checks (drawn {row.drawn_at:%Y-%m-%d %H:%M} UTC)")
            return 0
        draws = select(BackcheckDraw).where(BackcheckDraw.street_id.in_([u.id for u in streets]))
        if args.week:
            draws = draws.where(BackcheckDraw.week == week_of(args.week))
        differ = 0
        for row in s.scalars(draws.order_by(BackcheckDraw.week)):
            found = backchecks.audit(s, row)
            verdict = "same" if found.same else "DIFFERENT"
            inputs = "" if found.inputs_same else " (the visits drawn from have changed since)"
            print(f"{row.week} {len(found.stored)} back-checks: {verdict}{inputs}")
            if not found.same:
                differ += 1
                print(f"  stored:   {found.stored}\n  expected: {found.expected}")
    return 1 if differ else 0


def _access_trail(db: Database, args: argparse.Namespace) -> int:
    """Every event of the trail that matches, newest first (read in pages)."""
    from gridworker_server.review import trail

    wanted = trail.TrailFilter(args.since, args.until, args.user, args.household, args.action)
    cursor: str | None = ""
    china = dt.timezone(dt.timedelta(hours=8))
    while cursor is not None:
        with db.read() as s:
            events, cursor = trail.page(s, OPERATOR, wanted, cursor, trail.MAX_PAGE)
        for e in events:
            if args.json:
                print(json.dumps(e.as_json(), ensure_ascii=False))
                continue
            where = e.address or (f"household {e.household_id}" if e.household_id else "")
            detail = " ".join(x for x in (e.field, where, e.what, "" if e.rows is None else f"{e.rows} rows") if x)
            print(f"{e.at.astimezone(china):%Y-%m-%d %H:%M:%S}  {e.username:<16} {e.action:<7} {detail}")
    return 0


def _backup(url: str, args: argparse.Namespace) -> int:
    from gridworker_server.backup import backup

    try:
        print(backup(url, args.dest))
    except ApiError as exc:
        print(f"gridworker-server: {exc.message}", file=sys.stderr)
        return 2
    return 0


def _publish(db: Database, args: argparse.Namespace) -> int:
    folder = args.folder or starter_guide_path()
    if not folder.is_dir():
        print(f"gridworker-server: {folder} is not a folder", file=sys.stderr)
        return 2
    with db.write() as s:
        report = guide.publish_folder(s, folder, withdraw_missing=args.withdraw_missing, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for issue in report.issues:
            print(f"{issue.path}: {issue.field}: {issue.reason}: {issue.message}")
        for slug in report.stale:
            print(f"{slug}: the text changed but its version is not higher than the published one")
        if report.ok:
            verb = "would be" if args.dry_run else "were"
            print(
                f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                f"{len(report.withdrawn)} withdrawn ({verb} published)"
            )
        else:
            print("nothing was published", file=sys.stderr)
    return 0 if report.ok else 1


def _import(db: Database, args: argparse.Namespace) -> int:
    from gridworker_server.roster import importing as roster_import

    data = args.file.read_bytes()
    with db.write() as s:
        result = roster_import.import_roster(
            s, OPERATOR, args.grid, data, args.file.name, dry_run=args.dry_run, allow_partial=args.allow_partial
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(roster_import.describe(result))
    return 0 if result["imported"] or result["ok"] else 1


KEEP_ALIVE_S = 75


def _serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    if not args.no_migrate:
        db = Database(url, pool_size=1)
        db.migrate()
        db.dispose()
    if args.workers > 1 and url.startswith("sqlite"):
        print("gridworker-server: several processes need PostgreSQL; serving with one", file=sys.stderr)
        args.workers = 1
    os.environ[ENV_URL] = url
    uvicorn.run(
        "gridworker_server.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=logconf.level(),
        log_config=logconf.log_config(),
        access_log=False,
        timeout_graceful_shutdown=5,
        # An idle keep-alive connection is closed after this long. uvicorn's default (5 s) is about the gap
        # between a laptop's push and its next request, so the server closed connections just as clients
        # sent on them (the burst's resets); a proxy in front keeps its own, shorter, idle timeout.
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    return 0
