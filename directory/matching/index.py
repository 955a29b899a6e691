"""The in-memory provider index: numpy arrays of positions, states and per-family bitmasks."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from directory.geo.distance import EARTH_RADIUS_MILES
from directory.geo.timezones import zone_of
from directory.listings.hours import open_at, week_of
from directory.vocabulary import FAMILIES, LISTING_FIELDS

# Bitmask families: vocabulary family code -> ``ProviderRecord`` field (accreditation is
# never a search criterion).
MASK_FIELDS: dict[str, str] = {
    family: field for family, field in LISTING_FIELDS.items() if family != "accreditation"
}

# Small integer codes for tri-state and dual-diagnosis values (-1 is always "unknown").
UNKNOWN_VALUE = -1
DUAL_VALUE = {"none": 0, "capable": 1, "enhanced": 2}
# Availability statuses, worst to best (directory.listings.availability); anything else is unknown.
AVAILABILITY_VALUE = {"not_accepting": 0, "waitlist": 1, "assessment_required": 2, "accepting": 3}
NO_EXPIRY = np.inf
# Availability per care level (a column per care-level code): a level the provider gave no
# status of its own has the listing's status.
CARE_LEVELS = FAMILIES["care_level"].codes
NOT_STATED = -2


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
    detox_for: frozenset[str] | None = None
    supports: frozenset[str] | None = None
    operators: frozenset[str] | None = None
    telehealth: bool | None = None
    availability_status: str | None = None
    availability_expires_at: datetime | None = None
    # ``{care_level_code: {"status": ..., "wait_days": ...}}`` (directory.listings.availability)
    availability_by_care_level: dict | None = None
    walk_in: bool | None = None
    # Weekly hours as stored (directory.listings.hours), read in the zone of the ZIP or state.
    hours: list | None = None
    zip: str = ""
    # When the provider or directory staff last confirmed the details, availability or hours,
    # or a caller last said they reached them and they can help (freshness, in the score);
    # None: never.
    last_verified_on: date | None = None
    availability_updated_at: datetime | None = None
    hours_updated_at: datetime | None = None
    last_helped_at: datetime | None = None


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


def _availability(status: str | None) -> int:
    return AVAILABILITY_VALUE.get(status, UNKNOWN_VALUE)


def _level_availability(given) -> tuple[int, ...]:
    """A listing's availability code per care level (``NOT_STATED`` where it gave none)."""
    if isinstance(given, str):
        given = json.loads(given)
    if not isinstance(given, dict) or not given:
        return _NONE_STATED
    return tuple(
        AVAILABILITY_VALUE.get((given.get(code) or {}).get("status"), NOT_STATED)
        if isinstance(given.get(code), dict)
        else NOT_STATED
        for code in CARE_LEVELS
    )


_NONE_STATED = (NOT_STATED,) * len(CARE_LEVELS)


def timestamp(moment: datetime | None) -> float:
    """Seconds since the epoch of a naive UTC time; no expiry is infinitely far."""
    return NO_EXPIRY if moment is None else (moment - _EPOCH).total_seconds()


_EPOCH = datetime(1970, 1, 1)


class _FamilyBits(dict):
    """Codes (a JSON text, a collection or None) -> bitmask of a family; -1 when unknown.

    Texts are cached: listings repeat the same few lists, so each is decoded once.
    """

    def __init__(self, family: str):
        super().__init__()
        self.bit = {code: 1 << i for i, code in enumerate(FAMILIES[family].codes)}

    def __missing__(self, text: str) -> int:
        bits = self.bits(json.loads(text))
        self[text] = bits
        return bits

    def bits(self, codes) -> int:
        if codes is None:
            return UNKNOWN_VALUE
        if isinstance(codes, str):
            return self[codes]
        bits = 0
        for code in codes:
            bits |= self.bit.get(code, 0)
        return bits


