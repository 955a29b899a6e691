"""The admins' data-quality page: confirmed shares by state and source, expired availability,
unreachable reports, unanswered verification requests, and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from directory.models import VerificationRequest
from directory.models.listing import utcnow
from directory.operations.feedback import FAILURES_TO_QUEUE, record_outcome
from tests.web.provider_support import make_listing


def test_the_dashboard_shows_freshness_by_state_and_source(db, admin_client):
    today = date.today()
    make_listing(
        db, name="A", zip="80202", source="provider", last_verified_on=today - timedelta(days=10)
    )
    make_listing(
        db, name="B", zip="80202", source="provider", last_verified_on=today - timedelta(days=200)
    )
    make_listing(db, name="C", zip="10001", source="samhsa", release="2022")
    make_listing(db, name="Gone", zip="10001", status="withdrawn")  # not counted
    stale = make_listing(db, name="D", zip="10001", availability="accepting")
    stale.availability_expires_at = utcnow() - timedelta(days=1)
    for _ in range(FAILURES_TO_QUEUE):
        record_outcome(db.session, stale, "number_failed")
    db.session.add(VerificationRequest(listing_id=stale.id, sent_to="x@y.example",
                                       sent_at=utcnow() - timedelta(days=20),
                                       expires_at=utcnow() - timedelta(days=6)))  # fmt: skip
    db.session.commit()
    page = admin_client.get("/admin/quality").get_data(as_text=True)
    assert "Data quality" in page and "Confirmed within 90 days" in page
    assert "Availability expired (the public is asked to call)" in page
    rows = list(
        csv.reader(io.StringIO(admin_client.get("/admin/quality.csv").get_data(as_text=True)))
    )
    header, body = rows[0], {(r[0], r[1]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:5] == ["group", "value", "listings", "confirmed_90d", "share_90d"]
    colorado = body[("state", "CO")]
    assert (colorado["listings"], colorado["confirmed_90d"], colorado["confirmed_365d"]) == (
        "2", "1", "2")  # fmt: skip
    assert body[("all", "")]["listings"] == "4"
    assert body[("source", "samhsa")]["listings"] == "2"
    assert body[("source", "samhsa")]["confirmed_365d"] == "0"


def test_the_dashboard_counts_what_needs_attention(db, admin_client):
    listing = make_listing(db, name="Dead Number", availability="accepting")
    listing.availability_expires_at = utcnow() - timedelta(days=1)
    for _ in range(FAILURES_TO_QUEUE):
        record_outcome(db.session, listing, "number_failed")
    db.session.add(VerificationRequest(listing_id=listing.id, sent_to="x@y.example",
                                       sent_at=utcnow() - timedelta(days=20),
                                       expires_at=utcnow() - timedelta(days=6)))  # fmt: skip
    db.session.commit()
    from directory.operations.quality import measure

    quality = measure(db.session)
    assert (quality.availability_expired, quality.availability_live) == (1, 0)
    assert (quality.unreachable_open, quality.requests_unanswered) == (1, 1)
    spanish = admin_client.get("/admin/quality?lang=es").get_data(as_text=True)
    assert "Calidad de los datos" in spanish


def test_only_admins_see_it(client, owner_client):
    assert client.get("/admin/quality").status_code == 302
    assert owner_client.get("/admin/quality.csv").status_code == 403
