"""Form pieces several blueprints share: choices from the vocabulary, multi-checkbox and
version fields, the CSRF-only action form, common validators, and mapping a domain refusal
back onto a form."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from directory.errors import DirectoryError
from directory.listings.phones import parse_phone
from directory.operations.accounts import is_valid_email
from directory.vocabulary import FAMILIES
from directory.web.i18n import translated


def options(pairs) -> list:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def family_choices(family: str, codes=None) -> list:
    """A vocabulary family's codes as choices, labelled with their English source strings
    (``N_``) that templates translate: much cheaper than lazy strings on a long form."""
    terms = FAMILIES[family].terms
    return [SelectChoice(t.code, t.label) for t in terms if codes is None or t.code in codes]


def any_choice(label) -> list:
    """The empty choice: no preference."""
    return [SelectChoice("", label)]


def family_boxes(family: str, label, codes=None) -> MultiCheckboxField:
    """An optional box per code of a vocabulary family (or of ``codes`` of it)."""
    return MultiCheckboxField(label, choices=family_choices(family, codes), validators=[Optional()])


def family_select(family: str, label, no_preference) -> SelectField:
    """An optional choice of one code of a vocabulary family, ``no_preference`` first."""
    choices = any_choice(no_preference) + family_choices(family)
    return SelectField(label, choices=choices, validators=[Optional()])


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
    # "https://findtreatment.gov@evil.example" goes to evil.example: no user or password part.
    if "@" in parts.netloc:
        raise ValidationError(_l("Enter the web address without a user name or password in it."))


def phone_number(form, field) -> None:
    """A number that can be dialled, kept as people read it ("303-555-0100 ext. 12")."""
    field.data = " ".join((field.data or "").split())
    if not field.data:
        return
    state = getattr(getattr(form, "state", None), "data", "") or ""
    number = parse_phone(field.data, state=state) if PHONE.match(field.data) else None
    if number is None or not number.dialable:
        raise ValidationError(
            _l("Enter a phone number that can be dialled, like 303-555-0100 or 303-555-0100 x12.")
        )
    field.data = number.display


def plain_line(form, field) -> None:
    """One line of text: no control characters (newlines, tabs and the like)."""
    field.data = " ".join((field.data or "").split())


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one parameter (repeated in the URL, as the API takes it)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        # An empty value means "no preference" ("Not sure", or the hidden marker that says
        # the must-have boxes were shown): it is not a choice.
        # Comma-separated values are accepted too, as the API takes them.
        values = [part.strip() for value in valuelist for part in value.split(",")]
        super().process_formdata([value for value in values if value])


class VersionField(IntegerField):
    """The listing version the form was made from (optimistic locking)."""

    widget = HiddenInput()

    def pre_validate(self, form):
        # A forged or mangled hidden value must not reach the database as a huge integer.
        if self.data is not None and not 0 <= self.data <= 2**31 - 1:
            raise StopValidation(_l("This form is out of date. Reload the page and try again."))


class SearchingForm(FlaskForm):
    """A form sent with GET that changes nothing (a search, a snippet): no CSRF token, no cookie."""

    class Meta:
        csrf = False


def place_field(label, description, first_check) -> StringField:
    """Where to search from: a ZIP code, a city and state or an address, at most 200 characters."""
    too_long = Length(max=200, message=_l("Use at most 200 characters."))
    return StringField(label, description=description, validators=[first_check, too_long])


class ActionForm(FlaskForm):
    """Nothing but the CSRF token, for buttons that change state."""


def show_refusal(form, error: DirectoryError) -> None:
    """Put a domain refusal on the form field it concerns, or say it as a message."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*(field.errors or []), translated(error)]
    else:
        flash(translated(error), "error")
