"""A brief's issue verdicts in its JSON, by hand (issue 22: survivors of the verdict
module's mutation run, ``_brief_parts.py``, 2026-12-07)."""

from __future__ import annotations

import pytest

import statecraft as sc
from statecraft.analysis.brief import brief
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
