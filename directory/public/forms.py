"""The public search form: plain words, one thumb, the API's parameter names as field names.

Choice labels are English source strings (marked with ``N_``) that the templates translate:
much cheaper than lazy strings on a page with fifty choices.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation

from directory.vocabulary import N_
from directory.web.forms import MultiCheckboxField, any_choice, family_choices

RADIUS_CHOICES = [
    SelectChoice("10", N_("10 miles")),
    SelectChoice("25", N_("25 miles")),
    SelectChoice("50", N_("50 miles")),
    SelectChoice("100", N_("100 miles")),
    SelectChoice("250", N_("250 miles")),
    SelectChoice("5000", N_("Anywhere in the country")),
]
MAIN_THERAPIES = ("cbt", "dbt", "mi", "family", "mat")
MUST_HAVE_CHOICES = [
    SelectChoice("service_type", N_("Type of treatment")),
    SelectChoice("care_level", N_("Kind of help")),
    SelectChoice("co_occurring", N_("Mental-health care too")),
    SelectChoice("therapy", N_("Therapies")),
    SelectChoice("medication", N_("Medications")),
    SelectChoice("payment", N_("Payment")),
    SelectChoice("age_group", N_("Age group")),
    SelectChoice("gender", N_("Gender")),
    SelectChoice("population", N_("Special programs")),
    SelectChoice("language", N_("Language")),
    SelectChoice("detox_for", N_("Detox for")),
    SelectChoice("support", N_("Recovery support and practical help")),
    SelectChoice("operator", N_("Who runs it")),
    SelectChoice("telehealth", N_("Telehealth")),
    SelectChoice("open_now", N_("Open now")),
    SelectChoice("walk_in", N_("Walk-in")),
]


class PlaceOrPosition:
    """A place typed, unless "Use my location" gave the browser's position (lat and lon)."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if not (field.data or "").strip() and not (form.lat.data and form.lon.data):
            raise StopValidation(_l("Enter a ZIP code, a city and state, or an address."))


class SearchForm(FlaskForm):
    """What a person needs and where they are. Submitted with GET: no CSRF, no cookie."""

    class Meta:
        csrf = False

    location = StringField(
        _l("Where are you?"),
        description=_l("A ZIP code, a city and state, or an address"),
        validators=[PlaceOrPosition(), Length(max=200, message=_l("Use at most 200 characters."))],
    )
    # The browser's position, rounded to about 1 km by the page before it is sent.
    lat = HiddenField()
    lon = HiddenField()
    radius = SelectField(
        _l("How far can you travel?"), choices=RADIUS_CHOICES, default="50", validate_choice=False
    )
    service_type = SelectField(
        _l("What is the help for?"),
        choices=any_choice(N_("Alcohol or drug use, or mental health"))
        + family_choices("service_type"),
        validators=[Optional()],
    )
    care_level = MultiCheckboxField(
        _l("What kind of help?"), choices=family_choices("care_level"), validators=[Optional()]
    )
    co_occurring = BooleanField(_l("I also have a mental-health condition"))
    therapy = MultiCheckboxField(
        _l("Therapies"), choices=family_choices("therapy", MAIN_THERAPIES), validators=[Optional()]
    )
    medication = MultiCheckboxField(
        _l("Medications"), choices=family_choices("medication"), validators=[Optional()]
    )
    payment = MultiCheckboxField(
        _l("How will you pay?"), choices=family_choices("payment"), validators=[Optional()]
    )
    age_group = SelectField(
        _l("Age group"),
        choices=any_choice(N_("Any age")) + family_choices("age_group"),
        validators=[Optional()],
    )
    gender = SelectField(
        _l("Programs for"),
        choices=any_choice(N_("Everyone")) + family_choices("gender"),
        validators=[Optional()],
    )
    population = MultiCheckboxField(
        _l("Special programs"), choices=family_choices("population"), validators=[Optional()]
    )
    language = SelectField(
        _l("Language of care"),
        choices=any_choice(N_("Any language")) + family_choices("language"),
        validators=[Optional()],
    )
    detox_for = MultiCheckboxField(
        _l("Detox for"), choices=family_choices("detox_for"), validators=[Optional()]
    )
    support = MultiCheckboxField(
        _l("Recovery support and practical help"),
        choices=family_choices("support"),
        validators=[Optional()],
    )
    operator = MultiCheckboxField(
        _l("Who runs it"), choices=family_choices("operator"), validators=[Optional()]
    )
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
