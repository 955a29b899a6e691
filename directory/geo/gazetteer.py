"""An offline gazetteer of US ZIP centroids and city/state places.

Its data, ``directory/data/us_places.tsv.gz``, is generated from the ``zipcodes`` package by
``scripts/build-gazetteer-data`` (GeoNames coordinates, CC BY 4.0; USPS names and ZIPs,
public domain), so placing a ZIP or a city needs no network, and the app does not import
``zipcodes`` at runtime. ZIPs are held as numpy arrays (about 1 MB in all) and cities as
one small tuple each; ``Point`` objects are made only for the place looked up. Cities and
states are placed at the mean of their ZIP centroids.
"""

from __future__ import annotations

import gzip
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from directory.geo.distance import distance_miles
from directory.vocabulary import US_STATES

_ZIP = re.compile(r"^\s*(\d{5})(?:[-\s]?\d{4})?\s*$")
_FOLD = re.compile(r"[^a-z0-9]+")

# The USPS's usual abbreviations in place names, folded to one spelling.
_PLACE_WORDS = {"saint": "st", "ste": "st", "sainte": "st", "fort": "ft", "mount": "mt"}

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "us_places.tsv.gz"

# A point farther than this from every ZIP centroid is taken to be outside the US.
MAX_MILES_FROM_A_ZIP = 100.0


@dataclass(frozen=True)
class Point:
    """A place on the map, how precisely it was placed, and a label a person recognises."""

    lat: float
    lon: float
    precision: str  # "address", "zip", "city", "county", "region" or "state"
    label: str
    state: str = ""
    zip: str = ""
    # Other places the words could mean, as (label, what to search for): "or Boston, GA?"
    also: tuple[tuple[str, str], ...] = ()
    # What the person typed, when the search runs with a correction of it ("Hazzard KY").
    typed: str = ""


def fold_place(name: str) -> str:
    """Fold a place name for comparison: accents, case, punctuation, spacing and the USPS's
    common abbreviations ("Cañon City" and "canon city" are the same place)."""
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = _FOLD.sub(" ", plain).split()
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


