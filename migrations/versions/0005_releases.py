"""releases, listing status and identity, the listing review queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:00:00

Listings imported before releases existed came from SAMHSA's 2022 directories: their source
becomes ``samhsa`` with release ``2022``, and that release is recorded.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('files', sa.Text(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'name', name='uq_release_source_name')
    )
    op.create_table('listing_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('listing_id', sa.String(length=16), nullable=False),
    sa.Column('other_id', sa.String(length=16), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('release', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], ),
    sa.ForeignKeyConstraint(['other_id'], ['listing.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('listing_review', schema=None) as batch_op:
        batch_op.create_index('ix_listing_review_kind_status', ['kind', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_review_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_review_status'), ['status'], unique=False)

    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('facility_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='active', nullable=False))
        batch_op.add_column(sa.Column('merged_into', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_listing_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index('ix_listing_source_status', ['source', 'status'], unique=False)

    listing = sa.table('listing', sa.column('source'), sa.column('release'), sa.column('created_at'))
    op.execute(listing.update().where(listing.c.source == 'samhsa-2022').values(source='samhsa', release='2022'))
    bind = op.get_bind()
    imported = bind.execute(sa.select(sa.func.max(listing.c.created_at)).where(listing.c.source == 'samhsa')).scalar()
    if imported is not None:
        release = sa.table('release', sa.column('source'), sa.column('name'), sa.column('scope', sa.JSON),
                           sa.column('full'), sa.column('files'), sa.column('counts', sa.JSON),
                           sa.column('codes', sa.JSON), sa.column('imported_at'))
        op.bulk_insert(release, [{'source': 'samhsa', 'name': '2022', 'scope': ['substance_use', 'mental_health'],
                                  'full': True, 'files': '', 'counts': {}, 'codes': {}, 'imported_at': imported}])


def downgrade():
    listing = sa.table('listing', sa.column('source'), sa.column('release'))
    op.execute(listing.update().where(listing.c.source == 'samhsa').values(source='samhsa-2022'))
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_source_status')
        batch_op.drop_index(batch_op.f('ix_listing_facility_id'))
        batch_op.drop_column('merged_into')
        batch_op.drop_column('status')
        batch_op.drop_column('facility_id')
        batch_op.drop_column('release')

    with op.batch_alter_table('listing_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_review_status'))
        batch_op.drop_index(batch_op.f('ix_listing_review_listing_id'))
        batch_op.drop_index('ix_listing_review_kind_status')

    op.drop_table('listing_review')
    op.drop_table('release')
