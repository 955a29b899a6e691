"""A listing's source and release in the visitor's language, and finding a listing by id when it
may have been merged or withdrawn."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_babel import format_date

from directory.extensions import db
from directory.importers.releases import SAMHSA, release_date, release_label
from directory.models import Listing
from directory.models.listing import MERGED, WITHDRAWN
from directory.models.release import latest_release
from directory.vocabulary import SOURCES
from directory.web.i18n import fast_gettext as _

HSDS_PREFIX = "hsds:"  # importers.hsds.source_of: hsds:<publisher>


def release_text(name: str | None) -> str:
    """A release as people read it: 2023–24, or the date one named by its data's day is from
    in the visitor's language ("Dec 2, 2026")."""
    day = release_date(name)
    return format_date(day, "medium") if day else release_label(name)


def source_label(source: str, release: str | None = None) -> str:
    """'SAMHSA national directory, 2023–24', 'Open Referral data from la211', 'The provider', …
    in the visitor's language; never the raw ``hsds:la211``."""
    if source == SAMHSA and release:
        return _("SAMHSA national directory, %(release)s", release=release_text(release))
    if source.startswith(HSDS_PREFIX):
        publisher = source.removeprefix(HSDS_PREFIX)
        if release:
            return _("Open Referral data from %(publisher)s, %(release)s",
                     publisher=publisher, release=release_text(release))  # fmt: skip
        return _("Open Referral data from %(publisher)s", publisher=publisher)
    return _(SOURCES.get(source, source))


def source_text(listing: Listing) -> str:
    """Where a listing came from: its source and the release that last confirmed it."""
    return source_label(listing.source, listing.release)


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
    release = release_text(latest_release_name(listing))
    if listing.source.startswith(HSDS_PREFIX):
        return _(
            "Not in the latest Open Referral data from %(publisher)s (%(release)s): this place "
            "may have closed or moved. It is kept here for reference and does not appear in "
            "searches.",
            publisher=listing.source.removeprefix(HSDS_PREFIX),
            release=release,
        )
    return _(
        "Not in SAMHSA's latest directory (%(release)s): this place may have closed or moved. "
        "It is kept here for reference and does not appear in searches.",
        release=release,
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
