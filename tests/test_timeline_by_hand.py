"""Timelines by hand (issue 22's mutation triage of ``timeline``): the JSON and records of a
run, its scores and repr on a hand-built timeline whose briefs are stand-ins with chosen
numbers (so every key and value below is written out by hand, not taken from the code);
and the cumulative scenarios, the base and the holds on a three-issue base. Loading and
running: ``test_timeline_load_and_run_by_hand``."""

from __future__ import annotations

import copy
import datetime as dt
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
    load_timeline,
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
