"""Callers close the loop: "Did you reach them?" outcomes, and the queue they feed.

An outcome is recorded with nothing about the person. A listing takes at most
``PER_LISTING_PER_DAY`` outcomes a day (more are thanked but not kept), so nobody can flood
it; when ``FAILURES_TO_QUEUE`` callers in ``FAILURE_WINDOW_DAYS`` days said the number did
not work, with nobody reaching it since, the listing goes to the admins' problem reports
(once: not again while that report is open).

A caller who reached the listing and was told it can help confirms it for ranking (the
freshness points of ``directory.matching``, like a provider's "still correct"). The search
index sees it through the catalog revision, bumped for the listing's first such answer in
``HELPED_REFRESH`` (a day): later ones that day would move its freshness by less than a
hundredth of those points, so they wait for the listing's next change rather than have
anonymous answers patch every process's index (and lock the revision row) each time. The
bump is not a change to the listing's record, so the changes feed does not list it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.models import Listing, ProblemReport, problem_report
from directory.models.catalog import bump_revision
from directory.models.listing import utcnow
from directory.models.reach_report import HELPED, NUMBER_FAILED, OUTCOMES, REACHED, ReachReport
from directory.vocabulary import N_

PER_LISTING_PER_DAY = 30
FAILURES_TO_QUEUE = 3
FAILURE_WINDOW_DAYS = 30
HELPED_REFRESH = timedelta(days=1)


def record_outcome(
    session: Session, listing: Listing, outcome: str, now: datetime | None = None
) -> ReachReport | None:
    """Keep a caller's outcome (``None`` when the listing had its fill today); queue the
    listing for the admins after repeated failures."""
    if outcome not in OUTCOMES:
        raise DirectoryError(N_("Choose one of the answers."), field="outcome")
    now = now or utcnow()
    today = session.scalar(
        select(func.count(ReachReport.id)).where(
            ReachReport.listing_id == listing.id,
            ReachReport.created_at > now - timedelta(days=1),
        )
    )
    if today >= PER_LISTING_PER_DAY:
        return None
    if outcome == HELPED:
        _refresh_freshness(session, listing, now)
    report = ReachReport(listing_id=listing.id, outcome=outcome, created_at=now)
    session.add(report)
    session.flush()
    if outcome == NUMBER_FAILED:
        _queue_if_unreachable(session, listing, now)
    return report


def _refresh_freshness(session: Session, listing: Listing, now: datetime) -> None:
    """Let searches see a caller's confirmation, once a day per listing at most."""
    previous = session.scalar(
        select(func.max(ReachReport.created_at)).where(
            ReachReport.listing_id == listing.id, ReachReport.outcome == HELPED
        )
    )
    if previous is None or now - previous >= HELPED_REFRESH:
        bump_revision(session, [listing.id], feed=False)


def _queue_if_unreachable(session: Session, listing: Listing, now: datetime) -> None:
    since = now - timedelta(days=FAILURE_WINDOW_DAYS)
    reached = last_reached(session, [listing.id]).get(listing.id)
    if reached is not None and reached > since:
        since = reached
    failures = session.scalar(
        select(func.count(ReachReport.id)).where(
            ReachReport.listing_id == listing.id,
            ReachReport.outcome == NUMBER_FAILED,
            ReachReport.created_at > since,
        )
    )
    if failures < FAILURES_TO_QUEUE:
        return
    details = f"{failures} callers said the number did not work since {since:%Y-%m-%d}."
    queue_unreachable(session, listing, details)


def queue_unreachable(session: Session, listing: Listing, details: str) -> ProblemReport:
    """Put the listing in the admins' queue of unreachable listings, unless it is there
    already (an open report): that report is kept, and returned."""
    already = session.scalar(
        select(ProblemReport).where(
            ProblemReport.listing_id == listing.id,
            ProblemReport.kind == problem_report.UNREACHABLE,
            ProblemReport.status == problem_report.OPEN,
        )
    )
    if already is not None:
        return already
    report = ProblemReport(listing_id=listing.id, kind=problem_report.UNREACHABLE, details=details)
    session.add(report)
    session.flush()
    return report


def last_reached(session: Session, listing_ids: list[str]) -> dict[str, datetime]:
    """When a caller last said they reached each listing (listings never reached are absent)."""
    if not listing_ids:
        return {}
    rows = session.execute(
        select(ReachReport.listing_id, func.max(ReachReport.created_at))
        .where(ReachReport.listing_id.in_(listing_ids), ReachReport.outcome.in_(REACHED))
        .group_by(ReachReport.listing_id)
    )
    return {listing_id: moment for listing_id, moment in rows}
