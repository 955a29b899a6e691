"""The durable mail outbox: queue a mail with the action that causes it, send what is due.

A mail is a row of ``outgoing_mail`` added in the action's own transaction, so it exists
exactly when the action was committed. Sending claims one row at a time — an atomic UPDATE
that sets ``claimed_until`` (on PostgreSQL its subquery takes the row ``FOR UPDATE SKIP
LOCKED``) — so two senders (a request's after-response send, ``flask send-mail`` from cron on
two servers) never send the same mail. A failure is recorded and tried again later with
exponential backoff; after ``max_attempts`` the mail is given up. The body is erased once
the mail is sent or given up: it may hold a secret link, and nothing needs it any more.
Like every operation these flush and never commit; ``send_due`` commits through the
``commit`` it is given, because a claim must be durable before the mail is sent.

Delivery is at least once, never twice by two senders: a sender that dies after the mail
server accepted a mail but before it recorded so leaves a claim that runs out, and the mail
is sent again then (no mail protocol lets a sender ask whether a message arrived).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from directory.models import OutgoingMail
from directory.models.listing import utcnow

TABLE = OutgoingMail.__table__


@dataclass(frozen=True)
class RetryPolicy:
    """How a failed mail is tried again: after ``first_delay``, doubling up to ``max_delay``,
    at most ``max_attempts`` times in all; a claim lasts ``claim`` (longer than one send)."""

    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=6)
    max_attempts: int = 10
    claim: timedelta = timedelta(minutes=5)
    keep_sent: timedelta = timedelta(days=7)

    def delay(self, attempts: int) -> timedelta:
        return min(self.first_delay * 2 ** max(0, attempts - 1), self.max_delay)


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def queue(session: Session, recipient: str, subject: str, body: str, language: str) -> int:
    """Add one mail to the outbox in ``session``'s transaction; its id once flushed."""
    mail = OutgoingMail(
        recipient=recipient,
        subject=subject,
        body=body,
        language=language[:10],
        attempts=0,
        last_error="",
        next_attempt_at=utcnow(),
    )
    session.add(mail)
    session.flush()
    return mail.id


def claim_next(
    session: Session, policy: RetryPolicy, ids: Iterable[int] | None = None
) -> int | None:
    """Claim the next mail that is due (among ``ids`` if given): its id, or None when nothing
    is due or every due mail is held by another sender. Commit before sending it, so other
    senders see the claim."""
    now = utcnow()
    due = (
        TABLE.c.sent_at.is_(None),
        TABLE.c.next_attempt_at.is_not(None),
        TABLE.c.next_attempt_at <= now,
        or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
    )
    candidate = select(TABLE.c.id).where(*due).order_by(TABLE.c.id).limit(1)
    if ids is not None:
        candidate = candidate.where(TABLE.c.id.in_(list(ids)))
    if session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True)
    claimed = session.execute(
        update(TABLE)
        .where(TABLE.c.id == candidate.scalar_subquery(), *due)
        .values(claimed_until=now + policy.claim)
        .returning(TABLE.c.id)
    ).scalar()
    return claimed


def record_sent(session: Session, mail: OutgoingMail) -> None:
    mail.attempts += 1
    mail.sent_at = utcnow()
    mail.next_attempt_at = mail.claimed_until = None
    mail.body = ""
    mail.last_error = ""
    session.flush()


def record_failure(session: Session, mail: OutgoingMail, error: str, policy: RetryPolicy) -> bool:
    """Note a failed attempt; True when it was the last one and the mail is given up."""
    mail.attempts += 1
    mail.last_error = error[:200]
    mail.claimed_until = None
    given_up = mail.attempts >= policy.max_attempts
    if given_up:
        mail.next_attempt_at = None
        mail.body = ""
    else:
        mail.next_attempt_at = utcnow() + policy.delay(mail.attempts)
    session.flush()
    return given_up


def send_due(
    session: Session,
    send: Callable[[OutgoingMail], None],
    commit: Callable[[], None],
    policy: RetryPolicy,
    ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> Delivery:
    """Send every mail that is due (among ``ids`` if given, at most ``limit``) with
    ``send(mail)``, which raises on failure; ``commit()`` makes each claim and each outcome
    durable (the claim before the send, so no other sender takes the mail meanwhile). Safe
    to run anywhere, any number of times at once."""
    ids = None if ids is None else list(ids)
    sent = failed = given_up = 0
    while limit is None or sent + failed < limit:
        claimed = claim_next(session, policy, ids)
        commit()
        if claimed is None:
            break
        mail = session.get(OutgoingMail, claimed)
        try:
            send(mail)
        except Exception as error:  # noqa: BLE001 — any failure is recorded and retried
            failed += 1
            given_up += record_failure(session, mail, _describe(error), policy)
        else:
            sent += 1
            record_sent(session, mail)
        commit()
    return Delivery(sent=sent, failed=failed, given_up=given_up)


def prune_sent(session: Session, policy: RetryPolicy) -> int:
    """Forget mail sent (or given up) longer ago than ``policy.keep_sent``."""
    before = utcnow() - policy.keep_sent
    done = or_(
        TABLE.c.sent_at < before, TABLE.c.next_attempt_at.is_(None) & (TABLE.c.created_at < before)
    )
    return session.execute(delete(TABLE).where(done)).rowcount


@dataclass(frozen=True)
class QueueState:
    waiting: int  # not sent yet and still to be tried
    given_up: int  # failed max_attempts times
    oldest_waiting: datetime | None


def queue_state(session: Session) -> QueueState:
    waiting = TABLE.c.sent_at.is_(None) & TABLE.c.next_attempt_at.is_not(None)
    given_up = TABLE.c.sent_at.is_(None) & TABLE.c.next_attempt_at.is_(None)
    count, oldest = session.execute(
        select(func.count(), func.min(TABLE.c.created_at)).where(waiting)
    ).one()
    failed = session.execute(select(func.count()).where(given_up)).scalar()
    return QueueState(waiting=count, given_up=failed, oldest_waiting=oldest)


def _describe(error: Exception) -> str:
    """What went wrong, without the recipient (SMTP errors can quote the address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
