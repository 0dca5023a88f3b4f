"""The risk analysis's parts by hand (issue 22): the shift of power (``_risk_shift``), the
earlier moment's chances of prevailing (``_risk_study._before``), the memory budget's
arithmetic and the histograms (``_risk_study``); the result's JSON and repr are in
test_risk_result_by_hand.py. Every expectation is worked in the test's docstring or
comments: the votes of docs/risk.md, section 1 (v_k = c_k s_k (|x_k - q| - |x_k - x_a|),
P_a = sum v^+ / sum |v|), the added pressure phi_a = g_a max(0, P_a - P_a^before) of
section 3, the budget's formulas as ``_risk_study``'s docstrings give them and the
histograms' bins of 1/1000 (docs/risk.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis._risk_study import (
    Hist,
    check_size,
    chunk_size,
    draw_bytes,
    plan_for,
    run,
    sizes,
    tally_bytes,
)
from statecraft.analysis.risk import power_shift
from statecraft.errors import MemoryLimitError

X = {"id": "x", "label": "X", "status_quo": 50}  # settled at 50 on 0..100 (W = 100)
Y = {"id": "y", "label": "Y", "status_quo": 50}
Z = {"id": "z", "label": "Z"}  # no status quo: not part of the settlement


def _stance(p: float, s: float = 1.0, c: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"position": p, "salience": s}
    if c is not None:
        out["capability"] = c
    return out


def _scenario(
    name: str,
    actors: Sequence[tuple[str, float, Mapping[str, Any]]],
    issues: Sequence[Mapping[str, Any]],
) -> sc.Scenario:
    """Actors as (id, capability, stances)."""
    return sc.Scenario.model_validate(
        {
            "name": name,
            "issues": issues,
            "actors": [{"id": i, "capability": c, "stances": st} for i, c, st in actors],
        }
    )


# --- the shift of power ---------------------------------------------------------------------


def _moved() -> tuple[sc.Scenario, sc.Scenario]:
    """One settled issue x (q = 50); every weight c s is 1. The riser moves from 60 to 100;
    the holder stays at 0, T at 80; Quiet holds a stance only on z (no status quo), so it is
    absent from x at both moments. Quiet is the earlier moment's second actor."""
    actors = [("quiet", 1, {"z": _stance(10)}), ("holder", 1, {"x": _stance(0)})]
    actors += [("t", 1, {"x": _stance(80)})]
    before = _scenario("before", [("riser", 1, {"x": _stance(60)}), *actors], [X, Z])
    after = _scenario("after", [("riser", 1, {"x": _stance(100)}), *actors], [X, Z])
    return before, after


def test_the_earlier_chances_are_read_at_the_earlier_positions() -> None:
    """Votes for the riser's demand then (60 over 50): riser +10, holder (50 - 60) = -10,
    T (|80 - 50| - |80 - 60|) = 30 - 20 = +10: P = 20/30 = 2/3. Now (100 over 50): riser
    +50, holder -50, T (30 - 20) = +10: P = 60/110 = 6/11, a fall, so nothing added.
    T's demand 80 then: riser (|60 - 50| - |60 - 80|) = -10, holder (50 - 80) = -30, T +30:
    P = 30/70 = 3/7; now: riser (50 - 20) = +30, holder -30, T +30: P = 60/90 = 2/3. T's
    stake 1 x 30/100 = 0.3, so phi_T = 0.3 (2/3 - 3/7) = 0.3 x 5/21 = 1/14. The holder's
    demand 0: then riser (10 - 60) = -50, holder +50, T (30 - 80) = -50: 1/3; now riser
    (50 - 100) = -50, the same 1/3. Quiet sits x out: no stake, no vote cast on its demand
    at the settlement, P = 1/2 both times."""
    before, after = _moved()
    shift = power_shift(before, after)
    expected = {
        "riser": (0.5, 2 / 3, 6 / 11, 0.0),
        "quiet": (0.0, 0.5, 0.5, 0.0),
        "holder": (0.5, 1 / 3, 1 / 3, 0.0),
        "t": (0.3, 3 / 7, 2 / 3, 1 / 14),
    }
    assert [c["actor"] for c in shift.challenges] == list(expected)
    for row in shift.challenges:
        assert set(row) == {"actor", "issue", "stake", "prevail_before", "prevail_after", "added"}
        assert row["issue"] == "x"
        got = (row["stake"], row["prevail_before"], row["prevail_after"], row["added"])
        assert got == pytest.approx(expected[row["actor"]])


