"""The matcher over the real 2022 national directories (skipped where ../shared is absent)."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic

from tests.conftest import SAMHSA_DIR

pytestmark = pytest.mark.skipif(
    not SAMHSA_DIR.exists(), reason="../shared/data/samhsa-2022 is not here"
)

DENVER = (39.7392, -104.9903)
DENVER_AREA = {"Denver", "Aurora", "Lakewood", "Englewood", "Littleton", "Arvada",
               "Westminster", "Thornton", "Wheat Ridge", "Commerce City", "Northglenn",
               "Centennial", "Golden", "Broomfield", "Glendale", "Greenwood Village",
               "Federal Heights", "Edgewater", "Sheridan", "Lone Tree", "Parker"}  # fmt: skip


@pytest.fixture
def national(runner):
    result = runner.invoke(
        args=["import-samhsa", *map(str, sorted(SAMHSA_DIR.glob("*_facilities_2022.csv")))]
    )
    assert result.exit_code == 0, result.output[-500:]


def test_denver_outpatient_accepting_medicaid_returns_denver_area_providers(client, national):
    response = client.get(
        "/api/v1/match",
        query_string={"lat": DENVER[0], "lon": DENVER[1], "radius": 10,
                      "care_level": "outpatient", "payment": "medicaid",
                      "require": "care_level,payment", "per_page": 50},
    )  # fmt: skip
    body = response.get_json()
    assert body["total"] >= 20, "Denver has dozens of outpatient programs taking Medicaid"
    for result in body["results"]:
        assert result["address"]["state"] == "CO"
        expected = geodesic(DENVER, (result["lat"], result["lon"])).miles
        assert result["distance_miles"] == pytest.approx(expected, rel=0.01, abs=0.1)
        assert result["distance_miles"] <= 10
        statuses = {c["criterion"]: c["status"] for c in result["criteria"]}
        assert statuses == {"care_level": "met", "payment": "met"}
    cities = {result["address"]["city"] for result in body["results"]}
    assert cities <= DENVER_AREA, cities - DENVER_AREA
    distances = [r["distance_miles"] for r in body["results"]]
    assert distances[0] <= 2.0
