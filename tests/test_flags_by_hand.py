"""The brief's near-flip check and its flags, worked by hand (issue 22: the mutants of
``analysis/_flags.py`` that the brief's own tests let through).

Every expectation below is worked out in the docstring or a comment, with the arithmetic:
where each coded number moves (``coded_numbers``: 5% of a scale that does not start at 0,
0.05 of salience held at 0 and 1, 5% of a capability's value), which moves flip the
compromise's biggest winner (``flips``: gains are ``(|q - x| - |f - x|) / width`` on one
issue, docs/winners.md), who a flip names (``_who``: -1 is nobody) and the flags' messages
word for word (docs/brief.md, "The flags")."""

from __future__ import annotations

from typing import Any

import pytest

import statecraft as sc
from statecraft.analysis import _flags, kernel
from statecraft.analysis._flags import (
    FLIP_MOST,
    FLIP_STEP,
    NOBODY,
    Flip,
    _named,
    _who,
    coded_numbers,
    flip_flag,
    flips,
)
from statecraft.analysis.brief import brief
from statecraft.arrays import Batch
from statecraft.models import Model, get_model
from statecraft.models.base import Output
from tests.test_uncertainty import Never  # no forecast in any draw: no gains, no winner

#: The near-flip message's fixed start and end (flip_flag).
HEAD = (
    "A move of 5% (of the scale for positions, status quos and saliences, of the value for "
    "capabilities) in one coded number changes the biggest winner, "
)
TAIL = (
    ". Check these numbers' sources, give them ranges ({value, low, high}) and read the "
    "probabilities rather than the point forecast."
)
NAMES = {"a": "Alpha", "b": "Beta"}


def test_the_documented_step_and_limit() -> None:
    # docs/brief.md: "Positions and status quos move by 5% of the scale's width, saliences by
    # 0.05, capabilities by 5% of their value"; near_flip_unchecked above 2,000 numbers
    assert FLIP_STEP == 0.05
    assert FLIP_MOST == 2000
    assert NOBODY == ""


def test_coded_numbers_on_a_scale_from_10_to_30() -> None:
    """Issues x and y on 10..30 (width 20: a position or status quo moves by 0.05 x 20 = 1),
    z on 0..100 (moves by 5) without a status quo.

    - x:status_quo 14: 13 and 15 (as a capability it would move by 14 x 0.05 = 0.7);
    - y:status_quo 10.2: down max(9.2, 10) = 10 (held at the scale's low end), up 11.2;
    - a:capability 2: 2 x 0.95 = 1.9 and 2 x 1.05 = 2.1;
    - a:x:position 12: 11 and 13; a:x:salience 0.5: 0.45 and 0.55 (as a capability,
      0.475 and 0.525);
    - a:y:position 10.5: down max(9.5, 10) = 10, up 11.5; a:y:salience 0.02: down
      max(-0.03, 0) = 0, up 0.07; a:y:capability (the stance's own) 4: 3.8 and 4.2;
    - b:capability 0.5: 0.475 and 0.525;
    - b:x:position 29.5: down 28.5, up min(30.5, 30) = 30 (held at the high end);
      b:x:salience 0.98: down 0.93, up min(1.03, 1) = 1;
    - b:z:position 50: 45 and 55 (5% of 0..100); b:z:salience 0.3: 0.25 and 0.35.

    Status quos come first (issues in order, z has none), then each actor's capability and
    its stances' position, salience and own capability, with the keys the scenario's
    inputs have (``actor:issue:kind``, ``actor:capability``, ``issue:status_quo``)."""
    scale = {"low": 10, "high": 30}
    s = sc.Scenario.model_validate(
        {
            "name": "off-zero",
            "issues": [
                {"id": "x", "label": "X", "scale": scale, "status_quo": 14},
                {"id": "y", "label": "Y", "scale": scale, "status_quo": 10.2},
                {"id": "z", "label": "Z"},
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 2,
                    "stances": {
                        "x": {"position": 12, "salience": 0.5},
                        "y": {"position": 10.5, "salience": 0.02, "capability": 4},
                    },
                },
                {
                    "id": "b",
                    "capability": 0.5,
                    "stances": {
                        "x": {"position": 29.5, "salience": 0.98},
                        "z": {"position": 50, "salience": 0.3},
                    },
                },
            ],
        }
    )
    expected = [
        ("x:status_quo", 14, 13, 15),
        ("y:status_quo", 10.2, 10, 11.2),
        ("a:capability", 2, 1.9, 2.1),
        ("a:x:position", 12, 11, 13),
        ("a:x:salience", 0.5, 0.45, 0.55),
        ("a:y:position", 10.5, 10, 11.5),
        ("a:y:salience", 0.02, 0, 0.07),
        ("a:y:capability", 4, 3.8, 4.2),
        ("b:capability", 0.5, 0.475, 0.525),
        ("b:x:position", 29.5, 28.5, 30),
        ("b:x:salience", 0.98, 0.93, 1),
        ("b:z:position", 50, 45, 55),
        ("b:z:salience", 0.3, 0.25, 0.35),
    ]
    got = coded_numbers(s)
    assert [n.key for n in got] == [e[0] for e in expected]
    # to rounding: 0.3 - 0.05 is 0.25 only to the last bit
    assert [(n.value, n.down, n.up) for n in got] == [
        pytest.approx(e[1:], abs=1e-12) for e in expected
    ]
    # the ends are held exactly at the scales' ends
    assert got[1].down == 10.0
    assert got[5].down == 10.0
    assert got[6].down == 0.0
    assert got[9].up == 30.0
    assert got[10].up == 1.0


