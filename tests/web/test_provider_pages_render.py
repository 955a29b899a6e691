"""Every provider, admin and report page renders for the people allowed to see it."""

import pytest

pytestmark = pytest.mark.postgres


def test_every_management_page_renders_for_its_audience(
    app, db, owner_client, provider_listing, admin_client
):
    listing = provider_listing
    for url in [
        "/provider/",
        "/provider/listings",
        "/provider/find?q=mile",
        f"/provider/listings/{listing.id}/edit",
        f"/provider/listings/{listing.id}/availability",
        "/provider/listings/new",
        f"/provider/listings/{listing.id}/claim",
    ]:
        r = owner_client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    for url in [
        "/admin/",
        "/admin/claims",
        "/admin/edits",
        "/admin/edits?kind=new",
        "/admin/reports",
        "/admin/stale",
        "/admin/accounts",
        "/admin/outbox",
        f"/admin/listings/{listing.id}",
        f"/admin/listings/{listing.id}/edit",
        f"/admin/listings/{listing.id}/hours",
    ]:
        r = admin_client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    c = app.test_client()
    for url in [
        "/provider/",
        f"/provider/?listing={listing.id}",
        "/provider/register",
        "/provider/login",
        "/provider/forgot",
        f"/providers/{listing.id}/report",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
