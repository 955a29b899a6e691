"""Asking providers to look again: which listings are due, and what their links may do.

A claimed listing is due when its details were not confirmed within ``confirm_days``
(default 180) or its availability has expired (or was never given). Each due listing gets
at most one open request at a time (so running the command daily is safe), sent to the
address its approved claim gave. A listing nobody has claimed is asked the same way at its
intake address when the operator gave one (``Listing.intake_email``: an HSDS import's
e-mail, or typed by an admin) — never at a guessed one — and is offered the claim path;
since nobody there asked to hear from us, it is mailed at most once per ``confirm_days``,
whether or not it answered.
A request's links are single purpose — "still correct", "update availability", "we have
closed or moved" — and the request is spent by the first one used, or lapses after
``link_days`` (default 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.listings import availability
from directory.listings import hours as weekly
from directory.models import Claim, Listing, ProblemReport, audit, claim
from directory.models.listing import ACTIVE, utcnow
from directory.models.verification_request import CLOSED, CONFIRM, PURPOSES, VerificationRequest
from directory.operations import hours
from directory.operations.moderation import record_change, update_availability
from directory.vocabulary import N_

CONFIRM_DAYS = 180
LINK_DAYS = 14
BY_PROVIDER = "the provider (verification mail)"


@dataclass(frozen=True)
class Due:
    listing: Listing
    address: str
    # False: nobody manages the listing; the address is the operator's intake e-mail.
    claimed: bool = True


def due_listings(
    session: Session, now: datetime | None = None, confirm_days: int = CONFIRM_DAYS
) -> list[Due]:
    """Active listings to ask, each with the address to ask at, without an open request: a
    claimed listing at its approved claim's work e-mail, an unclaimed one at its intake
    e-mail unless it was asked within ``confirm_days`` (one without either is not asked)."""
    now = now or utcnow()
    stale_before = (now - timedelta(days=confirm_days)).date()
    due_now = (
        Listing.status == ACTIVE,
        or_(
            Listing.last_verified_on.is_(None),
            Listing.last_verified_on < stale_before,
            Listing.availability_expires_at.is_(None),
            Listing.availability_expires_at <= now,
        ),
    )
    owned = session.execute(
        select(Listing, Claim.work_email)
        .join(Claim, Claim.listing_id == Listing.id)
        .where(Claim.status == claim.APPROVED, *due_now)
        .order_by(Listing.id, Claim.id)
    ).all()
    is_claimed = (
        select(Claim.id)
        .where(Claim.listing_id == Listing.id, Claim.status == claim.APPROVED)
        .exists()
    )
    # Nobody there asked to hear from us: at most one mail per policy period, answered or
    # not (an availability nobody gives would otherwise ask again each time a link lapses).
    asked_lately = (
        select(VerificationRequest.id)
        .where(
            VerificationRequest.listing_id == Listing.id,
            VerificationRequest.sent_at > now - timedelta(days=confirm_days),
        )
        .exists()
    )
    unclaimed = session.scalars(
        select(Listing)
        .where(*due_now, Listing.intake_email.is_not(None), Listing.intake_email != "")
        .where(~is_claimed, ~asked_lately)
        .order_by(Listing.id)
    ).all()
    open_requests = set(
        session.scalars(
            select(VerificationRequest.listing_id).where(
                VerificationRequest.used_at.is_(None), VerificationRequest.expires_at > now
            )
        )
    )
    candidates = [(listing, address, True) for listing, address in owned]
    candidates += [(listing, listing.intake_email, False) for listing in unclaimed]
    due, seen = [], set()
    for listing, address, claimed in candidates:
        if listing.id in seen or listing.id in open_requests or not address:
            continue
        seen.add(listing.id)
        due.append(Due(listing, address, claimed))
    due.sort(key=lambda item: item.listing.id)
    return due


def is_claimed(session: Session, listing_id: str) -> bool:
    """Whether someone manages the listing (an approved claim): else a link's pages offer
    the claim path rather than signing in."""
    statement = select(Claim.id).where(
        Claim.listing_id == listing_id, Claim.status == claim.APPROVED
    )
    return session.scalar(statement.limit(1)) is not None


def open_request(
    session: Session, listing: Listing, address: str, now=None, link_days: int = LINK_DAYS
) -> VerificationRequest:
    now = now or utcnow()
    request = VerificationRequest(
        listing_id=listing.id,
        sent_to=address,
        sent_at=now,
        expires_at=now + timedelta(days=link_days),
    )
    session.add(request)
    session.flush()
    return request


FORGED = N_("This link is not one we sent, or it was changed on the way.")
WRONG_PURPOSE = N_("This link is for something else. Use the link for what you want to do.")
SPENT = N_("This link was already used: each link works once. Nothing was changed.")
EXPIRED = N_("This link has expired, so nothing was changed. We will send you a new one.")


class LinkRefused(DirectoryError):
    """A verification link that may not be used: forged or for another purpose."""


class LinkGone(LinkRefused):
    """A verification link that was already used, or has expired."""

    status = 410


def usable_request(
    session: Session, request_id: int, purpose: str, now: datetime | None = None
) -> VerificationRequest:
    """The request a link stands for, if it may still be used for ``purpose``."""
    request = session.get(VerificationRequest, request_id)
    if request is None or purpose not in PURPOSES:
        raise LinkRefused(FORGED)
    if request.used_at is not None:
        raise LinkGone(SPENT)
    if (now or utcnow()) >= request.expires_at:
        raise LinkGone(EXPIRED)
    return request


def _spend(request: VerificationRequest, purpose: str) -> None:
    request.used_at, request.used_for = utcnow(), purpose


def confirm_listing(session: Session, request: VerificationRequest) -> Listing:
    """'Still correct': the listing's details are confirmed today, by the provider."""
    listing = request.listing
    before = (listing.last_verified_on, listing.last_verified_by)
    listing.last_verified_on, listing.last_verified_by = utcnow().date(), BY_PROVIDER
    changes = {
        "last_verified_on": (str(before[0]) if before[0] else None, str(listing.last_verified_on)),
        "last_verified_by": (before[1], BY_PROVIDER),
    }
    record_change(session, listing, audit.VERIFIED, changes, actor=_actor(request))
    _spend(request, CONFIRM)
    return listing


