"""The backtest: errors by hand on a small DEU table, intervals, the command line."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statecraft.analysis.backtest import backtest
from statecraft.cli import app
from statecraft.io.deu import read_deu
from tests.conftest import SHARED_DATA, requires_shared
from tests.test_deu import ROWS, _table

runner = CliRunner()


def test_errors_by_hand(tmp_path: Path) -> None:
    result = backtest(read_deu(_table(tmp_path)), replicates=200)
    scores = {s.model: s for s in result.scores}
    # p1i1 (outcome 50): compromise 110/2.3; p1i2 (outcome 20): (0*1 + 100*0.5)/1.5
    first, second = abs(110 / 2.3 - 50), abs(50 / 1.5 - 20)
    assert scores["compromise"].mae == pytest.approx((first + second) / 2)
    assert scores["compromise"].rmse == pytest.approx(((first**2 + second**2) / 2) ** 0.5)
    # baselines: status quo only where there is a reference point; the Commission 100 and 0
    assert (scores["status-quo"].n, scores["status-quo"].mae) == (1, 50.0)
    assert scores["commission"].mae == pytest.approx((50 + 20) / 2)
    assert scores["mean"].mae == pytest.approx((abs(160 / 3 - 50) + 30) / 2)
    assert scores["median-position"].mae == pytest.approx((10 + 30) / 2)
    # one proposal only: every bootstrap resample is the whole table
    assert scores["compromise"].mae_ci == pytest.approx((scores["compromise"].mae,) * 2)
    assert scores["mean"].vs_compromise == pytest.approx(
        scores["mean"].mae - scores["compromise"].mae
    )
    # nash needs a status quo: it forecasts only the first issue
    assert scores["nash"].n == 1


def test_bootstrap_resamples_proposals(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        [
            "p9",
            "p9i1",
            "Other",
            "COD",
            "QMV",
            "01-01-05",
            "10",
            "90",
            "",
            "",
            "50",
            "50",
            "",
            "",
            "0",
            "90",
        ],
    ]
    result = backtest(read_deu(_table(tmp_path, rows)), ["compromise"], replicates=500, seed=3)
    (score,) = result.scores
    low, high = score.mae_ci
    assert low < score.mae < high  # two proposals: the resamples differ
    again = backtest(read_deu(_table(tmp_path, rows)), ["compromise"], replicates=500, seed=3)
    assert again.scores[0].mae_ci == score.mae_ci


def test_groups_by_procedure_and_rule(tmp_path: Path) -> None:
    result = backtest(read_deu(_table(tmp_path)), ["compromise"], replicates=50)
    assert set(result.by_group) == {"procedure: COD", "voting rule: QMV"}
    assert result.by_group["procedure: COD"]["compromise"][0] == 2


def test_backtest_cli(tmp_path: Path) -> None:
    path = _table(tmp_path)
    table = runner.invoke(app, ["backtest", str(path), "--replicates", "50"])
    assert table.exit_code == 0, table.output
    assert "compromise" in table.output
    assert "no outcome: 1" in table.output
    data = json.loads(
        runner.invoke(app, ["backtest", str(path), "-f", "json", "--replicates", "50"]).output
    )
    assert data["issues"] == 2
    assert data["leaderboard"][0]["model"] in {"compromise", "mean"}
    csv_out = runner.invoke(app, ["backtest", str(path), "-f", "csv", "--replicates", "50"]).output
    assert csv_out.splitlines()[0].startswith(
        "issue,proposal,procedure,voting_rule,actual,compromise"
    )
    out = tmp_path / "out"
    runner.invoke(
        app, ["backtest", str(path), "--out", str(out), "--replicates", "50", "-m", "mean"]
    )
    assert (out / "forecasts.csv").exists()
    assert "| mean |" in (out / "leaderboard.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "oracle"], "unknown model or baseline 'oracle'"),
        (["--capability", "gdp"], "unknown capability rule 'gdp'"),
        (["-o", "colour=1"], "unknown option 'colour'"),
    ],
)
def test_backtest_cli_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["backtest", str(_table(tmp_path)), *args])
    assert result.exit_code == 2
    assert message in result.output


@requires_shared
def test_development_file_leaderboard(dev_backtest: Any) -> None:
    scores = {s.model: s for s in dev_backtest.scores}
    assert f"{scores['compromise'].mae:.1f}" == "23.7"
    assert scores["status-quo"].mae > scores["compromise"].mae


@requires_shared
def test_docs_leaderboard_is_current(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "backtest.md").read_text()
    quoted = page.split("<!-- leaderboard -->\n")[1].split("<!-- /leaderboard -->")[0]
    out = tmp_path / "out"
    families = ["sq-blend", "salience-power", "capability", "combination"]
    args = ["backtest", str(SHARED_DATA / "deu3" / "deu3-dev.tsv"), "--out", str(out), "--cv"]
    result = runner.invoke(app, args + [f"--family={f}" for f in families])
    assert result.exit_code == 0, result.output
    command = " ".join(page.split("## Leaderboard")[1].split("`")[1].split())
    assert quoted == (out / "leaderboard.md").read_text(), (
        "docs/backtest.md's leaderboard is stale: run `" + command + "` and paste DIR/"
        "leaderboard.md between its <!-- leaderboard --> markers"
    )
    assert command.endswith(" ".join(f"--family {f}" for f in families) + " --out DIR")


@requires_shared
def test_docs_generated_tables_are_current() -> None:
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "backtest_tables", root / "docs" / "backtest_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (root / "docs" / "backtest.md").read_text()
    for name, text in module.tables(SHARED_DATA / "deu3" / "deu3-dev.tsv").items():
        assert page.split(f"<!-- {name} -->\n")[1].split(f"<!-- /{name} -->")[0] == text


@requires_shared
def test_readme_backtest_figures_are_current(dev_backtest: Any) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    scores = {s.model: s for s in dev_backtest.scores}
    text = " ".join(readme.split())
    assert (
        f"the compromise model has a mean absolute error of {scores['compromise'].mae:.1f}" in text
    )
    assert f"the expected utility model {scores['expected-utility'].mae:.1f}" in text
    assert f"the status quo {scores['status-quo'].mae:.1f}" in text


def test_linked_models_run_per_proposal(tmp_path: Path) -> None:
    from statecraft import forecast
    from statecraft.analysis.backtest import proposal_scenario

    table = read_deu(_table(tmp_path))
    p1 = [item for item in table.issues if item.proposal == "p1"]
    s = proposal_scenario(p1)
    assert s.issue_ids == ("p1i1", "p1i2")
    assert [i.actual.value for i in s.issues if i.actual] == [item.actual for item in p1]
    for item in p1:  # every stance of every issue, under the issue's id
        for actor in item.scenario.actors:
            if "x" in actor.stances:
                got = s.actor(actor.id).stances[item.issue]
                assert got.position == actor.stances["x"].position
                assert s.actor(actor.id).capability_on(item.issue) == actor.capability_on("x")
    result = backtest(table, ["exchange"], replicates=20)
    values = dict(zip([i.issue for i in table.issues], result.forecasts["exchange"], strict=True))
    direct = forecast(s, "exchange")
    for item in p1:
        assert values[item.issue] == pytest.approx(direct.value(item.issue, "exchange"))
    one_issue = [i.issue for i in table.issues if i.proposal != "p1"]
    assert all(math.isnan(values[i]) for i in one_issue)  # nothing to trade across


def test_models_as_instances(tmp_path: Path) -> None:
    # A model given as an instance, with its own options, is scored under its name, and its
    # forecasts are those the named model with the same options gives.
    from statecraft.models import get_model

    table = read_deu(_table(tmp_path))
    by_instance = backtest(table, [get_model("nash", utility="linear")], replicates=20)
    by_name = backtest(table, ["nash"], options={"nash": {"utility": "linear"}}, replicates=20)
    assert by_instance.models == by_name.models == ("compromise", "nash")
    assert by_instance.forecasts["nash"].tobytes() == by_name.forecasts["nash"].tobytes()
    # p1i1: de stands at the status quo (0) with a positive weight, so any move away from 0
    # costs it: the Nash solution stays at 0. p1i2 has no status quo: Nash does not apply.
    assert by_instance.forecasts["nash"][0] == 0.0
    assert math.isnan(by_instance.forecasts["nash"][1])


def test_no_model_is_named_like_a_baseline() -> None:
    # The backtest scores models and baselines side by side, by name.
    from statecraft.analysis.backtest import BASELINES
    from statecraft.models import available_models

    assert not set(available_models()) & set(BASELINES)


@pytest.mark.parametrize("replicates", [9, 100_001, 10**10, True, 2.5])
def test_replicates_are_bounded(tmp_path: Path, replicates: Any) -> None:
    """A trial's --replicates 10000000000 grew past 1 GB before failing: refused at once."""
    with pytest.raises(ValueError, match="replicates must"):
        backtest(read_deu(_table(tmp_path)), ["compromise"], replicates=replicates)
    if isinstance(replicates, int) and not isinstance(replicates, bool):
        result = runner.invoke(
            app, ["backtest", str(_table(tmp_path)), "--replicates", str(replicates)]
        )
        assert result.exit_code == 2
        assert "--replicates" in result.output
