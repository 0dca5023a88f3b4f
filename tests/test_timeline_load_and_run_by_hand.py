"""Timelines by hand, continued (issue 22's mutation triage of ``timeline``): one
snapshot by its name; what is a timeline, and where the loaders' errors point (file,
field, line); and the runner, which passes its arguments on to the briefs, the risk hook
and the memory checks. The timeline and its base are those of ``test_timeline_by_hand``."""

from __future__ import annotations

import copy
import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml

import statecraft as sc
from statecraft.analysis import timeline as tl
from statecraft.analysis.timeline import (
    is_timeline,
    load_timeline,
    snapshot_scenario,
    snapshot_scenarios,
    timeline_from_data,
)
from tests.test_timeline_by_hand import BASE, TIMELINE, _write

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
        # nearest enclosing one the file has: snapshots[1], line 16 (the list's is line 12)
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


class _Called(Exception):
    """Raised by a stand-in with the keywords it was called with."""


def test_the_run_and_the_risk_hook_use_their_defaults_when_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defaults as the code uses them, not only as its signature shows them: a run
    called without draws or seed asks its first brief for 1,000 draws from seed 0, and the
    risk hook made without them asks the risk analysis for the same (docs/timeline.md)."""

    def stand_in(*_: Any, **keywords: Any) -> None:
        raise _Called(keywords)

    timeline = load_timeline(_write(tmp_path, TIMELINE))
    monkeypatch.setattr(tl, "brief", stand_in)
    with pytest.raises(_Called) as called:
        tl.run_timeline(timeline, risk=None)
    assert (called.value.args[0]["draws"], called.value.args[0]["seed"]) == (1000, 0)
    monkeypatch.setattr(tl, "risk_of", stand_in)
    scenario = snapshot_scenarios(timeline)[0][1]
    with pytest.raises(_Called) as called:
        tl.conflict_risk()(scenario, None)
    assert (called.value.args[0]["draws"], called.value.args[0]["seed"]) == (1000, 0)


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
