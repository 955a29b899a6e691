"""Properties of the matcher over random providers and searches (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.listings.availability import STATUSES
from directory.matching import (
    CRITERIA,
    Needs,
    Origin,
    ProviderIndex,
    ProviderRecord,
    great_circle_miles,
    match,
    render_reason,
)
from directory.matching.index import MASK_FIELDS
from directory.matching.needs import ANY_OF, CRITERION_FAMILY
from directory.vocabulary import FAMILIES

ORIGIN_LAT, ORIGIN_LON = 39.74, -104.99
RANK = {"unmet": 0, "unknown": 1, "met": 2}
# Availability, worst to best: what dominance compares (an expired status is unknown).
AVAILABILITY = {"not_accepting": 0, "unknown": 1, None: 1, "waitlist": 2}
AVAILABILITY |= {"assessment_required": 3, "accepting": 4}
NOW = datetime(2026, 6, 1)
PAST, FUTURE = NOW - timedelta(days=1), NOW + timedelta(days=1)


# When a provider last confirmed the listing (freshness: the more recent, the better).
CONFIRMED_ON = [None, NOW.date(), (NOW - timedelta(days=30)).date(), date(2024, 1, 2)]


def freshness(record) -> float:
    return -float("inf") if record.last_verified_on is None else record.last_verified_on.toordinal()


def availability(record) -> int:
    expired = record.availability_expires_at is not None and record.availability_expires_at <= NOW
    return AVAILABILITY[None if expired else record.availability_status]


NEEDS_FIELDS = {
    "care_level": "care_levels",
    "therapy": "therapies",
    "medication": "medications",
    "payment": "payments",
    "population": "populations",
}
SINGLE_FIELDS = ("service_type", "age_group", "gender", "language")


# Every strategy is built once, here, and a set of codes is two choices. Building strategies
# inside the draw loop (``st.none() | codes(...)`` per family per provider) made Hypothesis
# construct and validate thousands of strategy objects per example: 0.13 s of CPU an example,
# most of this file's time. Now about 0.02 s, over the same domains (bench/README.md).


def codes(family: str, max_size: int = 3):
    """Up to ``max_size`` of a family's codes: the size drawn first, then one of the sets of
    that size (two choices per set, where ``st.frozensets`` makes one or two per element);
    shrinking goes to smaller sets and to the family's first codes."""
    known = FAMILIES[family].codes
    sizes = range(min(max_size, len(known)) + 1)
    return st.one_of([st.sampled_from(list(map(frozenset, combinations(known, k)))) for k in sizes])


def maybe_codes(family: str):
    return st.none() | codes(family)


provider_count = st.integers(0, 25)
located = st.booleans() | st.just(True)
provider_lat = st.floats(ORIGIN_LAT - 3, ORIGIN_LAT + 3)
provider_lon = st.floats(ORIGIN_LON - 3, ORIGIN_LON + 3)
provider_details = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Ash", "Birch", "Cedar"]),
        "state": st.sampled_from(["CO", "WY", ""]),
        "dual_diagnosis": st.sampled_from([None, "none", "capable", "enhanced"]),
        "telehealth": st.sampled_from([None, True, False]),
        "availability_status": st.sampled_from([None, *STATUSES]),
        "availability_expires_at": st.sampled_from([None, PAST, FUTURE]),
        "last_verified_on": st.sampled_from(CONFIRMED_ON),
        **{attr: maybe_codes(family) for family, attr in MASK_FIELDS.items()},
    }
)


@st.composite
def providers(draw):
    records = []
    for i in range(draw(provider_count)):
        is_located = draw(located)
        lat = draw(provider_lat) if is_located else None
        lon = draw(provider_lon) if is_located else None
        records.append(ProviderRecord(id=f"p{i}", lat=lat, lon=lon, **draw(provider_details)))
    return records


wanted_codes = {family: codes(family, 2) for family in NEEDS_FIELDS}
single_codes = {name: st.none() | st.sampled_from(FAMILIES[name].codes) for name in SINGLE_FIELDS}
radius = st.floats(1, 250)
required_criteria = st.frozensets(st.sampled_from(CRITERIA))


