"""``/api/v1/changes``: what changed since a cursor, so a partner can mirror the directory.

Each entry is a listing at its latest change, oldest first: ``created`` or ``changed`` with
the full listing, or a tombstone (``withdrawn``, ``merged`` with the survivor's id, or
``deleted``) saying to stop showing it. Start without ``since`` for everything, then keep
the ``next`` cursor and ask again; ``more`` says whether to ask right away.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from directory.api import blueprint
from directory.extensions import db
from directory.models import Listing
from directory.models.feed import BadCursor, FeedListing, cursor_of, feed_page, parse_cursor
from directory.models.listing import MERGED, WITHDRAWN
from directory.search.request import BadSearch
from directory.search.shapes import listing_json, provider_url_pattern

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
TOMBSTONES = (WITHDRAWN, MERGED)


def _since() -> tuple[int, str]:
    text = request.args.get("since", "").strip()
    if not text:
        return 0, ""
    try:
        return parse_cursor(text)
    except BadCursor:
        message = _("since must be a cursor from this feed's next field, for example 1204-a1b2c3")
        raise BadSearch("invalid_parameter", "since", message) from None


def _limit() -> int:
    text = request.args.get("limit", "").strip()
    if not text:
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit() and 1 <= int(text[:5]) <= MAX_LIMIT):
        message = _("limit must be a whole number from 1 to %(high)d", high=MAX_LIMIT)
        raise BadSearch("invalid_parameter", "limit", message)
    return int(text)


@blueprint.get("/changes")
def changes():
    revision, listing_id = _since()
    limit = _limit()
    page = feed_page(db.session, revision, listing_id, limit + 1)
    more, entries, listings = len(page.entries) > limit, page.entries[:limit], page.listings
    pattern = provider_url_pattern()
    body = [
        change_json(entry, listings.get(entry.listing_id), revision, pattern) for entry in entries
    ]
    last = entries[-1] if entries else None
    following = (
        cursor_of(last.revision, last.listing_id) if last else cursor_of(revision, listing_id)
    )
    return jsonify(changes=body, next=following, more=more)


def change_json(
    entry, listing: Listing | FeedListing | None, since_revision: int, url_pattern: str = ""
) -> dict:
    """One feed entry: the listing as ``/providers/<id>`` shows it, or a tombstone."""
    body = {
        "id": entry.listing_id,
        "cursor": cursor_of(entry.revision, entry.listing_id),
        "revision": entry.revision,
    }
    if listing is None:
        return {**body, "change": "deleted", "provider": None}
    if listing.status in TOMBSTONES:
        body.update(change=listing.status, updated_at=listing.updated_at.isoformat(), provider=None)
        if listing.status == MERGED:
            body["merged_into"] = listing.merged_into
        return body
    created = entry.created_revision > since_revision or entry.created_revision == entry.revision
    body.update(
        change="created" if created else "changed",
        updated_at=listing.updated_at.isoformat(),
        provider=listing_json(listing, url_pattern=url_pattern or None),
    )
    return body
