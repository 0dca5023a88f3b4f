"""The memory budget (issue 19, "memory from a budget") of risk, advise, timeline and report,
as test_budget.py tests it for simulate, brief and compare: blocks and chunks follow the
budget (sizes worked out by hand), the default budget changes nothing, a budget too small
is refused with both figures, bad sizes are refused by every command, and the risk study's
traced memory stays under a small budget however many draws."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import _blocks, _risk_study
from statecraft.analysis.advise import advise
from statecraft.analysis.risk import risk
from statecraft.analysis.timeline import load_timeline, run_timeline
from statecraft.cli import app
from statecraft.io.native import dumps_json
from statecraft.report.registry import COMPUTE, ChartInputs
from tests.test_budget import compromise_calls, crowd

MIB = 2**20


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, sizes: list[int]) -> None:
    """Record the batch size (the argument after the block number) of every draw."""
    real = getattr(module, name)

    def spy(scenario: Any, inputs: Any, seed: int, block: int, size: int, **kw: Any) -> Any:
        sizes.append(size)
        return real(scenario, inputs, seed, block, size, **kw)

    monkeypatch.setattr(module, name, spy)


# --- risk ------------------------------------------------------------------------------


def test_risk_blocks_and_chunks_follow_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """12 actors on 4 settled issues at 8 MiB. A draw of the inputs: 8 (7 x 48 + 2 x 16) =
    2,944 bytes; a block: 4 MiB // 2,944 = 1,424 draws (4,192,256 bytes). The histograms:
    8 x 1,003 x (2 x 66 dyads + 48 + 3 x 12 + 4 + 1) = 1,773,304 bytes. A chunk's draw:
    8 (16 x 14^2 + 10 x 12^2 + 4 x 12 x 4 + 8 x 12) = 38,912 bytes, and it gets
    min(4 MiB, 8 MiB - 4,192,256 - 1,773,304) = 2,423,048 bytes: 62 draws. 1,500 draws come
    in blocks of 1,424 and 76, evaluated 62 at a time."""
    s = crowd(12, 4)
    assert _risk_study.tally_bytes(12, 4) == 1_773_304
    assert _risk_study.draw_bytes(12, 4) == 38_912
    plan = _risk_study.plan_for(s, None, (0, 1))
    assert _risk_study.sizes(plan, 8 * MIB) == (1424, 62)
    # the default: a whole block, and a chunk of 256 MiB // 38,912 = 6,898 draws
    assert _risk_study.sizes(plan) == (4096, 6898)
    drawn: list[int] = []
    seen: list[int] = []
    _spy(monkeypatch, _risk_study, "draw_block", drawn)
    evaluate = _risk_study.evaluate

    def spy(plan: Any, batch: Any, prev: Any) -> Any:
        seen.append(batch.size)
        return evaluate(plan, batch, prev)

    monkeypatch.setattr(_risk_study, "evaluate", spy)
    pair = s.actor_ids[:2]  # named, so the draws are run once
    r = risk(s, draws=1500, memory="8M", dyad=pair)
    assert drawn == [1424, 76]
    assert seen == [62] * 22 + [60] + [62, 14]  # 1,424 = 22 x 62 + 60
    assert r.block == 1424
    assert r.to_dict()["block"] == 1424
    assert r.block_note is not None
    assert "blocks of 1,424, not 4,096" in r.block_note


def test_risk_at_the_default_budget_is_unchanged() -> None:
    """The default, given or not, and a budget that holds a whole block and chunk give the
    same bytes, and the JSON has no block (as before the budget)."""
    k = sc.load("karabakh-2020")
    base = risk(k, draws=300, seed=3)
    assert base.block == 4096
    assert "block" not in base.to_dict()
    text = json.dumps(base.to_dict())
    for memory in ("512M", 512 * MIB, "1G"):
        assert json.dumps(risk(k, draws=300, seed=3, memory=memory).to_dict()) == text
    # 64 MiB: 32 MiB // 2,744 bytes a draw = 12,228 draws, so still blocks of 4,096
    assert json.dumps(risk(k, draws=300, seed=3, memory="64M").to_dict()) == text
    # 4 MiB: blocks of 2 MiB // 2,744 = 764 draws: other draws, other means
    small = risk(k, draws=1000, seed=3, memory="4M").to_dict()["dyads"]
    assert [d["mean"] for d in small] != [
        d["mean"] for d in risk(k, draws=1000, seed=3).to_dict()["dyads"]
    ]


def test_risk_refuses_a_budget_whose_half_cannot_hold_its_histograms() -> None:
    """Karabakh: 9 actors, 5 settled issues: 8 x 1,003 x (2 x 36 + 45 + 27 + 5 + 1) =
    1,203,600 bytes (1.1 MiB) of histograms, more than half of 1 MiB. The smallest budget
    whose half (rounded up) holds them is 2 x 1,203,600 - 1 = 2,407,199 bytes, 2.3 MiB:
    3M in whole MiB."""
    assert _risk_study.tally_bytes(9, 5) == 1_203_600
    with pytest.raises(sc.MemoryLimitError) as caught:
        risk(sc.load("karabakh-2020"), draws=10, memory="1M")
    assert str(caught.value) == (
        "the risk analysis of 9 actors (36 dyads) would keep about 1.1 MiB of histograms, "
        "more than its budget of 0.5 MiB (half the memory budget of 1.0 MiB): give "
        "--memory 3M or more, or analyse fewer actors"
    )


def test_risk_refuses_a_budget_before_any_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal above comes before the model runs at all: the focus dyad, worked out by
    a run at the scenario's values, is never sought."""
    import statecraft.analysis.risk as risk_module

    sought: list[Any] = []
    monkeypatch.setattr(risk_module, "_focus", lambda *a: sought.append(a))
    with pytest.raises(sc.MemoryLimitError):
        risk(sc.load("karabakh-2020"), draws=10, memory="1M")
    assert sought == []


