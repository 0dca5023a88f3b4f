"""The bargaining models, each a pure array function with a thin class, found by name.

>>> sorted(available_models())
['compromise', 'exchange', 'expected-utility', 'median', 'nash', 'spatial']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from statecraft.errors import StatecraftError
from statecraft.models.base import LinkedModel, LinkedRun, Model, NotApplicable
from statecraft.models.compromise import Compromise, weighted_mean
from statecraft.models.exchange import Exchange, run_exchange
from statecraft.models.expected_utility import EUOptions, EUResult, ExpectedUtility
from statecraft.models.median import Median, condorcet_winner, weighted_median
from statecraft.models.nash import Nash, nash_bargaining
from statecraft.models.spatial import Spatial, run_spatial

__all__ = [
    "Compromise",
    "EUOptions",
    "EUResult",
    "Exchange",
    "ExpectedUtility",
    "LinkedModel",
    "LinkedRun",
    "Median",
    "Model",
    "Nash",
    "NotApplicable",
    "Spatial",
    "UnknownModel",
    "available_models",
    "build_model",
    "condorcet_winner",
    "get_model",
    "is_linked",
    "nash_bargaining",
    "options_for",
    "run_exchange",
    "run_spatial",
    "weighted_mean",
    "weighted_median",
]

_REGISTRY: dict[str, type[Model]] = {
    cls.name: cls for cls in (Compromise, Median, Nash, ExpectedUtility, Exchange, Spatial)
}


class UnknownModel(StatecraftError, ValueError):
    """A model name that is not registered."""


def available_models() -> dict[str, type[Model]]:
    """Registered models by name, in the order they are shown."""
    return dict(_REGISTRY)


def is_linked(model: str | Model | type[Model]) -> bool:
    """Whether a model forecasts all the issues at once (it links them)."""
    cls = model if isinstance(model, type) else type(get_model(model))
    return issubclass(cls, LinkedModel)


def options_for(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options among ``options`` that the named model takes (KeyError-free: an unknown
    name raises :class:`UnknownModel`)."""
    takes = type(get_model(name)).option_names()
    return {k: v for k, v in options.items() if k in takes}


def build_model(model: str | Model, options: Mapping[str, Any]) -> Model:
    """A model from a name, given only the options it takes; an instance is kept as is."""
    if isinstance(model, Model):
        return model
    return get_model(model, **options_for(model, options))


def get_model(model: str | Model, **options: Any) -> Model:
    """A model instance from its name (with options) or an instance, unchanged."""
    if isinstance(model, Model):
        if options:
            raise ValueError("options can only be given with a model name")
        return model
    try:
        cls = _REGISTRY[model]
    except KeyError:
        raise UnknownModel(
            f"unknown model {model!r}; the models are: {', '.join(_REGISTRY)}"
        ) from None
    return cls(**options)
