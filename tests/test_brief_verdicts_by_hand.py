"""A brief's issue verdicts in its JSON, by hand (issue 22: survivors of the verdict
module's mutation run, ``_brief_parts.py``, 2026-12-07)."""

from __future__ import annotations

import pytest

import statecraft as sc
from statecraft.analysis.brief import brief
from tests.test_flags_by_hand import _three_at
from tests.test_uncertainty import Never


def _agreed() -> sc.Scenario:
    """Two equal actors both at 38.01 on a 0-100 issue (status quo 50, actual outcome 40):
    the compromise is 38.01 in every draw (no ranges)."""
    stance = {"x": {"position": 38.01, "salience": 1}}
    return sc.Scenario.model_validate(
        {
            "name": "agreed",
            "issues": [{"id": "x", "label": "The X", "status_quo": 50, "actual": 40}],
            "actors": [
                {"id": "a", "capability": 1, "stances": stance},
                {"id": "b", "capability": 1, "stances": stance},
            ],
        }
    )


def test_an_issue_verdict_by_hand() -> None:
    """Every draw forecasts 38.01, which falls in bin floor(38.01 / 100 x 2000) = 760 of
    2,000 bins of width 0.05 (38.00 to 38.05). Read within that bin, the median is
    38 + 0.5 x 0.05 = 38.025 and the inputs' 80% interval 38 + (0.1, 0.9) x 0.05 =
    (38.005, 38.045); one model, so no spread. A model that forecasts in no draw, run first,
    is passed over (the compromise after it still speaks)."""
    b = brief(_agreed(), [Never(), "compromise"], draws=5)
    verdict = b.to_dict()["issues"]["x"]
    assert verdict["label"] == "The X"
    assert verdict["status_quo"] == 50.0
    assert verdict["actual"] == 40.0
    assert verdict["forecast"] == pytest.approx(38.025, abs=1e-9)
    assert verdict["inputs80"] == pytest.approx([38.005, 38.045], abs=1e-9)
    assert verdict["spread"] == 0.0
    assert list(verdict["by_model"]) == ["compromise"]
    model = verdict["by_model"]["compromise"]
    assert model["median"] == pytest.approx(38.025, abs=1e-9)
    assert model["inputs80"] == pytest.approx([38.005, 38.045], abs=1e-9)
    assert set(model) == {"median", "interval80", "inputs80", "calibrated"}


NO_RANGES = (
    "No coded number has a range, so every draw is the same: the intervals from the inputs "
    "(inputs alone) are zero-width and probabilities are 0 or 1 within each model (they still "
    "differ between models, and the issues' intervals still hold the models' own errors). Give "
    "the numbers you are least sure of a range ({value, low, high}), or run with --perturb 0.1 "
    "(perturb: in the file)."
)


def test_the_no_ranges_flag_word_for_word() -> None:
    b = brief(_agreed(), ["compromise"], draws=5)
    (flag,) = [f for f in b.flags if f.kind == "no_ranges"]
    assert flag.message == NO_RANGES


def test_the_margins_are_counted_between_each_models_top_two() -> None:
    """a at 60 (capability 3), b at 0 and c at 10 (capability 1), status quo 0: the compromise
    is (180 + 0 + 10) / 5 = 38; gains (|0 - x| - |38 - x|) / 100: a +0.38, b -0.38, c -0.18.
    The top two are a and c, places 0 and 2 of the ranked actors (a, b, c): one pair (0, 2)."""
    from statecraft.analysis._brief_parts import margin_pairs
    from statecraft.runner import forecast

    s = _three_at(0)
    ranked, pairs = margin_pairs(s, forecast(s, ["compromise"]))
    assert ranked == ["a", "b", "c"]
    assert pairs == ((0, 2),)


def test_the_near_flip_check_runs_at_the_briefs_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    import statecraft.analysis._brief_parts as parts

    seeds: list[object] = []
    real = parts.flips

    def spy(scenario: object, models: object, ranked: object, seed: object) -> object:
        seeds.append(seed)
        return real(scenario, models, ranked, seed)  # type: ignore[arg-type]

    monkeypatch.setattr(parts, "flips", spy)
    brief(_agreed(), ["compromise"], draws=5, seed=7)
    assert seeds == [7]


def test_the_still_moving_flag_word_for_word() -> None:
    """On karabakh-2020 the expected utility model stops after its rounds with actors still
    moving on the issues whose details say so (read from the point forecast, in the
    scenario's order); the compromise has no rounds and never moves. One flag, for the
    expected utility model only, word for word; none when that model's weight is 0, even
    after a model of weight 0 comes first."""
    from statecraft.runner import forecast

    s = sc.load("karabakh-2020")
    details = forecast(s, ["expected-utility"]).details("expected-utility")
    moving = [i for i, d in details.items() if not d.settled]  # type: ignore[attr-defined]
    assert len(moving) >= 2  # the join is tested
    expected = (
        f"The expected-utility model was still moving when it stopped on {', '.join(moving)}: "
        "actors moved in its last round, so its forecast depends on when bargaining stops and "
        "it may be cycling. See `statecraft rounds karabakh-2020` and try -o rounds=N; read its "
        "forecast with care, or leave it out of the ensemble (name the others with "
        "`statecraft brief --model`)."
    )
    both = brief(s, ["compromise", "expected-utility"], draws=5)
    assert [f.message for f in both.flags if f.kind == "still_moving"] == [expected]
    first_silent = {"compromise": 0, "expected-utility": 1}
    b = brief(s, ["compromise", "expected-utility"], draws=5, weights=first_silent)
    assert [f.message for f in b.flags if f.kind == "still_moving"] == [expected]
    silent = {"compromise": 1, "expected-utility": 0}
    b = brief(s, ["compromise", "expected-utility"], draws=5, weights=silent)
    assert "still_moving" not in [f.kind for f in b.flags]
