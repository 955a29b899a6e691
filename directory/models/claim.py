"""A provider's request to manage a listing; an approved claim makes the account an owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.listing import utcnow

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"


class Claim(db.Model):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_account_listing", "account_id", "listing_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"), index=True)
    role: Mapped[str] = mapped_column(String(120))
    work_email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    account = relationship("Account", foreign_keys=[account_id])
    listing = relationship("Listing")

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status}>"
