"""The models, and what a request computes while it waits: a forecast, a comparison with
counterfactual patches, the HTML report and one of its charts. Each takes one of the few
slots the server computes in at once (:meth:`WebState.slot`)."""

from __future__ import annotations

import importlib.util
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, PlainTextResponse

from statecraft import (
    Scenario,
    ScenarioError,
    StatecraftError,
    available_models,
    builtin_names,
    compare,
    forecast,
    get_model,
    simulate,
)
from statecraft.api import builtin_patch, charts, is_linked, patch_from_data, svg
from statecraft.web.deps import Web, WebState, attachment, authorised, problem
from statecraft.web.schemas import (
    ChartRequest,
    CompareRequest,
    ForecastRequest,
    Problem,
    ReportRequest,
)

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)])


@router.get("/api/models")
def models() -> list[dict[str, Any]]:
    """The models, their sources and their options with defaults."""
    return [
        {
            "name": name,
            "title": cls.title,
            "citation": cls.citation,
            "linked": is_linked(name),
            "options": get_model(name).options,
        }
        for name, cls in available_models().items()
    ]


@router.post("/api/forecast", responses={422: {"model": Problem}})
def run_forecast(req: ForecastRequest, web: Web) -> dict[str, Any]:
    """Forecast every issue and rank the winners (``statecraft forecast``)."""
    s = web.scenario_of(req.scenario)
    web.affordable(s, req.models)
    with web.slot():
        try:
            result = forecast(s, req.models or None, primary=req.primary, options=req.options)
        except (StatecraftError, ValueError) as exc:
            raise problem(422, exc) from None
    return {"run_id": web.recorded(result), "forecast": result.to_dict()}


def _patches_of(
    web: WebState, ref: str, s: Scenario, given: list[str | dict[str, Any]]
) -> list[Any]:
    """Patches by a built-in scenario's built-in patch names, or as data; never a file."""
    if len(given) > web.limits.patches:
        raise problem(
            413, f"{len(given)} patches; this server compares at most {web.limits.patches}"
        )
    out = []
    for k, p in enumerate(given):
        try:
            if isinstance(p, str):
                if ref not in builtin_names():
                    raise ScenarioError(
                        f"{ref} is not a built-in scenario, so it has no built-in patch "
                        f"{p!r}: give the patch as data"
                    )
                out.append(builtin_patch(s, p))  # from the package: never a file
            else:
                out.append(patch_from_data(p, label=f"patch {k + 1}"))
        except ScenarioError as exc:
            raise problem(422, exc) from None
    return out


@router.post("/api/compare", responses={422: {"model": Problem}})
def run_compare(req: CompareRequest, web: Web) -> dict[str, Any]:
    """The scenario and its counterfactual patches side by side (``statecraft compare``)."""
    web.too_many(req.draws, web.limits.chart_draws)
    s = web.scenario_of(req.scenario)
    web.affordable(s, [req.model])
    patches = _patches_of(web, req.scenario, s, req.patches)
    with web.slot():
        try:
            result = compare(s, patches, req.model, draws=req.draws, seed=req.seed)
        except (StatecraftError, ValueError) as exc:
            raise problem(422, exc) from None
    return {"run_id": web.recorded(result), "comparison": result.to_dict()}


@router.post("/api/report", response_class=HTMLResponse)
def make_report(req: ReportRequest, web: Web) -> HTMLResponse:
    """The self-contained HTML report (``statecraft report``)."""
    web.too_many(req.draws, web.limits.chart_draws)
    try:
        from statecraft.api import report
    except ImportError:
        raise problem(501, "the report needs statecraft[report] (matplotlib, Jinja2)") from None
    s = web.scenario_of(req.scenario)
    web.affordable(s, None)  # the report runs every one-issue model
    patches = _patches_of(web, req.scenario, s, req.patches)
    with web.slot():
        try:
            html = report(
                s, draws=req.draws, seed=req.seed, patches=patches, model=req.model
            ).html()
        except (StatecraftError, ValueError) as exc:
            raise problem(422, exc) from None
    return HTMLResponse(html, headers=attachment(f"{s.name}-report.html"))


@router.post("/api/chart", responses={200: {"content": {"image/svg+xml": {}}}})
def chart(req: ChartRequest, web: Web) -> PlainTextResponse:
    """One of the report's charts as SVG, for the scenario as it stands."""
    if importlib.util.find_spec("matplotlib") is None:
        raise problem(501, "charts need statecraft[report] (matplotlib, Jinja2)")
    s = web.scenario_of(req.scenario)
    web.too_many(req.draws, web.limits.chart_draws)
    web.affordable(s, [req.model] if req.kind in ("distributions", "counterfactuals") else None)
    with web.slot():
        return _draw_chart(web, req, s)


def _draw_chart(web: WebState, req: ChartRequest, s: Scenario) -> PlainTextResponse:
    try:
        if req.kind == "distributions":
            fig = charts.distributions(simulate(s, req.model, draws=req.draws, seed=req.seed))
        elif req.kind == "counterfactuals":
            if not req.patches:
                raise ValueError("the counterfactuals chart needs at least one patch")
            fig = charts.counterfactuals(
                compare(s, _patches_of(web, req.scenario, s, req.patches), req.model)
            )
        elif req.kind in ("issue-map", "winners", "confrontations", "trajectories"):
            f = forecast(s)
            if req.kind == "trajectories":
                if req.issue not in s.issue_ids:
                    raise ValueError(f"the trajectories chart needs an issue of {s.name}")
                fig = charts.trajectories(f, req.issue)
            else:
                draw = {
                    "issue-map": charts.issue_map,
                    "winners": charts.winners_chart,
                    "confrontations": charts.confrontations,
                }[req.kind]
                fig = draw(f)
        else:
            raise ValueError(
                f"unknown chart {req.kind!r}; the charts are: issue-map, winners, "
                "confrontations, trajectories, distributions, counterfactuals"
            )
    except (StatecraftError, ValueError) as exc:
        raise problem(422, exc) from None
    return PlainTextResponse(svg(fig, req.kind), media_type="image/svg+xml")
