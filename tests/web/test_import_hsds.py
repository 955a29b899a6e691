"""``flask import-hsds``: another directory's HSDS 3.0 data package (or our own export) becomes
listings of ``hsds:<publisher>``, through the same identity, release and people-first rules as
SAMHSA imports; bad rows cost only themselves, bad files are clear errors."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from directory.hsds.mapping import hsds_id
from directory.models import Listing
from directory.models.release import Release
from directory.operations.moderation import admin_update_listing
from tests.web.provider_support import make_admin
from tests.web.test_hsds import SHARED, sample  # noqa: F401  (the fixture)

pytestmark = pytest.mark.postgres
EXAMPLES = SHARED / "standards" / "hsds-3.0" / "examples" / "csv"
# What people type, near the first rows of both real 2022 files (the sample: Alabama, Alaska).
QUERIES = [
    "location=Anniston, AL&radius=100",
    "location=35203&radius=150&payment=medicaid",
    "location=Montgomery, AL&radius=200&care_level=outpatient",
    "location=Mobile, AL&radius=300&medication=buprenorphine&telehealth=yes",
    "location=Anchorage, AK&radius=500&service_type=mental_health&co_occurring=yes",
]


def listings(db) -> list[Listing]:
    db.session.expire_all()
    return db.session.scalars(select(Listing).order_by(Listing.name, Listing.city)).all()


def import_hsds(runner, path, *options):
    return runner.invoke(args=["import-hsds", str(path), *options])


def seen_on_search(client, query: str) -> list[tuple]:
    """What a person sees of each result and alternative: everything but our internal id."""
    body = client.get(f"/api/v1/match?{query}&per_page=100").get_json()
    assert "results" in body, body

    def seen(result):
        program = result["program_name"] if result["program_name"] != result["name"] else ""
        criteria = tuple((c["criterion"], c["status"], c["reason"]) for c in result["criteria"])
        phones = tuple(p["display"] for p in result["phones"])
        return (result["name"], program, tuple(result["address"].values()), result["phone"],
                result["distance_miles"], result["score"], criteria, phones,
                tuple(result["restrictions"]))  # fmt: skip

    return [seen(r) for r in body["results"]] + [seen(r) for r in body["alternatives"]]


def empty_the_directory(app, db) -> None:
    """As a new, empty database would be (rows deleted, and this app's search index with
    them: a directory never deletes listings, so the index is not told)."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in ("alembic_version", "catalog_revision"):
            db.session.execute(delete(table))
    db.session.commit()
    app.extensions.pop("directory.catalog", None)


def test_our_export_imported_into_an_empty_directory_gives_the_same_search(
    app,
    runner,
    client,
    db,
    sample,  # noqa: F811  (real 2022 rows)
    tmp_path,
):
    before = {query: seen_on_search(client, query) for query in QUERIES}
    assert all(before.values()) and sum(len(v) for v in before.values()) > 40
    exported = runner.invoke(args=["export-hsds", str(tmp_path / "package.zip")])
    assert exported.exit_code == 0, exported.output
    originals = [x.id for x in listings(db)]
    empty_the_directory(app, db)
    assert listings(db) == []

    result = import_hsds(runner, tmp_path / "package.zip", "--publisher", "us")
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output and f"created: {len(originals)}" in result.output
    for query, seen in before.items():
        after = seen_on_search(client, query)
        # The same places, ranked the same (places tied on distance and score are ordered by
        # listing id, and the ids are new).
        assert sorted(after) == sorted(seen), query
        assert [x[4:6] for x in after] == [x[4:6] for x in seen], query
    imported = listings(db)
    assert {x.source for x in imported} == {"hsds:us"}
    # Each listing is known by its HSDS service-at-location id, the one the export published.
    assert sorted(x.facility_id for x in imported) == sorted(
        hsds_id("service_at_location", original) for original in originals
    )
    release = db.session.scalars(select(Release).where(Release.source == "hsds:us")).one()
    assert release.counts["created"] == len(originals)

    again = import_hsds(runner, tmp_path / "package.zip", "--publisher", "us")
    assert again.exit_code == 0, again.output
    assert f"unchanged: {len(originals)}" in again.output and "created: 0" in again.output


