"""The server's logs cannot be forged or leak: control characters escaped, no query strings,
no secret tokens, and LOG_FORMAT=json gives one JSON object per line with the request id."""

from __future__ import annotations

import io
import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from directory.settings import ConfigurationError, from_environment
from directory.web.logs import GunicornLogger

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def access_lines(monkeypatch, log_format: str, path_info: str, query: str = "") -> list[str]:
    """What gunicorn, with our settings, writes to the access log for one request."""
    monkeypatch.setenv("LOG_FORMAT", log_format)
    settings = runpy.run_path(str(GUNICORN_CONF))
    config = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        config.set(name, settings[name])
    for name in ("gunicorn.access", "gunicorn.error"):  # left by an earlier logger
        logging.getLogger(name).handlers.clear()
    logger = GunicornLogger(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    response = SimpleNamespace(status="200 OK", sent=512,
                               headers=[("Content-Type", "text/html"),
                                        ("X-Request-ID", "abc123def456")])  # fmt: skip
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path_info, "QUERY_STRING": query,
               "RAW_URI": f"{path_info}?{query}", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "203.0.113.5"}  # fmt: skip
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    return stream.getvalue().splitlines()


def test_a_newline_in_a_url_cannot_forge_a_log_line(monkeypatch):
    forged = '/search\n203.0.113.9 "GET /admin/" 200 1 0.001s'
    (line,) = access_lines(monkeypatch, "text", forged)
    assert "/search\\x0a203.0.113.9" in line and "abc123def456" in line


def test_the_access_log_never_records_a_query_string_or_a_reset_token(monkeypatch):
    for log_format in ("text", "json"):
        (line,) = access_lines(monkeypatch, log_format, "/search", "location=Hazard%2C+KY&q=detox")
        assert "Hazard" not in line and "detox" not in line
        (line,) = access_lines(monkeypatch, log_format, "/provider/reset/SECRET.token.here")
        assert "SECRET" not in line and "/provider/reset/…" in line


def test_the_json_access_log_is_one_object_per_line_with_the_request_id(monkeypatch):
    (line,) = access_lines(monkeypatch, "json", "/providers/caf\xc3\xa9\n")
    entry = json.loads(line)
    assert entry["request_id"] == "abc123def456"
    assert (entry["method"], entry["status"], entry["bytes"]) == ("GET", 200, 512)
    assert entry["path"] == "/providers/café\\x0a" and entry["duration_ms"] == 12.0
    assert "203.0.113.5" not in line  # no client address


def test_log_format_must_be_text_or_json():
    assert from_environment({"LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT"):
        from_environment({"LOG_FORMAT": "xml"})


def test_the_apps_own_messages_are_json_lines_with_the_request_id(tmp_path):
    from directory import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "SECRET_KEY": "x", "LOG_FORMAT": "json"})  # fmt: skip
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    app.logger.addHandler(handler)
    from directory.web.logs import JsonFormatter

    handler.setFormatter(JsonFormatter())

    @app.get("/log-something")
    def log_something():
        app.logger.warning("Something happened")
        return "ok"

    response = app.test_client().get("/log-something?q=private")
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["message"] == "Something happened" and entry["level"] == "warning"
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert "private" not in stream.getvalue()
