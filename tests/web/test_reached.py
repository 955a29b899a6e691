"""'Did you reach them?': three taps, anonymous, rate limited; failures queue the listing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from directory.models import ProblemReport
from directory.models.listing import utcnow
from directory.models.reach_report import ReachReport
from directory.operations import feedback
from tests.factories import make_listing


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def listing(db):
    made = make_listing("80202", name="Alder Outpatient")
    db.session.commit()
    return made


def form_token(client, url: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', text(client.get(url))).group(1)


def answer(client, listing, outcome, token=None, **kwargs):
    token = token or form_token(client, f"/providers/{listing.id}")
    return client.post(f"/providers/{listing.id}/reached",
                       data={"form_token": token, "outcome": outcome}, **kwargs)  # fmt: skip


def test_the_question_is_on_cards_and_provider_pages_in_both_languages(client, listing):
    assert "Did you reach them?" in text(client.get("/search?location=80202"))
    page = text(client.get(f"/providers/{listing.id}?lang=es"))
    assert "¿Pudo comunicarse?" in page and "El número no funcionó" in page


def test_an_answer_is_kept_with_nothing_about_the_person_and_no_cookie(client, db, listing):
    response = answer(client, listing, "helped")
    assert response.status_code == 200 and "Thank you" in text(response)
    assert "Set-Cookie" not in response.headers
    (kept,) = db.session.scalars(select(ReachReport)).all()
    assert (kept.listing_id, kept.outcome) == (listing.id, "helped")
    assert {c.name for c in ReachReport.__table__.columns} == {
        "id", "listing_id", "outcome", "created_at"}  # fmt: skip
    page = text(client.get(f"/providers/{listing.id}"))
    assert "A caller reached them" in page


def test_repeated_failures_put_the_listing_in_the_admin_queue_once(app, client, db, listing):
    for _ in range(feedback.FAILURES_TO_QUEUE + 2):
        assert answer(client, listing, "number_failed").status_code == 200
    (queued,) = db.session.scalars(select(ProblemReport)).all()
    assert queued.kind == "unreachable" and queued.listing_id == listing.id


def test_a_caller_who_got_through_resets_the_count(db, listing):
    now = utcnow()
    for days in (20, 19):
        feedback.record_outcome(db.session, listing, "number_failed", now - timedelta(days=days))
    feedback.record_outcome(db.session, listing, "helped", now - timedelta(days=10))
    feedback.record_outcome(db.session, listing, "number_failed", now)
    assert db.session.scalars(select(ProblemReport)).all() == []


def test_one_listing_cannot_be_flooded(db, listing):
    now = utcnow()
    for _ in range(feedback.PER_LISTING_PER_DAY + 5):
        feedback.record_outcome(db.session, listing, "number_failed", now)
    assert len(db.session.scalars(select(ReachReport)).all()) == feedback.PER_LISTING_PER_DAY
    assert len(db.session.scalars(select(ProblemReport)).all()) == 1


@pytest.mark.parametrize("token", ["", "forged", None])
def test_a_forged_or_missing_token_changes_nothing(client, db, listing, token):
    if token is None:  # a real token for another listing
        other = make_listing("80203", name="Birch")
        db.session.commit()
        token = form_token(client, f"/providers/{other.id}")
    response = answer(client, listing, "number_failed", token=token or "x")
    assert response.status_code == 400 and "was not kept" in text(response)
    assert db.session.scalars(select(ReachReport)).all() == []


def test_an_unknown_answer_is_a_clear_page_not_an_error(client, db, listing):
    response = answer(client, listing, "maybe")
    assert response.status_code == 400 and "Choose one of the answers" in text(response)
    assert client.post("/providers/nope/reached", data={}).status_code == 404


def test_each_address_is_rate_limited(app, client, listing):
    app.config["REACHED_RATE_LIMIT"] = "2 per minute"
    token = form_token(client, f"/providers/{listing.id}")
    codes = [answer(client, listing, "helped", token=token).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_page_of_cards_reads_when_callers_reached_them_in_one_query(app, client, db):
    listings = [make_listing("80202", name=f"Birch Clinic {n}") for n in range(6)]
    db.session.commit()
    for place in listings[:3]:
        feedback.record_outcome(db.session, place, "helped")
    db.session.commit()
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        page = text(client.get("/search?location=80202&radius=10"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert page.count("A caller reached them") == 3
    reads = [sql for sql in statements if sql.startswith("SELECT reach_report.listing_id")]
    assert len(reads) == 1, statements  # not one per card
