"""What a claim and a listing edit share: they wait for an admin's decision, with a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.listing import utcnow

PENDING, APPROVED = "pending", "approved"


class AwaitsDecision:
    """Columns of something an admin approves or turns down."""

    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
