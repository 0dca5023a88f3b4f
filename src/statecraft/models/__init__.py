"""The bargaining models, each a pure array function with a thin class, found by name.

Every model follows the contract of :mod:`statecraft.models.base` and is registered in
:mod:`statecraft.models.registry`.

>>> list(available_models())[:3]
['compromise', 'median', 'nash']
>>> available_models()["nash"].needs_status_quo
True
>>> default_model()
'compromise'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from statecraft.errors import StatecraftError
from statecraft.models.base import (
    CONTRACT,
    Details,
    DrawByDrawModel,
    IssueModel,
    Model,
    ModelOptions,
    NotApplicable,
    OptionError,
    Output,
    PerIssue,
    describe_option,
    option_rows,
)
from statecraft.models.compromise import Compromise, weighted_mean
from statecraft.models.exchange import Exchange, run_exchange
from statecraft.models.expected_utility import EUOptions, EUResult, ExpectedUtility
from statecraft.models.median import Median, condorcet_winner, weighted_median
from statecraft.models.nash import Nash, nash_bargaining
from statecraft.models.registry import registered
from statecraft.models.spatial import Spatial, run_spatial

__all__ = [
    "CONTRACT",
    "Compromise",
    "Details",
    "DrawByDrawModel",
    "EUOptions",
    "EUResult",
    "Exchange",
    "ExpectedUtility",
    "IssueModel",
    "Median",
    "Model",
    "ModelOptions",
    "Nash",
    "NotApplicable",
    "OptionError",
    "Output",
    "PerIssue",
    "Spatial",
    "UnknownModel",
    "available_models",
    "build_model",
    "build_models",
    "condorcet_winner",
    "default_model",
    "describe_option",
    "get_model",
    "is_linked",
    "nash_bargaining",
    "option_rows",
    "options_for",
    "run_exchange",
    "run_spatial",
    "weighted_mean",
    "weighted_median",
]


class UnknownModel(StatecraftError, ValueError):
    """A model name that is not registered."""


def available_models() -> dict[str, type[Model]]:
    """Registered models by name, in the order they are shown."""
    return dict(registered())


def default_model() -> str:
    """The model a command or request runs when none is named: the first registered one
    (the registry lists the reference model first)."""
    return next(iter(registered()))


def _class(name: str) -> type[Model]:
    try:
        return registered()[name]
    except KeyError:
        raise UnknownModel(
            f"unknown model {name!r}; the models are: {', '.join(registered())}"
        ) from None


def is_linked(model: str | Model | type[Model]) -> bool:
    """Whether a model forecasts all the issues at once (it links them)."""
    if isinstance(model, str):
        return _class(model).links_issues
    return model.links_issues


def options_for(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options among ``options`` that the named model takes (an unknown name raises
    :class:`UnknownModel`)."""
    takes = _class(name).option_names()
    return {k: v for k, v in options.items() if k in takes}


def build_model(model: str | Model, options: Mapping[str, Any]) -> Model:
    """A model from a name, given only the options it takes; an instance is kept as is."""
    if isinstance(model, Model):
        return model
    return get_model(model, **options_for(model, options))


def build_models(
    models: str | Model | Sequence[str | Model], options: Mapping[str, Any] | None = None
) -> list[Model]:
    """Models from names or instances (or a mix); ``options`` go to every model given by
    name that takes them, and an option that none of those takes is an error. Two models
    of the same name are an error (results are keyed by name)."""
    wanted = [models] if isinstance(models, str | Model) else list(models)
    options = dict(options or {})
    built = [build_model(m, options) for m in wanted]
    named = {m for m in wanted if isinstance(m, str)}
    accepted = {o for name in named for o in _class(name).option_names()}
    unknown = sorted(set(options) - accepted)
    if unknown:
        owners = [n for n, cls in registered().items() if unknown[0] in cls.option_names()]
        if unknown[0] == "seed":
            hint = " (a stochastic model's seed is the command's --seed, or seed= in Python)"
        elif owners:
            hint = f" (it is an option of {' and '.join(owners)}: run that model, -m NAME)"
        else:
            hint = ""
        raise ValueError(
            f"unknown option {unknown[0]!r} for the models run{hint}; their options are: "
            + (", ".join(sorted(accepted)) or "none")
        )
    if not built:
        raise ValueError("no model to run")
    names = [m.name for m in built]
    if len(set(names)) != len(names):
        raise ValueError(f"a model is named twice: {', '.join(names)}")
    return built


def get_model(model: str | Model, **options: Any) -> Model:
    """A model instance from its name (with options) or an instance, unchanged."""
    if isinstance(model, Model):
        if options:
            raise ValueError("options can only be given with a model name")
        return model
    return _class(model)(**options)
