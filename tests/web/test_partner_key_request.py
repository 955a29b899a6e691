"""A site asks for a widget key from /partners: the team gets it by mail, nothing is lost."""

from __future__ import annotations

import re

from tests.web.provider_support import make_account, make_admin, outbox

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
    assert "create-partner" in body


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
