"""The audit trail: who changed which fields of a listing, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.listing import utcnow

# Actions; the ones in HUMAN_ACTIONS are decisions a re-import must not overwrite.
IMPORT_CREATE, IMPORT_UPDATE = "import_create", "import_update"
IMPORT_WITHDRAW = "import_withdraw"
EDIT_APPROVED, NEW_LISTING = "edit_approved", "new_listing"
AVAILABILITY, ADMIN_CHANGE, VERIFIED = "availability", "admin_change", "verified"
HOURS = "hours"  # opening hours, walk-in admission, 24-hour intake line: published at once
# An administrator's call that did not confirm the listing (one that did is VERIFIED).
PHONE_CHECK = "phone_check"
# The fields a call writes in ``changes``, as [None, value]: what happened, and the note.
PHONE_OUTCOME, PHONE_NOTE = "phone_check", "phone_check_note"
HUMAN_ACTIONS = (EDIT_APPROVED, NEW_LISTING, ADMIN_CHANGE, AVAILABILITY, HOURS)


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_listing_at", "listing_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # Who, in words: an e-mail address, or "import of substance_use_facilities_2022.csv".
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(20), index=True)
    # The listing's version after this change, so a stale form can be told what changed since.
    version: Mapped[int | None] = mapped_column(Integer)
    # {field: [before, after]}
    changes: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    account = relationship("Account")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.listing_id}>"


def last_human_change(session, listing_id: str) -> datetime | None:
    """When a provider or admin last changed or verified the listing (None: never)."""
    return session.scalar(
        select(func.max(AuditEntry.created_at)).where(
            AuditEntry.listing_id == listing_id,
            AuditEntry.action.in_((*HUMAN_ACTIONS, VERIFIED)),
        )
    )
