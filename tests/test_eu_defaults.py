"""The expected utility model's defaults against the settings the docs give them, and against
the reference implementation run with those settings written out (issue 22: until now only
the options table in docs/models/expected-utility.md, itself made from the code, held them)."""

from __future__ import annotations

import numpy as np
import pytest

from statecraft.models.expected_utility import EUOptions, ExpectedUtility, run_rounds
from tests import eu_reference as ref

# docs/models/expected-utility.md, "Where replications differ": the default is Scholz's code
# as replicated (JM), the only replication that reproduces Scholz, Calbert & Smith's Table 2.
SCHOLZ = {
    "probability": "triples",  # 4.: Scholz's code divides by the votes over every triple
    "vote_risk": True,  # 1.: Scholz's code raises each voter's distance to its own r_k
    "range": "initial",  # 2.: every replication fixes D at the initial range
    "better_worse": "target",  # 6.: the paper's |x_i - x_j|
    "q": 1.0,  # 6.: Scholz uses Q = 1 for the EC case (T then plays no part)
    "t": 1.0,
    "offer_choice": "scholz",
    "stopping": "rounds",
    "rounds": 8,  # Table 2's eight rounds
}


def test_the_defaults_are_scholzs_code_as_the_docs_give_it() -> None:
    """On x = (0, 50, 70, 80), c = (8, 2, 6, 8), s = (0.3, 0.4, 0.8, 0.6) (found by search),
    tests/eu_reference.py (no code shared with the model) gives 75.0002 with the settings
    above, and 77.51, 74.07, 70 and 70 with range=current, vote_risk=false, probability=pair
    or offer_choice=smallest instead (better_worse and t play no part with Q = 1): the model
    run without options must give the first, to rounding, in eight rounds."""
    assert {k: v for k, v in EUOptions().model_dump().items() if k in SCHOLZ} == SCHOLZ
    assert ExpectedUtility().opts == EUOptions(**SCHOLZ)  # type: ignore[arg-type]
    x, c, s = [0.0, 50.0, 70.0, 80.0], [8.0, 2.0, 6.0, 8.0], [0.3, 0.4, 0.8, 0.6]
    _, _, expected = ref.run(x, c, s, EUOptions(**SCHOLZ))  # type: ignore[arg-type]
    assert expected == pytest.approx(75.0002, abs=5e-5)
    for change in (
        {"range": "current"},
        {"vote_risk": False},
        {"probability": "pair"},
        {"offer_choice": "smallest"},
    ):
        _, _, other = ref.run(x, c, s, EUOptions(**{**SCHOLZ, **change}))  # type: ignore[arg-type]
        assert abs(other - expected) > 0.9, change  # the case tells each setting apart
    out = run_rounds(np.array(x), np.array(c), np.array(s))
    assert float(out["forecast"][0]) == pytest.approx(expected, abs=1e-9)
    assert int(out["rounds"][0]) == 8
