"""Say it in your own words: a sentence in English or Spanish turned into search parameters.

Offline and deterministic. The phrase table (``phrases.toml``, kept as data) says which words
mean which search parameter and codes; numbers give distances, ZIP codes and ages; the place is
what follows "near", "in", "cerca de"... (or a ZIP, or "City, ST"), checked by a ``place_check``
the caller passes in (the gazetteer), so this module knows nothing of the web or the database.
Every word is either understood, a common word (a, the, my, need, help...) or reported as not
understood: nothing typed is dropped silently, and nothing is kept.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extractOne

PHRASES_FILE = Path(__file__).with_name("phrases.toml")
MAX_TEXT = 300
MAX_PHRASE_WORDS = 6
MAX_PLACE_WORDS = 5
WHOLE_COUNTRY = "5000"

# Words that introduce a place, longest first ("close to" before "to" is not a marker).
PLACE_MARKERS = (
    ("close", "to"),
    ("near", "to"),
    ("cerca", "de"),
    ("cerca", "del"),
    ("alrededor", "de"),
    ("outside", "of"),
    ("area", "of"),
    ("near",),
    ("in",),
    ("around",),
    ("outside",),
    ("by",),
    ("at",),
    ("en",),
    ("por",),
    ("from",),
    ("de",),
    ("within",),
    ("to",),
)
MARKERS_BY_FIRST_WORD: dict[str, tuple[tuple[str, ...], ...]] = {}
for _marker in PLACE_MARKERS:
    MARKERS_BY_FIRST_WORD[_marker[0]] = (*MARKERS_BY_FIRST_WORD.get(_marker[0], ()), _marker)
# Words a place name may contain that are otherwise common words ("Truth or Consequences" aside).
NAME_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "of", "the", "and"})
# Common words that may begin a place name when written with a capital ("New York", "El Paso").
NAME_STARTS = frozenset(
    {
        "new",
        "la",
        "las",
        "los",
        "el",
        "de",
        "saint",
        "st",
        "san",
        "santa",
        "fort",
        "port",
        "north",
        "south",
        "east",
        "west",
        "lake",
        "mount",
    }
)
DISTANCE_UNITS = {
    "mile": 1.0,
    "miles": 1.0,
    "mi": 1.0,
    "millas": 1.0,
    "milla": 1.0,
    "km": 0.621371,
    "kilometers": 0.621371,
    "kilometros": 0.621371,
}
AGE_AFTER = frozenset({"year", "years", "yr", "yrs", "yo", "ano", "anos", "yearold"})
AGE_BEFORE = frozenset(
    {
        "hes",
        "shes",
        "is",
        "im",
        "tiene",
        "aged",
        "age",
        "edad",
        "turning",
        "turned",
        "am",
        "son",
        "daughter",
        "kid",
        "child",
        "brother",
        "sister",
        "grandson",
        "granddaughter",
        "teen",
        "hijo",
        "hija",
        "nieto",
        "nieta",
    }
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Phrase:
    """Words understood as one search parameter's codes (``values``) or a flag."""

    parameter: str
    values: tuple[str, ...]
    words: str
    read_as: str = ""  # the table's word, when what was typed was a misspelling of it


@dataclass(frozen=True)
class Understanding:
    """What a sentence became: its phrases, place and distance, and what was not understood."""

    text: str
    phrases: tuple[Phrase, ...] = ()
    location: str | None = None
    location_words: str = ""
    radius: str | None = None
    radius_words: str = ""
    required: frozenset[str] = frozenset()
    not_understood: tuple[str, ...] = ()
    not_searchable: tuple[Phrase, ...] = ()
    near_me: bool = False
    crisis: bool = False
    substances: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for misspelt words

    def parameters(self) -> dict[str, list[str]]:
        """The search parameters this sentence gives, as the API names them."""
        parameters: dict[str, list[str]] = {}
        if self.location:
            parameters["location"] = [self.location]
        if self.radius:
            parameters["radius"] = [self.radius]
        for phrase in self.phrases:
            values = parameters.setdefault(phrase.parameter, [])
            values.extend(code for code in phrase.values if code not in values)
        return parameters


