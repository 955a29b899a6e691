"""The normative mapping of SAMHSA service codes onto the directory's vocabulary (DESIGN.md 3.3).

``map_codes`` takes the set of a facility's service codes and returns its listing attributes,
keeping "unknown" (the family was not reported: ``None``) apart from "none" (``[]``).
"""

from __future__ import annotations

from directory.importers.samhsa_codes import CODE_CATEGORY
from directory.vocabulary import FAMILIES, LISTING_FIELDS

# family -> our code -> the SAMHSA codes that mean it. Context-dependent codes (RES, OP) and
# derived values (dual diagnosis, mat) are handled in the functions below.
CODE_MAP: dict[str, dict[str, tuple[str, ...]]] = {
    "service_type": {"substance_use": ("SA",), "mental_health": ("MH",)},
    "care_level": {
        "detox": ("DT", "HID", "OD", "RD"),
        "inpatient": ("HI", "HIT"),
        "residential": ("RS", "RL"),
        "php": ("ODT", "PHDT"),
        "iop": ("OIT",),
        "outpatient": ("ORT", "OMB"),
        "recovery_housing": ("HH",),
    },
    "therapy": {
        "cbt": ("CBT",),
        "dbt": ("DBT",),
        "mi": ("MOTI",),
        "family": ("FCO", "CFT"),
        "contingency_management": ("CMI",),
        "twelve_step": ("TWFA",),
        "trauma": ("TRC",),
        "relapse_prevention": ("RELP",),
        "emdr": ("EMDR",),
        "group": ("GCO", "GT"),
        "individual": ("ICO", "IPT"),
        "mat": ("OTP", "PMAT"),
    },
    "medication": {
        "buprenorphine": ("BU", "BWN", "BWON", "BERI", "BSDM", "BUM", "BMW", "DB", "UB"),
        "methadone": ("MU", "METH", "MM", "MMW", "DM"),
        "naltrexone": ("NU", "NXN", "VTRL", "UN", "RPN"),
        "acamprosate": ("ACM",),
        "disulfiram": ("DSF",),
    },
    "payment": {
        "medicaid": ("MD",),
        "medicare": ("MC",),
        "private_insurance": ("PI",),
        "self_pay": ("SF",),
        "military": ("MI",),
        "state_funded": ("SI",),
        "sliding_scale": ("SS",),
        "payment_assistance": ("PA",),
        "ihs_tribal": ("ITU",),
        "free": ("NP",),
    },
    "age_group": {
        "adolescents": ("CHLD",),
        "young_adults": ("YAD",),
        "adults": ("ADLT",),
        "seniors": ("SNR",),
    },
    "gender": {"women": ("FEM",), "men": ("MALE",)},
    "population": {
        "veterans": ("VET",),
        "active_military": ("ADM",),
        "lgbtq": ("GL",),
        "pregnant_postpartum": ("PW",),
        "criminal_justice": ("CJ",),
        "trauma_survivors": ("TRMA",),
        "dui": ("DU",),
    },
    "language": {
        "es": ("SP",),
        "asl": ("AH",),
        "ar": ("F4",),
        "zh": ("F17",),
        "ht": ("F19",),
        "fa": ("F25",),
        "fr": ("F28",),
        "de": ("F30",),
        "el": ("F31",),
        "he": ("F35",),
        "hi": ("F36",),
        "hmn": ("F37",),
        "it": ("F42",),
        "ja": ("F43",),
        "ko": ("F47",),
        "pl": ("F66",),
        "pt": ("F67",),
        "ru": ("F70",),
        "tl": ("F81",),
        "vi": ("F92",),
        "nv": ("N23",),
        "oj": ("N24",),
        "ypk": ("N40",),
    },
    "detox_for": {
        "opioids": ("ODTX",),
        "alcohol": ("ADTX",),
        "benzodiazepines": ("BDTX",),
        "cocaine": ("CDTX",),
        "methamphetamine": ("MDTX",),
    },
    "support": {
        "transportation": ("TA",),
        "case_management": ("CM",),
        "peer_support": ("PEER",),
        "self_help_groups": ("SHG",),
        "recovery_coach": ("RC",),
        "housing_services": ("HS",),
        "employment": ("EMP",),
        "social_services": ("AOSS",),
        "walk_in_crisis": ("WI",),
    },
    "operator": {
        "private_nonprofit": ("PVTN",),
        "private_for_profit": ("PVTP",),
        "local_government": ("LCCG",),
        "state_government": ("STG",),
        "tribal_government": ("TBG",),
        "indian_health_service": ("IH",),
        "veterans_affairs": ("VAMC",),
        "defense": ("DDF",),
        "federal": ("FED",),
    },
    "accreditation": {
        "carf": ("CARF",),
        "joint_commission": ("JC",),
        "coa": ("COA",),
        "ncqa": ("NCQA",),
        "hfap": ("HFAP",),
        "fqhc": ("FQHC",),
        "state_licensed": ("STAG", "STMH", "STDH", "HLA"),
        "otp_certified": ("SOTP", "OTP"),
    },
}

