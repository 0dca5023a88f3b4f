"""A Monte Carlo study's blocks and chunks, worked by hand: the options, the generators, the
chunks' counts, the engines and the executors a study uses (issue 22's mutation gaps of
``analysis/uncertainty.py`` and ``analysis/_blocks.py``).

The scenario is the uniform case of ``test_uncertainty.py``: a at 0 and b uniform on
[0, 100] on x, so the compromise b / 2 is uniform on [0, 50].
"""

from __future__ import annotations

import math
import zlib
from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis import _blocks
from statecraft.analysis import uncertainty as u
from statecraft.analysis._summary import MARGIN_BINS, GainPlan
from statecraft.analysis._summary import Summary as _Summary
from statecraft.arrays import IssueArrays, draw_batch
from statecraft.models.base import IssueModel, Output
from tests.test_uncertainty import uniform_scenario


def _without_ranges(data: Any) -> Any:
    """A scenario's JSON with every ranged number ({value, low, high}) made its value."""
    if isinstance(data, dict):
        if "value" in data and ("low" in data or "high" in data):
            return data["value"]
        return {k: _without_ranges(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_ranges(v) for v in data]
    return data


def test_a_block_takes_named_models_with_their_options() -> None:
    # run_block builds models given by name with the options (the processes of a study get
    # names): an option that no model named takes is refused there too.
    with pytest.raises(ValueError, match="unknown option 'rounds'"):
        _blocks.run_block(uniform_scenario(), ["compromise"], {"rounds": 3}, 1, 0, 10)


def test_a_stochastic_models_draws_come_from_the_seed_and_the_block() -> None:
    # Karabakh without its ranges: every draw has the same inputs, so the random-rate
    # exchange's spread comes from its own generator alone, which is (kernel.model_generator)
    # PCG64(SeedSequence(seed, spawn_key=(block, crc32(b"exchange")))). Built by hand, that
    # generator gives the block's forecasts, so another seed or another block gives others.
    s = sc.Scenario.model_validate(
        _without_ranges(sc.load("karabakh-2020").model_dump(mode="json", exclude_none=True))
    )
    assert not u.uncertain_inputs(s)
    model = sc.get_model("exchange", variant="random-rate")
    batch = draw_batch(s, {}, 20)
    means = []
    for seed, block in ((5, 0), (6, 0), (5, 1)):
        key = zlib.crc32(b"exchange")
        stream = np.random.SeedSequence(seed, spawn_key=(block, key))
        rng = np.random.Generator(np.random.PCG64(stream))
        want = model.evaluate(batch, rng).forecasts.mean(axis=0)
        got = _blocks.run_block(s, [model], {}, seed, block, 20)
        # sums are kept divided by 2^7, the power of two of the scales' end 100 (0.78 x 2^7)
        mean = [math.ldexp(math.fsum(got.sums[(i.id, "exchange")]) / 20, 7) for i in s.issues]
        # the block's exact sum against NumPy's pairwise one: a few units in the last place
        assert mean == pytest.approx(want, rel=1e-12, abs=1e-12)
        means.append(mean)
    assert means[0] != means[1]
    assert means[0] != means[2]


def test_a_block_with_a_gain_plan_counts_in_chunks() -> None:
    # The uniform case with x's actual outcome at 100, in one block of 250 draws run in
    # chunks of 100, 100 and 50: at a budget of 108,800 bytes the chunk's half, 54,400, holds
    # 54,400 / (256 + 288) = 100 draws of the compromise (its bytes per draw and the draw's
    # inputs). b at p (uniform on [0, 100]), a at the status quo 0: the compromise is p / 2,
    # so a's gain is -p / 200 and b's p / 200 > 0: b is the biggest winner in all 250 draws,
    # counted over the three chunks. Against the actual 100: a's gain (0 - 100) / 100 = -1,
    # b's (p - (100 - p)) / 100, so a's gain minus b's is -p / 50, in [-2, 0]: all 250
    # differences fall in the lower half of the 4,000 bins on [-2, 2] (0 in bin 2,000).
    data = uniform_scenario().model_dump(mode="json", exclude_none=True)
    data["issues"][0]["actual"] = 100
    s = sc.Scenario.model_validate(data)
    plan = GainPlan(pairs=((0, 1),), actual=True)
    got = _blocks.run_block(s, ["compromise"], {}, 3, 0, 250, plan=plan, memory=108_800)
    assert got.best["compromise"].tolist() == [0, 250]
    assert got.gains["compromise"].best.tolist() == [0, 250]
    assert got.actual is not None
    assert got.actual.margins.shape == (1, MARGIN_BINS)
    assert int(got.actual.margins[0, : MARGIN_BINS // 2 + 1].sum()) == 250


def test_a_block_refuses_a_chunk_the_machine_cannot_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # A block run on its own checks its model's chunks against the machine: the crowd of
    # 200 actors on 10 issues at a budget of 64 MiB runs the compromise in chunks of 137
    # draws of 128,000 + 115,360 bytes, 33,340,320 bytes at the peak (the block's inputs are
    # the caller's: test_a_study_is_refused_when_its_block_and_chunk_outgrow_the_machine).
    # A machine allowing exactly that runs a block of 290 draws; one byte less refuses it.
    from tests.test_budget import crowd

    s = crowd(200, 10)
    monkeypatch.setenv("STATECRAFT_MEMORY", "33340320")
    got = _blocks.run_block(s, ["compromise"], {}, 0, 0, 290, memory=64 * 2**20)
    assert got.valid[(s.issues[0].id, "compromise")] == 290
    monkeypatch.setenv("STATECRAFT_MEMORY", "33340319")
    with pytest.raises(sc.MemoryLimitError, match="needs about 32 MiB at its peak"):
        _blocks.run_block(s, ["compromise"], {}, 0, 0, 290, memory=64 * 2**20)


def test_confrontations_are_counted_either_way_and_added_chunk_by_chunk() -> None:
    # Two actors, three draws per chunk. On x: a confronts b in draw 0 and b confronts a in
    # draw 1, so the pair (either way) is in confrontation in 2 draws: counts [[0, 2], [2, 0]].
    # The issue before it has no confrontations (another model's output), and z is not
    # applicable, so its array is not read. Two such chunks add to 4.
    conf = np.zeros((3, 2, 2), dtype=bool)
    conf[0, 0, 1] = conf[1, 1, 0] = True
    out = Output(
        np.zeros((3, 3)),
        not_applicable={"z": "not here"},
        extras={"w": {}, "x": {"confrontation": conf}, "z": {"confrontation": conf}},
    )
    stance = {"position": 0, "salience": 1}
    s = sc.Scenario.model_validate(
        {
            "name": "pairs",
            "title": "Confrontations",
            "issues": [
                {"id": i, "label": i, "scale": {"low": 0, "high": 1}} for i in ("w", "x", "z")
            ],
            "actors": [
                {"id": a, "capability": 1, "stances": dict.fromkeys("wxz", stance)}
                for a in ("a", "b")
            ],
        }
    )
    summary = _Summary(3, {}, {}, {}, {}, {})
    _blocks._reduce_extras(summary, s, "m", out)
    assert list(summary.confrontation) == [("x", "m")]
    assert summary.confrontation[("x", "m")].tolist() == [[0, 2], [2, 0]]
    _blocks._reduce_extras(summary, s, "m", out)
    assert summary.confrontation[("x", "m")].tolist() == [[0, 4], [4, 0]]


def test_a_study_chooses_its_draw_engine_before_its_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # With numba installed but not loaded and no engine asked for, a study draws through the
    # compiled map from COMPILED_FROM draws x inputs (draws.compiled_pays): the uniform case
    # has one input, so 50,000,000 draws take it (in 12,208 blocks: 50,000,000 / 4,096 =
    # 12,207.03) and 300 draws take the NumPy draws. The blocks are a spy here, returning
    # an empty summary: only the calls are checked.
    pytest.importorskip("numba")
    from statecraft.analysis import draws as draws_module

    calls: list[dict[str, Any]] = []

    def spy(*args: Any, **kwargs: Any) -> _Summary:
        calls.append(kwargs)
        return _Summary(args[-1], {}, {}, {}, {}, {})

    monkeypatch.delenv("STATECRAFT_DRAW_ENGINE", raising=False)
    monkeypatch.setenv("STATECRAFT_THREADS", "1")  # the whole budget to each block
    monkeypatch.setattr(draws_module, "_numba_loaded", lambda: False)
    monkeypatch.setattr(u, "run_block", spy)
    models = u.check_models(uniform_scenario(), ["compromise"], {})
    assert u.run_study(uniform_scenario(), models, 300, 1).draws == 300
    assert len(calls) == 1
    assert not calls[0].get("compiled", False)
    calls.clear()
    assert u.run_study(uniform_scenario(), models, 50_000_000, 1).draws == 50_000_000
    assert len(calls) == 12_208
    assert calls[0] == {"plan": None, "memory": u.DEFAULT_MEMORY, "compiled": True}


class Below(IssueModel):
    """A test double that forecasts 10 below the low end of every scale (out of contract)."""

    name = "below"
    title = "Below the scale"
    citation = "A test double."

    def predict(self, issue: IssueArrays) -> np.ndarray:
        return np.full(np.shape(issue.position)[:-1], -10.0)


def test_a_forecast_below_the_scale_is_counted_in_the_first_bin() -> None:
    # A model breaking the contract (forecasts within the scale) by forecasting -10 on x
    # (0..100): every draw is still counted, in the first of the 2,000 bins (the histogram's
    # index -10 / 100 x 2,000 = -200 clipped to 0), and the mean is -10 itself.
    r = u.simulate(uniform_scenario(), Below(), draws=50, seed=1)
    x = r.summary("x", "below")
    assert int(x.histogram[0]) == 50
    assert x.mean == -10.0


def test_a_study_goes_to_the_workers_and_the_dask_scheduler_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The blocks run where the caller says: the executor (a spy here, which runs nothing)
    # gets the number of workers and the scheduler's address as given, and one thread
    # (block threads only ever run in this process, with one worker and no scheduler).
    seen: list[tuple[int, Any]] = []

    def spy(block: Any, scenario: Any, models: Any, seed: int, blocks: Any, *where: Any) -> Any:
        seen.append(where)
        return iter(())

    monkeypatch.setattr(u, "execute", spy)
    r = u.simulate(uniform_scenario(), draws=10, workers=3, dask="tcp://scheduler:8786")
    assert seen == [(3, "tcp://scheduler:8786", 1)]
    assert (r.draws, r.requested) == (0, 10)


def test_the_ranked_actors_stand_on_an_issue_with_a_status_quo() -> None:
    # p has no status quo, q has one: a and b stand on q, c only on p, so the gains (from
    # the status quo) rank a and b, not c.
    stance = {"position": 0, "salience": 1}
    s = sc.Scenario.model_validate(
        {
            "name": "ranked",
            "title": "Who is ranked",
            "issues": [
                {"id": "p", "label": "P", "scale": {"low": 0, "high": 1}},
                {"id": "q", "label": "Q", "scale": {"low": 0, "high": 1}, "status_quo": 0},
            ],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"p": stance, "q": stance}},
                {"id": "c", "capability": 1, "stances": {"p": stance}},
                {"id": "b", "capability": 1, "stances": {"q": stance}},
            ],
        }
    )
    assert _blocks.ranked_actors(s) == ["a", "b"]


