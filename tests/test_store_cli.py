"""The run store from the command line: recording runs, choosing the store, runs show,
export and diff, and two CLI processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statecraft.cli import app
from statecraft.io._validate import build_scenario
from statecraft.store import (
    open_store,
)
from tests.conftest import ROOT, TINY
from tests.test_deu import _table

runner = CliRunner()
FIXTURE_V1 = ROOT / "tests" / "data" / "store-v1.sql"


def _tiny(**capability: float) -> Any:
    data = json.loads(json.dumps(TINY))
    for actor in data["actors"]:
        if actor["id"] in capability and isinstance(actor["capability"], dict):
            actor["capability"]["value"] = capability[actor["id"]]
        elif actor["id"] in capability:
            actor["capability"] = capability[actor["id"]]
    return build_scenario(data, file=None)


# --- the command line ---------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def test_commands_record_their_runs(tmp_path: Path) -> None:
    deu = _table(tmp_path)
    for args in (
        ["forecast", "karabakh-2020", "-m", "compromise", "-f", "json"],
        ["simulate", "karabakh-2020", "-n", "50", "-f", "json"],
        ["compare", "karabakh-2020", "us-engaged", "-f", "json"],
        ["backtest", str(deu), "--replicates", "20", "-f", "csv"],
    ):
        result = _cli(*args)
        assert result.exit_code == 0, result.output
        if "json" in args:
            json.loads(result.output)  # the output holds the result and nothing else
    listed = json.loads(_cli("runs", "list", "-f", "json").output)
    assert [r["command"] for r in listed] == ["backtest", "compare", "simulate", "forecast"]
    assert listed[3]["scenario"] == "karabakh-2020"
    assert listed[0]["scenario"] == "deu.tsv"
    shown = json.loads(_cli("runs", "show", listed[3]["id"], "-f", "json").output)
    assert shown["arguments"]["scenario"] == "karabakh-2020"
    assert shown["arguments"]["model"] == ["compromise"]
    assert "store" not in shown["arguments"]
    assert shown["input"]["kind"] == "scenario"
    assert "body" not in shown["input"]


def test_no_store(tmp_path: Path) -> None:
    assert _cli("forecast", "karabakh-2020", "--no-store").exit_code == 0
    assert _cli("forecast", "karabakh-2020", env={"STATECRAFT_NO_STORE": "1"}).exit_code == 0
    assert "no runs recorded yet" in _cli("runs", "list").output


def test_store_option_beats_the_environment(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.sqlite"
    assert _cli("forecast", "karabakh-2020", "--store", str(chosen)).exit_code == 0
    with open_store(chosen) as s:
        assert len(s) == 1
    assert "no runs recorded yet" in _cli("runs", "list").output
    assert "1 shown of 1" in _cli("runs", "list", "--store", str(chosen)).output


def test_a_named_store_that_cannot_open_stops_the_command(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = _cli("forecast", "karabakh-2020", "--store", str(a_file / "runs.sqlite"))
    assert result.exit_code == 2
    assert "error: cannot create the folder of the run store" in result.output
    assert "--no-store" in result.output
    assert "Forecast" not in result.output
    assert "Traceback" not in result.output


def test_the_default_store_that_cannot_open_stops_the_command_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    monkeypatch.delenv("STATECRAFT_STORE")
    monkeypatch.setattr("platformdirs.user_data_path", lambda app: a_file / app)
    result = _cli("forecast", "karabakh-2020", "-m", "compromise")
    assert result.exit_code == 2
    assert "error: cannot create the folder of the run store" in result.output
    assert "--no-store" in result.output
    assert "Forecast (compromise)" not in result.output  # nothing ran
    assert _cli("forecast", "karabakh-2020", "-m", "compromise", "--no-store").exit_code == 0


def test_runs_show_export_and_diff(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(TINY))
    assert _cli("forecast", str(path), "-m", "compromise").exit_code == 0
    changed = json.loads(json.dumps(TINY))
    changed["actors"][0]["capability"]["value"] = 6
    path.write_text(json.dumps(changed))
    assert _cli("forecast", str(path), "-m", "compromise").exit_code == 0
    ids = [r["id"] for r in json.loads(_cli("runs", "list", "-f", "json").output)]

    shown = _cli("runs", "show", ids[1], "--rows", "1")
    assert shown.exit_code == 0
    assert "forecasts (2 rows, first 1 shown)" in shown.output
    assert "sha256" in shown.output

    exported = json.loads(_cli("runs", "export", ids[1]).output)
    assert exported["input"]["body"]["name"] == "tiny"
    assert exported["tables"]["forecasts"]["keys"] == ["issue", "model"]

    out = tmp_path / "again.json"
    assert _cli("runs", "export", ids[1], "--scenario", "-o", str(out)).exit_code == 0
    again = json.loads(_cli("forecast", str(out), "-m", "compromise", "-f", "json").output)
    first = json.loads(_cli("runs", "export", ids[1]).output)["results"]
    assert again["issues"] == first["issues"]  # the scenario kept reproduces the run

    csv_text = _cli("runs", "export", ids[0], "--table", "forecasts").output
    assert csv_text.splitlines()[0].startswith("scenario,issue,label,model,forecast")

    d = json.loads(_cli("runs", "diff", ids[1], ids[0], "-f", "json").output)
    assert d["inputs"] == [{"path": "actors.a.capability.value", "a": 3, "b": 6}]
    assert any(v["key"] == "issue=tax, model=compromise" for v in d["values"])
    table = _cli("runs", "diff", ids[1], ids[0])
    assert "actors.a.capability.value" in table.output
    assert "numbers differ" in table.output
    assert "agree" in _cli("runs", "diff", ids[0], ids[0]).output

    assert _cli("runs", "delete", ids[0]).output.strip() == f"deleted run {ids[0]}"
    assert len(json.loads(_cli("runs", "list", "-f", "json").output)) == 2  # of three


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "show", "zzz"], "a run is named by its id"),
        (["runs", "show", "latest", "-f", "csv"], "runs show prints a table or json"),
        (["runs", "export", "latest", "--table", "nope"], "has no table 'nope'"),
        (["runs", "export", "latest", "--table", "x", "--scenario"], "not both"),
        (["runs", "diff", "latest", "0000"], "no run '0000'"),
    ],
)
def test_runs_bad_input(args: list[str], message: str) -> None:
    assert _cli("forecast", "karabakh-2020", "-m", "compromise").exit_code == 0
    result = _cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_runs_on_a_store_not_there(tmp_path: Path) -> None:
    result = _cli("runs", "show", "latest", "--store", str(tmp_path / "none.sqlite"))
    assert result.exit_code == 2
    assert "no run store at" in result.output
    assert not (tmp_path / "none.sqlite").exists()


def test_two_cli_processes_at_once(tmp_path: Path) -> None:
    location = str(tmp_path / "runs.sqlite")
    code = "import sys; from statecraft.cli import main; sys.argv[0] = 'statecraft'; main()"
    script = (
        "import subprocess, sys\n"
        "for _ in range(3):\n"
        f"    subprocess.run([sys.executable, '-c', {code!r}, 'forecast', 'karabakh-2020',"
        " '-m', 'compromise', '-f', 'json'], check=True, stdout=subprocess.DEVNULL)\n"
    )
    env = {**os.environ, "STATECRAFT_STORE": location}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    with open_store(location) as s:
        assert len(s) == 6


def test_runs_export_csv_neutralises_formulas(tmp_path: Path) -> None:
    """A label a spreadsheet would run as a formula is exported with a leading quote
    (OWASP's advice for CSV injection); the forecasts stay numbers."""
    data = json.loads(json.dumps(TINY))
    data["issues"][0]["label"] = "=cmd|' /C calc'!A0"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    assert _cli("forecast", str(path), "-m", "compromise").exit_code == 0
    text = _cli("runs", "export", "latest", "--table", "forecasts").output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["label"] for r in rows} == {"'=cmd|' /C calc'!A0", "Start date"}
    assert all(float(r["forecast"]) >= 0 for r in rows)


