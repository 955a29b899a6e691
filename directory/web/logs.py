"""The server's logs: what a visitor sent is escaped (a newline cannot forge a line), a query
string or a secret link's token is never written, and each request has an id.

``LOG_FORMAT=json`` writes one JSON object per line — the app's own messages and, through
``GunicornLogger`` (named in ``gunicorn.conf.py``), the access log — with the request id,
never a query string, a client address or anything a person typed.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from gunicorn.glogging import Logger

REQUEST_ID = "X-Request-ID"
# C0 and C1 control characters and the backslash (so an escape cannot be faked either).
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
# Links whose last part is a key to an account or a listing (see the admin outbox too).
SECRET_PATH = re.compile(r"^(/provider/(?:verify|reset|check/[a-z]+)/)[^/]+")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def escaped(text: str) -> str:
    """``text`` with every control character as ``\\xNN``: always one line."""
    return UNPRINTABLE.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def loggable_path(path_info: str) -> str:
    """A WSGI ``PATH_INFO`` (bytes as Latin-1) as a readable, one-line path, tokens cut."""
    raw = path_info.encode("latin-1", "replace")
    path = raw.decode("utf-8", "backslashreplace")
    return escaped(SECRET_PATH.sub(r"\1…", path))


# --- the request id ---------------------------------------------------------------------


def start_request() -> None:
    """The proxy's request id when it sent a plausible one, else a new one."""
    incoming = request.headers.get(REQUEST_ID, "")
    g.request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex


def tag_response(response):
    if "request_id" in g:
        response.headers[REQUEST_ID] = g.request_id
    return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "method", "path", "status", "bytes", "duration_ms"):
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(tag_response)
    app.logger.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        for handler in app.logger.handlers or logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
        if not app.logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(JsonFormatter())
            app.logger.addHandler(handler)


# --- gunicorn ---------------------------------------------------------------------------


class GunicornLogger(Logger):
    """gunicorn's logger with every access-log field escaped and secret tokens cut from the
    path; with ``LOG_FORMAT=json`` (read from the environment) it writes JSON lines."""

    json = False

    def setup(self, cfg) -> None:
        import os

        super().setup(cfg)
        self.json = os.environ.get("LOG_FORMAT", "text").strip().lower() == "json"
        if self.json:
            for handler in self.error_log.handlers + self.access_log.handlers:
                handler.setFormatter(JsonFormatter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms = {key: escaped(value) if isinstance(value, str) else value
                 for key, value in atoms.items()}  # fmt: skip
        atoms["U"] = loggable_path(environ.get("PATH_INFO", ""))
        return atoms

    def access(self, resp, req, environ, request_time) -> None:
        if not self.json:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = dict((name.lower(), value) for name, value in resp.headers)
        fields = {
            "request_id": escaped(headers.get(REQUEST_ID.lower(), "")) or None,
            "method": escaped(environ.get("REQUEST_METHOD", "")),
            "path": loggable_path(environ.get("PATH_INFO", "")),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
        }
        self.access_log.info("request", extra=fields)
        return None
