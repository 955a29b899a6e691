"""Next year's release updates the directory instead of doubling it (DESIGN 3.3, issue 12).

Release 2022 is two files in the 2022 layout; release 2023-24 is one file in SAMHSA's
current layout (``facility_id`` and ``directory_type`` columns) in which one facility was
renamed, one moved suite, one closed, one that a provider claimed is gone, a ZIP lost its
leading zero, one facility is new, and one row carries a code only the release's code list
knows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from directory.models import AuditEntry, Listing, ListingReview, Release
from tests.web.provider_support import csrf_token, make_account, make_owner
from tests.web.test_import_samhsa import HEADER, write_csv

pytestmark = pytest.mark.postgres

CURRENT = ["facility_id", "directory_type", *HEADER]
ANSONIA = ["Valley Recovery Center", "", "12 Main Street", "", "Ansonia", "CT", "06401",
           "203-555-0101", "", "", "", "", "SA * OP ORT * MD SF"]  # fmt: skip
HARBOR = ["Harbor Counseling", "Adult Program", "40 Water St", "Suite 100", "New Haven", "CT",
          "06510", "203-555-0102", "", "", "", "", "MH * OP * CBT"]  # fmt: skip
RIVERSIDE = ["Riverside Behavioral Health", "", "7 River Rd", "", "Hartford", "CT", "06103",
             "860-555-0103", "", "", "", "", "SA * OP ORT"]  # fmt: skip
CLOSING = ["Elm Street Clinic", "", "99 Elm St", "", "Hartford", "CT", "06106",
           "860-555-0104", "", "", "", "", "SA * OP ORT"]  # fmt: skip
CLAIMED = ["Owned Recovery House", "", "3 Oak Ave", "", "Hartford", "CT", "06105",
           "860-555-0105", "", "", "", "", "SA * HH"]  # fmt: skip
REBRANDED = ["Shoreline Addiction Services", "", "250 Boston Post Rd", "", "Milford", "CT",
             "06460", "203-555-0106", "", "", "", "", "SA * OP ORT"]  # fmt: skip


def current_row(facility_id, directory_type, row, **changes):
    fields = dict(zip(HEADER, row, strict=True)) | changes
    return [facility_id, directory_type, *(fields[name] for name in HEADER)]


NEWER = [
    # Same name and address, ZIP stripped of its leading zero by a spreadsheet.
    current_row("CT1001", "Substance Use", ANSONIA, zip="6401",
                service_code_info="SA * OP ORT * MD SF * NEWC"),
    # Moved suite: a new key, linked by similarity.
    current_row("CT1002", "Mental Health", HARBOR, street2="Suite 200"),
    # Renamed: same street and phone, similar name.
    current_row("CT1003", "Substance Use", RIVERSIDE, name1="Riverside Behavioral Health Services"),
    # A new name altogether at the same street and phone: unsure, queued.
    current_row("CT1004", "Substance Use", REBRANDED, name1="Harborview Wellness Group"),
    # New facility.
    current_row("CT2001", "Mental Health", ["Bridgeport Family Clinic", "", "1 State St", "",
                "Bridgeport", "CT", "06604", "203-555-0107", "", "", "", "", "MH * OP"]),
]  # fmt: skip


@pytest.fixture
def release_2022(runner, db, tmp_path):
    path = write_csv(
        tmp_path / "substance_use_facilities_2022.csv",
        [ANSONIA, RIVERSIDE, CLOSING, CLAIMED, REBRANDED],
    )
    mental = write_csv(tmp_path / "mental_health_facilities_2022.csv", [HARBOR])
    result = runner.invoke(args=["import-samhsa", str(path), str(mental)])
    assert result.exit_code == 0, result.output
    assert "Release samhsa 2022 (full; substance use and mental health)" in result.output
    return {listing.name: listing.id for listing in db.session.scalars(select(Listing))}


@pytest.fixture
def newer_file(tmp_path):
    return write_csv(tmp_path / "national_directory.csv", NEWER, header=CURRENT)


@pytest.fixture
def code_list(tmp_path):
    path = tmp_path / "service_definitions.csv"
    path.write_text(
        "directory_type,code,label\nSubstance Use,NEWC,New community program\n"
        "Substance Use,OP,Outpatient\n",
        encoding="utf-8",
    )
    return path


def import_newer(runner, newer_file, code_list, *extra):
    return runner.invoke(
        args=["import-samhsa", str(newer_file), "--release", "2023-24",
              "--codes", str(code_list), *extra]
    )  # fmt: skip


def by_id(db, listing_id) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing_id)


def count_listings(db, **where) -> int:
    query = select(func.count()).select_from(Listing)
    for name, value in where.items():
        query = query.where(getattr(Listing, name) == value)
    return db.session.scalar(query)


def test_next_release_updates_listings_keeps_ids_and_withdraws_the_absent(
    runner, db, client, release_2022, newer_file, code_list
):
    owner = make_account(db, email="owner@owned.example")
    make_owner(db, by_id(db, release_2022["Owned Recovery House"]), owner)
    db.session.commit()

    result = import_newer(runner, newer_file, code_list)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Release samhsa 2023–24 (full; substance use and mental health)" in output
    assert "linked by facility_id: 0, by name and address: 1, by similarity: 2" in output
    assert "Withdrawn (not in this release): 2" in output  # closed, and the rebranded's old self
    assert "kept for an admin to confirm: 1" in output
    assert "possible duplicates queued: 1" in output
    assert "ZIPs given back their leading zeros: 1" in output
    assert "6401 -> 06401 (Ansonia, CT)" in output
    assert "Service codes added from the release's code list: 1" in output
    assert "Unknown service codes" not in output  # NEWC is in the release's code list

    # Renamed, moved suite and re-zipped facilities keep their ids and take the new data.
    ansonia = by_id(db, release_2022["Valley Recovery Center"])
    assert (ansonia.zip, ansonia.facility_id, ansonia.release) == ("06401", "CT1001", "2023-24")
    harbor = by_id(db, release_2022["Harbor Counseling"])
    assert (harbor.street2, harbor.status) == ("Suite 200", "active")
    riverside = by_id(db, release_2022["Riverside Behavioral Health"])
    assert riverside.name == "Riverside Behavioral Health Services"
    assert riverside.facility_id == "CT1003"

    closed = by_id(db, release_2022["Elm Street Clinic"])
    assert (closed.status, closed.release) == ("withdrawn", "2022")
    claimed = by_id(db, release_2022["Owned Recovery House"])
    assert claimed.status == "active"
    reviews = db.session.scalars(select(ListingReview).order_by(ListingReview.kind)).all()
    assert [(r.kind, r.status) for r in reviews] == [
        ("confirm_withdrawal", "open"), ("possible_duplicate", "open")]  # fmt: skip
    assert reviews[0].listing_id == claimed.id
    assert reviews[1].other_id == release_2022["Shoreline Addiction Services"]

    # About as many active listings as the newer file has facilities (+ the claimed one).
    assert count_listings(db, status="active") == len(NEWER) + 1
    assert count_listings(db) == 8  # nothing deleted: 6 from 2022, the new one, the rebrand

    release = db.session.scalars(select(Release).where(Release.name == "2023-24")).one()
    assert release.counts["withdrawn"] == 2 and release.counts["linked_by_similarity"] == 2
    assert release.codes == {"NEWC": "New community program"}
    assert release.scope == ["substance_use", "mental_health"]
    withdrawal = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "import_withdraw")
    ).all()
    assert {entry.listing_id for entry in withdrawal} >= {closed.id}


def test_withdrawn_listings_leave_search_but_their_page_and_json_say_why(
    runner, db, client, release_2022, newer_file, code_list
):
    import_newer(runner, newer_file, code_list)
    closed_id = release_2022["Elm Street Clinic"]
    search = client.get("/api/v1/match", query_string={"location": "Hartford, CT", "radius": 25})
    ids = {result["id"] for result in search.get_json()["results"]}
    assert closed_id not in ids
    assert release_2022["Riverside Behavioral Health"] in ids

    body = client.get(f"/api/v1/providers/{closed_id}").get_json()
    assert body["status"] == "withdrawn" and body["release"] == "2022"
    assert body["withdrawn"]["latest_release"] == "2023-24"

    page = client.get(f"/providers/{closed_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Not in SAMHSA&#39;s latest directory (2023–24)" in text
    assert "SAMHSA national directory, 2022" in text
    current = client.get(f"/providers/{release_2022['Riverside Behavioral Health']}")
    assert "SAMHSA national directory, 2023–24" in current.get_data(as_text=True)
    spanish = client.get(f"/providers/{closed_id}?lang=es").get_data(as_text=True)
    assert "directorio más reciente de SAMHSA (2023–24)" in spanish


def test_the_same_release_twice_changes_nothing(runner, db, release_2022, newer_file, code_list):
    import_newer(runner, newer_file, code_list)
    versions = {listing.id: listing.version for listing in db.session.scalars(select(Listing))}
    again = import_newer(runner, newer_file, code_list)
    assert again.exit_code == 0, again.output
    assert "created: 0, updated: 0, unchanged: 5" in again.output
    assert "linked by facility_id: 5" in again.output
    assert "Withdrawn (not in this release): 0" in again.output
    db.session.expire_all()
    assert {row.id: row.version for row in db.session.scalars(select(Listing))} == versions
    kinds = db.session.scalars(select(ListingReview.kind)).all()
    assert kinds == ["possible_duplicate"]  # queued once, not again


def test_a_later_release_that_has_the_facility_again_restores_it(
    runner, db, release_2022, newer_file, code_list, tmp_path
):
    import_newer(runner, newer_file, code_list)
    back = write_csv(
        tmp_path / "national_directory_2024-25.csv",
        [*NEWER, current_row("CT1005", "Substance Use", CLOSING)],
        header=CURRENT,
    )
    result = runner.invoke(args=["import-samhsa", str(back)])
    assert "restored: 1" in result.output, result.output
    listing = by_id(db, release_2022["Elm Street Clinic"])
    assert (listing.status, listing.release, listing.facility_id) == ("active", "2024-25", "CT1005")


def test_a_dry_run_prints_the_plan_and_changes_nothing(
    runner, db, release_2022, newer_file, code_list
):
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    result = import_newer(runner, newer_file, code_list, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Dry run, nothing was changed.")
    assert "would be created: 2, updated: 3" in result.output
    assert "Withdrawn (not in this release): 3" in result.output  # nobody claimed one here
    db.session.expire_all()
    assert count_listings(db, status="active") == 6
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert db.session.scalar(select(func.count()).select_from(ListingReview)) == 0
    assert db.session.scalars(select(Release.name)).all() == ["2022"]


def test_a_partial_release_withdraws_nothing(runner, db, release_2022, tmp_path):
    supplement = write_csv(tmp_path / "supplement.csv", [NEWER[-1]], header=CURRENT)
    result = runner.invoke(
        args=["import-samhsa", str(supplement), "--partial", "--release", "2023-24-s1"]
    )
    assert result.exit_code == 0, result.output
    assert "(partial; substance use and mental health)" in result.output
    assert "Withdrawn (not in this release): 0" in result.output
    assert count_listings(db, status="active") == 7


def test_one_directory_of_a_release_withdraws_only_within_that_directory(
    runner, db, release_2022, tmp_path
):
    mental = write_csv(tmp_path / "mental_health_facilities_2023.csv", [HARBOR])
    result = runner.invoke(args=["import-samhsa", str(mental)])
    assert "(full; mental health)" in result.output
    assert "Withdrawn (not in this release): 0" in result.output, result.output


def test_bad_release_names_and_code_lists_are_clear_errors(runner, db, newer_file, tmp_path):
    result = runner.invoke(args=["import-samhsa", str(newer_file), "--release", "2023/24; drop"])
    assert result.exit_code != 0 and "is not a release name" in result.output
    assert "Traceback" not in result.output
    bad = tmp_path / "codes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["import-samhsa", str(newer_file), "--codes", str(bad)])
    assert result.exit_code != 0 and "not a SAMHSA code list" in result.output
    assert count_listings(db) == 0


# --- the admin's queue ------------------------------------------------------------------------


def test_the_admin_merges_a_possible_duplicate_and_its_url_redirects(
    runner, db, admin_client, release_2022, newer_file, code_list
):
    import_newer(runner, newer_file, code_list)
    queue = admin_client.get("/admin/reviews")
    text = queue.get_data(as_text=True)
    assert "Possible duplicate" in text and "Harborview Wellness Group" in text
    review = db.session.scalars(select(ListingReview)).one()
    old_id, new_id = review.other_id, review.listing_id
    form = {"csrf_token": csrf_token(admin_client, "/admin/reviews"), "survivor": old_id}
    response = admin_client.post(f"/admin/reviews/{review.id}/merge", data=form)
    assert response.status_code == 302
    survivor, merged = by_id(db, old_id), by_id(db, new_id)
    assert (survivor.status, merged.status, merged.merged_into) == ("active", "merged", old_id)
    assert survivor.facility_id == "CT1004"
    assert admin_client.get(f"/providers/{new_id}").status_code == 301
    assert admin_client.get(f"/providers/{new_id}").location.endswith(f"/providers/{old_id}")
    assert admin_client.get(f"/api/v1/providers/{new_id}").status_code == 301
    # The next import of the same release updates the survivor and queues nothing again.
    again = import_newer(runner, newer_file, code_list)
    assert "possible duplicates queued: 0" in again.output
    assert count_listings(db, status="active") == len(NEWER)


def test_the_admin_confirms_or_refuses_a_withdrawal(
    runner, db, admin_client, release_2022, newer_file, code_list
):
    owner = make_account(db, email="owner@owned.example")
    make_owner(db, by_id(db, release_2022["Owned Recovery House"]), owner)
    db.session.commit()
    import_newer(runner, newer_file, code_list)
    review = db.session.scalars(
        select(ListingReview).where(ListingReview.kind == "confirm_withdrawal")
    ).one()
    text = admin_client.get("/admin/reviews").get_data(as_text=True)
    assert "Not in release 2023–24" in text and "Owned Recovery House" in text
    token = csrf_token(admin_client, "/admin/reviews")
    admin_client.post(f"/admin/reviews/{review.id}/withdraw", data={"csrf_token": token})
    assert by_id(db, review.listing_id).status == "withdrawn"
    twice = admin_client.post(f"/admin/reviews/{review.id}/keep", data={"csrf_token": token})
    assert "already decided" in admin_client.get(twice.location).get_data(as_text=True)
    assert admin_client.post(f"/admin/reviews/{review.id}/keep").status_code == 400  # no CSRF
