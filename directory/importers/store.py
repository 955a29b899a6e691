"""Write a release into the database: identity, bulk inserts and updates, withdrawals.

Each planned facility is matched to a listing of the source by, in order, its
``facility_id``, its normalized key, and record linkage (``importers.linkage``); a match
keeps the listing's id, claim, edits and audit trail. Re-importing respects people: a field
that an approved provider edit or an admin changed after the import's data (by default the
newest file's modification time) keeps their value, and the summary lists each such
conflict. A full release withdraws the source's listings in its scope that it no longer
contains (``importers.releases``). Every created, updated or withdrawn listing gets an audit
entry, written in bulk like the listings themselves; the caller commits (or, for a dry run,
rolls back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from directory.importers import linkage
from directory.importers.releases import DIRECTORIES, SAMHSA, release_name, withdrawable
from directory.importers.samhsa import (
    FacilityPlan,
    ImportFileError,
    ImportSummary,
    listing_values,
    plan_import,
    read_directory,
)
from directory.listings.phones import is_unusable
from directory.models import AuditEntry, Claim, Listing
from directory.models.audit import HUMAN_ACTIONS, IMPORT_CREATE, IMPORT_UPDATE, IMPORT_WITHDRAW
from directory.models.catalog import CatalogRevision, bump_revision
from directory.models.claim import APPROVED
from directory.models.listing import (
    ACTIVE,
    ADDRESS_AND_PHONES,
    MERGED,
    SERVICE_COLUMNS,
    WITHDRAWN,
    new_listing_id,
    utcnow,
)
from directory.models.release import (
    CONFIRM_WITHDRAWAL,
    POSSIBLE_DUPLICATE,
    ListingReview,
    Release,
)

COMPARED = [
    *ADDRESS_AND_PHONES,
    *("source_codes", "lat", "lon", "location_precision"),
    *SERVICE_COLUMNS,
    # Published by HSDS, not by SAMHSA: a source that does not carry a field leaves it alone.
    "website",
    "description",
    # Private: where an unclaimed listing is asked to confirm itself (never published).
    "intake_email",
]
# Identity and lifecycle: compared too, but not a change of the facility's data.
IDENTITY = ["source", "source_key", "facility_id", "status"]
# What record linkage reads of a listing (``_listing_facility``), and what the queue shows.
LINKAGE_COLUMNS = (
    *("id", "source", "name", "program_name", "street", "street2", "city", "state", "zip"),
    *("phone", "intake_phone", "facility_id", "status"),
)
# How a plan is matched to a listing an admin merged into another source's: left as it is.
MERGED_AWAY = "merged_away"


@dataclass
class ReleaseImport:
    """Which release an import is, and what it may do."""

    name: str
    scope: list[str]
    full: bool = True
    codes: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    source: str = SAMHSA  # or hsds:<publisher> (importers.hsds)


def import_directories(
    session: Session,
    paths: Iterable[Path],
    progress: Callable | None = None,
    data_as_of: datetime | None = None,
    release: str | None = None,
    partial: bool = False,
    codes: dict[str, str] | None = None,
) -> ImportSummary:
    """Import SAMHSA directory files as one release; the caller commits.

    ``data_as_of`` is when the files' data was current (default: the newest file's
    modification time); people's changes after it are not overwritten. ``release`` names
    the release (default: the year in the file names, else the data's date).
    """
    paths = list(paths)
    since = data_as_of or _newest_modification(paths)
    name = release_name(release, [path.name for path in paths], since.date())
    summary = ImportSummary(release=name, full=not partial, codes_added=len(codes or {}))
    rows, scope = [], set()
    for path in paths:
        try:
            read = read_directory(path, summary.warnings)
        except ImportFileError as error:
            summary.file_errors.append(f"{path}: {error}")
            continue
        rows.extend((str(path), row) for row in read)
        scope |= _scope(read)
    known = frozenset(codes or ())
    plans = plan_import(progress(rows) if progress else rows, summary, known)
    summary.scope = sorted(scope, key=_directory_order)
    actor = "import of " + ", ".join(path.name for path in paths)
    this = ReleaseImport(
        name, summary.scope, not partial, dict(codes or {}), [p.name for p in paths]
    )
    apply_plan(session, plans, summary, actor=actor[:300], data_as_of=since, release=this)
    return summary


def _scope(rows) -> set[str]:
    """The directories a file speaks for: its own, or every one in the current layout."""
    if any("directory_type" in row.fields for row in rows[:1]):
        return set(DIRECTORIES)
    return {row.directory for row in rows[:1]}


def _directory_order(name: str) -> tuple[int, str]:
    return (DIRECTORIES.index(name) if name in DIRECTORIES else len(DIRECTORIES), name)


def _newest_modification(paths: list[Path]) -> datetime:
    times = [path.stat().st_mtime for path in paths if path.exists()]
    moment = datetime.fromtimestamp(max(times), UTC) if times else datetime.now(UTC)
    return moment.replace(tzinfo=None)


@dataclass
class _Match:
    plan: FacilityPlan
    current: dict | None  # the listing's stored values, or None for a new listing
    how: str = ""  # "id", "key", "similarity"


def apply_plan(
    session: Session,
    plans: dict[str, FacilityPlan],
    summary: ImportSummary,
    actor: str = "import",
    data_as_of: datetime | None = None,
    release: ReleaseImport | None = None,
) -> None:
    """Write the plan with the forms' optimistic check: once the source's listings are locked,
    a listing someone changed while the import was planning is re-read and planned again (by
    the data-date rule), so the import never writes over a change it has not seen."""
    release = release or ReleaseImport(summary.release or "unnamed", summary.scope)
    previous = _previous_release(session, release)
    since = data_as_of or utcnow()
    existing = _source_listings(session, release.source)
    matches, possible, elsewhere = _identify(session, plans, existing, summary, release.source)
    taken_ids = {match.current["id"] for match in matches if match.current}
    new_ids = _free_ids(session, [m.plan.key for m in matches if m.current is None], taken_ids)
    key_owner = {row["source_key"]: row["id"] for row in existing.values() if row["source_key"]}
    target = _Target(release, new_ids, key_owner, utcnow())
    changes = _planned_changes(matches, _changed_by_people(session, since), target)
    moved = _lock_and_find_moved(session, existing, release.source)
    if moved:
        existing.update(_source_listings(session, release.source, moved))
        again = [match for match in matches if match.current and match.current["id"] in moved]
        for match in again:
            match.current = existing[match.current["id"]]
        changes.update(_planned_changes(again, _changed_by_people(session, since), target))
        summary.replanned = len(again)
    inserts, updates, confirmed = _sorted_changes(changes, summary)
    withdrawals, to_confirm = _withdrawals(session, existing, taken_ids, release, previous)
    _write(session, inserts, updates, withdrawals, target.now)
    _confirm(session, confirmed, release.name)
    _write_audit(session, inserts, updates, withdrawals, existing, actor, target.now)
    known = {**elsewhere, **existing}
    _queue(session, possible, to_confirm, new_ids, known, release, summary, target.now)
    summary.created, summary.updated = len(inserts), len(updates)
    summary.withdrawn = len(withdrawals)
    _record_release(session, release, summary, target.now)


@dataclass
class _Target:
    """What every planned change of one import shares."""

    release: ReleaseImport
    new_ids: dict[str, str]
    key_owner: dict[str, str]
    now: datetime


@dataclass
class _Change:
    kind: str  # "create", "update", "confirm" (unchanged, now in this release) or "unchanged"
    plan: FacilityPlan
    row: dict
    conflicts: list[str]
    restored: bool = False


def _planned_changes(matches: list[_Match], kept_by_people, target: _Target) -> dict:
    """{plan key: _Change} for each match, without writing anything."""
    return {match.plan.key: _planned_change(match, kept_by_people, target) for match in matches}


def _planned_change(match: _Match, kept_by_people, target: _Target) -> _Change:
    plan, current, release = match.plan, match.current, target.release
    if match.how == MERGED_AWAY:  # an admin merged it into another source's listing
        return _Change("unchanged", plan, {"id": current["id"]}, [])
    if current is None:
        values = _listing_values(plan, plan.source_codes)
        values.update(id=target.new_ids[plan.key], status=ACTIVE, release=release.name)
        if plan.key in target.key_owner:  # another facility (another facility_id) had this key
            values["source_key"] = None
        row = {**values, "version": 1, "created_at": target.now, "updated_at": target.now}
        return _Change("create", plan, row, [])
    conflicts: list[str] = []
    kept = kept_by_people.get(current["id"], {})
    values = _updated_values(plan, current, kept, conflicts, release, target.key_owner)
    if values is None:
        kind = "confirm" if current["release"] != release.name else "unchanged"
        return _Change(kind, plan, {"id": current["id"]}, conflicts)
    row = {
        **values,
        "release": release.name,
        "b_id": current["id"],
        "b_version": current["version"],
        "version": current["version"] + 1,
        "updated_at": target.now,
    }
    return _Change("update", plan, row, conflicts, restored=current["status"] == WITHDRAWN)


def _sorted_changes(changes: dict, summary: ImportSummary) -> tuple[list, list, list]:
    """(inserts, updates, ids confirmed) from the planned changes, counted in the summary."""
    inserts, updates, confirmed = [], [], []
    for change in changes.values():
        summary.conflicts.extend(change.conflicts)
        if change.kind in ("unchanged", "confirm"):
            summary.unchanged += 1
            if change.kind == "confirm":
                confirmed.append(change.row["id"])
            continue
        summary.restored += change.restored
        (inserts if change.kind == "create" else updates).append(change.row)
        summary.unusable_phones.extend(unusable_phones(change.plan.fields))
        row = change.row
        if row["lat"] is None:
            summary.not_located.append(f"{row['name']}, {row['city']}, {row['state']} {row['zip']}")
    return inserts, updates, confirmed


def _lock_and_find_moved(session: Session, existing: dict[str, dict], source: str) -> set[str]:
    """Lock the source's listings against other writers until the import commits, and name
    those whose version moved since the import read them."""
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock now: no one else can commit until the import does.
        session.execute(update(CatalogRevision).values(revision=CatalogRevision.revision))
    statement = select(Listing.id, Listing.version).where(Listing.source == source)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return {
        listing_id
        for listing_id, version in session.execute(statement)
        if listing_id in existing and version != existing[listing_id]["version"]
    }


# --- identity ---------------------------------------------------------------------------


def _identify(
    session: Session,
    plans: dict[str, FacilityPlan],
    existing: dict[str, dict],
    summary,
    source: str = SAMHSA,
) -> tuple[list[_Match], list[linkage.Pair], dict[str, dict]]:
    """Each plan with the listing it is (by id, key, then similarity), or with None; the
    possible duplicates to queue; and the other sources' listings among them (by id)."""
    by_facility_id = {row["facility_id"]: row for row in existing.values() if row["facility_id"]}
    by_key = {row["source_key"]: row for row in existing.values() if row["source_key"]}
    matches: dict[str, _Match] = {}
    taken: set[str] = set()
    for plan in plans.values():
        found, how = by_facility_id.get(plan.facility_id) if plan.facility_id else None, "id"
        if found is None or found["id"] in taken:
            found, how = by_key.get(plan.key), "key"
            if found is not None and (
                found["id"] in taken or _other_facility(found, plan.facility_id)
            ):
                found = None
        survivor = _survivor(found, existing)
        if survivor is None and found is not None and found["id"] not in taken:
            # Merged into a listing of another source: the admin's decision lasts, no twin.
            survivor, how = found, MERGED_AWAY
        if survivor is not None and survivor["id"] not in taken:
            taken.add(survivor["id"])
            matches[plan.key] = _Match(plan, survivor, how)
    unmatched = [plan for plan in plans.values() if plan.key not in matches]
    free = [row for row in existing.values() if row["id"] not in taken and row["status"] != MERGED]
    links, possible = linkage.link(
        [_row_facility(plan) for plan in unmatched], [_listing_facility(row) for row in free]
    )
    by_plan_key = {plan.key: plan for plan in unmatched}
    for pair in links:
        plan = by_plan_key[pair.row]
        matches[plan.key] = _Match(plan, existing[pair.listing_id], "similarity")
        summary.linked_by_similarity.append(
            f"{plan.fields['name1']}, {plan.fields['city']} -> {existing[pair.listing_id]['name']}"
            f" ({pair.listing_id}), confidence {pair.confidence:.2f}"
        )
    new = [plan for plan in unmatched if plan.key not in matches]
    for plan in new:
        matches[plan.key] = _Match(plan, None)
    elsewhere = _other_sources_listings(session, source, {plan.fields["state"] for plan in new})
    possible += _duplicates_elsewhere(new, elsewhere)
    summary.linked_by_id = sum(1 for m in matches.values() if m.how == "id")
    summary.linked_by_key = sum(1 for m in matches.values() if m.how == "key")
    return list(matches.values()), possible, elsewhere


# Listings of these sources are never the same facility as an imported row (fictional).
NOT_COMPARED_SOURCES = ("demo",)


def _other_sources_listings(session: Session, source: str, states: set[str]) -> dict[str, dict]:
    """{id: the columns linkage reads} of the active listings of every other source in these
    states (another directory's listing of the same facility is a possible duplicate)."""
    states.discard("")
    if not states:
        return {}
    columns = [getattr(Listing, name) for name in LINKAGE_COLUMNS]
    statement = select(*columns).where(
        Listing.source != source,
        Listing.source.not_in(NOT_COMPARED_SOURCES),
        Listing.status == ACTIVE,
        Listing.state.in_(sorted(states)),
    )
    return {row.id: row._asdict() for row in session.execute(statement)}


def _duplicates_elsewhere(new: list[FacilityPlan], elsewhere: dict[str, dict]) -> list:
    """Possible duplicates between new listings and other sources' listings. Never linked,
    however alike: each source keeps its own listing, and an admin decides whether to merge.
    Facility ids are each source's own, so they are not compared."""
    if not new or not elsewhere:
        return []
    rows = [replace(_row_facility(plan), facility_id=None) for plan in new]
    listings = [replace(_listing_facility(row), facility_id=None) for row in elsewhere.values()]
    links, possible = linkage.link(rows, listings)
    return sorted(links + possible, key=lambda pair: (-pair.confidence, pair.row))


def _other_facility(row: dict, facility_id: str | None) -> bool:
    """A listing that the source already knows by another facility id is another facility."""
    return bool(row["facility_id"] and facility_id and row["facility_id"] != facility_id)


def _survivor(row: dict | None, existing: dict[str, dict]) -> dict | None:
    """A merged listing's facility is its survivor (an admin's decision lasts)."""
    seen = 0
    while row is not None and row["status"] == MERGED and seen < 10:
        row = existing.get(row["merged_into"])
        seen += 1
    return row


def _row_facility(plan: FacilityPlan) -> linkage.Facility:
    f = plan.fields
    return linkage.facility(
        plan.key,
        f["name1"],
        f["name2"],
        f["street1"],
        f["state"],
        f["zip"],
        (f["phone"], f["intake1"], f.get("intake1a", "")),
        plan.facility_id,
        f.get("street2", ""),
    )


def _listing_facility(row: dict) -> linkage.Facility:
    return linkage.facility(
        row["id"],
        row["name"],
        row["program_name"],
        row["street"],
        row["state"],
        row["zip"],
        (row["phone"], row["intake_phone"]),
        row["facility_id"],
        row["street2"],
    )


def _free_ids(session: Session, keys: list[str], taken: set[str]) -> dict[str, str]:
    """{key: id} for new listings: the key's first 12 characters unless a listing has them."""
    wanted = [key[:12] for key in keys]
    used = set(taken)
    for start in range(0, len(wanted), 2000):
        chunk = wanted[start : start + 2000]
        used.update(session.scalars(select(Listing.id).where(Listing.id.in_(chunk))))
    ids = {}
    for key in keys:
        ids[key] = key[:12] if key[:12] not in used else new_listing_id()
        used.add(ids[key])
    return ids


def _source_listings(
    session: Session, source: str, ids: Iterable[str] | None = None
) -> dict[str, dict]:
    """{id: stored values} of every listing of the source (or of these), whatever its status."""
    columns = [
        Listing.id,
        Listing.source,
        Listing.source_key,
        Listing.facility_id,
        Listing.status,
        Listing.release,
        Listing.merged_into,
        Listing.version,
    ] + [getattr(Listing, name) for name in COMPARED if name != "source"]
    statement = select(*columns).where(Listing.source == source)
    if ids is None:
        return {row.id: row._asdict() for row in session.execute(statement)}
    ids, found = list(ids), {}
    for start in range(0, len(ids), 2000):
        chunk = statement.where(Listing.id.in_(ids[start : start + 2000]))
        found.update({row.id: row._asdict() for row in session.execute(chunk)})
    return found


# --- updating -----------------------------------------------------------------------------


def unusable_phones(fields: dict[str, str]) -> list[str]:
    """The row's numbers that cannot be dialled, as the import summary lists them."""
    numbers = (fields.get("phone", ""), fields.get("intake1") or fields.get("intake1a", ""))
    return [
        f"{fields.get('name1', '')}, {fields.get('city', '')}, {fields.get('state', '')}: {raw}"
        for raw in numbers
        if is_unusable(raw, fields.get("state", ""))
    ]


def _updated_values(
    plan: FacilityPlan,
    current: dict,
    kept: dict[str, tuple],
    conflicts: list[str],
    release: ReleaseImport,
    key_owner: dict[str, str],
) -> dict | None:
    """The new values for an existing listing, or None when nothing changed.

    ``kept`` maps the fields people changed after the import's data to (when, who); those
    keep their current value, and a differing imported value is reported in ``conflicts``.
    A full release replaces the codes of the directories it covers; a partial one adds.
    """
    stored = current["source_codes"] or {}
    if release.full:
        stored = {kind: codes for kind, codes in stored.items() if kind not in release.scope}
    values = _listing_values(plan, {**stored, **plan.source_codes})
    for name in COMPARED:
        values.setdefault(name, current[name])
    values["status"] = ACTIVE
    if current["location_precision"] == "address":  # better coordinates are already known
        for name in ("lat", "lon", "location_precision"):
            values[name] = current[name]
    if current["facility_id"] and not plan.facility_id:
        values["facility_id"] = current["facility_id"]
    if key_owner.get(values["source_key"], current["id"]) != current["id"]:
        values["source_key"] = current["source_key"]  # the key is another listing's
    for name in COMPARED:
        if name in kept and values[name] != current[name]:
            when, who = kept[name]
            conflicts.append(
                f"{current['name']} ({current['id']}): kept {name} = {current[name]!r} as "
                f"{who} set it on {when:%Y-%m-%d}; the import has {values[name]!r}"
            )
            values[name] = current[name]
    if all(values[name] == current[name] for name in COMPARED + IDENTITY):
        return None
    return values


def _listing_values(plan: FacilityPlan, source_codes: dict[str, list[str]]) -> dict:
    """The listing's column values: mapped from SAMHSA's fields, or as another importer
    (importers.hsds) decided them."""
    if plan.values is None:
        return listing_values(plan, source_codes)
    return {**plan.values, "source_codes": source_codes}


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


# --- withdrawing --------------------------------------------------------------------------


def _previous_release(session: Session, release: ReleaseImport) -> Release | None:
    return session.scalars(
        select(Release)
        .where(Release.source == release.source, Release.name != release.name)
        .order_by(Release.imported_at.desc(), Release.id.desc())
        .limit(1)
    ).first()


def _withdrawals(
    session: Session,
    existing: dict[str, dict],
    matched: set[str],
    release: ReleaseImport,
    previous: Release | None,
) -> tuple[list[str], list[str]]:
    """(ids to withdraw, ids kept for an admin) among the active listings the release lacks."""
    if not release.full:
        return [], []
    absent = [
        row["id"]
        for row in existing.values()
        if row["status"] == ACTIVE
        and row["id"] not in matched
        and withdrawable(_directories(row), release.scope)
    ]
    if not absent:
        return [], []
    touched = _touched_by_people(session, previous.imported_at if previous else None)
    return [i for i in absent if i not in touched], [i for i in absent if i in touched]


def _directories(row: dict) -> list[str]:
    return list(row["source_codes"] or {}) or list(row["service_types"] or [])


def _touched_by_people(session: Session, since: datetime | None) -> set[str]:
    """Listings a provider claimed, or people changed since the previous release."""
    claimed = set(session.scalars(select(Claim.listing_id).where(Claim.status == APPROVED)))
    changed = select(AuditEntry.listing_id).where(AuditEntry.action.in_(HUMAN_ACTIONS))
    if since is not None:
        changed = changed.where(AuditEntry.created_at > since)
    return claimed | set(session.scalars(changed.distinct()))


# --- writing ------------------------------------------------------------------------------


def _write(
    session: Session, inserts: list[dict], updates: list[dict], withdrawals: list[str], now
) -> None:
    table = Listing.__table__
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        names = [name for name in updates[0] if name not in ("b_id", "b_version")]
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values({name: bindparam(name) for name in names})
        )
        written = session.connection().execute(statement, updates).rowcount
        if written != len(updates):  # cannot happen while the rows are locked; never hide it
            raise RuntimeError(f"import wrote {written} of {len(updates)} listings: rolled back")
    if withdrawals:
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(status=WITHDRAWN, version=table.c.version + 1, updated_at=now)
        )
        session.connection().execute(statement, [{"b_id": i} for i in withdrawals])
    changed = [row["id"] for row in inserts] + [row["b_id"] for row in updates] + withdrawals
    if changed:
        bump_revision(session, changed)


