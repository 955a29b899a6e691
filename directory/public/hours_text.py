"""Hours and access as the public reads them: "Open now · until 5 pm", the week, walk-in.

Every time is the listing's own (its time zone from its ZIP or state), in the visitor's
language; a listing without hours says nothing about being open.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from babel.dates import format_time, get_timezone_name
from flask_babel import format_date, get_locale

from directory.geo.timezones import zone_of
from directory.listings import hours as weekly
from directory.vocabulary import N_
from directory.web.i18n import fast_gettext as _
from directory.web.i18n import fast_ngettext as ngettext

ALL_DAY = time(0)


def _locale() -> str:
    return str(get_locale() or "en")


def time_text(moment: time | datetime) -> str:
    """ "5 pm", "8:30 am" in English; the visitor's language's own 12-hour form otherwise."""
    if isinstance(moment, datetime):
        moment = moment.time()  # wall-clock time in the listing's zone, shown as it is
    locale = _locale()
    text = format_time(moment, "h a" if moment.minute == 0 else "h:mm a", locale=locale)
    return text.lower() if locale.startswith("en") else text


def _day_name(moment: datetime) -> str:
    return format_date(moment.date(), "EEEE")


def listing_week(listing):
    """The listing's hours as intervals, or ``None`` when it has given none."""
    return weekly.week_of(getattr(listing, "hours", None))


# (later today, tomorrow, another day) for an opening and a closing: whole sentences, since
# languages put the day and time differently ("hasta el lunes a las 5 p. m."). Each is chosen
# by the hour on a 12-hour clock as by a number, since the article agrees with it in Spanish
# ("a la 1 p. m.", "a las 2 p. m."); the English forms are the same.
_UNTIL = (
    lambda hour, **said: ngettext(
        "Open now · until %(time)s", "Open now · until %(time)s", hour, **said
    ),
    lambda hour, **said: ngettext(
        "Open now · until tomorrow at %(time)s",
        "Open now · until tomorrow at %(time)s",
        hour,
        **said,
    ),
    lambda hour, **said: ngettext(
        "Open now · until %(day)s at %(time)s",
        "Open now · until %(day)s at %(time)s",
        hour,
        **said,
    ),
)
_OPENS = (
    lambda hour, **said: ngettext(
        "Closed now · opens at %(time)s", "Closed now · opens at %(time)s", hour, **said
    ),
    lambda hour, **said: ngettext(
        "Closed now · opens tomorrow at %(time)s",
        "Closed now · opens tomorrow at %(time)s",
        hour,
        **said,
    ),
    lambda hour, **said: ngettext(
        "Closed now · opens %(day)s at %(time)s",
        "Closed now · opens %(day)s at %(time)s",
        hour,
        **said,
    ),
)


def open_now_text(listing, now: datetime | None = None) -> tuple[str, str] | None:
    """(css class, "Open now · until 5 pm") for a card, or ``None`` without hours."""
    state = weekly.open_state(listing_week(listing), zone_of(listing.state, listing.zip), now)
    if state is None:
        return None
    if state.always_open:
        return "open", _("Open 24 hours")
    if state.is_open:
        return "open", _when(_UNTIL, state.until, state.now, closing=True)
    if state.opens is None:
        return "closed", _("Closed now")
    return "closed", _when(_OPENS, state.opens, state.now)


def _when(templates, moment: datetime, now: datetime, closing: bool = False) -> str:
    """The sentence for a time later today, tomorrow or another day (a closing early
    tomorrow morning reads as a time, like "until 2 am")."""
    later_today, tomorrow, another_day = templates
    time, days = time_text(moment), (moment.date() - now.date()).days
    hour = moment.hour % 12 or 12  # as the time reads: 13:00 is "1 pm"
    if days == 0 or (closing and days == 1 and moment.hour < 12):
        return later_today(hour, time=time)
    if days == 1:
        return tomorrow(hour, time=time)
    return another_day(hour, day=_day_name(moment), time=time)


def week_rows(listing) -> list[tuple[str, str]]:
    """(day, "8 am – 5 pm, 6 pm – 8 pm" or "Closed") for each day, Monday first."""
    week = listing_week(listing)
    if week is None:
        return []
    monday = datetime(2024, 1, 1)  # any Monday: only the day's name is read
    rows = []
    for day in range(7):
        today = [i for i in week if i.day == day]
        if not today:
            text = _("Closed")
        elif any(i.opens == i.closes == ALL_DAY for i in today):
            text = _("Open 24 hours")
        else:
            text = ", ".join(f"{time_text(i.opens)} – {time_text(i.closes)}" for i in today)
        name = _day_name(monday + timedelta(days=day))
        rows.append((name[:1].upper() + name[1:], text))
    return rows


def zone_label(listing) -> str:
    """The listing's time zone in words ("Eastern Time"), or "" when unknown."""
    zone = zone_of(listing.state, listing.zip)
    if zone is None:
        return ""
    return get_timezone_name(zone, width="long", zone_variant="generic", locale=_locale())


ACCESS_NOTES = {
    "walk_in": N_("Walk-in or same-day admission"),
    "intake_24h": N_("Intake line answers 24 hours"),
}


def access_notes(listing) -> list[str]:
    """What a person can do without an appointment or at any hour, as short badges."""
    return [_(text) for name, text in ACCESS_NOTES.items() if getattr(listing, name, None)]
