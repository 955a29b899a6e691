"""An offline gazetteer of US ZIP centroids and city/state places, from the ``zipcodes`` package.

The package ships its data (GeoNames coordinates, CC BY 4.0), so placing a ZIP or a city
needs no network. Cities are placed at the mean of their ZIP centroids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from directory.geo.distance import distance_miles
from directory.vocabulary import US_STATES

_ZIP = re.compile(r"^\s*(\d{5})(?:[-\s]?\d{4})?\s*$")
_FOLD = re.compile(r"[^a-z0-9]+")

# The USPS's usual abbreviations in place names, folded to one spelling.
_PLACE_WORDS = {"saint": "st", "ste": "st", "sainte": "st", "fort": "ft", "mount": "mt"}

# A point farther than this from every ZIP centroid is taken to be outside the US.
MAX_MILES_FROM_A_ZIP = 100.0


@dataclass(frozen=True)
class Point:
    """A place on the map, how precisely it was placed, and a label a person recognises."""

    lat: float
    lon: float
    precision: str  # "address", "zip", "city" or "state"
    label: str
    state: str = ""
    zip: str = ""


def fold_place(name: str) -> str:
    """Fold a place name for comparison: case, punctuation, spacing and common abbreviations."""
    words = _FOLD.sub(" ", name.lower()).split()
    return " ".join(_PLACE_WORDS.get(word, word) for word in words)


def normalize_zip(text: str) -> str | None:
    """``'80202'``, ``'80202-1234'`` or ``'802021234'`` -> ``'80202'``; anything else -> None."""
    match = _ZIP.match(text or "")
    return match.group(1) if match else None


def state_code(text: str) -> str | None:
    """A state's two-letter code from its code or its name, or None."""
    folded = fold_place(text or "")
    return _STATE_BY_NAME.get(folded) or (folded.upper() if folded.upper() in US_STATES else None)


_STATE_BY_NAME = {fold_place(name): code for code, name in US_STATES.items()}


def _city_point(key: tuple[str, str], points: list[tuple[float, float, str]]) -> Point:
    """A city at the mean of its ZIP centroids, labelled with its USPS name where it has one."""
    folded, state = key
    names = [name for _, _, name in points if fold_place(name) == folded]
    label = f"{names[0] if names else folded.title()}, {state}"
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return Point(lat, lon, "city", label, state)


class Gazetteer:
    """ZIP and city lookups over the ``zipcodes`` data, indexed once in memory."""

    def __init__(self, records):
        self._zips: dict[str, Point] = {}
        cities: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        for record in records:
            if not record.get("lat"):
                continue
            lat, lon = float(record["lat"]), float(record["long"])
            if lat == 0 and lon == 0:  # the data's placeholder for "not known" (APO/FPO and others)
                continue
            code, state = record["zip_code"], record["state"]
            label = f"{record['city']}, {state} {code}"
            self._zips[code] = Point(lat, lon, "zip", label, state, code)
            names = [record["city"], *record.get("acceptable_cities", [])]
            for name in names:
                cities.setdefault((fold_place(name), state), []).append((lat, lon, record["city"]))
        self._cities = {key: _city_point(key, points) for key, points in cities.items()}

    def zip_point(self, text: str) -> Point | None:
        """The centroid of a five-digit ZIP (ZIP+4 accepted), or None."""
        code = normalize_zip(text)
        return self._zips.get(code) if code else None

    def city_point(self, city: str, state: str) -> Point | None:
        """The centre of a city in a state (code or name), or None."""
        code = state_code(state)
        if not code:
            return None
        return self._cities.get((fold_place(city), code))

    def zip_state(self, text: str) -> str | None:
        point = self.zip_point(text)
        return point.state if point else None

    def cities_in(self, state: str) -> list[Point]:
        code = state_code(state)
        return [point for (_, st), point in self._cities.items() if st == code]

    def zips(self) -> list[Point]:
        return list(self._zips.values())

    def state_point(self, state: str) -> Point | None:
        """A state (code or name) at the mean of its ZIP centroids, or None."""
        code = state_code(state)
        return self._states.get(code) if code else None

    def nearest_zip(self, lat: float, lon: float) -> Point | None:
        """The ZIP whose centroid is nearest a point (flat-earth approximation), or None."""
        if not self._zips:
            return None
        lats, lons, points = self._zip_arrays
        dx = (lons - lon) * np.cos(np.radians(lat))
        return points[int(np.argmin((lats - lat) ** 2 + dx**2))]

    def state_at(self, lat: float, lon: float) -> str:
        """The state of the ZIP nearest a point, or "" when the point is not near any US ZIP."""
        nearest = self.nearest_zip(lat, lon)
        if (
            nearest is None
            or distance_miles(lat, lon, nearest.lat, nearest.lon) > MAX_MILES_FROM_A_ZIP
        ):
            return ""
        return nearest.state

    @cached_property
    def _states(self) -> dict[str, Point]:
        by_state: dict[str, list[Point]] = {}
        for point in self._zips.values():
            by_state.setdefault(point.state, []).append(point)
        return {code: _state_point(code, by_state[code]) for code in US_STATES if code in by_state}

    @cached_property
    def _zip_arrays(self) -> tuple[np.ndarray, np.ndarray, list[Point]]:
        points = list(self._zips.values())
        lats = np.array([p.lat for p in points])
        lons = np.array([p.lon for p in points])
        return lats, lons, points


def _state_point(code: str, points: list[Point]) -> Point:
    """A state at the mean of its ZIP centroids, labelled with its name."""
    lat = sum(p.lat for p in points) / len(points)
    lon = sum(p.lon for p in points) / len(points)
    return Point(lat, lon, "state", US_STATES[code], code)


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use: about half a second)."""
    import zipcodes

    return Gazetteer(zipcodes.list_all())
