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
# SQLite reports a disk that filled during a write as an I/O error as often as "full": with
# less than this free beside the file, the disk is taken to be full.
FULL_BYTES = 1 << 20


# scheme://user:SECRET@rest: the secret runs to the last @ before a space, so that a password
# holding an unescaped @ is hidden whole (at worst, more than the password is hidden)
_USERINFO = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:@/\s]*):(?P<secret>[^\s]*)@(?P<rest>[^@\s]*)"
)
# A parameter that may hold a secret, in a URL's query (?password=...&sslkey=...) or in a
# driver's key=value connection string (password=... host=...): any name holding one of
# these words, whatever its case. Generous on purpose: hiding a harmless value costs nothing.
_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "auth", "cred", "sig")
_PARAMETER = re.compile(
    r"(?P<head>(?:^|(?<=[?&;\s]))[A-Za-z0-9_.\-]*(?:"
    + "|".join(_SECRET_WORDS)
    + r")[A-Za-z0-9_.\-]*\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|[^&;#\s'\"]*)",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    """``text`` with the password of every database URL in it replaced by ``***``:
    ``mysql://analyst:hunter2@host/db`` becomes ``mysql://analyst:***@host/db``, and
    ``postgresql://u@host/db?password=hunter2`` becomes ``...?password=***`` (so does any
    parameter whose name holds pass, pwd, secret, token, key, auth, cred or sig). Paths and
    URLs without a password are left as they are."""
    text = _USERINFO.sub(lambda m: f"{m['head']}:***@{m['rest']}", text)
    return _PARAMETER.sub(lambda m: f"{m['head']}***" if m["secret"] else m[0], text)


def _secrets(url: str) -> list[str]:
    """The secrets a database URL holds (its password, its secret-like parameters' values),
    to be taken out of a driver's messages wherever they appear."""
    from urllib.parse import unquote

    found = [m["secret"] for m in _USERINFO.finditer(url)]
    found += [m["secret"].strip("'") for m in _PARAMETER.finditer(url.partition("?")[2])]
    found += [unquote(x) for x in found]
    return sorted({x for x in found if x}, key=len, reverse=True)


_BACKGROUND = re.compile(r"\s*\(Background on this error at: [^)]*\)")
_DRIVER_CLASS = re.compile(r"^\((?:[A-Za-z_][\w.]*)\)\s*")
_NOT_UTF8 = re.compile(r"Could not decode to UTF-8 column '(?P<column>[^']*)' with text .*", re.S)


def words(text: str) -> str:
    """A database's error message on one line, fit to print: without SQLAlchemy's link to
    its documentation, the statement and parameters it quotes, the driver's class name,
    or the damaged bytes SQLite quotes when a column is not UTF-8 (``column 'body'`` is
    named instead)."""
    text = _BACKGROUND.sub("", text)
    text = re.split(r"\n?\[SQL: ", text, maxsplit=1)[0]
    text = _DRIVER_CLASS.sub("", text.strip())
    text = _NOT_UTF8.sub(
        lambda m: f"column {m['column']!r} holds bytes that are not UTF-8 text (a damaged page)",
        text,
    )
    lines = [" ".join(line.split()) for line in text.splitlines()]
    said = ""
    for line in filter(None, lines):
        said += line if not said else (" " if said[-1] in ".:;,(" else "; ") + line
    return said


class _Tx(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement with ``:name`` parameters; the rows it returns."""
        ...


class _Backend(Protocol):
    location: str  # where the store is, fit to print: a database URL's password masked
    dialect: str
    errors: tuple[type[BaseException], ...]  # the errors of the database and its driver

    def scrub(self, text: str) -> str:
        """``text`` (an error's message) on one line, without the store's password."""
        ...

    def diagnose(self, exc: BaseException) -> str | None:
        """What a database error means, where the store's place tells (a full disk, a file
        that cannot be written), in words; None where it does not."""
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
        self.path = path
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
                    raise StoreError(self._cannot_open(exc)) from None
            except sqlite3.Error as exc:
                raise StoreError(self._cannot_open(exc)) from None
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

    def _cannot_open(self, exc: BaseException) -> str:
        meaning = self.diagnose(exc)
        said = self.scrub(str(exc))
        if meaning:
            return f"cannot open the run store {self.path}: {meaning} (SQLite says: {said})"
        return f"cannot open the run store {self.path}: {said}"

    def scrub(self, text: str) -> str:
        return words(text)

    def diagnose(self, exc: BaseException) -> str | None:
        """SQLite's I/O error beside a disk with less than :data:`FULL_BYTES` free is a full
        disk; its "unable to open" or "readonly" beside a file or folder this user may not
        write is a read-only store."""
        name = str(getattr(exc, "sqlite_errorname", "") or "")
        text = str(exc).lower()
        if name.startswith("SQLITE_FULL") or "is full" in text:
            return "the disk is full"
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            free = _free_bytes(self.path)
            if free is not None and free < FULL_BYTES:
                return f"the disk is full ({free:,} bytes free)"
            return None
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return "it is read-only to this user: it cannot be written"
        if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
            if not self.write:
                return None
            folder = self.path.absolute().parent
            if self.path.exists() and not os.access(self.path, os.W_OK):
                return "it is read-only to this user: the file cannot be written"
            if not os.access(folder, os.W_OK):
                return (
                    "it is read-only to this user: its folder cannot be written (SQLite "
                    "needs to make its journal files there)"
                )
        return None

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
        self._secrets = _secrets(url)
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

    def diagnose(self, exc: BaseException) -> str | None:
        return None  # the server's message says it

    def scrub(self, text: str) -> str:
        """The text on one line (:func:`words`), without the URL's password and secret
        parameters, in a URL or on their own."""
        text = mask(words(text))
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


def _free_bytes(path: Path) -> int | None:
    """The bytes free on the disk that holds ``path`` (None if that cannot be told)."""
    import shutil

    where = path.absolute()
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        return shutil.disk_usage(where).free
    except OSError:
        return None


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
