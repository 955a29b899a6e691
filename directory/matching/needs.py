"""What a person is looking for (``Needs``), where from (``Origin``), and how a query is checked."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

from directory.errors import DirectoryError
from directory.vocabulary import FAMILIES, N_

ONE, ANY, EVERY, YES = "one", "any", "every", "yes"


@dataclass(frozen=True)
class Criterion:
    """One thing a search can ask for, named the same way in every layer.

    ``name`` is its query parameter and its name in results; ``label`` its short English label
    (must-have boxes, reasons); ``needs_field`` the ``Needs`` field holding what was asked;
    ``family`` the vocabulary family of its codes (the listing column holding them is
    ``vocabulary.LISTING_FIELDS[family]``); ``asks`` how it is asked and met: ``one`` code,
    several met by ``any`` one of them ("or") or only by ``every`` one ("and"), or ``yes``
    (a flag).
    """

    name: str
    label: str
    asks: str
    needs_field: str = ""  # the name itself when empty
    family: str | None = ""  # the name itself when empty; None for telehealth

    def __post_init__(self):
        object.__setattr__(self, "needs_field", self.needs_field or self.name)
        if self.family == "":
            object.__setattr__(self, "family", self.name)

    @property
    def takes_codes(self) -> bool:
        return self.asks != YES

    @property
    def repeatable(self) -> bool:
        return self.asks in (ANY, EVERY)


# Every criterion a query can name, in the fixed order results list them: the one table that
# the query parser, the matcher, the forms, the API description and the pages derive from.
CRITERION_TABLE: tuple[Criterion, ...] = (
    Criterion("service_type", N_("Type of treatment"), ONE),
    Criterion("care_level", N_("Kind of help"), ANY, needs_field="care_levels"),
    Criterion("therapy", N_("Therapies"), EVERY, needs_field="therapies"),
    Criterion("medication", N_("Medications"), EVERY, needs_field="medications"),
    Criterion("co_occurring", N_("Mental-health care too"), YES, family="dual_diagnosis"),
    Criterion("payment", N_("Payment"), ANY, needs_field="payments"),
    Criterion("age_group", N_("Age group"), ONE),
    Criterion("gender", N_("Gender"), ONE),
    Criterion("population", N_("Special programs"), EVERY, needs_field="populations"),
    Criterion("language", N_("Language"), ONE),
    Criterion("detox_for", N_("Detox for"), EVERY),
    Criterion("support", N_("Recovery support and practical help"), EVERY, needs_field="supports"),
    Criterion("operator", N_("Who runs it"), ANY, needs_field="operators"),
    Criterion("telehealth", N_("Telehealth"), YES, family=None),
    Criterion("open_now", N_("Open now"), YES, family=None),
    Criterion("walk_in", N_("Walk-in"), YES, family=None),
)
CRITERION: dict[str, Criterion] = {criterion.name: criterion for criterion in CRITERION_TABLE}
CRITERIA: tuple[str, ...] = tuple(CRITERION)

# Derived views of the table, named for their readers.
# The vocabulary family behind each criterion that is answered from a set of codes.
CRITERION_FAMILY: dict[str, str] = {c.name: c.family for c in CRITERION_TABLE if c.family}
_NEEDS_FIELD: dict[str, str] = {c.name: c.needs_field for c in CRITERION_TABLE}
# Criteria met when ANY requested code is offered; the others with codes need EVERY one
# (a single-valued criterion such as ``language`` is the same either way).
ANY_OF: frozenset[str] = frozenset(c.name for c in CRITERION_TABLE if c.asks == ANY)


class InvalidNeeds(DirectoryError):
    """A query that cannot be answered as asked: which field, what is wrong, what is allowed."""

    def __init__(self, field: str, message: str, allowed: tuple[str, ...] = ()):
        super().__init__(message.replace("%", "%%"), field=field)
        self.allowed = tuple(allowed)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class Origin:
    """The point a search is made from, and its state (for telehealth and state searches)."""

    lat: float
    lon: float
    state: str = ""
    # A search of a whole state: every provider located in it is in reach, whatever the radius.
    whole_state: bool = False


@dataclass(frozen=True)
class Needs:
    """One person's search: radius, the criteria they care about, and which are must-haves."""

    radius_miles: float = 50.0
    service_type: str | None = None
    care_levels: frozenset[str] = frozenset()
    therapies: frozenset[str] = frozenset()
    medications: frozenset[str] = frozenset()
    co_occurring: bool = False
    payments: frozenset[str] = frozenset()
    age_group: str | None = None
    gender: str | None = None
    populations: frozenset[str] = frozenset()
    language: str | None = None
    detox_for: frozenset[str] = frozenset()
    supports: frozenset[str] = frozenset()
    operators: frozenset[str] = frozenset()
    telehealth: bool = False
    # Open at the moment of the search, in the listing's own time zone (its weekly hours).
    open_now: bool = False
    # Walk-in or same-day admission.
    walk_in: bool = False
    required: frozenset[str] = field(default_factory=frozenset)

    def criteria(self) -> tuple[str, ...]:
        """The criteria present in this query, in the fixed order of ``CRITERIA``."""
        return tuple(name for name in CRITERIA if getattr(self, _NEEDS_FIELD[name]))

    def wanted(self, criterion: str) -> frozenset[str]:
        """The codes requested for a code-valued criterion (empty for yes/no criteria)."""
        value = getattr(self, _NEEDS_FIELD[criterion])
        if isinstance(value, frozenset):
            return value
        return frozenset({value}) if isinstance(value, str) else frozenset()

    @classmethod
    def validated(cls, **values) -> Needs:
        """Needs from loosely typed input (codes case-insensitive, any iterables), checked.

        Raises ``InvalidNeeds`` naming the field, what is wrong and the allowed values.
        """
        known = {f.name for f in fields(cls)}
        for name in values:
            if name not in known:
                raise InvalidNeeds(name, "is not a search field", tuple(sorted(known)))
        return validate(_normalized(cls(**values)))


