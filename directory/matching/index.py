"""The in-memory provider index: numpy arrays of positions, states and per-family bitmasks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from directory.vocabulary import FAMILIES

EARTH_RADIUS_MILES = 3958.7613

# Bitmask families: vocabulary family code -> ``ProviderRecord`` field.
MASK_FIELDS: dict[str, str] = {
    "service_type": "service_types",
    "care_level": "care_levels",
    "therapy": "therapies",
    "medication": "medications",
    "payment": "payments",
    "age_group": "age_groups",
    "gender": "genders",
    "population": "populations",
    "language": "languages",
}

# Small integer codes for tri-state and dual-diagnosis values (-1 is always "unknown").
UNKNOWN_VALUE = -1
DUAL_VALUE = {"none": 0, "capable": 1, "enhanced": 2}


@dataclass(frozen=True)
class ProviderRecord:
    """What the index needs about one listing; ``None`` in a family means no data (unknown)."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    state: str
    service_types: frozenset[str] | None = None
    care_levels: frozenset[str] | None = None
    dual_diagnosis: str | None = None
    therapies: frozenset[str] | None = None
    medications: frozenset[str] | None = None
    payments: frozenset[str] | None = None
    age_groups: frozenset[str] | None = None
    genders: frozenset[str] | None = None
    populations: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    telehealth: bool | None = None
    accepting_new_clients: bool | None = None


def bit_of(family: str, code: str) -> int:
    """The bit standing for one code of a family (its position in the vocabulary)."""
    return 1 << FAMILIES[family].codes.index(code)


def bits_of(family: str, codes) -> int:
    """The bitmask of a set of codes; codes the vocabulary does not know are ignored."""
    known = FAMILIES[family].codes
    return sum(1 << known.index(code) for code in set(codes) if code in known)


def codes_of(family: str, bits: int) -> list[str]:
    """The codes set in a bitmask, in vocabulary order."""
    return [code for i, code in enumerate(FAMILIES[family].codes) if bits >> i & 1]


def _tri_state(value: bool | None) -> int:
    return UNKNOWN_VALUE if value is None else int(bool(value))


