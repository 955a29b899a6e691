"""Our listings in Open Referral's Human Services Data Specification (HSDS 3.0) shapes.

One listing is one HSDS organization (its name) providing one service (its program) at one
physical location (its address and point), with its phones and languages. Our vocabulary is
published as HSDS taxonomies, one per family, with one term per code, attached to services
through ``attributes``. Every HSDS id is a UUID derived from our listing id and the entity's
kind, so it never changes between requests, exports or releases. Plain Python: labels are
translated by the ``translate`` callable the caller passes (English by default).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from hashlib import sha1

from directory.geo.timezones import zone_of
from directory.listings import hours as weekly
from directory.listings.availability import UNKNOWN, WAITING
from directory.listings.availability import as_json as availability_as_json
from directory.listings.availability import current as current_availability
from directory.matching.restrictions import RESTRICTIONS, restrictions_of
from directory.vocabulary import FAMILIES, LISTING_FIELDS, N_, Family, Term

HSDS_VERSION = "3.0"
# Fixed forever: changing it would change every published id.
NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-5d8e-9a49-7d2f8f0c1a15")
_NAMESPACE_BYTES = NAMESPACE.bytes

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def hsds_id(kind: str, key: str) -> str:
    """The stable UUID of an HSDS entity: ``hsds_id("service", listing_id)``, which is
    ``str(uuid.uuid5(NAMESPACE, "service/" + listing_id))`` computed without the UUID object
    (an export makes some forty per listing)."""
    name = _NAMESPACE_BYTES + f"{kind}/{key}".encode()
    digest = bytearray(sha1(name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


# --- our vocabulary as HSDS taxonomies -------------------------------------------------

DELIVERY = Family(
    "delivery",
    N_("How care is delivered"),
    (Term("telehealth", N_("Telehealth"), N_("Care by phone or video")),),
)
# The availability statuses that say something (DESIGN.md 3.2); ``unknown``, or a status past
# its expiry, has no term: like an unreported family, it gets no attribute.
AVAILABILITY = Family(
    "availability",
    N_("Taking new clients"),
    (
        Term("accepting", N_("Accepting new clients")),
        Term("waitlist", N_("Waiting list")),
        Term("assessment_required", N_("Accepting new clients after an assessment")),
        Term("not_accepting", N_("Not accepting new clients")),
    ),
    multiple=False,
)
# HSDS has no way to say "reported, and none": an absent attribute says nothing. A listing
# that reports a family and offers none of it (no medication, no telehealth) says so with this
# taxonomy's term for that family, so the difference between *none* and *unknown* (DESIGN.md
# 3.2) survives an export and an import (importers.hsds).
NONE_OFFERED = Family(
    "none_offered",
    N_("Reported as offering none"),
    tuple(Term(family, FAMILIES[family].label) for family in LISTING_FIELDS)
    + (Term("delivery", DELIVERY.label, N_("No telehealth")),),
)
TAXONOMY_FAMILIES: dict[str, Family] = {
    **FAMILIES,
    "delivery": DELIVERY,
    "availability": AVAILABILITY,
    "none_offered": NONE_OFFERED,
}
TAXONOMY_VERSION = "1"
LANGUAGE_CODES = {"en": "eng", "es": "spa"}  # ISO 639-2, as the HSDS examples use


@cache
def taxonomy_id(family: str) -> str:
    return hsds_id("taxonomy", family)


@cache
def term_id(family: str, code: str) -> str:
    return hsds_id("taxonomy_term", f"{family}/{code}")


def taxonomy_json(family: Family, translate: Translate = _same) -> dict:
    return {
        "id": taxonomy_id(family.code),
        "name": translate(family.label),
        "description": translate(family.label),
        "version": TAXONOMY_VERSION,
    }


def term_json(
    family: Family, term: Term, translate: Translate = _same, language: str = "en"
) -> dict:
    return {
        "id": term_id(family.code, term.code),
        "code": term.code,
        "name": translate(term.label),
        "description": translate(term.description or term.label),
        "taxonomy": family.code,
        "taxonomy_detail": taxonomy_json(family, translate),
        "language": LANGUAGE_CODES.get(language, language),
        "taxonomy_id": taxonomy_id(family.code),
    }


@dataclass(frozen=True)
class TermRef:
    """Where a published term id points back into our vocabulary."""

    family: Family
    term: Term


def all_terms() -> Iterator[TermRef]:
    for family in TAXONOMY_FAMILIES.values():
        for term in family.terms:
            yield TermRef(family, term)


TERMS_BY_ID: dict[str, TermRef] = {term_id(r.family.code, r.term.code): r for r in all_terms()}
FAMILIES_BY_ID: dict[str, Family] = {taxonomy_id(f.code): f for f in TAXONOMY_FAMILIES.values()}


def listing_codes(listing) -> dict[str, list[str]]:
    """{taxonomy family: codes} for what the listing is known to offer, and under
    ``none_offered`` the families it reports offering none of (unknown families are left out:
    an absent attribute says nothing)."""
    codes: dict[str, list[str]] = {}
    none = []
    for family, field in LISTING_FIELDS.items():
        values = getattr(listing, field, None)
        if values:
            codes[family] = TAXONOMY_FAMILIES[family].order(values)
        elif values is not None:
            none.append(family)
    if listing.dual_diagnosis:
        codes["dual_diagnosis"] = [listing.dual_diagnosis]
    if listing.telehealth:
        codes["delivery"] = ["telehealth"]
    elif listing.telehealth is False:
        none.append("delivery")
    if none:
        codes["none_offered"] = none
    availability = availability_code(listing)
    if availability:
        codes["availability"] = [availability]
    return codes


def availability_code(listing, now: datetime | None = None) -> str | None:
    """The availability term of a listing now: its status, or None when that is ``unknown``
    (never stated, or past its expiry)."""
    status = current_availability(listing, now).status
    return None if status == UNKNOWN else status


def availability_extension(listing, now: datetime | None = None) -> dict:
    """Our availability as it is in ``/api/v1``, an extension property of the service: HSDS has
    no place for who set it, when, and until when."""
    return availability_as_json(listing, timestamp, now)


# --- listings as HSDS entities ---------------------------------------------------------


def status_of(listing) -> str:
    """``active``, or ``inactive`` for a listing withdrawn (no longer in its source's latest
    release) or merged into another: HSDS has no tombstones, so it stays, saying so."""
    return "active" if listing.status == "active" else "inactive"


def timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def website_uri(text: str) -> str | None:
    text = (text or "").strip()
    if not text or " " in text:
        return None
    return text if "://" in text else f"https://{text}"


def organization_brief(listing) -> dict:
    return {
        "id": hsds_id("organization", listing.id),
        "name": listing.name,
        "description": listing.description or "",
    }


def organization_json(listing, translate: Translate = _same, full_service: bool = False) -> dict:
    body = organization_brief(listing)
    website = website_uri(listing.website)
    if website:
        body["website"] = website
    body["phones"] = phones_json(listing, owner="organization_id")
    body["locations"] = [location_json(listing, translate)]
    body["services"] = [
        service_json(listing, translate) if full_service else service_brief(listing)
    ]
    return body


def service_brief(listing) -> dict:
    """The service's one-to-one fields, as ``/services`` lists them."""
    body = {
        "id": hsds_id("service", listing.id),
        "organization_id": hsds_id("organization", listing.id),
        "name": listing.program_name or listing.name,
        "description": listing.description or "",
        "status": status_of(listing),
    }
    website = website_uri(listing.website)
    if website:
        body["url"] = website
    state = current_availability(listing)
    if state.status in WAITING and state.wait_days:
        body["wait_time"] = f"{state.wait_days} days"
    body["last_modified"] = timestamp(listing.updated_at)
    body["availability"] = availability_extension(listing)
    return body