def _peak(scenario: sc.Scenario, draws: int) -> int:
    tracemalloc.start()
    try:
        risk(scenario, draws=draws, memory="8M", seed=1, dyad=scenario.actor_ids[:2])
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_risk_peak_memory_stays_under_a_small_budget_as_draws_grow() -> None:
    """12 actors on 4 issues at 8 MiB (blocks of 1,424, chunks of 62: above): the traced
    peak stays under the budget at 1,500 draws and at three times as many, and does not
    grow with them (one block is let go before the next is drawn)."""
    s = crowd(12, 4)
    risk(s, draws=20, memory="8M", dyad=s.actor_ids[:2])  # caches filled first
    small = _peak(s, 1500)
    large = _peak(s, 4500)
    assert small < 8 * MIB
    assert large < 8 * MIB
    assert large < small * 1.1 + 2**18


# --- advise ----------------------------------------------------------------------------


def test_advise_runs_the_model_in_chunks_of_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """20 actors on 2 issues, compromise (no memory of its own per run; 64 bytes per actor
    and issue per draw). A one-issue model runs per issue on the variants: a draw of 20
    actors x 1 issue is 64 x 20 + 8 (7 x 20 + 2 x 21) = 2,736 bytes, so half of 2 MiB holds
    1,048,576 // 2,736 = 383 draws. 8 robustness draws of the 2 x 80 variants touching an
    issue make calls of 1,280 draws, run 383 at a time (8 draws: the robustness pass fits
    2 MiB, test_budget_advise.py; 100 no longer do). The default's half holds every call
    whole (and the flip search's larger ones). The figures are the same."""
    s = crowd(20, 2)
    seen = compromise_calls(monkeypatch)
    actor = s.actor_ids[0]
    small = advise(s, actor, model="compromise", draws=8, memory="2M")
    assert max(seen) == 383
    seen.clear()
    default = advise(s, actor, model="compromise", draws=8)
    assert max(seen) > 383
    seen.clear()
    given = advise(s, actor, model="compromise", draws=8, memory="512M")
    assert json.dumps(small.to_dict()) == json.dumps(default.to_dict())
    assert json.dumps(given.to_dict()) == json.dumps(default.to_dict())


def test_advise_refuses_a_budget_that_cannot_hold_one_draw(tmp_path: Path) -> None:
    """The spatial model's one run at 300 actors is 2,422,099,200 bytes (test_budget.py):
    more than 1 GiB, refused by the function and the command (exit 2, one line). With two
    draws of the inputs (8 (7 x 300 + 2 x 301) = 21,616 bytes each) and the model's 9,600
    bytes a draw: 2,422,152,032 bytes, 2.256 GiB, so the smallest budget in tenths of a GiB
    is 2.3G."""
    s = crowd(300)
    with pytest.raises(sc.MemoryLimitError, match=r"needs at least 2\.3 GiB for one draw"):
        advise(s, s.actor_ids[0], model="spatial", draws=10, memory="1G")
    path = tmp_path / "crowd.json"
    path.write_text(dumps_json(s), encoding="utf-8")
    args = ["advise", str(path), "-a", s.actor_ids[0], "-m", "spatial", "--memory", "1G"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "error: the spatial model on 300 actors x 1 issue needs at least 2.3 GiB for one "
        "draw; the memory budget is 1.0 GiB (give --memory 2.3G or more, or use fewer actors "
        "or issues, or another model)"
    )


# --- timeline --------------------------------------------------------------------------


def test_timeline_blocks_follow_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every snapshot of karabakh-2020-2023 has 9 actors on 5 issues: a draw of the inputs
    is 8 (7 x 45 + 2 x 14) = 2,744 bytes, so at 4 MiB both the brief and the risk draw
    blocks of 2 MiB // 2,744 = 764 draws: 800 draws come as 764 and 36 (the risk of a
    later snapshot draws the earlier one's too). Kept with each snapshot and told."""
    briefs: list[int] = []
    risks: list[int] = []
    _spy(monkeypatch, _blocks, "draw_block", briefs)
    _spy(monkeypatch, _risk_study, "draw_block", risks)
    run = run_timeline(load_timeline("karabakh-2020-2023"), draws=800, memory="4M")
    assert briefs == [764, 36] * 3
    assert risks == [764, 36] + [764, 764, 36, 36] * 2  # now and then, block by block
    assert [s.block for s in run.snapshots] == [764] * 3
    assert [s["block"] for s in run.to_dict()["snapshots"]] == [764] * 3
    assert all("blocks of 764, not 4,096" in (s.block_note or "") for s in run.snapshots)


