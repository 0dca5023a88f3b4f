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
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from statecraft.analysis.winners import gains
from statecraft.models import NotApplicable, build_model, get_model
from statecraft.scenario import IssueArrays, Quantity, Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BINS",
    "BLOCK",
    "Simulation",
    "UncertainInput",
    "draw_block",
    "simulate",
    "uncertain_inputs",
]

#: Draws per block. Fixed: each block has its own random stream, so changing it would
#: change the draws.
BLOCK = 4096
#: Histogram bins across each issue's scale: quantiles are read to 1/BINS of the width.
BINS = 2000

Kind = Literal["position", "salience", "capability", "status_quo"]


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number of a scenario and its distribution over [low, high]."""

    key: str  # "turkey:territory:salience", "russia:capability", "territory:status_quo"
    kind: Kind
    actor: str | None
    issue: str | None
    value: float
    low: float
    high: float
    dist: str
    bounds: tuple[float, float]  # what the number may be at all (scale, 0..1, >0)


def input_key(kind: Kind, actor: str | None, issue: str | None) -> str:
    """The name of an uncertain number: ``actor:issue:kind``, ``actor:capability`` or
    ``issue:status_quo``. Ids cannot hold ':', so no two numbers share a name."""
    return ":".join(part for part in (actor, issue, kind) if part is not None)


def _allowed(kind: Kind, scale: tuple[float, float]) -> tuple[float, float]:
    if kind in ("position", "status_quo"):
        return scale
    if kind == "salience":
        return (0.0, 1.0)
    return (np.finfo(float).tiny, np.inf)


def _input(
    scenario: Scenario,
    q: Quantity,
    key: str,
    kind: Kind,
    actor: str | None,
    issue: str | None,
    scale: tuple[float, float],
) -> UncertainInput | None:
    bounds = _allowed(kind, scale)
    if q.low is not None and q.high is not None:
        low, high, dist = q.low, q.high, q.dist or "triangular"
    elif scenario.perturb is not None:
        r = scenario.perturb.relative
        spread = r * (scale[1] - scale[0]) if kind in ("position", "status_quo") else r * q.value
        low = max(q.value - spread, bounds[0])
        high = min(q.value + spread, bounds[1])
        dist = scenario.perturb.dist
    else:
        return None
    if high <= low:
        return None
    return UncertainInput(key, kind, actor, issue, q.value, low, high, dist, bounds)


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """Every number of the scenario that carries a range, in a fixed order."""
    out: list[UncertainInput] = []
    for issue in scenario.issues:
        if issue.status_quo is not None:
            scale = (issue.scale.low, issue.scale.high)
            item = _input(
                scenario,
                issue.status_quo,
                input_key("status_quo", None, issue.id),
                "status_quo",
                None,
                issue.id,
                scale,
            )
            if item:
                out.append(item)
    for actor in scenario.actors:
        item = _input(
            scenario,
            actor.capability,
            input_key("capability", actor.id, None),
            "capability",
            actor.id,
            None,
            (0, 0),
        )
        if item:
            out.append(item)
        for issue_id, stance in actor.stances.items():
            sc = scenario.issue(issue_id).scale
            scale = (sc.low, sc.high)
            numbers: tuple[tuple[Kind, Quantity | None], ...] = (
                ("position", stance.position),
                ("salience", stance.salience),
                ("capability", stance.capability),
            )
            for kind, q in numbers:
                if q is None:
                    continue
                item = _input(
                    scenario,
                    q,
                    input_key(kind, actor.id, issue_id),
                    kind,
                    actor.id,
                    issue_id,
                    scale,
                )
                if item:
                    out.append(item)
    return out


def sample(item: UncertainInput, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of one input.

    - triangular: low, mode at the value, high;
    - uniform: flat on [low, high];
    - normal: centred on the value with standard deviation (high - low) / 4, truncated to
      [low, high] by redrawing what falls outside (so an off-centre value's mean moves
      toward the middle of the range);
    - beta: the PERT beta on [low, high] with its mode at the value,
      a = 1 + 4 (value - low) / (high - low), b = 1 + 4 (high - value) / (high - low).
    """
    low, high, mode = item.low, item.high, item.value
    if item.dist == "uniform":
        return rng.uniform(low, high, size)
    if item.dist == "normal":
        sd = (high - low) / 4.0
        lo, hi = low, high
        x = rng.normal(mode, sd, size)
        bad = (x < lo) | (x > hi)
        while bad.any():
            x[bad] = rng.normal(mode, sd, int(bad.sum()))
            bad = (x < lo) | (x > hi)
        return x
    if item.dist == "beta":
        width = high - low
        a = 1.0 + 4.0 * (mode - low) / width
        b = 1.0 + 4.0 * (high - mode) / width
        return low + width * rng.beta(a, b, size)
    return rng.triangular(low, mode, high, size)


