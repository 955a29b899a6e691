"""availability per care level

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:00:00

A provider may say its availability per care level it offers (``{care_level_code: {"status":
..., "wait_days": ...}}``), set together with the listing's own status, time, source and expiry.
NULL: the listing's one status holds for every level (what every listing has today).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("listing") as batch:
        batch.add_column(sa.Column("availability_by_care_level", sa.JSON()))


def downgrade():
    with op.batch_alter_table("listing") as batch:
        batch.drop_column("availability_by_care_level")
