"""Outgoing mail: plain text only, queued in the database and sent after the response.

:func:`send_mail` writes the mail to the ``outgoing_mail`` table in the current transaction,
so a mail exists exactly when the action that caused it was committed; it is sent once the
response has gone out, and ``flask send-mail`` (from cron) sends whatever is still due,
retrying with backoff (``directory.operations.outgoing_mail``). A mail server that is down
never turns a committed action into an error page.

Sending means SMTP when ``MAIL_SERVER`` is set; with none (the default, and in tests) each
message is written as an ``.eml`` file to ``MAIL_OUTBOX`` (default ``instance/outbox``),
which the admin area lists, so every flow works offline. Messages are plain text, so
nothing a person typed can become markup.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from pathlib import Path

from flask import (
    after_this_request,
    copy_current_request_context,
    current_app,
    g,
    has_request_context,
)
from flask_babel import get_locale

from directory.extensions import db
from directory.operations import outgoing_mail
from directory.operations.outgoing_mail import Delivery, RetryPolicy

# Mail queued while work runs after a response: sent at the end of that work.
_queued_late: ContextVar[list[int] | None] = ContextVar("queued_late", default=None)

# For a minute after this process last failed to send (``app.extensions[UNREACHABLE]``, a
# time.monotonic()), requests leave their mail to ``flask send-mail`` instead of each holding
# a thread for the SMTP timeout while the mail server is down or hung.
UNREACHABLE = "mail_unreachable_since"
UNREACHABLE_PAUSE = 60.0


@dataclass(frozen=True)
class OutboxMessage:
    """One message written to the outbox."""

    name: str
    to: str
    subject: str
    sent: str
    body: str


def outbox_path() -> Path:
    configured = current_app.config.get("MAIL_OUTBOX")
    if configured:
        return Path(configured)
    instance = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    return Path(instance) / "outbox"


def send_mail(to: str, subject: str, body: str) -> int:
    """Queue one plain-text message in the current transaction (header values are made
    single-line); in a request it is sent after the response, if the request committed.
    Outside one (a command), commit and call :func:`send_queued`."""
    mail_id = outgoing_mail.queue(db.session, _one_line(to), _one_line(subject), body, _language())
    late = _queued_late.get()
    if late is not None:
        late.append(mail_id)
    elif has_request_context():
        pending = g.get("mail_after_response")
        if pending is None:
            pending = g.mail_after_response = []
            after_response(lambda: _queued_late.get().extend(pending))
        pending.append(mail_id)
    return mail_id


def send_queued(ids: Iterable[int] | None = None, limit: int | None = None) -> Delivery:
    """Send the mail that is due (only ``ids`` if given); failures wait for a retry."""
    return outgoing_mail.send_due(
        db.session, _deliver, db.session.commit, retry_policy(), ids=ids, limit=limit
    )


@contextmanager
def collecting_mail() -> Iterator[list[int]]:
    """The ids of the mail queued inside the block (for a command to send them itself)."""
    queued: list[int] = []
    token = _queued_late.set(queued)
    try:
        yield queued
    finally:
        _queued_late.reset(token)


def retry_policy() -> RetryPolicy:
    return RetryPolicy(max_attempts=current_app.config["MAIL_MAX_ATTEMPTS"])


def after_response(work: Callable[[], None]) -> None:
    """Run ``work`` once the response has gone out, in a copy of this request's context,
    then commit and send the mail it queued: how long a page takes never tells whether a
    mail was written or sent (an SMTP exchange can take seconds). A failure is logged
    without the address; the page is not affected, and queued mail is retried later."""
    app = current_app._get_current_object()

    def work_and_send() -> None:
        try:
            with collecting_mail() as queued:
                work()
            db.session.commit()
            if queued and not _mail_server_lately_unreachable():
                delivery = send_queued(queued)
                _note_reachability(delivery)
        finally:
            db.session.remove()

    run = copy_current_request_context(work_and_send)

    def guarded() -> None:
        try:
            run()
        except Exception as error:  # noqa: BLE001 — the response is gone: log, never raise
            app.logger.warning("Could not send an account mail: %s", type(error).__name__)

    @after_this_request
    def after(response):
        response.call_on_close(guarded)
        return response


def _mail_server_lately_unreachable() -> bool:
    since = current_app.extensions.get(UNREACHABLE)
    return since is not None and time.monotonic() - since < UNREACHABLE_PAUSE


def _note_reachability(delivery: Delivery) -> None:
    failed = delivery.failed and not delivery.sent
    current_app.extensions[UNREACHABLE] = time.monotonic() if failed else None


def _language() -> str:
    """The language the mail was written in (the request's, or ``force_locale``'s)."""
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # the locale selector needs a request, and there is none
        return "en"


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = datetime.now(UTC)
    message["Message-ID"] = make_msgid(domain="directory.invalid")
    message.set_content(body)
    return message


def _deliver(mail) -> None:
    """Send one queued mail (raises when it could not be)."""
    message = _message(mail.recipient, mail.subject, mail.body)
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(message)
    else:
        _write_to_outbox(message)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    security = config["MAIL_SECURITY"]
    if security == "ssl":
        connection = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=10,
            context=ssl.create_default_context(),
        )
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    with connection as smtp:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage) -> None:
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}.eml").write_bytes(message.as_bytes())


def outbox_names() -> list[str]:
    """The outbox's message names, newest first."""
    folder = outbox_path()
    if not folder.is_dir():
        return []
    return sorted((path.name for path in folder.glob("*.eml")), reverse=True)


def outbox_messages() -> list[OutboxMessage]:
    """The outbox, newest first."""
    return [read_outbox(name) for name in outbox_names()]


def read_outbox(name: str) -> OutboxMessage | None:
    """One outbox message by file name; None for a name that is not a message there."""
    folder = outbox_path()
    if len(name) > 200:  # no outbox file has a longer name (and the OS refuses them)
        return None
    path = folder / name
    if path.name != name or path.suffix != ".eml" or not path.is_file():
        return None
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    return OutboxMessage(
        name=name,
        to=str(parsed["To"]),
        subject=str(parsed["Subject"]),
        sent=str(parsed["Date"]),
        body=parsed.get_body(preferencelist=("plain",)).get_content(),
    )