@st.composite
def needs(draw):
    fields = {family: draw(wanted_codes[family]) for family in NEEDS_FIELDS}
    values = {NEEDS_FIELDS[criterion]: value for criterion, value in fields.items()}
    for name in SINGLE_FIELDS:
        values[name] = draw(single_codes[name])
    values["co_occurring"] = draw(st.booleans())
    values["telehealth"] = draw(st.booleans())
    values["radius_miles"] = draw(radius)
    partial = Needs(**values)
    required = draw(required_criteria)
    return Needs(**values, required=required & set(partial.criteria()))


origins = st.builds(
    Origin,
    lat=st.floats(ORIGIN_LAT - 1, ORIGIN_LAT + 1),
    lon=st.floats(ORIGIN_LON - 1, ORIGIN_LON + 1),
    state=st.sampled_from(["CO", "WY", ""]),
)

checked = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expected_status(record: ProviderRecord, needs: Needs, criterion: str) -> str:
    """An independent oracle for a criterion's status, from DESIGN.md section 4."""
    if criterion == "telehealth":
        return {None: "unknown", True: "met", False: "unmet"}[record.telehealth]
    if criterion == "co_occurring":
        value = record.dual_diagnosis
        return "unknown" if value is None else ("unmet" if value == "none" else "met")
    if criterion == "language" and needs.language == "en":
        return "met"  # every provider offers English (DESIGN.md 3.1)
    offered = getattr(record, MASK_FIELDS[CRITERION_FAMILY[criterion]])
    if offered is None:
        return "unknown"
    wanted = needs.wanted(criterion)
    hit = bool(wanted & offered) if criterion in ANY_OF else wanted <= offered
    return "met" if hit else "unmet"


def distance(record: ProviderRecord, origin: Origin) -> float:
    if record.lat is None:
        return float("inf")
    return float(great_circle_miles(origin.lat, origin.lon, record.lat, record.lon))


def telehealth_eligible(record: ProviderRecord, needs: Needs, origin: Origin) -> bool:
    in_state = bool(origin.state) and record.state == origin.state
    return needs.telehealth and in_state and record.telehealth is True


def should_be_result(record, needs, origin) -> bool:
    close = distance(record, origin) <= needs.radius_miles
    statuses = [expected_status(record, needs, c) for c in needs.required]
    return (close or telehealth_eligible(record, needs, origin)) and "unmet" not in statuses


def quality(record, needs, result):
    """The vector of everything dominance compares, each "higher is better"."""
    ranks = []
    for criterion in result.criteria:
        rank = RANK[criterion.status]
        if criterion.criterion == "co_occurring" and record.dual_diagnosis == "enhanced":
            rank += 1
        ranks.append(rank)
    far = result.distance_miles if result.distance_miles is not None else float("inf")
    return [*ranks, availability(record), freshness(record), -far]


def dominates(a: list, b: list) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


@checked
@given(providers(), needs(), origins)
def test_results_are_exactly_the_providers_meeting_must_haves_within_reach(records, need, origin):
    outcome = match(ProviderIndex.build(records), need, origin, now=NOW)
    expected = {r.id for r in records if should_be_result(r, need, origin)}
    assert {r.provider_id for r in outcome.results} == expected
    assert outcome.total == len(outcome.results)


@checked
@given(providers(), needs(), origins)
def test_no_result_misses_a_must_have_or_lies_beyond_the_radius(records, need, origin):
    by_id = {r.id: r for r in records}
    for result in match(ProviderIndex.build(records), need, origin, now=NOW).results:
        assert not any(c.required and c.status == "unmet" for c in result.criteria)
        record = by_id[result.provider_id]
        if result.telehealth_match:
            assert telehealth_eligible(record, need, origin)
            assert distance(record, origin) > need.radius_miles
        else:
            assert result.distance_miles is not None
            assert result.distance_miles <= need.radius_miles


