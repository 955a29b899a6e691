"""Admin forms: decisions with reasons, approvals carrying the version seen, report resolution."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from directory.operations import phone_check
from directory.operations.moderation import MAX_REASON
from directory.web.forms import VersionField, options
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
