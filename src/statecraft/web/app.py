"""The web app's JSON API (FastAPI), under ``/api/``, and the page that uses it.

Everything the page does goes through this API, documented by its OpenAPI schema at
``/openapi.json``, so that a team can script it. Scenarios live in the server's memory under
an id (``POST /api/scenarios`` with the file as the request body, in any format the readers
know); a request names a scenario by that id or by a built-in's name, never by a path.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from statecraft._version import __version__
from statecraft.errors import ScenarioError, StatecraftError
from statecraft.io import builtin_names, detect_format, dumps, load_builtin, read_text
from statecraft.io._validate import build_scenario
from statecraft.models import available_models, get_model, is_linked, options_for
from statecraft.runner import forecast
from statecraft.scenario import Scenario
from statecraft.web.studies import Busy, Studies

__all__ = ["Limits", "create_app"]


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the server; each refusal names its limit."""

    upload_bytes: int = 1024 * 1024  # any request's body
    actors: int = 250
    issues: int = 100
    draws: int = 200_000  # per study
    chart_draws: int = 20_000  # drawn inside a request, for a chart or a report
    studies: int = 2  # running at once
    runs: int = 4  # forecasts, comparisons, charts and reports running at once
    heavy_cells: int = 2_000  # actors x issues for the expected utility and linked models
    patches: int = 10  # per comparison
    scenarios: int = 200  # kept in memory; the oldest go first
    cells: int = 200_000  # actors x issues, summed over the scenarios kept


class Problem(BaseModel):
    """A refusal: what is wrong, and where in the scenario when it is about one."""

    error: str = Field(description="The message, in the command line's words.")
    path: list[str | int] | None = Field(
        default=None, description="Where in the scenario, e.g. ['actors', 4, 'capability']."
    )
    line: int | None = None
    data: dict[str, Any] | None = Field(
        default=None,
        description="An uploaded file's data when it parsed but did not hold, so that a "
        "page can show the problem at its cell.",
    )


class ForecastRequest(BaseModel):
    scenario: str = Field(description="A scenario id from POST /api/scenarios, or a built-in.")
    models: list[str] | None = Field(
        default=None, description="Models to run (default: the one-issue models that apply)."
    )
    options: dict[str, Any] = Field(default_factory=dict)
    primary: str | None = None


class StudyRequest(BaseModel):
    scenario: str
    model: str = "compromise"
    draws: int = Field(default=2000, ge=1)
    seed: int = Field(default=0, ge=0)
    options: dict[str, Any] = Field(default_factory=dict)
    perturb: float | None = Field(default=None, gt=0, le=1)


class CompareRequest(BaseModel):
    scenario: str
    patches: list[str | dict[str, Any]] = Field(
        description="Names of the scenario's built-in patches, or patches as data."
    )
    model: str = "compromise"
    draws: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0)


class ChartRequest(BaseModel):
    scenario: str
    kind: str = Field(
        description="issue-map, winners, confrontations, trajectories (needs issue), "
        "distributions (a Monte Carlo study of model) or counterfactuals (needs patches)."
    )
    issue: str | None = None
    model: str = "compromise"
    draws: int = Field(default=2000, ge=1)
    seed: int = Field(default=0, ge=0)
    patches: list[str | dict[str, Any]] = Field(
        default_factory=list, description="For counterfactuals: built-in names or data."
    )


class ReportRequest(BaseModel):
    scenario: str
    draws: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0)
    patches: list[str | dict[str, Any]] = Field(default_factory=list)
    model: str = "compromise"


