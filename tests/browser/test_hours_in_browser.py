"""Hours and access in real Chromium: a provider types the week's hours and walk-in in the
provider area, and a seeker's card says "Open now · until …" in the listing's own time zone,
in English and Spanish; axe-core checks the form and the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from directory.extensions import db
from directory.listings.hours import DAYS
from directory.models import Claim, Listing
from directory.models.listing import utcnow
from directory.operations.accounts import AccountPolicy, create_account
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
EMAIL = "hours@pinecrest.example"
EASTERN = ZoneInfo("America/New_York")  # Pikeville, KY 41501


def seed(app) -> str:
    """A claimed listing in Pikeville, KY (away from the other tests' Hazard places), and its
    provider's verified account."""
    with app.app_context():
        listing = Listing(name="Pinecrest Hours Clinic", street="1 Main St", city="Pikeville",
                          state="KY", zip="41501", phone="606-555-0100", source="samhsa",
                          release="2022", service_types=["substance_use"],
                          care_levels=["outpatient"], lat=37.52, lon=-82.52,
                          location_precision="zip")  # fmt: skip
        db.session.add(listing)
        account = create_account(db.session, EMAIL, PASSWORD, AccountPolicy.from_config(app.config))
        account.email_verified_at = utcnow()
        db.session.flush()
        claim = Claim(account_id=account.id, listing_id=listing.id, role="Director",
                      work_email=EMAIL, phone="606-555-0100", status="approved")  # fmt: skip
        db.session.add(claim)
        db.session.commit()
        return listing.id


def hour_label(hour: int) -> str:
    return f"{hour % 12 or 12} {'am' if hour < 12 else 'pm'}"


def test_a_provider_types_the_hours_and_the_card_says_open_now(page, live_app):
    listing_id = seed(live_app)
    page.goto("/provider/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/provider/listings")
    page.get_by_role("link", name=re.compile("Update hours and walk-in")).click()
    axe_check(page)

    # Open from an hour ago until three hours from now, Pikeville's time (what the clinic's
    # staff would type on their own clock).
    now = datetime.now(UTC).astimezone(EASTERN)
    start, end = now - timedelta(hours=1), now + timedelta(hours=3)
    day = DAYS[start.weekday()].lower()
    page.fill(f"#{day}_opens_1", f"{start.hour:02d}:00")
    page.fill(f"#{day}_closes_1", f"{end.hour:02d}:00")
    page.get_by_label("Yes").first.check()  # walk-in
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url("**/provider/listings")
    assert "They are public now" in page.content()

    page.goto("/search?location=Pikeville,+KY&radius=10", timeout=60_000)  # a busy machine
    card = page.locator("article.card", has_text="Pinecrest Hours Clinic")
    assert card.locator(".badge.open").inner_text() == f"Open now · until {hour_label(end.hour)}"
    assert "Walk-in or same-day admission" in card.inner_text()
    axe_check(page)

    page.goto("/search?location=Pikeville,+KY&radius=10&lang=es")
    card = page.locator("article.card", has_text="Pinecrest Hours Clinic")
    assert card.locator(".badge.open").inner_text().startswith("Abierto ahora · hasta la")
    assert "Atención sin cita" in card.inner_text()

    page.goto(f"/providers/{listing_id}?lang=es")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Horario y atención sin cita")
    )
    assert "Cerrado" in section.inner_text()  # the other six days
    assert "hora oriental" in section.inner_text()
    axe_check(page)


def test_the_spanish_hours_form_names_the_mistake(page, live_app):
    with live_app.app_context():
        listing = db.session.scalars(
            db.select(Listing).where(Listing.name == "Pinecrest Hours Clinic")
        ).first()
        listing_id = listing.id if listing else None
    listing_id = listing_id or seed(live_app)
    page.goto("/provider/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/provider/listings")
    page.goto(f"/provider/listings/{listing_id}/hours?lang=es")
    page.fill("#tu_opens_1", "09:00")
    page.fill("#tu_closes_1", "")  # an opening without its closing time
    page.get_by_role("button", name="Guardar y publicar").click()
    assert "Indique las dos horas, o ninguna." in page.content()
    axe_check(page)
