"""Run models over a scenario, issue by issue, and gather the forecasts and the winners."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statecraft.analysis.winners import Winners, winners
from statecraft.io import load
from statecraft.models import (
    LinkedModel,
    LinkedRun,
    Model,
    NotApplicable,
    available_models,
    build_model,
    is_linked,
)
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Forecast", "IssueForecast", "forecast"]


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


@dataclass(frozen=True)
class Forecast:
    """The result of :func:`forecast`: per-issue forecasts and who wins under them."""

    scenario: Scenario
    models: tuple[Model, ...]
    issues: tuple[IssueForecast, ...]
    primary: str
    winners: Winners
    winners_by_model: Mapping[str, Winners]
    actual_winners: Winners | None
    linked: Mapping[str, Any] = field(default_factory=dict)  # linked models' details

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
        """A model's details per issue (e.g. the expected utility model's rounds)."""
        return {i.issue: i.details[model] for i in self.issues if model in i.details}

    def rounds(self, model: str = "expected-utility") -> pd.DataFrame:
        """The trajectory of a round-based model: one row per issue, round and actor."""
        import pandas as pd

        details = self.details(model)
        if not details:
            raise ValueError(f"no rounds: the model {model!r} was not run or has no rounds")
        return pd.DataFrame.from_records(
            [
                {"issue": issue, **row}
                for issue, d in details.items()
                for row in d.trajectory_records()
            ]
        )

    def offers(self, model: str = "expected-utility") -> pd.DataFrame:
        """Every offer of every round: who would move toward whom, its class, whether taken."""
        return self._frame(model, "offers")

    def dyads(self, model: str = "expected-utility") -> pd.DataFrame:
        """Each actor's view of every other once bargaining stops: its own and the other's
        expected utility of challenging, and the class of the dyad (the quadrant)."""
        return self._frame(model, "final_views")

    def _frame(self, model: str, method: str) -> pd.DataFrame:
        import pandas as pd

        details = self.details(model)
        if not details:
            raise ValueError(f"the model {model!r} was not run, or gives no {method}")
        return pd.DataFrame.from_records(
            [
                {"issue": issue, **row}
                for issue, d in details.items()
                for row in getattr(d, method)()
            ]
        )

    def confrontations(self, model: str = "expected-utility") -> dict[str, list[tuple[str, str]]]:
        """The dyads headed for confrontation at the end, per issue (expected utility model)."""
        return {issue: d.confrontations() for issue, d in self.details(model).items()}

    def escalation_index(self, model: str = "expected-utility") -> float | None:
        """The share of dyads headed for confrontation at the end, averaged over the issues
        with two actors or more.

        0 means that, once bargaining stops, no actor expects a confrontation on any issue;
        1 that every pair of actors does on every issue. None without the model.
        """
        shares = [d.conflict_share() for d in self.details(model).values() if len(d.actor_ids) > 1]
        return sum(shares) / len(shares) if shares else None

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

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data (the shape of ``statecraft forecast --format json``)."""

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
        for name, detail in self.linked.items():
            data[name] = detail.to_dict()
            if name == "spatial":
                data["actors"] = detail.actors()
        eu = self.details("expected-utility")
        if eu:
            data["rounds"] = {i: d.to_dict()["rounds"] for i, d in eu.items()}
            data["confrontations"] = {
                i: [list(p) for p in pairs] for i, pairs in self.confrontations().items()
            }
            data["escalation_index"] = self.escalation_index()
        return data


def _applies(model: Model, scenario: Scenario) -> bool:
    for issue_id in scenario.issue_ids:
        try:
            model.check(scenario.arrays(issue_id))
        except NotApplicable:
            continue
        return True
    return False


def forecast(
    scenario: Scenario | str | Path,
    model: str | Model | Sequence[str | Model] | None = None,
    *,
    primary: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Forecast:
    """Forecast every issue of a scenario with one or more models, and rank the winners.

    ``scenario`` is a :class:`Scenario`, a built-in name or a path. ``model`` is a model
    name or instance, a list of them, or None for every registered model that applies to at
    least one issue. ``options`` go to every model named (not given as an instance) that
    takes them, e.g. ``{"rounds": 5}`` to the expected utility model; an option no model
    takes is an error. Winners are ranked under ``primary`` (default: the first model), and
    also under every model and, where every outcome is known, the actual outcome.

    >>> f = forecast("ec-emissions-1994", "compromise")
    >>> round(f.value("emissions", "compromise"), 3)
    7.39
    """
    if not isinstance(scenario, Scenario):
        scenario = load(scenario)
    options = dict(options or {})
    if model is None:  # the one-issue models; the linked ones run when named
        wanted: list[str | Model] = [m for m in available_models() if not is_linked(m)]
    elif isinstance(model, str | Model):
        wanted = [model]
    else:
        wanted = list(model)
    models = [build_model(m, options) for m in wanted]
    if model is None:
        models = [m for m in models if _applies(m, scenario)]
    named = {m.name for m in models} & {m for m in wanted if isinstance(m, str)}
    accepted = {name for m in named for name in available_models()[m].option_names()}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ValueError(
            f"unknown option {unknown[0]!r} for the models run (options go to models given "
            "by name); their options are: " + (", ".join(sorted(accepted)) or "none")
        )
    if not models:
        raise ValueError("no model to run")
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise ValueError(f"a model is named twice: {', '.join(names)}")
    primary = primary or names[0]
    if primary not in names:
        raise ValueError(f"the primary model {primary!r} is not among the models run")

    linked: dict[str, LinkedRun | str] = {}
    for m in models:
        if isinstance(m, LinkedModel):
            try:
                linked[m.name] = m.run_scenario(scenario)
            except NotApplicable as why:
                linked[m.name] = str(why)
    issues = []
    for issue in scenario.issues:
        arrays = scenario.arrays(issue.id)
        values: dict[str, float | None] = {}
        reasons: dict[str, str] = {}
        details: dict[str, Any] = {}
        for m in models:
            if m.name in linked:
                run = linked[m.name]
                if isinstance(run, str):
                    values[m.name], reasons[m.name] = None, run
                elif issue.id in run.not_applicable:
                    values[m.name], reasons[m.name] = None, run.not_applicable[issue.id]
                else:
                    value = run.forecasts.get(issue.id)
                    ok = value is not None and math.isfinite(value)
                    values[m.name] = value if ok else None
                continue
            try:
                value, detail = m.run(arrays)
            except NotApplicable as why:
                values[m.name], reasons[m.name] = None, str(why)
                continue
            values[m.name] = value if math.isfinite(value) else None
            if detail is not None:
                details[m.name] = detail
        issues.append(
            IssueForecast(
                issue=issue.id,
                label=issue.label,
                status_quo=None if issue.status_quo is None else issue.status_quo.value,
                actual=arrays.actual,
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
        linked={k: v.details for k, v in linked.items() if not isinstance(v, str)},
    )
