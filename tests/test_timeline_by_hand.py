"""Timelines by hand (issue 22's mutation triage of ``timeline``): the JSON and records of a
run, its scores and repr on a hand-built timeline whose briefs are stand-ins with chosen
numbers (so every key and value below is written out by hand, not taken from the code);
the cumulative scenarios, the base and the holds on a three-issue base; and where the
loaders' errors point (file, field, line)."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

import statecraft as sc
from statecraft.analysis import timeline as tl
from statecraft.analysis._patch import Change
from statecraft.analysis._timeline_format import Event, Outcome
from statecraft.analysis.timeline import (
    Score,
    SnapshotRun,
    TimelineRun,
    base_scenario,
    is_timeline,
    load_timeline,
    snapshot_scenario,
    snapshot_scenarios,
    timeline_from_data,
)
from tests.conftest import TINY

#: The base: TINY with a first issue that has no actual (``aid``), the tax's actual with a
#: note and the date's actual without one.
BASE: dict[str, Any] = copy.deepcopy(TINY)
BASE["issues"] = [
    {"id": "aid", "label": "Aid", "scale": {"low": 0, "high": 10}, "status_quo": 5},
    {**BASE["issues"][0], "actual": {"value": 40, "note": "coded by hand"}},
    {**BASE["issues"][1], "status_quo": 4, "actual": 6},
]
for _actor in BASE["actors"][:2]:
    _actor["stances"]["aid"] = {"position": 3, "salience": 0.5}

CHANGES: list[dict[str, Any]] = [
    {"set": "status_quo", "issue": "tax", "value": 30.0, "low": 25.0, "high": 35.0,
     "sources": ["s1"], "note": "a new line"},
    {"shift": "position", "actor": "b", "issue": "tax", "by": 5.0, "sources": ["s1"],
     "note": "b +5"},
    {"scale": "capability", "actor": "a", "by": 2.0, "sources": ["s1"], "note": "a x2"},
    {"remove_actor": "c", "sources": ["s1"], "note": "c leaves"},
    {"add_actor": {"id": "d", "capability": 1,
                   "stances": {"tax": {"position": 50, "salience": 0.5}}},
     "sources": ["s1"], "note": "d joins"},
]  # fmt: skip

TIMELINE: dict[str, Any] = {
    "name": "hand",
    "title": "By hand",
    "base": {"scenario": "base.yaml", "status_quo": "actual", "date": "2020-01-01"},
    "sources": [
        {"id": "s1", "date": "2020-03-01", "citation": "first"},
        {"id": "late", "date": "2021-05-01", "citation": "after the cut-offs"},
    ],
    "snapshots": [
        {
            "id": "one",
            "date": "2020-07-15",
            "cutoff": "2020-06-30",
            "title": "One",
            "note": "five changes",
            "sources": ["s1"],
            "changes": CHANGES,
        },
        {"id": "two", "cutoff": "2020-12-31", "note": "nothing changes", "sources": ["s1"]},
        {
            "id": "three",
            "cutoff": "2021-01-31",
            "note": "only a's salience",
            "sources": ["s1"],
            "changes": [
                {"set": "salience", "actor": "a", "issue": "date", "value": 0.9,
                 "sources": ["s1"], "note": "a cares more"},
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
}  # fmt: skip


def _write(folder: Path, data: Any = None, name: str = "hand.yaml") -> Path:
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    path = folder / name
    text = yaml.safe_dump(TIMELINE if data is None else data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


# --- the JSON, the records and the repr, on stand-in briefs ---------------------------------


def _issue(*values: Any) -> SimpleNamespace:
    """One issue's verdict: issue, label, status quo, forecast, 80% interval, inputs' 80%
    interval, spread."""
    keys = ("issue", "label", "status_quo", "forecast", "interval80", "inputs80", "spread")
    return SimpleNamespace(**dict(zip(keys, values, strict=True)))


def _brief(leader: bool) -> SimpleNamespace:
    """A stand-in for a brief: two issues (the date without a status quo), a winner, a flag."""
    issues = (
        _issue("tax", "Tax rate", 40.0, 55.0, (45.0, 65.0), (50.0, 60.0), 20.0),
        _issue("date", "Start date", None, 4.0, (3.0, 6.0), (4.0, 5.0), 3.0),
    )
    alpha = SimpleNamespace(actor="a", name="Alpha", p_biggest=0.75,
               overall=SimpleNamespace(to_dict=lambda: {"p_biggest": 0.75}))  # fmt: skip
    return SimpleNamespace(
        issues=issues,
        leader=alpha if leader else None,
        models=("median", "nash"),
        winners=(alpha,),
        flags=(SimpleNamespace(kind="close", message="too close"),),
    )


EVENT_DAY = dt.date(2021, 3, 1)


def _events() -> tuple[Event, ...]:
    def out(**values: float) -> dict[str, Outcome]:
        return {k: Outcome(value=v, note="coded") for k, v in values.items()}

    def event(day: dt.date, description: str, **values: float) -> Event:
        return Event(date=day, description=description, sources=("late",), outcomes=out(**values))

    return (
        event(dt.date(2020, 5, 1), "before", tax=10.0),
        event(dt.date(2020, 6, 30), "on the day", tax=20.0),
        event(EVENT_DAY, "the tax moves", zz=1.0, tax=70.0, date=5.0),
    )


def test_scores_take_only_later_events_and_known_issues_worked_by_hand() -> None:
    """Cut-off 2020-06-30: the events of 2020-05-01 and of the cut-off day itself are not
    after it (skipped, and the loop goes on to the third); of the third's outcomes, ``zz``
    is no issue of the brief (skipped; ``tax`` and ``date`` still scored).
    tax: forecast 55, outcome 70: error |55 - 70| = 15; status quo 40: |40 - 70| = 30.
    date: forecast 4, outcome 5: error 1; no status quo: no baseline."""
    scores = tl._scores(_brief(True), _events(), dt.date(2020, 6, 30))  # type: ignore[arg-type]
    assert scores == (
        Score(EVENT_DAY, "the tax moves", "tax", 40.0, 55.0, 70.0, 15.0, 30.0),
        Score(EVENT_DAY, "the tax moves", "date", None, 4.0, 5.0, 1.0, None),
    )
    assert [s.beats_status_quo for s in scores] == [True, None]  # 15 < 30; no baseline


def _run() -> TimelineRun:
    timeline = timeline_from_data(copy.deepcopy(TIMELINE))
    one, two = timeline.snapshots[:2]
    scores = (Score(EVENT_DAY, "the tax moves", "tax", 40.0, 55.0, 70.0, 15.0, 30.0),)
    runs = (
        SnapshotRun(
            one, SimpleNamespace(name="hand@one"), _brief(True), scores, {"dyads": ["a-b"]}, 1260
        ),  # type: ignore[arg-type]
        SnapshotRun(two, SimpleNamespace(name="hand@two"), _brief(False), (), None, 4096),  # type: ignore[arg-type]
    )
    return TimelineRun(timeline, runs, 1234, 7, ("a",))


FORECASTS = {
    "tax": {"label": "Tax rate", "status_quo": 40.0, "forecast": 55.0,
            "interval80": [45.0, 65.0], "inputs80": [50.0, 60.0], "spread": 20.0},
    "date": {"label": "Start date", "status_quo": None, "forecast": 4.0,
             "interval80": [3.0, 6.0], "inputs80": [4.0, 5.0], "spread": 3.0},
}  # fmt: skip


def _verdict(leader: str | None) -> dict[str, Any]:
    return {
        "leader": leader,
        "models": ["median", "nash"],
        "winners": [{"actor": "a", "name": "Alpha", "p_biggest": 0.75}],
        "flags": [{"kind": "close", "message": "too close"}],
    }


#: Each change as the JSON gives it: what it changes, the operation, the value (a set's
#: value, a shift's or scale's ``by``), the range of a ranged set only.
CHANGES_JSON = [
    {"change": "status_quo", "actor": None, "issue": "tax", "value": 30.0, "op": "set",
     "range": [25.0, 35.0], "sources": ["s1"], "note": "a new line"},
    {"change": "position", "actor": "b", "issue": "tax", "value": 5.0, "op": "shift",
     "sources": ["s1"], "note": "b +5"},
    {"change": "capability", "actor": "a", "issue": None, "value": 2.0, "op": "scale",
     "sources": ["s1"], "note": "a x2"},
    {"change": "remove_actor", "actor": "c", "issue": None, "value": None, "op": "remove_actor",
     "sources": ["s1"], "note": "c leaves"},
    {"change": "add_actor", "actor": None, "issue": None, "value": None, "op": "add_actor",
     "sources": ["s1"], "note": "d joins"},
]  # fmt: skip

SNAPSHOTS_JSON = [
    {
        "id": "one",
        "date": "2020-07-15",  # its own date, not the cut-off
        "cutoff": "2020-06-30",
        "title": "One",
        "scenario": "hand@one",
        "changes": CHANGES_JSON,
        "forecasts": FORECASTS,
        "verdict": _verdict("a"),
        "scores": [
            {"event_date": "2021-03-01", "event": "the tax moves", "issue": "tax",
             "status_quo": 40.0, "forecast": 55.0, "outcome": 70.0, "error": 15.0,
             "status_quo_error": 30.0, "beats_status_quo": True},
        ],
        "dyads": ["a-b"],  # the risk hook's own key
        "block": 1260,  # fewer than 4,096 draws a block: said
    },
    {
        "id": "two",
        "date": "2020-12-31",  # no date of its own: the cut-off
        "cutoff": "2020-12-31",
        "title": None,
        "scenario": "hand@two",
        "changes": [],
        "forecasts": FORECASTS,
        "verdict": _verdict(None),
        "scores": [],
        # no risk, and blocks of 4,096: neither key
    },
]  # fmt: skip


def test_the_json_of_a_run_key_by_key() -> None:
    assert _run().to_dict() == {
        "timeline": "hand",
        "title": "By hand",
        "base": "base.yaml",
        "base_status_quo": "actual",
        "held": ["a"],
        "draws": 1234,
        "seed": 7,
        "snapshots": SNAPSHOTS_JSON,
        "events": [
            {"date": "2021-03-01", "description": "the tax moves", "sources": ["late"],
             "outcomes": {"tax": 70.0}},
        ],
    }  # fmt: skip


def test_the_records_and_the_frame_one_row_per_snapshot_and_issue() -> None:
    """2 snapshots x 2 issues = 4 rows; p10 and p90 are the 80% interval's ends."""
    rows = [
        {"snapshot": snap, "date": date, "cutoff": cutoff, "issue": issue, "status_quo": sq,
         "forecast": forecast, "p10": p10, "p90": p90}
        for snap, date, cutoff in (("one", "2020-07-15", "2020-06-30"),
                                   ("two", "2020-12-31", "2020-12-31"))
        for issue, sq, forecast, p10, p90 in (("tax", 40.0, 55.0, 45.0, 65.0),
                                              ("date", None, 4.0, 3.0, 6.0))
    ]  # fmt: skip
    run = _run()
    assert run.to_records() == rows
    frame = run.to_frame()
    assert frame.shape == (4, 8)
    assert list(frame.columns) == list(rows[0])
    assert list(frame["p90"]) == [65.0, 6.0, 65.0, 6.0]


