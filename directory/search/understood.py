"""A search's parameters with what the person said in their own words (``q``) merged in.

The sentence fills what the other parameters leave out: a place, distance or single choice given
explicitly wins, repeatable choices are added together, and "must"/"only" adds a must-have. The
same merge serves the results page, the API and the widget, so ``q`` means the same everywhere.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from directory.search.request import CODE_PARAMETERS, DEFAULT_REQUIRED
from directory.search.words import Understanding, understand_offline

FLAGS = ("co_occurring", "telehealth", "open_now", "walk_in")
SINGLE = frozenset(
    {"location", "radius", *FLAGS}
    | {name for name, (_, _, repeatable) in CODE_PARAMETERS.items() if not repeatable}
)
MAX_WORDS = 300


def searchable_parameters() -> frozenset[str]:
    """The parameters the search takes today (a family not among them is said, not searched)."""
    return frozenset({"location", "radius", *FLAGS, *CODE_PARAMETERS})


def with_own_words(args: MultiDict) -> tuple[MultiDict, Understanding | None]:
    """``args`` with ``q`` understood and merged in, and the understanding (None without ``q``)."""
    text = " ".join((args.get("q") or "").split())
    if not text:
        return args, None
    understood = understand_offline(text[:MAX_WORDS], parameters=searchable_parameters())
    return merged(args, understood), understood


def merged(args: MultiDict, understood: Understanding) -> MultiDict:
    """The explicit parameters with the understood ones filling in (see the module's docstring)."""
    result = MultiDict(args)
    for name, values in understood.parameters().items():
        present = [value for value in args.getlist(name) if value.strip()]
        if name == "location" and (args.get("lat") or args.get("lon")):
            continue  # coordinates given are the place
        if name in SINGLE:
            if not present:
                result.setlist(name, values[:1])
            continue
        result.setlist(name, list(dict.fromkeys([*present, *values])))
    if understood.required:
        result.setlist("require", _required(args, result, understood))
    return result


def _required(args: MultiDict, result: MultiDict, understood: Understanding) -> list[str]:
    """The must-haves: the ones given (or the default ones asked for) and the ones said."""
    given = [name for value in args.getlist("require") for name in value.split(",") if name]
    if "require" not in args:
        given = [name for name in sorted(DEFAULT_REQUIRED) if result.get(name)]
    return list(dict.fromkeys([*given, *sorted(understood.required)]))


def understood_json(understood: Understanding) -> dict:
    """What the API's ``understood`` says: the words, what each phrase became, what was not used."""
    return {
        "text": understood.text,
        "parameters": understood.parameters(),
        "require": sorted(understood.required),
        "phrases": [
            {"words": p.words, "parameter": p.parameter, "values": list(p.values)}
            for p in understood.phrases
        ]
        + _place_phrases(understood),
        "corrections": [
            {"typed": typed, "read_as": read} for typed, read in understood.corrections
        ],
        "not_understood": list(understood.not_understood),
        "not_searchable": [
            {"words": p.words, "parameter": p.parameter, "values": list(p.values)}
            for p in understood.not_searchable
        ],
        "near_me": understood.near_me,
        "crisis": understood.crisis,
    }


def _place_phrases(understood: Understanding) -> list[dict]:
    phrases = []
    if understood.location:
        phrases.append(
            {
                "words": understood.location_words,
                "parameter": "location",
                "values": [understood.location],
            }
        )
    if understood.radius:
        phrases.append(
            {"words": understood.radius_words, "parameter": "radius", "values": [understood.radius]}
        )
    return phrases
