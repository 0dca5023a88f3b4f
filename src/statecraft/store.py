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

import hashlib
import json
import math
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from statecraft._version import __version__
from statecraft.errors import StatecraftError

if TYPE_CHECKING:
    import pandas as pd

    from statecraft.scenario import Scenario

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

ENV = "STATECRAFT_STORE"
WAIT_S = 30.0  # how long a writer waits for another to finish before giving up


class StoreError(StatecraftError):
    """The run store cannot be opened, read or written."""


class NoStore(StoreError):
    """There is no store at the place named, and none was to be created."""


# --- the schema -------------------------------------------------------------------------
# Version 1 is created as written here, then every migration is applied in turn, so that a
# new store and a migrated one take the same path. A change of schema appends to
# _MIGRATIONS (never edits _SCHEMA_V1): SCHEMA_VERSION follows.

_SCHEMA_V1: tuple[str, ...] = (
    "CREATE TABLE statecraft_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE statecraft_inputs (
        hash CHAR(64) PRIMARY KEY,
        kind VARCHAR(32) NOT NULL,
        body TEXT NOT NULL)""",
    """CREATE TABLE statecraft_runs (
        id VARCHAR(32) PRIMARY KEY,
        created VARCHAR(40) NOT NULL,
        command VARCHAR(32) NOT NULL,
        arguments TEXT NOT NULL,
        input_hash CHAR(64) NOT NULL REFERENCES statecraft_inputs (hash),
        input_name TEXT,
        models TEXT NOT NULL,
        parameters TEXT NOT NULL,
        seed BIGINT,
        version VARCHAR(32) NOT NULL,
        status VARCHAR(16) NOT NULL,
        elapsed DOUBLE PRECISION,
        document TEXT NOT NULL)""",
    "CREATE INDEX statecraft_runs_created ON statecraft_runs (created)",
    """CREATE TABLE statecraft_results (
        run_id VARCHAR(32) NOT NULL REFERENCES statecraft_runs (id) ON DELETE CASCADE,
        name VARCHAR(64) NOT NULL,
        key_columns TEXT NOT NULL,
        records TEXT NOT NULL,
        PRIMARY KEY (run_id, name))""",
)

# version n -> the statements that take a store from version n to n + 1
_MIGRATIONS: dict[int, tuple[str, ...]] = {}

SCHEMA_VERSION = 1 + len(_MIGRATIONS)

_TABLES = ("statecraft_meta", "statecraft_inputs", "statecraft_runs", "statecraft_results")


# --- backends: SQLite through the standard library, anything else through SQLAlchemy ------


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


def open_store(location: str | Path | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate if need be) the run store at ``location``: a SQLite file
    path, a ``sqlite:///`` URL or a SQLAlchemy database URL; by default
    :func:`default_location`. With ``create=False`` a missing SQLite file is an error."""
    return Store(_backend(location or default_location(), create=create))


# --- runs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One recorded run, as read back from the store."""

    id: str
    created: datetime
    command: str
    arguments: Mapping[str, Any]
    input_kind: str  # "scenario" (its JSON) or "deu-table" (the file's text)
    input_name: str | None
    input_hash: str
    input: str
    models: tuple[str, ...]
    parameters: Mapping[str, Any]
    seed: int | None
    version: str
    status: str  # "complete" or "interrupted" (a simulation stopped early keeps its draws)
    elapsed: float | None
    document: Mapping[str, Any]  # the results as ``--format json`` prints them
    tables: Mapping[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = field(repr=False)

    def frame(self, name: str) -> pd.DataFrame:
        """One of the run's result tables as a DataFrame (see ``tables`` for the names)."""
        import pandas as pd

        if name not in self.tables:
            raise KeyError(f"run {self.id} has no table {name!r}; it has: {', '.join(self.tables)}")
        return pd.DataFrame.from_records(self.tables[name][1])

    def scenario(self) -> Scenario:
        """The scenario the run was made on, exactly as it was then."""
        from statecraft.io.native import parse_json

        if self.input_kind != "scenario":
            raise StoreError(f"run {self.id} ran on a {self.input_kind}, not a scenario")
        return parse_json(self.input, file=f"run {self.id}")

    def to_dict(self) -> dict[str, Any]:
        """Everything recorded, JSON-ready (the shape of ``statecraft runs export``)."""
        return {
            "id": self.id,
            "created": self.created.isoformat(),
            "command": self.command,
            "arguments": dict(self.arguments),
            "input": {
                "kind": self.input_kind,
                "name": self.input_name,
                "sha256": self.input_hash,
                "body": json.loads(self.input) if self.input_kind == "scenario" else self.input,
            },
            "models": list(self.models),
            "parameters": dict(self.parameters),
            "seed": self.seed,
            "version": self.version,
            "status": self.status,
            "elapsed": self.elapsed,
            "results": dict(self.document),
            "tables": {
                name: {"keys": list(keys), "records": records}
                for name, (keys, records) in self.tables.items()
            },
        }


@dataclass(frozen=True)
class _NewRun:
    command: str
    input_kind: str
    input_name: str | None
    input: str
    input_hash: str
    models: tuple[str, ...]
    parameters: dict[str, Any]
    seed: int | None
    status: str
    document: dict[str, Any]
    tables: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]]


