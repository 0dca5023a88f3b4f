"""The parts of a brief (:mod:`statecraft.analysis.brief`): which models, the verdicts read
from a study's summary, and the flags."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from statecraft.analysis._blocks import BINS, ranked_actors
from statecraft.analysis._flags import FLIP_MOST, Flag, coded_numbers, flip_flag, flips
from statecraft.analysis._mixture import mixture, quantile
from statecraft.analysis._summary import GainCounts, Summary
from statecraft.arrays import scenario_batch
from statecraft.models import Model, available_models, build_model
from statecraft.runner import Forecast
from statecraft.scenario import Scenario

#: Where each model's forecast histogram of an issue (BINS bins across its scale) becomes
#: its predictive histogram, with the model's own error added; it returns None where it
#: has no record of the model, and the forecast's histogram is kept. ``error(counts, model)``.
ErrorFn = Callable[[np.ndarray, str], "np.ndarray | None"]

__all__ = [
    "ActorVerdict",
    "ErrorFn",
    "GainVerdict",
    "IssueVerdict",
    "ModelForecast",
    "choose_models",
    "find_flags",
    "issue_verdicts",
    "margin_pairs",
    "verdicts",
]


@dataclass(frozen=True)
class GainVerdict:
    """One actor's gain over the draws (of one model, or of the ensemble)."""

    p_biggest: float  # P(the actor has the highest gain)
    p_gain: float  # P(gain > 0)
    median: float
    interval80: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "p_biggest": self.p_biggest,
            "p_gain": self.p_gain,
            "median": self.median,
            "interval80": list(self.interval80),
        }


@dataclass(frozen=True)
class ActorVerdict:
    """One actor: over the ensemble (``overall``) and per model (``by_model``)."""

    actor: str
    name: str
    overall: GainVerdict
    by_model: Mapping[str, GainVerdict]

    @property
    def p_biggest(self) -> float:
        return self.overall.p_biggest

    @property
    def p_gain(self) -> float:
        return self.overall.p_gain

    @property
    def median(self) -> float:
        return self.overall.median

    @property
    def interval80(self) -> tuple[float, float]:
        return self.overall.interval80


@dataclass(frozen=True)
class ModelForecast:
    """One model's forecast of one issue over the draws: the median of its forecasts, the
    80% interval of its predictive histogram (the forecasts plus the model's own error,
    where it has an error record) and the 80% interval of its forecasts alone."""

    median: float
    interval80: tuple[float, float]
    inputs80: tuple[float, float]
    calibrated: bool


@dataclass(frozen=True)
class IssueVerdict:
    """One issue: the ensemble's forecast and 80% interval, each model's, their spread."""

    issue: str
    label: str
    status_quo: float | None
    actual: float | None
    forecast: float
    interval80: tuple[float, float]  # the mixture's predictive interval
    by_model: Mapping[str, ModelForecast]
    spread: float  # the largest model median minus the smallest
    inputs80: tuple[float, float] = (float("nan"), float("nan"))  # from the inputs alone
    calibrated: tuple[str, ...] = ()  # the models whose own error is in interval80

    @property
    def medians(self) -> tuple[float, float] | None:
        """The smallest and the largest of the models' medians; None without a forecast."""
        values = [f.median for f in self.by_model.values()]
        return (min(values), max(values)) if values else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "status_quo": self.status_quo,
            "actual": self.actual,
            "forecast": self.forecast,
            "interval80": list(self.interval80),
            "inputs80": list(self.inputs80),
            "calibrated": list(self.calibrated),
            "spread": self.spread,
            "by_model": {
                m: {
                    "median": f.median,
                    "interval80": list(f.interval80),
                    "inputs80": list(f.inputs80),
                    "calibrated": f.calibrated,
                }
                for m, f in self.by_model.items()
            },
        }


def choose_models(
    scenario: Scenario,
    models: str | Model | Sequence[str | Model] | None,
    options: Mapping[str, Any],
) -> tuple[list[str | Model], dict[str, str]]:
    """The models of the ensemble, and those left out with the reason. Given models are
    kept as given (:func:`~statecraft.analysis.uncertainty.check_models` refuses one that
    applies to no issue); by default every one-issue model that applies to some issue."""
    if models is not None:
        given = [models] if isinstance(models, str | Model) else list(models)
        return given, {}
    batch = scenario_batch(scenario)
    chosen: list[str | Model] = []
    skipped: dict[str, str] = {}
    for name, cls in available_models().items():
        if cls.links_issues:
            skipped[name] = "links the issues and is slower: runs only when named"
            continue
        model = build_model(name, options)
        reasons = model.not_applicable(batch)
        if len(reasons) == batch.n_issues:
            skipped[name] = f"applies to no issue: {next(iter(reasons.values()))}"
        else:
            chosen.append(name)
    return chosen, skipped


#: How many actors from the top of each model's point ranking the margins are counted for.
_TOP = 2