def test_the_repr_names_each_snapshots_leader_or_none() -> None:
    """1,234 draws with a thousands separator; Alpha's 0.75 as 75%; no leader said so."""
    assert repr(_run()).splitlines() == [
        "TimelineRun of 'hand': 2 snapshots, 1 events, 1,234 draws (seed 7)",
        "  one (2020-07-15): biggest winner Alpha (75%)",
        "  two (2020-12-31): biggest winner no leader",
    ]


# --- the base, the cumulative scenarios and the holds ----------------------------------------


def test_the_base_takes_every_actual_as_its_status_quo_with_its_note(tmp_path: Path) -> None:
    """``status_quo: actual``: aid (first, no actual) keeps its status quo 5 and the loop
    goes on; the tax's actual 40 becomes its status quo, its note after the base's words;
    the date's actual 6 (no note) becomes its status quo with the base's words alone."""
    base = base_scenario(load_timeline(_write(tmp_path)))
    words = (
        "[TIMELINE BASE] the actual outcome of tiny, made the status quo (the settlement to "
        "defend)."
    )
    aid, tax, date = (base.issue(i) for i in ("aid", "tax", "date"))
    assert aid.status_quo is not None
    assert aid.status_quo.value == 5.0
    assert tax.status_quo is not None
    assert date.status_quo is not None
    assert (tax.status_quo.value, tax.status_quo.note) == (40.0, f"{words} coded by hand")
    assert (date.status_quo.value, date.status_quo.note) == (6.0, words)
    assert (tax.actual, date.actual) == (None, None)
    assert base.name == "hand@base"


