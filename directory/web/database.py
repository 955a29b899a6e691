"""The database connection's limits, so an outage makes a page answer 503 in seconds instead of
hanging every worker, and the app recovers by itself when the database is back.

- PostgreSQL: ``connect_timeout`` and a server-side ``statement_timeout``; a short pool
  timeout; and a watchdog that drops a connection whose statement outlives the statement
  timeout by a grace period (a hung server never answers, so its own timeout cannot fire).
- SQLite: a busy timeout, and write transactions that take the write lock when they begin
  (``BEGIN IMMEDIATE``), so two simultaneous saves queue instead of one failing at once; a
  connection that met a read-only file is discarded, so writes work again once it is
  writable.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# Errors that mean "the database is not answering" rather than a bug: a 503, not a 500.
UNAVAILABLE_CODES = ("database is locked", "readonly database", "disk I/O error", "disk is full")


def engine_options(config) -> dict:
    """SQLAlchemy engine options for the configured database, with its timeouts."""
    url = config["SQLALCHEMY_DATABASE_URI"]
    options: dict = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {
            "timeout": config["DATABASE_BUSY_TIMEOUT"],
            "isolation_level": "IMMEDIATE",
            "check_same_thread": False,
        }
    elif url.startswith("postgresql"):
        statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
        options["connect_args"] = {
            "connect_timeout": max(2, round(config["DATABASE_CONNECT_TIMEOUT"])),
            "options": f"-c statement_timeout={statement_ms}",
        }
        options["pool_timeout"] = config["DATABASE_POOL_TIMEOUT"]
        options["pool_size"] = config.get("DATABASE_POOL_SIZE", 10)
        options["pool_pre_ping"] = False  # the watchdog pings, with a deadline
    return {**options, **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def is_unavailable(error: BaseException) -> bool:
    """Whether an exception says the database is down, hung, busy or unwritable."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error, OperationalError | InterfaceError):  # down, timed out, locked
        return True
    return any(code in str(error.orig or "") for code in UNAVAILABLE_CODES)


def watch(engine: Engine, statement_timeout: float, ping_timeout: float = 1.5) -> None:
    """Set the engine's event hooks: read-only recovery (SQLite), the hung-server watchdog
    (PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "handle_error", _discard_readonly_connection)
    elif engine.dialect.name == "postgresql":
        _Watchdog(engine, statement_timeout + 1.0, ping_timeout)


def _discard_readonly_connection(context) -> None:
    """SQLite remembers that its file was read-only; a fresh connection does not."""
    if "readonly database" in str(context.original_exception):
        context.is_disconnect = True


class _Watchdog:
    """Shuts down the socket of a PostgreSQL connection stuck past its deadline, so the stuck
    request gets an error at once (and the pool a fresh connection next time)."""

    # One thread and one table of deadlines for every engine in the process.
    deadlines: dict[int, tuple[float, int]] = {}
    lock = threading.Lock()
    thread: threading.Thread | None = None

    def __init__(self, engine: Engine, limit: float, ping_limit: float):
        self.limit, self.ping_limit = limit, ping_limit  # a live server pings in milliseconds
        event.listen(engine, "before_cursor_execute", self._start)
        event.listen(engine, "after_cursor_execute", self._stop)
        event.listen(engine, "handle_error", self._failed)
        event.listen(engine, "checkout", self._ping)
        with _Watchdog.lock:
            if _Watchdog.thread is None:
                _Watchdog.thread = threading.Thread(
                    target=_Watchdog._run, name="db-watchdog", daemon=True
                )
                _Watchdog.thread.start()

    def _start(self, connection, cursor, statement, parameters, context, executemany):
        if not executemany:  # bulk writes (imports) are bounded by the server's timeout
            self._arm(connection.connection.dbapi_connection, self.limit)

    def _stop(self, connection, cursor, statement, parameters, context, executemany):
        self._disarm(connection.connection.dbapi_connection)

    def _failed(self, context) -> None:
        with contextlib.suppress(Exception):
            self._disarm(context.connection.connection.dbapi_connection)

    def _ping(self, dbapi_connection, record, proxy) -> None:
        """A pooled connection is tried before use, within a deadline: a dead one is replaced
        (the server restarted), a hung one fails the request quickly."""
        self._arm(dbapi_connection, self.ping_limit)
        started = time.monotonic()
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:
            if time.monotonic() - started < self.ping_limit:
                raise DisconnectionError(str(error)) from error  # try a fresh connection
            record.invalidate(error)
            raise OperationalError("SELECT 1", None, error) from error  # hung: answer now
        finally:
            self._disarm(dbapi_connection)

    def _arm(self, dbapi_connection, seconds: float) -> None:
        try:
            fileno = dbapi_connection.pgconn.socket
        except Exception:  # closed or broken: nothing to watch
            return
        with self.lock:
            self.deadlines[id(dbapi_connection)] = (time.monotonic() + seconds, fileno)

    def _disarm(self, dbapi_connection) -> None:
        with self.lock:
            self.deadlines.pop(id(dbapi_connection), None)

    @staticmethod
    def _run() -> None:
        deadlines = _Watchdog.deadlines
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            with _Watchdog.lock:
                late = [key for key, (deadline, _) in deadlines.items() if deadline < now]
                sockets = [deadlines.pop(key)[1] for key in late]
            for fileno in sockets:
                with contextlib.suppress(OSError):
                    stuck = socket.fromfd(fileno, socket.AF_UNIX, socket.SOCK_STREAM)
                    try:
                        stuck.shutdown(socket.SHUT_RDWR)
                    finally:
                        stuck.close()
