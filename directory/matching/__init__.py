"""The matcher: which providers answer a person's needs, in what order, and why.

Design. ``ProviderIndex.build(records)`` turns plain ``ProviderRecord`` objects into an
in-memory column index: numpy arrays of latitude/longitude (rows sorted by latitude),
state, and for each vocabulary family a ``uint64`` bitmask of the codes offered plus a
"reported" boolean (no data is *unknown*, not *no*); co-occurring care, telehealth and
availability are small integer arrays. Names and ids stay in Python lists. A query first
takes the latitude band of the radius by binary search and then a longitude window scaled
by 1/cos(latitude) (vectorised; the window opens to every longitude when the circle would
reach a pole, so any radius works), adds the telehealth providers of the person's state
from a per-state index, computes haversine distances and grades every criterion with bit
operations on that candidate slice, and scores and sorts the candidates as arrays.
``MatchResult`` and its explanations are built only for the page of results asked for
(``offset``/``limit``), while ``MatchOutcome.total`` still counts every result. The app
rebuilds the index when the catalog revision counter in the database moves. Why: speed
(target p95 <= 10 ms per match over ~19,000 providers, radius <= 100 miles, up to 6
criteria; <= 2x that over 200,000) and memory (about 184 bytes of arrays per provider,
under the 200-byte budget). See ``bench/bench_matching.py``.

The score, in plain words. Each criterion of the search counts for 1 point when it is a
preference and 4 points when it is a must-have. A criterion that is met earns all of its
points, one the provider has not reported ("call to confirm") earns half, one that is not
met earns none; for co-occurring care, integrated care earns all the points and a
co-occurring program 0.8 of them. Availability earns up to 0.5 point: accepting new clients
0.5, accepting after an assessment 0.4, a waitlist 0.3, unknown 0.25 (so is a status nobody
confirmed before it expired, by default 14 days after it was set), not accepting 0; when
the search asks for care levels and the provider said its availability per care level, the
best status among the asked levels it offers counts (a level it gave no status of its own
has the listing's).
Freshness earns up to 0.25 point: a listing whose provider or directory staff confirmed its
details, availability or hours today, or that a caller reached today and was told it can
help, earns it all, one confirmed 90 days ago half, older
ones less and less, one never confirmed nothing (so of two otherwise equal places, the one
confirmed recently comes first). Closeness earns up to 1 point: 1 / (1 + distance / radius),
so a provider at the origin gets 1, one at the edge of the radius 0.5, and a telehealth
provider that is not located 0. The score is the points earned divided by the points
possible, between 0 and 1, shown rounded to 2 decimals. Results are sorted by the exact
score, highest first, then by distance, name and id. Because every part only grows when a
provider is better on it, a provider at least as good as another on every criterion, on
availability, on freshness and on distance, and better on one, always ranks above it.

Rules (DESIGN.md section 4): no result has a must-have unmet; results lie within the
radius, except that when the person accepts telehealth, providers offering telehealth in
the person's state are included at any distance and those beyond the radius (or not
located) are flagged ``telehealth_match``; a search of a whole state reaches every provider
located in the state; when there are fewer than 3 results, ``alternatives`` lists first
the nearest providers beyond the radius that meet every must-have, wherever they are (the
search widens 2, 4, 8, 16 and 64 radii, then looks at every located provider, until it has
found them), each lacking ``distance``, then the nearest within reach that miss exactly one
must-have, each with what it ``lacks``: at most 10, up to 3 of them kept for the second
group when it has any. ``total_all_met`` counts the results meeting every criterion.
"""

from directory.matching.index import (
    EARTH_RADIUS_MILES,
    ProviderIndex,
    ProviderRecord,
    great_circle_miles,
)
from directory.matching.matcher import CriterionResult, MatchOutcome, MatchResult, match
from directory.matching.needs import CRITERIA, InvalidNeeds, Needs, Origin, validate
from directory.matching.reasons import Reason, render_reason

__all__ = [
    "CRITERIA",
    "EARTH_RADIUS_MILES",
    "CriterionResult",
    "InvalidNeeds",
    "MatchOutcome",
    "MatchResult",
    "Needs",
    "Origin",
    "ProviderIndex",
    "ProviderRecord",
    "Reason",
    "great_circle_miles",
    "match",
    "render_reason",
    "validate",
]
