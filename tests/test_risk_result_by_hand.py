"""The risk analysis's result by hand (issue 22, ``_risk_result``): its JSON, table and
repr field by field, on a result put together by hand, as docs/risk.md's "Signatures" lists
its fields (``Risk``: ``dyads`` with ``a``, ``b``, ``risk`` and ``shift``, each a ``Band``
of ``median``, ``interval80`` and ``mean``; ``issues``; ``focus``; ``guarantors``;
``rests_on``; ``settlement``), and the memory the refusal of a too large analysis asks
for."""

from __future__ import annotations

from typing import Any

import pytest

from statecraft.analysis._risk_result import Band, DyadRisk, Guarantor, IssuePressure, Risk
from statecraft.analysis._risk_study import check_size, tally_bytes
from statecraft.errors import MemoryLimitError


def _band(median: float, lo: float, hi: float, mean: float) -> Band:
    return Band(median, (lo, hi), mean)


def _result(**kw: Any) -> Risk:
    """A result put together by hand (the numbers are arbitrary and distinct, so that each
    lands where the docs say): two dyads (the first with a shift), an issue with a leader
    and one without, four guarantors the settlement rests on (each effect's interval above
    0 and median at least 0.01), names for A only."""
    g = [
        Guarantor(k, _band(m, 0.01, 0.3, m + 0.001))
        for k, m in zip("defg", (0.2, 0.1, 0.05, 0.02), strict=True)
    ]
    fields: dict[str, Any] = {
        "scenario": "hand",
        "previous": "then",
        "seed": 3,
        "draws": 1000,
        "requested": 2000,
        "dyads": (
            DyadRisk("a", "b", _band(0.25, 0.125, 0.5, 0.3), _band(0.0625, 0.0, 0.125, 0.07)),
            DyadRisk("a", "c", _band(0.1, 0.0, 0.2, 0.11)),
        ),
        "issues": (
            IssuePressure("x", _band(0.4, 0.2, 0.6, 0.41), "a", {"a": 0.41, "b": 0.0}),
            IssuePressure("y", _band(0.0, 0.0, 0.0, 0.0), None, {"a": 0.0, "b": 0.0}),
        ),
        "focus": ("a", "b"),
        "guarantors": tuple(g),
        "settlement": _band(0.3, 0.15, 0.55, 0.33),
        "names": {"a": "Alpha"},
    }
    fields.update(kw)
    return Risk(**fields)


def test_the_band_json() -> None:
    assert _band(0.5, 0.1, 0.9, 0.45).to_dict() == {
        "median": 0.5,
        "interval80": [0.1, 0.9],
        "mean": 0.45,
    }


def test_the_risk_json_field_by_field() -> None:
    """docs/risk.md's fields: each dyad's ``risk`` is its median, with its interval and
    mean, and ``shift`` only with an earlier moment; 1,000 of 2,000 draws is interrupted;
    the block (4,096, the default) is left out."""
    g = [
        {"actor": k, "effect": m, "interval80": [0.01, 0.3], "mean": m + 0.001}
        for k, m in zip("defg", (0.2, 0.1, 0.05, 0.02), strict=True)
    ]
    assert _result().to_dict() == {
        "scenario": "hand",
        "previous": "then",
        "seed": 3,
        "draws": 1000,
        "requested": 2000,
        "interrupted": True,
        "settlement": {"median": 0.3, "interval80": [0.15, 0.55], "mean": 0.33},
        "dyads": [
            {
                "a": "a",
                "b": "b",
                "risk": 0.25,
                "interval80": [0.125, 0.5],
                "mean": 0.3,
                "shift": {"median": 0.0625, "interval80": [0.0, 0.125], "mean": 0.07},
            },
            {"a": "a", "b": "c", "risk": 0.1, "interval80": [0.0, 0.2], "mean": 0.11},
        ],
        "issues": [
            {
                "issue": "x",
                "pressure": 0.4,
                "interval80": [0.2, 0.6],
                "mean": 0.41,
                "leader": "a",
                "by_actor": {"a": 0.41, "b": 0.0},
            },
            {
                "issue": "y",
                "pressure": 0.0,
                "interval80": [0.0, 0.0],
                "mean": 0.0,
                "leader": None,
                "by_actor": {"a": 0.0, "b": 0.0},
            },
        ],
        "focus": ["a", "b"],
        "guarantors": g,
        "rests_on": ["d", "e", "f", "g"],
    }


