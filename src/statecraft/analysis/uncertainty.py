"""Monte Carlo over the uncertain numbers of a scenario: forecasts with their spread.

Every number with a range (``{value, low, high, dist}``, or the scenario's ``perturb``) is
an uncertain input. A study draws them all, runs the models on every draw at once (the
models take a batch axis), and keeps only summaries: a fine histogram of each forecast, its
exact sum, how often each actor is the biggest winner, and, for the expected utility model,
how often each pair of actors ends in confrontation.

Reproducibility: draws come in fixed blocks of :data:`BLOCK` draws, and block k draws from
its own generator, ``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``.
Block summaries are integer counts and exact sums (``math.fsum``), so merging them gives
byte-identical results however the blocks are grouped into tasks, run in one process, in
many, or on a Dask cluster.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.analysis.draws import UncertainInput, draw_block, sample, uncertain_inputs
from statecraft.analysis.kernel import check_memory, chunks, draws_per_block, input_bytes
from statecraft.analysis.parallel import execute
from statecraft.analysis.winners import best_counts
from statecraft.arrays import DrawPlan, draw_plan, scenario_batch
from statecraft.errors import check_seed
from statecraft.models import Model, Output, build_models, default_model
from statecraft.scenario import Issue, Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BINS",
    "BLOCK",
    "Simulation",
    "UncertainInput",
    "block_size",
    "check_models",
    "draw_block",
    "run_block",
    "sample",
    "simulate",
    "uncertain_inputs",
]

#: Draws per block. Fixed: each block has its own random stream, so changing it would
#: change the draws.
BLOCK = 4096
#: Histogram bins across each issue's scale: quantiles are read to 1/BINS of the width.
BINS = 2000


@dataclass
class _Summary:
    """What a block (or a merge of blocks) keeps: counts and exact sums, nothing per draw."""

    draws: int
    counts: dict[tuple[str, str], np.ndarray]  # (issue, model) -> histogram (BINS,)
    sums: dict[tuple[str, str], list[float]]  # (issue, model) -> one sum per block
    valid: dict[tuple[str, str], int]
    best: dict[str, np.ndarray]  # model -> how often each ranked actor is the biggest winner
    confrontation: dict[tuple[str, str], np.ndarray]  # (issue, model) -> (n, n) counts

    def merge(self, other: _Summary) -> None:
        self.draws += other.draws
        for key, value in other.counts.items():
            self.counts[key] = self.counts[key] + value if key in self.counts else value
        for key, values in other.sums.items():
            self.sums.setdefault(key, []).extend(values)
        for key, count in other.valid.items():
            self.valid[key] = self.valid.get(key, 0) + count
        for model, value in other.best.items():
            self.best[model] = self.best[model] + value if model in self.best else value
        for key, value in other.confrontation.items():
            if key in self.confrontation:
                self.confrontation[key] = self.confrontation[key] + value
            else:
                self.confrontation[key] = value


def _ranked_actors(scenario: Scenario) -> list[str]:
    """Actors with a stance on some issue that has a status quo: those the gains rank."""
    with_sq = {i.id for i in scenario.issues if i.status_quo is not None}
    return [a.id for a in scenario.actors if with_sq & set(a.stances)]


@functools.lru_cache(maxsize=8)
def _parse(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


#: The uncertain inputs and the draw plan of the scenarios studied lately, by identity: a
#: study works them out once, not once per block (the scenario is kept with them, so that
#: its id is not reused while it is here).
_STUDIES: dict[int, tuple[Scenario, list[UncertainInput], DrawPlan]] = {}


_STUDIES_LOCK = threading.Lock()  # the web app runs studies in threads


def _study(scenario: Scenario) -> tuple[list[UncertainInput], DrawPlan]:
    with _STUDIES_LOCK:
        hit = _STUDIES.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1], hit[2]
    inputs = uncertain_inputs(scenario)
    plan = draw_plan(scenario, [i.key for i in inputs])
    with _STUDIES_LOCK:
        while len(_STUDIES) >= 8:
            _STUDIES.pop(next(iter(_STUDIES)))
        _STUDIES[id(scenario)] = (scenario, inputs, plan)
    return inputs, plan


def block_size(scenario: Scenario) -> int:
    """Draws per block: :data:`BLOCK`, fewer where a block's inputs would outgrow the memory
    budget (only for scenarios of thousands of actor-issues). It depends on the scenario
    alone, so a seed gives the same draws whatever models run and wherever."""
    return draws_per_block(len(scenario.actors), len(scenario.issues), BLOCK)


def run_block(
    scenario: Scenario | str,
    models: Sequence[str | Model],
    options: Mapping[str, Any],
    seed: int,
    block: int,
    size: int,
) -> _Summary:
    """Draw one block, run every model on it and summarise. Pure: the same arguments give
    the same summary in any process. ``scenario`` may be its JSON text (for other
    processes: scenarios hold read-only mappings, which do not pickle); models may be
    names (given ``options``) or instances (which pickle)."""
    if isinstance(scenario, str):
        scenario = _parse(scenario)
    built = build_models(models, options)
    inputs, plan = _study(scenario)
    batch = plan.batch(draw_block(scenario, inputs, seed, block, size), size)
    summary = _Summary(size, {}, {}, {}, {}, {})
    ranked = _ranked_actors(scenario)
    for model in built:
        check_memory([model], batch.n_actors, batch.n_issues, draws=batch.size)
        parts: list[np.ndarray] = []
        skip: Mapping[str, str] = {}
        # Chunk by chunk: a chunk's per-draw extras (confrontations, n x n per draw) and
        # gains (actors x issues per draw) are summarised and let go before the next.
        for part, out in chunks(model, batch, seed=seed, block=block):
            parts.append(out.forecasts)
            skip = out.not_applicable
            _reduce_extras(summary, scenario, model.name, out)
            if ranked:
                best = best_counts(batch.take(part), out.forecasts, ranked)
                old = summary.best.get(model.name)
                summary.best[model.name] = best if old is None else old + best
        forecasts = parts[0] if len(parts) == 1 else np.concatenate(parts)
        for j, issue in enumerate(scenario.issues):
            if issue.id in skip:
                continue
            forecast = forecasts[:, j]
            ok = np.isfinite(forecast)
            key = (issue.id, model.name)
            width = issue.scale.high - issue.scale.low
            index = np.clip(
                ((forecast[ok] - issue.scale.low) / width * BINS).astype(int), 0, BINS - 1
            )
            summary.counts[key] = np.bincount(index, minlength=BINS)
            summary.sums[key] = [math.fsum(np.ldexp(forecast[ok], -_exponent(issue)))]
            summary.valid[key] = int(ok.sum())
    return summary


def _reduce_extras(summary: _Summary, scenario: Scenario, name: str, out: Output) -> None:
    """Add a chunk's confrontations (either side's) to the summary's counts."""
    for issue in scenario.issues:
        conf = out.extras.get(issue.id, {}).get("confrontation")
        if conf is None or issue.id in out.not_applicable:
            continue
        counts = (conf | np.swapaxes(conf, 1, 2)).sum(axis=0)
        key = (issue.id, name)
        old = summary.confrontation.get(key)
        summary.confrontation[key] = counts if old is None else old + counts