@dataclass(frozen=True)
class Concept:
    """One entry of the phrase table: the parameter and codes its phrases mean."""

    name: str
    parameter: str
    codes: tuple[str, ...]
    also: tuple[tuple[str, str], ...] = ()


@dataclass
class PhraseTable:
    """The phrase table: folded word tuples -> concept, the words fuzzy matching may reach, and
    place names said in Spanish."""

    phrases: dict[tuple[str, ...], Concept] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    vocabulary: frozenset[str] = frozenset()
    places: dict[str, str] = field(default_factory=dict)
    common: frozenset[str] = frozenset()  # words that carry no need of their own
    duplicates: tuple[str, ...] = ()  # phrases listed under two concepts (a test keeps it empty)
    languages: dict[str, set[str]] = field(default_factory=dict)


@cache
def phrase_table(path: Path = PHRASES_FILE) -> PhraseTable:
    """The phrase table read once from ``phrases.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = PhraseTable()
    duplicates = []
    for name, entry in data["concept"].items():
        also = tuple(sorted(entry.get("also", {}).items()))
        concept = Concept(name, entry["parameter"], tuple(entry.get("codes", ())), also)
        table.languages[name] = {language for language in ("en", "es") if entry.get(language)}
        for said in (*entry.get("en", ()), *entry.get("es", ())):
            key = tuple(fold(said))
            known = table.phrases.setdefault(key, concept)
            if known.name != name:
                duplicates.append(f"{said!r}: {known.name} and {name}")
    table.duplicates = tuple(duplicates)
    table.vocabulary = frozenset(word for key in table.phrases for word in key)
    words = {word for word in table.vocabulary if len(word) >= 5 and not word.isdigit()}
    table.common = frozenset(fold(" ".join((*data["common"]["en"], *data["common"]["es"]))))
    table.words = tuple(sorted(words - table.common))
    table.places = {" ".join(fold(name)): place for name, place in data.get("places", {}).items()}
    return table


def fold(text: str) -> list[str]:
    """Lower-case words without accents or punctuation ("¿Habla Español?" -> habla, espanol)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"(\w)['’](\w)", r"\1\2", plain)  # he's -> hes, don't -> dont
    return _WORD.findall(plain)


@dataclass
class _Token:
    word: str
    original: str
    used: bool = False
    read_as: str = ""


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for original in re.findall(r"[\w'’-]+", text):
        for word in fold(original):
            tokens.append(_Token(word, original.strip("-'’")))
    return tokens


def understand(
    text: str,
    *,
    place_check: Callable[[str], str | None] | None = None,
    place_words: Container[str] = frozenset(),
    parameters: Iterable[str] | None = None,
) -> Understanding:
    """What ``text`` asks for.

    ``place_check(words)`` returns the location to search from for words that name a place
    (else None); ``place_words`` are words of place names, never read as misspellings;
    ``parameters`` are the search parameters the directory has (a phrase for any other is
    reported as not searchable yet), default all.
    """
    text = " ".join((text or "").split())[:MAX_TEXT]
    tokens = _tokens(text)
    table = phrase_table()
    known = None if parameters is None else frozenset(parameters)
    reading = _Reading(tokens, table)
    reading.correct(place_words)
    radius, radius_words = reading.distance()
    zip_code = reading.zip_code()
    ages = reading.ages()
    found = reading.phrases()
    place, said = (zip_code, zip_code) if zip_code else reading.place(place_check)
    return _assemble(text, reading, found, ages, place, said, radius, radius_words, known)


