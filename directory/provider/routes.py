"""Provider views: dashboard, finding and claiming a listing, edits and availability."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from directory.errors import DirectoryError
from directory.extensions import db
from directory.models import Claim, Listing, ListingEdit
from directory.operations.hours import update_hours
from directory.operations.moderation import (
    owned_listings,
    submit_claim,
    submit_listing_edit,
    submit_new_listing,
    update_availability,
)
from directory.operations.review_time import usual_review_time
from directory.provider import blueprint
from directory.provider.access import get_owned_listing_or_404, get_visible_edit_or_404
from directory.provider.forms import (
    AvailabilityForm,
    ClaimForm,
    FindListingForm,
    availability_form_data,
)
from directory.provider.hours_form import HoursForm, hours_form_data
from directory.web.forms import ActionForm, show_refusal
from directory.web.listing_form import (
    ListingForm,
    form_page,
    listing_form_data,
    proposed_values,
    save_versioned,
)

FIND_LIMIT = 25


@blueprint.get("/")
def landing():
    """For providers who have not signed in (or not yet an account): what claiming gives,
    what is reviewed and how long that takes, what the verification mails ask. Anyone may
    open it; a signed-in provider finds their listings one click away."""
    config = current_app.config
    listing_id = request.args.get("listing", "")
    listing = db.session.get(Listing, listing_id[:64]) if listing_id else None
    return render_template(
        "provider/landing.html",
        listing=listing,
        claim_review=usual_review_time(db.session, Claim),
        edit_review=usual_review_time(db.session, ListingEdit),
        verify_days=config["VERIFY_AFTER_DAYS"],
        availability_days=config["AVAILABILITY_DAYS"],
        link_days=config["VERIFICATION_LINK_DAYS"],
    )


@blueprint.get("/listings")
def dashboard():
    account = current_user
    claims = db.session.scalars(
        select(Claim).where(Claim.account_id == account.id).order_by(Claim.created_at.desc())
    ).all()
    edits = db.session.scalars(
        select(ListingEdit)
        .where(ListingEdit.account_id == account.id)
        .order_by(ListingEdit.created_at.desc())
        .limit(50)
    ).all()
    return render_template(
        "provider/dashboard.html",
        listings=owned_listings(db.session, account),
        claims=claims,
        edits=edits,
        action_form=ActionForm(),
    )


@blueprint.get("/find")
def find_listing():
    form = FindListingForm(request.args)
    results = []
    if (form.q.data or form.zip.data) and form.validate():
        statement = select(Listing).order_by(Listing.name).limit(FIND_LIMIT)
        if form.q.data:
            statement = statement.where(
                Listing.name.ilike(f"%{_escape_like(form.q.data)}%", escape="\\")
            )
        if form.zip.data:
            statement = statement.where(Listing.zip.startswith(form.zip.data[:5]))
        results = db.session.scalars(statement).all()
    return render_template("provider/find.html", form=form, results=results)


def _escape_like(text: str) -> str:
    return text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@blueprint.route("/listings/<listing_id>/claim", methods=["GET", "POST"])
def claim_listing(listing_id: str):
    listing = db.get_or_404(Listing, listing_id)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            submit_claim(
                db.session,
                listing,
                current_user,
                form.role.data,
                form.work_email.data,
                form.phone.data,
            )
        except DirectoryError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. We will review your request and e-mail you."))
            return redirect(url_for("provider.dashboard"))
    return render_template("provider/claim.html", form=form, listing=listing)


@blueprint.route("/listings/<listing_id>/edit", methods=["GET", "POST"])
def edit_listing(listing_id: str):
    def submit(form, listing):
        proposed = proposed_values(form, listing)
        return submit_listing_edit(db.session, listing, current_user, proposed, form.version.data)

    def sent(edit):
        flash(
            _(
                "Your changes were sent for review. The public listing changes once they "
                "are approved."
            )
        )
        return redirect(url_for("provider.edit_status", edit_id=edit.id))

    return _versioned_form(
        listing_id, ListingForm, listing_form_data, submit, sent, "provider/edit.html"
    )


@blueprint.route("/listings/new", methods=["GET", "POST"])
def new_listing():
    form = ListingForm()
    if form.validate_on_submit():
        try:
            edit = submit_new_listing(db.session, current_user, proposed_values(form))
        except DirectoryError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. The listing is published once the directory team approves it."))
            return redirect(url_for("provider.edit_status", edit_id=edit.id))
    return render_template("provider/edit.html", form=form, listing=None, conflict=None)


@blueprint.route("/listings/<listing_id>/availability", methods=["GET", "POST"])
def availability(listing_id: str):
    days = current_app.config["AVAILABILITY_DAYS"]

    def update(form, listing):
        said = (form.status.data, form.wait_days.data, form.version.data)
        levels = form.by_care_level()
        return update_availability(
            db.session, listing, current_user, *said, days=days, by_care_level=levels
        )

    published = _to_dashboard(_("Availability updated. It is public now."))
    answer = _versioned_form(
        listing_id,
        AvailabilityForm,
        availability_form_data,
        update,
        published,
        "provider/availability.html",
        days=days,
    )
    if request.method == "POST" and isinstance(answer, tuple) and answer[1] == 200:
        return answer[0], 400  # the form again, with what was wrong and all that was typed
    return answer


@blueprint.route("/listings/<listing_id>/hours", methods=["GET", "POST"])
def hours(listing_id: str):
    def update(form, listing):
        access = (form.walk_in_value, form.intake_24h_value, form.version.data)
        return update_hours(db.session, listing, current_user, form.intervals(), *access)

    published = _to_dashboard(_("Hours and walk-in updated. They are public now."))
    return _versioned_form(
        listing_id, HoursForm, hours_form_data, update, published, "provider/hours.html"
    )


def _versioned_form(listing_id, form_class, form_data, change, done, template, **page):
    """A form over one of the provider's listings, saved only onto the version it was opened
    from: ``change(form, listing)`` saves it, ``done(result)`` answers once it is saved; a
    refusal or a conflict (409, with what changed) shows the form again."""
    listing = get_owned_listing_or_404(listing_id)
    form = form_class(data=form_data(listing))
    attempt = None
    if form.validate_on_submit():
        attempt = save_versioned(form, listing, form_data, lambda: change(form, listing))
        if attempt.saved:
            return done(attempt.result)
    return form_page(template, attempt, form=form, listing=listing, **page)


def _to_dashboard(message: str):
    def published(_listing):
        flash(message)
        return redirect(url_for("provider.dashboard"))

    return published


@blueprint.get("/edits/<int:edit_id>")
def edit_status(edit_id: int):
    edit = get_visible_edit_or_404(edit_id)
    return render_template("provider/edit_status.html", edit=edit)
