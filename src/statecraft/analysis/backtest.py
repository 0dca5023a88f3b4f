"""Backtesting: every model's forecasts of real decisions against what was decided.

On a DEU table (:func:`statecraft.io.deu.read_deu`), every model and every naive baseline
forecasts every issue. The errors are summarised as mean absolute error (MAE), root mean
squared error (RMSE) and median absolute error, each with a 95% interval from a bootstrap
that resamples proposals, not issues: the issues of one proposal are decided together and
are not independent. Each model is also compared with the compromise model issue by issue,
with a paired interval from the same resampling, and the leaderboard is ranked by that paired
difference (:meth:`Backtest.leaderboard`).

Calibration is measured too (:mod:`statecraft.analysis.calibration`): the proposals are dealt
into folds, each issue's predictive distribution is its forecast plus the errors of the same
model on the issues of the other folds, and each model is scored by its mean CRPS and the
share of outcomes inside its 80% and 95% intervals, all out of sample on the table itself.

The baselines give every claim its yardstick:

- ``status-quo``: the reference point (what holds without a law);
- ``commission``: the Commission's position (the proposal);
- ``mean``: the unweighted mean of the positions;
- ``median-position``: the unweighted median of the positions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError

from statecraft.analysis.calibration import LEVELS, cross_validated, grouped_folds
from statecraft.analysis.kernel import evaluate
from statecraft.arrays import scenario_batch
from statecraft.errors import check_seed
from statecraft.io import actor_data, error_from_validation
from statecraft.io.deu import DeuIssue, DeuTable
from statecraft.models import Model, default_model, get_model
from statecraft.notebook import Notebook
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BASELINES", "Backtest", "Score", "backtest", "forecast_table", "outcomes"]


#: The most bootstrap resamples a backtest takes (each costs every model a pass over the
#: issues; 2,000 give intervals stable to a few hundredths of a point).
MAX_REPLICATES = 100_000


def _positions(issue: DeuIssue) -> np.ndarray:
    return np.array(list(issue.positions.values()), dtype=float)


#: The naive baselines. They read every position coded, whatever the capability rule.
BASELINES: dict[str, Callable[[DeuIssue], float | None]] = {
    "status-quo": lambda issue: issue.status_quo,
    "commission": lambda issue: issue.positions.get("com"),
    "mean": lambda issue: float(np.mean(_positions(issue))),
    "median-position": lambda issue: float(np.median(_positions(issue))),
}


@dataclass(frozen=True)
class Score:
    """One model's errors over the issues it forecast, with bootstrap intervals."""

    model: str
    n: int
    mae: float
    mae_ci: tuple[float, float]
    rmse: float
    rmse_ci: tuple[float, float]
    median_ae: float
    median_ae_ci: tuple[float, float]
    vs_compromise: float | None  # mean of (|error| - |compromise error|) on shared issues
    vs_compromise_ci: tuple[float, float] | None
    shared_issues: int = 0  # issues both this model and the compromise model forecast
    apart: bool = False  # scored on fewer issues than the compromise model
    crps: float | None = None  # mean CRPS of the out-of-fold predictive distributions
    coverage80: float | None = None  # share of outcomes inside the out-of-fold 80% interval
    coverage95: float | None = None


