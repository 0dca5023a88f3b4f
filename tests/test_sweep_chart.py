"""The sweep charts (statecraft.report.sweep_chart) and the report's "What would it take?",
checked on the built figures and pages against a scenario worked by hand.

The scenario ``three`` (tests/test_advise.py): one issue, status quo 50 on 0-100; A at 100
with capability c, B at 60 and C at 0 with capability 1, salience 1 (C's salience s). The
compromise is o = (100c + 60) / (c + 1 + s). With s = 1, the gains (width 100) are
A: (o - 50)/100 above 50, B: (o - 50)/100 between 50 and 60, C: (50 - o)/100: C is the
biggest winner while o < 50 (c < 0.8), A and B tie between 50 and 60 (no winner), and A
wins above 60 (c > 1.5).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.cli import app
from tests.test_advise import three
from tests.test_chart_legibility import _contrast, _drawn, _inside, _overlap

matplotlib = pytest.importorskip("matplotlib")

from statecraft.report.registry import CHARTS, ChartInputs, MissingInput  # noqa: E402
from statecraft.report.sweep_chart import CHANGE, sweep_chart, sweep_map  # noqa: E402

runner = CliRunner()
ONE = [("a:x:capability", 0.45, 1.95, 16)]  # 0.45, 0.55, ..., 1.95
TWO = [("a:x:capability", 0.45, 1.95, 4), ("c:x:salience", 0.5, 1.0, 3)]


def _changes(fig: Any) -> list[list[float]]:
    """Per axes, the x of each line drawn as the winner-change mark."""
    out = []
    for ax in fig.axes:
        xs = [
            float(line.get_xdata()[0])
            for line in ax.get_lines()
            if line.get_linestyle() == "--" and line.get_color() == CHANGE["color"]
        ]
        out.append(sorted(xs))
    return out


def test_sweep_chart_marks_the_winner_changes_worked_by_hand() -> None:
    fig = CHARTS["sweep"].make(three(), ChartInputs(sweep=ONE))
    # The marks lie halfway between the grid points around c = 0.8 and c = 1.5: exactly
    # where the winner changes by hand, in every panel (the winner's and the issue's).
    for xs in _changes(fig):
        assert xs == pytest.approx([0.8, 1.5])
    top = fig.axes[0]
    assert [t.get_text() for t in top.get_yticklabels()] == ["c", "no single winner", "a"]
    # The issue's panel shows the compromise at every value
    c = np.linspace(0.45, 1.95, 16)
    line = fig.axes[1].get_lines()[0]
    assert np.asarray(line.get_ydata()) == pytest.approx((100 * c + 60) / (c + 2))


def test_sweep_chart_without_a_change_has_no_change_mark() -> None:
    s = three()
    result = sc.sweep(s, "a:x:capability", 1.6, 1.9, 4)  # A wins throughout
    assert result.changes() == []
    fig = sweep_chart(result, coded=2.0)
    assert all(xs == [] for xs in _changes(fig))
    assert fig.legends == []  # nothing to explain: no change, the coded value off the axis
    fig = sweep_chart(result, coded=1.7)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["coded value"]


def test_sweep_map_of_an_issue_is_the_compromise_worked_by_hand() -> None:
    fig = CHARTS["sweep-map"].make(three(), ChartInputs(sweep=TWO, issue="x"))
    image = fig.axes[0].get_images()[0]
    grid = np.asarray(image.get_array())
    c = np.linspace(0.45, 1.95, 4)[:, None]  # rows: the first input
    s = np.linspace(0.5, 1.0, 3)[None, :]  # columns: the second
    assert grid == pytest.approx((100 * c + 60) / (c + 1 + s))
    assert image.get_extent() == pytest.approx([0.375, 1.125, 0.2, 2.2])
    assert len([ax for ax in fig.axes if ax.get_label() == "<colorbar>"]) == 1


def test_sweep_map_of_the_winner_names_each_cell_by_hand() -> None:
    fig = CHARTS["sweep-map"].make(three(), ChartInputs(sweep=TWO))
    grid = np.asarray(fig.axes[0].get_images()[0].get_array())
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    shown = [[names[int(v)] for v in row] for row in grid]
    # o = (100c + 60) / (c + 1 + s). Column s = 1: c = 0.45 gives 42.9 (C), 0.95 57.4 and
    # 1.45 59.4 (A and B tie), 1.95 64.6 (A). Column s = 0.5: 53.8 (tie), then 63.3, 69.5
    # and 73.9 (A).
    assert [row[2] for row in shown] == ["c", "no single winner", "no single winner", "a"]
    assert [row[0] for row in shown] == ["no single winner", "a", "a", "a"]
    assert "coded values" in names


@pytest.mark.parametrize(
    ("kind", "inputs"),
    [
        ("sweep", ChartInputs(sweep=[("usa:peacekeepers:salience", 0.0, 1.0, 11)])),
        (
            "sweep-map",
            ChartInputs(
                sweep=[
                    ("usa:peacekeepers:salience", 0, 1, 6),
                    ("turkey:territory:position", 0, 100, 6),
                ]
            ),
        ),
        (
            "sweep-map",
            ChartInputs(
                issue="territory",
                sweep=[
                    ("usa:peacekeepers:salience", 0, 1, 6),
                    ("turkey:territory:position", 0, 100, 6),
                ],
            ),
        ),
    ],
)
def test_sweep_charts_are_legible_on_karabakh(kind: str, inputs: ChartInputs) -> None:
    """Legends and colour bars outside the plots and off the titles; every line and marker
    at 3:1 on white (the checks of tests/test_chart_legibility.py)."""
    fig = CHARTS[kind].make(sc.load("karabakh-2020"), inputs)
    renderer = _drawn(fig)
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    plots = [ax for ax in fig.axes if ax not in bars]
    titles = [t for t in (fig._suptitle, *(ax.title for ax in plots)) if t and t.get_text()]
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        assert not any(_overlap(box, ax.bbox) for ax in plots)
        assert not any(_overlap(box, t.get_window_extent(renderer)) for t in titles)
        assert _inside(box, fig.bbox)
    for bar in bars:
        assert not any(
            _overlap(bar.get_tightbbox(renderer), t.get_window_extent(renderer)) for t in titles
        )
        assert not any(_overlap(bar.get_tightbbox(renderer), ax.bbox) for ax in plots)
    for ax in plots:
        for line in ax.get_lines():
            colours = [line.get_color(), line.get_markerfacecolor()]
            assert max(_contrast(c) for c in colours) >= 3.0, line.get_label()
        for image in ax.get_images():  # the winner map's colours: the palette's
            if kind == "sweep-map" and inputs.issue is None:
                for colour in image.get_cmap().colors:
                    assert _contrast(colour) >= 3.0


def test_sweep_charts_refuse_what_they_cannot_draw() -> None:
    s = three()
    with pytest.raises(MissingInput) as caught:
        CHARTS["sweep"].make(s, ChartInputs())
    assert caught.value.phrase("--input") == (
        "the sweep chart needs --input: the input to sweep and its range"
    )
    with pytest.raises(ValueError, match="needs a sweep of two inputs"):
        CHARTS["sweep-map"].make(s, ChartInputs(sweep=ONE))
    with pytest.raises(ValueError, match="one input; a grid is a sweep map"):
        CHARTS["sweep"].make(s, ChartInputs(sweep=TWO))
    with pytest.raises(ValueError, match="unknown issue 'nope'"):
        sweep_map(sc.sweep(s, *TWO[0], second=TWO[1]), "nope")
    with pytest.raises(ValueError, match="no actor 'zz'"):
        CHARTS["sweep"].make(s, ChartInputs(sweep=[("zz:x:salience", 0, 1, 3)]))


def test_cli_sweep_draws_its_chart(tmp_path: Path) -> None:
    out = tmp_path / "sweep.svg"
    args = ["sweep", "karabakh-2020", "--input", "usa:peacekeepers:salience"]
    result = runner.invoke(app, [*args, "--from", "0", "--to", "1", "--chart", str(out)])
    assert result.exit_code == 0, result.output
    assert "what usa:peacekeepers:salience does (compromise model)" in html.unescape(
        out.read_text()
    )
    bad = runner.invoke(app, [*args, "--from", "0", "--to", "1", "--chart", "x.txt"])
    assert bad.exit_code != 0
    assert "name a .png, .svg or .pdf file" in bad.output
    lone = runner.invoke(app, [*args, "--from", "0", "--to", "1", "--issue", "territory"])
    assert lone.exit_code != 0
    assert "--issue picks the issue of a two-input --chart" in lone.output


def test_report_what_would_it_take_worked_by_hand(tmp_path: Path) -> None:
    """Under the compromise model, A's position moves the forecast by w_A / W = 2/4 per
    point, and A's gain by 1/100 per point of the forecast (o < 100): 0.0050 per point."""
    from statecraft.report.html import report

    page = report(three(), advise=["a"], model="compromise").html()
    start = page.index('<section id="advise">')
    section = page[start : page.index("</section>", start)]
    assert "<h2>What would it take?</h2>" in section
    row = section[section.index("<td>a:x:position</td>") :].split("</tr>")[0]
    assert "+0.0050" in row
    assert "What would change this verdict" in section
    assert "The verdict: a is the biggest winner" in section
    assert "effects per unit in closed form" in section
    assert 'id="advise"' not in report(three(), model="compromise").html()
    with pytest.raises(ValueError, match="no actor 'zz' in three to advise"):
        report(three(), advise=["zz"])