@checked
@given(providers(), needs(), origins)
def test_a_dominating_provider_always_ranks_higher(records, need, origin):
    by_id = {r.id: r for r in records}
    results = match(ProviderIndex.build(records), need, origin, now=NOW).results
    vectors = [quality(by_id[r.provider_id], need, r) for r in results]
    for i, better in enumerate(vectors):
        for j, worse in enumerate(vectors):
            if dominates(better, worse):
                assert i < j, (results[i], results[j])


@checked
@given(providers(), needs(), origins, st.randoms(use_true_random=False))
def test_the_same_search_gives_the_same_order_whatever_the_input_order(
    records, need, origin, shuffler: random.Random
):
    first = match(ProviderIndex.build(records), need, origin, now=NOW)
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    second = match(ProviderIndex.build(shuffled), need, origin, now=NOW)
    assert first == second


@checked
@given(providers(), needs(), origins)
def test_every_criterion_of_the_search_is_explained(records, need, origin):
    by_id = {r.id: r for r in records}
    outcome = match(ProviderIndex.build(records), need, origin, now=NOW)
    for result in outcome.results + outcome.alternatives:
        assert [c.criterion for c in result.criteria] == list(need.criteria())
        for criterion in result.criteria:
            record = by_id[result.provider_id]
            assert criterion.status == expected_status(record, need, criterion.criterion)
            assert criterion.required == (criterion.criterion in need.required)
            assert render_reason(criterion.reason).strip()
        assert 0.0 <= result.score <= 1.0


@checked
@given(providers(), needs(), origins, st.integers(0, 10))
def test_alternatives_are_near_misses_and_never_results(records, need, origin, cap):
    by_id = {r.id: r for r in records}
    outcome = match(ProviderIndex.build(records), need, origin, max_alternatives=cap, now=NOW)
    result_ids = {r.provider_id for r in outcome.results}
    assert not result_ids & {a.provider_id for a in outcome.alternatives}
    if len(outcome.results) >= 3:
        assert outcome.alternatives == []
    assert len(outcome.alternatives) <= cap
    for alternative in outcome.alternatives:
        record = by_id[alternative.provider_id]
        unmet = [c.criterion for c in alternative.criteria if c.required and c.status == "unmet"]
        far = distance(record, origin)
        if alternative.lacks == ("distance",):
            assert unmet == [] and need.radius_miles < far < float("inf")
        else:
            assert list(alternative.lacks) == unmet and len(unmet) == 1
            assert far <= need.radius_miles or telehealth_eligible(record, need, origin)
    if len(outcome.results) < 3:
        assert [a.provider_id for a in outcome.alternatives] == expected_alternatives(
            records, need, origin, result_ids, cap
        )


def expected_alternatives(records, need, origin, result_ids, cap) -> list[str]:
    """Rule 6: the nearest with every must-have beyond the radius, wherever they are, then
    the nearest within reach missing exactly one; up to 3 places kept for the second group."""

    def nearest(group):
        return [r.id for r in sorted(group, key=lambda r: (distance(r, origin), r.name, r.id))]

    def unmet(record):
        return [c for c in need.required if expected_status(record, need, c) == "unmet"]

    def reachable(record):
        close = distance(record, origin) <= need.radius_miles
        return close or telehealth_eligible(record, need, origin)

    others = [r for r in records if r.id not in result_ids]
    farther = nearest(
        r
        for r in others
        if not unmet(r) and not reachable(r) and distance(r, origin) < float("inf")
    )
    one_short = nearest(r for r in others if reachable(r) and len(unmet(r)) == 1)
    first = farther[: max(0, cap - min(3, len(one_short)))]
    return first + one_short[: cap - len(first)]


@checked
@given(providers(), needs(), origins, st.integers(0, 30), st.integers(1, 10))
def test_a_page_is_a_slice_of_the_whole_list(records, need, origin, offset, limit):
    index = ProviderIndex.build(records)
    whole = match(index, need, origin, now=NOW)
    page = match(index, need, origin, offset=offset, limit=limit, now=NOW)
    assert page.total == whole.total
    assert page.results == whole.results[offset : offset + limit]
    assert page.alternatives == whole.alternatives
