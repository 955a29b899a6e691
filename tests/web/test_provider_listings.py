"""Provider listing flows: find and claim, reviewed edits, new listings, availability, and
owners-only access with realistic bad input and stale versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Claim, Listing, ListingEdit
from directory.models.catalog import current_revision
from tests.web.provider_support import (
    csrf_token,
    make_account,
    make_listing,
    make_owner,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.postgres


def edit_form(listing, **changes) -> dict:
    """The listing form as the browser would send it, with ``changes``."""
    data = {
        "name": listing.name,
        "program_name": listing.program_name,
        "street": listing.street,
        "street2": listing.street2,
        "city": listing.city,
        "state": listing.state,
        "zip": listing.zip,
        "phone": listing.phone,
        "intake_phone": listing.intake_phone,
        "website": listing.website,
        "description": listing.description,
        "service_types": listing.service_types or [],
        "care_levels": listing.care_levels or [],
        "payments": listing.payments or [],
        "dual_diagnosis": listing.dual_diagnosis or "",
        "telehealth": "",
        "version": str(listing.version),
    }
    data.update(changes)
    return data


def submit_edit(client, listing, **changes):
    url = f"/provider/listings/{listing.id}/edit"
    return post_form(client, url, edit_form(listing, **changes))


def fresh(db, listing):
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


# --- claims -----------------------------------------------------------------------------


def test_find_then_claim_a_listing(app, db, provider_listing):
    make_account(db)
    client = app.test_client()
    sign_in(client, "staff@milehigh.example")
    page = client.get("/provider/find?q=mile+high").get_data(as_text=True)
    assert "Mile High Recovery" in page
    url = f"/provider/listings/{provider_listing.id}/claim"
    data = {"role": "Intake coordinator", "work_email": "me@milehigh.example",
            "phone": "303-555-0100"}  # fmt: skip
    assert post_form(client, url, data).status_code == 302
    (claim,) = db.session.scalars(select(Claim)).all()
    assert (claim.status, claim.role) == ("pending", "Intake coordinator")
    again = post_form(client, url, data).get_data(as_text=True)
    assert "already asked" in again
    assert client.get(f"/provider/listings/{provider_listing.id}/edit").status_code == 404


def test_find_treats_wildcards_and_markup_as_text(app, db, provider_listing):
    make_account(db)
    client = app.test_client()
    sign_in(client, "staff@milehigh.example")
    assert "Mile High" not in client.get("/provider/find?q=%25").get_data(as_text=True)
    page = client.get("/provider/find?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"role": "", "work_email": "me@x.example", "phone": "303-555-0100"}, "This is required."),
        (
            {"role": "x" * 121, "work_email": "me@x.example", "phone": "303-555-0100"},
            "longer than 120",
        ),
        ({"role": "Director", "work_email": "nope", "phone": "303-555-0100"}, "Enter an e-mail"),
        (
            {"role": "Director", "work_email": "me@x.example", "phone": "call me"},
            "Enter a phone number",
        ),
    ],
)
def test_claim_refuses_bad_input(app, db, provider_listing, data, error):
    make_account(db)
    client = app.test_client()
    sign_in(client, "staff@milehigh.example")
    response = post_form(client, f"/provider/listings/{provider_listing.id}/claim", data)
    assert error in response.get_data(as_text=True)
    assert db.session.scalars(select(Claim)).all() == []


def test_an_unverified_account_cannot_sign_in_to_claim(app, db, provider_listing):
    make_account(db, verified=False)
    client = app.test_client()
    assert sign_in(client, "staff@milehigh.example").status_code == 200  # refused
    data = {"role": "Director", "work_email": "me@x.example", "phone": "303-555-0100"}
    response = client.post(f"/provider/listings/{provider_listing.id}/claim", data=data)
    assert response.status_code in (302, 400)
    assert db.session.scalars(select(Claim)).all() == []


def test_claiming_a_missing_listing_is_404(owner_client):
    assert owner_client.get("/provider/listings/nope/claim").status_code == 404


# --- edits ------------------------------------------------------------------------------


def test_an_edit_is_pending_and_the_public_listing_does_not_change(
    db, owner_client, provider_listing
):
    before = current_revision(db.session)
    response = submit_edit(owner_client, provider_listing, phone="303-555-0199",
                           therapies=["cbt", "mi"], description="<b>We help</b>")  # fmt: skip
    assert response.status_code == 302
    (edit,) = db.session.scalars(select(ListingEdit)).all()
    assert edit.status == "pending" and edit.base_version == provider_listing.version
    assert edit.changes == {"phone": "303-555-0199", "therapies": ["cbt", "mi"],
                            "description": "<b>We help</b>"}  # fmt: skip
    assert edit.before["phone"] == "303-555-0100" and edit.before["therapies"] is None
    listing = fresh(db, provider_listing)
    assert listing.phone == "303-555-0100" and listing.version == 1
    assert current_revision(db.session) == before
    status = owner_client.get(response.location).get_data(as_text=True)
    assert "&lt;b&gt;We help&lt;/b&gt;" in status and "<b>We help</b>" not in status


def test_an_untouched_unknown_family_stays_unknown(db, owner_client, provider_listing):
    submit_edit(owner_client, provider_listing, phone="303-555-0199")
    (edit,) = db.session.scalars(select(ListingEdit)).all()
    assert "therapies" not in edit.changes and "medications" not in edit.changes


def test_unticking_every_value_of_a_known_family_means_none(db, owner_client, provider_listing):
    submit_edit(owner_client, provider_listing, payments=[])
    (edit,) = db.session.scalars(select(ListingEdit)).all()
    assert edit.changes == {"payments": []}


def test_an_edit_with_nothing_changed_is_not_sent(db, owner_client, provider_listing):
    page = submit_edit(owner_client, provider_listing).get_data(as_text=True)
    assert "Nothing was changed" in page
    assert db.session.scalars(select(ListingEdit)).all() == []


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": ""}, "This is required."),
        ({"name": "x" * 301}, "longer than 300"),
        ({"zip": "8020"}, "Enter a 5-digit ZIP code."),
        ({"state": "ZZ"}, "Not a valid choice"),
        ({"phone": "<script>alert(1)</script>"}, "Enter a phone number"),
        ({"intake_phone": "555-667-8999"}, "Enter a phone number that can be dialled"),
        ({"website": "javascript:alert(1)"}, "Enter a web address"),
        ({"website": "ftp://example.org"}, "Enter a web address"),
        ({"website": "http://findtreatment.gov@evil.example"}, "without a user name or pass"),
        ({"website": "https://user:secret@milehigh.example/"}, "without a user name or pass"),
        ({"therapies": ["cbt", "hypnosis"]}, "not a valid choice"),
        ({"dual_diagnosis": "maybe"}, "Not a valid choice"),
        ({"description": "x" * 5001}, "longer than 5000"),
        ({"version": "latest"}, "Not a valid integer value."),
    ],
)
def test_an_edit_with_bad_input_gets_a_message_by_the_field(
    db, owner_client, provider_listing, changes, error
):
    response = submit_edit(owner_client, provider_listing, **changes)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error in page
    assert 'class="error-summary"' in page
    assert 'class="field-error"' in page or "version" in changes  # a hidden field: summary only
    assert "<script>alert(1)</script>" not in page
    assert db.session.scalars(select(ListingEdit)).all() == []


def test_an_edit_from_a_stale_version_is_refused_showing_what_changed(
    app, db, owner_client, provider_listing, provider_account
):
    stale = edit_form(provider_listing, phone="303-555-0111")
    # Meanwhile a colleague publishes an availability update that also...
    other = make_account(db, email="colleague@milehigh.example")
    make_owner(db, provider_listing, other)
    colleague = app.test_client()
    sign_in(colleague, other.email)
    url = f"/provider/listings/{provider_listing.id}/availability"
    post_form(colleague, url, {"status": "accepting", "wait_days": "3", "version": "1"})
    # ... and an admin corrects the phone number.
    from directory.operations.moderation import admin_update_listing

    admin = make_account(db, email="boss@directory.example", role="admin")
    listing = fresh(db, provider_listing)
    admin_update_listing(db.session, listing, admin, {"phone": "303-555-0122"}, listing.version)
    db.session.commit()
    token = csrf_token(owner_client, f"/provider/listings/{provider_listing.id}/edit")
    response = owner_client.post(f"/provider/listings/{provider_listing.id}/edit",
                                 data={**stale, "csrf_token": token})  # fmt: skip
    page = response.get_data(as_text=True)
    assert "changed by someone else" in page
    assert "303-555-0122" in page and "a directory admin, " in page  # who, in role terms
    assert "boss@directory.example" not in page  # never the admin's address
    assert db.session.scalars(select(ListingEdit)).all() == []
    assert fresh(db, provider_listing).phone == "303-555-0122"


def test_an_edit_from_a_stale_version_touching_other_fields_goes_through(
    db, owner_client, provider_listing
):
    form = edit_form(provider_listing, description="New description")
    listing = fresh(db, provider_listing)
    from directory.operations.moderation import update_availability

    owner = make_account(db, email="x@milehigh.example")
    update_availability(db.session, listing, owner, "accepting", 2, listing.version)
    db.session.commit()
    post_form(owner_client, f"/provider/listings/{listing.id}/edit", form)
    (edit,) = db.session.scalars(select(ListingEdit)).all()
    assert edit.changes == {"description": "New description"}


def test_propose_a_new_listing(db, owner_client):
    data = {"name": "Harbor Light Clinic", "city": "Boulder", "state": "CO", "zip": "80302",
            "phone": "303-555-0177", "service_types": ["mental_health"],
            "telehealth": "yes"}  # fmt: skip
    response = post_form(owner_client, "/provider/listings/new", data)
    assert response.status_code == 302
    edit = db.session.scalars(select(ListingEdit).where(ListingEdit.kind == "new")).one()
    assert edit.listing_id is None and edit.changes["name"] == "Harbor Light Clinic"
    assert edit.changes["telehealth"] is True and edit.changes["medications"] is None
    names = db.session.scalars(select(Listing.name)).all()
    assert "Harbor Light Clinic" not in names


# --- availability -----------------------------------------------------------------------


def test_availability_is_public_at_once_timestamped_and_logged(db, owner_client, provider_listing):
    before = current_revision(db.session)
    url = f"/provider/listings/{provider_listing.id}/availability"
    response = post_form(
        owner_client, url, {"status": "accepting", "wait_days": "4", "version": "1"}
    )
    assert response.status_code == 302
    listing = fresh(db, provider_listing)
    assert (listing.availability_status, listing.wait_days) == ("accepting", 4)
    assert listing.availability_updated_at is not None and listing.version == 2
    assert current_revision(db.session) > before
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "availability" and entry.actor == "staff@milehigh.example"
    assert entry.changes["availability_status"] == ["unknown", "accepting"]
    assert entry.changes["wait_days"] == [None, 4]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "", "wait_days": "3"}, "Choose one."),
        ({"status": "perhaps", "wait_days": "3"}, "Not a valid choice"),
        ({"status": "accepting", "wait_days": "-1"}, "Enter a number from 0 to 365."),
        ({"status": "accepting", "wait_days": "9999"}, "Enter a number from 0 to 365."),
        ({"status": "accepting", "wait_days": "soon"}, "Not a valid integer value."),
    ],
)
def test_availability_refuses_bad_input(db, owner_client, provider_listing, data, error):
    url = f"/provider/listings/{provider_listing.id}/availability"
    page = post_form(owner_client, url, {**data, "version": "1"}).get_data(as_text=True)
    assert error in page
    assert fresh(db, provider_listing).availability_updated_at is None


def test_availability_from_a_stale_version_is_refused(db, owner_client, provider_listing):
    url = f"/provider/listings/{provider_listing.id}/availability"
    post_form(owner_client, url, {"status": "accepting", "wait_days": "4", "version": "1"})
    page = post_form(
        owner_client, url, {"status": "not_accepting", "wait_days": "30", "version": "1"}
    )
    assert "changed by someone else" in page.get_data(as_text=True)
    assert fresh(db, provider_listing).availability_status == "accepting"


# --- owners only ------------------------------------------------------------------------


def test_another_provider_gets_404_whatever_id_it_tries(app, db, owner_client, provider_listing):
    submit_edit(owner_client, provider_listing, phone="303-555-0199")
    edit = db.session.scalars(select(ListingEdit)).one()
    other_listing = make_listing(db, name="Other Place", zip="80302")
    stranger = make_account(db, email="stranger@elsewhere.example")
    make_owner(db, other_listing, stranger)
    client = app.test_client()
    sign_in(client, stranger.email)
    for url in [
        f"/provider/listings/{provider_listing.id}/edit",
        f"/provider/listings/{provider_listing.id}/availability",
        f"/provider/edits/{edit.id}",
        "/provider/edits/999999",
        "/provider/listings/does-not-exist/edit",
    ]:
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, f"/provider/listings/{other_listing.id}/edit")
    response = client.post(
        f"/provider/listings/{provider_listing.id}/availability",
        data={"csrf_token": token, "status": "not_accepting", "version": "1"},
    )
    assert response.status_code == 404
    assert fresh(db, provider_listing).availability_status == "unknown"
    assert client.get(f"/provider/listings/{other_listing.id}/edit").status_code == 200


def test_the_provider_area_needs_sign_in(client, provider_listing):
    edit = f"/provider/listings/{provider_listing.id}/edit"
    for url in ["/provider/listings", edit, "/provider/find"]:
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/provider/login")


def test_every_provider_post_needs_a_csrf_token(db, owner_client, provider_listing):
    for url, data in [
        (f"/provider/listings/{provider_listing.id}/edit", edit_form(provider_listing, phone="1")),
        (f"/provider/listings/{provider_listing.id}/availability",
         {"status": "not_accepting", "version": "1"}),
        (f"/provider/listings/{provider_listing.id}/claim",
         {"role": "x", "work_email": "a@b.example", "phone": "303-555-0100"}),
        ("/provider/listings/new", {"name": "X", "city": "Denver", "state": "CO", "zip": "80202"}),
    ]:  # fmt: skip
        assert owner_client.post(url, data=data).status_code == 400, url
    assert fresh(db, provider_listing).availability_status == "unknown"
    assert db.session.scalars(select(ListingEdit)).all() == []


def test_a_mangled_version_number_is_a_form_error_not_a_crash(db, owner_client, provider_listing):
    from tests.web.provider_support import post_form

    url = f"/provider/listings/{provider_listing.id}/availability"
    form = {"status": "accepting", "wait_days": "3", "version": "9" * 30}
    response = post_form(owner_client, url, form)
    assert response.status_code in (200, 400)
    assert "out of date" in response.get_data(as_text=True)
