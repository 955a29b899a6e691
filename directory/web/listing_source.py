"""A listing's source and release in the visitor's language, and finding a listing by id when it
may have been merged or withdrawn."""

from __future__ import annotations

from flask import abort, redirect, url_for

from directory.extensions import db
from directory.importers.releases import SAMHSA, release_label
from directory.models import Listing
from directory.models.listing import MERGED, WITHDRAWN
from directory.models.release import latest_release
from directory.vocabulary import SOURCES
from directory.web.i18n import fast_gettext as _


def source_text(listing: Listing) -> str:
    """'SAMHSA national directory, 2023–24', 'The provider', …"""
    if listing.source == SAMHSA and listing.release:
        return _("SAMHSA national directory, %(release)s", release=release_label(listing.release))
    return _(SOURCES.get(listing.source, listing.source))


def latest_release_name(listing: Listing) -> str | None:
    """The latest full release of the listing's source, when the listing is not in it."""
    if listing.status != WITHDRAWN:
        return None
    release = latest_release(db.session, listing.source)
    return release.name if release else listing.release


def withdrawn_text(listing: Listing) -> str | None:
    """Why a withdrawn listing is still shown, or None for a current one."""
    if listing.status != WITHDRAWN:
        return None
    return _(
        "Not in SAMHSA's latest directory (%(release)s): this place may have closed or moved. "
        "It is kept here for reference and does not appear in searches.",
        release=release_label(latest_release_name(listing)),
    )


def listing_or_redirect(listing_id: str, endpoint: str, **url_values):
    """(the listing, None), or (None, a 301 to the surviving listing) for a merged one."""
    listing = db.session.get(Listing, listing_id[:32])
    if listing is None:
        return None, None
    if listing.status == MERGED and listing.merged_into:
        target = url_for(endpoint, listing_id=listing.merged_into, **url_values)
        return None, redirect(target, code=301)
    return listing, None


def get_listing_or_404(listing_id: str, endpoint: str):
    listing, moved = listing_or_redirect(listing_id, endpoint)
    if moved is not None:
        return None, moved
    if listing is None:
        abort(404)
    return listing, None
