"""A sign-in ends: on sign-out everywhere (a copied cookie no longer opens the provider area),
after being idle (2 h for admins, 12 h for providers) and after 7 days however busy; and
signed-in pages are never kept in a cache."""

from __future__ import annotations

import time

import pytest

from directory.web.sessions import SEEN_AT, SIGNED_IN_AT
from tests.web.provider_support import post_form

pytestmark = pytest.mark.postgres

HOUR = 3600


def copy_of(app, client):
    """Another browser holding a copy of the client's session cookie."""
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def test_signing_out_ends_the_session_on_the_server(app, owner_client):
    thief = copy_of(app, owner_client)
    assert thief.get("/provider/listings").status_code == 200
    response = post_form(owner_client, "/provider/logout", {}, form_url="/provider/listings")
    assert response.status_code == 302
    assert owner_client.get("/provider/listings").status_code == 302  # to the sign-in page
    response = thief.get("/provider/listings")
    assert response.status_code == 302 and "/provider/login" in response.headers["Location"]


def age(client, **seconds_ago):
    now = int(time.time())
    with client.session_transaction() as session:
        for name, seconds in seconds_ago.items():
            session[name] = now - seconds


def test_a_provider_session_ends_after_12_idle_hours(owner_client):
    age(owner_client, **{SEEN_AT: 11 * HOUR})
    assert owner_client.get("/provider/listings").status_code == 200  # and the visit renews it
    age(owner_client, **{SEEN_AT: 12 * HOUR + 60})
    assert owner_client.get("/provider/listings").status_code == 302


def test_an_admin_session_ends_after_2_idle_hours(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    age(admin_client, **{SEEN_AT: 2 * HOUR + 60})
    assert admin_client.get("/admin/").status_code in (302, 403)
    assert admin_client.get("/provider/listings").status_code == 302


def test_no_session_lasts_more_than_7_days_however_busy(owner_client):
    age(owner_client, **{SIGNED_IN_AT: 7 * 24 * HOUR + 60, SEEN_AT: 10})
    assert owner_client.get("/provider/listings").status_code == 302


def test_signed_in_pages_are_never_cached(owner_client, client):
    assert owner_client.get("/provider/listings").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_every_page_of_the_account_areas_is_never_cached(
    app, admin_client, owner_client, client, provider_listing
):
    """Every GET page of /admin/ and /provider/ that a signed-in person can open, and the
    sign-in forms (their CSRF token is bound to the session)."""
    values = {"listing_id": provider_listing.id, "edit_id": 1, "claim_id": 1, "report_id": 1,
              "partner_id": 1, "account_id": 1, "name": "x.eml", "token": "x"}  # fmt: skip
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("admin", "provider") or "GET" not in rule.methods:
            continue
        if set(rule.arguments) - set(values):
            continue
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        for who in (admin_client, owner_client, client):
            response = who.get(url)
            assert response.headers.get("Cache-Control") == "no-store", (url, response.status)
            checked += 1
    assert checked >= 30
    assert "no-store" not in client.get("/search?location=80202").headers.get("Cache-Control", "")
