"""Admin pages for widget partners: admins only, CSRF, per-field errors, edit and disable."""

from __future__ import annotations

import pytest

from directory.models import Partner
from tests.web.provider_support import csrf_token, make_account, make_admin, post_form, sign_in

pytestmark = pytest.mark.postgres

GOOD = {
    "name": "County Health",
    "allowed_origins": "https://health.example.org\nhttp://localhost:8000",
    "theme_color": "#0b5d52",
    "default_language": "es",
    "enabled": "y",
    "location": "Denver, CO",
    "care_level": ["outpatient", "iop"],
    "require": ["care_level"],
}


@pytest.fixture
def admin_client(client, db):
    make_admin(db)
    sign_in(client, "admin@directory.example")
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def test_partner_pages_are_for_admins_only(client, db):
    assert client.get("/admin/partners").status_code == 302
    make_account(db)
    sign_in(client, "staff@milehigh.example")
    assert client.get("/admin/partners").status_code == 403


def test_admin_creates_lists_and_edits_a_partner(admin_client, db):
    assert "Widget partners" in text(admin_client.get("/admin/"))
    response = post_form(admin_client, "/admin/partners/new", GOOD, follow_redirects=True)
    assert response.status_code == 200
    partner = db.session.query(Partner).one()
    assert partner.allowed_origins == ["https://health.example.org", "http://localhost:8000"]
    assert partner.presets == {"location": ["Denver, CO"], "care_level": ["outpatient", "iop"],
                               "require": ["care_level"]}  # fmt: skip
    assert partner.default_language == "es" and partner.enabled
    assert partner.public_key in text(response)
    listing = text(admin_client.get("/admin/partners"))
    assert "County Health" in listing and partner.public_key in listing
    key = partner.public_key
    edit = {**GOOD, "name": "County Health Dept", "care_level": ["detox"], "require": []}
    post_form(admin_client, f"/admin/partners/{partner.id}", edit)
    db.session.expire_all()
    partner = db.session.get(Partner, partner.id)
    assert partner.name == "County Health Dept" and partner.public_key == key
    assert partner.presets == {"location": ["Denver, CO"], "care_level": ["detox"]}


def test_bad_values_get_clear_messages_on_their_fields(admin_client, db):
    bad = {**GOOD, "name": "", "allowed_origins": "https://*.example.org",
           "theme_color": "#12345", "location": "Nowhere Town, ZZ"}  # fmt: skip
    response = post_form(admin_client, "/admin/partners/new", bad, form_url="/admin/partners/new")
    assert response.status_code == 400
    page = text(response)
    assert "Please correct the fields marked below" in page
    assert "wildcards are not allowed" in page
    assert db.session.query(Partner).count() == 0
    require_unasked = {**GOOD, "require": ["payment"]}
    page = text(post_form(admin_client, "/admin/partners/new", require_unasked))
    assert "require names payment" in page


def test_forms_without_csrf_are_refused(admin_client, db):
    response = admin_client.post("/admin/partners/new", data=GOOD)
    assert response.status_code == 400
    assert db.session.query(Partner).count() == 0


def test_admin_disables_and_enables_a_partner(admin_client, db):
    post_form(admin_client, "/admin/partners/new", GOOD)
    partner = db.session.query(Partner).one()
    token = csrf_token(admin_client, "/admin/partners")
    admin_client.post(f"/admin/partners/{partner.id}/disable", data={"csrf_token": token})
    db.session.expire_all()
    assert not db.session.get(Partner, partner.id).enabled
    widget = admin_client.get("/widget", query_string={"partner": partner.public_key})
    assert widget.status_code == 404
    admin_client.post(f"/admin/partners/{partner.id}/enable", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).enabled
