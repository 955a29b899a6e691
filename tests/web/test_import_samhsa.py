"""``flask import-samhsa``: mapping, merging, idempotence and every kind of bad input."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from directory.models import Listing

pytestmark = pytest.mark.postgres

HEADER = ["name1", "name2", "street1", "street2", "city", "state", "zip", "phone",
          "intake1", "intake2", "intake1a", "intake2a", "service_code_info"]  # fmt: skip
DENVER_CLINIC = ["Mile High Recovery", "Outpatient Program", "100 Main St", "", "Denver", "CO",
                 "80202", "303-555-0100", "", "", "", "",
                 "SA * OP ORT * MD SF * CBT MOTI * ADLT"]  # fmt: skip
BOULDER_DETOX = ["Flatirons Detox", "", "5 Pearl St", "", "Boulder", "CO", "80302",
                 "303-555-0101", "", "", "", "", "SA DT * RD * BU * PI"]  # fmt: skip


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(runner, *paths):
    return runner.invoke(args=["import-samhsa", *map(str, paths)])


def listings(db):
    return db.session.scalars(select(Listing).order_by(Listing.name)).all()


def test_import_creates_listings_with_mapped_services_and_zip_coordinates(runner, db, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC]))
    assert result.exit_code == 0, result.output
    (listing,) = listings(db)
    assert (listing.name, listing.program_name, listing.city) == (
        "Mile High Recovery", "Outpatient Program", "Denver")  # fmt: skip
    assert listing.care_levels == ["outpatient"]
    assert listing.payments == ["self_pay", "medicaid"]
    assert listing.therapies == ["cbt", "mi"]
    assert listing.medications is None  # not reported: unknown, not "none"
    assert (listing.source, listing.status) == ("samhsa", "active")
    assert listing.location_precision == "zip"
    assert listing.lat == pytest.approx(39.749, abs=0.01)
    assert listing.lon == pytest.approx(-104.995, abs=0.01)
    assert "Rows read: 1; rejected: 0. Listings created: 1" in result.output


def test_the_same_facility_in_both_directories_becomes_one_listing(runner, db, tmp_path):
    mental = ["MILE HIGH RECOVERY", "Outpatient Program.", "100  Main St", "", "Denver", "CO",
              "80202-1111", "", "", "", "", "", "MH * OP * DBT"]  # fmt: skip
    result = run_import(
        runner,
        write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC]),
        write_csv(tmp_path / "mental_health.csv", [mental]),
    )
    assert result.exit_code == 0, result.output
    (listing,) = listings(db)
    assert listing.service_types == ["substance_use", "mental_health"]
    assert listing.therapies == ["cbt", "dbt", "mi"]
    assert "facilities in both directories: 1" in result.output


def test_reimporting_is_idempotent(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC, BOULDER_DETOX])
    run_import(runner, path)
    versions = [listing.version for listing in listings(db)]
    result = run_import(runner, path)
    assert "Listings created: 0, updated: 0, unchanged: 2" in result.output
    db.session.expire_all()
    assert [listing.version for listing in listings(db)] == versions


def test_reimporting_one_directory_keeps_what_the_other_contributed(runner, db, tmp_path):
    mental = [*DENVER_CLINIC[:12], "MH * DBT"]
    substance = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, substance, write_csv(tmp_path / "mental_health.csv", [mental]))
    result = run_import(runner, substance)
    assert "unchanged: 1" in result.output
    (listing,) = listings(db)
    assert "dbt" in listing.therapies and "mental_health" in listing.service_types


def test_a_changed_row_updates_its_listing_and_its_version(runner, db, tmp_path):
    run_import(runner, write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC]))
    changed = [*DENVER_CLINIC[:12], "SA * OP ORT * MD * CBT * ADLT"]
    result = run_import(runner, write_csv(tmp_path / "substance_use.csv", [changed]))
    assert "updated: 1" in result.output
    db.session.expire_all()
    (listing,) = listings(db)
    assert listing.payments == ["medicaid"]
    assert listing.version == 2


def test_bad_rows_are_reported_by_line_and_every_good_row_is_imported(runner, db, tmp_path):
    no_name = ["", "", "1 Elm St", "", "Denver", "CO", "80202", "", "", "", "", "", "SA * OP"]
    garbage = ["@@@", "%%%"]
    bad_zip = ["Zipless Clinic", "", "2 Elm St", "", "Boulder", "CO", "8030X", "", "", "", "", "",
               "SA * OP"]  # fmt: skip
    nowhere = ["Nowhere Clinic", "", "3 Elm St", "", "Atlantis", "", "", "", "", "", "", "",
               "SA * OP"]  # fmt: skip
    no_codes = ["Codeless Clinic", "", "4 Elm St", "", "Denver", "CO", "80202", "", "", "", "", "",
                ""]  # fmt: skip
    bad_state = [*DENVER_CLINIC[:5], "ZZ", *DENVER_CLINIC[6:]]
    path = write_csv(
        tmp_path / "substance_use.csv",
        [DENVER_CLINIC, no_name, garbage, bad_zip, nowhere, no_codes, bad_state, BOULDER_DETOX],
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 3: name1 is empty" in result.output
    assert "line 4: row has 2 fields; the header has 13" in result.output
    assert "line 7: service_code_info has no known SAMHSA service code" in result.output
    assert "line 8: state 'ZZ' is not a US state" in result.output
    assert "Rows read: 8; rejected: 4. Listings created: 4" in result.output
    by_name = {listing.name: listing for listing in listings(db)}
    assert set(by_name) == {"Mile High Recovery", "Zipless Clinic", "Nowhere Clinic",
                            "Flatirons Detox"}  # fmt: skip
    assert by_name["Zipless Clinic"].location_precision == "city"  # placed by city instead
    assert by_name["Nowhere Clinic"].lat is None
    assert "Not located" in result.output and "Nowhere Clinic" in result.output


def test_a_file_missing_columns_is_refused_whole_with_the_missing_names(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC[:12]], header=HEADER[:12])
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "missing required column(s): service_code_info" in result.output
    assert "Traceback" not in result.output
    assert listings(db) == []


def test_extra_columns_are_ignored(runner, db, tmp_path):
    path = write_csv(
        tmp_path / "su.csv", [["77", *DENVER_CLINIC, "SA"]], header=["facility_id", *HEADER, "x"]
    )
    assert run_import(runner, path).exit_code == 0
    assert [listing.name for listing in listings(db)] == ["Mile High Recovery"]


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_without_losing_rows(runner, db, tmp_path):
    path = tmp_path / "substance_use.csv"
    text = ",".join(HEADER) + "\n" + ",".join([*DENVER_CLINIC[:12], DENVER_CLINIC[12]])
    path.write_bytes(text.replace("Mile High", "Caf\xe9 High").encode("cp1252"))
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "not valid UTF-8" in result.output
    assert [listing.name for listing in listings(db)] == ["Café High Recovery"]


def test_an_empty_file_is_a_clear_error(runner, db, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "the file is empty" in result.output


def test_a_missing_file_is_a_clear_error_not_a_traceback(runner, tmp_path):
    result = run_import(runner, tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_one_bad_file_does_not_stop_the_good_ones(runner, db, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    good = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    result = run_import(runner, empty, good)
    assert result.exit_code == 1
    assert len(listings(db)) == 1


def test_unknown_codes_are_counted_and_reported(runner, db, tmp_path):
    row = [*DENVER_CLINIC[:12], "SA * OP * XYZ1 XYZ1B * MD"]
    other = [*BOULDER_DETOX[:12], "SA * RD * XYZ1"]
    result = run_import(runner, write_csv(tmp_path / "su.csv", [row, other]))
    assert result.exit_code == 0
    assert "Unknown service codes (ignored): XYZ1 (2), XYZ1B (1)" in result.output


def test_an_xlsx_directory_imports_like_its_csv(runner, db, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Facilities"
    sheet.append(HEADER)
    sheet.append(DENVER_CLINIC)
    sheet.append(BOULDER_DETOX)
    reference = workbook.create_sheet("Service Code Reference")
    reference.append(["category_code", "service_code"])
    workbook.save(tmp_path / "substance_use.xlsx")
    result = run_import(runner, tmp_path / "substance_use.xlsx")
    assert result.exit_code == 0, result.output
    assert [listing.name for listing in listings(db)] == ["Flatirons Detox", "Mile High Recovery"]


def test_a_corrupt_xlsx_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "cannot read the spreadsheet" in result.output
