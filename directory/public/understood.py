"""What a sentence typed in the words box became, as the page shows it: removable chips.

Each chip names one thing understood in the visitor's language and links to the same search
with that thing taken out (the sentence replaced by the explicit parameters it gave), so
removing one chip keeps the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from werkzeug.datastructures import MultiDict

from directory.matching.needs import ANY_OF
from directory.search.words import Phrase, Understanding
from directory.vocabulary import FAMILIES
from directory.web.i18n import fast_gettext as _
from directory.web.i18n import first_upper

FLAG_LABELS = {
    "co_occurring": "Mental-health care too",
    "telehealth": "Telehealth",
    "open_now": "Open now",
    "walk_in": "Walk-in or same-day admission",
}
# Other parameters' values are vocabulary codes of the family of the same name; the matcher's
# ANY_OF says which of them are met by any one code ("or") rather than every one ("and").


@dataclass(frozen=True)
class Chip:
    """One thing understood: its words, and the link that drops it (None: it cannot be dropped)."""

    label: str
    remove_url: str | None
    typed: str = ""


def own_words_chips(
    understood, args: MultiDict, place_label: str | None, removable: bool = True
) -> list[Chip]:
    """The chips for a search page, in the order the sentence said them (the place last)."""
    if understood is None:
        return []
    if not removable:
        return [
            Chip(c.label, None, c.typed) for c in own_words_chips(understood, args, place_label)
        ]
    explicit = MultiDict(args)
    explicit.pop("q", None)
    explicit.pop("page", None)
    shown = [
        Chip(
            _phrase_label(phrase, understood),
            _without(explicit, phrase),
            _typed(phrase, understood),
        )
        for phrase in understood.phrases
    ]
    if understood.radius:
        miles = understood.radius
        label = (
            _("Anywhere in the country")
            if miles == "5000"
            else _("Within %(miles)s miles", miles=miles)
        )
        shown.append(Chip(label, _dropped(explicit, "radius", ())))
    if understood.location and place_label:
        shown.append(Chip(_("Near %(place)s", place=place_label), None))
    return shown


def _phrase_label(phrase: Phrase, understood: Understanding) -> str:
    """'Residential', 'Medicaid (must have)', 'Free of charge or Sliding fee scale'."""
    if phrase.parameter in FLAG_LABELS:
        text = _(FLAG_LABELS[phrase.parameter])
    else:
        family = FAMILIES[phrase.parameter]
        joiner = _(" or ") if phrase.parameter in ANY_OF else _(" and ")
        text = joiner.join(_(family.label_of(code)) for code in family.order(phrase.values))
    text = first_upper(text)
    if phrase.parameter in understood.required:
        text = _("%(need)s (must have)", need=text)
    return text


def _typed(phrase: Phrase, understood: Understanding) -> str:
    """The misspelt words behind a phrase, as typed ("suboxen"), or ''."""
    said = phrase.words.split(", ")
    return ", ".join(
        typed
        for typed, _ in understood.corrections
        if typed in said or any(typed in words.split() for words in said)
    )


def _without(explicit: MultiDict, phrase: Phrase) -> str:
    return _dropped(explicit, phrase.parameter, phrase.values)


def _dropped(explicit: MultiDict, parameter: str, values) -> str:
    """This search as explicit parameters, without these values of one parameter."""
    kept = MultiDict(explicit)
    remaining = [v for v in explicit.getlist(parameter) if values and v not in values]
    kept.setlist(parameter, remaining)
    if not remaining and "require" in kept:
        names = [n for value in kept.getlist("require") for n in value.split(",") if n]
        kept.setlist("require", [n for n in names if n != parameter] or [""])
    return url_for("public.search", **kept.to_dict(flat=False))
