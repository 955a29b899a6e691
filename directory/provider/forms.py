"""Provider-area forms: accounts, claims, the listing editor and availability."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from directory.models.listing import VOCABULARY_COLUMNS
from directory.operations.accounts import MAX_EMAIL, MAX_PASSWORD, MIN_PASSWORD, is_valid_email
from directory.operations.moderation import LIST_FIELDS, TEXT_FIELDS
from directory.vocabulary import DUAL_DIAGNOSIS, FAMILIES, US_STATES

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs

    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


def options(pairs) -> list:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


PHONE = re.compile(r"^\+?[0-9 ().\-]{7,25}(?: *(?:x|ext\.?) *[0-9]{1,6})?$", re.IGNORECASE)
ZIP = re.compile(r"^[0-9]{5}(?:-[0-9]{4})?$")
REQUIRED = _l("This is required.")


def email_address(form, field) -> None:
    field.data = (field.data or "").strip().lower()
    if field.data and not is_valid_email(field.data):
        raise ValidationError(_l("Enter an e-mail address like name@example.org."))


def web_address(form, field) -> None:
    field.data = (field.data or "").strip()
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc:
        raise ValidationError(_l("Enter a web address starting with https:// or http://."))


def phone_number(form, field) -> None:
    field.data = " ".join((field.data or "").split())
    if field.data and not PHONE.match(field.data):
        raise ValidationError(_l("Enter a phone number like 303-555-0100."))


def plain_line(form, field) -> None:
    """One line of text: no control characters (newlines, tabs and the like)."""
    field.data = " ".join((field.data or "").split())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionField(IntegerField):
    """The listing version the form was made from (optimistic locking)."""

    widget = HiddenInput()

    def pre_validate(self, form):
        # A forged or mangled hidden value must not reach the database as a huge integer.
        if self.data is not None and not 0 <= self.data <= 2**31 - 1:
            raise StopValidation(_l("This form is out of date. Reload the page and try again."))


# --- accounts ---------------------------------------------------------------------------


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        [DataRequired(REQUIRED), Length(max=MAX_EMAIL), email_address],
    )
    password = PasswordField(
        _l("Password"),
        [DataRequired(REQUIRED), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)],
        description=_l(
            "At least %(n)d characters. A few unrelated words work well.", n=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("Password again"),
        [DataRequired(REQUIRED), EqualTo("password", _l("The two passwords are not the same."))],
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
        _l("New password"), [DataRequired(REQUIRED), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("New password again"),
        [DataRequired(REQUIRED), EqualTo("password", _l("The two passwords are not the same."))],
    )


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


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


def _family_choices(family_code: str) -> list[tuple[str, str]]:
    return [(term.code, _l(term.label)) for term in FAMILIES[family_code].terms]


STATE_CHOICES = [("", _l("Choose a state"))] + sorted(US_STATES.items(), key=lambda i: i[1])
UNKNOWN = _l("Not reported")


class ListingForm(FlaskForm):
    """Every field of a listing; vocabulary families are added below, one per family."""

    name = StringField(
        _l("Organization name"), [DataRequired(REQUIRED), Length(max=300), plain_line]
    )
    program_name = StringField(_l("Program or site name"), [Length(max=300), plain_line])
    street = StringField(_l("Street address"), [Length(max=300), plain_line])
    street2 = StringField(_l("Address line 2"), [Length(max=300), plain_line])
    city = StringField(_l("City"), [DataRequired(REQUIRED), Length(max=120), plain_line])
    state = SelectField(_l("State"), [DataRequired(REQUIRED)], choices=options(STATE_CHOICES))
    zip = StringField(
        _l("ZIP code"),
        [DataRequired(REQUIRED), Regexp(ZIP, message=_l("Enter a 5-digit ZIP code."))],
    )
    phone = TelField(_l("Main phone"), [Length(max=40), phone_number])
    intake_phone = TelField(_l("Intake phone"), [Length(max=40), phone_number])
    website = URLField(_l("Website"), [Length(max=500), web_address])
    description = TextAreaField(
        _l("Description"),
        [Length(max=TEXT_FIELDS["description"])],
        description=_l("Plain text. Shown on your public page exactly as typed."),
    )
    dual_diagnosis = RadioField(
        _l(DUAL_DIAGNOSIS.label),
        choices=options([("", UNKNOWN)] + _family_choices("dual_diagnosis")),
        default="",
        validate_choice=True,
    )
    telehealth = RadioField(
        _l("Telehealth"),
        choices=options([("", UNKNOWN), ("yes", _l("Yes")), ("no", _l("No"))]),
        default="",
    )
    version = VersionField(validators=[Optional()])


for _column, _family in VOCABULARY_COLUMNS.items():
    setattr(
        ListingForm,
        _column,
        MultiCheckboxField(_l(FAMILIES[_family].label), choices=options(_family_choices(_family))),
    )

FAMILY_FIELDS = LIST_FIELDS


class AvailabilityForm(FlaskForm):
    accepting = RadioField(
        _l("Accepting new clients?"),
        [InputRequired(_l("Choose one."))],
        choices=options([("yes", _l("Yes")), ("no", _l("No")), ("unknown", _l("Not saying"))]),
    )
    wait_days = IntegerField(
        _l("Typical wait for a first appointment, in days"),
        [Optional(), NumberRange(min=0, max=365, message=_l("Enter a number from 0 to 365."))],
    )
    version = VersionField(validators=[InputRequired()])


class FindListingForm(FlaskForm):
    class Meta:
        csrf = False  # a search: it changes nothing

    q = StringField(_l("Name of the provider"), [Length(max=200)])
    zip = StringField(
        _l("ZIP code"), [Optional(), Regexp(ZIP, message=_l("Enter a 5-digit ZIP code."))]
    )


# --- between listings and the listing form ----------------------------------------------

TELEHEALTH_VALUES = {"yes": True, "no": False, "": None}


def listing_form_data(listing) -> dict:
    """The form's initial data for a listing (unknown families start with nothing ticked)."""
    data = {name: getattr(listing, name) or "" for name in TEXT_FIELDS}
    data.update({name: getattr(listing, name) or [] for name in FAMILY_FIELDS})
    data["dual_diagnosis"] = listing.dual_diagnosis or ""
    data["telehealth"] = {True: "yes", False: "no"}.get(listing.telehealth, "")
    data["version"] = listing.version
    return data


