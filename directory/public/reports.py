"""Report a problem with a listing: no account and no cookie; a honeypot and a rate limit.

Public pages set no cookie, so this form cannot use the session-bound CSRF token. It carries
instead a signed, timestamped token for this listing (a form fetched from this site in the
last day), which a page elsewhere cannot forge.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import EmailField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from directory.extensions import csrf, db, limiter
from directory.models import Listing
from directory.operations.accounts import MAX_EMAIL, is_valid_email
from directory.operations.moderation import report_problem
from directory.public import blueprint
from directory.web.forms import options

TOKEN_MAX_AGE = 24 * 3600
MAX_DETAILS = 2000


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # replaced by the signed ``form_token`` (no session on public pages)

    kind = RadioField(
        _l("What is wrong?"),
        [InputRequired(_l("Choose what is wrong."))],
        choices=options(
            [
                ("wrong_phone", _l("The phone number is wrong")),
                ("closed", _l("This place has closed")),
                ("wrong_services", _l("The services listed are wrong")),
                ("other", _l("Something else")),
            ]
        ),
    )
    details = TextAreaField(
        _l("Details (optional)"),
        [Length(max=MAX_DETAILS)],
        description=_l("For example the right phone number. Do not include health information."),
    )
    contact = EmailField(
        _l("Your e-mail, if we may ask you about it (optional)"),
        [Length(max=MAX_EMAIL)],
    )
    # A field people never see; software that fills in every field fills this one too.
    website = StringField(_l("Leave this empty"))
    form_token = HiddenField()

    def validate_contact(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data and not is_valid_email(field.data):
            raise ValidationError(
                _("Enter an e-mail address like name@example.org, or leave it empty.")
            )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="problem-report")


def _token_ok(token: str, listing_id: str) -> bool:
    try:
        return _serializer().loads(token or "", max_age=TOKEN_MAX_AGE) == listing_id
    except BadSignature:
        return False


def report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


@blueprint.route("/providers/<listing_id>/report", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(report_limit, methods=["POST"])
def report(listing_id: str):
    listing = db.get_or_404(Listing, listing_id)
    form = ReportForm()
    if form.is_submitted() and not _token_ok(form.form_token.data, listing.id):
        # An old or foreign form: nothing is recorded, but what was typed is kept so the
        # person can send it again with a fresh token.
        form.form_token.data = _serializer().dumps(listing.id)
        form.form_token.errors = [_("This form was open for a long time. Please send it again.")]
        page = render_template("public/report.html", listing=listing, form=form, sent=False)
        return page, 400
    if form.validate_on_submit():
        if not form.website.data:  # a honeypot hit is thanked but not recorded
            report_problem(
                db.session,
                listing,
                form.kind.data,
                (form.details.data or "").strip(),
                form.contact.data,
            )
            db.session.commit()
        return render_template("public/report.html", listing=listing, form=None, sent=True)
    form.form_token.data = _serializer().dumps(listing.id)
    return render_template("public/report.html", listing=listing, form=form, sent=False)