def test_the_dyads_riskiest_first_with_the_shift_by_hand() -> None:
    """T alone gains (phi_T = 1/14, above). The holder resists T's 80: r = 1 x (|0 - 80| -
    |0 - 50|) / 100 = 0.3; the riser at 100 is nearer 80 than 50 and resists nothing; Quiet
    has no salience on x. So holder-T's risk from the shift is 1/14 x 0.3 = 3/140 and every
    other dyad's 0: holder-T first, though it is the file's fourth pair."""
    before, after = _moved()
    shift = power_shift(before, after)
    assert (shift.before, shift.after) == ("before", "after")
    assert set(shift.dyads[0]) == {"a", "b", "shift"}
    assert (shift.dyads[0]["a"], shift.dyads[0]["b"]) == ("holder", "t")
    assert shift.dyads[0]["shift"] == pytest.approx(3 / 140)
    assert [d["shift"] for d in shift.dyads[1:]] == [0.0] * 5
    # the shares of capability on x: riser, holder and T 1 each of 3; Quiet 0 (no stance)
    # with no salience to average (NaN), as before
    shares = {a["actor"]: a for a in shift.actors}
    assert shares["riser"]["share_before"] == pytest.approx(1 / 3)
    assert shares["quiet"]["share_after"] == 0.0
    assert math.isnan(shares["quiet"]["salience_after"])
    assert shares["holder"]["salience_before"] == 1.0
    # the repr: the first three dyads, riskiest first, at three decimals
    assert repr(shift).splitlines() == [
        "PowerShift from 'before' to 'after': 4 actors",
        "  holder-t: risk from the shift 0.021",
        "  riser-quiet: risk from the shift 0.000",
        "  riser-holder: risk from the shift 0.000",
    ]


def test_an_actor_absent_from_the_issue_then_is_not_the_one_beside_it() -> None:
    """The riser is the earlier moment's first actor, Quiet (absent from x) its second: the
    riser's vote then must be its own (P = 2/3 above). Taken as absent, its demand would
    get only the holder's -50 and T's +10: P = 1/6."""
    before, after = _moved()
    row = next(c for c in power_shift(before, after).challenges if c["actor"] == "riser")
    assert row["prevail_before"] == pytest.approx(2 / 3)


def test_one_actor_after_the_shift() -> None:
    """Before: A at 100 (c 1), B at 0 (c 3): votes for A's 100 over 50 are A +50, B -150,
    P = 1/4. After, B is gone: A alone, P = 1, stake 0.5, so phi_A = 0.5 (1 - 1/4) = 3/8.
    No dyad is left. Shares of capability on x: 1/4 and 3/4 before, 1 and (B absent) NaN
    after; the JSON gives B's NaN as null, with the reason."""
    two = [("a", 1, {"x": _stance(100)}), ("b", 3, {"x": _stance(0)})]
    before = _scenario("before", two, [X])
    after = _scenario("after", two[:1], [X])
    shift = power_shift(before, after)
    (row,) = shift.challenges
    assert (row["prevail_before"], row["prevail_after"]) == pytest.approx((0.25, 1.0))
    assert row["added"] == pytest.approx(0.375)
    assert shift.dyads == ()
    a, b = shift.actors
    assert (a["share_before"], a["share_after"]) == pytest.approx((0.25, 1.0))
    assert b["share_before"] == pytest.approx(0.75)
    assert math.isnan(b["share_after"])
    assert math.isnan(b["salience_after"])
    data = shift.to_dict()
    assert set(data) == {"before", "after", "actors", "challenges", "dyads", "nulls"}
    assert (data["before"], data["after"], data["dyads"]) == ("before", "after", [])
    assert data["actors"][1] == {
        "actor": "b",
        "share_before": 0.75,
        "share_after": None,
        "salience_before": 1.0,
        "salience_after": None,
    }
    assert data["challenges"][0]["added"] == pytest.approx(0.375)
    why = "the actor is absent at that moment"
    assert data["nulls"] == [
        {"path": "/actors/1/share_after", "value": "NaN", "reason": why},
        {"path": "/actors/1/salience_after", "value": "NaN", "reason": why},
    ]


