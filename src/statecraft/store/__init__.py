"""The run store: every forecast, simulation, comparison and backtest, kept with what made it.

A run is kept with its id, the time, the command and its arguments, the scenario (or
DEU table) it ran on and that input's SHA-256, the models with their options, the seed, the
package version, the results as JSON and its tables (forecasts, winners, summaries,
leaderboards), so that a forecast made today can be read back, exported, compared with a
later one and checked against what happens.

The store is a SQLite file by default, in the user's data folder (``platformdirs``), or the
file or database URL given by ``--store`` or ``STATECRAFT_STORE``. A URL other than
``sqlite:///...`` (e.g. ``postgresql+psycopg://user@host/db``) goes through SQLAlchemy,
the optional extra ``statecraft[postgres]``.

Each run is written in one transaction, so a run is in the store whole or not at all. A
SQLite store runs in write-ahead-log mode and takes the write lock at the start of the
transaction (``BEGIN IMMEDIATE``), waiting up to 30 s for another writer, so processes
writing to one store at once all land. The schema carries a version: a store written by an
older Statecraft is migrated when opened, one written by a newer one is refused with a
message, never misread. A store opened to read (``write=False``) is opened read-only, so
that a store the user may not write can still be listed and exported.

Every failure of the database (a damaged file, a full disk, a read-only file, a server that
cannot be reached) is a :class:`StoreError` whose message names the store, its password
masked (:func:`mask`); a row that cannot be read is named, never a crash:
:meth:`Store.runs` lists it as ``unreadable``, :meth:`Store.get` says what is wrong with it,
and :meth:`Store.check` (``statecraft runs check``) runs SQLite's integrity check and reads
every run.

The parts: :mod:`~statecraft.store.schema` (the tables, the schema version and the
migrations), :mod:`~statecraft.store.backends` (SQLite and SQLAlchemy),
:mod:`~statecraft.store.records` (:class:`Run`, what is recorded of a result, and reading a
row back), :mod:`~statecraft.store.rundiff` (comparing two runs) and
:mod:`~statecraft.store.check` (the check of a damaged store); :class:`Store` and
:func:`open_store` are defined here.

>>> import tempfile, pathlib
>>> from statecraft import forecast, load
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with open_store(folder / "runs.sqlite") as store:
...     run_id = store.save(forecast(load("ec-emissions-1994"), "compromise"))
...     store.get(run_id).frame("forecasts")[["issue", "model", "forecast"]].round(1)
       issue       model  forecast
0  emissions  compromise       7.4
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from statecraft._version import __version__
from statecraft.store.backends import ENV as ENV
from statecraft.store.backends import WAIT_S as WAIT_S
from statecraft.store.backends import _Backend, _backend, _Tx, default_location, mask
from statecraft.store.backends import _SQLAlchemy as _SQLAlchemy
from statecraft.store.backends import _SQLAlchemyTx as _SQLAlchemyTx
from statecraft.store.backends import _SQLiteTx as _SQLiteTx
from statecraft.store.check import Check, check_store
from statecraft.store.errors import NoRun, NoStore, StoreError
from statecraft.store.reading import _Reader
from statecraft.store.records import SEED_MAX, Run, _describe, _json, _NewRun, check_label
from statecraft.store.rundiff import RunDiff, diff
from statecraft.store.rundiff import _changes as _changes
from statecraft.store.schema import _MIGRATIONS, _RUN_COLUMNS, _SCHEMA_V1, _TABLES, SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "SEED_MAX",
    "Check",
    "NoRun",
    "NoStore",
    "Run",
    "RunDiff",
    "Store",
    "StoreError",
    "check_label",
    "default_location",
    "diff",
    "mask",
    "open_store",
]

# The Store is defined here rather than in a submodule, so that it reads SCHEMA_VERSION and
# _MIGRATIONS from this package's namespace (where the tests replace them to try a migration).


def open_store(
    location: str | Path | None = None, *, create: bool = True, write: bool = True
) -> Store:
    """Open (and create or migrate if need be) the run store at ``location``: a SQLite file
    path, a ``sqlite:///`` URL or a SQLAlchemy database URL; by default
    :func:`default_location`. With ``create=False`` a missing SQLite file is an error
    (:class:`NoStore`). With ``write=False`` the store is opened to read only: nothing is
    created or migrated, and a SQLite file is opened read-only (a store without runs, or
    none at all, is :class:`NoStore`)."""
    where = location or default_location()
    if isinstance(where, str):
        where = where.strip()
    return Store(_backend(where, create=create and write, write=write), write=write)


class Store(_Reader):
    """A run store; open one with :func:`open_store`. Usable as a context manager."""

    def __init__(self, backend: _Backend, *, write: bool = True) -> None:
        self._db = backend
        self.location = backend.location  # a database URL's password is masked
        self.writable = write
        try:
            if write:
                self._prepare()
            else:
                self._check_readable()
        except StoreError:
            backend.close()
            raise
        except Exception as exc:  # the database's errors, and whatever a damaged file gives
            backend.close()
            raise StoreError(self._explain(exc, "open")) from None

    def __repr__(self) -> str:
        return f"<Store {self.location}{'' if self.writable else ' (read-only)'}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # schema ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the schema in an empty store, migrate an older one, refuse a newer one."""
        with self._db.transaction(write=True) as tx:
            if self._db.dialect == "postgresql":
                # Two processes opening a new store at once must not both create it.
                tx.execute("SELECT pg_advisory_xact_lock(2020111010)")
            present = self._db.tables(tx) & set(_TABLES)
            if not present:
                for statement in _SCHEMA_V1:
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO statecraft_meta (key, value) VALUES ('schema_version', '1')"
                )
                version = 1
            elif "statecraft_meta" not in present:
                raise StoreError(
                    f"{self.location} holds tables named like Statecraft's but no schema "
                    "version: it is not a run store this version can read"
                )
            else:
                version = self._version(tx)
            if version > SCHEMA_VERSION:
                raise self._newer(version)
            for step in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step]:
                    tx.execute(statement)
                tx.execute(
                    "UPDATE statecraft_meta SET value = :v WHERE key = 'schema_version'",
                    {"v": str(step + 1)},
                )

    def _newer(self, version: int) -> StoreError:
        return StoreError(
            f"the run store {self.location} has schema version {version}, written by a "
            f"newer Statecraft than this one ({__version__}, schema {SCHEMA_VERSION}): "
            "upgrade Statecraft to read it"
        )

    def _check_readable(self) -> None:
        """Opened to read: a store with the current schema (or none: :class:`NoStore`)."""
        with self._db.transaction(write=False) as tx:
            present = self._db.tables(tx) & set(_TABLES)
            if not present:
                raise NoStore(f"no runs recorded in {self.location} yet")
            if present != set(_TABLES):
                raise StoreError(
                    f"{self.location} lacks some of a run store's tables "
                    f"({', '.join(sorted(set(_TABLES) - present))}): it is not a run store "
                    "this version can read"
                )
            version = self._version(tx)
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"the run store {self.location} has schema version {version}, older than this "
                f"Statecraft's ({SCHEMA_VERSION}): open it once with write access (e.g. "
                "record a run in it) to migrate it"
            )

    def _version(self, tx: _Tx) -> int:
        rows = tx.execute("SELECT value FROM statecraft_meta WHERE key = 'schema_version'")
        if not rows:
            raise StoreError(f"the run store {self.location} has no schema version")
        try:
            return int(rows[0][0])
        except (TypeError, ValueError):
            raise StoreError(
                f"the run store {self.location} has a schema version that is not a whole "
                f"number ({str(rows[0][0])[:40]!r}): it is damaged"
            ) from None

    @property
    def schema_version(self) -> int:
        with self._tx(write=False, doing="read") as tx:
            return self._version(tx)

    def check_writable(self) -> None:
        """Write to the store and commit, taking the write back in the same transaction: a
        :class:`StoreError` if the store cannot record a run (a read-only file, a full disk,
        no permission), found before anything runs rather than after."""
        if not self.writable:
            raise StoreError(f"the run store {self.location} was opened to read only")
        if self._db.dialect == "sqlite":
            self._quick_check()
        with self._tx(write=True, doing="write to") as tx:
            tx.execute("DELETE FROM statecraft_meta WHERE key = 'write_check'")
            tx.execute(
                "INSERT INTO statecraft_meta (key, value) VALUES ('write_check', :v)",
                {"v": datetime.now(UTC).isoformat()},
            )
            tx.execute("DELETE FROM statecraft_meta WHERE key = 'write_check'")

    def _quick_check(self) -> None:
        """SQLite's ``PRAGMA quick_check``: the file's pages and b-trees are whole (not the
        indexes' agreement with their tables, which the full integrity check adds). About
        20 to 50 ms on a store of 1,000 runs (40 MB); a damaged file is a StoreError."""
        with self._tx(write=False, doing="check") as tx:
            rows = tx.execute("PRAGMA quick_check(3)")
        problems = [line for r in rows for line in str(r[0]).splitlines() if line]
        if problems and problems != ["ok"]:
            said = [p for p in problems if not p.startswith("*** in database")] or problems
            first = self._db.scrub(said[0])
            raise StoreError(
                f"the run store {self.location} is damaged (SQLite's quick check: {first}): "
                "`statecraft runs check` says which runs can still be read; save them with "
                "`statecraft runs export` and start a new store"
            )

    def check(self) -> Check:
        """SQLite's integrity check (on a SQLite store) and a reading of every run: which
        runs cannot be read, and why (``statecraft runs check``)."""
        return check_store(self)

    # writing -----------------------------------------------------------------------------

    def save(
        self,
        result: Any,
        *,
        source: str | Path | None = None,
        arguments: Mapping[str, Any] | None = None,
        parameters: Mapping[str, Any] | None = None,
        elapsed: float | None = None,
        label: str | None = None,
    ) -> str:
        """Record a result of :func:`~statecraft.forecast`, ``simulate``, ``compare``,
        ``backtest`` (with ``source``, the table's path), a sensitivity analysis, ``risk`` or
        ``timeline`` in one transaction, and return the new run's id. ``arguments`` are the
        command's as given;
        ``parameters`` add to what the result says of how it was made (e.g. the options of a
        simulation); ``label`` is a few words of the analyst's, shown by :meth:`runs` (kept
        with the arguments, as ``--label`` is).
        """
        new = _describe(result, source)
        if parameters:
            new.parameters.update(parameters)
        kept = dict(arguments or {})
        if label is not None:
            kept["label"] = check_label(label)
        return self._insert(new, kept, elapsed)

    def _insert(self, new: _NewRun, arguments: dict[str, Any], elapsed: float | None) -> str:
        if not self.writable:
            raise StoreError(f"the run store {self.location} was opened to read only")
        if new.seed is not None and not 0 <= new.seed <= SEED_MAX:
            raise StoreError(
                f"cannot record a run with the seed {new.seed}: a seed runs from 0 to {SEED_MAX}"
            )
        created = datetime.now(UTC).isoformat(timespec="microseconds")
        try:
            with self._db.transaction(write=True) as tx:
                run_id = self._new_id(tx)
                tx.execute(
                    "INSERT INTO statecraft_inputs (hash, kind, body) VALUES (:h, :k, :b) "
                    "ON CONFLICT (hash) DO NOTHING",
                    {"h": new.input_hash, "k": new.input_kind, "b": new.input},
                )
                # The input may be kept already, by an earlier run: if its text is not what
                # its hash says (damaged bytes), the new run would share the damage. The
                # text is compared in the database (damaged bytes need not decode) and
                # written afresh where it differs, which mends the earlier runs too.
                same = tx.execute(
                    "SELECT body = :b AND kind = :k FROM statecraft_inputs WHERE hash = :h",
                    {"h": new.input_hash, "k": new.input_kind, "b": new.input},
                )
                if not same or not same[0][0]:
                    tx.execute(
                        "UPDATE statecraft_inputs SET body = :b, kind = :k WHERE hash = :h",
                        {"h": new.input_hash, "k": new.input_kind, "b": new.input},
                    )
                tx.execute(
                    f"INSERT INTO statecraft_runs ({_RUN_COLUMNS}) VALUES (:id, :created, "
                    ":command, :arguments, :input_hash, :input_name, :models, :parameters, "
                    ":seed, :version, :status, :elapsed, :document)",
                    {
                        "id": run_id,
                        "created": created,
                        "command": new.command,
                        "arguments": _json(arguments),
                        "input_hash": new.input_hash,
                        "input_name": new.input_name,
                        "models": _json(list(new.models)),
                        "parameters": _json(new.parameters),
                        "seed": new.seed,
                        "version": __version__,
                        "status": new.status,
                        "elapsed": elapsed,
                        "document": _json(new.document),
                    },
                )
                for name, (keys, records) in new.tables.items():
                    tx.execute(
                        "INSERT INTO statecraft_results (run_id, name, key_columns, records) "
                        "VALUES (:r, :n, :k, :rec)",
                        {"r": run_id, "n": name, "k": _json(list(keys)), "rec": _json(records)},
                    )
        except StoreError:
            raise
        except Exception as exc:  # the database's errors, and any other: never half a run
            raise StoreError(self._explain(exc, "record the run in")) from None
        return run_id

    @staticmethod
    def _new_id(tx: _Tx) -> str:
        for _ in range(8):
            run_id = secrets.token_hex(4)
            if not tx.execute("SELECT 1 FROM statecraft_runs WHERE id = :id", {"id": run_id}):
                return run_id
        raise StoreError("could not draw a free run id")  # pragma: no cover - 2**32 ids

    def delete(self, ref: str) -> str:
        """Remove a run (and its tables); its input stays if another run shares it. A run
        that cannot be read can be deleted."""
        if not self.writable:
            raise StoreError(f"the run store {self.location} was opened to read only")
        with self._tx(write=True, doing="delete from") as tx:
            run_id = self._resolve(tx, ref)
            tx.execute("DELETE FROM statecraft_results WHERE run_id = :id", {"id": run_id})
            tx.execute("DELETE FROM statecraft_runs WHERE id = :id", {"id": run_id})
            tx.execute(
                "DELETE FROM statecraft_inputs WHERE hash NOT IN "
                "(SELECT input_hash FROM statecraft_runs)"
            )
        return run_id

    # reading -----------------------------------------------------------------------------
