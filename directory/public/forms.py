"""The public search form: plain words, one thumb, the API's parameter names as field names.

Choice labels are English source strings (marked with ``N_``) that the templates translate:
much cheaper than lazy strings on a page with fifty choices.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, StopValidation

from directory.matching.needs import CRITERION_TABLE
from directory.vocabulary import N_
from directory.web.forms import (
    MultiCheckboxField,
    SearchingForm,
    family_boxes,
    family_select,
    place_field,
)

RADIUS_CHOICES = [
    SelectChoice("10", N_("10 miles")),
    SelectChoice("25", N_("25 miles")),
    SelectChoice("50", N_("50 miles")),
    SelectChoice("100", N_("100 miles")),
    SelectChoice("250", N_("250 miles")),
    SelectChoice("5000", N_("Anywhere in the country")),
]
MUST_HAVE_CHOICES = [SelectChoice(c.name, c.label) for c in CRITERION_TABLE]


class PlaceOrPosition:
    """A place typed, unless "Use my location" gave the browser's position (lat and lon)."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if not (field.data or "").strip() and not (form.lat.data and form.lon.data):
            raise StopValidation(_l("Enter a ZIP code, a city and state, or an address."))


class SearchForm(SearchingForm):
    """What a person needs and where they are. Submitted with GET: no CSRF, no cookie."""

    location = place_field(
        _l("Where are you?"), _l("A ZIP code, a city and state, or an address"), PlaceOrPosition()
    )
    # The browser's position, rounded to about 1 km by the page before it is sent.
    lat = HiddenField()
    lon = HiddenField()
    radius = SelectField(
        _l("How far can you travel?"), choices=RADIUS_CHOICES, default="50", validate_choice=False
    )
    service_type = family_select(
        "service_type", _l("What is the help for?"), N_("Alcohol or drug use, or mental health")
    )
    care_level = family_boxes("care_level", _l("What kind of help?"))
    co_occurring = BooleanField(_l("I also have a mental-health condition"))
    therapy = family_boxes("therapy", _l("Therapies"))
    medication = family_boxes("medication", _l("Medications"))
    payment = family_boxes("payment", _l("How will you pay?"))
    age_group = family_select("age_group", _l("Age group"), N_("Any age"))
    gender = family_select("gender", _l("Programs for"), N_("Everyone"))
    population = family_boxes("population", _l("Special programs"))
    language = family_select("language", _l("Language of care"), N_("Any language"))
    detox_for = family_boxes("detox_for", _l("Detox for"))
    support = family_boxes("support", _l("Recovery support and practical help"))
    operator = family_boxes("operator", _l("Who runs it"))
    telehealth = BooleanField(_l("I am open to telehealth (video or phone sessions)"))
    open_now = BooleanField(_l("Open now"))
    walk_in = BooleanField(_l("Walk-in or same-day admission"))
    require = MultiCheckboxField(
        _l("Must-haves"), choices=MUST_HAVE_CHOICES, validators=[Optional()]
    )

    def field_for(self, parameter: str):
        """The form field an API parameter error belongs to (or the location field)."""
        if parameter in ("lat", "lon"):  # hidden: the place field is where a person looks
            return self.location
        return getattr(self, parameter, None) or self.location
