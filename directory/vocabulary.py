"""The controlled vocabularies of the directory: stable codes, English labels and their order.

Codes are API values and never change; labels are English source strings, marked with
``N_`` so that Babel extracts them and the web layer translates them at render time.
Everything else in the project (models, import, matcher, forms, API) reads this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (no Flask in this module)."""
    return message


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary family."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Family:
    """A vocabulary family: its code, its label, whether a listing can have several values."""

    code: str
    label: str
    terms: tuple[Term, ...]
    multiple: bool = True

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def label_of(self, code: str) -> str:
        return self._by_code[code].label

    def term(self, code: str) -> Term:
        return self._by_code[code]

    @cached_property
    def _by_code(self) -> dict[str, Term]:
        return {term.code: term for term in self.terms}

    def order(self, codes) -> list[str]:
        """The given codes in the family's order (unknown codes dropped)."""
        wanted = set(codes)
        return [code for code in self.codes if code in wanted]


SERVICE_TYPE = Family(
    "service_type",
    N_("Type of treatment"),
    (
        Term("substance_use", N_("Substance use"), N_("Treatment for alcohol or drug use")),
        Term("mental_health", N_("Mental health"), N_("Treatment for mental-health conditions")),
    ),
)

CARE_LEVEL = Family(
    "care_level",
    N_("Level of care"),
    (
        Term("detox", N_("Detox"), N_("Medically supervised withdrawal management")),
        Term("inpatient", N_("Hospital inpatient"), N_("Round-the-clock care in a hospital")),
        Term("residential", N_("Residential"), N_("Live at the treatment centre for a while")),
        Term(
            "php",
            N_("Partial hospitalization"),
            N_("Day treatment most of the day, home at night"),
        ),
        Term(
            "iop",
            N_("Intensive outpatient"),
            N_("Several sessions a week while living at home"),
        ),
        Term("outpatient", N_("Outpatient"), N_("Regular appointments, living at home")),
        Term(
            "recovery_housing",
            N_("Recovery housing"),
            N_("Sober living or transitional housing with support"),
        ),
    ),
)

DUAL_DIAGNOSIS = Family(
    "dual_diagnosis",
    N_("Co-occurring mental-health care"),
    (
        Term(
            "enhanced",
            N_("Integrated care for co-occurring conditions"),
            N_("Treats substance use and mental-health conditions together"),
        ),
        Term(
            "capable",
            N_("Program for co-occurring conditions"),
            N_("Has a program for people with both substance use and mental-health conditions"),
        ),
        Term("none", N_("No co-occurring program")),
    ),
    multiple=False,
)

THERAPY = Family(
    "therapy",
    N_("Therapies"),
    (
        Term("cbt", N_("Cognitive behavioral therapy (CBT)")),
        Term("dbt", N_("Dialectical behavior therapy (DBT)")),
        Term("mi", N_("Motivational interviewing")),
        Term("family", N_("Family therapy")),
        Term("mat", N_("Medication-assisted treatment")),
        Term("contingency_management", N_("Contingency management")),
        Term("twelve_step", N_("12-step facilitation")),
        Term("trauma", N_("Trauma-related counseling")),
        Term("relapse_prevention", N_("Relapse prevention")),
        Term("emdr", N_("EMDR")),
        Term("group", N_("Group therapy")),
        Term("individual", N_("Individual therapy")),
    ),
)

MEDICATION = Family(
    "medication",
    N_("Medications"),
    (
        Term("buprenorphine", N_("Buprenorphine")),
        Term("methadone", N_("Methadone")),
        Term("naltrexone", N_("Naltrexone")),
        Term("acamprosate", N_("Acamprosate")),
        Term("disulfiram", N_("Disulfiram")),
    ),
)

PAYMENT = Family(
    "payment",
    N_("Payment"),
    (
        Term("self_pay", N_("Cash or self-payment")),
        Term("medicaid", N_("Medicaid")),
        Term("medicare", N_("Medicare")),
        Term("private_insurance", N_("Private health insurance")),
        Term("military", N_("Military insurance (e.g. TRICARE)")),
        Term("state_funded", N_("State-financed insurance")),
        Term("sliding_scale", N_("Sliding fee scale")),
        Term("payment_assistance", N_("Payment assistance")),
        Term("ihs_tribal", N_("IHS/Tribal/Urban (ITU) funds")),
        Term("free", N_("Free of charge")),
    ),
)

AGE_GROUP = Family(
    "age_group",
    N_("Ages served"),
    (
        Term("adolescents", N_("Adolescents")),
        Term("young_adults", N_("Young adults")),
        Term("adults", N_("Adults")),
        Term("seniors", N_("Seniors")),
    ),
)

GENDER = Family(
    "gender",
    N_("Gender served"),
    (
        Term("women", N_("Women")),
        Term("men", N_("Men")),
    ),
)

