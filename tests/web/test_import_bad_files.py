"""Bad files lose nothing good: real SAMHSA rows with one line broken in the ways real files
break (a stray quote, a NUL byte, a huge field, an over-long street), and damaged xlsx."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import func, select

from directory.models import Listing
from tests.conftest import SAMHSA_DIR
from tests.web.test_import_samhsa import run_import

pytestmark = pytest.mark.postgres

REAL_CSV = SAMHSA_DIR / "substance_use_facilities_2022.csv"
ROWS = 40  # the header and 39 real facilities


def real_lines() -> list[str]:
    with open(REAL_CSV, encoding="utf-8", newline="") as handle:
        return [next(handle) for _ in range(ROWS)]


def write_lines(tmp_path, lines: list[str]):
    path = tmp_path / "substance_use_facilities.csv"
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return path


def broken(line: str, field: int, value: str) -> str:
    cells = line.rstrip("\r\n").split(",")
    cells[field] = value
    return ",".join(cells) + "\n"


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Listing))


def test_a_stray_quote_costs_its_own_line_and_names_the_lines_it_would_have_swallowed(
    runner, db, tmp_path
):
    lines = real_lines()
    lines[5] = broken(lines[5], 2, '"' + lines[5].split(",")[2])
    result = run_import(runner, write_lines(tmp_path, lines))
    assert result.exit_code == 1
    assert 'line 6: a quote (") opens a field that is never closed' in result.output
    assert "swallowed lines 7–40" in result.output
    assert "Rows read: 39; rejected: 1. Listings created: 38" in result.output
    assert count(db) == 38


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda line: broken(line, 1, "Program\x00Name"), "field 2 contains a NUL byte"),
        (lambda line: broken(line, 1, "x" * 140_000), "field 2 is 140,000 characters long"),
        (
            lambda line: broken(line, 2, "1 Long Rd." * 36),
            "street1 is 360 characters long; the directory keeps at most 300",
        ),
        (
            lambda line: broken(line, 4, "Springfield" * 12),
            "city is 132 characters long; the directory keeps at most 120",
        ),
    ],
)
def test_one_bad_field_rejects_that_row_alike_on_sqlite_and_postgresql(
    runner, db, tmp_path, damage, reason
):
    lines = real_lines()
    lines[9] = damage(lines[9])
    result = run_import(runner, write_lines(tmp_path, lines))
    assert result.exit_code == 1, result.output
    assert f"line 10: {reason}" in result.output
    assert "Traceback" not in result.output
    assert "Rows read: 39; rejected: 1. Listings created: 38" in result.output
    assert count(db) == 38


def test_a_damaged_xlsx_is_one_clear_file_error(runner, db, tmp_path):
    damaged = tmp_path / "substance_use_facilities.xlsx"
    with (
        zipfile.ZipFile(SAMHSA_DIR / "substance_use_facilities_2022.xlsx") as source,
        zipfile.ZipFile(damaged, "w") as copy,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut off mid-sheet, as an interrupted download
            copy.writestr(item, data)
    truncated = tmp_path / "mental_health_facilities.xlsx"
    truncated.write_bytes((SAMHSA_DIR / "mental_health_facilities_2022.xlsx").read_bytes()[:5000])
    result = run_import(runner, damaged, truncated)
    assert result.exit_code == 1
    assert "substance_use_facilities.xlsx: cannot read the spreadsheet: it is damaged" in (
        result.output
    )
    assert "mental_health_facilities.xlsx: cannot read the spreadsheet: it is not an xlsx" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert count(db) == 0