def _two_issues(name: str, y_settled: bool = True) -> sc.Scenario:
    """A (c 0.1; 0.3 on y) at 100 on x (s 0.4) and y (s 0.8); B (c 0.1) at 0 on x (s 1)
    and y (s 0.5)."""
    y = Y if y_settled else {"id": "y", "label": "Y"}
    return _scenario(
        name,
        [
            ("a", 0.1, {"x": _stance(100, 0.4), "y": _stance(100, 0.8, c=0.3)}),
            ("b", 0.1, {"x": _stance(0, 1.0), "y": _stance(0, 0.5)}),
        ],
        [X, y],
    )


def test_shares_of_capability_and_mean_salience_by_hand() -> None:
    """Capability on x and y: A 0.1 + 0.3 = 0.4 (its own on y), B 0.1 + 0.1 = 0.2; of 0.6
    in all, shares 2/3 and 1/3. Mean salience: A (0.4 + 0.8) / 2 = 0.6, B (1 + 0.5) / 2 =
    0.75. The same moment twice: the same figures before and after, nothing added."""
    s = _two_issues("same")
    shift = power_shift(s, s)
    a, b = shift.actors
    assert set(a) == {"actor", "share_before", "share_after", "salience_before", "salience_after"}
    assert (a["share_before"], a["share_after"]) == pytest.approx((2 / 3, 2 / 3))
    assert (b["share_before"], b["share_after"]) == pytest.approx((1 / 3, 1 / 3))
    assert (a["salience_before"], a["salience_after"]) == pytest.approx((0.6, 0.6))
    assert (b["salience_before"], b["salience_after"]) == pytest.approx((0.75, 0.75))
    assert [c["added"] for c in shift.challenges] == [0.0] * 4


def test_an_issue_settled_now_but_not_then_has_no_earlier_chance() -> None:
    """y had no status quo before: nothing to compare, so prevail_before is NaN and nothing
    is added there; x is compared as usual. On x, votes for A's 100 over 50: A 0.1 x 0.4 x
    50 = +2, B 0.1 x 1 x (50 - 100) = -5: P_A = 2/7, the same at both moments. On y
    (settled now), A 0.3 x 0.8 x 50 = +12, B 0.1 x 0.5 x (-50) = -2.5: P_A = 12/14.5 =
    24/29."""
    shift = power_shift(_two_issues("then", y_settled=False), _two_issues("now"))
    rows = {(c["actor"], c["issue"]): c for c in shift.challenges}
    assert rows["a", "x"]["prevail_before"] == pytest.approx(2 / 7)
    assert rows["a", "x"]["prevail_after"] == pytest.approx(2 / 7)
    for actor in ("a", "b"):
        assert math.isnan(rows[actor, "y"]["prevail_before"])
        assert rows[actor, "y"]["added"] == 0.0
    assert rows["a", "y"]["prevail_after"] == pytest.approx(24 / 29)
    # y counts in the shares at both moments (an issue of both files): as above
    assert shift.actors[0]["share_before"] == pytest.approx(2 / 3)


def test_an_earlier_moment_without_the_settled_issues() -> None:
    """The earlier file has only z: no settled issue of now was there, so there is no
    capability to share (NaN, not a division by 0), no salience to average, no earlier
    chance and no added pressure; now, A holds 0.1 + 0.3 = 0.4 of 0.6."""
    before = _scenario("before", [("a", 1, {"z": _stance(0)}), ("b", 1, {"z": _stance(9)})], [Z])
    shift = power_shift(before, _two_issues("now"))
    assert [a["actor"] for a in shift.actors] == ["a", "b"]
    for row in shift.actors:
        assert math.isnan(row["share_before"])
        assert math.isnan(row["salience_before"])
    assert shift.actors[0]["share_after"] == pytest.approx(2 / 3)
    assert all(math.isnan(c["prevail_before"]) for c in shift.challenges)
    assert all(c["added"] == 0.0 for c in shift.challenges)
    assert [d["shift"] for d in shift.dyads] == [0.0]


