"""Admin pages for what imports left open: possible duplicates and withdrawals to confirm."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from directory.admin import blueprint
from directory.admin.paging import queue
from directory.errors import DirectoryError
from directory.extensions import db
from directory.models import Listing, ListingReview
from directory.models import release as reviews
from directory.operations.reviews import (
    COMPARED_FIELDS,
    decide_withdrawal,
    mark_distinct,
    merge_duplicates,
)
from directory.web.forms import ActionForm
from directory.web.i18n import translated


@blueprint.get("/reviews")
def review_queue():
    pager = queue(ListingReview, reviews.OPEN, ListingReview.kind, ListingReview.id)
    open_reviews = pager.items
    ids = {r.listing_id for r in open_reviews} | {r.other_id for r in open_reviews if r.other_id}
    listings = {
        listing.id: listing
        for listing in db.session.scalars(select(Listing).where(Listing.id.in_(ids)))
    }
    return render_template(
        "admin/reviews.html",
        reviews=open_reviews,
        pager=pager,
        listings=listings,
        fields=COMPARED_FIELDS,
        form=ActionForm(),
    )


@blueprint.post("/reviews/<int:review_id>/<decision>")
def decide_review(review_id: int, decision: str):
    review = db.get_or_404(ListingReview, review_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    decisions = {
        "merge": lambda: merge_duplicates(
            db.session, review, request.form.get("survivor", ""), current_user
        ),
        "distinct": lambda: mark_distinct(db.session, review, current_user),
        "withdraw": lambda: decide_withdrawal(db.session, review, True, current_user),
        "keep": lambda: decide_withdrawal(db.session, review, False, current_user),
    }
    if decision not in decisions:
        abort(404)
    try:
        decisions[decision]()
    except DirectoryError as error:
        db.session.rollback()
        flash(translated(error), "error")
        return redirect(url_for("admin.review_queue"))
    db.session.commit()
    flash(_("Done."))
    return redirect(url_for("admin.review_queue"))
