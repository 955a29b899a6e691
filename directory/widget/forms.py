"""Preset fields shared by the admin's partner form and the public snippet generator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from directory.errors import DirectoryError
from directory.public.forms import MUST_HAVE_CHOICES, RADIUS_CHOICES
from directory.web.forms import (
    MultiCheckboxField,
    SearchingForm,
    any_choice,
    family_boxes,
    family_select,
    place_field,
)
from directory.web.i18n import translated

LIST_PRESETS = (
    "care_level",
    "therapy",
    "medication",
    "payment",
    "detox_for",
    "support",
    "operator",
    "require",
)
SINGLE_PRESETS = ("location", "radius", "service_type")
FLAG_PRESETS = ("co_occurring", "telehealth", "open_now", "walk_in")


class PresetForm(SearchingForm):
    """Optional needs a widget starts from: the search API's parameter names as field names."""

    location = place_field(
        _l("Place (optional)"), _l("A ZIP code, a city and state: searches start there"), Optional()
    )
    radius = SelectField(
        _l("Distance"),
        choices=any_choice(_l("Default (50 miles)")) + RADIUS_CHOICES,
        default="",
        validate_choice=False,
    )
    service_type = family_select("service_type", _l("Type of treatment"), _l("Any"))
    care_level = family_boxes("care_level", _l("Kinds of help"))
    therapy = family_boxes("therapy", _l("Therapies"))
    medication = family_boxes("medication", _l("Medications"))
    payment = family_boxes("payment", _l("Payment"))
    detox_for = family_boxes("detox_for", _l("Detox for"))
    support = family_boxes("support", _l("Recovery support and practical help"))
    operator = family_boxes("operator", _l("Who runs it"))
    co_occurring = BooleanField(_l("Care for a mental-health condition too"))
    telehealth = BooleanField(_l("Include telehealth"))
    open_now = BooleanField(_l("Open now"))
    walk_in = BooleanField(_l("Walk-in or same-day admission"))
    require = MultiCheckboxField(
        _l("Must-haves"), choices=MUST_HAVE_CHOICES, validators=[Optional()]
    )

    def presets(self) -> dict[str, list[str]]:
        """The chosen presets as search parameters (nothing for an empty field)."""
        chosen: dict[str, list[str]] = {}
        for name in SINGLE_PRESETS:
            value = (getattr(self, name).data or "").strip()
            if value:
                chosen[name] = [value]
        for name in LIST_PRESETS:
            values = [value for value in getattr(self, name).data or [] if value]
            if values:
                chosen[name] = values
        for name in FLAG_PRESETS:
            if getattr(self, name).data:
                chosen[name] = ["true"]
        return chosen

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message on its field (a parameter with no field of its own: the place)."""
        for name, message in errors.items():
            if isinstance(message, DirectoryError):
                message = translated(message)
            field = getattr(self, name, None)
            if field is None or not hasattr(field, "errors"):
                field = self.location
            field.errors = [*(field.errors or []), message]


def preset_form_data(presets: dict[str, list[str]]) -> dict:
    """Form data for a partner's stored presets (the reverse of ``PresetForm.presets``)."""
    data: dict = {}
    for name, values in (presets or {}).items():
        if name in SINGLE_PRESETS:
            data[name] = values[0] if values else ""
        elif name in FLAG_PRESETS:
            data[name] = bool(values) and values[0].lower() in ("1", "true", "yes", "on", "y")
        else:
            data[name] = [code for value in values for code in value.split(",")]
    return data


WIDGET_LANGUAGES = [SelectChoice("en", "English"), SelectChoice("es", "Español")]


class SnippetForm(PresetForm):
    """The /partners snippet generator (GET, no cookie): key, presets, language, target."""

    partner = StringField(
        _l("Your partner key"),
        description=_l("The key the directory gave you"),
        validators=[Optional(), Length(max=43)],
    )
    widget_lang = SelectField(
        _l("Language of the widget"), choices=WIDGET_LANGUAGES, default="en", validate_choice=False
    )
    target = StringField(
        _l("Put it inside the element with this id (optional)"),
        description=_l("Leave empty to show the widget where the snippet is pasted"),
        validators=[Optional(), Length(max=60)],
    )
