"""The whole provider journey in real Chromium: register, choose the password through the
link in the outbox (which confirms the address), claim, an admin approves, edit, an admin
approves, and the change is public; axe-core checks every provider and admin page on the way.

The public provider page (``/providers/<id>``) and ``/api/v1/providers/<id>`` are not on this
branch yet, so the published change is checked in the database and on the public
problem-report page, which shows the listing's name.
"""

from __future__ import annotations

import re

import pytest

from directory.extensions import db
from directory.mail import outbox_messages
from directory.models import Listing
from directory.models.account import ADMIN
from directory.operations.accounts import AccountPolicy, create_account
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def seed(app) -> tuple[str, str]:
    """A listing to claim and an admin; returns (listing id, admin e-mail)."""
    with app.app_context():
        listing = Listing(name="Lakeside Recovery", program_name="Outpatient", street="1 Lake Rd",
                          city="Denver", state="CO", zip="80202", phone="303-555-0100",
                          source="samhsa", release="2022", service_types=["substance_use"],
                          care_levels=["outpatient"], lat=39.75, lon=-104.99,
                          location_precision="zip")  # fmt: skip
        db.session.add(listing)
        create_account(
            db.session,
            "journey-admin@directory.example",
            PASSWORD,
            AccountPolicy.from_config(app.config),
            role=ADMIN,
        )
        db.session.commit()
        return listing.id, "journey-admin@directory.example"


def sign_in(page, email: str) -> None:
    page.goto("/provider/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/provider/login")


def mail_link(app, to: str, path: str) -> str:
    with app.app_context():
        bodies = [message.body for message in outbox_messages() if message.to == to]
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S*)", "\n".join(bodies))
    assert match, f"no {path} link in the mail to {to}"
    return match.group(1)


def listing_now(app, listing_id: str) -> Listing:
    with app.app_context():
        listing = db.session.get(Listing, listing_id)
        db.session.expunge(listing)
        return listing


def test_from_registration_to_a_corrected_live_listing(page, live_app):
    listing_id, admin_email = seed(live_app)
    email = "intake@lakeside.example"

    page.goto("/provider/register")
    axe_check(page)
    assert page.locator("input[type=password]").count() == 0  # chosen through the mail
    page.fill("#email", email)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    axe_check(page)

    page.goto(mail_link(live_app, email, "/provider/reset/"))
    page.get_by_role("heading", name="Choose your password").wait_for()
    axe_check(page)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_url("**/provider/login")
    assert "your password chosen" in page.content()
    sign_in(page, email)
    page.wait_for_url("**/provider/listings")

    page.goto("/provider/find?q=Lakeside")
    axe_check(page)
    page.get_by_role("link", name=re.compile("This is ours")).click()
    axe_check(page)
    page.fill("#role", "Intake coordinator")
    page.fill("#work_email", email)
    page.fill("#phone", "303-555-0100")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/provider/listings")
    sign_out(page)
    axe_check(page)

    sign_in(page, admin_email)
    page.wait_for_url("**/admin/")
    axe_check(page)
    page.goto("/admin/claims")
    axe_check(page)
    page.get_by_role("button", name=re.compile("^Approve")).first.click()
    page.wait_for_url("**/admin/claims")
    sign_out(page)

    sign_in(page, email)
    page.wait_for_url("**/provider/listings")
    page.get_by_role("link", name=re.compile("Edit the listing")).click()
    axe_check(page)
    page.fill("#name", "Lakeside Recovery Center")
    page.fill("#phone", "303-555-0142")
    page.get_by_label("Buprenorphine").check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/provider/edits/*")
    axe_check(page)
    assert listing_now(live_app, listing_id).phone == "303-555-0100"  # not public yet

    page.goto(f"/provider/listings/{listing_id}/availability")
    axe_check(page)
    page.get_by_label("Taking names for a waitlist").check()
    page.fill("#wait_days", "3")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url("**/provider/listings")
    assert listing_now(live_app, listing_id).availability_status == "waitlist"  # public at once
    sign_out(page)

    sign_in(page, admin_email)
    page.goto("/admin/edits")
    axe_check(page)
    page.get_by_role("link", name="Lakeside Recovery Center").click()
    axe_check(page)
    assert "303-555-0142" in page.content()
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url("**/admin/edits*")

    published = listing_now(live_app, listing_id)
    assert (published.name, published.phone) == ("Lakeside Recovery Center", "303-555-0142")
    assert published.medications == ["buprenorphine"]
    assert published.availability_status == "waitlist" and published.wait_days == 3

    page.goto(f"/admin/listings/{listing_id}")
    axe_check(page)
    assert "Provider edit approved" in page.content()
    for url in ["/admin/", "/admin/reports", "/admin/stale", "/admin/accounts", "/admin/outbox"]:
        page.goto(url)
        axe_check(page)
    page.get_by_role("link", name="Your listing changes were reviewed").first.click()
    axe_check(page)

    page.goto(f"/providers/{listing_id}/report")
    axe_check(page)
    assert "Lakeside Recovery Center" in page.content()

    # The public provider page shows the approved change and the fresh availability.
    page.goto(f"/providers/{listing_id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Lakeside Recovery Center"
    assert page.get_by_role("link", name="303-555-0142").get_attribute("href") == (
        "tel:+1-303-555-0142"
    )
    assert "Waitlist · about 3 days wait" in page.content()
    assert "Buprenorphine" in page.content()
    axe_check(page)
