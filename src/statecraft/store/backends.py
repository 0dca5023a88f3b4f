"""Where a run store lives: a SQLite file through the standard library, or any other
database through SQLAlchemy, each behind the same small transaction interface."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from statecraft.store.errors import NoStore, StoreError

ENV = "STATECRAFT_STORE"
WAIT_S = 30.0  # how long a writer waits for another to finish before giving up


# scheme://user:SECRET@rest: the secret runs to the last @ before a space, so that a password
# holding an unescaped @ is hidden whole (at worst, more than the password is hidden)
_USERINFO = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:@/\s]*):(?P<secret>[^\s]*)@(?P<rest>[^@\s]*)"
)


def mask(text: str) -> str:
    """``text`` with the password of every database URL in it replaced by ``***``:
    ``mysql://analyst:hunter2@host/db`` becomes ``mysql://analyst:***@host/db``. Paths and
    URLs without a password are left as they are."""
    return _USERINFO.sub(lambda m: f"{m['head']}:***@{m['rest']}", text)


class _Tx(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement with ``:name`` parameters; the rows it returns."""
        ...


class _Backend(Protocol):
    location: str  # where the store is, fit to print: a database URL's password masked
    dialect: str
    errors: tuple[type[BaseException], ...]  # the errors of the database and its driver

    def scrub(self, text: str) -> str:
        """``text`` (an error's message) without the store's password."""
        ...

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
    # UnicodeDecodeError: SQLite's own message about a damaged schema can quote its bytes,
    # which the sqlite3 module then fails to decode.
    errors: tuple[type[BaseException], ...] = (
        sqlite3.Error,
        OverflowError,
        OSError,
        UnicodeDecodeError,
    )

    def __init__(self, path: Path, *, create: bool, write: bool = True) -> None:
        self.location = str(path)
        self.write = write
        if not path.exists():
            if not create or not write:
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
                self._conn = self._connect(path) if write else self._connect_readonly(path)
                break
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open the run store {path}: {exc}") from None
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the run store {path}: {exc}") from None
            except UnicodeDecodeError:
                raise StoreError(
                    f"cannot open the run store {path}: its schema is damaged "
                    "(SQLite's message about it is not even text)"
                ) from None
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
        except (sqlite3.Error, UnicodeDecodeError):
            conn.close()
            raise
        return conn

    @staticmethod
    def _connect_readonly(path: Path) -> sqlite3.Connection:
        # mode=ro reads a store the user may not write (a file or folder without write
        # permission). A store in WAL mode whose -shm file cannot be made (a read-only folder)
        # opens only as immutable: SQLite then takes no locks, so it is the last resort.
        uri = f"file:{quote(str(path.absolute()))}"
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=WAIT_S, isolation_level=None)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise
            conn = sqlite3.connect(
                f"{uri}?immutable=1", uri=True, timeout=WAIT_S, isolation_level=None
            )
        return conn

    def scrub(self, text: str) -> str:
        return text

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
        self._secrets = [m["secret"] for m in _USERINFO.finditer(url) if m["secret"]]
        self.location = mask(url)
        self.errors: tuple[type[BaseException], ...] = (OSError,)
        try:
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url
        except ImportError:
            raise StoreError(
                "a database URL as the run store needs SQLAlchemy and a driver: "
                "pip install 'statecraft[postgres]'"
            ) from None
        from sqlalchemy.exc import SQLAlchemyError

        self.errors = (SQLAlchemyError, OSError, OverflowError)
        try:
            parsed = make_url(url)
            if parsed.password:
                self._secrets.append(str(parsed.password))
            self._engine = create_engine(parsed, pool_pre_ping=True)
        except Exception as exc:  # a bad URL or a driver that is not installed
            raise StoreError(
                f"cannot use {self.location!r} as the run store: {self.scrub(str(exc))}"
            ) from None
        self.dialect = self._engine.dialect.name

    def scrub(self, text: str) -> str:
        """The text without the URL's password, in a URL or on its own."""
        text = mask(text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

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


def _backend(location: str | Path, *, create: bool, write: bool = True) -> _Backend:
    text = str(location)
    if "://" not in text:
        return _SQLite(Path(text).expanduser(), create=create, write=write)
    if text.startswith("sqlite:///"):
        path = Path(text.removeprefix("sqlite:///")).expanduser()
        return _SQLite(path, create=create, write=write)
    return _SQLAlchemy(text)
