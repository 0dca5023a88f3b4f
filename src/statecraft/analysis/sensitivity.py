"""Sensitivity: which uncertain numbers move each forecast, and how much.

- One at a time (the tornado): each uncertain number is set to the low and then the high end
  of its range, all others at their values; inputs are ranked, per issue, by the swing of
  the forecast between the two ends.
- Variance-based: first-order and total Sobol indices (Sobol 2001; Saltelli et al. 2010,
  "Variance based sensitivity analysis of model output", *Computer Physics Communications*
  181(2): 259-270), sampled and estimated with SALib (Herman & Usher 2017, *Journal of Open
  Source Software* 2(9): 97), each number drawn from its own distribution.

Both evaluate the model on every variant at once, through the models' batch axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.analysis.draws import UncertainInput, uncertain_inputs
from statecraft.analysis.kernel import draws_per_block, memory_limit, run_model
from statecraft.analysis.uncertainty import check_models
from statecraft.arrays import draw_batch
from statecraft.errors import MemoryLimitError, check_seed
from statecraft.models import Model, default_model
from statecraft.notebook import Notebook
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Sensitivity", "SobolIndex", "Swing", "one_at_a_time", "sobol_indices"]

#: Evaluations per model call (fewer where a batch of them would outgrow the kernel's
#: memory budget): memory stays bounded however many inputs a scenario has.
CHUNK = 4096


@dataclass(frozen=True)
class Swing:
    """How far one input moves one issue's forecast between the ends of its range."""

    issue: str
    input: str
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


@dataclass(frozen=True)
class SobolIndex:
    """First-order (S1) and total (ST) Sobol indices of one input on one issue."""

    issue: str
    input: str
    first: float
    first_conf: float
    total: float
    total_conf: float


@dataclass(frozen=True, repr=False)
class Sensitivity(Notebook):
    """The result of a sensitivity study: per issue, the base forecast and the rankings."""

    scenario: Scenario
    model: str
    inputs: tuple[UncertainInput, ...]
    base: Mapping[str, float]
    swings: tuple[Swing, ...] = ()
    sobol: tuple[SobolIndex, ...] = ()
    samples: int = 0
    seed: int | None = None  # the Sobol sample's seed (one at a time draws nothing)

    def tornado(self, issue: str, *, keep_zero: bool = False) -> list[Swing]:
        """The swings on one issue, largest first; inputs that do not move the forecast at
        all are left out unless ``keep_zero`` (a swing that cannot be computed is kept,
        last)."""
        rows = [s for s in self.swings if s.issue == issue and (keep_zero or s.swing != 0.0)]
        return sorted(rows, key=lambda s: -(s.swing if np.isfinite(s.swing) else -1.0))

    def merged(self, other: Sensitivity) -> Sensitivity:
        """One result holding both studies: this one's swings and the other's Sobol indices
        (or the other way round), for the same scenario and model."""
        if other.scenario is not self.scenario or other.model != self.model:
            raise ValueError("only studies of the same scenario and model can be merged")
        return Sensitivity(
            self.scenario,
            self.model,
            self.inputs,
            self.base,
            swings=self.swings or other.swings,
            sobol=self.sobol or other.sobol,
            samples=self.samples or other.samples,
            seed=self.seed if self.seed is not None else other.seed,
        )

    def ranked_sobol(self, issue: str) -> list[SobolIndex]:
        """The Sobol indices on one issue, by total index, largest first."""
        rows = [s for s in self.sobol if s.issue == issue]
        return sorted(rows, key=lambda s: -(s.total if np.isfinite(s.total) else -1.0))

    def _summary(self) -> list[str]:
        how = " and ".join(
            w for w, on in (("one at a time", self.swings), ("Sobol", self.sobol)) if on
        )
        lines = [
            f"Sensitivity of {self.scenario.name!r} under {self.model}: "
            f"{len(self.inputs)} uncertain inputs, {how or 'nothing run'}"
        ]
        for issue in self.base:
            top = self.tornado(issue)[:1]
            said = f"{top[0].input} swings it {top[0].swing:.4g}" if top else "nothing moves it"
            lines.append(f"  {issue} (base {self.base[issue]:.4g}): {said}")
        return lines

    def _headline(self) -> pd.DataFrame:
        """The five inputs that move each issue most, one at a time (or by total Sobol
        index when only the Sobol study ran)."""
        import pandas as pd

        rows: list[dict[str, Any]] = []
        for issue in self.base:
            if self.swings:
                rows += [
                    {"issue": issue, "input": s.input, "at_low": s.at_low}
                    | {"at_high": s.at_high, "swing": s.swing}
                    for s in self.tornado(issue)[:5]
                ]
            else:
                rows += [
                    {"issue": issue, "input": s.input, "S1": s.first, "ST": s.total}
                    for s in self.ranked_sobol(issue)[:5]
                ]
        return pd.DataFrame.from_records(rows)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "issue": s.issue,
                "input": s.input,
                "method": "oat",
                "at_low": s.at_low,
                "at_high": s.at_high,
                "swing": s.swing,
            }
            for s in self.swings
        ] + [
            {
                "issue": s.issue,
                "input": s.input,
                "method": "sobol",
                "S1": s.first,
                "S1_conf": s.first_conf,
                "ST": s.total,
                "ST_conf": s.total_conf,
            }
            for s in self.sobol
        ]
        return pd.DataFrame.from_records(rows)

    def to_dict(
        self, issues: Sequence[str] | None = None, top: int | None = None, zeros: bool = False
    ) -> dict[str, Any]:
        """JSON-ready; ``issues`` and ``top`` keep only those issues and the top inputs; the
        tornado leaves out inputs that move nothing unless ``zeros``."""
        wanted = [i.id for i in self.scenario.issues if i.id in self.base]
        if issues:
            wanted = [i for i in wanted if i in issues]
        issues = wanted
        data: dict[str, Any] = strict_json(
            {
                "scenario": self.scenario.name,
                "model": self.model,
                "inputs": [i.key for i in self.inputs],
                "base": dict(self.base),
                "one_at_a_time": {
                    issue: [
                        {
                            "input": s.input,
                            "at_low": _num(s.at_low),
                            "at_high": _num(s.at_high),
                            "swing": _num(s.swing),
                        }
                        for s in self.tornado(issue, keep_zero=zeros)[:top]
                    ]
                    for issue in issues
                }
                if self.swings
                else None,
                "sobol": {
                    issue: [
                        {
                            "input": s.input,
                            "S1": _num(s.first),
                            "S1_conf": _num(s.first_conf),
                            "ST": _num(s.total),
                            "ST_conf": _num(s.total_conf),
                        }
                        for s in self.ranked_sobol(issue)[:top]
                    ]
                    for issue in issues
                }
                if self.sobol
                else None,
                "samples": self.samples,
            },
            why=_WHY_NULL,
        )
        return data


