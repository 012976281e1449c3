"""The central server: the HTTP API (FastAPI), its database (SQLAlchemy, Alembic), the push, the pull and
the change log, sign-in and scopes, rosters, the guide's publishing, and the ``gridworker-server`` CLI.

It imports the shared rules and messages (``gridworker_shared``), never the desktop app."""
