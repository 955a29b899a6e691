"""The Spanish catalogue is complete, current, compiled and safe to format.

When one of these fails because text was added or changed, run ``bash scripts/i18n``, translate
the new or changed entries in ``directory/translations/es/LC_MESSAGES/messages.po`` (and remove
any ``#, fuzzy``), then run ``bash scripts/i18n`` again so the ``.mo`` is compiled.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "directory" / "translations"
PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo"
# scripts/i18n passes ``-k N_ -k _l`` on top of Babel's defaults; babel.cfg adds its own.
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["N_", "_l"])}
SPANISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
FIX = "run bash scripts/i18n and translate the entries in " + str(PO.relative_to(ROOT))

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")


def _po():
    with PO.open("rb") as fileobj:
        return read_po(fileobj, locale="es")


def _entries(catalog) -> dict:
    """``{msgid: msgstr}`` without the header; plural ids and strings are tuples."""
    return {
        (tuple(message.id) if message.pluralizable else message.id): (
            tuple(message.string) if message.pluralizable else message.string
        )
        for message in catalog
        if message.id
    }


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if message.pluralizable else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


def _extracted(dirname: str | None = None) -> dict:
    """Every message marked in the sources now, extracted as ``scripts/i18n`` extracts it."""
    with (ROOT / "babel.cfg").open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj)
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if dirname is None or filename.startswith(dirname):
            found.setdefault(message, filename)
    return found


def _placeholders(text: str) -> set[tuple[str, str]]:
    return set(PLACEHOLDER.findall(text))


# --- (a) complete -------------------------------------------------------------------------


def test_every_spanish_entry_is_translated_and_not_fuzzy():
    catalog = _po()
    untranslated = [m.id for m in catalog if m.id and not all(s.strip() for s in _strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]} — {FIX}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]} — check them and remove '#, fuzzy'"
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy: remove its '#, fuzzy'"
    assert len(_entries(catalog)) > 400


def test_plural_entries_have_both_spanish_forms_and_the_header_says_how_to_choose():
    catalog = _po()
    assert f'"Plural-Forms: {SPANISH_PLURAL_FORMS}\\n"' in PO.read_text(encoding="utf-8")
    assert catalog.plural_forms == SPANISH_PLURAL_FORMS
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(message.string) == 2 and all(message.string), message.id


# --- (b) current --------------------------------------------------------------------------


def test_every_string_marked_in_the_sources_is_in_the_spanish_catalogue():
    known = set(_entries(_po()))
    missing = {
        message: filename for message, filename in _extracted().items() if message not in known
    }
    assert not missing, (
        f"{len(missing)} marked strings are not in the Spanish catalogue "
        f"(first: {sorted(missing.items(), key=str)[:5]}) — {FIX}"
    )


def test_python_ngettext_calls_are_extracted_with_their_plural():
    """babel.cfg must name ``ngettext:1,2``; a bare ``ngettext`` loses the plural form, and the
    Spanish text is then never found at run time."""
    from_python = _extracted("directory")
    uses_ngettext = any(
        "ngettext(" in path.read_text(encoding="utf-8")
        for path in (ROOT / "directory").rglob("*.py")
    )
    if uses_ngettext:
        assert any(isinstance(message, tuple) for message in from_python)


# --- (c) compiled -------------------------------------------------------------------------


def test_the_compiled_mo_matches_the_po():
    po = _po()
    buffer = io.BytesIO()
    write_mo(buffer, po)
    buffer.seek(0)
    expected = read_mo(buffer)
    with MO.open("rb") as fileobj:
        compiled = read_mo(fileobj)
    want, have = _entries(expected), _entries(compiled)
    stale = {key for key in set(want) | set(have) if want.get(key) != have.get(key)}
    assert not stale, (
        f"messages.mo is out of date for {len(stale)} entries "
        f"({sorted(stale, key=str)[:5]}): run bash scripts/i18n"
    )
    assert compiled.plural_forms == SPANISH_PLURAL_FORMS
    assert dict(compiled.mime_headers).get("Plural-Forms") == SPANISH_PLURAL_FORMS


# --- (d) safe to format -------------------------------------------------------------------


def test_placeholders_are_the_same_in_english_and_spanish():
    wrong = []
    for message in _po():
        if not message.id:
            continue
        english = set().union(*(_placeholders(text) for text in _ids(message)))
        strings = _strings(message)
        for index, text in enumerate(strings):
            spanish = _placeholders(text)
            # A singular form may leave out the number ("un día"); the last form may not.
            ok = spanish <= english if index < len(strings) - 1 else spanish == english
            if not ok:
                wrong.append((message.id, text))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong[:5]}"


def test_no_spanish_text_has_a_stray_percent_sign():
    """Templates are filled with ``%``: a lone ``%`` in a translation would raise."""
    stray = []
    for message in _po():
        for text in _strings(message) if message.id else ():
            if PLACEHOLDER.sub("", text).replace("%%", "").count("%"):
                stray.append((message.id, text))
    assert not stray, f"write a literal % as %%: {stray[:5]}"


# --- (e) shown ----------------------------------------------------------------------------


def test_the_home_page_in_spanish_shows_spanish(client):
    page = client.get("/?lang=es").get_data(as_text=True)
    for text in (
        '<html lang="es">',
        "Buscar tratamiento",
        "¿Necesita ayuda ahora?",
        "Línea 988 de Prevención del Suicidio y Crisis",
        "Línea Nacional de Ayuda de SAMHSA",
        "Tratamiento ambulatorio intensivo",
        "Buprenorfina",
    ):
        assert text in page, text
    assert "Need help now?" not in page


@pytest.mark.parametrize(
    ("reason", "spanish"),
    [
        (("Offers %(items)s", {"items": [("medication", "buprenorphine"), ("medication",
                                                                            "methadone")]}),
         "Ofrece buprenorfina y metadona"),
        (("Accepts %(items)s", {"items": [("payment", "medicaid"),
                                          ("payment", "private_insurance")]}),
         "Acepta Medicaid y seguro médico privado"),
        (("Does not offer %(items)s", {"items": [("care_level", "detox"),
                                                 ("care_level", "residential")],
                                       "conjunction": "or"}),
         "No ofrece desintoxicación o tratamiento residencial"),
        (("%(family)s not reported — call to confirm", {"family": ("family", "medication")}),
         "Medicamentos sin informar — llame para confirmar"),
        (("Offers %(items)s", {"items": [("therapy", "cbt")]}),
         "Ofrece terapia cognitivo-conductual (TCC)"),
    ],
)  # fmt: skip
def test_matcher_reasons_read_as_spanish_sentences(app, reason, spanish):
    from flask_babel import force_locale, gettext

    from directory.matching.reasons import Reason, render_reason

    message, params = reason
    with app.test_request_context("/?lang=es"), force_locale("es"):
        assert render_reason(Reason(message, params), gettext) == spanish


def test_plurals_in_spanish(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/?lang=es"), force_locale("es"):
        assert ngettext("%(num)d day", "%(num)d days", 1) == "1 día"
        assert ngettext("%(num)d day", "%(num)d days", 3) == "3 días"
        assert ngettext("about %(num)d day wait", "about %(num)d days wait", 2) == (
            "espera de unos 2 días"
        )