def great_circle_miles(lat1, lon1, lat2, lon2):
    """Haversine great-circle distance in miles between points in degrees (numpy-broadcast)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    return _haversine(lat1, lon1, np.cos(lat1), lat2, lon2, np.cos(lat2))


def _haversine(lat1, lon1, cos1, lat2, lon2, cos2):
    half = np.sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))


class ProviderIndex:
    """Providers as columns, ordered by latitude (unlocated ones last) for a fast band lookup.

    ``ids`` and ``names`` are lists; everything the matcher filters or scores on is a numpy
    array indexed by row. Build it with ``ProviderIndex.build(records)``.
    """

    def __init__(self, records: list[ProviderRecord]):
        records = sorted(records, key=lambda r: (r.lat is None or r.lon is None, r.lat or 0.0))
        self.ids = [r.id for r in records]
        self.names = [r.name for r in records]
        self.states = tuple(sorted({r.state.upper() for r in records} | {""}))
        self._build_positions(records)
        self._build_attributes(records)
        self._build_lookups()

    @classmethod
    def build(cls, records) -> ProviderIndex:
        """An index over plain ``ProviderRecord`` objects (any iterable)."""
        return cls(list(records))

    def __len__(self) -> int:
        return len(self.ids)

    def _build_positions(self, records) -> None:
        located = [r.lat is not None and r.lon is not None for r in records]
        self.lat = np.array(
            [r.lat if ok else np.nan for r, ok in zip(records, located, strict=True)]
        )
        self.lon = np.array(
            [r.lon if ok else np.nan for r, ok in zip(records, located, strict=True)]
        )
        self.located_count = int(sum(located))
        self.lat_rad = np.radians(self.lat)
        self.lon_rad = np.radians(self.lon)
        self.cos_lat = np.cos(self.lat_rad)
        state_code = {state: i for i, state in enumerate(self.states)}
        self.state = np.array([state_code[r.state.upper()] for r in records], dtype=np.uint8)

    def _build_attributes(self, records) -> None:
        self.masks: dict[str, np.ndarray] = {}
        self.reported: dict[str, np.ndarray] = {}
        for family, attr in MASK_FIELDS.items():
            values = [getattr(r, attr) for r in records]
            bit = {code: 1 << i for i, code in enumerate(FAMILIES[family].codes)}
            masks = [sum(bit.get(code, 0) for code in v) if v else 0 for v in values]
            self.masks[family] = np.array(masks, dtype=np.uint64)
            self.reported[family] = np.array([v is not None for v in values], dtype=bool)
        dual = [DUAL_VALUE.get(r.dual_diagnosis, UNKNOWN_VALUE) for r in records]
        self.dual = np.array(dual, dtype=np.int8)
        self.telehealth = np.array([_tri_state(r.telehealth) for r in records], dtype=np.int8)
        accepting = [_tri_state(r.accepting_new_clients) for r in records]
        self.accepting = np.array(accepting, dtype=np.int8)

    def _build_lookups(self) -> None:
        # Rank of (name, id): the final tie-break, as one integer sort key.
        order = sorted(range(len(self.ids)), key=lambda i: (self.names[i], self.ids[i]))
        self.name_rank = np.empty(len(order), dtype=np.int32)
        self.name_rank[order] = np.arange(len(order), dtype=np.int32)
        # Rows offering telehealth, per state: found at any distance when telehealth is asked.
        offering = np.flatnonzero(self.telehealth == 1)
        self.telehealth_rows = {
            state: offering[self.state[offering] == i].astype(np.int32)
            for i, state in enumerate(self.states)
        }

    def state_code(self, state: str) -> int:
        """The small integer standing for a state in ``self.state`` (-1 if no provider has it)."""
        state = state.upper()
        return self.states.index(state) if state in self.states else -1

    def rows_near(self, lat: float, lon: float, miles: float) -> np.ndarray:
        """Rows of located providers in a lat/lon box that contains the circle of ``miles``."""
        angle = miles / EARTH_RADIUS_MILES * 1.000001 + 1e-9
        dlat = math.degrees(angle)
        located = self.lat[: self.located_count]
        low = int(np.searchsorted(located, lat - dlat, side="left"))
        high = int(np.searchsorted(located, lat + dlat, side="right"))
        rows = np.arange(low, high, dtype=np.int32)
        dlon = _longitude_reach(lat, angle)
        if dlon is None:
            return rows
        apart = np.abs(self.lon[rows] - lon)
        apart = np.minimum(apart, 360.0 - apart)
        return rows[apart <= dlon]

    def distances(self, rows: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """Great-circle miles from a point to each row; ``inf`` for providers not located."""
        lat1, lon1 = math.radians(lat), math.radians(lon)
        miles = _haversine(
            lat1, lon1, math.cos(lat1), self.lat_rad[rows], self.lon_rad[rows], self.cos_lat[rows]
        )
        return np.where(np.isnan(miles), np.inf, miles)

    def nbytes(self) -> int:
        """Bytes held in numpy arrays (names and ids are Python lists, not counted)."""
        arrays = [self.lat, self.lon, self.lat_rad, self.lon_rad, self.cos_lat, self.state]
        arrays += [self.dual, self.telehealth, self.accepting, self.name_rank]
        arrays += list(self.masks.values()) + list(self.reported.values())
        arrays += list(self.telehealth_rows.values())
        return sum(a.nbytes for a in arrays)


def _longitude_reach(lat: float, angle: float) -> float | None:
    """Half-width in degrees of longitude of a spherical cap; None when it spans every longitude."""
    if angle >= math.pi / 2:
        return None
    cos_lat = math.cos(math.radians(lat))
    ratio = math.sin(angle) / cos_lat if cos_lat > 0 else 2.0
    if ratio >= 1.0:
        return None
    return math.degrees(math.asin(ratio)) * 1.000001 + 1e-9
