"""The admin's decisions on what an import left open: possible duplicates and withdrawals.

Merging keeps one listing (the survivor) and marks the other ``merged`` (its URL redirects
to the survivor; later imports of its facility update the survivor). Marking a pair distinct
is remembered: the import does not queue it again. A listing people changed that the latest
full release lacks is withdrawn or kept by the admin. Each decision is in the audit trail;
the operations flush, the view commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.models import Account, Listing, ListingReview, audit
from directory.models import release as reviews
from directory.models.listing import ACTIVE, ADDRESS_AND_PHONES, MERGED, WITHDRAWN, utcnow
from directory.operations.moderation import record_change
from directory.vocabulary import N_

# The fields an admin compares side by side.
COMPARED_FIELDS = (*ADDRESS_AND_PHONES, "source", "status", "release", "facility_id")


def _open(review: ListingReview, kind: str) -> None:
    if review.status != reviews.OPEN or review.kind != kind:
        raise DirectoryError(N_("This item was already decided."))


def _decide(review: ListingReview, status: str, admin: Account) -> None:
    review.status = status
    review.decided_at = utcnow()
    review.decided_by = admin.email


def merge_duplicates(
    session: Session, review: ListingReview, survivor_id: str, admin: Account
) -> Listing:
    """Keep ``survivor_id`` (one of the pair); the other redirects to it from now on."""
    _open(review, reviews.POSSIBLE_DUPLICATE)
    pair = {review.listing_id, review.other_id}
    if survivor_id not in pair:
        raise DirectoryError(N_("Choose which of the two listings to keep."))
    survivor = session.get(Listing, survivor_id)
    merged = session.get(Listing, (pair - {survivor_id}).pop())
    if survivor.status == MERGED or merged.status == MERGED:
        raise DirectoryError(N_("One of these listings was already merged into another."))
    if merged.status == ACTIVE and survivor.status != ACTIVE:
        _set_status(session, survivor, ACTIVE, admin)
    if merged.facility_id and not survivor.facility_id and merged.source == survivor.source:
        survivor.facility_id = merged.facility_id  # ids are each source's own
    before = merged.status
    merged.status, merged.merged_into = MERGED, survivor.id
    record_change(
        session,
        merged,
        audit.ADMIN_CHANGE,
        {"status": (before, MERGED), "merged_into": (None, survivor.id)},
        account=admin,
    )
    _decide(review, reviews.MERGED, admin)
    return survivor


def mark_distinct(session: Session, review: ListingReview, admin: Account) -> None:
    """The two are different facilities: both stay, and no import asks again."""
    _open(review, reviews.POSSIBLE_DUPLICATE)
    _decide(review, reviews.DISTINCT, admin)
    session.flush()


def decide_withdrawal(
    session: Session, review: ListingReview, withdraw: bool, admin: Account
) -> Listing:
    """Withdraw a listing the latest release lacks, or keep it active (it is still open)."""
    _open(review, reviews.CONFIRM_WITHDRAWAL)
    listing = session.get(Listing, review.listing_id)
    if withdraw and listing.status == ACTIVE:
        _set_status(session, listing, WITHDRAWN, admin)
    _decide(review, reviews.WITHDRAWN if withdraw else reviews.KEPT, admin)
    session.flush()
    return listing


def _set_status(session: Session, listing: Listing, status: str, admin: Account) -> None:
    before, listing.status = listing.status, status
    record_change(session, listing, audit.ADMIN_CHANGE, {"status": (before, status)}, account=admin)