def test_an_own_base_is_the_scenario_as_it_is(tmp_path: Path) -> None:
    data = copy.deepcopy(TIMELINE)
    data["base"]["status_quo"] = "own"
    base = base_scenario(load_timeline(_write(tmp_path, data)))
    tax = base.issue("tax")
    assert tax.status_quo is not None
    assert tax.status_quo.value == 20.0  # TINY's own
    assert tax.actual is not None
    assert tax.actual.value == 40.0  # kept
    assert base.name == "tiny"


def test_the_snapshots_names_and_titles_worked_by_hand(tmp_path: Path) -> None:
    """Holding a and b: every name ends ``~held:a,b``; the title is the base's title (not
    its name) with the cut-off. Snapshot two changes nothing, three only a's salience
    (held: its patch is dropped whole); one keeps b's shift and the rest but not a's x2."""
    timeline = load_timeline(_write(tmp_path))
    (_, one), (_, two), (_, three) = snapshot_scenarios(timeline, hold=["a", "b"])
    assert [s.name for s in (one, two, three)] == [
        "hand@one~held:a,b",
        "hand@two~held:a,b",
        "hand@three~held:a,b",
    ]
    assert one.title == "A tiny test scenario: as of 2020-06-30"
    assert three.title == "A tiny test scenario: as of 2021-01-31"
    assert three.actor("a").capability.value == 3.0  # TINY's 3, not 3 x 2
    assert three.actor("a").stances["date"].salience.value == 0.5  # TINY's, not 0.9
    assert three.actor("b").stances["tax"].position.value == 5.0  # 0 + 5: b's shift kept
    assert one.actor_ids == ("a", "b", "d")  # c removed, d added


