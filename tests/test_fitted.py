"""Council weights by era, capability rules, DEU dates, and the fitted families with their
cross-validation grouped by proposal: small tables made here with hand-checked answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import fitted
from statecraft.analysis.backtest import backtest
from statecraft.cli import app
from statecraft.io.deu import CapabilityRule, _date, _swapped_dates, decision_date, read_deu
from statecraft.io.deu_fitted import capability_rule, fitted_rule, load_fitted
from statecraft.io.eu_council import ERAS, era_on, member_on
from tests.conftest import SHARED_DATA, requires_shared
from tests.test_deu import HEADER, ROWS, _table

runner = CliRunner()
D = dt.date


# --- Council weights by era --------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "era", "total"),
    [
        (D(1999, 6, 1), "pre-Nice", 87),  # EU-15
        (D(2004, 4, 30), "pre-Nice", 87),
        (D(2004, 5, 1), "transitional", 124),  # EU-25 with the old weights
        (D(2004, 11, 1), "Nice", 321),  # EU-25
        (D(2007, 1, 1), "Nice", 345),  # Bulgaria and Romania join
        (D(2013, 7, 1), "Nice", 352),  # Croatia joins
        (D(2014, 11, 1), "Lisbon", 100.01),  # population shares of 2016, rounded
    ],
)
def test_era_totals_match_the_treaties(date: dt.date, era: str, total: float) -> None:
    found = era_on(date)
    assert found.name == era
    assert found.total(date) == pytest.approx(total)


def test_members_and_weights() -> None:
    assert not member_on("pl", D(2004, 4, 30))
    assert member_on("pl", D(2004, 5, 1))
    assert era_on(D(2000, 1, 1)).weight("pl", D(2000, 1, 1)) == 0.0
    assert era_on(D(2010, 1, 1)).weight("de", D(2010, 1, 1)) == 29
    assert [e.name for e in ERAS] == ["pre-Nice", "transitional", "Nice", "Lisbon"]


def test_decision_date_waits_for_the_states_with_positions() -> None:
    assert decision_date(D(2003, 12, 23), ["de", "fr"]) == D(2003, 12, 23)
    assert decision_date(D(2003, 12, 23), ["de", "pl"]) == D(2004, 5, 1)
    assert decision_date(D(2005, 1, 1), ["ro", "pl"]) == D(2007, 1, 1)


# --- Dates ---------------------------------------------------------------------------------


def test_dates_in_every_form_found_in_deu() -> None:
    assert _date("26-01-00") == D(2000, 1, 26)
    assert _date("17-04-96") == D(1996, 4, 17)
    assert _date("14-09-2016") == D(2016, 9, 14)
    assert _date("2014-07-04") == D(2014, 7, 4)  # a plain ISO date
    # a spreadsheet took 14-07-04 and 30-11-05 for yy-mm-dd
    assert _date("2014-07-04", excel_swapped=True) == D(2004, 7, 14)
    assert _date("1930-11-05", excel_swapped=True) == D(2005, 11, 30)
    assert _date("not a date") is None
    assert _date("31-02-99") is None


def test_a_column_is_read_back_only_when_it_shows_the_mangling() -> None:
    assert _swapped_dates(["2014-07-04", "1930-11-05", "26-01-00"])
    assert not _swapped_dates(["2014-07-04", "2016-09-14", "26-01-00"])


def test_read_deu_reads_mangled_dates_back(tmp_path: Path) -> None:
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][5], rows[1][5] = "1930-11-05", "2014-07-04"
    table = read_deu(_table(tmp_path, rows))
    assert [i.introduced for i in table.issues] == [D(2005, 11, 30), D(2004, 7, 14)]
    assert (
        table.skipped["date read back from yyyy-mm-dd as dd-mm-yy (a spreadsheet's mangling)"] == 2
    )


# --- Capability rules, by hand -------------------------------------------------------------


def test_council_rule_leaves_the_commission_and_parliament_out(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path), capability="council")
    first = table.issues[0]
    assert first.era == "pre-Nice"
    assert first.scenario.actor_ids == ("de",)  # com and ep weigh 0
    assert first.positions == {"com": 100.0, "ep": 60.0, "de": 0.0}  # the baselines see all
    assert sc.forecast(first.scenario, "compromise").value("x", "compromise") == 0.0
    assert table.skipped["com left out (capability 0 under 'council')"] == 1
    assert table.skipped["no actor with a say under 'council'"] == 1  # p1i2: com and ep


def test_bicameral_rule_by_hand(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path), capability="bicameral")
    s = table.issues[0].scenario  # COD, 26 Jan 2000: Germany 10 of 87 votes, the EP 1
    assert s.actor("de").capability.value == pytest.approx(10 / 87)
    assert s.actor("ep").capability.value == 1.0
    # (1 * 1.0 * 60 + 10/87 * 0.8 * 0) / (1 * 1.0 + 10/87 * 0.8) = 60 * 87 / 95
    value = sc.forecast(s, "compromise").value("x", "compromise")
    assert value == pytest.approx(60 * 87 / 95)


def _fitted_by_hand(p: Mapping[str, float]) -> float:
    """The compromise forecast of the first row under the rule ``fitted`` with parameters p:
    com at 100 (salience 0.5), the EP at 60 (1.0, co-decision), Germany at 0 (0.8, 10 of the
    87 Council votes of 26 January 2000)."""
    com, ep, de = p["commission"] * 0.5, p["ep_cod"] * 1.0, 10 / 87 * 0.8
    return (com * 100 + ep * 60 + de * 0) / (com + ep + de)


def test_fitted_rule_by_hand(tmp_path: Path) -> None:
    p = {"commission": 0.5, "ep_cod": 2.0, "ep_cns": 0.0}
    s = read_deu(_table(tmp_path), capability=fitted_rule(p)).issues[0].scenario
    # (0.25 * 100 + 2 * 60) / (0.25 + 2 + 8/87) = 145 * 87 / 203.75
    assert _fitted_by_hand(p) == pytest.approx(145 * 87 / 203.75)
    assert sc.forecast(s, "compromise").value("x", "compromise") == pytest.approx(145 * 87 / 203.75)


def test_fitted_rule_uses_the_shipped_parameters(tmp_path: Path) -> None:
    p = load_fitted()["families"]["capability"]["parameters"]
    assert fitted.load_fitted is load_fitted  # the analyses re-export the reader of the file
    rule = capability_rule("fitted")
    assert (rule.name, rule.commission, rule.ep_cod, rule.ep_cns) == (
        "fitted",
        p["commission"],
        p["ep_cod"],
        p["ep_cns"],
    )
    s = read_deu(_table(tmp_path), capability=rule).issues[0].scenario
    value = sc.forecast(s, "compromise").value("x", "compromise")
    assert value == pytest.approx(_fitted_by_hand(p))


def test_the_reader_takes_the_fitted_rule_not_its_name(tmp_path: Path) -> None:
    """The DEU reader never reads the fitted parameters: the rule is passed in."""
    with pytest.raises(sc.ScenarioError, match="pass the rule itself"):
        read_deu(_table(tmp_path), capability="fitted")
    with pytest.raises(sc.ScenarioError) as info:
        capability_rule("gdp")
    assert "the rules are: equal, council, bicameral, fitted" in str(info.value)
    assert capability_rule("council") == CapabilityRule(
        "council", capability_rule("council").description, commission=0.0
    )
    rule = CapabilityRule("t", "", commission=1.0)
    assert capability_rule(rule) is rule


def test_a_rule_needs_a_date(tmp_path: Path) -> None:
    rows = [list(ROWS[0])]
    rows[0][5] = ""
    with pytest.raises(sc.ScenarioError) as info:
        read_deu(_table(tmp_path, rows), capability="council")
    assert info.value.problem == (
        "no issue of the DEU table can be used: every row was skipped "
        "(no date (the capability rule needs one): 1)"
    )


def test_capability_rule_rejects_negative_weights() -> None:
    with pytest.raises(ValueError, match="weights must be >= 0"):
        CapabilityRule("bad", "", commission=-1.0)


@settings(max_examples=40, deadline=None)
@given(
    c=st.sampled_from(fitted.SHARES),
    e=st.sampled_from(fitted.SHARES),
    f=st.sampled_from(fitted.SHARES),
)
def test_capability_grid_agrees_with_the_compromise_model(
    c: float, e: float, f: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The grid's shortcut (shared member-state sums) equals reading the table with the rule
    and running the compromise model, wherever the rule leaves an actor with a say."""
    path = _table(tmp_path_factory.mktemp("grid"), [*ROWS, _row("p4", "p4i1", "CNS", "2003-12-23")])
    equal = read_deu(path)
    grid = fitted._capability_grid(equal, [{"commission": c, "ep_cod": e, "ep_cns": f}])[:, 0]
    rule = CapabilityRule("t", "", commission=c, ep_cod=e, ep_cns=f)
    by_rule = {i.issue: i for i in read_deu(path, capability=rule).issues}
    for k, item in enumerate(equal.issues):
        if item.issue in by_rule:
            value = sc.forecast(by_rule[item.issue].scenario, "compromise").value("x", "compromise")
            assert grid[k] == pytest.approx(value)


