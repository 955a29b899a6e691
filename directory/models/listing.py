"""A provider listing: one treatment site with its services, availability and provenance.

Each vocabulary family is stored as a JSON list of codes. ``NULL`` means the family is
*unknown* (no data was reported); an empty list means it was reported and nothing applies.
The shape maps onto HSDS 3.0: the name is the organization, ``program_name`` the service,
the address and point the location, the phones HSDS phones, and the vocabulary attributes
HSDS attributes under our own taxonomy.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime
from functools import lru_cache

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.matching.restrictions import restrictions_of
from directory.vocabulary import LISTING_FIELDS

# Listing attribute name -> vocabulary family code.
VOCABULARY_COLUMNS = {field: family for family, field in LISTING_FIELDS.items()}
# Where the place is and how to call it (the importer compares them, provenance's "contact").
ADDRESS_AND_PHONES = (
    *("name", "program_name", "street", "street2", "city", "state", "zip"),
    *("phone", "intake_phone"),
)
# Every column saying what a listing offers: each family's codes, co-occurring care, telehealth.
SERVICE_COLUMNS = (*LISTING_FIELDS.values(), "dual_diagnosis", "telehealth")

# The JSON columns are read as their text and decoded by ``stored_json``: a few thousand distinct
# lists of codes recur across the whole directory, so each is decoded once per process.
JSON_COLUMNS = frozenset((*LISTING_FIELDS.values(), "hours", "availability_by_care_level"))


@lru_cache(maxsize=16_384)
def stored_json(text: str | None):
    """A stored JSON value (shared between the rows that store the same text: never change
    it); ``None`` for SQL NULL."""
    return None if text is None else json.loads(text)


# Lifecycle (DESIGN 3.2): only active listings are searched; the others still answer.
ACTIVE, WITHDRAWN, MERGED = "active", "withdrawn", "merged"
STATUSES = (ACTIVE, WITHDRAWN, MERGED)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_listing_id() -> str:
    return secrets.token_hex(6)


class ListingFacts:
    """What is derived from a listing's columns (``source``, ``genders``, ``age_groups``,
    ``operators``), the same for a row and for a search card."""

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"

    @property
    def restrictions(self) -> list[str]:
        """Who the program is only for (women only, veterans only, …), derived."""
        return restrictions_of(self.genders, self.age_groups, self.operators)


class Listing(ListingFacts, db.Model):
    """A treatment provider's site as the public sees it."""

    __tablename__ = "listing"
    __table_args__ = (
        Index("ix_listing_lat_lon", "lat", "lon"),
        Index("ix_listing_state", "state"),
        Index("ix_listing_source_status", "source", "status"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_listing_id)
    # Normalized identity of an imported facility; unique so re-imports find it again.
    source_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    source: Mapped[str] = mapped_column(String(20), default="provider")
    # The release of the source that last confirmed this listing ("2022", "2023-24").
    release: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The source's own stable id for the facility, where its files have one.
    facility_id: Mapped[str | None] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE, server_default=ACTIVE)
    # The surviving listing of a merged one (its URL redirects there).
    merged_into: Mapped[str | None] = mapped_column(String(16))

    name: Mapped[str] = mapped_column(String(300))
    program_name: Mapped[str] = mapped_column(String(300), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    street2: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    zip: Mapped[str] = mapped_column(String(10), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # "address", "zip", "city" or "state"; NULL when the listing could not be placed.
    location_precision: Mapped[str | None] = mapped_column(String(10))

    phone: Mapped[str] = mapped_column(String(40), default="")
    intake_phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    service_types: Mapped[list | None] = mapped_column(JSON)
    care_levels: Mapped[list | None] = mapped_column(JSON)
    # "enhanced", "capable" or "none"; NULL when unknown.
    dual_diagnosis: Mapped[str | None] = mapped_column(String(10))
    therapies: Mapped[list | None] = mapped_column(JSON)
    medications: Mapped[list | None] = mapped_column(JSON)
    payments: Mapped[list | None] = mapped_column(JSON)
    age_groups: Mapped[list | None] = mapped_column(JSON)
    genders: Mapped[list | None] = mapped_column(JSON)
    populations: Mapped[list | None] = mapped_column(JSON)
    languages: Mapped[list | None] = mapped_column(JSON)
    accreditations: Mapped[list | None] = mapped_column(JSON)
    detox_for: Mapped[list | None] = mapped_column(JSON)
    supports: Mapped[list | None] = mapped_column(JSON)
    # Who runs it: one code in a list (the same shape as every family), or NULL when unknown.
    operators: Mapped[list | None] = mapped_column(JSON)
    telehealth: Mapped[bool | None] = mapped_column(Boolean)

    # The raw SAMHSA service codes per directory, so a facility listed in both
    # directories is the union of the two and re-importing one file is idempotent.
    source_codes: Mapped[dict | None] = mapped_column(JSON)

    # Availability (listings.availability): a status, the typical wait, when and where it was
    # set (and by which account, for staff), and when it stops counting.
    availability_status: Mapped[str] = mapped_column(String(20), default="unknown")
    wait_days: Mapped[int | None] = mapped_column(Integer)
    availability_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    availability_source: Mapped[str] = mapped_column(String(20), default="")
    availability_updated_by: Mapped[str] = mapped_column(String(200), default="")
    availability_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optionally per care level the listing offers, set with the status above (its time,
    # source and expiry): ``{care_level_code: {"status": ..., "wait_days": ...}}``; NULL: the
    # listing's one status holds for every level.
    availability_by_care_level: Mapped[dict | None] = mapped_column(JSON)

    # Hours and access (directory.listings.hours): weekly HSDS schedule rows in the listing's
    # own time zone (NULL: never given), walk-in / same-day admission and a 24-hour intake
    # line (NULL: unknown), published at once like availability; when and where last set.
    hours: Mapped[list | None] = mapped_column(JSON)
    walk_in: Mapped[bool | None] = mapped_column(Boolean)
    intake_24h: Mapped[bool | None] = mapped_column(Boolean)
    hours_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    hours_source: Mapped[str] = mapped_column(String(20), default="", server_default="")

    # The address the operator has for the facility (an HSDS import's e-mail, or typed by an
    # admin), used only to ask the facility to confirm its listing when nobody has claimed
    # it; never guessed, never shown publicly nor exported.
    intake_email: Mapped[str | None] = mapped_column(String(320))

    last_verified_on: Mapped[date | None] = mapped_column(Date)
    last_verified_by: Mapped[str] = mapped_column(String(200), default="")

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:
        return self.status in (ACTIVE, None)

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.name!r}>"
