"""A mail asking a provider to look at their listing again, and what came of it.

Its links are signed with the request's id and one purpose each; the request is spent the
first time any of them is used, and lapses at ``expires_at``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.about_listing import AboutAListing
from directory.models.listing import utcnow

# What a link may do, and nothing more.
CONFIRM, AVAILABILITY, CLOSED = "confirm", "availability", "closed"
PURPOSES = (CONFIRM, AVAILABILITY, CLOSED)


class VerificationRequest(AboutAListing, db.Model):
    __tablename__ = "verification_request"
    __table_args__ = (Index("ix_verification_request_listing", "listing_id", "sent_at"),)

    sent_to: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_for: Mapped[str] = mapped_column(String(20), default="")

    listing = relationship("Listing")

    def __repr__(self) -> str:
        return f"<VerificationRequest {self.id} {self.listing_id}>"
