"""The browser harness: the real app on a live local server, driven by headless Chromium.

Fixtures: ``live_app`` (the Flask app the server runs, for looking at its database or
outbox), ``live_server`` (its base URL), ``browser`` (Playwright Chromium), ``page`` (a fresh
page that fails the test if anything is requested from another origin) and the helper
``axe_check(page)`` (axe-core finds no accessibility violation).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db as _db
from tests.conftest import _test_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives a browser; skip them all when Chromium is absent."""
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (scripts/test does)")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, sqlite_template):
    """The app on its own migrated SQLite file, with mail going to a temporary outbox."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "live.sqlite3"
    shutil.copy(sqlite_template, database)
    app = create_app(
        {
            **_test_config(f"sqlite:///{database}"),
            "INSTANCE_DIR": str(folder),
            "MAIL_OUTBOX": str(folder / "outbox"),
        }
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def _closed_when_sent(app):
    """The app with each response closed as soon as its last byte is written, as gunicorn
    does. Werkzeug's development server closes it only after draining the socket, and a
    browser that has already left (after a redirect) makes that read fail, so the close,
    and the mail sent after the response, were skipped now and then."""

    def closing(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()

    return closing


@pytest.fixture(scope="session")
def live_server(live_app) -> str:
    """The base URL of the app served on 127.0.0.1 at a free port, in a daemon thread."""
    server = make_server("127.0.0.1", 0, _closed_when_sent(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def extra_origins() -> tuple[str, ...]:
    """Origins besides the live server a test's page may request (override it in a test
    module that serves pages of its own, such as a partner site; none by default)."""
    return ()


@pytest.fixture
def page(browser, live_server, extra_origins):
    """A fresh page (own cookies); the test fails if any request leaves the live server
    (and the test's ``extra_origins``)."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    allowed = {_origin(live_server), *extra_origins}
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()
    foreign = [u for u in requested if _origin(u) not in allowed and not _is_local_scheme(u)]
    assert not foreign, f"the page requested other origins: {foreign}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_local_scheme(url: str) -> bool:
    return urlsplit(url).scheme in ("data", "blob", "about")


def axe_check(page) -> None:
    """Assert axe-core finds no accessibility violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, f"axe-core on {page.url}:\n" + _describe(violations)


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)
