"""Factories and helpers for the provider and admin tests: listings, accounts, signed-in
clients, CSRF tokens taken from the real forms, and the mail outbox."""

from __future__ import annotations

import re

import pytest
from flask import current_app

from directory.mail import outbox_messages
from directory.models import Claim, Listing
from directory.models.account import ADMIN, PROVIDER
from directory.models.listing import utcnow
from directory.operations.accounts import AccountPolicy, create_account
from tests import factories

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """The CSRF token from the form on ``url``, as a browser would submit it."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF.search(page) or re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST ``data`` with a valid CSRF token taken from ``form_url`` (default: ``url``)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


# A listing as a SAMHSA import leaves it: families it did not report stay unknown (None).
SAMHSA_LISTING = {
    "name": "Mile High Recovery",
    "program_name": "Outpatient Program",
    "street": "100 Main St",
    "city": "Denver",
    "source": "samhsa",
    "release": "2022",
    "lat": 39.75,
    "lon": -104.99,
    "therapies": None,
    **dict.fromkeys(
        ["dual_diagnosis", "medications", "age_groups", "genders", "populations", "languages",
         "accreditations", "telehealth"]
    ),
}  # fmt: skip


def make_listing(db, **values) -> Listing:
    """A committed listing (``tests.factories.make_listing`` with SAMHSA-like defaults)."""
    listing = factories.make_listing(values.pop("zip", "80202"), **{**SAMHSA_LISTING, **values})
    db.session.commit()
    return listing


def make_account(db, email="staff@milehigh.example", role=PROVIDER, verified=True):
    account = create_account(
        db.session, email, PASSWORD, AccountPolicy.from_config(current_app.config), role=role
    )
    if verified:
        account.email_verified_at = utcnow()
    db.session.commit()
    return account


def make_admin(db, email="admin@directory.example"):
    return make_account(db, email=email, role=ADMIN)


def make_owner(db, listing, account) -> Claim:
    claim = Claim(account_id=account.id, listing_id=listing.id, role="Director",
                  work_email=account.email, phone="303-555-0100", status="approved")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    return claim


def sign_in(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    url = "/provider/login" + (f"?next={next_url}" if next_url else "")
    return post_form(client, url, {"email": email, "password": password})


def outbox(app) -> list:
    with app.app_context():
        return outbox_messages()


def link_in(body: str, path: str) -> str:
    """The path of the first link in a mail body that goes to ``path``."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", body)
    assert match, f"no {path} link in: {body}"
    return match.group(1)


@pytest.fixture
def provider_listing(db):
    return make_listing(db)


@pytest.fixture
def provider_account(db):
    return make_account(db)


@pytest.fixture
def admin_account(db):
    return make_admin(db)


@pytest.fixture
def owner_client(app, db, provider_listing, provider_account):
    """A client signed in as the provider that owns ``provider_listing``."""
    make_owner(db, provider_listing, provider_account)
    client = app.test_client()
    assert sign_in(client, provider_account.email).status_code == 302
    return client


@pytest.fixture
def admin_client(app, db, admin_account):
    client = app.test_client()
    assert sign_in(client, admin_account.email).status_code == 302
    return client
