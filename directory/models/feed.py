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
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Index, Integer, String, Text, bindparam, cast, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.errors import DirectoryError
from directory.extensions import db
from directory.models.listing import JSON_COLUMNS, Listing, ListingFacts, stored_json
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


@dataclass(frozen=True, slots=True)
class FeedListing(ListingFacts):
    """What a feed entry shows of a listing: the columns ``listing_json`` reads, no others
    (not ``source_codes``, the largest), read with a core query instead of as an ORM object."""

    id: str
    name: str
    program_name: str
    street: str
    street2: str
    city: str
    state: str
    zip: str
    lat: float | None
    lon: float | None
    location_precision: str | None
    phone: str
    intake_phone: str
    website: str
    description: str
    service_types: list | None
    care_levels: list | None
    therapies: list | None
    medications: list | None
    payments: list | None
    age_groups: list | None
    genders: list | None
    populations: list | None
    languages: list | None
    detox_for: list | None
    supports: list | None
    operators: list | None
    accreditations: list | None
    dual_diagnosis: str | None
    telehealth: bool | None
    availability_status: str
    wait_days: int | None
    availability_updated_at: datetime | None
    availability_source: str
    availability_expires_at: datetime | None
    availability_by_care_level: dict | None
    hours: list | None
    walk_in: bool | None
    intake_24h: bool | None
    hours_updated_at: datetime | None
    last_verified_on: date | None
    last_verified_by: str
    source: str
    release: str
    status: str
    merged_into: str | None
    version: int
    updated_at: datetime


_FEED_LISTING_FIELDS = tuple(field.name for field in fields(FeedListing))
_JSON_AT = tuple(i for i, name in enumerate(_FEED_LISTING_FIELDS) if name in JSON_COLUMNS)


def _feed_column(name: str):
    column = getattr(Listing.__table__.c, name)
    return cast(column, Text).label(name) if name in JSON_COLUMNS else column


@dataclass(frozen=True, slots=True)
class FeedPage:
    """Entries after a cursor, oldest first, each with its listing (None: it was deleted)."""

    entries: list
    listings: dict[str, FeedListing]


def _feed_statement():
    entry, table = ListingFeedEntry.__table__, Listing.__table__
    revision, listing_id = bindparam("revision"), bindparam("listing_id")
    after = (entry.c.revision > revision) | (
        (entry.c.revision == revision) & (entry.c.listing_id > listing_id)
    )
    return (
        select(
            entry.c.listing_id,
            entry.c.revision,
            entry.c.created_revision,
            table.c.id.label("listing_row_id"),
            *(_feed_column(name) for name in _FEED_LISTING_FIELDS),
        )
        .select_from(entry.outerjoin(table, table.c.id == entry.c.listing_id))
        .where(after)
        .order_by(entry.c.revision, entry.c.listing_id)
        .limit(bindparam("limit"))
    )


_FEED_STATEMENT = _feed_statement()  # built once: only its three parameters change


def feed_page(session: Session, revision: int, listing_id: str, limit: int) -> FeedPage:
    """At most ``limit`` feed entries after the cursor (revision, listing id), oldest first,
    and the listings they name, in one core query."""
    parameters = {"revision": revision, "listing_id": listing_id, "limit": limit}
    entries, listings = [], {}
    for row in session.execute(_FEED_STATEMENT, parameters).all():
        entries.append(row)
        if row.listing_row_id is None:
            continue
        values = list(row[4:])
        for at in _JSON_AT:
            values[at] = stored_json(values[at])
        listings[row.listing_id] = FeedListing(*values)
    return FeedPage(entries, listings)
