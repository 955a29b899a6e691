"""listing change feed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 20:40:00

After 0009 (detox_for, supports and operators), the head of the availability, reach
reports, verification requests and restrictions work.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_feed',
    sa.Column('listing_id', sa.String(length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('listing_id')
    )
    with op.batch_alter_table('listing_feed', schema=None) as batch_op:
        batch_op.create_index('ix_listing_feed_revision', ['revision', 'listing_id'], unique=False)
    # Every listing already there enters the feed at the current revision.
    op.execute(
        "INSERT INTO listing_feed (listing_id, revision, created_revision) "
        "SELECT id, COALESCE((SELECT revision FROM catalog_revision WHERE id = 1), 0), "
        "COALESCE((SELECT revision FROM catalog_revision WHERE id = 1), 0) FROM listing"
    )


def downgrade():
    with op.batch_alter_table('listing_feed', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_feed_revision')
    op.drop_table('listing_feed')