def test_a_held_change_is_one_of_a_held_actors_capability_or_salience_or_removal() -> None:
    def change(**kw: Any) -> Change:
        return Change(note="n", **kw)

    hold = ["c"]
    assert tl._held(change(remove_actor="c"), hold)
    assert not tl._held(change(remove_actor="b"), hold)
    assert tl._held(change(scale="capability", actor="c", by=2.0), hold)
    assert tl._held(change(set="salience", actor="c", issue="tax", value=0.5), hold)
    assert not tl._held(change(scale="capability", actor="a", by=2.0), hold)  # not held
    assert not tl._held(change(set="position", actor="c", issue="tax", value=1.0), hold)


def test_holding_an_unknown_actor_names_the_timeline_and_the_actors(tmp_path: Path) -> None:
    timeline = load_timeline(_write(tmp_path))
    with pytest.raises(sc.ScenarioError) as caught:
        snapshot_scenarios(timeline, hold=["zz", "yy"])
    assert caught.value.problem == (
        "cannot hold zz, yy: not an actor of the base; the actors are: a, b, c"
    )
    assert caught.value.file == "hand"


def test_a_snapshots_patch_carries_its_title_and_note(tmp_path: Path) -> None:
    one, two, _ = load_timeline(_write(tmp_path)).snapshots
    patch = one.patch()
    assert patch is not None
    assert (patch.name, patch.title, patch.assumes) == ("one", "One", "five changes")
    assert len(patch.changes) == 5
    assert two.patch() is None


# --- one snapshot by its name ----------------------------------------------------------------


def test_a_snapshot_by_name_splits_at_the_first_at_and_at_commas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)  # the timeline by its file name, relative
    held = snapshot_scenario("hand.yaml@one~held:a,b")
    assert held.name == "hand@one~held:a,b"
    assert held.actor("a").capability.value == 3.0  # held: not 3 x 2
    ref = "hand.yaml@one@x"  # the timeline is before the first @: no snapshot 'one@x'
    with pytest.raises(sc.ScenarioError) as caught:
        snapshot_scenario(ref)
    assert (
        caught.value.problem
        == "hand.yaml has no snapshot 'one@x'; its snapshots are: one, two, three"
    )
    assert caught.value.file == ref


