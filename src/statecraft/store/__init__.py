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
message, never misread.

The parts: :mod:`~statecraft.store.schema` (the tables, the schema version and the
migrations), :mod:`~statecraft.store.backends` (SQLite and SQLAlchemy),
:mod:`~statecraft.store.records` (:class:`Run`, and what is recorded of a result) and
:mod:`~statecraft.store.rundiff` (comparing two runs); :class:`Store` and :func:`open_store`
are defined here.

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

import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statecraft._version import __version__
from statecraft.store.backends import ENV as ENV
from statecraft.store.backends import WAIT_S as WAIT_S
from statecraft.store.backends import _Backend, _backend, _Tx, default_location
from statecraft.store.backends import _SQLAlchemy as _SQLAlchemy
from statecraft.store.backends import _SQLAlchemyTx as _SQLAlchemyTx
from statecraft.store.backends import _SQLiteTx as _SQLiteTx
from statecraft.store.errors import NoStore, StoreError
from statecraft.store.records import Run, _describe, _json, _NewRun
from statecraft.store.rundiff import RunDiff, diff
from statecraft.store.rundiff import _changes as _changes
from statecraft.store.schema import _MIGRATIONS, _RUN_COLUMNS, _SCHEMA_V1, _TABLES, SCHEMA_VERSION

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "NoStore",
    "Run",
    "RunDiff",
    "Store",
    "StoreError",
    "default_location",
    "diff",
    "open_store",
]

# The Store is defined here rather than in a submodule, so that it reads SCHEMA_VERSION and
# _MIGRATIONS from this package's namespace (where the tests replace them to try a migration).


