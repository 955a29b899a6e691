"""Place names as people type them: nicknames, a city without its state, counties, parts of a
state, and misspellings (answered with suggestions, or corrected when one is clearly right).

Everything here is offline and reads the gazetteer; ``locate`` calls it once the plain forms
(ZIP, "City, ST", a state) have not matched.
"""

from __future__ import annotations

import math
from dataclasses import replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from directory.geo.gazetteer import Point, fold_place, gazetteer, state_code
from directory.vocabulary import US_STATES

# Nicknames and other names for a place (folded) -> what to search for, and its label.
NICKNAMES: dict[str, tuple[str, str]] = {
    "nyc": ("New York, NY", ""),
    "new york city": ("New York, NY", ""),
    "nueva york": ("New York, NY", ""),
    "ciudad de nueva york": ("New York, NY", ""),
    "philly": ("Philadelphia, PA", ""),
    "filadelfia": ("Philadelphia, PA", ""),
    "east la": ("90022", "East Los Angeles, CA"),
    "east los angeles": ("90022", "East Los Angeles, CA"),
    "este de los angeles": ("90022", "East Los Angeles, CA"),
    "sf": ("San Francisco, CA", ""),
    "san fran": ("San Francisco, CA", ""),
    "dc": ("Washington, DC", ""),
    "nola": ("New Orleans, LA", ""),
    "nueva orleans": ("New Orleans, LA", ""),
    "vegas": ("Las Vegas, NV", ""),
    "atl": ("Atlanta, GA", ""),
    "slc": ("Salt Lake City, UT", ""),
    "okc": ("Oklahoma City, OK", ""),
    "indy": ("Indianapolis, IN", ""),
    "twin cities": ("Minneapolis, MN", ""),
    "the bronx": ("Bronx, NY", ""),
    "nueva jersey": ("New Jersey", ""),
    "nuevo mexico": ("New Mexico", ""),
    "carolina del norte": ("North Carolina", ""),
    "carolina del sur": ("South Carolina", ""),
    "luisiana": ("Louisiana", ""),
    "pensilvania": ("Pennsylvania", ""),
    "misisipi": ("Mississippi", ""),
}

# Abbreviations with more than one common reading: the first is searched, the others offered.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "la": ("Los Angeles, CA", "Louisiana"),
}

# "eastern kentucky", "sur de Texas": a part of a state (English and Spanish words).
_DIRECTIONS = {
    "east": "east",
    "eastern": "east",
    "este": "east",
    "este de": "east",
    "oriente de": "east",
    "west": "west",
    "western": "west",
    "oeste": "west",
    "oeste de": "west",
    "north": "north",
    "northern": "north",
    "norte": "north",
    "norte de": "north",
    "south": "south",
    "southern": "south",
    "sur": "south",
    "sur de": "south",
    "central": "central",
    "centro de": "central",
}
REGION_LABELS = {
    "east": "Eastern %s",
    "west": "Western %s",
    "north": "Northern %s",
    "south": "Southern %s",
    "central": "Central %s",
}

# County words as people type them (English, Spanish) and the words the ZIP data uses.
# Names the ZIP data writes without their accents, as the places write them: Puerto Rico's
# municipalities (and the cities named after them) and a few on the mainland. Per state:
# Rincon, GA and Rio Grande, NJ have none.
_ACCENTED = {
    "PR": ("Añasco", "Bayamón", "Canóvanas", "Cataño", "Comerío", "Guánica", "Juana Díaz",
           "Las Marías", "Loíza", "Manatí", "Mayagüez", "Peñuelas", "Rincón", "Río Grande",
           "San Germán", "San Sebastián", "Río Piedras"),
    "CO": ("Cañon City",),
    "NM": ("Española", "Peñasco"),
}  # fmt: skip
OFFICIAL_SPELLING = {
    (state, fold_place(name)): name for state, spelled in _ACCENTED.items() for name in spelled
}


def officially_spelled(point: Point) -> Point:
    """The place's label as the place writes itself: "Bayamón, PR" for the data's "Bayamon,
    PR", "Mayagüez Municipio, PR"; other labels as they are."""
    name, comma, rest = point.label.partition(",")
    for plain_words in (name, name.removesuffix(" Municipio")):
        official = OFFICIAL_SPELLING.get((point.state, fold_place(plain_words)))
        if official is not None and len(official) == len(plain_words):
            return replace(point, label=official + name[len(plain_words) :] + comma + rest)
    return point


_COUNTY_SUFFIXES = ("county", "parish", "borough", "municipio", "municipality", "cnty")
_COUNTY_PREFIXES = ("condado de", "condado", "parroquia de", "municipio de")

# A misspelling is corrected without asking when its best match scores at least this much
# (spelling similarity out of 100, plus a little for a bigger place) and clearly more than
# the next one.
CLEAR_MATCH = 80.0
CLEAR_MARGIN = 5.0
SUGGESTION_CUTOFF = 70.0
SIZE_WEIGHT = 2.0  # points of spelling score per natural log of a place's ZIP count
MAX_SUGGESTIONS = 4
MAX_ALSO = 4


def split_state(text: str) -> tuple[str, str] | None:
    """ "Perry County, KY" / "hazzard ky" / "Mayagüez Puerto Rico" -> (place, state code)."""
    if "," in text:
        place, _, state = text.rpartition(",")
        code = state_code(state)
        return (place.strip(), code) if code and place.strip() else None
    words = text.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        code = state_code(" ".join(words[-size:]))
        if code:
            return " ".join(words[:-size]), code
    return None


