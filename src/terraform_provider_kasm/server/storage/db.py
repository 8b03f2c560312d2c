"""Engine, transactions and schema migrations.

SQLite (the default) runs in WAL mode with a busy timeout and foreign keys on; write transactions start
with ``BEGIN IMMEDIATE`` so concurrent writers queue on the lock instead of failing with
"database is locked" when a read transaction tries to upgrade. Any other SQLAlchemy URL (PostgreSQL via
psycopg) is used as is.
"""

from __future__ import annotations

import contextvars
import itertools
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

# Set per transaction by `Database.transaction(write=...)`; read by the SQLite "begin" hook.
_begin_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar("kasm_begin_immediate", default=False)

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_POOL_SIZE = 20
# Statements that never change the database; anything else marks the connection as having written.
_NON_WRITING = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (the driver we ship), not psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = _normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        raise ValueError("in-memory SQLite is not supported (each connection would see its own database)")
    if not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        # A pool of open connections: opening one per request (connect + the PRAGMAs below) cost a
        # quarter of a get_images. Each checkout is used by one thread at a time and every transaction
        # still starts with its own BEGIN (IMMEDIATE for writes); no limit on overflow, so a burst of
        # queued writers waits on SQLite's busy timeout, never on the pool.
        poolclass=QueuePool,
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=-1,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself (pysqlite's implicit BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _begin_immediate.get() else "BEGIN")

    return engine


class WriteGeneration:
    """A number that changes after every transaction of this process that may have written.

    Any statement other than a read marks its pooled connection; when the connection goes back to the
    pool (after its COMMIT or ROLLBACK has finished, so the change is visible to every later
    transaction) the generation moves on. A result computed in a transaction that started at
    generation g therefore still holds while the generation is g (see `ReadCache`). Writes by other
    processes to the same database are not seen: the server assumes it is the database's only writer.
    """

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self.value = 0

    def bump(self) -> None:
        self.value = next(self._counter)  # itertools.count is atomic under the GIL

    def watch(self, engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def _note_write(conn: Connection, _c: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip()[:9].upper().startswith(_NON_WRITING):
                conn.info["kasm_wrote"] = True

        @event.listens_for(engine, "checkin")
        def _on_checkin(_dbapi: Any, record: ConnectionPoolEntry) -> None:
            if record.info.pop("kasm_wrote", False):
                self.bump()

        @event.listens_for(engine, "close")
        def _on_close(_dbapi: Any, record: ConnectionPoolEntry) -> None:
            if record.info.pop("kasm_wrote", False):
                self.bump()


class ReadCache:
    """Answers of read-only calls that depend only on the database, valid for one write generation."""

    def __init__(self, generation: WriteGeneration) -> None:
        self._generation = generation
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, float | None, Any]] = {}

    def get(self, key: str, generation: int, now: float) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] != generation or entry[0] != self._generation.value:
            return None
        if entry[1] is not None and now >= entry[1]:
            return None
        return entry[2]

    def put(self, key: str, generation: int, value: Any, valid_until: float | None = None) -> None:
        """`generation`: as read before the transaction that computed `value` began."""
        with self._lock:
            if generation == self._generation.value:
                self._entries[key] = (generation, valid_until, value)


@dataclass(frozen=True)
class CacheView:
    """`ReadCache` as one transaction sees it: the entries of the write generation it began at (a handler
    reads it as `call.cache`)."""

    cache: ReadCache
    generation: int

    def get(self, key: str, now: float = 0.0) -> Any | None:
        return self.cache.get(key, self.generation, now)

    def put(self, key: str, value: Any, valid_until: float | None = None) -> None:
        self.cache.put(key, self.generation, value, valid_until)


class Database:
    """The engine plus a session factory; one instance per app."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and (parsed.database or "") in ("", ":memory:"):
            # "In memory" becomes a throwaway file: the server's threads must share one database.
            self._scratch = tempfile.TemporaryDirectory(prefix="kasm-local-")
            url = f"sqlite:///{Path(self._scratch.name) / 'kasm.sqlite3'}"
        self.url = _normalise_url(url)
        self.engine = make_engine(self.url, echo=echo)
        self.generation = WriteGeneration()
        self.generation.watch(self.engine)
        self.cache = ReadCache(self.generation)
        self._write_lock = threading.RLock() if self.engine.dialect.name == "sqlite" else None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        """`transaction` without the read cache (the seed, the tests)."""
        with self.transaction(write=write) as (db, _cache):
            yield db

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[tuple[Session, CacheView]]:
        """One transaction and the cache as of its start: committed by the caller, rolled back on any
        exception or if left open."""
        # SQLite: this process's writers queue on a lock, first come first served, instead of polling
        # SQLite's busy handler (its sleeps of up to 100 ms made a p99 of seconds under 50 writers);
        # BEGIN IMMEDIATE still orders them against other processes.
        lock = self._write_lock if write and self._write_lock is not None else nullcontext()
        with lock:
            token = _begin_immediate.set(write)
            # Read before the transaction begins: what it reads is at least as new as this generation.
            generation = self.generation.value
            try:
                with self._sessions() as db:
                    try:
                        yield db, CacheView(self.cache, generation)
                    except BaseException:
                        db.rollback()
                        raise
            finally:
                _begin_immediate.reset(token)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (the migrations ship inside the package)."""
        config = Config()
        config.set_main_option("script_location", str(migrations_path()))
        # BEGIN IMMEDIATE on SQLite: two servers starting on one file migrate one after the other.
        token = _begin_immediate.set(True)
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            _begin_immediate.reset(token)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


def migrations_path() -> Path:
    return Path(str(resources.files("terraform_provider_kasm.server.storage") / "migrations"))
