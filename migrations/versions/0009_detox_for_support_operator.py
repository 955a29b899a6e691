"""Listing families from the SAMHSA codes: detox by substance, recovery support, operator.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("detox_for", "supports", "operators")


def upgrade():
    with op.batch_alter_table("listing") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("listing") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
