"""The OpenAPI document of our HSDS API: Open Referral's own, completed for what we serve.

``hsds-3.0-openapi.json`` is the official HSDS 3.0 ``schema/openapi.json``, unchanged. We fill
in its placeholders (title, licence, server), document the errors we answer with (400 for a
parameter we cannot use, 404 for an unknown id) and the ``format=ndjson`` stream, and correct
one slip: the official file gives ``/service_at_locations/{id}`` the *service* schema, while its
own example (and its list endpoint) is a service at a location. The same function completes
the offline copy the tests run schemathesis against, so what we publish is what is tested.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from directory.api.openapi import error_schema

OFFICIAL = Path(__file__).with_name("hsds-3.0-openapi.json")
NDJSON = "application/x-ndjson"
ERROR_SCHEMA = error_schema()


@cache
def _official() -> dict:
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))


def hsds_openapi(server_url: str, official: dict | None = None) -> dict:
    """The completed document for an API served at ``server_url``."""
    document = copy.deepcopy(official if official is not None else _official())
    document["info"] = {
        "title": "Treatment directory: HSDS 3.0 API",
        "version": "1.0",
        "summary": "Addiction and mental-health treatment providers as Open Referral HSDS 3.0.",
        "description": (
            "Read-only. One listing is an organization providing one service at one location; "
            "our vocabulary is published as taxonomies (one per family) attached to services "
            "through attributes. Ids are stable UUIDs. Labels follow ?lang=en|es or "
            "Accept-Language."
        ),
        "license": {
            "name": "Open Data Commons Public Domain Dedication and License (PDDL)",
            "url": "https://opendatacommons.org/licenses/pddl/1-0/",
        },
    }
    document["servers"] = [{"url": server_url}]
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, item in document["paths"].items():
        operation = item["get"]
        responses = operation["responses"]
        content = responses["200"]["content"]
        if any(p.get("$ref", "").endswith("/format") for p in operation.get("parameters", [])):
            content[NDJSON] = {
                "schema": content["application/json"]["schema"]["properties"]["contents"]["items"]
            }
        responses["400"] = _error("A parameter cannot be used; the message says why.")
        if "{id}" in path:
            responses["404"] = _error("No entity has this id.")
    _correct_service_at_location(document)
    return document


def _error(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _correct_service_at_location(document: dict) -> None:
    schema = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    schema["$ref"] = schema["$ref"].replace(
        "compiled/service.json", "compiled/service_at_location.json"
    )