@pytest.mark.parametrize("ref", ["hand.yaml", "@one", "hand.yaml@"])
def test_a_snapshot_name_without_both_parts_is_refused(ref: str) -> None:
    with pytest.raises(sc.ScenarioError) as caught:
        snapshot_scenario(ref)
    assert caught.value.problem == f"{ref!r} is not TIMELINE@SNAPSHOT"
    assert caught.value.file == ref


# --- what is a timeline, and where the loaders' errors point ---------------------------------


def test_is_timeline_needs_snapshots_and_no_actors(tmp_path: Path) -> None:
    def file(name: str, data: Any) -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    assert is_timeline(file("t.yaml", {"name": "t", "snapshots": []}))
    assert not is_timeline(file("both.yaml", {"snapshots": [], "actors": []}))
    assert not is_timeline(file("neither.yaml", {"name": "x"}))
    assert not is_timeline(file("list.yaml", [1, 2]))


def test_a_name_the_system_cannot_look_up_is_no_file() -> None:
    assert not tl._is_file(Path("a\x00b"))  # a NUL: ValueError
    assert not tl._is_file(Path("x" * 5000))  # too long a name: OSError


#: A small timeline file written out, so that each line number below can be read off it.
SMALL = """\
name: small
base:
  scenario: base.yaml
sources:
  - id: s1
    date: 2020-03-01
    citation: first
  - id: s2
    date: 2020-03-02
    citation: second
snapshots:
  - id: one
    cutoff: 2020-06-30
    note: first
    sources: [s1]
  - id: two
    cutoff: 2020-07-30
    note: second
    sources: [s2]
events:
  - date: 2021-01-01
    description: later
    sources: [s1]
"""


@pytest.mark.parametrize(
    ("old", "new", "problem", "path", "line"),
    [
        # the second source's id repeats the first's: sources[1].id, on line 8
        ("- id: s2", "- id: s1", "duplicate source id 's1'", ("sources", 1, "id"), 8),
        # the second snapshot has no note: the field is not in the file, so the line is the
        # nearest enclosing one the file has, snapshots[1] on line 16 (not snapshots', 12)
        ("    note: second\n", "", "Field required", ("snapshots", 1, "note"), 16),
        # a dyad of one actor twice: the top-level key dyad, on line 20 (put before events)
        ("events:", "dyad: [a, a]\nevents:", "a dyad is two different actors, not ['a', 'a']",
         ("dyad",), 20),
        # a date written without its zeros: pydantic's whole message, not only the context
        # it gives as text ("input is too short", all that was said until 2026-12-07)
        ("date: 2020-03-01", "date: 2020-3-1",
         "Input should be a valid date or datetime, input is too short",
         ("sources", 0, "date"), 6),
    ],
)  # fmt: skip
def test_a_bad_timeline_file_names_the_file_field_and_line(
    tmp_path: Path, old: str, new: str, problem: str, path: tuple[Any, ...], line: int
) -> None:
    assert old in SMALL
    file = tmp_path / "small.yaml"
    file.write_text(SMALL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(file)
    err = caught.value
    assert (err.problem, err.file, err.path, err.line) == (problem, str(file), path, line)
    data, lines = tl.load_yaml_data(SMALL.replace(old, new, 1), file="x")
    with pytest.raises(sc.ScenarioError) as again:  # from data: the label and lines given
        timeline_from_data(data, label="given", lines=lines)
    assert (again.value.file, again.value.line) == ("given", line)


def test_data_that_is_no_mapping_is_refused_with_its_label() -> None:
    with pytest.raises(sc.ScenarioError) as caught:
        timeline_from_data([1, 2], label="mine")
    assert caught.value.problem == (
        "a timeline is a mapping with name, base, sources, snapshots and events"
    )
    assert caught.value.file == "mine"


def test_malformed_yaml_and_too_big_a_file_name_the_timeline_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [", encoding="utf-8")
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(broken)
    assert caught.value.file == str(broken)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (4 * 2**20 + 1))  # one byte over the 4 MiB a file may be
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(big)
    assert caught.value.problem == "the file is 4.0 MiB; a timeline file may be at most 4 MiB"


def test_no_such_timeline_lists_the_built_ins_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "missing.yaml")
    start = "no such timeline file, nor a built-in timeline; the built-ins are: "
    monkeypatch.setattr(tl, "builtin_timelines", lambda: ("first", "second"))
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(missing)
    assert caught.value.problem == start + "first, second"
    assert caught.value.file == missing
    monkeypatch.setattr(tl, "builtin_timelines", lambda: ())
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline(missing)
    assert caught.value.problem == start + "none"