# --- Fitted families and cross-validation ---------------------------------------------------


def _row(proposal: str, issue: str, proc: str, intro: str, **cells: str) -> list[str]:
    """A DEU row: com at 100 (s 50), de at 0 (s 100), fr at 20 (s 40), ep empty; rp 0."""
    values = {"pcom": "100", "pde": "0", "pfr": "20", "scom": "50", "sde": "100", "sfr": "40"}
    values |= {"rp": "0", "out": "30"} | cells
    fixed = {"prnr": proposal, "isnr": issue, "prname": "", "proc": proc, "counvte": "QMV"}
    fixed["intro"] = intro
    return [fixed.get(h, values.get(h, "")) for h in HEADER]


def _synthetic(tmp_path: Path, outcome: str) -> Path:
    """Twelve proposals of two issues each; every issue alike, so the answer is known."""
    rows = []
    for p in range(12):
        for i in range(2):
            rows.append(_row(f"p{p}", f"p{p}i{i}", "COD", "26-01-00", out=outcome))
    return _table(tmp_path, rows)


# Compromise: (0.5*100 + 1*0 + 0.4*20) / 1.9 = 58/1.9; mean of positions 40; status quo 0.
COMPROMISE = 58 / 1.9


def test_grouped_folds_keep_proposals_whole() -> None:
    proposals = ["a", "a", "b", "c", "c", "c", "d", "e"]
    fold = fitted.grouped_folds(proposals, 3, seed=1)
    for p in set(proposals):
        assert len({fold[k] for k, q in enumerate(proposals) if q == p}) == 1
    assert set(fold) == {0, 1, 2}
    assert (fold == fitted.grouped_folds(proposals, 3, seed=1)).all()
    with pytest.raises(ValueError, match="folds must lie between 2 and the number of proposals"):
        fitted.grouped_folds(proposals, 6, seed=0)


