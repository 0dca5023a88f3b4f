"""The models and the charts, and what a request computes while it waits: a forecast, the
bottom line, a comparison with counterfactual patches, the HTML report and any chart of the
registry. Each
is checked here, then computed in one of the server's few worker processes, within its
limits (:meth:`WebState.compute`, :mod:`statecraft.web.jobs`)."""

from __future__ import annotations

import importlib.util
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, PlainTextResponse

from statecraft import (
    Patch,
    Scenario,
    ScenarioError,
    StatecraftError,
    available_models,
    builtin_names,
    default_model,
    get_model,
)
from statecraft.api import (
    CHARTS,
    Chart,
    ChartInputs,
    builtin_patch,
    get_chart,
    is_linked,
    patch_from_data,
    read_deu,
)
from statecraft.web import jobs
from statecraft.web.bodies import StrictRoute
from statecraft.web.deps import Web, WebState, attachment, authorised, problem
from statecraft.web.schemas import (
    BriefRequest,
    ChartRequest,
    CompareRequest,
    ForecastRequest,
    Problem,
    ReportRequest,
    RiskRequest,
    the_models,
)

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)], route_class=StrictRoute)


@router.get("/api/models")
def models() -> list[dict[str, Any]]:
    """The models, their sources and their options with defaults."""
    return [
        {
            "name": name,
            "title": cls.title,
            "citation": cls.citation,
            "linked": is_linked(name),
            "cost": cls.cost,
            "default": name == default_model(),
            "options": get_model(name).options,
            "schema": cls.Options.model_json_schema(),
        }
        for name, cls in available_models().items()
    ]


@router.post("/api/forecast", responses={422: {"model": Problem}})
def run_forecast(req: ForecastRequest, web: Web) -> dict[str, Any]:
    """Forecast every issue and rank the winners (``statecraft forecast``)."""
    s = web.scenario_of(req.scenario)
    web.affordable(s, req.models)
    result, data, charts = web.compute(
        "forecast", jobs.prediction, s, req.models or None, req.primary, req.options
    )
    return {**web.recorded(result), "forecast": data, "charts": charts}


@router.post("/api/brief", responses={413: {"model": Problem}, 422: {"model": Problem}})
def run_brief(req: BriefRequest, web: Web) -> dict[str, Any]:
    """The bottom line (``statecraft brief``): who wins with what probability over the
    uncertain numbers and the models, each issue's forecast with its interval, the flags."""
    web.too_many(req.draws, web.limits.chart_draws)
    s = web.scenario_of(req.scenario)
    if req.perturb is not None:
        s = s.with_perturbation(req.perturb)
    web.affordable(s, req.models)
    data = web.compute(
        "brief",
        jobs.bottom_line,
        s,
        req.models or None,
        req.draws,
        req.seed,
        req.weights,
        dict(req.options),
        req.model_error,
    )
    return {"brief": data}


@router.post("/api/risk", responses={413: {"model": Problem}, 422: {"model": Problem}})
def run_risk(req: RiskRequest, web: Web) -> dict[str, Any]:
    """Will the settlement hold? (``statecraft risk``): the risk index of every dyad, the
    pressure on each issue of the settlement and its guarantors, with their intervals."""
    web.too_many(req.draws, web.limits.chart_draws)
    s = web.scenario_of(req.scenario)
    before = None if req.previous is None else web.scenario_of(req.previous)
    if req.perturb is not None:
        s = s.with_perturbation(req.perturb)
        before = None if before is None else before.with_perturbation(req.perturb)
    data = web.compute(
        "risk", jobs.settlement_risk, s, before, req.draws, req.seed, req.settlement, req.dyad
    )
    return {"risk": data}


def _patches_of(
    web: WebState, ref: str, s: Scenario, given: list[str | dict[str, Any] | list[Any]]
) -> list[Any]:
    """Patches by a built-in scenario's built-in patch names, or as data; never a file. A
    name ``a+b`` or a list is one counterfactual, its patches stacked in order."""
    items = [p if isinstance(p, list) else [p] for p in given]
    items = [[x for part in item for x in _split(part)] for item in items]
    count = sum(len(item) for item in items)
    if count > web.limits.patches:
        raise problem(413, f"{count} patches; this server compares at most {web.limits.patches}")
    out = []
    k = 0
    for item in items:
        parts = []
        for p in item:
            k += 1
            try:
                parts.append(_one_patch(ref, s, p, k))
            except ScenarioError as exc:
                raise problem(422, exc) from None
        try:
            out.append(Patch.stack(parts))
        except ScenarioError as exc:
            raise problem(422, exc) from None
    return out


def _split(part: Any) -> list[Any]:
    """A name ``a+b`` as its parts (on the server never a file, so no file name holds a
    ``+``); anything else as it is."""
    if not isinstance(part, str) or "+" not in part:
        return [part]
    names = part.split("+")
    if any(not n.strip() for n in names):
        raise problem(422, f"an empty patch name in {part!r}: join patches with a single '+' (a+b)")
    return names


