"""Demo data and the schema: ``seed-demo``, ``init-db`` and migrations matching the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from directory import create_app
from directory.extensions import db as _db
from directory.models import Listing

pytestmark = pytest.mark.postgres


def test_seed_demo_makes_marked_fictional_listings_in_every_state(runner, db):
    result = runner.invoke(args=["seed-demo", "--count", "600"])
    assert result.exit_code == 0, result.output
    demo = db.session.scalars(select(Listing)).all()
    assert len(demo) == 600
    assert all(listing.is_demo and "fictional" in listing.description for listing in demo)
    assert all("-555-01" in listing.phone for listing in demo)
    assert len({listing.state for listing in demo}) >= 51
    assert any(listing.medications is None for listing in demo)  # some unknowns, as in life
    assert any(listing.dual_diagnosis == "enhanced" for listing in demo)
    assert all(listing.lat is not None for listing in demo)


def test_seed_demo_is_deterministic_and_does_not_duplicate(runner, db):
    runner.invoke(args=["seed-demo", "--count", "50"])
    first = [
        (x.id, x.name, x.zip) for x in db.session.scalars(select(Listing).order_by(Listing.id))
    ]
    result = runner.invoke(args=["seed-demo", "--count", "50"])
    assert "already there" in result.output
    again = [
        (x.id, x.name, x.zip) for x in db.session.scalars(select(Listing).order_by(Listing.id))
    ]
    assert first == again


def test_seed_demo_if_empty_leaves_a_loaded_directory_alone(runner, db):
    runner.invoke(args=["seed-demo", "--count", "5"])
    runner.invoke(args=["seed-demo", "--count", "50", "--if-empty"])
    assert db.session.scalar(select(func.count()).select_from(Listing)) == 5


def test_seed_demo_rejects_a_nonsense_count_without_a_traceback(runner):
    result = runner.invoke(args=["seed-demo", "--count", "lots"])
    assert result.exit_code == 2
    assert "is not a valid integer" in result.output


def test_init_db_is_safe_to_run_on_an_up_to_date_database(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "latest schema" in result.output


def test_migrations_match_the_models(app):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, _db.metadata) == []


def test_init_db_creates_a_new_sqlite_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/new.sqlite3"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Listing)) == 0
