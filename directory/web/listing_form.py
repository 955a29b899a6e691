"""The listing form the provider and admin areas share, and the way between a listing and it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TelField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from directory.errors import Conflict, DirectoryError
from directory.extensions import db
from directory.models.listing import VOCABULARY_COLUMNS
from directory.operations.moderation import LIST_FIELDS, TEXT_FIELDS
from directory.vocabulary import DUAL_DIAGNOSIS, FAMILIES, US_STATES
from directory.web.forms import (
    REQUIRED,
    ZIP,
    MultiCheckboxField,
    VersionField,
    options,
    phone_number,
    plain_line,
    show_refusal,
    web_address,
)


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


def rebase(form, listing, conflict, initial_data) -> None:
    """After a conflict: show the current value of each conflicting field and the new version."""
    current = initial_data(listing)
    aliases = {"availability_status": "status"}
    names = [aliases.get(item.field, item.field) for item in conflict.fields]
    if "availability_by_care_level" in names:  # its rows, one pair of fields per care level
        names += [name for name in current if name.startswith("level_")]
        names += [f.name for f in form if f.name.startswith("level_") and f.name not in current]
    names = [name for name in names if hasattr(form, name)]
    for name in [*names, "version"]:
        field = getattr(form, name)
        field.data = current.get(name)
        field.raw_data = None


@dataclass(frozen=True)
class Attempt:
    """What came of a change made from a versioned form."""

    saved: bool
    result: object = None
    conflict: Conflict | None = None
    # A conflict answers 409, like every conflict; a refusal is shown on the form as a
    # validation error is (200).
    status: int = 200


def save_versioned(form, listing, initial_data, operation) -> Attempt:
    """Run ``operation`` and commit it; on a conflict show the current values on the form
    (nothing is saved); on a refusal put it on the form."""
    try:
        result = operation()
    except Conflict as conflict:
        db.session.rollback()
        rebase(form, listing, conflict, initial_data)
        return Attempt(False, conflict=conflict, status=conflict.status)
    except DirectoryError as error:
        db.session.rollback()
        show_refusal(form, error)
        return Attempt(False)
    db.session.commit()
    return Attempt(True, result)


def form_page(template: str, attempt: Attempt | None, **context):
    """The form's page again, showing the conflict if there was one (then with its 409)."""
    attempt = attempt or Attempt(False)
    return render_template(template, conflict=attempt.conflict, **context), attempt.status
