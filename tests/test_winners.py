"""Who wins: gains computed by hand on the tiny scenario."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis import gains
from statecraft.analysis.winners import biggest_winner, draw_gains, winner_counts


def test_gains_by_hand(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # only 'tax' has a status quo (20); outcome 50 on a 0..100 scale
    w = sc.winners(s, {"tax": 50.0, "date": 5.0}, label="test")
    assert w.issues == ("tax",)
    assert w.skipped == ("date",)
    got = {g.actor: g.gain for g in w.ranking}
    # a at 60: (|20-60| - |50-60|)/100 = 0.30; b at 0: (20-50)/100 = -0.30; c at 100: 0.30
    assert got == pytest.approx({"a": 0.30, "b": -0.30, "c": 0.30})
    # ties keep scenario order
    assert [g.actor for g in w.ranking] == ["a", "c", "b"]
    # a and c gain the same: the headline names both, not the first listed
    assert w.headline == (
        "Biggest winners, tied: Alpha and c (+0.30 each); biggest loser: Beta (-0.30)."
    )


def test_gains_weight_issues_by_salience() -> None:
    # one actor at 100 on two issues, salience 1.0 and 0.25, both moving from 0:
    # issue 1 to 100 (gain 1.0), issue 2 to 20 (gain 0.2) -> (1.0*1 + 0.25*0.2) / 1.25 = 0.84
    g, per_issue = gains(
        np.array([[100.0, 100.0]]),
        np.array([[1.0, 0.25]]),
        np.array([100.0, 20.0]),
        np.array([0.0, 0.0]),
        np.array([100.0, 100.0]),
    )
    assert g[0] == pytest.approx(0.84)
    np.testing.assert_allclose(per_issue[0], [1.0, 0.2])


def test_sitting_out_and_zero_salience() -> None:
    nan = float("nan")
    g, _ = gains(
        np.array([[nan, 10.0], [30.0, 30.0]]),
        np.array([[1.0, 0.5], [0.0, 0.0]]),
        np.array([50.0, 50.0]),
        np.array([0.0, 0.0]),
        np.array([100.0, 100.0]),
    )
    # actor 0 sits out issue 0: only issue 1 counts, (10 - 40)/100
    assert g[0] == pytest.approx(-0.30)
    # actor 1 cares about nothing: gain 0
    assert g[1] == 0.0


def test_no_change_means_nobody_wins(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    w = sc.winners(s, {"tax": 20.0})
    assert all(g.gain == 0 for g in w.ranking)
    assert w.headline.startswith("Nobody wins or loses")


def test_no_status_quo_anywhere() -> None:
    w = sc.winners(sc.load("ec-emissions-1994"), {"emissions": 8.0})
    assert w.ranking == ()
    assert w.issues == ()
    assert w.skipped == ("emissions",)
    assert w.label == "outcome"
    assert sc.winners(sc.load("ec-emissions-1994"), {}, label="none").label == "none"
    assert "no issue has both a status quo and an outcome" in w.headline


def test_forecast_carries_winners_for_every_model_and_the_actual(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    f = sc.forecast(s, ["compromise", "median", "nash"])
    assert f.model_names == ("compromise", "median", "nash")
    assert f.primary == "compromise"
    assert set(f.winners_by_model) == {"compromise", "median", "nash"}
    # the compromise outcome on tax is 280/4.5 = 62.22: c at 100 gains (80 - 37.78)/100
    top = f.winners.ranking[0]
    assert (top.actor, top.gain) == ("c", pytest.approx(0.42222, abs=1e-5))
    # actual outcome 40: a +0.2, c +0.2, b -0.2
    assert f.actual_winners is not None
    assert [(g.actor, round(g.gain, 6)) for g in f.actual_winners.ranking] == [
        ("a", 0.2),
        ("c", 0.2),
        ("b", -0.2),
    ]
    # under nash the status quo holds: no gains
    assert all(g.gain == 0 for g in f.winners_by_model["nash"].ranking)


def test_winners_frame(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    frame = sc.winners(s, {"tax": 50.0}).to_frame()
    assert list(frame.columns) == ["rank", "actor", "name", "gain", "gain:tax"]
    assert list(frame["rank"]) == [1, 2, 3]


def test_a_tie_is_named_as_a_tie(tiny: dict[str, Any]) -> None:
    # Alpha moved to 70: compromise (70*3*1 + 0*1*0.5 + 100*4*0.25) / 4.5 = 68.9 lies below
    # both Alpha (70) and c (100), so both gain (68.9 - 20) / 100 = +0.49 exactly: a tie.
    tiny["actors"][0]["stances"]["tax"]["position"] = 70
    f = sc.forecast(sc.Scenario.model_validate(tiny), "compromise")
    assert f.winners.headline == (
        "Biggest winners, tied: Alpha and c (+0.49 each); biggest loser: Beta (-0.49)."
    )
    gain = np.array([[0.49, 0.1, 0.49], [0.3, 0.1, 0.2], [0.0, 0.0, 0.0], [-0.1, -0.2, -0.3]])
    assert list(biggest_winner(gain)) == [-1, 0, -1, -1]


# --- the biggest winner and loser, and the headline's cases, by hand (issue 22) ---------------
def test_best_and_worst_are_the_ends_of_the_ranking(tiny: dict[str, Any]) -> None:
    # tax moves from 20 to 90: a at 60 gains (40 - 30)/100 = +0.10, b at 0 loses
    # (20 - 90)/100 = -0.70, c at 100 gains (80 - 10)/100 = +0.70. Three distinct gains, so
    # the second-ranked (a) is neither the biggest winner nor the biggest loser.
    w = sc.winners(sc.Scenario.model_validate(tiny), {"tax": 90.0})
    assert [(g.actor, round(g.gain, 12)) for g in w.ranking] == [
        ("c", 0.7),
        ("a", 0.1),
        ("b", -0.7),
    ]
    assert w.best is not None
    assert w.best.actor == "c"
    assert w.worst is not None
    assert w.worst.actor == "b"
    assert w.headline == "Biggest winner: c (+0.70); biggest loser: Beta (-0.70)."
    assert sc.winners(sc.load("ec-emissions-1994"), {"emissions": 8.0}).best is None


def test_headline_with_winners_and_no_loser(tiny: dict[str, Any]) -> None:
    # Beta sits tax out; date gets a status quo of 8 and Beta stands at 8 on it. tax moves
    # from 20 to 60 and date stays at 8. c (tax only, at 100) gains 40/100 = +0.40; Alpha
    # gains 0.40 on tax (salience 1) and 0 on date (0.5): (0.40 + 0) / 1.5 = +0.267; Beta
    # gains 0. Nobody loses, so the headline names the winner only, not "nobody wins".
    tiny["actors"][1]["stances"].pop("tax")
    tiny["issues"][1]["status_quo"] = 8
    tiny["actors"][1]["stances"]["date"]["position"] = 8
    w = sc.winners(sc.Scenario.model_validate(tiny), {"tax": 60.0, "date": 8.0})
    assert [(g.actor, round(g.gain, 12)) for g in w.ranking] == [
        ("c", 0.4),
        ("a", round(0.4 / 1.5, 12)),
        ("b", 0.0),
    ]
    assert w.headline == "Biggest winner: c (+0.40)."


def test_headline_with_a_loser_and_no_winner(tiny: dict[str, Any]) -> None:
    # Only Beta takes part on tax... the others sit it out, and tax moves from 20 to 30:
    # b at 0 loses (20 - 30)/100 = -0.10; nobody gains.
    tiny["actors"][0]["stances"].pop("tax")
    tiny["actors"][2]["stances"] = {"date": {"position": 5, "salience": 0.5}}
    w = sc.winners(sc.Scenario.model_validate(tiny), {"tax": 30.0})
    assert [(g.actor, round(g.gain, 12)) for g in w.ranking] == [("b", -0.1)]
    assert w.headline == "Biggest loser: Beta (-0.10)."


def test_biggest_winner_and_counts_by_hand() -> None:
    tie = 1e-12
    gain = np.array(
        [
            [0.1, 0.5, 0.3, 0.0],  # actor 1 alone on top
            [0.7, 0.1, 0.4, 0.0],  # actor 0
            [-0.1, -0.2, -0.3, -0.1],  # nobody gains: no winner
            [0.0, 0.0, 0.0, 0.0],  # the status quo: no winner
            [0.3, 0.3, 0.1, 0.0],  # a tie at the top: no winner
            [0.2, 0.6, 0.1, 0.0],  # actor 1 again
            [0.5, 0.5 - tie, 0.0, 0.0],  # within TIE of the top, inclusive: a tie
            [tie, -0.1, -0.1, -0.1],  # a gain of TIE alone on top is no gain
        ]
    )
    assert list(biggest_winner(gain)) == [1, 0, -1, -1, -1, 1, -1, -1]
    # actor 3 never wins: its count is 0, not missing
    assert list(winner_counts(gain)) == [1, 2, 0, 0]
    assert winner_counts(gain).dtype == np.int64
    assert list(biggest_winner(np.zeros((2, 0)))) == [-1, -1]
    # one actor: the winner wherever it gains
    assert list(biggest_winner(np.array([[0.5], [-0.1]]))) == [0, -1]


def test_gains_over_a_batch_of_draws_by_hand() -> None:
    # Two draws (leading axis) of one actor at 100 on two issues of width 100, salience 1
    # and 0.25, both moving from 0: to 100 and 20 (gain 0.84, as above), then to 50 and 0
    # ((0.5 + 0) / 1.25 = 0.4). Every sum runs over the issues, the last axis.
    g, per_issue = gains(
        np.array([[[100.0, 100.0]], [[100.0, 100.0]]]),
        np.array([[[1.0, 0.25]], [[1.0, 0.25]]]),
        np.array([[100.0, 20.0], [50.0, 0.0]]),
        np.zeros((2, 2)),
        np.array([100.0, 100.0]),
    )
    assert g.shape == (2, 1)
    np.testing.assert_allclose(g[:, 0], [0.84, 0.4])
    np.testing.assert_allclose(per_issue[1, 0], [0.5, 0.0])


def test_draw_gains_by_hand(tiny: dict[str, Any]) -> None:
    from statecraft.arrays import draw_batch

    s = sc.Scenario.model_validate(tiny)
    batch = draw_batch(s, {}, 2)
    # tax (status quo 20) ends at 50, then 90; date has no status quo and does not count.
    outcome = np.array([[50.0, 5.0], [90.0, 5.0]])
    # c and a only, in that order: c (100) gains 0.30 then 0.70, a (60) 0.30 then 0.10
    got = draw_gains(batch, outcome, ["c", "a"])
    assert got is not None
    np.testing.assert_allclose(got, [[0.3, 0.3], [0.7, 0.1]])
    # every actor, in scenario order: b (0) loses 0.30 then 0.70
    every = draw_gains(batch, outcome, ["a", "b", "c"])
    assert every is not None
    np.testing.assert_allclose(every, [[0.3, -0.3, 0.3], [0.1, -0.7, 0.7]])
    # every actor in another order: the columns follow the order asked for
    turned = draw_gains(batch, outcome, ["c", "b", "a"])
    assert turned is not None
    np.testing.assert_allclose(turned, [[0.3, -0.3, 0.3], [0.7, -0.7, 0.1]])
    # a draw with no finite outcome on tax leaves no issue to count
    assert draw_gains(batch, np.array([[np.nan, 5.0], [90.0, 5.0]]), ["a"]) is None
    # a status quo on date too: a (2, salience 0.5) sees date move from 8 to 5, gaining 0.3
    tiny["issues"][1]["status_quo"] = 8
    both = draw_batch(sc.Scenario.model_validate(tiny), {}, 2)
    got = draw_gains(both, outcome, ["a"])
    assert got is not None
    np.testing.assert_allclose(got[:, 0], [(0.3 + 0.5 * 0.3) / 1.5, (0.1 + 0.5 * 0.3) / 1.5])


def test_three_tied_winners_are_all_named(tiny: dict[str, Any]) -> None:
    # a fourth actor at 100 with c, and a with tax only: tax from 20 to 60 gives a (60), c
    # and d (100) +0.40 each, and b (0) -0.40
    tiny["actors"][0]["stances"].pop("date")
    tiny["actors"].append(
        {
            "id": "d",
            "name": "Delta",
            "capability": 1,
            "stances": {"tax": {"position": 100, "salience": 1}},
        }
    )
    w = sc.winners(sc.Scenario.model_validate(tiny), {"tax": 60.0})
    assert w.headline == (
        "Biggest winners, tied: Alpha, c and Delta (+0.40 each); biggest loser: Beta (-0.40)."
    )


def test_winner_records_carry_every_gain(tiny: dict[str, Any]) -> None:
    w = sc.winners(sc.Scenario.model_validate(tiny), {"tax": 90.0}, label="by hand")
    assert w.label == "by hand"
    records = w.to_records()
    assert [r["rank"] for r in records] == [1, 2, 3]
    assert records[0] == {
        "rank": 1,
        "actor": "c",
        "name": "c",
        "gain": pytest.approx(0.7),
        "gain:tax": pytest.approx(0.7),
    }


def test_the_repr_counts_actors_and_issues_by_hand() -> None:
    """Status quo 50 on 0..100. One actor at 0 and an outcome of 25: gain (50 - 25) / 100 =
    0.25, "1 actor over 1 issue". Two issues, a at 0 on both and b at 100 on x only, outcomes
    25 and 40: a gains ((50 - 25) + (50 - 40)) / 2 / 100 = 0.175, b (50 - 75) / 100 = -0.25."""
    stance = {"position": 0, "salience": 1}
    one = sc.Scenario.model_validate(
        {
            "name": "one",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [{"id": "a", "capability": 1, "stances": {"x": stance}}],
        }
    )
    assert repr(sc.winners(one, {"x": 25.0})).splitlines() == [
        "Winners (outcome): 1 actor over 1 issue",
        "  Biggest winner: a (+0.25).",
        "  1. a: +0.250",
    ]
    two = sc.Scenario.model_validate(
        {
            "name": "two",
            "issues": [{"id": i, "label": i, "status_quo": 50} for i in ("x", "y")],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": stance, "y": stance}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 100, "salience": 1}}},
            ],
        }
    )
    won = sc.winners(two, {"x": 25.0, "y": 40.0})
    lines = repr(won).splitlines()
    assert lines[0] == "Winners (outcome): 2 actors over 2 issues"
    assert lines[2:] == ["  1. a: +0.175", "  2. b: -0.250"]
    # the notebook's headline table: rank, name, gain, best first
    assert won._headline().to_dict("records") == [
        {"rank": 1, "actor": "a", "gain": pytest.approx(0.175, rel=1e-15)},
        {"rank": 2, "actor": "b", "gain": -0.25},
    ]
    # five actors at 0, 10, 20, 30, 40 and an outcome of 25: gains (|50 - x| - |25 - x|) /
    # 100 = 0.25, 0.25, 0.25 (tied, in scenario order), 0.15, -0.05; the top four shown
    five = sc.Scenario.model_validate(
        {
            "name": "five",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {"id": f"a{p}", "capability": 1, "stances": {"x": {"position": p, "salience": 1}}}
                for p in (0, 10, 20, 30, 40)
            ],
        }
    )
    shown = repr(sc.winners(five, {"x": 25.0})).splitlines()
    assert shown[0] == "Winners (outcome): 5 actors over 1 issue"
    assert [line.split(":")[0] for line in shown[2:]] == [
        "  1. a0",
        "  2. a10",
        "  3. a20",
        "  4. a30",
    ]


def test_draw_gains_leave_out_what_no_one_can_gain_on_by_hand() -> None:
    """Issues x, y, z, status quo 50 on 0..100. a stands at 100 on all three (salience 1);
    b at 0, salience 0 on x and 1 on y and z; c at 100 on x only (sits y and z out); d at 0
    on x with salience 0 (no weight anywhere: gain 0, with no 0/0 warning). Outcomes: draw 0
    x 70, y 60, z 40; draw 1 x 30, y 60, z none, so z counts in no draw (an issue counts
    only where every draw has an outcome). Gains (|50 - p| - |o - p|) / 100 over x and y:
    draw 0: a (0.2 + 0.1) / 2 = 0.15; b y alone, -0.1; c x alone, 0.2; d 0.
    draw 1: a (-0.2 + 0.1) / 2 = -0.05; b -0.1; c -0.2; d 0."""
    from statecraft.arrays import draw_batch

    def at(p: float, s: float) -> dict[str, float]:
        return {"position": p, "salience": s}

    scenario = sc.Scenario.model_validate(
        {
            "name": "four",
            "issues": [{"id": i, "label": i, "status_quo": 50} for i in ("x", "y", "z")],
            "actors": [
                {"id": "a", "capability": 1, "stances": {i: at(100, 1) for i in ("x", "y", "z")}},
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {"x": at(0, 0), "y": at(0, 1), "z": at(0, 1)},
                },
                {"id": "c", "capability": 1, "stances": {"x": at(100, 1)}},
                {"id": "d", "capability": 1, "stances": {"x": at(0, 0)}},
            ],
        }
    )
    batch = draw_batch(scenario, {}, 2)
    outcome = np.array([[70.0, 60.0, 40.0], [30.0, 60.0, np.nan]])
    expected = [[0.15, -0.1, 0.2, 0.0], [-0.05, -0.1, -0.2, 0.0]]
    every = draw_gains(batch, outcome, ["a", "b", "c", "d"])
    assert every is not None
    np.testing.assert_allclose(every, expected, rtol=1e-14, atol=1e-15)
    some = draw_gains(batch, outcome, ["d", "c"])
    assert some is not None
    np.testing.assert_allclose(some, [[0.0, 0.2], [0.0, -0.2]], rtol=1e-14, atol=1e-15)