def _confirm(session: Session, ids: list[str], release: str) -> None:
    """Unchanged listings the release contains: it is now the one that last confirmed them."""
    table = Listing.__table__
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        session.execute(update(table).where(table.c.id.in_(chunk)).values(release=release))
    if ids:  # their public ``release`` changed: the change feed (/api/v1/changes) says so
        bump_revision(session, ids)


def _write_audit(
    session: Session,
    inserts: list[dict],
    updates: list[dict],
    withdrawals: list[str],
    existing: dict[str, dict],
    actor: str,
    now: datetime,
) -> None:
    """One audit entry per created, updated or withdrawn listing, inserted in bulk."""
    entries = [
        _audit_row(
            values["id"],
            1,
            {
                name: [None, values[name]]
                for name in AUDITED_ON_CREATE
                if values.get(name) not in (None, "", [])
            },
            IMPORT_CREATE,
            actor,
            now,
        )
        for values in inserts
    ]
    for values in updates:
        before = existing[values["b_id"]]
        changes = {
            name: [before[name], values[name]]
            for name in COMPARED + IDENTITY
            if before[name] != values[name]
        }
        entries.append(
            _audit_row(values["b_id"], values["version"], changes, IMPORT_UPDATE, actor, now)
        )
    for listing_id in withdrawals:
        version = existing[listing_id]["version"] + 1
        changes = {"status": [ACTIVE, WITHDRAWN]}
        entries.append(_audit_row(listing_id, version, changes, IMPORT_WITHDRAW, actor, now))
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