def proposed_values(form: ListingForm, listing=None) -> dict:
    """The listing values a valid form proposes.

    A family left with nothing ticked stays unknown when it was unknown, and becomes
    "none of these" when it had values before.
    """
    values = {name: (getattr(form, name).data or "").strip() for name in TEXT_FIELDS}
    values["state"] = values["state"].upper()
    for name in FAMILY_FIELDS:
        family = FAMILIES[VOCABULARY_COLUMNS[name]]
        chosen = family.order(getattr(form, name).data or [])
        was_unknown = listing is None or getattr(listing, name) is None
        values[name] = None if (not chosen and was_unknown) else chosen
    values["dual_diagnosis"] = form.dual_diagnosis.data or None
    values["telehealth"] = TELEHEALTH_VALUES.get(form.telehealth.data)
    return values


ACCEPTING_VALUES = {"yes": True, "no": False, "unknown": None}


def availability_form_data(listing) -> dict:
    accepting = {True: "yes", False: "no"}.get(listing.accepting_new_clients, "unknown")
    return {"accepting": accepting, "wait_days": listing.wait_days, "version": listing.version}


def rebase(form, listing, conflict, initial_data) -> None:
    """After a conflict: show the current value of each conflicting field and the new version."""
    current = initial_data(listing)
    aliases = {"accepting_new_clients": "accepting"}
    names = [aliases.get(item.field, item.field) for item in conflict.fields]
    names = [name for name in names if hasattr(form, name)]
    for name in [*names, "version"]:
        field = getattr(form, name)
        field.data = current.get(name)
        field.raw_data = None