def test_a_run_stopped_before_its_first_draw_says_why_its_figures_are_null() -> None:
    """Ctrl-C before the first block: no draw, so every figure is NaN, null in the JSON.
    Under ``dyads`` and ``issues`` the reason is "no draw"; the settlement's NaN has no
    named reason and gets strict JSON's own."""
    nan = float("nan")
    empty = _band(nan, nan, nan, nan)
    r = _result(
        draws=0,
        dyads=(DyadRisk("a", "b", empty),),
        issues=(IssuePressure("x", empty, None, {}),),
        guarantors=(),
        settlement=empty,
    )
    nulls = r.to_dict()["nulls"]
    reasons = {n["path"]: n["reason"] for n in nulls}
    for path in ("/dyads/0/risk", "/dyads/0/interval80/1", "/dyads/0/mean", "/issues/0/pressure"):
        assert reasons[path] == "no draw"
    assert reasons["/issues/0/mean"] == "no draw"
    assert reasons["/settlement/median"] == "not a number: no value could be computed"
    assert len(nulls) == 4 + 4 + 4  # dyad, issue and settlement: median, two ends, mean


def test_the_risk_table_names_every_row() -> None:
    """``to_frame()``: dyads as "a|b", issues, guarantors, then the settlement on the focus
    dyad "a|b", with the band's median, ends and mean."""
    rows = _result().to_records()
    assert [(r["what"], r["key"]) for r in rows] == [
        ("dyad", "a|b"),
        ("dyad", "a|c"),
        ("issue", "x"),
        ("issue", "y"),
        ("guarantor", "d"),
        ("guarantor", "e"),
        ("guarantor", "f"),
        ("guarantor", "g"),
        ("settlement", "a|b"),
    ]
    assert rows[0] == {
        "what": "dyad",
        "key": "a|b",
        "median": 0.25,
        "p10": 0.125,
        "p90": 0.5,
        "mean": 0.3,
    }
    assert list(_result().to_frame().columns) == ["what", "key", "median", "p10", "p90", "mean"]


def test_the_risk_repr_line_by_line() -> None:
    """The riskiest dyad (the first) by name, Alpha for A and B's id where no name is
    given; the first three of the four guarantors the focus a-b rests on; each issue's
    pressure, with its leader where it has one."""
    assert repr(_result()).splitlines() == [
        "Risk('hand', 1,000 draws, seed 3)",
        "  riskiest dyad: Alpha-b 0.250 [0.125, 0.500]",
        "  the a-b settlement rests on: d (+0.200), e (+0.100), f (+0.050)",
        "  pressure on x: 0.400 (from Alpha)",
        "  pressure on y: 0.000",
    ]
    # the focus dyad's order as given, not its first actor twice
    assert "the b-a settlement" in repr(_result(focus=("b", "a")))
    # no dyad: no riskiest line
    assert repr(_result(dyads=())).splitlines()[1].startswith("  the a-b settlement")


def test_looking_up_a_dyad_or_issue_that_is_not_there() -> None:
    r = _result()
    assert r.dyad("b", "a").risk.median == 0.25  # either order
    with pytest.raises(KeyError, match="no dyad 'b'-'c'"):
        r.dyad("b", "c")
    with pytest.raises(KeyError, match="no settlement issue 'z'"):
        r.issue("z")
    assert (r.name("a"), r.name("b")) == ("Alpha", "b")


def test_the_memory_the_refusal_asks_for_is_the_least_that_holds() -> None:
    """3 actors on 16,380 settled issues keep 8 x 1,003 x (2 x 3 + 3 x 16,380 + 3 x 3 +
    16,380 + 1) = 8,024 x 65,536 = 525,860,864 bytes of histograms, 501.5 MiB: exactly
    half of 1,003 MiB. A budget of 1,000 MiB (half 500 MiB) is refused and told to give
    1003M: 1,003 MiB holds them (its half is 501.5 MiB) and 1,002 MiB does not."""
    assert tally_bytes(3, 16_380) == 8_024 * 65_536
    with pytest.raises(MemoryLimitError) as info:
        check_size(3, 16_380, 1_000 * 2**20)
    assert str(info.value) == (
        "the risk analysis of 3 actors (3 dyads) would keep about 501.5 MiB of histograms, "
        "more than its budget of 500.0 MiB (half the memory budget of 1,000.0 MiB): give "
        "--memory 1003M or more, or analyse fewer actors"
    )
    check_size(3, 16_380, 1_003 * 2**20)
    with pytest.raises(MemoryLimitError):
        check_size(3, 16_380, 1_002 * 2**20)
