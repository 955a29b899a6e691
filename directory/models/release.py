"""Releases of a source (SAMHSA 2022, 2023-24) and the admin queue of what imports left open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from directory.extensions import db
from directory.models.listing import utcnow


class Release(db.Model):
    """One edition of a source as imported, with what its import did."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("source", "name", name="uq_release_source_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(20))
    # The directories its files covered (a full release withdraws only within them).
    scope: Mapped[list] = mapped_column(JSON, default=list)
    full: Mapped[bool] = mapped_column(Boolean, default=True)
    files: Mapped[str] = mapped_column(Text, default="")
    # read, created, updated, unchanged, withdrawn, restored, linked_by_id, ... (ImportSummary)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    # Service codes this release's code list added to the shipped one: {code: label}.
    codes: Mapped[dict] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Release {self.source} {self.name}>"


def latest_release(session: Session, source: str) -> Release | None:
    """The most recently imported full release of a source."""
    return session.scalars(
        select(Release)
        .where(Release.source == source, Release.full.is_(True))
        .order_by(Release.imported_at.desc(), Release.id.desc())
        .limit(1)
    ).first()


# Review kinds and their states.
POSSIBLE_DUPLICATE, CONFIRM_WITHDRAWAL = "possible_duplicate", "confirm_withdrawal"
OPEN, MERGED, DISTINCT, WITHDRAWN, KEPT = "open", "merged", "distinct", "withdrawn", "kept"


class ListingReview(db.Model):
    """What an import would not decide alone: two listings that may be one facility, or a
    listing people changed that the latest full release no longer contains."""

    __tablename__ = "listing_review"
    __table_args__ = (Index("ix_listing_review_kind_status", "kind", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"), index=True)
    # The other listing of a possible duplicate.
    other_id: Mapped[str | None] = mapped_column(ForeignKey("listing.id"))
    confidence: Mapped[float | None] = mapped_column(Float)
    release: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(300), default="")

    def __repr__(self) -> str:
        return f"<ListingReview {self.id} {self.kind} {self.status}>"
