"""Provider pages carry schema.org JSON-LD that search engines can read."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from directory.listings import availability
from tests.factories import make_listing

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, url: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_provider_page_describes_the_clinic_in_schema_org_terms(client, db):
    listing = make_listing(
        zip_code="41701", name="Hazard <Recovery> & Care", program_name="Adult services",
        phone="606-555-0100", care_levels=["detox", "outpatient"],
        service_types=["substance_use", "mental_health"], availability="accepting",
    )  # fmt: skip
    db.session.commit()
    data = json_ld(client, f"/providers/{listing.id}")
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalClinic"
    assert data["name"] == "Hazard <Recovery> & Care"  # escaped in the page, whole in the data
    assert data["url"].endswith(f"/providers/{listing.id}")
    assert data["address"]["@type"] == "PostalAddress"
    assert (data["address"]["addressRegion"], data["address"]["postalCode"]) == ("KY", "41701")
    assert data["telephone"] == "606-555-0100"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert data["geo"]["latitude"] == round(listing.lat, 2)  # a ZIP centroid: ~1 km
    assert data["isAcceptingNewPatients"] is True
    assert [s["name"] for s in data["availableService"]] == ["Detox", "Outpatient"]
    assert {s["@type"] for s in data["availableService"]} == {"MedicalTherapy"}
    spanish = json_ld(client, f"/providers/{listing.id}?lang=es")
    assert spanish["availableService"][1]["name"] != "Outpatient"


def test_unknown_facts_are_left_out_rather_than_guessed(client, db):
    listing = make_listing(availability="unknown", care_levels=None, lat=None, lon=None,
                           location_precision=None)  # fmt: skip
    db.session.commit()
    data = json_ld(client, f"/providers/{listing.id}")
    assert "isAcceptingNewPatients" not in data
    assert "geo" not in data and "availableService" not in data


@pytest.mark.parametrize("status", ["waitlist", "assessment_required", "not_accepting"])
def test_only_accepting_says_it_accepts_new_patients(client, db, status):
    listing = make_listing(availability=status)
    db.session.commit()
    assert "isAcceptingNewPatients" not in json_ld(client, f"/providers/{listing.id}")


def test_an_expired_accepting_is_not_repeated_to_search_engines(client, db):
    listing = make_listing(availability="accepting")
    listing.availability_expires_at = availability.utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "isAcceptingNewPatients" not in json_ld(client, f"/providers/{listing.id}")


def test_a_withdrawn_listing_is_not_offered_to_search_engines(client, db):
    listing = make_listing(source="samhsa", release="2022", status="withdrawn")
    db.session.commit()
    html = client.get(f"/providers/{listing.id}").get_data(as_text=True)
    assert "Withdrawn" in html  # the page still answers, saying why
    assert JSON_LD.findall(html) == []
