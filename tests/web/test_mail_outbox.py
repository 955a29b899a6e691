"""The durable mail outbox against a real SMTP server (aiosmtpd on localhost): a committed
action never fails because mail cannot go out, its mail is sent on a later run of
``flask send-mail`` with backoff, never twice, even with two senders at once."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from directory.extensions import db as _db
from directory.mail import send_mail, send_queued
from directory.models import Claim, OutgoingMail
from directory.models.listing import utcnow
from tests.web.provider_support import make_account, outbox, post_form, sign_in

pytestmark = pytest.mark.postgres


class Mailbox:
    """An SMTP server's handler: keeps what it accepts; ``refusing`` answers 451 instead."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (recipient, subject)
        self.refusing = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Try again later"
        from email import message_from_bytes

        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received.extend((to, message["Subject"]) for to in envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def mailbox(app):
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none")
    yield handler
    controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_down(app) -> None:
    """Nothing listens on the mail server's port: every send is refused."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_SECURITY="none")


def queued(db) -> list[OutgoingMail]:
    db.session.expire_all()
    return db.session.query(OutgoingMail).order_by(OutgoingMail.id).all()


def make_due(db) -> None:
    """Jump past the backoff: every waiting mail is due now."""
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.next_attempt_at.is_not(None))
        .values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def test_an_approval_commits_with_smtp_down_and_its_mail_goes_out_on_a_later_run(
    app, db, admin_client, provider_listing, runner, mailbox
):
    account = make_account(db)
    claim = Claim(account_id=account.id, listing_id=provider_listing.id, role="Director",
                  work_email=account.email, phone="303-555-0100")  # fmt: skip
    db.session.add(claim)
    db.session.commit()
    port = app.config["MAIL_PORT"]
    smtp_down(app)
    response = post_form(admin_client, f"/admin/claims/{claim.id}/approve", {},
                         form_url="/admin/claims")  # fmt: skip
    assert response.status_code == 302  # not a 500: the decision stands
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status == "approved"
    (mail,) = queued(db)
    assert mail.recipient == account.email and mail.sent_at is None
    assert mail.attempts == 1 and mail.last_error == "ConnectionRefusedError"
    assert mail.next_attempt_at > utcnow()  # backoff: not due again at once
    outbox_page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert "1 waiting to be tried again, 0 given up" in outbox_page
    waiting = admin_client.get("/admin/outbox/waiting").get_data(as_text=True)
    assert account.email in waiting and "ConnectionRefusedError" in waiting
    assert provider_listing.name not in waiting  # what the mail says is not shown

    result = runner.invoke(args=["send-mail"])
    assert "Sent 0, failed 0" in result.output and "1 waiting" in result.output
    app.config["MAIL_PORT"] = port  # the mail server is back
    make_due(db)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "Sent 1, failed 0" in result.output, result.output
    assert mailbox.received == [(account.email, "Your request to manage a listing")]
    (mail,) = queued(db)
    assert mail.sent_at is not None and mail.body == ""  # nothing kept that is not needed
    make_due(db)
    assert "Sent 0" in runner.invoke(args=["send-mail"]).output
    assert len(mailbox.received) == 1  # never twice


def test_registering_while_the_mail_server_refuses_still_says_check_your_email(
    app, db, client, runner, mailbox
):
    mailbox.refusing = True
    response = post_form(
        client,
        "/provider/register",
        {"email": "new@clinic.example"},
    )
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    (mail,) = queued(db)
    assert mail.attempts == 1 and mail.last_error.startswith("SMTP")
    assert "/provider/reset/" in mail.body  # kept until it is sent
    admin = app.test_client()
    make_account(db, email="admin@directory.example", role="admin")
    sign_in(admin, "admin@directory.example")
    waiting = admin.get("/admin/outbox/waiting").get_data(as_text=True)
    assert "new@clinic.example" in waiting and "/provider/reset/" not in waiting
    mailbox.refusing = False
    make_due(db)
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    assert mailbox.received == [("new@clinic.example", "Confirm your e-mail address")]


def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(app, db, runner, mailbox):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    mailbox.refusing = True
    with app.test_request_context():
        send_mail("someone@clinic.example", "Hello", "Secret link: https://x/reset/abc")
        _db.session.commit()
    for _ in range(2):
        make_due(db)
        result = runner.invoke(args=["send-mail"])
        assert result.exit_code == 1 and "failed 1" in result.output
    (mail,) = queued(db)
    assert mail.given_up and mail.attempts == 2 and mail.body == ""
    assert "0 waiting, 1 given up" in result.output
    make_due(db)
    assert "Sent 0, failed 0" in runner.invoke(args=["send-mail"]).output


def test_two_senders_at_once_never_send_the_same_mail(app, db, mailbox):
    with app.test_request_context():
        for number in range(40):
            send_mail(f"person{number}@clinic.example", f"Mail {number}", "Hello.")
        _db.session.commit()
    results = []

    def sender() -> None:
        with app.app_context(), app.test_request_context():
            results.append(send_queued())
            _db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(result.sent for result in results) == 40
    assert sum(result.failed for result in results) == 0
    recipients = [to for to, _subject in mailbox.received]
    assert len(recipients) == 40 and len(set(recipients)) == 40
    assert all(mail.sent_at is not None for mail in queued(db))


def test_with_the_outbox_disk_full_register_still_succeeds_and_the_mail_is_written_later(
    app, db, client, runner, monkeypatch
):
    """No SMTP server: "sending" writes the outbox folder. A full disk used to turn register
    into a 500 after the account was created; now the account stands, the page says "check
    your e-mail", and the mail is written once there is room."""
    import directory.mail

    write = directory.mail._write_to_outbox

    def disk_full(message):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(directory.mail, "_write_to_outbox", disk_full)
    response = post_form(
        client,
        "/provider/register",
        {"email": "new@clinic.example"},
    )
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    (mail,) = queued(db)
    assert mail.attempts == 1 and mail.last_error == "OSError"
    monkeypatch.setattr(directory.mail, "_write_to_outbox", write)  # room again
    make_due(db)
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    (message,) = outbox(app)
    assert message.to == "new@clinic.example" and "/provider/reset/" in message.body


def test_after_a_failure_requests_leave_their_mail_to_send_mail_for_a_minute(
    app, db, client, runner, mailbox
):
    """A mail server that is down or hung would hold a thread per request for the SMTP
    timeout; after one failure the next requests only queue, and send-mail sends."""
    port = app.config["MAIL_PORT"]
    smtp_down(app)
    for address in ("one@clinic.example", "two@clinic.example"):
        post_form(client, "/provider/forgot", {"email": address})
        assert post_form(client, "/provider/register", {"email": address}).status_code == 200
    first, second = queued(db)
    assert (first.attempts, second.attempts) == (1, 0)  # the second was not even tried
    app.config["MAIL_PORT"] = port
    make_due(db)
    assert "Sent 2" in runner.invoke(args=["send-mail"]).output
    assert sorted(to for to, _ in mailbox.received) == ["one@clinic.example", "two@clinic.example"]


def test_send_mail_with_the_database_gone_says_so_without_a_traceback(tmp_path):
    from directory import create_app
    from tests.conftest import _test_config

    gone = f"sqlite:///{tmp_path}/no-such-folder/directory.sqlite3"
    app = create_app({**_test_config(gone), "INSTANCE_DIR": str(tmp_path)})
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "The database cannot be reached" in result.output and "Traceback" not in result.output
