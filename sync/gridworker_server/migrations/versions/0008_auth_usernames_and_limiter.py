"""user names in their normal form; the sign-in limiter's counts in one row per user name and address

User names are compared in one spelling from here on (``gridworker_shared.domain.usernames``: NFKC,
case-folded, trimmed, inner white space as one space), so stored names are brought to it. Two users
whose names become the same (``Demo`` and ``demo``: only one of them could ever sign in) stop the
migration with both names listed; rename or remove one (SQL on ``app_user``) and migrate again.

``login_failure`` (a row per failure, counted with a separate check: parallel guesses all passed it)
becomes ``login_attempt``: one row per user name and per client address, counted atomically.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _normal(value: str) -> str:
    """The normal form as of this revision (a migration never reads today's code)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(folded.split())


def _normalise_usernames() -> None:
    bind = op.get_bind()
    users = sa.table("app_user", sa.column("id", sa.Uuid()), sa.column("username", sa.String()))
    rows = bind.execute(sa.select(users.c.id, users.c.username)).all()
    by_name: dict[str, list[str]] = {}
    for row in rows:
        by_name.setdefault(_normal(row.username), []).append(row.username)
    clashes = {name: found for name, found in by_name.items() if len(found) > 1}
    if clashes:
        listed = "; ".join(f"{' / '.join(repr(n) for n in sorted(found))} -> {name!r}" for name, found in clashes.items())
        raise RuntimeError(
            f"user names that differ only in case, width or spaces: {listed}. Rename or remove all but one "
            "of each (UPDATE app_user SET username = ... WHERE username = ...) and migrate again."
        )
    for row in rows:
        normal = _normal(row.username)
        if normal != row.username:
            bind.execute(sa.update(users).where(users.c.id == row.id).values(username=normal))


def upgrade() -> None:
    _normalise_usernames()
    op.create_table(
        "login_attempt",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_attempt"),
    )
    op.drop_table("login_failure")


def downgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_username", "login_failure", ["username"])
    op.create_index("ix_login_failure_at", "login_failure", ["at"])
    op.drop_table("login_attempt")
