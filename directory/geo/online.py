"""An optional online geocoder (any geopy service) for street-level precision: US-only, cached."""

from __future__ import annotations

import logging
from functools import lru_cache

from geopy.exc import ConfigurationError, GeocoderNotFound, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import SERVICE_TO_GEOCODER, Nominatim, get_geocoder_for_service

from directory.geo.gazetteer import Point, gazetteer

log = logging.getLogger(__name__)

OFFLINE = "offline"


class Geocoder:
    """A geopy geocoder, rate limited and cached, answering a US Point at "address" precision."""

    def __init__(self, backend, *, min_delay_seconds=1.0, cache_size=1024, query_options=None):
        self._geocode = RateLimiter(
            backend.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,  # a person is waiting: fall back to the gazetteer instead of retrying
            swallow_exceptions=False,
        )
        self._query_options = {"exactly_one": True, **(query_options or {})}
        self._lookup = lru_cache(maxsize=cache_size)(self._ask)

    @property
    def query_options(self) -> dict:
        """The options sent with every query (such as the country restriction)."""
        return dict(self._query_options)

    def geocode(self, text: str) -> Point | None:
        """The point for a street address, or None when the service fails or does not know it."""
        try:
            return self._lookup(normalize_query(text))
        except (GeopyError, OSError) as error:
            # Only the kind of error: its text can contain the request URL, i.e. the address.
            log.warning(
                "Online geocoder failed (%s); using the offline gazetteer", type(error).__name__
            )
            return None

    def _ask(self, query: str) -> Point | None:
        """Ask the service (errors propagate, so they are not cached)."""
        location = self._geocode(query, **self._query_options)
        return _us_point(location) if location is not None else None


def normalize_query(text: str) -> str:
    """The cache key and query for a text: case-folded, with single spaces."""
    return " ".join(text.casefold().split())


def _us_point(location) -> Point | None:
    """A geopy Location as a Point in its nearest ZIP's state, or None if it is not in the US."""
    lat, lon = float(location.latitude), float(location.longitude)
    state = gazetteer().state_at(lat, lon)
    if not state:
        return None
    return Point(lat, lon, "address", location.address or f"{lat:g}, {lon:g}", state)


def make_geocoder(
    name: str,
    user_agent: str,
    *,
    min_delay_seconds: float = 1.0,
    timeout: float = 5,
    cache_size: int = 1024,
    **options,
) -> Geocoder | None:
    """None for "offline", else the named geopy geocoder; ValueError for an unknown name."""
    service = (name or OFFLINE).strip().lower()
    if service == OFFLINE:
        return None
    try:
        cls = get_geocoder_for_service(service)
    except GeocoderNotFound:
        choices = ", ".join([OFFLINE, *sorted(SERVICE_TO_GEOCODER)])
        raise ValueError(f"Unknown geocoder {name!r}; choose one of: {choices}.") from None
    try:
        backend = cls(user_agent=user_agent, timeout=timeout, **options)
    except (TypeError, ConfigurationError) as error:
        raise ValueError(f"Geocoder {name!r} needs more settings (an API key?): {error}") from error
    us_only = {"country_codes": "us"} if issubclass(cls, Nominatim) else {}
    return Geocoder(
        backend, min_delay_seconds=min_delay_seconds, cache_size=cache_size, query_options=us_only
    )