def test_the_official_hsds_examples_import_without_rejections(runner, db):
    result = import_hsds(runner, EXAMPLES)
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output and "created: 1" in result.output
    (listing,) = listings(db)
    assert (listing.name, listing.program_name) == ("Example Organization Inc.",
                                                    "Community Counselling")  # fmt: skip
    assert listing.source == "hsds:human_services"  # the package's name
    assert listing.facility_id == "e94c9f38-1e8f-4564-91d4-d53501ab1765"  # its service_at_location
    assert listing.phone == "+44 1234 234567 ext. 100"
    assert (listing.street, listing.city, listing.state) == ("1-30 Main Street", "MyCity", "")
    assert listing.lat is None  # its latitude is 100: not a point, so not located
    assert listing.website == "http://example.com/counselling"
    # Urdu is not in our vocabulary: kept with the listing, counted, never dropped.
    assert "language:ur" in listing.source_codes["hsds"]
    assert "Taxonomy terms with no mapping" in result.output
    assert "Schedules read but not kept" in result.output


def write_table(folder: Path, name: str, rows: list[dict]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, list(dict.fromkeys(k for row in rows for k in row)))
        writer.writeheader()
        writer.writerows(rows)


def small_package(folder: Path, services: list[dict], **tables) -> Path:
    """A package of the official example's shape: one organization, its location and its
    services, each at that location."""
    folder.mkdir()
    shutil.copy(EXAMPLES / "datapackage.json", folder / "datapackage.json")
    org, location = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    write_table(folder, "organizations.csv", [{"id": org, "name": "Harbor Recovery",
                                               "description": ""}])  # fmt: skip
    write_table(folder, "services.csv", [{"organization_id": org, "status": "active", **s}
                                         for s in services])  # fmt: skip
    write_table(folder, "locations.csv", [{"id": location, "location_type": "physical",
                                           "latitude": "", "longitude": ""}])  # fmt: skip
    write_table(folder, "addresses.csv", [{
        "id": "74706e55-df26-4b84-80fe-ecc30b5befb4", "location_id": location,
        "address_1": "1200 Harbor Blvd", "city": "Oxnard", "state_province": "California",
        "postal_code": "93035", "country": "US", "address_type": "physical"}])  # fmt: skip
    write_table(folder, "service_at_location.csv", [
        {"id": hsds_id("test_sal", s["id"]), "service_id": s["id"], "location_id": location}
        for s in services])  # fmt: skip
    write_table(folder, "phones.csv", [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
                                        "organization_id": org, "number": "805-555-0142",
                                        "type": "voice"}])  # fmt: skip
    for name, rows in tables.items():
        write_table(folder, name, rows)
    return folder


DETOX = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Detox Unit"}
OUTPATIENT = {"id": "6c9f3a1e-0b7d-4d51-9f6e-2a4c8e1b7d20", "name": "Outpatient Clinic"}


def test_a_bad_row_is_reported_with_its_file_line_and_id_and_the_good_rows_are_kept(
    runner, db, tmp_path
):
    bad = [
        {"id": "not-a-uuid", "name": "Broken One"},
        {"id": "5b2e8f0c-3d4a-4e6b-8c1d-9f0a2b3c4d5e", "name": ""},  # fine: name is present
        {"id": "7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d", "name": "Ages", "minimum_age": "twelve"},
    ]
    folder = small_package(tmp_path / "p", [DETOX, *bad, OUTPATIENT])
    result = import_hsds(runner, folder, "--publisher", "harbor")
    assert result.exit_code == 1  # a rejection is reported in the exit status
    assert "Rejected services.csv, line 3: service not-a-uuid: id: 'not-a-uuid' is not a 'uuid'" \
        in result.output  # fmt: skip
    assert "Rejected services.csv, line 5: service 7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d: " \
        "minimum_age: 'twelve' is not of type 'number'" in result.output  # fmt: skip
    assert "Traceback" not in result.output
    names = [x.program_name or x.name for x in listings(db)]
    assert names == ["Detox Unit", "Harbor Recovery", "Outpatient Clinic"]
    kept = next(x for x in listings(db) if x.program_name == "Detox Unit")
    assert (kept.city, kept.state, kept.zip, kept.phone) == ("Oxnard", "CA", "93035",
                                                            "805-555-0142")  # fmt: skip
    assert kept.location_precision == "zip" and kept.lat is not None


