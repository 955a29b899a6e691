"""The change feed: a partner can mirror the directory by following cursors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.models import ListingReview
from directory.operations.moderation import update_availability
from tests.factories import make_listing
from tests.web.provider_support import csrf_token
from tests.web.test_hsds import write_sample
from tests.web.test_import_samhsa import write_csv
from tests.web.test_releases import (  # noqa: F401  (the fixtures)
    CLOSING,
    CURRENT,
    NEWER,
    code_list,
    current_row,
    import_newer,
    newer_file,
    release_2022,
)


def follow(client, since: str = "", limit: int = 50) -> tuple[list[dict], str]:
    """Every entry after ``since``, page by page; and the cursor to ask from next time."""
    entries = []
    while True:
        body = client.get(f"/api/v1/changes?since={since}&limit={limit}").get_json()
        entries += body["changes"]
        since = body["next"]
        if not body["more"]:
            return entries, since


@pytest.mark.postgres
def test_a_mirror_gets_every_listing_once_then_only_what_changed(client, db, runner, tmp_path):
    first = [make_listing(), make_listing(zip_code="41701")]
    db.session.commit()
    entries, cursor = follow(client, limit=1)
    assert [e["id"] for e in entries] == sorted(listing.id for listing in first)
    assert {e["change"] for e in entries} == {"created"}
    assert entries[0]["provider"]["name"] == min(first, key=lambda x: x.id).name
    assert follow(client, cursor)[0] == []  # nothing new

    first[1].phone = "606-555-0199"
    added = make_listing(zip_code="10001")
    db.session.commit()
    entries, cursor = follow(client, cursor)
    by_id = {e["id"]: e for e in entries}
    assert set(by_id) == {first[1].id, added.id}
    assert by_id[first[1].id]["change"] == "changed"
    assert by_id[first[1].id]["provider"]["phone"] == "606-555-0199"
    assert by_id[added.id]["change"] == "created"
    assert entries == sorted(entries, key=lambda e: (e["revision"], e["id"]))

    # A bulk import is in the feed too, every listing it created.
    result = runner.invoke(args=["import-samhsa", *map(str, write_sample(tmp_path, rows=30))])
    assert result.exit_code == 0, result.output[-300:]
    imported, cursor = follow(client, cursor, limit=7)
    assert len(imported) == len({e["id"] for e in imported}) > 40
    assert {e["change"] for e in imported} == {"created"}


@pytest.mark.postgres
def test_releases_reach_the_feed_withdrawn_merged_confirmed_and_restored(
    runner,
    db,
    client,
    admin_client,
    release_2022,  # noqa: F811
    newer_file,  # noqa: F811
    code_list,  # noqa: F811
    tmp_path,
):
    entries, cursor = follow(client)
    assert {e["id"] for e in entries} == set(release_2022.values())
    assert {e["provider"]["release"] for e in entries} == {"2022"}

    # The next release: a closed facility is a tombstone, a changed one has the new release.
    assert import_newer(runner, newer_file, code_list).exit_code == 0
    entries, cursor = follow(client, cursor)
    by_id = {e["id"]: e for e in entries}
    closed = release_2022["Elm Street Clinic"]
    assert (by_id[closed]["change"], by_id[closed]["provider"]) == ("withdrawn", None)
    renamed = by_id[release_2022["Riverside Behavioral Health"]]
    assert renamed["change"] == "changed"
    assert (renamed["provider"]["release"], renamed["provider"]["status"]) == ("2023-24", "active")
    created = {e["provider"]["name"] for e in entries if e["change"] == "created"}
    assert created == {"Bridgeport Family Clinic", "Harborview Wellness Group"}

    # The admin merges a possible duplicate: the merged one points at its survivor.
    duplicate = select(ListingReview).where(ListingReview.kind == "possible_duplicate")
    review = db.session.scalars(duplicate).one()
    form = {"csrf_token": csrf_token(admin_client, "/admin/reviews"), "survivor": review.other_id}
    assert admin_client.post(f"/admin/reviews/{review.id}/merge", data=form).status_code == 302
    entries, cursor = follow(client, cursor)
    by_id = {e["id"]: e for e in entries}
    merged = by_id[review.listing_id]
    assert (merged["change"], merged["provider"]) == ("merged", None)
    assert merged["merged_into"] == review.other_id
    assert by_id[review.other_id]["provider"]["status"] == "active"

    # A later release has the closed facility again; the ones it only confirms move on too.
    rows = [*NEWER, current_row("CT1005", "Substance Use", CLOSING)]
    back = write_csv(tmp_path / "national_directory_2024-25.csv", rows, header=CURRENT)
    assert runner.invoke(args=["import-samhsa", str(back)]).exit_code == 0
    by_id = {e["id"]: e for e in follow(client, cursor)[0]}
    assert by_id[closed]["change"] == "changed"
    assert by_id[closed]["provider"]["status"] == "active"
    confirmed = by_id[release_2022["Riverside Behavioral Health"]]["provider"]
    assert confirmed["release"] == "2024-25"


def test_an_availability_update_is_a_change_with_its_status_and_expiry(client, db):
    listing = make_listing()
    db.session.commit()
    _, since = follow(client)
    update_availability(db.session, listing, None, "waitlist", 6, listing.version,
                        source="verification_link", actor="a verification link")  # fmt: skip
    db.session.commit()
    entries, _ = follow(client, since)
    assert [(e["id"], e["change"]) for e in entries] == [(listing.id, "changed")]
    shown = entries[0]["provider"]["availability"]
    assert (shown["status"], shown["wait_days"], shown["source"]) == (
        "waitlist", 6, "verification_link")  # fmt: skip
    assert shown["updated_at"] < shown["expires_at"]


def test_a_bad_cursor_or_limit_is_a_clear_error(client):
    for url in ("/api/v1/changes?since=yesterday", "/api/v1/changes?since=-5",
                "/api/v1/changes?limit=0", "/api/v1/changes?limit=5000"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["error"]["parameter"] in url
    body = client.get("/api/v1/changes").get_json()
    assert body == {"changes": [], "next": "0", "more": False}


@pytest.mark.postgres
def test_each_entry_shows_the_listing_exactly_as_its_provider_endpoint_does(client, db):
    """The feed reads listings with a core query and decodes their JSON columns once per text;
    what it shows must not differ from ``/api/v1/providers/<id>`` by one byte."""
    hours = [{"byday": "MO", "opens_at": "09:00", "closes_at": "17:00"}]
    listings = [
        make_listing(),
        make_listing(
            zip_code="41701",
            availability="waitlist",
            wait_days=9,
            hours=hours,
            walk_in=True,
            intake_24h=False,
            description='Línea "24/7" ✓',
            last_verified_by="Ana Núñez",
        ),
        make_listing(
            zip_code="10001",
            therapies=None,
            languages=["en", "es"],
            hours=[],
            operators=["private_nonprofit"],
            supports=None,
            telehealth=None,
        ),
        make_listing(zip_code="10001", therapies=["cbt"], languages=["en", "es"]),  # same texts
    ]
    db.session.commit()
    entries, _ = follow(client, limit=3)
    assert len(entries) == len(listings)
    for entry in entries:
        shown = client.get(f"/api/v1/providers/{entry['id']}")
        assert entry["provider"] == shown.get_json()
