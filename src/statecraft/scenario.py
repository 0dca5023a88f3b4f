"""Scenarios as data: actors, issues, positions, saliences and capabilities; validated, immutable.

A scenario is what an analyst knows about a negotiation or a conflict: who takes part, how
strong each actor is, what each wants on each issue and how much it cares. Models read it
through :mod:`statecraft.arrays`, which turns it into NumPy arrays.

Every number may be written plainly (``salience: 0.8``) or as a mapping that carries where it
came from and why it was coded so (``salience: {value: 0.8, source: "...", note: "..."}``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictFloat,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from statecraft._rules import capability_positive, one_line, salience_in_unit, wrap_number
from statecraft.errors import format_location
from statecraft.notebook import Notebook, count, few

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Actor",
    "Distribution",
    "Issue",
    "Perturbation",
    "Quantity",
    "Scale",
    "Scenario",
    "Source",
    "Stance",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


Distribution = Literal["triangular", "uniform", "normal", "beta"]


class Quantity(_Frozen):
    """A number with where it came from (``source``), why it was coded so (``note``) and,
    optionally, how uncertain it is (``low``, ``high``, ``dist``).

    Written in a scenario file either as a plain number or as
    ``{value: 70, low: 60, high: 85, dist: triangular, source: "...", note: "..."}``. The
    distributions over [low, high] are described in ``docs/uncertainty.md``.
    """

    value: StrictFloat = Field(description="The number itself (the best estimate); finite.")
    low: StrictFloat | None = Field(default=None, description="Lowest plausible value.")
    high: StrictFloat | None = Field(default=None, description="Highest plausible value.")
    dist: Distribution | None = Field(
        default=None,
        description="Distribution over [low, high]: triangular (default), uniform, "
        "normal (truncated) or beta.",
    )
    source: str | None = Field(default=None, description="Where the number comes from.")
    note: str | None = Field(default=None, description="Why it was coded so.")

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        return wrap_number(data)

    @model_validator(mode="after")
    def _range(self) -> Quantity:
        if (self.low is None) != (self.high is None):
            raise PydanticCustomError(
                "range_incomplete", "give both low and high for a range, or neither"
            )
        if self.low is None or self.high is None:
            if self.dist is not None:
                raise PydanticCustomError(
                    "range_missing", "a distribution needs a range: give low and high too"
                )
            return self
        if not self.low <= self.value <= self.high:
            raise PydanticCustomError(
                "range_order",
                "the range must hold the value: low ({low}) <= value ({value}) <= high ({high})",
                {"low": self.low, "value": self.value, "high": self.high},
            )
        return self

    @property
    def uncertain(self) -> bool:
        """Whether the number carries a range with some width."""
        return self.low is not None and self.high is not None and self.high > self.low

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        as_object = handler(core_schema)
        return {"anyOf": [{"type": "number"}, as_object]}

    def __float__(self) -> float:
        return self.value


#: One line of text (names, labels, titles, a scale's meanings and unit).
Line = Annotated[str, AfterValidator(one_line)]
Salience = Annotated[Quantity, AfterValidator(salience_in_unit)]
Capability = Annotated[Quantity, AfterValidator(capability_positive)]
Number = Annotated[Quantity, BeforeValidator(wrap_number)]


class Source(_Frozen):
    """A citation the scenario relies on."""

    id: str = Field(pattern=ID_PATTERN, description="Short key, e.g. 'sipri-2020'.")
    citation: str = Field(min_length=1, description="The full reference.")
    url: str | None = None


class Scale(_Frozen):
    """The numeric scale of an issue and what each end means."""

    low: StrictFloat = 0.0
    high: StrictFloat = 100.0
    low_meaning: Line | None = Field(default=None, description="What the low end stands for.")
    high_meaning: Line | None = Field(default=None, description="What the high end stands for.")
    unit: Line | None = Field(default=None, description="Unit of the scale, e.g. 'years'.")

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.low < self.high:
            raise PydanticCustomError(
                "scale_order",
                "the scale's low end ({low}) must be below its high end ({high})",
                {"low": self.low, "high": self.high},
            )
        if math.isinf(self.high - self.low):
            raise PydanticCustomError(
                "scale_width",
                "the scale's width, high - low = {high} - ({low}), is too large for a "
                "floating-point number (over 1.8e308); state the scale in a larger unit",
                {"low": self.low, "high": self.high},
            )
        return self

    @property
    def width(self) -> float:
        return self.high - self.low

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


class Issue(_Frozen):
    """One question on which the actors take positions along a numeric scale."""

    id: str = Field(pattern=ID_PATTERN, description="Short key used in stances.")
    label: Line = Field(min_length=1, description="A human-readable name.")
    description: str | None = None
    scale: Scale = Field(default_factory=Scale)
    status_quo: Number | None = Field(
        default=None, description="What holds if nothing is agreed (the disagreement point)."
    )
    actual: Number | None = Field(
        default=None, description="The real outcome, when known (for evaluation)."
    )


class Stance(_Frozen):
    """An actor's stance on one issue: where it stands and how much it cares."""

    position: Number = Field(description="The actor's preferred point on the issue's scale.")
    salience: Salience = Field(description="How much the actor cares, 0 (not at all) to 1.")
    capability: Capability | None = Field(
        default=None, description="Capability on this issue only, overriding the actor's."
    )


