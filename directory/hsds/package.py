"""Write the directory as an HSDS 3.0 tabular data package: one CSV per HSDS table and the
``datapackage.json`` describing them, in a folder or a zip file.

``hsds-3.0-datapackage.json`` is Open Referral's own, unchanged; the package we write keeps its
resources and field order and fills in who published it. Listings are read in chunks and
written row by row, so memory stays flat however large the directory.
"""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from directory.hsds import catalog, mapping

OFFICIAL = Path(__file__).with_name("hsds-3.0-datapackage.json")


@cache
def official_package() -> dict:
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))


def _flat(row: dict, *nested: str) -> dict:
    return {name: value for name, value in row.items() if name not in nested}


def listing_tables(listing) -> dict[str, list[dict]]:
    """{HSDS table: rows} for one listing."""
    location = mapping.location_json(listing)
    service = mapping.service_brief(listing)
    accreditations = mapping.accreditations_text(listing)
    if accreditations:
        service["accreditations"] = accreditations
    eligibility = mapping.eligibility_text(listing)
    if eligibility:
        service["eligibility_description"] = eligibility
    return {
        "organization": [mapping.organization_list_item(listing)],
        "service": [service],
        "location": [_flat(location, "addresses", "schedules")],
        "schedule": location["schedules"],
        "address": location["addresses"],
        "phone": mapping.phones_json(listing, owner="service_id"),
        "service_at_location": [mapping.service_at_location_brief(listing)],
        "language": mapping.languages_json(listing),
        "attribute": mapping.attributes_json(listing, with_terms=False),
    }


def taxonomy_tables() -> dict[str, list[dict]]:
    return {
        "taxonomy": [mapping.taxonomy_json(f) for f in mapping.TAXONOMY_FAMILIES.values()],
        "taxonomy_term": [
            _flat(mapping.term_json(ref.family, ref.term), "taxonomy_detail")
            for ref in mapping.all_terms()
        ],
    }


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def write_package(
    session: Session,
    target: Path,
    publisher: str,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> dict[str, int]:
    """Write the package to ``target`` (a folder, or a file ending in .zip); rows per table."""
    if target.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory() as folder:
            counts = _write_folder(session, Path(folder), publisher, progress)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(Path(folder).iterdir()):
                    archive.write(path, path.name)
        return counts
    target.mkdir(parents=True, exist_ok=True)
    return _write_folder(session, target, publisher, progress)


def _write_folder(session, folder: Path, publisher: str, progress) -> dict[str, int]:
    package = official_package()
    resources = {resource["name"]: resource for resource in package["resources"]}
    files, writers, counts = {}, {}, dict.fromkeys(resources, 0)
    try:
        for name, resource in resources.items():
            files[name] = (folder / resource["path"]).open("w", newline="", encoding="utf-8")
            fields = [field["name"] for field in resource["schema"]["fields"]]
            writers[name] = csv.DictWriter(files[name], fields, extrasaction="ignore")
            writers[name].writeheader()
        listings = catalog.stream(session, catalog.ServiceFilter())
        for tables in (
            taxonomy_tables(),
            *(listing_tables(x) for x in _watched(listings, progress)),
        ):
            for name, rows in tables.items():
                writers[name].writerows({k: _cell(v) for k, v in row.items()} for row in rows)
                counts[name] += len(rows)
    finally:
        for file in files.values():
            file.close()
    described = {
        **package,
        "name": "treatment_directory",
        "title": f"{publisher}: addiction and mental-health treatment providers (HSDS 3.0)",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (folder / "datapackage.json").write_text(json.dumps(described, indent=2), encoding="utf-8")
    return counts


def _watched(listings, progress):
    return progress(listings) if progress else listings
