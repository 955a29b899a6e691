"""The guided check's suggestions from answers (no app): safe first, plain reasons, a search."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from directory.guides.check import STEPS, answers_from, suggest


def answers(**given) -> dict:
    args = MultiDict(
        [
            (k, v)
            for k, values in given.items()
            for v in ([values] if k == "location" else values.split(","))
        ]
    )
    return answers_from(args)


def test_danger_signs_now_mean_call_911_whatever_else_was_said():
    emergency = suggest(answers(danger="seizure", concern="cannabis", drugs="monthly"))
    assert emergency.is_emergency and emergency.search == {}
    assert suggest(answers(danger="none")).code != "emergency"
    assert len(suggest(answers(danger="suicide")).reasons) == 2  # 988 named too


def test_heavy_daily_drinking_with_withdrawal_starts_with_medical_detox():
    detox = suggest(
        answers(
            concern="alcohol",
            drinking="daily",
            withdrawal="mild",
            home="safe_alone",
            payment="medicaid",
            location="Hazard, KY",
        )
    )
    assert detox.code == "detox"
    assert detox.search == {
        "care_level": ["detox"],
        "service_type": ["substance_use"],
        "detox_for": ["alcohol"],
        "payment": ["medicaid"],
        "location": ["Hazard, KY"],
    }
    assert suggest(answers(concern="stimulants", withdrawal="severe")).code == "detox"


def test_no_safe_home_suggests_residential_and_opioids_suggest_medication():
    assert suggest(answers(concern="stimulants", drugs="weekly", home="not_safe")).code == (
        "residential"
    )
    medication = suggest(answers(concern="opioids", drugs="daily", home="safe_supported"))
    assert medication.code == "medication"
    assert medication.search["therapy"] == ["mat"]


def test_less_intensive_care_when_safe_at_home():
    iop = suggest(
        answers(concern="alcohol", drinking="weekly", home="safe_alone", mental_health="yes")
    )
    assert iop.code == "iop"
    assert iop.search["co_occurring"] == ["true"]
    outpatient = suggest(
        answers(concern="cannabis", drugs="monthly", home="safe_supported", age="under_18")
    )
    assert outpatient.code == "outpatient"
    assert outpatient.search["age_group"] == ["adolescents"]


def test_every_question_skipped_suggests_an_assessment():
    assessment = suggest({})
    assert assessment.code == "assessment"
    assert assessment.search == {"care_level": ["outpatient"]}
    assert suggest(answers(concern="not_sure")).code == "assessment"


def test_unknown_answers_are_left_out_and_text_is_bounded():
    given = answers(concern="alcohol,<script>", age="999", location="x" * 500)
    assert given["concern"] == ["alcohol"] and "age" not in given
    assert len(given["location"][0]) == 200


def test_about_six_steps_each_with_choices():
    assert 5 <= len(STEPS) <= 8
    assert all(question.choices for step in STEPS for question in step.questions)