# --- the runner passes its arguments on: to the briefs, the risk hook and the budgets --------


def test_the_documented_defaults() -> None:
    """docs/timeline.md: 1,000 draws per snapshot from seed 0, calibrated briefs, the risk
    of renewed conflict; the risk hook's own defaults the same draws and seed."""
    run = inspect.signature(tl.run_timeline).parameters
    assert {k: run[k].default for k in ("draws", "seed", "risk", "calibrated", "memory")} == {
        "draws": 1000,
        "seed": 0,
        "risk": "conflict",
        "calibrated": True,
        "memory": None,
    }
    hook = inspect.signature(tl.conflict_risk).parameters
    assert (hook["draws"].default, hook["seed"].default) == (1000, 0)


def test_the_run_is_the_briefs_and_risks_of_its_snapshots_with_its_arguments(
    tmp_path: Path,
) -> None:
    """Each snapshot's brief is ``brief`` of its scenario, and its risk ``risk`` of it with
    the previous snapshot's scenario, the timeline's dyad, and the run's draws, seed,
    calibration and budget: the definition of the run, so the expected values are those
    functions' own, and each argument is shown to change them here (else the comparison
    could not tell a dropped argument). The block, by hand: 3 actors and 3 issues take
    8 x (7 x 3 x 3 + 2 x (3 + 3)) = 600 bytes a draw; half of 1 MiB holds 524,288 // 600 =
    873 draws, fewer than 4,096."""
    data = copy.deepcopy(TIMELINE)
    data["dyad"] = ["b", "d"]  # not the riskiest dyad (a, b): the guarantors differ
    timeline = load_timeline(_write(tmp_path, data))
    args = {"draws": 20, "seed": 5, "memory": "1M"}
    run = tl.run_timeline(timeline, calibrated=False, **args)  # type: ignore[arg-type]
    assert (run.draws, run.seed, run.held) == (20, 5, ())
    previous = None
    for k, (snap, scenario) in enumerate(snapshot_scenarios(timeline)):
        got = run.snapshots[k]
        assert got.snapshot == snap
        assert got.block == 873
        brief_of = {"calibrated": False, **args}
        expected = sc.brief(scenario, **brief_of).to_dict()  # type: ignore[arg-type]
        assert got.brief.to_dict() == expected
        risk_of = {"previous": previous, "dyad": ("b", "d"), **args}
        assert got.risk == sc.risk(scenario, **risk_of).to_dict()  # type: ignore[arg-type]
        if k == 1:  # every argument matters: without it, another result
            for key, other in {"draws": 30, "seed": 0, "memory": None, "calibrated": True}.items():
                changed = sc.brief(scenario, **(brief_of | {key: other})).to_dict()  # type: ignore[arg-type]
                assert changed != expected, key
            for key, other in {"previous": None, "dyad": None, "draws": 30, "seed": 0,
                               "memory": None}.items():  # fmt: skip
                changed = sc.risk(scenario, **(risk_of | {key: other})).to_dict()  # type: ignore[arg-type]
                assert changed != got.risk, key
        previous = scenario
    # and calibrated, as by default (True, where a falsy stand-in would mean False)
    default = tl.run_timeline(timeline, draws=20, seed=5, risk=None)
    for got, (_, scenario) in zip(default.snapshots, snapshot_scenarios(timeline), strict=True):
        assert got.brief.to_dict() == sc.brief(scenario, draws=20, seed=5).to_dict()
        assert got.risk is None


