"""``gridworker-server`` commands of the requests flow: a street's departments, and the city platform's
API keys (``apikey create`` prints the key once; only its hash is kept)."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from gridworker_server.db import Database
from gridworker_server.flow import apikeys
from gridworker_server.flow.departments import create_department

COMMANDS = ("create-department", "apikey")


def add_commands(sub: Any) -> None:
    d = sub.add_parser("create-department", help="add a department (urban management, housing ...) to a street")
    d.add_argument("--street", required=True, help="the street's org unit code")
    d.add_argument("--code", required=True, help="the department's own org unit code")
    d.add_argument("--name", required=True)
    k = sub.add_parser("apikey", help="API keys of the city platform (the 12345 hotline): one street's feed each")
    ks = k.add_subparsers(dest="apikey_command", required=True)
    c = ks.add_parser("create", help="a new key; printed once, only its hash is kept")
    c.add_argument("--street", required=True, help="the street's org unit code")
    c.add_argument("--name", required=True, help="whose key (the platform's name)")
    r = ks.add_parser("revoke", help="the key fails on its next request")
    r.add_argument("key_id", type=uuid.UUID)
    ks.add_parser("list", help="the keys, without their secrets")


def run(db: Database, args: argparse.Namespace) -> int:
    if args.command == "create-department":
        with db.write() as s:
            unit = create_department(s, args.street, args.code, args.name)
            print(f"created department {unit.code} ({unit.id})")
    elif args.apikey_command == "create":
        with db.write() as s:
            row, key = apikeys.create_key(s, args.street, args.name)
            print(f"API key {row.id} for {args.name}: {key}")
            print("keep it now: it is not shown again")
    elif args.apikey_command == "revoke":
        with db.write() as s:
            apikeys.revoke_key(s, args.key_id)
        print(f"revoked {args.key_id}")
    else:
        with db.read() as s:
            for row in apikeys.list_keys(s):
                state = "revoked" if row.revoked_at else "active"
                print(f"{row.id}  {state:8}  {row.name}")
    return 0
