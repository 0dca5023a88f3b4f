"""The memory budget of advise's robustness pass and of timeline's snapshots (issue 19, a new
user's trial): advise estimates the pass's bytes before any draw and refuses, up front, a
budget below them, naming the smallest --memory that works; timeline checks every snapshot's
brief and risk budget before running any. Bytes worked out by hand, as test_budget.py and
test_budget_more.py do."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import _robustness
from statecraft.analysis import advise as advise_module
from statecraft.analysis import timeline as timeline_module
from statecraft.analysis.advise import advise
from statecraft.analysis.timeline import load_timeline, run_timeline
from statecraft.arrays import scenario_batch
from statecraft.cli import app
from statecraft.io.native import dumps_json
from statecraft.models import build_models
from tests.test_budget import compromise_calls, crowd

#: 20 actors on 2 issues, every one on both, compromise, 100 draws. 140 levers (3 x 20 x 2
#: per actor and issue, 20 overall capabilities): V = 280 variants, L = 20 leavers. Per draw:
#: the inputs 8 (7 x 40 + 2 x 22) = 2,592; the forecasts 8 x 2 x (280 + 20 + 1) = 4,816;
#: the larger of the goal's temporaries 4 x 8 x 2 x 280 = 17,920 and one issue's expanded
#: variants, 2 x (60 + 20) = 160 of them, 160 x 8 (3 x 20 + 20 + 1) = 103,680: 111,088 bytes,
#: 11,108,800 for 100 draws. The model's runs: 160 x 100 = 16,000 draws of 64 x 20 + 8 (7 x 20
#: + 2 x 21) = 2,736 bytes, in chunks of half the budget.
HELD = 100 * (2_592 + 4_816 + 103_680)


def _levers(s: sc.Scenario) -> tuple[Any, Any, list[Any]]:
    (model,) = build_models(["compromise"], {})
    return model, scenario_batch(s), advise_module.lever_inputs(s)


def test_the_estimate_by_hand() -> None:
    """At 16 MiB a chunk is 8,388,608 // 2,736 = 3,066 draws (8,388,576 bytes): 19,497,376
    bytes in all. The smallest budget: chunks within its half, 2 x (11,108,800 + 2,736) =
    22,223,072 bytes (21.2 MiB), below the run whole (2 x 16,000 x 2,736 = 87,552,000)."""
    s = crowd(20, 2)
    model, batch, inputs = _levers(s)
    assert len(inputs) == 140
    assert HELD == 11_108_800
    got = _robustness.robustness_memory(model, batch, inputs, 20, 100, 8 * 2**20)
    assert got == HELD + 3_066 * 2_736 == 19_497_376
    assert _robustness.smallest_memory(model, batch, inputs, 20, 100) == 22_223_072


def test_advise_refuses_up_front_and_the_smallest_size_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """16 MiB is refused before any run of the model and any draw (19 MiB needed); 21 MiB
    too (half of it, 11,010,048 bytes, takes chunks of 4,024 draws: 11,108,800 + 11,009,664 =
    22,118,464 > 22,020,096); 22 MiB, the size the message names, works (chunks of 4,215
    draws: 22,641,040 <= 23,068,672)."""
    s = crowd(20, 2)
    seen = compromise_calls(monkeypatch)
    passes: list[int] = []
    real = advise_module.robustness

    def spy(*args: Any) -> Any:
        passes.append(1)
        return real(*args)

    monkeypatch.setattr(advise_module, "robustness", spy)
    with pytest.raises(sc.MemoryLimitError) as caught:
        advise(s, s.actor_ids[0], model="compromise", draws=100, memory="16M")
    assert str(caught.value) == (
        "the robustness of 140 levers over 100 draws would hold about 19 MiB, more than the "
        "memory budget of 16 MiB (give fewer --draws, or --memory 22M or more: half a budget "
        "is for the model's runs)"
    )
    assert seen == []
    assert passes == []
    with pytest.raises(sc.MemoryLimitError, match="about 21 MiB"):
        advise(s, s.actor_ids[0], model="compromise", draws=100, memory="21M")
    advise(s, s.actor_ids[0], model="compromise", draws=100, memory="22M")
    assert passes == [1]


def test_advise_command_refuses_in_one_line_before_any_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    s = crowd(20, 2)
    path = tmp_path / "crowd.json"
    path.write_text(dumps_json(s), encoding="utf-8")
    seen = compromise_calls(monkeypatch)
    args = ["advise", str(path), "-a", s.actor_ids[0], "-m", "compromise", "-n", "100"]
    result = CliRunner().invoke(app, [*args, "--memory", "16M"])
    assert result.exit_code == 2, result.output
    assert result.output.strip().startswith("error: the robustness of 140 levers over 100")
    assert "--memory 22M or more" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert seen == []


def test_the_estimate_bounds_the_traced_peak(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pass's traced peak (NumPy's arrays included) at 22 MiB stays under the estimate,
    22,641,040 bytes (above), and above half of it. The estimate is an upper bound: the
    model's chunk is counted at the compromise model's declared 1,280 bytes a draw, which
    it need not all use, and E counts every variant of an issue where equal writes run
    once; within 2x, since the held draws' bytes, measured, are about half the estimate."""
    s = crowd(20, 2)
    model, batch, inputs = _levers(s)
    estimate = _robustness.robustness_memory(model, batch, inputs, 20, 100, 11 * 2**20)
    assert estimate == HELD + 4_215 * 2_736 == 22_641_040
    advise(s, s.actor_ids[0], model="compromise", draws=10, flips=False)  # caches filled
    peaks: list[int] = []
    real = _robustness.robustness

    def traced(*args: Any) -> Any:
        tracemalloc.start()
        try:
            return real(*args)
        finally:
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    monkeypatch.setattr(advise_module, "robustness", traced)
    advise(s, s.actor_ids[0], model="compromise", draws=100, flips=False, memory="22M")
    assert estimate / 2 < peaks[0] <= estimate, peaks


