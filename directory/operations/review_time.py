"""How long review usually takes, measured from the decisions admins actually made.

The provider landing page quotes it instead of a promise: the median time from a request
(a claim, or a proposed change or new listing) to its decision, over the decisions of the
last ``window_days``. With fewer than ``minimum`` decisions there is no honest figure, and
the answer is ``None``.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Claim, ListingEdit
from directory.models.listing import utcnow

WINDOW_DAYS = 90
MINIMUM_DECISIONS = 5


@dataclass(frozen=True)
class ReviewTime:
    """Half of the ``decisions`` of the last ``window_days`` took at most ``median_days``."""

    median_days: int
    decisions: int
    window_days: int


def usual_review_time(
    session: Session,
    model: type[Claim] | type[ListingEdit],
    now: datetime | None = None,
    window_days: int = WINDOW_DAYS,
    minimum: int = MINIMUM_DECISIONS,
) -> ReviewTime | None:
    """The median days from request to decision for ``model`` (claims or listing edits),
    counted in whole days and rounded up (a same-day decision is 1 day), or ``None``."""
    since = (now or utcnow()) - timedelta(days=window_days)
    rows = session.execute(
        select(model.created_at, model.decided_at).where(
            model.decided_at.is_not(None), model.decided_at >= since
        )
    ).all()
    waits = [(decided - created).total_seconds() / 86_400 for created, decided in rows]
    if len(waits) < minimum:
        return None
    median = max(1, math.ceil(statistics.median(waits)))
    return ReviewTime(median_days=median, decisions=len(waits), window_days=window_days)
