"""``flask export-hsds``: the directory as an HSDS 3.0 tabular data package."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Listing


@click.command("export-hsds")
@with_appcontext
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--publisher",
    default="Treatment Directory",
    show_default=True,
    help="Who publishes the package (its title says so).",
)
def export_hsds(target: Path, publisher: str) -> None:
    """Write every listing as an HSDS 3.0 data package: a folder, or FILE.zip."""
    from directory.hsds.package import write_package

    if target.exists() and not target.is_dir() and target.suffix.lower() != ".zip":
        raise click.ClickException(f"{target} is a file; give a folder or a name ending in .zip")
    if target.suffix.lower() == ".zip" and not target.parent.is_dir():
        raise click.ClickException(f"There is no folder {target.parent} to write {target.name} in")
    total = db.session.scalar(select(func.count()).select_from(Listing))

    def progress(listings):
        if not sys.stderr.isatty():
            yield from listings
            return
        with click.progressbar(listings, length=total, label="Exporting", file=sys.stderr) as bar:
            yield from bar

    try:
        counts = write_package(db.session, target, publisher, progress)
    except OSError as error:
        raise click.ClickException(f"Could not write {target}: {error.strerror}") from None
    written = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    click.echo(f"Wrote the HSDS 3.0 data package to {target}: {written}.")
