"""The model contract: every model, one-issue or linked, is called the same way.

A model takes a :class:`~statecraft.arrays.Batch` (draws x actors x issues) and a
``numpy.random.Generator`` and returns an :class:`Output`: a forecast per draw and issue,
the issues it does not apply to (with the reason), per-draw extras for the analyses, and,
when asked, its details (an account of the first draw that becomes records and JSON).

A model declares, once, on its class:

- ``name``, ``title``, ``citation``;
- ``Options``: a pydantic model of its options, each with a type, a default, bounds and a
  description (the command line's ``-o``, the web form, ``statecraft models`` and the docs
  tables are derived from it);
- its metadata: ``links_issues`` (it forecasts all the issues at once), ``stochastic`` (it
  draws from the generator), ``needs_status_quo``, ``cost`` (``"fast"``: a closed form over
  the arrays; ``"slow"``: rounds of bargaining, whose time grows faster than the number of
  actors), ``batched`` (a batch of draws runs as one vectorised call), ``issues_first``
  (it reads capability, position and salience only through ``Batch.by_issue`` and
  ``IssueArrays.rows``, so a study may build its blocks issues first) and
  :meth:`Model.memory_per_draw`, from which blocks of draws are sized, and
  :meth:`Model.run_memory`, what one call needs at its peak whatever the draws;
- ``within_positions``: whether its forecast of an issue always lies within the range of
  the positions of the actors taking part (whereas every model's lies within the scale);
- ``exemptions``: the properties of the contract test it cannot honour, with the reason.

One-issue models subclass :class:`IssueModel` and implement :meth:`IssueModel.predict` (and
optionally :meth:`IssueModel.check` and :meth:`IssueModel.run_issue`); linked models subclass
:class:`Model` and implement :meth:`Model.evaluate` and :meth:`Model.not_applicable`.
"""

from __future__ import annotations

import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal

import annotated_types
import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from statecraft.arrays import Batch, IssueArrays
from statecraft.errors import StatecraftError
from statecraft.models.rows import max_last

__all__ = [
    "CONTRACT",
    "Cost",
    "Details",
    "DrawByDrawModel",
    "IssueModel",
    "Model",
    "ModelOptions",
    "NotApplicable",
    "OptionError",
    "Output",
    "PerIssue",
    "describe_option",
    "option_rows",
    "status_quo_of",
    "weights",
    "weights_by_row",
]

Cost = Literal["fast", "slow"]

#: The properties every model must have (tests/test_contract.py checks each; a model that
#: cannot honour one names it in ``exemptions`` with the reason): a batch of draws gives what
#: each draw gives alone; the order of the actors and the units of capability change no
#: forecast; forecasts lie within the scale; details are JSON without NaN; a seed gives the
#: same bytes; and the issues it reports not applicable, and only those, have no forecast.
CONTRACT = (
    "batch-equals-loop",
    "actor-order",
    "capability-scale",
    "within-scale",
    "json-details",
    "same-seed-same-bytes",
    "not-applicable",
)


class NotApplicable(Exception):
    """The model cannot forecast this issue (e.g. the Nash solution without a status quo)."""


class OptionError(StatecraftError, ValueError):
    """A model option that is unknown or outside what the model allows."""


