"""Headers, cookies, languages and error pages that every public page shares."""


def test_public_pages_send_strict_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_public_pages_set_no_cookie(client):
    response = client.get("/")
    assert "Set-Cookie" not in response.headers


def test_every_page_shows_the_crisis_lines_as_tap_to_call_links(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:988"' in page and 'href="sms:988"' in page
    assert 'href="tel:+18006624357"' in page


def test_lang_parameter_and_accept_language_choose_spanish(client):
    assert '<html lang="es">' in client.get("/?lang=es").get_data(as_text=True)
    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_unknown_lang_falls_back_to_english(client):
    assert '<html lang="en">' in client.get("/?lang=xx").get_data(as_text=True)


def test_missing_page_is_a_friendly_404_in_the_visitors_language(client):
    response = client.get("/no-such-page?lang=es")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Página no encontrada" in page
    assert "988" in page


def test_an_unexpected_error_is_a_friendly_500_in_the_visitors_language(database_url):
    from directory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "FRIENDLY_500_IN_TESTS": True,
                      "SECRET_KEY": "x"})  # fmt: skip

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom?lang=es")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert '<html lang="es">' in page and "988" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    api = app.test_client().get("/api/v1/providers/x")  # JSON errors stay JSON
    assert api.is_json
