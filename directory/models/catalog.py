"""The catalog revision: one counter bumped whenever any listing changes.

Every process keeps the matcher's in-memory index; before a search it reads this single row
and rebuilds the index when the number moved, so no search sees stale listings after a
change commits (see ``directory.matching.index``).
"""

from __future__ import annotations

from sqlalchemy import Integer, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.extensions import db


class CatalogRevision(db.Model):
    __tablename__ = "catalog_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


def bump_revision(session: Session) -> None:
    """Record that the listings changed (inside the caller's transaction)."""
    changed = session.execute(
        update(CatalogRevision)
        .where(CatalogRevision.id == 1)
        .values(revision=CatalogRevision.revision + 1)
    ).rowcount
    if not changed:
        session.add(CatalogRevision(id=1, revision=1))


_table = CatalogRevision.__table__
_CURRENT = select(_table.c.revision).where(_table.c.id == 1)


def current_revision(session: Session) -> int:
    """The revision now (a core statement on the session's connection: it runs per search)."""
    return session.connection().execute(_CURRENT).scalar() or 0


@event.listens_for(Session, "before_flush")
def _bump_on_listing_change(session: Session, flush_context, instances) -> None:
    from directory.models.listing import Listing

    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, Listing) for obj in touched):
        bump_revision(session)
