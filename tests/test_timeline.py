"""Timelines: the file format and its refusals, the cumulative patches (worked by hand),
the runner and its risk hook, the built-in karabakh-2020-2023 timeline, and the command."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.timeline import (
    Score,
    base_scenario,
    load_timeline,
    run_timeline,
    snapshot_scenarios,
    timeline_from_data,
)
from statecraft.cli import app
from tests.conftest import TINY

runner = CliRunner()

TIMELINE: dict[str, Any] = {
    "name": "tiny-over-time",
    "base": {"scenario": "tiny.yaml", "status_quo": "actual", "date": "2020-01-01"},
    "sources": [
        {"id": "s1", "date": "2020-03-01", "citation": "first"},
        {"id": "s2", "date": "2020-09-15", "citation": "second"},
        {"id": "late", "date": "2021-05-01", "citation": "after both cut-offs"},
    ],
    "snapshots": [
        {
            "id": "first",
            "cutoff": "2020-06-30",
            "note": "a doubles its capability; b moves",
            "sources": ["s1"],
            "changes": [
                {"scale": "capability", "actor": "a", "by": 2.0, "sources": ["s1"], "note": "x2"},
                {
                    "set": "position",
                    "actor": "b",
                    "issue": "tax",
                    "value": 10.0,
                    "sources": ["s1"],
                    "note": "b to 10",
                },
            ],
        },
        {
            "id": "second",
            "cutoff": "2020-12-31",
            "note": "b moves again; a new status quo",
            "sources": ["s1", "s2"],
            "changes": [
                {
                    "shift": "position",
                    "actor": "b",
                    "issue": "tax",
                    "by": 5.0,
                    "sources": ["s2"],
                    "note": "b +5",
                },
                {
                    "set": "status_quo",
                    "issue": "tax",
                    "value": 30.0,
                    "low": 25.0,
                    "high": 35.0,
                    "sources": ["s1", "s2"],
                    "note": "a new line",
                },
                {
                    "set": "salience",
                    "actor": "a",
                    "issue": "date",
                    "value": 0.9,
                    "sources": ["s2"],
                    "note": "a cares more",
                },
            ],
        },
    ],
    "events": [
        {
            "date": "2021-03-01",
            "description": "the tax moves",
            "sources": ["late"],
            "outcomes": {"tax": {"value": 70.0, "note": "coded"}},
        },
    ],
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    path = tmp_path / "timeline.yaml"
    path.write_text(yaml.safe_dump(TIMELINE, sort_keys=False), encoding="utf-8")
    return path


def _write(tmp_path: Path, data: Any) -> Path:
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --- the cumulative patches, worked by hand ---------------------------------------------------


def test_the_base_takes_the_actual_outcome_as_its_status_quo(files: Path) -> None:
    base = base_scenario(load_timeline(files))
    tax = base.issue("tax")
    assert tax.status_quo is not None
    assert tax.status_quo.value == 40.0
    assert tax.actual is None
    assert base.issue("date").status_quo is None  # no actual: nothing to take


def test_snapshots_stack_their_patches_in_order(files: Path) -> None:
    (s1, first), (s2, second) = snapshot_scenarios(load_timeline(files))
    assert (s1.id, s2.id) == ("first", "second")
    # first: a's capability 3 x 2 = 6; b's position set to 10; the status quo still 40
    assert first.actor("a").capability.value == 6.0
    assert first.actor("b").stances["tax"].position.value == 10.0
    assert first.issue("tax").status_quo.value == 40.0  # type: ignore[union-attr]
    # second: on top of the first: b 10 + 5 = 15, a stays 6, the status quo 30 (25-35)
    assert second.actor("a").capability.value == 6.0
    assert second.actor("b").stances["tax"].position.value == 15.0
    sq = second.issue("tax").status_quo
    assert sq is not None
    assert (sq.value, sq.low, sq.high) == (30.0, 25.0, 35.0)
    assert sq.source == "[s1, s2]"
    assert second.actor("a").stances["date"].salience.value == 0.9
    assert second.name == "tiny-over-time@second"


def test_holding_an_actor_keeps_its_capability_and_salience_but_not_the_rest(
    files: Path,
) -> None:
    (_, first), (_, second) = snapshot_scenarios(load_timeline(files), hold=["a"])
    assert first.actor("a").capability.value == 3.0  # the base's, not 6
    assert second.actor("a").stances["date"].salience.value == 0.5  # the base's, not 0.9
    assert second.actor("b").stances["tax"].position.value == 15.0  # b's changes stay


def test_the_risk_hook_gets_each_scenario_and_the_previous_one(files: Path) -> None:
    calls: list[tuple[str, str | None]] = []

    def hook(now: sc.Scenario, before: sc.Scenario | None) -> dict[str, Any]:
        calls.append((now.name, None if before is None else before.name))
        return {"dyads": [{"a": "a", "b": "b", "risk": 0.5, "interval80": [0.4, 0.6]}]}

    run = run_timeline(load_timeline(files), draws=20, risk=hook, calibrated=False)
    assert calls == [
        ("tiny-over-time@first", None),
        ("tiny-over-time@second", "tiny-over-time@first"),
    ]
    snaps = run.to_dict()["snapshots"]
    assert snaps[1]["dyads"][0]["risk"] == 0.5
    assert [s["date"] for s in snaps] == ["2020-06-30", "2020-12-31"]


def test_scores_compare_the_forecast_with_the_status_quo(files: Path) -> None:
    run = run_timeline(load_timeline(files), draws=20, calibrated=False)
    for s in run.snapshots:
        (score,) = s.scores
        forecast = next(i.forecast for i in s.brief.issues if i.issue == "tax")
        assert score.outcome == 70.0
        assert score.error == pytest.approx(abs(forecast - 70.0))
    assert run.snapshots[0].scores[0].baseline_error == 30.0  # |40 - 70|
    assert run.snapshots[1].scores[0].baseline_error == 40.0  # |30 - 70|
    day = dt.date(2021, 1, 1)
    assert Score(day, "e", "tax", 40.0, 50.0, 70.0, 20.0, 30.0).beats_status_quo is True
    assert Score(day, "e", "tax", 40.0, 30.0, 70.0, 40.0, 30.0).beats_status_quo is False
    assert Score(day, "e", "tax", None, 30.0, 70.0, 40.0, None).beats_status_quo is None


# --- every kind of bad input -------------------------------------------------------------------


def _edit(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(TIMELINE)
    here: Any = data
    for key in path[:-1]:
        here = here[key]
    if value is _DROP:
        del here[path[-1]]
    else:
        here[path[-1]] = value
    return data


_DROP = object()

BAD = [
    (("base",), _DROP, "base"),
    (("name",), "has space", "name"),
    (("surprise",), 1, "surprise"),
    (("sources", 0, "date"), "not a date", "date"),
    (("sources", 1, "id"), "s1", "duplicate source id 's1'"),
    (("snapshots", 0, "sources"), ["s1", "late"], "after the snapshot's cut-off"),
    (("snapshots", 0, "sources"), ["s1", "nowhere"], "unknown source id 'nowhere'"),
    (("snapshots", 0, "changes", 1, "sources"), ["s2"], "not among the snapshot's sources"),
    (("snapshots", 0, "changes", 1, "sources"), [], "cites no sources"),
    (("snapshots", 0, "changes", 1, "note"), _DROP, "has no note"),
    (("snapshots", 1, "cutoff"), "2020-05-01", "order of cut-off"),
    (("snapshots", 1, "id"), "first", "duplicate snapshot id 'first'"),
    (("snapshots", 0, "date"), "2020-01-15", "before its cut-off"),
    (("snapshots", 0, "cutoff"), "2019-12-01", "not after the base's date"),
    (("snapshots", 0, "note"), _DROP, "note"),
    (("snapshots",), [], "snapshots"),
    (("snapshots", 0, "changes", 0, "low"), 1.0, "only a 'set' change may carry a range"),
    (("snapshots", 1, "changes", 1, "low"), 31.0, "the range must hold the value"),
    (("snapshots", 1, "changes", 1, "high"), _DROP, "give both low and high"),
    (("events", 0, "date"), "2020-10-01", "no event follows the cut-off 2020-12-31"),
    (("events", 0, "sources"), ["nowhere"], "unknown source id 'nowhere'"),
    (("events",), [], "events"),
    (("events", 0, "outcomes", "tax", "value"), "high", "outcomes"),
]


@pytest.mark.parametrize(("path", "value", "says"), BAD)
def test_a_bad_timeline_is_refused_naming_the_problem(
    tmp_path: Path, path: tuple[Any, ...], value: Any, says: str
) -> None:
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(_write(tmp_path, _edit(path, value)))
    assert says in str(caught.value)


def test_events_out_of_order_are_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(TIMELINE)
    data["events"].insert(0, {"date": "2022-01-01", "description": "x", "sources": ["late"]})
    with pytest.raises(sc.ScenarioError, match="events run in date order"):
        load_timeline(_write(tmp_path, data))


def test_a_change_to_an_unknown_actor_names_the_snapshot(tmp_path: Path) -> None:
    data = _edit(("snapshots", 1, "changes", 0, "actor"), "zz")
    with pytest.raises(sc.ScenarioError) as caught:
        snapshot_scenarios(load_timeline(_write(tmp_path, data)))
    assert "unknown actor id 'zz'" in str(caught.value)
    assert "snapshot second" in str(caught.value)


def test_holding_an_unknown_actor_is_refused(files: Path) -> None:
    with pytest.raises(sc.ScenarioError, match="cannot hold zz"):
        snapshot_scenarios(load_timeline(files), hold=["zz"])


def test_no_such_timeline_names_the_built_ins(tmp_path: Path) -> None:
    with pytest.raises(sc.ScenarioError, match="karabakh-2020-2023"):
        load_timeline(str(tmp_path / "missing.yaml"))
    with pytest.raises(sc.ScenarioError, match="a timeline is a mapping"):
        timeline_from_data([1, 2])


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] + [path]
    if isinstance(data, list):
        return [p for k, v in enumerate(data) for p in _leaves(v, (*path, k))] + [path]
    return [path]


PATHS = [p for p in _leaves(TIMELINE) if p]
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates().map(str),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=st.one_of(JUNK, st.just(_DROP)))
def test_broken_input_raises_only_the_projects_error(path: tuple[Any, ...], value: Any) -> None:
    data = _edit(path, value)
    try:
        timeline = timeline_from_data(data, label="fuzz")
    except sc.ScenarioError:
        return
    assert timeline.name  # what loads is a timeline


# --- the built-in timeline -------------------------------------------------------------------

#: the outcomes' dates (fact brief, section 4) and the cut-offs each snapshot must precede
INVASION = dt.date(2022, 2, 24)
BLOCKADE = dt.date(2022, 12, 12)
OFFENSIVE = dt.date(2023, 9, 19)


def test_the_built_in_timeline_loads_with_cut_offs_before_the_outcomes() -> None:
    t = load_timeline("karabakh-2020-2023")
    cutoffs = [s.cutoff for s in t.snapshots]
    assert cutoffs[0] < INVASION < cutoffs[1] < BLOCKADE < cutoffs[2] < OFFENSIVE
    dates = {e.date for e in t.events}
    for day in (
        BLOCKADE,
        OFFENSIVE,
        dt.date(2023, 9, 28),
        dt.date(2024, 6, 12),
        dt.date(2025, 8, 8),
    ):
        assert day in dates


def test_every_input_change_cites_a_source_dated_by_its_cut_off() -> None:
    """Checked here from the file's data, independently of the loader's own rule."""
    path = Path(sc.__file__).parent / "scenarios" / "timelines" / "karabakh-2020-2023.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    dated = {s["id"]: s["date"] for s in data["sources"]}
    changes = 0
    for snap in data["snapshots"]:
        for change in snap["changes"]:
            assert change["sources"], change
            assert change.get("note"), change
            for sid in change["sources"]:
                assert dated[sid] <= snap["cutoff"], (snap["id"], sid, dated[sid])
            changes += 1
    assert changes >= 30
    for source in data["sources"]:  # every source names where it was read
        assert len(source["citation"]) > 20


def test_the_built_in_base_is_the_settlement_as_implemented() -> None:
    t = load_timeline("karabakh-2020-2023")
    settled = sc.load("karabakh-2020")
    base = base_scenario(t)
    for issue in settled.issues:
        assert issue.actual is not None
        assert base.issue(issue.id).status_quo.value == issue.actual.value  # type: ignore[union-attr]
    expected = {
        "territory": 72,
        "status": 60,
        "peacekeepers": 95,
        "turkey_role": 25,
        "nakhchivan_link": 50,
    }
    assert {i.id: i.status_quo.value for i in base.issues} == expected  # type: ignore[union-attr]


def test_russia_loses_capability_unless_held() -> None:
    t = load_timeline("karabakh-2020-2023")
    shifted = [s.actor("russia").capability_on("territory") for _, s in snapshot_scenarios(t)]
    held = [
        s.actor("russia").capability_on("territory")
        for _, s in snapshot_scenarios(t, hold=["russia"])
    ]
    assert shifted == [0.5, 0.3, 0.2]
    assert held == [0.5, 0.5, 0.5]


def test_old_patches_stay_valid_and_unranged() -> None:
    patch = sc.Patch.model_validate(
        {"name": "p", "assumes": "x", "changes": [{"set": "capability", "actor": "a", "value": 2}]}
    )
    s = sc.apply_patch(sc.Scenario.model_validate(TINY), patch)
    cap = s.actor("a").capability
    assert (cap.value, cap.low, cap.high, cap.source) == (2.0, None, None, "counterfactual p")


# --- the command -----------------------------------------------------------------------------


def test_cli_json_has_the_snapshots(files: Path) -> None:
    result = runner.invoke(app, ["timeline", str(files), "-n", "20", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    snaps = data["snapshots"]
    assert [s["date"] for s in snaps] == ["2020-06-30", "2020-12-31"]
    assert set(snaps[0]) >= {"date", "cutoff", "forecasts", "verdict", "scores", "changes"}
    assert snaps[1]["forecasts"]["tax"]["status_quo"] == 30.0
    assert snaps[0]["changes"][0]["sources"] == ["s1"]


def test_cli_table_and_chart(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.svg"
    result = runner.invoke(app, ["timeline", str(files), "-n", "20", "--chart", str(out)])
    assert result.exit_code == 0, result.output
    assert "cut-off 2020-12-31" in result.output
    assert "forecasts over time" in out.read_text()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-f", "csv"], "table or json"),
        (["-n", "0"], "--draws must be at least 1"),
        (["--hold", "zz"], "cannot hold zz"),
        (["--chart", "out.txt"], "cannot tell the image format"),
    ],
)
def test_cli_refuses_bad_options(files: Path, args: list[str], says: str) -> None:
    result = runner.invoke(app, ["timeline", str(files), *args])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


def test_cli_refuses_a_bad_file_cleanly(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit(("snapshots", 0, "sources"), ["s1", "late"]))
    result = runner.invoke(app, ["timeline", str(path)])
    assert result.exit_code == 2
    assert "after the snapshot's cut-off" in result.output
    assert "Traceback" not in result.output


def test_plot_draws_the_timeline_chart(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.svg"
    result = runner.invoke(app, ["plot", str(files), "timeline", "--draws", "20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tiny-over-time" in out.read_text()


def test_the_timeline_table_says_too_close_to_call_and_names_the_followed_pair() -> None:
    from typer.testing import CliRunner

    from statecraft.cli import app

    out = CliRunner().invoke(app, ["timeline", "karabakh-2020-2023", "-n", "100", "--no-store"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    run = sc.timeline("karabakh-2020-2023", draws=100, seed=0)
    for s in run.snapshots:
        kinds = [f.kind for f in s.brief.flags]
        if "narrow_margin" in kinds:
            a, b = s.brief.winners[0].name, s.brief.winners[1].name
            assert f"verdict: {a} or {b}: too close to call" in text
        nobody = 1 - sum(v.p_biggest for v in s.brief.winners)
        if nobody >= 0.005:
            assert f"no single winner {nobody:.0%}" in text
    assert "the azerbaijan-armenia settlement rests on" in text  # the timeline's own dyad
    assert "an index in [0, 1]" in text


def test_scenarios_lists_the_built_in_timelines() -> None:
    from typer.testing import CliRunner

    from statecraft.cli import app

    out = CliRunner().invoke(app, ["scenarios"])
    assert out.exit_code == 0, out.output
    assert "Built-in timelines" in out.output
    assert "karabakh-2020-2023" in out.output


def test_a_snapshot_runs_by_the_name_the_flags_give_it() -> None:
    # the brief of a snapshot names its scenario TIMELINE@SNAPSHOT in its flags; any command
    # that reads a scenario takes that name, and gets the snapshot's scenario
    from typer.testing import CliRunner

    from statecraft.api import snapshot_scenario
    from statecraft.cli import app

    t = load_timeline("karabakh-2020-2023")
    expected = dict(snapshot_scenarios(t))[t.snapshots[1]]
    got = snapshot_scenario("karabakh-2020-2023@2022-11")
    assert got == expected
    held = snapshot_scenario("karabakh-2020-2023@2022-11~held:russia")
    assert held.actor("russia").capability_on("territory") == 0.5  # held at the base's
    assert got.actor("russia").capability_on("territory") == 0.3
    runner = CliRunner()
    ok = runner.invoke(app, ["forecast", "karabakh-2020-2023@2022-11", "--no-store", "-f", "json"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["forecast", "karabakh-2020-2023@1999-01", "--no-store"])
    assert bad.exit_code == 2
    assert "its snapshots are: 2021-12, 2022-11, 2023-08" in " ".join(bad.output.split())
