"""The brief's parts (``analysis/_brief_parts.py``) on counts made by hand: the winners'
verdicts and their order, the narrow-margin flag on both of its branches, the models a
brief chooses, and the still-moving flag of a model that says nothing of rounds (issue 22:
survivors of the verdict module's mutation run, 2026-12-07).

Gains are binned over [-1, 1] in 2,000 bins of width 0.001 (bin k holds [-1 + k/1000,
-1 + (k + 1)/1000)); gain margins over [-2, 2] in 4,000 bins of the same width. A quantile
is read linearly within its bin (``_mixture.quantile``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis._brief_parts import (
    ActorVerdict,
    GainVerdict,
    _disagree,
    _margin,
    choose_models,
    verdicts,
)
from statecraft.analysis._summary import GAIN_BINS, MARGIN_BINS, GainCounts, Summary
from statecraft.analysis.brief import brief
from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel
from statecraft.runner import forecast
from tests.test_brief_verdicts_by_hand import _agreed
from tests.test_flags_by_hand import _three_at

RANKED = ["a", "b", "c"]


def _gains(best: list[int], positive: list[int], bins: list[int], draws: int) -> GainCounts:
    """Every draw of actor k's gain in bin ``bins[k]``; no margins counted."""
    histogram = np.zeros((3, GAIN_BINS), dtype=np.int64)
    for k, b in enumerate(bins):
        histogram[k, b] = draws
    return GainCounts(
        best=np.array(best),
        positive=np.array(positive),
        histogram=histogram,
        margins=np.zeros((0, MARGIN_BINS), dtype=np.int64),
    )


def test_verdicts_by_hand_weights_renormalised_ties_broken_by_the_median() -> None:
    """Four draws of one model: a is the biggest winner in all 4 with its gain in bin 1300
    (0.300 to 0.301), b and c never, b's gains in bin 600 (-0.4), c's in bin 900 (-0.1), one
    of c's 4 above 0. Read within the bin, a's median is -1 + 1300.5/1000 = +0.3005 and its
    80% interval -1 + (1300.1, 1300.9)/1000. A second model of weight 0.5 has no counts: the
    weight of the first (0.5 of 0.5 left) is 1, so a's P(biggest winner) is 4/4. b and c tie
    on P(biggest winner) = 0, and c's median -0.0995 is above b's -0.3995: order a, c, b."""
    gc = _gains([4, 0, 0], [4, 0, 1], [1300, 600, 900], draws=4)
    out = verdicts(_three_at(0), RANKED, {"m1": gc, "m2": None}, 4, {"m1": 0.5, "m2": 0.5})
    assert [v.actor for v in out] == ["a", "c", "b"]
    assert [v.name for v in out] == ["Alpha", "Gamma", "Beta"]
    a, c, b = out
    assert a.p_biggest == 1.0
    assert a.p_gain == 1.0
    assert a.median == pytest.approx(0.3005, abs=1e-12)
    assert a.interval80 == pytest.approx((0.3001, 0.3009), abs=1e-12)
    assert c.p_gain == 0.25
    assert c.median == pytest.approx(-0.0995, abs=1e-12)
    assert b.p_biggest == 0.0
    assert b.median == pytest.approx(-0.3995, abs=1e-12)
    assert list(a.by_model) == ["m1"]
    assert a.by_model["m1"] == a.overall  # one model: the ensemble is that model


def test_verdicts_with_all_weight_on_a_model_without_counts_weigh_the_others_equally() -> None:
    """Weights 0, 0 and 1, the last model without counts: the two with counts (a the biggest
    winner in all 4 draws of one, c in all 4 of the other) weigh 1/2 each, so a's and c's
    P(biggest winner) are 1/2 x 1 = 0.5 and b's 0."""
    one = _gains([4, 0, 0], [4, 0, 0], [1300, 600, 900], draws=4)
    two = _gains([0, 0, 4], [0, 0, 4], [600, 700, 1400], draws=4)
    counts = {"m1": one, "m2": two, "m3": None}
    out = verdicts(_three_at(0), RANKED, counts, 4, {"m1": 0.0, "m2": 0.0, "m3": 1.0})
    by = {v.actor: v for v in out}
    assert by["a"].p_biggest == 0.5
    assert by["c"].p_biggest == 0.5
    assert by["b"].p_biggest == 0.0
    assert by["a"].p_gain == 0.5


def test_verdicts_of_no_draws_or_no_counts_are_empty() -> None:
    """A study stopped before its first draw (0 draws), or a model that ranked no actor
    (None), gives no verdict; a single draw gives one."""
    empty = _gains([0, 0, 0], [0, 0, 0], [1000, 1000, 1000], draws=0)
    assert verdicts(_three_at(0), RANKED, {"m": empty}, 0, {"m": 1.0}) == ()
    assert verdicts(_three_at(0), RANKED, {"m": None}, 5, {"m": 1.0}) == ()
    one = _gains([1, 0, 0], [1, 0, 0], [1300, 600, 900], draws=1)
    (first, *_) = verdicts(_three_at(0), RANKED, {"m": one}, 1, {"m": 1.0})
    assert (first.actor, first.p_biggest) == ("a", 1.0)