def test_cli_report_refuses_an_unknown_actor_to_advise(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "karabakh-2020", "-o", str(out), "--advise", "zz"])
    assert result.exit_code != 0
    assert "unknown actor id 'zz' given to --advise" in result.output


def test_sweep_charts_tell_a_point_without_a_forecast_from_a_tie() -> None:
    """Four points: a wins, a tie (forecasts but no single winner), no forecast at all, b
    wins: the winner panel's rows are a, no single winner, no forecast and b; on a 2 x 2
    grid of the same points the legend names the same four."""
    from statecraft.analysis._advice import Sweep

    nan = float("nan")
    common: dict[str, Any] = {
        "scenario": "s",
        "model": "compromise",
        "issues": ("x",),
        "forecasts": [[10.0], [20.0], [nan], [30.0]],
        "winners": ("a", None, None, "b"),
    }
    one = Sweep(inputs=("a:x:position",), axes=((0.0, 1.0, 2.0, 3.0),), **common)
    top = sweep_chart(one).axes[0]
    rows = [t.get_text() for t in top.get_yticklabels()]
    assert rows == ["a", "no single winner", "no forecast", "b"]
    grid = Sweep(inputs=("a:x:position", "b:capability"), axes=((0.0, 1.0), (1.0, 2.0)), **common)
    names = [t.get_text() for t in sweep_map(grid).legends[0].get_texts()]
    assert names == ["a", "no single winner", "no forecast", "b"]
