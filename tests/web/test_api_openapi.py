"""The OpenAPI document of /api/v1 is true: schemathesis runs every check against the live app
over a sample of the real directories, in positive and negative modes."""

from __future__ import annotations

import schemathesis
from schemathesis import checks as st_checks

from directory.matching import CRITERIA
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


def test_the_api_keeps_to_its_openapi_document(app, sample):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert run_schemathesis(schema, CHECKS, modes=("positive", "negative"),
                            prepare=real_places) == []  # fmt: skip


# Every precision a place can have (a misspelling is corrected, and says what was typed).
PLACES = ["Birmingham, AL", "35203", "Alabama", "Mobile, AL", "Anchorage, AK",
          "Jefferson County, AL", "Northern Alabama", "Birminghm, AL"]  # fmt: skip


def real_places(case, mode: str) -> None:
    """A valid request names a place that exists and requires only what it asks for: the
    two rules between parameters that the document states in words, not in a schema."""
    query = case.query if isinstance(case.query, dict) else None
    if mode != "positive" or case.path != "/match" or query is None:
        return
    if "lat" not in query or "lon" not in query:
        query.pop("lat", None), query.pop("lon", None)
        query["location"] = PLACES[len(str(query)) % len(PLACES)]
    if "require" in query:
        asked = {name for name in query if name in CRITERIA and query[name] not in (None, "", [])}
        names = [n for n in str(query["require"]).split(",") if n.strip().lower() in asked]
        query["require"] = ",".join(names)
