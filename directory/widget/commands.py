"""``flask --app directory create-partner NAME --origin ORIGIN...``: a partner from the shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from directory.extensions import db


@click.command("create-partner")
@with_appcontext
@click.argument("name")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    required=True,
    help="A site allowed to show the widget, like https://health.example.org (repeat for several).",
)
@click.option("--language", default="en", show_default=True, help="The widget's default language.")
def create_partner(name: str, origins: tuple[str, ...], language: str) -> None:
    """Create a widget partner; the last line printed is its public key."""
    from directory.operations.partners import PartnerError, PartnerValues
    from directory.operations.partners import create_partner as create
    from directory.search.presets import check_presets

    values = PartnerValues(name=name, allowed_origins=list(origins), default_language=language)
    try:
        # Messages are translated per request; a request context gives them English here.
        with current_app.test_request_context():
            partner = create(db.session, values, check_presets)
    except PartnerError as error:
        raise click.ClickException("\n".join(e.message for e in error.errors.values())) from None
    db.session.commit()
    click.echo(f"Partner {partner.name!r} created, allowed on: {' '.join(partner.allowed_origins)}")
    click.echo("Its public key (for the snippet's data-partner):")
    click.echo(partner.public_key)