class ModelOptions(BaseModel):
    """Base class of every model's options: frozen, strict, no unknown names.

    Declare each option as a field with a default, bounds (``ge``, ``le``; every number has
    an upper bound) and a ``description``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class NoOptions(ModelOptions):
    """A model without options."""


def _bounds(metadata: list[Any]) -> tuple[Any, Any, bool, bool]:
    low: Any = None
    high: Any = None
    low_open = high_open = False
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            low = m.ge
        elif isinstance(m, annotated_types.Gt):
            low, low_open = m.gt, True
        elif isinstance(m, annotated_types.Le):
            high = m.le
        elif isinstance(m, annotated_types.Lt):
            high, high_open = m.lt, True
    return low, high, low_open, high_open


def _kind(annotation: Any, metadata: list[Any]) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        inner = [m for e in extra for m in (e.metadata if isinstance(e, FieldInfo) else [e])]
        return _kind(base, [*metadata, *inner])
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        parts = [_kind(a, metadata) for a in typing.get_args(annotation)]
        return " or ".join(parts)
    if annotation is bool:
        return "true or false"
    what = "a whole number" if annotation is int else "a number"
    low, high, low_open, high_open = _bounds(metadata)
    if low is not None and high is not None and not low_open and not high_open:
        return f"{what} from {low:g} to {high:g}"
    ends = [] if low is None else [f"{'above' if low_open else 'of at least'} {low:g}"]
    if high is not None:
        ends.append(f"{'below' if high_open else 'at most'} {high:g}")
    return f"{what} {' and '.join(ends)}" if ends else what


def describe_option(options: type[ModelOptions], name: str) -> str:
    """What an option may be, from its declaration: 'a whole number from 1 to 1000'."""
    info = options.model_fields[name]
    return _kind(info.annotation, list(info.metadata))


def option_rows(options: type[ModelOptions]) -> list[dict[str, Any]]:
    """Each option of a model as a row: name, what it may be, default and description;
    what ``statecraft models NAME``, the web form and the docs tables show."""
    return [
        {
            "option": name,
            "allowed": describe_option(options, name),
            "default": info.default,
            "description": info.description or "",
        }
        for name, info in options.model_fields.items()
    ]


def _option_error(model: str, options: type[ModelOptions], exc: ValidationError) -> OptionError:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "?"
    if first["type"] == "extra_forbidden":
        takes = ", ".join(options.model_fields) or "none"
        return OptionError(
            f"unknown option {name!r} for the {model} model; its options are: {takes}"
        )
    allowed = describe_option(options, name) if name in options.model_fields else first["msg"]
    return OptionError(
        f"the {model} model's option {name} must be {allowed} (got {first['input']!r})"
    )


class Details(ABC):
    """What a model says of how it got its forecast: records for pandas, data for JSON."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""

    def to_records(self) -> list[dict[str, Any]]:
        """Flat records, one per row of the model's main table (none by default)."""
        return []

    def forecast_fields(self) -> dict[str, Any]:
        """Keys this model adds at the top level of a forecast's JSON (none by default)."""
        return {}

    def scaled(self, power: int) -> Details:
        """The details of a run on positions divided by ``2**power`` (the kernel runs scales
        near 1e308 or 1e-300 so, :func:`statecraft.analysis.kernel.in_safe_range`), put back
        on the scenario's scales: every position and distance times ``2**power`` (exact).
        Details without positions are returned as they are."""
        return self