class _Reading:
    """One pass over a sentence's words, marking each one as it is understood."""

    def __init__(self, tokens: list[_Token], table: PhraseTable):
        self.tokens = tokens
        self.table = table

    def _free(self, start: int, size: int) -> bool:
        window = self.tokens[start : start + size]
        return len(window) == size and not any(token.used for token in window)

    def _use(self, start: int, size: int) -> str:
        window = self.tokens[start : start + size]
        for token in window:
            token.used = True
        return " ".join(token.original for token in window)

    def correct(self, place_words: Container[str]) -> None:
        """Read misspelt words as the table's words ("suboxen" as "suboxone"), not place names."""
        for token in self.tokens:
            word = token.word
            if word in self.table.vocabulary or word in place_words:
                continue
            corrected = _corrected(word, self.table)
            if corrected:
                token.word, token.read_as = corrected, corrected

    def distance(self) -> tuple[str | None, str]:
        """ "within 20 miles", "a 20 millas", "30 km": the radius in miles, and the words."""
        for i, token in enumerate(self.tokens[:-1]):
            unit = DISTANCE_UNITS.get(self.tokens[i + 1].word)
            if token.word.isdigit() and unit and self._free(i, 2):
                miles = max(1, round(int(token.word[:5]) * unit))
                start = i - 1 if i and self.tokens[i - 1].word in {"within", "under", "a"} else i
                return str(miles), self._use(start, i + 2 - start)
        return None, ""

    def zip_code(self) -> str | None:
        """A five-digit ZIP code (and the place word before it: "near 10001", "cerca de")."""
        for i, token in enumerate(self.tokens):
            if len(token.word) == 5 and token.word.isdigit() and not token.used:
                self._use(i, 1)
                for start, marker in self._markers():
                    if start + len(marker) == i:
                        self._use(start, len(marker))
                if i + 1 < len(self.tokens) and len(self.tokens[i + 1].word) == 4:
                    self._use(i + 1, 1)  # ZIP+4
                return token.word
        return None

    def ages(self) -> list[tuple[int, int, str]]:
        """Ages stated as "16 years old", "he's 16", "tiene 16 años", "16yo"."""
        found = []
        for i, token in enumerate(self.tokens):
            word = token.word
            if word.endswith("yo") and word[:-2].isdigit():
                found.append((i, int(word[:-2]), self._use(i, 1)))
                continue
            if token.used or not word.isdigit() or len(word) > 2:
                continue
            after = self.tokens[i + 1].word if i + 1 < len(self.tokens) else ""
            before = self.tokens[i - 1].word if i else ""
            if after in AGE_AFTER:
                size = 3 if i + 2 < len(self.tokens) and self.tokens[i + 2].word == "old" else 2
                found.append((i, int(word), self._use(i, size)))
            elif before in AGE_BEFORE:
                found.append((i - 1, int(word), self._use(i - 1, 2)))
        return found

    def phrases(self) -> list[tuple[int, Phrase, Concept]]:
        """The table's phrases in the unused words, longest first."""
        words = [token.word for token in self.tokens]
        read_as = {i: token.read_as for i, token in enumerate(self.tokens) if token.read_as}
        found = []
        i = 0
        while i < len(self.tokens):
            for size in range(min(MAX_PHRASE_WORDS, len(self.tokens) - i), 0, -1):
                concept = self.table.phrases.get(tuple(words[i : i + size]))
                if concept and self._free(i, size):
                    corrected = " ".join(read_as[j] for j in range(i, i + size) if j in read_as)
                    said = self._use(i, size)
                    phrase = Phrase(concept.parameter, concept.codes, said, corrected)
                    found.append((i, phrase, concept))
                    i += size - 1
                    break
            i += 1
        return found

    def place(self, place_check) -> tuple[str | None, str]:
        """The place named after a marker word, or a capitalised or state-qualified name."""
        if place_check is None:
            return None, ""
        starts = [(i + len(marker), i) for i, marker in self._markers()]
        starts += [
            (i, i) for i, token in enumerate(self.tokens) if _capitalised(token, self.table.common)
        ]
        for start, marker_start in starts:
            end = start
            while end < len(self.tokens) and end - start < MAX_PLACE_WORDS:
                if not _in_place_name(self.tokens[end], end == start, self.table.common):
                    break
                end += 1
            for stop in range(end, start, -1):
                words = " ".join(token.original for token in self.tokens[start:stop])
                if self.tokens[stop - 1].word in NAME_WORDS:
                    continue
                location = place_check(words)
                if location:
                    self._use(marker_start, stop - marker_start)
                    return location, words
        return None, ""

    def _markers(self):
        """(position, marker) of each unused place word ("near", "cerca de"), longest first."""
        words = [None if token.used else token.word for token in self.tokens]
        for i, word in enumerate(words):
            for marker in MARKERS_BY_FIRST_WORD.get(word, ()):
                if tuple(words[i : i + len(marker)]) == marker:
                    yield i, marker
                    break

    def leftovers(self) -> list[str]:
        """Runs of words neither understood nor common, as typed."""
        runs, run = [], []
        for token in (*self.tokens, None):
            if token is not None and not token.used and token.word not in self.table.common:
                run.append(token.original)
            elif run:
                runs.append(" ".join(run))
                run = []
        return runs


