"""availability status with source and expiry (was accepting_new_clients)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:40:00

Existing yes/no/unknown answers become accepting / not_accepting / unknown, set by the
provider when they were set, expiring 14 days after (so old answers read as "call to
confirm" at once, as they should).
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

listing = sa.table(
    "listing",
    sa.column("id", sa.String),
    sa.column("accepting_new_clients", sa.Boolean),
    sa.column("availability_status", sa.String),
    sa.column("availability_source", sa.String),
    sa.column("availability_updated_by", sa.String),
    sa.column("availability_updated_at", sa.DateTime),
    sa.column("availability_expires_at", sa.DateTime),
    sa.column("source", sa.String),
)


def upgrade():
    with op.batch_alter_table("listing") as batch:
        batch.add_column(
            sa.Column("availability_status", sa.String(20), nullable=False, server_default="unknown")
        )
        batch.add_column(
            sa.Column("availability_source", sa.String(20), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("availability_updated_by", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("availability_expires_at", sa.DateTime()))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            listing.c.id,
            listing.c.accepting_new_clients,
            listing.c.availability_updated_at,
            listing.c.source,
        ).where(listing.c.accepting_new_clients.is_not(None))
    ).all()
    for row in rows:
        status = "accepting" if row.accepting_new_clients else "not_accepting"
        expires = row.availability_updated_at + timedelta(days=14) if row.availability_updated_at else None
        connection.execute(
            listing.update()
            .where(listing.c.id == row.id)
            .values(
                availability_status=status,
                availability_source="demo" if row.source == "demo" else "provider",
                availability_expires_at=expires,
            )
        )
    with op.batch_alter_table("listing") as batch:
        batch.drop_column("accepting_new_clients")


def downgrade():
    with op.batch_alter_table("listing") as batch:
        batch.add_column(sa.Column("accepting_new_clients", sa.Boolean()))
    connection = op.get_bind()
    for status, accepting in (("accepting", True), ("waitlist", True), ("not_accepting", False)):
        connection.execute(
            listing.update()
            .where(listing.c.availability_status == status)
            .values(accepting_new_clients=accepting)
        )
    with op.batch_alter_table("listing") as batch:
        for name in (
            "availability_expires_at",
            "availability_updated_by",
            "availability_source",
            "availability_status",
        ):
            batch.drop_column(name)
