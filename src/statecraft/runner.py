"""Run models over a scenario, issue by issue, and gather the forecasts and the winners."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from statecraft.analysis.kernel import details_by_issue, evaluate
from statecraft.analysis.winners import Winners, winners
from statecraft.arrays import scenario_batch
from statecraft.errors import check_seed
from statecraft.models import (
    Details,
    IssueModel,
    Model,
    available_models,
    build_model,
    build_models,
)
from statecraft.notebook import Notebook, count, few
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Forecast", "IssueForecast", "forecast", "weight_shares"]


def weight_shares(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Who carries each issue: per issue, each actor's share of capability x salience,
    c_i s_i / sum_j c_j s_j over the actors with a stance on the issue (the capability on
    that issue where the stance gives one, else the actor's). The weight of the weighted
    mean and median (Achen 2006, *The European Union Decides*, ch. 10), and the weight of
    the bargaining models' products; the shares of ``statecraft forecast -f json``
    (``issues.<id>.weights``). An issue on which no actor cares (every salience 0) has none.
    """
    out: dict[str, dict[str, float]] = {}
    for issue in scenario.issues:
        raw = {
            a.id: a.capability_on(issue.id) * a.stances[issue.id].salience.value
            for a in scenario.actors
            if issue.id in a.stances
        }
        total = sum(raw.values())
        out[issue.id] = {a: w / total for a, w in raw.items()} if total > 0 else {}
    return out


@dataclass(frozen=True)
class IssueForecast:
    """Every model's forecast for one issue, beside its status quo and actual outcome."""

    issue: str
    label: str
    status_quo: float | None
    actual: float | None
    forecasts: Mapping[str, float | None]
    not_applicable: Mapping[str, str]
    details: Mapping[str, Any] = field(default_factory=dict)

    def error(self, model: str) -> float | None:
        """Absolute error of a model's forecast, where the actual outcome is known."""
        value = self.forecasts.get(model)
        if value is None or self.actual is None:
            return None
        return abs(value - self.actual)


