"""The reason shown next to each criterion of each result ("Offers buprenorphine", …)."""

from __future__ import annotations

from directory.matching.index import DUAL_VALUE, ProviderIndex, bits_of, codes_of
from directory.matching.needs import ANY_OF, CRITERION_FAMILY, Needs, Origin
from directory.matching.reasons import OR, Reason
from directory.vocabulary import N_

# Grades: how well a provider answers one criterion. Higher is better.
UNMET, UNKNOWN, MET, MET_ENHANCED = 0, 1, 2, 3
STATUS_OF_GRADE = ("unmet", "unknown", "met", "met")

# (met, unmet) templates for code-valued criteria.
_TEMPLATES: dict[str, tuple[str, str]] = {
    "service_type": (N_("Treats %(items)s"), N_("Does not treat %(items)s")),
    "care_level": (N_("Offers %(items)s"), N_("Does not offer %(items)s")),
    "therapy": (N_("Offers %(items)s"), N_("Does not offer %(items)s")),
    "medication": (N_("Offers %(items)s"), N_("Does not offer %(items)s")),
    "payment": (N_("Accepts %(items)s"), N_("Does not accept %(items)s")),
    "age_group": (N_("Serves %(items)s"), N_("Does not serve %(items)s")),
    "gender": (N_("Serves %(items)s"), N_("Does not serve %(items)s")),
    "population": (N_("Has a program for %(items)s"), N_("No program for %(items)s")),
    "language": (N_("Offers services in %(items)s"), N_("No services in %(items)s")),
    "detox_for": (N_("Offers detox for %(items)s"), N_("No detox for %(items)s")),
    "support": (N_("Offers %(items)s"), N_("Does not offer %(items)s")),
    "operator": (N_("Run by: %(items)s"), N_("Not run by: %(items)s")),
}

NOT_REPORTED = N_("%(family)s not reported — call to confirm")
_CO_OCCURRING = {
    DUAL_VALUE["enhanced"]: N_("Integrated care for co-occurring conditions"),
    DUAL_VALUE["capable"]: N_("Has a program for co-occurring conditions"),
    DUAL_VALUE["none"]: N_("No program for co-occurring conditions"),
}
TELEHEALTH_IN_STATE = N_("Offers telehealth in %(state)s")
TELEHEALTH = N_("Offers telehealth")
NO_TELEHEALTH = N_("Does not offer telehealth")
TELEHEALTH_UNKNOWN = N_("Telehealth not reported — call to confirm")
# (met, unmet, unknown) for the yes/no criteria of hours and access.
_YES_NO_REASONS = {
    "open_now": (
        N_("Open now"),
        N_("Closed now"),
        N_("Opening hours not reported — call to confirm"),
    ),
    "walk_in": (
        N_("Takes walk-ins or same-day admission"),
        N_("No walk-in admission: call first"),
        N_("Walk-in admission not reported — call to confirm"),
    ),
}


def explain(
    criterion: str, grade: int, index: ProviderIndex, row: int, needs: Needs, origin: Origin
) -> Reason:
    """The reason for one provider's grade on one criterion."""
    if criterion == "telehealth":
        return _telehealth_reason(grade, index, row, origin)
    if criterion in _YES_NO_REASONS:
        met, unmet, unknown = _YES_NO_REASONS[criterion]
        return Reason(met if grade >= MET else unknown if grade == UNKNOWN else unmet)
    family = CRITERION_FAMILY[criterion]
    if grade == UNKNOWN:
        return Reason(NOT_REPORTED, {"family": ("family", family)})
    if criterion == "co_occurring":
        return Reason(_CO_OCCURRING[int(index.dual[row])])
    return _codes_reason(criterion, grade, int(index.masks[family][row]), needs)


def _codes_reason(criterion: str, grade: int, offered: int, needs: Needs) -> Reason:
    family = CRITERION_FAMILY[criterion]
    wanted = bits_of(family, needs.wanted(criterion))
    met_template, unmet_template = _TEMPLATES[criterion]
    if grade >= MET:
        shown = wanted & offered if criterion in ANY_OF else wanted
        return Reason(met_template, {"items": _items(family, shown)})
    if criterion in ANY_OF:
        return Reason(unmet_template, {"items": _items(family, wanted), "conjunction": OR})
    return Reason(unmet_template, {"items": _items(family, wanted & ~offered)})


def _items(family: str, bits: int) -> list[tuple[str, str]]:
    return [(family, code) for code in codes_of(family, bits)]


def _telehealth_reason(grade: int, index: ProviderIndex, row: int, origin: Origin) -> Reason:
    if grade == UNKNOWN:
        return Reason(TELEHEALTH_UNKNOWN)
    if grade == UNMET:
        return Reason(NO_TELEHEALTH)
    state = index.states[int(index.state[row])]
    if state and state == origin.state.upper():
        return Reason(TELEHEALTH_IN_STATE, {"state": state})
    return Reason(TELEHEALTH)