def standoff() -> sc.Scenario:
    """a at 100 against b at 0 on 0..100, every capability and salience 1 (b's capability on
    x its stance's own), status quo 50: the compromise is (100 + 0) / 2 = 50, the status
    quo, so both gain 0 and nobody is the biggest winner at the coded values."""
    return sc.Scenario.model_validate(
        {
            "name": "standoff",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {
                    "id": "a",
                    "name": "Alpha",
                    "capability": 1,
                    "stances": {"x": {"position": 100, "salience": 1}},
                },
                {
                    "id": "b",
                    "name": "Beta",
                    "capability": 1,
                    "stances": {"x": {"position": 0, "salience": 1, "capability": 1}},
                },
            ],
        }
    )


#: flips() on standoff() under the compromise, worked by hand (see the test's docstring).
STANDOFF_FLIPS = [
    ("x:status_quo", 45, 50, "a"),
    ("x:status_quo", 55, 50, "b"),
    ("a:capability", 0.95, 1, "b"),
    ("a:capability", 1.05, 1, "a"),
    ("a:x:position", 95, 100, "b"),
    ("a:x:salience", 0.95, 1, "b"),
    ("b:x:position", 5, 0, "a"),
    ("b:x:salience", 0.95, 1, "a"),
    ("b:x:capability", 0.95, 1, "a"),
    ("b:x:capability", 1.05, 1, "b"),
]


def _as_rows(found: list[Flip]) -> list[tuple[str, str, float, float, str, str]]:
    return [(f.model, f.key, f.moved_to, f.value, f.was, f.becomes) for f in found]


