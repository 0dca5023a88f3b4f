"""Comparing two recorded runs (:class:`RunDiff`, :func:`diff`): how they were made, their
inputs and their numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from statecraft.store.records import Run

if TYPE_CHECKING:
    import pandas as pd


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
    elif a.input_kind == b.input_kind and a.input_kind in ("scenario", "timeline"):
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
