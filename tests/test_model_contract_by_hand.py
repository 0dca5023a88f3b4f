"""The model contract and the registry by hand (issue 22): what users read of a model.

Option descriptions (``statecraft models NAME``, the web form, the docs tables), the
messages of a wrong option or model name, the details a model hands the report, and the
default memory estimates, each checked against text or numbers written out here from the
rule the code documents, never against the code's earlier output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

import annotated_types
import numpy as np
import pytest
from pydantic import Field, model_validator

from statecraft.arrays import Batch, IssueArrays
from statecraft.models import (
    Compromise,
    Details,
    DrawByDrawModel,
    Exchange,
    IssueModel,
    Model,
    ModelOptions,
    Nash,
    NotApplicable,
    OptionError,
    Output,
    PerIssue,
    UnknownModel,
    build_model,
    build_models,
    default_model,
    describe_option,
    get_model,
    is_linked,
    option_rows,
    options_for,
)
from statecraft.models.base import status_quo_of, weights, weights_by_row


class _Bounds(ModelOptions):
    """Every shape of bound an option can declare (not a real model's options)."""

    closed: int = Field(default=1, ge=1, le=5)
    open_: float = Field(default=0.5, gt=0, lt=1)
    low_closed: float = Field(default=0.5, ge=0, lt=1)
    high_closed: float = Field(default=0.5, gt=0, le=1)
    at_least: float = Field(default=1.0, ge=0.5)
    above: int = Field(default=1, gt=0)
    at_most: float = Field(default=1.0, le=2.5)
    below: float = Field(default=1.0, lt=2)
    free: float = 1.0
    flag: bool = True
    pick: Literal["a", "b"] = "a"
    auto: Annotated[int, annotated_types.Ge(2), annotated_types.Le(9)] | Literal["auto"] = "auto"
    off: Annotated[float, Field(gt=0, lt=1)] | Literal["off"] = "off"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("closed", "a whole number from 1 to 5"),  # ge and le: "from .. to .."
        ("open_", "a number above 0 and below 1"),  # gt and lt
        ("low_closed", "a number of at least 0 and below 1"),  # ge and lt
        ("high_closed", "a number above 0 and at most 1"),  # gt and le
        ("at_least", "a number of at least 0.5"),  # ge alone
        ("above", "a whole number above 0"),  # gt alone
        ("at_most", "a number at most 2.5"),  # le alone
        ("below", "a number below 2"),  # lt alone
        ("free", "a number"),  # no bound
        ("flag", "true or false"),
        ("pick", "one of a, b"),
        # bounds given as annotated_types objects inside a union (not a pydantic Field):
        # the whole-number part keeps its type and its bounds
        ("auto", "a whole number from 2 to 9 or one of auto"),
        ("off", "a number above 0 and below 1 or one of off"),
    ],
)
def test_describe_option_says_every_kind_of_bound(name: str, text: str) -> None:
    """Each option's 'allowed' text, written out from the rule: a closed range reads
    'from L to H'; otherwise each bound reads 'above L' / 'of at least L' and 'below H' /
    'at most H', joined by 'and'; a whole number says so."""
    assert describe_option(_Bounds, name) == text


def test_option_rows_of_a_model_with_and_without_descriptions() -> None:
    """One row per option in declaration order: name, allowed text, default, description
    ('' where none is declared)."""

    class Two(ModelOptions):
        rounds: int = Field(default=3, ge=1, le=9, description="How many rounds.")
        mode: Literal["fast", "slow"] = "fast"

    assert option_rows(Two) == [
        {
            "option": "rounds",
            "allowed": "a whole number from 1 to 9",
            "default": 3,
            "description": "How many rounds.",
        },
        {"option": "mode", "allowed": "one of fast, slow", "default": "fast", "description": ""},
    ]


class _TwoOptions(ModelOptions):
    a: int = Field(default=1, ge=1, le=5)
    b: str = "x"


class _Demo(Model):
    """A batched model with two options that forecasts 0 everywhere (for the contract's
    defaults and messages)."""

    name = "demo"
    title = "Demo"
    citation = "none"
    Options: ClassVar[type[ModelOptions]] = _TwoOptions

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        return Output(np.zeros((batch.size, batch.n_issues)))


