"""The OpenAPI document of /api/v1 is true: schemathesis runs every check against the live app
over a sample of the real directories, in positive and negative modes."""

from __future__ import annotations

import re

import schemathesis
from jsonschema import Draft202012Validator
from schemathesis import checks as st_checks

from directory.listings.availability import STATUSES
from directory.matching import CRITERIA
from directory.search.request import FALSE
from tests.factories import make_listing
from tests.web.schemathesis_support import run_schemathesis
from tests.web.test_hsds import sample  # noqa: F401  (the fixture)

# Every check that applies to a read-only API without auth or links (max_response_time has
# no limit set; the stateful and auth checks need links or credentials we do not have).
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
    st_checks.positive_data_acceptance,
    st_checks.negative_data_rejection,
    st_checks.missing_required_header,
    st_checks.unsupported_method,
    st_checks.use_after_free,
    st_checks.ensure_resource_availability,
    st_checks.ignored_auth,
]


def test_the_document_is_openapi_3_1_and_names_every_code(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    parameters = {p["name"]: p for p in document["paths"]["/match"]["get"]["parameters"]}
    assert {"location", "lat", "lon", "radius", "care_level", "payment", "require",
            "page", "per_page"} <= set(parameters)  # fmt: skip
    assert "buprenorphine" in parameters["medication"]["schema"]["items"]["enum"]


def test_the_document_describes_availability_restrictions_and_the_new_families(client, db):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert {"status", "updated_at", "expires_at", "source"} <= set(
        schemas["Availability"]["required"])  # fmt: skip
    assert schemas["Availability"]["properties"]["status"]["enum"] == list(STATUSES)
    parameters = {p["name"] for p in document["paths"]["/match"]["get"]["parameters"]}
    assert {"detox_for", "support", "operator"} <= parameters
    listing = make_listing("41701", genders=["women"], operators=["veterans_affairs"],
                           detox_for=["opioids"], supports=["peer_support"],
                           availability="waitlist", wait_days=9)  # fmt: skip
    db.session.commit()

    def check(body: dict, name: str) -> None:
        schema = {**schemas[name], "components": document["components"]}
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
        assert errors == [], name

    provider = client.get(f"/api/v1/providers/{listing.id}").get_json()
    check(provider, "Provider")
    assert provider["availability"]["status"] == "waitlist"
    assert provider["restrictions"] == ["women_only", "veterans_only"]
    assert (provider["operator"], provider["detox_for"]) == ("veterans_affairs", ["opioids"])
    match = client.get("/api/v1/match?location=41701&detox_for=opioids").get_json()
    check(match, "Match")
    assert [r["id"] for r in match["results"]] == [listing.id]
    words = client.get("/api/v1/match", query_string={"q": "opioid detox near 41701"})
    check(words.get_json(), "Match")
    assert "q" in {p["name"] for p in document["paths"]["/match"]["get"]["parameters"]}
    assert words.get_json()["understood"]["text"] == "opioid detox near 41701"
    check(client.get("/api/v1/changes").get_json(), "Changes")


def test_the_api_keeps_to_its_openapi_document(app, sample):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert run_schemathesis(schema, CHECKS, modes=("positive", "negative"),
                            prepare=real_places) == []  # fmt: skip


# Every precision a place can have (a misspelling is corrected, and says what was typed).
PLACES = ["Birmingham, AL", "35203", "Alabama", "Mobile, AL", "Anchorage, AK",
          "Jefferson County, AL", "Northern Alabama", "Birminghm, AL"]  # fmt: skip


def _asks(value) -> bool:
    """Whether a parameter's value puts its criterion in the search (a false flag does not)."""
    return value not in (None, "", []) and str(value).lower() not in FALSE


def real_places(case, mode: str) -> None:
    """A valid request names a place that exists and requires only what it asks for: the
    two rules between parameters that the document states in words, not in a schema."""
    query = case.query if isinstance(case.query, dict) else None
    if mode != "positive" or case.path != "/match" or query is None:
        return
    if "lat" not in query or "lon" not in query:
        query.pop("lat", None), query.pop("lon", None)
        query["location"] = PLACES[len(str(query)) % len(PLACES)]
    elif "location" in query:  # a place given beside a point is the one searched from
        query["location"] = PLACES[len(str(query)) % len(PLACES)]
    if "require" in query:
        asked = {name for name in query if name in CRITERIA and _asks(query[name])}
        names = [n for n in str(query["require"]).split(",") if n.strip().lower() in asked]
        query["require"] = ",".join(names)


def test_the_api_page_renders_the_openapi_document_for_people(client):
    """/api shows, from the served document itself, every operation with every parameter and
    response, and every schema with its properties, linked; nothing is fetched elsewhere."""
    document = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api").get_data(as_text=True)
    assert "JSON API (v1)" in page  # the Markdown guide is still there, beside the reference
    assert '<a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>' in page
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            anchor = "op-" + operation["operationId"]
            assert f'<a href="#{anchor}">' in page and f'id="{anchor}"' in page
            assert f"{method.upper()} /api/v1{path}" in page
            for parameter in operation.get("parameters", []):
                assert f'<th scope="row"><code>{parameter["name"]}</code>' in page, parameter
            for status in operation["responses"]:
                assert f'<th scope="row">{status}</th>' in page
    assert "one of: substance_use, mental_health" in page  # codes and limits in plain words
    assert "integer, 1 to 1000" in page
    for name, schema in document["components"]["schemas"].items():
        assert f'id="schema-{name}"' in page
        for prop in schema.get("properties", {}):
            assert f"<code>{prop}</code>" in page, (name, prop)
    assert page.count('href="#schema-') >= 10
    assert "origin.lat" in page and "changes[].id" in page  # nested properties, by path
    # No viewer script, stylesheet or font from a CDN: nothing is fetched from anyone else.
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', page)


def test_the_api_page_chrome_is_in_spanish_and_the_reference_stays_english(client):
    page = client.get("/api?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Referencia, del documento OpenAPI" in page and "Parámetros" in page
    assert "Respuestas" in page and "Esquemas" in page
    assert '<tbody lang="en">' in page  # the document's own words are marked as English


def test_schemathesis_covers_every_public_json_endpoint(app):
    """Every /api/v1 and /hsds route is an operation of the OpenAPI document schemathesis
    runs (above for /api/v1, in test_hsds for /hsds): a new endpoint cannot go untested."""
    from directory.hsds.openapi import hsds_openapi

    documented = {"/api/v1": schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).raw_schema,
                  "/hsds": hsds_openapi("/hsds")}  # fmt: skip
    missing = []
    for rule in app.url_map.iter_rules():
        for prefix, document in documented.items():
            if not rule.rule.startswith(prefix) or rule.rule == "/hsds/openapi.json":
                continue  # (the HSDS document itself is not in it, as in Open Referral's)
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(prefix) :]) or "/"
            shapes = {re.sub(r"\{[^}]+\}", "{}", p) for p in document["paths"]}
            if re.sub(r"\{[^}]+\}", "{}", path) not in shapes:
                missing.append(rule.rule)
    assert missing == []