class Actor(_Frozen):
    """A party to the negotiation: a state, an organisation, a faction, a person."""

    id: str = Field(pattern=ID_PATTERN, description="Short key, e.g. 'russia'.")
    name: Line | None = Field(default=None, description="Display name; the id when absent.")
    description: str | None = None
    capability: Capability = Field(description="Overall capability (power, influence), > 0.")
    roles: tuple[str, ...] = Field(
        default=(), description="Free tags: belligerent, patron, mediator, ..."
    )
    stances: Mapping[str, Stance] = Field(
        default_factory=dict,
        description="Stance per issue id; an actor may sit out an issue by omitting it.",
    )

    @field_validator("stances", mode="after")
    @classmethod
    def _read_only(cls, value: Mapping[str, Stance]) -> Mapping[str, Stance]:
        return MappingProxyType(dict(value))

    @field_serializer("stances")
    def _plain(self, value: Mapping[str, Stance]) -> dict[str, Stance]:
        return dict(value)

    @property
    def display_name(self) -> str:
        return self.name or self.id

    def capability_on(self, issue_id: str) -> float:
        """The actor's capability on one issue: the per-issue value when given."""
        stance = self.stances.get(issue_id)
        if stance is not None and stance.capability is not None:
            return stance.capability.value
        return self.capability.value


def _values(q: Quantity | None) -> list[tuple[str, float]]:
    """A quantity's value and the ends of its range, labelled for messages."""
    if q is None:
        return []
    out = [("", q.value)]
    if q.low is not None and q.high is not None:
        out += [("'s low", q.low), ("'s high", q.high)]
    return out


class Perturbation(_Frozen):
    """A quick look at uncertainty: every number without a range of its own gets one.

    Positions and status quos get value +- ``relative`` x the scale's width; capabilities
    and saliences value x (1 +- ``relative``); each clipped to what is allowed (the scale,
    0..1, above 0), with the distribution ``dist``.
    """

    relative: StrictFloat = Field(gt=0, le=1, description="The relative amount, e.g. 0.1.")
    dist: Distribution = "triangular"


def _problem(kind: str, message: str, loc: tuple[str | int, ...], value: Any = None) -> Exception:
    return PydanticCustomError(
        kind, message, {"loc": format_location(loc), "path": loc, "value": value}
    )


#: The most the issues' scale widths may differ by (2**128, about 3.4e38): the models run
#: every issue at one scale, so a scale far narrower than another would lose its precision.
MAX_WIDTH_RATIO = 2.0**128


def _check_widths(issues: Sequence[Issue]) -> None:
    widths = [i.scale.high - i.scale.low for i in issues]
    wide = max(range(len(widths)), key=widths.__getitem__)
    narrow = min(range(len(widths)), key=widths.__getitem__)
    if widths[wide] / widths[narrow] > MAX_WIDTH_RATIO:
        raise _problem(
            "scale_widths",
            f"the issues' scales differ too much in width: {issues[wide].id} is "
            f"{widths[wide]:.3g} wide and {issues[narrow].id} {widths[narrow]:.3g}, more than "
            f"{MAX_WIDTH_RATIO:.2g} times less; the models run every issue at one scale, so "
            "the narrow one would lose its precision. Give the issues units closer together",
            ("issues", narrow, "scale"),
            widths[narrow],
        )