def open_store(location: str | Path | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate if need be) the run store at ``location``: a SQLite file
    path, a ``sqlite:///`` URL or a SQLAlchemy database URL; by default
    :func:`default_location`. With ``create=False`` a missing SQLite file is an error."""
    return Store(_backend(location or default_location(), create=create))


class Store:
    """A run store; open one with :func:`open_store`. Usable as a context manager."""

    def __init__(self, backend: _Backend) -> None:
        self._db = backend
        self.location = backend.location
        try:
            self._prepare()
        except StoreError:
            backend.close()
            raise
        except Exception as exc:  # sqlite3.DatabaseError, SQLAlchemy's errors
            backend.close()
            raise StoreError(f"{self.location} is not a usable run store: {exc}") from None

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
                raise StoreError(
                    f"the run store {self.location} has schema version {version}, written "
                    f"by a newer Statecraft than this one ({__version__}, schema "
                    f"{SCHEMA_VERSION}): upgrade Statecraft to read it"
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step]:
                    tx.execute(statement)
                tx.execute(
                    "UPDATE statecraft_meta SET value = :v WHERE key = 'schema_version'",
                    {"v": str(step + 1)},
                )

    @staticmethod
    def _version(tx: _Tx) -> int:
        rows = tx.execute("SELECT value FROM statecraft_meta WHERE key = 'schema_version'")
        if not rows:
            raise StoreError("the run store has no schema version")
        return int(rows[0][0])

    @property
    def schema_version(self) -> int:
        with self._db.transaction(write=False) as tx:
            return self._version(tx)

    # writing -----------------------------------------------------------------------------

    def save(
        self,
        result: Any,
        *,
        source: str | Path | None = None,
        arguments: Mapping[str, Any] | None = None,
        parameters: Mapping[str, Any] | None = None,
        elapsed: float | None = None,
    ) -> str:
        """Record a result of :func:`~statecraft.forecast`, ``simulate``, ``compare`` or
        ``backtest`` (the last with ``source``, the table's path) in one transaction, and
        return the new run's id. ``arguments`` are the command's as given; ``parameters``
        add to what the result says of how it was made (e.g. the options of a simulation).
        """
        new = _describe(result, source)
        if parameters:
            new.parameters.update(parameters)
        return self._insert(new, dict(arguments or {}), elapsed)

    def _insert(self, new: _NewRun, arguments: dict[str, Any], elapsed: float | None) -> str:
        created = datetime.now(UTC).isoformat(timespec="microseconds")
        try:
            with self._db.transaction(write=True) as tx:
                run_id = self._new_id(tx)
                tx.execute(
                    "INSERT INTO statecraft_inputs (hash, kind, body) VALUES (:h, :k, :b) "
                    "ON CONFLICT (hash) DO NOTHING",
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
        except Exception as exc:
            raise StoreError(f"cannot record the run in {self.location}: {exc}") from None
        return run_id

    @staticmethod
    def _new_id(tx: _Tx) -> str:
        for _ in range(8):
            run_id = secrets.token_hex(4)
            if not tx.execute("SELECT 1 FROM statecraft_runs WHERE id = :id", {"id": run_id}):
                return run_id
        raise StoreError("could not draw a free run id")  # pragma: no cover - 2**32 ids

    def delete(self, ref: str) -> str:
        """Remove a run (and its tables); its input stays if another run shares it."""
        with self._db.transaction(write=True) as tx:
            run_id = self._resolve(tx, ref)
            tx.execute("DELETE FROM statecraft_results WHERE run_id = :id", {"id": run_id})
            tx.execute("DELETE FROM statecraft_runs WHERE id = :id", {"id": run_id})
            tx.execute(
                "DELETE FROM statecraft_inputs WHERE hash NOT IN "
                "(SELECT input_hash FROM statecraft_runs)"
            )
        return run_id

    # reading -----------------------------------------------------------------------------

    def _resolve(self, tx: _Tx, ref: str) -> str:
        ref = ref.strip()
        if ref == "latest":
            rows = tx.execute("SELECT id FROM statecraft_runs ORDER BY created DESC LIMIT 1")
            if not rows:
                raise StoreError(f"no runs recorded in {self.location} yet")
            return str(rows[0][0])
        if not ref or not all(c in "0123456789abcdef" for c in ref.lower()):
            raise StoreError(f"a run is named by its id, a prefix of it, or 'latest' (got {ref!r})")
        rows = tx.execute(
            "SELECT id FROM statecraft_runs WHERE id LIKE :p ORDER BY id LIMIT 3",
            {"p": ref.lower() + "%"},
        )
        if not rows:
            raise StoreError(
                f"no run {ref!r} in {self.location}; `statecraft runs list` shows them"
            )
        if len(rows) > 1:
            raise StoreError(
                f"{ref!r} names more than one run ({', '.join(r[0] for r in rows[:2])}...): "
                "give more of the id"
            )
        return str(rows[0][0])

    def resolve(self, ref: str) -> str:
        """The full id of the run named by ``ref``: an id, a unique prefix, or ``latest``."""
        with self._db.transaction(write=False) as tx:
            return self._resolve(tx, ref)

    def get(self, ref: str) -> Run:
        """One run, whole: its input, parameters, results and tables."""
        with self._db.transaction(write=False) as tx:
            run_id = self._resolve(tx, ref)
            row = tx.execute(
                f"SELECT {_RUN_COLUMNS} FROM statecraft_runs WHERE id = :id", {"id": run_id}
            )[0]
            kind, body = tx.execute(
                "SELECT kind, body FROM statecraft_inputs WHERE hash = :h", {"h": row[4]}
            )[0]
            tables = {
                name: (tuple(json.loads(keys)), json.loads(records))
                for name, keys, records in tx.execute(
                    "SELECT name, key_columns, records FROM statecraft_results "
                    "WHERE run_id = :id ORDER BY name",
                    {"id": run_id},
                )
            }
        return Run(
            id=row[0],
            created=datetime.fromisoformat(row[1]),
            command=row[2],
            arguments=json.loads(row[3]),
            input_hash=row[4],
            input_name=row[5],
            models=tuple(json.loads(row[6])),
            parameters=json.loads(row[7]),
            seed=None if row[8] is None else int(row[8]),
            version=row[9],
            status=row[10],
            elapsed=None if row[11] is None else float(row[11]),
            document=json.loads(row[12]),
            input_kind=kind,
            input=body,
            tables=tables,
        )

    def _where(self, command: str | None, scenario: str | None) -> tuple[str, dict[str, Any]]:
        clauses, params = [], {}
        if command:
            clauses.append("command = :command")
            params["command"] = command
        if scenario:
            clauses.append("input_name = :scenario")
            params["scenario"] = scenario
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def runs(
        self, *, command: str | None = None, scenario: str | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        """The runs, newest first, one row each: id, time (UTC), command, scenario (or table
        file), its hash, models, seed, status, version and seconds taken."""
        import pandas as pd

        where, params = self._where(command, scenario)
        sql = (
            "SELECT id, created, command, input_name, input_hash, models, seed, status, "
            f"version, elapsed FROM statecraft_runs{where} ORDER BY created DESC"
        )
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = int(limit)
        with self._db.transaction(write=False) as tx:
            rows = tx.execute(sql, params)
        frame = pd.DataFrame(
            [
                (
                    r[0],
                    pd.Timestamp(r[1]),
                    r[2],
                    r[3],
                    r[4],
                    ", ".join(json.loads(r[5])),
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                )
                for r in rows
            ],
            columns=[
                "id",
                "created",
                "command",
                "scenario",
                "sha256",
                "models",
                "seed",
                "status",
                "version",
                "elapsed",
            ],
        )
        frame["seed"] = frame["seed"].astype("Int64")
        frame["elapsed"] = frame["elapsed"].astype(float)
        return frame

    def table(
        self, name: str, *, command: str | None = None, scenario: str | None = None
    ) -> pd.DataFrame:
        """One result table across runs, oldest first, with each row's run id and time:
        e.g. ``table("forecasts", scenario="karabakh-2020")`` follows a forecast over time."""
        import pandas as pd

        where, params = self._where(command, scenario)
        params["name"] = name
        join = " AND " if where else " WHERE "
        with self._db.transaction(write=False) as tx:
            rows = tx.execute(
                "SELECT r.id, r.created, x.records FROM statecraft_runs r JOIN "
                "statecraft_results x ON x.run_id = r.id"
                f"{where}{join}x.name = :name ORDER BY r.created",
                params,
            )
        records = [
            {"run": run_id, "created": pd.Timestamp(created), **rec}
            for run_id, created, body in rows
            for rec in json.loads(body)
        ]
        return pd.DataFrame.from_records(records)

    def __len__(self) -> int:
        with self._db.transaction(write=False) as tx:
            return int(tx.execute("SELECT COUNT(*) FROM statecraft_runs")[0][0])
