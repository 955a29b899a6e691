"""``/api/v1/match`` and ``/api/v1/providers/<id>``: every parameter, and no input gives a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_listing

pytestmark = pytest.mark.postgres


@pytest.fixture
def denver(db):
    """A few Denver-area providers and one in Boulder, committed."""
    listings = {
        "downtown": make_listing("80202", name="Downtown Outpatient", payments=["medicaid"]),
        "aurora": make_listing("80010", name="Aurora Detox", care_levels=["detox"],
                               medications=["buprenorphine"], therapies=["cbt", "mat"]),
        "boulder": make_listing("80302", name="Boulder Counseling", payments=None,
                                telehealth=True, dual_diagnosis="enhanced"),
        "pueblo": make_listing("81003", name="Pueblo Telehealth", telehealth=True),
    }  # fmt: skip
    db.session.commit()
    return listings


def get(client, **params):
    return client.get("/api/v1/match", query_string=params)


def test_match_returns_nearby_providers_nearest_first_among_equals(client, denver):
    body = get(client, location="80202", radius=20).get_json()
    names = [result["name"] for result in body["results"]]
    assert names[0] == "Downtown Outpatient"
    assert "Pueblo Telehealth" not in names  # 100 miles away
    assert body["origin"]["precision"] == "zip"
    assert body["origin"]["label"] == "Denver, CO 80202"
    assert body["total"] == len(names)


def test_each_result_explains_every_criterion_of_the_query(client, denver):
    body = get(client, location="Denver, CO", payment="medicaid", therapy="cbt").get_json()
    for result in body["results"]:
        criteria = {c["criterion"]: c for c in result["criteria"]}
        assert set(criteria) == {"payment", "therapy"}
        assert all(c["reason"] for c in criteria.values())
    boulder = next(r for r in body["results"] if r["name"] == "Boulder Counseling")
    payment = next(c for c in boulder["criteria"] if c["criterion"] == "payment")
    assert payment["status"] == "unknown"
    assert "call to confirm" in payment["reason"]


def test_a_required_criterion_is_never_unmet_in_results(client, denver):
    body = get(client, location="80202", radius=50, care_level="detox").get_json()
    assert [r["name"] for r in body["results"]] == ["Aurora Detox"]
    assert body["results"][0]["criteria"][0]["required"] is True


def test_require_makes_the_named_criteria_the_whole_must_have_set(client, denver):
    preference = get(client, location="80202", care_level="detox", require="").get_json()
    assert preference["total"] == 3  # detox is only a preference now
    required = get(client, location="80202", medication="buprenorphine",
                   require="medication").get_json()  # fmt: skip
    assert [r["name"] for r in required["results"]] == ["Aurora Detox"]


def test_few_results_come_with_alternatives_naming_what_they_lack(client, denver):
    body = get(client, location="80202", radius=30, care_level="detox",
               medication="methadone", require="care_level,medication").get_json()  # fmt: skip
    assert body["results"] == []
    assert body["alternatives"], "never a dead end"
    assert body["alternatives"][0]["name"] == "Aurora Detox"
    assert body["alternatives"][0]["lacks"] == ["medication"]


def test_telehealth_providers_in_the_state_are_eligible_at_any_distance(client, denver):
    body = get(client, location="80202", radius=10, telehealth="true").get_json()
    pueblo = next(r for r in body["results"] if r["name"] == "Pueblo Telehealth")
    assert pueblo["telehealth_match"] is True
    assert pueblo["distance_miles"] > 90


def test_distances_are_great_circle_miles(client, denver):
    from geopy.distance import geodesic

    body = get(client, lat="39.7392", lon="-104.9903", radius=40).get_json()
    boulder = next(r for r in body["results"] if r["name"] == "Boulder Counseling")
    expected = geodesic((39.7392, -104.9903), (boulder["lat"], boulder["lon"])).miles
    assert boulder["distance_miles"] == pytest.approx(expected, rel=0.01, abs=0.1)


def test_codes_are_case_insensitive_and_repeatable(client, denver):
    body = get(client, location="80202", care_level=["DETOX", "Outpatient"]).get_json()
    assert body["total"] == 3
    commas = get(client, location="80202", care_level="detox,outpatient").get_json()
    assert commas["total"] == 3


def test_pagination_splits_the_same_ranking(client, denver):
    whole = get(client, location="80202", radius=40, per_page=10).get_json()
    first = get(client, location="80202", radius=40, per_page=1, page=1).get_json()
    second = get(client, location="80202", radius=40, per_page=1, page=2).get_json()
    assert [first["results"][0]["id"], second["results"][0]["id"]] == [
        r["id"] for r in whole["results"][:2]
    ]
    assert first["total"] == whole["total"] and first["per_page"] == 1


def test_results_see_a_listing_change_as_soon_as_it_commits(client, db, denver):
    assert get(client, location="80202", radius=5).get_json()["results"][0]["name"] == (
        "Downtown Outpatient"
    )
    denver["downtown"].name = "Renamed Outpatient"
    denver["downtown"].care_levels = ["residential"]
    db.session.commit()
    body = get(client, location="80202", radius=5, care_level="outpatient").get_json()
    assert "Renamed Outpatient" not in [r["name"] for r in body["results"]]


def test_reasons_follow_the_language(client, denver):
    body = get(client, location="80202", payment="medicaid", lang="es").get_json()
    assert body["results"][0]["criteria"][0]["reason"] == "Acepta Medicaid"
    spanish = client.get("/api/v1/match?location=80202&payment=medicaid",
                         headers={"Accept-Language": "es"}).get_json()  # fmt: skip
    assert spanish["results"][0]["criteria"][0]["reason"] == "Acepta Medicaid"


def test_cors_is_open_for_reads(client, denver):
    response = get(client, location="80202")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("params", "code", "parameter"),
    [
        ({}, "missing_location", "location"),
        ({"location": "Xyzzyville, QQ"}, "location_not_found", "location"),
        ({"location": "x" * 5000}, "invalid_parameter", "location"),
        ({"location": "<script>alert(1)</script>"}, "location_not_found", "location"),
        ({"location": "80202", "radius": "far"}, "invalid_parameter", "radius"),
        ({"location": "80202", "radius": "-5"}, "invalid_parameter", "radius"),
        ({"location": "80202", "radius": "0"}, "invalid_parameter", "radius"),
        ({"location": "80202", "radius": "nan"}, "invalid_parameter", "radius"),
        ({"location": "80202", "radius": "inf"}, "invalid_parameter", "radius"),
        ({"location": "80202", "care_level": "spa"}, "unknown_code", "care_level"),
        ({"location": "80202", "therapy": "hugs"}, "unknown_code", "therapy"),
        ({"location": "80202", "service_type": ["substance_use", "mental_health"]},
         "invalid_parameter", "service_type"),
        ({"location": "80202", "telehealth": "maybe"}, "invalid_parameter", "telehealth"),
        ({"location": "80202", "require": "astrology"}, "unknown_code", "require"),
        ({"location": "80202", "require": "payment"}, "invalid_parameter", "require"),
        ({"location": "80202", "page": "0"}, "invalid_parameter", "page"),
        ({"location": "80202", "page": "two"}, "invalid_parameter", "page"),
        ({"location": "80202", "per_page": "1000"}, "invalid_parameter", "per_page"),
        ({"location": "80202", "per_page": "99999999999999999999"}, "invalid_parameter",
         "per_page"),
        ({"lat": "91", "lon": "0"}, "invalid_parameter", "lat"),
        ({"lat": "39.7"}, "invalid_parameter", "lon"),
        ({"lat": "abc", "lon": "-104"}, "invalid_parameter", "lat"),
        ({"location": ["80202", "10001"]}, "invalid_parameter", "location"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_400(client, denver, params, code, parameter):
    response = get(client, **params)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["parameter"]) == (code, parameter)
    assert len(error["message"]) > 10


def test_an_unknown_code_error_lists_the_allowed_values(client, denver):
    error = get(client, location="80202", care_level="spa").get_json()["error"]
    assert "outpatient" in error["allowed"] and "detox" in error["message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["location", "radius", "care_level", "therapy", "require", "page",
                         "per_page", "lat", "lon", "telehealth", "co_occurring", "payment"]),
        st.text(max_size=30),
    )
)  # fmt: skip
def test_no_input_causes_a_server_error(client, denver, params):
    response = get(client, **params)
    assert response.status_code in (200, 400)
    assert response.is_json


def test_provider_json_has_the_whole_listing_with_unknowns_as_null(client, denver):
    listing = denver["boulder"]
    body = client.get(f"/api/v1/providers/{listing.id}").get_json()
    assert body["name"] == "Boulder Counseling"
    assert body["payment"] is None  # no data: unknown
    assert body["population"] == []  # reported: none
    assert body["dual_diagnosis"] == "enhanced"
    assert body["address"]["zip"] == "80302"
    assert body["url"] == f"/providers/{listing.id}"


def test_unknown_provider_is_a_json_404(client, denver):
    response = client.get("/api/v1/providers/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unknown_api_path_and_wrong_method_are_json_errors(client):
    assert client.get("/api/v1/nothing").get_json()["error"]["code"] == "not_found"
    response = client.post("/api/v1/match")
    assert response.status_code == 405
    assert response.is_json


@pytest.mark.parametrize("digits", ["²", "①", "٣"])
def test_unicode_digits_in_page_numbers_are_a_clear_400(client, denver, digits):
    for name in ("page", "per_page"):
        response = get(client, location="80202", **{name: digits})
        assert response.status_code == 400
        assert response.get_json()["error"]["parameter"] == name


def test_responses_vary_with_the_browsers_language(client, denver):
    assert "Accept-Language" in get(client, location="80202").headers["Vary"]
    assert "Accept-Language" in client.get("/").headers["Vary"]


def test_changes_patch_the_index_instead_of_rebuilding_it(app, client, db, denver):
    from directory.models import Listing
    from tests.factories import make_listing

    def names(**params):
        return {
            r["name"]
            for r in get(client, location="80202", radius=30, **params).get_json()["results"]
        }

    assert "Downtown Outpatient" in names()
    catalog = app.extensions["directory.catalog"]
    rebuilds = catalog.rebuilds
    make_listing("80203", name="Brand New Clinic")  # a new listing
    denver["aurora"].care_levels = ["residential"]  # an edit
    db.session.delete(db.session.get(Listing, denver["downtown"].id))  # a removal
    db.session.commit()
    after = names()
    assert "Brand New Clinic" in after and "Downtown Outpatient" not in after
    assert "Aurora Detox" not in names(care_level="detox")
    assert "Aurora Detox" in names(care_level="residential")
    assert catalog.rebuilds == rebuilds and catalog.patches >= 1


def test_a_bulk_change_rebuilds_the_index(app, client, runner, denver):
    get(client, location="80202")
    catalog = app.extensions["directory.catalog"]
    rebuilds = catalog.rebuilds
    runner.invoke(args=["seed-demo", "--count", "50"])
    get(client, location="80202")
    assert catalog.rebuilds == rebuilds + 1