@pytest.mark.parametrize("rows", [1024, 4, 3])
def test_flips_of_a_standoff_by_hand(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    """standoff()'s numbers, in order: x:status_quo, a:capability, a:x:position,
    a:x:salience, b:capability, b:x:position, b:x:salience, b:x:capability; each moved down
    then up, the compromise f = sum(c s x) / sum(c s), and gains (|q - x| - |f - x|) / 100.

    - status quo 45: f = 50, a gains (55 - 50) / 100 = +0.05, b (45 - 50) / 100 = -0.05: a.
      55: b gains (55 - 50) / 100 = +0.05: b.
    - a's capability 0.95: f = 95 / 1.95 = 48.72, b gains (50 - 48.72) / 100 > 0: b. 1.05:
      f = 105 / 2.05 = 51.22: a.
    - a's position 95: f = 47.5, b gains +0.025, a (45 - 47.5) / 100: b. Up: held at 100,
      f = 50 as coded: nobody, no flip.
    - a's salience 0.95: f = 95 / 1.95 = 48.72: b. Up: held at 1, no flip.
    - b's capability: b's stance has its own, so the actor's moves nothing: no flip.
    - b's position: down held at 0, no flip; 5: f = 52.5, a gains (50 - 47.5) / 100: a.
    - b's salience 0.95: f = 100 / 1.95 = 51.28: a. Up: held at 1, no flip.
    - b's capability on x 0.95: f = 51.28: a; 1.05: f = 100 / 2.05 = 48.78: b (the last
      row of the batch flips).

    Every flip was nobody's (-1, ``NOBODY``); a is ranked 0 and b 1. The rows run in blocks
    of ``_ROWS``: 1024 (one block of 17 rows), 4 and 3 (blocks that split the moves of one
    number) give the same flips."""
    monkeypatch.setattr(_flags, "_ROWS", rows)
    found = flips(standoff(), [get_model("compromise")], ["a", "b"], seed=0)
    expected = [("compromise", k, to, v, NOBODY, who) for k, to, v, who in STANDOFF_FLIPS]
    assert _as_rows(found) == [pytest.approx(e, abs=1e-12) for e in expected]
    assert all(f.was == "" for f in found)  # nobody is the empty name


def test_flips_from_the_runner_up_and_to_nobody() -> None:
    """a at 95 against b at 0, capabilities and saliences 1, status quo 50: f = 47.5, b gains
    (50 - 47.5) / 100 = +0.025 and a -0.025: b (ranked 1) is the biggest winner.

    - status quo 45: a gains (50 - 47.5) / 100 = +0.025, b (45 - 47.5) / 100: a. 55: b.
    - a's capability 0.95: f = 90.25 / 1.95 = 46.28; 1.05: f = 99.75 / 2.05 = 48.66: b.
    - a's position 90: f = 45: b; 100: f = 50, the status quo: nobody (flip).
    - a's salience 0.95: f = 46.28: b; up held at 1.
    - b's capability: its stance's own holds on x, so the actor's moves nothing; b's
      capability on x 0.95: f = 95 / 1.95 = 48.72; 1.05: 95 / 2.05 = 46.34: b.
    - b's position: down held at 0; 5: f = 100 / 2 = 50: nobody (flip).
    - b's salience 0.95: f = 48.72: b; up held at 1.

    Listed the other way round (b ranked 0, a 1), the same flips name the same actors."""
    s = runner_up()
    compromise = [get_model("compromise")]
    expected = [
        ("compromise", "x:status_quo", 45, 50, "b", "a"),
        ("compromise", "a:x:position", 100, 95, "b", NOBODY),
        ("compromise", "b:x:position", 5, 0, "b", NOBODY),
    ]
    assert _as_rows(flips(s, compromise, ["a", "b"], seed=0)) == expected
    assert _as_rows(flips(s, compromise, ["b", "a"], seed=0)) == expected


def runner_up() -> sc.Scenario:
    """standoff() with a at 95 (test_flips_from_the_runner_up_and_to_nobody)."""
    data = standoff().model_dump(mode="json", exclude_none=True)
    data["actors"][0]["stances"]["x"]["position"] = 95
    return sc.Scenario.model_validate(data)


def test_no_flips_without_a_status_quo_or_anyone_ranked() -> None:
    # No status quo: no gains, no biggest winner, nothing ranked
    data = standoff().model_dump(mode="json", exclude_none=True)
    data["issues"][0].pop("status_quo")
    s = sc.Scenario.model_validate(data)
    assert flips(s, [get_model("compromise")], [], seed=0) == []
    assert flips(standoff(), [get_model("compromise")], [], seed=0) == []


def test_a_model_without_gains_is_passed_over() -> None:
    # Never() gives no gains in any block; the compromise after it still finds the three
    # flips of test_flips_from_the_runner_up_and_to_nobody, in blocks of 4 rows or one
    models = [Never(), get_model("compromise")]
    for rows in (1024, 4):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_flags, "_ROWS", rows)
            found = flips(runner_up(), models, ["a", "b"], seed=0)
        assert [(f.model, f.key, f.moved_to) for f in found] == [
            ("compromise", "x:status_quo", 45),
            ("compromise", "a:x:position", 100),
            ("compromise", "b:x:position", 5),
        ]


