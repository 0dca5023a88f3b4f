"""Charts: each is drawn and holds what it should (series, lines, labels), not pixels; the
chart registry says which charts a result can be drawn in, and the command line draws any."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.counterfactual import compare, load_patch
from statecraft.analysis.sensitivity import one_at_a_time
from statecraft.analysis.uncertainty import simulate
from statecraft.cli import app
from statecraft.report import charts
from statecraft.report.registry import CHARTS, ChartInputs, MissingInput
from tests.conftest import TINY

matplotlib = pytest.importorskip("matplotlib")
runner = CliRunner()


@pytest.fixture(scope="module")
def karabakh() -> sc.Forecast:
    return sc.forecast(sc.load("karabakh-2020"))


def _labels(ax: object) -> list[str]:
    return [line.get_label() for line in ax.get_lines()]  # type: ignore[attr-defined]


def test_trajectories_one_panel_per_actor_with_the_forecast(karabakh: sc.Forecast) -> None:
    fig = charts.trajectories(karabakh, "territory")
    actors = [a for a in karabakh.scenario.actors if "territory" in a.stances]
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(actors)  # nine actors: small multiples
    rounds = karabakh.rounds()
    for ax, actor in zip(panels, actors, strict=True):
        labels = _labels(ax)
        assert " ".join(ax.get_title().split()) == (actor.name or actor.id)
        assert {actor.name or actor.id, "forecast", "status quo", "actual outcome"} <= set(labels)
        bold = next(line for line in ax.get_lines() if line.get_label() == "forecast")
        assert bold.get_linewidth() > max(
            line.get_linewidth() for line in ax.get_lines() if line.get_label() != "forecast"
        )
        assert len(bold.get_xdata()) == rounds[rounds["issue"] == "territory"]["round"].nunique()
        # the other eight in grey behind it
        assert len(ax.get_lines()) == len(actors) + 3
    assert "100 = Azerbaijan controls" in " ".join(fig.get_supylabel().split())


def test_issue_map_has_every_issue_and_model(karabakh: sc.Forecast) -> None:
    fig = charts.issue_map(karabakh)
    assert len(fig.axes) == len(karabakh.scenario.issues)
    for ax, issue in zip(fig.axes, karabakh.issues, strict=True):
        applied = [m for m in karabakh.model_names if issue.forecasts.get(m) is not None]
        assert set(applied) <= set(_labels(ax))
        markers = ax.collections[0].get_offsets()
        assert len(markers) == len(sc.issue_arrays(karabakh.scenario, issue.issue).actor_ids)


def test_winners_bars_for_forecast_and_actual(karabakh: sc.Forecast) -> None:
    ax = charts.winners_chart(karabakh).axes[0]
    assert len(ax.patches) == 2 * len(karabakh.winners.ranking)
    names = [t.get_text() for t in ax.get_yticklabels()]
    # the biggest winner at the top, the biggest loser at the bottom, in the ranking's order
    # (Azerbaijan +0.379 a hair ahead of Turkey +0.376 at the coded values)
    assert names[::-1] == [w.name for w in karabakh.winners.ranking]
    assert names[-2:] == ["Turkey", "Azerbaijan"]
    gains = [w.gain for w in karabakh.winners.ranking]
    assert gains == sorted(gains, reverse=True)


def test_quadrant_plots_every_other_actor(karabakh: sc.Forecast) -> None:
    ax = charts.quadrant(karabakh, "russia", "status").axes[0]
    dyads = karabakh.dyads()
    others = dyads[(dyads["issue"] == "status") & (dyads["actor"] == "russia")]
    assert len(ax.collections[0].get_offsets()) == len(others)
    with pytest.raises(ValueError, match="no view of 'nobody'"):
        charts.quadrant(karabakh, "nobody", "status")


def test_confrontation_heat_map_is_symmetric(karabakh: sc.Forecast) -> None:
    ax = charts.confrontations(karabakh).axes[0]
    counts = np.asarray(ax.images[0].get_array())
    assert (counts == counts.T).all()
    expected = sum(len(pairs) for pairs in karabakh.confrontations().values())
    assert counts.sum() == 2 * expected


def test_distributions_tornado_and_counterfactuals() -> None:
    s = sc.load("karabakh-2020")
    fig = charts.distributions(simulate(s, "compromise", draws=500, seed=1))
    assert len(fig.axes) == len(s.issues)
    assert "median forecast" in _labels(fig.axes[0])
    sens = one_at_a_time(s, "compromise")
    ax = charts.tornado(sens, "territory", top=5).axes[0]
    assert len(ax.patches) == 2 * 5  # a low and a high bar per input
    patch = load_patch("us-engaged", scenario=s)
    ax = charts.counterfactuals(compare(s, [patch])).axes[0]
    assert len(ax.collections) == 2  # the base and one patch


def test_tiny_scenario_without_rounds_has_no_trajectories() -> None:
    f = sc.forecast(sc.Scenario.model_validate(TINY), "compromise")
    with pytest.raises(ValueError, match="no rounds"):
        charts.trajectories(f)


def test_palette_is_okabe_ito_and_series_skip_black_and_vermillion() -> None:
    assert len(charts.PALETTE) == 8
    # Okabe-Ito's hues, the four short of 3:1 on white darkened, the others as published
    kept = [a for a, b in zip(charts.PALETTE, charts.OKABE_ITO, strict=True) if a == b]
    assert kept == ["#000000", "#009E73", "#0072B2", "#D55E00"]
    colours = {charts.style(k)["color"] for k in range(12)}
    assert "#000000" not in colours
    assert "#D55E00" not in colours
    assert charts.style(0)["linestyle"] != charts.style(6)["linestyle"]


@pytest.mark.parametrize("kind", ["winners", "issue-map", "confrontations"])
def test_cli_writes_each_format(tmp_path: Path, kind: str) -> None:
    for suffix in (".png", ".svg"):
        out = tmp_path / f"chart{suffix}"
        result = runner.invoke(app, ["plot", "karabakh-2020", kind, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "chart.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pie"], "unknown chart 'pie'"),
        (["winners", "-o", "x.gif"], "name a .png, .svg or .pdf file"),
        (["quadrant"], "the quadrant chart needs --actor"),
        (["trajectories", "--issue", "nope"], "unknown issue 'nope'"),
        (["counterfactuals"], "needs at least one --patch"),
    ],
)
def test_cli_bad_plot_requests(tmp_path: Path, args: list[str], message: str) -> None:
    argv = ["plot", "karabakh-2020", *args]
    if "-o" not in args:
        argv += ["-o", str(tmp_path / "x.png")]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output


def test_which_charts_a_forecast_meets_depends_on_its_models_details() -> None:
    s = sc.load("karabakh-2020")
    plain = sc.forecast(s, ["compromise", "nash"])
    rounds = sc.forecast(s, ["compromise", "expected-utility"])
    forecast_kinds = [k for k, c in CHARTS.items() if c.needs == "forecast"]
    assert [k for k in forecast_kinds if CHARTS[k].met_by(plain)] == ["issue-map", "winners"]
    assert [k for k in forecast_kinds if CHARTS[k].met_by(rounds)] == forecast_kinds
    with pytest.raises(ValueError, match="needs a model that gives rounds of bargaining"):
        CHARTS["trajectories"].make(s, ChartInputs(models=["compromise"]))


def test_titles_name_the_model_by_its_title(karabakh: sc.Forecast) -> None:
    title = sc.available_models()["expected-utility"].title
    assert charts.trajectories(karabakh, "status").get_suptitle().startswith(title)
    assert title in " ".join(charts.confrontations(karabakh).get_suptitle().split())


def test_a_missing_input_is_named_as_each_front_end_asks_for_it() -> None:
    s = sc.load("karabakh-2020")
    with pytest.raises(MissingInput) as caught:
        CHARTS["quadrant"].make(s, ChartInputs())
    assert str(caught.value) == "the quadrant chart needs an actor: whose view to draw"
    assert caught.value.phrase("--actor") == "the quadrant chart needs --actor: whose view to draw"


def test_the_plot_command_offers_every_kind_of_the_registry() -> None:
    text = " ".join(runner.invoke(app, ["plot", "--help"]).output.split())
    for kind in CHARTS:
        assert kind in text


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["quadrant", "--actor", "russia", "--issue", "status"], "Russia's view"),
        (["tornado", "--issue", "status"], "What moves the forecast of status most"),
        (["distributions", "--draws", "200", "-m", "median"], "median forecast over 200 draws"),
        (["counterfactuals", "-p", "us-engaged"], "Counterfactuals (compromise model)"),
        (["trajectories"], "round by round: Territory"),  # the first issue
        (["risk", "--draws", "200"], "Will the settlement hold? karabakh-2020, 200 draws"),
    ],
)
def test_cli_draws_the_kinds_that_take_inputs(tmp_path: Path, args: list[str], title: str) -> None:
    out = tmp_path / "chart.svg"
    result = runner.invoke(app, ["plot", "karabakh-2020", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert title in html.unescape(out.read_text())


def test_cli_draws_a_backtest_of_a_deu_table(tmp_path: Path) -> None:
    from tests.test_deu import _table

    out = tmp_path / "backtest.svg"
    result = runner.invoke(app, ["plot", str(_table(tmp_path)), "backtest", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Errors per model" in text
    assert "Forecast against outcome" in text


# --- the backtest chart draws the backtest's numbers -----------------------------------------

# The small DEU table of tests/test_deu.py, by hand (tests/test_backtest.py's
# test_errors_by_hand): outcomes 50 and 20; the compromise model forecasts 110/2.3 and 50/1.5,
# the Commission its positions 100 and 0, the median position 60 and 50.
ACTUAL = (50.0, 20.0)
BACKTEST_BY_HAND = {
    "compromise": (110 / 2.3, 50 / 1.5),
    "median-position": (60.0, 50.0),
    "commission": (100.0, 0.0),
}


def _check_backtest_figure(fig: object, forecasts: dict[str, tuple[float, ...]]) -> None:
    """The left panel: the first three models' forecasts against the outcomes, point by
    point; the right panel: a box per model over its absolute errors, whose whiskers end at
    the smallest and the largest error and whose median line (the tallest vertical segment
    of the box) stands at their median. ``forecasts``: in the leaderboard's order."""
    left, right = fig.axes  # type: ignore[attr-defined]
    drawn = {c.get_label(): c.get_offsets() for c in left.collections}
    names = list(forecasts)
    assert [t.get_text() for t in right.get_yticklabels()] == names
    assert list(drawn) == names[:3]
    for name in names[:3]:
        want = [(a, f) for a, f in zip(ACTUAL, forecasts[name], strict=True) if not np.isnan(f)]
        np.testing.assert_allclose(drawn[name], want, rtol=1e-12)
    for k, name in enumerate(names):
        errors = [abs(f - a) for a, f in zip(ACTUAL, forecasts[name], strict=True) if f == f]
        upright = [
            (abs(float(y[1] - y[0])), float(x[0]))
            for line in right.lines
            if len(x := line.get_xdata()) == 2
            and x[0] == x[1]
            and float(np.mean(y := line.get_ydata())) == pytest.approx(k + 1)
        ]
        assert max(upright)[1] == pytest.approx(float(np.median(errors)), rel=1e-12)
        caps = sorted(x for _, x in upright if _ < max(upright)[0])
        assert caps == pytest.approx([min(errors), max(errors)], rel=1e-12)


