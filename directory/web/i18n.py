"""Languages: which locale a request gets, and links that keep it."""

from __future__ import annotations

from flask import g, has_request_context, request, url_for
from flask_babel import get_translations, gettext

from directory.settings import LANGUAGES

DEFAULT_LANGUAGE = "en"


def select_locale() -> str:
    """``?lang=`` wins, then the browser's ``Accept-Language``; no cookie is needed."""
    chosen = chosen_language()
    if chosen:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys(), DEFAULT_LANGUAGE)


def chosen_language() -> str | None:
    """The language named in the URL, if any (links then carry it along)."""
    chosen = request.args.get("lang", "").strip().lower()
    return chosen if chosen in LANGUAGES else None


def localized_url(endpoint: str, **values) -> str:
    """``url_for`` that keeps ``?lang=`` when the visitor chose a language in the URL."""
    language = chosen_language()
    if language and "lang" not in values:
        values["lang"] = language
    return url_for(endpoint, **values)


def switch_language_url(language: str) -> str:
    """The current page in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    endpoint = request.endpoint or "public.home"
    return url_for(endpoint, **(request.view_args or {}), **args)


def request_translations():
    """The request's translations, looked up once per request (Flask-Babel's own lookup is
    costly when a page translates hundreds of strings)."""
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


def fast_gettext(message: str, **variables) -> str:
    text = request_translations().ugettext(message)
    return text % variables if variables else text


def fast_ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def install_fast_gettext(app) -> None:
    """Templates translate through the per-request cache (same results, fewer lookups)."""
    app.jinja_env.install_gettext_callables(
        lambda message: request_translations().ugettext(message),
        lambda singular, plural, num: request_translations().ungettext(singular, plural, num),
        newstyle=True,
    )


def first_upper(text: str) -> str:
    """A label standing alone starts with a capital ('desintoxicación' -> 'Desintoxicación');
    labels are lower-case inside sentences in some languages."""
    return text[:1].upper() + text[1:]


def translate(text: str, **values) -> str:
    """``gettext`` in a request (the visitor's language); the English source elsewhere (CLI
    commands, imports, tests)."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


def translated(error) -> str:
    """A ``DirectoryError``'s message in the visitor's language."""
    return error.translated(gettext)