def margin_pairs(
    scenario: Scenario, point: Forecast
) -> tuple[list[str], tuple[tuple[int, int], ...]]:
    """The ranked actors, and the pairs (indices, first < second) whose gain differences a
    study counts: every pair among the top actors of each model's point forecast."""
    ranked = ranked_actors(scenario)
    top = {g.actor for w in point.winners_by_model.values() for g in w.ranking[:_TOP]}
    index = sorted(ranked.index(a) for a in top if a in ranked)
    return ranked, tuple(itertools.combinations(index, 2))


def _gain_verdict(g: GainCounts, k: int, draws: int) -> GainVerdict:
    h = g.histogram[k]
    return GainVerdict(
        p_biggest=int(g.best[k]) / draws,
        p_gain=int(g.positive[k]) / draws,
        median=quantile(h, 0.5, -1.0, 1.0),
        interval80=(quantile(h, 0.1, -1.0, 1.0), quantile(h, 0.9, -1.0, 1.0)),
    )


def verdicts(
    scenario: Scenario,
    ranked: Sequence[str],
    counts: Mapping[str, GainCounts | None],
    draws: int,
    weights: Mapping[str, float],
) -> tuple[ActorVerdict, ...]:
    """Every ranked actor's verdict per model and over the mixture of the models (those
    that ranked actors at all), best first: by P(biggest winner), then median gain."""
    have = {m: g for m, g in counts.items() if g is not None and draws > 0}
    if not have:
        return ()
    total = sum(weights[m] for m in have)
    w = {m: weights[m] / total for m in have} if total > 0 else {m: 1 / len(have) for m in have}
    out = []
    for k, actor in enumerate(ranked):
        per = {m: _gain_verdict(g, k, draws) for m, g in have.items()}
        mixed = mixture({m: g.histogram[k] for m, g in have.items()}, w)
        overall = GainVerdict(
            p_biggest=sum(w[m] * v.p_biggest for m, v in per.items()),
            p_gain=sum(w[m] * v.p_gain for m, v in per.items()),
            median=quantile(mixed, 0.5, -1.0, 1.0),
            interval80=(quantile(mixed, 0.1, -1.0, 1.0), quantile(mixed, 0.9, -1.0, 1.0)),
        )
        out.append(ActorVerdict(actor, scenario.actor(actor).display_name, overall, per))
    order = sorted(range(len(out)), key=lambda i: (-out[i].p_biggest, -out[i].median, i))
    return tuple(out[i] for i in order)


def _model_forecast(
    forecast: np.ndarray, predictive: np.ndarray | None, low: float, high: float
) -> ModelForecast:
    inputs80 = (quantile(forecast, 0.1, low, high), quantile(forecast, 0.9, low, high))
    h = forecast if predictive is None else predictive
    return ModelForecast(
        median=quantile(forecast, 0.5, low, high),
        interval80=(quantile(h, 0.1, low, high), quantile(h, 0.9, low, high)),
        inputs80=inputs80,
        calibrated=predictive is not None,
    )


def issue_verdicts(
    scenario: Scenario,
    models: Sequence[str],
    total: Summary,
    weights: Mapping[str, float],
    error: ErrorFn | None,
) -> tuple[IssueVerdict, ...]:
    """Per issue, each model's forecast histogram, its predictive histogram (the forecast
    histogram through ``error``, the one place where a model's own error enters; the
    forecast's own where ``error`` gives none) and their mixtures. The forecast is the median
    of the forecasts' mixture; the interval, the predictive mixture's."""
    out = []
    for issue in scenario.issues:
        low, high = issue.scale.low, issue.scale.high
        forecasts: dict[str, np.ndarray] = {}
        predictives: dict[str, np.ndarray] = {}
        by_model: dict[str, ModelForecast] = {}
        for m in models:
            counts = total.counts.get((issue.id, m))
            if counts is None or total.valid.get((issue.id, m), 0) == 0:
                continue
            forecasts[m] = np.asarray(counts, dtype=float)
            predictive = None if error is None else error(counts, m)
            predictives[m] = forecasts[m] if predictive is None else np.asarray(predictive, float)
            by_model[m] = _model_forecast(forecasts[m], predictive, low, high)
        nan = float("nan")
        mixed = mixture(forecasts, weights) if forecasts else np.zeros(BINS)
        # the forecasts' own mixture where no model's error is added (no error, no model)
        predicted = mixed if error is None or not predictives else mixture(predictives, weights)
        medians = [f.median for f in by_model.values()]
        out.append(
            IssueVerdict(
                issue=issue.id,
                label=issue.label,
                status_quo=None if issue.status_quo is None else issue.status_quo.value,
                actual=None if issue.actual is None else issue.actual.value,
                forecast=quantile(mixed, 0.5, low, high),
                interval80=(
                    quantile(predicted, 0.1, low, high),
                    quantile(predicted, 0.9, low, high),
                ),
                by_model=by_model,
                spread=max(medians) - min(medians) if medians else nan,
                inputs80=(quantile(mixed, 0.1, low, high), quantile(mixed, 0.9, low, high)),
                calibrated=tuple(m for m, f in by_model.items() if f.calibrated),
            )
        )
    return tuple(out)


