"""Hostile input on every registered route, anonymous, as a provider and as an admin, on
SQLite and PostgreSQL over real listings: NUL bytes, broken UTF-8, control characters, huge
integers, over-long values and bad Host headers get a clear 400, 404 or 414 page — never a
5xx. One app and one imported database per backend, shared by the module."""

from __future__ import annotations

import re
import shutil
from urllib.parse import unquote_to_bytes

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from directory import create_app
from directory.extensions import db
from directory.models import Listing
from tests.conftest import POSTGRES_URL, SAMHSA_DIR, FreshContextClient, _test_config, _truncate_all
from tests.web.provider_support import PASSWORD, make_account, make_admin, make_owner
from tests.web.test_hsds import write_sample

pytestmark = pytest.mark.skipif(not SAMHSA_DIR.exists(), reason="../shared is not here")

UNREADABLE = "characters that cannot be read"
HUGE = "9" * 31  # 10**30 and more: past every integer column
# Path segments no real link holds, and what each must answer.
PATH_VALUES = {
    "a%00b": 400,  # NUL
    "%FF%FEab": 400,  # not UTF-8
    "a%0D%0ASet-Cookie:%20x=1": 400,  # a header injection attempt
    "x" * 2100: 414,
    HUGE: None,  # None: any 4xx (an unknown id is a 404)
    "-1": None,
    "1e309": None,
    "..%2F..%2Fetc%2Fpasswd": None,
    "%27%3B%20DROP%20TABLE%20listing%3B--": None,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E": None,
}
# Query strings: the guarded ones are 400s, the rest reach the views, which must cope.
HOSTILE_QUERIES = {"q=a%00b": 400, "location=%C3%28": 400, "page=%0A": 400}
ODD_QUERY = (
    f"page={HUGE}&per_page={HUGE}&radius={HUGE}&lat=1e309&lon=nan&location={'x' * 3000}"
    f"&q=%F0%9F%98%80&partner={'k' * 500}&since={HUGE}&kind=new&state=%3Cb%3E&lang=xx"
    f"&next=//evil.example&ids={','.join([HUGE] * 50)}&id={HUGE}&format=ndjson"
    f"&service_type=x&care_level=x&payment=&per_page=-5&modified_after=99999-99-99"
    f"&postcode={HUGE}&proximity=1e309&taxonomy_id={HUGE}&colour=x"
)
ODD_FORM_VALUES = ["y" * 19_000, HUGE, "-1", "😀 Ünïcödé ‮ <script>alert(1)</script> '; DROP", ""]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """The app over real 2022 listings, with a provider owning one and an admin."""
    folder = tmp_path_factory.mktemp("hostile")
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL is not available here: set TEST_POSTGRES_URL")
        url = request.getfixturevalue("postgres_migrated")
        _truncate_all(url)
    else:
        path = folder / "directory.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    config = {**_test_config(url), "INSTANCE_DIR": str(folder), "WTF_CSRF_ENABLED": False,
              "RATELIMIT_ENABLED": False}  # fmt: skip
    app = create_app(config)
    app.test_client_class = FreshContextClient
    result = app.test_cli_runner().invoke(
        args=["import-samhsa", *map(str, write_sample(folder, rows=40))]
    )
    assert result.exit_code == 0, result.output[-500:]
    with app.app_context():
        listing = db.session.scalars(select(Listing).order_by(Listing.id)).first()
        owner = make_account(db, email="owner@clinic.example")
        make_owner(db, listing, owner)
        make_admin(db)
        app.config["SAMPLE_LISTING"] = listing.id
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def signed_in(app, email: str | None):
    client = app.test_client()
    if email:
        response = client.post("/provider/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def visitors(site):
    """Signed in afresh for each test: a sweep posts to sign-out too."""
    return {
        "anonymous": signed_in(site, None),
        "provider": signed_in(site, "owner@clinic.example"),
        "admin": signed_in(site, "admin@directory.example"),
    }


def rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def url_with(rule, value: str) -> str:
    """The rule's path with every variable part replaced by ``value`` (already quoted)."""
    path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "\x01", rule.rule)
    return path.replace("\x01", value)


