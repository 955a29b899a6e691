"""An administrator's phone check in two clicks: the outcome (and an optional note), then one
button. Audited; only "the details are correct" confirms the listing; a dead number queues it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing, ProblemReport
from directory.operations import feedback
from tests.web.provider_support import csrf_token, post_form

pytestmark = pytest.mark.postgres


def text(response) -> str:
    return response.get_data(as_text=True)


def call(admin_client, listing, outcome, note="", **kwargs):
    page = f"/admin/listings/{listing.id}"
    data = {"outcome": outcome, "note": note}
    return post_form(admin_client, f"{page}/verify", data, form_url=page, **kwargs)


def fresh(db, listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def provenance(client, listing, lang="en") -> dict[str, str]:
    page = text(client.get(f"/providers/{listing.id}?lang={lang}"))
    table = page[page.index('class="provenance"') :]
    found = re.findall(r'<th scope="row">([^<]+)</th><td>[^<]+</td><td>([^<]+)</td>', table)
    return dict(found)


def test_the_form_offers_four_outcomes_and_a_note(admin_client, provider_listing):
    page = text(admin_client.get(f"/admin/listings/{provider_listing.id}"))
    for outcome in ("Reached them: the details are correct", "Reached them: some details have "
                    "changed", "The number did not work", "No answer"):  # fmt: skip
        assert outcome in page
    assert 'name="note"' in page and "Record the call" in page
    assert "Mark as verified today" not in page


def test_details_confirmed_by_phone_verify_the_listing_with_who_when_and_the_note(
    client, db, admin_client, provider_listing
):
    response = call(admin_client, provider_listing, "confirmed", "Spoke to the front desk")
    assert response.status_code == 302
    listing = fresh(db, provider_listing)
    assert listing.last_verified_on is not None
    assert listing.last_verified_by == "directory staff (phone call)"
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "verified" and entry.actor == "admin@directory.example"
    assert entry.changes["phone_check"] == [None, "confirmed"]
    assert entry.changes["phone_check_note"] == [None, "Spoke to the front desk"]
    history = text(admin_client.get(f"/admin/listings/{provider_listing.id}"))
    assert "Call recorded: the listing is confirmed today." in history
    assert "Spoke to the front desk" in history
    table = provenance(client, provider_listing)
    assert table["Contact details"] == "Confirmed by directory staff after a phone call just now"
    assert table["Services"] == "Confirmed by directory staff after a phone call just now"
    spanish = provenance(client, provider_listing, "es")
    assert spanish["Pago"].startswith("Confirmado por el personal del directorio tras una llamada")
    assert "admin@directory.example" not in text(client.get(f"/providers/{provider_listing.id}"))
    assert "Mile High Recovery" not in text(admin_client.get("/admin/stale"))


@pytest.mark.parametrize("outcome", ["details_changed", "number_failed", "no_answer"])
def test_other_outcomes_are_audited_but_do_not_confirm_anything(
    client, db, admin_client, provider_listing, outcome
):
    assert call(admin_client, provider_listing, outcome).status_code == 302
    assert fresh(db, provider_listing).last_verified_on is None
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "phone_check" and entry.changes == {"phone_check": [None, outcome]}
    assert provenance(client, provider_listing)["Contact details"] == "Not confirmed since"


def test_changed_details_lead_straight_to_the_listing_form(db, admin_client, provider_listing):
    response = call(admin_client, provider_listing, "details_changed", "New intake number")
    assert response.location == f"/admin/listings/{provider_listing.id}/edit"


def test_a_number_that_did_not_work_puts_the_listing_in_the_unreachable_queue_once(
    db, admin_client, provider_listing
):
    call(admin_client, provider_listing, "number_failed")
    for _ in range(feedback.FAILURES_TO_QUEUE):  # callers then say so too: still one report
        feedback.record_outcome(db.session, provider_listing, "number_failed")
    db.session.commit()
    call(admin_client, provider_listing, "number_failed")
    (report,) = db.session.scalars(select(ProblemReport)).all()
    assert report.kind == "unreachable" and report.status == "open"
    assert "An administrator called" in report.details
    assert "Mile High Recovery" in text(admin_client.get("/admin/reports"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what happened when you called."),
        ({"outcome": "maybe"}, "Choose what happened when you called."),
        ({"outcome": "confirmed", "note": "x" * 2001}, "Keep the note to 2,000 characters"),
    ],
)
def test_bad_input_is_a_clear_400_and_changes_nothing(
    db, admin_client, provider_listing, data, message
):
    url = f"/admin/listings/{provider_listing.id}"
    response = post_form(admin_client, f"{url}/verify", data, form_url=url)
    assert response.status_code == 400
    page = text(response)
    assert message in page and "Please fix these problems" in page
    assert fresh(db, provider_listing).last_verified_on is None
    assert db.session.scalars(select(AuditEntry)).all() == []
    if "note" in data:
        assert "x" * 2001 in page  # what was typed is kept


def test_the_check_needs_csrf_and_an_admin(db, admin_client, owner_client, provider_listing):
    url = f"/admin/listings/{provider_listing.id}/verify"
    assert admin_client.post(url, data={"outcome": "confirmed"}).status_code == 400
    token = csrf_token(owner_client, "/provider/listings")
    forbidden = owner_client.post(url, data={"outcome": "confirmed", "csrf_token": token})
    assert forbidden.status_code == 403
    assert fresh(db, provider_listing).last_verified_on is None


def test_the_form_in_spanish(admin_client, provider_listing):
    page = text(admin_client.get(f"/admin/listings/{provider_listing.id}?lang=es"))
    assert "Registrar una comprobación por teléfono" in page
    assert "El número no funcionó" in page
