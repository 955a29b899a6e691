"""The HSDS 3.0 endpoints: parse the parameters, find the listings, shape them as HSDS."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from math import ceil

from flask import Response, abort, current_app, jsonify, request, stream_with_context, url_for
from flask_babel import get_locale

from directory.errors import DirectoryError
from directory.extensions import csrf, db
from directory.geo import gazetteer
from directory.hsds import blueprint, mapping
from directory.hsds import catalog as found
from directory.hsds.openapi import hsds_openapi
from directory.web.i18n import request_translations
from directory.web.security import allow_cross_origin_reads

csrf.exempt(blueprint)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
MAX_PAGE = 1_000_000


class BadParameter(DirectoryError):
    """A query parameter that cannot be used; the message says what to send instead."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, field=parameter)
        self.parameter = parameter


blueprint.after_request(allow_cross_origin_reads)


@blueprint.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    body = {"code": "invalid_parameter", "message": error.message, "parameter": error.parameter}
    return jsonify(error=body), 400


# --- parameters ------------------------------------------------------------------------


def _whole(name: str, default: int, largest: int) -> int:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= largest:
        raise BadParameter(name, f"{name} must be a whole number from 1 to {largest}")
    return int(text)


def _flag(name: str) -> bool:
    text = request.args.get(name, "").strip().lower()
    if text in ("", "false", "0", "no"):
        return False
    if text in ("true", "1", "yes"):
        return True
    raise BadParameter(name, f"{name} must be true or false")


