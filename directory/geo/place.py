"""Placing a listing on the map from its address: what the importer and moderation share."""

from __future__ import annotations

from directory.geo.gazetteer import gazetteer
from directory.geo.locate import LocationNotFound, locate

NOT_LOCATED = {"lat": None, "lon": None, "location_precision": None}


def place_address(zip_code: str, city: str, state: str) -> dict:
    """Coordinates from the ZIP centroid, else the city, else none (reported as not located)."""
    places = gazetteer()
    point = places.zip_point(zip_code)
    if point is None and city and state:
        point = places.city_point(city, state)
    if point is None:
        return dict(NOT_LOCATED)
    return {"lat": point.lat, "lon": point.lon, "location_precision": point.precision}


def place_listing(street: str, city: str, state: str, zip_code: str, geocoder=None) -> dict:
    """Coordinates for an address: the online geocoder's at street level if it has them, else
    the ZIP's or the city's."""
    if geocoder is not None and street:
        try:
            point = locate(f"{street}, {city}, {state} {zip_code}", geocoder)
        except LocationNotFound:
            point = None
        if point is not None and point.precision == "address":
            return {"lat": point.lat, "lon": point.lon, "location_precision": "address"}
    return place_address(zip_code, city, state)
