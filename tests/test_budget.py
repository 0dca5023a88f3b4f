"""The memory budget of a Monte Carlo study (issue 19, "memory from a budget"): blocks and
chunks of draws are sized from it, so that memory stays under it and does not grow with the
draws; bad budgets are refused with the reason."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import kernel, uncertainty
from statecraft.analysis.brief import brief, winner_odds
from statecraft.cli import app
from statecraft.models import build_models
from statecraft.models.compromise import Compromise
from tests.test_memory import crowd as given_crowd


def crowd(n: int, m: int = 1) -> sc.Scenario:
    """``n`` actors over ``m`` issues (test_memory's crowd), every number perturbed by 10%."""
    data = given_crowd(n, m).model_dump(mode="json", exclude_none=True)
    return sc.Scenario.model_validate({**data, "perturb": {"relative": 0.1}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, 512 * 2**20),
        ("64M", 64 * 2**20),
        ("1GiB", 2**30),
        ("1.5G", 3 * 2**29),
        ("800MB", 800 * 2**20),
        (3 * 2**20, 3 * 2**20),
        ("2T", 2 * 2**40),  # tebibytes
        ("2P", 2 * 2**50),  # pebibytes
        ("7EiB", 7 * 2**60),  # exbibytes: 7 x 1024^6, below the 8 EiB ceiling
    ],
)
def test_budget_is_read(text: Any, expected: int) -> None:
    assert kernel.parse_memory(text) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("lots", "'lots'"),  # not a size
        ("", "''"),  # nothing
        ("5Q", "'5Q'"),  # an unknown unit
        ("0", "'0'"),  # nothing at all
        ("-1G", "'-1G'"),  # below 0
        ("nan", "'nan'"),  # not a number
        ("inf", "'inf'"),  # not finite
        ("1e999", "'1e999'"),  # overflows
        ("9E", "'9E'"),  # 9 x 1024^6 bytes: 8 EiB or more
        ("8E", "'8E'"),  # exactly 8 EiB = 2**63 bytes, refused as text is read
        ("1", "'1': 1 byte"),  # one byte is a size, under 1 MiB
        ("1K", "'1K': 1,024 bytes"),  # under 1 MiB
        ("1.5", "'1.5': 1 byte"),  # a bare number is bytes, whole ones
        (0, "0: 0 bytes"),
        (-5, "-5: -5 bytes"),
        (2**63, f"{2**63}: {2**63:,} bytes"),  # 8 EiB
        (True, "True, a bool"),  # not a number of bytes
        (1.5e9, "1500000000.0, a float"),  # bytes are whole
    ],
)
def test_bad_budget_says_what_is_allowed(value: Any, shown: str) -> None:
    with pytest.raises(ValueError, match="the memory budget must be a size") as caught:
        kernel.parse_memory(value)
    assert str(caught.value) == (
        "the memory budget must be a size such as 512M, 2G or 1.5GiB (units K, M, G, T, P, E: "
        "powers of 1024; a bare number is bytes), from 1 MiB to below 8 EiB "
        f"(got {shown})"
    )
    with pytest.raises(ValueError, match="the memory budget must be a size"):
        uncertainty.simulate(sc.load("karabakh-2020"), "compromise", draws=10, memory=value)


@pytest.mark.parametrize("command", ["simulate", "brief", "compare"])
def test_command_line_refuses_a_bad_budget_in_one_line(command: str) -> None:
    args = [command, "karabakh-2020", "--memory", "lots"]
    if command == "compare":
        args[2:2] = ["us-engaged"]
    result = CliRunner().invoke(app, [*args, "--no-store"] if command != "brief" else args)
    assert result.exit_code == 2, result.output
    assert "--memory must be a size such as 512M, 2G or 1.5GiB" in result.output
    assert "(got 'lots')" in result.output
    assert "Traceback" not in result.output


def test_block_and_chunk_sizes_follow_the_budget() -> None:
    """200 actors on 10 issues: a draw of the inputs is 8 (7 x 2,000 + 2 x 210) = 115,360
    bytes, and the compromise model declares 8 x 8 x 2,000 = 128,000 bytes a draw. Half the
    budget holds a block of inputs, the other half a chunk of (128,000 + 115,360) bytes a
    draw."""
    s = crowd(200, 10)
    assert kernel.input_bytes(200, 10) == 115_360
    (model,) = build_models(["compromise"], {})
    assert model.memory_per_draw(200, 10) == 128_000
    mib = 2**20
    # 256 MiB // 115,360 = 2,326 (2,327 x 115,360 = 268,442,720 > 268,435,456)
    assert uncertainty.block_size(s) == 2326
    # 32 MiB // 115,360 = 290; the chunk: 32 MiB // 243,360 = 137
    assert uncertainty.block_size(s, 64 * mib) == 290
    assert kernel.chunk_size(model, 200, 10, kernel.study_shares(64 * mib)[1]) == 137
    # 3 MiB + 1 byte: 1,572,864 bytes for inputs (13 draws), 1,572,865 for a chunk (6)
    assert uncertainty.block_size(s, 3 * mib + 1) == 13
    assert kernel.chunk_size(model, 200, 10, kernel.study_shares(3 * mib + 1)[1]) == 6
    # A budget that holds more than a block's 4,096 draws changes nothing
    assert uncertainty.block_size(s, 2**30) == uncertainty.block_size(s, 2**40) == 4096


