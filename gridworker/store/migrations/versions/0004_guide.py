"""guide: policy guide articles, their full-text index, the articles explained on a visit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The search index (gridworker.guide.search explains it). Written out here, not imported, so this
# revision creates the same table whatever later code says. Columns, in bm25 weight order:
# title, body and phones as overlapping character pairs; pinyin (initials and full pinyin suffixes of
# the title); category (the code, for filtering); then what a hit shows, not indexed. The
# one-character prefix index answers single-character queries.
ARTICLE_FTS = (
    "CREATE VIRTUAL TABLE article_fts USING fts5("
    "title, body, phones, pinyin, category, "
    "article_id UNINDEXED, plain UNINDEXED, title_pinyin UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '1')"
)


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("read_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("slug", name=op.f("uq_article_slug")),
    )
    op.create_index(op.f("ix_article_category"), "article", ["category"], unique=False)
    op.create_table(
        "visit_article",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_article_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("visit_id", "article_id", "action", name=op.f("pk_visit_article")),
    )
    op.create_index(op.f("ix_visit_article_article_id"), "visit_article", ["article_id"], unique=False)
    op.execute(ARTICLE_FTS)


def downgrade() -> None:
    op.execute("DROP TABLE article_fts")
    op.drop_index(op.f("ix_visit_article_article_id"), table_name="visit_article")
    op.drop_table("visit_article")
    op.drop_index(op.f("ix_article_category"), table_name="article")
    op.drop_table("article")
