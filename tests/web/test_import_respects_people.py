"""Re-importing SAMHSA files keeps what providers and admins changed after the data, lists
those conflicts in the summary, and records every import in the audit trail."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing
from directory.operations.moderation import admin_update_listing, approve_edit, submit_listing_edit
from tests.web.provider_support import make_account, make_admin
from tests.web.test_import_samhsa import DENVER_CLINIC, run_import, write_csv

pytestmark = pytest.mark.postgres

CHANGED_PHONE = [*DENVER_CLINIC[:7], "303-555-0999", *DENVER_CLINIC[8:]]


def the_listing(db) -> Listing:
    db.session.expire_all()
    return db.session.scalars(select(Listing)).one()


def test_imports_are_in_the_audit_trail(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, path)
    write_csv(path, [CHANGED_PHONE])
    run_import(runner, path)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["import_create", "import_update"]
    assert entries[0].actor == "import of substance_use.csv" and entries[0].version == 1
    assert entries[0].changes["name"] == [None, "Mile High Recovery"]
    assert entries[1].changes == {"phone": ["303-555-0100", "303-555-0999"]}
    assert entries[1].version == 2


def test_a_field_an_approved_edit_changed_later_is_kept_and_reported(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, path, "--data-date", "2022-06-01")
    listing = the_listing(db)
    provider, admin = make_account(db), make_admin(db)
    edit = submit_listing_edit(db.session, listing, provider,
                               {"phone": "720-555-0123", "payments": ["medicaid"]},
                               listing.version)  # fmt: skip
    approve_edit(db.session, edit, admin, listing.version)
    db.session.commit()
    write_csv(path, [CHANGED_PHONE])  # the new file still has the old payments
    result = run_import(runner, path, "--data-date", "2022-06-01")
    assert result.exit_code == 0, result.output
    listing = the_listing(db)
    assert listing.phone == "720-555-0123"
    assert listing.payments == ["medicaid"]
    assert "Kept as providers or admins changed them after this data" in result.output
    assert "kept phone = '720-555-0123'" in result.output and "303-555-0999" in result.output
    assert "kept payments" in result.output


def test_newer_data_than_the_edit_does_update_the_field(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, path)
    listing = the_listing(db)
    admin = make_admin(db)
    admin_update_listing(db.session, listing, admin, {"phone": "720-555-0123"}, listing.version)
    db.session.commit()
    write_csv(path, [CHANGED_PHONE])
    tomorrow = datetime.now().date().toordinal() + 1
    date = datetime.fromordinal(tomorrow).strftime("%Y-%m-%d")
    result = run_import(runner, path, "--data-date", date)
    assert the_listing(db).phone == "303-555-0999"
    assert "Kept as" not in result.output


def test_an_unrelated_field_still_updates_beside_a_kept_one(runner, db, tmp_path):
    path = write_csv(tmp_path / "substance_use.csv", [DENVER_CLINIC])
    run_import(runner, path, "--data-date", "2022-06-01")
    listing = the_listing(db)
    admin = make_admin(db)
    admin_update_listing(db.session, listing, admin, {"name": "Mile High Recovery Center"},
                         listing.version)  # fmt: skip
    db.session.commit()
    write_csv(path, [CHANGED_PHONE])
    result = run_import(runner, path, "--data-date", "2022-06-01")
    listing = the_listing(db)
    assert listing.phone == "303-555-0999"
    assert "updated: 1" in result.output


def test_the_newer_families_are_compared_kept_and_audited_like_the_others(runner, db, tmp_path):
    codes = "SA * OP * PVTN * PEER * ODTX"
    path = write_csv(tmp_path / "substance_use.csv", [[*DENVER_CLINIC[:12], codes]])
    run_import(runner, path, "--data-date", "2022-06-01")
    listing = the_listing(db)
    assert (listing.operators, listing.supports) == (["private_nonprofit"], ["peer_support"])
    admin = make_admin(db)
    admin_update_listing(db.session, listing, admin, {"operators": ["local_government"]},
                         listing.version)  # fmt: skip
    db.session.commit()
    write_csv(path, [[*DENVER_CLINIC[:12], f"{codes} * CM"]])
    result = run_import(runner, path, "--data-date", "2022-06-01")
    assert result.exit_code == 0, result.output
    listing = the_listing(db)
    assert listing.operators == ["local_government"]
    assert listing.supports == ["case_management", "peer_support"]
    assert "kept operators" in result.output
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "import_update"
    assert entry.changes["supports"] == [["peer_support"], ["case_management", "peer_support"]]