def test_the_shift_of_power_refuses_a_scenario_without_a_settlement() -> None:
    s = _scenario("open", [("a", 1, {"z": _stance(0)}), ("b", 1, {"z": _stance(9)})], [Z])
    with pytest.raises(ValueError, match="measured on a settlement") as info:
        power_shift(s, s)
    assert str(info.value) == (
        "the shift of power is measured on a settlement: no issue of open has a status_quo"
    )


def test_the_power_shift_tables() -> None:
    """``to_frame()``: the challenges, one row per actor and issue (4 actors x 1 issue);
    the HTML repr's table: the actors' shares and saliences."""
    before, after = _moved()
    shift = power_shift(before, after)
    frame = shift.to_frame()
    assert list(frame.columns) == [
        "actor",
        "issue",
        "stake",
        "prevail_before",
        "prevail_after",
        "added",
    ]
    assert list(frame["actor"]) == ["riser", "quiet", "holder", "t"]
    assert frame["added"].iloc[3] == pytest.approx(1 / 14)
    head = shift._headline()
    assert list(head.columns) == [
        "actor",
        "share_before",
        "share_after",
        "salience_before",
        "salience_after",
    ]
    assert list(head["actor"]) == ["riser", "quiet", "holder", "t"]
    assert "share_before" in shift._repr_html_()


# --- the memory budget's arithmetic (``_risk_study.sizes``) -----------------------------------


def test_chunks_of_draws_within_a_small_budget_by_hand() -> None:
    """A budget of 2 MiB = 2,097,152 bytes; now A and B on x (n = 2, m = 1), before A, B
    and C on x (C has left since: a third voter in the chunk's arrays).

    - block: half the budget, 1,048,576, over one draw's inputs, input_bytes(2, 1) =
      8 (7 x 2 x 1 + 2 x 3) = 160: 6,553 draws, at most 4,096;
    - one draw's inputs, both moments: 160 + input_bytes(3, 1) = 160 + 8 (21 + 8) = 392;
    - histograms: 8 x 1,003 x (2 x 1 + 2 x 1 + 3 x 2 + 1 + 1) = 96,288;
    - room for a chunk: min(1,048,576, 2,097,152 - 4,096 x 392 - 96,288 = 395,232);
    - one draw of a chunk of 3 actors on 1 issue: 8 (16 x 25 + 10 x 9 + 4 x 3 + 8 x 3) =
      4,208 bytes, so 395,232 // 4,208 = 93 draws (4,208 x 94 = 395,552 is too many)."""
    x_at = [("a", 1, {"x": _stance(100)}), ("b", 1, {"x": _stance(0)})]
    before = _scenario("before", [*x_at, ("c", 1, {"x": _stance(50)})], [X])
    plan = plan_for(_scenario("after", x_at, [X]), before, None)
    assert draw_bytes(3, 1) == 4208
    assert sizes(plan, 2**21) == (4096, 93)
    # Without the earlier moment: inputs 160 bytes a draw, room min(1,048,576, 2,097,152 -
    # 4,096 x 160 - 96,288 = 1,345,504); a draw of 2 actors 8 (16 x 16 + 10 x 4 + 4 x 2 +
    # 8 x 2) = 2,560 bytes: 1,048,576 // 2,560 = 409 draws a chunk.
    assert sizes(plan_for(_scenario("after", x_at, [X]), None, None), 2**21) == (4096, 409)


def test_a_chunk_is_at_least_one_draw() -> None:
    """Below one draw's bytes (4,208 for 3 actors on 1 issue, above) a chunk is still one
    draw; twice that is two."""
    assert chunk_size(3, 1, 4207) == 1
    assert chunk_size(3, 1, 2 * 4208) == 2


def test_run_refuses_histograms_beyond_its_own_budget() -> None:
    """Ten actors on one issue: 45 dyads, so 8 x 1,003 x (2 x 45 + 10 + 30 + 1 + 1) =
    1,059,168 bytes of histograms, more than half of a 2 MiB budget (1,048,576): ``run``
    refuses it at the budget it is given (the default budget would hold it)."""
    ten = _scenario("ten", [(f"a{i}", 1, {"x": _stance(10 * i)}) for i in range(10)], [X])
    with pytest.raises(MemoryLimitError, match=r"10 actors \(45 dyads\)"):
        run(plan_for(ten, None, None), 1, 0, memory=2**21)


