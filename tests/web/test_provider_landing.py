"""The provider landing page (/provider/): public, says what claiming gives, what is reviewed
and how long that takes, and what the verification mails ask; the dashboard is one click on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from directory.models import Claim
from directory.models.listing import utcnow
from tests.web.provider_support import make_account, make_listing, sign_in

pytestmark = pytest.mark.postgres


def text(response) -> str:
    return response.get_data(as_text=True)


def test_anyone_can_read_what_claiming_gives_without_signing_in(client, db):
    response = client.get("/provider/")
    assert response.status_code == 200
    page = text(response)
    for heading in ("What claiming your listing gives you", "What we review, and how long it "
                    "takes", "What the verification mails ask"):  # fmt: skip
        assert heading in page
    assert "public as soon as you save it" in page  # availability is not held for review
    assert "not confirmed for 180 days" in page and "shown for 14 days" in page
    assert "works once and expires after 14 days" in page
    assert 'href="/provider/register"' in page and 'href="/provider/login"' in page
    assert "We review requests in the order they arrive." in page  # no figure yet


def test_the_page_quotes_the_figures_this_site_is_configured_with(app, client, db):
    app.config.update(VERIFY_AFTER_DAYS=90, AVAILABILITY_DAYS=7, VERIFICATION_LINK_DAYS=1)
    page = text(client.get("/provider/"))
    assert "not confirmed for 90 days" in page and "shown for 7 days" in page
    assert "expires after 1 day." in page


def test_in_spanish(client, db):
    page = text(client.get("/provider/?lang=es"))
    assert 'lang="es"' in page
    assert "Lo que obtiene al reclamar su ficha" in page
    assert "Qué revisamos y cuánto tarda" in page
    assert "Qué preguntan los correos de verificación" in page
    assert 'href="/provider/register?lang=es"' in page


def test_how_long_review_takes_is_measured_from_real_decisions(client, db):
    listing = make_listing(db)
    account = make_account(db)
    now = utcnow()

    def decided(created, after):
        db.session.add(Claim(account_id=account.id, listing_id=listing.id, role="Director",
                             work_email=account.email, phone="303-555-0100", status="approved",
                             created_at=created, decided_at=created + after))  # fmt: skip

    for hours in (20, 30, 40, 50, 200):  # median 40 hours: within 2 days
        decided(now - timedelta(days=10), timedelta(hours=hours))
    decided(now - timedelta(days=200), timedelta(days=60))  # outside the 90 days: not counted
    db.session.commit()
    page = text(client.get("/provider/"))
    assert "Over the last 90 days, half of these requests were decided within 2 days." in page
    assert "se decidió la mitad de estas solicitudes en 2 días" in text(
        client.get("/provider/?lang=es")
    )


def test_from_a_provider_page_the_link_offers_to_claim_that_listing(client, db):
    listing = make_listing(db)
    provider_page = text(client.get(f"/providers/{listing.id}"))
    assert "Are you this provider?" in provider_page
    assert f'href="/provider/?listing={listing.id}"' in provider_page
    page = text(client.get(f"/provider/?listing={listing.id}"))
    assert f'href="/provider/listings/{listing.id}/claim"' in page
    assert "Ask to manage Mile High Recovery" in page
    claim = client.get(f"/provider/listings/{listing.id}/claim")  # signs in first
    assert claim.status_code == 302 and claim.location.startswith("/provider/login")


@pytest.mark.parametrize("listing_id", ["nope", "x" * 5000, "%00", "' OR 1=1 --"])
def test_an_unknown_or_hostile_listing_id_is_just_ignored(client, db, listing_id):
    response = client.get("/provider/", query_string={"listing": listing_id})
    assert response.status_code == 200 and "Ask to manage" not in text(response)


def test_the_footer_of_every_public_page_links_here(client, db):
    for url in ("/", "/search?location=80202", "/partners"):
        assert '<a href="/provider/">For treatment providers' in text(client.get(url)), url


def test_a_signed_in_provider_lands_on_their_listings_and_is_one_click_from_them(
    client, db, provider_listing, provider_account
):
    response = sign_in(client, provider_account.email)
    assert response.status_code == 302 and response.location == "/provider/listings"
    page = text(client.get("/provider/"))
    assert '<a class="button" href="/provider/listings">Go to your listings</a>' in page
    assert "Create an account" not in page
    assert "Your listings" in text(client.get("/provider/listings"))
