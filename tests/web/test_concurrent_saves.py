"""Simultaneous saves: 50 people saving the same listing at once (each from the version they
opened) end in a saved change or the conflict page, never a 500, and no acknowledged save is
lost: every "saved" has its audit entry and the listing ends as the last one left it."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from directory import create_app
from directory.extensions import db as _db
from directory.models import AuditEntry, Listing
from directory.models.audit import ADMIN_CHANGE, AVAILABILITY
from tests.conftest import FreshContextClient, _test_config
from tests.web.provider_support import csrf_token, make_owner, sign_in

pytestmark = pytest.mark.postgres

SAVERS = 50
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


@pytest.fixture
def app(database_url, tmp_path):
    """The app with a connection for every saver, and server errors as 500 pages; 50 saves
    queue for the same rows, longer than an outage timeout on a busy test machine."""
    config = {**_test_config(database_url), "INSTANCE_DIR": str(tmp_path)}
    config.update(
        DATABASE_POOL_SIZE=SAVERS,
        DATABASE_STATEMENT_TIMEOUT=60,
        DATABASE_BUSY_TIMEOUT=60,
        DATABASE_PING_TIMEOUT=60,
    )
    app = create_app({**config, "FRIENDLY_500_IN_TESTS": True})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


def race(clients, url: str, data_for) -> list[int]:
    """Each client opens the form, then all submit at the same moment; their statuses."""
    forms = []
    for client in clients:
        page = client.get(url).get_data(as_text=True)
        match = VERSION.search(page)
        forms.append((csrf_token(client, url), next(g for g in match.groups() if g)))
    start, statuses = threading.Barrier(len(clients)), [None] * len(clients)

    def save(number: int) -> None:
        token, version = forms[number]
        start.wait()
        try:
            response = clients[number].post(
                url, data={"csrf_token": token, "version": version, **data_for(number)}
            )
            statuses[number] = response.status_code
        except Exception as error:  # a server error escaping the app
            statuses[number] = repr(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def signed_in_clients(app, email: str) -> list:
    """One sign-in, its session in 50 browsers (50 sign-ins would meet the rate limit)."""
    first = app.test_client()
    assert sign_in(first, email).status_code == 302
    cookie = first.get_cookie("session")
    clients = [app.test_client() for _ in range(SAVERS)]
    for client in clients:
        client.set_cookie(cookie.key, cookie.value)
    return clients


def test_fifty_availability_updates_at_once(app, db, provider_listing, provider_account):
    make_owner(db, provider_listing, provider_account)
    url = f"/provider/listings/{provider_listing.id}/availability"
    clients = signed_in_clients(app, provider_account.email)
    statuses = race(clients, url, lambda n: {"status": "accepting", "wait_days": str(n + 1)})
    assert all(status in (200, 302, 409) for status in statuses), statuses
    saved = statuses.count(302)
    assert saved >= 1
    db.session.expire_all()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AVAILABILITY).order_by(AuditEntry.id)
    ).all()
    listing = db.session.get(Listing, provider_listing.id)
    assert len(entries) == saved  # every "saved" is in the history, nothing else is
    assert listing.version == 1 + saved
    assert listing.wait_days == entries[-1].changes["wait_days"][1]  # the last save stands
    assert [entry.version for entry in entries] == list(range(2, 2 + saved))


def test_fifty_admin_saves_at_once(app, db, provider_listing, admin_account):
    url = f"/admin/listings/{provider_listing.id}/edit"
    clients = signed_in_clients(app, admin_account.email)
    page = clients[0].get(url).get_data(as_text=True)
    fields = dict(
        re.findall(r'name="(name|city|state|zip|street|phone)"[^>]*value="([^"]*)"', page)
    )
    statuses = race(clients, url, lambda n: {**fields, "name": f"Mile High Recovery {n}"})
    assert all(status in (200, 302, 409) for status in statuses), statuses
    saved = statuses.count(302)
    assert saved >= 1
    db.session.expire_all()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == ADMIN_CHANGE).order_by(AuditEntry.id)
    ).all()
    listing = db.session.get(Listing, provider_listing.id)
    assert len(entries) == saved and listing.version == 1 + saved
    assert listing.name == entries[-1].changes["name"][1]
