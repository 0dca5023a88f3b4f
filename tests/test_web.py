"""The web app's API: scenarios, validation at the cell, forecasts, studies in the background
with progress and cancel, counterfactuals, reports, past runs, limits, the token."""

from __future__ import annotations

import copy
import html
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")
from fastapi.testclient import TestClient

import statecraft as sc
from statecraft.cli import app as cli
from statecraft.web import Limits, create_app
from tests.conftest import SHARED_DATA, TINY, requires_shared

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> str:
    return str(tmp_path / "runs.sqlite")


@pytest.fixture
def client(store: str) -> Any:
    with _client(store) as c:
        yield c


def _client(store: str, **kw: Any) -> Any:
    """A test client of the app, calling it by a local name (the app refuses others)."""
    return TestClient(create_app(store=store, **kw), base_url="http://localhost")


def _upload(client: Any, data: Any, name: str = "tiny.yaml") -> Any:
    return client.post(
        "/api/scenarios",
        params={"name": name},
        content=yaml.safe_dump(data).encode(),
        headers={"Content-Type": "application/yaml"},
    )


def _wait(client: Any, study_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(f"/api/studies/{study_id}").json()
        if state["status"] not in ("running", "recording"):
            return state
        time.sleep(0.05)
    raise AssertionError("the study did not end")


def test_health_models_and_scenarios(client: Any) -> None:
    assert client.get("/api/health").json()["ok"] is True
    models = {m["name"]: m for m in client.get("/api/models").json()}
    assert models["expected-utility"]["options"]["rounds"] == 8
    assert models["spatial"]["linked"] is True
    listed = client.get("/api/scenarios").json()
    karabakh = next(s for s in listed["builtin"] if s["id"] == "karabakh-2020")
    assert "us-engaged" in karabakh["patches"]
    schema = client.get("/openapi.json").json()
    for path in ("/api/scenarios", "/api/forecast", "/api/studies", "/api/runs"):
        assert path in schema["paths"]


def test_upload_edit_download(client: Any) -> None:
    made = _upload(client, TINY)
    assert made.status_code == 201
    ref = made.json()["id"]
    assert client.get("/api/scenarios").json()["uploaded"][0]["id"] == ref
    got = client.get(f"/api/scenarios/{ref}").json()["scenario"]
    assert got["name"] == "tiny"
    text = client.get(f"/api/scenarios/{ref}/download").text
    assert yaml.safe_load(text)["actors"][0]["id"] == "a"
    for fmt, first in (("json", "{"), ("csv", "actor,issue"), ("decide", "'#A'")):
        got_text = client.get(f"/api/scenarios/{ref}/download", params={"format": fmt}).text
        assert got_text.startswith(first)
    before = client.post("/api/forecast", json={"scenario": ref, "models": ["compromise"]})
    edited = copy.deepcopy(got)
    edited["actors"][1]["stances"]["tax"]["salience"] = 1.0  # Beta cares more about tax
    assert client.put(f"/api/scenarios/{ref}", json=edited).status_code == 200
    after = client.post("/api/forecast", json={"scenario": ref, "models": ["compromise"]})
    tax = lambda r: r.json()["forecast"]["issues"]["tax"]["forecast"]["compromise"]  # noqa: E731
    assert tax(after) < tax(before)  # Beta, at 0, pulls harder


def test_errors_name_the_cell_in_the_command_lines_words(client: Any, tmp_path: Path) -> None:
    bad = copy.deepcopy(TINY)
    bad["actors"][0]["stances"]["tax"]["salience"] = 7
    answer = _upload(client, bad)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["path"] == ["actors", 0, "stances", "tax", "salience"]
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(bad))
    cli_says = runner.invoke(cli, ["validate", str(path)]).output
    assert problem["error"].split(": ", 1)[1] in cli_says  # the same words, less the file
    assert problem["line"] is not None
    assert problem["data"]["actors"][0]["stances"]["tax"]["salience"] == 7  # to show it
    checked = client.post("/api/validate", json=bad)
    assert checked.status_code == 422
    assert checked.json()["path"] == ["actors", 0, "stances", "tax", "salience"]
    assert client.post("/api/validate", json=TINY).json()["ok"] is True


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"\xff\xfe not text", 422, "is UTF-16 text (it starts with a UTF-16 byte-order mark)"),
        (b"caf\xe9: 1", 422, "not UTF-8 text: byte 0xe9 at column 4"),
        (b"name: x\nissues: [", 422, "YAML"),
        (b"x" * 2_000, 413, "at most 1,000"),
    ],
)
def test_upload_refusals(store: str, body: bytes, status: int, message: str) -> None:
    with _client(store, limits=Limits(upload_bytes=1000)) as c:
        answer = c.post(
            "/api/scenarios",
            params={"name": "x.yaml"},
            content=body,
            headers={"Content-Type": "application/octet-stream"},
        )
    assert answer.status_code == status
    assert message in answer.json()["error"]