def _queue(
    session: Session,
    possible: list[linkage.Pair],
    to_confirm: list[str],
    new_ids: dict[str, str],
    existing: dict[str, dict],
    release: ReleaseImport,
    summary: ImportSummary,
    now: datetime,
) -> None:
    """Queue what the import would not decide alone, once per pair or listing."""
    queued = {
        (kind, listing_id, other_id)
        for kind, listing_id, other_id in session.execute(
            select(ListingReview.kind, ListingReview.listing_id, ListingReview.other_id)
        )
    }
    reviews = []
    for pair in possible:
        listing_id, other = new_ids.get(pair.row), existing[pair.listing_id]
        if listing_id is None or (POSSIBLE_DUPLICATE, listing_id, other["id"]) in queued:
            continue
        reviews.append(
            ListingReview(
                kind=POSSIBLE_DUPLICATE,
                listing_id=listing_id,
                other_id=other["id"],
                confidence=pair.confidence,
                release=release.name,
                created_at=now,
            )
        )
        elsewhere = "" if other["source"] == release.source else f", {other['source']}"
        summary.possible_duplicates.append(
            f"{listing_id} and {other['id']} ({other['name']}, {other['city']}{elsewhere}), "
            f"confidence {pair.confidence:.2f}"
        )
    for listing_id in to_confirm:
        row = existing[listing_id]
        summary.to_confirm.append(f"{row['name']}, {row['city']}, {row['state']} ({listing_id})")
        if (CONFIRM_WITHDRAWAL, listing_id, None) not in queued:
            reviews.append(
                ListingReview(
                    kind=CONFIRM_WITHDRAWAL,
                    listing_id=listing_id,
                    release=release.name,
                    created_at=now,
                )
            )
    session.add_all(reviews)


def _record_release(
    session: Session, release: ReleaseImport, summary: ImportSummary, now: datetime
) -> None:
    """The release's row, created or brought up to date (its scope grows file by file)."""
    record = session.scalars(
        select(Release).where(Release.source == release.source, Release.name == release.name)
    ).first()
    if record is None:
        record = Release(source=release.source, name=release.name, scope=[], counts={}, codes={})
        session.add(record)
    record.scope = sorted(set(record.scope or []) | set(release.scope), key=_directory_order)
    record.full = release.full
    record.files = ", ".join(release.files)
    record.counts = summary.counts()
    record.codes = {**(record.codes or {}), **release.codes}
    record.imported_at = now
    session.flush()


# The raw SAMHSA codes are left out of a creation's entry: the mapped fields say it all.
AUDITED_ON_CREATE = [name for name in COMPARED if name != "source_codes"]
