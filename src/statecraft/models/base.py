"""What every model shares: the base class, and how models are named and found."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from statecraft.scenario import IssueArrays, Scenario

__all__ = ["LinkedModel", "LinkedRun", "Model", "NotApplicable"]


class NotApplicable(Exception):
    """The model cannot forecast this issue (e.g. the Nash solution without a status quo)."""


class Model(ABC):
    """A one-issue-at-a-time bargaining model: a thin class over a pure array function.

    Subclasses set ``name`` (the registry key), ``title`` and ``citation``, and implement
    :meth:`predict_arrays`. Options are keyword arguments of the constructor and appear in
    :attr:`options`.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    citation: ClassVar[str]

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        """The names of the options the model's constructor takes."""
        return ()

    @property
    def options(self) -> dict[str, Any]:
        """The model's options, as given to its constructor."""
        return {}

    def check(self, issue: IssueArrays) -> None:
        """Raise :class:`NotApplicable` when the model cannot forecast ``issue``."""
        # Every issue, unless a model says otherwise.
        return

    @abstractmethod
    def predict_arrays(self, issue: IssueArrays) -> np.ndarray:
        """The forecast for one issue (a 0-d array; batch axes where the inputs have them)."""

    def predict(self, issue: IssueArrays) -> float:
        """The forecast for one issue, as a float (raises :class:`NotApplicable`)."""
        self.check(issue)
        return float(self.predict_arrays(issue))

    def predict_batch(self, issue: IssueArrays) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Forecasts for a batch of draws of one issue: arrays of shape (B, n), status quo (B,).

        Returns the forecasts (B,) and model-specific per-draw extras (the expected utility
        model: which dyads end in confrontation).
        """
        self.check(issue)
        return np.asarray(self.predict_arrays(issue), dtype=float), {}

    def run(self, issue: IssueArrays) -> tuple[float, Any]:
        """The forecast for one issue and the model's details of how it got there.

        Details are model-specific (the expected utility model returns its rounds); models
        without any return None.
        """
        return self.predict(issue), None

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({opts})"


@dataclass(frozen=True)
class LinkedRun:
    """What a linked-issue model gives: a forecast per issue, and its details."""

    forecasts: Mapping[str, float | None]
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    details: Any = None


class LinkedModel(Model):
    """A model of all the issues at once (the issues are linked: actors trade or bargain
    across them). It implements :meth:`run_scenario` instead of the one-issue methods."""

    linked: ClassVar[bool] = True

    def check(self, issue: IssueArrays) -> None:
        raise NotApplicable(f"the {self.name} model forecasts all the issues at once")

    def predict_arrays(self, issue: IssueArrays) -> np.ndarray:
        raise NotApplicable(f"the {self.name} model forecasts all the issues at once")

    @abstractmethod
    def run_scenario(self, scenario: Scenario) -> LinkedRun:
        """Forecast every issue of the scenario together (raises :class:`NotApplicable`)."""


def whole_number(name: str, value: Any, least: int) -> int:
    """An integer option, checked: ``least`` or more."""
    if not isinstance(value, int) or value < least:
        bound = "0 or more" if least == 0 else f"at least {least}"
        raise ValueError(f"{name} is a whole number of {bound} (got {value!r})")
    return value


def weights(capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Capability x salience: the weight of each actor in the one-issue models.

    The weights are relative: divided by the largest on the issue (per draw, over the last
    axis), after the capabilities are divided by theirs, so that sums of weights stay far
    from overflow and underflow whatever units a scenario uses. Every model is invariant to
    a common scale of the weights. A relative weight below :data:`NEGLIGIBLE` counts as 0:
    such an actor has no say (and no veto), whatever the other actors' scale.
    """
    c = np.asarray(capability, dtype=float)
    top = c.max(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore", under="ignore"):
        c = np.where(top > 0, c / top, c)
        w = c * np.asarray(salience, dtype=float)
        top_w = w.max(axis=-1, keepdims=True)
        w = np.where(top_w > 0, w / top_w, w)
    return np.asarray(np.where(w < NEGLIGIBLE, 0.0, w))


#: Relative weights below this count as 0 (see :func:`weights`).
NEGLIGIBLE = 1e-12