def _capitalised(token: _Token, common: frozenset[str]) -> bool:
    """A capitalised word that may begin a place name."""
    return token.original[:1].isupper() and (token.word not in common or token.word in NAME_STARTS)


def _in_place_name(token: _Token, first: bool, common: frozenset[str]) -> bool:
    if token.used:
        return False
    word = token.word
    if word not in common:
        return True
    if first:
        return word in NAME_STARTS
    return word in NAME_WORDS or word in NAME_STARTS or _state_word(word)


def _state_word(word: str) -> bool:
    return len(word) == 2 and word.isalpha()


def _corrected(word: str, table: PhraseTable) -> str | None:
    """The table word ``word`` is a misspelling of: one edit for 5 or 6 letters, two from 7."""
    if len(word) < 5 or word.isdigit() or word in table.common or (word,) in table.phrases:
        return None
    limit = 1 if len(word) < 7 else 2
    best = extractOne(word, table.words, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
    return best[0] if best else None


def age_group(age: int) -> str | None:
    """The directory's age group for an age in years (SAMHSA's bands)."""
    if age < 10 or age > 110:
        return None
    if age < 18:
        return "adolescents"
    if age <= 25:
        return "young_adults"
    if age < 65:
        return "adults"
    return "seniors"


@dataclass
class _Found:
    """What the phrases found say, sorted out: search phrases, substances, and signals."""

    phrases: list[tuple[int, Phrase]] = field(default_factory=list)
    substances: list[str] = field(default_factory=list)
    musts: list[tuple[int, bool]] = field(default_factory=list)
    crisis: bool = False
    near_me: bool = False


def _sorted_out(found, ages) -> _Found:
    sorted_out = _Found()
    for position, phrase, concept in sorted(found, key=lambda item: item[0]):
        kind = concept.parameter
        if kind == "substance":
            sorted_out.substances.append(concept.name)
            phrase = replace_parameter(phrase, "service_type", ("substance_use",))
        sorted_out.crisis |= kind == "crisis"
        sorted_out.near_me |= kind == "near_me"
        if kind == "must":
            sorted_out.musts.append((position, concept.name == "only"))
        elif kind not in ("crisis", "near_me"):
            sorted_out.phrases.append((position, phrase))
        for parameter, code in concept.also:
            sorted_out.phrases.append((position, replace_parameter(phrase, parameter, (code,))))
    for position, age, words in ages:
        group = age_group(age)
        if group:
            sorted_out.phrases.append((position, Phrase("age_group", (group,), words)))
    sorted_out.phrases.sort(key=lambda item: item[0])
    return sorted_out


def _assemble(text, reading, found, ages, place, place_words, radius, radius_words, known):
    """The understanding from what was found: substances and conditions resolved, musts applied."""
    sorted_out = _sorted_out(found, ages)
    substances, crisis, near_me = sorted_out.substances, sorted_out.crisis, sorted_out.near_me
    must_positions = sorted_out.musts
    phrases = _resolved(sorted_out.phrases, substances)
    if radius is None and any(p.parameter == "radius" for _, p in phrases):
        radius = WHOLE_COUNTRY
        radius_words = next(p.words for _, p in phrases if p.parameter == "radius")
    phrases = [(i, p) for i, p in phrases if p.parameter != "radius"]
    searchable = [(i, p) for i, p in phrases if known is None or p.parameter in known]
    unsearchable = tuple(p for _, p in phrases if known is not None and p.parameter not in known)
    required = _musts(must_positions, searchable)
    return Understanding(
        text=text,
        phrases=tuple(_single_valued(p for _, p in searchable)),
        location=place,
        location_words=place_words or "",
        radius=radius,
        radius_words=radius_words,
        required=required,
        not_understood=tuple(reading.leftovers()),
        not_searchable=unsearchable,
        near_me=near_me and not place,
        crisis=crisis,
        substances=tuple(dict.fromkeys(substances)),
        corrections=tuple((t.original, t.read_as) for t in reading.tokens if t.read_as and t.used),
    )


def replace_parameter(phrase: Phrase, parameter: str, values=()) -> Phrase:
    return Phrase(parameter, tuple(values), phrase.words, phrase.read_as)


def _resolved(phrases, substances):
    """Conditions become co-occurring care (with a substance) or mental health; detox by
    substance."""
    has_substance = bool(substances) or any(
        p.parameter == "service_type" and "substance_use" in p.values for _, p in phrases
    )
    resolved = []
    for position, phrase in phrases:
        mental_health = phrase.parameter == "service_type" and phrase.values == ("mental_health",)
        if mental_health and has_substance:
            phrase = replace_parameter(phrase, "co_occurring", ("true",))
        elif phrase.parameter == "condition":
            if has_substance:
                phrase = replace_parameter(phrase, "co_occurring", ("true",))
            else:
                phrase = replace_parameter(phrase, "service_type", ("mental_health",))
        resolved.append((position, phrase))
    detox = any(p.parameter == "care_level" and "detox" in p.values for _, p in resolved)
    codes = [name for name in substances if name in DETOX_SUBSTANCES]
    if detox and codes:
        words = " ".join(p.words for _, p in resolved if p.parameter == "service_type" and p.words)
        first = min(i for i, p in resolved if p.parameter == "care_level")
        resolved.append((first, Phrase("detox_for", tuple(dict.fromkeys(codes)), words)))
    return resolved


DETOX_SUBSTANCES = ("opioids", "alcohol", "benzodiazepines", "cocaine", "methamphetamine")
SINGLE_VALUED = frozenset(
    {
        "service_type",
        "age_group",
        "gender",
        "language",
        "co_occurring",
        "telehealth",
        "open_now",
        "walk_in",
    }
)


def _single_valued(phrases: Iterable[Phrase]) -> list[Phrase]:
    """Phrases merged per parameter where several said the same thing; the first single value wins.

    Substance use beats mental health for ``service_type`` (a condition then means co-occurring
    care, already resolved); for the other single-valued parameters the first one said wins and
    the later ones are kept as separate phrases only when they agree.
    """
    merged: list[Phrase] = []
    by_parameter: dict[str, int] = {}
    for phrase in phrases:
        index = by_parameter.get(phrase.parameter)
        if index is None:
            by_parameter[phrase.parameter] = len(merged)
            merged.append(phrase)
            continue
        earlier = merged[index]
        if phrase.parameter in SINGLE_VALUED:
            if earlier.values == phrase.values:
                merged[index] = _joined(earlier, phrase, earlier.values)
            continue
        values = tuple(dict.fromkeys((*earlier.values, *phrase.values)))
        merged[index] = _joined(earlier, phrase, values)
    return merged


def _joined(first: Phrase, second: Phrase, values) -> Phrase:
    read_as = " ".join(filter(None, (first.read_as, second.read_as)))
    return Phrase(first.parameter, tuple(values), f"{first.words}, {second.words}", read_as)


def _musts(positions: list[tuple[int, bool]], phrases: list[tuple[int, Phrase]]) -> frozenset[str]:
    """The parameters a "must" applies to: the next need named (for "only", the one just said)."""
    required = set()
    for position, backwards in positions:
        after = [p for i, p in phrases if i > position]
        before = [p for i, p in phrases if i < position]
        just_said = [p for i, p in phrases if position - 3 <= i < position]
        if backwards and just_said:
            chosen = just_said[-1]
        else:
            chosen = after[0] if after else (before[-1] if before else None)
        if chosen is not None:
            required.add(chosen.parameter)
    return frozenset(required)


# ---- the offline place lookup, as the parser uses it ---------------------------------------------


def understand_offline(text: str, parameters: Iterable[str] | None = None) -> Understanding:
    """``understand`` with the offline gazetteer as the place lookup."""
    return understand(
        text, place_check=offline_place, place_words=place_words(), parameters=parameters
    )


def offline_place(text: str) -> str | None:
    """The location to search from if ``text`` names a place the gazetteer knows, else None."""
    from directory.geo import LocationNotFound, locate  # plain modules, loaded on first use

    plain = " ".join(fold(text))
    name = phrase_table().places.get(plain, text)
    for candidate in dict.fromkeys((text, name, _without_accents(name))):
        try:
            return locate(candidate).label
        except LocationNotFound:
            continue
    return _cities().get(plain)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def place_words() -> frozenset[str]:
    """Every word of every city name in the gazetteer (never read as a misspelling)."""
    return frozenset(word for name in _cities() for word in name.split())


@cache
def _cities() -> dict[str, str]:
    """Folded city name -> "City, ST" in the state where that name has the most ZIP codes.

    A bare city name ("Tucson") is read as that city; the place lookup may know better (it is
    asked first).
    """
    from directory.geo import gazetteer

    counts: dict[tuple[str, str], list] = {}
    for point in gazetteer().zips():
        city = point.label.rsplit(",", 1)[0]
        entry = counts.setdefault(
            (" ".join(fold(city)), point.state), [0, f"{city}, {point.state}"]
        )
        entry[0] += 1
    best: dict[str, tuple[int, str]] = {}
    for (name, _state), (count, label) in sorted(counts.items()):
        if count > best.get(name, (0, ""))[0]:
            best[name] = (count, label)
    return {name: label for name, (_, label) in best.items()}


# ---- the corpus score (tests and bench/words.py) -------------------------------------------


@dataclass
class CorpusScore:
    total: int = 0
    exact: int = 0
    invented_must_haves: int = 0
    failures: list[str] = field(default_factory=list)


def corpus_score(cases: list[dict]) -> CorpusScore:
    """How many corpus cases give exactly the expected search, and how many invent a must-have."""
    score = CorpusScore(total=len(cases))
    for case in cases:
        understood = understand_offline(case["text"])
        got = _comparable(understood.parameters())
        expected = _comparable(
            {k: v if isinstance(v, list) else [v] for k, v in case["expect"].items()}
        )
        required = frozenset(case.get("require", ()))
        if got == expected and understood.required == required:
            score.exact += 1
        else:
            score.failures.append(f"{case['text']!r}: got {got} {set(understood.required)}")
        if understood.required - required:
            score.invented_must_haves += 1
    return score


def _comparable(parameters: dict[str, list[str]]) -> dict[str, list[str]]:
    comparable = {name: sorted(values) for name, values in parameters.items()}
    if "location" in comparable:
        text = comparable["location"][0]
        comparable["location"] = [offline_place(text) or text]
    return comparable
