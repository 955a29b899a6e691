"""Record linkage: which listing a facility row is when its id and its key both changed.

A facility that was renamed, moved suite or changed its street spelling between two
releases has a new normalized key. Rows left unmatched by ``facility_id`` and by key are
compared with the listings left unmatched, within blocks of the same state and ZIP3 (the
same or a neighbouring ZIP), with rapidfuzz:

    confidence = 0.40 x name similarity + 0.35 x street similarity + 0.25 x same phone
                 - 0.05 when the ZIPs differ (neighbouring ZIP, same ZIP3)

Name similarity is the mean of rapidfuzz's token-set and token-sort ratios of name and
program name; street similarity the token-sort ratio of the street, halved when the house
numbers differ; same phone means a main or intake number in common. A pair at or above
``LINK_AT`` is the same facility (the listing keeps its id, claim, edits and audit trail);
a pair from ``QUEUE_AT`` up to it is created separately and queued for an admin as a
possible duplicate, never merged silently. Each row and each listing takes part in at most
one link, best confidence first; between equally confident pairs, one whose names, street
(with its second line) and phones are written exactly alike first ("Southern Wellness
Services" and "... Services Inc" fold alike; a copy of each should pair with its own).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

LINK_AT = 0.80
QUEUE_AT = 0.60
WEIGHTS = {"name": 0.40, "street": 0.35, "phone": 0.25}
NEIGHBOURING_ZIP = 0.05

_FOLD = re.compile(r"[^a-z0-9]+")
_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "highway": "hwy",
    "parkway": "pkwy",
    "suite": "ste",
    "building": "bldg",
    "floor": "fl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "center": "ctr",
    "centre": "ctr",
    "incorporated": "inc",
    "and": "",
    "the": "",
    "of": "",
    "inc": "",
    "llc": "",
}
_NUMBER = re.compile(r"^\d+")


@dataclass(frozen=True)
class Facility:
    """What linkage compares: a planned row (``ref`` = its plan key) or a listing (its id)."""

    ref: str
    name: str
    street: str
    state: str
    zip: str
    phones: frozenset[str]
    facility_id: str | None = None
    written: str = ""  # names, street and phones as written (case and spacing aside): ties


@dataclass(frozen=True)
class Pair:
    row: str  # the plan key
    listing_id: str
    confidence: float


def facility(
    ref, name1, name2, street1, state, zip_code, phones, facility_id=None, street2=""
) -> Facility:
    """A row or listing as linkage compares it: folded name and street, phone digits."""
    digits = (re.sub(r"\D", "", phone or "") for phone in phones)
    return Facility(
        ref,
        fold(f"{name1} {name2}"),
        fold(street1),
        (state or "").upper(),
        (zip_code or "")[:5],
        frozenset(number[-10:] for number in digits if len(number) >= 7),
        facility_id or None,
        " ".join(
            " | ".join((name1, name2, street1, street2 or "", *filter(None, phones)))
            .lower()
            .split()
        ),
    )


def fold(text: str) -> str:
    words = (_WORDS.get(word, word) for word in _FOLD.sub(" ", (text or "").lower()).split())
    return " ".join(word for word in words if word)


def confidence(row: Facility, listing: Facility) -> float:
    """How sure we are that a row and a listing are the same facility (0..1)."""
    name = (
        fuzz.token_set_ratio(row.name, listing.name) + fuzz.token_sort_ratio(row.name, listing.name)
    ) / 200
    street = fuzz.token_sort_ratio(row.street, listing.street) / 100
    numbers = _NUMBER.match(row.street), _NUMBER.match(listing.street)
    if all(numbers) and numbers[0].group() != numbers[1].group():
        street /= 2
    phone = 1.0 if row.phones & listing.phones else 0.0
    score = WEIGHTS["name"] * name + WEIGHTS["street"] * street + WEIGHTS["phone"] * phone
    if row.zip != listing.zip:
        score -= NEIGHBOURING_ZIP
    return round(score, 4)


def link(rows: list[Facility], listings: list[Facility]) -> tuple[list[Pair], list[Pair]]:
    """(confident links, possible duplicates) between unmatched rows and unmatched listings.

    A listing the source knows by another ``facility_id`` than the row's is not compared.
    """
    blocks: dict[tuple[str, str], list[Facility]] = defaultdict(list)
    for listing in listings:
        blocks[listing.state, listing.zip[:3]].append(listing)
    scored = []
    for row in rows:
        for listing in blocks.get((row.state, row.zip[:3]), ()):
            if row.facility_id and listing.facility_id and row.facility_id != listing.facility_id:
                continue
            score = confidence(row, listing)
            if score >= QUEUE_AT:
                unlike = row.written != listing.written
                scored.append((-score, unlike, row.ref, listing.ref))
    scored = [Pair(row, listing_id, -score) for score, _, row, listing_id in sorted(scored)]
    links, possible, used_rows, used_listings = [], [], set(), set()
    for pair in scored:
        if (
            pair.confidence >= LINK_AT
            and pair.row not in used_rows
            and pair.listing_id not in used_listings
        ):
            links.append(pair)
            used_rows.add(pair.row)
            used_listings.add(pair.listing_id)
    queued_rows = set()
    for pair in scored:
        if (
            pair.confidence < LINK_AT
            and pair.row not in used_rows | queued_rows
            and pair.listing_id not in used_listings
        ):
            possible.append(pair)
            queued_rows.add(pair.row)
    return links, possible