def test_a_bad_budget_or_draws_is_refused_before_any_snapshot(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="the memory budget must be a size"):
        tl.conflict_risk(memory="lots")  # when the hook is made, not at its first call
    timeline = load_timeline(_write(tmp_path))
    with pytest.raises(ValueError, match=r"^draws must be a positive integer, not 0$"):
        tl.run_timeline(timeline, draws=0)


def _crowd(n: int) -> dict[str, Any]:
    """BASE with ``n`` actors in all: a, b, c and copies of b named x3, x4, ..."""
    data = copy.deepcopy(BASE)
    for k in range(3, n):
        data["actors"].append({**copy.deepcopy(BASE["actors"][1]), "id": f"x{k}", "name": None})
    return data


def _crowded(tmp_path: Path, n: int) -> tl.Timeline:
    path = _write(tmp_path)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(_crowd(n)), encoding="utf-8")
    return load_timeline(path)


def test_the_risk_histograms_must_fit_half_the_budget(tmp_path: Path) -> None:
    """6 actors (snapshot one: c out, d in), 15 dyads, 3 issues all with a status quo: the
    histograms take 8 x 1,003 x (2 x 15 + 6 x 3 + 3 x 6 + 3 + 1) = 8 x 1,003 x 70 =
    561,680 bytes, more than half of 1 MiB (524,288): refused, naming the snapshot, where the
    risk is measured; counting the issues without a status quo (none) would give
    8 x 1,003 x 49 = 393,176 and pass. Without the risk, the briefs fit."""
    timeline = _crowded(tmp_path, 6)
    scenarios = snapshot_scenarios(timeline)
    budget = 2**20
    with pytest.raises(sc.MemoryLimitError) as caught:
        tl.check_budgets(scenarios, budget, strict=False, conflict=True)
    assert str(caught.value).startswith(
        "snapshot one: the risk analysis of 6 actors (15 dyads) would keep about 0.5 MiB of "
        "histograms, more than its budget of 0.5 MiB (half the memory budget of 1.0 MiB)"
    )
    tl.check_budgets(scenarios, budget, strict=False, conflict=False)  # passes
    with pytest.raises(sc.MemoryLimitError, match="snapshot one: the risk analysis"):
        tl.run_timeline(timeline, draws=2, memory="1M")
    run = tl.run_timeline(timeline, draws=2, memory="1M", risk=None)  # no risk: it runs
    assert [s.risk for s in run.snapshots] == [None, None, None]


def test_a_given_budget_must_hold_one_draw_of_every_brief(tmp_path: Path) -> None:
    """100 actors: the expected-utility model's one draw needs more than 1 MiB (strict, as
    when the caller gives the budget), though a block of draws is sized to fit it; the
    default budget (512 MiB) holds it."""
    timeline = _crowded(tmp_path, 100)
    scenarios = snapshot_scenarios(timeline)
    says = (
        r"^snapshot one: the expected-utility model on 100 actors x 3 issues needs at least "
        r"2 MiB for one draw; the memory budget is 1 MiB"
    )
    with pytest.raises(sc.MemoryLimitError, match=says):
        tl.check_budgets(scenarios, 2**20, strict=True, conflict=False)
    tl.check_budgets(scenarios, 2**20, strict=False, conflict=False)  # not held to it
    tl.check_budgets(scenarios, 512 * 2**20, strict=True, conflict=True)  # room enough
    with pytest.raises(sc.MemoryLimitError, match=says):
        tl.run_timeline(timeline, draws=2, memory="1M", risk=None)


def test_a_broken_built_in_is_named_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in timeline is named ``NAME (built-in timeline)`` in its errors (the shipped
    ones load; a folder of built-ins with a broken one stands in)."""
    (tmp_path / "broken.yaml").write_text("name: [", encoding="utf-8")
    monkeypatch.setattr(tl, "_folder", lambda: tmp_path)
    monkeypatch.chdir(tmp_path / "..")  # no file called "broken" here: the built-in
    assert tl.builtin_timelines() == ("broken",)
    with pytest.raises(sc.ScenarioError) as caught:
        load_timeline("broken")
    assert caught.value.file == "broken (built-in timeline)"
