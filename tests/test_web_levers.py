"""The web API of issues 18 and 20: the advise panel's ``POST /api/advise`` and the sweep's
``POST /api/sweep`` (the JSON of ``statecraft advise -f json`` and ``statecraft sweep -f
json``), studies and comparisons of several models, and refusals that name actors and
issues by id; every kind of bad body refused with a sentence, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

import statecraft as sc
from statecraft.cli import app as cli
from statecraft.web import Limits, create_app
from statecraft.web.named import by_id
from tests.conftest import TINY

runner = CliRunner()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = tmp_path_factory.mktemp("web") / "runs.sqlite"
    app = create_app(store=str(store), limits=Limits(chart_draws=5000))
    with TestClient(app, base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def tiny_id(client: Any) -> str:
    answer = client.post(
        "/api/scenarios",
        params={"name": "tiny.yaml"},
        content=yaml.safe_dump(TINY).encode(),
        headers={"Content-Type": "application/yaml"},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _cli_json(tmp_path: Path, *args: str) -> Any:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY))
    done = runner.invoke(cli, [args[0], str(path), *args[1:], "-f", "json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


# --- POST /api/advise ---------------------------------------------------------------------------


def test_advise_answers_in_the_json_of_the_command_line(
    client: Any, tiny_id: str, tmp_path: Path
) -> None:
    answer = client.post(
        "/api/advise", json={"scenario": tiny_id, "actor": "b", "draws": 40, "seed": 3}
    )
    assert answer.status_code == 200, answer.text
    said = _cli_json(tmp_path, "advise", "--actor", "b", "--draws", "40", "--seed", "3")
    assert answer.json() == {"advice": said}
    advice = answer.json()["advice"]
    assert advice["actor"] == "b"
    assert advice["model"] == "compromise"
    assert {"actor", "input", "effect_per_unit", "effect_range"} <= set(advice["levers"][0])


def test_advise_of_an_issue_under_another_model_with_its_options(client: Any, tiny_id: str) -> None:
    body = {
        "scenario": tiny_id,
        "actor": "a",
        "issues": ["tax"],
        "targets": {"tax": 30.0},
        "model": "nash",
        "options": {"utility": "linear"},
        "draws": 0,
        "flips": False,
    }
    answer = client.post("/api/advise", json=body)
    assert answer.status_code == 200, answer.text
    got = answer.json()["advice"]
    want = sc.advise(
        sc.read_text(yaml.safe_dump(TINY), "yaml", name="tiny"),
        "a",
        issues=["tax"],
        targets={"tax": 30.0},
        model="nash",
        options={"utility": "linear"},
        draws=0,
        flips=False,
    ).to_dict()
    assert got == want
    assert got["goal"] == {"kind": "target", "targets": {"tax": 30.0}}
    assert got["flips"] is None
    assert got["issues"] == ["tax"]
    # every lever is on the issue asked (or an actor leaving), none on the date
    assert all(":date:" not in lv["input"] for lv in got["levers"])


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"actor": "zed"}, 422, "has no actor 'zed'; its actors are a, b, c"),
        ({"actor": "a", "issues": ["wages"]}, 422, "has no issue 'wages'; its issues are"),
        ({"actor": "a", "targets": {"wages": 3}}, 422, "has no issue 'wages'"),
        ({"actor": "a", "threshold": 50}, 422, "threshold needs exactly one issue"),
        ({"actor": "a", "draws": -1}, 422, "draws in the request's body: input should be"),
        ({"actor": "a", "draws": 5001}, 413, "5,001 draws asked; this server runs at most 5,000"),
        ({"actor": "a", "seed": -2}, 422, "seed in the request's body"),
        ({"actor": "a", "model": "ouija"}, 422, "ouija"),
        ({"actor": "a", "options": {"rounds": "many"}}, 422, "rounds"),
        ({"actor": "a", "modle": "nash"}, 422, "modle in the request's body is not a field"),
        ({}, 422, "actor in the request's body is missing"),
        ({"actor": "a", "scenario": "nowhere"}, 404, "no scenario 'nowhere'"),
    ],
)
def test_advise_refuses_a_bad_body_in_words(
    client: Any, tiny_id: str, body: dict[str, Any], status: int, words: str
) -> None:
    answer = client.post("/api/advise", json={"scenario": tiny_id, "draws": 0, **body})
    assert answer.status_code == status, answer.text
    assert words in answer.json()["error"]
    assert "Traceback" not in answer.text


def test_advise_refuses_a_slow_model_on_a_large_scenario(client: Any) -> None:
    big = {
        "name": "big",
        "issues": [{"id": f"i{k}", "label": f"I {k}"} for k in range(30)],
        "actors": [
            {
                "id": f"a{n}",
                "capability": 1,
                "stances": {f"i{k}": {"position": n, "salience": 0.5} for k in range(30)},
            }
            for n in range(70)
        ],
    }
    kept = client.post(
        "/api/scenarios",
        params={"name": "big.json"},
        content=json.dumps(big).encode(),
        headers={"Content-Type": "application/octet-stream"},
    ).json()["id"]
    answer = client.post(
        "/api/advise",
        json={"scenario": kept, "actor": "a1", "model": "expected-utility", "draws": 0},
    )
    assert answer.status_code == 413
    assert "at most 2,000 actor-issues" in answer.json()["error"]


# --- POST /api/sweep ------------------------------------------------------------------------------


def test_a_sweep_gives_the_compromise_worked_by_hand(
    client: Any, tiny_id: str, tmp_path: Path
) -> None:
    body = {"scenario": tiny_id, "input": "b:tax:salience", "start": 0, "stop": 1, "steps": 3}
    answer = client.post("/api/sweep", json=body)
    assert answer.status_code == 200, answer.text
    sweep = answer.json()["sweep"]
    # tax under the compromise, sum(c s x) / sum(c s): a 3 x 1 x 60, c 4 (its own on tax)
    # x 0.25 x 100, b 1 x s x 0: 280 / 4 = 70 at s = 0, 280 / 4.5 at 0.5, 280 / 5 = 56 at 1
    tax = [p["forecasts"]["tax"] for p in sweep["points"]]
    assert tax == pytest.approx([70.0, 280 / 4.5, 56.0])
    assert [p["value"] for p in sweep["points"]] == [0.0, 0.5, 1.0]
    assert sweep["inputs"] == ["b:tax:salience"]
    assert sweep["grid"] == [3]
    said = _cli_json(
        tmp_path, "sweep", "--input", "b:tax:salience", "--from", "0", "--to", "1", "--steps", "3"
    )
    assert answer.json() == {"sweep": said}


def test_a_sweep_of_two_inputs_is_a_grid(client: Any, tiny_id: str) -> None:
    body = {
        "scenario": tiny_id,
        "input": "b:tax:salience",
        "start": 0,
        "stop": 1,
        "steps": 2,
        "second": {"input": "a:capability", "start": 1, "stop": 3, "steps": 3},
    }
    answer = client.post("/api/sweep", json=body)
    assert answer.status_code == 200, answer.text
    sweep = answer.json()["sweep"]
    assert sweep["grid"] == [2, 3]
    assert [p["value"] for p in sweep["points"]] == [
        [0.0, 1.0],
        [0.0, 2.0],
        [0.0, 3.0],
        [1.0, 1.0],
        [1.0, 2.0],
        [1.0, 3.0],
    ]
    # b at salience 0 and a's capability 1: (1 x 60 + 4 x 0.25 x 100) / (1 + 1) = 80
    assert sweep["points"][0]["forecasts"]["tax"] == pytest.approx(80.0)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (
            {"steps": 1},
            422,
            "steps in the request's body: input should be greater than or equal to 2",
        ),
        (
            {"steps": 1001},
            422,
            "steps in the request's body: input should be less than or equal to 1000",
        ),
        ({"input": "zed:tax:salience"}, 422, "zed"),
        ({"input": "b:tax:mood"}, 422, "mood"),
        ({"start": 0, "stop": 2}, 422, "b:tax:salience must be from 0 to 1 (got 0 to 2)"),
        ({"start": 0.5, "stop": 0.5}, 422, "goes from 0.5 to the same value"),
        ({"start": "low"}, 422, "start in the request's body"),
        (
            {"second": {"input": "b:tax:salience", "start": 0, "stop": 1}},
            422,
            "a two-input sweep needs two different inputs",
        ),
        (
            {"steps": 100, "second": {"input": "a:capability", "start": 1, "stop": 3, "steps": 51}},
            413,
            "5,100 points asked; this server sweeps at most 5,000 points",
        ),
        (
            {"second": {"input": "a:capability", "begin": 1}},
            422,
            "second.start in the request's body is missing: it is required",
        ),
        ({"from": 0}, 422, "from in the request's body is not a field"),
        ({"scenario": "nowhere"}, 404, "no scenario 'nowhere'"),
    ],
)
def test_a_sweep_refuses_a_bad_body_in_words(
    client: Any, tiny_id: str, body: dict[str, Any], status: int, words: str
) -> None:
    base = {"scenario": tiny_id, "input": "b:tax:salience", "start": 0, "stop": 1, "steps": 3}
    answer = client.post("/api/sweep", json={**base, **body})
    assert answer.status_code == status, answer.text
    assert words in answer.json()["error"]
    assert "Traceback" not in answer.text


# --- studies and comparisons of several models --------------------------------------------------


def test_a_study_runs_every_model_given(client: Any, tiny_id: str) -> None:
    import time

    body = {"scenario": tiny_id, "models": ["compromise", "median"], "draws": 30, "seed": 1}
    started = client.post("/api/studies", json=body)
    assert started.status_code == 202, started.text
    for _ in range(600):
        state = client.get(f"/api/studies/{started.json()['id']}").json()
        if state["status"] not in ("running", "recording"):
            break
        time.sleep(0.05)
    assert state["status"] == "done", state
    result = state["result"]
    assert result["models"] == ["compromise", "median"]
    s = sc.read_text(yaml.safe_dump(TINY), "yaml", name="tiny")
    want = sc.simulate(s, ["compromise", "median"], draws=30, seed=1).to_dict()
    assert result["by_model"] == want["by_model"]
    run = client.get(f"/api/runs/{state['run_id']}").json()
    assert run["models"] == ["compromise", "median"]


def test_a_comparison_runs_every_model_given_with_its_draws(client: Any) -> None:
    body = {
        "scenario": "karabakh-2020",
        "patches": ["us-engaged"],
        "models": ["compromise", "median"],
        "draws": 200,
    }
    answer = client.post("/api/compare", json=body)
    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert [c["model"] for c in got["comparisons"]] == ["compromise", "median"]
    s = sc.load("karabakh-2020")
    from statecraft.api import builtin_patch

    for c in got["comparisons"]:
        want = sc.compare(s, [builtin_patch(s, "us-engaged")], c["model"], draws=200).to_dict()
        assert c["comparison"] == json.loads(json.dumps(want))
        assert c["comparison"]["verdicts"]["draws"] == 200
        assert c["run_id"] is not None
    assert got["comparison"] == got["comparisons"][0]["comparison"]
    assert got["run_id"] == got["comparisons"][0]["run_id"]


@pytest.mark.parametrize("path", ["/api/studies", "/api/compare"])
@pytest.mark.parametrize(
    ("extra", "status", "words"),
    [
        ({"model": "median", "models": ["nash"]}, 422, "give model or models, not both"),
        ({"models": ["median", "median"]}, 422, "models names median twice"),
        ({"models": []}, 422, "models in the request's body: list should have at least 1 item"),
        ({"models": ["ouija"]}, 422, "ouija"),
    ],
)
def test_several_models_refused_in_words(
    client: Any, path: str, extra: dict[str, Any], status: int, words: str
) -> None:
    body: dict[str, Any] = {"scenario": "karabakh-2020", "draws": 10, **extra}
    if path == "/api/compare":
        body["patches"] = ["us-engaged"]
    answer = client.post(path, json=body)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["error"]


def test_the_draws_of_a_comparison_count_for_each_model(client: Any) -> None:
    body = {
        "scenario": "karabakh-2020",
        "patches": ["us-engaged"],
        "models": ["compromise", "median"],
        "draws": 3000,
    }
    answer = client.post("/api/compare", json=body)
    assert answer.status_code == 413
    assert (
        "6,000 draws asked; this server runs at most 5,000 in one request" in answer.json()["error"]
    )


# --- refusals that name actors and issues by id --------------------------------------------------


def test_a_refusal_names_the_actor_by_id(client: Any) -> None:
    data = client.get("/api/scenarios/karabakh-2020").json()["scenario"]
    iran = [a["id"] for a in data["actors"]].index("iran")
    data["actors"][iran]["capability"] = -1
    for answer in (
        client.post("/api/validate", json=data),
        client.put("/api/scenarios/karabakh-2020", json=data),
    ):
        assert answer.status_code == 422
        body = answer.json()
        assert body["error"].startswith("actor iran, capability: capability must be greater")
        assert "actors[" not in body["error"]
        assert body["path"] == ["actors", iran, "capability"]  # where the page finds the cell
        assert body["at"] == ["actors", "iran", "capability"]


def test_an_uploaded_file_that_does_not_hold_names_the_issue_by_id(client: Any) -> None:
    bad = json.loads(json.dumps(TINY))
    bad["issues"][1]["status_quo"] = 11  # the date's scale is 0..10
    answer = client.post(
        "/api/scenarios",
        params={"name": "bad.yaml"},
        content=yaml.safe_dump(bad).encode(),
        headers={"Content-Type": "application/yaml"},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"].startswith("bad.yaml")
    assert "(issue date, status_quo): status_quo 11 lies outside" in body["error"]
    assert body["at"] == ["issues", "date", "status_quo"]


def test_by_id_names_what_it_can_and_keeps_an_index_where_the_id_is_not_unique() -> None:
    data = {"actors": [{"id": "x"}, {"id": "y"}, {"id": "y"}, {"name": "no id"}]}
    assert by_id("actors[0].capability: too small", ["actors", 0, "capability"], data) == (
        "actor x, capability: too small",
        ["actors", "x", "capability"],
    )
    # y is given twice: the index stays, in the sentence and the place
    assert by_id("actors[2].id: twice", ["actors", 2, "id"], data) == (
        "actors[2].id: twice",
        ["actors", 2, "id"],
    )
    assert by_id("actors[0]: bad (first used by actors[3])", ["actors", 0], data) == (
        "actor x: bad (first used by actors[3])",
        ["actors", "x"],
    )
    # no data (a file that did not parse): as it was
    assert by_id("issues[0].label: empty", ["issues", 0, "label"], None) == (
        "issues[0].label: empty",
        ["issues", 0, "label"],
    )
    # an index past the end, or a path that is not the scenario's list, stays
    assert by_id("actors[9].x: y", ["actors", 9, "x"], data)[1] == ["actors", 9, "x"]
    assert by_id("z", ["issues", "actors", 0], {"issues": []})[1] == ["issues", "actors", 0]


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        (
            "/api/advise",
            '{"scenario": "karabakh-2020", "actor": "armenia", "targets": {"territory": NaN}}',
            "a target for territory must lie on its scale, 0 to 100 (got nan)",
        ),
        (
            "/api/advise",
            '{"scenario": "karabakh-2020", "actor": "armenia", "targets": {"territory": 500}}',
            "a target for territory must lie on its scale, 0 to 100 (got 500.0)",
        ),
        (
            "/api/advise",
            '{"scenario": "karabakh-2020", "actor": "armenia", "issues": ["territory"], '
            '"threshold": Infinity}',
            "threshold must be a finite number (got inf)",
        ),
        (
            "/api/sweep",
            '{"scenario": "karabakh-2020", "input": "usa:peacekeepers:salience", '
            '"start": NaN, "stop": 1}',
            "the ends of the sweep of usa:peacekeepers:salience must be finite numbers",
        ),
    ],
)
def test_numbers_off_their_scale_or_not_finite_are_refused(
    client: Any, path: str, body: str, words: str
) -> None:
    answer = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == words