def test_backtest_chart_draws_each_forecast_against_its_outcome(tmp_path: Path) -> None:
    from statecraft.analysis.backtest import backtest
    from statecraft.io.deu import read_deu
    from tests.test_deu import _table

    result = backtest(read_deu(_table(tmp_path)), list(BACKTEST_BY_HAND), replicates=20)
    # the leaderboard's order: by the paired difference from the compromise model (0 for
    # itself; the median position's MAE 20 and the Commission's 35 against its 7.75)
    _check_backtest_figure(charts.backtest_chart(result), BACKTEST_BY_HAND)


def test_cli_plot_backtest_draws_the_backtests_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_deu import _table

    seen: list[tuple[object, object]] = []
    chart = charts.backtest_chart

    def keep(result: object, *args: object, **kwargs: object) -> object:
        fig = chart(result, *args, **kwargs)  # type: ignore[arg-type]
        seen.append((result, fig))
        return fig

    monkeypatch.setattr(charts, "backtest_chart", keep)
    out = tmp_path / "backtest.svg"
    result = runner.invoke(app, ["plot", str(_table(tmp_path)), "backtest", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Forecast against outcome" in out.read_text()
    ((backtest, fig),) = seen
    assert tuple(backtest.actual) == ACTUAL  # type: ignore[attr-defined]
    board = [s.model for s in backtest.leaderboard()][:6]  # type: ignore[attr-defined]
    forecasts = {m: tuple(backtest.forecasts[m]) for m in board}  # type: ignore[attr-defined]
    for name in set(board) & set(BACKTEST_BY_HAND):  # the numbers worked by hand, where drawn
        assert forecasts[name] == pytest.approx(BACKTEST_BY_HAND[name], rel=1e-12)
    assert "compromise" in board
    _check_backtest_figure(fig, forecasts)
