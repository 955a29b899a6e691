"""Availability per care level in real Chromium: a provider says detox has a waitlist while
outpatient takes people now, a mistake is shown on its row and nothing typed is lost, and the
public page lists each level, in both languages; axe-core on every page. The listing is in
Cheyenne, WY (82001), which no other browser test uses."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Claim, Listing
from directory.models.listing import utcnow
from directory.operations.accounts import AccountPolicy, create_account
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
EMAIL = "intake@laramie-county-recovery.example"


@pytest.fixture(scope="module")
def listing_id(live_app) -> str:
    with live_app.app_context():
        listing = Listing(name="Laramie County Recovery", street="1 Capitol Ave",
                          city="Cheyenne", state="WY", zip="82001", phone="307-555-0100",
                          source="samhsa", release="2022", service_types=["substance_use"],
                          care_levels=["detox", "outpatient"], lat=41.14, lon=-104.82,
                          location_precision="zip")  # fmt: skip
        db.session.add(listing)
        account = create_account(db.session, EMAIL, PASSWORD,
                                 AccountPolicy.from_config(live_app.config))  # fmt: skip
        account.email_verified_at = utcnow()
        db.session.flush()
        claim = Claim(account_id=account.id, listing_id=listing.id, role="Director",
                      work_email=EMAIL, phone="307-555-0100", status="approved")  # fmt: skip
        db.session.add(claim)
        db.session.commit()
        return listing.id


def test_a_provider_gives_each_care_level_its_own_availability(page, listing_id):
    page.goto("/provider/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/provider/listings")
    page.goto(f"/provider/listings/{listing_id}/availability")
    axe_check(page)
    page.get_by_label("Accepting new clients", exact=True).check()
    page.get_by_label("Detox: availability").select_option("waitlist")  # no wait given
    page.get_by_label("Outpatient: availability").select_option("accepting")
    page.get_by_role("button", name="Save and publish").click()
    summary = page.locator(".error-summary")
    assert "Say about how many days the wait is." in summary.inner_text()
    assert page.get_by_label("Outpatient: availability").input_value() == "accepting"  # kept
    axe_check(page)
    page.get_by_label("Detox: typical wait, in days").fill("10")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url("**/provider/listings")

    page.goto(f"/providers/{listing_id}")
    levels = page.locator("dl.care-level-availability").inner_text()
    assert "Detox" in levels and "Waitlist · about 10 days wait" in levels
    assert "Outpatient" in levels and "Accepting new clients" in levels
    axe_check(page)
    page.goto(f"/providers/{listing_id}?lang=es")
    assert "Lista de espera · espera de unos 10 días" in page.content()
    assert page.get_by_role("heading", name="Disponibilidad por tipo de ayuda").is_visible()
    axe_check(page)
