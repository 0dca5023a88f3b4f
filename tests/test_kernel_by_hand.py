"""The evaluation kernel (``analysis/kernel.py``) by hand: the memory figures of a refusal
and the ``--memory`` it advises, the budget and memory checks, chunks of draws, seeds and
blocks, and the safe range for scales near the float limits (issue 22: survivors of the
kernel module's mutation run, 2026-12-07)."""

from __future__ import annotations

import resource
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis import kernel
from statecraft.analysis.kernel import (
    _gib,
    check_budget,
    draws_per_block,
    evaluate,
    in_safe_range,
    input_bytes,
    memory_option,
    parse_memory,
    run_model,
    study_shares,
)
from statecraft.arrays import Batch
from statecraft.errors import MemoryLimitError
from statecraft.models import Model
from statecraft.models.compromise import Compromise
from statecraft.models.exchange import Exchange
from statecraft.models.expected_utility import ExpectedUtility
from statecraft.models.nash import Nash
from tests.test_brief_verdicts_by_hand import _agreed
from tests.test_contract import fixed, perturbed
from tests.test_extremes import scenario

MIB, GIB = 2**20, 2**30


def _chunk_budget(model: Model, batch: Batch, draws: int) -> int:
    """A budget that holds the model's run and ``draws`` draws (their memory and their
    inputs): chunks of ``draws`` draws."""
    n, m = batch.n_actors, batch.n_issues
    budget = model.run_memory(n, m) + draws * (model.memory_per_draw(n, m) + input_bytes(n, m))
    assert kernel.chunk_size(model, n, m, budget) == draws
    return budget


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (3 * MIB, "3 MiB"),
        (5 * MIB + 1, "5 MiB"),  # 5.000001 MiB, shown whole
        (GIB - 1, "1,024 MiB"),  # 1023.999999 MiB rounds to 1,024; still under a GiB
        (GIB, "1.0 GiB"),  # from 1 GiB on, tenths of a GiB
        (3 * GIB // 2, "1.5 GiB"),
        (1536 * GIB, "1,536.0 GiB"),
    ],
)
def test_sizes_are_shown_in_mib_below_a_gib_and_in_gib_from_it(n: int, shown: str) -> None:
    assert _gib(n) == shown


