"""Moderation operations: claims, reviewed edits, new listings, availability, reports, audit.

Every operation takes the session and plain values, checks the rules, changes the models
through the ORM (so the catalog revision moves and the listing's version is checked) and
flushes; the view commits once, so an approval and its audit entry succeed or fail together.
A change made from a stale version raises ``Conflict`` naming what changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from directory.errors import Conflict, DirectoryError
from directory.geo.place import place_listing
from directory.listings import availability
from directory.models import (
    Account,
    AuditEntry,
    Claim,
    Listing,
    ListingEdit,
    ProblemReport,
    audit,
    claim,
    listing_edit,
    problem_report,
)
from directory.models.listing import VOCABULARY_COLUMNS, utcnow
from directory.vocabulary import N_

# Editable listing fields and their longest allowed text.
TEXT_FIELDS = {
    "name": 300,
    "program_name": 300,
    "street": 300,
    "street2": 300,
    "city": 120,
    "state": 2,
    "zip": 10,
    "phone": 40,
    "intake_phone": 40,
    "website": 500,
    "description": 5000,
}
LIST_FIELDS = tuple(VOCABULARY_COLUMNS)
EDITABLE = (*TEXT_FIELDS, *LIST_FIELDS, "dual_diagnosis", "telehealth")
ADDRESS_FIELDS = ("street", "street2", "city", "state", "zip")
PLACE_FIELDS = ("lat", "lon", "location_precision")
AVAILABILITY_FIELDS = ("availability_status", "wait_days", "availability_by_care_level")
MAX_REASON = 2000


@dataclass(frozen=True)
class ConflictingField:
    field: str
    yours: object
    current: object
    changed_by: str
    changed_at: datetime | None


# --- audit ------------------------------------------------------------------------------


def record_change(
    session: Session,
    listing: Listing,
    action: str,
    changes: dict[str, tuple],
    account: Account | None = None,
    actor: str = "",
) -> AuditEntry:
    """Log a change to a listing: who, when, each field's before and after (after flushing).

    The flush writes the listing only if its version is still the one this change was made
    from; when someone else's save got there first, nothing is saved and ``Conflict`` says
    what they changed."""
    read_version = listing.version
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _lost_race(session, listing, read_version, changes) from None
    entry = AuditEntry(
        listing_id=listing.id,
        account_id=account.id if account else None,
        actor=(actor or (account.email if account else "system"))[:300],
        action=action,
        version=listing.version,
        changes={
            name: [_plain(before), _plain(after)] for name, (before, after) in changes.items()
        },
        created_at=utcnow(),
    )
    session.add(entry)
    return entry


def _lost_race(session: Session, listing: Listing, read_version: int, changes: dict) -> Conflict:
    """The conflict for a save that lost a race to a save committed meanwhile."""
    changed = changed_since(session, listing, read_version)
    latest = list(changed.values())[-1] if changed else None
    return Conflict(
        _conflicting(listing, name, after, changed.get(name, latest))
        for name, (_before, after) in changes.items()
        if name in EDITABLE or name in AVAILABILITY_FIELDS
    )


def _plain(value):
    """A JSON-friendly value for the audit log."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def history(session: Session, listing_id: str) -> list[AuditEntry]:
    statement = (
        select(AuditEntry)
        .where(AuditEntry.listing_id == listing_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(statement))


def changed_since(session: Session, listing: Listing, base_version: int) -> dict[str, AuditEntry]:
    """Each field changed after ``base_version``, with the latest entry that changed it."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.listing_id == listing.id, AuditEntry.version > base_version)
        .order_by(AuditEntry.id)
    )
    changed: dict[str, AuditEntry] = {}
    for entry in session.scalars(statement):
        for name in entry.changes:
            changed[name] = entry
    return changed


def check_not_stale(
    session: Session, listing: Listing, base_version: int | None, proposed: dict
) -> None:
    """Refuse a change whose form would undo (or race) a change made after ``base_version``."""
    if base_version is None or base_version == listing.version:
        return
    changed = changed_since(session, listing, base_version)
    if not changed:  # the version moved but the log cannot say how: be safe
        changed = {name: None for name in proposed}
    conflicts = [
        _conflicting(listing, name, value, changed[name])
        for name, value in proposed.items()
        if name in changed and value != getattr(listing, name)
    ]
    if conflicts:
        raise Conflict(conflicts)


def _conflicting(listing: Listing, name: str, yours, entry: AuditEntry | None) -> ConflictingField:
    return ConflictingField(
        field=name,
        yours=yours,
        current=getattr(listing, name),
        changed_by=who_changed(entry),
        changed_at=entry.created_at if entry else None,
    )


def who_changed(entry: AuditEntry | None) -> str:
    """Who made a change, in role terms a conflict page can show (never an address); a
    template for translation."""
    if entry is None:
        return N_("someone else (the record does not say who)")
    if entry.action.startswith("import"):
        return N_("the SAMHSA import")
    if entry.action in (audit.EDIT_APPROVED, audit.NEW_LISTING):
        return N_("the provider, approved by a directory admin")
    if entry.account is not None:
        return N_("a directory admin") if entry.account.is_admin else N_("the provider")
    if entry.action in (audit.VERIFIED, audit.AVAILABILITY):
        return N_("the provider, from a link we e-mailed")
    return N_("the directory")


# --- reading listings as plain values ---------------------------------------------------


def snapshot(listing: Listing, fields=EDITABLE) -> dict:
    return {name: getattr(listing, name) for name in fields}


def differences(listing: Listing, proposed: dict) -> dict:
    """The proposed values that differ from the listing's."""
    return {name: value for name, value in proposed.items() if getattr(listing, name) != value}


def _apply(listing: Listing, values: dict, geocoder=None) -> dict[str, tuple]:
    """Set the values (re-placing the listing when its address changed); the changes made."""
    changes = {name: (getattr(listing, name), value) for name, value in values.items()}
    for name, value in values.items():
        setattr(listing, name, value)
    if any(name in ADDRESS_FIELDS for name in values):
        for name, value in place(listing, geocoder).items():
            if getattr(listing, name) != value:
                changes[name] = (getattr(listing, name), value)
                setattr(listing, name, value)
    return changes


def place(listing: Listing, geocoder=None) -> dict:
    """Coordinates for the listing's address (see ``geo.place``)."""
    return place_listing(listing.street, listing.city, listing.state, listing.zip, geocoder)


# --- claims -----------------------------------------------------------------------------


def owns(session: Session, account: Account, listing_id: str) -> bool:
    """Whether the account has an approved claim on the listing."""
    statement = select(Claim.id).where(
        Claim.account_id == account.id,
        Claim.listing_id == listing_id,
        Claim.status == claim.APPROVED,
    )
    return session.scalar(statement.limit(1)) is not None


def owned_listings(session: Session, account: Account) -> list[Listing]:
    statement = (
        select(Listing)
        .join(Claim, Claim.listing_id == Listing.id)
        .where(Claim.account_id == account.id, Claim.status == claim.APPROVED)
        .order_by(Listing.name)
    )
    return list(session.scalars(statement).unique())


def submit_claim(
    session: Session, listing: Listing, account: Account, role: str, work_email: str, phone: str
) -> Claim:
    """Ask to manage a listing; refused while another claim by this account is open or won."""
    _require_verified(account)
    existing = session.scalar(
        select(Claim).where(
            Claim.account_id == account.id,
            Claim.listing_id == listing.id,
            Claim.status.in_([claim.PENDING, claim.APPROVED]),
        )
    )
    if existing is not None:
        raise DirectoryError(N_("You have already asked to manage this listing."))
    new = Claim(
        account_id=account.id, listing_id=listing.id, role=role, work_email=work_email, phone=phone
    )
    session.add(new)
    session.flush()
    return new


def approve_claim(session: Session, pending: Claim, admin: Account) -> Claim:
    _decide(pending, admin, claim.APPROVED)
    return pending


def decline_claim(session: Session, pending: Claim, admin: Account, reason: str) -> Claim:
    _decide(pending, admin, claim.DECLINED, _required_reason(reason))
    return pending


def _decide(item, admin: Account, status: str, reason: str = "") -> None:
    if item.status != "pending":
        raise DirectoryError(N_("This has already been decided."))
    item.status, item.reason = status, reason
    item.decided_at, item.decided_by_id = utcnow(), admin.id


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DirectoryError(N_("Give a reason: the provider will see it."))
    if len(reason) > MAX_REASON:
        raise DirectoryError(N_("Keep the reason under %(n)d characters."), n=MAX_REASON)
    return reason


def _require_verified(account: Account) -> None:
    if not account.is_verified:
        raise DirectoryError(N_("Confirm your e-mail address first: follow the link we sent."))


# --- edits ------------------------------------------------------------------------------


def submit_listing_edit(
    session: Session, listing: Listing, account: Account, proposed: dict, base_version: int
) -> ListingEdit:
    """A pending edit of the fields that differ; the public listing does not change yet."""
    _require_verified(account)
    check_not_stale(session, listing, base_version, proposed)
    changes = differences(listing, proposed)
    if not changes:
        raise DirectoryError(N_("Nothing was changed, so there is nothing to review."))
    edit = ListingEdit(
        kind=listing_edit.CHANGE,
        listing_id=listing.id,
        account_id=account.id,
        base_version=listing.version,
        changes=changes,
        before={name: getattr(listing, name) for name in changes},
    )
    session.add(edit)
    session.flush()
    return edit


def submit_new_listing(session: Session, account: Account, proposed: dict) -> ListingEdit:
    """A proposed new listing, published only after approval."""
    _require_verified(account)
    edit = ListingEdit(
        kind=listing_edit.NEW_LISTING,
        listing_id=None,
        account_id=account.id,
        base_version=None,
        changes=dict(proposed),
        before={},
    )
    session.add(edit)
    session.flush()
    return edit


def approve_edit(
    session: Session, edit: ListingEdit, admin: Account, seen_version: int | None, geocoder=None
) -> Listing:
    """Publish a pending edit; Conflict when the listing moved on under it."""
    if edit.kind == listing_edit.NEW_LISTING:
        return _approve_new_listing(session, edit, admin, geocoder)
    listing = edit.listing
    if edit.status != listing_edit.PENDING:
        raise DirectoryError(N_("This has already been decided."))
    check_not_stale(session, listing, seen_version, edit.changes)
    moved = [name for name, value in edit.before.items() if getattr(listing, name) != value]
    if moved:
        since = changed_since(session, listing, edit.base_version or 0)
        latest = list(since.values())[-1] if since else None
        raise Conflict(
            _conflicting(listing, name, edit.changes[name], since.get(name, latest))
            for name in moved
        )
    changes = _apply(listing, edit.changes, geocoder)
    _mark_verified(listing, "the provider, reviewed by directory staff")
    record_change(
        session,
        listing,
        audit.EDIT_APPROVED,
        changes,
        account=admin,
        actor=f"{edit.account.email} (approved by {admin.email})",
    )
    _decide(edit, admin, listing_edit.APPROVED)
    return listing


def _approve_new_listing(
    session: Session, edit: ListingEdit, admin: Account, geocoder=None
) -> Listing:
    if edit.status != listing_edit.PENDING:
        raise DirectoryError(N_("This has already been decided."))
    listing = Listing(source="provider", name=edit.changes.get("name", ""))
    session.add(listing)
    changes = _apply(listing, edit.changes, geocoder)
    _mark_verified(listing, "the provider, reviewed by directory staff")
    session.flush()
    record_change(
        session,
        listing,
        audit.NEW_LISTING,
        changes,
        account=admin,
        actor=f"{edit.account.email} (approved by {admin.email})",
    )
    edit.listing_id = listing.id
    _decide(edit, admin, listing_edit.APPROVED)
    session.add(
        Claim(
            account_id=edit.account_id,
            listing_id=listing.id,
            role="Proposed this listing",
            work_email=edit.account.email,
            phone=listing.phone,
            status=claim.APPROVED,
            decided_at=utcnow(),
            decided_by_id=admin.id,
        )
    )
    return listing


def reject_edit(session: Session, edit: ListingEdit, admin: Account, reason: str) -> ListingEdit:
    _decide(edit, admin, listing_edit.REJECTED, _required_reason(reason))
    return edit


def _mark_verified(listing: Listing, by: str) -> None:
    listing.last_verified_on = utcnow().date()
    listing.last_verified_by = by[:200]


def admin_update_listing(
    session: Session,
    listing: Listing,
    admin: Account,
    proposed: dict,
    base_version: int,
    geocoder=None,
) -> Listing:
    """An admin's own change, published at once and logged."""
    check_not_stale(session, listing, base_version, proposed)
    values = differences(listing, proposed)
    if not values:
        raise DirectoryError(N_("Nothing was changed."))
    changes = _apply(listing, values, geocoder)
    record_change(session, listing, audit.ADMIN_CHANGE, changes, account=admin)
    return listing


def mark_verified(session: Session, listing: Listing, admin: Account) -> Listing:
    """Record that staff confirmed the listing is right today."""
    before = (listing.last_verified_on, listing.last_verified_by)
    _mark_verified(listing, "directory staff")
    changes = {
        "last_verified_on": (str(before[0]) if before[0] else None, str(listing.last_verified_on)),
        "last_verified_by": (before[1], listing.last_verified_by),
    }
    record_change(session, listing, audit.VERIFIED, changes, account=admin)
    return listing


# --- availability -----------------------------------------------------------------------


def update_availability(
    session: Session,
    listing: Listing,
    account: Account | None,
    status: str,
    wait_days: int | None,
    base_version: int,
    *,
    days: int = availability.DEFAULT_DAYS,
    source: str = availability.PROVIDER,
    actor: str = "",
    by_care_level: dict[str, tuple[str, int | None]] | None = None,
) -> Listing:
    """Publish an availability status (and typical wait) at once, with when, where and by whom
    it was set and when it expires (``days`` later), in the audit trail.

    ``by_care_level`` (``{care_level_code: (status, wait_days)}``) says it per care level the
    listing offers, set and expiring with it; without it the one status holds for every level
    (any earlier per-level statuses are dropped: they were confirmed only with the old one).

    ``account`` is the signed-in provider or admin (who must have confirmed their address);
    ``None`` with an ``actor`` for a change from a verification link.
    """
    if account is not None:
        _require_verified(account)
    if status not in availability.STATUSES:
        raise DirectoryError(N_("Choose one."), field="status")
    if wait_days is not None and not 0 <= wait_days <= availability.MAX_WAIT_DAYS:
        raise DirectoryError(N_("Enter a number from 0 to 365."), field="wait_days")
    if status == availability.WAITLIST and wait_days is None:
        raise DirectoryError(N_("Say about how many days the wait is."), field="wait_days")
    wait_days = wait_days if status in availability.WAITING else None
    try:
        levels = availability.checked_levels(by_care_level or {}, listing.care_levels, status)
    except availability.BadLevels as error:
        raise DirectoryError(
            error.message, field=f"level_{error.care_level}_{error.field}"
        ) from None
    proposed = {
        "availability_status": status,
        "wait_days": wait_days,
        "availability_by_care_level": levels,
    }
    check_not_stale(session, listing, base_version, proposed)
    now = utcnow()
    values = {
        **proposed,
        "availability_updated_at": now,
        "availability_source": source,
        "availability_updated_by": account.email if account is not None else actor,
        "availability_expires_at": availability.expiry(now, status, days),
    }
    changes = {name: (getattr(listing, name), value) for name, value in values.items()}
    for name, value in values.items():
        setattr(listing, name, value)
    record_change(session, listing, audit.AVAILABILITY, changes, account=account, actor=actor)
    return listing


# --- problem reports --------------------------------------------------------------------


def report_problem(
    session: Session, listing: Listing, kind: str, details: str, contact: str = ""
) -> ProblemReport:
    if kind not in problem_report.KINDS:
        raise DirectoryError(N_("Choose what is wrong."))
    report = ProblemReport(listing_id=listing.id, kind=kind, details=details, contact=contact)
    session.add(report)
    session.flush()
    return report


def resolve_report(
    session: Session, report: ProblemReport, admin: Account, resolution: str, dismiss: bool = False
) -> ProblemReport:
    if report.status != problem_report.OPEN:
        raise DirectoryError(N_("This report has already been closed."))
    report.status = problem_report.DISMISSED if dismiss else problem_report.RESOLVED
    report.resolution = (resolution or "").strip()[:MAX_REASON]
    report.resolved_at, report.resolved_by_id = utcnow(), admin.id
    return report
