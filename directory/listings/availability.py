"""Availability: whether a provider takes new clients now, who said so, and until when.

A status from a small standard set (DESIGN.md 3.2, after HL7's capacity status):
``accepting``, ``waitlist`` (with a typical wait in days), ``not_accepting``,
``assessment_required`` and ``unknown``. Every status but ``unknown`` is set with a time, a
source (where it was set: the provider area, a verification link, an administrator, demo
data) and an expiry (by default 14 days later). Past its expiry a status reads as
``unknown``: the public sees when it was last confirmed and is asked to call, and the
matcher ranks it like a provider that never said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ACCEPTING, WAITLIST, NOT_ACCEPTING = "accepting", "waitlist", "not_accepting"
ASSESSMENT_REQUIRED, UNKNOWN = "assessment_required", "unknown"
STATUSES = (ACCEPTING, WAITLIST, ASSESSMENT_REQUIRED, NOT_ACCEPTING, UNKNOWN)

# Where a status was set (the API's ``source``); in role terms for the public.
PROVIDER, VERIFICATION_LINK, ADMIN, DEMO = "provider", "verification_link", "admin", "demo"
SOURCES = (PROVIDER, VERIFICATION_LINK, ADMIN, DEMO)

# The statuses a typical wait (for a first appointment) goes with.
WAITING = (ACCEPTING, WAITLIST)

DEFAULT_DAYS = 14
MAX_WAIT_DAYS = 365


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def expiry(set_at: datetime, status: str, days: int = DEFAULT_DAYS) -> datetime | None:
    """When a status set at ``set_at`` stops counting (``None`` for ``unknown``)."""
    return None if status == UNKNOWN else set_at + timedelta(days=days)


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
    return Availability(
        status=stated if live else UNKNOWN,
        stated=stated,
        wait_days=listing.wait_days if stated in WAITING else None,
        updated_at=listing.availability_updated_at,
        expires_at=expires,
        source=listing.availability_source or "",
    )


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
    }
