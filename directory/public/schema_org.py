"""schema.org markup for a provider page, so search engines can read what a listing is.

A listing is a ``MedicalClinic`` (a ``MedicalOrganization``): its address, phone, point at
the precision it was placed (a ZIP centroid is not a street address, so fewer digits),
``isAcceptingNewPatients`` while its availability is ``accepting`` and not expired, and its
levels of care as ``availableService``.
Written as JSON-LD in the page itself: no script runs and nothing is fetched. A withdrawn
listing (no longer in its source's latest release, kept for reference) has none.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, url_for

from directory.listings.availability import ACCEPTING
from directory.listings.availability import current as current_availability
from directory.public import blueprint
from directory.vocabulary import FAMILIES
from directory.web.i18n import fast_gettext

# Decimal places of a point by how it was placed: ~1 m for an address, ~1 km otherwise.
DIGITS = {"address": 5, "zip": 2, "city": 2}


def provider_json_ld(listing, page_url: str, translate: Callable[[str], str]) -> dict:
    body = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": page_url,
        "url": page_url,
        "name": listing.name,
    }
    if listing.program_name:
        body["alternateName"] = listing.program_name
    if listing.description:
        body["description"] = listing.description
    body["address"] = {
        "@type": "PostalAddress",
        "streetAddress": " ".join(p for p in (listing.street, listing.street2) if p),
        "addressLocality": listing.city,
        "addressRegion": listing.state,
        "postalCode": listing.zip,
        "addressCountry": "US",
    }
    if listing.phone:
        body["telephone"] = listing.phone
    digits = DIGITS.get(listing.location_precision or "")
    if digits is not None and listing.lat is not None and listing.lon is not None:
        body["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": round(listing.lat, digits),
            "longitude": round(listing.lon, digits),
        }
    # Said only while a stated "accepting" counts (not past its expiry): a waitlist, an
    # assessment first or an unknown status is no promise a search engine should repeat.
    if current_availability(listing).status == ACCEPTING:
        body["isAcceptingNewPatients"] = True
    if "mental_health" in (listing.service_types or []):
        body["medicalSpecialty"] = "Psychiatric"
    care_levels = FAMILIES["care_level"]
    services = [
        {"@type": "MedicalTherapy", "name": translate(care_levels.label_of(code))}
        for code in care_levels.order(listing.care_levels or [])
    ]
    if services:
        body["availableService"] = services
    if listing.website:
        body["sameAs"] = listing.website
    return body


@blueprint.app_template_global()
def schema_org(listing) -> dict:
    site = current_app.config["SITE_URL"].rstrip("/")
    page_url = site + url_for("public.provider", listing_id=listing.id)
    return provider_json_ld(listing, page_url, fast_gettext)
