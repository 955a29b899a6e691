"""A page of search results: locate the origin, ask the matcher, load the cards to show.

The public page, the JSON API and the widget all search through ``run_search``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import Text, cast, select

from directory.extensions import db
from directory.geo import LocationNotFound, Point, gazetteer, locate
from directory.listings.phones import stored_phones
from directory.matching import MatchOutcome, Origin, match
from directory.models import Listing
from directory.models.listing import ACTIVE, JSON_COLUMNS, ListingFacts, stored_json
from directory.search.index import catalog_view
from directory.search.request import BadSearch, SearchRequest
from directory.web.geocoder import configured_geocoder
from directory.web.i18n import request_translations


@dataclass(frozen=True, slots=True)
class ListingCard(ListingFacts):
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
    availability_status: str
    wait_days: int | None
    availability_updated_at: datetime | None
    availability_source: str
    availability_expires_at: datetime | None
    last_verified_on: date | None
    source: str
    location_precision: str | None
    genders: list | None = None
    age_groups: list | None = None
    operators: list | None = None
    # Hours and access (directory.listings.hours): shown on the card ("Open now · until 5 pm").
    hours: list | None = None
    walk_in: bool | None = None
    intake_24h: bool | None = None
    # Availability per care level (directory.listings.availability.stated_levels), and the
    # care levels it is read against.
    availability_by_care_level: dict | None = None
    care_levels: list | None = None
    # The parts of its API shape that depend on the card alone, made once per card
    # (``directory.search.shapes``); not a column.
    shaped: dict = field(default_factory=dict, init=False, repr=False, compare=False)


# The listing columns a card reads: exactly the card's columns, in its order; the JSON ones as
# their text, decoded once per distinct text (``stored_json``), and the short texts that
# recur (state, city, source, …) kept once each, so a worker can keep every card.
CARD_FIELDS = tuple(column.name for column in fields(ListingCard) if column.init)
CARD_QUERY = select(
    *(
        cast(column, Text).label(name) if name in JSON_COLUMNS else column
        for name in CARD_FIELDS
        for column in (getattr(Listing.__table__.c, name),)
    )
)
_DECODED_AT = tuple(i for i, name in enumerate(CARD_FIELDS) if name in JSON_COLUMNS)
_RECURRING_AT = tuple(
    CARD_FIELDS.index(name)
    for name in ("city", "state", "zip", "availability_status", "availability_source",
                 "source", "location_precision")
)  # fmt: skip


def _card(row) -> ListingCard:
    values = list(row)
    for at in _DECODED_AT:
        values[at] = stored_json(values[at])
    for at in _RECURRING_AT:
        if isinstance(values[at], str):
            values[at] = sys.intern(values[at])
    return ListingCard(*values)


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
        raise BadSearch(
            "location_not_found", "location", message, suggestions=error.suggestions
        ) from None


def run_search(search: SearchRequest) -> SearchPage:
    """Locate, match and load the page of listings to show."""
    origin = find_origin(search)
    where = Origin(origin.lat, origin.lon, origin.state, whole_state=origin.precision == "state")
    catalog = catalog_view()
    outcome = match(
        catalog.index,
        search.needs,
        where,
        offset=search.offset,
        limit=search.per_page,
        order=search.sort,
    )
    ids = [r.provider_id for r in (*outcome.results, *outcome.alternatives)]
    return SearchPage(search, origin, outcome, cards_of(ids, catalog.cards))


# Cards kept per process at most (about 0.6 kB each, numbers read): every listing of a
# directory ten times the national one (191k listings: a 414 MB worker); beyond, they are
# dropped and reread, which costs a search about as much as the rest of it.
KEPT_CARDS = 250_000


def cards_of(ids: list[str], kept: dict[str, ListingCard]) -> dict[str, ListingCard]:
    """The cards of these listings: those already shown at this catalog revision are kept
    (``kept``), the others read in one query and kept."""
    cards = {listing_id: kept.get(listing_id) for listing_id in ids}
    missing = [listing_id for listing_id, card in cards.items() if card is None]
    if missing:
        loaded = listings_by_id(missing)
        if len(kept) + len(loaded) > KEPT_CARDS:
            kept.clear()
        kept.update(loaded)
        cards.update(loaded)
    return {listing_id: card for listing_id, card in cards.items() if card is not None}


def warm_cards() -> int:
    """Keep the card of every listing searched (up to ``KEPT_CARDS``), its numbers read: what
    a worker does as it starts, so that its first searches load and parse nothing. Returns
    how many listings the index holds."""
    catalog = catalog_view()
    table = Listing.__table__
    query = CARD_QUERY.where(table.c.status == ACTIVE, table.c.name != "").limit(KEPT_CARDS)
    for row in db.session.connection().execute(query):
        card = _card(row)
        stored_phones(card.phone, card.intake_phone, card.state)
        catalog.cards.setdefault(card.id, card)
    return len(catalog.index)


def listings_by_id(ids: list[str]) -> dict[str, ListingCard]:
    """The cards of these listings, read in one core query (no ORM objects, no JSON)."""
    if not ids:
        return {}
    rows = db.session.connection().execute(CARD_QUERY.where(Listing.__table__.c.id.in_(ids)))
    return {row.id: _card(row) for row in rows}
