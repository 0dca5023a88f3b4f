"""The command line: output shapes, exit codes, and clean errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import statecraft as sc
from statecraft.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"statecraft {sc.__version__}"


def test_forecast_table_shows_forecasts_actual_error_and_winners(
    tiny: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    result = run("forecast", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Status quo", "compromise", "median", "nash", "Actual", "err ", "mean error"):
        assert text in out
    assert "62.2" in out  # compromise on tax, 280/4.5
    assert "Who wins" in out
    assert "Forecast (compromise): Biggest winner: c (+0.42)" in out
    assert "Actual outcome: Biggest winners, tied: Alpha and c (+0.20 each)" in out
    assert "At the coded values, under compromise. How sure that is, over the numbers' " in out
    assert f"statecraft brief {path}" in out.replace("\n", "")
    assert "nash does not apply to Start date: the issue has no status quo" in out


def test_forecast_errors_are_the_distance_to_the_actual_by_hand(
    tiny: dict[str, Any], tmp_path: Path
) -> None:
    """The error a user reads (the table's "err" and "mean error", the JSON's and the
    records' "error") worked by hand, with forecasts on both sides of the actual. Until now
    only the README's Karabakh figures (a drift check) noticed a wrong error.

    tiny's tax issue with the actual moved to 80: the compromise is 280/4.5 = 62.22 (weights
    3 at 60, 0.5 at 0 and 4 x 0.25 = 1 at 100), 160/9 = 17.78 below it; the weighted median
    is 60 (half of 4.5 is 2.25, reached at Alpha's 60), 20 below it. With the actual at 40
    both lie above it: 200/9 = 22.22 and 20. The date issue has no actual: no error. The
    scale is 0-100, so the mean error in % of the width is the tax error itself."""
    path = tmp_path / "tiny.yaml"
    for actual, compromise, median in ((80, 160 / 9, 20.0), (40, 200 / 9, 20.0)):
        tiny["issues"][0]["actual"] = actual
        path.write_text(yaml.safe_dump(tiny))
        f = sc.forecast(sc.load(path), ["compromise", "median"])
        tax, date = f.issues
        assert tax.error("compromise") == pytest.approx(compromise)
        assert tax.error("median") == pytest.approx(median)
        assert date.error("compromise") is None
        data = json.loads(run("forecast", str(path), "-m", "compromise", "-f", "json").output)
        assert data["issues"]["tax"]["error"]["compromise"] == pytest.approx(compromise)
        assert data["issues"]["date"]["error"]["compromise"] is None
        records = {(r["issue"], r["model"]): r["error"] for r in f.to_records()}
        assert records["tax", "median"] == pytest.approx(median)
        out = run("forecast", str(path), "-m", "compromise").output
        assert f"err {compromise:.1f}" in out  # the cell, one decimal on a 0-100 scale
        assert f"{compromise:.1f}%" in out  # the mean error row


def test_forecast_json_has_the_documented_keys() -> None:
    result = run("forecast", "ec-emissions-1994", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"scenario", "issues", "winners"} <= set(data)
    issue = data["issues"]["emissions"]
    assert {"forecast", "status_quo", "actual"} <= set(issue)
    assert round(issue["forecast"]["compromise"], 3) == 7.390
    assert issue["forecast"]["median"] == 7.0
    assert issue["status_quo"] is None
    assert issue["actual"] == 8.833


def test_forecast_json_winners_best_first(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny))
    data = json.loads(run("forecast", str(path), "-f", "json", "-m", "median").output)
    gains = [w["gain"] for w in data["winners"]]
    assert gains == sorted(gains, reverse=True)
    assert {"actor", "gain"} <= set(data["winners"][0])
    assert list(data["issues"]["tax"]["forecast"]) == ["median"]


def test_forecast_csv() -> None:
    result = run("forecast", "ec-emissions-1994", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0] == "scenario,issue,label,model,forecast,status_quo,actual,error"
    assert len(lines) == 4  # compromise, median, expected-utility


def test_forecast_model_selection_and_primary(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    data = json.loads(
        run(
            "forecast", str(path), "-m", "median", "-m", "nash", "--primary", "nash", "-f", "json"
        ).output
    )
    assert data["primary_model"] == "nash"
    assert [m["name"] for m in data["models"]] == ["median", "nash"]


def test_forecast_actor_breakdown(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    result = run("forecast", str(path), "--actor", "b")
    assert result.exit_code == 0
    assert "Beta: gain issue by issue" in result.output


def test_unknown_actor_id_on_the_command_line(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    result = run("forecast", str(path), "--actor", "zeta")
    assert result.exit_code == 2
    assert "unknown actor id 'zeta' given to --actor; the actors are: a, b, c" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("forecast", "no-such-scenario"), "nor a built-in scenario"),
        (("forecast", "ec-emissions-1994", "-m", "voodoo"), "unknown model 'voodoo'"),
        (("forecast", "ec-emissions-1994", "-m", "median", "--primary", "nash"), "primary"),
        (("validate", "missing.yaml"), "no such file"),
    ],
)
def test_errors_exit_2_without_traceback(args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_scenario_file_exits_2_with_the_line(tiny: dict[str, Any], tmp_path: Path) -> None:
    tiny["actors"][0]["stances"]["tax"]["salience"] = 7
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(tiny, sort_keys=False))
    for command in ("forecast", "validate"):
        result = run(command, str(path))
        assert result.exit_code == 2
        assert f"error: {path}, line" in result.output
        assert "salience must lie between 0 and 1 (got 7.0)" in result.output
        assert "Traceback" not in result.output


def test_validate_ok(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert result.output.strip() == "ok: tiny: 3 actors, 2 issues"


def test_scenarios_lists_the_builtins() -> None:
    result = run("scenarios")
    assert result.exit_code == 0
    for name in sc.builtin_names():
        assert name in result.output


def test_models_lists_citations() -> None:
    result = run("models")
    assert result.exit_code == 0
    assert "Nash" in result.output
    assert "Black" in result.output


def test_schema_is_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Statecraft scenario"
    assert "$defs" in schema


def test_console_script_runs_as_a_process() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "statecraft.cli", "forecast", "nowhere.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "error:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_forecast_with_expected_utility_shows_confrontations() -> None:
    result = run("forecast", "karabakh-2020", "--model", "expected-utility")
    assert result.exit_code == 0, result.output
    assert "dyads headed for confrontation" in result.output
    assert "Escalation index" in result.output


def test_forecast_json_gains_rounds_and_confrontations() -> None:
    data = json.loads(
        run("forecast", "ec-emissions-1994", "-m", "expected-utility", "-f", "json").output
    )
    rounds = data["rounds"]["emissions"]
    assert rounds[0]["median"] == 7.0
    assert rounds[0]["positions"]["belgium"] == 7.0
    assert len(rounds) == 9  # round 0 and 8 rounds
    assert "confrontations" in data
    assert 0.0 <= data["escalation_index"] <= 1.0


def test_model_options_on_the_command_line() -> None:
    data = json.loads(
        run(
            "forecast",
            "ec-emissions-1994",
            "-m",
            "expected-utility",
            "-o",
            "rounds=3",
            "-f",
            "json",
        ).output
    )
    assert len(data["rounds"]["emissions"]) == 4
    assert data["models"][0]["options"]["rounds"] == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("-o", "rounds"), "an option is NAME=VALUE"),
        (("-o", "colour=red"), "unknown option 'colour'"),
        (("-o", "probability=votes"), "probability must be one of pair, triples"),
        (("-o", "rounds=0"), "option rounds must be a whole number from 1 to 100"),
    ],
)
def test_bad_model_options(args: tuple[str, ...], expected: str) -> None:
    result = run("forecast", "ec-emissions-1994", "-m", "expected-utility", *args)
    assert result.exit_code == 2
    assert expected in result.output


def test_rounds_table() -> None:
    result = run("rounds", "ec-emissions-1994")
    assert result.exit_code == 0, result.output
    assert "expected utility model, 8 rounds" in result.output
    assert "8.416" in result.output  # Belgium and the median after round 1
    assert "Belgium moves to 8.416 (compromise with France)" in result.output


def test_rounds_csv_and_json() -> None:
    lines = run("rounds", "ec-emissions-1994", "-f", "csv").output.strip().splitlines()
    assert lines[0] == "issue,round,actor,position,risk,median,mean"
    assert len(lines) == 1 + 9 * 10
    data = json.loads(run("rounds", "karabakh-2020", "-i", "status", "-f", "json").output)
    assert list(data["issues"]) == ["status"]


def test_rounds_unknown_issue() -> None:
    result = run("rounds", "karabakh-2020", "--issue", "oil")
    assert result.exit_code == 2
    assert "unknown issue id 'oil' given to --issue" in result.output


def test_user_text_is_not_rich_markup(tmp_path: Path) -> None:
    data = {
        "name": "m",
        "title": "Title [/oops]",
        "issues": [{"id": "x", "label": "X [b]", "status_quo": 0}],
        "actors": [
            {
                "id": "a",
                "name": "Artsakh [de facto]",
                "capability": 1,
                "stances": {"x": {"position": 0, "salience": 1}},
            },
            {"id": "b", "capability": 1, "stances": {"x": {"position": 100, "salience": 1}}},
        ],
    }
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data))
    for args in (("forecast", str(path)), ("rounds", str(path))):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "Artsakh [de facto]" in result.output
    assert "Title [/oops]" in run("forecast", str(path)).output


def test_option_for_a_model_that_is_not_run() -> None:
    # nash does not apply to the EC case (no status quo), so its option has nowhere to go
    result = run("forecast", "ec-emissions-1994", "-o", "utility=linear")
    assert result.exit_code == 2
    assert "unknown option 'utility'" in result.output
    # the models that take it, by their declarations: Nash and Kalai-Smorodinsky
    assert "it is an option of nash and kalai-smorodinsky: run that model" in result.output


def test_an_option_of_a_model_not_named_says_which_model_takes_it() -> None:
    result = run("forecast", "karabakh-2020", "-o", "protocol=decide")
    assert result.exit_code == 2
    assert "it is an option of exchange: run that model, -m NAME" in result.output


def test_models_lists_one_models_options_from_its_declaration() -> None:
    result = run("models", "exchange")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    # the bounds and defaults come from the model's declared options
    assert "a whole number from 1 to 50" in out
    assert "one of equal-gain, random-rate" in out
    assert "equal-gain" in out
    assert run("models", "compromise").exit_code == 0
    bad = run("models", "kalai")
    assert bad.exit_code == 2
    assert "unknown model 'kalai'" in bad.output


def test_forecast_seed_reaches_a_stochastic_model() -> None:
    # The random-rate exchange draws its rates from the generator seeded by --seed: the same
    # seed gives the same forecast as the library's, another seed other rates.
    import json as _json

    import statecraft as sc

    def cli(seed: str) -> dict[str, Any]:
        args = ["forecast", "karabakh-2020", "-m", "exchange", "-o", "variant=random-rate"]
        result = run(*args, "--seed", seed, "-f", "json")
        assert result.exit_code == 0, result.output
        return dict(_json.loads(result.output)["issues"])

    lib = sc.forecast("karabakh-2020", "exchange", options={"variant": "random-rate"}, seed=3)
    three = cli("3")
    for issue, item in three.items():
        assert item["forecast"]["exchange"] == lib.value(issue, "exchange")
    assert cli("3") == three
    assert cli("4") != three


def test_forecast_table_fits_100_columns() -> None:
    # The flagship table in a 100-column terminal: nothing cut short, every forecast shown.
    import io

    from rich.console import Console

    import statecraft as sc
    from statecraft.cli.render_forecast import forecast_table

    f = sc.forecast("karabakh-2020")
    buf = io.StringIO()
    Console(file=buf, width=100, highlight=False, markup=False).print(forecast_table(f))
    out = buf.getvalue()
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 100
    for item in f.issues:
        for value in item.forecasts.values():
            assert value is None or f"{value:.1f}" in out
    assert "Status quo" in out
    assert "Actual" in out


def test_python_m_statecraft_is_the_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "statecraft", "models"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "expected-utility" in done.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "statecraft", "--help"], capture_output=True, text=True, timeout=120
    )
    assert "Usage: statecraft " in usage.stdout


def test_scale_lines_only_for_scales_that_say_what_they_mean(
    tiny: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny))
    out = run("forecast", str(path)).output
    assert "Issues and their scales:" in out
    assert "tax: Tax rate. 0 = no tax; 100 = all." in out
    assert "date: Start date" not in out  # no meanings: no line saying only "0; 10"
    for issue in tiny["issues"]:
        issue["scale"].pop("low_meaning", None)
        issue["scale"].pop("high_meaning", None)
    path.write_text(yaml.safe_dump(tiny))
    out = run("forecast", str(path)).output
    assert "Issues and their scales:" not in out
    assert "tax: Tax rate" not in out


def test_format_help_lists_only_what_the_command_prints() -> None:
    for command in ("brief", "simulate", "compare", "sensitivity"):
        out = " ".join(run(command, "--help").output.split())
        assert "<table|json>" in out, command
        assert "csv" not in out, command
    out = " ".join(run("forecast", "--help").output.split())
    assert "<table|json|csv>" in out


def test_help_texts_flow_as_paragraphs() -> None:
    from statecraft.cli import _flowed

    assert _flowed("One line\n    and its rest.\n\n    A second\n    paragraph.") == (
        "One line and its rest.\n\nA second paragraph."
    )
    assert _flowed(None) is None
    text = run("--help").output
    # the brief's help, one paragraph, wraps at the terminal's width, not the source's
    assert "uncertain numbers and the\n" not in text


def test_simulate_in_an_80_column_terminal_keeps_the_issue_names(monkeypatch: Any) -> None:
    """At 80 columns the histogram gives way, not the issue ids (a new user's trial saw
    rows without their issue in a default terminal)."""
    import io

    from rich.console import Console

    from statecraft.cli import render_analysis

    out = io.StringIO()
    console = Console(file=out, width=80, markup=False, emoji=False, highlight=False)
    monkeypatch.setattr(render_analysis, "new_console", lambda: console)
    render_analysis.print_simulation(sc.simulate("karabakh-2020", draws=200))
    text = out.getvalue()
    assert "Distribution across the scale" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    for issue in ("territory", "status"):  # ids of up to 9 characters are whole
        assert f"│ {issue} " in text
    assert "peacekeep" in text  # longer ones fold


def _ranged(node: Any, under: str = "") -> list[str]:
    """Where a scenario's YAML gives a number a range of some width (high > low)."""
    found: list[str] = []
    if isinstance(node, dict):
        if {"value", "low", "high"} <= node.keys() and node["high"] > node["low"]:
            found.append(under)
        for key, value in node.items():
            found += _ranged(value, f"{under}/{key}")
    elif isinstance(node, list):
        for value in node:
            found += _ranged(value, under)
    return found


def test_simulate_and_brief_count_the_uncertain_numbers_alike() -> None:
    """Counted from the YAML itself: every {value, low, high} with high > low; the actual
    outcomes' ranges apart (no model reads them). The brief and simulate name the same
    count of coded numbers, and simulate names the actual outcomes beside it."""
    path = Path(sc.__file__).parent / "scenarios" / "karabakh-2020.yaml"
    ranged = _ranged(yaml.safe_load(path.read_text(encoding="utf-8")))
    actual = sum(where.endswith("/actual") for where in ranged)
    coded = len(ranged) - actual
    assert actual == 5  # one per issue (the scenario's five issues all have a ranged actual)
    args = ["karabakh-2020", "--draws", "200"]
    sim = runner.invoke(app, ["simulate", *args, "--no-store"])
    brief = runner.invoke(app, ["brief", *args])  # the brief is never recorded
    assert sim.exit_code == brief.exit_code == 0, sim.output + brief.output
    sim_text, brief_text = (" ".join(r.output.split()) for r in (sim, brief))  # titles wrap
    assert f"{coded} uncertain numbers and {actual} actual outcomes with a range" in sim_text
    assert f"{coded} uncertain numbers and {actual} actual outcomes with a range," in brief_text


def test_the_command_line_keeps_freed_heap_on_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    """glibc's malloc.h: M_TOP_PAD is -2; the command line asks for 64 MiB (2**26 bytes)."""
    import ctypes

    from statecraft import cli

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    cli._keep_freed_heap()
    assert calls == [(-2, 67_108_864)]

    class NoMallopt:  # another C library: nothing to call, nothing raised
        pass

    monkeypatch.setattr(ctypes, "CDLL", lambda name: NoMallopt())
    cli._keep_freed_heap()
    assert calls == [(-2, 67_108_864)]
