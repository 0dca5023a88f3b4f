"""Reading DEU-format tables: a small table made here, checked by hand; the real file when
../shared is there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import statecraft as sc
from statecraft.io.deu import read_deu
from tests.conftest import SHARED_DATA, requires_shared

HEADER = [
    "prnr",
    "isnr",
    "prname",
    "proc",
    "counvte",
    "intro",
    "pcom",
    "pep",
    "pde",
    "pfr",
    "scom",
    "sep",
    "sde",
    "sfr",
    "rp",
    "out",
]
ROWS = [
    # com at 100 (s 50), ep at 60 (s 100), de at 0 (s 80), fr empty: compromise 55/2.3 x ...
    [
        "p1",
        "p1i1",
        "Cars",
        "COD",
        "QMV",
        "26-01-00",
        "100",
        "60",
        "0",
        "",
        "50",
        "100",
        "80",
        "",
        "0",
        "50",
    ],
    [
        "p1",
        "p1i2",
        "Cars",
        "COD",
        "QMV",
        "26-01-00",
        "0",
        "100",
        "",
        "",
        "100",
        "",
        "",
        "",
        "",
        "20",
    ],
    [
        "p2",
        "p2i1",
        "Fish",
        "CNS",
        "Unanimity",
        "03-05-12",
        "40",
        "",
        "",
        "",
        "70",
        "",
        "",
        "",
        "40",
        "",
    ],
    [
        "p3",
        "p3i1",
        "Tax",
        "CNS",
        "Unanimity",
        "01-07-98",
        "30",
        "",
        "",
        "",
        "70",
        "",
        "",
        "",
        "",
        "30",
    ],
]


def _table(tmp_path: Path, rows: list[list[str]] = ROWS, sep: str = "\t") -> Path:
    path = tmp_path / "deu.tsv"
    lines = [sep.join(f'"{h}"' for h in HEADER)] + [sep.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_small_table_by_hand(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path))
    assert [i.issue for i in table.issues] == ["p1i1", "p1i2"]
    assert table.skipped == {
        "no outcome": 1,
        "fewer than two positions": 1,
        "position without salience (set to 50)": 1,
    }
    first = table.issues[0]
    assert (first.proposal, first.procedure, first.voting_rule) == ("p1", "COD", "QMV")
    assert first.introduced == dt.date(2000, 1, 26)
    s = first.scenario
    assert s.actor_ids == ("com", "ep", "de")
    assert s.actor("com").stances["x"].salience.value == 0.5
    assert s.issues[0].status_quo is not None
    assert s.issues[0].status_quo.value == 0
    # equal capabilities: (0.5*100 + 1*60 + 0.8*0) / 2.3
    f = sc.forecast(s, "compromise")
    assert f.value("x", "compromise") == pytest.approx(110 / 2.3)
    # p1i2: the EP's missing salience is set to 50; no reference point, so no status quo
    second = table.issues[1].scenario
    assert second.actor("ep").stances["x"].salience.value == 0.5
    assert second.issues[0].status_quo is None


def test_missing_salience_can_leave_the_actor_out(tmp_path: Path) -> None:
    table = read_deu(_table(tmp_path), missing_salience=None)
    assert [i.issue for i in table.issues] == ["p1i1"]
    assert table.skipped["fewer than two positions"] == 2


def test_comma_separated(tmp_path: Path) -> None:
    assert len(read_deu(_table(tmp_path, sep=",")).issues) == 2


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (ROWS, ["prnr", "isnr", "pcom"], "missing column(s) rp, out"),
        ([[*ROWS[0][:-1], "high"]], HEADER, "column 'out': expected a number"),
        ([[*ROWS[0][:-1], "150"]], HEADER, "column 'out': DEU values lie on 0-100"),
    ],
)
def test_bad_tables(tmp_path: Path, rows: list[list[str]], header: list[str], message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("\n".join(["\t".join(header)] + ["\t".join(r) for r in rows]) + "\n")
    with pytest.raises(sc.ScenarioError) as info:
        read_deu(path)
    assert message in str(info.value)


def test_unknown_capability_rule(tmp_path: Path) -> None:
    with pytest.raises(sc.ScenarioError, match="unknown capability rule 'gdp'"):
        read_deu(_table(tmp_path), capability="gdp")


@requires_shared
def test_development_file_reference_figure() -> None:
    table = read_deu(SHARED_DATA / "deu3" / "deu3-dev.tsv")
    assert len(table.issues) == 255
    assert table.skipped["no outcome"] == 11
    assert len(table.proposals) == 95
    errors = [
        abs(
            sc.forecast(i.scenario, "compromise").value("x", "compromise")
            - i.scenario.issues[0].actual.value
        )  # type: ignore[operator,union-attr]
        for i in table.issues
    ]
    assert f"{np.mean(errors):.1f}" == "23.7"  # the project's reference figure