def _verdict(actor: str, name: str, p: float, interval: tuple[float, float]) -> ActorVerdict:
    g = GainVerdict(p_biggest=p, p_gain=p, median=sum(interval) / 2, interval80=interval)
    return ActorVerdict(actor, name, g, {"m": g})


def _summary(margins: np.ndarray) -> Summary:
    gains = GainCounts(
        best=np.zeros(3),
        positive=np.zeros(3),
        histogram=np.zeros((3, GAIN_BINS)),
        margins=margins,
    )
    return Summary(
        draws=10, counts={}, sums={}, valid={}, best={}, confrontation={}, gains={"m": gains}
    )


def _margins(at: dict[int, int]) -> np.ndarray:
    """One pair's margin histogram: ``at[bin] = count``."""
    h = np.zeros((1, MARGIN_BINS), dtype=np.int64)
    for b, n in at.items():
        h[0, b] = n
    return h


def _message(lead: str, second: str, p: tuple[str, str], shown: str) -> str:
    return (
        f"The verdict is decided by a margin smaller than its uncertainty: {lead} leads "
        f"{second} (P(biggest winner) {p[0]} against {p[1]}), but {shown}. Say '{lead} or "
        f"{second}', not '{lead}'; narrow the ranges of the numbers that move it most "
        "(statecraft sensitivity)."
    )


def test_narrow_margin_counted_draw_by_draw_with_the_leader_ranked_second() -> None:
    """The leader b (55%) is ranked after the runner-up a, so the counted margin of the pair
    (a, b), a's gain minus b's, is turned around: 8 of 10 draws in bin 1950 (-0.050 to
    -0.049) and 2 in bin 2300 (+0.300 to +0.301) become b's minus a's, 2 in bin 1699
    (-0.301 to -0.300) and 8 in bin 2049 (+0.049 to +0.050). Its 10% quantile is half-way
    into bin 1699 (-2 + 1699.5/1000 = -0.3005) and its 90% quantile 0.7/0.8 into bin 2049
    (-2 + 2049.875/1000 = +0.049875): -0.30 to +0.05, which holds 0. Not turned, it would
    read -0.05 to +0.30."""
    winners = [_verdict("b", "Beta", 0.55, (0.0, 0.2)), _verdict("a", "Alpha", 0.45, (0.0, 0.2))]
    total = _summary(_margins({1950: 8, 2300: 2}))
    flag = _margin(RANKED, ((0, 1),), total, {"m": 1.0}, winners)
    assert flag is not None
    assert flag.kind == "narrow_margin"
    shown = "the 80% interval of Beta's gain minus Alpha's is -0.30 to +0.05, which holds 0"
    assert flag.message == _message("Beta", "Alpha", ("55%", "45%"), shown)


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        # 1 of 10 in bin 1999 (-0.001 to 0) then 9 in bin 2100: the 10% quantile is that
        # bin's top, -2 + 2000/1000 = 0 exactly; the 90% 8/9 into bin 2100 (+0.1009)
        ({1999: 1, 2100: 9}, "+0.00 to +0.10"),
        # 1 in bin 1900, 8 in bin 1999, 1 in bin 2100: the 90% quantile is the top of bin
        # 1999, 0 exactly; the 10% the top of bin 1900, -2 + 1901/1000 = -0.099
        ({1900: 1, 1999: 8, 2100: 1}, "-0.10 to +0.00"),
    ],
)
def test_an_interval_that_ends_at_zero_holds_it(at: dict[int, int], shown: str) -> None:
    """The interval is closed: an end exactly at 0 holds 0."""
    winners = [_verdict("a", "Alpha", 0.6, (0.0, 0.2)), _verdict("b", "Beta", 0.4, (0.0, 0.2))]
    flag = _margin(RANKED, ((0, 1),), _summary(_margins(at)), {"m": 1.0}, winners)
    assert flag is not None
    message = f"the 80% interval of Alpha's gain minus Beta's is {shown}, which holds 0"
    assert flag.message == _message("Alpha", "Beta", ("60%", "40%"), message)


def test_a_margin_clear_of_zero_raises_no_flag() -> None:
    """All 10 draws in bin 2100 (a ahead by 0.1): the interval 0.1001 to 0.1009."""
    winners = [_verdict("a", "Alpha", 0.6, (0.0, 0.2)), _verdict("b", "Beta", 0.4, (0.0, 0.2))]
    assert _margin(RANKED, ((0, 1),), _summary(_margins({2100: 10})), {"m": 1.0}, winners) is None