def _paging() -> tuple[int, int]:
    return _whole("page", 1, MAX_PAGE), _whole("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)


def _streamed() -> bool:
    chosen = request.args.get("format", "json").strip().lower() or "json"
    if chosen not in ("json", "ndjson"):
        raise BadParameter("format", "format must be json or ndjson")
    return chosen == "ndjson"


def _moment(name: str) -> datetime | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise BadParameter(
            name, f"{name} must be a date or date and time, for example 2024-05-01T00:00:00Z"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _service_filter() -> found.ServiceFilter:
    wanted = found.ServiceFilter(search=request.args.get("search", "")[:200].strip())
    for parameter, find, filters in (
        ("taxonomy_term_id", found.term_filter, wanted.terms),
        ("taxonomy_id", found.family_filter, wanted.families),
    ):
        for entity_id in request.args.getlist(parameter):
            one = find(entity_id)
            if one is None:
                wanted.impossible = True  # an unknown id: nothing has it
            else:
                filters.append(one)
    organization = request.args.get("organization_id", "").strip()
    if organization:
        listing_id = _listing_ids().listing_id(db.session, "organization", organization)
        wanted.listing_ids = {listing_id} if listing_id else set()
    wanted.modified_after = _moment("modified_after")
    _place(wanted)
    return wanted


def _place(wanted: found.ServiceFilter) -> None:
    postcode = request.args.get("postcode", "").strip()
    proximity = request.args.get("proximity", "").strip()
    if proximity and not postcode:
        raise BadParameter("proximity", "proximity needs a postcode to measure from")
    if not postcode:
        return
    point = gazetteer().zip_point(postcode)
    if point is None:
        raise BadParameter("postcode", f"{postcode[:20]!r} is not a US ZIP code we know")
    wanted.postcode = point.zip
    if proximity:
        try:
            meters = float(proximity)
        except ValueError:
            meters = -1.0
        if not 0 < meters <= 5_000_000:
            raise BadParameter("proximity", "proximity must be a distance in meters above 0")
        wanted.near = found.Near(point.lat, point.lon, meters / found.METERS_PER_MILE)


def _listing_ids() -> found.ListingIds:
    return current_app.extensions.setdefault("directory.hsds_ids", found.ListingIds())


def _translate() -> tuple[Callable[[str], str], str]:
    return request_translations().ugettext, str(get_locale() or "en")


# --- responses -------------------------------------------------------------------------


def page_json(contents: list, total: int, page: int, per_page: int) -> dict:
    """The HSDS ``Page`` envelope around one page of ``contents``."""
    pages = ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def ndjson(items: Iterable[dict]) -> Response:
    lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    return Response(stream_with_context(lines), mimetype="application/x-ndjson")


def _listing_or_404(kind: str, entity_id: str):
    listing_id = _listing_ids().listing_id(db.session, kind, entity_id[:64])
    listing = found.find_listing(db.session, listing_id) if listing_id else None
    if listing is None:
        abort(404, description=f"No {kind} has the id {entity_id[:64]!r}.")
    return listing


def _listings(shape: Callable) -> Response:
    """A page (or with format=ndjson, a stream) of listings passing the request's filters."""
    wanted = _service_filter()
    if _streamed():
        return ndjson(shape(row) for row in found.stream(db.session, wanted))
    page, per_page = _paging()
    rows = found.find_page(db.session, wanted, page, per_page)
    return jsonify(page_json([shape(row) for row in rows.rows], rows.total, page, per_page))


def _in_pages(items: list[dict]) -> Response:
    if _streamed():
        return ndjson(items)
    page, per_page = _paging()
    start = (page - 1) * per_page
    return jsonify(page_json(items[start : start + per_page], len(items), page, per_page))


# --- endpoints -------------------------------------------------------------------------


@blueprint.get("/")
def about():
    return jsonify(
        version=mapping.HSDS_VERSION,
        profile="https://docs.openreferral.org/en/v3.0/",
        openapi_url=_site() + url_for("hsds.openapi_document"),
    )


@blueprint.get("/openapi.json")
def openapi_document():
    return jsonify(hsds_openapi(_site() + url_for("hsds.about").rstrip("/")))


def _site() -> str:
    """Absolute links on the configured SITE_URL, never on the request's Host header."""
    return current_app.config["SITE_URL"].rstrip("/")


@blueprint.get("/services")
def services():
    translate, language = _translate()
    if _flag("minimal"):
        return _listings(_minimal_service)
    if _flag("full"):
        return _listings(lambda row: mapping.service_json(row, translate, language))
    return _listings(mapping.service_list_item)


def _minimal_service(row) -> dict:
    brief = mapping.service_brief(row)
    return {name: brief[name] for name in ("id", "name", "status", "last_modified")}


@blueprint.get("/services/<service_id>")
def service(service_id: str):
    translate, language = _translate()
    return jsonify(
        mapping.service_json(_listing_or_404("service", service_id), translate, language)
    )


@blueprint.get("/organizations")
def organizations():
    translate, _language = _translate()
    if _flag("full"):
        full_service = _flag("full_service")
        return _listings(lambda row: mapping.organization_json(row, translate, full_service))
    _flag("full_service")  # checked, though a brief organization lists no services
    return _listings(mapping.organization_list_item)


@blueprint.get("/organizations/<organization_id>")
def organization(organization_id: str):
    translate, _language = _translate()
    listing = _listing_or_404("organization", organization_id)
    return jsonify(mapping.organization_json(listing, translate, _flag("full_service")))


@blueprint.get("/service_at_locations")
def services_at_locations():
    translate, _language = _translate()
    if _flag("full"):
        return _listings(lambda row: mapping.service_at_location_json(row, translate))
    return _listings(lambda row: mapping.service_at_location_list_item(row, translate))


@blueprint.get("/service_at_locations/<entity_id>")
def service_at_location(entity_id: str):
    translate, _language = _translate()
    listing = _listing_or_404("service_at_location", entity_id)
    return jsonify(mapping.service_at_location_json(listing, translate))


@blueprint.get("/taxonomies")
def taxonomies():
    translate, _language = _translate()
    items = [mapping.taxonomy_json(f, translate) for f in mapping.TAXONOMY_FAMILIES.values()]
    return _in_pages(_searched(items))


@blueprint.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    translate, _language = _translate()
    family = _found(mapping.FAMILIES_BY_ID, taxonomy_id, "taxonomy")
    return jsonify(mapping.taxonomy_json(family, translate))


@blueprint.get("/taxonomy_terms")
def taxonomy_terms():
    translate, language = _translate()
    refs = list(mapping.all_terms())
    taxonomy_id = request.args.get("taxonomy_id", "").strip().lower()
    if taxonomy_id:
        refs = [r for r in refs if mapping.taxonomy_id(r.family.code) == taxonomy_id]
    _flag("top_only")  # every term of ours is at the top: it changes nothing
    if request.args.get("parent_id", "").strip():
        refs = []  # no term of ours has a parent
    items = [mapping.term_json(r.family, r.term, translate, language) for r in refs]
    return _in_pages(_searched(items))


@blueprint.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    translate, language = _translate()
    ref = _found(mapping.TERMS_BY_ID, term_id, "taxonomy term")
    return jsonify(mapping.term_json(ref.family, ref.term, translate, language))


def _found(table: dict, entity_id: str, kind: str):
    """The entry of ``table`` with that id (any case), or a 404 saying what was not found."""
    entry = table.get(entity_id.strip().lower())
    if entry is None:
        abort(404, description=f"No {kind} has the id {entity_id[:64]!r}.")
    return entry


def _searched(items: list[dict]) -> list[dict]:
    needle = request.args.get("search", "").strip().lower()
    if not needle:
        return items
    return [
        item
        for item in items
        if needle in item["name"].lower() or needle in item.get("code", "").lower()
    ]