#: Why a number of a simulation's JSON is null (:func:`~statecraft.textsafe.strict_json`).
_WHY_NULL = dict.fromkeys(("issues", "by_model"), "the model gave a forecast in no draw")


def _exponent(issue: Issue) -> int:
    """The power of two of the largest end of an issue's scale: sums of forecasts are kept
    divided by it, which is exact and cannot overflow on scales near 1e308."""
    return int(np.frexp(max(abs(issue.scale.low), abs(issue.scale.high)))[1])


def check_models(
    scenario: Scenario, models: Sequence[str | Model], options: Mapping[str, Any]
) -> list[Model]:
    """Before any work: every model known, every option taken by one of them and valid, and
    every model applicable to at least one issue, and a block of draws within the machine's
    memory (:func:`~statecraft.analysis.kernel.check_memory`). Returns the models; raises
    ValueError (or :class:`~statecraft.errors.MemoryLimitError`) naming the problem."""
    built = build_models(models, options)
    batch = scenario_batch(scenario)
    n, m = batch.n_actors, batch.n_issues
    held = block_size(scenario) * input_bytes(n, m)
    check_memory(built, n, m, draws=block_size(scenario), held=held)
    for model in built:
        reasons = model.not_applicable(batch)
        if len(reasons) == batch.n_issues:
            raise ValueError(
                f"the model {model.name!r} applies to no issue of {scenario.name}: "
                f"{next(iter(reasons.values()))}"
            )
    return built