def test_advise_at_the_default_is_unchanged() -> None:
    """No budget, the default's and a larger one give the same bytes (the budget sizes the
    chunks only). The CLI's JSON of karabakh-2020's advise for armenia at the default was
    also compared with cmp against main's code when this check was added: identical."""
    k = sc.load("karabakh-2020")
    base = advise(k, "armenia", draws=50, flips=False)
    for memory in ("512M", "2G"):
        given = advise(k, "armenia", draws=50, flips=False, memory=memory)
        assert json.dumps(given.to_dict()) == json.dumps(base.to_dict())


def test_statecraft_memory_refuses_the_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's limit applies without a budget: STATECRAFT_MEMORY=40M holds the study's
    block (4,096 draws) and 10 robustness draws, not 500 (500 x 111,088 = 55,544,000 bytes
    held, 53 MiB, before the model's runs)."""
    s = crowd(20, 2)
    monkeypatch.setenv("STATECRAFT_MEMORY", "40M")
    advise(s, s.actor_ids[0], model="compromise", draws=10, flips=False)
    with pytest.raises(sc.MemoryLimitError) as caught:
        advise(s, s.actor_ids[0], model="compromise", draws=500, flips=False)
    assert str(caught.value).startswith("the robustness of 140 levers over 500 draws")
    assert "STATECRAFT_MEMORY allows 40 MiB (give fewer --draws" in str(caught.value)


def test_report_refuses_the_levers_before_any_study(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report checks the levers' robustness first: 800 draws of karabakh-2020's 138
    levers for armenia (about 62 KB a draw, docs/performance.md) do not fit 4 MiB, refused
    with no simulation run."""
    from statecraft.report import html
    from statecraft.report.registry import COMPUTE

    ran: list[str] = []
    for kind in list(COMPUTE):
        real = COMPUTE[kind]

        def spy(*args: Any, _real: Any = real, _kind: str = kind) -> Any:
            ran.append(_kind)
            return _real(*args)

        monkeypatch.setitem(COMPUTE, kind, spy)
    with pytest.raises(sc.MemoryLimitError, match="the robustness of 138 levers over 800"):
        html.report(sc.load("karabakh-2020"), draws=800, memory="4M", advise=["armenia"])
    assert ran == []


# --- timeline --------------------------------------------------------------------------


def test_timeline_refuses_before_running_any_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1 MiB a snapshot's risk cannot hold its 1,203,600 bytes of histograms
    (test_budget_more.py): refused with no brief and no risk run, naming 3M (2 x 1,203,600
    - 1 = 2,407,199 bytes, 2.3 MiB, rounded up); 3 MiB then works."""
    calls: list[str] = []
    real_brief, real_risk = timeline_module.brief, timeline_module.risk_of

    def brief_spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("brief")
        return real_brief(*args, **kwargs)

    def risk_spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("risk")
        return real_risk(*args, **kwargs)

    monkeypatch.setattr(timeline_module, "brief", brief_spy)
    monkeypatch.setattr(timeline_module, "risk_of", risk_spy)
    t = load_timeline("karabakh-2020-2023")
    with pytest.raises(sc.MemoryLimitError) as caught:
        run_timeline(t, draws=10, memory="1M")
    assert calls == []
    assert "give --memory 3M or more" in str(caught.value)
    assert str(caught.value).startswith("snapshot ")
    run = run_timeline(t, draws=10, memory="3M")
    assert calls.count("brief") == calls.count("risk") == len(run.snapshots) > 0


def test_timeline_command_refuses_at_once() -> None:
    args = ["timeline", "karabakh-2020-2023", "--draws", "20000", "--memory", "1M"]
    result = CliRunner().invoke(app, [*args, "--no-store"])
    assert result.exit_code == 2, result.output
    assert "give --memory 3M or more" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_without_memory_only_the_machine_bounds_the_pass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """`advise` and `report --advise` without --memory hold the pass to the machine's memory
    only (as advise(memory=None) does), not to the 512 MiB default: a 20,000-draw advise that
    ran before the budget existed (1.2 GB) still runs where the machine allows it."""
    s = crowd(20, 2)
    path = tmp_path / "crowd.json"
    path.write_text(dumps_json(s), encoding="utf-8")
    given: list[Any] = []
    monkeypatch.setattr(
        advise_module,
        "check_robustness",
        lambda *a: given.append(a[5]) or (_ for _ in ()).throw(sc.MemoryLimitError("stop")),
    )
    args = ["advise", str(path), "-a", s.actor_ids[0], "-m", "compromise", "-n", "100"]
    CliRunner().invoke(app, args)
    CliRunner().invoke(app, [*args, "--memory", "1G"])
    assert given == [None, 2**30]


def test_the_report_command_without_memory_leaves_the_levers_to_the_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """`report --advise` without --memory checks the levers against the machine only (None),
    as `advise` does; with --memory it checks them against that budget."""
    from statecraft.report import html

    given: list[Any] = []

    def stop(scenario: Any, model: Any, draws: int, memory: Any) -> None:
        given.append(memory)
        raise sc.MemoryLimitError("stop here")

    monkeypatch.setattr(html, "check_advise", stop)
    args = ["report", "karabakh-2020", "-o", str(tmp_path / "r.html"), "--advise", "armenia"]
    assert CliRunner().invoke(app, args).exit_code != 0
    assert CliRunner().invoke(app, [*args, "--memory", "1G"]).exit_code != 0
    assert given == [None, 2**30]
