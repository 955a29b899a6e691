"""A partner site that embeds the search widget: where it may be framed, and its presets;
and a site's request for a key, which an admin approves into a partner.

``presets`` holds the same query parameters the search API takes (``{"care_level":
["outpatient"], "location": ["Denver, CO"]}``), so a preset means exactly what the same
parameter means in ``/api/v1/match``. The checks live in ``directory.operations.partners``.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.listing import utcnow

KEY_BYTES = 16  # 22 URL-safe characters
DEFAULT_THEME = "#0b5d52"


def new_public_key() -> str:
    """A random, URL-safe, unguessable key that names the partner in snippets."""
    return secrets.token_urlsafe(KEY_BYTES)


class Partner(db.Model):
    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(43), unique=True, default=new_public_key)
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    presets: Mapped[dict] = mapped_column(JSON, default=dict)
    theme_color: Mapped[str] = mapped_column(String(7), default=DEFAULT_THEME)
    default_language: Mapped[str] = mapped_column(String(5), default="en")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def frame_ancestors(self) -> str:
        """The CSP ``frame-ancestors`` sources: exactly the allowed origins."""
        return " ".join(self.allowed_origins or []) or "'none'"

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name!r}>"


PENDING, APPROVED, DECLINED = "pending", "approved", "declined"


class KeyRequest(db.Model):
    """A site asking for a widget key from /partners/request-key, until an admin decides."""

    __tablename__ = "partner_key_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    origins: Mapped[list] = mapped_column(JSON, default=list)  # normalized when asked
    note: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")  # for the answer
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))

    def __repr__(self) -> str:
        return f"<KeyRequest {self.id} {self.organisation!r} {self.status}>"
