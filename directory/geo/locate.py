"""Turn what a person types as a location into a point on the map, saying how precise it is."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

import usaddress

from directory.errors import DirectoryError
from directory.geo import names
from directory.geo.gazetteer import Point, fold_place, gazetteer, state_code
from directory.vocabulary import N_

if TYPE_CHECKING:
    from directory.geo.online import Geocoder

MAX_LENGTH = 200
_NUMBER = r"[-+]?[0-9]{1,3}(?:\.[0-9]+)?"
_LAT_LON = re.compile(rf"^({_NUMBER})\s*,\s*({_NUMBER})$")
_MARKUP = re.compile(r"[<>{}\[\]\\`]")
_BARE_ZIP = re.compile(r"^[0-9]{5}(?:[- ]?[0-9]{4})?$")
# usaddress labels that mean the text names a street, so an online geocoder can do better.
_STREET_LABELS = {"AddressNumber", "StreetName", "SecondStreetName", "IntersectionSeparator"}
# A state's name is at most four words ("Northern Mariana Islands", "U S Virgin Islands").
_MAX_STATE_WORDS = 4


class LocationNotFound(DirectoryError):
    """What a person typed could not be placed on the map; ``message`` says what to try.

    ``template`` (marked for translation) and ``params`` let the web layer say it in the
    visitor's language: ``error.translated(gettext)``.
    """

    suggestions: tuple[tuple[str, str], ...] = ()  # (label, what to search for)

    def __init__(self, text: str, template: str, **params):
        super().__init__(template, field="location", **params)
        self.text = text
        self.params = params


def locate(text: str, geocoder: Geocoder | None = None) -> Point:
    """A point for a ZIP, "City, ST", a city, county, state or part of one, a nickname, a
    street address or "lat,lon"; a clear misspelling is corrected (``Point.typed`` says so);
    else LocationNotFound with suggestions."""
    cleaned = _checked(text)
    known = names.nickname(cleaned)
    if known is not None:
        search, label, others = known
        point = _place(search, None)
        if point is not None:
            return replace(point, label=label or point.label, also=tuple((o, o) for o in others))
    point = _place(cleaned, geocoder)
    if point is not None:
        return _spelled_as_typed(names.officially_spelled(point), cleaned)
    point = names.corrected(cleaned)
    if point is None:
        error = LocationNotFound(
            text, N_('We could not find "%(place)s". Try a ZIP code or "City, ST".'), place=cleaned
        )
        error.suggestions = tuple(names.suggestions(cleaned))
        raise error
    return names.officially_spelled(point)


def _spelled_as_typed(point: Point, typed: str) -> Point:
    """The place's label with the accents the person typed and the ZIP data lacks: "Bayamón,
    PR" for "bayamón pr", not "Bayamon, PR". Only letters that are the label's own letters
    once their accents are set aside are taken, in the label's case."""
    if typed.isascii() or not point.label.isascii():
        return point
    name, comma, rest = point.label.partition(",")
    plain_typed = "".join(_unaccented(letter) for letter in typed.lower())
    start = plain_typed.find(name.lower())
    if start < 0 or not name:
        return point
    written = typed[start : start + len(name)]
    respelled = "".join(
        (mine.upper() if theirs.isupper() else mine.lower())
        if not mine.isascii() and _unaccented(mine).lower() == theirs.lower()
        else theirs
        for theirs, mine in zip(name, written, strict=True)
    )
    return replace(point, label=respelled + comma + rest)


def _unaccented(letter: str) -> str:
    """One letter without its accent ("ó" -> "o", "ñ" -> "n"); a letter that is not one
    letter plus accents is kept as it is, so the text keeps its length."""
    base = unicodedata.normalize("NFKD", letter)[:1]
    return base if len(unicodedata.normalize("NFKD", letter)) > 1 and base.isascii() else letter


def _place(text: str, geocoder: Geocoder | None) -> Point | None:
    """The place the text names as it is written, or None."""
    return (
        _lat_lon(text)
        or _zip(text)
        or _state(text)
        or names.region(text)
        or names.county(text)
        or _city(text)
        or names.bare_city(text)
        or _address(text, geocoder)
    )


def _checked(text: str) -> str:
    """The text stripped, or LocationNotFound if it is empty, over-long or not plain text."""
    if not isinstance(text, str) or not text.strip():
        raise LocationNotFound(
            str(text or ""), N_('Please type a place. Try a ZIP code or "City, ST".')
        )
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_LENGTH:
        raise LocationNotFound(
            text, N_('That is too long to be a place. Try a ZIP code or "City, ST".')
        )
    if _MARKUP.search(cleaned) or any(unicodedata.category(c)[0] == "C" for c in cleaned):
        raise LocationNotFound(
            text, N_('Please type a place using letters and numbers. Try a ZIP code or "City, ST".')
        )
    return cleaned


def _lat_lon(text: str) -> Point | None:
    """A decimal "lat,lon" pair at address precision, or None."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise LocationNotFound(
            text, N_("Latitude must be between -90 and 90, longitude -180 to 180.")
        )
    return Point(lat, lon, "address", f"{lat:g}, {lon:g}", gazetteer().state_at(lat, lon))


def _zip(text: str) -> Point | None:
    """A bare ZIP or ZIP+4 at its centroid; an unknown ZIP is LocationNotFound."""
    if not _BARE_ZIP.match(text):
        return None
    point = gazetteer().zip_point(text)
    if point is None:
        raise LocationNotFound(
            text, N_('We could not find ZIP code %(zip)s. Try "City, ST".'), zip=text
        )
    return point


def _state(text: str) -> Point | None:
    """A bare state name or code at the centre of its ZIPs, or None.

    A state named like one of its cities means the city: "New York" is New York City.
    """
    code = state_code(text)
    if not code:
        return None
    if len(text) > 2:
        namesake = gazetteer().city_point(text, code)
        if namesake is not None:
            return namesake
    return gazetteer().state_point(text)


def _city(text: str) -> Point | None:
    """ "City, ST", "City, State" or "city st" at the city's centre, or None."""
    if "," in text:
        city, _, state = text.rpartition(",")
        return gazetteer().city_point(city, state)
    words = fold_place(text).split()
    for size in range(min(_MAX_STATE_WORDS, len(words) - 1), 0, -1):
        state = state_code(" ".join(words[-size:]))
        point = state and gazetteer().city_point(" ".join(words[:-size]), state)
        if point:
            return point
    return None


def _address(text: str, geocoder: Geocoder | None) -> Point | None:
    """A street address: online when configured, else its ZIP's or city's centre, or None."""
    parts = _address_parts(text)
    if geocoder is not None and _STREET_LABELS & parts.keys():
        point = geocoder.geocode(text)
        if point is not None:
            return point
    for token in parts.get("ZipCode", "").split():
        point = gazetteer().zip_point(token)
        if point:
            return point
    if parts.get("PlaceName") and parts.get("StateName"):
        return gazetteer().city_point(parts["PlaceName"], parts["StateName"])
    return None


def _address_parts(text: str) -> dict[str, str]:
    """usaddress's labelled parts of an address; the first of any repeated label."""
    try:
        parts, _ = usaddress.tag(text)
        return dict(parts)
    except usaddress.RepeatedLabelError as error:
        first: dict[str, str] = {}
        for token, label in error.parsed_string:
            first.setdefault(label, token.strip(","))
        return first
