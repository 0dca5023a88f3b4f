"""Memory: every computation is bounded by a budget, and one that cannot fit the machine is
refused before it starts, with the figures (issue 14)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import kernel, uncertainty
from statecraft.analysis.sensitivity import sobol_indices
from statecraft.cli import app
from statecraft.models import build_models
from statecraft.scenario import Perturbation


def crowd(n: int, m: int = 1) -> sc.Scenario:
    """``n`` actors spread over ``m`` issues, every number given."""
    return sc.Scenario.model_validate(
        {
            "name": "crowd",
            "issues": [{"id": f"i{j}", "label": f"I{j}", "status_quo": 50} for j in range(m)],
            "actors": [
                {
                    "id": f"a{k}",
                    "capability": 1 + k % 7,
                    "stances": {
                        f"i{j}": {"position": (37 * k + 11 * j) % 101, "salience": 0.5}
                        for j in range(m)
                    },
                }
                for k in range(n)
            ],
        }
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("512M", 512 * 2**20), ("2G", 2 * 2**30), ("1.5GiB", 3 * 2**29), ("1000", 1000)],
)
def test_memory_limit_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: int
) -> None:
    monkeypatch.setenv("STATECRAFT_MEMORY", text)
    assert kernel.memory_limit() == (expected, "STATECRAFT_MEMORY")


@pytest.mark.parametrize("text", ["lots", "inf", "1e999", "nan", "-5G", "0", "9E"])
def test_bad_memory_limit_says_what_is_allowed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("STATECRAFT_MEMORY", text)
    with pytest.raises(
        sc.MemoryLimitError, match=rf"such as 4G or 512M, below 8 EiB \(got '{text}'\)"
    ):
        kernel.memory_limit()


def test_memory_limit_of_this_machine_is_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATECRAFT_MEMORY", raising=False)
    limit = kernel.memory_limit()
    assert limit is not None
    assert limit[0] > 2**20


def test_a_study_that_cannot_fit_is_refused_before_it_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The spatial model's run holds (n x n x n) arrays: 88 n^3 + 512 n^2 + 64 n m bytes
    # declared; at 1,000 actors on one issue that is 88,512,064,000 bytes. A study also
    # holds a block of drawn inputs (3,727 draws of 72,016 bytes: half the 512 MiB budget)
    # and a chunk of them with the model's own per-draw arrays: one draw of 104,016 bytes,
    # as the run alone fills the chunk's half (256 MiB): in all 88,780,571,648 bytes,
    # 82.7 GiB.
    monkeypatch.setenv("STATECRAFT_MEMORY", "8G")
    s = crowd(1000).model_copy(update={"perturb": Perturbation(relative=0.1)})
    with pytest.raises(sc.MemoryLimitError) as caught:
        uncertainty.simulate(s, "spatial", draws=10)
    assert str(caught.value).startswith(
        "the spatial model on 1,000 actors x 1 issue needs about 82.7 GiB at its peak; "
        "STATECRAFT_MEMORY allows 8.0 GiB"
    )
    monkeypatch.setenv("STATECRAFT_MEMORY", "82G")
    with pytest.raises(sc.MemoryLimitError):
        uncertainty.check_models(s, ["spatial"], {})
    monkeypatch.setenv("STATECRAFT_MEMORY", "83G")
    uncertainty.check_models(s, ["spatial"], {})


def test_a_forecast_that_cannot_fit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # One draw: the run and one draw's arrays, 88,512,064,000 + 104,016 bytes.
    monkeypatch.setenv("STATECRAFT_MEMORY", "1G")
    with pytest.raises(sc.MemoryLimitError, match=r"1,000 actors x 1 issue needs about 82.4 GiB"):
        sc.forecast(crowd(1000), ["spatial"])


def test_the_command_line_refuses_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("STATECRAFT_MEMORY", "1G")
    path = tmp_path / "crowd.json"
    path.write_text(crowd(1000).model_dump_json())
    result = CliRunner().invoke(
        app, ["simulate", str(path), "-m", "spatial", "--perturb", "0.1", "--no-store"]
    )
    assert result.exit_code == 2, result.output
    assert "needs about 82.7 GiB at its peak; STATECRAFT_MEMORY allows 1.0 GiB" in result.output
    assert "Traceback" not in result.output


def test_sobol_design_that_cannot_fit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("SALib")
    # One uncertain input, one issue: N (k + 2) = 3N rows of 2k + issues = 3 numbers, and
    # SALib's bootstrap of 4 x 100 x N: 8 (9N + 400N) = 3,272 N bytes; N = 2^30 is
    # 3,272 GiB, refused before SALib draws anything.
    monkeypatch.setenv("STATECRAFT_MEMORY", "64G")
    s = sc.Scenario.model_validate(
        {
            "name": "one",
            "issues": [{"id": "x", "label": "X"}],
            "actors": [
                {
                    "id": "a",
                    "capability": {"value": 2, "low": 1, "high": 3},
                    "stances": {"x": {"position": 10, "salience": 1}},
                },
                {"id": "b", "capability": 1, "stances": {"x": {"position": 90, "salience": 1}}},
            ],
        }
    )
    with pytest.raises(sc.MemoryLimitError) as caught:
        sobol_indices(s, "compromise", samples=2**30)
    assert "run the model 3,221,225,472 times and need about 3,272.0 GiB" in str(caught.value)
    assert "STATECRAFT_MEMORY allows 64.0 GiB" in str(caught.value)


def test_block_summarised_chunk_by_chunk_equals_one_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Confrontations and biggest-winner counts are added up chunk by chunk (so that a
    block never holds every draw's n x n confrontations): the same counts as in one chunk."""
    s = sc.load("karabakh-2020").model_copy(update={"perturb": Perturbation(relative=0.2)})
    whole = uncertainty.run_block(s, ["expected-utility", "compromise"], {}, 4, 0, 10)
    monkeypatch.setattr(kernel, "chunk_size", lambda *a, **k: 3)  # 3, 3, 3, 1
    parts = uncertainty.run_block(s, ["expected-utility", "compromise"], {}, 4, 0, 10)
    assert whole.confrontation
    assert set(whole.confrontation) == set(parts.confrontation)
    for key, counts in whole.confrontation.items():
        np.testing.assert_array_equal(counts, parts.confrontation[key])
    for name, counts in whole.best.items():
        assert counts.sum() == 10
        np.testing.assert_array_equal(counts, parts.best[name])
    assert whole.sums == parts.sums
    assert whole.valid == parts.valid


def test_every_model_declares_what_it_needs_at_1000_actors() -> None:
    """The hungriest models say so: the spatial model's run grows with n^3, the exchange
    model's with pairs of actors times pairs of issues, so that a study is sized and
    refused from their declarations (hand-computed from the declared formulas)."""
    spatial, exchange = build_models(["spatial", "exchange"], {})
    assert spatial.run_memory(1000, 1) == 88 * 10**9 + 512 * 10**6 + 64_000
    assert exchange.run_memory(100, 50) == 112 * 4950 * 1225 + 1024 * 5000