@pytest.mark.parametrize(
    ("need", "option"),
    [
        (0, "1M"),  # at least 1M, the smallest budget allowed
        (1, "1M"),
        (MIB, "1M"),
        (MIB + 1, "2M"),  # whole MiB rounded up
        (GIB, "1024M"),  # exactly 1 GiB is still written in MiB
        (GIB + 1, "1.1G"),  # above it, tenths of a GiB rounded up: ceil(10.000000009) / 10
        (2 * GIB, "2G"),
        (5 * GIB // 2, "2.5G"),
        # 167,056.1 GiB and a byte: every digit is kept (``:g`` once wrote 167056G, too small)
        (1_670_561 * GIB // 10 + 1, "167056.2G"),
    ],
)
def test_the_memory_option_by_hand(need: int, option: str) -> None:
    assert memory_option(need) == option


@given(st.integers(min_value=0, max_value=2**50))
def test_the_memory_option_holds_what_is_needed_and_is_the_smallest_of_its_kind(
    need: int,
) -> None:
    """Read back as ``--memory`` reads it, the option holds ``need`` bytes; one unit less
    (a MiB below 1 GiB, a tenth of a GiB above) would not, unless it is the 1M floor."""
    option = memory_option(need)
    size = parse_memory(option)
    assert size >= need
    if option.endswith("M"):
        assert size == MIB or size - MIB < need
    else:
        assert need > GIB
        tenths = round(float(option[:-1]) * 10)
        if tenths > 10:
            less = f"{(tenths - 1) // 10}.{(tenths - 1) % 10}G"
            assert parse_memory(less) < need, less


class _Declared:
    """A model as the budget check reads it: its name and its declared memory."""

    name = "declared"
    run = 3 * MIB

    def run_memory(self, n_actors: int, n_issues: int) -> int:
        return self.run

    def memory_per_draw(self, n_actors: int, n_issues: int) -> int:
        return MIB


def test_a_budget_holds_two_draws_of_inputs_the_run_and_one_draw_by_hand() -> None:
    """2 actors x 1 issue: a draw of the inputs is 8 x (7 x 2 x 1 + 2 x 3) = 160 bytes,
    held twice (the block's and the call's), with the run's 3 MiB and one draw's 1 MiB:
    4 MiB + 320 bytes. A budget of exactly that is enough; a byte less is refused, saying
    the need (4 MiB), the budget and the --memory to give (5M, whole MiB rounded up)."""
    need = 4 * MIB + 320
    check_budget([_Declared()], 2, 1, need)  # type: ignore[list-item]
    with pytest.raises(MemoryLimitError) as refused:
        check_budget([_Declared()], 2, 1, need - 1)  # type: ignore[list-item]
    message = str(refused.value)
    assert message.startswith(
        "the declared model on 2 actors x 1 issue needs at least 4 MiB for one draw; the "
        "memory budget is 4 MiB (give --memory 5M or more"
    )


def test_a_run_in_chunks_keeps_why_a_model_does_not_apply() -> None:
    """Two issues, the second without a status quo: the Nash solution (whose disagreement
    point the status quo is) does not apply to it, and says why, whether its 5 draws run in
    one call or in chunks of 2 (2, 2, 1); the first issue's forecasts are the same."""

    stances = {"x": {"position": 80, "salience": 1}, "y": {"position": 80, "salience": 1}}
    scenario = sc.Scenario.model_validate(
        {
            "name": "two-issues",
            "issues": [{"id": "x", "label": "X", "status_quo": 0}, {"id": "y", "label": "Y"}],
            "actors": [
                {"id": "a", "capability": 1, "stances": stances},
                {
                    "id": "b",
                    "capability": 2,
                    "stances": {**stances, "x": {"position": 30, "salience": 1}},
                },
            ],
        }
    )
    batch = perturbed(scenario, size=5)
    model = Nash()
    budget = _chunk_budget(model, batch, 2)
    whole = kernel.run_model(model, batch, seed=1)
    chunked = kernel.run_model(model, batch, seed=1, budget=budget)
    reason = "the issue has no status quo (the disagreement point)"
    assert dict(whole.not_applicable) == dict(chunked.not_applicable) == {"y": reason}
    assert np.isnan(chunked.forecasts[:, 1]).all()
    assert chunked.forecasts[:, 0].tobytes() == whole.forecasts[:, 0].tobytes()


class _Small(_Declared):
    name = "small"  # after "declared" in the alphabet, with less memory
    run = MIB


def test_the_budget_check_names_the_hungriest_model_not_the_last_by_name() -> None:
    """The model "declared" needs 4 MiB + 320 bytes (above), "small" 2 MiB + 320: a budget of 3 MiB
    holds the second only, and the refusal names the first."""
    with pytest.raises(MemoryLimitError, match=r"^the declared model on 2 actors"):
        check_budget([_Small(), _Declared()], 2, 1, 3 * MIB)  # type: ignore[list-item]


def test_study_shares_and_draws_per_block_by_hand() -> None:
    """A budget is split in whole bytes, the odd byte to the chunk: 5 -> (2, 3). A block
    holds budget // 160 draws of 2 actors x 1 issue (160 bytes each, above), at most
    ``most`` and at least 1: 319 bytes hold one draw, 320 two."""
    assert study_shares(5) == (2, 3)
    assert all(isinstance(x, int) for x in study_shares(5))
    assert input_bytes(2, 1) == 160
    assert draws_per_block(2, 1, most=100, budget=319) == 1
    assert draws_per_block(2, 1, most=100, budget=320) == 2
    assert draws_per_block(2, 1, most=1, budget=10_000) == 1
    assert draws_per_block(2, 1, most=100, budget=100) == 1  # not even one: one all the same


def test_a_block_never_takes_a_draw_beyond_its_budget_however_large() -> None:
    """One actor x one issue: 88 bytes of inputs a draw (above). A budget of
    88 x 2**50 - 1 bytes is 88 x (2**50 - 1) + 87: it holds 2**50 - 1 draws. As floats the
    budget rounds to 88 x 2**50 (its ulp near 2**56 is 16), so a float quotient would be
    2**50: one draw more than the budget holds. Whole numbers only."""
    assert input_bytes(1, 1) == 88
    assert draws_per_block(1, 1, most=2**60, budget=88 * 2**50 - 1) == 2**50 - 1
    assert draws_per_block(1, 1, most=2**60, budget=88 * 2**50) == 2**50


def test_evaluate_seeds_each_model_from_seed_0_block_0_unless_told() -> None:
    """The exchange model's random-rate variant draws its rates from the generator of
    (seed, block): ``evaluate`` without them is seed 0, block 0, without details; another
    block is passed through (and draws other rates)."""

    m = Exchange(variant="random-rate")
    batch = perturbed(fixed("karabakh-2020"), size=2)
    plain = evaluate([m], batch)[m.name]
    assert plain.details is None
    assert plain.forecasts.tobytes() == run_model(m, batch, seed=0, block=0).forecasts.tobytes()
    other = evaluate([m], batch, block=1)[m.name].forecasts
    assert other.tobytes() == run_model(m, batch, seed=0, block=1).forecasts.tobytes()
    assert other.tobytes() != plain.forecasts.tobytes()


def test_run_model_and_chunks_default_to_seed_0_block_0_without_details() -> None:
    """``run_model`` and ``chunks`` without a seed or block are seed 0, block 0 (the
    random-rate exchange draws other rates from another); without ``detail``, no account,
    in one call or in chunks; the chunks draw from the model's generator (a chunked run is
    the same as one call)."""

    m = Exchange(variant="random-rate")
    batch = perturbed(fixed("karabakh-2020"), size=3)
    plain = kernel.run_model(m, batch)
    assert plain.details is None
    zero = kernel.run_model(m, batch, seed=0, block=0).forecasts
    assert plain.forecasts.tobytes() == zero.tobytes()
    assert kernel.run_model(m, batch, block=1).forecasts.tobytes() != zero.tobytes()
    ((part, out),) = list(kernel.chunks(m, batch))
    assert (part, out.details) == (slice(0, 3), None)
    assert out.forecasts.tobytes() == zero.tobytes()
    chunked = kernel.run_model(m, batch, budget=_chunk_budget(m, batch, 1))
    assert chunked.details is None
    assert chunked.forecasts.tobytes() == zero.tobytes()


def test_an_account_on_a_scale_near_the_float_limit_is_put_back_on_that_scale() -> None:
    """The expected utility model runs a scenario on 0..1.7 x 2**1020 brought into the safe
    range (scaled by a power of two, exactly); its forecasts and its account of the first
    draw (each round's positions, median and mean) come back on the scenario's scale: 2**1020
    times those of the same scenario on 0..1.7, bit for bit."""

    def on(unit: float) -> sc.Scenario:
        actors = [
            (1.0, (0.0, 1.7 * unit), (1.0, 0.5)),
            (3.0, (1.7 * unit, 0.2 * unit), (0.5, 1.0)),
            (2.0, (0.85 * unit, 1.7 * unit), (0.8, 0.3)),
        ]
        return sc.Scenario.model_validate(scenario(0.0, 1.7 * unit, actors, sq=0.3 * unit))

    m = ExpectedUtility()
    small = kernel.run_model(m, sc.scenario_batch(on(1.0)), detail=True)
    big = kernel.run_model(m, sc.scenario_batch(on(2.0**1020)), detail=True)
    assert big.forecasts.tobytes() == np.ldexp(small.forecasts, 1020).tobytes()
    assert small.details is not None
    assert big.details is not None
    accounts = kernel.details_by_issue(small)
    assert list(accounts) == ["a", "b"]  # the loop runs, over both issues
    for issue, account in accounts.items():
        scaled = kernel.details_by_issue(big)[issue]
        for field in ("positions", "median", "mean"):
            want = np.ldexp(getattr(account, field), 1020)
            assert getattr(scaled, field).tobytes() == want.tobytes(), (issue, field)


def test_run_model_checks_the_memory_of_all_its_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory check counts the batch's draws: under a limit that holds the peak of one
    draw of the EU model on karabakh-2020 but not of 40 (one chunk: its run and 40 draws),
    one draw runs and 40 are refused, saying the limit's source."""

    m = ExpectedUtility()
    batch = perturbed(fixed("karabakh-2020"), size=40)
    one = kernel.peak_memory(m, batch.n_actors, batch.n_issues, 1)
    forty = kernel.peak_memory(m, batch.n_actors, batch.n_issues, 40)
    assert one < forty
    monkeypatch.setenv("STATECRAFT_MEMORY", str((one + forty) // 2))
    kernel.run_model(m, batch.take(slice(0, 1)))
    with pytest.raises(MemoryLimitError, match="STATECRAFT_MEMORY"):
        kernel.run_model(m, batch)


def test_chunks_on_a_scale_near_the_float_limit_are_put_back_on_it() -> None:
    """Three draws of a scenario near 1.7e308 run one draw a chunk: each chunk's forecasts
    come back on the scenario's scale, the same bytes as one call."""

    actors = [(1.0, (0.0, 1.7e308), (1.0, 0.5)), (3.0, (1.7e308, 2e307), (0.5, 1.0))]
    s = sc.Scenario.model_validate(scenario(0.0, 1.7e308, actors, sq=3e307))
    batch = perturbed(s, size=3)
    m = Compromise()
    whole = kernel.run_model(m, batch)
    chunked = kernel.run_model(m, batch, budget=_chunk_budget(m, batch, 1))
    assert chunked.forecasts.tobytes() == whole.forecasts.tobytes()
    assert (whole.forecasts > 1e306).all()  # on the scenario's scale


def test_a_draw_whose_capabilities_are_tiny_is_scaled_even_beside_a_zero() -> None:
    """Two draws of two actors: (1, 1) and (0, 1e-300), powers the same. The first draw's
    strength (its largest capability or power) is 1, inside the safe range; the second's
    is 1e-300 = 0.67 x 2**-996 (frexp's exponent -996, beyond -64), so that draw alone is
    scaled by 2**996. A zero among the numbers is no finding for the quick check (it would
    make 1e-300's draw look safe beside 1), so the draw-by-draw check decides."""

    batch = perturbed(_agreed(), size=2)
    cap = np.array([[[1.0], [1.0]], [[0.0], [1e-300]]])
    batch = replace(batch, capability=cap, power=cap[:, :, 0].copy())
    safe, k = in_safe_range(batch)
    assert k == 0  # the scale 0..100 is safe: positions as they are
    assert safe.capability[0].tobytes() == cap[0].tobytes()
    assert safe.capability[1].tobytes() == np.ldexp(cap[1], 996).tobytes()
    assert safe.power[1].tobytes() == np.ldexp(cap[1, :, 0], 996).tobytes()


def test_a_draw_is_scaled_by_its_overall_power_or_its_issue_capabilities_whichever_is_big() -> None:
    """Two draws of two actors on 0..100. In the first, the capabilities on the issue are
    (1, 1) and the overall powers (1e300, 1); in the second the other way round. 1e300 is
    0.746 x 2**997 (log2 1e300 = 996.58; frexp's exponent 997, beyond 64), so each draw's
    strength, the larger of the two, is 1e300, and each draw comes down by 2**997, its
    capabilities and its powers alike: a strength read from either alone would leave one
    of the draws unscaled."""

    batch = perturbed(_agreed(), size=2)
    cap = np.array([[[1.0], [1.0]], [[1e300], [1.0]]])
    power = np.array([[1e300, 1.0], [1.0, 1.0]])
    batch = replace(batch, capability=cap, power=power)
    safe, k = in_safe_range(batch)
    assert k == 0
    assert safe.capability.tobytes() == np.ldexp(cap, -997).tobytes()
    assert safe.power.tobytes() == np.ldexp(power, -997).tobytes()


def test_the_actual_outcome_is_scaled_with_the_positions() -> None:
    """A scale of 0..100 x 2**1000 (its top 0.78 x 2**1007, exponent 1007): positions,
    status quo and actual outcome all come down by 2**1007, exactly."""

    big = _agreed().model_dump()
    unit = 2.0**1000
    big["issues"][0].update(
        {"scale": {"low": 0.0, "high": 100 * unit}, "status_quo": 50 * unit, "actual": 40 * unit}
    )
    for actor in big["actors"]:
        actor["stances"]["x"]["position"] = 38.01 * unit
    batch = sc.scenario_batch(sc.Scenario.model_validate(big))
    safe, k = in_safe_range(batch)
    assert k == 1007
    assert safe.actual.tobytes() == np.ldexp(batch.actual, -1007).tobytes()
    assert safe.status_quo.tobytes() == np.ldexp(batch.status_quo, -1007).tobytes()


def test_check_memory_counts_one_draw_and_nothing_held_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a limit of exactly the EU model's peak on one draw of karabakh-2020 (its run
    and one draw), the check passes by default (one draw, nothing else held) and refuses
    two draws or one byte held beside; without any limit it refuses nothing."""

    m = ExpectedUtility()
    s = fixed("karabakh-2020")
    n_a, n_i = len(s.actors), len(s.issues)
    one = kernel.peak_memory(m, n_a, n_i, 1)
    monkeypatch.setenv("STATECRAFT_MEMORY", str(one))
    kernel.check_memory([m], n_a, n_i)
    with pytest.raises(MemoryLimitError):
        kernel.check_memory([m], n_a, n_i, draws=2)
    with pytest.raises(MemoryLimitError):
        kernel.check_memory([m], n_a, n_i, held=1)
    monkeypatch.setattr(kernel, "memory_limit", lambda: None)
    kernel.check_memory([m], n_a, n_i, draws=10**9)


def test_a_draw_of_inputs_counts_fewer_than_one_actor_or_issue_as_one() -> None:
    """8 bytes x (7 per actor and issue + 2 per actor or issue), each count at least 1:
    one actor on one issue 8 x (7 + 2 x 2) = 88; one actor on three issues
    8 x (21 + 2 x 4) = 232; no actors on one issue, or nothing at all, as one by one in
    the first term and at least one in the second: 8 x (7 + 2 x 1) = 72."""
    assert input_bytes(1, 1) == 88
    assert input_bytes(1, 3) == 232
    assert input_bytes(0, 1) == input_bytes(0, 0) == 72


def test_a_chunk_never_takes_a_byte_beyond_its_budget_however_large() -> None:
    """The compromise model on 1 actor x 1 issue declares 8 x 8 = 64 bytes a draw and no
    run of its own; with the draw's inputs (88 bytes, above) a draw is 152 bytes. A budget
    of 152 x 2**50 - 1 bytes (about 152 PiB, below 8 EiB: one --memory allows) is
    152 x (2**50 - 1) + 151: it holds 2**50 - 1 draws, not 2**50, a byte more than it
    has. (As a float, the quotient 2**50 - 1/152 rounds to 2**50: whole numbers only.)"""
    m = Compromise()
    assert m.memory_per_draw(1, 1) == 64
    assert m.run_memory(1, 1) == 0
    assert kernel.chunk_size(m, 1, 1, 152 * 2**50 - 1) == 2**50 - 1
    assert kernel.chunk_size(m, 1, 1, 152 * 2**50) == 2**50


def test_check_memory_sizes_the_peak_from_the_budget_it_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The declared model (a run of 3 MiB, 1 MiB a draw) on 2 actors x 1 issue (160 bytes
    of inputs a draw): a budget of 3 MiB + 2 x (1 MiB + 160) = 5,243,200 bytes runs 10
    draws in chunks of 2, a peak of exactly that. Under a limit of 5,243,200 bytes the 10
    draws pass with that budget (in chunks of the default 256 MiB they would all run at
    once: 3 MiB + 10 x (1 MiB + 160) = 13 MiB + 1,600); a byte less is refused."""
    budget = 3 * MIB + 2 * (MIB + 160)
    assert budget == 5_243_200
    model = [_Declared()]
    monkeypatch.setenv("STATECRAFT_MEMORY", str(budget))
    kernel.check_memory(model, 2, 1, draws=10, budget=budget)  # type: ignore[arg-type]
    monkeypatch.setenv("STATECRAFT_MEMORY", str(budget - 1))
    with pytest.raises(MemoryLimitError):
        kernel.check_memory(model, 2, 1, draws=10, budget=budget)  # type: ignore[arg-type]


def test_the_memory_check_names_the_hungriest_model_and_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One draw on 2 actors x 1 issue: "declared" peaks at its run and one draw,
    3 MiB + 1 MiB + 160 bytes (shown as 4 MiB), "small" (after it in the alphabet) at
    2 MiB + 160. A limit of 3 MiB holds "small" only: the refusal names "declared", both
    figures, where the limit comes from, and what to do, word for word."""
    monkeypatch.setenv("STATECRAFT_MEMORY", "3M")
    with pytest.raises(MemoryLimitError) as refused:
        kernel.check_memory([_Small(), _Declared()], 2, 1)  # type: ignore[list-item]
    assert str(refused.value) == (
        "the declared model on 2 actors x 1 issue needs about 4 MiB at its peak; "
        "STATECRAFT_MEMORY allows 3 MiB (use fewer actors or issues, another model, or set "
        "STATECRAFT_MEMORY)"
    )


def _limits(monkeypatch: pytest.MonkeyPatch, soft: int, hard: int) -> None:
    """The process's address-space limits as ``getrlimit`` gives them: (soft, hard)."""

    def getrlimit(which: int) -> tuple[int, int]:
        assert which == resource.RLIMIT_AS
        return soft, hard

    fake = SimpleNamespace(
        RLIMIT_AS=resource.RLIMIT_AS, RLIM_INFINITY=resource.RLIM_INFINITY, getrlimit=getrlimit
    )
    monkeypatch.delenv("STATECRAFT_MEMORY", raising=False)
    monkeypatch.setattr(kernel, "resource", fake)


def test_memory_limit_is_the_process_s_soft_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ulimit -S -v`` sets the soft limit, the one the process meets first: a soft limit
    of 3 GiB under a hard one of 4 GiB, or under none, is the limit."""
    infinity = resource.RLIM_INFINITY
    for hard in (4 * GIB, infinity):
        _limits(monkeypatch, 3 * GIB, hard)
        assert kernel.memory_limit() == (3 * GIB, "the process's memory limit")


def test_memory_limit_without_a_process_limit_is_the_memory_available(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without a process limit, ``MemAvailable`` of ``/proc/meminfo`` (here a copy with
    2,000,000 kB available, in kibibytes as the kernel writes it): 2,000,000 x 1,024 =
    2,048,000,000 bytes."""
    _limits(monkeypatch, resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(
        "MemTotal:        8000000 kB\nMemFree:         1000000 kB\n"
        "MemAvailable:    2000000 kB\nBuffers:          100000 kB\n",
        encoding="ascii",
    )

    def opened(path: str, *args: Any, **kwargs: Any) -> IO[str]:
        assert path == "/proc/meminfo"
        copy: IO[str] = meminfo.open(*args, **kwargs)
        return copy

    monkeypatch.setattr(kernel, "open", opened, raising=False)
    assert kernel.memory_limit() == (2_048_000_000, "the memory this machine has free")


def test_a_batch_without_actors_has_nothing_to_scale() -> None:
    """No scenario gives a batch without actors, but the safe range takes any batch: with
    no capability or power, no draw has a strength to scale, and the scale 0..100 is safe,
    so the batch comes back as it is, power 0."""
    b = perturbed(_agreed(), size=2)
    empty = replace(
        b,
        actor_ids=(),
        capability=b.capability[:, :0],
        position=b.position[:, :0],
        salience=b.salience[:, :0],
        power=b.power[:, :0],
        present=b.present[:0],
        issues_first=None,
    )
    assert (empty.size, empty.n_actors, empty.n_issues) == (2, 0, 1)
    safe, k = in_safe_range(empty)
    assert safe is empty
    assert k == 0