@dataclass(frozen=True, repr=False)
class Backtest(Notebook):
    """Per-issue forecasts and the leaderboard."""

    table: DeuTable
    models: tuple[str, ...]
    forecasts: Mapping[str, np.ndarray]  # model -> (issues,), NaN where it does not apply
    actual: np.ndarray
    scores: tuple[Score, ...]
    by_group: Mapping[str, Mapping[str, tuple[int, float]]]  # group -> model -> (n, MAE)
    replicates: int
    seed: int
    fitted: Mapping[str, Any] = field(default_factory=dict)  # how extra forecasts were made
    yardstick: str = field(default_factory=default_model)  # every other is compared with it
    folds: int | None = None  # folds of proposals for calibration (None: a single proposal)

    def to_records(self) -> list[dict[str, Any]]:
        """One record per issue: its proposal, procedure, rule, outcome and every forecast."""
        rows = []
        for k, item in enumerate(self.table.issues):
            row: dict[str, Any] = {
                "issue": item.issue,
                "proposal": item.proposal,
                "procedure": item.procedure,
                "voting_rule": item.voting_rule,
                "actual": float(self.actual[k]),
            }
            for name in self.models:
                value = float(self.forecasts[name][k])
                row[name] = None if np.isnan(value) else value
            rows.append(row)
        return rows

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def leaderboard(self) -> list[Score]:
        """The scores, like with like: first the models scored on every issue the compromise
        model forecasts, then (``apart``) those scored on fewer; within each part, by the
        paired difference from the compromise model on the issues both forecast (lowest
        first, the compromise model at 0), then by MAE. A model's MAE on fewer issues is not
        comparable with the compromise model's: the issues left may be easier."""

        def key(s: Score) -> tuple[Any, ...]:
            diff = 0.0 if s.model == self.yardstick else s.vs_compromise
            return (s.apart, diff is None, diff or 0.0, s.model != self.yardstick, s.mae)

        return sorted(self.scores, key=key)

    def leaderboard_records(self) -> list[dict[str, Any]]:
        """The leaderboard, one flat record per model or baseline, in its order."""
        return [
            {
                "model": s.model,
                "n": s.n,
                "shared_issues": s.shared_issues,
                "apart": s.apart,
                "mae": s.mae,
                "mae_low": s.mae_ci[0],
                "mae_high": s.mae_ci[1],
                "rmse": s.rmse,
                "median_ae": s.median_ae,
                "vs_compromise": s.vs_compromise,
                "vs_compromise_low": None if s.vs_compromise_ci is None else s.vs_compromise_ci[0],
                "vs_compromise_high": None if s.vs_compromise_ci is None else s.vs_compromise_ci[1],
                "crps": s.crps,
                "coverage80": s.coverage80,
                "coverage95": s.coverage95,
            }
            for s in self.leaderboard()
        ]

    def leaderboard_frame(self) -> pd.DataFrame:
        """:meth:`leaderboard_records` as a DataFrame."""
        import pandas as pd

        return pd.DataFrame.from_records(self.leaderboard_records())

    _headline = leaderboard_frame

    def _summary(self) -> list[str]:
        best = self.leaderboard()[:3]
        return [
            f"Backtest of {len(self.actual)} issues, {len(self.models)} models, "
            f"{self.replicates:,} bootstrap resamples (seed {self.seed})",
            *(f"  {s.model}: MAE {s.mae:.4g} on {s.n} issues" for s in best),
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, strict: what is not a finite number is null, with the reason."""
        return dict(
            strict_json(
                {
                    "issues": len(self.table.issues),
                    "proposals": len(self.table.proposals),
                    "skipped": dict(self.table.skipped),
                    "capability": self.table.capability,
                    "bootstrap": {
                        "replicates": self.replicates,
                        "seed": self.seed,
                        "over": "proposals",
                    },
                    "calibration": {
                        "folds": self.folds,
                        "seed": self.seed,
                        "grouped_by": "proposal",
                        "levels": list(LEVELS),
                        "predictive": "forecast + the same model's errors on the issues of "
                        "the other folds, held within the scale",
                    },
                    "ranking": {
                        "by": "vs_compromise",
                        "yardstick": self.yardstick,
                        "apart": "scored on fewer issues than the yardstick; ranked after "
                        "the others, by vs_compromise on the issues they share",
                    },
                    "leaderboard": [
                        {
                            "model": s.model,
                            "n": s.n,
                            "shared_issues": s.shared_issues,
                            "apart": s.apart,
                            "mae": s.mae,
                            "mae_ci": list(s.mae_ci),
                            "rmse": s.rmse,
                            "rmse_ci": list(s.rmse_ci),
                            "median_ae": s.median_ae,
                            "median_ae_ci": list(s.median_ae_ci),
                            "vs_compromise": s.vs_compromise,
                            "vs_compromise_ci": None
                            if s.vs_compromise_ci is None
                            else list(s.vs_compromise_ci),
                            "crps": s.crps,
                            "coverage80": s.coverage80,
                            "coverage95": s.coverage95,
                        }
                        for s in self.leaderboard()
                    ],
                    "by_group": {
                        group: {m: {"n": n, "mae": mae} for m, (n, mae) in models.items()}
                        for group, models in self.by_group.items()
                    },
                    **({"fitted": dict(self.fitted)} if self.fitted else {}),
                }
            )
        )


def outcomes(table: DeuTable) -> np.ndarray:
    """The decision outcome of every issue, in table order."""
    return np.array([item.actual for item in table.issues])


def forecast_table(
    table: DeuTable,
    model_names: Sequence[str | Model],
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, np.ndarray]:
    """Each model's or baseline's forecast of every issue, NaN where it does not apply.
    Models are given by name (with their ``options``, per name) or as instances.

    Every model runs through the evaluation kernel once per proposal, on all its issues at
    once (:func:`proposal_scenario`): the linked models link them, the one-issue models read
    them one by one, as they would each issue alone.
    """
    options = options or {}
    models = [
        m if isinstance(m, Model) else get_model(m, **options.get(m, {}))
        for m in model_names
        if not (isinstance(m, str) and m in BASELINES)
    ]
    baselines = [m for m in model_names if isinstance(m, str) and m in BASELINES]
    out = {
        name: np.full(len(table.issues), np.nan) for name in [*baselines, *(m.name for m in models)]
    }
    if models:
        for rows in _proposals(table):
            batch = scenario_batch(proposal_scenario([table.issues[k] for k in rows]))
            for name, output in evaluate(models, batch).items():
                out[name][rows] = output.forecasts[0]
    for name in baselines:
        for k, item in enumerate(table.issues):
            value = BASELINES[name](item)
            if value is not None:
                out[name][k] = value
    return out


def _proposals(table: DeuTable) -> list[list[int]]:
    """The rows of each proposal's issues, in the order proposals first appear."""
    by_proposal: dict[str, list[int]] = {}
    for k, item in enumerate(table.issues):
        by_proposal.setdefault(item.proposal, []).append(k)
    return list(by_proposal.values())


def proposal_scenario(items: Sequence[DeuIssue]) -> Scenario:
    """The issues of one proposal as one scenario, for the models that link issues: each
    issue under its own id, each actor with a stance on the issues it took a position on
    (its capability there, where the capability rule gives it a different one)."""
    issues: list[dict[str, Any]] = []
    stances: dict[str, dict[str, tuple[Any, Any, float]]] = {}
    for item in items:
        issue = item.scenario.issues[0]
        issues.append(
            {
                "id": item.issue,
                "label": item.issue,
                "status_quo": issue.status_quo,
                "actual": issue.actual,
            }
        )
        for actor in item.scenario.actors:
            stance = actor.stances.get("x")
            if stance is not None:
                stances.setdefault(actor.id, {})[item.issue] = (
                    stance.position,
                    stance.salience,
                    actor.capability_on("x"),
                )
    actors = [actor_data(actor_id, mine) for actor_id, mine in stances.items()]
    data = {"name": items[0].proposal, "issues": issues, "actors": actors}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:  # a table built by hand: read_deu checks the ids
        raise error_from_validation(exc, file=f"proposal {items[0].proposal!r}", lines={}) from None


def _percentiles(values: np.ndarray) -> tuple[float, float]:
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def backtest(
    table: DeuTable,
    models: Sequence[str | Model] | None = None,
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    replicates: int = 2000,
    seed: int = 0,
    extra: Mapping[str, np.ndarray] | None = None,
    fitted: Mapping[str, Any] | None = None,
    folds: int = 10,
) -> Backtest:
    """Score models and baselines on a DEU table.

    ``models``: names of models and baselines, or model instances (default: every model and
    baseline).
    ``options``: per model name, its options. Intervals come from ``replicates`` bootstrap
    resamples of the proposals, drawn from ``seed``. ``extra``: forecasts made elsewhere,
    one per issue (NaN where none), scored alongside, such as the out-of-fold forecasts of
    :func:`statecraft.analysis.fitted.cross_validate`; ``fitted`` says how they were made.
    ``folds``: folds of proposals, dealt from ``seed``, for the calibration scores (fewer
    when the table has fewer proposals; none for a single proposal).
    """
    seed = check_seed(seed)
    if isinstance(replicates, bool) or not isinstance(replicates, int):
        raise ValueError(f"replicates must be a whole number, not {replicates!r}")
    if not 10 <= replicates <= MAX_REPLICATES:
        raise ValueError(
            f"replicates must lie between 10 and {MAX_REPLICATES:,} (got {replicates:,}): "
            "a bootstrap's intervals settle long before"
        )
    if folds < 2:
        raise ValueError(f"folds must be at least 2, got {folds}")
    from statecraft.models import available_models

    given = list(models) if models else [*available_models(), *BASELINES]
    names = [m.name if isinstance(m, Model) else m for m in given]
    yardstick = default_model()  # the first registered: the compromise model (Achen 2006)
    if yardstick not in names:  # the yardstick of every comparison
        given.insert(0, yardstick)
        names.insert(0, yardstick)
    for m in given:
        if isinstance(m, str) and m not in BASELINES:
            get_model(m)
    forecasts = forecast_table(table, given, options)
    for name, values in (extra or {}).items():
        values = np.asarray(values, dtype=float)
        if values.shape != (len(table.issues),):
            raise ValueError(f"{name}: expected one forecast per issue ({len(table.issues)})")
        if name in forecasts:
            raise ValueError(f"{name}: the name of a model or baseline")
        forecasts[name] = values
        names.append(name)
    actual = outcomes(table)
    proposals = np.array([i.proposal for i in table.issues])
    groups = {p: np.flatnonzero(proposals == p) for p in dict.fromkeys(proposals)}
    keys = list(groups)

    def samples() -> Iterator[np.ndarray]:
        """The bootstrap's resamples of the proposals, the same for every model, made as
        they are used (a million of them would not fit in memory at once)."""
        rng = np.random.default_rng(seed)
        for _ in range(replicates):
            yield np.concatenate([groups[keys[j]] for j in rng.integers(0, len(keys), len(keys))])

    base_error = np.abs(forecasts[yardstick] - actual)
    n_folds = min(folds, len(keys)) if len(keys) >= 2 else None
    fold = grouped_folds(list(proposals), n_folds, seed) if n_folds else None
    low, high = _scale_ends(table)
    scores = []
    for name in names:
        error = np.abs(forecasts[name] - actual)
        ok = ~np.isnan(error)
        if not ok.any():
            continue
        boot_mae, boot_rmse, boot_med, boot_diff = [], [], [], []
        shared = ok & ~np.isnan(base_error)
        for idx in samples():
            e = error[idx][ok[idx]]
            if e.size:
                boot_mae.append(e.mean())
                boot_rmse.append(np.sqrt((e**2).mean()))
                boot_med.append(np.median(e))
            d = (error[idx] - base_error[idx])[shared[idx]]
            if d.size:
                boot_diff.append(d.mean())
        diff = None
        if name != yardstick and shared.any():
            diff = float((error - base_error)[shared].mean())
        cal = None if fold is None else cross_validated(forecasts[name], actual, low, high, fold)
        scores.append(
            Score(
                model=name,
                n=int(ok.sum()),
                mae=float(error[ok].mean()),
                mae_ci=_percentiles(np.array(boot_mae)),
                rmse=float(np.sqrt((error[ok] ** 2).mean())),
                rmse_ci=_percentiles(np.array(boot_rmse)),
                median_ae=float(np.median(error[ok])),
                median_ae_ci=_percentiles(np.array(boot_med)),
                vs_compromise=diff,
                vs_compromise_ci=None if diff is None else _percentiles(np.array(boot_diff)),
                shared_issues=int(shared.sum()),
                apart=bool(shared.sum() < (~np.isnan(base_error)).sum()),
                crps=None if cal is None else cal.crps,
                coverage80=None if cal is None else cal.coverage[0.8],
                coverage95=None if cal is None else cal.coverage[0.95],
            )
        )
    by_group: dict[str, dict[str, tuple[int, float]]] = {}
    for label, attribute in (("procedure", "procedure"), ("voting rule", "voting_rule")):
        values = np.array([getattr(i, attribute) or "unknown" for i in table.issues])
        for value in dict.fromkeys(values):
            mask = values == value
            by_group[f"{label}: {value}"] = {
                name: (
                    int((mask & ~np.isnan(forecasts[name])).sum()),
                    float(np.nanmean(np.abs(forecasts[name] - actual)[mask]))
                    if (mask & ~np.isnan(forecasts[name])).any()
                    else float("nan"),
                )
                for name in names
            }
    return Backtest(
        table=table,
        models=tuple(names),
        forecasts=forecasts,
        actual=actual,
        scores=tuple(scores),
        by_group=by_group,
        replicates=replicates,
        seed=seed,
        fitted=dict(fitted or {}),
        yardstick=yardstick,
        folds=n_folds,
    )


def _scale_ends(table: DeuTable) -> tuple[np.ndarray, np.ndarray]:
    """The low and high end of every issue's scale (0 and 100 on a DEU table)."""
    scales = [item.scenario.issues[0].scale for item in table.issues]
    return np.array([s.low for s in scales]), np.array([s.high for s in scales])
