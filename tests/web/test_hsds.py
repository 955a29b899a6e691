"""The HSDS 3.0 API over a sample of the real 2022 directories, checked against the official
schemas (jsonschema + referencing, offline) and by schemathesis against the official OpenAPI
document."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.hsds.mapping import NAMESPACE, hsds_id, taxonomy_id, term_id
from directory.hsds.openapi import hsds_openapi
from directory.listings import availability
from tests.conftest import SAMHSA_DIR, SHARED
from tests.factories import make_listing
from tests.web.schemathesis_support import run_schemathesis
from tests.web.test_releases import code_list, import_newer, newer_file, release_2022  # noqa: F401

HSDS = SHARED / "standards" / "hsds-3.0" / "schema"
pytestmark = [
    pytest.mark.skipif(not (SAMHSA_DIR.exists() and HSDS.exists()), reason="../shared is not here"),
    pytest.mark.postgres,  # the filters are SQL (JSON lists, expiry times): both databases
]
SAMPLE_ROWS = 120  # of each real directory file


def _retrieve(uri: str) -> Resource:
    contents = json.loads((HSDS / uri).read_text(encoding="utf-8"))
    return Resource.from_contents(contents, default_specification=DRAFT202012)


REGISTRY = Registry(retrieve=_retrieve)


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((HSDS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())


def errors_of(name: str, items: list) -> list[str]:
    check = validator(name)
    return [
        f"{list(e.absolute_path)}: {e.message[:200]}" for i in items for e in check.iter_errors(i)
    ]


def write_sample(tmp_path: Path, rows: int = SAMPLE_ROWS) -> list[Path]:
    """The first rows of each real directory file (real facilities, a fast import)."""
    paths = []
    for source in sorted(SAMHSA_DIR.glob("*_facilities_2022.csv")):
        with source.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            kept = [next(reader)] + [row for _, row in zip(range(rows), reader, strict=False)]
        path = tmp_path / source.name
        with path.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(kept)
        paths.append(path)
    return paths


@pytest.fixture
def sample(runner, tmp_path):
    result = runner.invoke(args=["import-samhsa", *map(str, write_sample(tmp_path))])
    assert result.exit_code == 0, result.output[-500:]


def pages(client, url: str) -> list[dict]:
    items, page = [], 1
    while True:
        body = client.get(f"{url}{'&' if '?' in url else '?'}page={page}&per_page=100").get_json()
        items += body["contents"]
        if body["last_page"]:
            return items
        page += 1


def test_every_endpoint_answers_with_the_official_hsds_shapes(client, sample):
    services = pages(client, "/hsds/services")
    assert len(services) > 150
    assert errors_of("compiled/service_list.json", services) == []
    full = [client.get(f"/hsds/services/{s['id']}").get_json() for s in services[:60]]
    assert errors_of("compiled/service.json", full) == []
    assert any(s["attributes"] for s in full) and any(s["phones"] for s in full)
    organizations = pages(client, "/hsds/organizations?full=true")
    assert errors_of("compiled/organization.json", organizations) == []
    one = client.get(f"/hsds/organizations/{services[0]['organization_id']}").get_json()
    assert errors_of("compiled/organization.json", [one]) == []
    at_locations = pages(client, "/hsds/service_at_locations")
    assert errors_of("compiled/service_at_location_list.json", at_locations) == []
    one = client.get(f"/hsds/service_at_locations/{at_locations[0]['id']}").get_json()
    assert errors_of("compiled/service_at_location.json", [one]) == []
    assert one["location"]["addresses"][0]["country"] == "US"
    taxonomies = pages(client, "/hsds/taxonomies")
    assert errors_of("taxonomy.json", taxonomies) == []
    terms = pages(client, "/hsds/taxonomy_terms?lang=es")
    assert errors_of("taxonomy_term.json", terms) == []


def test_the_root_says_which_hsds_version_and_where_the_openapi_document_is(client):
    body = client.get("/hsds/").get_json()
    assert body["version"] == "3.0"
    document = client.get(body["openapi_url"]).get_json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"][0]["url"].endswith("/hsds")


def test_ids_are_stable_uuids_derived_from_our_listing_ids(client, sample, db):
    from directory.models import Listing

    listing = db.session.query(Listing).order_by(Listing.id).first()
    expected = str(uuid.uuid5(NAMESPACE, f"service/{listing.id}"))
    body = client.get(f"/hsds/services/{expected}").get_json()
    assert body["id"] == expected
    assert body["name"] in (listing.program_name, listing.name)
    assert body["organization"]["name"] == listing.name


def test_a_withdrawn_or_merged_listing_stays_in_hsds_as_inactive(
    client,
    db,
    runner,
    release_2022,  # noqa: F811
    newer_file,  # noqa: F811
    code_list,  # noqa: F811
):
    from directory.models import Listing

    import_newer(runner, newer_file, code_list)
    survivor = release_2022["Harbor Counseling"]
    merged = make_listing(source="samhsa", status="merged", merged_into=survivor)
    db.session.commit()
    closed = release_2022["Elm Street Clinic"]
    current = release_2022["Riverside Behavioral Health"]
    service = client.get(f"/hsds/services/{hsds_id('service', closed)}").get_json()
    assert service["status"] == "inactive"
    listed = {item["id"]: item["status"] for item in pages(client, "/hsds/services?minimal=true")}
    assert listed[hsds_id("service", closed)] == "inactive"
    assert listed[hsds_id("service", merged.id)] == "inactive"
    assert listed[hsds_id("service", current)] == "active"
    assert len(listed) == db.session.query(Listing).count()  # nothing left out


def attribute_codes(service: dict, family: str) -> list[str]:
    return [a["value"] for a in service["attributes"] if a["link_type"] == family]


def test_availability_is_a_term_while_it_counts_and_the_extension_says_the_rest(client, db):
    waiting = make_listing(name="Waiting", availability="waitlist", wait_days=12)
    assessed = make_listing(name="Assessed", availability="assessment_required")
    lapsed = make_listing(name="Lapsed", availability="accepting", wait_days=3)
    lapsed.availability_expires_at = availability.utcnow() - timedelta(minutes=1)
    silent = make_listing(name="Silent")
    db.session.commit()

    def service(listing):
        body = client.get(f"/hsds/services/{hsds_id('service', listing.id)}").get_json()
        assert errors_of("compiled/service.json", [body]) == []
        return body

    body = service(waiting)
    assert attribute_codes(body, "availability") == ["waitlist"]
    assert body["wait_time"] == "12 days"
    assert body["availability"]["status"] == "waitlist"
    assert body["availability"]["source"] == "provider"
    assert body["availability"]["updated_at"] and body["availability"]["expires_at"]
    assert attribute_codes(service(assessed), "availability") == ["assessment_required"]
    # Past its expiry a status is unknown: no term and no wait, but the extension keeps it.
    body = service(lapsed)
    assert attribute_codes(body, "availability") == [] and "wait_time" not in body
    assert (body["availability"]["status"], body["availability"]["stated_status"]) == (
        "unknown", "accepting")  # fmt: skip
    body = service(silent)
    assert attribute_codes(body, "availability") == []
    assert body["availability"]["status"] == "unknown" and body["availability"]["source"] is None

    def names(query):
        return {s["organization"]["name"] for s in pages(client, f"/hsds/services?{query}")}

    assert names(f"taxonomy_term_id={term_id('availability', 'waitlist')}") == {"Waiting"}
    assert names(f"taxonomy_term_id={term_id('availability', 'accepting')}") == set()
    assessment = term_id("availability", "assessment_required")
    assert names(f"taxonomy_term_id={assessment}") == {"Assessed"}
    assert names(f"taxonomy_id={taxonomy_id('availability')}") == {"Waiting", "Assessed"}


def test_a_family_reported_empty_is_none_offered_and_an_unreported_one_says_nothing(client, db):
    none = make_listing(name="No medication", medications=[], telehealth=False)
    unknown = make_listing(name="Not said", medications=None, telehealth=None, populations=None,
                           accreditations=None)  # fmt: skip
    db.session.commit()

    def offered_none(listing):
        body = client.get(f"/hsds/services/{hsds_id('service', listing.id)}").get_json()
        assert errors_of("compiled/service.json", [body]) == []
        return attribute_codes(body, "none_offered")

    assert offered_none(none) == ["medication", "population", "accreditation", "delivery"]
    assert offered_none(unknown) == []

    def names(query):
        return {s["organization"]["name"] for s in pages(client, f"/hsds/services?{query}")}

    assert names(f"taxonomy_term_id={term_id('none_offered', 'medication')}") == {"No medication"}
    assert names(f"taxonomy_term_id={term_id('none_offered', 'delivery')}") == {"No medication"}
    assert names(f"taxonomy_id={taxonomy_id('none_offered')}") == {"No medication"}


def test_detox_for_support_and_operator_are_taxonomies_and_restrictions_eligibility(client, db):
    listing = make_listing(genders=["women"], detox_for=["opioids", "alcohol"],
                           supports=["peer_support"], operators=["veterans_affairs"])  # fmt: skip
    db.session.commit()
    families = {t["id"] for t in client.get("/hsds/taxonomies?per_page=100").get_json()["contents"]}
    assert {taxonomy_id("detox_for"), taxonomy_id("support"), taxonomy_id("operator")} <= families
    body = client.get(f"/hsds/services/{hsds_id('service', listing.id)}").get_json()
    assert attribute_codes(body, "detox_for") == ["opioids", "alcohol"]
    assert attribute_codes(body, "support") == ["peer_support"]
    assert attribute_codes(body, "operator") == ["veterans_affairs"]
    assert body["eligibility_description"] == "Women only; Veterans only"
    spanish = client.get(f"/hsds/services/{hsds_id('service', listing.id)}?lang=es").get_json()
    assert spanish["eligibility_description"] != body["eligibility_description"]
    found = pages(client, f"/hsds/services?taxonomy_term_id={term_id('detox_for', 'opioids')}")
    assert [s["id"] for s in found] == [body["id"]]


def test_the_page_envelope_counts_pages_and_says_which_page_this_is(client, sample):
    first = client.get("/hsds/services?per_page=7").get_json()
    total = first["total_items"]
    assert first["total_pages"] == -(-total // 7)
    assert (first["page_number"], first["size"], first["first_page"], first["empty"]) == (
        1, 7, True, False)  # fmt: skip
    last = client.get(f"/hsds/services?per_page=7&page={first['total_pages']}").get_json()
    assert last["last_page"] and not last["first_page"]
    assert last["size"] == total - 7 * (first["total_pages"] - 1)
    beyond = client.get(f"/hsds/services?per_page=7&page={first['total_pages'] + 1}").get_json()
    assert beyond["empty"] and beyond["contents"] == []


def test_filters_are_cumulative(client, sample):
    methadone = term_id("medication", "methadone")
    with_methadone = pages(client, f"/hsds/services?taxonomy_term_id={methadone}&full=true")
    assert with_methadone
    terms_of = [{a["taxonomy_term_id"] for a in s["attributes"]} for s in with_methadone]
    assert all(methadone in terms for terms in terms_of)
    # A term some but not all of them have: asking for both narrows the list to those.
    other = next(t for t in terms_of[0] if not all(t in terms for terms in terms_of))
    both = pages(client, f"/hsds/services?taxonomy_term_id={methadone}&taxonomy_term_id={other}")
    assert [s["id"] for s in both] == [
        s["id"] for s, terms in zip(with_methadone, terms_of, strict=True) if other in terms
    ]
    organization = with_methadone[0]["organization_id"]
    only = pages(client, f"/hsds/services?taxonomy_term_id={methadone}"
                         f"&organization_id={organization}")  # fmt: skip
    assert [s["id"] for s in only] == [with_methadone[0]["id"]]
    unknown_term = client.get(f"/hsds/services?taxonomy_term_id={uuid.uuid4()}").get_json()
    assert unknown_term["empty"]


def test_search_finds_services_by_name_and_city(client, sample):
    services = pages(client, "/hsds/services")
    word = services[3]["organization"]["name"].split()[0]
    found = pages(client, f"/hsds/services?search={word.lower()}")
    assert services[3]["id"] in {s["id"] for s in found}
    assert all(word.lower() in json.dumps(s).lower() or s for s in found)


def test_postcode_and_proximity_find_services_near_a_zip(client, sample):
    located = pages(client, "/hsds/service_at_locations")
    address = located[0]["location"]["addresses"][0]
    same_zip = pages(client, f"/hsds/service_at_locations?postcode={address['postal_code']}")
    assert located[0]["id"] in {s["id"] for s in same_zip}
    assert {s["location"]["addresses"][0]["postal_code"] for s in same_zip} == {
        address["postal_code"]}  # fmt: skip
    near = pages(client, f"/hsds/service_at_locations?postcode={address['postal_code']}"
                         "&proximity=40000")  # fmt: skip
    assert len(near) >= len(same_zip)


def test_modified_after_leaves_out_listings_not_changed_since(client, sample):
    assert client.get("/hsds/services?modified_after=2000-01-01T00:00:00Z").get_json()[
        "total_items"] > 0  # fmt: skip
    assert client.get("/hsds/services?modified_after=2999-01-01").get_json()["empty"]


def test_taxonomy_terms_are_our_vocabulary_in_english_and_spanish(client):
    methadone = term_id("medication", "methadone")
    english = client.get(f"/hsds/taxonomy_terms/{methadone}").get_json()
    spanish = client.get(f"/hsds/taxonomy_terms/{methadone}?lang=es").get_json()
    assert (english["code"], english["taxonomy"], english["language"]) == (
        "methadone", "medication", "eng")  # fmt: skip
    assert spanish["language"] == "spa" and spanish["id"] == english["id"]
    detox = client.get(f"/hsds/taxonomy_terms/{term_id('care_level', 'detox')}",
                       headers={"Accept-Language": "es"}).get_json()  # fmt: skip
    assert detox["name"] != "Detox" and detox["description"]
    families = client.get("/hsds/taxonomies?per_page=100").get_json()["contents"]
    assert {"Medications", "Level of care", "Payment"} <= {t["name"] for t in families}


def test_ndjson_streams_every_matching_service_without_pages(client, sample):
    paged = pages(client, "/hsds/services")
    response = client.get("/hsds/services?format=ndjson")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [s["id"] for s in lines] == [s["id"] for s in paged]


def test_bad_parameters_and_unknown_ids_are_json_errors(client):
    for url in ("/hsds/services?page=0", "/hsds/services?per_page=abc",
                "/hsds/services?modified_after=yesterday", "/hsds/services?format=xml",
                "/hsds/services?minimal=maybe", "/hsds/service_at_locations?proximity=5",
                "/hsds/service_at_locations?postcode=00000"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["error"]["parameter"] in url
    for url in ("/hsds/services/nope", "/hsds/taxonomies/nope", "/hsds/no-such-endpoint"):
        response = client.get(url)
        assert response.status_code == 404 and response.is_json, url
    assert client.get("/hsds/services").headers["Access-Control-Allow-Origin"] == "*"


# --- schemathesis against Open Referral's own OpenAPI document ---------------------------

OFFICIAL_OPENAPI = HSDS / "openapi.local-refs.json"


def test_the_api_conforms_to_the_official_hsds_openapi_document(app, sample):
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    official = json.loads(OFFICIAL_OPENAPI.read_text(encoding="utf-8"))
    schema = schemathesis.openapi.from_dict(hsds_openapi("/hsds", official))
    schema.location = OFFICIAL_OPENAPI.absolute().as_uri()  # its $refs are relative to it
    schema.app = app
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]  # fmt: skip
    assert run_schemathesis(schema, checks) == []
