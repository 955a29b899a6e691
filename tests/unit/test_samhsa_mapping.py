"""Every row of DESIGN.md 3.3's mapping table, and the reported/unknown rule."""

import pytest

from directory.importers.samhsa_mapping import map_codes, parse_codes, unknown_codes

# Codes that make every family "reported" without adding a value to it.
REPORTING = {"TAP_ONLY": set()}
BASE = {"SA"}


def mapped(*codes):
    return map_codes(BASE | set(codes))


@pytest.mark.parametrize(
    ("codes", "column", "value"),
    [
        (("SA",), "service_types", "substance_use"),
        (("MH",), "service_types", "mental_health"),
        (("DT",), "care_levels", "detox"),
        (("HID",), "care_levels", "detox"),
        (("OD",), "care_levels", "detox"),
        (("RD",), "care_levels", "detox"),
        (("HI",), "care_levels", "inpatient"),
        (("HIT",), "care_levels", "inpatient"),
        (("RS",), "care_levels", "residential"),
        (("RL",), "care_levels", "residential"),
        (("RES",), "care_levels", "residential"),
        (("ODT",), "care_levels", "php"),
        (("PHDT",), "care_levels", "php"),
        (("OIT",), "care_levels", "iop"),
        (("ORT",), "care_levels", "outpatient"),
        (("OMB",), "care_levels", "outpatient"),
        (("OP",), "care_levels", "outpatient"),
        (("HH",), "care_levels", "recovery_housing"),
        (("CBT",), "therapies", "cbt"),
        (("DBT",), "therapies", "dbt"),
        (("MOTI",), "therapies", "mi"),
        (("FCO",), "therapies", "family"),
        (("CFT",), "therapies", "family"),
        (("CMI",), "therapies", "contingency_management"),
        (("TWFA",), "therapies", "twelve_step"),
        (("TRC",), "therapies", "trauma"),
        (("RELP",), "therapies", "relapse_prevention"),
        (("EMDR",), "therapies", "emdr"),
        (("GCO",), "therapies", "group"),
        (("GT",), "therapies", "group"),
        (("ICO",), "therapies", "individual"),
        (("IPT",), "therapies", "individual"),
        (("CBT", "OTP"), "therapies", "mat"),
        (("CBT", "PMAT"), "therapies", "mat"),
        (("CBT", "BU"), "therapies", "mat"),
        (("CBT", "ACM"), "therapies", "mat"),
        *[(("BU", c), "medications", "buprenorphine") for c in
          ("BU", "BWN", "BWON", "BERI", "BSDM", "BUM", "BMW", "DB", "UB")],
        *[(("MU", c), "medications", "methadone") for c in ("MU", "METH", "MM", "MMW", "DM")],
        *[(("NU", c), "medications", "naltrexone") for c in ("NU", "NXN", "VTRL", "UN", "RPN")],
        (("ACM",), "medications", "acamprosate"),
        (("DSF",), "medications", "disulfiram"),
        (("MD",), "payments", "medicaid"),
        (("MC",), "payments", "medicare"),
        (("PI",), "payments", "private_insurance"),
        (("SF",), "payments", "self_pay"),
        (("MI",), "payments", "military"),
        (("SI",), "payments", "state_funded"),
        (("MD", "SS"), "payments", "sliding_scale"),
        (("MD", "PA"), "payments", "payment_assistance"),
        (("ITU",), "payments", "ihs_tribal"),
        (("NP",), "payments", "free"),
        (("CHLD",), "age_groups", "adolescents"),
        (("YAD",), "age_groups", "young_adults"),
        (("ADLT",), "age_groups", "adults"),
        (("SNR",), "age_groups", "seniors"),
        (("FEM",), "genders", "women"),
        (("MALE",), "genders", "men"),
        (("VET",), "populations", "veterans"),
        (("ADM",), "populations", "active_military"),
        (("GL",), "populations", "lgbtq"),
        (("PW",), "populations", "pregnant_postpartum"),
        (("CJ",), "populations", "criminal_justice"),
        (("TRMA",), "populations", "trauma_survivors"),
        (("VET", "DU"), "populations", "dui"),
        (("SP",), "languages", "es"),
        (("AH",), "languages", "asl"),
        *[(tuple(c.split()), "languages", lang) for c, lang in [
            ("F4", "ar"), ("F17", "zh"), ("F19", "ht"), ("F25", "fa"), ("F28", "fr"),
            ("F30", "de"), ("F31", "el"), ("F35", "he"), ("F36", "hi"), ("F37", "hmn"),
            ("F42", "it"), ("F43", "ja"), ("F47", "ko"), ("F66", "pl"), ("F67", "pt"),
            ("F70", "ru"), ("F81", "tl"), ("F92", "vi"), ("SP N23", "nv"), ("N24", "oj"),
            ("N40", "ypk")]],
        (("CARF",), "accreditations", "carf"),
        (("JC",), "accreditations", "joint_commission"),
        (("COA",), "accreditations", "coa"),
        (("NCQA",), "accreditations", "ncqa"),
        (("HFAP",), "accreditations", "hfap"),
        (("FQHC",), "accreditations", "fqhc"),
        *[((c,), "accreditations", "state_licensed") for c in ("STAG", "STMH", "STDH", "HLA")],
        (("SOTP",), "accreditations", "otp_certified"),
        (("OTP",), "accreditations", "otp_certified"),
        (("ODTX",), "detox_for", "opioids"), (("ADTX",), "detox_for", "alcohol"),
        (("BDTX",), "detox_for", "benzodiazepines"), (("CDTX",), "detox_for", "cocaine"),
        (("MDTX",), "detox_for", "methamphetamine"),
        (("TA",), "supports", "transportation"), (("CM",), "supports", "case_management"),
        (("PEER",), "supports", "peer_support"), (("SHG",), "supports", "self_help_groups"),
        (("RC",), "supports", "recovery_coach"), (("HS",), "supports", "housing_services"),
        (("EMP",), "supports", "employment"), (("AOSS",), "supports", "social_services"),
        (("WI",), "supports", "walk_in_crisis"),
        (("PVTN",), "operators", "private_nonprofit"),
        (("PVTP",), "operators", "private_for_profit"),
        (("LCCG",), "operators", "local_government"), (("STG",), "operators", "state_government"),
        (("TBG",), "operators", "tribal_government"),
        (("IH",), "operators", "indian_health_service"),
        (("VAMC",), "operators", "veterans_affairs"), (("DDF",), "operators", "defense"),
        (("FED",), "operators", "federal"),
    ],
)  # fmt: skip
def test_each_samhsa_code_maps_to_its_value(codes, column, value):
    assert value in mapped(*codes)[column]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [(("SUMH",), "enhanced"), (("IDD",), "enhanced"), (("CO",), "capable"),
     (("COPSU",), "capable"), (("CO", "SUMH"), "enhanced"), ((), "none")],
)  # fmt: skip
def test_dual_diagnosis_is_enhanced_over_capable_over_none(codes, expected):
    assert mapped(*codes)["dual_diagnosis"] == expected


