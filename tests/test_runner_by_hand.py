"""The forecast object (``runner.py``) on scenarios small enough to work by hand (issue 22).

Every expectation below is worked in the comments or docstrings from the models'
definitions (docs/models/*.md) and the gain of docs/winners.md; none is the code's own
earlier output. The scenarios:

``TWO`` (two actors, two issues, scale 0..100):

==========  ==========  =========================  =========================
actor       capability  x (sq 50, actual 20)       y (no sq, no actual)
==========  ==========  =========================  =========================
a "Alpha"   0.3         position 0, salience 1     position 40, salience 0.5
b "Beta"    0.1         position 100, salience 1   position 80, salience 1
==========  ==========  =========================  =========================

Weights c x s: x: a 0.3, b 0.1 (total 0.4, so the shares are 3/4 and 1/4); y: a 0.15,
b 0.1 (total 0.25: shares 0.6 and 0.4). Compromise (the weighted mean): x = (0.3 x 0 +
0.1 x 100) / 0.4 = 25; y = (0.15 x 40 + 0.1 x 80) / 0.25 = 14 / 0.25 = 56. Nash on x: a
stands below the status quo 50 and b above it, so no outcome leaves both better off and the
solution is the status quo, 50 (docs/models/nash.md); on y, without a status quo, Nash does
not apply. ``ONE`` is issue x of ``TWO`` alone, without its actual outcome.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis.winners import Winners
from statecraft.models import build_model
from statecraft.models.eu_options import CONFRONTATION, NO_OFFER
from statecraft.models.eu_result import EUResult
from statecraft.runner import Forecast, IssueForecast, forecast, weight_shares

ROOT2 = math.sqrt(2.0)
NO_SQ = "the issue has no status quo (the disagreement point)"


def _stance(position: float, salience: float) -> dict[str, float]:
    return {"position": position, "salience": salience}


def _scenario(name: str, issues: list[dict[str, Any]], y: bool = True) -> sc.Scenario:
    a: dict[str, Any] = {"x": _stance(0, 1)}
    b: dict[str, Any] = {"x": _stance(100, 1)}
    if y:
        a["y"], b["y"] = _stance(40, 0.5), _stance(80, 1)
    return sc.Scenario.model_validate(
        {
            "name": name,
            "title": f"The {name} scenario",
            "issues": issues,
            "actors": [
                {"id": "a", "name": "Alpha", "capability": 0.3, "stances": a},
                {"id": "b", "name": "Beta", "capability": 0.1, "stances": b},
            ],
        }
    )


TWO = _scenario(
    "two",
    [
        {"id": "x", "label": "Issue X", "status_quo": 50, "actual": 20},
        {"id": "y", "label": "Issue Y"},
    ],
)
ONE = _scenario("one", [{"id": "x", "label": "Issue X", "status_quo": 50}], y=False)


def _many(n: int, status_quo: float | None) -> sc.Scenario:
    """n issues, i1..in, each like x: a at 0, b at 100, saliences 1 (compromise 25 on each)."""
    issues = [{"id": f"i{k}", "label": f"Issue {k}", "status_quo": status_quo} for k in range(n)]
    return sc.Scenario.model_validate(
        {
            "name": f"many{n}",
            "issues": issues,
            "actors": [
                {
                    "id": who,
                    "capability": c,
                    "stances": {f"i{k}": _stance(x, 1) for k in range(n)},
                }
                for who, c, x in (("a", 0.3, 0), ("b", 0.1, 100))
            ],
        }
    )


# --- the forecasts, errors and winners of TWO ----------------------------------------------------
def test_values_status_quo_and_not_applicable_by_hand() -> None:
    f = forecast(TWO, ["compromise", "nash"], seed=7)
    assert f.value("x", "compromise") == 25.0
    assert f.value("y", "compromise") == pytest.approx(56.0, rel=1e-15)  # 14 / 0.25
    assert f.value("x", "nash") == 50.0  # both sides of the status quo: the status quo
    assert f.value("y", "nash") is None  # NaN from the model is None here, not NaN
    x, y = f.issues
    assert (x.status_quo, x.actual, y.status_quo, y.actual) == (50.0, 20.0, None, None)
    assert x.not_applicable == {}
    assert y.not_applicable == {"nash": NO_SQ}
    assert f.seed == 7  # the seed given is the seed kept
    with pytest.raises(KeyError, match="no issue 'z' in this forecast"):
        f.value("z", "nash")


def test_the_default_seed_is_0() -> None:
    # forecast(..., seed=0) is the documented default (docs: "seed seeds the generator")
    assert forecast(ONE, "compromise").seed == 0


def test_winners_under_every_model_and_the_actual_by_hand() -> None:
    """Gain on x = (|q - x_i| - |o - x_i|) / D with q = 50 and D = 100 (docs/winners.md);
    y has no status quo and is left out, so each gain is the gain on x.

    compromise (o = 25): a (50 - 25) / 100 = +0.25, b (50 - 75) / 100 = -0.25.
    nash (o = 50 = q): 0 for both (ties keep scenario order: a, b).
    actual (o = 20): a (50 - 20) / 100 = +0.3, b (50 - 80) / 100 = -0.3.
    """
    f = forecast(TWO, ["compromise", "nash"])
    assert f.primary == "compromise"
    assert f.winners is f.winners_by_model["compromise"]
    assert f.winners_by_model["compromise"].label == "compromise"
    assert f.winners_by_model["nash"].label == "nash"
    assert [(g.actor, g.gain) for g in f.winners.ranking] == [("a", 0.25), ("b", -0.25)]
    assert [(g.actor, g.gain) for g in f.winners_by_model["nash"].ranking] == [
        ("a", 0.0),
        ("b", 0.0),
    ]
    assert f.actual_winners is not None
    assert f.actual_winners.label == "actual"
    assert [(g.actor, g.gain) for g in f.actual_winners.ranking] == [("a", 0.3), ("b", -0.3)]
    # ONE has no actual outcome anywhere: no actual winners at all, not an empty ranking
    assert forecast(ONE, "compromise").actual_winners is None


def _ranking(*gains: tuple[str, str, float]) -> list[dict[str, Any]]:
    return [{"actor": a, "name": n, "gain": g, "by_issue": {"x": g}} for a, n, g in gains]


def test_to_dict_by_hand() -> None:
    """The JSON of ``statecraft forecast -f json`` on TWO, every field (see the module
    docstring for the forecasts and shares, and the winners test for the gains). Errors
    on x: |25 - 20| = 5 and |50 - 20| = 30; y has no actual outcome, so no error."""
    f = forecast(TWO, ["compromise", "nash"])
    data = f.to_dict()
    assert list(data) == [
        "scenario", "title", "models", "issues", "primary_model", "headline", "winners",
        "winners_by_model", "actual_headline", "actual_winners",
    ]  # fmt: skip
    assert (data["scenario"], data["title"]) == ("two", "The two scenario")
    compromise, nash = (build_model(n, {}) for n in ("compromise", "nash"))
    assert data["models"] == [
        {"name": m.name, "title": m.title, "options": m.options, "citation": m.citation}
        for m in (compromise, nash)
    ]
    assert data["models"][1]["options"] == {"utility": "quadratic"}  # nash's default
    assert data["models"][0]["title"] == "Compromise (weighted mean)"
    assert data["models"][0]["citation"].startswith("Achen, C. H. (2006).")
    x, y = data["issues"]["x"], data["issues"]["y"]
    # the shares divide by totals 0.4 and 0.25; the rounding of 0.3 / 0.4 is the tolerance
    assert x.pop("weights") == pytest.approx({"a": 0.75, "b": 0.25}, rel=1e-15)
    assert y.pop("weights") == pytest.approx({"a": 0.6, "b": 0.4}, rel=1e-15)
    assert x == {
        "label": "Issue X", "status_quo": 50.0, "actual": 20.0,
        "forecast": {"compromise": 25.0, "nash": 50.0},
        "error": {"compromise": 5.0, "nash": 30.0}, "not_applicable": {},
    }  # fmt: skip
    assert y["forecast"]["compromise"] == pytest.approx(56.0, rel=1e-15)
    y["forecast"].pop("compromise")
    assert y == {
        "label": "Issue Y", "status_quo": None, "actual": None, "forecast": {"nash": None},
        "error": {"compromise": None, "nash": None}, "not_applicable": {"nash": NO_SQ},
    }  # fmt: skip
    assert data["primary_model"] == "compromise"
    assert data["headline"] == "Biggest winner: Alpha (+0.25); biggest loser: Beta (-0.25)."
    assert data["winners"] == _ranking(("a", "Alpha", 0.25), ("b", "Beta", -0.25))
    assert data["winners_by_model"] == {
        "compromise": data["winners"],
        "nash": _ranking(("a", "Alpha", 0.0), ("b", "Beta", 0.0)),
    }
    assert data["actual_headline"] == "Biggest winner: Alpha (+0.30); biggest loser: Beta (-0.30)."
    assert data["actual_winners"] == _ranking(("a", "Alpha", 0.3), ("b", "Beta", -0.3))
    # without an actual outcome, both actual fields are null
    plain = forecast(ONE, "compromise").to_dict()
    assert (plain["actual_headline"], plain["actual_winners"]) == (None, None)


def test_weight_shares_when_the_weights_sum_to_1_or_less_or_underflow() -> None:
    # TWO's totals are 0.4 and 0.25 (module docstring): shares are still given below 1.
    shares = weight_shares(TWO)
    assert shares["x"] == pytest.approx({"a": 0.75, "b": 0.25}, rel=1e-15)
    assert shares["y"] == pytest.approx({"a": 0.6, "b": 0.4}, rel=1e-15)
    # A capability of 1e-200 and a salience of 1e-200 are valid, but their product, 1e-400,
    # is below the smallest double (about 4.9e-324) and rounds to 0: the total is 0 and the
    # issue gets no shares (not a division of 0 by 0).
    tiny = sc.Scenario.model_validate(
        {
            "name": "tiny-weights",
            "issues": [{"id": "x", "label": "X"}],
            "actors": [{"id": "a", "capability": 1e-200, "stances": {"x": _stance(5, 1e-200)}}],
        }
    )
    assert weight_shares(tiny) == {"x": {}}


# --- a linked model's account in the JSON ------------------------------------------------------
def test_a_linked_models_account_is_in_the_json_by_hand() -> None:
    """The exchange model (one round) on TWO, by the rules of docs/models/exchange.md.

    The round starts from the compromise: x 25, y 56. a and b stand on opposite sides of
    both outcomes. a weighs x relatively more (s_x / s_y = 1 / 0.5 = 2 against b's 1 / 1),
    so a moves its vote on y toward b and b its vote on x toward a. a moves all the way, 40
    (40 to 80), shifting O_y by 0.6 x 40 = 24; b moves d on x, shifting O_x by 0.25 d. Gains
    (shift x salience): a 0.25 d x 1 - 24 x 0.5, b 24 x 1 - 0.25 d x 1; equal when
    0.5 d = 36, d = 72 (100 to 28): each gains 6. Votes after: x (0.3 x 0 + 0.1 x 28) / 0.4
    = 7; y 80 (both vote 80). No third actor, so no externality.
    """
    f = forecast(TWO, ["compromise", "exchange"], options={"rounds": 1})
    assert list(f.linked) == ["exchange"]
    data = f.to_dict()
    (one,) = data["exchange"]["rounds"]
    # float rounding only: the shares 0.75 and 0.6 are not exact in binary
    assert one["start"] == pytest.approx({"x": 25.0, "y": 56.0}, rel=1e-12)
    assert one["voting"] == pytest.approx({"x": 7.0, "y": 80.0}, rel=1e-12)
    (trade,) = one["exchanges"]
    assert (trade["actor"], trade["gives_way_on"], trade["partner"]) == ("a", "y", "b")
    assert trade["partner_gives_way_on"] == "x"
    assert [trade[k] for k in ("by", "partner_by", "gain", "partner_gain")] == pytest.approx(
        [40.0, -72.0, 6.0, 6.0], rel=1e-12
    )
    assert one["externalities"] == {"a": 0.0, "b": 0.0}
    assert "compromise" not in data  # a one-issue model without details adds nothing


# --- a round-based model: rounds, offers, dyads, confrontations --------------------------------
def _eu() -> Forecast:
    return forecast(ONE, ["median", "expected-utility"])


def test_rounds_offers_and_dyads_of_the_expected_utility_model_by_hand() -> None:
    """ONE is the two-actor case of tests/test_eu_by_hand.py scaled by 100 (its utilities
    depend on distances over the range, so nothing else changes): weights 3 : 1, so the
    weighted median is a's 0 and the mean (3 x 0 + 1 x 100) / 4 = 25. Risks r_a = 2,
    r_b = 1/2. In round 1 b, with own EU 2 sqrt 2 - 7/2 and its estimate of a's
    2 sqrt 2 - 5/2 (a < 0 < b, b <= -a), capitulates to a's 0; everyone agrees and the
    bargaining stops. On the final positions nobody sees anybody: zeros, no offer."""
    f = _eu()
    rounds = f.rounds()
    assert list(rounds.columns) == ["issue", "round", "actor", "position", "risk", "median", "mean"]
    assert rounds["position"].tolist() == [0.0, 100.0, 0.0, 0.0]
    assert rounds["round"].tolist() == [0, 0, 1, 1]
    assert rounds["risk"].tolist()[2:] == pytest.approx([2.0, 0.5], rel=1e-15)
    assert rounds["mean"].tolist() == pytest.approx([25.0, 25.0, 0.0, 0.0], rel=1e-15)
    assert f.rounds("expected-utility").equals(rounds)
    offers = f.offers().to_dict("records")
    # rel 1e-13: the square root and the sums round a few times
    assert offers == [
        {"issue": "x", "round": 1, "from": "a", "to": "b", "kind": "capitulation",
         "accepted": True, "eu_own": pytest.approx(2 * ROOT2 - 3.5, rel=1e-13),
         "eu_other": pytest.approx(2 * ROOT2 - 2.5, rel=1e-13)},
    ]  # fmt: skip
    assert f.offers("expected-utility").equals(f.offers())
    none = {"issue": "x", "eu_own": 0.0, "eu_other": 0.0, "kind": "none"}
    assert f.dyads().to_dict("records") == [
        {**none, "actor": "a", "other": "b"},
        {**none, "actor": "b", "other": "a"},
    ]
    assert f.dyads("expected-utility").equals(f.dyads())


def test_asking_a_model_that_has_no_rounds_is_an_error() -> None:
    f = _eu()
    for method, what in (
        ("rounds", "trajectory records"),
        ("offers", "offers"),
        ("dyads", "final views"),
    ):
        # the median model is run but has no rounds: asking it is an error, even though
        # the expected utility model (run beside it) has them
        named = f"the model 'median', which gives {what} was not run (no rounds)"
        with pytest.raises(ValueError, match=f"^{re.escape(named)}$"):
            getattr(f, method)("median")
        first = f"a model that gives {what} was not run (no rounds)"
        with pytest.raises(ValueError, match=f"^{re.escape(first)}$"):
            getattr(forecast(ONE, "median"), method)()


def test_confrontations_and_escalation_index_of_a_run() -> None:
    # ONE ends in agreement (above): no dyad in confrontation, 0 of 1 pair, index 0.
    f = _eu()
    assert f.confrontations() == {"x": []}
    assert f.escalation_index() == 0.0
    assert f.confrontations("expected-utility") == {"x": []}
    # the median model classifies no dyads: nothing, even with the EU model run beside it
    assert f.confrontations("median") == {}
    assert f.escalation_index("median") is None
    # nor does any model run: nothing
    plain = forecast(ONE, "median")
    assert plain.confrontations() == {}
    assert plain.escalation_index() is None


def _account(ids: tuple[str, ...], confronting: list[tuple[int, int]]) -> EUResult:
    """An expected-utility account written by hand, no rounds, with the final dyads given."""
    n = len(ids)
    kind = np.full((n, n), NO_OFFER)
    for i, j in confronting:
        kind[i, j] = CONFRONTATION
    return EUResult(
        actor_ids=ids,
        positions=np.zeros((1, n)),
        median=np.zeros(1),
        mean=np.zeros(1),
        risk=np.zeros((0, n)),
        own=np.zeros((0, n, n)),
        other=np.zeros((0, n, n)),
        kind=np.zeros((0, n, n), dtype=int),
        chosen=np.zeros((0, n), dtype=int),
        final_own=np.zeros((n, n)),
        final_other=np.zeros((n, n)),
        final_kind=kind,
    )


def test_confrontations_and_escalation_index_read_off_accounts_by_hand() -> None:
    """Three issues: on p, a and c see each other as a confrontation (one dyad of 3 x 2 / 2
    = 3, share 1/3); on q, two actors and none (share 0); r has one actor (no dyad, not
    counted). The index is the mean over p and q: (1/3 + 0) / 2 = 1/6."""
    accounts = {
        "p": _account(("a", "b", "c"), [(0, 2), (2, 0)]),
        "q": _account(("a", "b"), []),
        "r": _account(("a",), []),
    }
    nobody = Winners(label="none", ranking=(), issues=())
    f = Forecast(
        scenario=ONE,
        models=(build_model("expected-utility", {}),),
        issues=tuple(
            IssueForecast(
                issue=k,
                label=k,
                status_quo=None,
                actual=None,
                forecasts={"expected-utility": 0.0},
                not_applicable={},
                details={"expected-utility": d},
            )
            for k, d in accounts.items()
        ),
        primary="expected-utility",
        winners=nobody,
        winners_by_model={"expected-utility": nobody},
        actual_winners=None,
    )
    assert f.confrontations() == {"p": [("a", "c")], "q": [], "r": []}
    assert f.escalation_index() == pytest.approx(1 / 6, rel=1e-15)
    assert f.escalation_index("expected-utility") == pytest.approx(1 / 6, rel=1e-15)


# --- how it shows in a notebook: the repr and the headline table --------------------------------
def test_the_repr_by_hand() -> None:
    f = forecast(TWO, ["compromise", "nash"])
    assert repr(f).splitlines() == [
        "Forecast of 'two': 2 issues, 2 models (compromise, nash); primary compromise",
        "  biggest winner under compromise: Alpha (gain +0.250)",  # the gain of the winners test
        "  x: 25",
        "  y: 56",  # 56 to four significant digits
    ]
    # under nash, y has no forecast; nobody gains, but the top of the ranking is still a
    assert repr(forecast(TWO, ["compromise", "nash"], primary="nash")).splitlines()[1:] == [
        "  biggest winner under nash: Alpha (gain +0.000)",
        "  x: 50",
        "  y: n/a",
    ]
    # one model and one issue: "model" and "issue", not "models" and "issues"
    assert repr(forecast(ONE, "compromise")).splitlines()[0] == (
        "Forecast of 'one': 1 issue, 1 model (compromise); primary compromise"
    )
    # five models: the first four are named, then how many more
    five = forecast(ONE, ["compromise", "median", "nash", "kalai-smorodinsky", "expected-utility"])
    assert repr(five).splitlines()[0] == (
        "Forecast of 'one': 1 issue, 5 models (compromise, median, nash, kalai-smorodinsky "
        "and 1 more); primary compromise"
    )


def test_the_repr_shows_five_issues_then_how_many_more() -> None:
    # five issues without a status quo: no winner line, every issue shown, no "more" line
    five = repr(forecast(_many(5, None), "compromise")).splitlines()
    assert five == [
        "Forecast of 'many5': 5 issues, 1 model (compromise); primary compromise",
        *[f"  i{k}: 25" for k in range(5)],  # (0.3 x 0 + 0.1 x 100) / 0.4 on each
    ]
    # six issues with a status quo of 50 (compromise 25 on each: a gains 0.25 on each):
    # a winner line, the first five issues, then "1 more" (6 - 5)
    six = repr(forecast(_many(6, 50), "compromise")).splitlines()
    assert six == [
        "Forecast of 'many6': 6 issues, 1 model (compromise); primary compromise",
        "  biggest winner under compromise: a (gain +0.250)",
        *[f"  i{k}: 25" for k in range(5)],
        "  ... and 1 more issue (.to_frame() has all)",
    ]
    # seven: "2 more issues" (7 - 5)
    seven = repr(forecast(_many(7, None), "compromise")).splitlines()
    assert seven[0] == "Forecast of 'many7': 7 issues, 1 model (compromise); primary compromise"
    assert seven[1:] == [
        *[f"  i{k}: 25" for k in range(5)],
        "  ... and 2 more issues (.to_frame() has all)",
    ]


def test_the_headline_table_by_hand() -> None:
    table = forecast(TWO, ["compromise", "nash"])._headline()
    assert list(table.columns) == ["issue", "status_quo", "compromise", "nash", "actual"]
    assert table["issue"].tolist() == ["x", "y"]
    assert table["compromise"].tolist() == pytest.approx([25.0, 56.0], rel=1e-15)
    rows = table.to_dict("records")
    assert (rows[0]["status_quo"], rows[0]["nash"], rows[0]["actual"]) == (50.0, 50.0, 20.0)
    # y: no status quo, no nash forecast, no actual outcome (missing in the table)
    assert all(math.isnan(rows[1][k]) for k in ("status_quo", "nash", "actual"))
