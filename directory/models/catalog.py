"""The catalog revision: one counter bumped whenever any listing changes, and which listings.

Every process keeps the matcher's in-memory index; before a search it reads this single row
and, when the number moved, patches the index with the listings named in the change log
since its revision (or rebuilds it after a bulk change), so no search sees stale listings
after a change commits (see ``directory.search.pages``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Index, Integer, String, delete, event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.extensions import db
from directory.models.feed import record_changes


class CatalogRevision(db.Model):
    __tablename__ = "catalog_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


_table = CatalogRevision.__table__
_CURRENT = select(_table.c.revision).where(_table.c.id == 1)


class ListingChange(db.Model):
    """Which listing changed at which revision (``EVERYTHING``: too many to name)."""

    __tablename__ = "listing_change"
    __table_args__ = (Index("ix_listing_change_revision", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    listing_id: Mapped[str] = mapped_column(String(16), nullable=False)


EVERYTHING = "*"
MAX_NAMED = 2000  # a change touching more listings is logged as EVERYTHING
KEPT_REVISIONS = 1000  # older log rows are pruned; a process further behind rebuilds


def bump_revision(
    session: Session, listing_ids: Iterable[str] | None = None, feed: bool = True
) -> int:
    """Record that these listings changed (None: unknown or many), in the caller's transaction.

    ``feed=False`` for a change only searches see (how fresh a listing is), not the
    listing's published record: the index patches it, the changes feed does not list it."""
    session.execute(
        update(CatalogRevision)
        .where(CatalogRevision.id == 1)
        .values(revision=CatalogRevision.revision + 1)
    )
    revision = session.execute(_CURRENT).scalar()
    if revision is None:  # a database made without the first migration's row
        session.execute(insert(_table), [{"id": 1, "revision": 1}])
        revision = 1
    listing_ids = list(listing_ids) if listing_ids is not None else None
    if feed:
        record_changes(session, revision, listing_ids)
    ids = sorted(set(listing_ids)) if listing_ids is not None else [EVERYTHING]
    if len(ids) > MAX_NAMED:
        ids = [EVERYTHING]
    log = ListingChange.__table__
    session.execute(insert(log), [{"revision": revision, "listing_id": i} for i in ids])
    session.execute(delete(log).where(log.c.revision < revision - KEPT_REVISIONS))
    return revision


def current_revision(database: Session | Engine) -> int:
    """The latest committed revision. It is read before every search, which may need no
    other query, so given the engine it takes a pooled connection for one core statement
    rather than starting the session's transaction (a third of the cost)."""
    if not isinstance(database, Engine):
        return database.connection().execute(_CURRENT).scalar() or 0
    with database.connect() as connection:
        return connection.execute(_CURRENT).scalar() or 0


def changes_since(session: Session, revision: int, until: int) -> set[str] | None:
    """The listings changed after ``revision`` up to ``until``; None when the log cannot say
    (a bulk change, or the log was pruned past ``revision``)."""
    if until - revision > KEPT_REVISIONS:
        return None
    log = ListingChange.__table__
    ids = set(
        session.connection()
        .execute(
            select(log.c.listing_id)
            .where(log.c.revision > revision, log.c.revision <= until)
            .distinct()
        )
        .scalars()
    )
    return None if EVERYTHING in ids else ids


@event.listens_for(Session, "before_flush")
def _bump_on_listing_change(session: Session, flush_context, instances) -> None:
    from directory.models.listing import Listing, new_listing_id

    touched = [
        o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Listing)
    ]
    if not touched:
        return
    for listing in touched:
        if listing.id is None:  # name the new listing now, so the change log can
            listing.id = new_listing_id()
    bump_revision(session, [listing.id for listing in touched])
