"""One card per place: listings of the same organisation at the same site shown together.

SAMHSA lists each program of a centre separately, so one building can fill a results page
("Mountain Center for Recovery and Hope" at 100, 120, 140 and 160 The Landing Lane). Two
listings are at the same site when their names (case and punctuation folded), main phone
numbers and ZIP codes are the same and they are on the same street with house numbers at
most ``NEIGHBOURING`` apart. Ranks and counts stay per listing; only the cards are joined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

NEIGHBOURING = 100
_HOUSE_NUMBER = re.compile(r"^(\d+)[a-z]?\s+(.*)$")


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def site_key(name: str, phone: str, zip_code: str, street: str) -> tuple[tuple, int | None] | None:
    """(what must be equal, the house number) or None when the listing lacks a street or phone."""
    digits = re.sub(r"\D", "", phone or "")[-10:]
    street_words = _fold(street)
    if not (digits and street_words and name):
        return None
    match = _HOUSE_NUMBER.match(street_words)
    house = int(match.group(1)) if match else None
    street_name = match.group(2) if match else street_words
    return (_fold(name), digits, (zip_code or "")[:5], street_name), house


@dataclass
class SiteGroup:
    """Results at one site, in rank order: the first one is the card, the rest its programs."""

    members: list[Any]

    @property
    def first(self):
        return self.members[0]

    @property
    def others(self) -> list[Any]:
        return self.members[1:]


def group_by_site(items: Sequence[Any], key_of: Callable[[Any], tuple | None]) -> list[SiteGroup]:
    """Join items at one site into a group placed where its best-ranked item was."""
    groups: list[SiteGroup] = []
    open_groups: dict[tuple, list[tuple[int | None, SiteGroup]]] = {}
    for item in items:
        key = key_of(item)
        group = None if key is None else _joinable(open_groups.get(key[0], []), key[1])
        if group is None:
            group = SiteGroup([])
            groups.append(group)
            if key is not None:
                open_groups.setdefault(key[0], []).append((key[1], group))
        elif key is not None:
            open_groups[key[0]].append((key[1], group))
        group.members.append(item)
    return groups


def _joinable(candidates: list[tuple[int | None, SiteGroup]], house: int | None):
    for other_house, group in candidates:
        if house == other_house:
            return group
        both = house is not None and other_house is not None
        if both and abs(house - other_house) <= NEIGHBOURING:
            return group
    return None
