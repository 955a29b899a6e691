"""Write an import plan into the database: bulk inserts and updates in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from directory.importers.samhsa import (
    FacilityPlan,
    ImportFileError,
    ImportSummary,
    listing_values,
    plan_import,
    read_directory,
)
from directory.models import Listing
from directory.models.catalog import bump_revision
from directory.models.listing import utcnow

COMPARED = [
    "name",
    "program_name",
    "street",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake_phone",
    "source_codes",
    "lat",
    "lon",
    "location_precision",
    "service_types",
    "care_levels",
    "dual_diagnosis",
    "therapies",
    "medications",
    "payments",
    "age_groups",
    "genders",
    "populations",
    "languages",
    "accreditations",
    "telehealth",
]


def import_directories(
    session: Session, paths: Iterable[Path], progress: Callable | None = None
) -> ImportSummary:
    """Import SAMHSA directory files; the caller commits."""
    summary = ImportSummary()
    rows = []
    for path in paths:
        try:
            rows.extend((str(path), row) for row in read_directory(path, summary.warnings))
        except ImportFileError as error:
            summary.file_errors.append(f"{path}: {error}")
    plans = plan_import(progress(rows) if progress else rows, summary)
    apply_plan(session, plans, summary)
    return summary


def apply_plan(session: Session, plans: dict[str, FacilityPlan], summary: ImportSummary) -> None:
    existing = _existing_listings(session, list(plans))
    now = utcnow()
    inserts, updates = [], []
    for key, plan in plans.items():
        current = existing.get(key)
        if current is None:
            values = listing_values(plan, plan.source_codes)
            inserts.append(
                {**values, "id": key[:12], "version": 1, "created_at": now, "updated_at": now}
            )
        else:
            values = _updated_values(plan, current)
            if values is None:
                summary.unchanged += 1
                continue
            updates.append(
                {
                    **values,
                    "b_id": current["id"],
                    "version": current["version"] + 1,
                    "updated_at": now,
                }
            )
        if values["lat"] is None:
            summary.not_located.append(
                f"{values['name']}, {values['city']}, {values['state']} {values['zip']}"
            )
    _write(session, inserts, updates)
    summary.created, summary.updated = len(inserts), len(updates)


def _updated_values(plan: FacilityPlan, current: dict) -> dict | None:
    """The new values for an existing listing, or None when nothing changed."""
    source_codes = {**(current["source_codes"] or {}), **plan.source_codes}
    values = listing_values(plan, source_codes)
    if current["location_precision"] == "address":  # better coordinates are already known
        for name in ("lat", "lon", "location_precision"):
            values[name] = current[name]
    if all(values[name] == current[name] for name in COMPARED):
        return None
    return values


def _existing_listings(session: Session, keys: list[str]) -> dict[str, dict]:
    columns = [Listing.id, Listing.source_key, Listing.version] + [
        getattr(Listing, name) for name in COMPARED
    ]
    found = {}
    for chunk_start in range(0, len(keys), 2000):
        chunk = keys[chunk_start : chunk_start + 2000]
        for row in session.execute(select(*columns).where(Listing.source_key.in_(chunk))):
            found[row.source_key] = row._asdict()
    return found


def _write(session: Session, inserts: list[dict], updates: list[dict]) -> None:
    table = Listing.__table__
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        names = [name for name in updates[0] if name != "b_id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in names})
        )
        session.connection().execute(statement, updates)
    if inserts or updates:
        bump_revision(session)
