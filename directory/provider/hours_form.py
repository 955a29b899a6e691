"""The hours-and-access form: each weekday's openings, walk-in admission, a 24-hour intake line.

Shared by the provider area and the verification link's update page. Times are typed in
the listing's own time zone, as 24-hour ``HH:MM`` (what a browser's time input sends).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import InputRequired, ValidationError

from directory.listings import hours as weekly
from directory.web.forms import VersionField, options
from directory.web.i18n import translate

SLOTS = (1, 2)  # openings a day the form offers (a lunch break)
DAY_NAMES = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}
YES_NO_UNSAID = [("", _l("Not said")), ("yes", _l("Yes")), ("no", _l("No"))]
_YES_NO = {"yes": True, "no": False, "": None}


def _time_text(form, field) -> None:
    if (field.data or "").strip():
        try:
            weekly.parse_time(field.data)
        except weekly.BadHours as error:
            raise ValidationError(translate(error.message)) from None


class HoursForm(FlaskForm):
    day_names = DAY_NAMES
    always_open = BooleanField(_l("Open 24 hours, every day"))
    walk_in = RadioField(
        _l("Walk-in or same-day admission?"),
        choices=options(YES_NO_UNSAID),
        default="",
        description=_l("Someone can come without an appointment and be seen or admitted that day."),
    )
    intake_24h = RadioField(
        _l("Does your intake line answer 24 hours a day?"),
        choices=options(YES_NO_UNSAID),
        default="",
    )
    version = VersionField(validators=[InputRequired()])

    def opening_fields(self, day: str) -> list[tuple]:
        """The (opens, closes) field pairs of one day, in order."""
        code = day.lower()
        return [(self[f"{code}_opens_{n}"], self[f"{code}_closes_{n}"]) for n in SLOTS]

    def intervals(self) -> list[weekly.Interval] | None:
        """The openings typed (``None``: no hours given at all)."""
        if self.always_open.data:
            return [weekly.Interval(day, *(weekly.parse_time("00:00"),) * 2) for day in range(7)]
        found = []
        for day, code in enumerate(weekly.DAYS):
            for opens, closes in self.opening_fields(code):
                if (opens.data or "").strip() and (closes.data or "").strip():
                    found.append(
                        weekly.Interval(
                            day, weekly.parse_time(opens.data), weekly.parse_time(closes.data)
                        )
                    )
        return found or None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for code in weekly.DAYS:
            for opens, closes in self.opening_fields(code):
                if bool((opens.data or "").strip()) != bool((closes.data or "").strip()):
                    target = closes if (opens.data or "").strip() else opens
                    target.errors = [*target.errors, _("Give both times, or neither.")]
                    valid = False
        return valid

    @property
    def walk_in_value(self) -> bool | None:
        return _YES_NO.get(self.walk_in.data)

    @property
    def intake_24h_value(self) -> bool | None:
        return _YES_NO.get(self.intake_24h.data)


def _first_opening(code: str) -> property:
    """A refusal about a day (``hours_mo``: its openings overlap) is shown on its first
    opening's field."""
    return property(lambda form: form[f"{code}_opens_1"])


for _code, _name in DAY_NAMES.items():
    for _n in SLOTS:
        setattr(
            HoursForm,
            f"{_code.lower()}_opens_{_n}",
            StringField(_l("%(day)s: opens", day=_name), [_time_text]),
        )
        setattr(
            HoursForm,
            f"{_code.lower()}_closes_{_n}",
            StringField(_l("%(day)s: closes", day=_name), [_time_text]),
        )
    setattr(HoursForm, f"hours_{_code.lower()}", _first_opening(_code.lower()))


def hours_form_data(listing) -> dict:
    """The form's values for a listing as it is now."""
    data = {
        "walk_in": {True: "yes", False: "no"}.get(listing.walk_in, ""),
        "intake_24h": {True: "yes", False: "no"}.get(listing.intake_24h, ""),
        "version": listing.version,
    }
    week = weekly.week_of(listing.hours) or ()
    if len(week) == 7 and all(i.opens == i.closes == weekly.parse_time("00:00") for i in week):
        data["always_open"] = True
        return data
    for code in weekly.DAYS:
        today = [i for i in week if weekly.DAYS[i.day] == code]
        for n, interval in zip(SLOTS, today, strict=False):
            data[f"{code.lower()}_opens_{n}"] = interval.opens.strftime("%H:%M")
            data[f"{code.lower()}_closes_{n}"] = interval.closes.strftime("%H:%M")
    return data
