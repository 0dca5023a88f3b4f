"""Where a run store lives: a SQLite file through the standard library, or any other
database through SQLAlchemy, each behind the same small transaction interface."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from statecraft.store.errors import NoStore, StoreError

ENV = "STATECRAFT_STORE"
WAIT_S = 30.0  # how long a writer waits for another to finish before giving up


class _Tx(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement with ``:name`` parameters; the rows it returns."""
        ...


class _Backend(Protocol):
    location: str
    dialect: str

    def transaction(self, *, write: bool) -> Any:
        """A context manager giving a _Tx, committed on success and rolled back on error."""
        ...

    def tables(self, tx: _Tx) -> set[str]: ...

    def close(self) -> None: ...


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class _SQLiteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, dict(params or {})).fetchall()


class _SQLite:
    dialect = "sqlite"

    def __init__(self, path: Path, *, create: bool) -> None:
        self.location = str(path)
        if not path.exists():
            if not create:
                raise NoStore(f"no run store at {path} yet")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the run store {path}: {exc.strerror or exc}"
                ) from None
        # Opening can meet a lock that SQLite's busy handler does not wait on (another
        # process switching the file to WAL, or checkpointing as it closes): try again,
        # with growing pauses, for as long as a writer would wait.
        deadline = time.monotonic() + WAIT_S
        pause = 0.005
        while True:
            try:
                self._conn = self._connect(path)
                break
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open the run store {path}: {exc}") from None
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the run store {path}: {exc}") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.25)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun and ended here, explicitly.
        conn = sqlite3.connect(path, timeout=WAIT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(WAIT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[_Tx]:
        # BEGIN IMMEDIATE takes the write lock now, waiting for other writers, so that a
        # transaction never fails half-way on a lock it could not upgrade.
        self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield _SQLiteTx(self._conn)
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def tables(self, tx: _Tx) -> set[str]:
        return {r[0] for r in tx.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def close(self) -> None:
        self._conn.close()


class _SQLAlchemyTx:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        from sqlalchemy import text

        result = self._conn.execute(text(sql), dict(params or {}))
        return [tuple(r) for r in result.fetchall()] if result.returns_rows else []


class _SQLAlchemy:
    def __init__(self, url: str) -> None:
        try:
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url
        except ImportError:
            raise StoreError(
                "a database URL as the run store needs SQLAlchemy and a driver: "
                "pip install 'statecraft[postgres]'"
            ) from None
        try:
            parsed = make_url(url)
            self._engine = create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # a bad URL or a driver that is not installed
            raise StoreError(f"cannot use {url!r} as the run store: {exc}") from None
        self.location = parsed.render_as_string(hide_password=True)
        self.dialect = self._engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[_Tx]:
        with self._engine.begin() as conn:
            yield _SQLAlchemyTx(conn)

    def tables(self, tx: _Tx) -> set[str]:
        from sqlalchemy import inspect

        assert isinstance(tx, _SQLAlchemyTx)
        return set(inspect(tx._conn).get_table_names())

    def close(self) -> None:
        self._engine.dispose()


def default_location() -> str:
    """Where runs go when no store is named: ``STATECRAFT_STORE``, else the user's data
    folder (e.g. ``~/.local/share/statecraft/runs.sqlite`` on Linux)."""
    given = os.environ.get(ENV, "").strip()
    if given:
        return given
    import platformdirs

    return str(platformdirs.user_data_path("statecraft") / "runs.sqlite")


def _backend(location: str | Path, *, create: bool) -> _Backend:
    text = str(location)
    if "://" not in text:
        return _SQLite(Path(text).expanduser(), create=create)
    if text.startswith("sqlite:///"):
        return _SQLite(Path(text.removeprefix("sqlite:///")).expanduser(), create=create)
    return _SQLAlchemy(text)