@dataclass(frozen=True)
class PerIssue(Details):
    """A one-issue model's details: one account per issue."""

    issues: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {issue: d.to_dict() for issue, d in self.issues.items()}

    def scaled(self, power: int) -> Details:
        return replace(
            self,
            issues={
                issue: d.scaled(power) if isinstance(d, Details) else d
                for issue, d in self.issues.items()
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        return [
            {"issue": issue, **row}
            for issue, d in self.issues.items()
            for row in getattr(d, "to_records", lambda: [])()
        ]


@dataclass(frozen=True)
class Output:
    """What a model gives for a batch.

    ``forecasts`` is (draws, issues), NaN where the model does not apply or gives no point;
    ``not_applicable`` says why, per issue id; ``extras`` holds per-draw arrays the analyses
    summarise (``{issue: {"confrontation": (draws, k, k) bool}}``); ``details`` is the
    model's account of the first draw when asked for (``detail=True``), else None.
    """

    forecasts: np.ndarray
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    extras: Mapping[str, Mapping[str, np.ndarray]] = field(default_factory=dict)
    details: Details | None = None


class Model(ABC):
    """A bargaining model on the batched arrays: a thin class over pure array functions.

    Build one with its options as keywords (``ExpectedUtility(rounds=5)``) or as its
    ``Options`` object. See the module's docstring for what a model declares.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    citation: ClassVar[str]
    Options: ClassVar[type[ModelOptions]] = NoOptions
    links_issues: ClassVar[bool] = False
    stochastic: ClassVar[bool] = False
    needs_status_quo: ClassVar[bool] = False
    cost: ClassVar[Cost] = "fast"
    batched: ClassVar[bool] = True
    #: Reads capability, position and salience only issues first (``Batch.by_issue``,
    #: ``IssueArrays.rows``): a Monte Carlo study may give it a batch whose draws-first
    #: arrays are views that are not contiguous (``DrawPlan.batch``).
    issues_first: ClassVar[bool] = False
    #: Runs threads of its own (the expected utility model's compiled round): a Monte Carlo
    #: study then runs its blocks one at a time (``analysis._blocks.block_threads``).
    threads_itself: ClassVar[bool] = False
    #: Every forecast of an issue lies within the range of the positions of the actors that
    #: take part in it (the contract test checks it where it is declared).
    within_positions: ClassVar[bool] = True
    exemptions: ClassVar[Mapping[str, str]] = {}

    def __init__(self, options: ModelOptions | None = None, /, **kwargs: Any) -> None:
        if options is not None:
            if kwargs:
                raise OptionError("give a model's options as an object or as keywords, not both")
            if not isinstance(options, self.Options):
                raise OptionError(
                    f"the {self.name} model's options are a {self.Options.__name__}, "
                    f"not a {type(options).__name__}"
                )
            self.opts = options
            return
        try:
            self.opts = self.Options(**kwargs)
        except ValidationError as exc:
            raise _option_error(self.name, self.Options, exc) from None

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        """The names of the model's options."""
        return tuple(cls.Options.model_fields)

    @property
    def options(self) -> dict[str, Any]:
        """The model's options, every one with its value."""
        return self.opts.model_dump()

    def with_options(self, **options: Any) -> Model:
        """The same model with some options changed."""
        return type(self)(**{**self.options, **options})

    def memory_per_draw(self, n_actors: int, n_issues: int) -> int:
        """Bytes one draw needs at the peak of :meth:`evaluate` (an estimate, for sizing
        blocks of draws): by default a few (actors x issues) arrays of floats."""
        return 8 * 8 * max(1, n_actors) * max(1, n_issues)

    def run_memory(self, n_actors: int, n_issues: int) -> int:
        """Bytes one call of :meth:`evaluate` needs at its peak whatever the number of draws
        (a draw-by-draw model's one run, freed before the next draw's): 0 by default. The
        kernel adds it to :meth:`memory_per_draw` when it sizes chunks and refuses a call
        that cannot fit the machine (:func:`statecraft.analysis.kernel.check_memory`)."""
        return 0

    @abstractmethod
    def not_applicable(self, batch: Batch) -> dict[str, str]:
        """The issues the model cannot forecast in this batch, with the reason (cheap: from
        the batch's shape, presence and status quo, not from running the model)."""

    @abstractmethod
    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        """Forecast every draw and issue of the batch."""

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({opts})"


def status_quo_of(issue: IssueArrays) -> float | np.ndarray:
    """The issue's status quo (per draw in a batch); :class:`NotApplicable` where it has
    none, for the models that bargain from it (the disagreement point)."""
    if issue.status_quo is None:
        raise NotApplicable("the issue has no status quo (the disagreement point)")
    return issue.status_quo


class DrawByDrawModel(Model):
    """A model whose run is sequential (rounds of exchanges, turns of bargaining): it runs
    the draws of a batch one at a time. Subclasses implement :meth:`run_draw` and
    :meth:`Model.not_applicable`; ``batched`` is False."""

    batched: ClassVar[bool] = False

    @abstractmethod
    def run_draw(
        self, batch: Batch, draw: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, Details] | None:
        """The forecast of every issue (issues,) for one draw, and the model's account of it;
        None where the model gives no forecast for this draw."""

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        reasons = self.not_applicable(batch)
        forecasts = np.full((batch.size, batch.n_issues), np.nan)
        if reasons:
            return Output(forecasts, reasons)
        account = None
        for b in range(batch.size):
            run = self.run_draw(batch, b, rng)
            if run is None:
                continue
            forecasts[b], details = run
            if detail and b == 0:
                account = details
        return Output(forecasts, details=account)  # every issue applies (reasons is empty)


class IssueModel(Model):
    """A model of one issue at a time: the special case that reads the batch issue by issue.

    Subclasses implement :meth:`predict` (forecasts for the draws of one issue) and, where
    needed, :meth:`check` (raise :class:`NotApplicable`) and :meth:`run_issue` (extras and
    details besides the forecasts).
    """

    def check(self, issue: IssueArrays) -> None:
        """Raise :class:`NotApplicable` when the model cannot forecast ``issue``."""
        if self.needs_status_quo:
            status_quo_of(issue)

    @abstractmethod
    def predict(self, issue: IssueArrays) -> np.ndarray:
        """The forecasts for one issue: one per draw (the arrays' leading axes), or a 0-d
        array for arrays without a draw axis."""

    def run_issue(
        self, issue: IssueArrays, rng: np.random.Generator, *, detail: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray], Any]:
        """The forecasts for one issue, per-draw extras, and (with ``detail``) the model's
        account of the first draw (None for models without one)."""
        return np.asarray(self.predict(issue), dtype=float), {}, None

    def gather(self, accounts: Mapping[str, Any]) -> Details:
        """The model's details from its accounts of each issue (:class:`PerIssue`)."""
        return PerIssue(accounts)

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        out = {}
        for j, issue_id in enumerate(batch.issue_ids):
            try:
                self.check(batch.issue(j))
            except NotApplicable as why:
                out[issue_id] = str(why)
        return out

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        forecasts = np.full((batch.size, batch.n_issues), np.nan)
        reasons: dict[str, str] = {}
        extras: dict[str, dict[str, np.ndarray]] = {}
        details: dict[str, Any] = {}
        for j, issue_id in enumerate(batch.issue_ids):
            issue = batch.issue(j)
            try:
                self.check(issue)
            except NotApplicable as why:
                reasons[issue_id] = str(why)
                continue
            value, extra, account = self.run_issue(issue, rng, detail=detail)
            forecasts[:, j] = np.broadcast_to(np.asarray(value, dtype=float), (batch.size,))
            if extra:
                extras[issue_id] = extra
            if account is not None:
                details[issue_id] = account
        return Output(
            forecasts=forecasts,
            not_applicable=reasons,
            extras=extras,
            details=self.gather(details) if details else None,
        )


def weights(capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Capability x salience: the weight of each actor in the one-issue models.

    The weights are relative: divided by the largest on the issue (per draw, over the last
    axis), after the capabilities are divided by theirs, so that sums of weights stay far
    from overflow and underflow whatever units a scenario uses. Every model is invariant to
    a common scale of the weights. A relative weight below :data:`NEGLIGIBLE` counts as 0:
    such an actor has no say (and no veto), whatever the other actors' scale.
    """
    c = np.asarray(capability, dtype=float)
    top = max_last(c)[..., None]
    with np.errstate(invalid="ignore", divide="ignore", under="ignore"):
        c = np.where(top > 0, c / top, c)
        w = c * np.asarray(salience, dtype=float)
        top_w = max_last(w)[..., None]
        w = np.where(top_w > 0, w / top_w, w)
    return np.asarray(np.where(w < NEGLIGIBLE, 0.0, w))


def weights_by_row(capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """:func:`weights` with the actors on the first axis (``capability`` and ``salience``
    (actors, ...)), the same numbers: the layout in which whole rows are added
    (:mod:`statecraft.models.rows`)."""
    c = np.asarray(capability, dtype=float)
    top = np.maximum.reduce(c, axis=0)
    # In place, fewer temporaries than weights(): the same operations on the same numbers
    with np.errstate(invalid="ignore", divide="ignore", under="ignore"):
        w = np.divide(c, top)
        np.copyto(w, c, where=~(top > 0))
        w *= np.asarray(salience, dtype=float)
        top_w = np.maximum.reduce(w, axis=0)
        np.divide(w, top_w, out=w, where=top_w > 0)
    np.copyto(w, 0.0, where=w < NEGLIGIBLE)
    return np.asarray(w)


#: Relative weights below this count as 0 (see :func:`weights`).
NEGLIGIBLE = 1e-12
