"""User text is text: names, labels and titles holding ``$``, ``\\``, ``_^{}``, ``<script>``,
rich markup or spreadsheet formulas are drawn, printed and written as written: never read as
mathtext by matplotlib, as HTML by a browser, as markup or emoji codes by the terminal, or as
a formula by a spreadsheet (OWASP, "CSV Injection")."""

from __future__ import annotations

import copy
import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.cli import app
from statecraft.report.registry import CHARTS, ChartInputs
from statecraft.textsafe import csv_cell, csv_frame, csv_records, plain
from tests.conftest import TINY

matplotlib = pytest.importorskip("matplotlib")
runner = CliRunner()

MACRO = "$\\foo$"  # an unknown mathtext macro: matplotlib raised ValueError on it
MONEY = "$100bn to $200bn"  # two dollars: matplotlib drew "100bn to " in italics
SCRIPT = "_^{}"  # sub- and superscript marks, special only inside mathtext
HTML = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
NAMES = [MACRO, MONEY, SCRIPT, HTML, FORMULA]
TITLE = f"{MACRO} and {MONEY} {SCRIPT}"


def _evil() -> dict[str, Any]:
    issue = {
        "id": "a",
        "label": f"{MACRO} label",
        "status_quo": 50,
        "actual": 40,
        "scale": {"low": 0, "high": 100, "low_meaning": MONEY, "high_meaning": SCRIPT},
    }
    return {
        "name": "evil",
        "title": TITLE,
        "issues": [issue, {"id": "b", "label": MONEY, "status_quo": 20}],
        "actors": [
            {
                "id": f"x{k}",
                "name": name,
                "capability": {"value": 1.0 + k, "low": 0.5 + k, "high": 1.5 + k},
                "stances": {
                    "a": {"position": 10.0 + 20 * k, "salience": 0.3 + 0.1 * k},
                    "b": {"position": 90.0 - 20 * k, "salience": 0.9 - 0.1 * k},
                },
            }
            for k, name in enumerate(NAMES)
        ],
    }


@pytest.fixture(scope="module")
def evil() -> sc.Scenario:
    return sc.Scenario.model_validate(_evil())


#: What each chart shows of the scenario's own text (at least).
SHOWN = {
    "trajectories": [MACRO, MONEY, SCRIPT, f"{MACRO} label"],
    "issue-map": [TITLE, MONEY, SCRIPT, f"{MACRO} label"],
    "winners": [MACRO, MONEY, SCRIPT, HTML, FORMULA],
    "quadrant": [f"{MACRO}'s view: {MACRO} label"],
    "confrontations": [MACRO, MONEY, SCRIPT, HTML, FORMULA],
    "distributions": [f"{MACRO} label", MONEY, SCRIPT],
    "tornado": [],  # its labels are ids and input keys, which hold no '$'
    "counterfactuals": [FORMULA, f"{MACRO} label", MONEY],
    "risk": [MACRO, MONEY, SCRIPT, HTML, FORMULA],  # the dyads, by their actors' names
    "sweep": [f"{MACRO} label", MONEY],  # the issues' panels
    "sweep-map": [],  # the winners it names depend on the grid
}


def _svg_text(fig: Any) -> str:
    """Every text of a figure as SVG writes it with text kept as text, joined."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    root = ET.fromstring(buffer.getvalue())
    return "\n".join(
        " ".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")
    )


@pytest.mark.parametrize("kind", [k for k, c in CHARTS.items() if c.reads == "scenario"])
def test_every_chart_draws_the_scenario_text_as_written(kind: str, evil: sc.Scenario) -> None:
    patch = sc.Patch.model_validate(
        {
            "name": FORMULA,
            "title": MACRO,
            "assumes": MONEY,
            "changes": [{"set": "salience", "actor": "x0", "issue": "a", "value": 0.9}],
        }
    )
    sweep = [("x0:a:salience", 0.0, 1.0, 3), ("x1:b:position", 0.0, 100.0, 3)]
    inputs = ChartInputs(
        actor="x0",
        patches=[patch],
        draws=200,
        model="compromise",
        sweep=sweep[:1] if kind == "sweep" else sweep,
    )
    fig = CHARTS[kind].make(evil, inputs)  # an unknown macro raised ValueError here
    text = _svg_text(fig)
    for shown in SHOWN[kind]:
        assert shown in text, (kind, shown)
    # Mathtext would have split "$100bn to $200bn" into pieces, dropping the dollars.
    assert "100bn to " not in text.replace(MONEY, "")


def test_plain_text_is_not_read_as_mathtext() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.1, 0.5, plain(MONEY))
    fig.text(0.1, 0.2, plain(MACRO))
    assert _svg_text(fig).split("\n") == [MONEY, MACRO]


def test_the_report_escapes_html_and_draws_mathtext_marks_literally(
    tmp_path: Path, write_yaml: Any
) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(write_yaml(_evil())), "-o", str(out), "--draws", "50"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert HTML not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_tables_print_markup_and_emoji_codes_as_written(write_yaml: Any) -> None:
    data = _evil()
    data["actors"][0]["name"] = "[red]Alpha[/red] :a: [/oops]"
    result = runner.invoke(app, ["forecast", str(write_yaml(data)), "--no-store"])
    assert result.exit_code == 0, result.output
    assert "[red]Alpha[/red] :a: [/oops]" in result.stdout


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_cell(FORMULA) == "'" + FORMULA
    assert csv_cell("Alpha") == "Alpha"
    assert csv_cell(-1.5) == -1.5  # a number is never a formula
    assert csv_cell(-3) == -3
    records = csv_records([{"name": FORMULA, "gain": -0.25, "=key": "@SUM(A1)"}])
    assert records == [{"name": "'" + FORMULA, "gain": -0.25, "'=key": "'@SUM(A1)"}]
    frame = csv_frame(pd.DataFrame({"actor": [FORMULA, "b"], "gain": [-0.5, 0.25]}))
    assert list(frame["actor"]) == ["'" + FORMULA, "b"]
    assert list(frame["gain"]) == [-0.5, 0.25]
    assert frame["gain"].dtype == float


def test_the_forecast_csv_neutralises_formulas_and_keeps_negative_numbers(
    write_yaml: Any,
) -> None:
    data = _evil()
    data["issues"][0]["label"] = FORMULA
    result = runner.invoke(app, ["forecast", str(write_yaml(data)), "--no-store", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    labels = {r["label"] for r in rows}
    assert labels == {"'" + FORMULA, MONEY}
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    # numbers stay numbers: every forecast parses as a float
    assert all(float(r["forecast"]) >= 0 for r in rows if r["forecast"])


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("actors[0].name", lambda d: d["actors"][0].update(name="Alpha\r")),
        ("issues[0].label", lambda d: d["issues"][0].update(label="Tax\trate")),
        ("title", lambda d: d.update(title="A\x1btitle")),
        (
            "issues[0].scale.unit",
            lambda d: d["issues"][0].setdefault("scale", {}).update(unit="%\x0b"),
        ),
    ],
)
def test_names_and_labels_are_one_line(where: str, edit: Any) -> None:
    """A carriage return in a name split the CSV rows and decide records Statecraft wrote, so
    that it could not read them back: control characters are refused where the text is read."""
    data = copy.deepcopy(TINY)
    edit(data)
    with pytest.raises(sc.ScenarioError) as info:
        sc.read_text(json.dumps(data), "json")
    assert str(info.value).startswith(f"{where}: a name or label must be one line")
    assert "one line of text without control characters (U+" in info.value.problem
