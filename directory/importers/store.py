"""Write an import plan into the database: bulk inserts and updates in one transaction.

Re-importing respects people: a field that an approved provider edit or an admin changed
after the import's data (by default the newest file's modification time) keeps their value,
and the summary lists each such conflict. Every created or updated listing gets an audit
entry, written in bulk like the listings themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
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
from directory.models import AuditEntry, Listing
from directory.models.audit import HUMAN_ACTIONS, IMPORT_CREATE, IMPORT_UPDATE
from directory.models.catalog import bump_revision
from directory.models.listing import utcnow
from directory.phones import is_unusable

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
    session: Session,
    paths: Iterable[Path],
    progress: Callable | None = None,
    data_as_of: datetime | None = None,
) -> ImportSummary:
    """Import SAMHSA directory files; the caller commits.

    ``data_as_of`` is when the files' data was current (default: the newest file's
    modification time); people's changes after it are not overwritten.
    """
    summary = ImportSummary()
    paths = list(paths)
    rows = []
    for path in paths:
        try:
            rows.extend((str(path), row) for row in read_directory(path, summary.warnings))
        except ImportFileError as error:
            summary.file_errors.append(f"{path}: {error}")
    plans = plan_import(progress(rows) if progress else rows, summary)
    actor = "import of " + ", ".join(path.name for path in paths)
    since = data_as_of or _newest_modification(paths)
    apply_plan(session, plans, summary, actor=actor[:300], data_as_of=since)
    return summary


def _newest_modification(paths: list[Path]) -> datetime:
    times = [path.stat().st_mtime for path in paths if path.exists()]
    moment = datetime.fromtimestamp(max(times), UTC) if times else datetime.now(UTC)
    return moment.replace(tzinfo=None)


def apply_plan(
    session: Session,
    plans: dict[str, FacilityPlan],
    summary: ImportSummary,
    actor: str = "import",
    data_as_of: datetime | None = None,
) -> None:
    existing = _existing_listings(session, list(plans))
    kept_by_people = _changed_by_people(session, data_as_of or utcnow())
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
            kept = kept_by_people.get(current["id"], {})
            values = _updated_values(plan, current, kept, summary.conflicts)
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
        summary.unusable_phones.extend(unusable_phones(plan.fields))
        if values["lat"] is None:
            summary.not_located.append(
                f"{values['name']}, {values['city']}, {values['state']} {values['zip']}"
            )
    _write(session, inserts, updates)
    _write_audit(session, inserts, updates, existing, actor, now)
    summary.created, summary.updated = len(inserts), len(updates)


def unusable_phones(fields: dict[str, str]) -> list[str]:
    """The row's numbers that cannot be dialled, as the import summary lists them."""
    numbers = (fields.get("phone", ""), fields.get("intake1") or fields.get("intake1a", ""))
    return [
        f"{fields.get('name1', '')}, {fields.get('city', '')}, {fields.get('state', '')}: {raw}"
        for raw in numbers
        if is_unusable(raw, fields.get("state", ""))
    ]


def _updated_values(
    plan: FacilityPlan, current: dict, kept: dict[str, tuple], conflicts: list[str]
) -> dict | None:
    """The new values for an existing listing, or None when nothing changed.

    ``kept`` maps the fields people changed after the import's data to (when, who); those
    keep their current value, and a differing imported value is reported in ``conflicts``.
    """
    source_codes = {**(current["source_codes"] or {}), **plan.source_codes}
    values = listing_values(plan, source_codes)
    if current["location_precision"] == "address":  # better coordinates are already known
        for name in ("lat", "lon", "location_precision"):
            values[name] = current[name]
    for name in COMPARED:
        if name in kept and values[name] != current[name]:
            when, who = kept[name]
            conflicts.append(
                f"{current['name']} ({current['id']}): kept {name} = {current[name]!r} as "
                f"{who} set it on {when:%Y-%m-%d}; the import has {values[name]!r}"
            )
            values[name] = current[name]
    if all(values[name] == current[name] for name in COMPARED):
        return None
    return values


def _changed_by_people(session: Session, since: datetime) -> dict[str, dict[str, tuple]]:
    """{listing id: {field: (when, who)}} for approved edits and admin changes after ``since``."""
    statement = (
        select(AuditEntry.listing_id, AuditEntry.changes, AuditEntry.created_at, AuditEntry.actor)
        .where(AuditEntry.action.in_(HUMAN_ACTIONS), AuditEntry.created_at > since)
        .order_by(AuditEntry.id)
    )
    changed: dict[str, dict[str, tuple]] = {}
    for listing_id, changes, created_at, actor in session.execute(statement):
        for name in changes:
            changed.setdefault(listing_id, {})[name] = (created_at, actor)
    return changed


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
        bump_revision(session, [row["id"] for row in inserts] + [row["b_id"] for row in updates])


def _write_audit(
    session: Session,
    inserts: list[dict],
    updates: list[dict],
    existing: dict[str, dict],
    actor: str,
    now: datetime,
) -> None:
    """One audit entry per created or updated listing, inserted in bulk."""
    before_by_id = {row["id"]: row for row in existing.values()}
    entries = [
        _audit_row(
            values["id"],
            1,
            {
                name: [None, values[name]]
                for name in AUDITED_ON_CREATE
                if values[name] not in (None, "", [])
            },
            IMPORT_CREATE,
            actor,
            now,
        )
        for values in inserts
    ]
    for values in updates:
        before = before_by_id[values["b_id"]]
        changes = {
            name: [before[name], values[name]] for name in COMPARED if before[name] != values[name]
        }
        entries.append(
            _audit_row(values["b_id"], values["version"], changes, IMPORT_UPDATE, actor, now)
        )
    if entries:
        session.execute(insert(AuditEntry.__table__), entries)


def _audit_row(listing_id, version, changes, action, actor, now) -> dict:
    return {
        "listing_id": listing_id,
        "account_id": None,
        "actor": actor,
        "action": action,
        "version": version,
        "changes": changes,
        "created_at": now,
    }


# The raw SAMHSA codes are left out of a creation's entry: the mapped fields say it all.
AUDITED_ON_CREATE = [name for name in COMPARED if name != "source_codes"]
