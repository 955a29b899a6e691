"""A problem with a listing reported by anyone from its public page, for an admin to resolve."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.listing import utcnow

OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
KINDS = ("wrong_phone", "closed", "wrong_services", "other")
# Filed by the directory itself when callers repeatedly could not get through.
UNREACHABLE = "unreachable"


class ProblemReport(db.Model):
    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    listing = relationship("Listing")

    def __repr__(self) -> str:
        return f"<ProblemReport {self.id} {self.kind} {self.status}>"