def test_sq_blend_finds_the_midpoint(tmp_path: Path) -> None:
    """The outcome halfway between the compromise and the status quo: lambda 0.5 in every
    fold, and no out-of-fold error."""
    table = read_deu(_synthetic(tmp_path, f"{COMPROMISE / 2:.12f}"))
    cv = fitted.cross_validate(table, ["sq-blend"], folds=4, seed=0, repeats=2)
    assert all(p == {"lambda": 0.5} for p in cv.parameters["sq-blend"])
    assert cv.fitted["sq-blend"] == {"lambda": 0.5}
    assert cv.repeat_mae["sq-blend"] == pytest.approx((0.0, 0.0), abs=1e-9)


def test_salience_power_and_combination_find_the_mean(tmp_path: Path) -> None:
    """The outcome at the unweighted mean of positions, France's position varying by
    proposal: gamma 0, and all the combination's weight on the mean."""
    rows = []
    for p in range(12):
        fr = 5 * p
        out = f"{(100 + 0 + fr) / 3:.12f}"
        rows += [
            _row(f"p{p}", f"p{p}i{i}", "COD", "26-01-00", pfr=str(fr), out=out) for i in (0, 1)
        ]
    table = read_deu(_table(tmp_path, rows))
    actual = np.array([float(r[-1]) for r in rows])
    cv = fitted.cross_validate(table, ["salience-power", "combination"], folds=3, seed=2)
    assert cv.fitted["salience-power"] == {"gamma": 0.0}
    # the combination's weights are kept to 6 decimals (fitted._fit_family) from a linear
    # program solved to HiGHS's tolerances: the weight, and the MAE it gives, to 1e-6
    assert cv.fitted["combination"]["weights"]["mean"] == pytest.approx(1.0, abs=1e-6)
    assert cv.mae(actual)["salience-power"] == pytest.approx(0.0, abs=1e-9)
    assert cv.mae(actual)["combination"] == pytest.approx(0.0, abs=1e-6)


def test_capability_family_finds_the_council_alone(tmp_path: Path) -> None:
    """The outcome at Germany's and France's vote-weighted mean (both 10 of 87): the
    Commission weighs 0, whatever the Parliament (which takes no position here)."""
    table = read_deu(_synthetic(tmp_path, f"{(1 * 0 + 0.4 * 20) / 1.4:.12f}"))
    cv = fitted.cross_validate(table, ["capability"], folds=3, seed=0)
    assert cv.fitted["capability"]["commission"] == 0.0
    assert cv.repeat_mae["capability"][0] == pytest.approx(0.0, abs=1e-9)