def test_flips_run_block_by_block_from_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """runner_up() has 8 coded numbers (x:status_quo; a's capability, position and
    salience; b's capability, position, salience and capability on x): 2 x 8 + 1 = 17 rows.
    In blocks of 4 rows: 4, 4, 4, 4 and 1, numbered 0 to 4 (whole numbers: a stochastic
    model's generator is spawned from the seed and the block's number, kernel.model_generator),
    each run from the seed given."""
    calls: list[tuple[str, int, Any, Any]] = []
    real = kernel.run_model  # the function _flags calls

    def spy(model: Model, batch: Batch, *, seed: int, block: int) -> Output:
        calls.append((model.name, batch.size, seed, block))
        return real(model, batch, seed=seed, block=block)

    monkeypatch.setattr(_flags, "run_model", spy)
    monkeypatch.setattr(_flags, "_ROWS", 4)
    flips(runner_up(), [get_model("compromise")], ["a", "b"], seed=7)
    sizes = [4, 4, 4, 4, 1]
    assert calls == [("compromise", n, 7, k) for k, n in enumerate(sizes)]
    assert all(type(block) is int for *_, block in calls)


def test_who_names_nobody_only_below_0() -> None:
    ranked = ["a", "b", "c"]
    assert _who(ranked, -1) == ""  # biggest_winner's -1: nobody, not the last-ranked
    assert _who(ranked, 0) == "a"
    assert _who(ranked, 1) == "b"
    assert _who(ranked, 2) == "c"


def test_named_spells_out_nobody() -> None:
    assert _named(NAMES, "") == "nobody the biggest winner (no gain, or a tie)"
    assert _named(NAMES, "a") == "Alpha the biggest winner"
    assert _named(NAMES, "b") == "Beta the biggest winner"


def _flip(model: str, key: str, value: float, moved_to: float, was: str, to: str) -> Flip:
    return Flip(model=model, key=key, moved_to=moved_to, value=value, was=was, becomes=to)


def test_flip_flag_word_for_word() -> None:
    """Hand-made flips. No flip: no flag. Under each model, in the order found: who wins at
    the coded values (its display name, or "nobody the biggest winner"), the first three
    flips (value and moved-to as %g), and how many more numbers flip than those named: 4
    keys make "(and 1 more number)", 5 "(and 2 more numbers)", 3 nothing more."""
    assert flip_flag([], NAMES) is None
    one = _flip("compromise", "a:capability", 1.02, 0.969, "a", "b")
    flag = flip_flag([one], NAMES)
    assert flag is not None
    assert flag.kind == "near_flip"
    assert flag.message == (
        HEAD + "under compromise (Alpha at the coded values): a:capability 1.02 -> 0.969 "
        "makes Beta the biggest winner" + TAIL
    )
    keys = ["x:status_quo", "a:x:position", "b:x:position", "a:capability", "b:capability"]
    many = [_flip("median", k, 50, 55, "", "a") for k in keys]
    shown = "; ".join(f"{k} 50 -> 55 makes Alpha the biggest winner" for k in keys[:3])
    for n, more in ((3, ""), (4, " (and 1 more number)"), (5, " (and 2 more numbers)")):
        flag = flip_flag(many[:n], NAMES)
        assert flag is not None
        assert flag.message == (
            HEAD + f"under median (nobody the biggest winner at the coded values): {shown}"
            f"{more}" + TAIL
        )
    # two models, each with its own part, in the order their flips come
    two = flip_flag([one, *many[:4], _flip("compromise", "b:capability", 1, 1.05, "a", "")], NAMES)
    assert two is not None
    assert two.message == (
        HEAD + "under compromise (Alpha at the coded values): a:capability 1.02 -> 0.969 makes "
        "Beta the biggest winner; b:capability 1 -> 1.05 makes nobody the biggest winner (no "
        "gain, or a tie); under median (nobody the biggest winner at the coded values): "
        f"{shown} (and 1 more number)" + TAIL
    )


def test_brief_near_flip_message_to_nobody() -> None:
    # runner_up(), worked in test_flips_from_the_runner_up_and_to_nobody: Beta wins at the
    # coded values; three numbers flip it, two of them to nobody
    b = brief(runner_up(), ["compromise"], draws=5)
    (flag,) = [f for f in b.flags if f.kind == "near_flip"]
    assert flag.message == (
        HEAD + "under compromise (Beta at the coded values): x:status_quo 50 -> 45 makes Alpha "
        "the biggest winner; a:x:position 95 -> 100 makes nobody the biggest winner (no gain, "
        "or a tie); b:x:position 0 -> 5 makes nobody the biggest winner (no gain, or a tie)" + TAIL
    )