def test_terms_map_through_the_editable_table_and_unknown_ones_are_kept(runner, db, tmp_path):
    taxonomy = "07ff6aee-a219-438c-b694-d2fcb6c5373b"
    terms = [
        {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "code": "", "name": "Detox",
         "description": "", "taxonomy": "", "taxonomy_id": taxonomy},
        {"id": "4a8c256e-95b0-4f3e-8a1b-fbdb825c13c3", "code": "BD-1800.2000",
         "name": "Hot meals", "description": "", "taxonomy": "", "taxonomy_id": taxonomy},
    ]  # fmt: skip
    attributes = [
        {"id": hsds_id("a", str(n)), "link_id": DETOX["id"], "taxonomy_term_id": term["id"],
         "link_entity": "service"} for n, term in enumerate(terms)
    ]  # fmt: skip
    folder = small_package(
        tmp_path / "p", [DETOX],
        **{"taxonomies.csv": [{"id": taxonomy, "name": "Open Eligibility", "description": ""}],
           "taxonomy_terms.csv": terms, "attributes.csv": attributes},
    )  # fmt: skip
    result = import_hsds(runner, folder, "--publisher", "harbor")
    assert result.exit_code == 0, result.output
    (listing,) = listings(db)
    assert listing.care_levels == ["detox"]
    assert listing.payments is None  # not said: unknown, not "none"
    assert "Open Eligibility:BD-1800.2000" in listing.source_codes["hsds"]
    assert "Open Eligibility (1)" in result.output


def test_reimport_keeps_an_admins_change_and_withdraws_what_the_publisher_dropped(
    runner, db, tmp_path
):
    first = small_package(tmp_path / "first", [DETOX, OUTPATIENT])
    assert import_hsds(runner, first, "--publisher", "harbor", "--release", "1").exit_code == 0
    detox = next(x for x in listings(db) if x.program_name == "Detox Unit")
    admin = make_admin(db)
    admin_update_listing(db.session, detox, admin, {"phone": "805-555-0199"}, detox.version)
    db.session.commit()
    # The publisher's next release: a new main number, and no outpatient clinic any more.
    phone = {
        "id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
        "number": "805-555-0100",
        "organization_id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "type": "voice",
    }
    second = small_package(tmp_path / "second", [DETOX], **{"phones.csv": [phone]})
    result = import_hsds(runner, second, "--publisher", "harbor", "--release", "2")
    assert result.exit_code == 0, result.output
    by_name = {x.program_name: x for x in listings(db)}
    assert by_name["Detox Unit"].phone == "805-555-0199"  # the admin's number stays
    assert "kept phone = '805-555-0199'" in result.output
    assert by_name["Outpatient Clinic"].status == "withdrawn"
    assert by_name["Detox Unit"].id == detox.id and by_name["Detox Unit"].release == "2"
    assert "Withdrawn (not in this release): 1" in result.output


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p: p / "missing", "there is no"),
        (lambda p: _text(p / "notes.txt", "hello"), "not an HSDS data package"),
        (lambda p: _zip(p / "empty.zip", {"readme.txt": "x"}), "there is no services.csv"),
        (lambda p: _zip(p / "bad.zip", {"datapackage.json": "{oops", "services.csv": "id\n"}),
         "datapackage.json is not valid JSON"),
        (lambda p: _text(p / "datapackage.json", "[]"), "not a data package description"),
    ],
)  # fmt: skip
def test_a_bad_file_is_a_clear_error_not_a_traceback(runner, db, tmp_path, make, says):
    result = import_hsds(runner, make(tmp_path))
    assert result.exit_code != 0 and says in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert listings(db) == []


def test_a_publisher_that_cannot_name_a_source_is_refused(runner, db, tmp_path):
    folder = small_package(tmp_path / "p", [DETOX])
    result = import_hsds(runner, folder, "--publisher", "Los Angeles County 211")
    assert result.exit_code != 0 and "cannot name a source" in result.output
    assert listings(db) == []


def _text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path
