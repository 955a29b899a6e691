"""The change feed: for every listing, the catalog revision at which it last changed.

``bump_revision`` records each change here in the same transaction. The revision counter is
one row every writer updates, so writers take turns on it and revisions are committed in
order: a partner who has read every entry up to a revision will never later find an entry
below it. A listing appears once, at its latest change; ``created_revision`` tells a new
listing from a changed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Index, Integer, String, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.errors import DirectoryError
from directory.extensions import db
from directory.vocabulary import N_

CHUNK = 2000
CURSOR = re.compile(r"([0-9]{1,12})(?:-([0-9A-Za-z_-]{0,16}))?")


class ListingFeedEntry(db.Model):
    __tablename__ = "listing_feed"
    __table_args__ = (Index("ix_listing_feed_revision", "revision", "listing_id"),)

    listing_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    created_revision: Mapped[int] = mapped_column(Integer, nullable=False)


def record_changes(session: Session, revision: int, listing_ids: Iterable[str] | None) -> None:
    """Move these listings to ``revision`` in the feed (None: add any listing not in it yet)."""
    if listing_ids is None:
        from directory.models.listing import Listing

        known = select(ListingFeedEntry.listing_id)
        listing_ids = session.scalars(select(Listing.id).where(Listing.id.not_in(known)))
    ids = sorted(set(listing_ids))
    if not ids:
        return
    table = ListingFeedEntry.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.listing_id], set_={"revision": statement.excluded.revision}
    )
    for start in range(0, len(ids), CHUNK):
        rows = [
            {"listing_id": i, "revision": revision, "created_revision": revision}
            for i in ids[start : start + CHUNK]
        ]
        session.execute(statement, rows)


class BadCursor(DirectoryError):
    """Text that is not a cursor this feed gave out."""


def parse_cursor(text: str) -> tuple[int, str]:
    """``"1204-a1b2c3d4e5f6"`` -> (1204, "a1b2c3d4e5f6"); a bare revision is a cursor too."""
    found = CURSOR.fullmatch(text.strip())
    if found is None:
        raise BadCursor(N_("This is not a cursor the change feed gave out."), field="since")
    return int(found[1]), found[2] or ""


def cursor_of(revision: int, listing_id: str) -> str:
    return f"{revision}-{listing_id}" if listing_id else str(revision)


def changes_after(session: Session, revision: int, listing_id: str, limit: int) -> list:
    """Feed entries after the cursor (revision, listing id), oldest first."""
    entry = ListingFeedEntry
    after = (entry.revision > revision) | (
        (entry.revision == revision) & (entry.listing_id > listing_id)
    )
    statement = (
        select(entry.listing_id, entry.revision, entry.created_revision)
        .where(after)
        .order_by(entry.revision, entry.listing_id)
        .limit(limit)
    )
    return list(session.execute(statement))
