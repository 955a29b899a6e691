"""``flask send-verification-requests``: a claimed provider confirms or updates the listing from
a mail, without a password; every bad link is a clear page that changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing, ProblemReport, VerificationRequest
from directory.models.listing import WITHDRAWN, utcnow
from tests.web.provider_support import (
    csrf_token,
    link_in,
    make_account,
    make_listing,
    make_owner,
    outbox,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(db, listing):
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


@pytest.fixture
def claimed(db):
    listing = make_listing(db, name="Lakeside Recovery")
    make_owner(db, listing, make_account(db, email="director@lakeside.example"))
    return listing


def send(runner, *args):
    result = runner.invoke(args=["send-verification-requests", *args])
    assert result.exit_code == 0, result.output
    return result.output


def the_mail(app):
    (mail,) = [m for m in outbox(app) if "still right" in m.subject]
    return mail


def press(client, path: str, data=None):
    """Open a link's page and press its button (the page's CSRF token, plus ``data``)."""
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def test_a_claimed_listing_is_asked_once_and_confirms_in_one_click(app, db, runner, claimed):
    assert "1 listings are due" in send(runner, "--dry-run") and outbox(app) == []
    assert "Sent 1 verification requests" in send(runner)
    assert "Sent 0" in send(runner)  # idempotent: the open request is not sent again
    mail = the_mail(app)
    assert mail.to == "director@lakeside.example" and "Lakeside Recovery" in mail.body
    client = app.test_client()
    path = link_in(mail.body, "/provider/check/confirm/")
    page = client.get(path)
    assert page.status_code == 200 and "Yes, it is still correct" in text(page)
    assert fresh(db, claimed).last_verified_on is None  # opening the link changes nothing
    done = press(client, path)
    assert "confirmed by the provider today" in text(done)
    listing = fresh(db, claimed)
    assert listing.last_verified_on == date.today()
    entry = db.session.scalars(select(AuditEntry)).all()[-1]
    assert entry.action == "verified" and "director@lakeside.example" in entry.actor


def test_availability_from_the_link_is_public_and_audited_without_signing_in(
    app, db, runner, claimed
):
    send(runner)
    path = link_in(the_mail(app).body, "/provider/check/availability/")
    client = app.test_client()
    press(client, path, {"status": "waitlist", "wait_days": "12", "version": "1"})
    listing = fresh(db, claimed)
    assert (listing.availability_status, listing.wait_days) == ("waitlist", 12)
    assert listing.availability_source == "verification_link"
    entry = db.session.scalars(select(AuditEntry)).all()[-1]
    assert entry.action == "availability" and entry.account_id is None
    assert entry.changes["availability_status"] == ["unknown", "waitlist"]
    body = client.get(f"/api/v1/providers/{claimed.id}").json["availability"]
    assert body["status"] == "waitlist" and body["source"] == "verification_link"


def test_we_have_closed_goes_to_the_admin_queue_and_changes_nothing_public(
    app, db, runner, claimed
):
    send(runner)
    path = link_in(the_mail(app).body, "/provider/check/closed/")
    press(app.test_client(), path, {"details": "Moved to 12 Elm St"})
    (report,) = db.session.scalars(select(ProblemReport)).all()
    assert report.kind == "closed" and "Moved to 12 Elm St" in report.details
    assert fresh(db, claimed).name == "Lakeside Recovery"


def test_a_link_works_once_and_the_others_of_its_mail_die_with_it(app, db, runner, claimed):
    send(runner)
    body = the_mail(app).body
    client = app.test_client()
    confirm = link_in(body, "/provider/check/confirm/")
    press(client, confirm)
    for path in (confirm, link_in(body, "/provider/check/availability/")):
        again = client.get(path)
        assert again.status_code == 410 and "already used" in text(again)
    token = csrf_token(client, "/provider/login")  # a valid form token, a spent link
    closed = link_in(body, "/provider/check/closed/")
    response = client.post(closed, data={"csrf_token": token, "details": "x"})
    assert response.status_code == 410
    assert db.session.scalars(select(ProblemReport)).all() == []


def test_a_link_for_one_purpose_does_not_open_another(app, db, runner, claimed):
    send(runner)
    confirm = link_in(the_mail(app).body, "/provider/check/confirm/")
    token = confirm.rsplit("/", 1)[1]
    for path in (f"/provider/check/availability/{token}", f"/provider/check/closed/{token}"):
        response = app.test_client().get(path)
        assert response.status_code == 400 and "for something else" in text(response)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_forged_link_is_a_clear_page_in_both_languages(app, db, claimed, lang):
    response = app.test_client().get(f"/provider/check/confirm/not-a-real-token?lang={lang}")
    expected = {"en": "This link is not one we sent", "es": "Este enlace no es uno que enviamos"}
    assert response.status_code == 400 and expected[lang] in text(response)
    assert fresh(db, claimed).last_verified_on is None


def test_an_expired_link_changes_nothing(app, db, runner, claimed):
    send(runner)
    path = link_in(the_mail(app).body, "/provider/check/confirm/")
    request = db.session.scalars(select(VerificationRequest)).one()
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410 and "expired" in text(response)
    assert "Sent 1" in send(runner)  # a lapsed request is asked again


def test_recently_confirmed_listings_with_live_availability_are_not_asked(db, runner, claimed):
    listing = fresh(db, claimed)
    listing.last_verified_on = date.today() - timedelta(days=30)
    listing.availability_status = "accepting"
    listing.availability_updated_at = utcnow()
    listing.availability_expires_at = utcnow() + timedelta(days=10)
    db.session.commit()
    assert "0 listings are due" in send(runner, "--dry-run")
    listing.availability_expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "1 listings are due" in send(runner, "--dry-run")


def test_listings_nobody_claimed_are_not_mailed_at_a_guessed_address(db, runner):
    make_listing(db, name="Unclaimed Place")
    assert "Sent 0 verification requests (0 listings were due)" in send(runner)


def test_a_withdrawn_listing_is_not_asked(app, db, runner, claimed):
    claimed.status = WITHDRAWN  # no longer in SAMHSA's latest release
    db.session.commit()
    assert "0 listings are due" in send(runner, "--dry-run")
    assert "Sent 0" in send(runner) and outbox(app) == []
