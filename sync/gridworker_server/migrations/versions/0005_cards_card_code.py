"""cards: each user's card code (app_user.card_code), unique city-wide, given to every existing user

The code printed under a contact card's QR code was seven digits of the worker's id and a Luhn digit:
two workers shared one with 5 % chance among 1,000 workers, 99 % among 10,000. The server now assigns
each user seven random digits unique city-wide and the Luhn check digit; this revision adds the column
with its unique constraint and gives every existing user one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _luhn(digits: str) -> str:
    """The Luhn check digit of ``digits`` (a copy: a migration never imports today's code)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("card_code", sa.String(8), nullable=True))
        batch.create_unique_constraint("uq_app_user_card_code", ["card_code"])
    bind = op.get_bind()
    user = sa.table("app_user", sa.column("id", sa.Uuid()), sa.column("card_code", sa.String(8)))
    ids = list(bind.execute(sa.select(user.c.id).where(user.c.card_code.is_(None)).order_by(user.c.id)).scalars())
    taken: set[str] = set(bind.execute(sa.select(user.c.card_code).where(user.c.card_code.is_not(None))).scalars())
    for user_id in ids:
        while True:
            body = f"{secrets.randbelow(10**7):07d}"
            code = body + _luhn(body)
            if code not in taken:
                break
        taken.add(code)
        bind.execute(sa.update(user).where(user.c.id == user_id).values(card_code=code))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_constraint("uq_app_user_card_code", type_="unique")
        batch.drop_column("card_code")