def test_res_means_residential_only_without_residential_detox():
    assert "residential" not in mapped("RES", "RD")["care_levels"]
    assert "detox" in mapped("RES", "RD")["care_levels"]


@pytest.mark.parametrize("specific", ["OD", "ODT", "OIT", "OMB", "ORT"])
def test_op_means_outpatient_only_without_a_more_specific_outpatient_code(specific):
    levels = mapped("OP", specific)["care_levels"]
    assert levels == mapped(specific)["care_levels"]


def test_op_alone_is_outpatient():
    assert mapped("OP")["care_levels"] == ["outpatient"]


def test_telehealth_is_always_reported():
    assert mapped("TELE")["telehealth"] is True
    assert mapped()["telehealth"] is False


@pytest.mark.parametrize(
    ("column", "reporting_code"),
    [("therapies", "ANG"), ("therapies", "VOC"), ("medications", "NRT"),
     ("medications", "CLND"), ("medications", "PMAT"), ("payments", "SAMF"),
     ("payments", "PA"), ("age_groups", "ADLT"), ("genders", "MALE"), ("languages", "SP"),
     ("languages", "F4"), ("populations", "SE")],
)  # fmt: skip
def test_a_family_is_reported_when_the_row_has_a_code_of_its_category(column, reporting_code):
    assert mapped(reporting_code)[column] is not None


@pytest.mark.parametrize(
    "column", ["therapies", "medications", "payments", "age_groups", "genders", "languages",
               "populations", "detox_for", "supports", "operators"],
)  # fmt: skip
def test_a_family_without_any_code_of_its_categories_is_unknown_not_none(column):
    assert mapped("OP")[column] is None


def test_a_reported_family_with_nothing_matching_is_an_empty_list():
    # ANG (anger management) is a treatment approach: therapy is reported, none of ours apply.
    assert mapped("ANG")["therapies"] == []


def test_care_level_and_accreditation_are_always_reported():
    attributes = mapped()
    assert attributes["care_levels"] == []
    assert attributes["accreditations"] == []


def test_every_reported_language_list_includes_english():
    assert mapped("SP")["languages"] == ["en", "es"]


def test_parse_codes_reads_groups_separated_by_stars():
    assert parse_codes("SA DT * OP  ORT *  * MU") == {"SA", "DT", "OP", "ORT", "MU"}


def test_unknown_codes_are_those_in_no_code_list():
    assert unknown_codes({"SA", "XYZZY"}) == {"XYZZY"}


def test_any_code_of_a_family_reports_it():
    # A DUI program with no other special-program code reports its populations; a
    # medication with no therapy code reports therapies (it implies medication-assisted).
    assert mapped("DU")["populations"] == ["dui"]
    assert mapped("BU")["therapies"] == ["mat"]
    assert mapped("OP")["languages"] is None, "English alone is no evidence of a language list"
