"""the durable mail outbox

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:40:00

Mail is written in the same transaction as the action that sends it and sent after the
response (or by ``flask send-mail``), retried with backoff. Nothing to backfill.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime()),
        sa.Column("claimed_until", sa.DateTime()),
        sa.Column("sent_at", sa.DateTime()),
        sa.Column("last_error", sa.String(200), nullable=False),
    )
    op.create_index("ix_outgoing_mail_due", "outgoing_mail", ["sent_at", "next_attempt_at"])


def downgrade():
    op.drop_index("ix_outgoing_mail_due", table_name="outgoing_mail")
    op.drop_table("outgoing_mail")