def real_url(app, rule) -> str:
    """The rule's path with real values: the sample listing, id 1, a real-looking token."""
    values = {"listing_id": app.config["SAMPLE_LISTING"], "action": "enable",
              "decision": "distinct", "colour": "ffffff", "filename": "css/site.css"}  # fmt: skip
    return re.sub(
        r"<(?:[^:>(]+(?:\([^)]*\))?:)?([^>]+)>", lambda m: str(values.get(m[1], 1)), rule.rule
    )


def raw(client, method: str, path: str, query: str = "", **kwargs):
    """A request as a server hands it on: the path's %-escapes decoded to raw bytes (which
    need not be UTF-8), the query string as sent."""
    path_info = unquote_to_bytes(path).decode("latin-1")
    overrides = {"PATH_INFO": path_info, "QUERY_STRING": query}
    return client.open("/", method=method, environ_overrides=overrides, **kwargs)


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def server_errors(client, calls) -> list[str]:
    found = []
    for method, url, kwargs in calls:
        response = client.open(url, method=method, **kwargs)
        if response.status_code >= 500:
            found.append(f"{method} {url[:120]} {str(kwargs)[:80]} -> {response.status_code}")
    return found


def is_clear_refusal(response, status: int, words: str = "") -> bool:
    """The status asked for, with a page (or JSON) that says what to do and the site's
    security headers (a bare server error page has neither)."""
    text = response.get_data(as_text=True)
    said = words in text if words else len(text) > 100
    return response.status_code == status and said and "Content-Security-Policy" in response.headers


# The guard runs before the session is even read, so what it refuses is tried anonymously;
# what reaches the views is tried by every visitor.


def test_hostile_path_segments_on_every_route_get_a_clear_4xx(site, visitors):
    wrong = []
    for who, client in visitors.items():
        for rule in rules(site):
            if not rule.arguments:
                continue
            for value, status in PATH_VALUES.items():
                if status and who != "anonymous":
                    continue
                for method in methods(rule):
                    response = raw(client, method, url_with(rule, value))
                    code = response.status_code
                    if (status and not is_clear_refusal(response, status)) or not (
                        400 <= code < 500 or code in (200, 302)
                    ):
                        wrong.append(f"{who} {method} {rule.rule} {value[:30]} -> {code}")
    assert wrong[:20] == []


def test_nul_bytes_and_broken_utf8_in_any_query_string_are_a_400_that_says_why(site, visitors):
    wrong = []
    client = visitors["anonymous"]
    for rule in rules(site):
        for query, status in HOSTILE_QUERIES.items():
            for method in methods(rule):
                response = raw(client, method, real_url(site, rule), query)
                if not is_clear_refusal(response, status, UNREADABLE):
                    wrong.append(f"{method} {rule.rule}?{query} -> {response.status_code}")
    assert wrong[:20] == []
    response = raw(visitors["admin"], "GET", "/admin/accounts", "page=%00")
    assert is_clear_refusal(response, 400, UNREADABLE)
    # In the API, the refusal is the API's JSON error.
    response = client.get("/api/v1/match?location=%00")
    assert response.status_code == 400 and UNREADABLE in response.get_json()["error"]["message"]
    response = raw(client, "GET", "/hsds/services", "search=%FF")
    assert response.status_code == 400 and response.is_json


def test_huge_numbers_and_over_long_values_in_query_strings_never_break_a_page(site, visitors):
    for who, client in visitors.items():
        calls = [(m, f"{real_url(site, rule)}?{ODD_QUERY}", {}) for rule in rules(site)
                 for m in methods(rule)]  # fmt: skip
        assert server_errors(client, calls) == [], who
    api = visitors["anonymous"].get(f"/api/v1/match?location=Birmingham%2C+AL&page={HUGE}")
    assert api.status_code == 400 and "page must be a whole number" in api.get_json()["error"][
        "message"]  # fmt: skip
    wide = visitors["anonymous"].get(f"/api/v1/match?location=Birmingham%2C+AL&radius={HUGE}")
    assert wide.status_code == 200 and wide.get_json()["total"] > 0  # the whole country


