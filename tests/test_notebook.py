"""Notebook-first objects: every result has a repr of a few lines, an escaped HTML headline
table and ``to_frame()`` (issue 20)."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis.backtest import backtest
from statecraft.io.deu import read_deu
from statecraft.notebook import HTML_ROWS, REPR_LINES, Notebook, cell, html_table
from tests.conftest import TINY
from tests.test_deu import _table

KARABAKH = "karabakh-2020"


@pytest.fixture(scope="module")
def karabakh() -> sc.Scenario:
    return sc.load(KARABAKH)


@pytest.fixture(scope="module")
def results(karabakh: sc.Scenario) -> dict[str, Any]:
    """One of every result object of the public API, on small draws."""
    s = karabakh
    return {
        "scenario": s,
        "forecast": sc.forecast(s),
        "simulation": sc.simulate(s, draws=60, seed=3),
        "brief": sc.brief(s, draws=60, seed=3),
        "sensitivity": sc.one_at_a_time(s),
        "comparison": sc.compare(s, ["russia-absent", "turkey-neutral"]),
        "advice": sc.advise(s, "armenia", draws=20, flips=False),
        "sweep": sc.sweep(s, "usa:peacekeepers:salience", 0.0, 1.0, 3),
        "flips": sc.what_flips(s),
        "risk": sc.risk(s, draws=60),
        "timeline": sc.timeline("karabakh-2020-2023", draws=30, risk=None),
        "winners": sc.forecast(s).winners,
    }


KINDS = [
    "scenario",
    "forecast",
    "simulation",
    "brief",
    "sensitivity",
    "comparison",
    "advice",
    "sweep",
    "flips",
    "risk",
    "timeline",
    "winners",
]


def _text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_cell_by_hand() -> None:
    assert cell(2 / 3) == "0.6667"
    assert cell(62.0) == "62"
    assert cell(1234.5) == "1234"  # four significant digits
    assert cell(None) == "–"
    assert cell(float("nan")) == "–"
    assert cell(True) == "True"
    assert cell(7) == "7"
    assert cell("a<b") == "a<b"  # escaped by the table, not here


@pytest.mark.parametrize("kind", KINDS)
def test_repr_is_a_few_lines(results: dict[str, Any], kind: str) -> None:
    obj = results[kind]
    assert isinstance(obj, Notebook)
    text = repr(obj)
    assert text == str(obj)
    lines = text.splitlines()
    assert 1 <= len(lines) <= REPR_LINES
    # a few lines, not the 57 KB of every field the issue found
    assert len(text) < 1200
    assert all(len(line) < 200 for line in lines)
    # what it is of: the scenario's name (advice: the actor's; winners: a ranking, which
    # does not keep its scenario)
    assert (
        KARABAKH in lines[0]
        or (kind == "advice" and "armenia" in lines[0])
        or (kind == "winners" and lines[0].startswith("Winners ("))
    )


@pytest.mark.parametrize("kind", KINDS)
def test_html_is_small_escaped_and_self_contained(results: dict[str, Any], kind: str) -> None:
    obj = results[kind]
    out = obj._repr_html_()
    assert out.startswith('<div class="statecraft"><table>')
    assert len(out) < 20_000
    assert "<script" not in out
    assert "src=" not in out
    assert "href=" not in out
    head = obj._headline()
    assert isinstance(head, pd.DataFrame)
    assert out.count("<tr>") == 1 + min(len(head), HTML_ROWS)
    if len(head) > HTML_ROWS:
        assert f"and {len(head) - HTML_ROWS:,} more row" in out


@pytest.mark.parametrize("kind", KINDS)
def test_to_frame_is_a_dataframe(results: dict[str, Any], kind: str) -> None:
    frame = results[kind].to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0


def test_scenario_headline(karabakh: sc.Scenario) -> None:
    text = _text(karabakh._repr_html_())
    for a in karabakh.actors:
        assert a.display_name in text
    az = karabakh.actor("azerbaijan")
    row = f"{az.display_name} {cell(az.capability.value)}"
    assert row in " ".join(text.split())
    frame = karabakh.to_frame()
    stances = sum(len(a.stances) for a in karabakh.actors)
    assert len(frame) == stances
    first = frame.iloc[0]
    assert first["position"] == az.stances[first["issue"]].position.value


def test_forecast_headline_by_hand() -> None:
    f = sc.forecast(sc.Scenario.model_validate(copy.deepcopy(TINY)), "compromise")
    # tax: (3*1*60 + 1*0.5*0 + 4*0.25*100) / (3 + 0.5 + 1) = 280 / 4.5 (c's capability on
    # the issue is 4)
    assert f.value("tax", "compromise") == pytest.approx(280 / 4.5)
    text = _text(f._repr_html_())
    assert "62.22" in text
    assert "tax: 62.22" in repr(f)


def test_headline_numbers_match_the_objects(results: dict[str, Any]) -> None:
    texts = {k: " ".join(_text(results[k]._repr_html_()).split()) for k in KINDS}
    f = results["forecast"]
    for item in f.issues:
        for m in f.model_names:
            assert cell(item.forecasts[m]) in texts["forecast"]
    sim = results["simulation"]
    for s in sim.issues:
        assert (
            f"{s.issue} {s.model} {s.draws} {cell(s.mean)} {cell(s.median)}"
            in (texts["simulation"])
        )
    b = results["brief"]
    lead = b.winners[0]
    assert (
        f"{lead.name} {cell(lead.overall.p_biggest)} {cell(lead.overall.p_gain)}"
        in (texts["brief"])
    )
    sens = results["sensitivity"]
    top = sens.tornado("territory")[0]
    assert (
        f"territory {top.input} {cell(top.at_low)} {cell(top.at_high)} {cell(top.swing)}"
        in (texts["sensitivity"])
    )
    c = results["comparison"]
    (_p1, f1), (_p2, f2) = c.patched
    m = c.base.primary
    row = " ".join(cell(x.value("status", m)) for x in (c.base, f1, f2))
    assert f"status {row}" in texts["comparison"]
    adv = results["advice"]
    lv = adv.levers[0]
    assert f"{lv.input} {cell(lv.effect_range)} {lv.direction}" in texts["advice"]
    sw = results["sweep"]
    assert cell(sw.forecasts[-1][0]) in texts["sweep"]
    fl = results["flips"]
    assert cell(fl.single[0].cost) in texts["flips"]
    r = results["risk"]
    d = r.dyads[0]
    assert f"dyad {d.a}|{d.b} {cell(d.risk.median)}" in texts["risk"]
    tl = results["timeline"]
    first = tl.snapshots[0]
    i = first.brief.issues[0]
    assert f"{first.snapshot.id}" in texts["timeline"]
    assert cell(i.forecast) in texts["timeline"]


def test_sensitivity_headline_ranks_and_drops_zeros(results: dict[str, Any]) -> None:
    head = results["sensitivity"]._headline()
    for issue, rows in head.groupby("issue", sort=False):
        swings = list(rows["swing"])
        assert swings == sorted(swings, reverse=True)
        assert len(swings) <= 5
        assert all(s != 0 for s in swings), issue


def test_hostile_names_are_escaped() -> None:
    data = copy.deepcopy(TINY)
    data["title"] = "<b>bold</b> & co"
    data["actors"][0]["name"] = "<script>alert('x')</script>"
    s = sc.Scenario.model_validate(data)
    for obj in (s, sc.forecast(s), sc.brief(s, draws=20)):
        out = obj._repr_html_()
        assert "<script>" not in out
        assert "<b>bold" not in out
        # the scenario's and the brief's tables name every actor
        assert "&lt;script&gt;" in out or isinstance(obj, sc.Forecast)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in s._repr_html_()


@given(st.text(max_size=40))
def test_any_text_shows_as_itself(text: str) -> None:
    out = html_table([text], [text], [[text, 1.5]], total=1)
    assert out.count("<td") == 2
    assert out.count("<th>") == 1
    # every tag is one of the table's own: nothing in the text became markup
    tags = set(re.findall(r"<(/?[A-Za-z]+)", out))
    assert tags <= {"div", "/div", "table", "/table", "caption", "/caption", "br"} | {
        "thead",
        "/thead",
        "tbody",
        "/tbody",
        "tr",
        "/tr",
        "th",
        "/th",
        "td",
        "/td",
        "p",
        "/p",
    }
    assert f"<th>{html.escape(text)}</th>" in out
    assert f">{html.escape(text)}</td>" in out


def test_long_tables_say_what_is_left_out() -> None:
    out = html_table(["t"], ["n"], [[k] for k in range(HTML_ROWS)], total=HTML_ROWS + 7)
    assert "… and 7 more rows" in out
    assert html_table(["t"], ["n"], [[1]], total=1).count("more row") == 0


def test_backtest_repr_and_html(tmp_path: Path) -> None:
    result = backtest(read_deu(_table(tmp_path)), replicates=20)
    text = repr(result)
    assert text.startswith("Backtest of 2 issues")
    assert len(text.splitlines()) <= REPR_LINES
    board = result.leaderboard()
    out = " ".join(_text(result._repr_html_()).split())
    assert f"{board[0].model} {board[0].n}" in out
    assert cell(board[0].mae) in out
    assert isinstance(result.to_frame(), pd.DataFrame)


def test_power_shift_repr_and_html(karabakh: sc.Scenario) -> None:
    after = sc.apply_patch(karabakh, sc.load_patch("us-engaged", scenario=karabakh))
    shift = sc.power_shift(karabakh, after)
    lines = repr(shift).splitlines()
    assert lines[0] == "PowerShift from 'karabakh-2020' to 'karabakh-2020+us-engaged': 9 actors"
    top = shift.dyads[0]
    assert lines[1] == f"  {top['a']}-{top['b']}: risk from the shift {top['shift']:.3f}"
    text = " ".join(_text(shift._repr_html_()).split())
    az = next(a for a in shift.actors if a["actor"] == "azerbaijan")
    assert f"azerbaijan {cell(az['share_before'])} {cell(az['share_after'])}" in text
    # the United States' capability rises (0.06 to 0.5): everyone else's share falls
    assert az["share_after"] < az["share_before"]
    assert isinstance(shift.to_frame(), pd.DataFrame)


def test_winners_headline_is_the_ranking(results: dict[str, Any]) -> None:
    w = results["winners"]
    text = " ".join(_text(w._repr_html_()).split())
    for g in w.ranking:
        assert g.name in text
        assert cell(g.gain) in text
    assert repr(w).splitlines()[1].strip() == w.headline


def test_a_forecasts_repr_says_how_many_issues_it_leaves_out() -> None:
    """COP21 has 13 issues: the repr shows five and says 8 more; one model is '1 model'."""
    path = Path(__file__).parent / "data" / "decide" / "cop21.csv"
    lines = repr(sc.forecast(sc.load(path), "compromise")).splitlines()
    assert "13 issues, 1 model (compromise)" in lines[0]
    assert lines[-1] == "  ... and 8 more issues (.to_frame() has all)"
    assert len(lines) <= REPR_LINES


def test_reprs_count_one_of_a_thing_in_the_singular() -> None:
    """A scenario of one actor on one issue with one source: "1 actor", "1 issue", "1 source"
    (the winners' repr: test_winners.py)."""
    from statecraft.notebook import count

    assert [count(n, "issue") for n in (0, 1, 2)] == ["0 issues", "1 issue", "2 issues"]
    one = sc.Scenario.model_validate(
        {
            "name": "one",
            "sources": [{"id": "s", "citation": "a source"}],
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}}
            ],
        }
    )
    assert repr(one).splitlines()[1:] == ["  1 actor: a", "  1 issue: x", "  1 source"]