@dataclass(frozen=True)
class IssueSummary:
    """One issue under one model, over the draws."""

    issue: str
    model: str
    draws: int
    mean: float
    median: float
    interval80: tuple[float, float]
    interval95: tuple[float, float]
    histogram: np.ndarray  # counts in BINS bins across the scale
    low: float
    high: float

    def quantile(self, q: float) -> float:
        return _quantile(self.histogram, q, self.low, self.high)


def _quantile(counts: np.ndarray, q: float, low: float, high: float) -> float:
    """The q-quantile from a histogram, linear within the bin where it falls."""
    total = int(counts.sum())
    if total == 0:
        return float("nan")
    target = q * total
    cum = np.cumsum(counts)
    k = int(np.searchsorted(cum, target, side="left"))
    k = min(k, len(counts) - 1)
    before = cum[k - 1] if k > 0 else 0
    inside = counts[k]
    frac = (target - before) / inside if inside > 0 else 0.0
    width = (high - low) / len(counts)
    return float(low + (k + frac) * width)


@dataclass(frozen=True)
class Simulation:
    """The result of :func:`simulate`."""

    scenario: Scenario
    models: tuple[str, ...]
    seed: int
    draws: int
    requested: int
    inputs: tuple[UncertainInput, ...]
    issues: tuple[IssueSummary, ...]
    biggest_winner: Mapping[str, Mapping[str, float]]  # model -> actor -> probability
    confrontation: Mapping[tuple[str, str], Mapping[tuple[str, str], float]] = field(
        default_factory=dict
    )  # (issue, model) -> (actor, actor) -> share of draws

    @property
    def interrupted(self) -> bool:
        return self.draws < self.requested

    def summary(self, issue: str, model: str) -> IssueSummary:
        for s in self.issues:
            if s.issue == issue and s.model == model:
                return s
        raise KeyError(f"no summary for issue {issue!r} and model {model!r}")

    def to_records(self) -> list[dict[str, Any]]:
        return [
            {
                "issue": s.issue,
                "model": s.model,
                "draws": s.draws,
                "mean": s.mean,
                "median": s.median,
                "p10": s.interval80[0],
                "p90": s.interval80[1],
                "p2.5": s.interval95[0],
                "p97.5": s.interval95[1],
            }
            for s in self.issues
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per issue and model: draws, mean, median and the 80% and 95% intervals."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        return dict(
            strict_json(
                {
                    "scenario": self.scenario.name,
                    "models": list(self.models),
                    "seed": self.seed,
                    "draws": self.draws,
                    "requested": self.requested,
                    "interrupted": self.interrupted,
                    "uncertain_inputs": [
                        {
                            "key": i.key,
                            "value": i.value,
                            "low": i.low,
                            "high": i.high,
                            "dist": i.dist,
                        }
                        for i in self.inputs
                    ],
                    "issues": {
                        s.issue: self.issues_dict(s)
                        for s in self.issues
                        if s.model == self.models[0]
                    },
                    "by_model": {
                        m: {s.issue: self.issues_dict(s) for s in self.issues if s.model == m}
                        for m in self.models
                    },
                    "biggest_winner": {m: dict(v) for m, v in self.biggest_winner.items()},
                    "confrontation": {
                        f"{issue}|{model}": [
                            {"actors": list(pair), "share": share} for pair, share in pairs.items()
                        ]
                        for (issue, model), pairs in self.confrontation.items()
                    },
                },
                why=_WHY_NULL,
            )
        )

    def issues_dict(self, s: IssueSummary) -> dict[str, Any]:
        actual = self.scenario.issue(s.issue).actual
        return {
            "mean": s.mean,
            "median": s.median,
            "interval80": list(s.interval80),
            "interval95": list(s.interval95),
            "actual": None if actual is None else actual.value,
            "histogram": {
                "low": s.low,
                "high": s.high,
                "counts": [int(g.sum()) for g in np.array_split(s.histogram, 50)],
            },
        }


