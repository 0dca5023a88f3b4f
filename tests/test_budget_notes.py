"""The note that a memory budget changed the draws: when it is given, what it says, and
where the block size is kept (simulate, brief, compare; risk and timeline in
test_budget_more.py).

Worked by hand for karabakh-2020 (9 actors, 5 issues): one draw of the inputs takes
8 x (7 x 9 x 5 + 2 x (9 + 5)) = 8 x 343 = 2,744 bytes (kernel.input_bytes). A 1 MiB budget
gives half, 524,288 bytes, to a block: 524,288 // 2,744 = 191 draws. Blocks of 4,096 need
2 x 4,096 x 2,744 = 22,478,848 bytes, 21.4 MiB, so 22M is the first whole number of MiB that
gives them (21M: 11,010,048 // 2,744 = 4,012).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import _blocks
from statecraft.analysis.brief import brief
from statecraft.analysis.counterfactual import compare
from statecraft.analysis.uncertainty import simulate
from statecraft.cli import app
from statecraft.store.rundiff import diff

runner = CliRunner()
K = sc.load("karabakh-2020")
PATCH = Path(sc.__file__).parent / "scenarios" / "patches" / "karabakh-2020" / "eu-engaged.yaml"


def test_the_block_of_a_budget_worked_by_hand() -> None:
    assert _blocks.block_size(K, 2**20) == 191
    assert _blocks.full_block_budget(K) == 22_478_848
    assert _blocks.block_size(K, 22 * 2**20) == 4096
    assert _blocks.block_size(K, 21 * 2**20) == 4012


def test_a_study_that_one_block_holds_gets_no_note() -> None:
    """100 draws at 1 MiB are one block of 100 either way: the same draws as at 512 MiB."""
    small = simulate(K, "compromise", draws=100, memory="1M")
    default = simulate(K, "compromise", draws=100)
    assert small.block == 191  # kept: it is what the budget gave
    assert small.block_note is None
    small_json, default_json = small.to_dict(), default.to_dict()
    assert (small_json.pop("block"), default_json.pop("block")) == (191, 4096)
    assert small_json == default_json


def test_the_note_names_the_block_and_the_budget_that_restores_it() -> None:
    s = simulate(K, "compromise", draws=400, memory="1M")
    assert s.block_note == (
        "Draws came in blocks of 191, not 4,096: the memory budget held no more. The same "
        "seed with another block size gives other draws (--memory 22M or more gives blocks "
        "of 4,096)."
    )
    assert simulate(K, "compromise", draws=400, memory="22M").block_note is None


def test_a_brief_keeps_its_block_and_says_so() -> None:
    small = brief(K, "compromise", draws=400, memory="1M")
    assert small.block == 191
    assert small.to_dict()["block"] == 191
    assert small.block_note is not None
    assert "blocks of 191, not 4,096" in small.block_note
    default = brief(K, "compromise", draws=400)
    assert default.block == 4096
    assert "block" not in default.to_dict()  # the default's JSON as it was
    assert default.block_note is None


def test_a_comparison_keeps_its_blocks_in_its_json_and_its_run(store: Any) -> None:
    patch = sc.load_patch(PATCH)
    small = compare(K, [patch], "compromise", draws=400, memory="1M", odds=False)
    default = compare(K, [patch], "compromise", draws=400, odds=False)
    label = patch.name
    assert small.blocks == {"base": 191, label: 191}  # the patch moves positions, not sizes
    assert small.to_dict()["blocks"] == {"base": 191, label: 191}
    assert small.block_note is not None
    assert small.block_note.startswith("base: Draws came in blocks of 191")
    assert default.blocks == {}
    assert "blocks" not in default.to_dict()
    assert default.block_note is None
    a, b = store.get(store.save(small)), store.get(store.save(default))
    assert a.parameters["blocks"] == {"base": 191, label: 191}
    assert "blocks" not in b.parameters
    assert any(path == "parameters.blocks" for path, _, _ in diff(a, b).setup)


@pytest.mark.parametrize(
    ("command", "extra"),
    [("simulate", ["--no-store"]), ("brief", ["--no-flips"]), ("compare", ["eu-engaged"])],
)
def test_every_command_that_draws_tells_of_smaller_blocks(command: str, extra: list[str]) -> None:
    args = [command, "karabakh-2020", *extra, "--memory", "1M"]
    if command == "compare":
        args += ["--no-store"]
    told = runner.invoke(app, [*args, "--draws", "400"])
    assert told.exit_code == 0, told.output
    assert "blocks of 191, not 4,096" in " ".join(told.output.split())
    quiet = runner.invoke(app, [*args, "--draws", "150"])  # one block either way
    assert quiet.exit_code == 0, quiet.output
    assert "blocks of" not in quiet.output


def test_the_note_only_where_the_block_is_smaller_and_the_study_outgrows_it() -> None:
    """``block_note`` at its boundaries: blocks of 4,096 give no note however many draws; a
    smaller block gives none where one block holds the study (191 draws in blocks of 191,
    the same one block as at 4,096), and a note from the 192nd draw; without the scenario the
    note names no budget."""
    assert _blocks.block_note(_blocks.BLOCK, _blocks.BLOCK + 1) is None
    assert _blocks.block_note(_blocks.BLOCK, 10**6, K) is None
    assert _blocks.block_note(191, 191, K) is None
    assert _blocks.block_note(191, 192) == (
        "Draws came in blocks of 191, not 4,096: the memory budget held no more. The same "
        "seed with another block size gives other draws."
    )
