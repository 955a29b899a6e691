"""Hostile requests stopped at the door, before any view or the database sees them.

A malformed Host header, a NUL byte or another control character, text that is not UTF-8,
or an over-long address or value gets a clear 400 (414, 413) page in the visitor's language
(JSON under ``/api/`` and ``/hsds/``). Ids in URLs are bounded to what the database's
integer columns hold, so an id over 32 bits is a 404 like any unknown id.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestURITooLarge
from werkzeug.routing import IntegerConverter

MAX_PATH = 2048
MAX_QUERY = 8192
# One query parameter or form field: well above any form's own limit (a description takes
# 5,000 characters), so a person who typed too much is told so by the form, text kept.
MAX_VALUE = 20_000
MAX_BODY = 1024 * 1024
# Control characters (NUL included) that no address and no typed line may hold; forms
# keep tab and newlines (a description has lines).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"  # at most 63 characters
HOST = re.compile(
    rf"^(?P<name>\[[0-9A-Fa-f:.]+\]|{LABEL}(?:\.{LABEL})*\.?)(?::(?P<port>[0-9]{{1,5}}))?$"
)
BAD_HOST = "directory.bad_host"
URL_INTEGER_MAX = 2**31 - 1


class BoundedInteger(IntegerConverter):
    """``<int:…>`` in a URL: at most what a 32-bit integer column holds, else no match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=URL_INTEGER_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class HostGuard:
    """WSGI middleware: a malformed Host header (over 253 characters, a label over 63, or
    characters no host name has) is replaced by the configured site's host and the request
    marked, so the app answers a normal 400 page instead of failing to route it."""

    def __init__(self, wsgi_app, site_host: str):
        self.wsgi_app = wsgi_app
        self.site_host = site_host

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not host_is_well_formed(host):
            environ[BAD_HOST] = True
            environ["HTTP_HOST"] = self.site_host
        return self.wsgi_app(environ, start_response)


def host_is_well_formed(host: str) -> bool:
    match = HOST.match(host)
    if match is None or len(match["name"]) > 253:
        return False
    return match["port"] is None or int(match["port"]) <= 65535


def refuse_hostile_request() -> None:
    """Before every view: raise a 400/413/414 for what no real visitor sends."""
    environ = request.environ
    if environ.get(BAD_HOST):
        raise _refusal(_("The request named a host this site does not answer to."))
    raw_path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    raw_query = environ.get("QUERY_STRING", "")
    if len(raw_path) > MAX_PATH or len(raw_query) > MAX_QUERY:
        error = RequestURITooLarge()
        error.user_message = _("This address is too long. Shorten it and try again.")
        raise error
    try:
        path = raw_path.decode("utf-8")
        query = parse_qsl(raw_query, keep_blank_values=True, errors="strict")
        form = _form_fields()
    except UnicodeDecodeError:
        raise _refusal(_unreadable()) from None
    typed = [(CONTROL, path)] + [(CONTROL, f"{k}{v}") for k, v in query]
    typed += [(CONTROL_IN_TEXT, f"{k}{v}") for k, v in form]
    if any(characters.search(text) for characters, text in typed):
        raise _refusal(_unreadable())
    if any(len(value) > MAX_VALUE for _name, value in query + form):
        raise _refusal(_("A value in the request is too long. Shorten it and try again."))


def _form_fields() -> list[tuple[str, str]]:
    """A URL-encoded form's fields decoded strictly (Werkzeug would replace bad bytes)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return []
    if request.mimetype == "application/x-www-form-urlencoded":
        body = request.get_data(cache=True).decode("utf-8")
        return parse_qsl(body, keep_blank_values=True, errors="strict")
    if request.mimetype == "multipart/form-data":
        return [(name, value) for name, value in request.form.items(multi=True)]
    return []


def _unreadable() -> str:
    return _(
        "The address or the form held characters that cannot be read (such as a NUL byte or "
        "text that is not UTF-8). Check what was typed or pasted and try again."
    )


def _refusal(message: str) -> BadRequest:
    error = BadRequest(description=message)
    error.user_message = message
    return error


def site_host(app: Flask) -> str:
    return urlsplit(app.config.get("SITE_URL") or "").netloc or "localhost"


def register(app: Flask) -> None:
    """Bound URL integers (before any blueprint adds a rule), guard the Host header, refuse
    hostile requests first of all, and cap request bodies."""
    app.url_map.converters["int"] = BoundedInteger
    app.wsgi_app = HostGuard(app.wsgi_app, site_host(app))
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_request)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