def _raw(text: str, fmt: str) -> Any:
    """A YAML or JSON file's data as it stands (safe loaders only), or None."""
    import json

    from statecraft.io.native import load_yaml_data

    try:
        if fmt == "json":
            data = json.loads(text)
        elif fmt == "yaml":
            data, _ = load_yaml_data(text)  # the scenario reader's loader, alias cap and all
        else:
            return None
        return json.loads(json.dumps(data, default=str))  # dates and the like as text
    except (ValueError, TypeError, ScenarioError):
        return None


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class _Guard:
    """ASGI middleware: the size of every request's body, and, without a token, the Host
    header (only this machine's names: a page elsewhere cannot reach the app through a
    DNS name rebound to 127.0.0.1)."""

    def __init__(self, app: Any, *, body_bytes: int, local_only: bool) -> None:
        self.app = app
        self.body_bytes = body_bytes
        self.local_only = local_only

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = None
        if self.local_only:
            host = headers.get("host", "")
            name = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
            if name not in LOCAL_HOSTS:
                refusal = (400, f"this server answers to this machine only, not to {host!r}")
        if refusal is None and scope["method"] in ("POST", "PUT", "PATCH"):
            length = headers.get("content-length")
            if length is None and "transfer-encoding" in headers:
                refusal = (411, "send the body with a Content-Length")
            elif length is not None and (not length.isdigit() or int(length) > self.body_bytes):
                refusal = (
                    413,
                    f"the request's body is {length} bytes; "
                    f"this server takes at most {self.body_bytes:,}",
                )
        if refusal is None:
            await self.app(scope, receive, send)
            return
        import json

        body = json.dumps({"error": refusal[1]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": refusal[0],
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _attachment(filename: str) -> dict[str, str]:
    """A Content-Disposition that any name survives: an ASCII fallback and the UTF-8 name."""
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    return {"Content-Disposition": disposition}


def _problem(status: int, exc: Exception | str) -> HTTPException:
    if isinstance(exc, ScenarioError):
        detail = Problem(error=str(exc), path=list(exc.path) or None, line=exc.line)
    else:
        detail = Problem(error=str(exc))
    return HTTPException(status_code=status, detail=detail.model_dump())


def create_app(
    *,
    token: str | None = None,
    store: str | None = None,
    record: bool = True,
    limits: Limits | None = None,
) -> FastAPI:
    """The app. ``token``: every API request must carry it (``Authorization: Bearer``).
    ``store``: the run store (default: the user's); ``record=False`` keeps no runs."""
    limits = limits or Limits()
    studies = Studies(limits.studies)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        studies.shutdown()  # running studies stop; none leaves a half-written run

    app = FastAPI(
        lifespan=lifespan,
        title="Statecraft",
        version=__version__,
        description="Forecast negotiations and conflicts with the bargaining models of "
        "political science: scenarios, forecasts, Monte Carlo studies, counterfactuals, "
        "reports and past runs.",
    )
    app.add_middleware(_Guard, body_bytes=limits.upload_bytes, local_only=token is None)
    scenarios: OrderedDict[str, Scenario] = OrderedDict()
    lock = threading.Lock()
    app.state.studies = studies
    app.state.limits = limits

    async def authorised(authorization: str | None = Header(default=None)) -> None:
        if token is None:
            return
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail=Problem(
                    error="this server needs its token: send 'Authorization: Bearer TOKEN'"
                ).model_dump(),
            )

    guard = [Depends(authorised)]

    @app.exception_handler(HTTPException)
    async def _detail(request: Request, exc: HTTPException) -> JSONResponse:
        body = exc.detail if isinstance(exc.detail, dict) else {"error": str(exc.detail)}
        return JSONResponse(status_code=exc.status_code, content=body)

    def checked(s: Scenario) -> Scenario:
        if len(s.actors) > limits.actors:
            raise _problem(
                413,
                f"the scenario has {len(s.actors)} actors; "
                f"this server takes at most {limits.actors}",
            )
        if len(s.issues) > limits.issues:
            raise _problem(
                413,
                f"the scenario has {len(s.issues)} issues; "
                f"this server takes at most {limits.issues}",
            )
        return s

    busy = threading.BoundedSemaphore(limits.runs)

    @contextmanager
    def slot() -> Iterator[None]:
        """One of the few requests that may compute at once; the others are refused."""
        if not busy.acquire(blocking=False):
            raise _problem(
                429,
                f"{limits.runs} runs are in progress, the most this server computes at once; "
                "try again in a moment",
            )
        try:
            yield
        finally:
            busy.release()

    def affordable(s: Scenario, models: list[str] | None) -> None:
        """Refuse the slow models (expected utility, the linked ones) on large scenarios."""
        names = models or [m for m in available_models() if not is_linked(m)]
        slow = [m for m in names if m in ("expected-utility", "exchange", "spatial")]
        cells = len(s.actors) * len(s.issues)
        if slow and cells > limits.heavy_cells:
            raise _problem(
                413,
                f"the {slow[0]} model on {len(s.actors)} actors x {len(s.issues)} issues: "
                f"this server runs it on at most {limits.heavy_cells:,} actor-issues "
                "(run it from the command line, or leave the model out)",
            )

    def too_many(draws: int, most: int | None = None) -> None:
        where = "per study" if most is None else "in one request"
        most = limits.draws if most is None else most
        if draws > most:
            raise _problem(413, f"{draws:,} draws asked; this server runs at most {most:,} {where}")

    def keep(s: Scenario) -> str:
        scenario_id = secrets.token_hex(6)
        with lock:
            scenarios[scenario_id] = s

            def cells() -> int:
                return sum(len(x.actors) * len(x.issues) for x in scenarios.values())

            while len(scenarios) > 1 and (
                len(scenarios) > limits.scenarios or cells() > limits.cells
            ):
                scenarios.popitem(last=False)
        return scenario_id

    def scenario_of(ref: str) -> Scenario:
        with lock:
            if ref in scenarios:
                return scenarios[ref]
        if ref in builtin_names():
            return load_builtin(ref)  # from the package: never a file of that name
        raise _problem(
            404,
            f"no scenario {ref!r}: upload one to POST /api/scenarios, or name a built-in "
            f"({', '.join(builtin_names())})",
        )

    def recorded(result: Any, **how: Any) -> str | None:
        if not record:
            return None
        from statecraft.store import StoreError, open_store

        try:
            with open_store(store) as opened:
                return opened.save(result, arguments={"via": "web"}, **how)
        except StoreError:
            return None

    # --- scenarios ---------------------------------------------------------------------

    @app.get("/api/scenarios", dependencies=guard)
    def list_scenarios() -> dict[str, Any]:
        """The built-in scenarios, and those uploaded or edited on this server."""
        with lock:
            mine = [{"id": k, "name": s.name, "title": s.title} for k, s in scenarios.items()]
        builtins = []
        for name in builtin_names():
            from statecraft.analysis.counterfactual import builtin_patches

            s = load_builtin(name)
            builtins.append(
                {
                    "id": name,
                    "name": s.name,
                    "title": s.title,
                    "patches": list(builtin_patches(name)),
                }
            )
        return {"builtin": builtins, "uploaded": mine}

    @app.post(
        "/api/scenarios",
        status_code=201,
        dependencies=guard,
        responses={413: {"model": Problem}, 422: {"model": Problem}},
    )
    async def upload(
        request: Request,
        name: str = Query(default="upload", description="The file's name (tells CSV from YAML)."),
        fmt: str | None = Query(
            default=None, alias="format", description="yaml, json, csv, ktab or decide"
        ),
    ) -> dict[str, Any]:
        """Upload a scenario: the file as the request body, in any format the readers know."""
        body = await request.body()  # the size middleware has already capped it
        return await run_in_threadpool(parse_upload, body, name, fmt)

    def parse_upload(body: bytes, name: str, fmt: str | None) -> dict[str, Any]:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _problem(
                422, f"the file is not UTF-8 text (bad byte at offset {exc.start})"
            ) from None
        try:
            chosen = fmt or detect_format(name, text)
            s = checked(read_text(text, chosen, file=name, name=name.rsplit(".", 1)[0]))
        except ScenarioError as exc:
            problem = _problem(422, exc)
            raw = _raw(text, chosen) if exc.path else None
            if isinstance(raw, dict) and isinstance(problem.detail, dict):
                problem.detail["data"] = raw
            raise problem from None
        except (StatecraftError, ValueError) as exc:
            raise _problem(422, exc) from None
        return {"id": keep(s), "scenario": s.to_data()}

    @app.get("/api/scenarios/{ref}", dependencies=guard)
    def get_scenario(ref: str) -> dict[str, Any]:
        """A scenario as data (the native format's fields)."""
        return {"id": ref, "scenario": scenario_of(ref).to_data()}

    @app.put("/api/scenarios/{ref}", dependencies=guard, responses={422: {"model": Problem}})
    def put_scenario(ref: str, data: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        """Replace a scenario with edited data (a built-in's name makes a new copy); a
        problem is refused with where it is (``path``), in the command line's words."""
        try:
            s = checked(build_scenario(data, file=None))
        except ScenarioError as exc:
            raise _problem(422, exc) from None
        if ref in builtin_names():
            ref = keep(s)
        else:
            scenario_of(ref)
            with lock:
                scenarios[ref] = s
        return {"id": ref, "scenario": s.to_data()}

    @app.post("/api/validate", dependencies=guard, responses={422: {"model": Problem}})
    def validate(data: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        """Check scenario data without keeping it."""
        try:
            s = checked(build_scenario(data, file=None))
        except ScenarioError as exc:
            raise _problem(422, exc) from None
        return {"ok": True, "actors": len(s.actors), "issues": len(s.issues)}

    @app.get("/api/scenarios/{ref}/download", dependencies=guard)
    def download(ref: str, fmt: str = Query(default="yaml", alias="format")) -> PlainTextResponse:
        """The scenario as a file: yaml (default), json, csv, ktab or decide."""
        s = scenario_of(ref)
        try:
            text = dumps(s, fmt)
        except ScenarioError as exc:
            raise _problem(422, exc) from None
        suffix = {"yaml": "yaml", "json": "json"}.get(fmt, "csv" if fmt != "decide" else "txt")
        return PlainTextResponse(text, headers=_attachment(f"{s.name}.{suffix}"))

    # --- models and runs ---------------------------------------------------------------

    @app.get("/api/models", dependencies=guard)
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

    @app.post("/api/forecast", dependencies=guard, responses={422: {"model": Problem}})
    def run_forecast(req: ForecastRequest) -> dict[str, Any]:
        """Forecast every issue and rank the winners (``statecraft forecast``)."""
        s = scenario_of(req.scenario)
        affordable(s, req.models)
        with slot():
            try:
                result = forecast(s, req.models or None, primary=req.primary, options=req.options)
            except (StatecraftError, ValueError) as exc:
                raise _problem(422, exc) from None
        return {"run_id": recorded(result), "forecast": result.to_dict()}

    @app.post(
        "/api/studies",
        status_code=202,
        dependencies=guard,
        responses={413: {"model": Problem}, 429: {"model": Problem}},
    )
    def start_study(req: StudyRequest) -> dict[str, Any]:
        """Start a Monte Carlo study in the background; poll ``GET /api/studies/{id}``."""
        too_many(req.draws)
        s = scenario_of(req.scenario)
        if req.perturb is not None:
            s = s.with_perturbation(req.perturb)
        affordable(s, [req.model])
        from statecraft.analysis.uncertainty import check_models, simulate

        try:
            check_models(s, [req.model], dict(req.options))
        except (StatecraftError, ValueError) as exc:
            raise _problem(422, exc) from None

        def work(progress: Any) -> tuple[dict[str, Any], Any]:
            result = simulate(
                s, req.model, draws=req.draws, seed=req.seed, options=req.options, progress=progress
            )
            return result.to_dict(), result

        try:
            study = studies.start(
                req.draws,
                work,
                lambda r: recorded(r, parameters={"options": options_for(req.model, req.options)}),
            )
        except Busy as exc:
            raise _problem(429, exc) from None
        return study.to_dict()

    @app.get("/api/studies/{study_id}", dependencies=guard)
    def get_study(study_id: str) -> dict[str, Any]:
        """A study's progress, and its result when done."""
        study = studies.get(study_id)
        if study is None:
            raise _problem(404, f"no study {study_id!r}")
        return study.to_dict()

    @app.delete("/api/studies/{study_id}", dependencies=guard)
    def cancel_study(study_id: str) -> dict[str, Any]:
        """Cancel a running study: it stops and records nothing. A study that has already
        finished its draws is not cancelled: 409, and it is recorded as done."""
        study = studies.cancel(study_id)
        if study is None:
            raise _problem(404, f"no study {study_id!r}")
        if not study.cancel.is_set() and study.status != "cancelled":
            raise _problem(409, f"study {study_id} is {study.status}: too late to cancel it")
        return study.to_dict()

    def patches_of(ref: str, s: Scenario, given: list[str | dict[str, Any]]) -> list[Any]:
        """Patches by a built-in scenario's built-in patch names, or as data; never a file."""
        from statecraft.analysis.counterfactual import builtin_patch, patch_from_data

        if len(given) > limits.patches:
            raise _problem(
                413, f"{len(given)} patches; this server compares at most {limits.patches}"
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
                raise _problem(422, exc) from None
        return out

    @app.post("/api/compare", dependencies=guard, responses={422: {"model": Problem}})
    def run_compare(req: CompareRequest) -> dict[str, Any]:
        """The scenario and its counterfactual patches side by side (``statecraft compare``)."""
        too_many(req.draws, limits.chart_draws)
        from statecraft.analysis.counterfactual import compare

        s = scenario_of(req.scenario)
        affordable(s, [req.model])
        patches = patches_of(req.scenario, s, req.patches)
        with slot():
            try:
                result = compare(s, patches, req.model, draws=req.draws, seed=req.seed)
            except (StatecraftError, ValueError) as exc:
                raise _problem(422, exc) from None
        return {"run_id": recorded(result), "comparison": result.to_dict()}

    @app.post("/api/report", dependencies=guard, response_class=HTMLResponse)
    def make_report(req: ReportRequest) -> HTMLResponse:
        """The self-contained HTML report (``statecraft report``)."""
        too_many(req.draws, limits.chart_draws)
        try:
            from statecraft.report.html import report
        except ImportError:
            raise _problem(
                501, "the report needs statecraft[report] (matplotlib, Jinja2)"
            ) from None
        s = scenario_of(req.scenario)
        affordable(s, None)  # the report runs every one-issue model
        patches = patches_of(req.scenario, s, req.patches)
        with slot():
            try:
                html = report(
                    s, draws=req.draws, seed=req.seed, patches=patches, model=req.model
                ).html()
            except (StatecraftError, ValueError) as exc:
                raise _problem(422, exc) from None
        return HTMLResponse(html, headers=_attachment(f"{s.name}-report.html"))

    @app.post("/api/chart", dependencies=guard, responses={200: {"content": {"image/svg+xml": {}}}})
    def chart(req: ChartRequest) -> PlainTextResponse:
        """One of the report's charts as SVG, for the scenario as it stands."""
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            raise _problem(501, "charts need statecraft[report] (matplotlib, Jinja2)")
        s = scenario_of(req.scenario)
        too_many(req.draws, limits.chart_draws)
        affordable(s, [req.model] if req.kind in ("distributions", "counterfactuals") else None)
        with slot():
            return _draw_chart(req, s)

    def _draw_chart(req: ChartRequest, s: Scenario) -> PlainTextResponse:
        from statecraft.report import charts
        from statecraft.report.html import svg

        try:
            if req.kind == "distributions":
                from statecraft.analysis.uncertainty import simulate

                fig = charts.distributions(simulate(s, req.model, draws=req.draws, seed=req.seed))
            elif req.kind == "counterfactuals":
                from statecraft.analysis.counterfactual import compare

                if not req.patches:
                    raise ValueError("the counterfactuals chart needs at least one patch")
                fig = charts.counterfactuals(
                    compare(s, patches_of(req.scenario, s, req.patches), req.model)
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
            raise _problem(422, exc) from None
        return PlainTextResponse(svg(fig, req.kind), media_type="image/svg+xml")

    @app.get("/api/runs", dependencies=guard)
    def list_runs(limit: int = Query(default=50, ge=1, le=1000)) -> list[dict[str, Any]]:
        """Past runs from the run store, newest first."""
        from statecraft.store import NoStore, StoreError, open_store

        try:
            with open_store(store, create=False) as opened:
                frame = opened.runs(limit=limit)
        except NoStore:
            return []
        except StoreError as exc:
            raise _problem(503, exc) from None
        frame = frame.assign(created=frame["created"].map(lambda t: t.isoformat()))
        clean = frame.astype(object).where(frame.notna(), None)
        return [{str(k): v for k, v in row.items()} for row in clean.to_dict(orient="records")]

    @app.get("/api/runs/{run_id}", dependencies=guard)
    def get_run(run_id: str) -> dict[str, Any]:
        """One past run, whole."""
        from statecraft.store import StoreError, open_store

        try:
            with open_store(store, create=False) as opened:
                return opened.get(run_id).to_dict()
        except StoreError as exc:
            raise _problem(404, exc) from None

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """Whether the server is up (needs no token)."""
        return {"ok": True, "version": __version__, "token": token is not None}

    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("statecraft.web").joinpath("static"))),
        name="static",
    )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        text = resources.files("statecraft.web").joinpath("static", "index.html").read_text("utf-8")
        return HTMLResponse(text)

    return app