def nickname(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(what to search, label or "", other readings) for a nickname or ambiguous abbreviation."""
    folded = fold_place(text)
    if folded in AMBIGUOUS:
        first, *others = AMBIGUOUS[folded]
        return first, "", tuple(others)
    if folded in NICKNAMES:
        search, label = NICKNAMES[folded]
        return search, label, ()
    return None


def region(text: str) -> Point | None:
    """ "eastern kentucky" -> the eastern third of Kentucky's ZIPs, or None."""
    folded = fold_place(text)
    for words, direction in sorted(_DIRECTIONS.items(), key=lambda item: -len(item[0])):
        if not folded.startswith(words + " "):
            continue
        rest = folded[len(words) + 1 :]
        code = state_code(rest)
        if code and len(rest) > 2:
            point = gazetteer().state_part(code, direction)
            if point is not None:
                label = REGION_LABELS[direction] % US_STATES[code]
                return replace(point, label=label)
    return None


def county(text: str) -> Point | None:
    """ "Perry County, KY", "Condado de Los Ángeles", "Orleans Parish" -> the county's centre.

    Without a state, the biggest county of that name answers and the others are offered.
    """
    split = split_state(text)
    place, state = split if split else (text, None)
    name = _county_name(fold_place(place))
    if name is None:
        return None
    if state:
        for candidate in _county_forms(name):
            point = gazetteer().county_point(candidate, state)
            if point is not None:
                return point
        return None
    for candidate in _county_forms(name):
        points = gazetteer().places_named(candidate, kind="county")
        if points:
            return _with_others(points)
    return None


def _county_name(folded: str) -> str | None:
    """The bare name in "perry county" or "condado de perry" ("perry"), or None."""
    for prefix in _COUNTY_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :] or None
    for suffix in _COUNTY_SUFFIXES:
        if folded.endswith(" " + suffix):
            return folded[: -len(suffix) - 1] or None
    return None


def _county_forms(name: str) -> tuple[str, ...]:
    return tuple(f"{name} {suffix}" for suffix in _COUNTY_SUFFIXES)


def bare_city(text: str) -> Point | None:
    """A city named without its state: the biggest of that name, offering the others."""
    points = gazetteer().places_named(text)
    return _with_others(points) if points else None


def _with_others(points: list[Point]) -> Point:
    first, others = points[0], points[1 : 1 + MAX_ALSO]
    return replace(first, also=tuple((p.label, p.label) for p in others))


def suggestions(text: str) -> list[tuple[str, str]]:
    """Places spelled like ``text``, best first, as (label, what to search for)."""
    return [(point.label, point.label) for point, _ in _spelled_like(text)]


def corrected(text: str) -> Point | None:
    """The place ``text`` misspells when one reading is clearly right, else None."""
    found = _spelled_like(text)
    if not found:
        return None
    best, score = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0.0
    if score >= CLEAR_MATCH and score - runner_up >= CLEAR_MARGIN:
        return replace(best, typed=text)
    return None


def _spelled_like(text: str) -> list[tuple[Point, float]]:
    """Cities whose names are closest to the text's (in its state when it names one)."""
    split = split_state(text)
    place, state = split if split else (text, None)
    query = fold_place(place)
    if len(query) < 3:
        return []
    if _county_name(query) is not None:
        return _counties_spelled_like(query, state)
    names = gazetteer().city_names(state, query[:1])
    matches = process.extract(
        query, names, scorer=fuzz.ratio, limit=MAX_SUGGESTIONS * 2, score_cutoff=SUGGESTION_CUTOFF
    )
    found: dict[str, tuple[Point, float]] = {}
    for name, _score, _ in matches:
        point = gazetteer().city_point(name, state) if state else bare_city(name)
        if point is not None and point.label not in found:
            # Graded by edits (a swap of two letters is one), and of two names spelled about
            # as close, the bigger place is the likelier meaning.
            size = gazetteer().city_size(name, point.state)
            closeness = 100 * OSA.normalized_similarity(query, name)
            score = closeness + SIZE_WEIGHT * math.log1p(size)
            found[point.label] = (replace(point, also=()), score)
    ranked = sorted(found.values(), key=lambda item: (-item[1], item[0].label))
    return ranked[:MAX_SUGGESTIONS]


def _counties_spelled_like(query: str, state: str | None) -> list[tuple[Point, float]]:
    """Counties whose names are closest to "pery county" (in its state when it names one)."""
    bare = _county_name(query)
    candidates = {}
    for folded in gazetteer().county_names(state):
        name = _county_name(folded)
        if name and name[:1] == bare[:1]:
            candidates.setdefault(name, []).append(folded)
    matches = process.extract(
        bare,
        list(candidates),
        scorer=fuzz.ratio,
        limit=MAX_SUGGESTIONS * 2,
        score_cutoff=SUGGESTION_CUTOFF,
    )
    found: dict[str, tuple[Point, float]] = {}
    for name, _score, _ in matches:
        for folded in candidates[name]:
            points = (
                [gazetteer().county_point(folded, state)]
                if state
                else (gazetteer().places_named(folded, kind="county"))
            )
            for point in filter(None, points):
                score = 100 * OSA.normalized_similarity(bare, name)
                found.setdefault(point.label, (replace(point, also=()), score))
    ranked = sorted(found.values(), key=lambda item: (-item[1], item[0].label))
    return ranked[:MAX_SUGGESTIONS]
