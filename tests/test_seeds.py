"""Seeds: a whole number from 0 to 2**63 - 1 (the largest a run store's BIGINT keeps), refused
with one message at every front door (the command line, the Python API, the web's request
bodies) rather than taken and then not recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from statecraft import compare, forecast, load, simulate, sobol_indices
from statecraft.analysis.backtest import backtest
from statecraft.analysis.fitted import cross_validate
from statecraft.api import SEED_MAX, check_seed
from statecraft.cli import app
from statecraft.io.deu import read_deu
from statecraft.store import open_store
from tests.test_deu import _table

runner = CliRunner()
MESSAGE = "the seed must be a whole number from 0 to 9223372036854775807"


def test_the_largest_seed_is_that_of_a_signed_64_bit_integer() -> None:
    assert SEED_MAX == 9223372036854775807 == np.iinfo(np.int64).max


@pytest.mark.parametrize("seed", [0, 1, SEED_MAX, np.int64(5), np.uint64(SEED_MAX)])
def test_seeds_taken(seed: Any) -> None:
    assert check_seed(seed) == int(seed)
    assert type(check_seed(seed)) is int


@pytest.mark.parametrize(
    ("seed", "shown"),
    [
        (SEED_MAX + 1, "(got 9223372036854775808)"),
        (2**64, "(got 18446744073709551616)"),
        (-1, "(got -1)"),
        (10**400, "(got a number of 1329 binary digits)"),
        (1.5, "(got 1.5)"),
        (2.0, "(got 2.0)"),  # a float is not a seed, even a whole one
        ("7", "(got '7')"),
        (True, "(got True)"),
        (None, "(got None)"),
    ],
)
def test_seeds_refused(seed: Any, shown: str) -> None:
    with pytest.raises(ValueError, match="^" + MESSAGE) as caught:
        check_seed(seed)
    assert str(caught.value).endswith(shown)


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "ec-emissions-1994", "-m", "compromise"],
        ["simulate", "ec-emissions-1994", "-n", "10"],
        ["compare", "karabakh-2020", "us-engaged"],
        ["sensitivity", "ec-emissions-1994", "--perturb", "0.1"],
        ["plot", "ec-emissions-1994", "positions", "-o", "x.svg"],
    ],
)
@pytest.mark.parametrize("seed", [str(SEED_MAX + 1), "-1", str(2**70)])
def test_the_command_line_refuses_a_seed_out_of_range(args: list[str], seed: str) -> None:
    result = runner.invoke(app, [*args, "--seed", seed])
    assert result.exit_code == 2
    assert MESSAGE in " ".join(result.output.replace("│", " ").split())
    assert "Traceback" not in result.output


def test_the_largest_seed_is_run_and_recorded() -> None:
    result = runner.invoke(
        app, ["simulate", "ec-emissions-1994", "-n", "10", "--seed", str(SEED_MAX)]
    )
    assert result.exit_code == 0, result.output
    with open_store() as s:  # the test's own store (conftest)
        assert s.get("latest").seed == SEED_MAX
        assert s.runs()["seed"].iloc[0] == SEED_MAX


def _api() -> list[Callable[[int], Any]]:
    s = load("ec-emissions-1994")
    return [
        lambda seed: forecast(s, "compromise", seed=seed),
        lambda seed: simulate(s, "compromise", draws=10, seed=seed),
        lambda seed: compare("karabakh-2020", ["us-engaged"], seed=seed),
        lambda seed: sobol_indices(s.with_perturbation(0.1), "compromise", samples=8, seed=seed),
    ]


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("seed", [SEED_MAX + 1, -1])
def test_the_python_api_refuses_a_seed_out_of_range(k: int, seed: int) -> None:
    with pytest.raises(ValueError, match=MESSAGE):
        _api()[k](seed)


def test_backtests_refuse_a_seed_out_of_range(tmp_path: Any) -> None:
    table = read_deu(_table(tmp_path))
    with pytest.raises(ValueError, match=MESSAGE):
        backtest(table, ["compromise"], replicates=10, seed=SEED_MAX + 1)
    with pytest.raises(ValueError, match=MESSAGE):
        cross_validate(table, folds=2, seed=-3)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/studies", {"scenario": "ec-emissions-1994", "draws": 10}),
        ("/api/compare", {"scenario": "karabakh-2020", "patches": ["us-engaged"]}),
    ],
)
@pytest.mark.parametrize("seed", [SEED_MAX + 1, -1, 2**80])
def test_the_web_refuses_a_seed_out_of_range(
    path: str, body: dict[str, Any], seed: int, tmp_path: Any
) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2")
    from fastapi.testclient import TestClient

    from statecraft.web import create_app

    with TestClient(create_app(store=str(tmp_path / "r.sqlite")), base_url="http://localhost") as c:
        answer = c.post(path, json={**body, "seed": seed})
    assert answer.status_code == 422
    assert MESSAGE in answer.text
    if isinstance(answer.json(), dict) and "error" in answer.json():  # the app's own shape
        assert MESSAGE in answer.json()["error"]
