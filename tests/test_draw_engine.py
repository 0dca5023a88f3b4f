"""The compiled draw map (statecraft.analysis._triangular) against NumPy's own draws.

The reference is NumPy itself: ``Generator.triangular`` and ``Generator.uniform`` on the
same generator state. The compiled map must give the same bytes, for any range, any mode
(at either end too), and in a block whose inputs mix mapped and unmapped distributions.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statecraft import load, simulate
from statecraft.analysis import draws as draws_module
from statecraft.analysis.draws import (
    COMPILED_FROM,
    UncertainInput,
    compiled_pays,
    draw_block,
    uncertain_inputs,
)

pytest.importorskip("numba")
from statecraft.analysis._triangular import TRIANGULAR, UNIFORM, map_rows
from tests.child import loaded_in_child

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def _item(dist: str, low: float, value: float, high: float, key: str = "a:x:position") -> Any:
    return UncertainInput(key, "position", "a", "x", value, low, high, dist, (low, high))


def _mapped(kind: int, low: float, mode: float, high: float, seed: int, n: int) -> np.ndarray:
    u = np.random.default_rng(seed).random((1, n))
    map_rows(u, np.array([kind]), np.array([low]), np.array([mode]), np.array([high]))
    return u[0]


@settings(max_examples=200, deadline=None)
@given(
    a=finite,
    b=finite,
    t=st.sampled_from([0.0, 1.0, 0.5]) | st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_map_gives_numpys_triangular_and_uniform_bytes(
    a: float, b: float, t: float, seed: int
) -> None:
    low, high = min(a, b), max(a, b)
    if not high > low:
        return
    mode = min(max(low + t * (high - low), low), high)  # the mode at either end too
    want = np.random.default_rng(seed).triangular(low, mode, high, 300)
    np.testing.assert_array_equal(_mapped(TRIANGULAR, low, mode, high, seed, 300), want)
    want = np.random.default_rng(seed).uniform(low, high, 300)
    np.testing.assert_array_equal(_mapped(UNIFORM, low, mode, high, seed, 300), want)


def test_a_triangular_draw_worked_by_hand() -> None:
    """On [0, 4] with mode 1: base 4, ratio 1/4. U = 0.0625 (below the ratio) maps to
    0 + sqrt(0.0625 * 1 * 4) = 0.5; U = 0.25 (the ratio itself) to sqrt(0.25 * 4) = 1 (the
    mode); U = 0.4375 (above) to 4 - sqrt((1 - 0.4375) * 3 * 4) = 4 - sqrt(6.75)."""
    u = np.array([[0.0625, 0.25, 0.4375], [0.0, 0.5, 0.75]])
    map_rows(u, np.array([TRIANGULAR, UNIFORM]), np.array([0.0, 2.0]), np.array([1.0, 2.0]),
             np.array([4.0, 6.0]))  # fmt: skip
    np.testing.assert_array_equal(u[0], [0.5, 1.0, 4.0 - np.sqrt(6.75)])
    np.testing.assert_array_equal(u[1], [2.0, 4.0, 5.0])  # 2 + 4 U


def test_a_block_of_mixed_inputs_is_the_same_compiled_or_not() -> None:
    """Runs of mapped inputs broken by beta, normal and rescaled (near 1e308) inputs: each
    takes its doubles from the generator in its turn either way."""
    inputs = [
        _item("triangular", 0.0, 30.0, 100.0, "a:x:position"),
        _item("uniform", -5.0, 0.0, 5.0, "b:x:position"),
        _item("beta", 10.0, 20.0, 40.0, "c:x:position"),
        _item("triangular", 1.0, 1.0, 2.0, "d:x:position"),  # the mode at the low end
        _item("normal", 0.0, 50.0, 100.0, "e:x:position"),
        _item("triangular", 1.2 * 2.0**1023, 1.5 * 2.0**1023, 1.7 * 2.0**1023, "f:x:position"),
        _item("uniform", 3.0, 3.5, 4.0, "g:x:position"),
        _item("triangular", 0.0, 100.0, 100.0, "h:x:position"),  # the mode at the high end
    ]
    scenario = load("karabakh-2020")
    plain = draw_block(scenario, inputs, 7, 3, 1000)
    fast = draw_block(scenario, inputs, 7, 3, 1000, compiled=True)
    assert list(plain) == list(fast) == [i.key for i in inputs]
    for key in plain:
        np.testing.assert_array_equal(fast[key], plain[key])
    # and the plain one is NumPy's own, input after input, from the block's generator
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(7, spawn_key=(3,))))
    np.testing.assert_array_equal(plain["a:x:position"], rng.triangular(0.0, 30.0, 100.0, 1000))
    np.testing.assert_array_equal(plain["b:x:position"], rng.uniform(-5.0, 5.0, 1000))


def test_a_study_is_the_same_bytes_through_either_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load("karabakh-2020")
    monkeypatch.setenv("STATECRAFT_DRAW_ENGINE", "numpy")
    plain = simulate(scenario, ["compromise", "median"], draws=9000, seed=4)
    monkeypatch.setenv("STATECRAFT_DRAW_ENGINE", "numba")
    fast = simulate(scenario, ["compromise", "median"], draws=9000, seed=4)
    assert fast.to_dict() == plain.to_dict()


def test_when_the_compiled_map_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    n = len(uncertain_inputs(load("karabakh-2020")))
    monkeypatch.delenv("STATECRAFT_DRAW_ENGINE", raising=False)
    monkeypatch.setattr(draws_module, "_numba_loaded", lambda: False)
    assert compiled_pays(COMPILED_FROM // n + 1, n)
    assert not compiled_pays(COMPILED_FROM // n - 1, n)
    assert not compiled_pays(10_000, n)
    monkeypatch.setattr(draws_module, "_numba_loaded", lambda: True)
    assert compiled_pays(10, n)  # loaded already: nothing left to pay
    monkeypatch.setenv("STATECRAFT_DRAW_ENGINE", "numpy")
    assert not compiled_pays(10**9, n)
    monkeypatch.setenv("STATECRAFT_DRAW_ENGINE", "numba")
    monkeypatch.setattr(draws_module, "_numba_loaded", lambda: False)
    assert compiled_pays(1, n)
    monkeypatch.setattr(draws_module, "has_numba", lambda: False)  # numba not installed
    assert not compiled_pays(10**9, n)
    inputs = [_item("triangular", 0.0, 1.0, 2.0)]
    got = draw_block(load("karabakh-2020"), inputs, 1, 0, 50, compiled=True)
    want = np.random.Generator(np.random.PCG64(np.random.SeedSequence(1, spawn_key=(0,))))
    np.testing.assert_array_equal(got["a:x:position"], want.triangular(0.0, 1.0, 2.0, 50))


def test_the_compiled_draws_load_no_linear_algebra() -> None:
    # numba's first call would import scipy.linalg only to find a BLAS the draw map does not
    # use (models.numba_setup.load_numba_without_scipy)
    code = (
        "from statecraft import load; "
        "from statecraft.analysis.draws import draw_block, uncertain_inputs; "
        "s = load('karabakh-2020'); "
        "draw_block(s, uncertain_inputs(s), 0, 0, 10, compiled=True)"
    )
    assert loaded_in_child(code, ["scipy.linalg", "numba"]) == {"numba"}


@pytest.mark.parametrize(
    ("variable", "model"),
    [("STATECRAFT_DRAW_ENGINE", "compromise"), ("STATECRAFT_EU_ENGINE", "expected-utility")],
)
def test_an_engine_named_wrong_is_refused_in_one_line(variable: str, model: str) -> None:
    from typer.testing import CliRunner

    from statecraft.cli import app

    args = ["simulate", "karabakh-2020", "-m", model, "--draws", "20", "--no-store"]
    done = CliRunner().invoke(app, args, env={variable: "fast"})
    assert done.exit_code != 0
    assert f"{variable} must be numpy, numba or auto (got 'fast')" in done.output
    assert "Traceback" not in done.output
    for fine in ("numpy", " NumPy ", "auto", ""):
        assert CliRunner().invoke(app, args, env={variable: fine}).exit_code == 0, fine


def test_a_range_at_the_lowest_exponent_drawn_as_is_is_rescaled_by_both_engines() -> None:
    """The map draws a range as it is only where its top's power of two lies in
    (-500, 500]: at 2**-501 (frexp's exponent -500) both engines draw it scaled by 2**500
    (:func:`~statecraft.analysis.draws.sample`). Drawn as it is there, a triangular range of
    width 2**-540 would multiply widths to 2**-1080 times U, below the smallest subnormal
    2**-1074: the draws would collapse onto the low end."""
    low = 2.0**-501
    item = UncertainInput("c:x:capability", "capability", "c", "x", low + 2.0**-541, low,
                          low + 2.0**-540, "triangular", (0.0, 1.0))  # fmt: skip
    assert draws_module._exponent(item) == -500
    assert not draws_module._mapped(item)
    plain = draw_block(load("karabakh-2020"), [item], 5, 0, 200)
    fast = draw_block(load("karabakh-2020"), [item], 5, 0, 200, compiled=True)
    np.testing.assert_array_equal(fast["c:x:capability"], plain["c:x:capability"])
    assert len(np.unique(plain["c:x:capability"])) > 100  # not collapsed onto one end


def test_numba_loaded_reads_the_modules_imported() -> None:
    # numba is imported by this file (for the compiled map), so it is loaded here
    assert "numba" in sys.modules
    assert draws_module._numba_loaded() is True


def test_the_compiled_map_from_exactly_compiled_from_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # One input: 50,000,000 draws reach COMPILED_FROM exactly and take the map, one fewer not
    monkeypatch.delenv("STATECRAFT_DRAW_ENGINE", raising=False)
    monkeypatch.setattr(draws_module, "_numba_loaded", lambda: False)
    assert COMPILED_FROM == 50_000_000
    assert compiled_pays(50_000_000, 1)
    assert not compiled_pays(49_999_999, 1)
