"""Translated messages that also work outside a request (CLI commands, tests, imports)."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext


def _(text: str, **values) -> str:
    """``gettext`` in a request (the visitor's language); the English source elsewhere."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text
