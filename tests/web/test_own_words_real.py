"""The issue's own sentences over the real 2022 national directories (a copy of the session's
one import)."""

from __future__ import annotations

import pytest

from tests.conftest import SAMHSA_DIR

pytestmark = [
    pytest.mark.skipif(not SAMHSA_DIR.exists(), reason="../shared/data/samhsa-2022 is not here"),
    pytest.mark.national_directory,
]


def test_sentences_people_type_find_fitting_places_in_the_real_directory(client):
    def match(q: str) -> dict:
        response = client.get("/api/v1/match", query_string={"q": q, "per_page": 10})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    teen = match("rehab for my son, he's 16, we have Medicaid, near Tucson")
    assert teen["understood"]["parameters"] == {
        "location": ["Tucson, AZ"], "care_level": ["residential"],
        "age_group": ["adolescents"], "payment": ["medicaid"]}  # fmt: skip
    best = teen["results"][0]
    assert best["address"]["state"] == "AZ"
    assert {c["criterion"]: c["status"] for c in best["criteria"]} == {
        "care_level": "met", "payment": "met", "age_group": "met"}  # fmt: skip

    sober = match("sober living near Tucson")
    assert sober["total"] >= 1
    assert all(r["address"]["state"] == "AZ" for r in sober["results"])

    spanish = match("tratamiento para el alcohol en español cerca de 78501")
    assert spanish["origin"]["label"].startswith("Mcallen, TX")
    assert spanish["total"] >= 10
    for result in spanish["results"]:
        statuses = {c["criterion"]: c["status"] for c in result["criteria"]}
        assert statuses["language"] == "met" and statuses["service_type"] == "met"

    suboxone = match("I need to get off Suboxone, Hazard KY")
    assert suboxone["results"][0]["distance_miles"] < 5
    assert suboxone["results"][0]["criteria"][0] == {
        "criterion": "medication", "status": "met", "required": False,
        "reason": "Offers buprenorphine"}  # fmt: skip

    ketamine = match("ketamine is wrecking my bladder, Denver CO")
    assert ketamine["understood"]["not_understood"] == ["wrecking", "bladder"]
    assert ketamine["total"] >= 50

    page = client.get(
        "/search", query_string={"q": "suboxen doctor that takes medicad in Hazard KY"}
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "We understood:" in text and "you typed “suboxen”" in text and "Near Hazard, KY" in text
