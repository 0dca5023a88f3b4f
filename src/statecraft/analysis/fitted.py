"""Models with parameters fitted to DEU data, scored by cross-validation grouped by proposal.

The compromise model (capability x salience weighted mean) is hard to beat on DEU (Achen
2006, in Thomson, Stokman, Achen & Koenig (eds), *The European Union Decides*; Leinaweaver &
Thomson 2014, *European Union Politics* 15(1)). Four families try, each with parameters
learnt from data:

- ``sq-blend``: the compromise forecast moved a share ``lambda`` of the way to the status
  quo (the reference point), where there is one: ``(1 - lambda) * compromise + lambda * sq``.
- ``salience-power``: the compromise model with each salience raised to a power ``gamma``:
  0 is the unweighted mean of positions, 1 the compromise model, more than 1 lets the actors
  who care most count for more still.
- ``capability``: the compromise model with the member states weighed by the Council votes
  of the treaty era and the Commission's and the Parliament's weights (relative to the
  whole Council; the Parliament's by procedure) learnt: see
  :class:`statecraft.io.deu.CapabilityRule`.
- ``eu-qt``: the expected utility model (Scholz, Calbert & Smith 2011) with its Q and T.
- ``combination``: a weighted mean of the forecasts of the compromise, median and expected
  utility models and of the baselines (status quo, Commission, mean of positions), the
  weights non-negative and summing to 1, fitted by least absolute deviations. Where an
  issue has no status quo or no Commission position, the compromise forecast stands in.

A grid family takes the candidate with the lowest mean absolute error on the training data
(the first on ties, the grids starting from the unfitted model). Honest figures come from
:func:`cross_validate`: proposals are dealt into folds, each fold is forecast by parameters
fitted on the others, and the out-of-fold forecasts are scored like any model. The issues of
a proposal never straddle training and test data.

:func:`cross_validate` also fits on the whole table; ``scripts/fit_deu.py`` does so on the
DEU III development file and writes the parameters that ship with the package, read by
:func:`load_fitted` (defined in :mod:`statecraft.io.deu_fitted`, as reading a file is I/O, and
re-exported here) and used by :func:`apply_fitted` and the capability rule ``fitted``
(:func:`statecraft.io.deu_fitted.capability_rule`).
Fitting the combination needs SciPy (``pip install 'statecraft[fit]'``); applying any
fitted parameters needs only NumPy.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from statecraft.analysis.backtest import forecast_table, outcomes
from statecraft.analysis.calibration import grouped_folds
from statecraft.arrays import issue_arrays
from statecraft.errors import check_seed
from statecraft.io.deu import CapabilityRule, DeuTable, decision_date
from statecraft.io.deu_fitted import load_fitted

__all__ = [
    "FAMILIES",
    "CrossValidation",
    "apply_fitted",
    "cross_validate",
    "grouped_folds",
    "load_fitted",
    "sha256",
]

FAMILIES = ("sq-blend", "salience-power", "capability", "eu-qt", "combination")

#: The grids. Each starts from the unfitted model (lambda 0; Q = 1).
LAMBDAS = tuple(k / 50 for k in range(51))
GAMMAS = tuple(k / 10 for k in range(10, 31)) + tuple(k / 10 for k in range(10))
SHARES = (0.0, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
QS = (0.9, 0.75, 0.5, 0.25, 0.0)
TS: tuple[float | str, ...] = (1.0, 0.75, 0.5, 0.25, 0.0, "geometric")
#: The forecasts the combination weighs.
COMBINED = ("compromise", "median", "expected-utility", "status-quo", "commission", "mean")

Progress = Callable[[str, int, int], None]  # (what, done, total)


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file, to record which data parameters were fitted on."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class _Cache:
    """Forecasts computed once per table and reused by every family and fold."""

    def __init__(self, table: DeuTable, progress: Progress | None) -> None:
        self.table = table
        self.progress = progress
        self._store: dict[str, np.ndarray] = {}

    def model(self, name: str, **options: Any) -> np.ndarray:
        """A model's or baseline's forecasts (NaN where it does not apply), computed once."""
        key = json.dumps([name, options], sort_keys=True)
        if key not in self._store:
            self._store[key] = forecast_table(self.table, [name], {name: options})[name]
        return self._store[key]

    def status_quo_or_compromise(self) -> np.ndarray:
        """The status quo where there is one, the compromise forecast elsewhere."""
        sq, compromise = self.model("status-quo"), self.model("compromise")
        return np.where(np.isnan(sq), compromise, sq)

    def features(self) -> np.ndarray:
        """(issues, len(COMBINED)): the forecasts the combination weighs, gaps filled with
        the compromise forecast."""
        compromise = self.model("compromise")
        columns = [np.where(np.isnan(f := self.model(c)), compromise, f) for c in COMBINED]
        return np.column_stack(columns)

    def grid(self, family: str) -> tuple[list[dict[str, Any]], np.ndarray]:
        """The candidates of a grid family and their forecasts, (issues, candidates)."""
        if family == "sq-blend":
            base, sq = self.model("compromise"), self.status_quo_or_compromise()
            lam = np.array(LAMBDAS)
            return [{"lambda": x} for x in LAMBDAS], base[:, None] + lam * (sq - base)[:, None]
        if family == "salience-power":
            return [{"gamma": g} for g in GAMMAS], _salience_power(self.table, GAMMAS)
        if family == "capability":
            shares = [
                {"commission": c, "ep_cod": e, "ep_cns": f}
                for c, e, f in itertools.product(SHARES, SHARES, SHARES)
            ]
            return list(shares), _capability_grid(self.table, shares)
        if family == "eu-qt":
            qt: list[dict[str, Any]] = [{"q": 1.0, "t": 1.0}]
            qt += [{"q": q, "t": t} for q in QS for t in TS]
            columns = []
            for k, p in enumerate(qt):
                if self.progress:
                    self.progress("expected utility, Q and T", k, len(qt))
                columns.append(self.model("expected-utility", **p))
            if self.progress:
                self.progress("expected utility, Q and T", len(qt), len(qt))
            return qt, np.column_stack(columns)
        raise ValueError(f"{family!r} is not a grid family")


def _salience_power(table: DeuTable, gammas: Sequence[float]) -> np.ndarray:
    """The weighted mean of positions with weights capability x salience ** gamma."""
    g = np.asarray(gammas)
    out = np.empty((len(table.issues), len(g)))
    for k, item in enumerate(table.issues):
        arrays = issue_arrays(item.scenario, "x")
        x, s, c = arrays.position, arrays.salience, arrays.capability / arrays.capability.max()
        with np.errstate(divide="ignore"):
            w = c[:, None] * np.where(s[:, None] > 0, s[:, None] ** g, 0.0)
        w = np.where(g == 0, c[:, None], w)  # 0 ** 0: every actor counts, as the mean does
        total = w.sum(axis=0)
        out[k] = np.where(
            total > 0, (w * x[:, None]).sum(axis=0) / np.where(total > 0, total, 1), x.mean()
        )
    return out


def _capability_grid(table: DeuTable, params: Sequence[Mapping[str, float]]) -> np.ndarray:
    """The compromise forecast of every issue under every candidate capability rule.

    The weighted mean splits into the member states' part, which the candidates share, and
    the Commission's and the Parliament's, which scale with their weights.
    """
    probe = CapabilityRule("probe", "", commission=1.0, ep_cod=1.0, ep_cns=1.0)
    c = np.array([p["commission"] for p in params])
    e_cod = np.array([p["ep_cod"] for p in params])
    e_cns = np.array([p["ep_cns"] for p in params])
    out = np.full((len(table.issues), len(params)), np.nan)  # an issue left unset shows
    for k, item in enumerate(table.issues):
        positions, saliences = item.positions, item.saliences
        if item.introduced is None:  # no era: the equal rule
            x = np.array(list(positions.values()))
            s = np.array([saliences[a] for a in positions])
            out[k] = np.sum(s * x) / np.sum(s) if np.sum(s) > 0 else np.mean(x)
            continue
        date = decision_date(item.introduced, positions)
        shares = probe.capabilities(list(positions), item.procedure, date)
        num = den = 0.0
        for actor, position in positions.items():
            if actor not in ("com", "ep"):
                num += shares[actor] * saliences[actor] * position
                den += shares[actor] * saliences[actor]
        ep = e_cod if probe.approves(item.procedure) else e_cns
        num_v = np.full(len(params), num)
        den_v = np.full(len(params), den)
        for actor, weight in (("com", c), ("ep", ep)):
            if actor in positions:
                num_v = num_v + weight * saliences[actor] * positions[actor]
                den_v = den_v + weight * saliences[actor]
        plain = np.mean(list(positions.values()))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[k] = np.where(den_v > 0, num_v / np.where(den_v > 0, den_v, 1.0), plain)
    return out


def _lad_simplex(features: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Weights w >= 0 with sum 1 minimising sum |features @ w - actual| (a linear program)."""
    try:
        from scipy.optimize import linprog
    except ImportError as exc:  # pragma: no cover - scipy is in the dev install
        raise ImportError(
            "fitting the combination needs SciPy: pip install 'statecraft[fit]'"
        ) from exc
    n, m = features.shape
    # Variables: w (m), then u (n) with u >= |F w - y|.
    cost = np.concatenate([np.zeros(m), np.ones(n)])
    upper = np.block([[features, -np.eye(n)], [-features, -np.eye(n)]])
    bound = np.concatenate([actual, -actual])
    equal = np.concatenate([np.ones(m), np.zeros(n)])[None, :]
    result = linprog(cost, A_ub=upper, b_ub=bound, A_eq=equal, b_eq=[1.0], method="highs")
    if not result.success:  # pragma: no cover - the program is always feasible and bounded
        raise RuntimeError(f"the combination's linear program failed: {result.message}")
    weights = np.clip(result.x[:m], 0.0, None)
    return np.asarray(weights / weights.sum())


