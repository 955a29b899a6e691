"""The directory's freshness, for the admins' data-quality page and its CSV.

Shares of listings whose details were confirmed within 90, 180 and 365 days, by state and
by source; availability that has expired; open "callers could not get through" reports;
verification requests nobody answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from directory.listings import availability
from directory.models import Listing, ProblemReport, VerificationRequest, problem_report
from directory.models.listing import ACTIVE, utcnow

WINDOWS = (90, 180, 365)


@dataclass(frozen=True)
class Freshness:
    group: str  # a state, a source, or "" for the whole directory
    listings: int
    confirmed: tuple[int, ...]  # within each of WINDOWS days

    def share(self, i: int) -> float:
        return self.confirmed[i] / self.listings if self.listings else 0.0


@dataclass(frozen=True)
class Quality:
    overall: Freshness
    by_state: list[Freshness]
    by_source: list[Freshness]
    availability_live: int
    availability_expired: int
    unreachable_open: int
    requests_open: int
    requests_unanswered: int


def _listed():
    """Listings the public can find (withdrawn and merged ones are left out)."""
    return (Listing.name != "") & (Listing.status == ACTIVE)


def _freshness(session: Session, column, now: datetime) -> list[Freshness]:
    confirmed = [
        func.sum(case((Listing.last_verified_on >= (now - timedelta(days=d)).date(), 1), else_=0))
        for d in WINDOWS
    ]
    group = column if column is not None else literal("")
    statement = select(group, func.count(Listing.id), *confirmed).where(_listed())
    if column is not None:
        statement = statement.group_by(column).order_by(column)
    return [
        Freshness(name or "", count, tuple(int(v or 0) for v in values))
        for name, count, *values in session.execute(statement)
    ]


def measure(session: Session, now: datetime | None = None) -> Quality:
    now = now or utcnow()
    (overall,) = _freshness(session, None, now)
    known = Listing.availability_status != availability.UNKNOWN
    live = session.scalar(
        select(func.count(Listing.id)).where(
            _listed(), known, Listing.availability_expires_at > now
        )
    )
    expired = session.scalar(
        select(func.count(Listing.id)).where(
            _listed(), known, Listing.availability_expires_at <= now
        )
    )
    unreachable = session.scalar(
        select(func.count(ProblemReport.id)).where(
            ProblemReport.kind == problem_report.UNREACHABLE,
            ProblemReport.status == problem_report.OPEN,
        )
    )
    unanswered = VerificationRequest.used_at.is_(None)
    return Quality(
        overall=overall,
        by_state=_freshness(session, Listing.state, now),
        by_source=_freshness(session, Listing.source, now),
        availability_live=live or 0,
        availability_expired=expired or 0,
        unreachable_open=unreachable or 0,
        requests_open=session.scalar(
            select(func.count(VerificationRequest.id)).where(
                unanswered, VerificationRequest.expires_at > now
            )
        )
        or 0,
        requests_unanswered=session.scalar(
            select(func.count(VerificationRequest.id)).where(
                unanswered, VerificationRequest.expires_at <= now
            )
        )
        or 0,
    )


def csv_rows(quality: Quality) -> list[list]:
    """The dashboard as CSV rows: one per state and per source, with counts and shares."""
    header = ["group", "value", "listings"]
    for days in WINDOWS:
        header += [f"confirmed_{days}d", f"share_{days}d"]
    rows = [header]
    groups = [("all", quality.overall)]
    groups += [("state", item) for item in quality.by_state]
    groups += [("source", item) for item in quality.by_source]
    for kind, item in groups:
        row = [kind, item.group, item.listings]
        for i in range(len(WINDOWS)):
            row += [item.confirmed[i], f"{item.share(i):.3f}"]
        rows.append(row)
    return rows