def _generator(seed: int, block: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def draw_block(
    scenario: Scenario, inputs: Sequence[UncertainInput], seed: int, block: int, size: int
) -> dict[str, np.ndarray]:
    """The draws of one block: ``{input key: values (size,)}``, always the same for a seed."""
    rng = _generator(seed, block)
    return {item.key: sample(item, rng, size) for item in inputs}


def _issue_batch(
    scenario: Scenario, issue_id: str, draws: Mapping[str, np.ndarray], size: int
) -> IssueArrays:
    """One issue's arrays for a block of draws: (size, n) and status quo (size,)."""
    base = scenario.arrays(issue_id)
    n = len(base.actor_ids)
    position = np.tile(base.position, (size, 1))
    salience = np.tile(base.salience, (size, 1))
    capability = np.tile(base.capability, (size, 1))
    for k, actor_id in enumerate(base.actor_ids):
        stance = scenario.actor(actor_id).stances[issue_id]
        targets: tuple[tuple[Kind, np.ndarray], ...] = (
            ("position", position),
            ("salience", salience),
        )
        for kind, target in targets:
            values = draws.get(input_key(kind, actor_id, issue_id))
            if values is not None:
                target[:, k] = values
        own = draws.get(input_key("capability", actor_id, issue_id))
        if own is not None:
            capability[:, k] = own
        elif stance.capability is None and input_key("capability", actor_id, None) in draws:
            capability[:, k] = draws[input_key("capability", actor_id, None)]
    status_quo: float | np.ndarray | None = base.status_quo
    if input_key("status_quo", None, issue_id) in draws:
        status_quo = draws[input_key("status_quo", None, issue_id)]
    elif status_quo is not None:
        status_quo = np.full(size, status_quo)
    del n
    return IssueArrays(
        issue_id=issue_id,
        actor_ids=base.actor_ids,
        capability=capability,
        position=position,
        salience=salience,
        low=base.low,
        high=base.high,
        status_quo=status_quo,
        actual=base.actual,
    )


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


def run_block(
    scenario: Scenario | str,
    model_names: Sequence[str],
    options: Mapping[str, Any],
    seed: int,
    block: int,
    size: int,
) -> _Summary:
    """Draw one block, run every model on it and summarise. Pure: the same arguments give
    the same summary in any process. ``scenario`` may be its JSON text (for other
    processes: scenarios hold read-only mappings, which do not pickle)."""
    if isinstance(scenario, str):
        scenario = _parse(scenario)
    models = [build_model(name, options) for name in model_names]
    inputs = uncertain_inputs(scenario)
    draws = draw_block(scenario, inputs, seed, block, size)
    summary = _Summary(size, {}, {}, {}, {}, {})
    batches = {i.id: _issue_batch(scenario, i.id, draws, size) for i in scenario.issues}
    ranked = _ranked_actors(scenario)
    for model in models:
        outcome = np.full((size, len(scenario.issues)), np.nan)
        for j, issue in enumerate(scenario.issues):
            batch = batches[issue.id]
            try:
                forecast, extras = model.predict_batch(batch)
            except NotApplicable:
                continue
            forecast = np.broadcast_to(np.asarray(forecast, dtype=float), (size,))
            ok = np.isfinite(forecast)
            key = (issue.id, model.name)
            width = issue.scale.high - issue.scale.low
            index = np.clip(
                ((forecast[ok] - issue.scale.low) / width * BINS).astype(int), 0, BINS - 1
            )
            summary.counts[key] = np.bincount(index, minlength=BINS)
            summary.sums[key] = [math.fsum(forecast[ok])]
            summary.valid[key] = int(ok.sum())
            outcome[:, j] = forecast
            if "confrontation" in extras:
                conf = extras["confrontation"]
                summary.confrontation[key] = (conf | np.swapaxes(conf, 1, 2)).sum(axis=0)
        if ranked:
            summary.best[model.name] = _best_counts(scenario, batches, outcome, ranked)
    return summary


def _best_counts(
    scenario: Scenario,
    batches: Mapping[str, IssueArrays],
    outcome: np.ndarray,
    ranked: Sequence[str],
) -> np.ndarray:
    """How often each ranked actor has the highest gain, over the draws of a block."""
    size = outcome.shape[0]
    issues = [
        (j, i)
        for j, i in enumerate(scenario.issues)
        if i.status_quo is not None and np.isfinite(outcome[:, j]).all()
    ]
    if not issues:
        return np.zeros(len(ranked), dtype=np.int64)
    position = np.full((size, len(ranked), len(issues)), np.nan)
    salience = np.zeros((size, len(ranked), len(issues)))
    for col, (_, issue) in enumerate(issues):
        batch = batches[issue.id]
        for k, actor_id in enumerate(batch.actor_ids):
            if actor_id in ranked:
                row = ranked.index(actor_id)
                position[:, row, col] = batch.position[:, k]
                salience[:, row, col] = batch.salience[:, k]
    status_quo = np.stack(
        [
            np.broadcast_to(np.asarray(batches[i.id].status_quo, dtype=float), (size,))
            for _, i in issues
        ],
        axis=1,
    )
    gain, _ = gains(
        position,
        salience,
        outcome[:, [j for j, _ in issues]],
        status_quo,
        np.array([i.scale.width for _, i in issues]),
    )
    winner = gain.argmax(axis=1)
    return np.bincount(winner, minlength=len(ranked)).astype(np.int64)


def check_models(scenario: Scenario, names: Sequence[str], options: Mapping[str, Any]) -> None:
    """Before any work: every model known, every option taken by one of them and valid, and
    every model applicable to at least one issue. Raises ValueError naming the problem."""
    for name in names:
        get_model(name)
    accepted = {o for name in names for o in type(get_model(name)).option_names()}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ValueError(
            f"unknown option {unknown[0]!r} for the models run; their options are: "
            + (", ".join(sorted(accepted)) or "none")
        )
    for name in names:
        built = build_model(name, options)
        if getattr(built, "linked", False):
            raise ValueError(
                f"the {name} model links the issues; Monte Carlo studies, sensitivity and "
                "counterfactual intervals run the one-issue models for now (compromise, "
                "median, nash, expected-utility)"
            )
        reasons = []
        for issue in scenario.issues:
            try:
                built.check(scenario.arrays(issue.id))
                break
            except NotApplicable as why:
                reasons.append(str(why))
        else:
            raise ValueError(
                f"the model {name!r} applies to no issue of {scenario.name}: {reasons[0]}"
            )


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
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.name,
            "models": list(self.models),
            "seed": self.seed,
            "draws": self.draws,
            "requested": self.requested,
            "interrupted": self.interrupted,
            "uncertain_inputs": [
                {"key": i.key, "value": i.value, "low": i.low, "high": i.high, "dist": i.dist}
                for i in self.inputs
            ],
            "issues": {
                s.issue: self.issues_dict(s) for s in self.issues if s.model == self.models[0]
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
        }

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


def _blocks(draws: int) -> Iterator[tuple[int, int]]:
    """(block index, size) for every block of a study of ``draws`` draws, lazily."""
    for k in range(math.ceil(draws / BLOCK)):
        yield k, min(BLOCK, draws - k * BLOCK)


def simulate(
    scenario: Scenario,
    model: str | Sequence[str] = "compromise",
    *,
    draws: int = 10_000,
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
    workers: int = 1,
    dask: str | Any | None = None,
    progress: ProgressFn | None = None,
) -> Simulation:
    """Monte Carlo over the scenario's uncertain numbers: ``draws`` draws from ``seed``.

    ``workers`` > 1 runs blocks in that many local processes; ``dask`` is the address of a
    running Dask scheduler (or a ``dask.distributed.Client``) to run them on. Results are
    byte-identical in every case. ``progress(done, total)`` is called after each block.
    Ctrl-C stops the study and returns what was done (:attr:`Simulation.interrupted`).
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws must be a positive integer, not {draws!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    names = [model] if isinstance(model, str) else list(model)
    options = dict(options or {})
    check_models(scenario, names, options)
    blocks = _blocks(draws)
    args = (scenario, names, options, seed)
    total = _Summary(0, {}, {}, {}, {}, {})
    done = 0
    try:
        for summary in _execute(args, blocks, workers, dask):
            total.merge(summary)
            done += 1
            if progress:
                progress(total.draws, draws)
    except KeyboardInterrupt:
        pass
    return _result(scenario, names, seed, draws, total)


def _execute(
    args: tuple[Scenario, list[str], dict[str, Any], int],
    blocks: Iterator[tuple[int, int]],
    workers: int,
    dask: str | Any | None,
) -> Iterable[_Summary]:
    """Yield block summaries (in any order: merging is exact).

    With several processes or Dask, at most ``2 x workers`` blocks are in flight at once,
    so memory stays bounded however many draws a study has.
    """
    scenario, names, options, seed = args
    if dask is not None:
        yield from _execute_dask(args, blocks, dask)
        return
    if workers == 1:
        for k, size in blocks:
            yield run_block(scenario, names, options, seed, k, size)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    text = scenario.model_dump_json()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    pending: set[Future[_Summary]] = set()
    try:
        for k, size in blocks:
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
            pending.add(pool.submit(run_block, text, names, options, seed, k, size))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        # On Ctrl-C (or any stop) drop the queued blocks instead of running them out.
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """In worker processes: leave Ctrl-C to the parent, which stops the study cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _execute_dask(
    args: tuple[Scenario, list[str], dict[str, Any], int],
    blocks: Iterator[tuple[int, int]],
    dask: str | Any,
) -> Iterable[_Summary]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError(
            "running on Dask needs the dask extra: pip install 'statecraft[dask]'"
        ) from exc
    scenario, names, options, seed = args
    text = scenario.model_dump_json()
    if isinstance(dask, Client):
        client = dask
    else:
        try:
            client = Client(dask, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise RuntimeError(f"cannot reach the Dask scheduler at {dask!r}: {exc}") from None
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        first = [
            client.submit(run_block, text, names, options, seed, k, size, pure=True)
            for k, size in itertools.islice(blocks, window)
        ]
        queue = as_completed(first)  # type: ignore[no-untyped-call]
        for future in queue:
            summary = future.result()
            future.release()
            nxt = next(blocks, None)
            if nxt is not None:
                queue.add(  # type: ignore[no-untyped-call]
                    client.submit(run_block, text, names, options, seed, *nxt, pure=True)
                )
            yield summary
    finally:
        if client is not dask:
            client.close()  # type: ignore[no-untyped-call]


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
                    mean=math.fsum(total.sums[key]) / n if n else float("nan"),
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
        actors = scenario.arrays(issue_id).actor_ids
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
