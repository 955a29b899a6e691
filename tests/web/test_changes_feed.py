"""The change feed: a partner can mirror the directory by following cursors."""

from __future__ import annotations

import pytest

from tests.factories import make_listing
from tests.web.test_hsds import write_sample


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


def test_a_bad_cursor_or_limit_is_a_clear_error(client):
    for url in ("/api/v1/changes?since=yesterday", "/api/v1/changes?since=-5",
                "/api/v1/changes?limit=0", "/api/v1/changes?limit=5000"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["error"]["parameter"] in url
    body = client.get("/api/v1/changes").get_json()
    assert body == {"changes": [], "next": "0", "more": False}
