"""An import racing people: an edit saved while the import plans is never written over, audit
versions only go up, and a second import at the same time stops with a message."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.importers import store
from directory.importers.lock import import_lock
from directory.models import Account, AuditEntry, Listing
from directory.operations.moderation import admin_update_listing
from tests.web.provider_support import make_admin
from tests.web.test_import_samhsa import DENVER_CLINIC, run_import, write_csv

pytestmark = pytest.mark.postgres

CHANGED_PHONE = [*DENVER_CLINIC[:7], "303-555-0999", *DENVER_CLINIC[8:]]


def rename_in_another_session(db, listing_id: str, name: str, admin_id: int) -> None:
    """An admin's save committed by another request while the import is running."""
    with Session(db.engine) as other:
        listing = other.get(Listing, listing_id)
        admin = other.get(Account, admin_id)
        admin_update_listing(other, listing, admin, {"name": name}, listing.version)
        other.commit()


def test_an_edit_saved_while_the_import_plans_is_kept(runner, db, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, path, "--data-date", "2022-06-01")
    listing_id = db.session.scalars(select(Listing.id)).one()
    admin_id = make_admin(db).id
    planned = store._planned_changes
    calls = []

    def plan_then_someone_saves(*args):
        changes = planned(*args)
        if not calls:  # after the import read the listings, before it writes them
            rename_in_another_session(db, listing_id, "Mile High Recovery Center", admin_id)
        calls.append(1)
        return changes

    monkeypatch.setattr(store, "_planned_changes", plan_then_someone_saves)
    write_csv(path, [CHANGED_PHONE])
    result = run_import(runner, path, "--data-date", "2022-06-01")
    assert result.exit_code == 0, result.output
    assert "Changed by someone while this import ran (re-read, their change kept): 1" in (
        result.output
    )
    db.session.expire_all()
    listing = db.session.get(Listing, listing_id)
    assert listing.name == "Mile High Recovery Center"  # the admin's rename survived
    assert listing.phone == "303-555-0999"  # and the import's news arrived
    entries = select(AuditEntry.version).where(AuditEntry.listing_id == listing_id)
    versions = db.session.scalars(entries.order_by(AuditEntry.id)).all()
    assert versions == [1, 2, 3] and listing.version == 3


def test_a_second_import_at_the_same_time_stops_with_a_message(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    with Session(db.engine) as other, import_lock(other):
        result = run_import(runner, path)
    assert result.exit_code == 1
    assert "Another import is running on this database; nothing was changed." in result.output
    assert "Traceback" not in result.output
    db.session.rollback()
    assert db.session.scalars(select(Listing)).all() == []
    assert run_import(runner, path).exit_code == 0  # once the first is done, it runs
