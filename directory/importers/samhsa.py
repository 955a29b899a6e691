"""Import SAMHSA's national directories (CSV or the published xlsx) into listings.

Reading is separate from writing: ``read_directory`` turns a file into ``SourceRow``s or raises
``ImportFileError`` for a file that cannot be read at all; ``plan_import`` validates rows, maps
their codes and merges facilities listed in both directories; ``apply_plan`` writes the
changes in bulk. A bad row never stops the import and never costs a good row.
"""

from __future__ import annotations

import gzip
import hashlib
import lzma
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from directory.errors import DirectoryError
from directory.geo import gazetteer
from directory.geo.place import place_address
from directory.importers.csv_records import csv_records, field_problem
from directory.importers.samhsa_mapping import map_codes, parse_codes, unknown_codes
from directory.importers.zips import repair_zip
from directory.vocabulary import US_STATES

REQUIRED_COLUMNS = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake1",
    "service_code_info",
)
SOURCE = "samhsa"
_FOLD = re.compile(r"[^a-z0-9]+")


class ImportFileError(DirectoryError):
    """A whole file cannot be imported (unreadable, empty, missing columns)."""


@dataclass(frozen=True)
class SourceRow:
    """One facility row as read, with the line it started on."""

    line: int
    fields: dict[str, str]
    directory: str
    problem: str = ""


class Rejection(NamedTuple):
    """A row left out: its file, the line it started on, and why."""

    path: str
    line: int
    reason: str


@dataclass
class ImportSummary:
    """What an import did, for the operator."""

    source: str = SOURCE
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    merged: int = 0
    release: str = ""
    scope: list[str] = field(default_factory=list)
    full: bool = True
    dry_run: bool = False
    linked_by_id: int = 0
    linked_by_key: int = 0
    linked_by_similarity: list[str] = field(default_factory=list)
    restored: int = 0
    withdrawn: int = 0
    # Listings people claimed or changed that the release no longer has: kept, for an admin.
    to_confirm: list[str] = field(default_factory=list)
    possible_duplicates: list[str] = field(default_factory=list)
    zip_repaired: list[str] = field(default_factory=list)
    codes_added: int = 0
    not_located: list[str] = field(default_factory=list)
    # Numbers that cannot be dialled ("555-667-8999"): imported as text, listed for an operator.
    unusable_phones: list[str] = field(default_factory=list)
    unknown_codes: Counter = field(default_factory=Counter)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Fields kept as a person set them after the import's data (see importers.store).
    conflicts: list[str] = field(default_factory=list)
    # Listings someone changed while the import was planning: re-read and planned again.
    replanned: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.file_errors

    def counts(self) -> dict[str, int]:
        """The figures a release records."""
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "linked_by_id": self.linked_by_id,
            "linked_by_key": self.linked_by_key,
            "linked_by_similarity": len(self.linked_by_similarity),
            "restored": self.restored,
            "withdrawn": self.withdrawn,
            "kept_for_review": len(self.to_confirm),
            "possible_duplicates": len(self.possible_duplicates),
            "zip_repaired": len(self.zip_repaired),
            "not_located": len(self.not_located),
            "unknown_codes": sum(self.unknown_codes.values()),
        }


# --- reading files ----------------------------------------------------------------------


def read_directory(path: Path, warnings: list[str] | None = None) -> list[SourceRow]:
    """All rows of one directory file, CSV or xlsx (CSV may be compressed: .xz, .gz)."""
    if _inner_suffix(path) in (".xlsx", ".xlsm"):
        header, rows = _xlsx_rows(path)
    else:
        header, rows = _csv_rows(path, warnings if warnings is not None else [])
    columns = _check_header(header)
    directory = _directory_of(path)
    return [_source_row(line, cells, columns, directory, problem) for line, cells, problem in rows]


def _check_header(header: list[str] | None) -> list[str]:
    if not header or not any(header):
        raise ImportFileError("the file is empty: expected a header row and facility rows")
    columns = [(name or "").strip().lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            "missing required column(s): "
            + ", ".join(missing)
            + " (a SAMHSA directory file has: "
            + ", ".join(REQUIRED_COLUMNS)
            + ")"
        )
    return columns


def _source_row(
    line: int, values: list, columns: list[str], directory: str, problem: str = ""
) -> SourceRow:
    cells = ["" if value is None else str(value).strip() for value in values]
    while len(cells) > len(columns) and cells[-1] == "":
        cells.pop()  # trailing empty cells (spreadsheets pad rows)
    if not problem and len(cells) != len(columns):
        problem = f"row has {len(cells)} fields; the header has {len(columns)}"
    fields = dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=False))
    kind = fields.get("directory_type", "").strip().lower().replace(" ", "_")
    return SourceRow(line, fields, DIRECTORY_TYPES.get(kind, kind) or directory, problem)


