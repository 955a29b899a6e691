"""Turn search query parameters (the API's, the results page's, the widget's) into a search.

One parser for every audience, so a results page URL and an API call mean the same thing.
Bad input raises ``BadSearch`` saying which parameter, what is wrong and what is allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _

from directory.errors import DirectoryError
from directory.matching import CRITERIA, InvalidNeeds, Needs
from directory.matching.needs import CRITERION_TABLE
from directory.vocabulary import FAMILIES

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
DEFAULT_RADIUS = 50.0
MAX_TEXT = 200
# When ``require`` is absent, what defines the kind of place and whom it takes are
# must-haves (a program that does not take a teenager cannot take this teenager); everything
# else is a preference.
DEFAULT_REQUIRED = frozenset({"service_type", "care_level", "age_group", "gender"})
SORTS = ("best", "distance")

# parameter -> (Needs field, vocabulary family, repeatable), for the criteria asked with codes
CODE_PARAMETERS = {
    c.name: (c.needs_field, c.family, c.repeatable) for c in CRITERION_TABLE if c.takes_codes
}
TRUE = frozenset({"1", "true", "yes", "on", "y"})
FALSE = frozenset({"0", "false", "no", "off", "n", ""})


class BadSearch(DirectoryError):
    """A search parameter that cannot be used as given (``message`` is already translated)."""

    def __init__(self, code: str, parameter: str, message: str, allowed=(), suggestions=()):
        super().__init__(message.replace("%", "%%"), field=parameter)
        self.code = code
        self.parameter = parameter
        self.allowed = tuple(allowed)
        # Places the person may have meant, as (label, what to search for).
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True)
class SearchRequest:
    """Where to search from, what is needed, and which page of results."""

    location: str | None
    lat: float | None
    lon: float | None
    needs: Needs
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = "best"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def parse_search(args, *, strict: bool = True, per_page: int = DEFAULT_PER_PAGE) -> SearchRequest:
    """A ``SearchRequest`` from a multi-dict of query parameters (``getlist`` and ``get``).

    ``strict=False`` (the forms) ignores must-have boxes ticked for a need left empty,
    where the API (strict) says the client made a mistake.
    """
    location, lat, lon = _origin(args)
    needs_values = {"radius_miles": _radius(args)}
    for parameter, (field, family, repeatable) in CODE_PARAMETERS.items():
        codes = _codes(args, parameter, family, repeatable)
        if codes:
            needs_values[field] = frozenset(codes) if repeatable else codes[0]
    for criterion in CRITERION_TABLE:
        if not criterion.takes_codes:
            needs_values[criterion.needs_field] = _flag(args, criterion.name)
    needs_values["required"] = _required(args, needs_values, strict)
    try:
        needs = Needs.validated(**needs_values)
    except InvalidNeeds as error:
        raise BadSearch("invalid_parameter", error.field, error.message, error.allowed) from None
    return SearchRequest(
        location=location,
        lat=lat,
        lon=lon,
        needs=needs,
        page=_integer(args, "page", 1, 1, 10_000),
        per_page=_integer(args, "per_page", per_page, 1, MAX_PER_PAGE),
        sort=_choice(args, "sort", SORTS),
    )


def _single(args, parameter: str) -> str | None:
    values = args.getlist(parameter)
    if len(values) > 1 and len(set(values)) > 1:
        raise BadSearch(
            "invalid_parameter", parameter, _("%(name)s takes a single value", name=parameter)
        )
    return values[0].strip() if values else None


def _origin(args) -> tuple[str | None, float | None, float | None]:
    location = _single(args, "location")
    lat_text, lon_text = _single(args, "lat"), _single(args, "lon")
    if location:
        if len(location) > MAX_TEXT:
            message = _("The place is too long: use at most %(count)d characters.", count=MAX_TEXT)
            raise BadSearch("invalid_parameter", "location", message)
        return location, None, None
    if lat_text or lon_text:
        lat = _number(lat_text, "lat", -90, 90)
        lon = _number(lon_text, "lon", -180, 180)
        return None, lat, lon
    raise BadSearch(
        "missing_location",
        "location",
        _(
            "Say where to search: a ZIP code, a city and state, or an address "
            "(for example Denver, CO)."
        ),
    )


def _number(text: str | None, parameter: str, low: float, high: float) -> float:
    message = _(
        "%(name)s must be a number from %(low)s to %(high)s", name=parameter, low=low, high=high
    )
    try:
        value = float(text or "")
    except ValueError:
        raise BadSearch("invalid_parameter", parameter, message) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise BadSearch("invalid_parameter", parameter, message)
    return value


def _radius(args) -> float:
    text = _single(args, "radius")
    if not text:
        return DEFAULT_RADIUS
    message = _("The distance must be a number of miles greater than 0, for example 25.")
    try:
        value = float(text)
    except ValueError:
        raise BadSearch("invalid_parameter", "radius", message) from None
    if not (math.isfinite(value) and value > 0):
        raise BadSearch("invalid_parameter", "radius", message)
    return min(value, 25_000.0)  # farther than anywhere on Earth: the whole country


def _codes(args, parameter: str, family: str, repeatable: bool) -> list[str]:
    values = [
        code.strip().lower()
        for value in args.getlist(parameter)
        for code in value.split(",")
        if code.strip()
    ]
    allowed = FAMILIES[family].codes
    unknown = [code for code in values if code not in allowed]
    if unknown:
        message = _(
            "%(name)s has an unknown code %(code)s; use one of: %(allowed)s",
            name=parameter,
            code=repr(unknown[0][:40]),
            allowed=", ".join(allowed),
        )
        raise BadSearch("unknown_code", parameter, message, allowed)
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1 and not repeatable:
        message = _("%(name)s takes a single value", name=parameter)
        raise BadSearch("invalid_parameter", parameter, message)
    return distinct


def _flag(args, parameter: str) -> bool:
    text = (_single(args, parameter) or "").lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    message = _("%(name)s must be true or false", name=parameter)
    raise BadSearch("invalid_parameter", parameter, message, ("true", "false"))


def _required(args, needs_values: dict, strict: bool) -> frozenset[str]:
    values = args.getlist("require")
    if not values:
        present = {name for name in DEFAULT_REQUIRED if _asked(name, needs_values)}
        return frozenset(present)
    names = [name.strip().lower() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in CRITERIA]
    if unknown:
        message = _(
            "require names an unknown criterion %(code)s; use: %(allowed)s",
            code=repr(unknown[0][:40]),
            allowed=", ".join(CRITERIA),
        )
        raise BadSearch("unknown_code", "require", message, CRITERIA)
    missing = [name for name in names if not _asked(name, needs_values)]
    if missing and not strict:
        return frozenset(name for name in names if name not in missing)
    if missing:
        message = _(
            "require names %(name)s, which is not part of the search; add %(name)s= too",
            name=missing[0],
        )
        raise BadSearch("invalid_parameter", "require", message, CRITERIA)
    return frozenset(names)


NEEDS_FIELD = {parameter: field for parameter, (field, _, _) in CODE_PARAMETERS.items()}
NEEDS_FIELD.update(
    co_occurring="co_occurring", telehealth="telehealth", open_now="open_now", walk_in="walk_in"
)


def _asked(criterion: str, needs_values: dict) -> bool:
    return bool(needs_values.get(NEEDS_FIELD[criterion]))


def _integer(args, parameter: str, default: int, low: int, high: int) -> int:
    text = _single(args, parameter)
    if not text:
        return default
    message = _(
        "%(name)s must be a whole number from %(low)d to %(high)d",
        name=parameter,
        low=low,
        high=high,
    )
    if not (text.isascii() and text.isdigit()):
        raise BadSearch("invalid_parameter", parameter, message)
    value = int(text[:6])
    if not low <= value <= high or len(text) > 6:
        raise BadSearch("invalid_parameter", parameter, message)
    return value


def _choice(args, parameter: str, choices: tuple[str, ...]) -> str:
    text = (_single(args, parameter) or choices[0]).lower()
    if text not in choices:
        message = _(
            "%(name)s must be one of: %(allowed)s", name=parameter, allowed=", ".join(choices)
        )
        raise BadSearch("invalid_parameter", parameter, message, choices)
    return text
