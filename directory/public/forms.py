"""The public search form: plain words, one thumb, the API's parameter names as field names.

Choice labels are English source strings (marked with ``N_``) that the templates translate:
much cheaper than lazy strings on a page with fifty choices.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from directory.vocabulary import FAMILIES, N_

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
    SelectChoice("telehealth", N_("Telehealth")),
]


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


def _choices(family: str, codes=None):
    terms = FAMILIES[family].terms
    return [SelectChoice(t.code, t.label) for t in terms if codes is None or t.code in codes]


def _any(label):
    return [SelectChoice("", label)]


class SearchForm(FlaskForm):
    """What a person needs and where they are. Submitted with GET: no CSRF, no cookie."""

    class Meta:
        csrf = False

    location = StringField(
        _l("Where are you?"),
        description=_l("A ZIP code, a city and state, or an address"),
        validators=[
            InputRequired(_l("Enter a ZIP code, a city and state, or an address.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    radius = SelectField(_l("How far can you travel?"), choices=RADIUS_CHOICES, default="50",
                         validate_choice=False)  # fmt: skip
    service_type = SelectField(
        _l("What is the help for?"),
        choices=_any(N_("Alcohol or drug use, or mental health")) + _choices("service_type"),
        validators=[Optional()],
    )
    care_level = MultiCheckboxField(_l("What kind of help?"), choices=_choices("care_level"),
                                    validators=[Optional()])  # fmt: skip
    co_occurring = BooleanField(_l("I also have a mental-health condition"))
    therapy = MultiCheckboxField(_l("Therapies"), choices=_choices("therapy", MAIN_THERAPIES),
                                 validators=[Optional()])  # fmt: skip
    medication = MultiCheckboxField(_l("Medications"), choices=_choices("medication"),
                                    validators=[Optional()])  # fmt: skip
    payment = MultiCheckboxField(_l("How will you pay?"), choices=_choices("payment"),
                                 validators=[Optional()])  # fmt: skip
    age_group = SelectField(_l("Age group"), choices=_any(N_("Any age")) + _choices("age_group"),
                            validators=[Optional()])  # fmt: skip
    gender = SelectField(_l("Programs for"), choices=_any(N_("Everyone")) + _choices("gender"),
                         validators=[Optional()])  # fmt: skip
    population = MultiCheckboxField(_l("Special programs"), choices=_choices("population"),
                                    validators=[Optional()])  # fmt: skip
    language = SelectField(_l("Language of care"),
                           choices=_any(N_("Any language")) + _choices("language"),
                           validators=[Optional()])  # fmt: skip
    telehealth = BooleanField(_l("I am open to telehealth (video or phone sessions)"))
    require = MultiCheckboxField(_l("Must-haves"), choices=MUST_HAVE_CHOICES,
                                 validators=[Optional()])  # fmt: skip

    def field_for(self, parameter: str):
        """The form field an API parameter error belongs to (or the location field)."""
        return getattr(self, parameter, None) or self.location
