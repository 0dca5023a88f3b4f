"""The fitted families on small DEU tables, by hand: the capability grid's issues without a
date, the grid's fallback where nobody weighs anything, the least-absolute-deviation weights,
the eu-qt grid and applying fitted parameters (issue 22: mutants of
``statecraft.analysis.fitted`` that passed every test; each case worked in its docstring)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from statecraft.analysis import fitted
from statecraft.arrays import issue_arrays
from statecraft.io.deu import DeuTable, read_deu
from statecraft.models.eu_options import EUOptions
from tests import eu_reference
from tests.test_deu import _table
from tests.test_fitted import COMPROMISE, EU_QT_ROWS, _eu_qt_table, _row, _synthetic

# Council votes of 26 January 2000 (the pre-Nice era, EU-15): Germany and France 10 of 87.
DE = FR = 10 / 87


def test_capability_grid_gives_an_issue_without_a_date_the_equal_rule(tmp_path: Path) -> None:
    """An issue without a date has no treaty era: every candidate rule gives it the equal
    rule's compromise, the salience-weighted mean of positions, and the issues after it are
    still computed.

    The first issue (no date): com 100 (salience 0.3), de 0 (0.2), fr 20 (0.1); saliences
    summing to 0.6, less than 1:
    (0.3 * 100 + 0.2 * 0 + 0.1 * 20) / 0.6 = 32 / 0.6 = 160 / 3 = 53.33 (the plain mean of
    positions would be 40).

    The second (26 January 2000, co-decision): com 100 (0.5), de 0 (1.0), fr 20 (0.4), de and
    fr 10 of 87 votes each. The member states' part: numerator 10/87 * (1 * 0 + 0.4 * 20) =
    80/87, denominator 10/87 * (1.0 + 0.4) = 14/87; the Commission adds c * 0.5 * 100 and
    c * 0.5:
    c = 0: 80 / 14 = 40/7;
    c = 0.5: (80/87 + 25) / (14/87 + 0.25) = (80 + 2175) / (14 + 21.75) = 2255 / 35.75;
    c = 1: (80/87 + 50) / (14/87 + 0.5) = (80 + 4350) / (14 + 43.5) = 4430 / 57.5.
    """
    rows = [
        _row("p0", "p0i0", "COD", "", scom="30", sde="20", sfr="10"),
        _row("p1", "p1i0", "COD", "26-01-00"),
    ]
    table = read_deu(_table(tmp_path, rows))
    assert [i.introduced is None for i in table.issues] == [True, False]
    params = [{"commission": c, "ep_cod": 1.0, "ep_cns": 0.0} for c in (0.0, 0.5, 1.0)]
    grid = fitted._capability_grid(table, params)
    assert grid.shape == (2, 3)
    np.testing.assert_allclose(grid[0], [160 / 3] * 3, rtol=1e-12)
    np.testing.assert_allclose(grid[1], [40 / 7, 2255 / 35.75, 4430 / 57.5], rtol=1e-12)


def test_capability_grid_falls_back_to_the_mean_where_nobody_weighs(tmp_path: Path) -> None:
    """An issue where only the Commission (100, salience 0.5) and the Parliament (60, 1.0,
    co-decision) take positions: no member state weighs in, so a candidate that gives both
    weight 0 leaves nobody, and the forecast falls back to the plain mean of positions,
    (100 + 60) / 2 = 80. The other candidates by hand: the Parliament alone 60; the
    Commission alone 100; both at 1: (1 * 0.5 * 100 + 1 * 1.0 * 60) / (0.5 + 1.0) = 110 / 1.5.
    The Parliament's weight under consultation (``ep_cns``) plays no part in co-decision.
    """
    empty = {"pde": "", "pfr": "", "sde": "", "sfr": ""}
    rows = [_row("p1", "p1i0", "COD", "26-01-00", pep="60", sep="100", **empty)]
    table = read_deu(_table(tmp_path, rows))
    assert table.issues[0].positions == {"com": 100.0, "ep": 60.0}
    params = [
        {"commission": 0.0, "ep_cod": 0.0, "ep_cns": 1.0},
        {"commission": 0.0, "ep_cod": 1.0, "ep_cns": 0.0},
        {"commission": 1.0, "ep_cod": 0.0, "ep_cns": 1.0},
        {"commission": 1.0, "ep_cod": 1.0, "ep_cns": 0.0},
    ]
    grid = fitted._capability_grid(table, params)
    np.testing.assert_allclose(grid[0], [80.0, 60.0, 100.0, 110 / 1.5], rtol=1e-12)


def test_salience_power_gives_a_silent_actor_no_weight_at_any_gamma(tmp_path: Path) -> None:
    """com 100 (salience 0.5), de 0 (1.0), fr 20 (0.0), every capability 1 (the equal rule):
    weights salience ** gamma, but 0 for the actor whose salience is 0 (which 0 ** gamma
    would make infinite, with a division-by-zero warning, for a negative gamma), and 1 for
    every actor at gamma 0 (the plain mean).
    gamma -1: weights 2, 1, 0: (2 * 100 + 1 * 0) / 3 = 200 / 3;
    gamma 0: (100 + 0 + 20) / 3 = 40;
    gamma 1: (0.5 * 100 + 1 * 0) / 1.5 = 100 / 3;
    gamma 2: (0.25 * 100 + 1 * 0) / 1.25 = 20.
    ``apply_fitted`` takes a gamma outside the fitted grid (0 to 3) as given.
    """
    table = read_deu(_table(tmp_path, [_row("p1", "p1i0", "COD", "26-01-00", sfr="0")]))
    grid = fitted._salience_power(table, [-1.0, 0.0, 1.0, 2.0])
    np.testing.assert_allclose(grid[0], [200 / 3, 40.0, 100 / 3, 20.0], rtol=1e-12)
    applied = fitted.apply_fitted(table, {"salience-power": {"gamma": -1.0}}, ["salience-power"])
    np.testing.assert_allclose(applied["salience-power"], [200 / 3], rtol=1e-12)


def test_salience_power_of_equal_saliences_is_the_mean_even_when_weights_underflow(
    tmp_path: Path,
) -> None:
    """Every actor at salience 0.1 (capability 1): equal weights whatever gamma, so the
    forecast is the plain mean of positions, (100 + 0 + 20) / 3 = 40. At gamma 400 each
    weight, 0.1 ** 400 = 1e-400, underflows to 0 (the smallest double is about 5e-324): the
    weights sum to 0 and the forecast falls back to that same mean."""
    rows = [_row("p1", "p1i0", "COD", "26-01-00", scom="10", sde="10", sfr="10")]
    table = read_deu(_table(tmp_path, rows))
    assert 0.1**400 == 0.0
    grid = fitted._salience_power(table, [0.0, 1.0, 3.0, 400.0])
    np.testing.assert_allclose(grid[0], [40.0] * 4, rtol=1e-12)


def test_fitting_the_combination_without_scipy_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without SciPy (its optimiser made unimportable), fitting the combination's weights
    stops with the install command, the ``fit`` extra of pyproject.toml."""
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    with pytest.raises(ImportError) as info:
        fitted._lad_simplex(np.eye(2), np.zeros(2))
    assert str(info.value) == "fitting the combination needs SciPy: pip install 'statecraft[fit]'"


