"""Shared fixtures: the app on a fresh real database (SQLite, and PostgreSQL where marked),
the test client and CLI runner, and a guard that fails any test reaching the network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from directory import create_app
from directory.extensions import db as _db

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMHSA_DIR = SHARED / "data" / "samhsa-2022"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")

# Factories and signed-in clients for the provider and admin tests.
pytest_plugins = ["tests.web.provider_support"]

# --- no network -------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    """A test tried to reach a host other than this machine."""


def _is_local(address) -> bool:
    if isinstance(address, str | bytes):  # a unix socket path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that opens a connection to anything but loopback."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(sock, address):
        if not _is_local(address):
            raise NetworkBlocked(f"test tried to connect to {address!r}")
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        if not _is_local(address):
            raise NetworkBlocked(f"test tried to connect to {address!r}")
        return real_connect_ex(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost") and not _is_local((host, 0)):
            raise NetworkBlocked(f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


# --- databases --------------------------------------------------------------------------


def pytest_generate_tests(metafunc):
    """Tests marked ``postgres`` that use a database run on SQLite and on PostgreSQL."""
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"]
        if metafunc.definition.get_closest_marker("postgres"):
            backends.append("postgresql")
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request):
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL is not available here: set TEST_POSTGRES_URL (scripts/test does)")
    return request.param


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    _migrate(POSTGRES_URL, drop_first=True)
    return POSTGRES_URL


def _migrate(url: str, drop_first: bool = False) -> None:
    app = create_app(_test_config(url))
    with app.app_context():
        if drop_first:
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade()
        _db.engine.dispose()


def _test_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "GEOCODER": "offline",
        "SESSION_COOKIE_SECURE": False,
    }


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_migrated")
        _truncate_all(url)
        return url
    path = tmp_path / "directory.sqlite3"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


def _truncate_all(url: str) -> None:
    from directory.settings import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.begin() as connection:
        tables = [
            row[0]
            for row in connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            if row[0] not in ("alembic_version", "catalog_revision")
        ]
        if tables:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        connection.execute(text("UPDATE catalog_revision SET revision = 0"))
    engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and ``g``), as in production, even though the
    ``app`` fixture keeps one open for the test's own database work. The response is read
    whole and closed, as a server does once it has sent it (mail sent after the response
    goes out then)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({**_test_config(database_url), "INSTANCE_DIR": str(tmp_path)})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