@pytest.fixture(scope="module")
def field_names(site) -> set[str]:
    """Every field name of every form the site shows (its pages read by each visitor)."""
    names = set()
    for email in (None, "owner@clinic.example", "admin@directory.example"):
        client = signed_in(site, email)
        for rule in rules(site):
            if "GET" in rule.methods and not rule.rule.startswith(("/api/", "/hsds/")):
                page = client.get(real_url(site, rule)).get_data(as_text=True)
                names |= set(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', page))
    return names - {"csrf_token"}


def test_every_form_takes_over_long_huge_and_odd_values_without_a_server_error(
    site, visitors, field_names
):
    assert {"email", "password", "name", "city", "description", "version"} <= field_names
    for who, client in visitors.items():
        calls = [
            ("POST", real_url(site, rule), {"data": dict.fromkeys(field_names, value)})
            for rule in rules(site)
            if "POST" in rule.methods
            for value in ODD_FORM_VALUES
        ]
        assert server_errors(client, calls) == [], who


def test_nul_bytes_and_broken_utf8_in_any_form_are_a_400_that_says_why(site, visitors):
    bodies = [b"email=a%00b&password=x", b"name=%FF%FE&city=x", b"description=caf\xe9"]
    form = "application/x-www-form-urlencoded"
    wrong = []
    client = visitors["anonymous"]
    for rule in rules(site):
        if "POST" not in rule.methods:
            continue
        for body in bodies:
            response = client.post(real_url(site, rule), data=body, content_type=form)
            if not is_clear_refusal(response, 400, UNREADABLE):
                wrong.append(f"{rule.rule} {body[:20]!r} -> {response.status_code}")
    assert wrong == []


def test_a_newline_in_a_text_area_is_still_welcome(site, visitors):
    response = visitors["anonymous"].post(
        f"/providers/{site.config['SAMPLE_LISTING']}/report",
        data={"kind": "phone", "details": "Line one\r\nLine two\tand a tab"},
    )
    assert response.status_code < 500 and UNREADABLE not in response.get_data(as_text=True)


def test_an_over_long_body_is_a_413_page(site, visitors):
    response = visitors["anonymous"].post(
        "/provider/login", data={"email": "a@b.example", "password": "p" * (2 * 1024 * 1024)}
    )
    assert is_clear_refusal(response, 413, "too large")


def open_raw(app, host: str | None, path: str = "/"):
    environ = EnvironBuilder(path=path).get_environ()
    if host is None:
        del environ["HTTP_HOST"]
    else:
        environ["HTTP_HOST"] = host
    iterable, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return int(status.split()[0]), dict(headers), b"".join(iterable).decode()


@pytest.mark.parametrize("host", ["a" * 64 + ".example.org", "x" * 300, "ex ample.org",
                                  "évil.example", "host:99999", "h\x00st"])  # fmt: skip
def test_a_malformed_host_header_is_a_400_page_with_the_security_headers(site, host):
    for path in ("/", "/search?location=35203", "/api/v1/providers/x"):
        status, headers, body = open_raw(site, host, path)
        assert status == 400, (host, path)
        assert "Content-Security-Policy" in headers and "host" in body


def test_a_spoofed_or_absent_host_is_served_but_never_used_in_links(site):
    status, headers, body = open_raw(site, "evil.example", "/provider/forgot")
    assert status == 200 and "evil.example" not in body
    status, headers, body = open_raw(site, "evil.example", "/api/v1/openapi.json")
    assert status == 200 and "evil.example" not in body
    status, headers, body = open_raw(site, None, "/")
    assert status == 200 and "988" in body