def _reference(table: DeuTable, q: float, t: float | str) -> list[float]:
    """The expected utility forecasts of tests/eu_reference.py (a plain implementation that
    shares no code with the model) with the given Q and T, issue by issue."""
    out = []
    for item in table.issues:
        a = issue_arrays(item.scenario, "x")
        options = EUOptions(q=q, t=t)
        out.append(
            eu_reference.run(list(a.position), list(a.capability), list(a.salience), options)[2]
        )
    return out


def test_eu_qt_grid_starts_from_the_unfitted_model_and_reports_progress(tmp_path: Path) -> None:
    """The eu-qt grid: the unfitted model (Q = 1, T = 1) first, then Q in 0.9, 0.75, 0.5,
    0.25, 0 with T in 1, 0.75, 0.5, 0.25, 0 and geometric: 1 + 5 x 6 = 31 candidates, each
    reported to the progress callback before it runs (0 to 30 of 31) and the end once (31
    of 31). On the six issues of test_fitted's eu-qt table, with outcomes set to the unfitted
    model's forecasts as the reference implementation computes them, the first candidate has
    no error, so the fit keeps it (the first on ties)."""
    draft = read_deu(_eu_qt_table(tmp_path, [0.0] * len(EU_QT_ROWS)))
    default = _reference(draft, 1.0, 1.0)
    table = read_deu(_eu_qt_table(tmp_path, default))
    calls: list[tuple[str, int, int]] = []
    cache = fitted._Cache(table, lambda what, done, total: calls.append((what, done, total)))
    params, forecasts = cache.grid("eu-qt")
    ts: list[float | str] = [1.0, 0.75, 0.5, 0.25, 0.0, "geometric"]
    want = [{"q": 1.0, "t": 1.0}] + [
        {"q": q, "t": t} for q in (0.9, 0.75, 0.5, 0.25, 0.0) for t in ts
    ]
    assert params == want
    assert calls == [("expected utility, Q and T", k, 31) for k in range(32)]
    assert forecasts.shape == (6, 31)
    # 1e-9: the model and the reference sum in different orders
    np.testing.assert_allclose(forecasts[:, 0], default, rtol=0, atol=1e-9)
    np.testing.assert_allclose(forecasts[:, 1 + 2 * 6 + 4], _reference(table, 0.5, 0.0), atol=1e-9)
    everything = np.ones(6, dtype=bool)
    actual = np.array([i.actual for i in table.issues])
    assert fitted._fit_family(cache, "eu-qt", everything, actual) == {"q": 1.0, "t": 1.0}