#: Why a number of a sensitivity's JSON is null (:func:`~statecraft.textsafe.strict_json`).
_WHY_NULL = {
    "one_at_a_time": "the model gave no forecast with the input at that end of its range",
    "sobol": "the forecast is the same in every sample, so no input explains any of its variance",
    "base": "the model gave no forecast of the issue",
}


def _num(x: float) -> float:
    return float(x)


def _evaluate(
    scenario: Scenario,
    model: Model,
    draws: Mapping[str, np.ndarray],
    size: int,
    seed: int = 0,
    block: int = 0,
) -> dict[str, np.ndarray]:
    """Forecasts (size,) per issue for a batch of given input values (the issues the model
    forecasts), through the evaluation kernel."""
    out = run_model(model, draw_batch(scenario, draws, size), seed=seed, block=block)
    return {
        issue: out.forecasts[:, j]
        for j, issue in enumerate(scenario.issue_ids)
        if issue not in out.not_applicable
    }


def one_at_a_time(
    scenario: Scenario,
    model: str | Model | None = None,
    *,
    options: Mapping[str, Any] | None = None,
) -> Sensitivity:
    """Swing each uncertain input over its range, the others at their values (a tornado).
    ``model`` is a name or an instance, one-issue or linked (default: the first registered
    model, :func:`~statecraft.models.default_model`)."""
    (built,) = check_models(scenario, [model or default_model()], options or {})
    inputs = uncertain_inputs(scenario, actual=False)
    size = 2 * len(inputs) + 1  # row 0: every input at its value
    values = np.array([item.value for item in inputs])
    ends = np.column_stack([[i.low for i in inputs], [i.high for i in inputs]]).ravel()
    parts: dict[str, list[np.ndarray]] = {}
    step = _rows(scenario)
    for start in range(0, size, step):
        rows = np.arange(start, min(start + step, size))
        x = np.repeat(values[None, :], len(rows), axis=0)
        swung = rows > 0  # row 1 + 2k holds input k at its low end, row 2 + 2k at its high
        x[np.flatnonzero(swung), (rows[swung] - 1) // 2] = ends[rows[swung] - 1]
        draws = {item.key: x[:, k] for k, item in enumerate(inputs)}
        for issue, got in _evaluate(scenario, built, draws, len(rows), 0, start // step).items():
            parts.setdefault(issue, []).append(got)
    result = {issue: np.concatenate(got) for issue, got in parts.items()}
    swings = tuple(
        Swing(issue, item.key, float(values[1 + 2 * k]), float(values[2 + 2 * k]))
        for issue, values in result.items()
        for k, item in enumerate(inputs)
    )
    base = {issue: float(values[0]) for issue, values in result.items()}
    return Sensitivity(scenario, built.name, tuple(inputs), base, swings=swings)


def _rows(scenario: Scenario) -> int:
    """Evaluations per model call: at most :data:`CHUNK`, fewer on a large scenario."""
    return draws_per_block(len(scenario.actors), len(scenario.issues), CHUNK)


def _check_sobol(scenario: Scenario, samples: int, k: int) -> None:
    """Refuse a Sobol design that cannot fit the machine's memory, before drawing it: the
    design on the unit cube and its quantiles (N (k + 2) rows of k numbers each), the
    forecasts of every issue, and SALib's bootstrap (100 resamples of N, four arrays)."""
    limit = memory_limit()
    rows = samples * (k + 2)
    need = 8 * rows * (2 * k + len(scenario.issues)) + 8 * 4 * 100 * samples
    if limit is not None and need > limit[0]:
        raise MemoryLimitError(
            f"Sobol indices with N = {samples:,} on {k:,} uncertain inputs run the model "
            f"{rows:,} times and need about {need / 2**30:,.1f} GiB; {limit[1]} allows "
            f"{limit[0] / 2**30:,.1f} GiB: give a smaller N"
        )


def _ppf(item: UncertainInput, u: np.ndarray) -> np.ndarray:
    """The input's quantiles at ``u`` in [0, 1], for the distributions of
    :func:`statecraft.analysis.uncertainty.sample`."""
    from scipy import stats

    low, high, mode = item.low, item.high, item.value
    width = high - low
    if item.dist == "uniform":
        return low + width * u
    if item.dist == "normal":
        sd = width / 4.0
        dist = stats.truncnorm((low - mode) / sd, (high - mode) / sd, loc=mode, scale=sd)
        return np.asarray(dist.ppf(u))
    if item.dist == "beta":
        a = 1.0 + 4.0 * (mode - low) / width
        b = 1.0 + 4.0 * (high - mode) / width
        return np.asarray(low + width * stats.beta.ppf(u, a, b))
    peak = min(max((mode - low) / width, 0.0), 1.0)
    return np.asarray(stats.triang.ppf(u, peak, loc=low, scale=width))


def sobol_indices(
    scenario: Scenario,
    model: str | Model | None = None,
    *,
    samples: int = 1024,
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
) -> Sensitivity:
    """First-order and total Sobol indices of every uncertain input on every issue, under
    ``model`` (default: the first registered model).

    ``samples`` is the base sample size N (a power of two); the model runs N (k + 2) times
    for k inputs. Needs SALib (``pip install 'statecraft[sensitivity]'``).
    """
    seed = check_seed(seed)
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError(
            "Sobol indices need SALib: pip install 'statecraft[sensitivity]'"
        ) from exc
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of two, at least 2 (got {samples})")
    (built,) = check_models(scenario, [model or default_model()], options or {})
    inputs = uncertain_inputs(scenario, actual=False)
    if not inputs:
        raise ValueError("Sobol indices need at least one uncertain number in the scenario")
    _check_sobol(scenario, samples, len(inputs))
    # SALib draws the design on the unit cube; each input's own quantile function maps it
    # to that input's distribution (which leaves the indices' definition unchanged).
    problem = {
        "num_vars": len(inputs),
        "names": [i.key for i in inputs],
        "bounds": [[0.0, 1.0]] * len(inputs),
    }
    u = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    x = np.column_stack([_ppf(item, u[:, j]) for j, item in enumerate(inputs)])
    outputs: dict[str, list[np.ndarray]] = {}
    step = _rows(scenario)
    for start in range(0, x.shape[0], step):
        block = x[start : start + step]
        draws = {item.key: block[:, j] for j, item in enumerate(inputs)}
        for issue, values in _evaluate(
            scenario, built, draws, block.shape[0], seed, start // step
        ).items():
            outputs.setdefault(issue, []).append(values)
    indices = []
    base = _evaluate(scenario, built, {}, 1, seed)
    for issue, parts in outputs.items():
        y = np.concatenate(parts)
        if np.ptp(y) == 0:
            nan = float("nan")
            indices += [SobolIndex(issue, item.key, 0.0, nan, 0.0, nan) for item in inputs]
            continue
        # SALib seeds its bootstrap only from a seed that is true (`if seed:`), so seed 0
        # would draw the half-widths' resamples afresh each time: a generator it takes as it is.
        with np.errstate(invalid="ignore", divide="ignore"):
            result = analyze.analyze(
                problem,
                y,
                calc_second_order=False,
                seed=np.random.default_rng(seed),
                print_to_console=False,
            )
        indices += [
            SobolIndex(
                issue,
                item.key,
                float(result["S1"][j]),
                float(result["S1_conf"][j]),
                float(result["ST"][j]),
                float(result["ST_conf"][j]),
            )
            for j, item in enumerate(inputs)
        ]
    return Sensitivity(
        scenario,
        built.name,
        tuple(inputs),
        {issue: float(v[0]) for issue, v in base.items()},
        sobol=tuple(indices),
        samples=samples,
        seed=seed,
    )