# directory_type values in SAMHSA's current layout -> our directory names.
DIRECTORY_TYPES = {
    "substance_use": "substance_use",
    "substance_abuse": "substance_use",
    "sa": "substance_use",
    "su": "substance_use",
    "mental_health": "mental_health",
    "mh": "mental_health",
}
COMPRESSED = {".xz": lzma.decompress, ".gz": gzip.decompress}


def _inner_suffix(path: Path) -> str:
    """The file's own kind under a compression suffix: data.csv.xz -> .csv."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _directory_of(path: Path) -> str:
    name = path.name.lower()
    if "substance" in name:
        return "substance_use"
    if "mental" in name:
        return "mental_health"
    return path.stem.lower()


def _decode(data: bytes, warnings: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        warnings.append(
            f"the file is not valid UTF-8 (first bad byte on line {line}); "
            "it was read as Windows-1252"
        )
        return data.decode("cp1252", errors="replace")


def _csv_rows(path: Path, warnings: list[str]) -> tuple[list[str] | None, Iterator]:
    try:
        data = path.read_bytes()
        decompress = COMPRESSED.get(path.suffix.lower())
        data = decompress(data) if decompress else data
    except OSError as error:
        raise ImportFileError(f"cannot read the file: {error.strerror or error}") from error
    except (lzma.LZMAError, EOFError) as error:
        raise ImportFileError(f"cannot decompress the file: {error}") from error
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]:
        raise ImportFileError("the file is binary, not CSV text (is it an xlsx with another name?)")
    header, records = csv_records(_decode(data, warnings))
    return header, ((record.line, record.values, record.problem) for record in records)


def _xlsx_rows(path: Path) -> tuple[list[str] | None, Iterator]:
    """The header and rows of the sheet with a ``service_code_info`` column, read in full here
    so a damaged spreadsheet is one clear file error, whatever part of it is broken."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return _facility_sheet(workbook)
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except zipfile.BadZipFile:
        raise ImportFileError("cannot read the spreadsheet: it is not an xlsx file") from None
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(
            f"cannot read the spreadsheet: it is damaged ({type(error).__name__})"
        ) from None


def _facility_sheet(workbook) -> tuple[list[str] | None, Iterator]:
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header and "service_code_info" in [str(c or "").strip().lower() for c in header]:
            return [str(c or "") for c in header], iter(list(_numbered_sheet(rows)))
    first = workbook.worksheets[0].iter_rows(values_only=True) if workbook.worksheets else iter(())
    header = next(first, None)
    return ([str(c or "") for c in header] if header else None), iter(())


def _numbered_sheet(rows) -> Iterator[tuple[int, list, str]]:
    for line, values in enumerate(rows, start=2):
        if any(value not in (None, "") for value in values):
            cells = ["" if value is None else str(value) for value in values]
            yield line, list(values), field_problem(cells)


# --- planning ---------------------------------------------------------------------------


def facility_key(fields: dict[str, str]) -> str:
    """The normalized identity of a facility: name, site, street and ZIP, folded."""
    parts = [fields.get(name, "") for name in ("name1", "name2", "street1", "street2")]
    parts.append((fields.get("zip") or "")[:5])
    folded = "|".join(" ".join(_FOLD.sub(" ", part.lower()).split()) for part in parts)
    return hashlib.sha1(folded.encode(), usedforsecurity=False).hexdigest()


def row_problem(row: SourceRow, known: frozenset[str] = frozenset()) -> str:
    """Why a row cannot become a listing, or ``""`` (``known``: codes a release's list adds)."""
    fields = row.fields
    if row.problem:
        return row.problem
    if not fields["name1"]:
        return "name1 is empty: every facility needs a name"
    too_long = _too_long(fields)
    if too_long:
        return too_long
    state = fields["state"].upper()
    if state and state not in US_STATES:
        return f"state {fields['state']!r} is not a US state or territory code"
    codes = parse_codes(fields["service_code_info"])
    if not codes or not codes - unknown_codes(codes) - known:
        return "service_code_info has no known SAMHSA service code"
    return ""


# Each column a listing keeps from a row, so every row is checked against the schema before
# writing and SQLite (which would store anything) rejects exactly what PostgreSQL would.
STORED_AS = {
    "name1": "name",
    "name2": "program_name",
    "street1": "street",
    "street2": "street2",
    "city": "city",
    "zip": "zip",
    "phone": "phone",
    "intake1": "intake_phone",
    "intake1a": "intake_phone",
}


