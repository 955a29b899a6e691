"""The ``flask --app directory ...`` commands: thin wrappers over the importers and seeds."""

from __future__ import annotations

import click
from flask import Flask
from flask_migrate import upgrade


def register(app: Flask) -> None:
    app.cli.add_command(init_db)


@click.command("init-db")
def init_db() -> None:
    """Bring the database up to the latest schema (creates it if needed)."""
    upgrade()
    click.echo("Database is at the latest schema.")
