"""The ``flask --app directory ...`` commands: thin wrappers over the importers, the seeds and
``backups`` (the database copies behind ``flask backup`` and ``flask restore``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from directory.extensions import db
from directory.hsds.commands import export_hsds
from directory.widget.commands import create_partner


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(import_samhsa)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(create_partner)
    app.cli.add_command(send_verification_requests)
    app.cli.add_command(send_mail)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(export_hsds)
    app.cli.add_command(import_hsds)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Bring the database up to the latest schema (creates it if needed)."""
    upgrade()
    click.echo("Database is at the latest schema.")


@click.command("import-samhsa")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--release",
    default=None,
    help="Which release of SAMHSA's directory the files are, e.g. 2023-24 "
    "(default: the year in the file names, else the data's date).",
)
@click.option(
    "--codes",
    "codes_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="SAMHSA's service-definitions file for this release: adds codes the shipped list lacks.",
)
@click.option(
    "--partial",
    is_flag=True,
    help="A supplement: add and update, but withdraw nothing that the files lack.",
)
@click.option("--dry-run", is_flag=True, help="Print what the import would do; change nothing.")
@click.option(
    "--bundled",
    is_flag=True,
    help="Import the 2022 national directories shipped with the project (instead of PATHS).",
)
@click.option(
    "--if-empty", is_flag=True, help="Only import when the directory has no listings yet."
)
@click.option(
    "--data-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the files' data was current (default: the newest file's modification time). "
    "Fields a provider or admin changed after it are not overwritten.",
)
def import_samhsa(paths, release, codes_path, partial, dry_run, bundled, if_empty, data_date):
    """Import a release of SAMHSA's national directory (CSV or xlsx); re-running is safe."""
    from directory.importers.codes import CodeListError, read_code_list
    from directory.importers.lock import ImportBusy, import_lock
    from directory.importers.releases import BUNDLED_FILES, ReleaseError
    from directory.importers.report import print_summary
    from directory.importers.store import import_directories
    from directory.models import Listing

    if bundled:
        paths = paths or BUNDLED_FILES
    if not paths:
        raise click.UsageError("Name the directory files to import (or use --bundled).")
    if if_empty and db.session.scalar(select(func.count()).select_from(Listing)):
        click.echo("The directory already has listings; nothing was imported.")
        return
    try:
        codes = read_code_list(codes_path) if codes_path else {}
        with import_lock(db.session):
            summary = import_directories(
                db.session,
                paths,
                progress=_progress_bar,
                data_as_of=data_date,
                release=release,
                partial=partial,
                codes=codes,
            )
            summary.dry_run = dry_run
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
    except (ReleaseError, CodeListError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except ImportBusy as busy:
        db.session.rollback()
        raise click.ClickException(busy.message) from None
    print_summary(summary, click.echo)
    if not summary.ok:
        sys.exit(1)


@click.command("import-hsds")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--publisher", help="Who publishes it (source hsds:PUBLISHER; default: the "
              "package's name).")  # fmt: skip
@click.option("--release", help="Which release it is (default: the package's date).")
@click.option("--partial", is_flag=True, help="A supplement: withdraw nothing it lacks.")
@click.option("--dry-run", is_flag=True, help="Print what the import would do; change nothing.")
def import_hsds(path, publisher, release, partial, dry_run):
    """Import an HSDS 3.0 data package (a folder, its datapackage.json or a .zip)."""
    from directory.importers.hsds import import_package, print_hsds_summary

    summary = _imported(lambda: import_package(db.session, path, publisher, release, partial,
                                               _progress_bar), dry_run)  # fmt: skip
    print_hsds_summary(summary, click.echo)
    if not summary.ok:
        sys.exit(1)


def _imported(run, dry_run: bool):
    """Run an import under the import lock; commit it (roll back a dry run); a bad file,
    release or a busy lock is a clear error."""
    from directory.importers.lock import ImportBusy, import_lock
    from directory.importers.releases import ReleaseError
    from directory.importers.samhsa import ImportFileError

    try:
        with import_lock(db.session):
            summary = run()
            summary.dry_run = dry_run
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
    except (ReleaseError, ImportFileError, ImportBusy) as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    return summary


def _progress_bar(rows: list):
    """Iterate with a progress bar when a person is watching a terminal."""
    if not sys.stderr.isatty():
        yield from rows
        return
    with click.progressbar(rows, label="Importing", file=sys.stderr) as bar:
        yield from bar


@click.command("seed-demo")
@with_appcontext
@click.option("--count", default=3000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--if-empty", is_flag=True, help="Only seed when there are no listings yet.")
def seed_demo(count: int, if_empty: bool) -> None:
    """Load fictional demo listings (clearly marked as demo data); deterministic."""
    from directory.importers.demo import seed_demo_listings

    created = seed_demo_listings(db.session, count, only_if_empty=if_empty)
    db.session.commit()
    click.echo(
        f"Created {created} demo listings." if created else "Demo listings were already there."
    )


@click.command("create-admin")
@with_appcontext
@click.argument("email")
def create_admin(email: str) -> None:
    """Create an admin account (the password is asked twice on standard input)."""
    from flask import current_app

    from directory.errors import DirectoryError
    from directory.models.account import ADMIN
    from directory.operations.accounts import (
        AccountPolicy,
        create_account,
        find_account,
        is_valid_email,
        normalize_email,
    )

    address = normalize_email(email)
    if not is_valid_email(address):
        raise click.ClickException(f"{email!r} is not a valid e-mail address.")
    if find_account(db.session, address) is not None:
        raise click.ClickException(f"An account for {address} already exists.")
    password = click.prompt(
        "Password", hide_input=True, confirmation_prompt="Password again", err=True
    )
    try:
        policy = AccountPolicy.from_config(current_app.config)
        account = create_account(db.session, email, password, policy, role=ADMIN)
    except DirectoryError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Admin account {account.email} created.")


@click.command("send-verification-requests")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Only say which listings are due.")
def send_verification_requests(dry_run: bool) -> None:
    """Mail each listing not confirmed lately a link to confirm or update it: a claimed one at
    its claim's work e-mail, an unclaimed one at the intake e-mail the operator gave (none:
    not asked). Safe to run daily: a listing with an open request is not asked again."""
    from flask import current_app

    from directory.operations import verification
    from directory.provider.notifications import send_verification_request

    config = current_app.config
    due = verification.due_listings(db.session, confirm_days=config["VERIFY_AFTER_DAYS"])
    if dry_run:
        for item in due:
            whose = "" if item.claimed else "  (unclaimed: intake address)"
            click.echo(f"{item.listing.id}  {item.listing.name}  ->  {item.address}{whose}")
        click.echo(f"{len(due)} listings are due; nothing was sent (--dry-run).")
        return
    from directory.mail import collecting_mail, send_queued

    with current_app.test_request_context(), collecting_mail() as queued:
        for item in due:
            request = verification.open_request(
                db.session, item.listing, item.address, link_days=config["VERIFICATION_LINK_DAYS"]
            )
            send_verification_request(
                request,
                config["VERIFICATION_LINK_DAYS"],
                claimed=item.claimed,
                every_days=config["VERIFY_AFTER_DAYS"],
            )
            db.session.commit()  # the request and its mail together
        delivery = send_queued(queued)
    click.echo(f"Sent {delivery.sent} verification requests ({len(due)} listings were due).")
    if delivery.failed:
        click.echo(
            f"{delivery.failed} mails could not be sent now; they stay in the outbox and "
            "flask send-mail tries them again.",
            err=True,
        )
        raise SystemExit(1)


@click.command("send-mail")
@with_appcontext
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many.")
def send_mail(limit: int | None) -> None:
    """Send the mail in the outbox that is due, retrying failed mail with backoff (from cron,
    every minute: safe to run on several servers at once, never sends a mail twice)."""
    from sqlalchemy.exc import SQLAlchemyError

    from directory.mail import retry_policy, send_queued
    from directory.operations.outgoing_mail import prune_sent, queue_state

    try:
        delivery = send_queued(limit=limit)  # each mail was written whole when it was queued
        pruned = prune_sent(db.session, retry_policy())
        db.session.commit()
        state = queue_state(db.session)
    except SQLAlchemyError as error:  # the next run (a minute later, from cron) tries again
        raise click.ClickException(
            f"The database cannot be reached ({type(error).__name__}); nothing was lost."
        ) from None
    click.echo(
        f"Sent {delivery.sent}, failed {delivery.failed} (tried again later), "
        f"gave up {delivery.given_up}; {state.waiting} waiting, {state.given_up} given up; "
        f"forgot {pruned} sent long ago."
    )
    if delivery.failed:
        raise SystemExit(1)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace PATH if it already exists.")
def backup(path: Path, yes: bool) -> None:
    """Back up the whole database to PATH (SQLite: online copy; PostgreSQL: pg_dump -Fc)."""
    from directory.commands.backups import BackupError
    from directory.commands.backups import backup as back_up

    try:
        click.echo(back_up(_database_url(), path, overwrite=yes))
    except BackupError as error:
        raise click.ClickException(error.message) from None


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
def restore(path: Path, yes: bool) -> None:
    """Replace the database with the backup in PATH (made by ``flask backup``); restart the
    app servers afterwards, so their search indexes are rebuilt from it."""
    from directory.commands.backups import BackupError
    from directory.commands.backups import restore as restore_from

    url = _database_url()
    db.session.remove()
    db.engine.dispose()  # this process's connections must not hold locks on what is replaced
    try:
        click.echo(restore_from(url, path, replace=yes))
    except BackupError as error:
        raise click.ClickException(error.message) from None


def _database_url() -> str:
    return db.engine.url.render_as_string(hide_password=False)