def test_option_messages_name_the_model_and_what_it_takes() -> None:
    """An unknown option lists the model's options (", " between them, 'none' for a model
    without); a value out of bounds gives the allowed text and the value given."""
    with pytest.raises(OptionError) as e:
        _Demo(c=1)
    assert str(e.value) == "unknown option 'c' for the demo model; its options are: a, b"
    with pytest.raises(OptionError) as e:
        Compromise(colour=1)
    assert str(e.value) == "unknown option 'colour' for the compromise model; its options are: none"
    with pytest.raises(OptionError) as e:
        _Demo(a=7)
    assert str(e.value) == "the demo model's option a must be a whole number from 1 to 5 (got 7)"
    with pytest.raises(OptionError) as e:
        _Demo(Nash.Options())
    assert str(e.value) == "the demo model's options are a _TwoOptions, not a NashOptions"
    with pytest.raises(OptionError) as e:
        _Demo(_TwoOptions(), a=2)
    assert str(e.value) == "give a model's options as an object or as keywords, not both"
    given = _TwoOptions(a=4)
    assert _Demo(given).opts is given


def test_an_error_across_options_has_no_option_name() -> None:
    """A check across options (a model validator) fails at no field: pydantic's location is
    empty, so the message says '?' for the option and shows pydantic's own message ('Value
    error, ' + the text raised) and the options given."""

    class Ordered(ModelOptions):
        a: int = 1
        b: int = 2

        @model_validator(mode="after")
        def _ordered(self) -> Ordered:
            if self.a > self.b:
                raise ValueError("a must not exceed b")
            return self

    class Checked(_Demo):
        Options = Ordered

    with pytest.raises(OptionError) as e:
        Checked(a=3)
    assert str(e.value) == (
        "the demo model's option ? must be Value error, a must not exceed b (got {'a': 3})"
    )


def test_default_memory_and_repr() -> None:
    """The default estimate is 8 arrays of 8-byte floats per actor and issue, counting at
    least one of each: 8 * 8 * 3 * 2 = 384 bytes for 3 actors and 2 issues, 8 * 8 * 1 * 1
    = 64 with none, 8 * 8 * 1 * 5 = 320 for 5 issues without actors; one run needs 0
    beyond that. repr shows the class and every option with its value."""
    m = _Demo(a=2)
    assert m.memory_per_draw(3, 2) == 384
    assert m.memory_per_draw(0, 0) == 64
    assert m.memory_per_draw(0, 5) == 320
    assert m.memory_per_draw(4, 0) == 256  # 8 * 8 * 4 * 1
    assert m.run_memory(3, 2) == 0
    assert repr(m) == "_Demo(a=2, b='x')"
    assert repr(Nash(utility="linear")) == "Nash(utility='linear')"


@dataclass(frozen=True)
class _Account(Details):
    """A model's account of an issue with one position in it."""

    position: float

    def to_dict(self) -> dict[str, Any]:
        return {"position": self.position}

    def to_records(self) -> list[dict[str, Any]]:
        return [{"actor": "a", "position": self.position}, {"actor": "b", "position": 0.0}]

    def scaled(self, power: int) -> Details:
        return _Account(self.position * 2**power)


def test_per_issue_scaled_and_records() -> None:
    """Scaling by 2**3 = 8 scales each issue's account (1.5 -> 12.0) and keeps an account
    that is not a Details (a plain dict) as it is; records are each account's rows with the
    issue first, none for an account without records."""
    plain = {"note": "kept"}
    d = PerIssue({"x": _Account(1.5), "y": plain})
    s = d.scaled(3)
    assert isinstance(s, PerIssue)
    assert s.issues["x"] == _Account(12.0)
    assert s.issues["y"] is plain
    assert d.issues["x"] == _Account(1.5)  # the original is unchanged (frozen)
    assert d.to_records() == [
        {"issue": "x", "actor": "a", "position": 1.5},
        {"issue": "x", "actor": "b", "position": 0.0},
    ]


def _batch(draws: int, issues: int = 2, status_quo: float = np.nan) -> Batch:
    """Two actors at 20 and 80 (capability 1 and 3, salience 1) on 0..100 issues."""
    k = 2
    shape = (draws, k, issues)
    position = np.empty(shape)
    position[:, 0, :], position[:, 1, :] = 20.0, 80.0
    capability = np.empty(shape)
    capability[:, 0, :], capability[:, 1, :] = 1.0, 3.0
    return Batch(
        actor_ids=("a", "b"),
        issue_ids=tuple(f"i{j}" for j in range(issues)),
        capability=capability,
        position=position,
        salience=np.ones(shape),
        power=np.ones((draws, k)),
        present=np.ones((k, issues), dtype=bool),
        status_quo=np.full((draws, issues), status_quo),
        low=np.zeros(issues),
        high=np.full(issues, 100.0),
        actual=np.full(issues, np.nan),
    )


