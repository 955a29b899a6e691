"""All configuration, read from the environment once when the app is created."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from directory.errors import DirectoryError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = PROJECT_ROOT / "instance"


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_PATH / 'directory.sqlite3'}"


def from_environment(environ=os.environ) -> dict:
    """The configuration as a dict of Flask config keys."""
    return {
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(
            environ.get("DATABASE_URL") or default_database_url()
        ),
        "SECRET_KEY": environ.get("SECRET_KEY") or local_secret_key(),
        # The site's public address, for links in e-mails (never taken from a request).
        "SITE_URL": environ.get("SITE_URL", "http://127.0.0.1:5000"),
        # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none).
        "PROXY_HOPS": _whole_number(environ, "PROXY_HOPS", 0),
        "GEOCODER": environ.get("GEOCODER", "offline"),
        "GEOCODER_USER_AGENT": environ.get("GEOCODER_USER_AGENT", "treatment-directory"),
        "MAP_TILE_URL": environ.get("MAP_TILE_URL", ""),
        "MAP_TILE_CREDIT": environ.get("MAP_TILE_CREDIT", ""),
        # Where "Directions" opens off phones; {destination} is the address (geo/directions.py).
        "DIRECTIONS_URL": environ.get("DIRECTIONS_URL", ""),
        # Seconds: how long a page may wait for the database before it answers 503 (see
        # directory.web.database); the busy timeout is SQLite's wait for another writer.
        "DATABASE_CONNECT_TIMEOUT": _seconds(environ, "DATABASE_CONNECT_TIMEOUT", 2),
        "DATABASE_STATEMENT_TIMEOUT": _seconds(environ, "DATABASE_STATEMENT_TIMEOUT", 5),
        "DATABASE_POOL_TIMEOUT": _seconds(environ, "DATABASE_POOL_TIMEOUT", 2),
        "DATABASE_PING_TIMEOUT": _seconds(environ, "DATABASE_PING_TIMEOUT", 1.5),
        "DATABASE_BUSY_TIMEOUT": _seconds(environ, "DATABASE_BUSY_TIMEOUT", 5),
        # Connections each process keeps open to PostgreSQL (at least its threads).
        "DATABASE_POOL_SIZE": _whole_number(environ, "DATABASE_POOL_SIZE", 10),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Seconds a sign-in lasts: idle (admins, providers) and at most, however busy.
        "SESSION_IDLE_ADMIN": _whole_number(environ, "SESSION_IDLE_ADMIN", 2 * 3600),
        "SESSION_IDLE_PROVIDER": _whole_number(environ, "SESSION_IDLE_PROVIDER", 12 * 3600),
        "SESSION_ABSOLUTE": _whole_number(environ, "SESSION_ABSOLUTE", 7 * 24 * 3600),
        "SESSION_COOKIE_SECURE": environ.get("SESSION_COOKIE_SECURE", "1") != "0",
        # Rate-limit counters; memory is per process, use redis:// or memcached:// when
        # several servers share the load.
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Explicit: Flask-Limiter otherwise inherits the previous app's setting in a process.
        "RATELIMIT_ENABLED": True,
        # Sign-in throttling (per address) and the lock after repeated failures (per account).
        "SIGN_IN_RATE_LIMIT": environ.get("SIGN_IN_RATE_LIMIT", "10 per minute;60 per hour"),
        "SIGN_IN_MAX_FAILURES": _whole_number(environ, "SIGN_IN_MAX_FAILURES", 5),
        "SIGN_IN_LOCK_MINUTES": _whole_number(environ, "SIGN_IN_LOCK_MINUTES", 15),
        # Failed sign-ins per address from all clients together (a guesser spread over many
        # addresses is slowed too); beyond it the address signs in only after a password
        # reset by mail, which clears the count.
        "SIGN_IN_ACCOUNT_LIMIT": environ.get("SIGN_IN_ACCOUNT_LIMIT", "50 per hour;200 per day"),
        # Account mail (confirmation, reset, "someone tried to register") per address.
        "ACCOUNT_MAIL_RATE_LIMIT": environ.get("ACCOUNT_MAIL_RATE_LIMIT", "3 per hour;10 per day"),
        # "text" (one line per request) or "json" (one JSON object per line).
        "LOG_FORMAT": _log_format(environ),
        "REPORT_RATE_LIMIT": environ.get("REPORT_RATE_LIMIT", "5 per minute;30 per day"),
        # "Did you reach them?" answers per address.
        "REACHED_RATE_LIMIT": environ.get("REACHED_RATE_LIMIT", "10 per minute;60 per day"),
        # Days an availability status counts before it reads "call to confirm".
        "AVAILABILITY_DAYS": max(1, _whole_number(environ, "AVAILABILITY_DAYS", 14)),
        # send-verification-requests: details confirmed less recently than this are asked
        # about; its links work once, for this many days.
        "VERIFY_AFTER_DAYS": max(1, _whole_number(environ, "VERIFY_AFTER_DAYS", 180)),
        "VERIFICATION_LINK_DAYS": max(1, _whole_number(environ, "VERIFICATION_LINK_DAYS", 14)),
        # Mail: SMTP when MAIL_SERVER is set, else each message is a file in MAIL_OUTBOX
        # (default: instance/outbox) that the admin area shows.
        "MAIL_SERVER": environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _whole_number(environ, "MAIL_PORT", 587),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": environ.get("MAIL_FROM", "Treatment Directory <no-reply@localhost>"),
        "MAIL_OUTBOX": environ.get("MAIL_OUTBOX", ""),
        # starttls (port 587), ssl (port 465) or none (a relay on this machine or network).
        "MAIL_SECURITY": _mail_security(environ),
        # A mail that fails is tried again after 1, 2, 4 ... minutes (at most 6 h apart), this
        # many times in all, then given up (flask send-mail, /metrics).
        "MAIL_MAX_ATTEMPTS": max(1, _whole_number(environ, "MAIL_MAX_ATTEMPTS", 10)),
        # GET /metrics answers only with "Authorization: Bearer <this>"; unset: a 404.
        "METRICS_TOKEN": environ.get("METRICS_TOKEN", ""),
    }


# The languages the site speaks (its translations), by code.
LANGUAGES = {"en": "English", "es": "Español"}


class ConfigurationError(DirectoryError):
    """A setting in the environment that cannot be used; the message says which and why."""


def _mail_security(environ) -> str:
    text = environ.get("MAIL_SECURITY", "").strip().lower() or "starttls"
    if text not in ("starttls", "ssl", "none"):
        raise ConfigurationError(f"MAIL_SECURITY must be starttls, ssl or none, not {text!r}")
    return text


def _log_format(environ) -> str:
    text = environ.get("LOG_FORMAT", "").strip().lower() or "text"
    if text not in ("text", "json"):
        raise ConfigurationError(f"LOG_FORMAT must be text or json, not {text!r}")
    return text


def _whole_number(environ, name: str, default: int) -> int:
    text = environ.get(name, "")
    if not text:
        return default
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise ConfigurationError(f"{name} must be a whole number, not {text!r}")
    return int(text)


def _seconds(environ, name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 < value < 3600:
        raise ConfigurationError(f"{name} must be a number of seconds above 0, not {text!r}")
    return value


def local_secret_key() -> str:
    """A key kept in ``instance/secret_key`` so every worker and restart signs alike.

    Deployments set ``SECRET_KEY``; this is the fallback for a local checkout.
    """
    path = INSTANCE_PATH / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(key)
        return key


def normalize_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