def _one_patch(ref: str, s: Scenario, p: Any, k: int) -> Patch:
    if isinstance(p, str):
        if ref not in builtin_names():
            raise ScenarioError(
                f"{ref} is not a built-in scenario, so it has no built-in patch "
                f"{p!r}: give the patch as data"
            )
        return builtin_patch(s, p)  # from the package: never a file
    if isinstance(p, dict):
        return patch_from_data(p, label=f"patch {k}")
    raise ScenarioError(f"patch {k}: a patch is a built-in patch's name or a mapping")


@router.post("/api/compare", responses={422: {"model": Problem}})
def run_compare(req: CompareRequest, web: Web) -> dict[str, Any]:
    """The scenario and its counterfactual patches side by side (``statecraft compare``).
    With ``models``, the comparison under each (``comparisons``, each recorded as its own
    run); ``comparison`` and ``run_id`` are the first model's. ``draws`` count for each
    model: their sum is held to the limit on draws in one request."""
    try:
        models = the_models(req.model, req.models)
    except ValueError as exc:
        raise problem(422, exc) from None
    web.too_many(req.draws * len(models), web.limits.chart_draws)
    s = web.scenario_of(req.scenario)
    web.affordable(s, models)
    patches = _patches_of(web, req.scenario, s, req.patches)
    done = web.compute("comparison", jobs.comparison, s, patches, models, req.draws, req.seed)
    each = [
        {"model": m, **web.recorded(result), "comparison": data}
        for m, (result, data) in zip(models, done, strict=True)
    ]
    first = each[0]
    return {
        "run_id": first["run_id"],
        "not_recorded": first["not_recorded"],
        "comparison": first["comparison"],
        "comparisons": each,
    }


@router.post("/api/report", response_class=HTMLResponse)
def make_report(req: ReportRequest, web: Web) -> HTMLResponse:
    """The self-contained HTML report (``statecraft report``)."""
    web.too_many(req.draws, web.limits.chart_draws)
    if importlib.util.find_spec("matplotlib") is None or importlib.util.find_spec("jinja2") is None:
        raise problem(501, "the report needs statecraft[report] (matplotlib, Jinja2)")
    s = web.scenario_of(req.scenario)
    web.affordable(s, list(available_models()))  # the report runs every model that applies
    patches = _patches_of(web, req.scenario, s, req.patches)
    html = web.compute("report", jobs.report, s, patches, req.model, req.draws, req.seed)
    return HTMLResponse(html, headers=attachment(f"{s.name}-report.html"))


@router.get("/api/charts")
def chart_kinds() -> list[dict[str, Any]]:
    """The chart kinds (the chart registry): what each shows, needs and takes."""
    return [c.to_dict() for c in CHARTS.values()]


@router.post("/api/chart", responses={200: {"content": {"image/svg+xml": {}}}})
def chart(req: ChartRequest, web: Web) -> PlainTextResponse:
    """Any chart of the registry as SVG: for the scenario as it stands, or for a DEU table."""
    if importlib.util.find_spec("matplotlib") is None:
        raise problem(501, "charts need statecraft[report] (matplotlib, Jinja2)")
    try:
        kind = get_chart(req.kind)
    except ValueError as exc:
        raise problem(422, exc) from None
    web.too_many(req.draws, web.limits.chart_draws)
    source = _source_of(web, req, kind)
    patches = []
    if isinstance(source, Scenario) and "patches" in kind.takes:
        patches = _patches_of(web, str(req.scenario), source, req.patches)
    inputs = ChartInputs(
        issue=req.issue,
        actor=req.actor,
        model=req.model,
        models=req.models,
        patches=patches,
        draws=req.draws,
        seed=req.seed,
        options=req.options,
    )
    drawn = web.compute("chart", jobs.chart, source, kind.kind, inputs)
    return PlainTextResponse(drawn, media_type="image/svg+xml")


def _source_of(web: WebState, req: ChartRequest, kind: Chart) -> Scenario | str:
    """The scenario, or the DEU table's text of a backtest, within the limits on slow
    models (the table is read here to count it, and again in the worker, which draws it:
    its text travels faster than the table)."""
    one = [req.model] if "model" in kind.takes else req.models
    if kind.reads == "timeline":
        raise problem(
            422,
            f"the {kind.kind} chart is drawn from a timeline, which the web app does not read: "
            "use statecraft timeline FILE --chart OUT.svg",
        )
    if kind.reads == "deu-table":
        if not req.table:
            raise problem(422, f"the {kind.kind} chart needs a DEU table: give its text as table")
        try:
            table = read_deu("table", text=req.table)
        except StatecraftError as exc:
            raise problem(422, exc) from None
        cells = sum(len(i.scenario.actors) for i in table.issues)
        web.affordable_cells(cells, one, f"a DEU table of {cells:,} actor-issues")
        return req.table
    if req.scenario is None:
        raise problem(422, f"the {kind.kind} chart needs a scenario")
    s = web.scenario_of(req.scenario)
    web.affordable(s, one)
    return s
