"""``gridworker-server import-orgs`` and ``import-users``: the report on the terminal, and the new
users' initial passwords printed once or written to a file only its owner can read."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gridworker_server.auth import Principal
from gridworker_server.db import Database
from gridworker_server.orgs.report import ImportReport
from gridworker_server.orgs.units import import_orgs
from gridworker_server.orgs.users import import_users

__all__ = ["run_import"]


def run_import(db: Database, operator: Principal, args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"gridworker-server: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    out: Path | None = getattr(args, "passwords_out", None)
    if out is not None and out.exists():
        # refused before anything is written: the passwords of users created would otherwise be lost
        print(f"gridworker-server: {out} exists; give a new file for the passwords", file=sys.stderr)
        return 2
    with db.write() as s:
        if args.command == "import-orgs":
            report = import_orgs(s, operator, data, path.name, dry_run=args.dry_run)
        else:
            report = import_users(s, operator, data, path.name, dry_run=args.dry_run)
            if report.passwords and out is not None:
                _write_passwords(out, report)  # inside the transaction: no file, no users
    if args.json:
        shown = {"passwords": report.passwords} if report.passwords and out is None else {}
        print(json.dumps({**report.to_dict(), **shown}, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    print(report.describe())
    if report.passwords and out is None:
        print("initial passwords (shown once; each user sets their own at the first sign-in):")
        for username, password in report.passwords.items():
            print(f"  {username}\t{password}")
    elif report.passwords:
        print(f"initial passwords written to {out} (mode 0600)")
    return 0 if report.ok else 1


def _write_passwords(out: Path, report: ImportReport) -> None:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("username,password\n")
        for username, password in report.passwords.items():
            f.write(f"{username},{password}\n")