def test_size_limits(store: str) -> None:
    with _client(store, limits=Limits(actors=2, draws=100)) as c:
        answer = _upload(c, TINY)
        assert answer.status_code == 413
        assert "3 actors; this server takes at most 2" in answer.json()["error"]
        study = c.post("/api/studies", json={"scenario": "karabakh-2020", "draws": 101})
        assert study.status_code == 413
        assert "at most 100 per study" in study.json()["error"]


def test_no_path_is_ever_read(client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(yaml.safe_dump(TINY))
    # files named like a built-in scenario or patch, where the server runs, are not read
    monkeypatch.chdir(tmp_path)
    (tmp_path / "karabakh-2020").write_text(yaml.safe_dump(TINY))
    (tmp_path / "us-engaged").write_text("name: x\nassumes: y\nchanges: []\n")
    answer = client.post("/api/forecast", json={"scenario": "karabakh-2020"})
    assert answer.json()["forecast"]["scenario"] == "karabakh-2020"
    compared = client.post(
        "/api/compare", json={"scenario": "karabakh-2020", "patches": ["us-engaged"]}
    )
    assert compared.status_code == 200
    for ref in (str(secret), "../../etc/passwd", "/etc/passwd"):
        answer = client.post("/api/forecast", json={"scenario": ref})
        assert answer.status_code == 404
    compare = client.post(
        "/api/compare", json={"scenario": "karabakh-2020", "patches": [str(secret)]}
    )
    assert compare.status_code == 422
    assert "no built-in patch" in compare.json()["error"]


def test_forecast_is_recorded_and_runs_are_listed(client: Any) -> None:
    assert client.get("/api/runs").json() == []  # no store yet
    answer = client.post(
        "/api/forecast", json={"scenario": "karabakh-2020", "models": ["compromise", "nash"]}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["forecast"]["primary_model"] == "compromise"
    runs = client.get("/api/runs").json()
    assert [r["id"] for r in runs] == [body["run_id"]]
    run = client.get(f"/api/runs/{body['run_id']}").json()
    assert run["command"] == "forecast"
    assert run["arguments"] == {"via": "web"}
    assert client.get("/api/runs/ffffffff").status_code == 404


def test_forecast_errors(client: Any) -> None:
    answer = client.post(
        "/api/forecast", json={"scenario": "karabakh-2020", "models": ["astrology"]}
    )
    assert answer.status_code == 422
    assert "unknown model 'astrology'" in answer.json()["error"]


def test_a_study_runs_in_the_background_and_finishes(client: Any) -> None:
    started = client.post(
        "/api/studies", json={"scenario": "karabakh-2020", "draws": 3000, "seed": 2}
    )
    assert started.status_code == 202
    state = _wait(client, started.json()["id"])
    assert state["status"] == "done"
    assert state["done"] == state["total"] == 3000
    assert state["result"]["draws"] == 3000
    runs = client.get("/api/runs").json()
    assert runs[0]["id"] == state["run_id"]
    assert runs[0]["command"] == "simulate"


def test_a_cancelled_study_records_nothing(client: Any) -> None:
    started = client.post(
        "/api/studies",
        json={"scenario": "karabakh-2020", "model": "expected-utility", "draws": 100_000},
    ).json()
    cancelled = client.delete(f"/api/studies/{started['id']}")
    assert cancelled.status_code == 200
    state = _wait(client, started["id"])
    assert state["status"] == "cancelled"
    assert state["result"] is None
    assert client.get("/api/runs").json() == []
    assert client.get("/api/studies/nope").status_code == 404


def test_two_studies_at_once_both_finish(client: Any) -> None:
    ids = [
        client.post(
            "/api/studies", json={"scenario": "karabakh-2020", "draws": 20_000, "seed": seed}
        ).json()["id"]
        for seed in (1, 2)
    ]
    states = [_wait(client, i) for i in ids]
    assert [s["status"] for s in states] == ["done", "done"]
    assert states[0]["result"] != states[1]["result"]  # two seeds, two studies
    recorded = {r["id"] for r in client.get("/api/runs").json()}
    assert {s["run_id"] for s in states} <= recorded


def test_studies_beyond_the_limit_are_refused(store: str) -> None:
    with _client(store, limits=Limits(studies=1)) as c:
        slow = {"scenario": "karabakh-2020", "model": "expected-utility", "draws": 100_000}
        first = c.post("/api/studies", json=slow).json()
        second = c.post("/api/studies", json=slow)
        assert second.status_code == 429
        assert (
            "1 studies are running, the most this server runs at once" in (second.json()["error"])
        )
        c.delete(f"/api/studies/{first['id']}")
        _wait(c, first["id"])
        quick = {"scenario": "karabakh-2020", "draws": 500}
        assert c.post("/api/studies", json=quick).status_code == 202


def test_compare_and_report(client: Any) -> None:
    answer = client.post(
        "/api/compare", json={"scenario": "karabakh-2020", "patches": ["us-engaged"]}
    )
    assert answer.status_code == 200
    scenarios = {r["scenario"] for r in answer.json()["comparison"]["forecasts"]}
    assert scenarios == {"base", "us-engaged"}
    pytest.importorskip("matplotlib")
    report = client.post("/api/report", json={"scenario": "karabakh-2020"})
    assert report.status_code == 200
    assert '<section id="forecast">' in report.text
    assert "attachment" in report.headers["content-disposition"]


def test_the_bottom_line(client: Any) -> None:
    answer = client.post(
        "/api/brief",
        json={"scenario": "karabakh-2020", "models": ["median", "nash"], "draws": 100},
    )
    assert answer.status_code == 200, answer.text
    b = answer.json()["brief"]
    assert b["models"] == ["median", "nash"]
    assert b["draws"] == 100
    assert {"actor", "p_biggest", "p_gain", "median", "interval80"} <= set(b["winners"][0])
    assert sum(w["p_biggest"] for w in b["winners"]) == pytest.approx(1.0)
    assert "models_disagree" in [f["kind"] for f in b["flags"]]
    assert b["issues"]["territory"]["calibrated"] == ["median", "nash"]
    plain = client.post(
        "/api/brief",
        json={"scenario": "karabakh-2020", "models": ["median"], "draws": 50, "model_error": False},
    ).json()["brief"]
    assert plain["issues"]["status"]["calibrated"] == []
    assert plain["issues"]["status"]["interval80"] == plain["issues"]["status"]["inputs80"]
    too_many = client.post("/api/brief", json={"scenario": "karabakh-2020", "draws": 10**6})
    assert too_many.status_code == 413
    assert "draws asked" in too_many.json()["error"]
    unknown = client.post("/api/brief", json={"scenario": "karabakh-2020", "models": ["nope"]})
    assert unknown.status_code == 422
    assert "unknown model 'nope'" in unknown.json()["error"]
    weights = client.post(
        "/api/brief", json={"scenario": "karabakh-2020", "weights": "best", "draws": 10}
    )
    assert weights.status_code == 422
    assert "unknown weight rule 'best'" in weights.json()["error"]


def test_the_chart_kinds_come_from_the_registry(client: Any) -> None:
    kinds = {c["kind"]: c for c in client.get("/api/charts").json()}
    assert list(kinds) == [
        "trajectories",
        "issue-map",
        "winners",
        "quadrant",
        "confrontations",
        "distributions",
        "tornado",
        "counterfactuals",
        "risk",
        "backtest",
        "timeline",
        "sweep",
        "sweep-map",
    ]
    assert kinds["risk"]["needs"] == "risk"
    assert kinds["timeline"]["reads"] == "timeline"
    assert kinds["trajectories"]["needs"] == "forecast"
    assert kinds["trajectories"]["details"] == "trajectory_records"
    assert kinds["trajectories"]["per_issue"] is True
    assert kinds["quadrant"]["requires"] == ["actor"]
    assert kinds["backtest"]["reads"] == "deu-table"
    assert kinds["tornado"]["needs"] == "sensitivity"
    models = client.get("/api/models").json()
    assert [m["name"] for m in models if m["default"]] == ["compromise"]  # the first registered
    assert {m["name"]: m["cost"] for m in models}["expected-utility"] == "slow"


def test_the_timeline_chart_is_refused_with_its_reason(client: Any) -> None:
    answer = client.post("/api/chart", json={"scenario": "karabakh-2020", "kind": "timeline"})
    assert answer.status_code == 422
    assert "drawn from a timeline" in answer.json()["error"]


def test_a_forecast_says_which_charts_its_details_allow(client: Any) -> None:
    def met(models: list[str]) -> list[str]:
        body = {"scenario": "karabakh-2020", "models": models}
        charts: list[str] = client.post("/api/forecast", json=body).json()["charts"]
        return charts

    assert met(["compromise", "nash"]) == ["issue-map", "winners"]  # no model bargains in rounds
    assert met(["compromise", "expected-utility"]) == [
        "trajectories",
        "issue-map",
        "winners",
        "quadrant",
        "confrontations",
    ]


def test_every_chart_kind_is_drawn(client: Any, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from tests.test_deu import _table

    k = "karabakh-2020"
    table = _table(tmp_path).read_text()
    # Each kind, and a title only that chart has (the SVG keeps text as text).
    for body, title in (
        ({"scenario": k, "kind": "issue-map"}, "44-day war: positions"),
        ({"scenario": k, "kind": "winners", "models": ["median"]}, "forecast (median)"),
        ({"scenario": k, "kind": "trajectories", "issue": "territory"}, "round by round"),
        ({"scenario": k, "kind": "trajectories"}, "Territory passing"),  # the first issue
        (
            {"scenario": k, "kind": "quadrant", "actor": "russia", "issue": "status"},
            "Russia's view",
        ),
        ({"scenario": k, "kind": "confrontations"}, "Dyads headed for confrontation"),
        ({"scenario": k, "kind": "distributions", "draws": 500}, "forecast over 500 draws"),
        ({"scenario": k, "kind": "tornado", "issue": "status"}, "forecast of status most"),
        ({"scenario": k, "kind": "counterfactuals", "patches": ["us-engaged"]}, "us-engaged"),
        ({"kind": "backtest", "table": table, "models": ["compromise"]}, "Errors per model"),
    ):
        answer = client.post("/api/chart", json=body)
        assert answer.status_code == 200, (body["kind"], answer.text)
        assert answer.headers["content-type"].startswith("image/svg+xml")
        assert answer.text.startswith("<svg")
        assert title in html.unescape(answer.text), body["kind"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "pie"}, "unknown chart 'pie'"),
        ({"kind": "quadrant"}, "the quadrant chart needs an actor"),
        ({"kind": "counterfactuals"}, "needs at least one patch"),
        ({"kind": "tornado", "issue": "nope"}, "unknown issue 'nope'"),
        ({"kind": "backtest"}, "needs a DEU table"),
        (
            {"kind": "trajectories", "models": ["compromise"]},
            "needs a model that gives rounds of bargaining",
        ),
    ],
)
def test_bad_chart_requests(client: Any, body: dict[str, Any], message: str) -> None:
    pytest.importorskip("matplotlib")
    answer = client.post("/api/chart", json={"scenario": "karabakh-2020", **body})
    assert answer.status_code == 422
    assert message in answer.json()["error"]


