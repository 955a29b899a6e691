"""Admin forms: decisions with reasons, approvals carrying the version seen, report resolution."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from directory.operations import phone_check
from directory.operations.accounts import MAX_EMAIL
from directory.operations.moderation import MAX_REASON
from directory.web.forms import VersionField, email_address, options
from directory.web.listing_form import ListingForm, listing_form_data, proposed_values
from directory.web.record_text import PHONE_CHECK_LABELS


class ApproveForm(FlaskForm):
    """Approve what the admin saw: the listing version the page was made from."""

    version = VersionField(validators=[InputRequired()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the provider sees it)"),
        [DataRequired(_l("Give a reason: the provider will see it.")), Length(max=MAX_REASON)],
    )


class ResolveForm(FlaskForm):
    resolution = TextAreaField(_l("What was done (for the record)"), [Length(max=MAX_REASON)])
    dismiss = BooleanField(_l("Dismiss: nothing was wrong"))
    open_edit = BooleanField(_l("Then open the listing to correct it"))


PHONE_CHECK_OUTCOMES = tuple((code, PHONE_CHECK_LABELS[code]) for code in phone_check.OUTCOMES)


class PhoneCheckForm(FlaskForm):
    """An administrator's call to the listing: what happened, and a note for the record."""

    outcome = RadioField(
        _l("What happened when you called?"),
        [
            InputRequired(_l(phone_check.CHOOSE_OUTCOME)),
            AnyOf(phone_check.OUTCOMES, message=_l(phone_check.CHOOSE_OUTCOME)),
        ],
        choices=options(PHONE_CHECK_OUTCOMES),
        validate_choice=False,  # AnyOf says what to do instead of "Not a valid choice"
    )
    note = TextAreaField(
        _l("Note (optional, for the record)"),
        [Length(max=phone_check.MAX_NOTE, message=_l(phone_check.NOTE_TOO_LONG))],
        description=_l("For example who you spoke to, or what has changed."),
    )


class AdminListingForm(ListingForm):
    """The listing form, plus what only the directory's staff set: the facility's intake
    e-mail address (private: it is where an unclaimed listing is asked to confirm itself)."""

    intake_email = EmailField(
        _l("Intake e-mail address (private)"),
        [Length(max=MAX_EMAIL), email_address],
        description=_l(
            "The address you have for the facility. Used only to ask the facility to confirm "
            "its listing while nobody manages it; never shown publicly."
        ),
    )


def admin_listing_form_data(listing) -> dict:
    return {**listing_form_data(listing), "intake_email": listing.intake_email or ""}


def admin_proposed_values(form: AdminListingForm, listing) -> dict:
    return {**proposed_values(form, listing), "intake_email": form.intake_email.data or None}
