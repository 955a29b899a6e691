"""The ``flask --app directory ...`` commands: thin wrappers over the importers and seeds."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from directory.extensions import db
from directory.widget.commands import create_partner


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(import_samhsa)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(create_partner)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Bring the database up to the latest schema (creates it if needed)."""
    upgrade()
    click.echo("Database is at the latest schema.")


@click.command("import-samhsa")
@with_appcontext
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--data-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the files' data was current (default: the newest file's modification time). "
    "Fields a provider or admin changed after it are not overwritten.",
)
def import_samhsa(paths: tuple[Path, ...], data_date) -> None:
    """Import SAMHSA national directory files (CSV or xlsx); re-running is safe."""
    from directory.importers.report import print_summary
    from directory.importers.store import import_directories

    summary = import_directories(db.session, paths, progress=_progress_bar, data_as_of=data_date)
    db.session.commit()
    print_summary(summary, click.echo)
    if not summary.ok:
        sys.exit(1)


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
