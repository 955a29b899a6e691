"""The reason shown next to each criterion of each result ("Offers buprenorphine", …)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of the query for one provider: status, whether it was a must-have, why."""

    criterion: str
    status: str  # "met" | "unmet" | "unknown"
    required: bool
    reason: Reason


def explain(
    criterion: str, grade: int, index: ProviderIndex, row: int, needs: Needs, origin: Origin
) -> Reason:
    """The reason for one provider's grade on one criterion."""
    return Explanations(index, needs, origin).reason(criterion, grade, row)


class Explanations:
    """The explained criteria of one query's results, each built once: a page of results
    shares a few (every provider offering the medication asked for has the same one), so
    each is keyed by what its reason depends on, not by the provider."""

    def __init__(self, index: ProviderIndex, needs: Needs, origin: Origin):
        self.index, self.needs, self.origin = index, needs, origin
        self.criteria = needs.criteria()
        self.wanted = {
            criterion: bits_of(CRITERION_FAMILY[criterion], needs.wanted(criterion))
            for criterion in self.criteria
            if criterion in CRITERION_FAMILY
        }
        self._explained: dict[tuple, CriterionResult] = {}

    def explained(self, grades: np.ndarray, rows: np.ndarray) -> list[tuple[CriterionResult, ...]]:
        """Every criterion of the query for each provider in ``rows``, given their grades
        (criteria x providers)."""
        columns = [
            [
                self._explained_as(criterion, grade, depends_on)
                for grade, depends_on in zip(
                    grades[i].tolist(), self._depends_on(criterion, grades[i], rows), strict=True
                )
            ]
            for i, criterion in enumerate(self.criteria)
        ]
        return list(zip(*columns, strict=True)) if columns else [()] * len(rows)

    def reason(self, criterion: str, grade: int, row: int) -> Reason:
        """The reason for the provider in ``row``'s grade on ``criterion``."""
        (depends_on,) = self._depends_on(criterion, np.array([grade]), np.array([row]))
        return self._explained_as(criterion, grade, depends_on).reason

    def _explained_as(self, criterion: str, grade: int, depends_on) -> CriterionResult:
        key = (criterion, grade, depends_on)
        explained = self._explained.get(key)
        if explained is None:
            reason = self._reason(criterion, grade, depends_on)
            required = criterion in self.needs.required
            explained = CriterionResult(criterion, STATUS_OF_GRADE[grade], required, reason)
            self._explained[key] = explained
        return explained

    def _depends_on(self, criterion: str, grades: np.ndarray, rows: np.ndarray) -> list:
        """What of each provider its reason says: the codes asked for that it offers, its
        co-occurring program, whether its telehealth is in the person's state."""
        index = self.index
        if criterion in _YES_NO_REASONS:
            return [None] * len(rows)  # the grade alone says it
        if criterion == "telehealth":
            state = self.origin.state.upper()
            code = index.state_code(state) if state else -1
            return ((grades == MET) & (index.state[rows] == code) & (code >= 0)).tolist()
        if criterion == "co_occurring":
            return index.dual[rows].tolist()
        wanted = np.uint64(self.wanted[criterion])
        return (index.masks[CRITERION_FAMILY[criterion]][rows] & wanted).tolist()

    def _reason(self, criterion: str, grade: int, depends_on) -> Reason:
        if criterion in _YES_NO_REASONS:
            met, unmet, unknown = _YES_NO_REASONS[criterion]
            return Reason(met if grade >= MET else unknown if grade == UNKNOWN else unmet)
        if criterion == "telehealth":
            return _telehealth_reason(grade, depends_on, self.origin)
        if grade == UNKNOWN:
            return Reason(NOT_REPORTED, {"family": ("family", CRITERION_FAMILY[criterion])})
        if criterion == "co_occurring":
            return Reason(_CO_OCCURRING[depends_on])
        return _codes_reason(criterion, grade, depends_on, self.wanted[criterion])


def _codes_reason(criterion: str, grade: int, offered: int, wanted: int) -> Reason:
    family = CRITERION_FAMILY[criterion]
    met_template, unmet_template = _TEMPLATES[criterion]
    if grade >= MET:
        shown = wanted & offered if criterion in ANY_OF else wanted
        return Reason(met_template, {"items": _items(family, shown)})
    if criterion in ANY_OF:
        return Reason(unmet_template, {"items": _items(family, wanted), "conjunction": OR})
    return Reason(unmet_template, {"items": _items(family, wanted & ~offered)})


def _items(family: str, bits: int) -> list[tuple[str, str]]:
    return [(family, code) for code in codes_of(family, bits)]


def _telehealth_reason(grade: int, in_origin_state: bool, origin: Origin) -> Reason:
    if grade == UNKNOWN:
        return Reason(TELEHEALTH_UNKNOWN)
    if grade == UNMET:
        return Reason(NO_TELEHEALTH)
    if in_origin_state:
        return Reason(TELEHEALTH_IN_STATE, {"state": origin.state.upper()})
    return Reason(TELEHEALTH)
