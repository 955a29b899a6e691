"""A listing nobody has claimed is asked to confirm itself at the intake address the operator
gave (an HSDS import's e-mail or an admin's field), never at a guessed one; that address stays
private: not on the public page, the API, the change feed or the HSDS output."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing, ProblemReport, VerificationRequest
from directory.models.listing import utcnow
from directory.provider.notifications import send_verification_request
from tests.web.provider_support import (
    csrf_token,
    link_in,
    make_account,
    make_listing,
    make_owner,
    outbox,
    post_form,
)
from tests.web.test_import_hsds import DETOX, OUTPATIENT, import_hsds, small_package
from tests.web.test_provider_listings import edit_form

pytestmark = pytest.mark.postgres
INTAKE = "frontdesk@harbor-light.example"


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(db, listing_id: str) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing_id)


def send(runner, *args) -> str:
    result = runner.invoke(args=["send-verification-requests", *args])
    assert result.exit_code == 0, result.output
    return result.output


def mails(app) -> list:
    return [m for m in outbox(app) if "still right" in m.subject]


def press(client, path: str, data=None):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, **(data or {})})


@pytest.fixture
def unclaimed(backend, db):
    return make_listing(db, name="Harbor Light Clinic", intake_email=INTAKE)


def test_an_unclaimed_listing_is_asked_once_per_period_at_its_intake_address(
    app, db, runner, unclaimed
):
    assert f"->  {INTAKE}  (unclaimed: intake address)" in send(runner, "--dry-run")
    assert "Sent 1 verification requests" in send(runner)
    assert "Sent 0" in send(runner)  # idempotent: the open request is not sent again
    (mail,) = mails(app)
    assert mail.to == INTAKE and "Harbor Light Clinic" in mail.body
    assert "nobody manages its listing yet" in mail.body  # why they get it
    assert f"/provider/?listing={unclaimed.id}" in mail.body  # and how to claim it
    client = app.test_client()
    landing = client.get(link_in(mail.body, "/provider/?listing="))
    assert "Ask to manage Harbor Light Clinic" in text(landing)
    path = link_in(mail.body, "/provider/check/confirm/")
    page = text(client.get(path))  # nobody there has an account: the claim path, not sign-in
    assert f"/provider/?listing={unclaimed.id}" in page and "Sign in to send" not in page
    assert "confirmed by the provider today" in text(press(client, path))
    assert fresh(db, unclaimed.id).last_verified_on == date.today()
    entry = db.session.scalars(select(AuditEntry)).all()[-1]
    assert entry.action == "verified" and INTAKE in entry.actor
    # Its availability was never given, so it is still "due"; but nobody there asked to
    # hear from us: not again within the period, answered or not.
    assert "Sent 0 verification requests" in send(runner)
    request = db.session.scalars(select(VerificationRequest)).one()
    request.sent_at = request.expires_at = utcnow() - timedelta(days=181)
    db.session.commit()
    assert "Sent 1 verification requests" in send(runner)  # the next period
    assert [m.to for m in mails(app)] == [INTAKE, INTAKE]


def test_the_other_links_of_an_unclaimed_listings_mail_work_too(app, db, runner, unclaimed):
    send(runner)
    body = mails(app)[0].body
    client = app.test_client()
    path = link_in(body, "/provider/check/availability/")
    press(client, path, {"status": "waitlist", "wait_days": "9", "version": "1"})
    listing = fresh(db, unclaimed.id)
    assert (listing.availability_status, listing.wait_days) == ("waitlist", 9)
    assert client.get(f"/api/v1/providers/{unclaimed.id}").json["availability"]["status"] == (
        "waitlist"
    )
    closed = client.get(link_in(body, "/provider/check/closed/"))
    assert closed.status_code == 410  # the mail's links are spent together
    assert db.session.scalars(select(ProblemReport)).all() == []


def test_we_have_closed_from_an_unclaimed_listings_mail_reaches_the_queue(
    app, db, runner, unclaimed
):
    send(runner)
    path = link_in(mails(app)[0].body, "/provider/check/closed/")
    press(app.test_client(), path, {"details": "We closed in June"})
    (report,) = db.session.scalars(select(ProblemReport)).all()
    assert report.kind == "closed" and "We closed in June" in report.details
    assert report.contact == INTAKE


def test_a_listing_without_an_intake_address_gets_nothing(app, backend, db, runner):
    make_listing(db, name="Quiet Place")
    make_listing(db, name="Blank Place", intake_email="")
    assert "Sent 0 verification requests (0 listings were due)" in send(runner)
    assert mails(app) == []


def test_a_claimed_listing_is_asked_at_its_claims_address_not_the_intake_one(
    app, db, runner, unclaimed
):
    make_owner(db, unclaimed, make_account(db, email="director@harbor-light.example"))
    assert "Sent 1 verification requests" in send(runner)
    (mail,) = mails(app)
    assert mail.to == "director@harbor-light.example"
    assert "nobody manages" not in mail.body and "/provider/login" in mail.body


@pytest.mark.parametrize(
    ("lang", "why", "claim"),
    [
        ("en", "nobody manages its listing yet", "ask to manage the listing"),
        ("es", "nadie administra su listado todavía", "pida administrar el listado"),
    ],
)
def test_the_unclaimed_mail_reads_in_both_languages(app, db, unclaimed, lang, why, claim):
    from directory.mail import collecting_mail, send_queued

    with app.test_request_context(f"/?lang={lang}"), collecting_mail() as queued:
        request = VerificationRequest(
            listing_id=unclaimed.id, sent_to=INTAKE, sent_at=utcnow(), expires_at=utcnow()
        )
        db.session.add(request)
        db.session.flush()
        send_verification_request(request, 14, claimed=False, every_days=180)
        db.session.commit()
        send_queued(queued)
    (mail,) = outbox(app)
    assert why in mail.body and claim in mail.body and "180" in mail.body


def test_the_intake_address_is_never_published(app, db, runner, unclaimed, tmp_path):
    client = app.test_client()
    assert INTAKE not in text(client.get(f"/providers/{unclaimed.id}"))
    assert INTAKE not in text(client.get(f"/api/v1/providers/{unclaimed.id}"))
    assert INTAKE not in text(client.get("/api/v1/changes"))
    for path in ("/hsds/services", "/hsds/organizations", "/hsds/service_at_locations"):
        answer = client.get(f"{path}?per_page=100")
        assert answer.status_code == 200 and INTAKE not in text(answer)
    result = runner.invoke(args=["export-hsds", str(tmp_path / "package")])
    assert result.exit_code == 0, result.output
    exported = [p.read_text(encoding="utf-8") for p in (tmp_path / "package").iterdir()]
    assert len(exported) > 5 and not any(INTAKE in content for content in exported)


# --- the admin's field ------------------------------------------------------------------


def test_an_admin_sets_the_intake_address_audited_and_private(app, db, admin_client):
    listing = make_listing(db, name="Harbor Light Clinic")
    url = f"/admin/listings/{listing.id}/edit"
    form = admin_client.get(url)
    assert "Intake e-mail address (private)" in text(form) and "never shown publicly" in text(form)
    response = post_form(
        admin_client, url, edit_form(listing, intake_email=" Desk@Harbor.Example ")
    )
    assert response.status_code == 302
    assert fresh(db, listing.id).intake_email == "desk@harbor.example"
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "admin_change" and entry.actor == "admin@directory.example"
    assert entry.changes == {"intake_email": [None, "desk@harbor.example"]}
    assert 'value="desk@harbor.example"' in text(admin_client.get(url))
    history = text(admin_client.get(response.location))
    assert "Intake e-mail address (private)" in history and "desk@harbor.example" in history
    assert "desk@harbor.example" not in text(app.test_client().get(f"/providers/{listing.id}"))


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Enter an e-mail address like name@example.org."),
        ("es", "Escriba una dirección de correo electrónico como nombre@example.org."),
    ],
)
def test_a_bad_intake_address_is_a_clear_400_that_keeps_the_form(
    app, db, admin_client, lang, message
):
    listing = make_listing(db, name="Harbor Light Clinic")
    url = f"/admin/listings/{listing.id}/edit?lang={lang}"
    typed = edit_form(listing, name="Harbor Light Clinic East", intake_email="front desk@harbor")
    response = post_form(admin_client, url, typed)
    page = text(response)
    assert response.status_code == 400 and message in page
    assert 'value="Harbor Light Clinic East"' in page  # what was typed is kept
    assert 'value="front desk@harbor"' in page
    listing = fresh(db, listing.id)
    assert (listing.name, listing.intake_email) == ("Harbor Light Clinic", None)
    assert db.session.scalars(select(AuditEntry)).all() == []


# --- the HSDS import ----------------------------------------------------------------------


def test_import_hsds_keeps_the_services_e_mail_else_the_organizations_privately(
    app, runner, db, tmp_path
):
    bad = {
        "id": "5b2e8f0c-3d4a-4e6b-8c1d-9f0a2b3c4d5e",
        "name": "Broken",
        "email": "not an address",
    }
    services = [{**DETOX, "email": "Intake@Harbor.Example"}, {**OUTPATIENT, "email": ""}, bad]
    folder = small_package(tmp_path / "p", services)
    organizations = (folder / "organizations.csv").read_text(encoding="utf-8").splitlines()
    organizations[0] += ",email"
    organizations[1] += ",office@harbor.example"
    (folder / "organizations.csv").write_text("\n".join(organizations) + "\n", encoding="utf-8")
    result = import_hsds(runner, folder, "--publisher", "harbor")
    # An unusable e-mail is HSDS-invalid: that row is rejected, clearly; nothing is guessed.
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "email: 'not an address' is not a 'email'" in result.output
    db.session.expire_all()
    found = {x.program_name: x.intake_email for x in db.session.scalars(select(Listing))}
    assert found == {
        "Detox Unit": "intake@harbor.example",
        "Outpatient Clinic": "office@harbor.example",
    }
    client = app.test_client()
    for listing in db.session.scalars(select(Listing)):
        assert "harbor.example" not in text(client.get(f"/providers/{listing.id}"))
        assert "harbor.example" not in json.dumps(
            client.get(f"/api/v1/providers/{listing.id}").json
        )
    hsds = text(client.get("/hsds/services?per_page=100"))
    assert "Detox Unit" in hsds and "harbor.example" not in hsds


def test_the_next_import_keeps_the_intake_address_an_admin_typed(runner, db, tmp_path):
    from directory.operations.moderation import admin_update_listing
    from tests.web.provider_support import make_admin

    first = small_package(tmp_path / "first", [{**DETOX, "email": "old@harbor.example"}])
    assert import_hsds(runner, first, "--publisher", "harbor", "--release", "1").exit_code == 0
    (detox,) = db.session.scalars(select(Listing)).all()
    assert detox.intake_email == "old@harbor.example"
    proposed = {"intake_email": "desk@harbor.example"}
    admin_update_listing(db.session, detox, make_admin(db), proposed, detox.version)
    db.session.commit()
    second = small_package(tmp_path / "second", [{**DETOX, "email": "other@harbor.example"}])
    result = import_hsds(runner, second, "--publisher", "harbor", "--release", "2")
    assert result.exit_code == 0, result.output
    assert fresh(db, detox.id).intake_email == "desk@harbor.example"  # the admin's stays
    assert "kept intake_email = 'desk@harbor.example'" in result.output
