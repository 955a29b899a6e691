"""Who may see what in the provider area: sign-in required, owners only, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from directory.extensions import db
from directory.models import Claim, Listing, ListingEdit
from directory.models import claim as claims
from directory.operations.moderation import owns
from directory.provider import blueprint

# Pages anyone may open: what claiming gives, and the account pages themselves.
OPEN_ENDPOINTS = {
    "provider.landing",
    "provider.register",
    "provider.login",
    "provider.verify",
    "provider.forgot_password",
    "provider.reset_password",
    # Verification-mail links: each signed for its one purpose (provider/check.py).
    "provider.check_confirm",
    "provider.check_availability",
    "provider.check_closed",
}


@blueprint.before_request
def require_sign_in():
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    return redirect(url_for("provider.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default`` (never another site)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 32 or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def get_owned_listing_or_404(listing_id: str) -> Listing:
    """The listing when the signed-in account owns it; 404 otherwise, whatever the id."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not owns(db.session, current_user, listing.id):
        abort(404)
    return listing


def get_visible_edit_or_404(edit_id: int) -> ListingEdit:
    """An edit the account made, or an edit of a listing it owns; 404 otherwise."""
    owned = select(Claim.listing_id).where(
        Claim.account_id == current_user.id, Claim.status == claims.APPROVED
    )
    statement = select(ListingEdit).where(
        ListingEdit.id == edit_id,
        or_(ListingEdit.account_id == current_user.id, ListingEdit.listing_id.in_(owned)),
    )
    edit = db.session.scalar(statement)
    if edit is None:
        abort(404)
    return edit
