"""``flask backup`` and ``flask restore``: a round trip on SQLite and PostgreSQL, and clear
refusals (never a traceback) for a bad path, a missing pg_dump or a database that holds data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.commands import backups as backups
from directory.models import Listing
from tests.web.provider_support import make_listing


def names(db) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Listing.name)))


@pytest.mark.postgres
def test_a_backup_restores_the_directory_as_it_was(db, runner, tmp_path):
    make_listing(db, name="Mile High Recovery")
    target = tmp_path / "directory.commands.backups"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    listing = db.session.scalars(select(Listing)).one()
    listing.name = "Renamed After The Backup"
    make_listing(db, name="Added After The Backup")
    db.session.commit()

    refused = runner.invoke(args=["restore", str(target)])
    assert refused.exit_code == 1 and "already holds data" in refused.output
    assert "Traceback" not in refused.output
    assert names(db) == ["Added After The Backup", "Renamed After The Backup"]

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert names(db) == ["Mile High Recovery"]


@pytest.mark.postgres
def test_a_backup_restores_into_an_empty_database_without_asking(db, runner, tmp_path):
    make_listing(db, name="Mile High Recovery")
    target = tmp_path / "directory.commands.backups"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    for table in reversed(db.metadata.sorted_tables):  # as empty as a new database
        if table.name not in backups.BOOKKEEPING_TABLES:
            db.session.execute(table.delete())
    db.session.commit()
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    assert names(db) == ["Mile High Recovery"]


def test_bad_paths_are_clear_errors(db, runner, tmp_path):
    cases = {
        ("backup", str(tmp_path / "no-such-folder" / "x.backup")): "does not exist",
        ("backup", str(tmp_path)): "is a folder",
        ("restore", str(tmp_path / "missing.backup")): "There is no backup file",
    }
    (tmp_path / "taken.backup").write_text("an older backup")
    cases[("backup", str(tmp_path / "taken.backup"))] = "already exists"
    (tmp_path / "notes.txt").write_text("not a database")
    cases[("restore", str(tmp_path / "notes.txt"))] = "is not a backup of this database's kind"
    for args, message in cases.items():
        result = runner.invoke(args=list(args))
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert (tmp_path / "taken.backup").read_text() == "an older backup"
    left = sorted(path.name for path in tmp_path.iterdir() if "backup" in path.name)
    assert left == ["taken.backup"]  # no half-written backup left behind


def test_a_missing_pg_dump_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    monkeypatch.setattr(backups, "POSTGRES_PROGRAMS", tmp_path / "no-postgresql")
    with pytest.raises(backups.BackupError, match="pg_dump is not installed.*postgresql-client"):
        backups.backup("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path / "x.backup")
    assert list(tmp_path.iterdir()) == []