def test_a_budget_given_to_a_study_must_hold_one_draw() -> None:
    # 600 actors on 10 issues: one draw of the inputs is 8 x (7 x 6,000 + 2 x 610) = 345,760
    # bytes, and the compromise's draw 64 x 6,000 = 384,000; one draw needs the inputs twice
    # (held and in the chunk) and the model's: 1,075,520 bytes, over a budget of 1 MiB
    # (1,048,576). The study is refused before it starts (test_budget.py refuses the spatial
    # model's 2.3 GiB; here a study that ran anyway would be quick), and 2 MiB holds it.
    from tests.test_budget import crowd

    s = crowd(600, 10)
    with pytest.raises(sc.MemoryLimitError, match=r"needs at least 1 MiB for one draw; the"):
        u.simulate(s, "compromise", draws=10, memory="1M")
    assert u.simulate(s, "compromise", draws=2, memory="2M").draws == 2


def test_two_block_threads_only_where_half_the_budget_holds_a_whole_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Karabakh (9 actors x 5 issues): a draw's inputs take 2,744 bytes, so the budget
    # 2 x 4,096 x 2,744 = 22,478,848 (full_block_budget) holds blocks of 4,096 on one thread;
    # each of two threads would keep to half of it, whose half, 5,619,712 bytes, holds
    # 5,619,712 // 2,744 = 2,048 draws, a smaller block: so one thread (the same blocks).
    # At twice that budget, 11,239,424 // 2,744 = 4,096 draws fit a thread's half; the
    # compromise's chunk then needs 4,096 x (2,744 + 2,880) = 23,035,904 bytes beside it,
    # more than the thread's other half (11,239,424): one thread again
    # (test_parallel.test_when_blocks_run_on_threads finds the budget where two run).
    from statecraft.models import build_models

    s = sc.load("karabakh-2020")
    compromise = build_models(["compromise"], {})
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    full = _blocks.full_block_budget(s)
    assert full == 22_478_848
    assert _blocks.block_size(s, full) == 4096
    assert _blocks.block_size(s, full // 2) == 2048
    assert _blocks.block_threads(s, compromise, full, 9) == 1
    assert _blocks.block_threads(s, compromise, 2 * full, 9) == 1


def test_blocks_run_on_threads_only_with_one_worker_and_no_scheduler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With STATECRAFT_THREADS=2 and the compromise on the uniform case (small enough for
    # two threads at the default budget), the executor (a spy that runs nothing) is asked
    # for two threads only for one worker, no scheduler and at least two blocks: 4,097
    # draws are blocks of 4,096 and 1, while 4,096 draws are one block (one thread).
    seen: list[tuple[int, Any, int]] = []

    def spy(block: Any, scenario: Any, models: Any, seed: int, blocks: Any, *where: Any) -> Any:
        seen.append(where)
        return iter(())

    monkeypatch.setattr(u, "execute", spy)
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    s = uniform_scenario()
    u.simulate(s, draws=4097)
    u.simulate(s, draws=4096)
    u.simulate(s, draws=4097, workers=3)
    u.simulate(s, draws=4097, dask="tcp://scheduler:8786")
    assert seen == [(1, None, 2), (1, None, 1), (3, None, 1), (1, "tcp://scheduler:8786", 1)]


def test_block_threads_compare_the_threads_share_with_the_block_of_the_budget_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The crowd of 200 actors on 10 issues: a draw's inputs take 115,360 bytes and the
    # compromise 128,000 more (243,360 a draw in a chunk). At the default 512 MiB a block is
    # 268,435,456 // 115,360 = 2,326 draws; at 3 GiB and 16 GiB it is 4,096 (half of 3 GiB
    # holds 13,961). A thread's part of 3 GiB, 1,610,612,736 bytes, holds a block of 4,096
    # (805,306,368 // 115,360 = 6,980) but a chunk of 805,306,368 // 243,360 = 3,309 draws
    # only, fewer than 4,096: one thread (a chunk of the default's block, 2,326, would fit).
    # A thread's part of 16 GiB holds a chunk of 4,294,967,296 // 243,360 = 17,648: two.
    from statecraft.models import build_models
    from tests.test_budget import crowd

    s = crowd(200, 10)
    compromise = build_models(["compromise"], {})
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    assert _blocks.block_size(s) == 2326
    assert _blocks.block_size(s, 3 * 2**30) == 4096
    assert _blocks.block_threads(s, compromise, 3 * 2**30, 9) == 1
    assert _blocks.block_threads(s, compromise, 16 * 2**30, 9) == 2


def test_each_block_on_a_thread_keeps_to_half_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two threads at the default budget: each block is given half of it, 268,435,456 bytes,
    # to size its chunks (the blocks are a spy here, returning an empty summary). One
    # thread: the blocks take the whole default budget (run_block's default).
    calls: list[dict[str, Any]] = []

    def spy(*args: Any, **kwargs: Any) -> _Summary:
        calls.append(kwargs)
        return _Summary(args[-1], {}, {}, {}, {}, {})

    monkeypatch.setattr(u, "run_block", spy)
    monkeypatch.setattr(u, "compiled_pays", lambda draws, n: False)
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    models = u.check_models(uniform_scenario(), ["compromise"], {})
    assert u.run_study(uniform_scenario(), models, 4097, 1).draws == 4097
    assert [c["memory"] for c in calls] == [u.DEFAULT_MEMORY // 2] * 2 == [268_435_456] * 2
    calls.clear()
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    assert u.run_study(uniform_scenario(), models, 4097, 1).draws == 4097
    assert calls == [{}, {}]