def _mae(forecasts: np.ndarray, actual: np.ndarray) -> np.ndarray:
    return np.asarray(np.nanmean(np.abs(forecasts - actual[:, None]), axis=0))


def _fit_family(
    cache: _Cache, family: str, train: np.ndarray, actual: np.ndarray
) -> dict[str, Any]:
    if family == "combination":
        weights = _lad_simplex(cache.features()[train], actual[train])
        return {"weights": {c: round(float(w), 6) for c, w in zip(COMBINED, weights, strict=True)}}
    params, forecasts = cache.grid(family)
    return dict(params[int(np.argmin(_mae(forecasts[train], actual[train])))])


def _predict_family(cache: _Cache, family: str, params: Mapping[str, Any]) -> np.ndarray:
    if family == "combination":
        w = np.array([params["weights"][c] for c in COMBINED])
        return np.asarray(cache.features() @ w)
    if family == "sq-blend":
        base, sq = cache.model("compromise"), cache.status_quo_or_compromise()
        return np.asarray(base + params["lambda"] * (sq - base))
    if family == "salience-power":
        return _salience_power(cache.table, [params["gamma"]])[:, 0]
    if family == "capability":
        return _capability_grid(cache.table, [params])[:, 0]
    if family == "eu-qt":
        return cache.model("expected-utility", q=params["q"], t=params["t"])
    raise ValueError(f"unknown family {family!r}; the families are: {', '.join(FAMILIES)}")


