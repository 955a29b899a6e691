"""What a caller said after trying to reach a listing ("Did you reach them?").

Nothing about the person is stored: only the listing, the outcome and the time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.about_listing import AboutAListing
from directory.models.listing import utcnow

# Reached and they can help / reached, but no space or not suitable / the number did not work.
HELPED, NOT_SUITABLE, NUMBER_FAILED = "helped", "not_suitable", "number_failed"
OUTCOMES = (HELPED, NOT_SUITABLE, NUMBER_FAILED)
REACHED = (HELPED, NOT_SUITABLE)


class ReachReport(AboutAListing, db.Model):
    __tablename__ = "reach_report"
    __table_args__ = (Index("ix_reach_report_listing_time", "listing_id", "created_at"),)

    outcome: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ReachReport {self.listing_id} {self.outcome}>"
