"""Columns of a record about one listing (what a caller said, a mail asking to verify it)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column


class AboutAListing:
    """A record about one listing: its own id and the listing's."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[str] = mapped_column(ForeignKey("listing.id"))
