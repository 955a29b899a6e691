"""callers' 'did you reach them?' outcomes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reach_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reach_report") as batch:
        batch.create_index("ix_reach_report_listing_time", ["listing_id", "created_at"])


def downgrade():
    with op.batch_alter_table("reach_report") as batch:
        batch.drop_index("ix_reach_report_listing_time")
    op.drop_table("reach_report")
