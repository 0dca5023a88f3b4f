"""``statecraft advise`` and ``statecraft sweep``: output shapes and every bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from statecraft.cli import app

runner = CliRunner()

THREE = {
    "name": "three",
    "issues": [{"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}],
    "actors": [
        {"id": "a", "capability": 2, "stances": {"x": {"position": 100, "salience": 1}}},
        {"id": "b", "capability": 1, "stances": {"x": {"position": 60, "salience": 1}}},
        {"id": "c", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}},
    ],
}


@pytest.fixture
def three(tmp_path: Path) -> str:
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(THREE))
    return str(path)


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_advise_json_shape(three: str) -> None:
    result = run("advise", three, "--actor", "b", "-m", "compromise", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == "compromise"
    lever = {lv["input"]: lv for lv in data["levers"]}
    for key in ("actor", "input", "effect_per_unit", "effect_range"):
        assert key in lever["a:x:position"]
    # B's gain (60 - |o - 60|) ... above 60: d gain / d o = -1/100; d o / d x_a = 2/4
    assert lever["a:x:position"]["effect_per_unit"] == pytest.approx(-0.5 / 100)
    assert data["flips"]["single"][0]["inputs"] == ["a:x:position"]
    # to the flip search's precision, 5e-4 on a 0-100 position (test_advise.py)
    assert data["flips"]["single"][0]["to"][0] == pytest.approx(90, abs=1e-3)


def test_advise_table(three: str) -> None:
    result = run("advise", three, "--actor", "b", "-m", "compromise")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "levers for b's gain" in out
    assert "What would change this verdict" in out
    assert "a:x:position" in out
    assert "not a guarantee about the world" in out


def test_advise_target_and_threshold(three: str) -> None:
    result = run(
        "advise",
        three,
        "-a",
        "c",
        "--goal",
        "x=70",
        "-i",
        "x",
        "--threshold",
        "70",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["goal"] == {"kind": "target", "targets": {"x": 70.0}}
    assert data["flips"]["what"] == "x >= 70"
    assert data["flips"]["single"][0]["to"][0] == pytest.approx(5 / 7, abs=1e-3)  # as above


def test_sweep_json_shape(three: str) -> None:
    result = run(
        "sweep",
        three,
        "--input",
        "a:x:position",
        "--from",
        "80",
        "--to",
        "100",
        "--steps",
        "5",
        "-m",
        "compromise",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["value"] for p in data["points"]] == [80, 85, 90, 95, 100]
    assert [p["forecasts"]["x"] for p in data["points"]] == pytest.approx([55, 57.5, 60, 62.5, 65])
    assert [p["winner"] for p in data["points"]] == [None, None, None, "a", "a"]


def test_sweep_grid_table(three: str) -> None:
    result = run(
        "sweep",
        three,
        "--input",
        "a:x:position",
        "--from",
        "80",
        "--to",
        "100",
        "--input",
        "c:x:salience",
        "--from",
        "0.5",
        "--to",
        "1",
        "--steps",
        "3",
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "biggest winner over a:x:position (rows)" in out
    assert "a" in out.split("(docs/advise.md).")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["advise", "{s}", "--actor", "zz"], "unknown actor id 'zz'"),
        (["advise", "{s}", "--actor", "a", "-i", "y"], "unknown issue id 'y'"),
        (["advise", "{s}", "--actor", "a", "--goal", "x=far"], "--goal is 'gain'"),
        (["advise", "{s}", "--actor", "a", "--goal", "y=3"], "no issue 'y'"),
        (["advise", "{s}", "--actor", "a", "--goal", "x=300"], "must lie on its scale"),
        (["advise", "{s}", "--actor", "a", "--threshold", "3"], "exactly one --issue"),
        (["advise", "{s}", "--actor", "a", "-n", "-1"], "--draws must be at least 0"),
        (["advise", "{s}", "--actor", "a", "-m", "nope"], "nope"),
        (["advise", "{s}", "--actor", "a", "-f", "csv"], "advise prints a table or json"),
        (["advise", "nowhere.yaml", "--actor", "a"], "nowhere"),
        (["sweep", "{s}", "--input", "a:x", "--from", "0", "--to", "1"], "ACTOR:ISSUE:FIELD"),
        (["sweep", "{s}", "--input", "q:x:position", "--from", "0", "--to", "1"], "no actor"),
        (["sweep", "{s}", "--input", "a:y:position", "--from", "0", "--to", "1"], "no issue"),
        (["sweep", "{s}", "--input", "a:x:mood", "--from", "0", "--to", "1"], "one of"),
        (
            ["sweep", "{s}", "--input", "a:x:salience", "--from", "0", "--to", "1", "--steps", "1"],
            "--steps must be at least 2",
        ),
        (["sweep", "{s}", "--input", "a:x:salience", "--from", "1", "--to", "1"], "same value"),
        (["sweep", "{s}", "--input", "a:x:salience", "--from", "0", "--to", "3"], "0 to 1"),
        (["sweep", "{s}", "--input", "a:x:position", "--from", "0"], "--to"),
        (
            ["sweep", "{s}", "--input", "a:x:position", "--from", "0", "--to", "1", "--from", "2"],
            "one --from and one --to",
        ),
        (
            [
                "sweep",
                "{s}",
                "--input",
                "a:x:position",
                "--input",
                "a:x:position",
                "--from",
                "0",
                "--to",
                "1",
                "--from",
                "0",
                "--to",
                "1",
            ],
            "two different inputs",
        ),
        (["sweep", "{s}", "--input", "a:x:position", "--from", "nan", "--to", "1"], "finite"),
    ],
)
def test_bad_input_is_one_clear_line(three: str, args: list[str], message: str) -> None:
    result = run(*(a.replace("{s}", three) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_sweep_table_says_whether_and_where_the_winner_changes(tmp_path: Path) -> None:
    # A at 0 (capability 3) and B at 100 (capability c), salience 1, status quo 50: the
    # compromise is F = 100 c / (3 + c); A gains (50 - F) / 100 and B (F - 50) / 100, so A
    # wins below c = 3 and B above (by hand). c = 1, 2.5, 4, 5.5 give F = 25, 45.5, 57.1,
    # 64.7: the winner changes at 4.
    import json as _json

    stance = {"x": {"position": 0, "salience": 1}}
    data = {
        "name": "two",
        "issues": [{"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}],
        "actors": [
            {"id": "a", "name": "Alpha", "capability": 3, "stances": stance},
            {
                "id": "b",
                "name": "Beta",
                "capability": 1,
                "stances": {"x": {"position": 100, "salience": 1}},
            },
        ],
    }
    path = tmp_path / "two.json"
    path.write_text(_json.dumps(data), encoding="utf-8")
    sweep = ["sweep", str(path), "--input", "b:capability"]
    out = runner.invoke(app, [*sweep, "--from", "1", "--to", "5.5", "--steps", "4"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "The biggest winner changes at 4 (the sweep runs from 1 to 5.5)." in text
    assert "Beta <- changes" in text  # names, not ids
    still = runner.invoke(app, [*sweep, "--from", "1", "--to", "2", "--steps", "3"])
    assert "The biggest winner stays Alpha from 1 to 2" in " ".join(still.output.split())
    # a tiny range is written with the digits that tell its values apart: 1, 1.0000005,
    # 1.000001 (7 significant digits would write the last two as 1)
    tiny = runner.invoke(app, [*sweep, "--from", "1", "--to", "1.000001", "--steps", "3"])
    assert "stays Alpha from 1 to 1.000001:" in " ".join(tiny.output.split())
    assert "│    1.0000005 │" in tiny.output
    # a grid names the actors as the table does (Alpha, not a): c = 1 and 2 (F = 25, 40:
    # Alpha wins) against a's capability 3 and 3.5 (rows)
    grid = ["--input", "a:capability", "--from", "3", "--to", "3.5", "--steps", "2"]
    two = runner.invoke(app, [*sweep, "--from", "1", "--to", "2", "--steps", "2", *grid])
    assert two.exit_code == 0, two.output
    assert "Alpha" in two.output


def test_a_sweep_tells_a_point_without_a_forecast_from_a_tie(tmp_path: Path) -> None:
    """The spatial model gives no forecast when an actor cares about no issue: with a's
    only salience swept to 0 the first point has none, which the table calls "no forecast"
    (not "no single winner", a tie) and the grid of two inputs "n/a"."""
    import json as _json

    def stances(x: float, y: float, sx: float, sy: float) -> dict[str, object]:
        return {"x": {"position": x, "salience": sx}, "y": {"position": y, "salience": sy}}

    data = {
        "name": "no-forecast",
        "issues": [
            {"id": i, "label": i.upper(), "scale": {"low": 0, "high": 100}, "status_quo": 50}
            for i in ("x", "y")
        ],
        "actors": [
            {"id": "a", "capability": 1, "stances": stances(90, 70, 0.5, 0.0)},
            {"id": "b", "capability": 1, "stances": stances(10, 20, 0.5, 0.5)},
            {"id": "c", "capability": 1, "stances": stances(60, 80, 0.5, 0.5)},
        ],
    }
    path = tmp_path / "nf.json"
    path.write_text(_json.dumps(data), encoding="utf-8")
    sweep = ["sweep", str(path), "-m", "spatial", "--input", "a:x:salience"]
    one = runner.invoke(app, [*sweep, "--from", "0", "--to", "0.5", "--steps", "2"])
    assert one.exit_code == 0, one.output
    first = next(line for line in one.output.splitlines() if line.startswith("│            0 │"))
    assert "no forecast" in first
    assert "no single winner" not in one.output
    grid = ["--input", "b:x:salience", "--from", "0.4", "--to", "0.5", "--steps", "2"]
    two = runner.invoke(app, [*sweep, "--from", "0", "--to", "0.5", "--steps", "2", *grid])
    assert two.exit_code == 0, two.output
    assert "n/a = no forecast" in " ".join(two.output.split())
    row = next(line for line in two.output.splitlines() if line.startswith("│            0 │"))
    assert row.split("│")[2:4] == [" n/a ", " n/a "]
    three = runner.invoke(app, [*sweep, "--from", "0", "--to", "0.5", "--steps", "3"])
    assert "changes at 0.25 (the sweep runs from 0 to 0.5)." in " ".join(three.output.split())
