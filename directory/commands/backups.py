"""Backing up and restoring the whole database: SQLite's online backup API (a consistent copy
while the site runs), ``pg_dump -Fc`` and ``pg_restore --clean`` for PostgreSQL.

No Flask here: the ``flask backup`` and ``flask restore`` commands pass in the database URL.
Every refusal is a ``BackupError`` whose message says what to do.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, literal, select, table
from sqlalchemy.engine import URL, make_url

from directory.errors import DirectoryError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Tables that exist in a freshly migrated, empty database: they say nothing about content.
POSTGRES_PROGRAMS = Path("/usr/lib/postgresql")  # Debian: one folder per major version
BOOKKEEPING_TABLES = {"alembic_version", "catalog_revision"}


class BackupError(DirectoryError):
    """A backup or restore that cannot be done as asked; nothing was changed."""


def backup(database_url: str, target: Path, *, overwrite: bool = False) -> str:
    """Write a backup of the database to ``target``; returns what was written, in words."""
    target = Path(target)
    if target.is_dir():
        raise BackupError("%(path)s is a folder: name the backup file to write.", path=target)
    if not target.parent.is_dir():
        raise BackupError("The folder %(path)s does not exist.", path=target.parent)
    if target.exists() and not overwrite:
        raise BackupError("%(path)s already exists: choose a new name or pass --yes.", path=target)
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError("Backups support SQLite and PostgreSQL, not %(kind)s.", kind=backend)
    # Written beside the target and moved into place whole: never a half-written backup.
    partial = target.with_name(f".{target.name}.partial")
    try:
        if backend == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _run(
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(partial),
                "--dbname",
                _libpq_url(url),
                password=url.password,
            )
        os.replace(partial, target)
    except OSError as error:
        raise BackupError(
            "Could not write %(path)s: %(error)s", path=target, error=error.strerror
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    if backend == "sqlite":
        return f"SQLite database copied to {target}"
    return f"PostgreSQL database dumped to {target} (pg_dump custom format)"


def restore(database_url: str, source: Path, *, replace: bool = False) -> str:
    """Replace the database's content with the backup in ``source``; returns what was done.

    Refuses to write over a database that holds data unless ``replace`` is given."""
    source = Path(source)
    if not source.is_file():
        raise BackupError("There is no backup file at %(path)s.", path=source)
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    url = make_url(database_url)
    backend = url.get_backend_name()
    expected = {"sqlite": SQLITE_MAGIC, "postgresql": PG_DUMP_MAGIC}.get(backend)
    if expected is None:
        raise BackupError("Restores support SQLite and PostgreSQL, not %(kind)s.", kind=backend)
    if not head.startswith(expected):
        kind = "a SQLite database" if backend == "sqlite" else "a pg_dump custom-format file"
        raise BackupError(
            "%(path)s is not a backup of this database's kind (%(kind)s expected).",
            path=source,
            kind=kind,
        )
    if not replace and holds_data(database_url):
        raise BackupError(
            "The database already holds data: pass --yes to replace all of it with the backup."
        )
    if backend == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
        return f"SQLite database restored from {source}"
    _run(
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--dbname",
        _libpq_url(url),
        str(source),
        password=url.password,
    )
    return f"PostgreSQL database restored from {source}"


def holds_data(database_url: str) -> bool:
    """Whether any table but the schema's own bookkeeping has a row."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names()) - BOOKKEEPING_TABLES
            return any(
                connection.execute(select(literal(1)).select_from(table(name)).limit(1)).first()
                for name in sorted(tables)
            )
    finally:
        engine.dispose()


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy page by page with SQLite's online backup API: consistent while others write."""
    if not source.is_file():
        raise BackupError("There is no SQLite database at %(path)s.", path=source)
    origin = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            origin.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise BackupError(
            "SQLite could not copy %(path)s: %(error)s", path=source, error=error
        ) from None
    finally:
        origin.close()


def _tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else Debian's newest version."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(POSTGRES_PROGRAMS.glob(f"*/bin/{name}"), key=_major_version)
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        "%(tool)s is not installed: install PostgreSQL's client programs "
        "(on Debian: apt-get install postgresql-client).",
        tool=name,
    )


def _major_version(path: Path) -> int:
    version = path.parent.parent.name
    return int(version) if version.isdigit() else 0


def _libpq_url(url: URL) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver; the password goes in PGPASSWORD)."""
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)


def _run(*command: str, password: str | None) -> None:
    environment = {**os.environ, **({"PGPASSWORD": password} if password else {})}
    try:
        # A fixed PostgreSQL program with arguments this module builds; no shell.
        done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    except OSError as error:
        raise BackupError(
            "Could not run %(tool)s: %(error)s", tool=command[0], error=error.strerror
        ) from None
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError("%(tool)s failed: %(detail)s", tool=Path(command[0]).name, detail=detail)
