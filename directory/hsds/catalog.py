"""Finding listings for the HSDS API: filters, pages and streams over a core ``select``.

Plain SQLAlchemy (no Flask): the caller passes the session. Rows are read as named tuples
of just the columns the HSDS shapes use, never as ORM objects, so a page of 100 services or
a stream of every listing costs little. HSDS ids are UUIDs derived from listing ids, which
cannot be inverted; ``ListingIds`` keeps the derived ids of every listing seen (listings are
never deleted) and learns new ones on a miss.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from math import cos, radians

from sqlalchemy import Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from directory.geo.distance import distance_miles
from directory.hsds.mapping import AVAILABILITY, FAMILIES_BY_ID, TERMS_BY_ID, hsds_id
from directory.listings.availability import utcnow
from directory.models import Listing
from directory.models.listing import ADDRESS_AND_PHONES, SERVICE_COLUMNS
from directory.vocabulary import LISTING_FIELDS

COLUMN_NAMES = (
    "id",
    *ADDRESS_AND_PHONES,
    *("lat", "lon", "location_precision", "website", "description"),
    *SERVICE_COLUMNS,
    "availability_status",
    "wait_days",
    "availability_updated_at",
    "availability_expires_at",
    "availability_source",
    "updated_at",
    "status",
    "hours",
)
STREAM_CHUNK = 1000
METERS_PER_MILE = 1609.344
KINDS = ("service", "organization", "service_at_location")


def listing_columns() -> list:
    return [getattr(Listing, name) for name in COLUMN_NAMES]


@dataclass(frozen=True)
class Near:
    """Within ``miles`` of a point (a ZIP centroid)."""

    lat: float
    lon: float
    miles: float


@dataclass
class ServiceFilter:
    """The cumulative (AND) filters of an HSDS list request."""

    search: str = ""
    listing_ids: set[str] | None = None  # from organization_id; empty set: nothing matches
    terms: list[tuple[str, str]] = field(default_factory=list)  # (family, code)
    families: list[str] = field(default_factory=list)
    modified_after: datetime | None = None
    postcode: str = ""
    near: Near | None = None
    impossible: bool = False  # a filter named something that does not exist


def term_filter(taxonomy_term_id: str) -> tuple[str, str] | None:
    ref = TERMS_BY_ID.get(taxonomy_term_id.strip().lower())
    return (ref.family.code, ref.term.code) if ref else None


def family_filter(taxonomy_id: str) -> str | None:
    family = FAMILIES_BY_ID.get(taxonomy_id.strip().lower())
    return family.code if family else None


def _family_condition(family: str, code: str | None):
    """Listings known to offer ``code`` of ``family`` (any code when None)."""
    if family == "dual_diagnosis":
        return Listing.dual_diagnosis == code if code else Listing.dual_diagnosis.is_not(None)
    if family == "delivery":
        return Listing.telehealth.is_(True)
    if family == "none_offered":
        if code is None:
            return or_(*(_offers_none(name) for name in [*LISTING_FIELDS, "delivery"]))
        return _offers_none(code)
    if family == "availability":
        # A stated status until it expires (listings.availability.current); unknown has no term.
        statuses = [code] if code else [term.code for term in AVAILABILITY.terms]
        expires = Listing.availability_expires_at
        return and_(
            Listing.availability_status.in_(statuses), or_(expires.is_(None), expires > utcnow())
        )
    stored = cast(getattr(Listing, LISTING_FIELDS[family]), Text)
    # Codes are stored as a JSON list; a quoted code matches exactly one element.
    return stored.contains(f'"{code}"') if code else stored.like('%"%')


def _offers_none(family: str):
    """Listings that report ``family`` and offer none of it."""
    if family == "delivery":
        return Listing.telehealth.is_(False)
    return cast(getattr(Listing, LISTING_FIELDS[family]), Text) == "[]"


def _conditions(wanted: ServiceFilter) -> list:
    if wanted.impossible or wanted.listing_ids == set():
        return [Listing.id.is_(None)]
    conditions = []
    if wanted.search:
        needle = wanted.search.strip().lower()
        conditions.append(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        Listing.name,
                        Listing.program_name,
                        Listing.city,
                        Listing.description,
                    )
                )
            )
        )
    if wanted.listing_ids is not None:
        conditions.append(Listing.id.in_(sorted(wanted.listing_ids)))
    conditions += [_family_condition(family, code) for family, code in wanted.terms]
    conditions += [_family_condition(family, None) for family in wanted.families]
    if wanted.modified_after is not None:
        conditions.append(Listing.updated_at >= wanted.modified_after)
    if wanted.near is not None:
        conditions += _box(wanted.near)
    elif wanted.postcode:
        conditions.append(Listing.zip == wanted.postcode)
    return conditions


def _box(near: Near) -> list:
    """A latitude/longitude box around the circle; exact distances are checked afterwards."""
    dlat = near.miles / 69.0 + 0.01
    dlon = near.miles / (69.0 * max(cos(radians(near.lat)), 0.01)) + 0.01
    return [
        Listing.lat.between(near.lat - dlat, near.lat + dlat),
        Listing.lon.between(near.lon - dlon, near.lon + dlon),
    ]


def _within(near: Near | None, rows: list) -> list:
    if near is None:
        return rows
    return [
        row for row in rows if distance_miles(near.lat, near.lon, row.lat, row.lon) <= near.miles
    ]


@dataclass(frozen=True)
class ListingPage:
    rows: list
    total: int
    page: int
    per_page: int


def _statement(wanted: ServiceFilter) -> Select:
    return select(*listing_columns()).where(*_conditions(wanted)).order_by(Listing.id)


def find_page(session: Session, wanted: ServiceFilter, page: int, per_page: int) -> ListingPage:
    """One page of the listings that pass every filter, in id order."""
    if wanted.near is not None:  # few rows in a box: filter exactly in Python, then page
        rows = _within(wanted.near, list(session.execute(_statement(wanted))))
        start = (page - 1) * per_page
        return ListingPage(rows[start : start + per_page], len(rows), page, per_page)
    total = session.execute(
        select(func.count()).select_from(Listing).where(*_conditions(wanted))
    ).scalar_one()
    rows = []
    if (page - 1) * per_page < total:
        statement = _statement(wanted).limit(per_page).offset((page - 1) * per_page)
        rows = list(session.execute(statement))
    return ListingPage(rows, total, page, per_page)


def stream(session: Session, wanted: ServiceFilter) -> Iterator:
    """Every matching listing, read in chunks by id (keyset), so memory stays flat."""
    after = ""
    while True:
        statement = _statement(wanted).where(Listing.id > after).limit(STREAM_CHUNK)
        rows = list(session.execute(statement))
        if not rows:
            return
        yield from _within(wanted.near, rows)
        after = rows[-1].id


def find_listing(session: Session, listing_id: str):
    return session.execute(select(*listing_columns()).where(Listing.id == listing_id)).first()


class ListingIds:
    """HSDS id -> listing id for services, organizations and services at locations."""

    def __init__(self) -> None:
        self._by_hsds_id: dict[str, str] = {}
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def listing_id(self, session: Session, kind: str, hsds_entity_id: str) -> str | None:
        key = f"{kind}:{hsds_entity_id.strip().lower()}"
        found = self._by_hsds_id.get(key)
        if found is None:
            self._learn(session)
            found = self._by_hsds_id.get(key)
        return found

    def _learn(self, session: Session) -> None:
        ids = set(session.execute(select(Listing.id)).scalars())
        with self._lock:
            for listing_id in ids - self._known:
                for kind in KINDS:
                    self._by_hsds_id[f"{kind}:{hsds_id(kind, listing_id)}"] = listing_id
            self._known |= ids
