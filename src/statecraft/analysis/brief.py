"""The bottom line: who wins, with what probability, over the inputs and the models.

:func:`brief` runs a Monte Carlo study (:mod:`statecraft.analysis.uncertainty`) of every
model that applies, and reads the verdict from an ensemble: a mixture in which each draw's
model is chosen with probability w_m (a named weight rule, :data:`WEIGHT_RULES`). For every
actor it gives the probability of being the biggest winner, sum_m w_m P_m, the probability
of gaining at all, and the median and 80% interval of its gain (as defined in
``docs/winners.md``) read from the mixture of the models' gain histograms, overall and per
model; where the actual outcome is known, the same against it, over the uncertain inputs
and the actual's own range. Per issue: the ensemble's forecast (the median of the mixture of
the models' forecast histograms), its 80% interval, each model's, and the spread of the
models' medians. And flags that say when not to trust it (:mod:`._flags`, docs/brief.md).

The ensemble as a mixture of models follows Bayesian model averaging (Hoeting, Madigan,
Raftery & Volinsky 1999, *Statistical Science* 14(4)), with weights given by a rule rather
than by posterior model probabilities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from statecraft.analysis._blocks import BLOCK, block_note, block_size, ranked_actors
from statecraft.analysis._brief_parts import (
    ActorVerdict,
    ErrorFn,
    GainVerdict,
    IssueVerdict,
    ModelForecast,
    choose_models,
    find_flags,
    issue_verdicts,
    margin_pairs,
    verdicts,
)
from statecraft.analysis._flags import Flag
from statecraft.analysis._mixture import WEIGHT_RULES, model_weights
from statecraft.analysis._summary import GainPlan
from statecraft.analysis.calibration import predictive
from statecraft.analysis.kernel import DEFAULT_MEMORY, parse_memory
from statecraft.analysis.uncertainty import ProgressFn, check_models, run_study, uncertain_inputs
from statecraft.errors import check_count, check_seed
from statecraft.models import Model
from statecraft.notebook import Notebook, few
from statecraft.runner import forecast
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "WEIGHT_RULES",
    "ActorVerdict",
    "Brief",
    "ErrorFn",
    "Flag",
    "GainVerdict",
    "IssueVerdict",
    "ModelForecast",
    "brief",
    "winner_odds",
]

_WHY_NULL = {
    "winners": "no draw ranked this actor under any model",
    "issues": "no model gave a forecast of this issue in any draw",
}


@dataclass(frozen=True, repr=False)
class Brief(Notebook):
    """The result of :func:`brief`: the verdict as probabilities, per issue the forecast
    with its interval, and the flags."""

    scenario: Scenario
    models: tuple[str, ...]
    weights: Mapping[str, float]
    rule: str  # the weight rule's name, or "given"
    skipped: Mapping[str, str]  # model -> why it is not in the ensemble
    seed: int
    draws: int
    requested: int
    inputs: int  # coded numbers with a range
    winners: tuple[ActorVerdict, ...]
    actual_winners: tuple[ActorVerdict, ...] | None
    issues: tuple[IssueVerdict, ...]
    flags: tuple[Flag, ...]
    point: Mapping[str, str | None] = field(default_factory=dict)  # model -> point winner
    #: Draws per block (4,096 unless the memory budget held fewer; in the JSON only then):
    #: part of what the seed reproduces.
    block: int = BLOCK

    @property
    def interrupted(self) -> bool:
        return self.draws < self.requested

    @property
    def block_note(self) -> str | None:
        """What a block size other than 4,096 means for reproducing the draws."""
        return block_note(self.block, self.requested, self.scenario)

    @property
    def leader(self) -> ActorVerdict | None:
        """The actor most often the biggest winner over the ensemble."""
        return self.winners[0] if self.winners else None

    def _summary(self) -> list[str]:
        lines = [
            f"Brief of {self.scenario.name!r}: {self.draws:,} draws (seed {self.seed}) over "
            f"{len(self.models)} models ({few(self.models, 4)}), {len(self.flags)} flags"
        ]
        if (lead := self.leader) is not None:
            lines.append(
                f"  most often the biggest winner: {lead.name} "
                f"({lead.overall.p_biggest:.0%} of draws)"
            )
        for i in self.issues:
            lo, hi = i.interval80
            lines.append(f"  {i.issue}: {i.forecast:.4g} (80% {lo:.4g} to {hi:.4g})")
        return lines

    def _headline(self) -> pd.DataFrame:
        """One row per actor over the ensemble: P(biggest winner), P(gain), the gain's
        median and 80% interval."""
        import pandas as pd

        return pd.DataFrame.from_records(
            [
                {"actor": v.name, "p_biggest": v.overall.p_biggest, "p_gain": v.overall.p_gain}
                | {"gain_median": v.overall.median, "p10": v.overall.interval80[0]}
                | {"p90": v.overall.interval80[1]}
                for v in self.winners
            ]
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per actor and source: the ensemble and each model (``against``
        ``forecast``), and the actual outcome (``against`` ``actual``)."""
        rows = []
        groups: list[tuple[str, tuple[ActorVerdict, ...]]] = [("forecast", self.winners)]
        if self.actual_winners is not None:
            groups.append(("actual", self.actual_winners))
        for against, items in groups:
            for v in items:
                sources: list[tuple[str, GainVerdict]] = [("ensemble", v.overall)]
                sources += list(v.by_model.items())
                for model, g in sources:
                    rows.append(
                        {
                            "against": against,
                            "model": model,
                            "actor": v.actor,
                            "name": v.name,
                            "p_biggest": g.p_biggest,
                            "p_gain": g.p_gain,
                            "median": g.median,
                            "p10": g.interval80[0],
                            "p90": g.interval80[1],
                        }
                    )
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The winners as a pandas DataFrame: one row per actor and source (the ensemble,
        each model, the actual outcome), with P(biggest winner), P(gain > 0) and the gain's
        median and 80% interval."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        """Everything as strict JSON data (the shape of ``statecraft brief -f json``)."""

        def actor(v: ActorVerdict, per_model: bool) -> dict[str, Any]:
            out: dict[str, Any] = {"actor": v.actor, "name": v.name, **v.overall.to_dict()}
            if per_model:
                out["by_model"] = {m: g.to_dict() for m, g in v.by_model.items()}
            return out

        data = {
            "scenario": self.scenario.name,
            "title": self.scenario.title,
            "models": list(self.models),
            "weights": dict(self.weights),
            "weight_rule": self.rule,
            "skipped": dict(self.skipped),
            "seed": self.seed,
            "draws": self.draws,
            "requested": self.requested,
            "interrupted": self.interrupted,
            "uncertain_inputs": self.inputs,
            "point_winner": dict(self.point),
            "winners": [actor(v, True) for v in self.winners],
            "actual_winners": None
            if self.actual_winners is None
            else [actor(v, False) for v in self.actual_winners],
            "issues": {i.issue: i.to_dict() for i in self.issues},
            "flags": [{"kind": f.kind, "message": f.message} for f in self.flags],
        }
        if self.block != BLOCK:
            data["block"] = self.block
        return dict(strict_json(data, why=_WHY_NULL))


def _ensemble(
    scenario: Scenario,
    models: str | Model | Sequence[str | Model] | None,
    options: dict[str, Any],
    weights: str | Mapping[str, float],
    memory: int = DEFAULT_MEMORY,
    strict: bool = False,
) -> tuple[list[Model], dict[str, str], dict[str, float]]:
    """The models of an ensemble, built and checked (within the budget ``memory``, held to
    with ``strict``), those left out with the reason, and their weights by the rule."""
    chosen, skipped = choose_models(scenario, models, options)
    built = check_models(scenario, chosen, options, memory, strict=strict)
    return built, skipped, model_weights([m.name for m in built], weights)


def brief(
    scenario: Scenario,
    models: str | Model | Sequence[str | Model] | None = None,
    *,
    draws: int = 2000,
    seed: int = 0,
    weights: str | Mapping[str, float] = "equal",
    options: Mapping[str, Any] | None = None,
    workers: int = 1,
    progress: ProgressFn | None = None,
    error: ErrorFn | None = None,
    calibrated: bool = True,
    memory: int | str | None = None,
) -> Brief:
    """The bottom line of a scenario: who wins and how sure that is, over the scenario's
    uncertain numbers and the models.

    ``models`` are names or instances (default: every registered one-issue model that
    applies to some issue; the linked models, slower, run when named, and the ones left out
    are listed in :attr:`Brief.skipped` with the reason). ``weights`` is a weight rule's
    name (:data:`WEIGHT_RULES`: ``"equal"``, ``"backtest"``) or a weight per model.
    ``draws`` draws from ``seed`` (as :func:`~statecraft.analysis.uncertainty.simulate`:
    byte-identical in any number of ``workers``); ``progress(done, total)`` after each
    block; Ctrl-C keeps the draws done. ``error(counts, model)`` turns a model's forecast
    histogram of an issue into its predictive histogram (adding the model's own error); by
    default, with ``calibrated``, the model's out-of-fold error on the DEU development file
    (:func:`~statecraft.analysis.calibration.predictive`, docs/calibration.md);
    ``calibrated=False`` keeps the spread of the inputs alone. ``memory`` is the study's
    memory budget, as for :func:`~statecraft.analysis.uncertainty.simulate`.
    """
    seed = check_seed(seed)
    check_count(draws, "draws")
    check_count(workers, "workers")
    budget = parse_memory(memory)
    built, skipped, w = _ensemble(
        scenario, models, dict(options or {}), weights, budget, memory is not None
    )
    names = [m.name for m in built]
    rule = weights if isinstance(weights, str) else "given"
    point = forecast(scenario, built, seed=seed)
    ranked, pairs = margin_pairs(scenario, point)
    has_actual = any(i.actual is not None and i.status_quo is not None for i in scenario.issues)
    plan = GainPlan(pairs=pairs, actual=has_actual)
    total = run_study(
        scenario, built, draws, seed, workers=workers, progress=progress, plan=plan, memory=budget
    )
    winners = verdicts(scenario, ranked, total.gains, total.draws, w)
    actual = (
        verdicts(scenario, ranked, {"actual": total.actual}, total.draws, {"actual": 1.0})
        if total.actual is not None
        else None
    )
    if error is None and calibrated:
        error = predictive
    issues = issue_verdicts(scenario, names, total, w, error)
    coded = [i for i in uncertain_inputs(scenario) if i.kind != "actual"]
    flags = find_flags(
        scenario, built, point, ranked, pairs, total, w, winners, coded=len(coded), seed=seed
    )
    return Brief(
        scenario=scenario,
        models=tuple(names),
        weights=w,
        rule=rule,
        skipped=skipped,
        seed=seed,
        draws=total.draws,
        requested=draws,
        inputs=len(coded),
        winners=winners,
        actual_winners=None
        if actual is None
        else tuple(ActorVerdict(v.actor, v.name, v.overall, {}) for v in actual),
        issues=issues,
        flags=flags,
        point={
            n: (best.actor if (best := point.winners_by_model[n].best) is not None else None)
            for n in names
        },
        block=block_size(scenario, budget),
    )


def winner_odds(
    scenario: Scenario,
    models: str | Model | Sequence[str | Model] | None = None,
    *,
    draws: int = 2000,
    seed: int = 0,
    weights: str | Mapping[str, float] = "equal",
    options: Mapping[str, Any] | None = None,
    memory: int | str | None = None,
) -> tuple[tuple[ActorVerdict, ...], dict[str, float]]:
    """The verdict of :func:`brief` alone, and its ensemble's weights by model: each actor's
    P(biggest winner), P(gain > 0) and gain over the same draws and models, with the same
    ``models``, ``draws``, ``seed`` and ``weights`` (so the same numbers as
    :attr:`Brief.winners`), without the issues' intervals or the flags, which cost more.
    What :func:`~statecraft.analysis.counterfactual.compare` gives for each
    counterfactual."""
    seed = check_seed(seed)
    check_count(draws, "draws")
    budget = parse_memory(memory)
    built, _, w = _ensemble(
        scenario, models, dict(options or {}), weights, budget, memory is not None
    )
    total = run_study(scenario, built, draws, seed, plan=GainPlan(), memory=budget)
    return verdicts(scenario, ranked_actors(scenario), total.gains, total.draws, w), dict(w)
