"""The matcher's rules (DESIGN.md section 4), each shown on a small hand-built set of providers."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from geopy.distance import great_circle

from directory.matching import (
    CRITERIA,
    InvalidNeeds,
    Needs,
    Origin,
    ProviderIndex,
    ProviderRecord,
    Reason,
    great_circle_miles,
    match,
    render_reason,
    validate,
)
from directory.matching.reasons import OR
from directory.vocabulary import FAMILIES, N_

DENVER = Origin(39.7392, -104.9903, "CO")
MILES_PER_DEGREE_LAT = 69.09


def provider(pid: str, miles_north: float | None = 1.0, **attrs) -> ProviderRecord:
    """A provider in Colorado, ``miles_north`` of Denver (None: not located)."""
    lat = None if miles_north is None else DENVER.lat + miles_north / MILES_PER_DEGREE_LAT
    lon = None if miles_north is None else DENVER.lon
    attrs = {k: frozenset(v) if isinstance(v, set | list) else v for k, v in attrs.items()}
    fields = {"name": pid.title(), "state": "CO", **attrs}
    return ProviderRecord(id=pid, lat=lat, lon=lon, **fields)


def run(providers, needs=None, origin=DENVER, **kwargs):
    return match(ProviderIndex.build(providers), needs or Needs(), origin, **kwargs)


def ids(results):
    return [r.provider_id for r in results]


def status(result, criterion):
    return next(c.status for c in result.criteria if c.criterion == criterion)


# --- rule 1: hard constraints ---------------------------------------------------------


def test_a_provider_without_a_must_have_is_not_listed():
    providers = [
        provider("bup", medications={"buprenorphine"}),
        provider("methadone_only", medications={"methadone"}),
    ]
    needs = Needs(medications=frozenset({"buprenorphine"}), required=frozenset({"medication"}))
    outcome = run(providers, needs)
    assert ids(outcome.results) == ["bup"]


def test_a_must_have_not_reported_is_listed_below_one_that_is_confirmed():
    providers = [
        provider("unknown", miles_north=1, payments=None),
        provider("confirmed", miles_north=1, payments={"medicaid"}),
    ]
    needs = Needs(payments=frozenset({"medicaid"}), required=frozenset({"payment"}))
    outcome = run(providers, needs)
    assert ids(outcome.results) == ["confirmed", "unknown"]
    assert status(outcome.results[1], "payment") == "unknown"
    assert "call to confirm" in render_reason(outcome.results[1].criteria[0].reason)


# --- rule 2: radius and telehealth ----------------------------------------------------


def test_providers_beyond_the_radius_are_not_results():
    providers = [provider("near", 9), provider("far", 11)]
    outcome = run(providers, Needs(radius_miles=10))
    assert ids(outcome.results) == ["near"]


def test_the_radius_holds_to_a_tenth_of_a_mile():
    providers = [provider("just_inside", 9.9), provider("just_outside", 10.1)]
    outcome = run(providers, Needs(radius_miles=10))
    assert ids(outcome.results) == ["just_inside"]
    assert 9.85 < outcome.results[0].distance_miles < 9.95


def test_a_provider_without_a_location_is_never_a_radius_result():
    outcome = run([provider("nowhere", None, telehealth=True)], Needs(radius_miles=3000))
    assert outcome.results == []


def test_telehealth_in_my_state_is_found_at_any_distance_and_flagged():
    far = provider("far_tele", 300, telehealth=True)
    unlocated = provider("unlocated_tele", None, telehealth=True)
    outcome = run([far, unlocated], Needs(radius_miles=10, telehealth=True))
    assert set(ids(outcome.results)) == {"far_tele", "unlocated_tele"}
    assert all(r.telehealth_match for r in outcome.results)
    assert {r.distance_miles is None for r in outcome.results} == {True, False}
    reason = render_reason(outcome.results[0].criteria[-1].reason)
    assert reason == "Offers telehealth in CO"


def test_telehealth_in_another_state_is_not_found_beyond_the_radius():
    other_state = provider("wyoming", 300, telehealth=True, state="WY")
    outcome = run([other_state], Needs(radius_miles=10, telehealth=True))
    assert other_state.id not in ids(outcome.results)


def test_telehealth_is_not_flagged_for_a_provider_within_the_radius():
    outcome = run([provider("near_tele", 2, telehealth=True)], Needs(telehealth=True))
    assert outcome.results[0].telehealth_match is False
    assert status(outcome.results[0], "telehealth") == "met"


def test_telehealth_is_a_criterion_when_asked_for():
    providers = [
        provider("yes", 1, telehealth=True),
        provider("no", 1, telehealth=False),
        provider("unknown", 1, telehealth=None),
    ]
    outcome = run(providers, Needs(telehealth=True))
    assert {r.provider_id: status(r, "telehealth") for r in outcome.results} == {
        "yes": "met",
        "no": "unmet",
        "unknown": "unknown",
    }
    assert ids(outcome.results) == ["yes", "unknown", "no"]


def test_telehealth_is_ignored_when_not_asked_for():
    far = provider("far_tele", 300, telehealth=True)
    outcome = run([far], Needs(radius_miles=10))
    assert outcome.results == []
    assert Needs().criteria() == ()


# --- rule 3: dominance ----------------------------------------------------------------


def test_a_provider_meeting_more_of_my_preferences_ranks_higher_even_if_farther():
    providers = [
        provider("close_no_cbt", 1, therapies={"dbt"}),
        provider("farther_cbt", 20, therapies={"cbt"}),
    ]
    outcome = run(providers, Needs(therapies=frozenset({"cbt"})))
    assert ids(outcome.results) == ["farther_cbt", "close_no_cbt"]


def test_the_closer_of_two_otherwise_equal_providers_ranks_higher():
    providers = [provider("far", 20), provider("near", 5)]
    assert ids(run(providers).results) == ["near", "far"]


def test_availability_ranks_accepting_first_and_not_accepting_last():
    soon = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=3)
    providers = [
        provider("full", 1, availability_status="not_accepting", availability_expires_at=soon),
        provider("unsure", 1, availability_status="unknown"),
        provider("waitlist", 1, availability_status="waitlist", availability_expires_at=soon),
        provider(
            "assess", 1, availability_status="assessment_required", availability_expires_at=soon
        ),
        provider("open", 1, availability_status="accepting", availability_expires_at=soon),
    ]
    assert ids(run(providers).results) == ["open", "assess", "waitlist", "unsure", "full"]


def test_an_expired_availability_ranks_as_unknown():
    now = datetime(2026, 6, 1)
    providers = [
        provider(
            "stale_open",
            1,
            availability_status="accepting",
            availability_expires_at=now - timedelta(days=1),
        ),
        provider("never_said", 1),
        provider(
            "stale_full",
            1,
            availability_status="not_accepting",
            availability_expires_at=now - timedelta(days=1),
        ),
    ]
    outcome = match(ProviderIndex.build(providers), Needs(), DENVER, now=now)
    # All three read as unknown: the order falls to name (then id), not the stale answers.
    assert sorted(r.score for r in outcome.results) == [outcome.results[0].score] * 3
    fresh = match(ProviderIndex.build(providers), Needs(), DENVER, now=now - timedelta(days=2))
    assert ids(fresh.results) == ["stale_open", "never_said", "stale_full"]


def test_integrated_co_occurring_care_ranks_above_a_co_occurring_program():
    providers = [
        provider("none", 1, dual_diagnosis="none"),
        provider("capable", 1, dual_diagnosis="capable"),
        provider("unknown", 1, dual_diagnosis=None),
        provider("enhanced", 1, dual_diagnosis="enhanced"),
    ]
    outcome = run(providers, Needs(co_occurring=True))
    assert ids(outcome.results) == ["enhanced", "capable", "unknown", "none"]
    assert [status(r, "co_occurring") for r in outcome.results] == [
        "met",
        "met",
        "unknown",
        "unmet",
    ]


def test_a_met_must_have_outweighs_any_number_of_met_preferences():
    providers = [
        provider("prefs", 1, therapies={"cbt"}, payments={"medicaid"}, medications=set()),
        provider("must", 1, therapies=set(), payments=set(), medications={"naltrexone"}),
    ]
    needs = Needs(
        therapies=frozenset({"cbt"}),
        medications=frozenset({"naltrexone"}),
        required=frozenset({"medication"}),
    )
    outcome = run(providers, needs)
    assert ids(outcome.results) == ["must"]


def test_scores_lie_between_0_and_1_and_are_shown_rounded():
    outcome = run([provider("a", 3, therapies={"cbt"})], Needs(therapies=frozenset({"cbt"})))
    score = outcome.results[0].score
    assert 0 <= score <= 1
    assert score == round(score, 2)


# --- rule 4: explained ----------------------------------------------------------------


def test_every_result_explains_every_criterion_of_the_search():
    needs = Needs(
        service_type="substance_use",
        care_levels=frozenset({"detox", "residential"}),
        therapies=frozenset({"cbt"}),
        medications=frozenset({"buprenorphine"}),
        co_occurring=True,
        payments=frozenset({"medicaid"}),
        age_group="adults",
        gender="women",
        populations=frozenset({"veterans"}),
        language="es",
        detox_for=frozenset({"opioids"}),
        supports=frozenset({"peer_support"}),
        operators=frozenset({"private_nonprofit"}),
        telehealth=True,
        open_now=True,
        walk_in=True,
        required=frozenset({"payment"}),
    )
    providers = [
        provider("full", 1, service_types={"substance_use"}, care_levels={"detox"}),
        provider("bare", 2),
    ]
    outcome = run(providers, needs)
    assert needs.criteria() == CRITERIA
    for result in outcome.results:
        assert [c.criterion for c in result.criteria] == list(CRITERIA)
        assert all(render_reason(c.reason) for c in result.criteria)
        assert [c.required for c in result.criteria] == [c == "payment" for c in CRITERIA]


def test_reasons_read_naturally_in_english():
    record = provider(
        "p",
        1,
        therapies={"cbt", "mi"},
        medications={"buprenorphine"},
        payments={"medicaid", "self_pay"},
        care_levels={"outpatient"},
        dual_diagnosis="enhanced",
        languages={"en", "es"},
        populations=set(),
    )
    needs = Needs(
        therapies=frozenset({"mi", "cbt"}),
        medications=frozenset({"buprenorphine"}),
        payments=frozenset({"medicaid", "medicare"}),
        care_levels=frozenset({"detox", "residential"}),
        co_occurring=True,
        language="es",
        populations=frozenset({"veterans"}),
        age_group="adults",
    )
    reasons = {
        c.criterion: render_reason(c.reason) for c in run([record], needs).results[0].criteria
    }
    assert reasons == {
        "care_level": "Does not offer detox or residential",
        "therapy": "Offers cognitive behavioral therapy (CBT) and motivational interviewing",
        "medication": "Offers buprenorphine",
        "co_occurring": "Integrated care for co-occurring conditions",
        "payment": "Accepts Medicaid",
        "age_group": "Ages served not reported — call to confirm",
        "population": "No program for veterans",
        "language": "Offers services in Spanish",
    }


def test_reasons_are_translated_template_labels_and_conjunction_alike():
    catalogue = {
        "Offers %(items)s": "Ofrece %(items)s",
        "Does not accept %(items)s": "No acepta %(items)s",
        "Methadone": "Metadona",
        "Buprenorphine": "Buprenorfina",
        "Medicaid": "Medicaid",
        "Medicare": "Medicare",
        "and": "y",
        "or": "o",
    }
    offers = Reason(N_("Offers %(items)s"), {"items": [("medication", "buprenorphine")]})
    assert render_reason(offers, catalogue.get) == "Ofrece Buprenorfina"
    items = [("payment", "medicaid"), ("payment", "medicare")]
    refuses = Reason(N_("Does not accept %(items)s"), {"items": items, "conjunction": OR})
    assert render_reason(refuses, catalogue.get) == "No acepta Medicaid o Medicare"
    three = Reason(
        N_("Offers %(items)s"), {"items": [("therapy", c) for c in ("cbt", "emdr", "family")]}
    )
    expected = "Offers cognitive behavioral therapy (CBT), EMDR and family therapy"
    assert render_reason(three) == expected


def test_unknown_families_are_named_in_the_reason():
    outcome = run([provider("p", 1)], Needs(payments=frozenset({"medicaid"})))
    reason = outcome.results[0].criteria[0].reason
    assert render_reason(reason) == "Payment not reported — call to confirm"
    assert reason.params == {"family": ("family", "payment")}


# --- rule 5: deterministic ------------------------------------------------------------


def test_ties_are_broken_by_distance_then_name_then_id():
    providers = [
        provider("z2", 5, name="Same"),
        provider("z1", 5, name="Same"),
        provider("a", 5, name="Alpha"),
        provider("b", 1, name="Zulu"),
    ]
    outcome = run(providers)
    assert ids(outcome.results) == ["b", "a", "z1", "z2"]
    assert ids(run(list(reversed(providers))).results) == ids(outcome.results)


# --- rule 6: alternatives -------------------------------------------------------------


BUP = Needs(
    radius_miles=10,
    medications=frozenset({"buprenorphine"}),
    payments=frozenset({"medicaid"}),
    required=frozenset({"medication", "payment"}),
)


def test_when_few_results_farther_full_fits_come_first_then_near_misses():
    providers = [
        provider("match", 5, medications={"buprenorphine"}, payments={"medicaid"}),
        provider("no_medicaid", 3, medications={"buprenorphine"}, payments={"self_pay"}),
        provider("a_bit_far", 15, medications={"buprenorphine"}, payments={"medicaid"}),
        provider("far_away", 400, medications={"buprenorphine"}, payments={"medicaid"}),
    ]
    outcome = run(providers, BUP)
    assert ids(outcome.results) == ["match"]
    assert ids(outcome.alternatives) == ["a_bit_far", "far_away", "no_medicaid"]
    assert [a.lacks for a in outcome.alternatives] == [("distance",), ("distance",), ("payment",)]
    assert all(r.lacks == () for r in outcome.results)


def test_farther_full_fits_leave_room_for_three_near_misses():
    fits = [
        provider(f"far{i:02}", 20 + i, medications={"buprenorphine"}, payments={"medicaid"})
        for i in range(12)
    ]
    misses = [
        provider(f"near{i}", 1 + i, medications={"buprenorphine"}, payments={"self_pay"})
        for i in range(5)
    ]
    outcome = run(fits + misses, BUP)
    assert ids(outcome.alternatives) == [f"far{i:02}" for i in range(7)] + [
        "near0",
        "near1",
        "near2",
    ]


def test_no_alternatives_when_there_are_enough_results():
    good = {"medications": {"buprenorphine"}, "payments": {"medicaid"}}
    providers = [provider(f"m{i}", i + 1, **good) for i in range(3)]
    providers.append(provider("no_medicaid", 1, medications={"buprenorphine"}, payments=set()))
    outcome = run(providers, BUP)
    assert len(outcome.results) == 3
    assert outcome.alternatives == []


def test_alternatives_are_capped_and_closest_first_and_never_results():
    misses = [
        provider(f"x{i:02}", 9 - i * 0.5, medications=set(), payments={"medicaid"})
        for i in range(15)
    ]
    outcome = run(misses, BUP, max_alternatives=4)
    assert outcome.results == []
    distances = [a.distance_miles for a in outcome.alternatives]
    assert len(distances) == 4
    assert distances == sorted(distances)
    assert ids(outcome.alternatives) == ["x14", "x13", "x12", "x11"]


def test_telehealth_providers_missing_one_must_have_are_alternatives():
    refuses = provider(
        "tele_refuses", 300, telehealth=True, medications={"buprenorphine"}, payments=set()
    )
    outcome = run([refuses], replace(BUP, telehealth=True))
    assert outcome.results == []
    assert ids(outcome.alternatives) == ["tele_refuses"]
    assert outcome.alternatives[0].telehealth_match
    assert outcome.alternatives[0].lacks == ("payment",)


def test_missing_two_must_haves_or_one_beyond_the_radius_is_no_alternative():
    providers = [
        provider("misses_both", 2, medications={"methadone"}, payments={"self_pay"}),
        provider("far_and_short", 15, medications={"methadone"}, payments={"medicaid"}),
    ]
    outcome = run(providers, BUP)
    assert outcome.results == outcome.alternatives == []


# --- rule 7: distances ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "point"),
    [
        ((39.7392, -104.9903), (39.7392, -104.9903)),
        ((39.7392, -104.9903), (39.76, -104.97)),
        ((40.7128, -74.0060), (34.0522, -118.2437)),
        ((61.2181, -149.9003), (21.3069, -157.8583)),
        ((51.88, 179.9), (51.88, -179.9)),
        ((13.4443, 144.7937), (18.4655, -66.1057)),
    ],
)
def test_distances_are_great_circle_miles(origin, point):
    expected = great_circle(origin, point).miles
    got = float(great_circle_miles(*origin, *point))
    assert abs(got - expected) <= max(0.1, 0.01 * expected) / 10


def test_result_distances_agree_with_geopy():
    record = ProviderRecord("p", "P", 38.8339, -104.8214, "CO")
    outcome = run([record], Needs(radius_miles=100))
    expected = great_circle((DENVER.lat, DENVER.lon), (38.8339, -104.8214)).miles
    assert outcome.results[0].distance_miles == pytest.approx(expected, abs=0.01)


def test_a_radius_larger_than_the_country_finds_everyone_located():
    places = [(64.8, -147.7, "AK"), (21.3, -157.9, "HI"), (25.8, -80.2, "FL"), (44.9, -68.7, "ME")]
    records = [ProviderRecord(s, s, lat, lon, s) for lat, lon, s in places]
    outcome = run(records, Needs(radius_miles=20000))
    assert sorted(ids(outcome.results)) == sorted(s for _, _, s in places)


def test_the_search_circle_crosses_the_date_line():
    records = [ProviderRecord("east", "East", 51.88, -179.9, "AK")]
    outcome = run(records, Needs(radius_miles=20), origin=Origin(51.88, 179.9, "AK"))
    assert ids(outcome.results) == ["east"]
    assert outcome.results[0].distance_miles == pytest.approx(8.56, abs=0.1)


# --- pagination -----------------------------------------------------------------------


def test_a_page_of_results_keeps_the_total_and_the_order():
    providers = [provider(f"p{i:02}", i + 1) for i in range(12)]
    everything = run(providers)
    page = run(providers, offset=5, limit=5)
    assert everything.total == page.total == 12
    assert ids(page.results) == ids(everything.results)[5:10]


# --- criteria semantics ---------------------------------------------------------------


def test_care_level_is_met_by_any_requested_and_therapy_needs_every_one():
    record = provider("p", 1, care_levels={"iop"}, therapies={"cbt"})
    needs = Needs(care_levels=frozenset({"iop", "detox"}), therapies=frozenset({"cbt", "dbt"}))
    result = run([record], needs).results[0]
    assert status(result, "care_level") == "met"
    assert status(result, "therapy") == "unmet"
    assert render_reason(result.criteria[0].reason) == "Offers intensive outpatient"
    assert render_reason(result.criteria[1].reason) == (
        "Does not offer dialectical behavior therapy (DBT)"
    )


def test_a_family_reported_empty_is_unmet_not_unknown():
    outcome = run([provider("p", 1, therapies=set())], Needs(therapies=frozenset({"cbt"})))
    assert status(outcome.results[0], "therapy") == "unmet"


# --- validation -----------------------------------------------------------------------


def test_codes_are_case_insensitive_and_collections_become_sets():
    needs = Needs.validated(therapies=["CBT", " mi "], language="ES", required=["Therapy"])
    assert needs.therapies == frozenset({"cbt", "mi"})
    assert needs.language == "es"
    assert needs.required == frozenset({"therapy"})


def test_an_unknown_code_names_the_allowed_values():
    with pytest.raises(InvalidNeeds) as caught:
        Needs.validated(medications=["suboxone"])
    assert caught.value.field == "medication"
    assert caught.value.allowed == FAMILIES["medication"].codes
    assert "suboxone" in caught.value.message


def test_a_must_have_outside_the_search_is_refused():
    with pytest.raises(InvalidNeeds) as caught:
        Needs.validated(therapies=["cbt"], required=["payment"])
    assert caught.value.field == "required"
    assert caught.value.allowed == ("therapy",)
    with pytest.raises(InvalidNeeds):
        Needs.validated(required=["cheapness"])


@pytest.mark.parametrize("radius", [0, -5, math.nan, math.inf, "far"])
def test_the_radius_must_be_a_positive_number(radius):
    with pytest.raises(InvalidNeeds) as caught:
        Needs.validated(radius_miles=radius)
    assert caught.value.field == "radius_miles"


def test_match_refuses_needs_that_were_not_validated():
    with pytest.raises(InvalidNeeds):
        run([], Needs(language="klingon"))
    assert validate(Needs(radius_miles=12)) == Needs(radius_miles=12)


def test_distance_order_lists_the_same_results_nearest_first():
    providers = [
        provider("far-and-fitting", 8.0, payments=frozenset({"medicaid"})),
        provider("near-not-fitting", 1.0, payments=frozenset({"self_pay"})),
        provider("middle", 4.0, payments=None),
    ]
    needs = Needs(payments=frozenset({"medicaid"}))
    best = run(providers, needs)
    nearest = run(providers, needs, order="distance")
    assert ids(best.results)[0] == "far-and-fitting"
    assert ids(nearest.results) == ["near-not-fitting", "middle", "far-and-fitting"]
    assert nearest.total == best.total


def test_spanish_lists_use_e_and_u_where_spanish_does():
    from directory.matching.reasons import join_items

    assert join_items(["español", "inglés"], "y") == "español e inglés"
    assert join_items(["agua", "hielo"], "y") == "agua y hielo"
    assert join_items(["siete", "ocho"], "o") == "siete u ocho"
    assert join_items(["CBT", "individual therapy"], "and") == "CBT and individual therapy"


def test_every_provider_offers_english_even_without_language_data():
    providers = [provider("silent", languages=None), provider("spanish", languages={"es"})]
    outcome = run(providers, Needs(language="en"))
    assert {status(r, "language") for r in outcome.results} == {"met"}
    spanish = run(providers, Needs(language="es"))
    assert {r.provider_id: status(r, "language") for r in spanish.results} == {
        "silent": "unknown",
        "spanish": "met",
    }


def test_a_patched_index_answers_exactly_like_a_fresh_one():
    from directory.matching.index import IndexColumns

    before = [provider(f"p{i}", i * 0.7, payments={"medicaid"} if i % 2 else None,
                       telehealth=i % 3 == 0) for i in range(30)]  # fmt: skip
    changed = [provider("p3", 2.0, payments={"self_pay"}), provider("new", 0.2, telehealth=True)]
    removed = {"p5"}
    after = [p for p in before if p.id not in {"p3", "p5"}] + changed
    columns = IndexColumns()
    columns.add_records(changed)
    patched = ProviderIndex.build(before).patched({"p3", "new"} | removed, columns.arrays())
    fresh = ProviderIndex.build(after)
    needs = Needs(radius_miles=15, payments=frozenset({"medicaid"}), telehealth=True)
    for origin in (DENVER, replace(DENVER, lat=DENVER.lat + 0.1)):
        got, expected = match(patched, needs, origin), match(fresh, needs, origin)
        assert [(r.provider_id, r.score, r.distance_miles) for r in got.results] == [
            (r.provider_id, r.score, r.distance_miles) for r in expected.results
        ]
        assert ids(got.alternatives) == ids(expected.alternatives)


def test_a_whole_state_search_reaches_every_provider_in_the_state_only():
    providers = [
        provider("in_state_far", 300),
        provider("in_state_near", 1),
        ProviderRecord("next_door", "Next door", DENVER.lat, DENVER.lon + 0.1, "KS"),
    ]
    outcome = run(providers, Needs(radius_miles=5), Origin(DENVER.lat, DENVER.lon, "CO", True))
    assert sorted(ids(outcome.results)) == ["in_state_far", "in_state_near"]


def test_total_all_met_counts_only_results_meeting_every_criterion():
    providers = [
        provider("both", 1, medications={"buprenorphine"}, payments={"medicaid"}),
        provider("bup_only", 2, medications={"buprenorphine"}, payments={"self_pay"}),
        provider("bup_unknown_pay", 3, medications={"buprenorphine"}),
    ]
    needs = replace(BUP, required=frozenset({"medication"}))
    outcome = run(providers, needs)
    assert (outcome.total, outcome.total_all_met) == (3, 1)


# --- freshness (issue 13) ---------------------------------------------------------------


def test_a_recently_confirmed_listing_ranks_above_an_otherwise_equal_stale_one():
    from datetime import date

    today = date(2026, 12, 1)
    providers = [
        provider("aaa-stale", 1, last_verified_on=today - timedelta(days=400)),
        provider("zzz-fresh", 1, last_verified_on=today - timedelta(days=3)),
        provider("mmm-never", 1),
    ]
    now = datetime(2026, 12, 1, 12, 0)
    assert ids(run(providers, now=now).results) == ["zzz-fresh", "aaa-stale", "mmm-never"]
    # Freshness counts a little: a place that meets a need the others do not still comes
    # first, confirmed or not.
    better = [*providers, provider("offers-cbt", 1, therapies={"cbt"})]
    cbt = Needs(therapies=frozenset({"cbt"}))
    assert ids(run(better, cbt, now=now).results)[0] == "offers-cbt"
