"""Provider-area forms: accounts, claims, availability and finding a listing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from directory.listings.availability import LEVEL_STATUSES, stated_levels
from directory.operations.accounts import MAX_EMAIL, MAX_PASSWORD, MIN_PASSWORD
from directory.vocabulary import CARE_LEVEL
from directory.web.forms import (
    REQUIRED,
    ZIP,
    SearchingForm,
    VersionField,
    email_address,
    options,
    phone_number,
    plain_line,
)
from directory.web.record_text import AVAILABILITY_LABELS

# --- accounts ---------------------------------------------------------------------------


class RegisterForm(FlaskForm):
    """Only the address: the password is chosen through the link mailed to it."""

    email = EmailField(
        _l("E-mail address"),
        [DataRequired(REQUIRED), Length(max=MAX_EMAIL), email_address],
    )


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [DataRequired(REQUIRED), Length(max=MAX_EMAIL)])
    password = PasswordField(_l("Password"), [DataRequired(REQUIRED), Length(max=MAX_PASSWORD)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), [DataRequired(REQUIRED), Length(max=MAX_EMAIL), email_address]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        [DataRequired(REQUIRED), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)],
        description=_l(
            "At least %(n)d characters. A few unrelated words work well.", n=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("New password again"),
        [DataRequired(REQUIRED), EqualTo("password", _l("The two passwords are not the same."))],
    )


# --- claims and listings ----------------------------------------------------------------


class ClaimForm(FlaskForm):
    role = StringField(
        _l("Your role at this provider"),
        [DataRequired(REQUIRED), Length(max=120), plain_line],
        description=_l("For example: intake coordinator, clinical director."),
    )
    work_email = EmailField(
        _l("Work e-mail address"),
        [DataRequired(REQUIRED), Length(max=MAX_EMAIL), email_address],
        description=_l("An address at the provider's own domain helps us confirm you quickly."),
    )
    phone = TelField(_l("Work phone"), [DataRequired(REQUIRED), Length(max=40), phone_number])


AVAILABILITY_CHOICES = tuple(AVAILABILITY_LABELS.items())


class AvailabilityForm(FlaskForm):
    status = RadioField(
        _l("Can you take new clients?"),
        [InputRequired(_l("Choose one."))],
        choices=options(AVAILABILITY_CHOICES),
    )
    wait_days = IntegerField(
        _l("Typical wait for a first appointment, in days"),
        [Optional(), NumberRange(min=0, max=365, message=_l("Enter a number from 0 to 365."))],
        description=_l("Needed for a waitlist; optional when accepting."),
    )
    version = VersionField(validators=[InputRequired()])

    def care_level_fields(self, offered) -> list[tuple]:
        """(care level term, status field, wait field) of each care level in ``offered``."""
        return [
            (term, self[f"level_{term.code}_status"], self[f"level_{term.code}_wait_days"])
            for term in CARE_LEVEL.terms
            if term.code in (offered or ())
        ]

    def by_care_level(self) -> dict[str, tuple[str, int | None]]:
        """What was said per care level (``{code: (status, wait_days)}``); a level left
        "same for every kind of help" without a wait is not in it."""
        said = {}
        for term in CARE_LEVEL.terms:
            status = self[f"level_{term.code}_status"].data or ""
            wait = self[f"level_{term.code}_wait_days"].data
            if status or wait is not None:
                said[term.code] = (status, wait)
        return said


SAME_FOR_EVERY_LEVEL = _l("Same for every kind of help")
LEVEL_CHOICES = (("", SAME_FOR_EVERY_LEVEL),) + tuple(
    (code, AVAILABILITY_LABELS[code]) for code in LEVEL_STATUSES
)

for _term in CARE_LEVEL.terms:
    setattr(
        AvailabilityForm,
        f"level_{_term.code}_status",
        SelectField(
            _l("%(level)s: availability", level=_l(_term.label)),
            choices=options(LEVEL_CHOICES),
            default="",
        ),
    )
    setattr(
        AvailabilityForm,
        f"level_{_term.code}_wait_days",
        IntegerField(
            _l("%(level)s: typical wait, in days", level=_l(_term.label)),
            [Optional(), NumberRange(min=0, max=365, message=_l("Enter a number from 0 to 365."))],
        ),
    )


class FindListingForm(SearchingForm):
    """Finding one's listing to claim it."""

    q = StringField(_l("Name of the provider"), [Length(max=200)])
    zip = StringField(
        _l("ZIP code"), [Optional(), Regexp(ZIP, message=_l("Enter a 5-digit ZIP code."))]
    )


def availability_form_data(listing) -> dict:
    status = listing.availability_status or "unknown"
    data = {"status": status, "wait_days": listing.wait_days, "version": listing.version}
    for code, level_status, wait in stated_levels(listing):
        data[f"level_{code}_status"] = level_status
        data[f"level_{code}_wait_days"] = wait
    return data
