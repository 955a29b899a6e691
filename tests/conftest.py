"""Shared fixtures: the app on a fresh real database (SQLite, and PostgreSQL where marked),
the test client and CLI runner, the real national directory imported once per session
(``national_directory``; tests marked ``national_directory`` start from a copy of it), and a
guard that fails any test reaching the network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from directory import create_app
from directory.extensions import db as _db
from tests import compiled_once

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMHSA_DIR = SHARED / "data" / "samhsa-2022"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")

# Factories and signed-in clients for the provider and admin tests.
pytest_plugins = ["tests.web.provider_support"]

# Templates and URL builders compiled once per process, not once per test's app.
compiled_once.install()

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


# --- parallel runs (pytest-xdist) --------------------------------------------------------

# The test files that start from the real national directory (the ``national_directory``
# fixture): under pytest-xdist they run on one worker, so the directory is imported once.
NATIONAL_DIRECTORY_FILES = {
    "tests/web/test_own_words_real.py",
    "tests/web/test_real_directory.py",
    "tests/web/test_real_releases.py",
}
# Folders whose tests share a costly session or module fixture: one live server and
# Chromium; the two-server cluster.
SHARED_FIXTURE_FOLDERS = {"tests/browser", "tests/cluster"}
# The units that take longest, longest first (bench/README.md, "Test suite time").
LONGEST_UNITS = ["tests/browser", "national directory", "tests/cluster"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n`` (scripts/test runs two workers): whole test files go to whichever worker is free,
    and the tests sharing a costly fixture across files go to one worker together, so that a
    file's module-wide fixtures (the hostile-input site on the worker's PostgreSQL database,
    say) are made once and no other file's test runs, and empties that database, between
    its tests: each worker runs its files one after another, as a serial run does."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            # The longest units first (xdist orders by number of tests), so that neither
            # worker is left with a minute of them while the other has finished.
            for unit in reversed(LONGEST_UNITS):
                if unit in self.workqueue:
                    self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return SharedFixtureScheduling(config, log)


def work_unit(nodeid: str) -> str:
    """The tests that must run on one worker, one after another: a file's, or a group's."""
    path = nodeid.split("::", 1)[0]
    if path in NATIONAL_DIRECTORY_FILES:
        return "national directory"
    folder = path.rpartition("/")[0]
    return folder if folder in SHARED_FIXTURE_FOLDERS else path


def pytest_collection_modifyitems(config, items):
    root = Path(config.rootpath)
    for item in items:
        path = Path(item.fspath).relative_to(root).as_posix()
        if "national_directory" in item.fixturenames and path not in NATIONAL_DIRECTORY_FILES:
            raise pytest.UsageError(
                f"{item.nodeid} uses the real national directory: add {path} to "
                "NATIONAL_DIRECTORY_FILES in tests/conftest.py so it shares the one import"
            )


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
    """TEST_POSTGRES_URL's database migrated; under pytest-xdist each worker gets its own
    database beside it (``directory_test_gw0``, ...), made afresh."""
    url = _worker_database(POSTGRES_URL, os.environ.get("PYTEST_XDIST_WORKER", ""))
    _migrate(url, drop_first=True)
    return url


def _worker_database(url: str, worker: str) -> str:
    if not worker:
        return url
    from directory.settings import normalize_database_url

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    engine = create_engine(normalize_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return urlunsplit(parts._replace(path=f"/{name}"))


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


@dataclass(frozen=True)
class NationalDirectory:
    """The real 2022 national directories imported by ``flask import-samhsa --bundled``."""

    path: Path  # the SQLite file; never written after the import: copy it
    output: str  # what the import printed


@pytest.fixture(scope="session")
def national_directory(sqlite_template, tmp_path_factory) -> NationalDirectory:
    """The one import of the real national directory in a session (a minute of work): the
    21,213 rows of ../shared/data/samhsa-2022, shipped byte for byte as the bundled files."""
    if not SAMHSA_DIR.exists():
        pytest.skip("../shared/data/samhsa-2022 is not here")
    folder = tmp_path_factory.mktemp("national")
    path = folder / "national.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({**_test_config(f"sqlite:///{path}"), "INSTANCE_DIR": str(folder)})
    result = app.test_cli_runner().invoke(args=["import-samhsa", "--bundled", "--if-empty"])
    with app.app_context():
        _db.engine.dispose()
    assert result.exit_code == 0, result.output[-2000:]
    return NationalDirectory(path, result.output)


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    """A fresh migrated database for the test: empty, or for tests marked
    ``national_directory`` (SQLite only) a copy of the imported real directory."""
    if request.node.get_closest_marker("national_directory"):
        if backend != "sqlite":
            pytest.fail("national_directory tests run on SQLite only")
        source = request.getfixturevalue("national_directory").path
    elif backend == "postgresql":
        url = request.getfixturevalue("postgres_migrated")
        _truncate_all(url)
        return url
    else:
        source = request.getfixturevalue("sqlite_template")
    path = tmp_path / "directory.sqlite3"
    shutil.copy(source, path)
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
