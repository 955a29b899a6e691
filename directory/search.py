"""Searching the directory: the process's matcher index, kept in step with the database.

Each process holds one ``ProviderIndex`` built from every listing. Before each search it
reads the catalog revision (one indexed row); when another request or process changed
listings since, it reloads just those listings named in the change log and patches the
index (a bulk change, such as an import, rebuilds it), so a search never sees a listing as
it was before a committed change. The index is built from a core ``select`` of just the
columns it needs, streamed in chunks straight into numpy columns (no ORM objects, no record
per listing).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import Text, cast, select

from directory.extensions import db
from directory.geo import LocationNotFound, Point, gazetteer, locate, make_geocoder
from directory.i18n import request_translations
from directory.matching import MatchOutcome, Origin, ProviderIndex, match
from directory.matching.index import MASK_FIELDS, IndexColumns
from directory.models import Listing
from directory.models.catalog import changes_since, current_revision
from directory.queries import BadSearch, SearchRequest

# The listing columns the index is built from, in ``IndexColumns.ROW_FIELDS`` order. Families
# are read as their stored JSON text, decoded once per distinct value rather than per row.
INDEX_COLUMNS = tuple(
    cast(column, Text) if name in MASK_FIELDS.values() else column
    for name in IndexColumns.ROW_FIELDS
    for column in (getattr(Listing, name),)
)
CHUNK_ROWS = 5_000


@dataclass
class _Catalog:
    """One app's index and the catalog revision it was built at."""

    revision: int = -1
    index: ProviderIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    rebuilds: int = 0
    patches: int = 0


def provider_index() -> ProviderIndex:
    """The matcher index as of the latest committed change."""
    catalog = current_app.extensions.setdefault("directory.catalog", _Catalog())
    revision = current_revision(db.session)
    if catalog.revision != revision or catalog.index is None:
        with catalog.lock:
            if catalog.revision != revision or catalog.index is None:
                catalog.index = _refreshed(catalog, revision)
                catalog.revision = revision
    return catalog.index


def _refreshed(catalog: _Catalog, revision: int) -> ProviderIndex:
    """The index patched with the listings changed since it was built, or rebuilt."""
    changed = None
    if catalog.index is not None and catalog.revision < revision:
        changed = changes_since(db.session, catalog.revision, revision)
    if changed is None:
        catalog.rebuilds += 1
        return load_index()
    catalog.patches += 1
    return catalog.index.patched(changed, load_columns(changed).arrays())


def load_index() -> ProviderIndex:
    """The matcher index over every listing, streamed from the database in chunks of rows."""
    return load_columns().index()


def load_columns(ids: set[str] | None = None) -> IndexColumns:
    """Index columns of every listing, or of the listings with these ids (those that exist)."""
    query = select(*INDEX_COLUMNS).where(Listing.name != "")
    columns = IndexColumns()
    batches = [None] if ids is None else _batches(sorted(ids), 500)
    for batch in batches:
        selected = query if batch is None else query.where(Listing.id.in_(batch))
        rows = db.session.execute(selected, execution_options={"yield_per": CHUNK_ROWS})
        for chunk in rows.partitions():
            columns.add_rows(chunk)
    return columns


def _batches(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


CARD_FIELDS = (
    "id", "name", "program_name", "street", "street2", "city", "state", "zip", "lat", "lon",
    "phone", "intake_phone", "accepting_new_clients", "wait_days", "availability_updated_at",
    "last_verified_on", "source",
)  # fmt: skip
CARD_QUERY = select(*(getattr(Listing.__table__.c, name) for name in CARD_FIELDS))


@dataclass(frozen=True, slots=True)
class ListingCard:
    """What a result card, the API's result and the map show of a listing (no services)."""

    id: str
    name: str
    program_name: str
    street: str
    street2: str
    city: str
    state: str
    zip: str
    lat: float | None
    lon: float | None
    phone: str
    intake_phone: str
    accepting_new_clients: bool | None
    wait_days: int | None
    availability_updated_at: datetime | None
    last_verified_on: date | None
    source: str

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: where from, the matcher's answer, the listings shown."""

    request: SearchRequest
    origin: Point
    outcome: MatchOutcome
    listings: dict[str, ListingCard]

    @property
    def total(self) -> int:
        return self.outcome.total or 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def find_origin(search: SearchRequest) -> Point:
    """Where the search is made from; raises ``BadSearch`` for an unknown place."""
    if search.location is None:
        state = gazetteer().state_at(search.lat, search.lon) or ""
        label = f"{search.lat:.4f}, {search.lon:.4f}"
        return Point(search.lat, search.lon, "address", label, state)
    try:
        return locate(search.location, geocoder=configured_geocoder())
    except LocationNotFound as error:
        message = error.translated(request_translations().ugettext)
        raise BadSearch("location_not_found", "location", message) from None


def configured_geocoder():
    """The online geocoder named by ``GEOCODER`` (None: offline only), made once per app."""
    extension = current_app.extensions.setdefault("directory.geocoder", {})
    if "geocoder" not in extension:
        extension["geocoder"] = make_geocoder(
            current_app.config["GEOCODER"], current_app.config["GEOCODER_USER_AGENT"]
        )
    return extension["geocoder"]


def run_search(search: SearchRequest) -> SearchPage:
    """Locate, match and load the page of listings to show."""
    origin = find_origin(search)
    where = Origin(origin.lat, origin.lon, origin.state)
    index = provider_index()
    outcome = match(
        index,
        search.needs,
        where,
        offset=search.offset,
        limit=search.per_page,
        order=search.sort,
    )
    ids = [r.provider_id for r in (*outcome.results, *outcome.alternatives)]
    return SearchPage(search, origin, outcome, listings_by_id(ids))


def listings_by_id(ids: list[str]) -> dict[str, ListingCard]:
    """The cards of these listings, read in one core query (no ORM objects, no JSON)."""
    if not ids:
        return {}
    rows = db.session.connection().execute(CARD_QUERY.where(Listing.__table__.c.id.in_(ids)))
    return {row.id: ListingCard(*row) for row in rows}
