"""Languages: which locale a request gets, and links that keep it."""

from __future__ import annotations

from flask import request, url_for

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"


def select_locale() -> str:
    """``?lang=`` wins, then the browser's ``Accept-Language``; no cookie is needed."""
    chosen = request.args.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys(), DEFAULT_LANGUAGE)


def chosen_language() -> str | None:
    """The language named in the URL, if any (links then carry it along)."""
    chosen = request.args.get("lang", "")
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
