"""The matcher: filter, grade and score candidates with numpy, then explain the returned page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from directory.matching.explain import (
    MET,
    UNKNOWN,
    UNMET,
    CriterionResult,
    Explanations,
)
from directory.matching.index import ProviderIndex, bits_of, timestamp
from directory.matching.needs import ANY_OF, CRITERION_FAMILY, Needs, Origin, validate

# Score weights (see the package docstring for the score in plain words).
REQUIRED_WEIGHT = 4.0
PREFERENCE_WEIGHT = 1.0
AVAILABILITY_WEIGHT = 0.5
DISTANCE_WEIGHT = 1.0
FRESHNESS_WEIGHT = 0.25
FRESHNESS_HALF_DAYS = 90.0  # a confirmation this old earns half the freshness points

# Value of each grade (unmet, unknown, met, met-enhanced) in the score.
_GRADE_VALUE = np.array([0.0, 0.5, 1.0, 1.0])
_CO_OCCURRING_VALUE = np.array([0.0, 0.5, 0.8, 1.0])  # capable 0.8, enhanced 1.0
# Index arrays hold -1 for unknown, so these tables are looked up at ``value + 1``.
# Availability: unknown (or expired), not accepting, waitlist, assessment required, accepting.
_AVAILABILITY_VALUE = np.array([0.5, 0.0, 0.6, 0.8, 1.0])
_DUAL_GRADE = np.array([UNKNOWN, UNMET, MET, MET + 1], dtype=np.int8)  # ?, none, capable, enh.
_TRI_GRADE = np.array([UNKNOWN, UNMET, MET], dtype=np.int8)  # ?, no, yes

FEW_RESULTS = 3  # below this many results, alternatives are offered
KEPT_FOR_ONE_SHORT = 3  # alternatives kept for near misses after the farther full fits
# How far (in radii) the search for farther full fits widens, step by step, before it
# looks at every located provider.
WIDER_REACHES = (2.0, 4.0, 8.0, 16.0, 64.0)


@dataclass(frozen=True)
class MatchResult:
    """A provider in the results (or alternatives), with its score and every criterion explained.

    ``score`` is rounded to 2 decimals for display; ordering used the exact value.
    ``distance_miles`` is exact (``None`` when the provider is not located).
    ``telehealth_match`` is true only for providers listed *because* they offer telehealth in
    the person's state while lying beyond the radius (or not being located).
    """

    provider_id: str
    name: str
    distance_miles: float | None
    telehealth_match: bool
    score: float
    criteria: tuple[CriterionResult, ...]
    lacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchOutcome:
    """The requested page of results, all alternatives, and ``total`` results across pages."""

    results: list[MatchResult]
    alternatives: list[MatchResult]
    total: int | None = field(default=None)
    total_all_met: int = 0

    def __post_init__(self):
        if self.total is None:
            object.__setattr__(self, "total", len(self.results))


@dataclass
class _Evaluation:
    """Every candidate of one query, as parallel arrays (one entry per candidate)."""

    rows: np.ndarray
    distance: np.ndarray
    within: np.ndarray
    by_telehealth: np.ndarray
    grades: np.ndarray  # criteria x candidates
    unmet_required: np.ndarray
    score: np.ndarray

    @property
    def eligible(self) -> np.ndarray:
        return self.within | self.by_telehealth


def match(
    index: ProviderIndex,
    needs: Needs,
    origin: Origin,
    *,
    max_alternatives: int = 10,
    offset: int = 0,
    limit: int | None = None,
    order: str = "best",
    now: datetime | None = None,
) -> MatchOutcome:
    """Providers matching ``needs`` around ``origin``, best first (DESIGN.md section 4).

    Only the page ``[offset, offset + limit)`` of results is built (``limit=None``: all);
    ``MatchOutcome.total`` counts every result and ``total_all_met`` those meeting every
    criterion. Alternatives are given when there are fewer than 3 results in total.
    ``order="distance"`` lists the same results nearest first (a person's choice; the
    default "best" order is the one that respects dominance).
    Availability that expired before ``now`` (naive UTC; default: the present) is unknown.
    """
    validate(needs)
    moment = timestamp(now or datetime.now(UTC).replace(tzinfo=None))
    evaluation = _evaluate(index, needs, origin, 1.0, moment)
    is_result = evaluation.eligible & (evaluation.unmet_required == 0)
    end = None if limit is None else offset + limit
    ranked, total = _rank_results(index, evaluation, is_result, order, end)
    explanations = Explanations(index, needs, origin)
    page = _results(explanations, evaluation, ranked[offset:end])
    all_met = int((is_result & (evaluation.grades >= MET).all(axis=0)).sum())
    alternatives = []
    if total < FEW_RESULTS:
        alternatives = _alternatives(explanations, evaluation, is_result, max_alternatives, moment)
    return MatchOutcome(page, alternatives, total=total, total_all_met=all_met)


def _alternatives(
    explanations: Explanations, evaluation, is_result, most: int, now: float
) -> list[MatchResult]:
    """Rule 6: the nearest places with every must-have beyond the radius (wherever they
    are), then the nearest within it that miss exactly one must-have; at most ``most``, up
    to ``KEPT_FOR_ONE_SHORT`` of them kept for the second group when it has any."""
    index, needs, origin = explanations.index, explanations.needs, explanations.origin
    one_short = np.flatnonzero(evaluation.eligible & (evaluation.unmet_required == 1) & ~is_result)
    one_short = one_short[_nearest_first(index, evaluation, one_short)]
    room = most - min(KEPT_FOR_ONE_SHORT, len(one_short))
    farther, far_evaluation = _farther_with_every_must_have(index, needs, origin, room, now)
    chosen = _results(explanations, far_evaluation, farther, alternatives=True)
    nearer = one_short[: most - len(chosen)]
    return chosen + _results(explanations, evaluation, nearer, alternatives=True)


def _nearest_first(index, evaluation: _Evaluation, positions: np.ndarray) -> np.ndarray:
    keys = (index.name_rank[evaluation.rows[positions]], evaluation.distance[positions])
    return np.lexsort(keys)


def _farther_with_every_must_have(index, needs, origin, wanted: int, now: float):
    """Positions of the ``wanted`` nearest providers beyond the radius with no must-have
    unmet, and the evaluation they index: the search widens until it has found them."""
    radius = needs.radius_miles
    for reach in (*WIDER_REACHES, None):
        evaluation = _evaluate(index, needs, origin, reach, now)
        fits = (
            (evaluation.unmet_required == 0)
            & ~evaluation.eligible
            & np.isfinite(evaluation.distance)
        )
        found = np.flatnonzero(fits)
        if reach is not None:
            found = found[evaluation.distance[found] <= radius * reach]
        if wanted <= 0 or len(found) >= wanted or reach is None:
            return found[_nearest_first(index, evaluation, found)][: max(wanted, 0)], evaluation
    raise AssertionError("unreachable")  # pragma: no cover


def _candidates(index: ProviderIndex, needs: Needs, origin: Origin, reach) -> np.ndarray:
    """Rows in the bounding box of ``reach`` x radius (``None``: every located provider),
    plus every provider in the state when the search is of a whole state, and the
    telehealth providers in the state when telehealth is welcome."""
    if reach is None:
        return np.arange(index.located_count, dtype=np.int32)
    miles = needs.radius_miles * reach
    rows = index.rows_near(origin.lat, origin.lon, miles)
    if origin.whole_state:
        in_state = index.rows_in_state(origin.state)
        outside = in_state[~index.in_box(in_state, origin.lat, origin.lon, miles)]
        rows = np.concatenate((rows, outside.astype(rows.dtype)))
    if needs.telehealth and origin.state:
        in_state = index.telehealth_rows.get(origin.state.upper())
        if in_state is not None and len(in_state):
            outside = in_state[~index.in_box(in_state, origin.lat, origin.lon, miles)]
            rows = np.concatenate((rows, outside.astype(rows.dtype)))
    return rows


def _evaluate(
    index: ProviderIndex, needs: Needs, origin: Origin, reach: float | None, now: float
) -> _Evaluation:
    rows = _candidates(index, needs, origin, reach)
    distance = index.distances(rows, origin.lat, origin.lon)
    criteria = needs.criteria()
    grades = np.empty((len(criteria), len(rows)), dtype=np.int8)
    for i, criterion in enumerate(criteria):
        grades[i] = grade(index, criterion, needs, rows, now)
    required = np.array([c in needs.required for c in criteria], dtype=bool)
    within = _within(index, needs, origin, rows, distance)
    by_telehealth = _telehealth_eligible(index, needs, origin, rows) & ~within
    return _Evaluation(
        rows=rows,
        distance=distance,
        within=within,
        by_telehealth=by_telehealth,
        grades=grades,
        unmet_required=(grades[required] == UNMET).sum(axis=0),
        score=_score(index, needs, rows, grades, required, distance, now),
    )


def _within(index, needs, origin, rows, distance) -> np.ndarray:
    """In reach: within the radius, or anywhere in the state for a search of a whole state."""
    if origin.whole_state:
        return (index.state[rows] == index.state_code(origin.state)) & np.isfinite(distance)
    return distance <= needs.radius_miles


def grade(
    index: ProviderIndex, criterion: str, needs: Needs, rows: np.ndarray, now: float | None = None
) -> np.ndarray:
    """Each row's grade on one criterion: UNMET, UNKNOWN, MET (or MET + 1 for enhanced).
    "Open now" is at ``now`` (epoch seconds; default: the present)."""
    if criterion == "co_occurring":
        return _DUAL_GRADE[index.dual[rows] + 1]
    if criterion == "telehealth":
        return _TRI_GRADE[index.telehealth[rows] + 1]
    if criterion == "walk_in":
        return _TRI_GRADE[index.walk_in[rows] + 1]
    if criterion == "open_now":
        moment = timestamp(datetime.now(UTC).replace(tzinfo=None)) if now is None else now
        return _TRI_GRADE[index.open_by_hours(rows, moment) + 1]
    family = CRITERION_FAMILY[criterion]
    wanted = np.uint64(bits_of(family, needs.wanted(criterion)))
    offered = index.masks[family][rows] & wanted
    has = offered != 0 if criterion in ANY_OF else offered == wanted
    # What is known to be offered is met even in a family not reported as a whole (every
    # provider offers English); otherwise no data is unknown, not unmet.
    missing = np.where(index.reported[family][rows], np.int8(UNMET), np.int8(UNKNOWN))
    return np.where(has, np.int8(MET), missing).astype(np.int8)


def _telehealth_eligible(index, needs, origin, rows) -> np.ndarray:
    code = index.state_code(origin.state) if origin.state else -1
    if not needs.telehealth or code < 0:
        return np.zeros(len(rows), dtype=bool)
    return (index.state[rows] == code) & (index.telehealth[rows] == 1)


def _score(index, needs, rows, grades, required, distance, now) -> np.ndarray:
    """Weighted mean of criterion values, availability and closeness, in [0, 1]."""
    total = np.zeros(len(rows))
    weight_sum = AVAILABILITY_WEIGHT + DISTANCE_WEIGHT + FRESHNESS_WEIGHT
    for i, criterion in enumerate(needs.criteria()):
        weight = REQUIRED_WEIGHT if required[i] else PREFERENCE_WEIGHT
        values = _CO_OCCURRING_VALUE if criterion == "co_occurring" else _GRADE_VALUE
        total += weight * values[grades[i]]
        weight_sum += weight
    availability = index.availability_at(rows, now, needs.care_levels)
    total += AVAILABILITY_WEIGHT * _AVAILABILITY_VALUE[availability + 1]
    total += DISTANCE_WEIGHT / (1.0 + distance / needs.radius_miles)  # 0 when not located
    total += FRESHNESS_WEIGHT * _freshness(index.confirmed[rows], now)
    return total / weight_sum


def _freshness(confirmed: np.ndarray, now: float) -> np.ndarray:
    """1 for a confirmation now, 1/2 at ``FRESHNESS_HALF_DAYS`` old, falling towards 0; 0
    never confirmed. Only ever lower for an older confirmation (dominance holds)."""
    age_days = np.maximum(now - confirmed, 0.0) / 86_400.0  # inf when never
    return 1.0 / (1.0 + age_days / FRESHNESS_HALF_DAYS)


def _rank_results(
    index, evaluation: _Evaluation, is_result: np.ndarray, order: str, need: int | None
) -> tuple[np.ndarray, int]:
    """The first ``need`` results' candidate positions in order, and how many results there are.

    Order: exact score desc, then distance, name, id; or, with ``order="distance"``, nearest
    first, then score, name, id. Only the results that can reach the first ``need`` places
    (the ``need`` best by the first key, and all tied with the last of them) are sorted.
    """
    chosen = np.flatnonzero(is_result)
    total = len(chosen)
    primary = evaluation.distance if order == "distance" else -evaluation.score
    if need is not None and 0 < need < total:
        first_keys = primary[chosen]
        cutoff = np.partition(first_keys, need - 1)[need - 1]
        chosen = chosen[first_keys <= cutoff]
    names = index.name_rank[evaluation.rows[chosen]]
    distance, score = evaluation.distance[chosen], -evaluation.score[chosen]
    keys = (names, score, distance) if order == "distance" else (names, distance, score)
    return chosen[np.lexsort(keys)][:need], total


def _results(
    explanations: Explanations, evaluation: _Evaluation, positions, alternatives: bool = False
) -> list[MatchResult]:
    """The results (or alternatives, with what each lacks) at these candidate positions."""
    index = explanations.index
    rows = evaluation.rows[positions]
    criteria = explanations.explained(evaluation.grades[:, positions], rows)
    distances = evaluation.distance[positions].tolist()
    by_telehealth = evaluation.by_telehealth[positions].tolist()
    scores = np.round(evaluation.score[positions], 2).tolist()
    results = []
    for k, row in enumerate(rows.tolist()):
        lacks = ()
        if alternatives:
            failed = (c.criterion for c in criteria[k] if c.required and c.status == "unmet")
            lacks = tuple(failed) or ("distance",)
        results.append(
            MatchResult(
                provider_id=index.ids[row],
                name=index.names[row],
                distance_miles=distances[k] if math.isfinite(distances[k]) else None,
                telehealth_match=by_telehealth[k],
                score=scores[k],
                criteria=criteria[k],
                lacks=lacks,
            )
        )
    return results
