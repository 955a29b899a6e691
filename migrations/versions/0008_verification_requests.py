"""verification requests mailed to providers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "verification_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.String(length=16), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("used_for", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("verification_request") as batch:
        batch.create_index("ix_verification_request_listing", ["listing_id", "sent_at"])


def downgrade():
    with op.batch_alter_table("verification_request") as batch:
        batch.drop_index("ix_verification_request_listing")
    op.drop_table("verification_request")