def set_availability(
    session: Session,
    request: VerificationRequest,
    status: str,
    wait_days: int | None,
    days: int = availability.DEFAULT_DAYS,
    by_care_level: dict[str, tuple[str, int | None]] | None = None,
) -> Listing:
    """'Update availability' from the link: published at once and audited, like a signed-in
    change (the listing's current version is the base: the page was just loaded)."""
    listing = request.listing
    update_availability(
        session,
        listing,
        None,
        status,
        wait_days,
        listing.version,
        days=days,
        source=availability.VERIFICATION_LINK,
        actor=_actor(request),
        by_care_level=by_care_level,
    )
    _spend(request, "availability")
    return listing


def set_hours(
    session: Session,
    request: VerificationRequest,
    intervals,
    walk_in: bool | None,
    intake_24h: bool | None,
) -> Listing:
    """Hours and walk-in from the link's update page: published at once and audited, like a
    signed-in change. The link is spent by the availability saved with them."""
    listing = request.listing
    unchanged = (weekly.stored(weekly.week_of(listing.hours)), listing.walk_in, listing.intake_24h)
    proposed = (None if intervals is None else weekly.stored(intervals), walk_in, intake_24h)
    if proposed == unchanged:
        return listing  # the hours were only looked at: nothing to publish or confirm
    hours.update_hours(
        session,
        listing,
        None,
        intervals,
        walk_in,
        intake_24h,
        listing.version,
        source=hours.VERIFICATION_LINK,
        actor=_actor(request),
    )
    return listing


def report_closed(session: Session, request: VerificationRequest, details: str) -> ProblemReport:
    """'We have closed or moved': to the admins' queue (nothing changes on the listing)."""
    report = ProblemReport(
        listing_id=request.listing_id,
        kind="closed",
        details=("The provider says (verification mail): " + (details or "").strip())[:2000],
        contact=request.sent_to,
    )
    session.add(report)
    session.flush()
    _spend(request, CLOSED)
    return report


def _actor(request: VerificationRequest) -> str:
    return f"verification link to {request.sent_to}"
