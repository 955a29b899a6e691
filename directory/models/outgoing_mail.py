"""A mail waiting to go out, or sent lately: the durable outbox.

An action writes its mail here in its own transaction, so a committed change always has its
mail and a failed send never undoes the change; ``flask send-mail`` (and each request, right
after its response) sends what is due, retrying with backoff. Only what the mail itself
needs is kept, and the body (which may hold a secret link) is erased once sent or given up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.listing import utcnow


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When to try next; NULL once sent or given up.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    # A sender holds the mail until then (a crashed sender's claim runs out).
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(String(200), default="")

    @property
    def given_up(self) -> bool:
        return self.sent_at is None and self.next_attempt_at is None

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} attempts={self.attempts}>"
