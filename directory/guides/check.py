"""The short guided check: a few plain questions, and where to start looking, with the reason.

Plain Python (no web): the questions, their answers' codes, and the rules that turn answers into
a suggestion and a search. The use questions follow the public-domain NIDA Quick Screen
(frequency in the past year, from "never" to "daily or almost daily"); the rest are plain
safety and practical questions. It is not a clinical assessment and does not follow any
licensed criteria: every suggestion says that a clinician's assessment decides. Answers live
only in the page and its URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.vocabulary import N_, Term


@dataclass(frozen=True)
class Question:
    """One question: its parameter name, the words, its choices, one or several answers."""

    name: str
    text: str
    choices: tuple[Term, ...]  # a code and its English label each
    multiple: bool = False
    hint: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)


@dataclass(frozen=True)
class Step:
    """One page of the check: a title and its questions (free text fields named in ``fields``)."""

    name: str
    title: str
    questions: tuple[Question, ...]
    fields: tuple[str, ...] = ()


def _choices(*pairs: tuple[str, str]) -> tuple[Term, ...]:
    return tuple(Term(code, label) for code, label in pairs)


FREQUENCY = _choices(
    ("never", N_("Never")),
    ("once_or_twice", N_("Once or twice")),
    ("monthly", N_("Monthly")),
    ("weekly", N_("Weekly")),
    ("daily", N_("Daily or almost daily")),
)

STEPS: tuple[Step, ...] = (
    Step(
        "who",
        N_("Who is this for?"),
        (
            Question(
                "for",
                N_("Are you looking for yourself or for someone else?"),
                _choices(("me", N_("For me")), ("other", N_("For someone else"))),
            ),
            Question(
                "age",
                N_("How old is the person who needs help?"),
                _choices(
                    ("under_18", N_("Under 18")),
                    ("18_25", N_("18 to 25")),
                    ("26_64", N_("26 to 64")),
                    ("65_plus", N_("65 or older")),
                ),
            ),
        ),
    ),
    Step(
        "what",
        N_("What is the help for?"),
        (
            Question(
                "concern",
                N_("What worries you most? Choose all that apply."),
                _choices(
                    ("alcohol", N_("Alcohol")),
                    (
                        "opioids",
                        N_(
                            "Opioids: heroin, fentanyl, pain pills, or misused Suboxone "
                            "or methadone"
                        ),
                    ),
                    ("stimulants", N_("Methamphetamine, cocaine or other stimulants")),
                    ("sedatives", N_("Benzodiazepines (Xanax, Klonopin) or sleeping pills")),
                    ("cannabis", N_("Cannabis (marijuana)")),
                    ("other_drug", N_("Another drug, such as ketamine")),
                    ("mental_health", N_("Mental health only (no alcohol or drugs)")),
                    ("not_sure", N_("I am not sure")),
                ),
                multiple=True,
            ),
        ),
    ),
    Step(
        "use",
        N_("How often, and how recently?"),
        (
            Question(
                "drinking",
                N_(
                    "In the past year, how often has the person had 4 or more "
                    "drinks in a day (5 or more for a man)?"
                ),
                FREQUENCY,
            ),
            Question(
                "drugs",
                N_(
                    "In the past year, how often has the person used an illegal "
                    "drug, or a prescription medicine for non-medical reasons?"
                ),
                FREQUENCY,
            ),
            Question(
                "last_use",
                N_("When was the last time?"),
                _choices(
                    ("today", N_("Today or yesterday")),
                    ("week", N_("In the past week")),
                    ("month", N_("In the past month")),
                    ("longer", N_("More than a month ago")),
                ),
            ),
        ),
    ),
    Step(
        "safety",
        N_("Withdrawal and danger signs"),
        (
            Question(
                "danger",
                N_("Is any of this happening right now? Choose all that apply."),
                _choices(
                    ("seizure", N_("A seizure (fit), or shaking that will not stop")),
                    ("confused", N_("Confusion, or seeing or hearing things that are not there")),
                    ("breathing", N_("Very hard to wake, slow or no breathing, blue lips")),
                    ("chest", N_("Chest pain or trouble breathing")),
                    ("suicide", N_("Thoughts of suicide or of hurting someone")),
                    ("none", N_("None of these")),
                ),
                multiple=True,
                hint=N_(
                    "If any of these is happening, call 911 now. For thoughts of "
                    "suicide, call or text 988."
                ),
            ),
            Question(
                "withdrawal",
                N_("When the person cut down or stopped before, what happened?"),
                _choices(
                    ("none", N_("Nothing much")),
                    ("mild", N_("Shaky, sweaty, sick, anxious or unable to sleep")),
                    ("severe", N_("Seizures, confusion, or seeing things (for example the DTs)")),
                    ("never_tried", N_("They have not tried to stop")),
                ),
            ),
        ),
    ),
    Step(
        "home",
        N_("Home and support"),
        (
            Question(
                "home",
                N_("Can the person stay safe at home while getting treatment?"),
                _choices(
                    ("safe_supported", N_("Yes, and someone there supports their recovery")),
                    ("safe_alone", N_("Yes, but they are alone, or others there drink or use")),
                    (
                        "not_safe",
                        N_(
                            "No: home is not safe, there is no stable home, or they "
                            "cannot stop even with help"
                        ),
                    ),
                ),
            ),
            Question(
                "tried",
                N_("Have they had treatment before that did not work?"),
                _choices(
                    ("no", N_("No, this would be the first time")),
                    ("outpatient", N_("Yes, outpatient treatment or counseling")),
                    ("residential", N_("Yes, detox or residential treatment")),
                ),
            ),
        ),
    ),
    Step(
        "mind",
        N_("Mental health"),
        (
            Question(
                "mental_health",
                N_("Is there also depression, anxiety, trauma, or another mental-health concern?"),
                _choices(("yes", N_("Yes")), ("no", N_("No")), ("not_sure", N_("Not sure"))),
            ),
        ),
    ),
    Step(
        "practical",
        N_("Where and how to pay"),
        (
            Question(
                "payment",
                N_("How would treatment be paid for?"),
                _choices(
                    ("medicaid", N_("Medicaid (or the state's Medicaid plan)")),
                    ("medicare", N_("Medicare")),
                    ("private_insurance", N_("Private insurance")),
                    ("military", N_("TRICARE or VA")),
                    ("none", N_("No insurance")),
                    ("not_sure", N_("Not sure")),
                ),
            ),
            Question(
                "language",
                N_("Language of care"),
                _choices(("en", N_("English")), ("es", N_("Spanish"))),
            ),
            Question(
                "telehealth",
                N_("Would video or phone sessions be all right?"),
                _choices(("yes", N_("Yes")), ("no", N_("No"))),
            ),
        ),
        fields=("location",),
    ),
)

QUESTIONS: dict[str, Question] = {q.name: q for step in STEPS for q in step.questions}
STEP_NAMES = tuple(step.name for step in STEPS)
FREE_TEXT = ("location",)
MAX_LOCATION = 200


@dataclass(frozen=True)
class Suggestion:
    """Where to start: a kind of care, the reasons in plain words, and the search to open."""

    code: str
    reasons: tuple[str, ...]
    search: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_emergency(self) -> bool:
        return self.code == "emergency"


# What each suggestion is called and says (English source strings; the pages translate them).
SUGGESTIONS = {
    "emergency": N_("Call 911 now"),
    "detox": N_("Medical detox first"),
    "medication": N_("Medication for opioid use, with counseling"),
    "residential": N_("Residential treatment"),
    "iop": N_("Intensive outpatient"),
    "outpatient": N_("Outpatient treatment"),
    "assessment": N_("Start with an assessment"),
}

WITHDRAWAL_DANGER = frozenset({"alcohol", "sedatives"})
DAILY = frozenset({"daily"})
OFTEN = frozenset({"daily", "weekly"})
AGE_GROUPS = {
    "under_18": "adolescents",
    "18_25": "young_adults",
    "26_64": "adults",
    "65_plus": "seniors",
}
PAYMENTS = {
    "medicaid": ("medicaid",),
    "medicare": ("medicare",),
    "private_insurance": ("private_insurance",),
    "military": ("military",),
    "none": ("free", "sliding_scale", "payment_assistance"),
}


def answers_from(args) -> dict[str, list[str]]:
    """The known answers in a multi-dict of query parameters; anything else is left out."""
    answers: dict[str, list[str]] = {}
    for name, question in QUESTIONS.items():
        values = [value for value in args.getlist(name) if value in question.codes]
        values = list(dict.fromkeys(values))
        if values:
            answers[name] = values if question.multiple else values[:1]
    location = " ".join((args.get("location") or "").split())[:MAX_LOCATION]
    if location:
        answers["location"] = [location]
    return answers


def answered(answers: dict[str, list[str]], name: str) -> set[str]:
    return set(answers.get(name, ()))


def suggest(answers: dict[str, list[str]]) -> Suggestion:
    """The suggestion for these answers (any may be missing: every question can be skipped)."""
    danger = answered(answers, "danger") - {"none"}
    if danger:
        reasons = [
            N_("What is happening now can be life-threatening. Do not wait for a treatment place.")
        ]
        if "suicide" in danger:
            reasons.append(N_("For thoughts of suicide, call or text 988 at any hour."))
        return Suggestion("emergency", tuple(reasons))
    code, reasons = _level(answers)
    return Suggestion(code, tuple(reasons), _search(code, answers))


def _level(answers) -> tuple[str, list[str]]:
    concern = answered(answers, "concern")
    frequency = answered(answers, "drinking") | answered(answers, "drugs")
    withdrawal = answered(answers, "withdrawal")
    home = answered(answers, "home")
    substances = concern - {"mental_health", "not_sure"}
    heavy_sedating = bool(substances & WITHDRAWAL_DANGER) or (
        "daily" in answered(answers, "drinking")
    )
    if "severe" in withdrawal or (heavy_sedating and frequency & DAILY and "mild" in withdrawal):
        return "detox", [
            N_(
                "Stopping alcohol, benzodiazepines or sleeping pills suddenly "
                "after heavy daily use can cause seizures and is dangerous "
                "without medical care."
            ),
            N_(
                "Medical detox manages withdrawal safely; treatment should "
                "follow it, because detox alone rarely lasts."
            ),
        ]
    if "not_safe" in home:
        return "residential", [
            N_(
                "Living at the treatment centre for a while gives a safe "
                "place and support around the clock when home cannot."
            ),
        ]
    if "opioids" in substances and frequency & OFTEN:
        return "medication", [
            N_(
                "Buprenorphine, methadone or naltrexone, with counseling, is "
                "the most effective treatment for opioid use disorder and "
                "lowers the risk of dying from an overdose."
            ),
            N_("Many places can start a medication within days, often without a stay in detox."),
        ]
    if not substances and "mental_health" not in concern:
        return "assessment", [
            N_(
                "An assessment by a counselor or doctor is the best first "
                "step when you are not sure what the problem is or what is "
                "needed."
            ),
        ]
    mental = "yes" in answered(answers, "mental_health")
    tried = answered(answers, "tried") - {"no"}
    if frequency & OFTEN and ("safe_alone" in home or mental or tried):
        return "iop", [
            N_(
                "Several sessions a week give more support than weekly "
                "counseling while the person keeps living at home."
            ),
        ]
    if frequency or "safe_supported" in home or "mental_health" in concern:
        return "outpatient", [
            N_(
                "Regular appointments while living at home suit someone who "
                "is safe at home and has support."
            ),
        ]
    return "assessment", [
        N_(
            "An assessment by a counselor or doctor is the best first "
            "step when you are not sure what the problem is or what is "
            "needed."
        ),
    ]


CARE_LEVELS = {
    "detox": "detox",
    "residential": "residential",
    "iop": "iop",
    "outpatient": "outpatient",
    "assessment": "outpatient",
}
DETOX_FOR = {
    "alcohol": "alcohol",
    "opioids": "opioids",
    "sedatives": "benzodiazepines",
    "stimulants": "methamphetamine",
}


def _search(code: str, answers) -> dict[str, list[str]]:
    """The search a suggestion opens: its kind of care and what the answers said."""
    search: dict[str, list[str]] = {}
    if code in CARE_LEVELS:
        search["care_level"] = [CARE_LEVELS[code]]
    if code == "medication":
        search["therapy"] = ["mat"]
    search.update(_what_for(code, answers))
    for value in answers.get("age", ()):
        search["age_group"] = [AGE_GROUPS[value]]
    for value in answers.get("payment", ()):
        if value in PAYMENTS:
            search["payment"] = list(PAYMENTS[value])
    if "es" in answered(answers, "language"):
        search["language"] = ["es"]
    if "yes" in answered(answers, "telehealth"):
        search["telehealth"] = ["true"]
    if answers.get("location"):
        search["location"] = list(answers["location"])
    return search


def _what_for(code: str, answers) -> dict[str, list[str]]:
    """Substance use or mental health, co-occurring care, and detox by substance."""
    concern = answered(answers, "concern")
    substances = concern - {"mental_health", "not_sure"}
    if not substances:
        return {"service_type": ["mental_health"]} if "mental_health" in concern else {}
    found = {"service_type": ["substance_use"]}
    if "yes" in answered(answers, "mental_health"):
        found["co_occurring"] = ["true"]
    detox_for = [DETOX_FOR[name] for name in sorted(substances) if name in DETOX_FOR]
    if code == "detox" and detox_for:
        found["detox_for"] = detox_for
    return found