def _too_long(fields: dict[str, str]) -> str:
    from directory.models import Listing

    columns = Listing.__table__.columns
    for name, column in STORED_AS.items():
        limit = columns[column].type.length
        value = fields.get(name, "")
        if limit and len(value) > limit:
            return f"{name} is {len(value):,} characters long; the directory keeps at most {limit}"
    return ""


@dataclass
class FacilityPlan:
    """One facility as the import will write it."""

    key: str
    fields: dict[str, str]
    source_codes: dict[str, list[str]]
    directories: set[str] = field(default_factory=set)
    facility_id: str | None = None
    # The listing's values when another importer (importers.hsds) decided them itself.
    values: dict | None = None


def plan_import(
    rows: Iterable[tuple[str, SourceRow]],
    summary: ImportSummary,
    known_codes: frozenset[str] = frozenset(),
) -> dict:
    """Validate rows and merge them per facility (its ``facility_id``, else its key)."""
    plans: dict[str, FacilityPlan] = {}
    by_key: dict[str, FacilityPlan] = {}  # one listing per key, whatever ids the rows carry
    for path, row in rows:
        summary.read += 1
        problem = row_problem(row, known_codes)
        if problem:
            summary.rejected.append(Rejection(path, row.line, problem))
            continue
        fields = _with_repaired_zip(row, path, summary)
        codes = parse_codes(fields["service_code_info"])
        summary.unknown_codes.update(unknown_codes(codes) - known_codes)
        key = facility_key(fields)
        facility_id = fields.get("facility_id", "").strip()[:40] or None
        plan = plans.get(f"id:{facility_id}") or by_key.get(key)
        if plan is None:
            plan = FacilityPlan(key, fields, {}, facility_id=facility_id)
            plans[f"id:{facility_id}" if facility_id else key] = by_key[key] = plan
        previous = set(plan.source_codes.get(row.directory, ()))
        plan.source_codes[row.directory] = sorted(previous | codes)
        plan.directories.add(row.directory)
        _fill_blanks(plan.fields, fields)
    summary.merged = sum(1 for plan in plans.values() if len(plan.directories) > 1)
    return plans


def _with_repaired_zip(row: SourceRow, path: str, summary: ImportSummary) -> dict[str, str]:
    fields = row.fields
    zip_code, repaired = repair_zip(fields["zip"], fields["state"])
    if repaired:
        summary.zip_repaired.append(
            f"{Path(path).name}, line {row.line}: {fields['zip']} -> {zip_code} "
            f"({fields['city']}, {fields['state'].upper()})"
        )
    return {**fields, "zip": zip_code} if zip_code != fields["zip"] else fields


def _fill_blanks(kept: dict[str, str], other: dict[str, str]) -> None:
    """A facility in both directories keeps the first row's values and fills its blanks."""
    for name, value in other.items():
        if value and not kept.get(name):
            kept[name] = value


# Words a name does not end on: "Catholic Community Services of" + "Southern Arizona Inc" is one
# name that SAMHSA's 38-character name1 column split, not a facility and its program.
_CONTINUED = frozenset({"and", "of", "for", "&", "the", "in", "at", "on", "to", "with"})
MAX_WHOLE_NAME = 300


def whole_name(name1: str, name2: str) -> tuple[str, str]:
    """(name, program name): the two joined when SAMHSA split one name mid-phrase."""
    last = name1.split()[-1].lower() if name1.split() else ""
    first = name2.split()[0] if name2.split() else ""
    split = last in _CONTINUED or name1.endswith(("-", "/")) or first in _CONTINUED
    joined = f"{name1} {name2}".replace("- ", "-").replace("/ ", "/")
    if split and first and len(joined) <= MAX_WHOLE_NAME:
        return joined, ""
    return name1, name2


def listing_values(plan: FacilityPlan, source_codes: dict[str, list[str]]) -> dict:
    """The listing's column values for a facility with these codes per directory."""
    fields = plan.fields
    codes = set().union(*source_codes.values())
    values = {
        "source": SOURCE,
        "source_key": plan.key,
        "facility_id": plan.facility_id,
        "street": fields["street1"],
        "street2": fields["street2"],
        "city": fields["city"],
        "state": fields["state"].upper(),
        "zip": fields["zip"][:10],
        "phone": fields["phone"][:40],
        "intake_phone": (fields["intake1"] or fields.get("intake1a", ""))[:40],
        "source_codes": {kind: source_codes[kind] for kind in sorted(source_codes)},
        **map_codes(codes),
    }
    values["name"], values["program_name"] = whole_name(fields["name1"], fields["name2"])
    values.update(place_address(fields["zip"], fields["city"], fields["state"]))
    if not values["state"]:
        values["state"] = gazetteer().zip_state(fields["zip"]) or ""
    return values