# A family counts as reported when the row has a code of one of these SAMHSA categories;
# families not listed here (care level, service type, accreditation) are always reported.
REPORTED_BY_CATEGORY: dict[str, frozenset[str]] = {
    "therapy": frozenset({"TAP", "ECS"}),
    "medication": frozenset({"OM", "PHR", "OT", "AUT"}),
    "payment": frozenset({"PAY", "PYAS"}),
    "age_group": frozenset({"AGE"}),
    "gender": frozenset({"GN"}),
    "language": frozenset({"SL", "OL"}),
    "population": frozenset({"SG"}),
    "detox_for": frozenset({"DETOX"}),
    "support": frozenset({"AS", "RSS", "EMS"}),
    "operator": frozenset({"FOP"}),
}

# Listing column for each family.
COLUMN_OF = LISTING_FIELDS

# Offered by every row (every provider offers English): no evidence that a family is reported.
ALWAYS_OFFERED = {"language": {"en"}}

OUTPATIENT_SPECIFIC = frozenset({"OD", "ODT", "OIT", "OMB", "ORT"})


def parse_codes(service_code_info: str) -> set[str]:
    """The codes of a ``service_code_info`` cell: space-separated, in groups split by ``*``."""
    return set((service_code_info or "").replace("*", " ").split())


def unknown_codes(codes: set[str]) -> set[str]:
    """Codes that are in no SAMHSA code list."""
    return {code for code in codes if code not in CODE_CATEGORY}


def map_codes(codes: set[str]) -> dict:
    """Listing attributes (column name -> value) for a facility with these service codes."""
    categories = {CODE_CATEGORY.get(code) for code in codes}
    attributes = {}
    for family, values in CODE_MAP.items():
        column = COLUMN_OF[family]
        offered = {value for value, samhsa in values.items() if codes.intersection(samhsa)}
        offered |= _contextual(family, codes)
        # A row that has any code of a family reports it (a DUI program reports populations;
        # a medication, which implies "mat", reports therapies).
        reported_by = REPORTED_BY_CATEGORY.get(family)
        mapped = offered - ALWAYS_OFFERED.get(family, set())
        if reported_by is not None and not (categories & reported_by) and not mapped:
            attributes[column] = None
            continue
        attributes[column] = FAMILIES[family].order(offered)
    attributes["dual_diagnosis"] = _dual_diagnosis(codes)
    attributes["telehealth"] = "TELE" in codes
    return attributes


def _contextual(family: str, codes: set[str]) -> set[str]:
    """Values that depend on more than one code."""
    found = set()
    if family == "care_level":
        if "RES" in codes and "RD" not in codes:
            found.add("residential")
        if "OP" in codes and not codes & OUTPATIENT_SPECIFIC:
            found.add("outpatient")
    elif family == "therapy" and _offers_medication(codes):
        found.add("mat")
    elif family == "language":
        found.add("en")
    return found


def _offers_medication(codes: set[str]) -> bool:
    return any(codes.intersection(samhsa) for samhsa in CODE_MAP["medication"].values())


def _dual_diagnosis(codes: set[str]) -> str:
    if codes & {"SUMH", "IDD"}:
        return "enhanced"
    if codes & {"CO", "COPSU"}:
        return "capable"
    return "none"