class IndexColumns:
    """Accumulates providers as compact columns, in chunks, for ``ProviderIndex.from_columns``.

    ``add_rows`` takes tuples in ``ROW_FIELDS`` order, where each family is a JSON text (as
    stored), a list of codes, or None (unknown); ``add_records`` takes ``ProviderRecord``
    objects. Only small per-row values are kept between chunks, so the rows of a query can
    be streamed through without holding them all.
    """

    ROW_FIELDS = (
        "id",
        "name",
        "lat",
        "lon",
        "state",
        *MASK_FIELDS.values(),
        "dual_diagnosis",
        "telehealth",
        "availability_status",
        "availability_expires_at",
        "availability_by_care_level",
        "walk_in",
        "hours",
        "zip",
        "last_verified_on",
        "availability_updated_at",
        "hours_updated_at",
        "last_helped_at",
    )
    CONFIRMATIONS = 4  # the last fields: the moments a listing was confirmed

    def __init__(self):
        self.ids: list[str] = []
        self.names: list[str] = []
        self.state: list[str] = []
        self.hours: list = []
        self._chunks: dict[str, list[np.ndarray]] = {}
        self._family_bits = {family: _FamilyBits(family) for family in MASK_FIELDS}

    def add_records(self, records) -> None:
        self.add_rows([tuple(getattr(r, name) for name in self.ROW_FIELDS) for r in records])

    def add_rows(self, rows) -> None:
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        ids, names, lat, lon, state = columns[:5]
        count = len(ids)
        self.ids.extend(ids)
        self.names.extend(names)
        self.state.extend((value or "").upper() for value in state)
        self._add("lat", np.array(lat, dtype=np.float64))  # None -> NaN
        self._add("lon", np.array(lon, dtype=np.float64))
        end = 5 + len(MASK_FIELDS)
        for family, values in zip(MASK_FIELDS, columns[5:end], strict=True):
            bits = self._family_bits[family]
            self._add(family, np.fromiter(map(bits.bits, values), dtype=np.int64, count=count))
        confirmations = -self.CONFIRMATIONS
        dual_values, telehealth, availability, expires, by_level, walk_in, hours, zips = columns[
            end:confirmations
        ]
        confirmed = map(_confirmed, *columns[confirmations:])
        self._add("confirmed", np.fromiter(confirmed, np.float64, count))
        self._add("walk_in", np.fromiter(map(_tri_state, walk_in), np.int8, count))
        self.hours.extend(map(_week_and_zone, hours, state, zips))
        dual = (DUAL_VALUE.get(value, UNKNOWN_VALUE) for value in dual_values)
        self._add("dual", np.fromiter(dual, dtype=np.int8, count=count))
        self._add("telehealth", np.fromiter(map(_tri_state, telehealth), np.int8, count))
        self._add("availability", np.fromiter(map(_availability, availability), np.int8, count))
        self._add("expires", np.fromiter(map(timestamp, expires), np.float64, count))
        levels = np.array(list(map(_level_availability, by_level)), dtype=np.int8)
        self._add("levels", levels.reshape(count, len(CARE_LEVELS)))

    def _add(self, name: str, values: np.ndarray) -> None:
        self._chunks.setdefault(name, []).append(values)

    def _column(self, name: str, dtype, width: int | None = None) -> np.ndarray:
        chunks = self._chunks.get(name)
        if chunks:
            return np.concatenate(chunks)
        return np.zeros(0 if width is None else (0, width), dtype=dtype)

    def arrays(self) -> dict:
        """The keyword arguments of ``ProviderIndex.from_columns``."""
        bits = {family: self._column(family, np.int64) for family in MASK_FIELDS}
        return {
            "ids": self.ids,
            "names": self.names,
            "lat": self._column("lat", np.float64),
            "lon": self._column("lon", np.float64),
            "state": self.state,
            "masks": {f: _offered(f, b) for f, b in bits.items()},
            "reported": {f: b >= 0 for f, b in bits.items()},
            "dual": self._column("dual", np.int8),
            "telehealth": self._column("telehealth", np.int8),
            "availability": self._column("availability", np.int8),
            "expires": self._column("expires", np.float64),
            "levels": self._column("levels", np.int8, len(CARE_LEVELS)),
            "walk_in": self._column("walk_in", np.int8),
            "hours": self.hours,
            "confirmed": self._column("confirmed", np.float64),
        }

    def index(self) -> ProviderIndex:
        return ProviderIndex.from_columns(**self.arrays())


