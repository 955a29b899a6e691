"""Availability that means something (DESIGN.md 3.2): a standard status, who set it and when,
and an expiry after which the public is asked to call and the matcher treats it as unknown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing
from directory.models.listing import utcnow
from tests.factories import make_listing
from tests.web.provider_support import post_form


def fresh(db, listing):
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def text(response) -> str:
    return response.get_data(as_text=True)


def set_days_ago(db, listing, status: str, days: int, wait_days=None, expires_after=14):
    """As if the provider set ``status`` ``days`` ago (expiring ``expires_after`` days later)."""
    set_at = utcnow() - timedelta(days=days)
    listing.availability_status = status
    listing.wait_days = wait_days
    listing.availability_updated_at = set_at
    listing.availability_source = "provider"
    listing.availability_expires_at = set_at + timedelta(days=expires_after)
    db.session.commit()


@pytest.fixture
def pair(db):
    """Two otherwise equal providers near downtown Denver."""
    listings = {
        "alder": make_listing("80202", name="Alder Outpatient"),
        "birch": make_listing("80202", name="Birch Outpatient"),
    }
    db.session.commit()
    return listings


def test_each_status_reads_in_plain_words_on_cards_and_pages(client, db, pair):
    set_days_ago(db, pair["alder"], "waitlist", 2, wait_days=10)
    set_days_ago(db, pair["birch"], "assessment_required", 1)
    results = text(client.get("/search?location=80202&radius=5"))
    assert "Waitlist · about 10 days wait" in results
    assert "Accepting new clients after an assessment" in results
    assert "by the provider" in results
    page = text(client.get(f"/providers/{pair['alder'].id}?lang=es"))
    assert "Lista de espera · espera de unos 10 días" in page
    assert "por el proveedor" in page


def test_an_expired_status_asks_the_public_to_call_in_both_languages(client, db, pair):
    set_days_ago(db, pair["alder"], "accepting", 20)
    page = text(client.get(f"/providers/{pair['alder'].id}"))
    assert "Last confirmed 20 days ago — call to confirm" in page
    assert "Accepting new clients" not in page
    page = text(client.get(f"/providers/{pair['alder'].id}?lang=es"))
    assert "Confirmado por última vez hace 20 días — llame para confirmar" in page
    results = text(client.get("/search?location=80202&radius=5"))
    assert "Last confirmed 20 days ago — call to confirm" in results


def test_the_matcher_ranks_an_expired_accepting_like_one_that_never_said(client, db, pair):
    # Alder comes first by name among equals; a fresh "accepting" lifts Birch above it ...
    set_days_ago(db, pair["birch"], "accepting", 3)
    names = [r["name"] for r in client.get("/api/v1/match?location=80202").json["results"]]
    assert names == ["Birch Outpatient", "Alder Outpatient"]
    # ... and once it has expired, it no longer does: with Alder's details confirmed about as
    # long ago (freshness, a small part of the score, then favours neither much), the expired
    # "accepting" counts like no availability at all.
    set_days_ago(db, pair["birch"], "accepting", 15)
    pair["alder"].last_verified_on = (utcnow() - timedelta(days=14)).date()
    db.session.commit()
    names = [r["name"] for r in client.get("/api/v1/match?location=80202").json["results"]]
    assert names == ["Alder Outpatient", "Birch Outpatient"]


def test_the_api_gives_status_when_expiry_and_source(client, db, pair):
    set_days_ago(db, pair["alder"], "waitlist", 2, wait_days=10)
    set_days_ago(db, pair["birch"], "accepting", 30)
    by_name = {
        r["name"]: r["availability"]
        for r in client.get("/api/v1/match?location=80202").json["results"]
    }
    alder, birch = by_name["Alder Outpatient"], by_name["Birch Outpatient"]
    assert alder["status"] == "waitlist" and alder["wait_days"] == 10
    assert alder["source"] == "provider" and alder["expired"] is False
    assert alder["updated_at"] < alder["expires_at"]
    assert birch["status"] == "unknown" and birch["expired"] is True
    assert birch["stated_status"] == "accepting"
    full = client.get(f"/api/v1/providers/{pair['birch'].id}").json["availability"]
    assert full == birch


def test_a_listing_nobody_set_is_unknown_with_nothing_made_up(client, pair):
    body = client.get(f"/api/v1/providers/{pair['alder'].id}").json["availability"]
    assert body == {"status": "unknown", "stated_status": "unknown", "expired": False,
                    "wait_days": None, "updated_at": None, "expires_at": None,
                    "source": None, "by_care_level": None}  # fmt: skip
    assert "Availability not reported — call to ask" in text(
        client.get(f"/providers/{pair['alder'].id}")
    )


def test_a_provider_sets_a_waitlist_that_expires_after_the_configured_days(
    app, db, owner_client, provider_listing
):
    app.config["AVAILABILITY_DAYS"] = 7
    url = f"/provider/listings/{provider_listing.id}/availability"
    assert "It counts for 7 days" in text(owner_client.get(url))
    form = {"status": "waitlist", "wait_days": "21", "version": "1"}
    assert post_form(owner_client, url, form).status_code == 302
    listing = fresh(db, provider_listing)
    assert (listing.availability_status, listing.wait_days) == ("waitlist", 21)
    assert listing.availability_source == "provider"
    assert listing.availability_updated_by == "staff@milehigh.example"
    lasts = listing.availability_expires_at - listing.availability_updated_at
    assert lasts == timedelta(days=7)
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.changes["availability_status"] == ["unknown", "waitlist"]
    assert entry.changes["availability_expires_at"][0] is None


def test_saving_the_same_status_again_confirms_it_for_another_period(
    db, owner_client, provider_listing
):
    set_days_ago(db, fresh(db, provider_listing), "accepting", 13)
    url = f"/provider/listings/{provider_listing.id}/availability"
    version = str(fresh(db, provider_listing).version)
    post_form(owner_client, url, {"status": "accepting", "version": version})
    listing = fresh(db, provider_listing)
    assert listing.availability_expires_at > utcnow() + timedelta(days=13)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_waitlist_needs_its_wait_in_days(db, owner_client, provider_listing, lang):
    url = f"/provider/listings/{provider_listing.id}/availability?lang={lang}"
    page = text(post_form(owner_client, url, {"status": "waitlist", "version": "1"}))
    expected = {"en": "Say about how many days the wait is.",
                "es": "Indique cuántos días de espera hay, más o menos."}  # fmt: skip
    assert expected[lang] in page
    assert fresh(db, provider_listing).availability_status == "unknown"


def test_a_wait_is_dropped_for_a_status_without_one(db, owner_client, provider_listing):
    url = f"/provider/listings/{provider_listing.id}/availability"
    form = {"status": "not_accepting", "wait_days": "5", "version": "1"}
    post_form(owner_client, url, form)
    listing = fresh(db, provider_listing)
    assert (listing.availability_status, listing.wait_days) == ("not_accepting", None)
