"""The links in a verification mail: 'still correct', 'update availability', 'we have closed'.

No sign-in: each link is signed with its request and its one purpose, works once, and
lapses (``VERIFICATION_LINK_DAYS``). Opening a link only shows a page; the change is made
by the button on it (mail scanners that open links change nothing).
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import TextAreaField
from wtforms.validators import Length

from directory.errors import DirectoryError
from directory.extensions import db
from directory.models.verification_request import AVAILABILITY, CLOSED, CONFIRM
from directory.operations import verification
from directory.provider import blueprint
from directory.provider.forms import AvailabilityForm, availability_form_data
from directory.provider.hours_form import HoursForm, hours_form_data
from directory.web.forms import ActionForm, show_refusal
from directory.web.i18n import translated

SALT = "listing-check"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_token(request_id: int, purpose: str) -> str:
    return _serializer().dumps({"r": request_id, "p": purpose})


def _request_for(token: str, purpose: str):
    """The request behind a link used for ``purpose``; raises ``LinkRefused`` otherwise."""
    max_age = current_app.config["VERIFICATION_LINK_DAYS"] * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature as error:  # forged, damaged or (SignatureExpired) too old
        expired = error.__class__.__name__ == "SignatureExpired"
        raise (
            verification.LinkGone(verification.EXPIRED)
            if expired
            else verification.LinkRefused(verification.FORGED)
        ) from None
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("r"), int):
        raise verification.LinkRefused(verification.WRONG_PURPOSE)
    return verification.usable_request(db.session, data["r"], purpose)


def _refused(error: verification.LinkRefused):
    page = render_template("provider/check_refused.html", message=translated(error))
    return page, error.status


class CheckAvailabilityForm(AvailabilityForm, HoursForm):
    """The link's update page: availability, and hours and walk-in, saved together."""


class ClosedForm(FlaskForm):
    details = TextAreaField(
        _l("What happened? (optional)"),
        [Length(max=2000)],
        description=_l("For example the date you closed, or your new address."),
    )


@blueprint.route("/check/confirm/<token>", methods=["GET", "POST"])
def check_confirm(token: str):
    try:
        request = _request_for(token, CONFIRM)
    except verification.LinkRefused as error:
        return _refused(error)
    form = ActionForm()
    if form.validate_on_submit():
        verification.confirm_listing(db.session, request)
        db.session.commit()
        return render_template(
            "provider/check_done.html",
            listing=request.listing,
            message=_("Thank you. The listing shows it was confirmed by the provider today."),
        )
    listing = request.listing
    claimed = verification.is_claimed(db.session, listing.id)
    return render_template(
        "provider/check_confirm.html", form=form, listing=listing, claimed=claimed
    )


@blueprint.route("/check/availability/<token>", methods=["GET", "POST"])
def check_availability(token: str):
    try:
        request = _request_for(token, AVAILABILITY)
    except verification.LinkRefused as error:
        return _refused(error)
    listing = request.listing
    form = CheckAvailabilityForm(
        data={**hours_form_data(listing), **availability_form_data(listing)}
    )
    if form.validate_on_submit():
        try:
            verification.set_hours(
                db.session, request, form.intervals(), form.walk_in_value, form.intake_24h_value
            )
            verification.set_availability(
                db.session,
                request,
                form.status.data,
                form.wait_days.data,
                days=current_app.config["AVAILABILITY_DAYS"],
                by_care_level=form.by_care_level(),
            )
        except DirectoryError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            return render_template(
                "provider/check_done.html",
                listing=listing,
                message=_("Thank you. The new availability and hours are public now."),
            )
    days = current_app.config["AVAILABILITY_DAYS"]
    page = render_template(
        "provider/check_availability.html", form=form, listing=listing, days=days
    )
    return page, 400 if form.errors else 200


@blueprint.route("/check/closed/<token>", methods=["GET", "POST"])
def check_closed(token: str):
    try:
        request = _request_for(token, CLOSED)
    except verification.LinkRefused as error:
        return _refused(error)
    form = ClosedForm()
    if form.validate_on_submit():
        verification.report_closed(db.session, request, form.details.data or "")
        db.session.commit()
        return render_template(
            "provider/check_done.html",
            listing=request.listing,
            message=_("Thank you. The directory team will take the listing down or move it."),
        )
    return render_template("provider/check_closed.html", form=form, listing=request.listing)
