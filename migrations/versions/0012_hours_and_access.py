"""weekly opening hours, walk-in admission and a 24-hour intake line

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:00:00

Hours are HSDS weekly schedule rows kept as JSON (NULL: never given); walk-in / same-day
admission and a 24-hour intake line are yes / no / NULL (unknown); when and from where the
hours were last set, for the provider page's provenance. Nothing to backfill: no listing
has hours yet.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ("hours", "walk_in", "intake_24h", "hours_updated_at", "hours_source")


def upgrade():
    with op.batch_alter_table("listing") as batch:
        batch.add_column(sa.Column("hours", sa.JSON()))
        batch.add_column(sa.Column("walk_in", sa.Boolean()))
        batch.add_column(sa.Column("intake_24h", sa.Boolean()))
        batch.add_column(sa.Column("hours_updated_at", sa.DateTime()))
        batch.add_column(
            sa.Column("hours_source", sa.String(20), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("listing") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