def _confirmed(verified_on: date | None, *moments: datetime | None) -> float:
    """The latest confirmation, in epoch seconds (a day counts from its start); -inf: never."""
    if isinstance(verified_on, date) and not isinstance(verified_on, datetime):
        verified_on = datetime.combine(verified_on, datetime.min.time())
    known = [m for m in (verified_on, *moments) if isinstance(m, datetime)]
    return timestamp(max(known)) if known else -np.inf


def _week_and_zone(stored, state: str | None, zip_code: str | None):
    """A row's weekly hours and time zone, or ``None`` when either is unknown."""
    week, zone = week_of(stored), zone_of(state, zip_code)
    return None if week is None or zone is None else (week, zone)


# Offered by every provider whatever it reported (DESIGN.md 3.1: every provider offers en).
ALWAYS_OFFERED = {"language": ("en",)}


def _offered(family: str, bits: np.ndarray) -> np.ndarray:
    """The family's bitmask column: unknown (-1) rows have no bit but those always offered."""
    offered = np.where(bits < 0, 0, bits).astype(np.uint64)
    always = bits_of(family, ALWAYS_OFFERED.get(family, ()))
    return offered | np.uint64(always) if always else offered


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
    array indexed by row. Build it with ``ProviderIndex.build(records)`` from plain records,
    or with ``ProviderIndex.from_columns(...)`` (``IndexColumns``) from database rows.
    """

    def __init__(self, records: list[ProviderRecord]):
        columns = IndexColumns()
        columns.add_records(records)
        self._set_columns(**columns.arrays())

    @classmethod
    def build(cls, records) -> ProviderIndex:
        """An index over plain ``ProviderRecord`` objects (any iterable)."""
        return cls(list(records))

    @classmethod
    def from_columns(cls, **columns) -> ProviderIndex:
        """An index over columns in any order (see ``IndexColumns.arrays`` for their shapes)."""
        index = cls.__new__(cls)
        index._set_columns(**columns)
        return index

    def __len__(self) -> int:
        return len(self.ids)

    def patched(self, replace: set[str], columns: dict) -> ProviderIndex:
        """A new index without the providers in ``replace``, plus those in ``columns``
        (``IndexColumns.arrays()``): cheaper than a rebuild when a few listings changed."""
        keep = np.flatnonzero([provider_id not in replace for provider_id in self.ids])
        listed = keep.tolist()

        def joined(mine: np.ndarray, theirs) -> np.ndarray:
            return np.concatenate((mine[keep], np.asarray(theirs, dtype=mine.dtype)))

        return ProviderIndex.from_columns(
            ids=[self.ids[i] for i in listed] + list(columns["ids"]),
            names=[self.names[i] for i in listed] + list(columns["names"]),
            lat=joined(self.lat, columns["lat"]),
            lon=joined(self.lon, columns["lon"]),
            state=[self.states[c] for c in self.state[keep].tolist()] + list(columns["state"]),
            masks={f: joined(self.masks[f], columns["masks"][f]) for f in MASK_FIELDS},
            reported={f: joined(self.reported[f], columns["reported"][f]) for f in MASK_FIELDS},
            dual=joined(self.dual, columns["dual"]),
            telehealth=joined(self.telehealth, columns["telehealth"]),
            availability=joined(self.availability, columns["availability"]),
            expires=joined(self.expires, columns["expires"]),
            walk_in=joined(self.walk_in, columns["walk_in"]),
            hours=[self.hours[i] for i in listed] + list(columns["hours"]),
            confirmed=joined(self.confirmed, columns["confirmed"]),
            levels=joined(self.levels, columns["levels"]),
        )

    def _set_columns(
        self,
        ids,
        names,
        lat,
        lon,
        state,
        masks,
        reported,
        dual,
        telehealth,
        availability,
        expires,
        walk_in=None,
        hours=None,
        confirmed=None,
        levels=None,
    ) -> None:
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        located = ~(np.isnan(lat) | np.isnan(lon))
        # Located rows by latitude, then the others (stable: ties keep their input order).
        order = np.lexsort((np.nan_to_num(lat, nan=0.0), ~located))
        self.ids = [ids[i] for i in order.tolist()]
        self.names = [names[i] for i in order.tolist()]
        self.states = tuple(sorted(set(state) | {""}))
        code = {name: i for i, name in enumerate(self.states)}
        states = np.fromiter((code[name] for name in state), dtype=np.uint8, count=len(state))
        self.state = states[order]
        located = located[order]
        self.lat = np.where(located, lat[order], np.nan)
        self.lon = np.where(located, lon[order], np.nan)
        self.located_count = int(located.sum())
        self.lat_rad = np.radians(self.lat)
        self.lon_rad = np.radians(self.lon)
        self.cos_lat = np.cos(self.lat_rad)
        self.masks = {family: np.asarray(masks[family], np.uint64)[order] for family in MASK_FIELDS}
        self.reported = {
            family: np.asarray(reported[family], bool)[order] for family in MASK_FIELDS
        }
        self.dual = np.asarray(dual, dtype=np.int8)[order]
        self.telehealth = np.asarray(telehealth, dtype=np.int8)[order]
        self.availability = np.asarray(availability, dtype=np.int8)[order]
        self.expires = np.asarray(expires, dtype=np.float64)[order]
        count = len(ids)
        walk_in = np.full(count, UNKNOWN_VALUE, np.int8) if walk_in is None else walk_in
        self.walk_in = np.asarray(walk_in, dtype=np.int8)[order]
        hours = [None] * count if hours is None else hours
        self.hours = [hours[i] for i in order.tolist()]
        self.has_hours = np.fromiter((h is not None for h in self.hours), bool, count)
        confirmed = np.full(count, -np.inf) if confirmed is None else confirmed
        self.confirmed = np.asarray(confirmed, dtype=np.float64)[order]
        shape = (count, len(CARE_LEVELS))
        levels = np.full(shape, NOT_STATED, np.int8) if levels is None else levels
        self.levels = np.asarray(levels, dtype=np.int8).reshape(shape)[order]
        self.has_levels = (self.levels != NOT_STATED).any(axis=1)
        self._build_lookups()

    def _build_lookups(self) -> None:
        # Rank of (name, id): the final tie-break, as one integer sort key. Two stable sorts
        # (by id, then by name) give the (name, id) order without a tuple per row.
        order = sorted(range(len(self.ids)), key=self.ids.__getitem__)
        order.sort(key=self.names.__getitem__)
        self.name_rank = np.empty(len(order), dtype=np.int32)
        self.name_rank[order] = np.arange(len(order), dtype=np.int32)
        # Rows offering telehealth, per state: found at any distance when telehealth is asked.
        offering = np.flatnonzero(self.telehealth == 1)
        self.telehealth_rows = {
            state: offering[self.state[offering] == i].astype(np.int32)
            for i, state in enumerate(self.states)
        }

    def availability_at(self, rows: np.ndarray, now: float, care_levels=()) -> np.ndarray:
        """Each row's availability code at ``now`` (epoch seconds): unknown once expired.

        With ``care_levels`` asked for, a listing that gave statuses per care level counts the
        best among the asked levels it offers (a level without its own status has the
        listing's); one offering none of them, its own status. They expire together."""
        stated = self.availability[rows]
        asked = [CARE_LEVELS.index(code) for code in care_levels if code in CARE_LEVELS]
        if asked:
            given = np.flatnonzero(self.has_levels[rows])
            if len(given):
                stated = stated.copy()
                stated[given] = self._best_level(rows[given], stated[given], asked)
        return np.where(self.expires[rows] > now, stated, UNKNOWN_VALUE)

    def _best_level(self, rows: np.ndarray, own: np.ndarray, asked: list[int]) -> np.ndarray:
        offered = self.masks["care_level"][rows]
        best = np.full(len(rows), NOT_STATED - 1, np.int8)
        for i in asked:
            level = self.levels[rows, i]
            value = np.where(level != NOT_STATED, level, own)
            offers = (offered >> np.uint64(i)) & np.uint64(1) == 1
            best = np.where(offers, np.maximum(best, value), best)
        return np.where(best >= UNKNOWN_VALUE, best, own).astype(np.int8)

    def open_by_hours(self, rows: np.ndarray, now: float) -> np.ndarray:
        """Each row's "open now" at ``now`` (epoch seconds) by its weekly hours, in its own
        time zone: 1 open, 0 closed, -1 unknown (no hours given). Few listings give hours,
        so only those rows are looked at."""
        opened = np.full(len(rows), UNKNOWN_VALUE, dtype=np.int8)
        moment = _EPOCH + timedelta(seconds=now)
        for j in np.flatnonzero(self.has_hours[rows]).tolist():
            week, zone = self.hours[int(rows[j])]
            opened[j] = int(bool(open_at(week, zone, moment)))
        return opened

    def state_code(self, state: str) -> int:
        """The small integer standing for a state in ``self.state`` (-1 if no provider has it)."""
        state = state.upper()
        return self.states.index(state) if state in self.states else -1

    def rows_in_state(self, state: str) -> np.ndarray:
        """Rows of the located providers in a state."""
        code = self.state_code(state or "")
        if code < 0:
            return np.zeros(0, dtype=np.int32)
        located = self.state[: self.located_count]
        return np.flatnonzero(located == code).astype(np.int32)

    def _box(self, lat: float, lon: float, miles: float) -> tuple[int, int, float | None]:
        """The latitude band (row range) and longitude half-width of the circle's box."""
        angle = miles / EARTH_RADIUS_MILES * 1.000001 + 1e-9
        dlat = math.degrees(angle)
        located = self.lat[: self.located_count]
        low = int(np.searchsorted(located, lat - dlat, side="left"))
        high = int(np.searchsorted(located, lat + dlat, side="right"))
        return low, high, _longitude_reach(lat, angle)

    def rows_near(self, lat: float, lon: float, miles: float) -> np.ndarray:
        """Rows of located providers in a lat/lon box that contains the circle of ``miles``."""
        low, high, dlon = self._box(lat, lon, miles)
        rows = np.arange(low, high, dtype=np.int32)
        if dlon is None:
            return rows
        return rows[self._within_longitude(rows, lon, dlon)]

    def in_box(self, rows: np.ndarray, lat: float, lon: float, miles: float) -> np.ndarray:
        """Which of ``rows`` ``rows_near`` would return for the same circle."""
        low, high, dlon = self._box(lat, lon, miles)
        inside = (rows >= low) & (rows < high)
        if dlon is not None:
            inside &= self._within_longitude(rows, lon, dlon)
        return inside

    def _within_longitude(self, rows: np.ndarray, lon: float, dlon: float) -> np.ndarray:
        apart = np.abs(self.lon[rows] - lon)
        return np.minimum(apart, 360.0 - apart) <= dlon

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
        arrays += [self.dual, self.telehealth, self.availability, self.expires, self.name_rank]
        arrays += [self.walk_in, self.has_hours, self.confirmed, self.levels, self.has_levels]
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