class Gazetteer:
    """ZIP, city, county and state lookups over compact arrays; ``Point`` objects are made on
    lookup.

    ``rows`` are ``(zip, lat, lon, state, city, acceptable city names[, county])`` tuples,
    sorted by ZIP, as ``scripts/build-gazetteer-data`` writes them (``load_rows()`` reads it).
    A place's size is its number of ZIPs: the offline data has no population, and a city with
    more ZIPs is the bigger one (Boston, MA has 37; Boston, GA one).
    """

    def __init__(self, rows):
        codes: list[int] = []
        lats: list[float] = []
        lons: list[float] = []
        states: list[int] = []
        city_of: list[int] = []
        state_index: dict[str, int] = {}
        name_index: dict[str, int] = {}
        cities: dict[tuple[str, str], list[int]] = {}
        counties: dict[tuple[str, str], list[int]] = {}
        county_names: dict[tuple[str, str], str] = {}
        for code, lat, lon, state, city, acceptable, *county in rows:
            lat, lon = float(lat), float(lon)
            if lat == 0 and lon == 0:  # the data's placeholder for "not known" (APO/FPO and others)
                continue
            row = len(codes)
            codes.append(int(code))
            lats.append(lat)
            lons.append(lon)
            states.append(state_index.setdefault(state, len(state_index)))
            city_of.append(name_index.setdefault(city, len(name_index)))
            for name in (city, *acceptable):
                cities.setdefault((fold_place(name), state), []).append(row)
            if county and county[0]:
                key = (fold_place(county[0]), state)
                counties.setdefault(key, []).append(row)
                county_names[key] = county[0]
        order = np.argsort(np.array(codes, dtype=np.int32), kind="stable")
        if np.any(order != np.arange(len(order))):
            raise ValueError("gazetteer rows must be sorted by ZIP")
        self._codes = np.array(codes, dtype=np.int32)
        self._lat = np.array(lats, dtype=np.float64)
        self._lon = np.array(lons, dtype=np.float64)
        self._state = np.array(states, dtype=np.uint8)
        self._city = np.array(city_of, dtype=np.int32)
        self._state_names = tuple(state_index)
        self._city_names = tuple(name_index)
        self._cities = self._city_table(cities, lats, lons)
        self._counties = {
            key: (*_mean(rows, lats, lons), f"{county_names[key]}, {key[1]}", len(rows))
            for key, rows in counties.items()
        }
        self._states_of_city = _states_by_name(self._cities)
        self._states_of_county = _states_by_name(self._counties)

    def _city_table(self, cities, lats, lons) -> dict[tuple[str, str], tuple]:
        """(folded name, state) -> (lat, lon, label, size): a city at the mean of its ZIP
        centroids, labelled with its USPS name where it has one."""
        table = {}
        for (folded, state), rows in cities.items():
            names = [self._city_names[self._city[r]] for r in rows]
            usps = [name for name in names if fold_place(name) == folded]
            label = f"{usps[0] if usps else folded.title()}, {state}"
            lat, lon = _mean(rows, lats, lons)
            table[(folded, sys.intern(state))] = (lat, lon, label, len(rows))
        return table

    def places_named(self, name: str, kind: str = "city") -> list[Point]:
        """Every city (or county) of this name in any state, the biggest first."""
        folded = fold_place(name)
        table, states = (
            (self._cities, self._states_of_city)
            if kind == "city"
            else (self._counties, self._states_of_county)
        )
        found = [(table[(folded, state)], state) for state in states.get(folded, ())]
        found.sort(key=lambda item: (-item[0][3], item[1]))
        precision = "city" if kind == "city" else "county"
        return [Point(lat, lon, precision, label, st) for (lat, lon, label, _), st in found]

    def county_point(self, county: str, state: str) -> Point | None:
        """The centre of a county (parish, borough, municipio) in a state, or None."""
        code = state_code(state)
        found = self._counties.get((fold_place(county), code)) if code else None
        if found is None:
            return None
        lat, lon, label, _ = found
        return Point(lat, lon, "county", label, code)

    def state_part(self, state: str, direction: str) -> Point | None:
        """The centre of a third of a state's ZIPs: "east", "west", "north", "south" or
        "central" (the middle third both ways)."""
        if state not in self._state_names:
            return None
        rows = np.flatnonzero(self._state == self._state_names.index(state))
        lat, lon = self._lat[rows], self._lon[rows]
        low_lat, high_lat = np.quantile(lat, [1 / 3, 2 / 3])
        low_lon, high_lon = np.quantile(lon, [1 / 3, 2 / 3])
        chosen = {
            "east": lon >= high_lon,
            "west": lon <= low_lon,
            "north": lat >= high_lat,
            "south": lat <= low_lat,
            "central": (lat > low_lat) & (lat < high_lat) & (lon > low_lon) & (lon < high_lon),
        }[direction]
        if not chosen.any():
            return None
        label = US_STATES.get(state, state)
        return Point(float(lat[chosen].mean()), float(lon[chosen].mean()), "region", label, state)

    def city_names(self, state: str | None, initial: str) -> list[str]:
        """Folded names of the cities (in one state, or anywhere) that begin with ``initial``:
        the candidates for a misspelling, which seldom changes a name's first letter."""
        return self._names_by_initial.get((state, initial), [])

    def county_names(self, state: str | None) -> list[str]:
        """Folded names of the counties (parishes, boroughs, municipios) in one state, or
        anywhere: the candidates for a misspelt county."""
        if state is None:
            return list(self._states_of_county)
        return [folded for folded, in_state in self._counties if in_state == state]

    @cached_property
    def _names_by_initial(self) -> dict[tuple[str | None, str], list[str]]:
        table: dict[tuple[str | None, str], list[str]] = {}
        for folded in self._states_of_city:
            table.setdefault((None, folded[:1]), []).append(folded)
        for folded, state in self._cities:
            table.setdefault((state, folded[:1]), []).append(folded)
        return table

    def city_size(self, folded: str, state: str) -> int:
        found = self._cities.get((folded, state))
        return found[3] if found else 0

    def _zip_row(self, code: str) -> int | None:
        number = int(code)
        row = int(np.searchsorted(self._codes, number))
        return row if row < len(self._codes) and self._codes[row] == number else None

    def _zip_at(self, row: int) -> Point:
        code = f"{int(self._codes[row]):05d}"
        state = self._state_names[self._state[row]]
        label = f"{self._city_names[self._city[row]]}, {state} {code}"
        return Point(float(self._lat[row]), float(self._lon[row]), "zip", label, state, code)

    def zip_point(self, text: str) -> Point | None:
        """The centroid of a five-digit ZIP (ZIP+4 accepted), or None."""
        code = normalize_zip(text)
        row = self._zip_row(code) if code else None
        return None if row is None else self._zip_at(row)

    def city_point(self, city: str, state: str) -> Point | None:
        """The centre of a city in a state (code or name), or None."""
        code = state_code(state)
        if not code:
            return None
        found = self._cities.get((fold_place(city), code))
        if found is None:
            return None
        lat, lon, label, _ = found
        return Point(lat, lon, "city", label, code)

    def zip_state(self, text: str) -> str | None:
        code = normalize_zip(text)
        row = self._zip_row(code) if code else None
        return None if row is None else self._state_names[self._state[row]]

    def cities_in(self, state: str) -> list[Point]:
        code = state_code(state)
        return [
            Point(lat, lon, "city", label, st)
            for (_, st), (lat, lon, label, _) in self._cities.items()
            if st == code
        ]

    def zips(self) -> list[Point]:
        return [self._zip_at(row) for row in range(len(self._codes))]

    def state_point(self, state: str) -> Point | None:
        """A state (code or name) at the mean of its ZIP centroids, or None."""
        code = state_code(state)
        return self._states.get(code) if code else None

    def nearest_zip(self, lat: float, lon: float) -> Point | None:
        """The ZIP whose centroid is nearest a point (flat-earth approximation), or None."""
        if not len(self._codes):
            return None
        dx = (self._lon - lon) * np.cos(np.radians(lat))
        return self._zip_at(int(np.argmin((self._lat - lat) ** 2 + dx**2)))

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
        """Each state at the mean of its ZIP centroids, labelled with its name."""
        points = {}
        for code in US_STATES:
            if code not in self._state_names:
                continue
            rows = self._state == self._state_names.index(code)
            lat = sum(self._lat[rows].tolist()) / int(rows.sum())
            lon = sum(self._lon[rows].tolist()) / int(rows.sum())
            points[code] = Point(lat, lon, "state", US_STATES[code], code)
        return points


def _mean(rows, lats, lons) -> tuple[float, float]:
    return sum(lats[r] for r in rows) / len(rows), sum(lons[r] for r in rows) / len(rows)


def _states_by_name(table) -> dict[str, tuple[str, ...]]:
    """folded name -> the states that have a place of that name."""
    states: dict[str, list[str]] = {}
    for folded, state in table:
        states.setdefault(folded, []).append(state)
    return {folded: tuple(found) for folded, found in states.items()}


def load_rows(path: Path = DATA_FILE):
    """The rows of the gazetteer's data file (see ``scripts/build-gazetteer-data``)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            code, lat, lon, state, city, acceptable, county = line.rstrip("\n").split("\t")
            yield code, lat, lon, state, city, acceptable.split("|") if acceptable else (), county


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use from the shipped data file)."""
    return Gazetteer(load_rows())
