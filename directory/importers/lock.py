"""One import at a time, on any number of machines sharing the database.

PostgreSQL: a transaction-level advisory lock, released by the import's commit or rollback
(or by the server when the importing process dies). SQLite: an exclusive ``flock`` on a file
beside the database, released when the import ends or its process dies. A second import
does not wait behind the first: it stops at once with a message saying why.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from directory.errors import DirectoryError

# Any fixed 64-bit number: the advisory lock every import of this directory takes.
IMPORT_LOCK_KEY = 1_404_202_214


class ImportBusy(DirectoryError):
    """Another import of the same database is running."""

    status = 409

    def __init__(self):
        super().__init__(
            "Another import is running on this database; nothing was changed. "
            "Run this one again when it has finished."
        )


@contextlib.contextmanager
def import_lock(session: Session) -> Iterator[None]:
    """Hold the import lock for the block (PostgreSQL: until the transaction ends)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        taken = session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY}
        ).scalar()
        if not taken:
            raise ImportBusy()
        yield
        return
    database = bind.url.database
    if not database or database == ":memory:":
        yield  # a private in-memory database: no one else can import into it
        return
    with _file_lock(Path(database).with_name(Path(database).name + ".import-lock")):
        yield


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportBusy() from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
