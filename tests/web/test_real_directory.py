"""The matcher over the real 2022 national directories (skipped where ../shared is absent)."""

from __future__ import annotations

import shutil

import pytest
from geopy.distance import geodesic
from sqlalchemy import func, select

from directory import create_app
from directory.extensions import db
from directory.models import Listing
from directory.vocabulary import FAMILIES
from tests.conftest import SAMHSA_DIR, FreshContextClient, _test_config

pytestmark = pytest.mark.skipif(
    not SAMHSA_DIR.exists(), reason="../shared/data/samhsa-2022 is not here"
)

DENVER = (39.7392, -104.9903)
DENVER_AREA = {"Denver", "Aurora", "Lakewood", "Englewood", "Littleton", "Arvada",
               "Westminster", "Thornton", "Wheat Ridge", "Commerce City", "Northglenn",
               "Centennial", "Golden", "Broomfield", "Glendale", "Greenwood Village",
               "Federal Heights", "Edgewater", "Sheridan", "Lone Tree", "Parker"}  # fmt: skip


@pytest.fixture(scope="module")
def national_app(national_directory, tmp_path_factory):
    """A copy of the session's one import of the real national directory, shared (read-only)
    by this module's tests."""
    folder = tmp_path_factory.mktemp("national-matching")
    path = folder / "national.sqlite3"
    shutil.copy(national_directory.path, path)
    app = create_app({**_test_config(f"sqlite:///{path}"), "INSTANCE_DIR": str(folder)})
    app.test_client_class = FreshContextClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def national(national_app):
    return national_app.test_client()


def match(client, **query) -> dict:
    response = client.get("/api/v1/match", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def test_denver_outpatient_accepting_medicaid_returns_denver_area_providers(national):
    client = national
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


def test_hazard_detox_with_medicaid_offers_the_farther_detox_programs_first(national):
    body = match(national, location="Hazard, KY", radius=25, care_level="detox",
                 payment="medicaid", require="care_level,payment")  # fmt: skip
    assert body["total"] == 0
    alternatives = body["alternatives"]
    farther = [a for a in alternatives if a["lacks"] == ["distance"]]
    assert alternatives[: len(farther)] == farther, "the full fits beyond the radius come first"
    assert len(farther) >= 6
    for alternative in farther:
        statuses = {c["criterion"]: c["status"] for c in alternative["criteria"]}
        assert statuses == {"care_level": "met", "payment": "met"}
        assert alternative["distance_miles"] > 25
    assert [a["distance_miles"] for a in farther[:6]] == sorted(
        a["distance_miles"] for a in farther[:6]
    )
    assert farther[0]["distance_miles"] >= 33 and farther[5]["distance_miles"] <= 41
    near = alternatives[len(farther) :]
    assert near and all(a["lacks"] == ["care_level"] and a["distance_miles"] <= 25 for a in near)
    page = national.get("/search", query_string={"location": "Hazard, KY", "radius": 25,
                        "care_level": "detox", "payment": "medicaid",
                        "require": ["care_level", "payment"]}).get_data(as_text=True)  # fmt: skip
    assert "Lacks:</strong> Detox" in page and "Search wider" in page


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Los Ángeles, CA", "Los Ángeles, CA"),
        ("San José, CA", "San José, CA"),
        ("Bayamón, PR", "Bayamón, PR"),
        ("Mayagüez, PR", "Mayagüez, PR"),
        ("Cañon City, CO", "Cañon City, CO"),
        ("Boston", "Boston, MA"),
        ("Louisville", "Louisville, KY"),
        ("Hazard", "Hazard, KY"),
        ("Perry County, KY", "Perry County, KY"),
        ("Condado de Los Ángeles", "Los Angeles County, CA"),
        ("Hazzard KY", "Hazard, KY"),
        ("LA", "Los Angeles, CA"),
        ("eastern kentucky", "Eastern Kentucky"),
        ("Roxbury", "Roxbury, MA"),
        ("NYC", "New York, NY"),
        ("Philly", "Philadelphia, PA"),
        ("East LA", "East Los Angeles, CA"),
    ],
)
def test_places_people_type_find_treatment(national, typed, label):
    body = match(national, location=typed, per_page=1)
    assert body["origin"]["label"] == label
    assert body["total"] > 0