def _json(data: Any) -> str:
    """JSON for the store: NaN and infinities become null (JSON has no words for them)."""

    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, Mapping):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        if hasattr(x, "item") and callable(x.item):  # NumPy scalars
            return clean(x.item())
        return x

    return json.dumps(clean(data), ensure_ascii=False, allow_nan=False)


def _scenario_input(scenario: Scenario) -> tuple[str, str]:
    from statecraft.io.native import dumps_json

    body = dumps_json(scenario)
    return body, hashlib.sha256(body.encode("utf-8")).hexdigest()


def _ranking(model: str, w: Any) -> list[dict[str, Any]]:
    return [{"model": model, "actor": g.actor, "name": g.name, "gain": g.gain} for g in w.ranking]


def _describe(result: Any, source: str | Path | None) -> _NewRun:
    """What to record of a result of forecast, simulate, compare or backtest."""
    from statecraft.analysis.backtest import Backtest
    from statecraft.analysis.counterfactual import Comparison
    from statecraft.analysis.uncertainty import Simulation
    from statecraft.runner import Forecast

    if isinstance(result, Forecast):
        body, digest = _scenario_input(result.scenario)
        winners = [r for m, w in result.winners_by_model.items() for r in _ranking(m, w)]
        if result.actual_winners is not None:
            winners += _ranking("actual", result.actual_winners)
        return _NewRun(
            command="forecast",
            input_kind="scenario",
            input_name=result.scenario.name,
            input=body,
            input_hash=digest,
            models=tuple(result.model_names),
            parameters={
                "primary": result.primary,
                "options": {m.name: dict(m.options) for m in result.models},
            },
            seed=None,
            status="complete",
            document=result.to_dict(),
            tables={
                "forecasts": (("issue", "model"), result.to_records()),
                "winners": (("model", "actor"), winners),
            },
        )
    if isinstance(result, Simulation):
        body, digest = _scenario_input(result.scenario)
        return _NewRun(
            command="simulate",
            input_kind="scenario",
            input_name=result.scenario.name,
            input=body,
            input_hash=digest,
            models=tuple(result.models),
            parameters={"draws": result.requested, "draws_done": result.draws},
            seed=result.seed,
            status="interrupted" if result.interrupted else "complete",
            document=result.to_dict(),
            tables={
                "summary": (("issue", "model"), result.to_records()),
                "biggest_winner": (
                    ("model", "actor"),
                    [
                        {"model": m, "actor": a, "probability": p}
                        for m, by_actor in result.biggest_winner.items()
                        for a, p in by_actor.items()
                    ],
                ),
            },
        )
    if isinstance(result, Comparison):
        body, digest = _scenario_input(result.base.scenario)
        labelled = [("base", result.base), *((p.name, f) for p, f in result.patched)]
        tables: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {
            "forecasts": (("scenario", "issue", "model"), result.to_records()),
            "winners": (
                ("scenario", "model", "actor"),
                [
                    {"scenario": label, **r}
                    for label, f in labelled
                    for r in _ranking(f.primary, f.winners)
                ],
            ),
        }
        if result.simulations:
            tables["intervals"] = (
                ("scenario", "issue", "model"),
                [
                    {"scenario": label, **r}
                    for (label, _), sim in zip(labelled, result.simulations, strict=True)
                    for r in sim.to_records()
                ],
            )
        seed = result.simulations[0].seed if result.simulations else None
        return _NewRun(
            command="compare",
            input_kind="scenario",
            input_name=result.base.scenario.name,
            input=body,
            input_hash=digest,
            models=tuple(result.base.model_names),
            parameters={
                "patches": [p.model_dump(mode="json") for p, _ in result.patched],
                "options": {m.name: dict(m.options) for m in result.base.models},
                "draws": result.simulations[0].requested if result.simulations else 0,
            },
            seed=seed,
            status="complete",
            document=result.to_dict(),
            tables=tables,
        )
    if isinstance(result, Backtest):
        if source is None:
            raise StoreError("a backtest is recorded with its table: give source=PATH")
        raw = Path(source).read_bytes()
        document = result.to_dict()
        leaderboard = [
            {
                "model": s["model"],
                "n": s["n"],
                "mae": s["mae"],
                "mae_low": s["mae_ci"][0],
                "mae_high": s["mae_ci"][1],
                "rmse": s["rmse"],
                "median_ae": s["median_ae"],
                "vs_compromise": s["vs_compromise"],
            }
            for s in document["leaderboard"]
        ]
        return _NewRun(
            command="backtest",
            input_kind="deu-table",
            input_name=Path(source).name,
            input=raw.decode("utf-8-sig", errors="replace"),
            input_hash=hashlib.sha256(raw).hexdigest(),
            models=tuple(result.models),
            parameters={
                "capability": result.table.capability,
                "replicates": result.replicates,
                "fitted": dict(result.fitted),
            },
            seed=result.seed,
            status="complete",
            document=document,
            tables={
                "forecasts": (("issue",), result.to_records()),
                "leaderboard": (("model",), leaderboard),
            },
        )
    raise TypeError(
        "the store keeps the results of forecast, simulate, compare and backtest, "
        f"not a {type(result).__name__}"
    )


