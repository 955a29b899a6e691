"""``/api/v1/match`` and ``/api/v1/providers/<id>``: parse, search, serialize."""

from __future__ import annotations

from flask import abort, jsonify, request

from directory.api import blueprint
from directory.extensions import csrf, db
from directory.i18n import request_translations
from directory.models import Listing
from directory.queries import BadSearch, parse_search
from directory.search import SearchPage, run_search
from directory.serializers import listing_json, match_result_json

csrf.exempt(blueprint)


@blueprint.after_request
def allow_cross_origin_reads(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.errorhandler(BadSearch)
def bad_search(error: BadSearch):
    body = {"code": error.code, "message": error.message, "parameter": error.parameter}
    if error.allowed:
        body["allowed"] = list(error.allowed)
    return jsonify(error=body), 400


@blueprint.get("/match")
def match_providers():
    return jsonify(match_json(run_search(parse_search(request.args))))


def match_json(page: SearchPage) -> dict:
    origin = page.origin
    gettext = request_translations().ugettext  # bound once: reasons translate many labels
    return {
        "origin": {
            "lat": round(origin.lat, 5),
            "lon": round(origin.lon, 5),
            "label": origin.label,
            "precision": origin.precision,
        },
        "total": page.total,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "results": [_result(page, result, gettext) for result in page.outcome.results],
        "alternatives": [_result(page, result, gettext) for result in page.outcome.alternatives],
    }


def _result(page: SearchPage, result, gettext) -> dict:
    return match_result_json(result, page.listings[result.provider_id], gettext)


@blueprint.get("/providers/<listing_id>")
def provider(listing_id: str):
    listing = db.session.get(Listing, listing_id[:32])
    if listing is None:
        abort(404, description=f"No provider has the id {listing_id[:32]!r}.")
    return jsonify(listing_json(listing))