def test_the_index_at_its_limit_of_1_reads_at_most_1() -> None:
    """docs/risk.md's limit of 1: on 0..100 settled at 0, A at 100 (s 1) against B at the
    settlement (s 1) whose capability is negligible (1e-15 of A's: no vote), so P_A = 1,
    pressure 1 x (2 - 1) = 1, B's resistance 100 / 100 = 1: R = 1 in every draw. Earlier,
    B alone (capability 1) voted against A's 100: P_A then 0, so the shift adds 1 x (1 - 0)
    = 1, met by the same resistance: the shift's risk is 1 too; the pressure on x, A's, is
    1. The quantiles of values all
    equal to 1 are read within the top bin [0.999, 1]: the median 0.999 + 0.5/1000 =
    0.9995, the 80% interval 0.9991 to 0.9999, never above 1."""
    settled_at_0 = [{"id": "x", "label": "X", "status_quo": 0}]
    now = [("a", 1, {"x": _stance(100)}), ("b", 1e-15, {"x": _stance(0)})]
    then = _scenario("then", [("b", 1, {"x": _stance(0)})], settled_at_0)
    r = sc.risk(_scenario("now", now, settled_at_0), previous=then, draws=5)
    (d,) = r.dyads
    assert d.shift is not None
    for band in (d.risk, d.shift, r.settlement, r.issue("x").pressure):
        assert band.mean == 1.0
        assert band.median == pytest.approx(0.9995)
        assert band.interval80 == pytest.approx((0.9991, 0.9999))


def test_the_guarantors_effect_at_its_limits_of_plus_and_minus_1() -> None:
    """On 0..100 settled at 0, A demands 100 (s 1) against B at the settlement (s 1,
    capability 1e-15: no vote while G's capability 1 sets the scale).

    - G at the settlement (c 1) defends it: votes on A's demand A +100, G -100, P_A = 1/2,
      no pressure, risk 0. Without G, only A votes: P_A = 1, pressure 1, B's resistance
      1: risk 1. G's effect is 1 - 0 = +1 in every draw.
    - G at 100 (c 1) joins A, whose own capability is 1e-15 too: with G, P_A = 1 and the
      risk is 1; without G, A and B are the only voters, their weights relative to each
      other equal: P_A = 1/2, risk 0. G's effect is 0 - 1 = -1.

    Read from bins of 1/1000 over [-1, 1]: a median of +-0.9995 and an 80% interval from
    +-0.9991 to +-0.9999, within [-1, 1]."""
    b = ("b", 1e-15, {"x": _stance(0)})
    defender = [("a", 1, {"x": _stance(100)}), b, ("g", 1, {"x": _stance(0)})]
    ally = [("a", 1e-15, {"x": _stance(100)}), b, ("g", 1, {"x": _stance(100)})]
    at_0 = [{"id": "x", "label": "X", "status_quo": 0}]
    for actors, sign in ((defender, 1.0), (ally, -1.0)):
        r = sc.risk(_scenario("limit", actors, at_0), draws=5, dyad=("a", "b"))
        (guarantor,) = r.guarantors
        assert guarantor.effect.mean == sign
        assert guarantor.effect.median == pytest.approx(sign * 0.9995)
        assert sorted(guarantor.effect.interval80) == pytest.approx(
            sorted((sign * 0.9991, sign * 0.9999))
        )


def test_the_histograms_bytes_and_the_refusal_at_its_edge() -> None:
    """Ten actors on one issue keep 8 x (1,000 + 3) x (2 x 45 + 10 x 1 + 3 x 10 + 1 + 1) =
    1,059,168 bytes of histograms. A budget whose half (rounded up) holds exactly that is
    taken; one byte less is refused, naming the figures (1,059,168 B = 1.0 MiB; the
    --memory that holds 2 x 1,059,168 - 1 bytes, 2.02 MiB, rounded up to whole MiB: 3M)."""
    assert tally_bytes(10, 1) == 1_059_168
    assert tally_bytes(3, 2) == 8 * 1003 * (2 * 3 + 3 * 2 + 3 * 3 + 2 + 1)
    check_size(10, 1, 2 * 1_059_168 - 1)  # half, rounded up: 1,059,168, enough
    with pytest.raises(MemoryLimitError) as info:
        check_size(10, 1, 2 * 1_059_168 - 2)
    assert str(info.value) == (
        "the risk analysis of 10 actors (45 dyads) would keep about 1.0 MiB of histograms, "
        "more than its budget of 1.0 MiB (half the memory budget of 2.0 MiB): give --memory "
        "3M or more, or analyse fewer actors"
    )


