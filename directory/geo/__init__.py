"""Geography: the offline gazetteer, free-text location lookup, an optional online geocoder,
and distances."""

from directory.geo.distance import distance_miles
from directory.geo.gazetteer import Gazetteer, Point, gazetteer, state_code
from directory.geo.locate import LocationNotFound, locate
from directory.geo.online import Geocoder, make_geocoder

__all__ = [
    "Gazetteer",
    "Geocoder",
    "LocationNotFound",
    "Point",
    "distance_miles",
    "gazetteer",
    "locate",
    "make_geocoder",
    "state_code",
]
