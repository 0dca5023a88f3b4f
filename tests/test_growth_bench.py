"""benchmarks/growth.py ("How cost grows", issue 19): its fits on analytic cases, the
structure of a quick run's output, and its marks for points it stops or that are refused.
No figure here is timed: only the shape of what the script reports is checked."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def growth() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        import growth as module

        yield module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def report(growth: ModuleType) -> ModuleType:
    return sys.modules["_growth_report"]


def _records(model: str, axis: str, sizes: list[int], cpu: list[float]) -> list[dict[str, Any]]:
    base = {"actors": 20, "issues": 5, "draws": 1000}
    return [
        {
            "model": model,
            "axis": axis,
            **{**base, axis: n},
            "status": "ok",
            "study_cpu": t,
            "study_wall": 2 * t,
            "peak_mib": 100.0 + 1e-3 * n,
            "base_mib": 100.0,
        }
        for n, t in zip(sizes, cpu, strict=True)
    ]


def test_fit_recovers_square(report: ModuleType) -> None:
    n = np.array([10, 30, 100, 300, 1000], dtype=float)
    assert report.fit_slope(n, 3e-6 * n**2) == pytest.approx(2.0, abs=1e-9)


@settings(max_examples=30, derandomize=True)
@given(
    st.floats(min_value=-3, max_value=3),
    st.floats(min_value=1e-6, max_value=1e3),
)
def test_fit_recovers_any_power(report: ModuleType, exponent: float, constant: float) -> None:
    x = [1e3, 1e4, 1e5, 1e6]
    assert report.fit_slope(x, [constant * v**exponent for v in x]) == pytest.approx(
        exponent, abs=1e-9
    )


def test_fit_leaves_out_the_fixed_cost(report: ModuleType) -> None:
    # 0.01 s at 10 and 100 actors is the fixed cost, under the floor of 0.1 s, so only 1,000
    # and 10,000 actors are fitted: log(40 / 0.4) / log(10) = 2.
    records = _records("expected-utility", "actors", [10, 100, 1000, 10000], [0.01, 0.01, 0.4, 40])
    fit = report.fitted(records, "actors")
    assert fit["points"] == [1000, 10000]
    assert fit["slope"] == pytest.approx(2.0)
    # n^2 log2 n from 1,000 to 10,000: 2 + log10(log2(10^4) / log2(10^3)) = 2 + log10(4/3)
    assert fit["theory"] == pytest.approx(2 + math.log10(4 / 3))
    # memory above the resident memory before the study: 1e-3 n MiB, 20 MiB from 20,000 on
    assert report.fitted(records, "actors", "memory")["slope"] is None


def test_fit_needs_two_points(report: ModuleType) -> None:
    records = _records("compromise", "draws", [100, 1000], [0.01, 0.02])
    fit = report.fitted(records, "draws")
    assert fit == {"points": [], "slope": None, "theory": None}


def test_theory_slopes(growth: ModuleType, report: ModuleType) -> None:
    theory = report.THEORY
    assert set(theory) == set(growth.DEFAULTS)
    for model in ("compromise", "nash", "kalai-smorodinsky"):
        for axis in range(3):
            size = [20.0, 5.0, 1000.0]
            values = []
            for v in (10.0, 1000.0):
                size[axis] = v
                values.append(theory[model](*size))
            assert values[1] / values[0] == pytest.approx(100.0)  # linear in each
    assert theory["spatial"](200, 4, 10) / theory["spatial"](100, 4, 10) == pytest.approx(
        (200**3 + 200**2 * 4) / (100**3 + 100**2 * 4)
    )


def test_every_registered_model_has_defaults_and_theory(growth: ModuleType) -> None:
    import statecraft as sc

    assert list(growth.DEFAULTS) == list(sc.available_models())


def test_quick_run(growth: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "run.json"
    argv = ["--quick", "--models", "compromise", "--axes", "draws", "--no-search"]
    run = growth.main([*argv, "--img", str(tmp_path), "--json", str(saved)])
    records = run["records"]
    assert [r["draws"] for r in records] == growth.QUICK_GRID["draws"]
    for r in records:
        assert r["status"] == "ok", r
        assert (r["actors"], r["issues"]) == growth.QUICK_DEFAULTS[:2]
        assert r["study_cpu"] >= 0
        assert r["proc_wall"] >= r["study_wall"] > 0
        assert r["peak_mib"] >= r["base_mib"] > 0
    out = capsys.readouterr().out
    assert "| draws | compromise |" in out
    assert "| compromise | n m D | 6, 2, 20 | draws |" in out
    assert (tmp_path / "growth-draws.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "growth-actors.png").exists()  # no chart of an axis not measured
    assert json.loads(saved.read_text())["records"] == records
    again = growth.main(["--replot", str(saved), "--img", str(tmp_path / "again")])
    assert again["records"] == records


def test_points_stopped_or_refused(growth: ModuleType) -> None:
    stopped = growth.measure("spatial", 20, 2, 200, cap=0.2, mem_cap=4096.0)
    assert stopped["status"] == "not reached"
    assert "study_cpu" not in stopped
    refused = growth.measure("exchange", 5, 1, 10, cap=10.0, mem_cap=4096.0)
    assert refused["status"] == "refused"
    assert refused["note"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--models", "nope"], "unknown model 'nope'"),
        (["--axes", "actors,weight"], "--axes takes some of"),
        (["--cap", "0"], "--cap must be"),
    ],
)
def test_bad_arguments(
    growth: ModuleType, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        growth.main(["--quick", *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
