"""The admin area: admins only, claim and edit decisions with diffs and reasons, stale
approvals refused, new listings, reports, history, accounts and the outbox."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Claim, Listing, ListingEdit, ProblemReport
from directory.operations.moderation import owns, submit_listing_edit, submit_new_listing
from tests.web.provider_support import (
    csrf_token,
    link_in,
    make_account,
    make_owner,
    outbox,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.postgres

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def fresh(db, model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def pending_edit(db, listing, account, **changes) -> ListingEdit:
    edit = submit_listing_edit(db.session, listing, account, changes, listing.version)
    db.session.commit()
    return edit


def approve(client, edit_id: int, version: int | None = None):
    url = f"/admin/edits/{edit_id}"
    token = csrf_token(client, url)
    data = {"csrf_token": token}
    data["version"] = str(version) if version is not None else _version_on_page(client, url)
    return client.post(f"{url}/approve", data=data)


def _version_on_page(client, url):
    import re

    page = client.get(url).get_data(as_text=True)
    return re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)


# --- access -----------------------------------------------------------------------------


def test_only_admins_reach_the_admin_area(app, db, client, owner_client):
    for url in ["/admin/", "/admin/claims", "/admin/edits/1", "/admin/outbox"]:
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous.location.startswith("/provider/login")
        assert owner_client.get(url).status_code == 403
    token = csrf_token(owner_client, "/provider/listings")
    assert (
        owner_client.post("/admin/claims/1/approve", data={"csrf_token": token}).status_code == 403
    )


def test_admin_posts_need_a_csrf_token(db, admin_client, provider_listing, provider_account):
    claim = Claim(account_id=provider_account.id, listing_id=provider_listing.id, role="Director",
                  work_email="a@b.example", phone="303-555-0100")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    edit = pending_edit(db, provider_listing, provider_account, phone="303-555-0199")
    for url, data in [
        (f"/admin/claims/{claim.id}/approve", {}),
        (f"/admin/claims/{claim.id}/decline", {"reason": "no"}),
        (f"/admin/edits/{edit.id}/approve", {"version": "1"}),
        (f"/admin/edits/{edit.id}/reject", {"reason": "no"}),
        (f"/admin/listings/{provider_listing.id}/verify", {}),
        (f"/admin/accounts/{provider_account.id}/disable", {}),
    ]:
        assert admin_client.post(url, data=data).status_code == 400, url
    assert fresh(db, Claim, claim.id).status == "pending"
    assert fresh(db, ListingEdit, edit.id).status == "pending"


def test_signing_in_as_admin_leads_to_the_admin_area(db, client, admin_account):
    assert sign_in(client, admin_account.email).location == "/admin/"


# --- claims -----------------------------------------------------------------------------


def test_approving_a_claim_makes_an_owner_and_tells_them(app, db, admin_client, provider_listing):
    account = make_account(db)
    claim = Claim(account_id=account.id, listing_id=provider_listing.id, role=MARKUP,
                  work_email="me@milehigh.example", phone="303-555-0100")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    page = admin_client.get("/admin/claims").get_data(as_text=True)
    assert MARKUP not in page and "&lt;script&gt;" in page
    response = post_form(admin_client, f"/admin/claims/{claim.id}/approve", {},
                         form_url="/admin/claims")  # fmt: skip
    assert response.status_code == 302
    assert owns(db.session, account, provider_listing.id)
    (message,) = outbox(app)
    assert message.to == account.email and "Mile High Recovery" in message.body


def test_declining_a_claim_needs_a_reason_the_provider_sees(
    app, db, admin_client, provider_listing
):
    account = make_account(db)
    claim = Claim(account_id=account.id, listing_id=provider_listing.id, role="Director",
                  work_email="me@gmail.example", phone="303-555-0100")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    url = f"/admin/claims/{claim.id}/decline"
    post_form(admin_client, url, {"reason": "   "}, form_url="/admin/claims")
    post_form(admin_client, url, {"reason": "x" * 2001}, form_url="/admin/claims")
    assert fresh(db, Claim, claim.id).status == "pending"
    post_form(admin_client, url, {"reason": MARKUP}, form_url="/admin/claims")
    declined = fresh(db, Claim, claim.id)
    assert declined.status == "declined" and declined.reason == MARKUP
    (message,) = outbox(app)
    assert MARKUP in message.body  # plain text mail: shown as typed, never as HTML
    assert "Content-Type: text/plain" in _raw_outbox(app)
    assert "text/html" not in _raw_outbox(app)
    provider = app.test_client()
    sign_in(provider, account.email)
    dashboard = provider.get("/provider/listings").get_data(as_text=True)
    assert "&lt;script&gt;alert" in dashboard and MARKUP not in dashboard


def _raw_outbox(app) -> str:
    from directory.mail import outbox_path

    with app.test_request_context():
        return "".join(p.read_text() for p in outbox_path().glob("*.eml"))


def test_a_claim_cannot_be_decided_twice(app, db, admin_client, provider_listing):
    account = make_account(db)
    claim = Claim(account_id=account.id, listing_id=provider_listing.id, role="Director",
                  work_email="me@x.example", phone="303-555-0100", status="declined")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    post_form(admin_client, f"/admin/claims/{claim.id}/approve", {}, form_url="/admin/claims")
    assert fresh(db, Claim, claim.id).status == "declined"
    assert not owns(db.session, account, provider_listing.id)


# --- edits ------------------------------------------------------------------------------


def test_the_admin_sees_a_field_by_field_diff_with_markup_as_text(
    db, admin_client, provider_listing, provider_account
):
    edit = pending_edit(db, provider_listing, provider_account, phone="303-555-0199",
                        description=MARKUP, medications=["buprenorphine"])  # fmt: skip
    page = admin_client.get(f"/admin/edits/{edit.id}").get_data(as_text=True)
    assert "303-555-0100" in page and "303-555-0199" in page
    assert "Buprenorphine" in page and "Not reported" in page
    assert MARKUP not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_approving_an_edit_publishes_it_logs_it_and_tells_the_provider(
    app, db, admin_client, provider_listing, provider_account
):
    edit = pending_edit(db, provider_listing, provider_account, phone="303-555-0199",
                        zip="80302", city="Boulder")  # fmt: skip
    assert approve(admin_client, edit.id).status_code == 302
    listing = fresh(db, Listing, provider_listing.id)
    assert (listing.phone, listing.zip, listing.version) == ("303-555-0199", "80302", 2)
    assert listing.lat == pytest.approx(40.02, abs=0.05)  # placed again from the new ZIP
    assert listing.last_verified_on is not None
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "edit_approved" and entry.version == 2
    assert entry.changes["phone"] == ["303-555-0100", "303-555-0199"]
    assert "lat" in entry.changes and "staff@milehigh.example" in entry.actor
    assert fresh(db, ListingEdit, edit.id).status == "approved"
    assert any("approved" in message.body for message in outbox(app))
    history = admin_client.get(f"/admin/listings/{listing.id}").get_data(as_text=True)
    assert "Provider edit approved" in history and "303-555-0199" in history


def test_an_approval_from_a_stale_page_is_refused_showing_what_changed(
    app, db, admin_client, provider_listing, provider_account
):
    edit = pending_edit(db, provider_listing, provider_account, phone="303-555-0199")
    seen = _version_on_page(admin_client, f"/admin/edits/{edit.id}")
    other_admin = make_account(db, email="other@directory.example", role="admin")
    from directory.operations.moderation import admin_update_listing

    listing = fresh(db, Listing, provider_listing.id)
    admin_update_listing(db.session, listing, other_admin, {"phone": "303-555-0155"}, 1)
    db.session.commit()
    response = approve(admin_client, edit.id, version=int(seen))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed by someone else" in page and "303-555-0155" in page
    assert "a directory admin" in page and "other@directory.example" not in page
    assert re.search(r"a directory admin, \d{4}-\d\d-\d\d \d\d:\d\d UTC", page)
    assert fresh(db, Listing, provider_listing.id).phone == "303-555-0155"
    assert fresh(db, ListingEdit, edit.id).status == "pending"


def test_an_edit_whose_fields_changed_after_it_was_sent_is_refused_even_from_a_fresh_page(
    db, admin_client, provider_listing, provider_account
):
    edit = pending_edit(db, provider_listing, provider_account, phone="303-555-0199")
    from directory.operations.moderation import admin_update_listing

    admin = make_account(db, email="other@directory.example", role="admin")
    listing = fresh(db, Listing, provider_listing.id)
    admin_update_listing(db.session, listing, admin, {"phone": "303-555-0155"}, 1)
    db.session.commit()
    response = approve(admin_client, edit.id)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "a directory admin, " in page and "unknown" not in page  # who and when
    assert fresh(db, Listing, provider_listing.id).phone == "303-555-0155"


def test_rejecting_an_edit_needs_a_reason_and_the_provider_sees_it(
    app, db, admin_client, provider_listing, provider_account
):
    make_owner(db, provider_listing, provider_account)
    edit = pending_edit(db, provider_listing, provider_account, medications=["methadone"])
    url = f"/admin/edits/{edit.id}/reject"
    post_form(admin_client, url, {"reason": ""}, form_url=f"/admin/edits/{edit.id}")
    assert fresh(db, ListingEdit, edit.id).status == "pending"
    post_form(admin_client, url, {"reason": "Please send your OTP certificate."},
              form_url=f"/admin/edits/{edit.id}")  # fmt: skip
    assert fresh(db, ListingEdit, edit.id).status == "rejected"
    assert fresh(db, Listing, provider_listing.id).medications is None
    provider = app.test_client()
    sign_in(provider, provider_account.email)
    page = provider.get(f"/provider/edits/{edit.id}").get_data(as_text=True)
    assert "Please send your OTP certificate." in page and "Not published" in page


def test_approving_a_new_listing_publishes_it_and_makes_the_proposer_its_owner(
    db, admin_client, provider_account
):
    edit = submit_new_listing(db.session, provider_account, {
        "name": "Harbor Light Clinic", "city": "Boulder", "state": "CO", "zip": "80302",
        "phone": "303-555-0177", "service_types": ["mental_health"], "telehealth": True,
    })  # fmt: skip
    db.session.commit()
    page = admin_client.get("/admin/edits?kind=new").get_data(as_text=True)
    assert "Harbor Light Clinic" in page
    assert approve(admin_client, edit.id).status_code == 302
    listing = db.session.scalars(select(Listing).where(Listing.name == "Harbor Light Clinic")).one()
    assert listing.source == "provider" and listing.lat is not None and listing.telehealth
    assert owns(db.session, provider_account, listing.id)
    assert fresh(db, ListingEdit, edit.id).listing_id == listing.id
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "new_listing"


def test_an_admin_change_is_published_at_once_and_logged(db, admin_client, provider_listing):
    from tests.web.test_provider_listings import edit_form

    url = f"/admin/listings/{provider_listing.id}/edit"
    response = post_form(admin_client, url, edit_form(provider_listing, name="Mile High Center"))
    assert response.status_code == 302
    assert fresh(db, Listing, provider_listing.id).name == "Mile High Center"
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "admin_change" and entry.actor == "admin@directory.example"


def test_mark_verified_and_the_stale_list(db, admin_client, provider_listing):
    assert "Mile High Recovery" in admin_client.get("/admin/stale").get_data(as_text=True)
    url = f"/admin/listings/{provider_listing.id}/verify"
    post_form(
        admin_client,
        url,
        {"outcome": "confirmed"},
        form_url=f"/admin/listings/{provider_listing.id}",
    )
    assert fresh(db, Listing, provider_listing.id).last_verified_on is not None
    assert "Mile High Recovery" not in admin_client.get("/admin/stale").get_data(as_text=True)


# --- reports, accounts, outbox ----------------------------------------------------------


def test_resolving_a_report_can_open_the_listing_for_correction(db, admin_client, provider_listing):
    report = ProblemReport(listing_id=provider_listing.id, kind="wrong_phone", details=MARKUP)
    db.session.add(report)
    db.session.commit()
    page = admin_client.get("/admin/reports").get_data(as_text=True)
    assert "Wrong phone number" in page and MARKUP not in page
    response = post_form(admin_client, f"/admin/reports/{report.id}/resolve",
                         {"resolution": "Called them", "open_edit": "y"},
                         form_url="/admin/reports")  # fmt: skip
    assert response.location == f"/admin/listings/{provider_listing.id}/edit"
    closed = fresh(db, ProblemReport, report.id)
    assert closed.status == "resolved" and closed.resolution == "Called them"


def test_disabling_an_account_ends_its_session(
    app, db, admin_client, owner_client, provider_account
):
    assert owner_client.get("/provider/listings").status_code == 200
    url = f"/admin/accounts/{provider_account.id}/disable"
    post_form(admin_client, url, {}, form_url="/admin/accounts")
    assert owner_client.get("/provider/listings").status_code == 302
    page = sign_in(app.test_client(), provider_account.email).get_data(as_text=True)
    assert "disabled" in page


def test_an_admin_cannot_disable_itself(db, admin_client, admin_account):
    url = f"/admin/accounts/{admin_account.id}/disable"
    post_form(admin_client, url, {}, form_url="/admin/accounts")
    assert fresh(db, type(admin_account), admin_account.id).is_active


def test_the_outbox_shows_mail_as_text(app, db, admin_client, provider_listing):
    account = make_account(db, email="x@milehigh.example")
    claim = Claim(account_id=account.id, listing_id=provider_listing.id, role="r",
                  work_email="x@y.example", phone="303-555-0100")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    post_form(admin_client, f"/admin/claims/{claim.id}/decline", {"reason": MARKUP},
              form_url="/admin/claims")  # fmt: skip
    (message,) = outbox(app)
    listing_page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "x@milehigh.example" in listing_page
    page = admin_client.get(f"/admin/outbox/{message.name}").get_data(as_text=True)
    assert MARKUP not in page and "&lt;script&gt;" in page
    assert admin_client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert admin_client.get("/admin/outbox/nope.eml").status_code == 404


def test_the_stale_list_pages_through_thousands_and_filters_by_state(db, admin_client):
    from tests.factories import make_listing as place_listing

    for number in range(105):
        place_listing("80202", name=f"Stale Denver {number:03d}")
    place_listing("10001", name="Stale New York")
    db.session.commit()
    first = admin_client.get("/admin/stale").get_data(as_text=True)
    assert "106 listings." in first and "page 1 of 2" in first
    second = admin_client.get("/admin/stale?page=2").get_data(as_text=True)
    assert second.count("Stale ") == 6
    new_york = admin_client.get("/admin/stale?state=ny").get_data(as_text=True)
    assert "Stale New York" in new_york and "Stale Denver" not in new_york
    assert admin_client.get("/admin/stale?page=abc").status_code == 200
    assert admin_client.get("/admin/stale?page=99999999999").status_code == 200


def test_the_admin_outbox_hides_links_that_open_an_account(app, db, admin_client):
    """An admin reading the outbox must not be able to reset someone's password with it."""
    client = app.test_client()
    account = make_account(db, email="staff@milehigh.example", verified=False)
    post_form(client, "/provider/forgot", {"email": account.email})
    messages = outbox(app)
    secret = [link_in(m.body, "/provider/reset/") for m in messages if "/reset/" in m.body]
    assert secret, [m.subject for m in messages]
    for message in messages:
        page = admin_client.get(f"/admin/outbox/{message.name}").get_data(as_text=True)
        token = secret[0].rsplit("/", 1)[1]
        assert token not in page
        if "/reset/" in message.body:
            assert "/provider/reset/…" in page and "cut short here" in page