@dataclass(frozen=True, repr=False)
class Forecast(Notebook):
    """The result of :func:`forecast`: per-issue forecasts and who wins under them."""

    scenario: Scenario
    models: tuple[Model, ...]
    issues: tuple[IssueForecast, ...]
    primary: str
    winners: Winners
    winners_by_model: Mapping[str, Winners]
    actual_winners: Winners | None
    linked: Mapping[str, Details] = field(default_factory=dict)  # linked models' details
    seed: int = 0  # the seed of the stochastic models' generators

    @property
    def model_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.models)

    def value(self, issue: str, model: str) -> float | None:
        """One model's forecast for one issue (None where the model does not apply)."""
        for item in self.issues:
            if item.issue == issue:
                return item.forecasts[model]
        raise KeyError(f"no issue {issue!r} in this forecast")

    def details(self, model: str) -> dict[str, Any]:
        """A one-issue model's details per issue (e.g. the expected utility model's rounds)."""
        return {i.issue: i.details[model] for i in self.issues if model in i.details}

    def model_details(self) -> dict[str, Details]:
        """Every model's details that has some, by model name: a linked model's own, a
        one-issue model's gathered over the issues (:meth:`IssueModel.gather`)."""
        out: dict[str, Details] = dict(self.linked)
        for m in self.models:
            if isinstance(m, IssueModel) and (per_issue := self.details(m.name)):
                out[m.name] = m.gather(per_issue)
        return out

    def model_with(self, method: str) -> str | None:
        """The first model run whose details, on every issue it forecast, have ``method``
        (a capability, e.g. ``"trajectory_records"``: it bargains in rounds); None if none.
        Front ends pick what to show by such capabilities, never by a model's name."""
        try:
            return self._with(method, None)[0]
        except ValueError:
            return None

    def _with(self, method: str, model: str | None) -> tuple[str, dict[str, Any]]:
        """The model (given, or the first run whose details have ``method``) and its
        details per issue."""
        for m in self.models if model is None else [m for m in self.models if m.name == model]:
            details = self.details(m.name)
            if details and all(hasattr(d, method) for d in details.values()):
                return m.name, details
        what = "a model that gives" if model is None else f"the model {model!r}, which gives"
        raise ValueError(f"{what} {method.replace('_', ' ')} was not run (no rounds)")

    def rounds(self, model: str | None = None) -> pd.DataFrame:
        """The trajectory of a round-based model (the first run, by default): one row per
        issue, round and actor."""
        return self._frame(model, "trajectory_records")

    def offers(self, model: str | None = None) -> pd.DataFrame:
        """Every offer of every round: who would move toward whom, its class, whether taken."""
        return self._frame(model, "offers")

    def dyads(self, model: str | None = None) -> pd.DataFrame:
        """Each actor's view of every other once bargaining stops: its own and the other's
        expected utility of challenging, and the class of the dyad (the quadrant)."""
        return self._frame(model, "final_views")

    def _frame(self, model: str | None, method: str) -> pd.DataFrame:
        import pandas as pd

        _, details = self._with(method, model)
        return pd.DataFrame.from_records(
            [
                {"issue": issue, **row}
                for issue, d in details.items()
                for row in getattr(d, method)()
            ]
        )

    def _gathered(self, method: str, model: str | None) -> Any:
        """The details gathered over the issues (:meth:`model_details`) of the model given,
        or of the first model run, that have ``method``; None if none has."""
        gathered = self.model_details()
        for m in self.models:
            if model in (None, m.name) and hasattr(gathered.get(m.name), method):
                return gathered[m.name]
        return None

    def confrontations(self, model: str | None = None) -> dict[str, list[tuple[str, str]]]:
        """The dyads headed for confrontation at the end, per issue (from the first model
        run that classifies dyads, by default)."""
        details = self._gathered("confrontations", model)
        return {} if details is None else dict(details.confrontations())

    def escalation_index(self, model: str | None = None) -> float | None:
        """The share of dyads headed for confrontation at the end, averaged over the issues
        with two actors or more.

        0 means that, once bargaining stops, no actor expects a confrontation on any issue;
        1 that every pair of actors does on every issue. None without a model that
        classifies dyads.
        """
        details = self._gathered("escalation_index", model)
        return None if details is None else details.escalation_index()

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per issue and model, ready for pandas."""
        return [
            {
                "scenario": self.scenario.name,
                "issue": item.issue,
                "label": item.label,
                "model": name,
                "forecast": item.forecasts[name],
                "status_quo": item.status_quo,
                "actual": item.actual,
                "error": item.error(name),
            }
            for item in self.issues
            for name in self.model_names
        ]

    def to_frame(self) -> pd.DataFrame:
        """The forecasts as a pandas DataFrame, one row per issue and model."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def _headline(self) -> pd.DataFrame:
        """One row per issue: the status quo, each model's forecast, the actual outcome."""
        import pandas as pd

        return pd.DataFrame.from_records(
            [
                {"issue": i.issue, "status_quo": i.status_quo}
                | {m: i.forecasts.get(m) for m in self.model_names}
                | {"actual": i.actual}
                for i in self.issues
            ]
        )

    def _summary(self) -> list[str]:
        top = self.winners.ranking[0] if self.winners.ranking else None
        n = len(self.issues)
        lines = [
            f"Forecast of {self.scenario.name!r}: {count(n, 'issue')}, "
            f"{count(len(self.models), 'model')} ({few(self.model_names, 4)}); "
            f"primary {self.primary}"
        ]
        if top is not None:
            lines.append(
                f"  biggest winner under {self.primary}: {top.name} (gain {top.gain:+.3f})"
            )
        for i in self.issues[:5]:
            value = i.forecasts.get(self.primary)
            shown = "n/a" if value is None else f"{value:.4g}"
            lines.append(f"  {i.issue}: {shown}")
        if n > 5:
            lines.append(f"  ... and {count(n - 5, 'more issue')} (.to_frame() has all)")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data (the shape of ``statecraft forecast --format json``)."""
        shares = weight_shares(self.scenario)

        def ranking(w: Winners) -> list[dict[str, Any]]:
            return [
                {"actor": g.actor, "name": g.name, "gain": g.gain, "by_issue": dict(g.by_issue)}
                for g in w.ranking
            ]

        data: dict[str, Any] = {
            "scenario": self.scenario.name,
            "title": self.scenario.title,
            "models": [
                {"name": m.name, "title": m.title, "options": m.options, "citation": m.citation}
                for m in self.models
            ],
            "issues": {
                item.issue: {
                    "label": item.label,
                    "status_quo": item.status_quo,
                    "actual": item.actual,
                    "forecast": dict(item.forecasts),
                    "error": {name: item.error(name) for name in self.model_names},
                    "not_applicable": dict(item.not_applicable),
                    "weights": shares[item.issue],
                }
                for item in self.issues
            },
            "primary_model": self.primary,
            "headline": self.winners.headline,
            "winners": ranking(self.winners),
            "winners_by_model": {name: ranking(w) for name, w in self.winners_by_model.items()},
            "actual_headline": None
            if self.actual_winners is None
            else self.actual_winners.headline,
            "actual_winners": None if self.actual_winners is None else ranking(self.actual_winners),
        }
        for name, detail in self.model_details().items():
            if name in self.linked:
                data[name] = detail.to_dict()
            data.update(detail.forecast_fields())
        return dict(strict_json(data))


def forecast(
    scenario: Scenario,
    model: str | Model | Sequence[str | Model] | None = None,
    *,
    primary: str | None = None,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Forecast:
    """Forecast every issue of a scenario with one or more models, and rank the winners.

    ``model`` is a model name or instance, a list of them, or None for every registered
    one-issue model that applies to at least one issue (the linked ones run when named).
    ``options`` go to every model named (not given as an instance) that takes them, e.g.
    ``{"rounds": 5}`` to the expected utility model; an option no model takes is an error.
    ``seed`` seeds the generator of stochastic models. Winners are ranked under ``primary``
    (default: the first model), and also under every model and, where every outcome is
    known, the actual outcome.

    >>> from statecraft.io import load
    >>> f = forecast(load("ec-emissions-1994"), "compromise")
    >>> round(f.value("emissions", "compromise"), 3)
    7.39
    """
    seed = check_seed(seed)
    batch = scenario_batch(scenario)
    if model is None:  # options go to the one-issue models that apply to some issue
        chosen = [
            name
            for name, cls in available_models().items()
            if not cls.links_issues
            and len(build_model(name, options or {}).not_applicable(batch)) < batch.n_issues
        ]
        models = build_models(chosen, options)
    else:
        models = build_models(model, options)
    names = [m.name for m in models]
    primary = primary or names[0]
    if primary not in names:
        raise ValueError(f"the primary model {primary!r} is not among the models run")
    outputs = evaluate(models, batch, seed=seed, detail=True)
    issues = []
    for j, issue in enumerate(scenario.issues):
        values: dict[str, float | None] = {}
        reasons: dict[str, str] = {}
        details: dict[str, Any] = {}
        for name, out in outputs.items():
            value = float(out.forecasts[0, j])
            values[name] = value if math.isfinite(value) else None
            if issue.id in out.not_applicable:
                reasons[name] = out.not_applicable[issue.id]
            account = details_by_issue(out).get(issue.id)
            if account is not None:
                details[name] = account
        issues.append(
            IssueForecast(
                issue=issue.id,
                label=issue.label,
                status_quo=None if issue.status_quo is None else issue.status_quo.value,
                actual=None if issue.actual is None else issue.actual.value,
                forecasts=values,
                not_applicable=reasons,
                details=details,
            )
        )
    by_model = {
        name: winners(
            scenario,
            {i.issue: v for i in issues if (v := i.forecasts[name]) is not None},
            label=name,
        )
        for name in names
    }
    actual = {i.issue: i.actual for i in issues if i.actual is not None}
    actual_winners = winners(scenario, actual, label="actual") if actual else None
    return Forecast(
        scenario=scenario,
        models=tuple(models),
        issues=tuple(issues),
        primary=primary,
        winners=by_model[primary],
        winners_by_model=by_model,
        actual_winners=actual_winners,
        linked={
            m.name: d
            for m in models
            if m.links_issues and (d := outputs[m.name].details) is not None
        },
        seed=seed,
    )
