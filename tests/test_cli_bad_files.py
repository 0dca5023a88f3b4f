"""Nasty files through every command that reads one: exit status 2 and one line
``error: <file>...`` on the terminal, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from statecraft.cli import app

runner = CliRunner()

DEU_HEADER = "prnr\tisnr\tprname\tintro\tpcom\tpde\tscom\tsde\trp\tout\n"

#: name -> (bytes, what the one line says)
SCENARIOS: dict[str, tuple[bytes, str]] = {
    "long-cell.csv": (
        b'"' + b"a" * 200_000 + b'",issue,capability,position,salience\n',
        "a cell is longer than 131,072 characters",
    ),
    "latin1.yaml": ("name: x\ntitle: Caf\xe9\n".encode("latin-1"), "not UTF-8 text: byte 0xe9"),
    "utf16.yaml": ("name: x\n".encode("utf-16"), "UTF-16 text"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nests lists or mappings too deeply"),
    "nan.json": (b'{"name": NaN}', "NaN and Infinity are not JSON numbers"),
    "twice.txt": (
        b"'#A'\t'us'\t''\t''\n'#A'\t'us'\t''\t''\n",
        "#A actor 'us' twice, on lines 1 and 2",
    ),
    "bytes.yaml": (bytes(range(256)) * 4, "not UTF-8 text"),
    "nul.csv": (b"actor,issue,capability,position,salience\na\x00,x,1,2,0.5\n", "NUL character"),
    "huge.yaml": (b"name: x\nissues: [{scale: {low: 1e999}}]\n", "the number is too large"),
}

DEU_FILES: dict[str, tuple[bytes, str]] = {
    "header-only.tsv": (DEU_HEADER.encode(), "the DEU table has a header but no rows"),
    "no-actors.tsv": (b"prnr\tisnr\trp\tout\np1\ti1\t0\t50\n", "no actor column"),
    "bad-id.tsv": (
        (DEU_HEADER + "p1\ti 1\tCars\t26-01-00\t100\t0\t50\t50\t0\t50\n").encode(),
        "column 'isnr': an id starts with a letter or digit",
    ),
    "zero.tsv": (
        (DEU_HEADER + "p1\ti1\tCars\t26-01-00\t100\t0\t0\t0\t0\t50\n").encode(),
        "every row was skipped (every salience 0: 1)",
    ),
    "latin1.tsv": ((DEU_HEADER + "p1\ti1\tCaf\xe9\n").encode("latin-1"), "byte 0xe9"),
}


def one_error_line(result: Result, path: Path, expected: str) -> None:
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith(f"error: {path}"), lines[0]
    assert expected in lines[0], lines[0]
    assert "pydantic" not in lines[0]


Command = Callable[[Path, Path], list[str]]
SCENARIO_COMMANDS: dict[str, Command] = {
    "forecast": lambda f, _: ["forecast", str(f), "--no-store"],
    "validate": lambda f, _: ["validate", str(f)],
    "convert": lambda f, out: ["convert", str(f), str(out / "out.yaml")],
    "simulate": lambda f, _: ["simulate", str(f), "--draws", "10", "--no-store"],
    "sensitivity": lambda f, _: ["sensitivity", str(f)],
    "compare": lambda f, _: ["compare", str(f), "some-patch", "--no-store"],
    "plot": lambda f, out: ["plot", str(f), "winners", "-o", str(out / "x.png")],
    "report": lambda f, out: ["report", str(f), "-o", str(out / "x.html")],
}


@pytest.mark.parametrize("command", sorted(SCENARIO_COMMANDS))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_bad_scenario_files(command: str, name: str, tmp_path: Path) -> None:
    raw, expected = SCENARIOS[name]
    path = tmp_path / name
    path.write_bytes(raw)
    result = runner.invoke(app, SCENARIO_COMMANDS[command](path, tmp_path))
    one_error_line(result, path, expected)


@pytest.mark.parametrize("name", ["latin1.yaml", "deep.json", "bytes.yaml", "huge.yaml"])
def test_bad_patch_files(name: str, tmp_path: Path) -> None:
    raw, expected = SCENARIOS[name]
    path = tmp_path / name
    path.write_bytes(raw)
    result = runner.invoke(app, ["compare", "karabakh-2020", str(path), "--no-store"])
    one_error_line(result, path, expected)


@pytest.mark.parametrize("name", sorted(DEU_FILES))
def test_bad_deu_tables(name: str, tmp_path: Path) -> None:
    raw, expected = DEU_FILES[name]
    path = tmp_path / name
    path.write_bytes(raw)
    result = runner.invoke(app, ["backtest", str(path), "--replicates", "10", "--no-store"])
    one_error_line(result, path, expected)
    result = runner.invoke(app, ["plot", str(path), "backtest", "-o", str(tmp_path / "x.png")])
    one_error_line(result, path, expected)
