"""An administrator sets a listing's hours and walk-in (issue 13 item 2: "editable by
providers ... and audited"; here by staff, after a call say): public at once, audited as
the admin's, and the provider page says directory staff gave them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing
from tests.web.provider_support import csrf_token, post_form

pytestmark = pytest.mark.postgres

ALWAYS = {"always_open": "y"}


def text(response) -> str:
    return response.get_data(as_text=True)


def form(listing, **fields) -> dict:
    return {"version": str(listing.version), "walk_in": "", "intake_24h": "", **fields}


def fresh(db, listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def hours_row(client, listing) -> tuple[str, str]:
    page = text(client.get(f"/providers/{listing.id}"))
    table = page[page.index('class="provenance"') :]
    found = re.search(r'<th scope="row">Hours and walk-in</th><td>([^<]+)</td><td>([^<]+)</td>',
                      table)  # fmt: skip
    return found.group(1), found.group(2)


def test_an_admin_sets_the_hours_public_at_once_and_in_the_history(
    client, db, admin_client, provider_listing
):
    listing_page = text(admin_client.get(f"/admin/listings/{provider_listing.id}"))
    assert f'href="/admin/listings/{provider_listing.id}/hours"' in listing_page
    url = f"/admin/listings/{provider_listing.id}/hours"
    response = post_form(admin_client, url, form(provider_listing, walk_in="yes", **ALWAYS))
    assert response.status_code == 302
    assert response.location == f"/admin/listings/{provider_listing.id}"
    listing = fresh(db, provider_listing)
    assert listing.walk_in is True and listing.hours_source == "admin"
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "hours" and entry.actor == "admin@directory.example"
    assert "Open 24 hours" in text(client.get("/search?location=80202&radius=5"))
    origin, confirmed = hours_row(client, provider_listing)
    assert origin.startswith("Directory staff, ")
    assert confirmed.startswith("Confirmed by directory staff ")
    history = text(admin_client.get(f"/admin/listings/{provider_listing.id}"))
    assert "Hours and walk-in updated. They are public now." in history


def test_bad_hours_are_said_by_the_field_and_change_nothing(db, admin_client, provider_listing):
    url = f"/admin/listings/{provider_listing.id}/hours"
    response = post_form(admin_client, url, form(provider_listing, tu_opens_1="8am"))
    assert response.status_code == 200
    assert "Enter a time such as 08:30 or 17:00." in text(response)
    assert fresh(db, provider_listing).hours_updated_at is None
    spanish = post_form(admin_client, f"{url}?lang=es", form(provider_listing, we_opens_1="9"))
    assert "Escriba una hora como 08:30 o 17:00." in text(spanish)


def test_a_stale_form_is_refused_showing_what_changed(db, admin_client, provider_listing):
    url = f"/admin/listings/{provider_listing.id}/hours"
    stale = form(provider_listing, walk_in="no")
    assert post_form(admin_client, url, form(provider_listing, walk_in="yes")).status_code == 302
    response = post_form(admin_client, url, stale)
    assert response.status_code == 409 and "Someone else changed this listing" in text(response)
    assert fresh(db, provider_listing).walk_in is True


def test_only_admins_with_a_csrf_token(db, admin_client, owner_client, provider_listing):
    url = f"/admin/listings/{provider_listing.id}/hours"
    assert admin_client.post(url, data=form(provider_listing, **ALWAYS)).status_code == 400
    token = csrf_token(owner_client, "/provider/listings")
    data = {"csrf_token": token, **form(provider_listing, **ALWAYS)}
    assert owner_client.post(url, data=data).status_code == 403
    assert fresh(db, provider_listing).hours is None
    assert admin_client.get("/admin/listings/nope/hours").status_code == 404