def test_every_admin_list_is_paged_and_says_how_many_there_are(
    app, db, admin_client, provider_listing
):
    from directory.models import Account

    db.session.add_all(
        [ProblemReport(listing_id=provider_listing.id, kind="phone", details=f"Report {n:03d}")
         for n in range(130)]
        + [Account(email=f"p{n:03d}@clinic.example", password_hash="x", role="provider")
           for n in range(105)]
    )  # fmt: skip
    db.session.commit()
    first = admin_client.get("/admin/reports").get_data(as_text=True)
    assert first.count("Report ") == 100 and "Page 1 of 2 (130 in all)." in first
    second = admin_client.get("/admin/reports?page=2").get_data(as_text=True)
    assert second.count("Report ") == 30 and 'rel="prev"' in second
    assert "Report 129" in first + second and "Report 000" in first + second
    beyond = admin_client.get(f"/admin/reports?page={'9' * 30}")
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.get_data(as_text=True)
    accounts = admin_client.get("/admin/accounts?page=2").get_data(as_text=True)
    assert "Page 2 of 2 (106 in all)." in accounts  # 105 providers and the admin
    for url in (
        "/admin/claims",
        "/admin/edits",
        "/admin/edits?kind=new",
        "/admin/outbox",
        "/admin/partners",
        "/admin/reviews",
        f"/admin/listings/{provider_listing.id}",
    ):
        assert admin_client.get(url + ("&" if "?" in url else "?") + "page=2").status_code == 200
