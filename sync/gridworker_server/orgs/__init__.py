"""A real street set up without the demo: its org tree and its users imported from the spreadsheets a
district already keeps (.xlsx or .csv, read by :mod:`gridworker_server.roster.read`).

:mod:`.sheet` finds the header and reads the rows, :mod:`.report` is the per-row report both imports
answer with, :mod:`.units` imports the org tree (city > district > street > community > grid >
micro-grid, by statistical code) and :mod:`.users` the users. Both are a dry run unless asked, all or
nothing (one row in error and nothing is written), idempotent (the same file again changes nothing).
The CLI (``import-orgs``, ``import-users``) and the admin API (``/v1/admin/orgs/import``,
``/v1/admin/users/import``) call the same functions.
"""

from __future__ import annotations

from gridworker_server.orgs.report import ImportReport, RowReport
from gridworker_server.orgs.units import import_orgs
from gridworker_server.orgs.users import import_users

__all__ = ["ImportReport", "RowReport", "import_orgs", "import_users"]
