"""Error pages: JSON for the API, friendly translated HTML everywhere else; never a traceback."""

from __future__ import annotations

import contextlib
import sys

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from directory.extensions import db
from directory.vocabulary import N_
from directory.web.database import is_unavailable


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/hsds/"))


def friendly_message(error: HTTPException) -> str:
    messages = {
        400: _("Something in the request could not be understood. Check the form and try again."),
        403: _("You do not have access to this page."),
        404: _("We could not find that page. It may have moved, or the link may be mistyped."),
        405: _("That action is not available here."),
        413: _("What was sent is too large. Send less at a time and try again."),
        414: _("This address is too long. Shorten it and try again."),
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


def handle_database_error(error: Exception):
    """The database is down, hung, busy or unwritable: 503 in the page's language, crisis
    lines included (the page needs nothing from the database); a lost race is a conflict."""
    with contextlib.suppress(Exception):
        db.session.rollback()
    if isinstance(error, StaleDataError):
        return _plain_error(409, "conflict", CONFLICT_MESSAGE)
    if not is_unavailable(error):
        if current_app.testing and not current_app.config.get("FRIENDLY_500_IN_TESTS"):
            raise error
        return handle_unexpected_error(error)
    current_app.logger.warning("Database unavailable: %s", type(error).__name__)
    response = _plain_error(503, "unavailable", UNAVAILABLE_MESSAGE)
    response.headers["Retry-After"] = "30"
    return response


UNAVAILABLE_MESSAGE = N_(
    "The directory cannot reach its database right now, so this page cannot be shown. "
    "Please try again in a minute. If you need help now, call or text 988, or call SAMHSA's "
    "National Helpline at 1-800-662-4357 (free, confidential, 24/7)."
)
CONFLICT_MESSAGE = N_(
    "This listing was changed by someone else at the same moment. Nothing was saved. "
    "Open it again to see the current values and make your change again."
)


def _plain_error(status: int, code: str, message: str):
    text = _(message)
    if wants_json():
        response = jsonify({"error": {"code": code, "message": text}})
    else:
        response = make_response(render_template("errors/error.html", code=status, message=text))
    response.status_code = status
    return response


def handle_unexpected_error(error: Exception):
    # Flask logs the path and method, never the query string: searches stay private.
    current_app.log_exception(sys.exc_info())
    db.session.rollback()
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    if not app.testing or app.config.get("FRIENDLY_500_IN_TESTS"):
        app.register_error_handler(Exception, handle_unexpected_error)