def test_histogram_quantiles_and_means_by_hand() -> None:
    """Bins of 1/1000; exact zeros apart; NaN left out; read linearly within a bin.

    On [0, 1], quantity 0 has 0, 0, 0.25, 0.75: two zeros, then one value in bin 250 and
    one in bin 750. The median's target 0.5 x 4 = 2 falls among the zeros: 0. At 0.6 the
    target 2.4 lies 0.4 into bin 250: 0.2504; at 0.9, 3.6 lies 0.6 into bin 750: 0.7506.
    Mean 1/4. Quantity 1 has 0.5 three times and a NaN: n = 3, median 1.5 of 3 into bin
    500: 0.5005, mean 0.5. The values come in two chunks, whose counts add up.

    On [-1, 1] (2,000 bins, the zeros' slot between bins 999 and 1000): -0.5 (bin 500), 0,
    0.5 (bin 1500) and a NaN. At 0.2 the target 0.6 lies 0.6 into bin 500: -1 + 0.5006 =
    -0.4994; the median's 1.5 falls on the zero: 0; at 0.9, 2.7 lies 0.7 into bin 1500:
    0.5007. Mean 0."""
    nan = float("nan")
    unit = Hist(2, 0.0, 1.0)
    unit.add(np.array([[0.0, 0.5], [0.0, 0.5]]))  # in two chunks, as a run adds them
    unit.add(np.array([[0.25, 0.5], [0.75, nan]]))
    assert unit.quantile(0, 0.5) == 0.0
    assert unit.quantile(0, 0.6) == pytest.approx(0.2504, abs=1e-12)
    assert unit.quantile(0, 0.9) == pytest.approx(0.7506, abs=1e-12)
    assert unit.mean(0) == 0.25
    assert unit.quantile(1, 0.5) == pytest.approx(0.5005, abs=1e-12)
    assert unit.mean(1) == 0.5
    both = Hist(1, -1.0, 1.0)
    both.add(np.array([[-0.5], [0.0], [0.5], [nan]]))
    assert both.quantile(0, 0.2) == pytest.approx(-0.4994, abs=1e-12)
    assert both.quantile(0, 0.5) == 0.0
    assert both.quantile(0, 0.9) == pytest.approx(0.5007, abs=1e-12)
    assert both.mean(0) == 0.0
    # nothing but NaN: no value to read
    empty = Hist(1, 0.0, 1.0)
    empty.add(np.array([[nan]]))
    assert math.isnan(empty.quantile(0, 0.5))
    assert math.isnan(empty.mean(0))


def test_histogram_quantiles_next_to_a_filled_bin() -> None:
    """Two values in neighbouring slots: the quantile is read from the count before its
    own bin only. Quantity 0 has 0 (the zeros' slot) and 0.0005 (bin 0, just after it);
    quantity 1 has 0.2505 (bin 250) and 0.2515 (bin 251). At 0.75 the target 1.5 lies 0.5
    into the second slot: 0 + 0.5 / 1000 = 0.0005, and 0.251 + 0.0005 = 0.2515."""
    hist = Hist(2, 0.0, 1.0)
    hist.add(np.array([[0.0, 0.2505], [0.0005, 0.2515]]))
    assert hist.quantile(0, 0.75) == pytest.approx(0.0005, abs=1e-12)
    assert hist.quantile(1, 0.75) == pytest.approx(0.2515, abs=1e-12)


