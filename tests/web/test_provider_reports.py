"""Report a problem from a public provider page: no account, no cookie, a honeypot, a
signed form token instead of the session's CSRF token, and a rate limit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.models import ProblemReport

pytestmark = pytest.mark.postgres


def form_token(client, listing_id: str) -> str:
    page = client.get(f"/providers/{listing_id}/report").get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)


def report(client, listing_id, **data):
    token = data.pop("form_token", None) or form_token(client, listing_id)
    return client.post(f"/providers/{listing_id}/report", data={"form_token": token, **data})


def test_anyone_can_report_a_problem_without_getting_a_cookie(db, client, provider_listing):
    page = client.get(f"/providers/{provider_listing.id}/report")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    response = report(client, provider_listing.id, kind="wrong_phone",
                      details="The right number is 303-555-0111")  # fmt: skip
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Thank you" in response.get_data(as_text=True)
    (saved,) = db.session.scalars(select(ProblemReport)).all()
    assert (saved.kind, saved.status) == ("wrong_phone", "open")


def test_the_honeypot_is_thanked_but_not_recorded(db, client, provider_listing):
    response = report(client, provider_listing.id, kind="closed", website="http://spam.example")
    assert "Thank you" in response.get_data(as_text=True)
    assert db.session.scalars(select(ProblemReport)).all() == []


def test_a_post_without_the_signed_token_is_refused(db, client, provider_listing, app):
    url = f"/providers/{provider_listing.id}/report"
    assert client.post(url, data={"kind": "closed"}).status_code == 400
    assert client.post(url, data={"kind": "closed", "form_token": "forged"}).status_code == 400
    other = app.test_client()
    from tests.web.provider_support import make_listing

    elsewhere = make_listing(db, name="Elsewhere", zip="80302")
    token = form_token(other, elsewhere.id)  # a token for another listing
    assert client.post(url, data={"kind": "closed", "form_token": token}).status_code == 400
    assert db.session.scalars(select(ProblemReport)).all() == []


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose what is wrong."),
        ({"kind": "arson"}, "Not a valid choice"),
        ({"kind": "other", "details": "x" * 2001}, "longer than 2000"),
        ({"kind": "other", "contact": "<b>me</b>"}, "Enter an e-mail address"),
    ],
)
def test_bad_reports_are_refused_with_a_message(db, client, provider_listing, data, error):
    page = report(client, provider_listing.id, **data).get_data(as_text=True)
    assert error in page and "<b>me</b>" not in page
    assert db.session.scalars(select(ProblemReport)).all() == []


def test_markup_in_a_report_is_stored_as_typed(db, client, provider_listing):
    report(client, provider_listing.id, kind="other", details="<script>alert(1)</script>")
    (saved,) = db.session.scalars(select(ProblemReport)).all()
    assert saved.details == "<script>alert(1)</script>"


def test_reports_are_rate_limited(db, client, provider_listing):
    token = form_token(client, provider_listing.id)
    statuses = [
        report(client, provider_listing.id, kind="closed", form_token=token).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_reporting_on_a_missing_listing_is_404(client):
    assert client.get("/providers/nope/report").status_code == 404


def test_a_stale_report_form_keeps_what_was_typed_and_can_be_sent_again(client, provider_listing):
    url = f"/providers/{provider_listing.id}/report"
    typed = {"kind": "wrong_phone", "details": "The right number is 303-555-0199",
             "form_token": "expired-or-forged"}  # fmt: skip
    response = client.post(url, data=typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The right number is 303-555-0199" in page
    assert "Please send it again" in page
    fresh_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    sent = client.post(url, data={**typed, "form_token": fresh_token})
    assert "Thank you" in sent.get_data(as_text=True)