def test_sensitivity_runs_are_recorded_with_their_label(tmp_path: Path, tiny: Any) -> None:
    # a at 2 (range 0-4, c 3, s 0.5) and b at 8 (c 1, s 1) on 'date': compromise
    # (1.5 x_a + x_b) / 2.5, so a swings it from 8/2.5 to 14/2.5 (by hand)
    tiny["actors"][0]["stances"]["date"]["position"] = {"value": 2, "low": 0, "high": 4}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny), encoding="utf-8")
    done = _cli("sensitivity", str(path), "-i", "date", "--label", "a's range", "-f", "json")
    assert done.exit_code == 0, done.output
    listed = json.loads(_cli("runs", "list", "-f", "json").output)
    assert [(r["command"], r["label"]) for r in listed] == [("sensitivity", "a's range")]
    table = _cli("runs", "list").output
    assert "Label" in table
    assert "a's range" in table
    run = open_store(os.environ["STATECRAFT_STORE"]).get(listed[0]["id"])
    (row,) = [r for r in run.tables["oat"][1] if r["issue"] == "date"]
    assert row["input"] == "a:date:position"
    assert row["at_low"] == pytest.approx(8 / 2.5)
    assert row["at_high"] == pytest.approx(14 / 2.5)
    assert run.arguments["label"] == "a's range"
    exported = _cli("runs", "export", listed[0]["id"], "--table", "oat").output
    assert "a:date:position" in exported


def test_runs_without_a_label_list_no_label_column(tmp_path: Path) -> None:
    assert _cli("forecast", "karabakh-2020", "-m", "compromise").exit_code == 0
    assert "Label" not in _cli("runs", "list").output
    (listed,) = json.loads(_cli("runs", "list", "-f", "json").output)
    assert listed["label"] is None


@pytest.mark.parametrize(
    ("label", "message"),
    [("", "empty"), ("   ", "empty"), ("a\tb", "one line"), ("x" * 201, "at most 200")],
)
def test_a_bad_label_is_refused_before_anything_runs(label: str, message: str) -> None:
    done = _cli("forecast", "karabakh-2020", "--label", label)
    assert done.exit_code == 2
    assert message in done.output
    assert "Traceback" not in done.output
    assert not Path(os.environ["STATECRAFT_STORE"]).exists()  # refused before the store opened


def test_store_save_takes_a_label(tmp_path: Path) -> None:
    import statecraft as sc
    from statecraft.store import StoreError

    store = open_store(tmp_path / "runs.sqlite")
    run_id = store.save(sc.forecast(_tiny()), label="baseline")
    assert store.runs()["label"].tolist() == ["baseline"]
    assert store.get(run_id).arguments == {"label": "baseline"}
    with pytest.raises(StoreError, match="one line"):
        store.save(sc.forecast(_tiny()), label="two\nlines")