def _check(table: DeuTable, families: Sequence[str]) -> None:
    for family in families:
        if family not in FAMILIES:
            raise ValueError(f"unknown family {family!r}; the families are: {', '.join(FAMILIES)}")
    if table.capability != "equal" and set(families) - {"capability"}:
        raise ValueError(
            "the fitted families other than 'capability' are defined on the capability rule "
            f"'equal'; the table was read with {table.capability!r}"
        )


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold forecasts of each family, the parameters each fold chose, and those fitted
    on the whole table (which are in-sample there: score them on other data)."""

    forecasts: Mapping[str, np.ndarray]  # family -> (issues,)
    parameters: Mapping[str, tuple[dict[str, Any], ...]]  # family -> per fold
    fitted: Mapping[str, dict[str, Any]]  # family -> fitted on every issue
    fold: np.ndarray
    folds: int
    seed: int
    repeat_mae: Mapping[str, tuple[float, ...]]  # family -> MAE under seeds seed, seed + 1...

    def mae(self, actual: np.ndarray) -> dict[str, float]:
        return {f: float(np.nanmean(np.abs(v - actual))) for f, v in self.forecasts.items()}


def cross_validate(
    table: DeuTable,
    families: Sequence[str] = FAMILIES,
    *,
    folds: int = 10,
    seed: int = 0,
    repeats: int = 1,
    progress: Progress | None = None,
) -> CrossValidation:
    """Fit each family on all folds but one and forecast that one, for every fold; and fit
    each on the whole table.

    With ``repeats`` > 1 the proposals are dealt again from seeds ``seed + 1``, ... and the
    MAE of each dealing is kept, to show how much the figure owes to the dealing; the
    forecasts and parameters returned are those of ``seed``.
    """
    seed = check_seed(seed)
    _check(table, families)
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    proposals = [i.proposal for i in table.issues]
    dealings = [grouped_folds(proposals, folds, seed + r) for r in range(repeats)]
    actual = outcomes(table)
    cache = _Cache(table, progress)
    forecasts, parameters, fitted, repeat_mae = {}, {}, {}, {}
    everything = np.ones(len(table.issues), dtype=bool)
    for family in families:
        fitted[family] = _fit_family(cache, family, everything, actual)
        maes = []
        for r, fold in enumerate(dealings):
            out = np.full(len(table.issues), np.nan)
            chosen = []
            for k in range(folds):
                test = fold == k
                params = _fit_family(cache, family, ~test, actual)
                out[test] = _predict_family(cache, family, params)[test]
                chosen.append(params)
            if r == 0:
                forecasts[family] = out
                parameters[family] = tuple(chosen)
            maes.append(float(np.nanmean(np.abs(out - actual))))
        repeat_mae[family] = tuple(maes)
    return CrossValidation(forecasts, parameters, fitted, dealings[0], folds, seed, repeat_mae)


def apply_fitted(
    table: DeuTable,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    families: Sequence[str] = FAMILIES,
) -> dict[str, np.ndarray]:
    """Each family's forecasts with given parameters (default: those shipped)."""
    _check(table, families)
    if parameters is None:
        shipped = load_fitted()["families"]
        parameters = {f: shipped[f]["parameters"] for f in families}
    cache = _Cache(table, None)
    return {f: _predict_family(cache, f, parameters[f]) for f in families}
