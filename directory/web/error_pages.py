"""Error pages: JSON for the API, friendly translated HTML everywhere else; never a traceback."""

from __future__ import annotations

import sys

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from directory.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def friendly_message(error: HTTPException) -> str:
    messages = {
        400: _("Something in the request could not be understood. Check the form and try again."),
        403: _("You do not have access to this page."),
        404: _("We could not find that page. It may have moved, or the link may be mistyped."),
        405: _("That action is not available here."),
        429: _("Too many attempts in a short time. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Please try again in a moment."),
    }
    return messages.get(error.code or 500, error.description or "")


def handle_http_error(error: HTTPException):
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        body = {"error": {"code": code, "message": error.description}}
        return jsonify(body), error.code
    message = getattr(error, "user_message", None) or friendly_message(error)
    page = render_template("errors/error.html", code=error.code, message=message)
    return page, error.code


def handle_unexpected_error(error: Exception):
    # Flask logs the path and method, never the query string: searches stay private.
    current_app.log_exception(sys.exc_info())
    db.session.rollback()
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing or app.config.get("FRIENDLY_500_IN_TESTS"):
        app.register_error_handler(Exception, handle_unexpected_error)
