"""A site asks for a widget key from /partners: the team gets it by mail, nothing is lost."""

from __future__ import annotations

import re

from directory.models import KeyRequest, Partner
from tests.web.provider_support import csrf_token, make_account, make_admin, outbox, sign_in

URL = "/partners/request-key"


def form_token(client, lang: str = "en") -> str:
    page = client.get(URL, query_string={"lang": lang}).get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)


def ask(client, **fields):
    values = {"organisation": "County Health", "email": "web@health.example.org",
              "origins": "https://Health.Example.org/\nhttps://www.health.example.org",
              "note": "", "form_token": form_token(client), **fields}  # fmt: skip
    return client.post(URL, data=values)


def test_the_partners_page_links_to_the_request(client):
    page = client.get("/partners").get_data(as_text=True)
    assert f'href="{URL}"' in page


def test_a_request_reaches_every_active_admin_with_the_sites_normalized(app, client, db):
    make_admin(db)
    make_admin(db, email="second@directory.example")
    make_account(db, email="provider@example.org")
    response = ask(client)
    assert response.status_code == 200
    assert "will answer by e-mail with your key" in response.get_data(as_text=True)
    mails = outbox(app)
    assert sorted(m.to for m in mails) == ["admin@directory.example", "second@directory.example"]
    body = mails[0].body.replace("\r\n", "\n")
    assert "County Health asks for a widget key" in body and "web@health.example.org" in body
    assert "https://health.example.org\nhttps://www.health.example.org" in body
    assert "Approve it (the key is then mailed to them) or decline it at http" in body
    assert "/admin/partners" in body


def test_a_bad_site_address_is_named_and_what_was_typed_is_kept(app, client, db):
    make_admin(db)
    response = ask(client, origins="health.example.org/widget")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The sites that will show the widget" in page and "error-summary" in page
    assert "health.example.org/widget" in page and "County Health" in page
    assert outbox(app) == []


def test_a_forged_or_stale_form_changes_nothing(app, client, db):
    make_admin(db)
    response = ask(client, form_token="forged")
    assert response.status_code == 400
    assert "Please send it again" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_with_no_admin_the_page_says_so_instead_of_thanking(app, client, db):
    response = ask(client)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "no team to read requests yet" in page and "County Health" in page


def test_in_spanish_the_form_is_spanish_and_the_team_mail_english(app, client, db):
    make_admin(db)
    page = client.get(URL, query_string={"lang": "es"}).get_data(as_text=True)
    assert "Pedir una clave del widget" in page and "Su organización" in page
    values = {
        "organisation": "Salud del Condado",
        "email": "web@salud.example.org",
        "origins": "https://salud.example.org",
        "form_token": form_token(client, "es"),
    }
    response = client.post(URL + "?lang=es", data=values)
    assert "Gracias" in response.get_data(as_text=True)
    assert outbox(app)[0].subject == "A partner asks for a widget key"


def _answer(client, key_request_id: int, decision: str, **kwargs):
    token = csrf_token(client, "/admin/partners")
    url = f"/admin/partners/requests/{key_request_id}/{decision}"
    return client.post(url, data={"csrf_token": token}, **kwargs)


def test_an_admin_approves_a_request_into_a_partner_and_the_key_is_mailed(app, client, db):
    make_admin(db)
    values = {"organisation": "Salud del Condado", "email": "web@salud.example.org",
              "origins": "https://Salud.example.org/",
              "form_token": form_token(client, "es")}  # fmt: skip
    client.post(URL + "?lang=es", data=values)
    key_request = db.session.query(KeyRequest).one()
    assert (key_request.status, key_request.origins) == ("pending", ["https://salud.example.org"])
    sign_in(client, "admin@directory.example")
    queue = client.get("/admin/partners").get_data(as_text=True)
    assert "Key requests waiting" in queue and "Salud del Condado" in queue
    response = _answer(client, key_request.id, "approve")
    assert response.status_code == 302 and "/admin/partners/" in response.headers["Location"]
    partner = db.session.query(Partner).one()
    assert partner.name == "Salud del Condado"
    assert partner.allowed_origins == ["https://salud.example.org"]
    assert partner.default_language == "es" and partner.enabled
    db.session.refresh(key_request)
    assert (key_request.status, key_request.partner_id) == ("approved", partner.id)
    (mail,) = [m for m in outbox(app) if m.to == "web@salud.example.org"]
    assert mail.subject == "Su clave del widget del Directorio de Tratamiento"
    body = mail.body.replace("\r\n", "\n")
    assert partner.public_key in body and f'data-partner="{partner.public_key}"' in body
    assert "Key requests waiting" not in client.get("/admin/partners").get_data(as_text=True)
    # Answering twice changes nothing and says why.
    again = _answer(client, key_request.id, "approve", follow_redirects=True)
    assert again.status_code == 200 and "already been answered" in again.get_data(as_text=True)
    assert db.session.query(Partner).count() == 1


def test_an_admin_declines_a_request_and_no_partner_is_made(app, client, db):
    make_admin(db)
    ask(client)
    key_request = db.session.query(KeyRequest).one()
    sign_in(client, "admin@directory.example")
    assert client.post(f"/admin/partners/requests/{key_request.id}/approve").status_code == 400
    response = _answer(client, key_request.id, "decline", follow_redirects=True)
    assert "Request from County Health declined." in response.get_data(as_text=True)
    assert db.session.query(Partner).count() == 0
    db.session.refresh(key_request)
    assert key_request.status == "declined"
    assert _answer(client, 999, "approve").status_code == 404


def test_only_admins_answer_requests(client, db):
    make_admin(db)
    ask(client)
    key_request = db.session.query(KeyRequest).one()
    assert client.post(f"/admin/partners/requests/{key_request.id}/approve").status_code in (
        302, 400)  # fmt: skip
    make_account(db, email="provider@example.org")
    sign_in(client, "provider@example.org")
    assert client.get("/admin/partners").status_code == 403
    assert db.session.query(Partner).count() == 0