# --- the store --------------------------------------------------------------------------


_RUN_COLUMNS = (
    "id, created, command, arguments, input_hash, input_name, models, parameters, seed, "
    "version, status, elapsed, document"
)


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


# --- comparing two runs -----------------------------------------------------------------


@dataclass(frozen=True)
class RunDiff:
    """What differs between two runs: how they were made, their inputs, their numbers."""

    a: str
    b: str
    setup: tuple[tuple[str, Any, Any], ...]  # (what, in a, in b)
    inputs: tuple[tuple[str, Any, Any], ...]  # (path in the scenario, in a, in b)
    values: pd.DataFrame  # table, key, column, a, b, difference: rows in both runs
    unmatched: tuple[tuple[str, str, str], ...] = ()  # (table, key, the run it is in)

    @property
    def same(self) -> bool:
        return not self.setup and not self.inputs and self.values.empty and not self.unmatched

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "setup": [{"what": w, "a": x, "b": y} for w, x, y in self.setup],
            "inputs": [{"path": p, "a": x, "b": y} for p, x, y in self.inputs],
            "unmatched": [{"table": t, "key": k, "in": r} for t, k, r in self.unmatched],
            "values": self.values.astype(object)
            .where(self.values.notna(), None)
            .to_dict(orient="records"),
        }


def _changes(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """The leaves that differ between two JSON values; lists of things with an ``id`` are
    matched by id, so that ``actors[turkey].capability`` names what changed."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                yield sub, a[key], None
            elif key not in a:
                yield sub, None, b[key]
            else:
                yield from _changes(a[key], b[key], sub)
        return
    if isinstance(a, list) and isinstance(b, list):
        if all(isinstance(x, dict) and "id" in x for x in [*a, *b]):
            yield from _changes({str(x["id"]): x for x in a}, {str(x["id"]): x for x in b}, path)
            return
        if len(a) == len(b):
            for k, (x, y) in enumerate(zip(a, b, strict=True)):
                yield from _changes(x, y, f"{path}[{k}]")
            return
    if a != b:
        yield path, a, b


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x)


def diff(a: Run, b: Run, *, tolerance: float = 1e-9) -> RunDiff:
    """Compare two runs: their command, models, parameters, seed and version; their inputs
    (path by path for scenarios); and every number of the result tables they share, matched
    on the tables' keys (e.g. issue and model), where the two differ by more than
    ``tolerance``. Rows that only one run has (a model run in one only) are listed apart."""
    import pandas as pd

    setup = [
        (what, x, y)
        for what, x, y in (
            ("command", a.command, b.command),
            ("models", list(a.models), list(b.models)),
            ("seed", a.seed, b.seed),
            ("version", a.version, b.version),
            ("status", a.status, b.status),
        )
        if x != y
    ]
    setup += [
        (f"parameters.{p}", x, y) for p, x, y in _changes(dict(a.parameters), dict(b.parameters))
    ]
    if a.input_hash == b.input_hash:
        inputs: list[tuple[str, Any, Any]] = []
    elif a.input_kind == b.input_kind == "scenario":
        inputs = list(_changes(json.loads(a.input), json.loads(b.input)))
    else:
        inputs = [("sha256", a.input_hash, b.input_hash)]
    rows: list[dict[str, Any]] = []
    unmatched: list[tuple[str, str, str]] = []
    for name in (n for n in a.tables if n in b.tables):
        keys = a.tables[name][0]
        if b.tables[name][0] != keys:
            continue

        def index(records: list[dict[str, Any]], keys: tuple[str, ...] = keys) -> dict[Any, Any]:
            return {tuple(r.get(k) for k in keys): r for r in records}

        left, right = index(a.tables[name][1]), index(b.tables[name][1])
        for key in [*left, *(k for k in right if k not in left)]:
            label = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
            if key not in left or key not in right:
                unmatched.append((name, label, a.id if key in left else b.id))
                continue
            ra, rb = left[key], right[key]
            for column in [*ra, *(c for c in rb if c not in ra)]:
                if column in keys:
                    continue
                x, y = _number(ra.get(column)), _number(rb.get(column))
                if x is None and y is None:
                    continue
                if x is not None and y is not None and abs(x - y) <= tolerance:
                    continue
                rows.append(
                    {
                        "table": name,
                        "key": label,
                        "column": column,
                        "a": x,
                        "b": y,
                        "difference": None if x is None or y is None else y - x,
                    }
                )
    values = pd.DataFrame.from_records(
        rows, columns=["table", "key", "column", "a", "b", "difference"]
    )
    return RunDiff(
        a=a.id,
        b=b.id,
        setup=tuple(setup),
        inputs=tuple(inputs),
        values=values,
        unmatched=tuple(unmatched),
    )
