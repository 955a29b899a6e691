"""Availability: whether a provider takes new clients now, who said so, and until when.

A status from a small standard set (DESIGN.md 3.2, after HL7's capacity status):
``accepting``, ``waitlist`` (with a typical wait in days), ``not_accepting``,
``assessment_required`` and ``unknown``. Every status but ``unknown`` is set with a time, a
source (where it was set: the provider area, a verification link, an administrator, demo
data) and an expiry (by default 14 days later). Past its expiry a status reads as
``unknown``: the public sees when it was last confirmed and is asked to call, and the
matcher ranks it like a provider that never said.

A provider may also say it per care level (``by_care_level``: ``{care_level_code: {"status":
..., "wait_days": ...}}``, only for levels the listing offers), e.g. detox on a waitlist while
outpatient takes people now. Those statuses are set together with the listing's one, with its
time, source and expiry, so they lapse together; a level not named has the listing's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from directory.vocabulary import N_

ACCEPTING, WAITLIST, NOT_ACCEPTING = "accepting", "waitlist", "not_accepting"
ASSESSMENT_REQUIRED, UNKNOWN = "assessment_required", "unknown"
STATUSES = (ACCEPTING, WAITLIST, ASSESSMENT_REQUIRED, NOT_ACCEPTING, UNKNOWN)

# Where a status was set (the API's ``source``); in role terms for the public.
PROVIDER, VERIFICATION_LINK, ADMIN, DEMO = "provider", "verification_link", "admin", "demo"
SOURCES = (PROVIDER, VERIFICATION_LINK, ADMIN, DEMO)

# The statuses a typical wait (for a first appointment) goes with.
WAITING = (ACCEPTING, WAITLIST)

# The statuses a care level can be given (a level not given has the listing's status).
LEVEL_STATUSES = (ACCEPTING, WAITLIST, ASSESSMENT_REQUIRED, NOT_ACCEPTING)

DEFAULT_DAYS = 14
MAX_WAIT_DAYS = 365


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def expiry(set_at: datetime, status: str, days: int = DEFAULT_DAYS) -> datetime | None:
    """When a status set at ``set_at`` stops counting (``None`` for ``unknown``)."""
    return None if status == UNKNOWN else set_at + timedelta(days=days)


@dataclass(frozen=True)
class LevelAvailability:
    """One care level's availability: ``status`` counts (``unknown`` once the listing's
    availability expired), ``stated`` is what was said."""

    care_level: str
    status: str
    stated: str
    wait_days: int | None


@dataclass(frozen=True)
class Availability:
    """A listing's availability as of a moment: ``status`` is what counts (``unknown`` once
    expired), ``stated`` what was last said."""

    status: str
    stated: str
    wait_days: int | None
    updated_at: datetime | None
    expires_at: datetime | None
    source: str
    by_care_level: tuple[LevelAvailability, ...] = ()

    @property
    def expired(self) -> bool:
        return self.stated != UNKNOWN and self.status == UNKNOWN

    def days_since_update(self, now: datetime | None = None) -> int | None:
        if self.updated_at is None:
            return None
        return max(0, ((now or utcnow()) - self.updated_at).days)


def current(listing, now: datetime | None = None) -> Availability:
    """The availability of a listing (or anything with its ``availability_*`` fields) now."""
    stated = listing.availability_status or UNKNOWN
    if stated not in STATUSES:
        stated = UNKNOWN
    expires = listing.availability_expires_at
    live = stated != UNKNOWN and (expires is None or (now or utcnow()) < expires)
    levels = tuple(
        LevelAvailability(code, said if live else UNKNOWN, said, wait)
        for code, said, wait in stated_levels(listing)
    )
    return Availability(
        status=stated if live else UNKNOWN,
        stated=stated,
        wait_days=listing.wait_days if stated in WAITING else None,
        updated_at=listing.availability_updated_at,
        expires_at=expires,
        source=listing.availability_source or "",
        by_care_level=levels if stated != UNKNOWN else (),
    )


def stated_levels(listing) -> list[tuple[str, str, int | None]]:
    """The (care level, status, wait days) a listing's provider gave per care level, in the
    order of its care levels; only valid statuses of levels it still offers."""
    given = getattr(listing, "availability_by_care_level", None)
    if not isinstance(given, dict) or not given:
        return []
    offered = listing.care_levels or []
    found = []
    for code in offered:
        said = given.get(code)
        if isinstance(said, dict) and said.get("status") in LEVEL_STATUSES:
            wait = said.get("wait_days") if said["status"] in WAITING else None
            found.append((code, said["status"], wait if isinstance(wait, int) else None))
    return found


class BadLevels(ValueError):
    """Per-care-level statuses that cannot be saved: ``message`` (an ``N_`` template, with
    ``level`` the care level code) is about ``care_level``."""

    def __init__(self, care_level: str, field: str, message: str):
        super().__init__(message)
        self.care_level, self.field, self.message = care_level, field, message


def checked_levels(
    levels: dict[str, tuple[str, int | None]], offered, overall: str
) -> dict[str, dict] | None:
    """The stored shape of the per-care-level statuses a provider gave (``{code: (status,
    wait_days)}``), or None when none was; raises ``BadLevels`` for a level the listing does
    not offer, a status outside ``LEVEL_STATUSES``, a waitlist without its wait, a wait with a
    status that has none, or levels given while the listing's own status is ``unknown``."""
    offered = list(offered or [])
    stored = {}
    for code, (status, wait_days) in levels.items():
        if code not in offered:
            raise BadLevels(code, "status", N_("This listing does not offer this kind of help."))
        if wait_days is not None and not 0 <= wait_days <= MAX_WAIT_DAYS:
            raise BadLevels(code, "wait_days", N_("Enter a number from 0 to 365."))
        if status == WAITLIST and wait_days is None:
            raise BadLevels(code, "wait_days", N_("Say about how many days the wait is."))
        if wait_days is not None and status not in WAITING:
            raise BadLevels(
                code, "wait_days", N_("A wait goes with a waitlist or with accepting new clients.")
            )
        if status not in LEVEL_STATUSES:
            raise BadLevels(code, "status", N_("Choose one."))
        if overall == UNKNOWN:
            raise BadLevels(
                code,
                "status",
                N_("Say first whether you can take new clients at all, then per kind of help."),
            )
        stored[code] = {"status": status, "wait_days": wait_days}
    return {code: stored[code] for code in offered if code in stored} or None


def from_accepting(accepting: bool | None) -> str:
    """The status the old "accepting new clients" yes/no/unknown stood for."""
    if accepting is None:
        return UNKNOWN
    return ACCEPTING if accepting else NOT_ACCEPTING


def as_json(listing, written, now: datetime | None = None) -> dict:
    """The availability as the JSON APIs give it, each moment as ``written`` turns it into text:
    ``status`` is what counts now (``unknown`` once the stated status expired: ``expired`` says
    so, and ``stated_status`` keeps what was last said)."""
    state = current(listing, now)
    return {
        "status": state.status,
        "stated_status": state.stated,
        "expired": state.expired,
        "wait_days": state.wait_days,
        "updated_at": written(state.updated_at),
        "expires_at": written(state.expires_at),
        "source": state.source or None,
        "by_care_level": [
            {
                "care_level": level.care_level,
                "status": level.status,
                "stated_status": level.stated,
                "wait_days": level.wait_days,
            }
            for level in state.by_care_level
        ]
        or None,
    }