POPULATION = Family(
    "population",
    N_("Special programs"),
    (
        Term("veterans", N_("Veterans")),
        Term("active_military", N_("Active-duty military")),
        Term("lgbtq", N_("LGBTQ+ people")),
        Term("pregnant_postpartum", N_("Pregnant or postpartum women")),
        Term("criminal_justice", N_("People involved with the justice system")),
        Term("trauma_survivors", N_("Survivors of trauma")),
        Term("dui", N_("DUI/DWI offenders")),
    ),
)

LANGUAGE = Family(
    "language",
    N_("Languages"),
    (
        Term("en", N_("English")),
        Term("es", N_("Spanish")),
        Term("asl", N_("American Sign Language")),
        Term("ar", N_("Arabic")),
        Term("zh", N_("Chinese")),
        Term("ht", N_("Haitian Creole")),
        Term("fa", N_("Farsi")),
        Term("fr", N_("French")),
        Term("de", N_("German")),
        Term("el", N_("Greek")),
        Term("he", N_("Hebrew")),
        Term("hi", N_("Hindi")),
        Term("hmn", N_("Hmong")),
        Term("it", N_("Italian")),
        Term("ja", N_("Japanese")),
        Term("ko", N_("Korean")),
        Term("pl", N_("Polish")),
        Term("pt", N_("Portuguese")),
        Term("ru", N_("Russian")),
        Term("tl", N_("Tagalog")),
        Term("vi", N_("Vietnamese")),
        Term("nv", N_("Navajo")),
        Term("oj", N_("Ojibwa")),
        Term("ypk", N_("Yupik")),
    ),
)

ACCREDITATION = Family(
    "accreditation",
    N_("Licences and accreditation"),
    (
        Term("carf", N_("CARF")),
        Term("joint_commission", N_("The Joint Commission")),
        Term("coa", N_("Council on Accreditation (COA)")),
        Term("ncqa", N_("NCQA")),
        Term("hfap", N_("HFAP")),
        Term("state_licensed", N_("State licensed or certified")),
        Term("otp_certified", N_("Certified opioid treatment program")),
        Term("fqhc", N_("Federally qualified health center")),
    ),
)

DETOX_FOR = Family(
    "detox_for",
    N_("Detox for"),
    (
        Term("opioids", N_("Opioids")),
        Term("alcohol", N_("Alcohol")),
        Term("benzodiazepines", N_("Benzodiazepines")),
        Term("cocaine", N_("Cocaine")),
        Term("methamphetamine", N_("Methamphetamine")),
    ),
)

SUPPORT = Family(
    "support",
    N_("Recovery support and practical help"),
    (
        Term("transportation", N_("Transportation assistance")),
        Term("case_management", N_("Case management")),
        Term("peer_support", N_("Peer support")),
        Term("self_help_groups", N_("Self-help groups")),
        Term("recovery_coach", N_("Recovery coaching")),
        Term("housing_services", N_("Housing services")),
        Term("employment", N_("Employment help")),
        Term("social_services", N_("Help getting social services")),
        Term("walk_in_crisis", N_("Walk-in crisis care")),
    ),
)

OPERATOR = Family(
    "operator",
    N_("Who runs it"),
    (
        Term("private_nonprofit", N_("Private non-profit")),
        Term("private_for_profit", N_("Private for-profit")),
        Term("local_government", N_("Local government")),
        Term("state_government", N_("State government")),
        Term("tribal_government", N_("Tribal government")),
        Term("indian_health_service", N_("Indian Health Service")),
        Term("veterans_affairs", N_("Veterans Affairs")),
        Term("defense", N_("Department of Defense")),
        Term("federal", N_("Federal government")),
    ),
)

FAMILIES: dict[str, Family] = {
    family.code: family
    for family in (
        SERVICE_TYPE,
        CARE_LEVEL,
        DUAL_DIAGNOSIS,
        THERAPY,
        MEDICATION,
        PAYMENT,
        AGE_GROUP,
        GENDER,
        POPULATION,
        LANGUAGE,
        DETOX_FOR,
        SUPPORT,
        OPERATOR,
        ACCREDITATION,
    )
}

# The listing field that holds each multi-valued family's codes (the one place that says so).
LISTING_FIELDS: dict[str, str] = {
    "service_type": "service_types",
    "care_level": "care_levels",
    "therapy": "therapies",
    "medication": "medications",
    "payment": "payments",
    "age_group": "age_groups",
    "gender": "genders",
    "population": "populations",
    "language": "languages",
    "detox_for": "detox_for",
    "support": "supports",
    "operator": "operators",
    "accreditation": "accreditations",
}

# Where a listing's data came from.
SOURCES = {
    "samhsa": N_("SAMHSA national directory"),
    "provider": N_("The provider"),
    "admin": N_("Directory staff"),
    "demo": N_("Demo data (fictional)"),
}

# How precisely a point was placed.
PRECISIONS = ("address", "zip", "city", "state")

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "FM": "Micronesia",
    "MH": "Marshall Islands",
    "PW": "Palau",
}