def test_cross_validation_never_sees_the_test_fold(tmp_path: Path) -> None:
    """Two groups of proposals with different answers: a fold's forecast comes from the
    other folds only, so a proposal whose outcome is unlike the rest is forecast badly."""
    rows = [_row(f"p{p}", f"p{p}i0", "COD", "26-01-00", out="0") for p in range(9)]
    rows.append(_row("odd", "odd-i0", "COD", "26-01-00", out="100"))
    table = read_deu(_table(tmp_path, rows))
    cv = fitted.cross_validate(table, ["sq-blend"], folds=10, seed=0)
    odd = [i.issue for i in table.issues].index("odd-i0")
    assert cv.forecasts["sq-blend"][odd] == pytest.approx(0.0)  # fitted where out = sq = 0
    assert cv.fitted["sq-blend"] == {"lambda": 1.0}


def test_fitted_families_need_the_equal_rule(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path), capability="council")
    with pytest.raises(ValueError, match="defined on the capability rule 'equal'"):
        fitted.cross_validate(table, ["sq-blend"], folds=2)
    with pytest.raises(ValueError, match="unknown family 'magic'"):
        fitted.apply_fitted(read_deu(_table(tmp_path)), None, ["magic"])


def test_backtest_scores_extra_forecasts(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path))
    result = backtest(table, ["compromise"], replicates=20, extra={"x": np.array([50.0, 20.0])})
    scores = {s.model: s for s in result.scores}
    assert scores["x"].mae == 0.0
    with pytest.raises(ValueError, match="expected one forecast per issue"):
        backtest(table, ["compromise"], replicates=20, extra={"x": np.array([1.0])})


# The eu-qt family: six proposals of one issue among six actors (positions then saliences of
# com, ep, de, fr, it, nl), whose outcomes are the expected utility forecasts with Q = 0.5 and
# T = 0 as tests/eu_reference.py (a plain implementation that shares no code with the model)
# computes them. No candidate before (0.5, 0) in the grid gives those six forecasts, so the
# family must find it in every fold, with an out-of-fold error of zero (to rounding).
EU_QT_ACTORS = ("com", "ep", "de", "fr", "it", "nl")
EU_QT_ROWS = (
    ((90, 20, 10, 30, 40, 80), (50, 10, 40, 70, 90, 80)),
    ((100, 20, 90, 0, 60, 30), (30, 70, 40, 60, 30, 20)),
    ((80, 40, 70, 70, 100, 40), (30, 70, 100, 100, 90, 70)),
    ((40, 40, 0, 20, 30, 30), (60, 60, 70, 90, 90, 80)),
    ((100, 30, 90, 100, 20, 50), (60, 70, 80, 20, 50, 20)),
    ((100, 20, 40, 90, 50, 70), (50, 90, 60, 70, 50, 50)),
)


def _eu_qt_table(tmp_path: Path, outcomes: list[float]) -> Path:
    header = ["prnr", "isnr", "prname", "proc", "counvte", "intro"]
    header += [f"p{a}" for a in EU_QT_ACTORS] + [f"s{a}" for a in EU_QT_ACTORS] + ["rp", "out"]
    lines = ["\t".join(f'"{h}"' for h in header)]
    for k, ((positions, saliences), out) in enumerate(zip(EU_QT_ROWS, outcomes, strict=True)):
        cells = [f"p{k}", f"p{k}i0", "", "COD", "QMV", "26-01-00"]
        cells += [str(v) for v in (*positions, *saliences)] + ["0", f"{out:.12f}"]
        lines.append("\t".join(cells))
    path = tmp_path / "eu-qt.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_eu_qt_family_finds_q_and_t_from_the_reference_implementation(tmp_path: Path) -> None:
    from statecraft.arrays import issue_arrays
    from statecraft.models.eu_options import EUOptions
    from tests import eu_reference

    draft = read_deu(_eu_qt_table(tmp_path, [0.0] * len(EU_QT_ROWS)))
    want = []
    for item in draft.issues:
        a = issue_arrays(item.scenario, "x")
        want.append(
            eu_reference.run(
                list(a.position), list(a.capability), list(a.salience), EUOptions(q=0.5, t=0.0)
            )[2]
        )
    # the default model (Q = T = 1) forecasts three of the issues otherwise (70 for 85, 30
    # for 26.15, 40 for 29.66), so the outcomes are not its own
    default = [
        sc.forecast(i.scenario, "expected-utility").value("x", "expected-utility")
        for i in draft.issues
    ]
    assert sum(abs(d - w) > 1 for d, w in zip(default, want, strict=True)) == 3
    table = read_deu(_eu_qt_table(tmp_path, want))
    cv = fitted.cross_validate(table, ["eu-qt"], folds=3, seed=0)
    assert cv.fitted["eu-qt"] == {"q": 0.5, "t": 0.0}
    assert cv.parameters["eu-qt"] == ({"q": 0.5, "t": 0.0},) * 3
    # 1e-9: the outcomes are written with 12 decimals, and the model and the reference sum
    # in different orders
    np.testing.assert_allclose(cv.forecasts["eu-qt"], want, rtol=0, atol=1e-9)
    applied = fitted.apply_fitted(table, {"eu-qt": {"q": 0.5, "t": 0.0}}, ["eu-qt"])
    np.testing.assert_allclose(applied["eu-qt"], want, rtol=0, atol=1e-9)