class Scenario(Notebook, _Frozen):
    """A negotiation or conflict as data: issues, actors and their stances.

    Immutable once built. Build one from a file with :func:`statecraft.load`, or in code.
    """

    name: Line = Field(min_length=1, description="Short name, e.g. 'karabakh-2020'.")
    title: Line | None = None
    description: str = ""
    sources: tuple[Source, ...] = ()
    issues: tuple[Issue, ...] = Field(description="At least one issue.")
    actors: tuple[Actor, ...] = Field(description="At least one actor.")
    perturb: Perturbation | None = Field(
        default=None,
        description="Give every number without a range of its own a relative one.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not self.issues:
            raise _problem("empty", "a scenario needs at least one issue", ("issues",))
        if not self.actors:
            raise _problem("empty", "a scenario needs at least one actor", ("actors",))
        seen: dict[str, int] = {}
        for i, issue in enumerate(self.issues):
            if issue.id in seen:
                raise _problem(
                    "duplicate_id",
                    f"duplicate issue id {issue.id!r} (first used by issues[{seen[issue.id]}])",
                    ("issues", i, "id"),
                    issue.id,
                )
            seen[issue.id] = i
            for key in ("status_quo", "actual"):
                q = getattr(issue, key)
                for what, v in _values(q):
                    if not issue.scale.contains(v):
                        raise _problem(
                            "outside_scale",
                            f"{key}{what} {v:g} lies outside the issue's scale "
                            f"{issue.scale.low:g}..{issue.scale.high:g}",
                            ("issues", i, key),
                            v,
                        )
        _check_widths(self.issues)
        scales = {issue.id: issue.scale for issue in self.issues}
        seen_actor: dict[str, int] = {}
        for a, actor in enumerate(self.actors):
            if actor.id in seen_actor:
                raise _problem(
                    "duplicate_id",
                    f"duplicate actor id {actor.id!r} "
                    f"(first used by actors[{seen_actor[actor.id]}])",
                    ("actors", a, "id"),
                    actor.id,
                )
            seen_actor[actor.id] = a
            for issue_id, stance in actor.stances.items():
                loc: tuple[str | int, ...] = ("actors", a, "stances", issue_id)
                if issue_id not in scales:
                    raise _problem(
                        "unknown_issue",
                        f"unknown issue id {issue_id!r}; the issues are: {', '.join(scales)}",
                        loc,
                        issue_id,
                    )
                scale = scales[issue_id]
                for what, v in _values(stance.position):
                    if not scale.contains(v):
                        raise _problem(
                            "outside_scale",
                            f"position{what} {v:g} lies outside the scale "
                            f"{scale.low:g}..{scale.high:g} of issue {issue_id!r}",
                            (*loc, "position"),
                            v,
                        )
        for i, issue in enumerate(self.issues):
            stances = [a.stances[issue.id] for a in self.actors if issue.id in a.stances]
            if not stances:
                raise _problem(
                    "no_positions",
                    f"nobody takes a position on issue {issue.id!r}; "
                    "give at least one actor a stance on it, or remove it",
                    ("issues", i),
                )
            if all(s.salience.value == 0.0 for s in stances):
                raise _problem(
                    "no_salience",
                    f"every actor's salience on issue {issue.id!r} is 0, "
                    "so no model can weigh the positions",
                    ("issues", i),
                )
        return self

    # -- look-ups ---------------------------------------------------------------------------
    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (KeyError naming the known ids otherwise)."""
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(f"no issue {issue_id!r}; the issues are: {', '.join(self.issue_ids)}")

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError naming the known ids otherwise)."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(f"no actor {actor_id!r}; the actors are: {', '.join(self.actor_ids)}")

    def with_perturbation(self, relative: float) -> Scenario:
        """The scenario with every number without a range of its own given one of
        ``relative``, keeping the distribution its own perturbation named, if any."""
        dist = self.perturb.dist if self.perturb is not None else "triangular"
        return self.model_copy(update={"perturb": Perturbation(relative=relative, dist=dist)})

    def to_frame(self) -> pd.DataFrame:
        """One row per actor and issue it takes a stance on: capability, position, salience."""
        import pandas as pd

        rows = [
            {"actor": a.id, "name": a.display_name, "capability": a.capability.value}
            | {"issue": i, "position": st.position.value, "salience": st.salience.value}
            for a in self.actors
            for i, st in a.stances.items()
        ]
        return pd.DataFrame.from_records(rows)

    def _headline(self) -> pd.DataFrame:
        """One row per actor: its capability and its position on each issue (None: sits out)."""
        import pandas as pd

        return pd.DataFrame.from_records(
            [
                {"actor": a.display_name, "capability": a.capability.value}
                | {
                    i: (st.position.value if (st := a.stances.get(i)) else None)
                    for i in self.issue_ids
                }
                for a in self.actors
            ]
        )

    def _summary(self) -> list[str]:
        head = f"Scenario {self.name!r}" + (f": {self.title}" if self.title else "")
        return [
            head,
            f"  {count(len(self.actors), 'actor')}: {few(a.id for a in self.actors)}",
            f"  {count(len(self.issues), 'issue')}: {few(self.issue_ids)}",
            f"  {count(len(self.sources), 'source')}",
        ]

    def to_data(self) -> dict[str, Any]:
        """Plain data for writing: numbers without source or note are written as numbers."""
        data: dict[str, Any] = _compact(self.model_dump(mode="python", exclude_defaults=True))
        return data


def _compact(data: Any) -> Any:
    """Collapse ``{"value": x}`` to ``x`` and mappings/tuples to plain dicts/lists."""
    if isinstance(data, Mapping):
        out = {k: _compact(v) for k, v in data.items()}
        if set(out) == {"value"} and isinstance(out["value"], int | float):
            return out["value"]  # already compacted below: a whole number is an int
        return out
    if isinstance(data, list | tuple):
        return [_compact(v) for v in data]
    if isinstance(data, float) and data.is_integer() and abs(data) < 2**53:
        return int(data)
    return data
