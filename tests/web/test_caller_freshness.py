"""A caller who reached a listing and was told it can help confirms it for ranking: of two
otherwise equal places the one a caller reached recently ranks first, as soon as the answer
is in; the search index learns of it through the catalog revision, once a day per listing
at most, and the changes feed (the listing's record did not change) does not list it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.models.catalog import current_revision
from directory.models.feed import ListingFeedEntry
from directory.models.listing import utcnow
from directory.operations import feedback
from tests.factories import make_listing

pytestmark = pytest.mark.postgres


@pytest.fixture
def pair(db):
    """Two places alike in everything but their names (the name breaks a tie: Aspen first)."""
    aspen = make_listing("80202", name="Aspen Outpatient", lat=39.75, lon=-104.99)
    willow = make_listing("80202", name="Willow Outpatient", lat=39.75, lon=-104.99)
    db.session.commit()
    return aspen, willow


def order(client) -> list[str]:
    response = client.get("/api/v1/match?location=80202&radius=5")
    assert response.status_code == 200
    return [result["name"] for result in response.get_json()["results"]]


def reached(client, listing, outcome):
    page = client.get(f"/providers/{listing.id}").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/providers/{listing.id}/reached", data={"form_token": token, "outcome": outcome}
    )
    assert response.status_code == 200


def test_a_caller_who_was_helped_lifts_an_otherwise_equal_place_at_once(client, db, pair):
    aspen, willow = pair
    assert order(client) == ["Aspen Outpatient", "Willow Outpatient"]  # the index is built
    reached(client, willow, "helped")
    assert order(client) == ["Willow Outpatient", "Aspen Outpatient"]
    page = client.get("/search?location=80202&radius=5").get_data(as_text=True)
    assert "A caller reached them just now" in page  # the card says why


@pytest.mark.parametrize("outcome", ["not_suitable", "number_failed"])
def test_other_answers_do_not_count_as_a_confirmation(client, db, pair, outcome):
    aspen, willow = pair
    before = current_revision(db.session)
    reached(client, willow, outcome)
    assert current_revision(db.session) == before
    assert order(client) == ["Aspen Outpatient", "Willow Outpatient"]


def test_anonymous_answers_bump_the_index_once_a_day_per_listing_and_not_the_feed(client, db, pair):
    aspen, willow = pair
    feed_revision = db.session.scalar(
        select(ListingFeedEntry.revision).where(ListingFeedEntry.listing_id == willow.id)
    )
    cursor = client.get("/api/v1/changes").get_json()["next"]
    before = current_revision(db.session)
    for _ in range(3):
        reached(client, willow, "helped")
    assert current_revision(db.session) == before + 1
    reached(client, aspen, "helped")  # another listing: its own bump
    assert current_revision(db.session) == before + 2
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(ListingFeedEntry.revision).where(ListingFeedEntry.listing_id == willow.id)
        )
        == feed_revision
    )
    assert client.get(f"/api/v1/changes?since={cursor}").get_json()["changes"] == []


def test_a_day_later_the_next_answer_bumps_again(db, pair):
    aspen, willow = pair
    now = utcnow()
    feedback.record_outcome(db.session, willow, "helped", now - timedelta(days=2))
    db.session.commit()
    before = current_revision(db.session)
    feedback.record_outcome(db.session, willow, "helped", now)
    db.session.commit()
    assert current_revision(db.session) == before + 1


def test_an_old_answer_counts_less_than_a_provider_confirmation_today(client, db, pair):
    aspen, willow = pair
    feedback.record_outcome(db.session, aspen, "helped", utcnow() - timedelta(days=300))
    willow.last_verified_on = utcnow().date()
    db.session.commit()
    assert order(client) == ["Willow Outpatient", "Aspen Outpatient"]
