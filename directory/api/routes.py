"""``/api/v1/match`` and ``/api/v1/providers/<id>``: parse, search, serialize."""

from __future__ import annotations

import orjson
from flask import abort, current_app, jsonify, request, url_for

from directory.api import blueprint
from directory.api.openapi import api_openapi
from directory.extensions import csrf
from directory.search.pages import run_search
from directory.search.request import BadSearch, parse_search
from directory.search.shapes import listing_json, match_json
from directory.search.understood import understood_json, with_own_words
from directory.web.i18n import request_translations, translated
from directory.web.listing_source import latest_release_name, listing_or_redirect
from directory.web.security import allow_cross_origin_reads

csrf.exempt(blueprint)


blueprint.after_request(allow_cross_origin_reads)


@blueprint.errorhandler(BadSearch)
def bad_search(error: BadSearch):
    body = {"code": error.code, "message": translated(error), "parameter": error.parameter}
    if error.allowed:
        body["allowed"] = list(error.allowed)
    if error.code == "location_not_found":
        body["suggestions"] = [
            {"label": label, "location": location} for label, location in error.suggestions
        ]
    return jsonify(error=body), 400


@blueprint.get("/match")
def match_providers():
    gettext = request_translations().ugettext  # bound once: reasons translate many labels
    args, understood = with_own_words(request.args)
    body = match_json(run_search(parse_search(args)), gettext)
    if understood is not None:
        body["understood"] = understood_json(understood)
    # orjson: the same JSON as jsonify's in a third of the time (text as UTF-8, not \u escapes).
    return current_app.response_class(orjson.dumps(body) + b"\n", mimetype="application/json")


@blueprint.get("/providers/<listing_id>")
def provider(listing_id: str):
    listing, moved = listing_or_redirect(listing_id, "api.provider")
    if moved is not None:
        return moved
    if listing is None:
        abort(404, description=f"No provider has the id {listing_id[:32]!r}.")
    return jsonify(listing_json(listing, latest_release_name(listing)))


@blueprint.get("/openapi.json")
def openapi_document():
    site = current_app.config["SITE_URL"].rstrip("/")
    return jsonify(api_openapi(site + url_for("api.match_providers").rsplit("/", 1)[0]))
