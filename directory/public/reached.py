"""'Did you reach them?': three taps from a card or a provider page, anonymous, no cookie.

Like problem reports, the form carries a signed, timestamped token for its listing instead
of a session CSRF token, and each address is rate limited (``REACHED_RATE_LIMIT``).
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from directory.errors import DirectoryError
from directory.extensions import csrf, db, limiter
from directory.models import Listing
from directory.operations.feedback import last_reached, record_outcome
from directory.public import blueprint

TOKEN_MAX_AGE = 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="reached")


def reached_token(listing_id: str) -> str:
    """The token a 'Did you reach them?' form carries for this listing."""
    return _serializer().dumps(listing_id)


def _token_ok(token: str, listing_id: str) -> bool:
    try:
        return _serializer().loads(token or "", max_age=TOKEN_MAX_AGE) == listing_id
    except BadSignature:
        return False


def reached_at(listing_id: str):
    """When a caller last reached this listing (cached for the request), or None."""
    remember_reached([listing_id])
    return g.reached_at[listing_id]


def remember_reached(listing_ids) -> None:
    """Read when callers last reached these listings, in one query for a page of cards."""
    cache = g.setdefault("reached_at", {})
    unknown = [listing_id for listing_id in listing_ids if listing_id not in cache]
    if unknown:
        cache.update(dict.fromkeys(unknown), **last_reached(db.session, unknown))


def reached_limit() -> str:
    return current_app.config["REACHED_RATE_LIMIT"]


@blueprint.post("/providers/<listing_id>/reached")
@csrf.exempt
@limiter.limit(reached_limit)
def reached(listing_id: str):
    listing = db.get_or_404(Listing, listing_id)
    if not _token_ok(request.form.get("form_token", ""), listing.id):
        return render_template("public/reached.html", listing=listing, problem="expired"), 400
    try:
        record_outcome(db.session, listing, request.form.get("outcome", ""))
    except DirectoryError:
        db.session.rollback()
        return render_template("public/reached.html", listing=listing, problem="choice"), 400
    db.session.commit()
    outcome = request.form["outcome"]
    return render_template("public/reached.html", listing=listing, problem=None, outcome=outcome)
