"""``GET /healthz``: can the service do its work: is the database there and writable (mail
is queued there, in ``outgoing_mail``), and can mail be written (the outbox folder, when no
SMTP server is set). A mail server that is down is not a 503: the mail waits in the queue
and ``flask send-mail`` retries it; ``/metrics`` says how long the oldest has waited."""

import contextlib
import os
import tempfile

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db

blueprint = Blueprint("health", __name__)

MIN_FREE_BYTES = 1_000_000  # room for a few hundred messages


@blueprint.get("/healthz")
def healthz():
    problem = database_problem() or outbox_problem()
    if problem:
        return jsonify(status="unavailable", problem=problem), 503
    return jsonify(status="ok")


def database_problem() -> str:
    """Why the database cannot take a write now, or ``""``; nothing is changed."""
    try:
        if db.engine.dialect.name == "postgresql":
            read_only = db.session.execute(text("SHOW transaction_read_only")).scalar()
            if read_only == "on":
                return "the database is read-only"
        else:  # SQLite: take the write lock and let go (a read-only file refuses it)
            db.session.execute(text("UPDATE catalog_revision SET revision = revision"))
    except SQLAlchemyError:
        return "the database does not answer or cannot be written"
    finally:
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
    return ""


def outbox_problem() -> str:
    if current_app.config.get("MAIL_SERVER"):
        return ""
    from directory.mail import outbox_path

    folder = outbox_path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize < MIN_FREE_BYTES:
            return "the mail outbox's disk is full"
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError:
        return "the mail outbox cannot be written"
    return ""
