"""Outgoing mail: plain text only, through SMTP when configured, else into an outbox folder.

With no ``MAIL_SERVER`` (the default, and in tests) each message is written as an ``.eml``
file to ``MAIL_OUTBOX`` (default ``instance/outbox``), which the admin area lists, so every
flow works offline. Messages are plain text, so nothing a person typed can become markup.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid
from pathlib import Path

from flask import after_this_request, copy_current_request_context, current_app


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


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message (header values are single-line by construction)."""
    _deliver(_message(to, subject, body))


def after_response(work: Callable[[], None]) -> None:
    """Run ``work`` (which sends mail) once the response has gone out, in a copy of this
    request's context: how long a page takes never tells whether a mail was written or sent
    (an SMTP exchange can take seconds). A failure is logged without the address; the page
    is not affected."""
    app = current_app._get_current_object()
    run = copy_current_request_context(work)

    def guarded() -> None:
        try:
            run()
        except OSError as error:
            app.logger.warning("Could not send an account mail: %s", type(error).__name__)

    @after_this_request
    def after(response):
        response.call_on_close(guarded)
        return response


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = datetime.now(UTC)
    message["Message-ID"] = make_msgid(domain="directory.invalid")
    message.set_content(body)
    return message


def _deliver(message: EmailMessage) -> None:
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(message)
    else:
        _write_to_outbox(message)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
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


def outbox_size() -> int | None:
    """How many messages wait in the outbox folder; None when mail goes out by SMTP."""
    if current_app.config.get("MAIL_SERVER"):
        return None
    folder = outbox_path()
    return sum(1 for _ in folder.glob("*.eml")) if folder.is_dir() else 0


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