def test_narrow_margin_from_the_intervals_where_the_pair_was_not_counted() -> None:
    """No pair counted: the flag holds where the leader's 80% interval (0.1, 0.3) reaches
    the runner-up's (-0.1, 0.1), touching included, and not where it starts at 0.11. A
    single verdict has no runner-up: no flag."""
    second = _verdict("b", "Beta", 0.4, (-0.1, 0.1))
    total = _summary(np.zeros((0, MARGIN_BINS)))
    touching = _margin(
        RANKED, (), total, {"m": 1.0}, [_verdict("a", "Alpha", 0.6, (0.1, 0.3)), second]
    )
    assert touching is not None
    shown = (
        "the 80% intervals of their gains overlap (Alpha's gain minus Beta's was not counted "
        "draw by draw)"
    )
    assert touching.message == _message("Alpha", "Beta", ("60%", "40%"), shown)
    apart = [_verdict("a", "Alpha", 0.6, (0.11, 0.3)), second]
    assert _margin(RANKED, (), total, {"m": 1.0}, apart) is None
    alone = [_verdict("a", "Alpha", 1.0, (0.1, 0.3))]
    assert _margin(RANKED, ((0, 1),), _summary(_margins({2000: 1})), {"m": 1.0}, alone) is None


def test_choose_models_by_default_and_as_given() -> None:
    """Without a status quo Nash and Kalai-Smorodinsky (whose disagreement point it is) apply
    to no issue; the exchange and spatial models link the issues and run only when named.
    A model named alone, as a string, is that model."""
    s = sc.Scenario.model_validate(
        {
            "name": "no-status-quo",
            "issues": [{"id": "x", "label": "X"}],
            "actors": [
                {"id": i, "capability": 1, "stances": {"x": {"position": p, "salience": 1}}}
                for i, p in (("a", 0), ("b", 100))
            ],
        }
    )
    chosen, skipped = choose_models(s, None, {})
    assert chosen == ["compromise", "median", "expected-utility"]
    no_sq = "applies to no issue: the issue has no status quo (the disagreement point)"
    linked = "links the issues and is slower: runs only when named"
    assert skipped == {
        "nash": no_sq,
        "kalai-smorodinsky": no_sq,
        "exchange": linked,
        "spatial": linked,
    }
    assert choose_models(s, "median", {}) == (["median"], {})
    assert brief(_three_at(0), "compromise", draws=3).models == ("compromise",)


class _Account:
    """A model's account of an issue that says nothing of rounds or settling."""

    def to_dict(self) -> dict[str, Any]:
        return {"note": "no rounds"}


class _Accounted(IssueModel):
    """The compromise's forecast with an account of each issue but no ``settled``."""

    name = "accounted"
    title = "Accounted"
    citation = "A test double."

    def predict(self, issue: IssueArrays) -> np.ndarray:
        w = issue.capability * issue.salience
        return np.asarray((w * issue.position).sum(-1) / w.sum(-1))

    def run_issue(
        self, issue: IssueArrays, rng: np.random.Generator, *, detail: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray], Any]:
        return np.asarray(self.predict(issue), dtype=float), {}, _Account() if detail else None


def test_a_model_whose_account_says_nothing_of_settling_is_not_still_moving() -> None:
    """Only a model that says it did not settle is flagged: an account without ``settled``
    is a model without rounds."""
    s = _three_at(0)
    assert forecast(s, [_Accounted()]).details("accounted")  # it has an account
    b = brief(s, [_Accounted()], draws=3)
    assert "still_moving" not in [f.kind for f in b.flags]


def test_models_disagree_joins_the_models_that_name_the_same_winner() -> None:
    """Three models of equal weight: m1 and m2 make Alpha the biggest winner more often than
    Beta (0.7 and 0.6 against 0.3 and 0.4), m3 Beta (0.8 against 0.2): two picks, the first
    naming two models."""

    def actor(a: str, name: str, p: dict[str, float]) -> ActorVerdict:
        per = {m: GainVerdict(v, v, 0.0, (0.0, 0.0)) for m, v in p.items()}
        return ActorVerdict(a, name, per["m1"], per)

    winners = [
        actor("a", "Alpha", {"m1": 0.7, "m2": 0.6, "m3": 0.2}),
        actor("b", "Beta", {"m1": 0.3, "m2": 0.4, "m3": 0.8}),
    ]
    names = {"a": "Alpha", "b": "Beta"}
    (flag,) = _disagree(winners, names, {"m1": 1 / 3, "m2": 1 / 3, "m3": 1 / 3})
    assert flag.message.startswith(
        "The models disagree on the most likely biggest winner (m1, m2: Alpha; m3: Beta). "
    )


def test_a_model_without_an_error_record_keeps_the_interval_of_its_inputs() -> None:
    """An error function that knows no model (None for each) adds nothing: each issue's
    80% interval is its inputs' own (38.005, 38.045 in bin 760 of the compromise's 38;
    test_brief_verdicts_by_hand's worked case), and no model is calibrated."""
    b = brief(_agreed(), ["compromise"], draws=5, error=lambda counts, model: None)
    (issue,) = b.issues
    assert issue.interval80 == pytest.approx((38.005, 38.045), abs=1e-9)
    assert issue.interval80 == issue.inputs80
    assert issue.calibrated == ()