ProgressFn = Callable[[int, int], None]


def simulate(
    scenario: Scenario,
    model: str | Model | Sequence[str | Model] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
    workers: int = 1,
    dask: str | Any | None = None,
    progress: ProgressFn | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's uncertain numbers: ``draws`` draws from ``seed``.

    ``model`` is a model name or instance, or a list of them (default: the first registered
    model, :func:`~statecraft.models.default_model`); every model, one-issue or linked, runs
    on every draw. ``workers`` > 1 runs blocks in that many local processes;
    ``dask`` is the address of a running Dask scheduler (or a ``dask.distributed.Client``)
    to run them on. Results are byte-identical in every case. ``progress(done, total)`` is
    called after each block. Ctrl-C stops the study and returns what was done
    (:attr:`Simulation.interrupted`).
    """
    seed = check_seed(seed)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws must be a positive integer, not {draws!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    options = dict(options or {})
    model = default_model() if model is None else model
    built = check_models(scenario, [model] if isinstance(model, str | Model) else model, options)
    total = _Summary(0, {}, {}, {}, {}, {})
    blocks = _blocks(draws, block_size(scenario))
    try:
        for summary in execute(run_block, scenario, built, seed, blocks, workers, dask):
            total.merge(summary)
            if progress:
                progress(total.draws, draws)
    except KeyboardInterrupt:
        pass
    return _result(scenario, [m.name for m in built], seed, draws, total)


def _blocks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    """(block index, size) for every block of a study of ``draws`` draws, lazily."""
    for k in range(math.ceil(draws / size)):
        yield k, min(size, draws - k * size)


def _result(
    scenario: Scenario, names: Sequence[str], seed: int, requested: int, total: _Summary
) -> Simulation:
    summaries = []
    for name in names:
        for issue in scenario.issues:
            key = (issue.id, name)
            if key not in total.counts:
                continue
            counts = total.counts[key]
            low, high = issue.scale.low, issue.scale.high
            n = total.valid[key]
            summaries.append(
                IssueSummary(
                    issue=issue.id,
                    model=name,
                    draws=n,
                    mean=(
                        math.ldexp(math.fsum(total.sums[key]) / n, _exponent(issue))
                        if n
                        else float("nan")
                    ),
                    median=_quantile(counts, 0.5, low, high),
                    interval80=(
                        _quantile(counts, 0.1, low, high),
                        _quantile(counts, 0.9, low, high),
                    ),
                    interval95=(
                        _quantile(counts, 0.025, low, high),
                        _quantile(counts, 0.975, low, high),
                    ),
                    histogram=counts,
                    low=low,
                    high=high,
                )
            )
    ranked = _ranked_actors(scenario)
    best = {
        m: {a: int(c) / total.draws for a, c in zip(ranked, counts, strict=True)}
        for m, counts in total.best.items()
        if total.draws
    }
    confrontation: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
    for (issue_id, model_name), counts in total.confrontation.items():
        actors = [a.id for a in scenario.actors if issue_id in a.stances]
        pairs = {}
        for i in range(len(actors)):
            for j in range(i + 1, len(actors)):
                pairs[(actors[i], actors[j])] = int(counts[i, j]) / total.draws
        confrontation[(issue_id, model_name)] = pairs
    return Simulation(
        scenario=scenario,
        models=tuple(names),
        seed=seed,
        draws=total.draws,
        requested=requested,
        inputs=tuple(uncertain_inputs(scenario)),
        issues=tuple(summaries),
        biggest_winner=best,
        confrontation=confrontation,
    )