# --- The command line -----------------------------------------------------------------------


def test_cli_cross_validates_and_applies(tmp_path: Path) -> None:
    path = _synthetic(tmp_path, "40")
    args = ["backtest", str(path), "--replicates", "20", "--format", "json"]
    result = runner.invoke(app, [*args, "--cv", "--fitted", "--family", "sq-blend", "--folds", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    models = {row["model"] for row in data["leaderboard"]}
    assert {"cv:sq-blend", "fitted:sq-blend"} <= models
    assert data["fitted"]["cv"]["folds"] == 3
    assert data["fitted"]["shipped"]["in_sample"] is False


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--family", "sq-blend"], "--family chooses families for --cv or --fitted"),
        (["--cv", "--family", "magic"], "unknown family 'magic'"),
        (["--fitted", "--capability", "council"], "defined on the capability rule 'equal'"),
        (["--cv", "--folds", "5"], "folds must lie between 2 and the number of proposals (1)"),
    ],
)
def test_cli_bad_fitting_requests(tmp_path: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["backtest", str(_table(tmp_path)), *extra])
    assert result.exit_code == 2
    assert message in result.output


# --- The shipped parameters and the real data ------------------------------------------------


@requires_shared
def test_shipped_parameters_are_what_the_script_fits() -> None:
    """Refit the fast families on the development file as scripts/fit_deu.py does and compare
    with the parameters and cross-validated errors that ship (eu-qt takes a minute: the
    script's --check covers it)."""
    path = SHARED_DATA / "deu3" / "deu3-dev.tsv"
    shipped = fitted.load_fitted()
    assert shipped["fitted_on"]["sha256"] == fitted.sha256(path)
    cv_info = shipped["cross_validation"]
    families = ["sq-blend", "salience-power", "capability", "combination"]
    cv = fitted.cross_validate(
        read_deu(path), families, folds=cv_info["folds"], seed=cv_info["seed"], repeats=2
    )
    for family in families:
        assert cv.fitted[family] == shipped["families"][family]["parameters"]
        assert (
            json.loads(json.dumps(list(cv.parameters[family])))
            == (shipped["families"][family]["per_fold"])
        )
        assert [round(x, 4) for x in cv.repeat_mae[family]] == (
            cv_info["mae_by_repeat"][family][:2]
        )


def test_cli_takes_the_fitted_rule_by_name(tmp_path: Path) -> None:
    args = ["backtest", str(_table(tmp_path)), "-m", "compromise", "--replicates", "20"]
    result = runner.invoke(app, [*args, "--capability", "fitted", "--format", "csv"])
    assert result.exit_code == 0, result.output
    first = next(csv.DictReader(io.StringIO(result.output)))
    assert first["issue"] == "p1i1"
    p = load_fitted()["families"]["capability"]["parameters"]
    assert float(first["compromise"]) == pytest.approx(_fitted_by_hand(p))
    result = runner.invoke(app, [*args, "--capability", "gdp"])
    assert result.exit_code == 2
    assert "unknown capability rule 'gdp'; the rules are: equal, council, bicameral, fitted" in (
        " ".join(result.output.split())
    )


@requires_shared
def test_cli_marks_in_sample_figures() -> None:
    path = str(SHARED_DATA / "deu3" / "deu3-dev.tsv")
    args = ["backtest", path, "-m", "compromise", "--replicates", "20"]
    result = runner.invoke(app, [*args, "--capability", "fitted"])
    assert result.exit_code == 0, result.output
    assert "these figures are in-sample" in " ".join(result.output.split())
    result = runner.invoke(app, [*args, "--fitted", "--family", "sq-blend", "--format", "json"])
    models = {row["model"] for row in json.loads(result.output)["leaderboard"]}
    assert "fitted:sq-blend (in-sample)" in models


def test_read_deu_is_part_of_statecraft_io() -> None:
    import statecraft.io

    assert statecraft.io.read_deu is read_deu
    with pytest.raises(AttributeError):
        _ = statecraft.io.no_such_reader  # type: ignore[attr-defined]