def test_what_a_place_might_also_mean_is_offered(national):
    assert {"label": "Louisiana", "location": "Louisiana"} in match(national, location="LA")[
        "origin"
    ]["or"]
    assert "Boston, GA" in [o["label"] for o in match(national, location="Boston")["origin"]["or"]]
    corrected = match(national, location="Hazzard KY")["origin"]
    assert corrected["you_typed"] == "Hazzard KY"
    page = national.get("/search", query_string={"location": "Hazzard KY"}).get_data(as_text=True)
    assert "Showing results for Hazard, KY (you typed Hazzard KY)" in page
    response = national.get("/api/v1/match", query_string={"location": "Sprngfld, MO"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "location_not_found"
    assert {"label": "Springfield, MO", "location": "Springfield, MO"} in error["suggestions"]


def test_a_state_search_covers_every_listing_in_the_state(national, national_app):
    with national_app.app_context():
        located = select(func.count()).where(Listing.state == "LA", Listing.lat.is_not(None))
        in_louisiana = db.session.scalar(located)
    body = match(national, location="Louisiana", per_page=100)
    assert in_louisiana > 150
    assert body["total"] == in_louisiana
    assert {r["address"]["state"] for r in body["results"]} == {"LA"}


def test_a_spanish_speaking_teenager_in_los_angeles_gets_an_honest_count(national):
    body = match(national, location="Los Angeles, CA", age_group="adolescents", language="es",
                 per_page=100)  # fmt: skip
    assert 0 < body["total_all_met"] < body["total"]
    for result in body["results"]:
        statuses = {c["criterion"]: c["status"] for c in result["criteria"]}
        assert statuses["age_group"] != "unmet", "age is a must-have by default"


def test_a_women_only_detox_near_hazard_says_so(national):
    body = match(national, location="Hazard, KY", care_level="detox")
    flagged = [r for r in body["results"] if "women_only" in r["restrictions"]]
    assert flagged, "the women-only detox program near Hazard is flagged"
    page = national.get("/search", query_string={"location": "Hazard, KY", "care_level": "detox"})
    assert "Women only" in page.get_data(as_text=True)
    asking_for_men = match(national, location="Hazard, KY", care_level="detox", gender="men")
    ids = {r["id"] for r in asking_for_men["results"]}
    assert not ids & {r["id"] for r in flagged}, "a women-only program is no fit for a man"


def test_new_families_from_the_codes_are_filterable_and_shown(national):
    rides = match(national, location="Hazard, KY", radius=50, support="transportation",
                  require="support", per_page=5)  # fmt: skip
    assert rides["total"] > 0
    for result in rides["results"]:
        statuses = {c["criterion"]: c["status"] for c in result["criteria"]}
        assert statuses["support"] == "met"
    opioid_detox = match(national, location="Louisville", detox_for="opioids",
                         require="detox_for", per_page=5)  # fmt: skip
    assert opioid_detox["total"] > 0
    listing = national.get(f"/api/v1/providers/{rides['results'][0]['id']}").get_json()
    assert "transportation" in listing["support"]
    assert listing["operator"] in {None, *FAMILIES["operator"].codes}


def test_a_veterans_affairs_program_in_boston_says_veterans_only(national):
    body = match(national, location="Boston", operator="veterans_affairs", per_page=5)
    va = [r for r in body["results"] if r["operator"] == "veterans_affairs"]
    assert va and all("veterans_only" in r["restrictions"] for r in va)
    page = national.get(
        "/search", query_string={"location": "Boston", "operator": "veterans_affairs"}
    )
    assert "Veterans only" in page.get_data(as_text=True)


def test_names_split_by_the_source_are_made_whole(national_app):
    with national_app.app_context():
        names = set(db.session.scalars(select(Listing.name)))
        cut = db.session.scalar(
            select(func.count()).where(
                Listing.name.like("% of") | Listing.name.like("% and") | Listing.name.like("% for")
            )
        )
    assert "Western Arkansas Counseling and Guidance Center Inc" in names
    assert "Catholic Community Services of Southern Arizona Inc/Tucson" in names
    assert "Safe Harbor Treatment Center for Women LLC" in names
    assert cut == 0, "no listing's name stops on 'of', 'and' or 'for'"
