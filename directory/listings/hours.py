"""Weekly opening hours: what a provider says, and whether that has them open at a moment.

Stored as HSDS 3.0 weekly schedule rows (``freq`` WEEKLY), one per opening interval: the day
(``byday``: ``MO`` … ``SU``), ``opens_at`` and ``closes_at`` as ``HH:MM`` in the listing's own
time zone. A day may have several intervals (a lunch break) or none (closed). An interval
that closes at or before it opens runs past midnight into the next day, so ``00:00``–``00:00``
is the whole day. ``None`` for the week means the hours were never given (unknown, not
closed). Times are read in the listing's zone (``directory.geo.timezones``), with daylight
saving time as the zone's rules say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from directory.errors import DirectoryError
from directory.vocabulary import N_

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # datetime.weekday() order
MAX_INTERVALS_PER_DAY = 3
_TIME = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")
# A chain of intervals longer than this is "always open" (24 hours, every day).
_ALWAYS = timedelta(days=7)


class BadHours(DirectoryError):
    """Opening hours that cannot be stored as given (``field`` and ``day`` name the day, if one)."""

    def __init__(self, message: str, day: str | None = None):
        super().__init__(message, field=day)
        self.day = day


@dataclass(frozen=True, order=True)
class Interval:
    """One opening: on ``day``, from ``opens`` until ``closes`` (the next day when not later)."""

    day: int  # 0 = Monday
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    def as_json(self) -> dict:
        return {
            "byday": DAYS[self.day],
            "opens_at": self.opens.strftime("%H:%M"),
            "closes_at": self.closes.strftime("%H:%M"),
        }


def parse_time(text: str) -> time:
    """``"8:30"`` or ``"08:30"`` (24-hour, as a time input sends it) as a ``time``."""
    found = _TIME.match(text or "")
    if not found:
        raise BadHours(N_("Enter a time such as 08:30 or 17:00."))
    return time(int(found.group(1)), int(found.group(2)))


def week_of(stored) -> tuple[Interval, ...] | None:
    """The stored JSON rows as sorted intervals; ``None`` (unknown) stays ``None``. Rows that
    do not read as a day and two times are dropped rather than failing a page."""
    if stored is None:
        return None
    intervals = []
    for row in stored if isinstance(stored, list) else ():
        try:
            day = DAYS.index(str(row["byday"]).upper())
            opens, closes = parse_time(row["opens_at"]), parse_time(row["closes_at"])
            intervals.append(Interval(day, opens, closes))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(sorted(set(intervals)))


def stored(intervals) -> list[dict] | None:
    """Intervals as the JSON rows the listing keeps (``None``: unknown)."""
    if intervals is None:
        return None
    return [interval.as_json() for interval in sorted(set(intervals))]


def checked(intervals: list[Interval]) -> tuple[Interval, ...]:
    """The intervals if they make sense: at most a few per day, none overlapping another."""
    week = tuple(sorted(set(intervals)))
    for day in range(7):
        today = [i for i in week if i.day == day]
        if len(today) > MAX_INTERVALS_PER_DAY:
            raise BadHours(N_("At most 3 openings a day."), DAYS[day])
    spans = sorted(_spans_of(week, date(2024, 1, 1), range(2)))  # two weeks: Sunday into Monday
    for (_start, end, _first), (next_start, _end, other) in zip(spans, spans[1:], strict=False):
        if next_start < end:
            day = DAYS[other.day]
            raise BadHours(N_("Two openings overlap: check the times."), day)
    return week


def _spans_of(week, monday: date, weeks: range = range(1)):
    for offset in weeks:
        for interval in week:
            day = monday + timedelta(days=7 * offset + interval.day)
            start = datetime.combine(day, interval.opens)
            end = datetime.combine(start.date(), interval.closes)
            if interval.overnight:
                end += timedelta(days=1)
            yield start, end, interval


@dataclass(frozen=True)
class OpenState:
    """Whether a listing is open at a moment, in its own time zone.

    ``is_open`` with ``until`` (when it next closes; ``None``: open around the clock), or
    closed with ``opens`` (when it next opens; ``None``: no opening in the week ahead).
    ``now`` is the moment, in the listing's zone.
    """

    is_open: bool
    now: datetime
    until: datetime | None = None
    opens: datetime | None = None

    @property
    def always_open(self) -> bool:
        return self.is_open and self.until is None


def open_state(week, zone: tzinfo | None, now: datetime | None = None) -> OpenState | None:
    """Whether ``week`` has the place open at ``now`` (naive UTC or aware; default: the
    present) in ``zone``; ``None`` when the hours or the zone are unknown."""
    if week is None or zone is None:
        return None
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone).replace(tzinfo=None)  # wall-clock time, as hours are kept
    monday = local.date() - timedelta(days=local.weekday())
    spans = sorted((s, e) for s, e, _ in _spans_of(week, monday, range(-1, 3)))
    for start, end in spans:
        if start <= local < end:
            until = _closing(spans, end, local)
            return OpenState(True, _aware(local, zone), until=_aware(until, zone))
    upcoming = [start for start, _ in spans if start > local]
    opens = min(upcoming) if upcoming else None
    return OpenState(False, _aware(local, zone), opens=_aware(opens, zone))


def _closing(spans, end: datetime, local: datetime) -> datetime | None:
    """When the opening that ends at ``end`` really closes: openings that start as another
    ends run on; a chain a week long is always open (``None``)."""
    extended = True
    while extended:
        extended = False
        for start, later in spans:
            if start <= end < later:
                end, extended = later, True
        if end - local >= _ALWAYS:
            return None
    return end


def _aware(moment: datetime | None, zone: tzinfo) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=zone)


def open_at(week, zone: tzinfo | None, now: datetime | None = None) -> bool | None:
    """True when open at ``now``, False when closed, None when the hours are unknown."""
    state = open_state(week, zone, now)
    return None if state is None else state.is_open
