"""Other tools' formats: KTAB's CSV and decide's input; telling formats apart; what each
cannot hold; round trips; ``statecraft convert``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from statecraft.cli import app
from statecraft.errors import ScenarioError
from statecraft.io import Format, detect_format, dumps, load, losses, read_text
from statecraft.io._validate import build_scenario
from statecraft.io.decide import parse_decide
from statecraft.io.ktab import parse_ktab
from statecraft.scenario import Scenario
from tests.conftest import SHARED_DATA, TINY, requires_shared

runner = CliRunner()

KTAB = """Test Case,A small test,3,2,
Actor,Description,Power,Oil Position,Oil Salience,Gas Position,Gas Salience,
A1, First actor, 100, 10.5, 40, 90, 60,
A2, Second actor, 50.5, 80, 70, 20, 30,
Big Co,, 25, 50, 100, 50, 0,
"""

DECIDE = "\n".join(
    "\t".join(row)
    for row in [
        ["'#A'", "'us'", "'United States'", "''"],
        ["'#A'", "'eu'", "'eu'", "'the Union'"],
        ["'#P'", "'cuts'", "'Emission cuts'", "'by 2030'"],
        ["'#M'", "'cuts'", "0"],
        ["'#M'", "'cuts'", "50"],
        ["'#M'", "'cuts'", "100"],
        ["'#P'", "'money'", "'money'", "''"],
        ["'#M'", "'money'", "0.5"],
        ["'#M'", "'money'", "7"],
        ["'#D'", "'us'", "'cuts'", "20.0", "0.8", "1.0"],
        ["'#D'", "'us'", "'money'", "2", "0.5", "0.4"],
        ["'#D'", "'eu'", "'cuts'", "80", "0.9", "0.6"],
    ]
)


# --- KTAB ---------------------------------------------------------------------------------


def test_ktab_by_hand() -> None:
    s = parse_ktab(KTAB, file="case.csv")
    assert s.name == "Test-Case"
    assert s.title == "Test Case"
    assert s.description == "A small test"
    assert [(i.id, i.label, i.scale.low, i.scale.high) for i in s.issues] == [
        ("Oil", "Oil", 0, 100),
        ("Gas", "Gas", 0, 100),
    ]
    assert s.actor_ids == ("A1", "A2", "Big-Co")
    a1 = s.actor("A1")
    assert a1.capability.value == 100
    assert a1.description == "First actor"
    assert a1.stances["Oil"].position.value == 10.5
    assert a1.stances["Oil"].salience.value == pytest.approx(0.4)
    big = s.actor("Big-Co")
    assert big.name == "Big Co"  # the id is made from the name, which is kept
    assert big.stances["Gas"].salience.value == 0


def test_ktab_first_lines_in_the_wild() -> None:
    # KTAB's six-dimension example adds a cell after the counts; a description may hold
    # commas; KTAB's test files name columns Pstn1/Sal1.
    text = (
        "Combined,All six, or so,2,1,0,,,\n"
        "Actor,Description,Influence,Pstn1,Sal1\n"
        "a,x,1,10,50\n"
        "b,y,2,90,50\n"
    )
    s = parse_ktab(text)
    assert s.description == "All six, or so"
    assert [(i.id, i.label) for i in s.issues] == [("dim1", "Dimension 1")]
    assert detect_format("x.csv", text) is Format.KTAB
    # a blank line after the title line (a trial's file was taken for a CSV table)
    spaced = text.replace("\n", "\n\n", 1)
    assert detect_format("x.csv", spaced) is Format.KTAB
    assert read_text(spaced, "ktab").description == "All six, or so"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a,b\n", "a KTAB file has a first line", None),
        ("T,d,x,y,\nActor,Description,Power,P,S\na,b,1,2,3\n", "number of actors", 1),
        ("T,d,1,2,\nActor,Description,Power,P,S\na,b,1,2,3\n", "the header must have", 2),
        ("T,d,2,1,\nActor,Description,Power,P,S\na,b,1,2,3\n", "says 2 actors", 1),
        ("T,d,1,1,\nActor,Description,Power,P,S\na,b,1,2\n", "needs 5 cells", 3),
        ("T,d,1,1,\nActor,Description,Power,P,S\na,b,lots,2,3\n", "power: expected a finite", 3),
        ("T,d,1,1,\nActor,Description,Power,P,S\na,b,1,2,300\n", "values lie on 0..100", 3),
    ],
)
def test_ktab_bad_input(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        parse_ktab(text, file="bad.csv")
    if line is not None:
        assert f"bad.csv, line {line}" in str(info.value)


# --- decide -------------------------------------------------------------------------------


def test_decide_by_hand() -> None:
    s = parse_decide(DECIDE, file="talks.csv", name="talks")
    assert s.name == "talks"
    cuts, money = s.issues
    assert (cuts.id, cuts.label, cuts.description) == ("cuts", "Emission cuts", "by 2030")
    assert (cuts.scale.low, cuts.scale.high) == (0, 100)
    assert (money.scale.low, money.scale.high) == (0.5, 7)  # from the #M points
    us, eu = s.actors
    assert us.name == "United States"
    assert eu.name is None
    assert eu.description == "the Union"
    # power differs by issue: the largest is the actor's, the others the issue's own
    assert us.capability.value == 1.0
    assert us.capability_on("cuts") == 1.0
    assert us.capability_on("money") == 0.4
    assert us.stances["money"].position.value == 2
    assert us.stances["money"].salience.value == 0.5
    assert "money" not in eu.stances  # no #D record: it sits the issue out
    assert eu.capability.value == 0.6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("'#D'\t'us'", "'#D'\t'nobody'"), "no #A record: 'nobody'"),
        (("'#D'\t'eu'\t'cuts'", "'#D'\t'eu'\t'nothing'"), "no #P record: 'nothing'"),
        (("0.9\t0.6", "0.9\t0"), "power must be above 0"),
        (("0.9\t0.6", "0.9\tmuch"), "power: expected a finite number"),
        (("0.9\t0.6", "1.9\t0.6"), "salience"),
        (("'#M'\t'money'\t7", "'#X'\t'money'\t7"), "starts with #A"),
        (("'#M'\t'money'\t7", ""), "needs two #M scale points"),
    ],
)
def test_decide_bad_input(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in DECIDE
    with pytest.raises(ScenarioError, match=message):
        parse_decide(DECIDE.replace(old, new), file="bad.csv")


# --- telling formats apart ------------------------------------------------------------------


def test_formats_are_told_by_content(tmp_path: Path) -> None:
    assert detect_format("a.csv", KTAB) is Format.KTAB
    assert detect_format("a.txt", KTAB) is Format.KTAB
    assert detect_format("a.csv", DECIDE) is Format.DECIDE
    assert detect_format("data.txt", DECIDE) is Format.DECIDE
    table = dumps(build_scenario(TINY, file=None), "csv")
    assert detect_format("a.csv", table) is Format.CSV
    for name, text in (("k.csv", KTAB), ("d.txt", DECIDE)):
        path = tmp_path / name
        path.write_text(text)
        assert load(path).actors  # load() reads them as they are


# --- round trips and what is lost -----------------------------------------------------------


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _same(a: Scenario, b: Scenario) -> bool:
    return _close(a.to_data(), b.to_data())


names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
hundredths = st.integers(0, 10_000).map(lambda n: n / 100)
saliences = st.integers(1, 10_000).map(lambda n: n / 10_000)


@st.composite
def plain_scenarios(draw: st.DrawFn) -> Scenario:
    """Scenarios with nothing but numbers on 0-100 scales: what every format holds."""
    issues = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    actors = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    data = {
        "name": draw(names),
        "issues": [{"id": i, "label": i} for i in issues],
        "actors": [
            {
                "id": a,
                "capability": draw(st.integers(1, 10_000).map(lambda n: n / 100)),
                "stances": {
                    i: {"position": draw(hundredths), "salience": draw(saliences)} for i in issues
                },
            }
            for a in actors
        ],
    }
    return build_scenario(data, file=None)


@settings(max_examples=60, deadline=None)
@given(plain_scenarios(), st.sampled_from(["yaml", "json", "csv", "ktab", "decide"]))
def test_what_a_format_says_it_holds_comes_back(s: Scenario, fmt: str) -> None:
    text = dumps(s, fmt)
    back = read_text(text, fmt, name=s.name)
    if fmt == "ktab":  # KTAB names a scenario by its title
        back = back.model_copy(update={"name": s.name, "title": None})
    assert losses(s, fmt) == []
    assert _same(back, s)


@pytest.mark.parametrize("fmt", ["csv", "ktab", "decide"])
def test_what_a_format_cannot_hold_is_listed(fmt: str) -> None:
    s = load("karabakh-2020")
    lost = losses(s, fmt)
    assert any("sources" in line for line in lost)
    assert any("ranges" in line for line in lost)
    if fmt != "csv":  # the table keeps the status quo and the outcome
        assert any("status quo" in line for line in lost)
    # and what is not listed comes back: positions and saliences, issue by issue
    back = read_text(dumps(s, fmt), fmt, name=s.name)
    for actor in s.actors:
        for issue, stance in actor.stances.items():
            other = back.actor(actor.id).stances[issue]
            width = s.issue(issue).scale.width
            assert other.position.value * width / 100 == pytest.approx(
                stance.position.value
            ) or other.position.value == pytest.approx(stance.position.value)
            assert other.salience.value == pytest.approx(stance.salience.value)


def test_ktab_rescales_other_scales() -> None:
    s = load("ec-emissions-1994")  # years, 4 to 10 or so
    assert any("rescaled to KTAB's 0..100" in line for line in losses(s, "ktab"))
    back = read_text(dumps(s, "ktab"), "ktab")
    scale = s.issues[0].scale
    for actor in s.actors:
        mine = actor.stances[s.issues[0].id].position.value
        theirs = back.actor(actor.id).stances[s.issues[0].id].position.value
        assert theirs == pytest.approx(100 * (mine - scale.low) / scale.width)


@requires_shared
@pytest.mark.parametrize(
    "path",
    sorted((SHARED_DATA / "cases" / "ktab").glob("*.csv"))
    + sorted((SHARED_DATA / "cases" / "decide").glob("*"))
    if (SHARED_DATA / "cases").is_dir()
    else [],
    ids=lambda p: p.name,
)
def test_shipped_files_read_and_come_back_whole(path: Path) -> None:
    s = load(path)
    fmt = detect_format(path, path.read_text())
    assert fmt in (Format.KTAB, Format.DECIDE)
    assert losses(s, fmt) == []
    assert _same(read_text(dumps(s, fmt), fmt, name=s.name), s)
    assert _same(read_text(dumps(s, "yaml"), "yaml"), s)


@requires_shared
def test_shipped_file_sizes() -> None:
    cop21 = load(SHARED_DATA / "cases" / "decide" / "cop21.csv")
    assert (len(cop21.actors), len(cop21.issues)) == (15, 13)
    a160 = load(SHARED_DATA / "cases" / "ktab" / "dummyData-a160.csv")
    assert (len(a160.actors), len(a160.issues)) == (160, 1)
    six = load(SHARED_DATA / "cases" / "ktab" / "dummyData_6Dim.csv")
    assert (len(six.actors), len(six.issues)) == (27, 6)


# --- statecraft convert -------------------------------------------------------------------


def test_convert_lists_what_is_lost(tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    result = runner.invoke(app, ["convert", "karabakh-2020", str(out), "--to", "ktab"])
    assert result.exit_code == 0, result.output
    assert "note: the ktab format cannot hold all of karabakh-2020" in result.output
    assert "the status quo and the actual outcome" in result.output
    assert f"wrote {out} (ktab)" in result.output
    assert load(out).actor_ids == load("karabakh-2020").actor_ids


def test_convert_to_standard_output_and_back(tmp_path: Path) -> None:
    src = tmp_path / "talks.txt"
    src.write_text(DECIDE)
    result = runner.invoke(app, ["convert", str(src), "-", "--to", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # nothing lost, so nothing but the JSON
    assert data["name"] == "talks"
    yaml_out = tmp_path / "talks.yaml"
    assert runner.invoke(app, ["convert", str(src), str(yaml_out)]).exit_code == 0
    again = tmp_path / "again.txt"
    result = runner.invoke(app, ["convert", str(yaml_out), str(again), "--to", "decide"])
    assert result.exit_code == 0
    assert "cannot hold" not in result.output
    assert _same(load(again).model_copy(update={"name": "talks"}), load(src))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["karabakh-2020", "out.txt"], "cannot tell the output's format"),
        (["karabakh-2020", "out.csv", "--to", "excel"], "unknown format 'excel'"),
        (["nowhere.csv", "out.yaml"], "no such file"),
        (["s.yaml", "out.json", "--from", "ktab"], "a KTAB file has a first line"),
        (["s.yaml", "out.json", "--from", "excel"], "unknown format 'excel'"),
    ],
)
def test_convert_bad_input(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(json.dumps(TINY))
    result = runner.invoke(app, ["convert", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_forecast_reads_other_formats(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(KTAB)
    result = runner.invoke(app, ["forecast", str(path), "-m", "compromise", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.output)["issues"]) == {"Oil", "Gas"}
