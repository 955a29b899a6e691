"""A provider's proposed change to a listing (or a proposed new listing), pending review.

``changes`` maps each changed field to its proposed value and ``before`` to its value in the
version the provider edited (``base_version``), so the admin sees a field-by-field diff and
an approval from a stale version is refused rather than overwriting someone else's change.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.decision import APPROVED, PENDING, AwaitsDecision  # noqa: F401 (read as listing_edit.PENDING)

REJECTED = "rejected"
CHANGE, NEW_LISTING = "change", "new"


class ListingEdit(AwaitsDecision, db.Model):
    __tablename__ = "listing_edit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=CHANGE)
    # NULL for a proposed new listing until it is approved.
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listing.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    base_version: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON)
    before: Mapped[dict] = mapped_column(JSON)

    account = relationship("Account", foreign_keys=[account_id])
    listing = relationship("Listing")

    @property
    def title(self) -> str:
        return self.changes.get("name") or (self.listing.name if self.listing else "")

    def __repr__(self) -> str:
        return f"<ListingEdit {self.id} {self.kind} {self.status}>"