def _three_at(status_quo: float) -> sc.Scenario:
    """a at 60 (capability 3), b at 0 and c at 10 (capability 1), saliences 1: the compromise
    is (180 + 0 + 10) / 5 = 38 and the weighted median 60 (a holds 3 of 5)."""
    actors: list[dict[str, Any]] = [
        {"id": i, "name": n, "capability": c, "stances": {"x": {"position": x, "salience": 1}}}
        for i, n, c, x in (("a", "Alpha", 3, 60), ("b", "Beta", 1, 0), ("c", "Gamma", 1, 10))
    ]
    return sc.Scenario.model_validate(
        {
            "name": "three",
            "issues": [{"id": "x", "label": "X", "status_quo": status_quo}],
            "actors": actors,
        }
    )


def test_models_disagree_word_for_word_when_one_names_nobody() -> None:
    """Status quo 38: the compromise forecasts it, every gain is 0 and nobody is ever the
    biggest winner under it; the median's 60 gives a (|38 - 60| - 0) / 100 = +0.22, b
    (38 - 60) / 100 and c (28 - 50) / 100: Alpha. With the compromise's weight 0 only one
    model speaks: no flag."""
    s = _three_at(38)
    b = brief(s, ["compromise", "median"], draws=5)
    (flag,) = [f for f in b.flags if f.kind == "models_disagree"]
    assert flag.message == (
        "The models disagree on the most likely biggest winner (compromise: nobody; median: "
        "Alpha). The ensemble's probabilities average them by the weight rule: read the "
        "per-model rows, and say which model's assumptions fit this negotiation (docs/models) "
        "before naming a winner."
    )
    quiet = brief(s, ["compromise", "median"], draws=5, weights={"compromise": 0, "median": 1})
    assert "models_disagree" not in [f.kind for f in quiet.flags]


def test_brief_flags_a_standoff_from_nobody() -> None:
    # standoff(): nobody wins at the coded values; the flag names the first three flips of
    # test_flips_of_a_standoff_by_hand, which are of two numbers (the status quo, both ways,
    # and a's capability), so of the 7 numbers that flip (every number but b's capability)
    # 5 are not named: "(and 5 more numbers)" (it said 4 before: 7 less the 3 flips shown).
    b = brief(standoff(), ["compromise"], draws=5)
    (flag,) = [f for f in b.flags if f.kind == "near_flip"]
    assert flag.message == (
        HEAD + "under compromise (nobody the biggest winner at the coded values): "
        "x:status_quo 50 -> 45 makes Alpha the biggest winner; x:status_quo 50 -> 55 makes "
        "Beta the biggest winner; a:capability 1 -> 0.95 makes Beta the biggest winner "
        "(and 5 more numbers)" + TAIL
    )


def _crowd(own: int) -> sc.Scenario:
    """One issue with a status quo and 666 actors, each with a capability, a position and a
    salience, the first ``own`` with a capability of their own on the issue: 1 + 3 x 666 +
    own = 1999 + own coded numbers."""
    actors: list[dict[str, Any]] = [
        {
            "id": f"a{i}",
            "capability": 1 + i % 3,
            "stances": {"x": {"position": (37 * i) % 101, "salience": 0.5}},
        }
        for i in range(666)
    ]
    for a in actors[:own]:
        a["stances"]["x"]["capability"] = 2
    return sc.Scenario.model_validate(
        {"name": "crowd", "issues": [{"id": "x", "label": "X", "status_quo": 50}], "actors": actors}
    )


def test_the_near_flip_check_runs_up_to_2000_numbers() -> None:
    # docs/brief.md: near_flip_unchecked when "the scenario has more than 2,000 coded numbers"
    at, above = _crowd(1), _crowd(2)
    assert (len(coded_numbers(at)), len(coded_numbers(above))) == (2000, 2001)
    kinds = [f.kind for f in brief(at, ["compromise"], draws=1, calibrated=False).flags]
    assert "near_flip_unchecked" not in kinds
    flags = brief(above, ["compromise"], draws=1, calibrated=False).flags
    (flag,) = [f for f in flags if f.kind == "near_flip_unchecked"]
    assert flag.message == (
        "The scenario has more than 2,000 coded numbers, so the check that no single number "
        "is within a few percent of flipping the verdict was not run: run `statecraft "
        "sensitivity` on the numbers you doubt most."
    )
