"""Freshness in real Chromium: a provider finds the landing page from their public listing
and is one click from asking to manage it; an admin records a phone check in two clicks and
the public page then says who confirmed it. Both languages, axe-core on every page. The
listing is in Bozeman, MT (59715), which no other browser test uses."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from directory.extensions import db
from directory.models import Listing
from directory.models.account import ADMIN
from directory.models.listing import utcnow
from directory.operations.accounts import AccountPolicy, create_account
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ADMIN_EMAIL = "freshness-admin@directory.example"


@pytest.fixture(scope="module")
def listing_id(live_app) -> str:
    with live_app.app_context():
        listing = Listing(name="Gallatin Valley Recovery", street="1 Main St", city="Bozeman",
                          state="MT", zip="59715", phone="406-555-0100", source="samhsa",
                          release="2022", service_types=["substance_use"],
                          care_levels=["outpatient"], lat=45.68, lon=-111.04,
                          location_precision="zip")  # fmt: skip
        db.session.add(listing)
        admin = create_account(db.session, ADMIN_EMAIL, PASSWORD,
                               AccountPolicy.from_config(live_app.config), role=ADMIN)  # fmt: skip
        admin.email_verified_at = utcnow()
        db.session.commit()
        return listing.id


@pytest.mark.parametrize(
    ("lang", "link", "ask"),
    [("en", "Keep this listing up to date", "Ask to manage Gallatin Valley Recovery"),
     ("es", "Mantenga esta ficha al día", "Solicitar administrar Gallatin Valley Recovery")],
)  # fmt: skip
def test_from_the_public_listing_to_the_landing_page_and_the_claim(page, listing_id, lang, link,
                                                                   ask):  # fmt: skip
    page.goto(f"/providers/{listing_id}?lang={lang}")
    page.get_by_role("link", name=link).click()
    page.wait_for_url(f"**/provider/?listing={listing_id}*")
    axe_check(page)
    page.get_by_role("link", name=ask).click()
    page.wait_for_url(re.compile(r"/provider/login\?next="))  # then the claim form opens
    assert f"/provider/listings/{listing_id}/claim" in unquote(page.url)


def test_an_admin_records_a_phone_check_in_two_clicks(page, listing_id):
    page.goto("/provider/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/listings/{listing_id}")
    axe_check(page)
    page.get_by_role("button", name="Record the call").click()  # nothing chosen: told so
    summary = page.locator(".error-summary")
    assert "Choose what happened when you called." in summary.inner_text()
    axe_check(page)
    page.get_by_label("Reached them: the details are correct").check()  # 1
    page.get_by_label("Note (optional, for the record)").fill("Front desk confirmed")
    page.get_by_role("button", name="Record the call").click()  # 2
    assert "Call recorded: the listing is confirmed today." in page.content()
    assert "Front desk confirmed" in page.content()
    page.goto(f"/admin/listings/{listing_id}?lang=es")
    axe_check(page)
    page.goto(f"/providers/{listing_id}")
    provenance = page.locator("table.provenance").inner_text()
    assert re.search(r"by directory staff after a phone call (just now|today)", provenance)