def test_timeline_at_the_default_budget_is_unchanged() -> None:
    t = load_timeline("karabakh-2020-2023")
    base = run_timeline(t, draws=100, seed=2)
    given = run_timeline(t, draws=100, seed=2, memory="512M")
    assert json.dumps(given.to_dict()) == json.dumps(base.to_dict())
    assert all("block" not in s for s in base.to_dict()["snapshots"])


def test_timeline_command_refuses_a_budget_too_small() -> None:
    """At 1 MiB the first snapshot's risk cannot hold its 1.1 MiB of histograms (above)."""
    args = ["timeline", "karabakh-2020-2023", "--draws", "10", "--memory", "1M", "--no-store"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "1.1 MiB of histograms, more than its budget of 0.5 MiB" in result.output
    assert "(half the memory budget of 1.0 MiB)" in result.output
    assert "Traceback" not in result.output


# --- report ----------------------------------------------------------------------------


def test_report_gives_its_studies_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 4 MiB the report's simulation and risk of karabakh-2020 draw blocks of 764
    (above), and the bottom line's brief and the levers are given the same budget (the
    levers on fewer draws, whose robustness pass fits 4 MiB)."""
    from statecraft.report import html

    given: dict[str, Any] = {}
    for name in ("brief", "advise_actor"):
        real = getattr(html, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            given[_name] = kwargs.get("memory")
            return _real(*args, **kwargs)

        monkeypatch.setattr(html, name, spy)
    rep = html.report(sc.load("karabakh-2020"), draws=800, memory="4M")
    assert rep.simulation.block == 764
    assert rep.risk.block == 764
    assert given == {"brief": "4M"}
    # 800 draws of the levers' robustness need about 47 MiB (test_budget_advise.py): 20 do
    html.report(sc.load("karabakh-2020"), draws=20, memory="4M", advise=["armenia"])
    assert given == {"brief": "4M", "advise_actor": "4M"}


def test_report_studies_at_the_default_budget_are_unchanged() -> None:
    k = sc.load("karabakh-2020")
    for kind in ("simulation", "risk"):
        base = COMPUTE[kind](k, ChartInputs(draws=200, seed=4))
        given = COMPUTE[kind](k, ChartInputs(draws=200, seed=4, memory="512M"))
        assert json.dumps(given.to_dict()) == json.dumps(base.to_dict())
        smaller = COMPUTE[kind](k, ChartInputs(draws=1000, seed=4, memory="4M"))
        assert smaller.block == 764


@pytest.mark.parametrize("source", ["karabakh-2020", "karabakh-2020-2023"])
def test_report_command_refuses_a_budget_too_small(tmp_path: Path, source: str) -> None:
    """A scenario's report and a timeline's both reach the risk, refused at 1 MiB (above)."""
    out = tmp_path / "r.html"
    args = ["report", source, "-o", str(out), "--memory", "1M", "--draws", "10"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "1.1 MiB of histograms, more than its budget of 0.5 MiB" in result.output
    assert not out.exists()


def test_risk_command_refuses_a_budget_too_small_and_tells_a_smaller_block() -> None:
    result = CliRunner().invoke(app, ["risk", "karabakh-2020", "--memory", "1M", "--no-store"])
    assert result.exit_code == 2, result.output
    assert "(half the memory budget of 1.0 MiB)" in result.output
    args = ["risk", "karabakh-2020", "-n", "800", "--memory", "4M", "--no-store"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "blocks of 764, not 4,096" in " ".join(result.output.split())


# --- bad sizes, every command ----------------------------------------------------------

COMMANDS = {
    "risk": ["risk", "karabakh-2020", "--no-store"],
    "advise": ["advise", "karabakh-2020", "-a", "armenia"],
    "timeline": ["timeline", "karabakh-2020-2023", "--no-store"],
    "report": ["report", "karabakh-2020", "-o", "never.html"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ("abc", "'abc'"),  # not a size
        ("-1", "'-1'"),  # below 0
        ("0", "'0'"),  # nothing at all
        ("1.5Q", "'1.5Q'"),  # an unknown unit
        ("1K", "'1K': 1,024 bytes"),  # under 1 MiB
        ("nan", "'nan'"),  # not a number
        ("9E", "'9E'"),  # exbibytes: not a unit here
    ],
)
def test_every_command_refuses_a_bad_size(command: str, size: str, shown: str) -> None:
    result = CliRunner().invoke(app, [*COMMANDS[command], "--memory", size])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "error: --memory must be a size such as 512M, 2G or 1.5GiB (units K, M, G, T, P, E: "
        f"powers of 1024; a bare number is bytes), from 1 MiB to below 8 EiB (got {shown})"
    )
    assert not Path("never.html").exists()
