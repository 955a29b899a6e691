"""the operator's intake e-mail address of a listing

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:30:00

The address the operator has for a facility (an HSDS import's e-mail, or typed by an admin):
``flask send-verification-requests`` asks an unclaimed listing there. Private: never shown
publicly nor exported. NULL: none given (nothing is guessed, so nothing to backfill).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("listing") as batch:
        batch.add_column(sa.Column("intake_email", sa.String(320)))


def downgrade():
    with op.batch_alter_table("listing") as batch:
        batch.drop_column("intake_email")
