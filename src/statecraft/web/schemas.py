"""The web API's request bodies and its refusal (:class:`Problem`), as pydantic models: the
OpenAPI schema at ``/openapi.json`` describes them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from statecraft import ScenarioError, default_model
from statecraft.api import SEED_MAX, check_seed
from statecraft.web.named import by_id

#: The model of a request that names none: the first registered one.
MODEL_DOC = "A model's name (default: the first registered model, see GET /api/models)."

#: A seed: 0 to 2**63 - 1, the largest the run store keeps; another is refused (422) with the
#: message of the command line, not taken and then left unrecorded.
Seed = Annotated[
    int,
    AfterValidator(check_seed),
    Field(
        description=f"The random seed, 0 to {SEED_MAX}.",
        json_schema_extra={"minimum": 0, "maximum": SEED_MAX},
    ),
]

__all__ = [
    "AdviseRequest",
    "BriefRequest",
    "ChartRequest",
    "CompareRequest",
    "ForecastRequest",
    "Problem",
    "ReportRequest",
    "RiskRequest",
    "StudyRequest",
    "SweepAxis",
    "SweepRequest",
    "problem_detail",
]


class Problem(BaseModel):
    """A refusal: what is wrong, and where in the scenario when it is about one."""

    error: str = Field(description="The message, in the command line's words.")
    path: list[str | int] | None = Field(
        default=None, description="Where in the scenario, e.g. ['actors', 4, 'capability']."
    )
    at: list[str | int] | None = Field(
        default=None,
        description="The same place with actors and issues by id, e.g. "
        "['actors', 'iran', 'capability'].",
    )
    line: int | None = None
    data: dict[str, Any] | None = Field(
        default=None,
        description="An uploaded file's data when it parsed but did not hold, so that a "
        "page can show the problem at its cell.",
    )


class _Request(BaseModel):
    """A request's body: a field it does not know is refused (422, naming it), never
    ignored, so that a misspelt option is not silently left at its default."""

    model_config = ConfigDict(extra="forbid")


def problem_detail(exc: Exception | str, data: Any = None) -> dict[str, Any]:
    """A refusal's body: the error's words, and where in the scenario for a scenario's.
    Given the scenario's ``data`` as sent, actors and issues are named by their ids, in
    the sentence and in ``at`` (:func:`statecraft.web.named.by_id`)."""
    if isinstance(exc, ScenarioError):
        path = list(exc.path) or None
        said, at = by_id(str(exc), path, data)
        detail = Problem(error=said, path=path, at=at, line=exc.line)
    else:
        detail = Problem(error=str(exc))
    return detail.model_dump()


class ForecastRequest(_Request):
    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    models: list[str] | None = Field(
        default=None, description="Models to run (default: the one-issue models that apply)."
    )
    options: dict[str, Any] = Field(default_factory=dict)
    primary: str | None = None


class StudyRequest(_Request):
    scenario: str
    model: str | None = Field(default=None, description=MODEL_DOC)
    models: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Several models, each run on the same draws (give model or models).",
    )
    draws: int = Field(default=2000, ge=1)
    seed: Seed = 0
    options: dict[str, Any] = Field(default_factory=dict)
    perturb: float | None = Field(default=None, gt=0, le=1)


class BriefRequest(_Request):
    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    models: list[str] | None = Field(
        default=None,
        description="The models of the ensemble (default: the one-issue models that apply).",
    )
    draws: int = Field(default=2000, ge=1)
    seed: Seed = 0
    weights: str | dict[str, float] = Field(
        default="equal",
        description="The models' weights: a rule's name (equal, backtest) or a weight per model.",
    )
    options: dict[str, Any] = Field(default_factory=dict)
    perturb: float | None = Field(default=None, gt=0, le=1)
    model_error: bool = Field(
        default=True,
        description="Widen each issue's interval by the models' own out-of-sample error.",
    )


class RiskRequest(_Request):
    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    previous: str | None = Field(
        default=None,
        description="The scenario at an earlier moment (an id or a built-in): the shift of "
        "power since then adds to the risk.",
    )
    draws: int = Field(default=2000, ge=1)
    seed: Seed = 0
    settlement: Literal["status_quo", "actual"] = Field(
        default="status_quo",
        description="The point to defend: each issue's status quo, or its actual outcome.",
    )
    dyad: list[str] | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="The two actors to measure the guarantors on (default: the riskiest dyad).",
    )
    perturb: float | None = Field(default=None, gt=0, le=1)


class CompareRequest(_Request):
    scenario: str
    patches: list[str | dict[str, Any] | list[str | dict[str, Any]]] = Field(
        description="Names of the scenario's built-in patches, or patches as data; a name "
        "'a+b' or a list is one counterfactual, its patches stacked in order (the later over "
        "the earlier)."
    )
    model: str | None = Field(default=None, description=MODEL_DOC)
    models: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Several models: the comparison under each (give model or models).",
    )
    draws: int = Field(default=0, ge=0)
    seed: Seed = 0


class ChartRequest(_Request):
    scenario: str | None = Field(
        default=None, description="A scenario id or a built-in (every chart but the backtest)."
    )
    kind: str = Field(description="A chart kind of GET /api/charts.")
    issue: str | None = Field(default=None, description="The issue (default: the first).")
    actor: str | None = Field(default=None, description="The actor whose view (quadrant).")
    model: str = Field(
        default_factory=default_model,
        description="The model of a simulation, comparison or sensitivity study. " + MODEL_DOC,
    )
    models: list[str] | None = Field(
        default=None,
        description="The models of a forecast (default: the one-issue models that apply) or "
        "a backtest (default: all).",
    )
    options: dict[str, Any] = Field(default_factory=dict)
    draws: int = Field(default=2000, ge=1)
    seed: Seed = 0
    patches: list[str | dict[str, Any] | list[str | dict[str, Any]]] = Field(
        default_factory=list,
        description="For counterfactuals: built-in names or data ('a+b' or a list: stacked).",
    )
    table: str | None = Field(
        default=None, description="For the backtest: a DEU table's text (tab-separated)."
    )


class ReportRequest(_Request):
    scenario: str
    draws: int = Field(default=0, ge=0)
    seed: Seed = 0
    patches: list[str | dict[str, Any] | list[str | dict[str, Any]]] = Field(default_factory=list)
    model: str = Field(default_factory=default_model, description=MODEL_DOC)


def the_models(model: str | None, models: list[str] | None) -> list[str]:
    """The models a study or a comparison runs: ``model``, or ``models`` (not both; neither:
    the first registered model). Repeats are refused, as the command line refuses them."""
    if model is not None and models is not None:
        raise ValueError("give model or models, not both")
    chosen = models if models is not None else [model or default_model()]
    twice = sorted({m for m in chosen if chosen.count(m) > 1})
    if twice:
        raise ValueError(f"models names {', '.join(twice)} twice: name each model once")
    return chosen


class AdviseRequest(_Request):
    """The levers of an actor's goal (``statecraft advise``)."""

    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    actor: str = Field(description="Whose goal: an actor's id.")
    issues: list[str] | None = Field(
        default=None, description="Only these issues' levers and gain (default: all)."
    )
    targets: dict[str, float] = Field(
        default_factory=dict,
        description="A target value per issue (the goal is then closeness to them); empty: "
        "the actor's own gain.",
    )
    model: str = Field(default_factory=default_model, description=MODEL_DOC)
    options: dict[str, Any] = Field(default_factory=dict)
    draws: int = Field(
        default=1000, ge=0, description="Draws of the uncertain inputs for robustness."
    )
    seed: Seed = 0
    flips: bool = Field(default=True, description="Also search what flips the verdict.")
    threshold: float | None = Field(
        default=None,
        description="With exactly one issue: also search what puts its forecast across this.",
    )


class SweepAxis(_Request):
    """One input of a sweep and the values it takes."""

    input: str = Field(
        description="ACTOR:ISSUE:FIELD (position, salience, capability) or ACTOR:capability."
    )
    start: float = Field(description="The first value.")
    stop: float = Field(description="The last value.")
    steps: int = Field(default=11, ge=2, le=1000, description="How many values.")


class SweepRequest(SweepAxis):
    """The forecasts and the biggest winner as an input moves (``statecraft sweep``)."""

    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    second: SweepAxis | None = Field(default=None, description="A second input: a grid.")
    model: str = Field(default_factory=default_model, description=MODEL_DOC)
    options: dict[str, Any] = Field(default_factory=dict)
    seed: Seed = 0
