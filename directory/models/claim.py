"""A provider's request to manage a listing; an approved claim makes the account an owner."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.decision import APPROVED, PENDING, AwaitsDecision  # noqa: F401 (read as claim.PENDING)

DECLINED = "declined"


class Claim(AwaitsDecision, db.Model):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_account_listing", "account_id", "listing_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"), index=True)
    role: Mapped[str] = mapped_column(String(120))
    work_email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40))

    account = relationship("Account", foreign_keys=[account_id])
    listing = relationship("Listing")

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status}>"
