"""The scenario data model and its formats: immutability, arrays, round trips, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pytest

import statecraft as sc


def test_numbers_may_carry_source_and_note(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    a = s.actor("a")
    assert a.capability == sc.Quantity(value=3, source="test", note="the strongest")
    assert s.actor("b").capability.source is None
    assert float(a.stances["tax"].position) == 60.0


def test_scenario_is_immutable(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    with pytest.raises(pydantic.ValidationError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.actors[0].stances["tax"] = s.actors[0].stances["date"]  # type: ignore[index]
    assert isinstance(s.actors, tuple)


def test_arrays_hold_only_the_actors_taking_part(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    tax = sc.issue_arrays(s, "tax")
    assert tax.actor_ids == ("a", "b", "c")
    np.testing.assert_array_equal(tax.capability, [3, 1, 4])  # c's per-issue capability
    np.testing.assert_array_equal(tax.position, [60, 0, 100])
    np.testing.assert_array_equal(tax.salience, [1, 0.5, 0.25])
    assert (tax.status_quo, tax.actual, tax.width) == (20.0, 40.0, 100.0)
    date = sc.issue_arrays(s, "date")
    assert date.actor_ids == ("a", "b")
    assert date.status_quo is None


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_native_round_trip_is_lossless(fmt: str) -> None:
    for name in sc.builtin_names():
        s = sc.load(name)
        assert sc.read_text(sc.dumps(s, fmt), fmt) == s


def test_csv_round_trip_keeps_what_the_table_holds(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    back = sc.read_text(sc.dumps(s, "csv"), "csv", name="tiny")
    assert back.issues == s.issues
    assert back.actors == s.actors
    assert back.title is None  # the table has no place for the title


def test_csv_minimal_table(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "actor,issue,capability,position,salience\n"
        "north,border,2,10,0.9\nsouth,border,1,90,1\nnorth,trade,3,50,0.2\n"
    )
    s = sc.load(path)
    assert s.name == "mine"
    assert s.issue("border").scale.low == 0
    assert s.issue("border").scale.high == 100
    # north's capability is 2 from its first row; its 'trade' row gives 3 for that issue
    assert s.actor("north").capability.value == 2
    assert sc.issue_arrays(s, "trade").capability.tolist() == [3.0]


def test_save_and_load_by_suffix(tmp_path: Path, tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    for suffix in ("yaml", "json", "csv"):
        path = sc.save(s, tmp_path / f"out.{suffix}")
        assert sc.load(path).actors == s.actors


def test_format_sniffed_from_content(tmp_path: Path, tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    for fmt in ("yaml", "json", "csv"):
        path = tmp_path / f"no-suffix-{fmt}"
        path.write_text(sc.dumps(s, fmt))
        assert sc.load(path).actors == s.actors


def test_schema_describes_the_format() -> None:
    schema = sc.Scenario.model_json_schema()
    assert set(schema["required"]) == {"name", "issues", "actors"}
    quantity = schema["$defs"]["Quantity"]
    assert quantity["anyOf"][0] == {"type": "number"}
    assert quantity["anyOf"][1]["additionalProperties"] is False
    json.dumps(schema)


def test_builtins_validate_against_their_own_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = sc.Scenario.model_json_schema()
    for name in sc.builtin_names():
        jsonschema.validate(json.loads(sc.dumps(sc.load(name), "json")), schema)


def test_whole_numbers_are_written_plainly_and_exactly(tiny: dict[str, Any]) -> None:
    tiny["actors"][0]["capability"] = 1234567
    tiny["actors"][1]["capability"] = 0.1
    s = sc.Scenario.model_validate(tiny)
    text = sc.dumps(s, "yaml")
    assert "capability: 1234567\n" in text
    assert "value: 1234567" not in text
    for fmt in ("yaml", "json", "csv"):
        back = sc.read_text(sc.dumps(s, fmt), fmt, name="tiny")
        assert back.actor("a").capability.value == 1234567
        assert back.actor("b").capability.value == 0.1


def test_extreme_capability_units_change_nothing(tiny: dict[str, Any]) -> None:
    base = sc.forecast(sc.Scenario.model_validate(tiny), ["compromise", "median", "nash"])
    for factor in (1e300, 1e-300):
        scaled = {**tiny, "actors": [dict(a) for a in tiny["actors"]]}
        for actor in scaled["actors"]:
            cap = actor["capability"]
            value = cap["value"] if isinstance(cap, dict) else cap
            actor["capability"] = value * factor
        scaled["actors"][2] = {
            **scaled["actors"][2],
            "stances": {"tax": {"position": 100, "salience": 0.25}},
        }
        s = sc.Scenario.model_validate(scaled)
        f = sc.forecast(s, ["compromise", "median", "nash"])
        for model in ("compromise", "median", "nash"):
            assert f.value("date", model) == pytest.approx(base.value("date", model))
