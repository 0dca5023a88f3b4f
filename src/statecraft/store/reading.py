"""Reading a run store: naming runs, reading one back, listing them, one table across runs;
and turning the database's errors into :class:`StoreError` messages that name the store
(never its password)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from statecraft.store.backends import _Backend, _Tx
from statecraft.store.errors import NoRun, StoreError
from statecraft.store.records import Run, _read_run, _Unreadable
from statecraft.store.schema import _RUN_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


# what SQLite says of a damaged file
_DAMAGE = ("malformed", "not a database", "corrupt")

_LISTED = (
    "id, created, command, input_name, input_hash, models, seed, status, version, elapsed, "
    "arguments"
)


class _Reader:
    """What a :class:`~statecraft.store.Store` reads (the Store adds opening and writing)."""

    _db: _Backend
    location: str

    def _explain(self, exc: BaseException, doing: str) -> str:
        """A database error in words, naming the store (never its password)."""
        text = self._db.scrub(str(exc)) or type(exc).__name__
        lowered = text.lower()
        if any(w in lowered for w in _DAMAGE):
            return (
                f"the run store {self.location} is damaged ({text}): `statecraft runs check` "
                "says which runs can still be read"
            )
        meaning = self._db.diagnose(exc)
        if meaning is None and "full" in lowered:
            meaning = "the disk is full"
        if meaning is None and any(w in lowered for w in ("readonly", "read-only", "permission")):
            meaning = "it is read-only to this user"
        if meaning is not None:
            return f"cannot {doing} the run store {self.location}: {meaning} ({text})"
        if doing == "open":
            return f"{self.location} is not a usable run store: {text}"
        return f"cannot {doing} the run store {self.location}: {text}"

    @contextmanager
    def _tx(self, *, write: bool, doing: str) -> Iterator[_Tx]:
        """A transaction whose database errors become a :class:`StoreError` that says what
        was being done (``doing``: "read", "write to", ...)."""
        try:
            with self._db.transaction(write=write) as tx:
                yield tx
        except StoreError:
            raise
        except self._db.errors as exc:
            raise StoreError(self._explain(exc, doing)) from None

    def _resolve(self, tx: _Tx, ref: str) -> str:
        ref = ref.strip()
        if ref == "latest":
            rows = tx.execute("SELECT id FROM statecraft_runs ORDER BY created DESC LIMIT 1")
            if not rows:
                raise NoRun(f"no runs recorded in {self.location} yet")
            return str(rows[0][0])
        if not ref or not all(c in "0123456789abcdef" for c in ref.lower()):
            raise NoRun(f"a run is named by its id, a prefix of it, or 'latest' (got {ref!r})")
        rows = tx.execute(
            "SELECT id FROM statecraft_runs WHERE id LIKE :p ORDER BY id LIMIT 3",
            {"p": ref.lower() + "%"},
        )
        if not rows:
            raise NoRun(f"no run {ref!r} in {self.location}; `statecraft runs list` shows them")
        if len(rows) > 1:
            raise NoRun(
                f"{ref!r} names more than one run ({', '.join(r[0] for r in rows[:2])}...): "
                "give more of the id"
            )
        return str(rows[0][0])

    def resolve(self, ref: str) -> str:
        """The full id of the run named by ``ref``: an id, a unique prefix, or ``latest``."""
        with self._tx(write=False, doing="read") as tx:
            return self._resolve(tx, ref)

    def get(self, ref: str) -> Run:
        """One run, whole: its input, parameters, results and tables. A run that cannot be
        read (a damaged row or page) is a :class:`StoreError` naming it and what is wrong."""
        with self._tx(write=False, doing="read") as tx:
            run_id = self._resolve(tx, ref)
        try:
            return self._whole(run_id)
        except _Unreadable as exc:
            raise StoreError(
                f"run {run_id} in {self.location} cannot be read: {exc}; "
                f"`statecraft runs delete {run_id}` removes it, `statecraft runs check` "
                "finds any others"
            ) from None

    def _whole(self, run_id: str) -> Run:
        """A run read back whole (its row, its input, its tables, each JSON parsed) in a
        transaction of its own. :class:`_Unreadable` says what part cannot be read and why
        (a damaged page, bytes that are not text, text that is not the JSON written); a
        failure of the database that is no damage (a server gone) is a StoreError."""
        part = "its row"
        try:
            with self._db.transaction(write=False) as tx:
                row = tx.execute(
                    f"SELECT {_RUN_COLUMNS} FROM statecraft_runs WHERE id = :id", {"id": run_id}
                )
                if not row:
                    raise _Unreadable("its row cannot be found by its id (a damaged index)")
                part = "its input"
                inputs = tx.execute(
                    "SELECT kind, body FROM statecraft_inputs WHERE hash = :h", {"h": row[0][4]}
                )
                part = "its tables"
                tables = tx.execute(
                    "SELECT name, key_columns, records FROM statecraft_results "
                    "WHERE run_id = :id ORDER BY name",
                    {"id": run_id},
                )
        except self._db.errors as exc:
            text = self._db.scrub(str(exc)) or type(exc).__name__
            lowered = text.lower()
            if "not utf-8" in lowered or isinstance(exc, UnicodeDecodeError):
                raise _Unreadable(f"{part}: {text}") from None
            if any(w in lowered for w in _DAMAGE):
                raise _Unreadable(
                    f"{part} is on a damaged page: the store is damaged ({text})"
                ) from None
            raise StoreError(self._explain(exc, "read")) from None
        return _read_run(row[0], inputs, tables)

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
        file), its hash, models, seed, status, version and seconds taken. A run whose row
        cannot be read is listed with the status ``unreadable`` and what could be read."""
        import pandas as pd

        where, params = self._where(command, scenario)
        sql = f"SELECT {_LISTED} FROM statecraft_runs{where} ORDER BY created DESC"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = int(limit)
        try:
            with self._tx(write=False, doing="read") as tx:
                rows = tx.execute(sql, params)
        except StoreError:  # a damaged page: read the runs one by one, naming those lost
            rows = self._one_by_one(where, params, limit)
        frame = pd.DataFrame(
            [self._checked(_listed(r)) for r in rows],
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
                "label",
            ],
        )
        frame["created"] = pd.to_datetime(frame["created"], utc=True)
        frame["seed"] = frame["seed"].astype("Int64")
        frame["elapsed"] = frame["elapsed"].astype(float)
        return frame

    def _checked(self, listed: tuple[Any, ...]) -> tuple[Any, ...]:
        """A row of :meth:`runs` whose run reads back whole as listed; else the row with the
        status ``unreadable``, so that a run listed as complete can be shown and exported."""
        if listed[7] == "unreadable":
            return listed
        try:
            self._whole(str(listed[0]))
        except (_Unreadable, StoreError):
            return (*listed[:7], "unreadable", *listed[8:])
        return listed

    def _one_by_one(
        self, where: str, params: dict[str, Any], limit: int | None
    ) -> list[tuple[Any, ...]]:
        """The rows of :meth:`runs`, each read on its own: a run on a damaged page is a row
        that holds only its id (listed as unreadable). A StoreError if not even the ids can
        be read."""
        with self._tx(write=False, doing="read") as tx:
            ids = [r[0] for r in tx.execute("SELECT id FROM statecraft_runs")]
        join = " AND " if where else " WHERE "
        rows: list[tuple[Any, ...]] = []
        for run_id in ids:
            try:
                with self._db.transaction(write=False) as tx:
                    rows += tx.execute(
                        f"SELECT {_LISTED} FROM statecraft_runs{where}{join}id = :id",
                        {**params, "id": run_id},
                    )
            except self._db.errors:
                rows.append((run_id, *(None,) * 9))
        rows.sort(key=lambda r: str(r[1] or ""), reverse=True)
        return rows[:limit] if limit is not None else rows

    def table(
        self, name: str, *, command: str | None = None, scenario: str | None = None
    ) -> pd.DataFrame:
        """One result table across runs, oldest first, with each row's run id and time:
        e.g. ``table("forecasts", scenario="karabakh-2020")`` follows a forecast over time."""
        import pandas as pd

        where, params = self._where(command, scenario)
        params["name"] = name
        join = " AND " if where else " WHERE "
        with self._tx(write=False, doing="read") as tx:
            rows = tx.execute(
                "SELECT r.id, r.created, x.records FROM statecraft_runs r JOIN "
                "statecraft_results x ON x.run_id = r.id"
                f"{where}{join}x.name = :name ORDER BY r.created",
                params,
            )
        records = []
        for run_id, created, body in rows:
            try:
                when = pd.Timestamp(created)
                parsed = json.loads(body)
                if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
                    raise ValueError("its records are not a list of rows")
            except (TypeError, ValueError) as exc:
                raise StoreError(
                    f"run {run_id} in {self.location} cannot be read: its table {name!r}: "
                    f"{exc}; `statecraft runs delete {run_id}` removes it"
                ) from None
            records += [{"run": run_id, "created": when, **rec} for rec in parsed]
        return pd.DataFrame.from_records(records)

    def __len__(self) -> int:
        with self._tx(write=False, doing="read") as tx:
            return int(tx.execute("SELECT COUNT(*) FROM statecraft_runs")[0][0])


def _listed(r: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of :meth:`Store.runs`; a row that cannot be read keeps its id and what reads,
    with the status ``unreadable``."""
    import pandas as pd

    try:
        models = json.loads(r[5])
        if not isinstance(models, list):
            raise ValueError("models is not a list")
        created = pd.Timestamp(r[1])
        if created.tzinfo is None:
            raise ValueError("the time has no time zone")
        seed = None if r[6] is None else int(r[6])
        elapsed = None if r[9] is None else float(r[9])
        label = _label(r[10])
        return (
            r[0],
            created,
            r[2],
            r[3],
            r[4],
            ", ".join(map(str, models)),
            seed,
            r[7],
            r[8],
            elapsed,
            label,
        )
    except (TypeError, ValueError, OverflowError):
        return (str(r[0]), pd.NaT, r[2], r[3], r[4], None, None, "unreadable", r[8], None, None)


def _label(arguments: Any) -> str | None:
    """The run's label (``--label``, or ``label=`` to :meth:`Store.save`), kept with its
    arguments; None where there is none or the arguments cannot be read."""
    try:
        data = json.loads(arguments)
    except (TypeError, ValueError):
        return None
    label = data.get("label") if isinstance(data, dict) else None
    return label if isinstance(label, str) else None