def test_the_pressure_on_an_issue_is_the_largest_actors_in_each_draw() -> None:
    """A at 100 (c 4, salience drawn uniform on [0.6, 1]) against B at 0 (c 1, s 1), settled
    at 50: P_A = 4s / (4s + 1) > 1/2, so A presses, pi_A = 0.5 s (4s - 1) / (4s + 1), from
    0.3 x 1.4 / 3.4 = 0.1235 at s = 0.6 to 0.5 x 3/5 = 0.3 at s = 1; B's P = 1 / (4s + 1)
    < 1/2, no pressure. The issue's pressure, the largest actor's in each draw, is A's in
    each draw: its mean is A's mean pressure (equal up to rounding), and it varies from
    draw to draw within [0.1235, 0.3]."""
    drawn = {"value": 0.6, "low": 0.6, "high": 1.0, "dist": "uniform"}
    s = _scenario(
        "drawn",
        [("a", 4, {"x": {"position": 100, "salience": drawn}}), ("b", 1, {"x": _stance(0)})],
        [X],
    )
    issue = sc.risk(s, draws=200, seed=3).issue("x")
    assert issue.by_actor["b"] == 0.0
    assert issue.pressure.mean == pytest.approx(issue.by_actor["a"], rel=1e-12)
    lo, hi = issue.pressure.interval80
    assert 0.1235 < lo < hi < 0.3


def test_a_guarantor_without_a_say_on_two_issues_where_both_sides_press() -> None:
    """Settled at 50 on x and y. On x, A at 100 (c 3) against B at 0 (c 1): P_A = 150 / 200
    = 3/4, pressure 0.5 (3/2 - 1) = 0.25, B's resistance 0.5: 0.125. On y the same with the
    roles swapped (B's capability 3 there, A's 1): B presses, A resists, 0.125. So
    R_AB = 1 - (1 - 0.125)^2 = 0.234375. G holds a stance only on z, which has no status
    quo: it casts no vote on x or y, so its withdrawal leaves the risk as it is, effect 0
    (up to rounding: the risk without G is computed from the votes less G's)."""
    s = _scenario(
        "both-press",
        [
            ("a", 3, {"x": _stance(100), "y": _stance(0, c=1)}),
            ("b", 1, {"x": _stance(0), "y": _stance(100, c=3)}),
            ("g", 1, {"z": _stance(10)}),
        ],
        [X, Y, Z],
    )
    r = sc.risk(s, draws=3, dyad=("a", "b"))
    assert r.dyad("a", "b").risk.mean == pytest.approx(0.234375)
    (g,) = r.guarantors
    assert g.actor == "g"
    assert g.effect.mean == pytest.approx(0.0, abs=1e-12)


def test_the_shift_of_power_on_two_issues_where_both_sides_gain() -> None:
    """Settled at 50 on x and y; every salience 1. On x, A at 100 and B at 0: before, A's
    capability 1 against B's 3, P_A = 50 / 200 = 1/4; now 1 against 1, P_A = 1/2: no
    pressure of its own, but the rise adds 0.5 (1/2 - 1/4) = 0.125, which B (resistance
    0.5) meets: 0.0625. On y the roles are swapped, B at 100 gaining on A at 0, whose
    capability there falls from 7 to 1: P_B from 50 / 400 = 1/8 to 1/2, adding
    0.5 x 3/8 = 0.1875, met by A's 0.5: 0.09375. Risk from the shift, and in all (nobody
    presses at today's values alone): 1 - (1 - 0.0625)(1 - 0.09375) = 0.150390625. G,
    with a stance on z only (no status quo), has no say on x or y: effect 0 (up to
    rounding)."""

    def moment(name: str, on_x: float, on_y: float) -> sc.Scenario:
        return _scenario(
            name,
            [
                ("a", 1, {"x": _stance(100, c=1), "y": _stance(0, c=on_y)}),
                ("b", 1, {"x": _stance(0, c=on_x), "y": _stance(100, c=1)}),
                ("g", 1, {"z": _stance(10)}),
            ],
            [X, Y, Z],
        )

    before, after = moment("before", 3, 7), moment("after", 1, 1)
    shift = power_shift(before, after)
    assert (shift.dyads[0]["a"], shift.dyads[0]["b"]) == ("a", "b")
    assert shift.dyads[0]["shift"] == pytest.approx(0.150390625)
    r = sc.risk(after, previous=before, draws=3, dyad=("a", "b"))
    d = r.dyad("a", "b")
    assert d.shift is not None
    assert (d.risk.mean, d.shift.mean) == pytest.approx((0.150390625, 0.150390625))
    (g,) = r.guarantors
    assert g.effect.mean == pytest.approx(0.0, abs=1e-12)
