"""Admin forms: decisions with reasons, approvals carrying the version seen, report resolution."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from directory.operations.moderation import MAX_REASON
from directory.web.forms import VersionField


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
