"""Every kind of bad input gives one clear error: file, place, value, and what is allowed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import statecraft as sc
from statecraft.io import MAX_FILE_BYTES


def _error(path: Path | str) -> sc.ScenarioError:
    with pytest.raises(sc.ScenarioError) as info:
        sc.load(path)
    return info.value


WriteYaml = Callable[[Any, str], Path]


# --- malformed files ------------------------------------------------------------------------
def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nissues:\n  - id: a\n    label: [unclosed\nactors: []\n")
    err = _error(path)
    assert err.file == str(path)
    assert err.line == 5
    assert "malformed YAML" in str(err)
    assert str(path) in str(err)


def test_malformed_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "name": "x",\n  "issues": [\n}\n')
    err = _error(path)
    assert "malformed JSON" in err.problem
    assert err.line == 4


def test_malformed_csv_row_length(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position,salience\na,x,1,50,0.5\nb,x,1,50\n")
    err = _error(path)
    assert err.line == 3
    assert "4 fields but the header has 5" in err.problem


def test_malformed_csv_quote(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('actor,issue,capability,position,salience\na,x,1,50,0.5\n"b,x,1,50,0.5\n')
    err = _error(path)
    assert "malformed CSV" in err.problem


def test_csv_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position\na,x,1,50\n")
    err = _error(path)
    assert "missing column(s) salience" in err.problem
    assert err.line == 1


def test_csv_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position,salience\na,x,1,high,0.5\n")
    err = _error(path)
    assert err.line == 2
    assert "'position': expected a finite number" in err.problem
    assert err.value == "high"


def test_csv_unknown_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position,salience,salince\na,x,1,5,0.5,1\n")
    assert "unknown column 'salince'" in _error(path).problem


def test_csv_duplicate_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position,salience\na,x,1,5,0.5\na,x,1,6,0.5\n")
    err = _error(path)
    assert err.line == 3
    assert "two rows for issue 'x' (first on line 2)" in err.problem


def test_csv_contradicting_issue_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "actor,issue,capability,position,salience,status_quo\na,x,1,5,0.5,10\nb,x,1,6,0.5,20\n"
    )
    err = _error(path)
    assert err.line == 3
    assert "'status_quo' differs" in err.problem


def test_csv_rows_validated_like_native(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,issue,capability,position,salience\na,x,1,5,0.5\nb,x,1,6,1.5\n")
    err = _error(path)
    assert err.line == 3
    assert "salience must lie between 0 and 1" in err.problem


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    assert "not UTF-8" in _error(path).problem


# --- ids --------------------------------------------------------------------------------------
def test_unknown_issue_id(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][1]["stances"]["taxes"] = {"position": 1, "salience": 0.1}
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 1, "stances", "taxes")
    assert "unknown issue id 'taxes'" in err.problem
    assert "tax, date" in err.problem
    assert err.line is not None


def test_unknown_actor_id_in_api(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    with pytest.raises(KeyError, match="no actor 'zeta'; the actors are: a, b, c"):
        s.actor("zeta")
    with pytest.raises(KeyError, match="no issue 'oil'; the issues are: tax, date"):
        s.issue("oil")


@pytest.mark.parametrize("kind", ["issues", "actors"])
def test_duplicate_id(kind: str, tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny[kind].append(dict(tiny[kind][0]))
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == (kind, len(tiny[kind]) - 1, "id")
    assert f"duplicate {kind[:-1]} id" in err.problem
    assert f"first used by {kind}[0]" in err.problem


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "name: x\nissues:\n  - {id: a, label: A}\nactors:\n  - id: p\n    capability: 1\n"
        "    stances:\n      a: {position: 1, salience: 1}\n      a: {position: 2, salience: 1}\n"
    )
    err = _error(path)
    assert err.line == 9
    assert "duplicate key 'a' (first on line 8)" in err.problem


def test_duplicate_json_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"name": "x", "name": "y"}')
    assert "duplicate key 'name'" in _error(path).problem


def test_bad_id_pattern(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][0]["id"] = "has space"
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 0, "id")
    assert err.value == "has space"
    assert "letters, digits" in err.problem


# --- values -----------------------------------------------------------------------------------
def test_position_outside_scale(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][0]["stances"]["date"]["position"] = 12
    path = write_yaml(tiny, "s.yaml")
    err = _error(path)
    assert err.path == ("actors", 0, "stances", "date", "position")
    assert err.value == 12
    assert "outside the scale 0..10 of issue 'date'" in err.problem
    line = path.read_text().splitlines()[err.line - 1]  # type: ignore[operator]
    assert "position: 12" in line


@pytest.mark.parametrize("field", ["status_quo", "actual"])
def test_status_quo_or_actual_outside_scale(
    field: str, tiny: dict[str, Any], write_yaml: WriteYaml
) -> None:
    tiny["issues"][0][field] = -5
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("issues", 0, field)
    assert "outside the issue's scale 0..100" in err.problem


@pytest.mark.parametrize("value", [1.5, -0.1])
def test_salience_outside_unit(value: float, tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][1]["stances"]["tax"]["salience"] = value
    path = write_yaml(tiny, "s.yaml")
    err = _error(path)
    assert err.path == ("actors", 1, "stances", "tax", "salience")
    assert f"salience must lie between 0 and 1 (got {value})" in err.problem
    assert str(path) in str(err)
    assert f"line {err.line}" in str(err)


@pytest.mark.parametrize("value", [0, -2.5])
def test_capability_not_positive(value: float, tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][1]["capability"] = value
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 1, "capability")
    assert "capability must be greater than 0" in err.problem
    assert f"got {value}" in err.problem


def test_per_issue_capability_not_positive(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][2]["stances"]["tax"]["capability"] = 0
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 2, "stances", "tax", "capability")


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
def test_nan_or_infinity_yaml(text: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: x\nissues:\n  - {id: a, label: A}\nactors:\n  - id: p\n    capability: 1\n"
        f"    stances:\n      a:\n        position: {text}\n        salience: 1\n"
    )
    err = _error(path)
    assert "finite number, not NaN or infinity" in err.problem
    assert err.line == 9
    assert err.path[:5] == ("actors", 0, "stances", "a", "position")


def test_nan_in_json(tmp_path: Path, tiny: dict[str, Any]) -> None:
    tiny["actors"][0]["capability"] = float("nan")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(tiny))
    err = _error(path)
    assert "finite number" in err.problem
    assert err.path[:3] == ("actors", 0, "capability")


def test_issue_without_positions(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["issues"].append({"id": "oil", "label": "Oil"})
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("issues", 2)
    assert "nobody takes a position on issue 'oil'" in err.problem
    assert err.line is not None


def test_issue_where_nobody_cares(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][0]["stances"]["date"]["salience"] = 0
    tiny["actors"][1]["stances"]["date"]["salience"] = 0
    err = _error(write_yaml(tiny, "s.yaml"))
    assert "every actor's salience on issue 'date' is 0" in err.problem


def test_scale_upside_down(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["issues"][1]["scale"] = {"low": 10, "high": 0}
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("issues", 1, "scale")
    assert "low end (10.0) must be below its high end (0.0)" in err.problem


# --- empty ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n", "{}\n", "# only a comment\n"])
def test_empty_file(text: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(text)
    assert "the scenario is empty" in _error(path).problem


@pytest.mark.parametrize("kind", ["issues", "actors"])
def test_no_issues_or_no_actors(kind: str, tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny[kind] = []
    err = _error(write_yaml(tiny, "s.yaml"))
    assert f"needs at least one {kind[:-1]}" in err.problem


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("actor,issue,capability,position,salience\n")
    assert "header but no rows" in _error(path).problem


# --- types and fields -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("actors", 0, "stances", "tax", "position"), "high", "expected a number"),
        (("actors", 0, "stances", "tax", "salience"), True, "expected a number"),
        (("actors", 0, "capability"), [1, 2], "expected a mapping"),
        (("actors", 0, "roles"), "belligerent", "expected a list"),
        (("issues", 0, "label"), 12, "expected text"),
        (("actors",), "everyone", "expected a list"),
    ],
)
def test_wrong_type(
    where: tuple[str | int, ...],
    value: Any,
    expected: str,
    tiny: dict[str, Any],
    write_yaml: WriteYaml,
) -> None:
    target: Any = tiny
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    err = _error(write_yaml(tiny, "s.yaml"))
    assert expected in err.problem
    assert err.path[: len(where)] == where
    assert err.line is not None


def test_top_level_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    assert "must be a mapping" in _error(path).problem


def test_unknown_field_is_refused_with_a_hint(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][0]["stances"]["tax"]["salince"] = 0.5
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 0, "stances", "tax", "salince")
    assert "unknown field 'salince' (did you mean 'salience'?)" in err.problem
    assert "allowed here: capability, position, salience" in err.problem


def test_unknown_top_level_field(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actor"] = []
    err = _error(write_yaml(tiny, "s.yaml"))
    assert "unknown field 'actor' (did you mean 'actors'?)" in err.problem


def test_unknown_field_in_number(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    tiny["actors"][1]["capability"] = {"value": 1, "sauce": "x"}
    err = _error(write_yaml(tiny, "s.yaml"))
    assert "unknown field 'sauce' (did you mean 'source'?)" in err.problem


def test_missing_required_field(tiny: dict[str, Any], write_yaml: WriteYaml) -> None:
    del tiny["actors"][0]["capability"]
    err = _error(write_yaml(tiny, "s.yaml"))
    assert err.path == ("actors", 0, "capability")
    assert "missing required field 'capability'" in err.problem


# --- files ------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nowhere.yaml")
    assert err.problem == "no such file"
    assert "nowhere.yaml" in str(err)


def test_unknown_builtin_name() -> None:
    err = _error("karabakh-2021")
    assert "nor a built-in scenario" in err.problem
    assert "karabakh-2020" in err.problem


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    assert _error(tmp_path).problem == "not a file (a folder)"


def test_a_device_is_not_a_regular_file() -> None:
    assert _error("/dev/null").problem == "not a regular file (a device, a pipe or a socket)"


def test_too_large_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    # Not even valid YAML: the size check must come first.
    path.write_bytes(b"[" * (MAX_FILE_BYTES + 1))
    err = _error(path)
    assert "a scenario file may be at most 4 MiB" in err.problem


def test_a_deu_table_too_large_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statecraft.io import _deu_rows, read_deu

    monkeypatch.setattr(_deu_rows, "MAX_TABLE_BYTES", 3 << 20)  # not 256 MiB of disk
    path = tmp_path / "huge.csv"
    path.write_bytes(b"," * ((3 << 20) + 1))
    with pytest.raises(sc.ScenarioError) as info:
        read_deu(path)
    assert info.value.problem == "the file is 3.0 MiB; a DEU table may be at most 3 MiB"
    assert info.value.file == str(path)


def test_alias_bomb_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 8):
        refs = ", ".join([f"*a{k - 1}"] * 10)
        lines.append(f"a{k}: &a{k} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert "too many for a scenario" in _error(path).problem


def test_csv_contradicting_scale(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "actor,issue,capability,position,salience,scale_high\na,x,1,5,0.5,10\nb,x,1,6,0.5,20\n"
    )
    err = _error(path)
    assert err.line == 3
    assert "issue 'x': scale 'high' differs from an earlier row" in err.problem


def test_csv_label_may_come_on_a_later_row(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        "actor,issue,capability,position,salience,issue_label\na,x,1,5,0.5,\nb,x,1,6,0.5,Ex\n"
    )
    assert sc.load(path).issue("x").label == "Ex"


def test_deep_nesting_refused(tmp_path: Path) -> None:
    for suffix, text in (
        ("json", '{"name": "k", "issues": ' + "[" * 3000 + "]" * 3000 + "}"),
        ("yaml", "name: k\nissues: " + "[" * 3000 + "]" * 3000 + "\n"),
    ):
        path = tmp_path / f"deep.{suffix}"
        path.write_text(text)
        assert "nests lists or mappings too deeply" in _error(path).problem


def test_huge_json_integer(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"name": ' + "9" * 5000 + "}")
    err = _error(path)
    assert err.problem == "the number is too large: numbers lie within ±1.8e308"
    assert err.path == ("name",)


def test_unknown_format_name(tmp_path: Path) -> None:
    with pytest.raises(sc.ScenarioError, match="unknown format 'xml'"):
        sc.load("karabakh-2020", fmt="xml")


def test_csv_contradicting_actor_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "actor,issue,capability,position,salience,actor_name\na,x,1,5,0.5,Alpha\na,y,1,6,0.5,Alfa\n"
    )
    err = _error(path)
    assert err.line == 3
    assert "actor 'a': actor column 'name' differs from an earlier row" in err.problem


def test_yaml_numbers_and_booleans_follow_yaml_1_2(tmp_path: Path) -> None:
    # In YAML 1.1 'NO' is false, 1e3 is text and 010 is eight
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: k\nissues:\n  - {id: x, label: X, scale: {low: 0, high: 1e3}}\nactors:\n"
        "  - {id: NO, capability: 010, stances: {x: {position: 1.5e2, salience: 1}}}\n"
    )
    s = sc.load(path)
    assert s.actors[0].id == "NO"
    assert s.actors[0].capability.value == 10
    assert s.issues[0].scale.high == 1000
    assert s.actors[0].stances["x"].position.value == 150
