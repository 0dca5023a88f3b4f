"""What the run store keeps of a result: a recorded :class:`Run` as read back, and the
record made of a result of forecast, simulate, compare, sensitivity, backtest, risk or
timeline before it is written."""

from __future__ import annotations

import hashlib
import json
import math
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statecraft.errors import SEED_MAX as SEED_MAX
from statecraft.store.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

    from statecraft.scenario import Scenario


@dataclass(frozen=True)
class Run:
    """One recorded run, as read back from the store."""

    id: str
    created: datetime
    command: str
    arguments: Mapping[str, Any]
    # "scenario" (its JSON), "deu-table" (the file's text) or "timeline" (the JSON of the
    # timeline and its base scenario)
    input_kind: str
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
                "body": json.loads(self.input)
                if self.input_kind in ("scenario", "timeline")
                else self.input,
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


class _Unreadable(Exception):
    """A recorded row that cannot be read back: the message says what is wrong with it."""


def _parsed(what: str, text: Any, kind: type | tuple[type, ...]) -> Any:
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise _Unreadable(f"its {what} is not JSON ({exc})") from None
    if not isinstance(value, kind):
        raise _Unreadable(f"its {what} is not the JSON expected")
    return value


def _read_run(
    row: tuple[Any, ...], inputs: list[tuple[Any, ...]], tables: list[tuple[Any, ...]]
) -> Run:
    """A run from its row of statecraft_runs (the columns of ``_RUN_COLUMNS``), its input's
    row and its tables' rows; :class:`_Unreadable` says what cannot be read."""
    if not inputs:
        raise _Unreadable(f"its input (sha256 {str(row[4])[:16]}…) is missing")
    kind, body = inputs[0]
    read: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {}
    for name, keys, records in tables:
        rows = _parsed(f"table {name!r}", records, list)
        if not all(isinstance(r, dict) for r in rows):
            raise _Unreadable(f"its table {name!r} is not a list of rows")
        read[str(name)] = (tuple(map(str, _parsed(f"table {name!r}'s keys", keys, list))), rows)
    try:
        created = datetime.fromisoformat(row[1])
        seed = None if row[8] is None else int(row[8])
        elapsed = None if row[11] is None else float(row[11])
    except (TypeError, ValueError, OverflowError) as exc:
        raise _Unreadable(f"its time, seed or seconds cannot be read ({exc})") from None
    if kind == "scenario":
        _parsed("scenario", body, dict)
    return Run(
        id=str(row[0]),
        created=created,
        command=str(row[2]),
        arguments=_parsed("arguments", row[3], dict),
        input_hash=str(row[4]),
        input_name=row[5],
        models=tuple(map(str, _parsed("models", row[6], list))),
        parameters=_parsed("parameters", row[7], dict),
        seed=seed,
        version=str(row[9]),
        status=str(row[10]),
        elapsed=elapsed,
        document=_parsed("results", row[12], dict),
        input_kind=str(kind),
        input=str(body),
        tables=read,
    )


LABEL_MAX = 200


def check_label(label: object) -> str:
    """A run's label as given, or StoreError saying what is wrong with it: a label is one
    line of text, 1 to 200 characters, not only spaces."""
    if not isinstance(label, str):
        raise StoreError(f"a run's label is text, not {type(label).__name__}")
    if not label.strip():
        raise StoreError("a run's label is empty: give a few words, or no label")
    if len(label) > LABEL_MAX:
        raise StoreError(f"a run's label is at most {LABEL_MAX} characters (got {len(label)})")
    if any(unicodedata.category(c) == "Cc" for c in label):
        raise StoreError("a run's label is one line of text, without control characters")
    return label


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


def _is(result: Any, module: str, name: str) -> bool:
    """``isinstance(result, module.name)`` without importing ``module``: an instance of a
    class exists only once its module is loaded, so recording a simulation does not load
    the backtest, risk and timeline modules (about 70 ms)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(result, getattr(loaded, name))


def _describe(result: Any, source: str | Path | None) -> _NewRun:
    """What to record of a result of forecast, simulate, compare, sensitivity, backtest,
    risk or timeline."""
    from statecraft.store._more_records import risk_run, timeline_run

    if _is(result, "statecraft.runner", "Forecast"):
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
            seed=result.seed,
            status="complete",
            document=result.to_dict(),
            tables={
                "forecasts": (("issue", "model"), result.to_records()),
                "winners": (("model", "actor"), winners),
            },
        )
    if _is(result, "statecraft.analysis.uncertainty", "Simulation"):
        body, digest = _scenario_input(result.scenario)
        return _NewRun(
            command="simulate",
            input_kind="scenario",
            input_name=result.scenario.name,
            input=body,
            input_hash=digest,
            models=tuple(result.models),
            parameters={
                "draws": result.requested,
                "draws_done": result.draws,
                "block": result.block,
            },
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
    if _is(result, "statecraft.analysis.counterfactual", "Comparison"):
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
        if result.odds:
            tables["verdicts"] = (
                ("scenario", "actor"),
                [
                    {
                        "scenario": label,
                        "actor": v.actor,
                        "p_biggest": v.overall.p_biggest,
                        "p_gain": v.overall.p_gain,
                        "median_gain": v.overall.median,
                    }
                    for (label, _), items in zip(labelled, result.odds, strict=True)
                    for v in items
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
                **({"blocks": result.blocks} if result.blocks else {}),
            },
            seed=seed,
            status="complete",
            document=result.to_dict(),
            tables=tables,
        )
    if _is(result, "statecraft.analysis.sensitivity", "Sensitivity"):
        return _sensitivity_run(result)
    if _is(result, "statecraft.analysis.risk", "Risk"):
        return _NewRun(**risk_run(result))
    if _is(result, "statecraft.analysis.timeline", "TimelineRun"):
        return _NewRun(**timeline_run(result))
    if _is(result, "statecraft.analysis.backtest", "Backtest"):
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
                "shared_issues": s["shared_issues"],
                "apart": s["apart"],
                "crps": s["crps"],
                "coverage80": s["coverage80"],
                "coverage95": s["coverage95"],
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
        "the store keeps the results of forecast, simulate, compare, sensitivity, backtest, "
        "risk and timeline, "
        f"not a {type(result).__name__}"
    )


def _sensitivity_run(result: Any) -> _NewRun:
    """A sensitivity study (one at a time, Sobol, or both merged): its swings and indices."""
    body, digest = _scenario_input(result.scenario)
    frame = result.to_frame()
    records = [
        {k: v for k, v in row.items() if v == v}  # NaN: a column of the other method
        for row in frame.to_dict(orient="records")
    ]
    tables: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {}
    for method in ("oat", "sobol"):
        rows = [
            {k: v for k, v in r.items() if k != "method"} for r in records if r["method"] == method
        ]
        if rows:
            tables[method] = (("issue", "input"), rows)
    return _NewRun(
        command="sensitivity",
        input_kind="scenario",
        input_name=result.scenario.name,
        input=body,
        input_hash=digest,
        models=(result.model,),
        parameters={"samples": result.samples, "inputs": len(result.inputs)},
        seed=result.seed,
        status="complete",
        document=result.to_dict(zeros=True),
        tables=tables,
    )
