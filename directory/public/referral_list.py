"""The referral list, ``/list?ids=ID,ID,…``: places ticked on the results, compared side by
side, printed as one sheet and shared as a short link.

The list lives in the address and in the visitor's own browser (``static/js/referral-list.js``
keeps it in localStorage); the server keeps nothing and sets no cookie. What the address
holds is checked here: ids that are no listing, withdrawn listings and ids past the limit
are named on the page and left out; a merged listing is replaced by the one it became
(a 301, as its provider page does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from directory.extensions import db
from directory.geo import LocationNotFound, Point, gazetteer, locate
from directory.geo.distance import distance_miles
from directory.models import Listing
from directory.models.listing import MERGED, WITHDRAWN
from directory.public import blueprint
from directory.search.request import MAX_TEXT
from directory.web.geocoder import configured_geocoder
from directory.web.i18n import chosen_language, request_translations
from directory.web.i18n import fast_gettext as _

MAX_PLACES = 20  # a referral sheet for a person, not a directory export
MAX_IDS_TEXT = 2000  # what is read of ``ids``; the rest is ignored and said so
LISTING_ID = re.compile(r"^[0-9a-z]{1,16}$")  # 12 hex digits; older and test ids are alike
MAX_MERGE_HOPS = 5


@dataclass
class ReferralList:
    """The places of a list, in the order they were ticked, and what was left out and why."""

    listings: list[Listing] = field(default_factory=list)
    not_listings: list[str] = field(default_factory=list)  # malformed or unknown ids
    withdrawn: list[Listing] = field(default_factory=list)
    over_limit: int = 0
    moved: bool = False  # a merged id was replaced by its survivor

    @property
    def ids(self) -> list[str]:
        return [listing.id for listing in self.listings]


def read_ids(text: str) -> tuple[list[str], list[str]]:
    """(well-formed ids in order without repeats, the pieces that are not ids)."""
    ids, malformed = [], []
    for piece in re.split(r"[,\s]+", text[:MAX_IDS_TEXT].strip().lower()):
        if not piece:
            continue
        if not LISTING_ID.match(piece):
            malformed.append(piece[:40])
        elif piece not in ids:
            ids.append(piece)
    return ids, malformed


def load_list(session, text: str) -> ReferralList:
    """The listings the ids name (merged ones followed to their survivor), and what is wrong."""
    ids, malformed = read_ids(text)
    found = _listings(session, ids)
    result = ReferralList(not_listings=malformed)
    for listing_id in ids:
        listing = found.get(listing_id)
        hops = 0
        while listing is not None and listing.status == MERGED and hops < MAX_MERGE_HOPS:
            result.moved = True
            listing = listing.merged_into and session.get(Listing, listing.merged_into)
            hops += 1
        if listing is None or listing.status == MERGED:
            result.not_listings.append(listing_id)
        elif listing.status == WITHDRAWN:
            result.withdrawn.append(listing)
        elif listing not in result.listings:
            result.listings.append(listing)
    result.over_limit = max(0, len(result.listings) - MAX_PLACES)
    del result.listings[MAX_PLACES:]
    return result


def _listings(session, ids: list[str]) -> dict[str, Listing]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(Listing).where(Listing.id.in_(ids)))}


def list_origin(args) -> tuple[Point | None, str | None]:
    """Where distances are measured from (``location``, or ``lat`` and ``lon``), or why not."""
    location = (args.get("location") or "").strip()
    if location:
        if len(location) > MAX_TEXT:
            return None, _(
                "The place is too long: use at most %(count)d characters.", count=MAX_TEXT
            )
        try:
            return locate(location, geocoder=configured_geocoder()), None
        except LocationNotFound as error:
            return None, error.translated(request_translations().ugettext)
    try:
        lat, lon = float(args.get("lat", "")), float(args.get("lon", ""))
    except ValueError:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    state = gazetteer().state_at(lat, lon) or ""
    return Point(lat, lon, "address", f"{lat:.2f}, {lon:.2f}", state), None


def place_args(args) -> list[tuple[str, str]]:
    """The place parameters of a search or a list, to carry into a list's address."""
    location = (args.get("location") or "").strip()
    if location:
        return [("location", location[:MAX_TEXT])]
    if args.get("lat") and args.get("lon"):
        return [("lat", args["lat"]), ("lon", args["lon"])]
    return []


def list_path(ids: list[str], place=()) -> str:
    """``/list?ids=a,b&location=…``: commas kept as they are, empty parameters left out."""
    query = [f"ids={','.join(ids)}"] if ids else []  # ids are [0-9a-z]: nothing to escape
    query += [urlencode([(name, value)]) for name, value in place if value]
    if chosen_language():
        query.append(f"lang={chosen_language()}")
    return url_for("public.referral_list") + ("?" + "&".join(query) if query else "")


def distance_to(origin: Point | None, listing: Listing) -> float | None:
    if origin is None or listing.lat is None:
        return None
    return distance_miles(origin.lat, origin.lon, listing.lat, listing.lon)


@blueprint.get("/list")
def referral_list():
    places = load_list(db.session, request.args.get("ids", ""))
    place = place_args(request.args)
    if places.moved:  # as a merged listing's page does: one address for the same list
        return redirect(list_path(places.ids + _bad_ids(places), place), code=301)
    origin, place_error = list_origin(request.args)
    share = current_app.config["SITE_URL"].rstrip("/") + list_path(places.ids, place)
    page = render_template(
        "public/list.html",
        places=places,
        origin=origin,
        place_error=place_error,
        place=place,
        share=share,
        distance_to=distance_to,
        list_path=list_path,
        max_places=MAX_PLACES,
    )
    asked = bool(request.args.get("ids", "").strip())
    return page, 404 if asked and not (places.listings or places.withdrawn) else 200


def _bad_ids(places: ReferralList) -> list[str]:
    """Unknown ids kept in a redirect, so the page still says they are not listings."""
    return [piece for piece in places.not_listings if LISTING_ID.match(piece)]
