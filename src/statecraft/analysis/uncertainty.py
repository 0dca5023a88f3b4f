"""Monte Carlo over the uncertain numbers of a scenario: forecasts with their spread.

Every number with a range (``{value, low, high, dist}``, or the scenario's ``perturb``) is
an uncertain input. A study draws them all, runs the models on every draw at once (the
models take a batch axis), and keeps only summaries: a fine histogram of each forecast, its
exact sum, how often each actor is the biggest winner, and, for the expected utility model,
how often each pair of actors ends in confrontation.

Reproducibility: draws come in blocks of :data:`BLOCK` draws (fewer only where the memory
budget cannot hold a block: the size is kept with the result, :attr:`Simulation.block`,
since another size gives other draws), and block k draws from
its own generator, ``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``.
Block summaries are integer counts and exact sums (``math.fsum``), so merging them gives
byte-identical results however the blocks are grouped into tasks, run in one process, in
many, or on a Dask cluster.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.analysis._blocks import (
    BINS,
    BLOCK,
    block_note,
    block_size,
    block_threads,
    exponent,
    ranked_actors,
    run_block,
)
from statecraft.analysis._mixture import quantile
from statecraft.analysis._summary import GainPlan
from statecraft.analysis._summary import Summary as _Summary
from statecraft.analysis.draws import (
    UncertainInput,
    compiled_pays,
    draw_block,
    sample,
    uncertain_inputs,
)
from statecraft.analysis.kernel import (
    DEFAULT_MEMORY,
    check_budget,
    check_memory,
    input_bytes,
    parse_memory,
    study_shares,
)
from statecraft.analysis.parallel import execute
from statecraft.arrays import scenario_batch
from statecraft.errors import check_count, check_seed
from statecraft.models import Model, build_models, default_model
from statecraft.notebook import Notebook, few
from statecraft.scenario import Scenario
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
    "run_study",
    "sample",
    "simulate",
    "uncertain_inputs",
]


#: Why a number of a simulation's JSON is null (:func:`~statecraft.textsafe.strict_json`).
_WHY_NULL = dict.fromkeys(("issues", "by_model"), "the model gave a forecast in no draw")


def check_models(
    scenario: Scenario,
    models: Sequence[str | Model],
    options: Mapping[str, Any],
    memory: int = DEFAULT_MEMORY,
    *,
    strict: bool = False,
) -> list[Model]:
    """Before any work: every model known, every option taken by one of them and valid, and
    every model applicable to at least one issue, a block of draws (sized from the budget
    ``memory``) within the machine's memory (:func:`~statecraft.analysis.kernel.check_memory`)
    and, with ``strict`` (a budget the caller gave), one draw within the budget
    (:func:`~statecraft.analysis.kernel.check_budget`: only a model's one run, the spatial
    model's beyond about 180 actors, can outgrow a budget). Returns the models; raises
    ValueError (or :class:`~statecraft.errors.MemoryLimitError`) naming the problem."""
    built = build_models(models, options)
    batch = scenario_batch(scenario)
    n, m = batch.n_actors, batch.n_issues
    size = block_size(scenario, memory)
    _, share = study_shares(memory)
    check_memory(built, n, m, draws=size, held=size * input_bytes(n, m), budget=share)
    if strict:
        check_budget(built, n, m, memory)
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
        return quantile(self.histogram, q, self.low, self.high)


@dataclass(frozen=True, repr=False)
class Simulation(Notebook):
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
    #: Draws per block of the random stream (4,096 unless the memory budget held fewer):
    #: part of what a seed reproduces, so it is kept with the result.
    block: int = BLOCK

    @property
    def interrupted(self) -> bool:
        return self.draws < self.requested

    @property
    def block_note(self) -> str | None:
        """What a block size other than :data:`BLOCK` means for reproducing the draws."""
        return block_note(self.block, self.requested, self.scenario)

    def summary(self, issue: str, model: str) -> IssueSummary:
        for s in self.issues:
            if s.issue == issue and s.model == model:
                return s
        raise KeyError(f"no summary for issue {issue!r} and model {model!r}")

    def _summary(self) -> list[str]:
        cut = " (interrupted)" if self.interrupted else ""
        lines = [
            f"Simulation of {self.scenario.name!r}: {self.draws:,} draws{cut} (seed {self.seed}) "
            f"of {len(self.inputs)} uncertain inputs; models {few(self.models, 4)}"
        ]
        for s in self.issues:
            if s.model == self.models[0]:
                lo, hi = s.interval80
                lines.append(f"  {s.issue}: median {s.median:.4g} (80% {lo:.4g} to {hi:.4g})")
        return lines

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
                    "block": self.block,
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
    memory: int | str | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's uncertain numbers: ``draws`` draws from ``seed``.

    ``model`` is a model name or instance, or a list of them (default: the first registered
    model, :func:`~statecraft.models.default_model`); every model, one-issue or linked, runs
    on every draw. ``workers`` > 1 runs blocks in that many local processes;
    ``dask`` is the address of a running Dask scheduler (or a ``dask.distributed.Client``)
    to run them on. Results are byte-identical in every case. ``progress(done, total)`` is
    called after each block. Ctrl-C stops the study and returns what was done
    (:attr:`Simulation.interrupted`).

    ``memory`` is the study's memory budget (bytes, or text such as ``"1GiB"``; default
    :data:`~statecraft.analysis.kernel.DEFAULT_MEMORY`, 512 MiB): blocks of draws and each
    model's chunks are sized from it, so the memory a study takes does not grow with the
    draws (see ``docs/performance.md``). A budget given that cannot hold one draw is
    refused (:class:`~statecraft.errors.MemoryLimitError`).
    """
    seed = check_seed(seed)
    check_count(draws, "draws")
    check_count(workers, "workers")
    budget = parse_memory(memory)
    options = dict(options or {})
    model = default_model() if model is None else model
    chosen = [model] if isinstance(model, str | Model) else model
    built = check_models(scenario, chosen, options, budget, strict=memory is not None)
    total = run_study(
        scenario,
        built,
        draws,
        seed,
        workers=workers,
        dask=dask,
        progress=progress,
        memory=budget,
    )
    block = block_size(scenario, budget)
    return _result(scenario, [m.name for m in built], seed, draws, total, block)


def run_study(
    scenario: Scenario,
    models: Sequence[Model],
    draws: int,
    seed: int,
    *,
    workers: int = 1,
    dask: str | Any | None = None,
    progress: ProgressFn | None = None,
    plan: GainPlan | None = None,
    memory: int = DEFAULT_MEMORY,
) -> _Summary:
    """Every block of a study of ``draws`` draws, merged: the summary of the draws done
    (fewer than asked for after Ctrl-C). ``models`` are checked already
    (:func:`check_models`); blocks and chunks are sized from the budget ``memory``. With one
    worker, blocks run two at a time on threads where the models and the budget allow
    (:func:`~statecraft.analysis._blocks.block_threads`; ``STATECRAFT_THREADS=1`` runs
    them one at a time): the same bytes."""
    total = _Summary(0, {}, {}, {}, {}, {})
    size = block_size(scenario, memory)
    blocks = _blocks(draws, size)
    threads = 1
    if workers == 1 and dask is None:
        threads = block_threads(scenario, models, memory, math.ceil(draws / size))
    block: Callable[..., _Summary] = run_block
    compiled = compiled_pays(draws, len(uncertain_inputs(scenario)))
    if plan is not None or memory != DEFAULT_MEMORY or compiled or threads > 1:
        # Each block in flight keeps to its share of the budget (block_threads)
        share = memory // threads
        block = functools.partial(run_block, plan=plan, memory=share, compiled=compiled)
    try:
        for summary in execute(block, scenario, models, seed, blocks, workers, dask, threads):
            total.merge(summary)
            if progress:
                progress(total.draws, draws)
    except KeyboardInterrupt:
        pass
    return total


def _blocks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    """(block index, size) for every block of a study of ``draws`` draws, lazily."""
    for k in range(math.ceil(draws / size)):
        yield k, min(size, draws - k * size)


def _result(
    scenario: Scenario,
    names: Sequence[str],
    seed: int,
    requested: int,
    total: _Summary,
    block: int = BLOCK,
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
                        math.ldexp(math.fsum(total.sums[key]) / n, exponent(issue))
                        if n
                        else float("nan")
                    ),
                    median=quantile(counts, 0.5, low, high),
                    interval80=(
                        quantile(counts, 0.1, low, high),
                        quantile(counts, 0.9, low, high),
                    ),
                    interval95=(
                        quantile(counts, 0.025, low, high),
                        quantile(counts, 0.975, low, high),
                    ),
                    histogram=counts,
                    low=low,
                    high=high,
                )
            )
    ranked = ranked_actors(scenario)
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
        block=block,
    )
