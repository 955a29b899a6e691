"""Where each section of a listing came from, and when and by whom it was last confirmed.

Read from the audit trail: the latest change to any field of a section says where it came
from (an import, the provider, directory staff); the latest confirmation — a "still
correct" from the provider or staff, a change they made, a fresh availability, a caller
who got through (for contact details) — says when it was last confirmed and by whom, in
role terms. Nothing here names a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.models.audit import (
    ADMIN_CHANGE,
    AVAILABILITY,
    EDIT_APPROVED,
    HOURS,
    IMPORT_CREATE,
    IMPORT_UPDATE,
    NEW_LISTING,
    PHONE_OUTCOME,
    VERIFIED,
)
from directory.models.listing import ADDRESS_AND_PHONES, SERVICE_COLUMNS
from directory.vocabulary import LISTING_FIELDS

# Who, in role terms.
IMPORT, PROVIDER, ADMIN, CALLER, DEMO = "import", "provider", "admin", "caller", "demo"
ADMIN_CALL = "admin_call"  # directory staff, after a phone call that found the details right
NOBODY = "nobody"  # a section nobody ever gave (availability, before anyone sets it)

SECTIONS: dict[str, tuple[str, ...]] = {
    "contact": (*ADDRESS_AND_PHONES, "website"),
    "services": (
        *(column for column in SERVICE_COLUMNS if column != LISTING_FIELDS["payment"]),
        "description",
    ),
    "payment": (LISTING_FIELDS["payment"],),
    "availability": ("availability_status", "wait_days"),
    # Setting the same hours again moves only ``hours_updated_at``: still a confirmation.
    "hours": ("hours", "walk_in", "intake_24h", "hours_updated_at"),
}

_CHANGED_BY = {
    IMPORT_CREATE: IMPORT,
    IMPORT_UPDATE: IMPORT,
    EDIT_APPROVED: PROVIDER,
    NEW_LISTING: PROVIDER,
    ADMIN_CHANGE: ADMIN,
    AVAILABILITY: PROVIDER,
    HOURS: PROVIDER,
}


@dataclass(frozen=True)
class Provenance:
    section: str
    origin: str  # IMPORT, PROVIDER, ADMIN, DEMO or NOBODY
    source: str  # the listing's source (e.g. samhsa); its release is on the listing
    changed_at: datetime | None
    confirmed_by: str | None  # PROVIDER, ADMIN, ADMIN_CALL or CALLER; None: never confirmed
    confirmed_at: datetime | None


def _origin_of_source(source: str) -> str:
    if source == "demo":
        return DEMO
    if source in (PROVIDER, ADMIN):
        return source
    return IMPORT


def sections(listing, entries, reached_at: datetime | None = None) -> list[Provenance]:
    """Each section's provenance; ``entries`` are the listing's audit entries, oldest first."""
    made = {name: (_origin_of_source(listing.source), listing.created_at) for name in SECTIONS}
    if getattr(listing, "hours_updated_at", None) is None:
        made["hours"] = (NOBODY, None)  # no source gives hours: nobody has, until someone does
    confirmed: dict[str, tuple[str, datetime]] = {}

    def confirm(section: str, who: str, when: datetime) -> None:
        if section not in confirmed or confirmed[section][1] <= when:
            confirmed[section] = (who, when)

    for entry in entries:
        _read_entry(entry, made, confirm)
    if reached_at is not None:
        confirm("contact", CALLER, reached_at)
    who, when = _availability_origin(listing)
    made["availability"] = (who, when)
    if who in (PROVIDER, ADMIN):
        confirm("availability", who, when)
    return [
        Provenance(
            section=section,
            origin=made[section][0],
            source=listing.source,
            changed_at=made[section][1],
            confirmed_by=confirmed.get(section, (None, None))[0],
            confirmed_at=confirmed.get(section, (None, None))[1],
        )
        for section in SECTIONS
    ]


def _read_entry(entry, made: dict, confirm) -> None:
    """What one audit entry says: a check confirms every section; a change by a person
    makes and confirms the sections it touched; an import only makes them."""
    if entry.action == VERIFIED:
        who = ADMIN if entry.account_id is not None else PROVIDER
        if PHONE_OUTCOME in (entry.changes or {}):
            who = ADMIN_CALL
        for section in SECTIONS:
            confirm(section, who, entry.created_at)
        return
    who = _CHANGED_BY.get(entry.action)
    if who is None:
        return
    source = (entry.changes or {}).get("hours_source", [None, None])[1]
    if entry.action == HOURS and source == ADMIN:
        who = ADMIN  # hours an administrator set (operations.hours.ADMIN)
    touched = set(entry.changes or {})
    for section, fields in SECTIONS.items():
        if touched.intersection(fields):
            made[section] = (who, entry.created_at)
            if who != IMPORT:
                confirm(section, who, entry.created_at)


def _availability_origin(listing) -> tuple[str, datetime | None]:
    if listing.availability_updated_at is None:
        return NOBODY, None
    who = {ADMIN: ADMIN, DEMO: DEMO}.get(listing.availability_source, PROVIDER)
    return who, listing.availability_updated_at