def test_cross_validation_defaults_to_ten_folds_seed_0_one_dealing(tmp_path: Path) -> None:
    """``cross_validate`` without options: 10 folds dealt once from seed 0, so ten sets of
    parameters, one MAE per family. On twelve alike proposals whose outcome lies halfway
    between the compromise and the status quo (0), every fold fits lambda 0.5."""
    table = read_deu(_synthetic(tmp_path, f"{COMPROMISE / 2:.12f}"))
    cv = fitted.cross_validate(table, ["sq-blend"])
    assert (cv.folds, cv.seed) == (10, 0)
    assert cv.parameters["sq-blend"] == ({"lambda": 0.5},) * 10
    assert sorted(set(cv.fold.tolist())) == list(range(10))
    assert cv.repeat_mae["sq-blend"] == pytest.approx((0.0,), abs=1e-9)


def test_cross_validation_refuses_no_dealing_and_grid_refuses_a_non_grid_family(
    tmp_path: Path,
) -> None:
    """``repeats`` 0 deals the proposals no times: refused, with the rule. The combination
    is fitted by a linear program, not a grid: asking the grid for it is refused by name."""
    table = read_deu(_synthetic(tmp_path, "30"))
    with pytest.raises(ValueError, match=r"^repeats must be at least 1$"):
        fitted.cross_validate(table, ["sq-blend"], folds=2, repeats=0)
    with pytest.raises(ValueError, match=r"^'combination' is not a grid family$"):
        fitted._Cache(table, None).grid("combination")


def test_cross_validation_hands_its_progress_callback_to_the_eu_qt_grid(tmp_path: Path) -> None:
    """The eu-qt grid reports its 31 candidates (0 to 31 of 31: 32 calls) each time a fit
    reads it: once for the fit on the whole table and once per fold, 1 + 2 = 3 times with
    two folds dealt once (the forecasts are computed the first time and reused)."""
    table = read_deu(_eu_qt_table(tmp_path, [50.0] * len(EU_QT_ROWS)))
    calls: list[tuple[str, int, int]] = []
    fitted.cross_validate(table, ["eu-qt"], folds=2, progress=lambda *call: calls.append(call))
    assert calls == [("expected utility, Q and T", k, 31) for k in range(32)] * 3


def test_cache_computes_a_model_once_whatever_the_order_of_its_options(tmp_path: Path) -> None:
    """A model's forecasts are computed once per table and options: the same options given
    in another order find the same array, not a second run."""
    cache = fitted._Cache(read_deu(_eu_qt_table(tmp_path, [50.0] * len(EU_QT_ROWS))), None)
    first = cache.model("expected-utility", q=0.5, t=0.0)
    assert cache.model("expected-utility", t=0.0, q=0.5) is first
    assert cache.model("expected-utility", q=0.5, t=0.25) is not first


def test_unknown_families_are_refused_with_the_list_of_families(tmp_path: Path) -> None:
    """An unknown family is refused with the five families named, in order, whether asked of
    apply_fitted (which checks first) or of the forecaster itself."""
    table = read_deu(_synthetic(tmp_path, "30"))
    want = (
        "unknown family 'magic'; the families are: "
        "sq-blend, salience-power, capability, eu-qt, combination"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(want)}$"):
        fitted.apply_fitted(table, {"magic": {}}, ["magic"])
    with pytest.raises(ValueError, match=f"^{re.escape(want)}$"):
        fitted._predict_family(fitted._Cache(table, None), "magic", {})


def test_the_capability_family_applies_to_a_table_read_with_any_rule(tmp_path: Path) -> None:
    """The capability family weighs every stance read, so it applies to a table read with
    another capability rule (here ``council``, whose scenarios leave the Commission out);
    the other families need the rule ``equal``.
    com 100 (salience 0.5), de 0 (1.0), fr 20 (0.4), 26 January 2000, de and fr 10 of 87
    votes, the Commission at 0.5: (80/87 + 0.5 * 0.5 * 100) / (14/87 + 0.5 * 0.5) =
    (80 + 2175) / (14 + 21.75) = 2255 / 35.75."""
    table = read_deu(
        _table(tmp_path, [_row("p1", "p1i0", "COD", "26-01-00")]), capability="council"
    )
    assert set(table.issues[0].scenario.actor_ids) == {"de", "fr"}
    p = {"commission": 0.5, "ep_cod": 1.0, "ep_cns": 0.0}
    applied = fitted.apply_fitted(table, {"capability": p}, ["capability"])
    np.testing.assert_allclose(applied["capability"], [2255 / 35.75], rtol=1e-12)
    with pytest.raises(ValueError, match="defined on the capability rule 'equal'"):
        fitted.apply_fitted(table, {"capability": p, "sq-blend": {"lambda": 0.5}})
