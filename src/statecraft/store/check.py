"""The check of a run store (``statecraft runs check``): SQLite's integrity check, then a
reading of every run, so that a damaged store says which runs are lost rather than crash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from statecraft.store.errors import StoreError
from statecraft.store.records import _Unreadable

if TYPE_CHECKING:
    from statecraft.store.reading import _Reader

# SQLite's integrity check stops after this many problems: enough to see the damage.
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Check:
    """What the check of a store found."""

    location: str
    # SQLite's PRAGMA integrity_check: ("ok",) for a whole file, else its problems, one a
    # line; None for a store that is not SQLite (PostgreSQL checks its own pages).
    integrity: tuple[str, ...] | None
    runs: int  # the runs found
    unreadable: tuple[tuple[str, str], ...]  # (run id, what cannot be read)
    error: str | None = None  # why the runs could not even be counted, if so

    @property
    def damaged(self) -> bool:
        whole = self.integrity is None or self.integrity == ("ok",)
        return not whole or bool(self.unreadable) or self.error is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": self.location,
            "damaged": self.damaged,
            "integrity": None if self.integrity is None else list(self.integrity),
            "runs": self.runs,
            "readable": self.runs - len(self.unreadable),
            "unreadable": [{"id": i, "why": why} for i, why in self.unreadable],
            "error": self.error,
        }


def _integrity(store: _Reader) -> tuple[str, ...] | None:
    if store._db.dialect != "sqlite":
        return None
    try:
        with store._db.transaction(write=False) as tx:
            rows = tx.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")
    except store._db.errors as exc:
        return (f"the check could not finish: {store._db.scrub(str(exc))}",)
    return tuple(line for r in rows for line in str(r[0]).splitlines() if line) or ("ok",)


def check_store(store: _Reader) -> Check:
    """SQLite's integrity check (on SQLite), then every run read as :meth:`Store.get` reads
    it, each on its own: a run on a damaged page or with a row of bad JSON is named with
    what is wrong, and the others are read."""
    integrity = _integrity(store)
    try:
        with store._tx(write=False, doing="read") as tx:
            ids = [str(r[0]) for r in tx.execute("SELECT id FROM statecraft_runs ORDER BY id")]
    except StoreError as exc:
        return Check(store.location, integrity, 0, (), error=str(exc))
    unreadable: list[tuple[str, str]] = []
    for run_id in ids:
        try:
            store._whole(run_id)
        except (_Unreadable, StoreError) as exc:
            unreadable.append((run_id, str(exc)))
    return Check(store.location, integrity, len(ids), tuple(unreadable))
