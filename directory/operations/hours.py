"""Setting a listing's hours and access: weekly opening hours, walk-in / same-day admission
and a 24-hour intake line.

Like availability, these are not clinical claims, so they are published at once (not held
for review) and audited with who set them and from where: the provider area, a verification
link or an administrator.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.listings import hours as weekly
from directory.models import Account, Listing, audit
from directory.models.listing import utcnow
from directory.operations.moderation import check_not_stale, record_change
from directory.vocabulary import N_

# Where hours were set (the provenance of the "hours" section).
PROVIDER, VERIFICATION_LINK, ADMIN = "provider", "verification_link", "admin"
HOURS_FIELDS = ("hours", "walk_in", "intake_24h")


def update_hours(
    session: Session,
    listing: Listing,
    account: Account | None,
    intervals: list[weekly.Interval] | None,
    walk_in: bool | None,
    intake_24h: bool | None,
    base_version: int,
    *,
    source: str = PROVIDER,
    actor: str = "",
) -> Listing:
    """Publish the week's opening intervals (``None``: not given), walk-in admission and a
    24-hour intake line (``None``: not said) at once, in the audit trail.

    ``account`` is the signed-in provider or admin (who must have confirmed their address);
    ``None`` with an ``actor`` for a change from a verification link. Overlapping or too many
    openings in a day raise ``DirectoryError`` naming the day's field.
    """
    if account is not None and not account.is_verified:
        raise DirectoryError(N_("Confirm your e-mail address first: follow the link we sent."))
    try:
        week = None if intervals is None else weekly.checked(intervals)
    except weekly.BadHours as error:
        field = f"hours_{error.day.lower()}" if error.day else "hours"
        raise DirectoryError(error.message, field=field) from None
    proposed = {"hours": weekly.stored(week), "walk_in": walk_in, "intake_24h": intake_24h}
    check_not_stale(session, listing, base_version, proposed)
    if all(getattr(listing, name) == value for name, value in proposed.items()):
        values = {}  # the same again: still a confirmation, so its time moves
    else:
        values = dict(proposed)
    values.update(hours_updated_at=utcnow(), hours_source=source)
    changes = {name: (getattr(listing, name), value) for name, value in values.items()}
    for name, value in values.items():
        setattr(listing, name, value)
    record_change(session, listing, audit.HOURS, changes, account=account, actor=actor)
    return listing
