"""One card per place: which listings count as the same site."""

from __future__ import annotations

from directory.search.sites import group_by_site, site_key

MOUNTAIN = ("Mountain Center for Recovery and Hope", "606-436-5761", "41701")


def groups(rows):
    found = group_by_site(rows, lambda row: site_key(*row))
    return [[row[3] for row in group.members] for group in found]


def test_neighbouring_buildings_of_one_organisation_are_one_site_and_others_are_not():
    rows = [
        (*MOUNTAIN, "100 The Landing Lane"),
        ("Other Clinic", "606-436-0000", "41701", "110 The Landing Lane"),
        (
            "MOUNTAIN CENTER FOR RECOVERY AND HOPE",
            "(606) 436-5761",
            "41701-1234",
            "180 The Landing Lane.",
        ),
        (*MOUNTAIN, "140 The Landing Lane"),
        (*MOUNTAIN, "575 Sugar Camp Road"),
        ("Pioneer Center", "555", "1", "13707 West Jackson Street"),
        ("Pioneer Center", "555", "1", "480 West Jackson Street"),
    ]
    assert groups(rows) == [
        ["100 The Landing Lane", "180 The Landing Lane.", "140 The Landing Lane"],
        ["110 The Landing Lane"],
        ["575 Sugar Camp Road"],
        ["13707 West Jackson Street"],
        ["480 West Jackson Street"],
    ]


def test_a_listing_without_street_or_phone_is_always_its_own_card():
    rows = [(*MOUNTAIN[:2], "41701", ""), (*MOUNTAIN[:2], "41701", "")]
    assert len(group_by_site(rows, lambda row: site_key(*row))) == 2