def _fold(code) -> str:
    return str(code).strip().lower()


def _normalized(needs: Needs) -> Needs:
    """The same needs with codes folded to lower case and collections made frozensets."""
    changes: dict = {}
    for f in fields(needs):
        value = getattr(needs, f.name)
        if f.name == "radius_miles":
            changes[f.name] = _radius(value)
        elif isinstance(value, str):
            changes[f.name] = _fold(value) or None
        elif isinstance(value, list | tuple | set | frozenset):
            changes[f.name] = frozenset(_fold(code) for code in value if _fold(code))
    return replace(needs, **changes)


def _radius(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidNeeds("radius_miles", "must be a number of miles greater than 0") from None


def validate(needs: Needs) -> Needs:
    """Return the query unchanged if its radius, codes and must-haves are valid; else raise."""
    radius = needs.radius_miles
    if not (isinstance(radius, int | float) and math.isfinite(radius) and radius > 0):
        raise InvalidNeeds("radius_miles", "must be a number of miles greater than 0")
    for criterion, family_code in CRITERION_FAMILY.items():
        wanted = needs.wanted(criterion)
        if not wanted:
            continue
        allowed = FAMILIES[family_code].codes
        unknown = sorted(wanted.difference(allowed))
        if unknown:
            message = f"unknown code {', '.join(map(repr, unknown))}"
            raise InvalidNeeds(criterion, message, allowed)
    _check_required(needs)
    return needs


def _check_required(needs: Needs) -> None:
    unknown = sorted(needs.required - set(CRITERIA))
    if unknown:
        raise InvalidNeeds("required", f"unknown criterion {', '.join(unknown)}", CRITERIA)
    present = needs.criteria()
    absent = sorted(needs.required - set(present))
    if absent:
        message = f"{', '.join(absent)} is required but not part of the search"
        raise InvalidNeeds("required", message, present)