def service_list_item(listing) -> dict:
    return {**service_brief(listing), "organization": organization_brief(listing)}


def service_json(listing, translate: Translate = _same, language: str = "en") -> dict:
    """The fully nested service, as ``/services/{id}`` returns it."""
    body = service_brief(listing)
    accreditations = accreditations_text(listing, translate)
    if accreditations:
        body["accreditations"] = accreditations
    eligibility = eligibility_text(listing, translate)
    if eligibility:
        body["eligibility_description"] = eligibility
    body["phones"] = phones_json(listing, owner="service_id")
    body["service_at_locations"] = [service_at_location_json(listing, translate, nested=False)]
    body["languages"] = languages_json(listing, translate)
    body["organization"] = organization_brief(listing)
    body["attributes"] = attributes_json(listing, translate, language)
    return body


def accreditations_text(listing, translate: Translate = _same) -> str:
    family = FAMILIES["accreditation"]
    codes = family.order(listing.accreditations or [])
    return ", ".join(translate(family.label_of(code)) for code in codes)


def eligibility_text(listing, translate: Translate = _same) -> str:
    """Who the program is only for (women only, veterans only, …), derived from its genders,
    age groups and operator (DESIGN.md 3.2); empty when it is for anyone."""
    codes = restrictions_of(listing.genders, listing.age_groups, listing.operators)
    return "; ".join(translate(RESTRICTIONS[code]) for code in codes)