class _Turns(DrawByDrawModel):
    """Draw b forecasts 10 * b on every issue, with an account of position b; the draws in
    ``skip`` give no forecast."""

    name = "turns"
    title = "Turns"
    citation = "none"
    skip: ClassVar[frozenset[int]] = frozenset({1})

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def run_draw(
        self, batch: Batch, draw: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, Details] | None:
        if draw in self.skip:
            return None
        return np.full(batch.n_issues, 10.0 * draw), _Account(float(draw))


def test_draw_by_draw_skips_a_draw_without_forecast_and_keeps_the_first_account() -> None:
    """Three draws, the second giving nothing: forecasts 0, NaN, 20 on both issues (the draw
    after a skipped one still runs), and the details are the first draw's account."""
    rng = np.random.default_rng(0)
    out = _Turns().evaluate(_batch(3), rng, detail=True)
    np.testing.assert_array_equal(out.forecasts, [[0.0, 0.0], [np.nan, np.nan], [20.0, 20.0]])
    assert out.details == _Account(0.0)
    assert _Turns().evaluate(_batch(3), rng).details is None

    class LateStart(_Turns):
        skip = frozenset({0})

    # the first draw gives nothing: no account, even though draw 1 has one
    assert LateStart().evaluate(_batch(3), rng, detail=True).details is None


class _Mean(IssueModel):
    """The capability-weighted mean (a hand-checkable IssueModel) with extras and an
    account on the issues whose id ends in '0'; it needs a status quo when told to."""

    name = "mean"
    title = "Mean"
    citation = "none"

    def predict(self, issue: IssueArrays) -> np.ndarray:
        c, x = issue.capability, issue.position
        return np.asarray((c * x).sum(axis=-1) / c.sum(axis=-1))

    def run_issue(
        self, issue: IssueArrays, rng: np.random.Generator, *, detail: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray], Any]:
        value = self.predict(issue)
        if issue.issue_id.endswith("0"):
            return value, {"twice": 2 * value}, _Account(float(value[0])) if detail else None
        return value, {}, None


def test_issue_model_gathers_forecasts_extras_and_accounts() -> None:
    """Weighted mean of 20 (capability 1) and 80 (capability 3): (20 + 240) / 4 = 65 for
    every draw and issue; extras and accounts only where the model gives them (issue i0),
    gathered as PerIssue; no details at all without ``detail``."""
    rng = np.random.default_rng(0)
    out = _Mean().evaluate(_batch(2), rng, detail=True)
    np.testing.assert_array_equal(out.forecasts, [[65.0, 65.0], [65.0, 65.0]])
    assert out.not_applicable == {}
    assert list(out.extras) == ["i0"]
    np.testing.assert_array_equal(out.extras["i0"]["twice"], [130.0, 130.0])
    assert out.details == PerIssue({"i0": _Account(65.0)})
    assert _Mean().evaluate(_batch(2), rng).details is None


def test_status_quo_missing_is_not_applicable_with_the_reason() -> None:
    """A model that bargains from the status quo gives NaN and the reason on an issue
    without one; with a status quo it forecasts."""

    class NeedsSq(_Mean):
        needs_status_quo = True

    rng = np.random.default_rng(0)
    reason = "the issue has no status quo (the disagreement point)"
    out = NeedsSq().evaluate(_batch(2), rng)
    assert out.not_applicable == {"i0": reason, "i1": reason}
    assert np.isnan(out.forecasts).all()
    assert NeedsSq().not_applicable(_batch(2)) == {"i0": reason, "i1": reason}
    with pytest.raises(NotApplicable, match=r"^the issue has no status quo \(the disagreement"):
        status_quo_of(_batch(1).issue(0))
    np.testing.assert_array_equal(status_quo_of(_batch(2, status_quo=50.0).issue(0)), [50, 50])
    assert NeedsSq().not_applicable(_batch(2, status_quo=50.0)) == {}


# The registry's names, in the order of registry.REGISTERED's lines
NAMES = "compromise, median, nash, kalai-smorodinsky, expected-utility, exchange, spatial"