def test_the_token(store: str) -> None:
    with _client(store, token="s3cret") as c:
        assert c.get("/api/health").status_code == 200  # needs no token
        assert c.get("/api/models").status_code == 401
        wrong = c.get("/api/models", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert "needs its token" in wrong.json()["error"]
        right = c.get("/api/models", headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200


def test_the_page_and_its_files(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "<title>Statecraft</title>" in page.text
    import re

    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts[0] == "/static/core.js"
    assert scripts[-1] == "/static/app.js"
    for path in (*scripts, "/static/app.css"):
        served = client.get(path)
        assert served.status_code == 200
        # each of the page's modules stays readable: under 500 lines
        assert served.text.count("\n") < 500, path
    assert client.get("/static/../app.py").status_code == 404


def test_slow_models_on_large_scenarios_and_busy_servers(store: str) -> None:
    with _client(store, limits=Limits(heavy_cells=10)) as c:
        slow = c.post(
            "/api/forecast", json={"scenario": "karabakh-2020", "models": ["expected-utility"]}
        )
        assert slow.status_code == 413
        assert "9 actors x 5 issues" in slow.json()["error"]
        assert "at most 10 actor-issues" in slow.json()["error"]
        quick = c.post("/api/forecast", json={"scenario": "karabakh-2020", "models": ["median"]})
        assert quick.status_code == 200
    with _client(store, limits=Limits(runs=0)) as c:
        busy = c.post("/api/forecast", json={"scenario": "karabakh-2020", "models": ["median"]})
        assert busy.status_code == 429
        assert "0 runs are in progress" in busy.json()["error"]


@requires_shared
def test_a_slow_model_on_the_development_tables_backtest_is_refused(store: str) -> None:
    with _client(store, limits=Limits(heavy_cells=10)) as c:  # the backtest's DEU table
        table = (SHARED_DATA / "deu3" / "deu3-dev.tsv").read_text()
        body = {"kind": "backtest", "table": table, "models": ["expected-utility"]}
        slow = c.post("/api/chart", json=body)
        assert slow.status_code == 413
        assert "on a DEU table of 4,987 actor-issues" in slow.json()["error"]


def test_slow_is_the_models_cost_not_its_name(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web app refuses a model by its ``cost`` metadata: a fast model declared slow is
    refused too, and a slow one declared fast runs."""
    from statecraft.web import deps

    real = deps.available_models()
    swapped = {
        name: type(cls.__name__, (cls,), {"cost": "fast" if cls.cost == "slow" else "slow"})
        for name, cls in real.items()
    }
    monkeypatch.setattr(deps, "available_models", lambda: swapped)
    with _client(store, limits=Limits(heavy_cells=10)) as c:
        for name, cls in real.items():
            if cls.links_issues:
                continue
            body = {"scenario": "karabakh-2020", "models": [name]}
            answer = c.post("/api/forecast", json=body)
            assert answer.status_code == (413 if cls.cost == "fast" else 200), name


def test_patches_never_lead_outside_the_package(client: Any) -> None:
    data = yaml.safe_load(yaml.safe_dump(TINY))
    data["name"] = "../../../../etc"
    ref = _upload(client, data).json()["id"]
    answer = client.post("/api/compare", json={"scenario": ref, "patches": ["passwd"]})
    assert answer.status_code == 422
    assert "is not a built-in scenario" in answer.json()["error"]
    bad = {"name": "p", "assumes": "x", "changes": []}
    answer = client.post("/api/compare", json={"scenario": ref, "patches": [bad]})
    assert answer.status_code == 422
    assert answer.json()["path"] == ["changes"]
    assert "pydantic" not in answer.json()["error"]
    many = client.post(
        "/api/compare", json={"scenario": "karabakh-2020", "patches": ["us-engaged"] * 11}
    )
    assert many.status_code == 413


def test_any_name_downloads(client: Any) -> None:
    data = yaml.safe_load(yaml.safe_dump(TINY))
    data["name"] = 'Αθήνα "quoted"'
    ref = _upload(client, data).json()["id"]
    answer = client.get(f"/api/scenarios/{ref}/download")
    assert answer.status_code == 200
    assert "filename*=UTF-8''" in answer.headers["content-disposition"]


def test_a_finished_study_cannot_be_cancelled(client: Any) -> None:
    started = client.post("/api/studies", json={"scenario": "karabakh-2020", "draws": 500})
    state = _wait(client, started.json()["id"])
    assert state["status"] == "done"
    late = client.delete(f"/api/studies/{state['id']}")
    assert late.status_code == 409
    assert "too late to cancel" in late.json()["error"]
    assert client.get(f"/api/runs/{state['run_id']}").status_code == 200


def test_patches_stack_into_one_counterfactual(client: Any) -> None:
    k = "karabakh-2020"
    by_name = client.post(
        "/api/compare", json={"scenario": k, "patches": ["us-engaged+eu-engaged"]}
    )
    assert by_name.status_code == 200, by_name.text
    by_list = client.post(
        "/api/compare", json={"scenario": k, "patches": [["us-engaged", "eu-engaged"]]}
    )
    assert by_list.status_code == 200, by_list.text
    a, b = (r.json()["comparison"] for r in (by_name, by_list))
    assert [p["name"] for p in a["patches"]] == ["us-engaged+eu-engaged"]
    assert a["patches"][0]["parts"] == ["us-engaged", "eu-engaged"]
    assert a["forecasts"] == b["forecasts"]
    # us-engaged alone sets the United States' salience on status to 0.7 (its file) and
    # eu-engaged the EU's to 0.6: the stack's status forecast is neither patch's alone
    alone = client.post(
        "/api/compare", json={"scenario": k, "patches": ["us-engaged", "eu-engaged"]}
    ).json()["comparison"]["forecasts"]

    def status(rows: list[dict[str, Any]], label: str) -> float:
        return next(
            r["forecast"] for r in rows if r["scenario"] == label and r["issue"] == "status"
        )

    stacked = status(a["forecasts"], "us-engaged+eu-engaged")
    assert stacked not in (status(alone, "us-engaged"), status(alone, "eu-engaged"))


@pytest.mark.parametrize(
    ("patches", "status", "message"),
    [
        (["us-engaged++eu-engaged"], 422, "an empty patch name in 'us-engaged++eu-engaged'"),
        (["us-engaged+nope"], 422, "no built-in patch 'nope'"),
        (["us-engaged+us-engaged"], 422, "patch 'us-engaged' is stacked twice"),
        (["russia-absent+eu-engaged"] * 6, 413, "12 patches; this server compares at most 10"),
        (
            [
                [
                    "russia-absent",
                    {
                        "name": "edit",
                        "assumes": "x",
                        "changes": [{"set": "capability", "actor": "russia", "value": 1}],
                    },
                ]
            ],
            422,
            "patches 'russia-absent' and 'edit' cannot be stacked",
        ),
        ([[3]], 422, "input should be a valid string"),
    ],
)
def test_bad_stacks_are_refused(client: Any, patches: Any, status: int, message: str) -> None:
    answer = client.post("/api/compare", json={"scenario": "karabakh-2020", "patches": patches})
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]


def test_the_risk_of_a_settlement(client: Any) -> None:
    answer = client.post("/api/risk", json={"scenario": "karabakh-2020", "draws": 200, "seed": 1})
    assert answer.status_code == 200, answer.text
    r = answer.json()["risk"]
    assert r == sc.risk("karabakh-2020", draws=200, seed=1).to_dict()
    top = {r["dyads"][0]["a"], r["dyads"][0]["b"]}
    assert "azerbaijan" in top  # with Artsakh on the recoded scenario, or Armenia
    assert top & {"armenia", "artsakh"}
    assert {"a", "b", "risk", "interval80"} <= set(r["dyads"][0])
    shifted = client.post(
        "/api/risk",
        json={
            "scenario": "karabakh-2020",
            "previous": "karabakh-2020",
            "draws": 20,
            "settlement": "actual",
            "dyad": ["azerbaijan", "armenia"],
        },
    ).json()["risk"]
    assert shifted["previous"] == "karabakh-2020"
    assert shifted["focus"] == ["azerbaijan", "armenia"]
    assert all(d["shift"]["mean"] == 0.0 for d in shifted["dyads"])  # the same moment twice
    no_settlement = client.post("/api/risk", json={"scenario": "ec-emissions-1994", "draws": 10})
    assert no_settlement.status_code == 422
    assert "needs a settlement" in no_settlement.json()["error"]
    too_many = client.post("/api/risk", json={"scenario": "karabakh-2020", "draws": 10**6})
    assert too_many.status_code == 413
    for body in (
        {"scenario": "karabakh-2020", "settlement": "later"},
        {"scenario": "karabakh-2020", "dyad": ["azerbaijan"]},
        {"scenario": "karabakh-2020", "dyad": ["azerbaijan", "mars"], "draws": 10},
        {"scenario": "karabakh-2020", "draws": 0},
        {"scenario": "karabakh-2020", "colour": "red"},
        {"scenario": "no-such-scenario"},
    ):
        bad = client.post("/api/risk", json=body)
        assert bad.status_code in (404, 422), (body, bad.text)
