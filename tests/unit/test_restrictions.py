"""Restrictions are derived from what a program reported, never typed (DESIGN.md 3.2)."""

import pytest

from directory.matching.restrictions import restrictions_of


@pytest.mark.parametrize(
    ("genders", "ages", "operators", "expected"),
    [
        (["women"], ["adults"], None, ["women_only"]),
        (["men"], None, None, ["men_only"]),
        (["women", "men"], ["adults", "seniors"], None, []),
        (None, None, None, []),
        ([], [], [], []),
        (["women", "men"], ["adolescents", "young_adults"], None, ["adolescents_only"]),
        (None, None, ["veterans_affairs"], ["veterans_only"]),
        (None, None, ["indian_health_service"], ["tribal"]),
        (None, None, ["private_nonprofit"], []),
    ],
)
def test_restrictions_follow_from_what_was_reported(genders, ages, operators, expected):
    assert restrictions_of(genders, ages, operators) == expected
