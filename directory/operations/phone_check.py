"""An administrator's phone call to a listing: what happened, with an optional note.

Each call is in the listing's audit trail (who, when, the outcome and the note). Only a call
that found the details right confirms the listing: ``last_verified`` moves, recorded as a
``verified`` entry that says it came from a call, so the provider page reads "confirmed by
directory staff after a phone call". A number that did not work puts the listing in the
admins' queue of unreachable listings (once, like callers' reports); details that changed
are corrected with the listing form, so they do not confirm anything by themselves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.models import Account, AuditEntry, Listing, audit
from directory.models.listing import utcnow
from directory.operations.feedback import queue_unreachable
from directory.operations.moderation import record_change
from directory.vocabulary import N_

CONFIRMED, CHANGED, NUMBER_FAILED, NO_ANSWER = (
    "confirmed",
    "details_changed",
    "number_failed",
    "no_answer",
)
OUTCOMES = (CONFIRMED, CHANGED, NUMBER_FAILED, NO_ANSWER)
MAX_NOTE = 2000
OUTCOME_FIELD, NOTE_FIELD = audit.PHONE_OUTCOME, audit.PHONE_NOTE
BY_PHONE = "directory staff (phone call)"
CHOOSE_OUTCOME = N_("Choose what happened when you called.")
NOTE_TOO_LONG = N_("Keep the note to 2,000 characters or fewer.")


def record_phone_check(
    session: Session, listing: Listing, admin: Account, outcome: str, note: str = ""
) -> AuditEntry:
    """Record a call to ``listing`` by ``admin``; the view commits."""
    if outcome not in OUTCOMES:
        raise DirectoryError(CHOOSE_OUTCOME, field="outcome")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DirectoryError(NOTE_TOO_LONG, field="note")
    changes: dict[str, tuple] = {OUTCOME_FIELD: (None, outcome)}
    if note:
        changes[NOTE_FIELD] = (None, note)
    action = audit.PHONE_CHECK
    if outcome == CONFIRMED:
        action = audit.VERIFIED
        before = (listing.last_verified_on, listing.last_verified_by)
        listing.last_verified_on = utcnow().date()
        listing.last_verified_by = BY_PHONE
        changes["last_verified_on"] = (
            str(before[0]) if before[0] else None,
            str(listing.last_verified_on),
        )
        changes["last_verified_by"] = (before[1], listing.last_verified_by)
    entry = record_change(session, listing, action, changes, account=admin)
    if outcome == NUMBER_FAILED:
        details = f"An administrator called on {utcnow():%Y-%m-%d}: the number did not work."
        queue_unreachable(session, listing, details)
    return entry
