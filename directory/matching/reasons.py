"""Why a criterion is met, unmet or unknown: translatable templates with vocabulary parameters.

A ``Reason`` holds an English template marked with ``N_`` and parameters that are vocabulary
codes (``("therapy", "cbt")``), ``("family", code)`` for a family's own name, lists of those,
plain numbers or plain strings (a state code). ``render_reason`` turns it into text with any
``gettext``, so the web layer passes Flask-Babel's and tests pass nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from directory.vocabulary import FAMILIES, N_

# List joiners, translatable like everything else.
AND = N_("and")
OR = N_("or")

# Families whose labels are names (languages, programmes such as Medicaid) keep their capital
# inside an English sentence; other labels are common nouns and are lower-cased there.
_NAME_FAMILIES = frozenset({"language", "family"})
_NAME_LABELS = frozenset({N_("Medicaid"), N_("Medicare")})


@dataclass(frozen=True)
class Reason:
    """A short explanation: an ``N_``-marked English template and its parameters."""

    message: str
    params: dict = field(default_factory=dict)
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __hash__(self) -> int:  # so its text can be remembered per language
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self.message, _frozen(self.params))))
        return self._hash


def _frozen(value):
    if isinstance(value, dict):
        return tuple((name, _frozen(item)) for name, item in value.items())
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def english_inline(label: str, family: str, english: str) -> str:
    """A label as it reads inside an English sentence ("Offers buprenorphine", "Accepts Medicaid").

    ``label`` is the translated label and ``english`` its source; only an untranslated label
    is re-cased, because other languages have their own rules (German keeps noun capitals).
    """
    if label != english or family in _NAME_FAMILIES or english in _NAME_LABELS:
        return label
    first = label.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():  # an acronym: CBT, EMDR, DUI/DWI
        return label
    return label[:1].lower() + label[1:]


def _label(value: tuple[str, str], gettext: Callable[[str], str]) -> str:
    family, code = value
    english = FAMILIES[code].label if family == "family" else FAMILIES[family].label_of(code)
    return english_inline(gettext(english), family, english)


# Spanish changes "y" to "e" before an /i/ sound and "o" to "u" before an /o/ sound
# ("español e inglés", "siete u ocho").
_EUPHONY = {
    "y": ("e", ("i", "hi", "í", "hí"), ("hie", "hia")),
    "o": ("u", ("o", "ho", "ó", "hó"), ()),
}


def join_items(items: list[str], conjunction: str) -> str:
    """ "a", "a and b", "a, b and c" (no serial comma, as in the translated catalogues)."""
    if len(items) <= 1:
        return "".join(items)
    last = items[-1]
    return f"{', '.join(items[:-1])} {_before(conjunction, last)} {last}"


def _before(conjunction: str, word: str) -> str:
    """The conjunction's form before this word (only Spanish's "y"/"o" change)."""
    changed, starts, exceptions = _EUPHONY.get(conjunction, (conjunction, (), ()))
    lowered = word.lower()
    if lowered.startswith(starts) and not lowered.startswith(exceptions):
        return changed
    return conjunction


def _render_param(value, conjunction: str, gettext):
    if isinstance(value, tuple):
        return _label(value, gettext)
    if isinstance(value, list):
        return join_items([_render_param(v, conjunction, gettext) for v in value], conjunction)
    return value


def _untranslated(message: str) -> str:
    return message


def render_reason(reason: Reason, gettext: Callable[[str], str] = _untranslated) -> str:
    """The reason as text: the template and every vocabulary label translated with ``gettext``.

    Texts are remembered per reason and ``gettext`` (one per language: a search page renders
    the same few reasons for many results, and every search the same few hundred)."""
    try:
        return _rendered(reason, gettext)
    except TypeError:  # a parameter or a gettext that cannot be hashed: render it afresh
        return _render(reason, gettext)


def _render(reason: Reason, gettext: Callable[[str], str]) -> str:
    conjunction = gettext(reason.params.get("conjunction", AND))
    values = {
        name: _render_param(value, conjunction, gettext)
        for name, value in reason.params.items()
        if name != "conjunction"
    }
    text = gettext(reason.message) % values
    return text[:1].upper() + text[1:]


_rendered = lru_cache(maxsize=4096)(_render)