def test_registry_default_linking_and_unknown_name() -> None:
    """The default is the first registered line (compromise); the exchange and spatial
    models link issues, the others do not; an unknown name lists every name."""
    assert default_model() == "compromise"
    assert is_linked("exchange")
    assert is_linked("spatial")
    assert not is_linked("nash")
    assert not is_linked("expected-utility")
    assert is_linked(Exchange)
    assert not is_linked(Nash())
    with pytest.raises(UnknownModel) as e:
        is_linked("eu")
    assert str(e.value) == f"unknown model 'eu'; the models are: {NAMES}"


def test_options_go_only_to_the_models_that_take_them() -> None:
    """Nash takes ``utility`` only: of {utility, rounds} it gets utility; an instance is
    kept as it is."""
    given = {"utility": "linear", "rounds": 3}
    assert options_for("nash", given) == {"utility": "linear"}
    assert build_model("nash", given).options == {"utility": "linear"}
    nash = Nash()
    assert build_model(nash, given) is nash
    built = build_models(["nash", "expected-utility"], given)
    assert built[0].options == {"utility": "linear"}
    assert built[1].options["rounds"] == 3


@pytest.mark.parametrize(
    ("models", "options", "message"),
    [
        (
            "compromise",
            {"seed": 1},
            "unknown option 'seed' for the models run (a stochastic model's seed is the "
            "command's --seed, or seed= in Python); their options are: none",
        ),
        (
            ["compromise", "nash"],
            {"rounds": 3},
            "unknown option 'rounds' for the models run (it is an option of "
            "expected-utility and exchange: run that model, -m NAME); their options are: "
            "utility",
        ),
        # two unknown options: the first in sorted order is named ('colour' < 'seed'), and
        # it belongs to no model (no hint)
        (
            ["nash", "kalai-smorodinsky"],
            {"seed": 2, "colour": 1},
            "unknown option 'colour' for the models run; their options are: ideal, utility, "
            "weighting",
        ),
        ([], {}, "no model to run"),
        (["nash", Nash()], {}, "a model is named twice: nash, nash"),
    ],
)
def test_build_models_messages(models: Any, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        build_models(models, options)


def test_get_model_refuses_options_with_an_instance() -> None:
    with pytest.raises(ValueError, match=r"^options can only be given with a model name$"):
        get_model(Nash(), utility="linear")
    assert get_model("nash", utility="linear").options == {"utility": "linear"}


def test_run_issue_gives_floats_whatever_predict_returns() -> None:
    """The default ``run_issue`` hands on ``predict``'s forecasts as floats (a model that
    picks whole-number positions still gives float forecasts), no extras, no account."""

    class Whole(_Mean):
        run_issue = IssueModel.run_issue  # the contract's default, not _Mean's

        def predict(self, issue: IssueArrays) -> np.ndarray:
            return np.array([20, 80])

    value, extras, account = Whole().run_issue(_batch(2).issue(0), np.random.default_rng(0))
    assert value.dtype == np.float64
    np.testing.assert_array_equal(value, [20.0, 80.0])
    assert extras == {}
    assert account is None


def test_issue_model_draws_from_the_generator_it_is_given() -> None:
    """A stochastic one-issue model gets the study's generator, issue after issue: its
    forecasts are the generator's next draws (two per issue here), the same as drawing
    them from a fresh generator of the same seed (numpy's stream, not this code)."""

    class Noisy(_Mean):
        def run_issue(
            self, issue: IssueArrays, rng: np.random.Generator, *, detail: bool = False
        ) -> tuple[np.ndarray, dict[str, np.ndarray], Any]:
            return 100 * rng.random(2), {}, None

    out = Noisy().evaluate(_batch(2), np.random.default_rng(7))
    expected = 100 * np.random.default_rng(7).random(4)
    np.testing.assert_array_equal(out.forecasts[:, 0], expected[:2])
    np.testing.assert_array_equal(out.forecasts[:, 1], expected[2:])


# (capability, salience, relative weights by hand) for one issue; the weights are
# c_i * s_i / max_j(c_j * s_j), below 1e-12 counted as 0
WEIGHT_CASES = [
    # 2*1, 4*0.5, 8*0.25 are all 2: every actor the largest
    ([2.0, 4.0, 8.0], [1.0, 0.5, 0.25], [1.0, 1.0, 1.0]),
    # 10*0.2 = 2 and 5*1 = 5: 2/5 and 1
    ([10.0, 5.0], [0.2, 1.0], [0.4, 1.0]),
    # a relative weight of exactly 1e-12 counts, one of 1e-13 does not
    ([1.0, 1e-12, 1e-13], [1.0, 1.0, 1.0], [1.0, 1e-12, 0.0]),
    # nobody has capability: every weight 0 (0 / 0 quietly kept at 0, not NaN)
    ([0.0, 0.0], [1.0, 0.5], [0.0, 0.0]),
    # nobody cares: every weight 0
    ([1.0, 3.0], [0.0, 0.0], [0.0, 0.0]),
    # 1e-300 * 1e-24 would underflow (1e-324 is below the smallest float): capabilities are
    # divided by the largest first, so 1/3 and 1 survive
    ([1e-300, 3e-300], [1e-24, 1e-24], [1 / 3, 1.0]),
]


@pytest.mark.parametrize(("capability", "salience", "expected"), WEIGHT_CASES)
def test_weights_by_hand(
    capability: list[float], salience: list[float], expected: list[float]
) -> None:
    """Relative weights per issue, worked by hand (see WEIGHT_CASES); the same numbers
    actors last (``weights``) and actors first (``weights_by_row``). Tolerance: a few
    units in the last place (1/3 goes through a division and a product)."""
    got = weights(np.array(capability), np.array(salience))
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    rows = weights_by_row(np.array(capability), np.array(salience))
    np.testing.assert_allclose(rows, expected, rtol=1e-15, atol=0)


def test_weights_per_draw_and_issue() -> None:
    """Two draws of three actors: each draw's weights relative to its own largest.
    Draw 0: capabilities 1, 2, 4 (salience 1) -> 1/4, 1/2, 1; draw 1: capabilities 3, 3, 3
    with salience 1, 0.5, 0.25 -> 1, 0.5, 0.25."""
    capability = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    salience = np.array([[1.0, 1.0, 1.0], [1.0, 0.5, 0.25]])
    expected = np.array([[0.25, 0.5, 1.0], [1.0, 0.5, 0.25]])
    np.testing.assert_array_equal(weights(capability, salience), expected)
    # actors first: (actors, draws)
    np.testing.assert_array_equal(weights_by_row(capability.T, salience.T), expected.T)


def test_weights_normalise_each_draw_on_its_own() -> None:
    """Three draws, each normalised by its own largest capability and product, never by the
    largest of the whole array: draw 0 is the underflow case of WEIGHT_CASES (1/3, 1), draw
    1 has capability 1, 1 and salience 0.5, 0.5 (products 0.5, 0.5 -> 1, 1; not 0.5, 0.5),
    draw 2 capability 2, 1 and salience 0.25, 1 (1 * 0.25, 0.5 * 1 -> 0.5, 1). Tolerance
    as in test_weights_by_hand."""
    capability = np.array([[1e-300, 3e-300], [1.0, 1.0], [2.0, 1.0]])  # (draws, actors)
    salience = np.array([[1e-24, 1e-24], [0.5, 0.5], [0.25, 1.0]])
    expected = [[1 / 3, 1.0], [1.0, 1.0], [0.5, 1.0]]
    np.testing.assert_allclose(weights(capability, salience), expected, rtol=1e-15, atol=0)
    rows = weights_by_row(capability.T, salience.T)  # (actors, draws)
    np.testing.assert_allclose(rows, np.transpose(expected), rtol=1e-15, atol=0)


def test_weights_in_double_precision_and_quietly() -> None:
    """Single-precision capabilities give double-precision weights (1/3 to 1e-15, where
    float32 arithmetic would give 0.33333334); an underflow (1e-200 * 1e-200 = 0) is quiet
    even where the caller asked numpy to raise on underflow: capability 1e-200 and 1,
    salience 1e-200 and 1 -> 0 and 1."""
    c32 = np.array([1.0, 3.0], dtype=np.float32)
    for got in (weights(c32, np.ones(2)), weights_by_row(c32, np.ones(2))):
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, [1 / 3, 1.0], rtol=1e-15, atol=0)
    tiny = np.array([1e-200, 1.0])
    with np.errstate(under="raise"):
        np.testing.assert_array_equal(weights(tiny, tiny), [0.0, 1.0])
        np.testing.assert_array_equal(weights_by_row(tiny, tiny), [0.0, 1.0])