def phones_json(listing, owner: str) -> list[dict]:
    owner_id = hsds_id(owner.removesuffix("_id"), listing.id)
    phones = []
    for kind, number in (("main", listing.phone), ("intake", listing.intake_phone)):
        if number:
            phones.append(
                {
                    "id": hsds_id("phone", f"{listing.id}/{kind}"),
                    owner: owner_id,
                    "number": number,
                    "type": "voice",
                    "description": "Intake" if kind == "intake" else "Main",
                }
            )
    return phones


def languages_json(listing, translate: Translate = _same) -> list[dict]:
    family = FAMILIES["language"]
    return [
        {
            "id": hsds_id("language", f"{listing.id}/{code}"),
            "service_id": hsds_id("service", listing.id),
            "name": translate(family.label_of(code)),
            "code": code,
        }
        for code in family.order(listing.languages or [])
    ]


def attributes_json(
    listing, translate: Translate = _same, language: str = "en", with_terms: bool = True
) -> list[dict]:
    """The listing's vocabulary as attributes of its service (``with_terms``: each with its
    full taxonomy term, as the API nests it; a data package links terms by id instead)."""
    service_id = hsds_id("service", listing.id)
    attributes = []
    for family_code, codes in listing_codes(listing).items():
        family = TAXONOMY_FAMILIES[family_code]
        for code in codes:
            attribute = {
                "id": hsds_id("attribute", f"{listing.id}/{family_code}/{code}"),
                "link_id": service_id,
                "taxonomy_term_id": term_id(family_code, code),
                "link_type": family_code,
                "link_entity": "service",
                "value": code,
            }
            if with_terms:
                attribute["taxonomy_term"] = term_json(
                    family, family.term(code), translate, language
                )
            attributes.append(attribute)
    return attributes


def location_json(listing, translate: Translate = _same) -> dict:
    location_id = hsds_id("location", listing.id)
    body = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": hsds_id("organization", listing.id),
        "name": listing.program_name or listing.name,
    }
    if listing.lat is not None and listing.lon is not None:
        body["latitude"] = listing.lat
        body["longitude"] = listing.lon
    body["addresses"] = [
        {
            "id": hsds_id("address", listing.id),
            "location_id": location_id,
            "address_1": listing.street or "",
            "address_2": listing.street2 or "",
            "city": listing.city or "",
            "state_province": listing.state or "",
            "postal_code": listing.zip or "",
            "country": "US",
            "address_type": "physical",
        }
    ]
    body["schedules"] = schedules_json(listing)
    return body


def schedules_json(listing, now: datetime | None = None) -> list[dict]:
    """The listing's weekly opening hours as HSDS schedule rows of its location (none when it
    gave none). HSDS's ``timezone`` is a UTC offset, so it is the zone's offset now (it
    moves with daylight saving time); ``notes`` names the zone the times are in."""
    week = weekly.week_of(listing.hours) or ()
    zone = zone_of(listing.state, listing.zip)
    location_id = hsds_id("location", listing.id)
    rows = []
    for interval in week:
        row = {
            "id": hsds_id("schedule", f"{listing.id}/{interval.as_json()}"),
            "location_id": location_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            **interval.as_json(),
        }
        if zone is not None:
            offset = (now or datetime.now(zone)).astimezone(zone).utcoffset()
            row["timezone"] = offset.total_seconds() / 3600
            row["notes"] = f"Times in {zone.key}"
        rows.append(row)
    return rows


def service_at_location_brief(listing) -> dict:
    return {
        "id": hsds_id("service_at_location", listing.id),
        "service_id": hsds_id("service", listing.id),
        "location_id": hsds_id("location", listing.id),
    }


def service_at_location_json(listing, translate: Translate = _same, nested: bool = True) -> dict:
    body = service_at_location_brief(listing)
    body["location"] = location_json(listing, translate)
    if nested:
        body["phones"] = phones_json(listing, owner="service_at_location_id")
        body["service"] = service_brief(listing)
    return body


def organization_list_item(listing) -> dict:
    body = organization_brief(listing)
    website = website_uri(listing.website)
    if website:
        body["website"] = website
    return body


def service_at_location_list_item(listing, translate: Translate = _same) -> dict:
    body = service_at_location_brief(listing)
    body["location"] = location_json(listing, translate)
    body["service"] = {
        "id": hsds_id("service", listing.id),
        "name": listing.program_name or listing.name,
        "status": status_of(listing),
    }
    return body
