"""The timeline's chart with the risk over time, its report (``statecraft report TIMELINE``),
and risk and timeline runs in the run store. Charts are checked on the built figure (its
artists and their measured extents), never on pixels."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.timeline import is_timeline, load_timeline, run_timeline
from statecraft.cli import app
from tests.conftest import TINY
from tests.test_timeline import TIMELINE

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from statecraft.report.html import EXTERNAL  # noqa: E402
from statecraft.report.timeline_chart import (  # noqa: E402
    WITHOUT,
    followed_dyad,
    riskiest_dyads,
    timeline_chart,
)
from statecraft.report.timeline_report import timeline_report  # noqa: E402
from tests.test_chart_legibility import _colours, _contrast, _inside, _overlap  # noqa: E402

runner = CliRunner()


def _files(tmp_path: Path, **extra: Any) -> Path:
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    data = copy.deepcopy(TIMELINE) | extra
    path = tmp_path / "timeline.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    timeline = load_timeline(_files(tmp_path_factory.mktemp("t")))
    return (
        run_timeline(timeline, draws=60, seed=1),
        run_timeline(timeline, draws=60, seed=1, hold=["a"]),
    )


def _series(ax: Any, label: str) -> Any:
    return next(line for line in ax.get_lines() if line.get_label() == label)


# --- the chart ----------------------------------------------------------------------------


def test_the_chart_draws_the_followed_dyads_risk_and_the_counterfactual(runs: Any) -> None:
    run, held = runs
    fig = timeline_chart(run, without=held, dyad=("a", "b"))
    issues = run.snapshots[0].scenario.issues
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2 + len(issues)  # the followed dyad, the riskiest, one per issue
    measured = [
        next(d for d in s.risk["dyads"] if {d["a"], d["b"]} == {"a", "b"}) for s in run.snapshots
    ]
    line = _series(axes[0], "risk index (median)")
    assert list(line.get_ydata()) == [d["risk"] for d in measured]
    band = axes[0].collections[0].get_paths()[0].vertices[:, 1]
    assert min(band) == pytest.approx(min(d["interval80"][0] for d in measured))
    assert max(band) == pytest.approx(max(d["interval80"][1] for d in measured))
    without = _series(axes[0], "without the power shift (holding Alpha)")
    held_risk = [
        next(d for d in s.risk["dyads"] if {d["a"], d["b"]} == {"a", "b"}) for s in held.snapshots
    ]
    assert list(without.get_ydata()) == [d["risk"] for d in held_risk]
    assert without.get_color() == WITHOUT
    assert without.get_linestyle() == "--"
    # every event is a vertical line on every panel
    dates = {e.date for e in run.timeline.events}
    for ax in axes:
        events = [
            ln for ln in ax.get_lines() if ln.get_label() in ("_event", "a later event (dated)")
        ]
        assert {matplotlib.dates.date2num(ln.get_xdata()[0]) for ln in events} == set(
            matplotlib.dates.date2num(sorted(dates))
        )


def test_the_chart_without_risk_has_only_the_issue_panels(runs: Any, tmp_path: Path) -> None:
    run = run_timeline(load_timeline(_files(tmp_path)), draws=20, risk=None)
    fig = timeline_chart(run)
    assert len(fig.axes) == len(run.snapshots[0].scenario.issues)
    assert "forecasts over time" in fig._suptitle.get_text()
    assert "risk" not in fig._suptitle.get_text()


def test_the_legend_lies_below_the_panels_and_every_mark_passes_3_to_1(runs: Any) -> None:
    run, held = runs
    fig = timeline_chart(run, without=held)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert _inside(box, fig.bbox)
    assert all(not _overlap(box, ax.bbox) and box.y1 <= ax.bbox.y0 for ax in fig.axes)
    labels = [t.get_text() for t in legend.get_texts()]
    assert len(labels) == len(set(labels))  # each label once
    assert {
        "risk index (median)",
        "without the power shift (holding Alpha)",
        "a later event (dated)",
    } <= set(labels)
    faint = [n for n, colours in _colours(fig) if max(_contrast(c) for c in colours) < 3.0]
    assert not faint


def test_riskiest_dyads_worked_by_hand() -> None:
    """Two snapshots: the top two of each are (x,y) 0.3 and (y,z) 0.1, then (y,z) 0.5 and
    (x,z) 0.2; the union, riskiest at its own worst first: (y,z) 0.5, (x,y) 0.3, (x,z) 0.2."""

    def snap(*dyads: tuple[str, str, float]) -> Any:
        return SimpleNamespace(risk={"dyads": [{"a": a, "b": b, "risk": r} for a, b, r in dyads]})

    run = SimpleNamespace(
        snapshots=[
            snap(("x", "y", 0.3), ("y", "z", 0.1), ("x", "z", 0.05)),
            snap(("y", "z", 0.5), ("x", "z", 0.2), ("x", "y", 0.01)),
        ]
    )
    assert riskiest_dyads(run, top=2) == [("y", "z"), ("x", "y"), ("x", "z")]  # type: ignore[arg-type]
    assert riskiest_dyads(run, top=1) == [("y", "z"), ("x", "y")]  # type: ignore[arg-type]
    assert riskiest_dyads(run, top=2, most=1) == [("y", "z")]  # type: ignore[arg-type]


def test_the_followed_dyad_defaults_and_refusals(runs: Any, tmp_path: Path) -> None:
    run, _ = runs
    last = run.snapshots[-1].risk["dyads"][0]
    assert followed_dyad(run) == (last["a"], last["b"])  # no dyad in the file: the riskiest
    assert set(followed_dyad(run, ["b", "a"])) == {"a", "b"}
    with pytest.raises(ValueError, match="no snapshot has the dyad a-zz"):
        followed_dyad(run, ["a", "zz"])
    with pytest.raises(ValueError, match="two different actors"):
        followed_dyad(run, ["a", "a"])
    bare = run_timeline(load_timeline(_files(tmp_path)), draws=10, risk=None)
    with pytest.raises(ValueError, match="without the risk"):
        followed_dyad(bare)


@pytest.mark.parametrize(
    ("extra", "says"),
    [({"dyad": ["a", "a"]}, "two different actors"), ({"hold": ["a", "a"]}, "held once")],
)
def test_the_formats_dyad_and_hold_are_checked(tmp_path: Path, extra: Any, says: str) -> None:
    with pytest.raises(sc.ScenarioError, match=says):
        load_timeline(_files(tmp_path, **extra))


# --- the report ---------------------------------------------------------------------------


def test_the_report_has_a_section_per_snapshot_and_the_comparison(tmp_path: Path) -> None:
    path = _files(tmp_path, dyad=["a", "b"], hold=["a"])
    made = timeline_report(path, draws=40, seed=2)
    assert made.dyad == ("a", "b")
    assert made.without is not None
    assert made.without.held == ("a",)
    text = made.html()
    assert 'id="snapshot-first"' in text
    assert 'id="snapshot-second"' in text
    assert "Without the power shift" in text
    assert "<svg" in text
    assert not EXTERNAL.search(text)
    rows = made.comparison()
    assert [r["id"] for r in rows] == ["first", "second"]
    # the first snapshot doubles a's capability; held, a keeps the base's: the two runs'
    # risks differ there, and the rows give each run's own dyad
    for r, s, w in zip(rows, made.run.snapshots, made.without.snapshots, strict=True):
        ours = next(d for d in s.risk["dyads"] if {d["a"], d["b"]} == {"a", "b"})
        theirs = next(d for d in w.risk["dyads"] if {d["a"], d["b"]} == {"a", "b"})
        assert r["risk"]["risk"] == ours["risk"]
        assert r["risk_without"]["risk"] == theirs["risk"]
    assert made.run.snapshots[0].scenario.actor("a").capability.value == 2 * (
        made.without.snapshots[0].scenario.actor("a").capability.value
    )


def test_the_report_without_a_hold_makes_no_comparison(tmp_path: Path) -> None:
    made = timeline_report(_files(tmp_path), draws=20)
    assert made.without is None
    assert "the timeline names no actors to hold" in made.html()


def test_report_command_takes_a_timeline(tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    path = _files(tmp_path, hold=["a"])
    done = runner.invoke(app, ["report", str(path), "-o", str(out), "--draws", "20"])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    assert "timeline report" in text
    assert "Without the power shift" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["TIMELINE", "--patch", "x"], "--patch is for a scenario's report"),
        (["TIMELINE", "--hold", "zz"], "cannot hold zz"),
        (["karabakh-2020", "--hold", "russia"], "--hold is for a timeline's report"),
    ],
)
def test_report_command_refuses_mixed_options(tmp_path: Path, args: list[str], says: str) -> None:
    path = _files(tmp_path)
    args = [str(path) if a == "TIMELINE" else a for a in args]
    done = runner.invoke(app, ["report", *args, "-o", str(tmp_path / "r.html"), "--draws", "10"])
    assert done.exit_code == 2
    assert says in done.output
    assert "Traceback" not in done.output


def test_is_timeline(tmp_path: Path) -> None:
    path = _files(tmp_path)
    assert is_timeline(path)
    assert is_timeline(str(path))
    assert not is_timeline(tmp_path / "tiny.yaml")  # a scenario file
    assert is_timeline("karabakh-2020-2023")
    assert not is_timeline("karabakh-2020")
    (tmp_path / "broken.yaml").write_text("a: [", encoding="utf-8")
    assert not is_timeline(tmp_path / "broken.yaml")


def test_timeline_command_with_hold_draws_both_lines(tmp_path: Path) -> None:
    out = tmp_path / "c.svg"
    path = _files(tmp_path)
    done = runner.invoke(
        app, ["timeline", str(path), "-n", "20", "--hold", "a", "--chart", str(out)]
    )
    assert done.exit_code == 0, done.output
    svg = out.read_text(encoding="utf-8")
    assert "without the power shift (holding Alpha)" in svg


# --- the run store ------------------------------------------------------------------------


def test_risk_and_timeline_runs_are_recorded_with_their_label(tmp_path: Path) -> None:
    path = _files(tmp_path)
    done = runner.invoke(app, ["risk", "karabakh-2020", "-n", "50", "--label", "r1", "-f", "json"])
    assert done.exit_code == 0, done.output
    risk = json.loads(done.output)
    done = runner.invoke(app, ["timeline", str(path), "-n", "20", "--label", "t1", "-f", "json"])
    assert done.exit_code == 0, done.output
    timeline = json.loads(done.output)
    listed = json.loads(runner.invoke(app, ["runs", "list", "-f", "json"]).output)
    assert [(r["command"], r["label"], r["scenario"]) for r in listed] == [
        ("timeline", "t1", "tiny-over-time"),
        ("risk", "r1", "karabakh-2020"),
    ]
    store = sc.open_store(os.environ["STATECRAFT_STORE"])
    kept = store.get(listed[1]["id"])
    assert kept.document == risk
    assert kept.scenario().name == "karabakh-2020"
    assert kept.parameters["draws"] == 50
    assert kept.parameters["previous"] is None
    top = kept.frame("dyads").iloc[0]
    assert (top["a"], top["b"], top["median"]) == (
        risk["dyads"][0]["a"],
        risk["dyads"][0]["b"],
        risk["dyads"][0]["risk"],
    )
    run = store.get(listed[0]["id"])
    assert run.input_kind == "timeline"
    assert run.document == timeline
    body = json.loads(run.input)
    assert body["timeline"]["name"] == "tiny-over-time"
    assert body["base"]["name"] == "tiny-over-time@base"  # the base, its actual made status quo
    assert body["base"]["issues"][0]["status_quo"]["value"] == TINY["issues"][0]["actual"]
    assert set(run.tables) == {"forecasts", "dyads", "pressure", "scores"}
    assert len(run.frame("dyads")) == sum(len(s["dyads"]) for s in timeline["snapshots"])
    assert run.to_dict()["input"]["body"]["timeline"]["name"] == "tiny-over-time"
    store.close()


def test_risk_and_timeline_honour_no_store(tmp_path: Path) -> None:
    path = _files(tmp_path)
    assert runner.invoke(app, ["risk", "karabakh-2020", "-n", "20", "--no-store"]).exit_code == 0
    assert runner.invoke(app, ["timeline", str(path), "-n", "10", "--no-store"]).exit_code == 0
    assert not Path(os.environ["STATECRAFT_STORE"]).exists()


def test_risk_and_timeline_name_a_store_that_cannot_open(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    for args in (
        ["risk", "karabakh-2020", "-n", "10"],
        ["timeline", str(_files(tmp_path)), "-n", "5"],
    ):
        done = runner.invoke(app, [*args, "--store", str(a_file / "runs.sqlite")])
        assert done.exit_code == 2
        assert "--no-store" in done.output
        assert "Traceback" not in done.output


def test_a_risk_result_without_its_scenario_is_refused(tmp_path: Path) -> None:
    from dataclasses import replace

    result = sc.risk(sc.load("karabakh-2020"), draws=20)
    with sc.open_store(tmp_path / "runs.sqlite") as store:
        run_id = store.save(result, label="kept")
        assert store.get(run_id).command == "risk"
        with pytest.raises(TypeError, match="does not carry its scenario"):
            store.save(replace(result, inputs=()))