def find_flags(
    scenario: Scenario,
    models: Sequence[Model],
    point: Forecast,
    ranked: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    total: Summary,
    weights: Mapping[str, float],
    winners: Sequence[ActorVerdict],
    *,
    coded: int,
    seed: int,
) -> tuple[Flag, ...]:
    """Every flag that holds (docs/brief.md)."""
    names = {a.id: a.display_name for a in scenario.actors}
    out: list[Flag] = []
    if coded == 0:
        out.append(
            Flag(
                "no_ranges",
                "No coded number has a range, so every draw is the same: the intervals from the "
                "inputs (inputs alone) are zero-width and probabilities are 0 or 1 within each "
                "model (they still differ between models, and the issues' intervals still hold "
                "the models' own errors). Give the numbers you are least sure of a range "
                "({value, low, high}), or run with --perturb 0.1 (perturb: in the file).",
            )
        )
    out += _still_moving(point, weights)
    out += _disagree(winners, names, weights)
    margin = _margin(ranked, pairs, total, weights, winners)
    if margin is not None:
        out.append(margin)
    if len(coded_numbers(scenario)) <= FLIP_MOST:
        flag = flip_flag(flips(scenario, models, ranked, seed), names)
        if flag is not None:
            out.append(flag)
    else:
        out.append(
            Flag(
                "near_flip_unchecked",
                f"The scenario has more than {FLIP_MOST:,} coded numbers, so the check that "
                "no single number is within a few percent of flipping the verdict was not "
                "run: run `statecraft sensitivity` on the numbers you doubt most.",
            )
        )
    return tuple(out)


def _still_moving(point: Forecast, weights: Mapping[str, float]) -> list[Flag]:
    out = []
    for model in point.model_names:
        if weights.get(model, 0) <= 0:
            continue  # a model of weight 0 says nothing in the ensemble
        moving = [i for i, d in point.details(model).items() if not getattr(d, "settled", True)]
        if moving:
            out.append(
                Flag(
                    "still_moving",
                    f"The {model} model was still moving when it stopped on "
                    f"{', '.join(moving)}: actors moved in its last round, so its forecast "
                    "depends on when bargaining stops and it may be cycling. See "
                    f"`statecraft rounds {point.scenario.name}` and try -o rounds=N; read its "
                    "forecast with care, or leave it out of the ensemble (name the others with "
                    "`statecraft brief --model`).",
                )
            )
    return out


def _disagree(
    winners: Sequence[ActorVerdict], names: Mapping[str, str], weights: Mapping[str, float]
) -> list[Flag]:
    if not winners:
        return []
    models = [m for m in winners[0].by_model if weights.get(m, 0) > 0]
    if len(models) < 2:
        return []
    pick: dict[str, list[str]] = {}
    for m in models:
        best = max(winners, key=lambda v: v.by_model[m].p_biggest)
        # a model under which nobody is ever the biggest winner (it forecasts no gain)
        pick.setdefault(best.actor if best.by_model[m].p_biggest > 0 else "", []).append(m)
    if len(pick) < 2:
        return []
    said = "; ".join(f"{', '.join(ms)}: {names.get(a, 'nobody')}" for a, ms in pick.items())
    return [
        Flag(
            "models_disagree",
            f"The models disagree on the most likely biggest winner ({said}). The ensemble's "
            "probabilities average them by the weight rule: read the per-model rows, and "
            "say which model's assumptions fit this negotiation (docs/models) before "
            "naming a winner.",
        )
    ]


def _margin(
    ranked: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    total: Summary,
    weights: Mapping[str, float],
    winners: Sequence[ActorVerdict],
) -> Flag | None:
    if len(winners) < 2 or not total.gains:
        return None
    lead, second = winners[0], winners[1]
    a, b = ranked.index(lead.actor), ranked.index(second.actor)
    pair = (min(a, b), max(a, b))
    what = f"{lead.name}'s gain minus {second.name}'s"
    if pair in pairs:
        k = list(pairs).index(pair)
        hists = {m: g.margins[k] if a < b else g.margins[k][::-1] for m, g in total.gains.items()}
        mixed = mixture(hists, weights)
        lo, hi = quantile(mixed, 0.1, -2.0, 2.0), quantile(mixed, 0.9, -2.0, 2.0)
        if not lo <= 0.0 <= hi:
            return None
        shown = f"the 80% interval of {what} is {lo:+.2f} to {hi:+.2f}, which holds 0"
    else:
        (lo_a, _), (_, hi_b) = lead.interval80, second.interval80
        if lo_a > hi_b:
            return None
        shown = f"the 80% intervals of their gains overlap ({what} was not counted draw by draw)"
    return Flag(
        "narrow_margin",
        f"The verdict is decided by a margin smaller than its uncertainty: {lead.name} leads "
        f"{second.name} (P(biggest winner) {lead.p_biggest:.0%} against "
        f"{second.p_biggest:.0%}), but {shown}. Say '{lead.name} or {second.name}', not "
        f"'{lead.name}'; narrow the ranges of the numbers that move it most (statecraft "
        "sensitivity).",
    )