def compromise_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The draws of every batch the compromise model is handed from now on (a spy on its
    ``evaluate``), in order."""
    seen: list[int] = []
    evaluate = Compromise.evaluate

    def spy(self: Compromise, batch: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(batch.size)
        return evaluate(self, batch, *args, **kwargs)

    monkeypatch.setattr(Compromise, "evaluate", spy)
    return seen


def test_a_study_runs_in_the_blocks_and_chunks_of_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """300 draws at 64 MiB: blocks of 290 and 10 draws, run in chunks of 137 (above)."""
    seen = compromise_calls(monkeypatch)
    result = uncertainty.simulate(crowd(200, 10), "compromise", draws=300, memory="64M")
    assert result.draws == 300
    assert seen == [137, 137, 16, 10]


def test_a_budget_that_cannot_hold_one_draw_is_refused() -> None:
    """The spatial model's one run at 300 actors: 88 x 300^3 + 512 x 300^2 + 64 x 300 =
    2,422,099,200 bytes declared (2.3 GiB), more than a stated budget of 1 GiB. The default
    budget does not refuse it (the machine's memory does, where it must)."""
    (spatial,) = build_models(["spatial"], {})
    assert spatial.run_memory(300, 1) == 2_422_099_200
    s = crowd(300)
    with pytest.raises(sc.MemoryLimitError) as caught:
        uncertainty.simulate(s, "spatial", draws=10, memory="1G")
    assert str(caught.value).startswith(
        "the spatial model on 300 actors x 1 issue needs at least 2.3 GiB for one draw; "
        "the memory budget is 1.0 GiB"
    )
    with pytest.raises(sc.MemoryLimitError, match=r"the memory budget is 1\.0 GiB"):
        brief(s, ["spatial"], draws=10, memory="1G")


def test_winner_odds_keep_to_the_budget_as_a_brief_does() -> None:
    """winner_odds gives a brief's verdict: at 4 MiB, the same numbers as the brief at 4 MiB
    (Karabakh's blocks of 764 draws, not 4,096: other draws, so other odds than at the
    default), and a stated budget too small for one draw is refused as the brief refuses
    it: a compromise model declaring 2 GiB for one run, against a budget of 1 GiB (not
    refused without a stated budget, where only the machine's memory bounds it)."""
    from statecraft.models import Compromise

    class Greedy(Compromise):
        def run_memory(self, n_actors: int, n_issues: int) -> int:
            return 2 * 2**30

    k = sc.load("karabakh-2020")
    small, _ = winner_odds(k, ["compromise"], draws=1000, seed=3, memory="4M")
    assert small == brief(k, "compromise", draws=1000, seed=3, memory="4M").winners
    assert small != winner_odds(k, ["compromise"], draws=1000, seed=3)[0]
    with pytest.raises(sc.MemoryLimitError, match=r"the memory budget is 1\.0 GiB"):
        winner_odds(k, [Greedy()], draws=10, memory="1G")


def _peak(scenario: sc.Scenario, draws: int, memory: str) -> int:
    tracemalloc.start()
    try:
        uncertainty.simulate(scenario, "compromise", draws=draws, memory=memory, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_stays_under_a_small_budget_as_draws_grow() -> None:
    """300 actors on 4 issues (2,704 uncertain numbers) under an 8 MiB budget: blocks of
    58 draws (4 MiB // 72,064 bytes), chunks of 28. The peak of the memory Python traces
    (NumPy's arrays included) stays under the budget, and six times the draws do not raise
    it: memory does not grow with the draws."""
    s = crowd(300, 4)
    assert uncertainty.block_size(s, 8 * 2**20) == 58
    uncertainty.simulate(s, "compromise", draws=60, memory="8M")  # caches filled first
    small = _peak(s, 500, "8M")
    large = _peak(s, 3_000, "8M")
    assert small < 8 * 2**20
    assert large < 8 * 2**20
    assert large < small * 1.1 + 2**18


def test_the_block_size_is_kept_with_the_result_and_its_run(store: Any) -> None:
    """The block size is part of what a seed reproduces: 300 draws of 200 actors x 10 issues
    at 64 MiB come in blocks of 290 (above), kept in the result, its JSON and its recorded
    run, and told to the user; a budget that holds a whole block changes nothing."""
    from statecraft.store.rundiff import diff

    s = crowd(200, 10)
    small = uncertainty.simulate(s, "compromise", draws=300, memory="64M")
    assert small.block == 290
    assert small.to_dict()["block"] == 290
    assert small.block_note is not None
    assert "blocks of 290, not 4,096" in small.block_note
    large = uncertainty.simulate(s, "compromise", draws=300, memory="1G")
    assert large.block == 4096
    assert large.block_note is None
    a, b = store.get(store.save(small)), store.get(store.save(large))
    assert (a.parameters["block"], b.parameters["block"]) == (290, 4096)
    assert ("parameters.block", 290, 4096) in diff(a, b).setup
