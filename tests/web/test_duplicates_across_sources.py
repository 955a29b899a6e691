"""An HSDS import goes through the same duplicate machinery as a SAMHSA import, across sources:
a publisher's listing of a facility the directory already lists from SAMHSA is created as
the publisher's own and queued for an admin as a possible duplicate, never a silent twin;
the admin's merge lasts through the publisher's next releases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.hsds.mapping import hsds_id
from directory.models import Listing, ListingReview
from tests.factories import make_listing
from tests.web.provider_support import csrf_token
from tests.web.test_hsds import sample  # noqa: F401  (the fixture: real 2022 rows)
from tests.web.test_import_hsds import DETOX, OUTPATIENT, import_hsds, small_package

pytestmark = pytest.mark.postgres


def reviews(db) -> list[ListingReview]:
    db.session.expire_all()
    return db.session.scalars(select(ListingReview).order_by(ListingReview.id)).all()


def by_id(db, listing_id: str) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing_id)


def samhsa_harbor(db) -> Listing:
    """SAMHSA's listing of the place ``small_package`` publishes (spelt a little otherwise)."""
    listing = make_listing(zip_code="93035", source="samhsa", release="2022",
                           name="Harbor Recovery Inc", program_name="Detox Unit",
                           street="1200 Harbor Boulevard", city="Oxnard",
                           phone="(805) 555-0142")  # fmt: skip
    make_listing(zip_code="93035", source="samhsa", release="2022", name="Oxnard Family Clinic",
                 street="300 W 5th St", city="Oxnard", phone="805-555-0900")  # fmt: skip
    db.session.commit()
    return listing


def test_a_publishers_listing_of_a_samhsa_facility_is_queued_not_a_silent_twin(
    runner, db, admin_client, tmp_path
):
    samhsa = samhsa_harbor(db)
    folder = small_package(tmp_path / "one", [DETOX, OUTPATIENT])
    result = import_hsds(runner, folder, "--publisher", "harbor", "--release", "1")
    assert result.exit_code == 0, result.output
    assert "created: 2" in result.output and "possible duplicates queued: 1" in result.output
    assert "Harbor Recovery Inc, Oxnard, samhsa" in result.output
    (review,) = reviews(db)
    twin = by_id(db, review.listing_id)
    assert (review.kind, review.status, review.other_id) == ("possible_duplicate", "open",
                                                             samhsa.id)  # fmt: skip
    assert (twin.source, twin.program_name) == ("hsds:harbor", "Detox Unit")
    assert review.confidence >= 0.8  # alike enough to link within a source: queued across them
    assert by_id(db, samhsa.id).phone == "(805) 555-0142"  # another source's listing: untouched

    # The admin sees where each came from, in words, and keeps SAMHSA's listing.
    page = admin_client.get("/admin/reviews").get_data(as_text=True)
    assert "Open Referral data from harbor" in page and "SAMHSA national directory" in page
    assert "hsds:harbor" not in page
    token = csrf_token(admin_client, "/admin/reviews")
    merged = admin_client.post(f"/admin/reviews/{review.id}/merge",
                               data={"csrf_token": token, "survivor": samhsa.id})  # fmt: skip
    assert merged.status_code == 302
    assert (by_id(db, twin.id).status, by_id(db, twin.id).merged_into) == ("merged", samhsa.id)
    assert by_id(db, samhsa.id).facility_id is None  # the publisher's id is not SAMHSA's

    # The publisher's next release: its listing stays merged (no twin again), nothing requeued.
    again = import_hsds(runner, folder, "--publisher", "harbor", "--release", "2")
    assert again.exit_code == 0, again.output
    assert "created: 0" in again.output and "possible duplicates queued: 0" in again.output
    assert by_id(db, twin.id).status == "merged"
    active = db.session.scalars(select(Listing).where(Listing.status == "active")).all()
    assert sorted(x.source for x in active) == ["hsds:harbor", "samhsa", "samhsa"]
    assert len(reviews(db)) == 1


def test_a_samhsa_release_checks_its_new_rows_against_a_publishers_listings(runner, db, tmp_path):
    folder = small_package(tmp_path / "one", [DETOX])
    assert import_hsds(runner, folder, "--publisher", "harbor").exit_code == 0
    (published,) = db.session.scalars(select(Listing)).all()
    rows = tmp_path / "substance_use_facilities_2022.csv"
    rows.write_text(
        "name1,name2,street1,street2,city,state,zip,phone,intake1,service_code_info\n"
        'Harbor Recovery,Detox Unit,1200 Harbor Blvd,,Oxnard,CA,93035,805-555-0142,,"SA * OP"\n'
        'Elsewhere Clinic,,9 Pine St,,Oxnard,CA,93035,805-555-0777,,"SA * OP"\n'
    )
    result = runner.invoke(args=["import-samhsa", str(rows)])
    assert result.exit_code == 0, result.output
    assert "possible duplicates queued: 1" in result.output
    (review,) = reviews(db)
    assert review.other_id == published.id
    assert by_id(db, review.listing_id).source == "samhsa"


def test_a_demo_listing_is_never_a_duplicate(runner, db, tmp_path):
    make_listing(zip_code="93035", source="demo", name="Harbor Recovery",
                 program_name="Detox Unit", street="1200 Harbor Blvd", city="Oxnard",
                 phone="805-555-0142")  # fmt: skip
    db.session.commit()
    result = import_hsds(runner, small_package(tmp_path / "one", [DETOX]), "--publisher", "h")
    assert result.exit_code == 0, result.output
    assert reviews(db) == []


def test_our_export_imported_beside_the_samhsa_listings_queues_each_one(
    runner,
    db,
    sample,  # noqa: F811
    tmp_path,
):
    originals = {x.id for x in db.session.scalars(select(Listing))}
    before = {r.id for r in reviews(db)}  # what the SAMHSA sample itself left open
    exported = runner.invoke(args=["export-hsds", str(tmp_path / "package.zip")])
    assert exported.exit_code == 0, exported.output
    result = import_hsds(runner, tmp_path / "package.zip", "--publisher", "us")
    assert result.exit_code == 0, result.output
    assert f"created: {len(originals)}" in result.output
    queued = [r for r in reviews(db) if r.id not in before]
    # Every imported listing is paired with the SAMHSA listing it was exported from.
    pairs = {(by_id(db, r.listing_id).facility_id, r.other_id) for r in queued}
    assert pairs == {(hsds_id("service_at_location", i), i) for i in originals}
    assert {r.kind for r in queued} == {"possible_duplicate"}
