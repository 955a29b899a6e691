"""Who a program is only for, derived from what it reported (DESIGN.md 3.2), never typed.

A restriction is shown on every card, provider page and API answer, so nobody calls a
women-only detox for a man or a VA clinic without being a veteran.
"""

from __future__ import annotations

from directory.vocabulary import N_

RESTRICTIONS: dict[str, str] = {
    "women_only": N_("Women only"),
    "men_only": N_("Men only"),
    "adolescents_only": N_("Adolescents and young adults only"),
    "veterans_only": N_("Veterans only"),
    "tribal": N_("For tribal members and American Indian or Alaska Native people"),
}

_YOUNG = frozenset({"adolescents", "young_adults"})
_VETERANS = frozenset({"veterans_affairs", "defense"})
_TRIBAL = frozenset({"tribal_government", "indian_health_service"})


def restrictions_of(genders, age_groups, operators=None) -> list[str]:
    """The restriction codes of a listing from its genders, age groups and operator codes
    (each a collection of codes, or None when not reported)."""
    found = []
    if genders is not None and len(set(genders)) == 1:
        found.append("women_only" if "women" in genders else "men_only")
    if age_groups and set(age_groups) <= _YOUNG:
        found.append("adolescents_only")
    if operators and set(operators) & _VETERANS:
        found.append("veterans_only")
    if operators and set(operators) & _TRIBAL:
        found.append("tribal")
    return found
