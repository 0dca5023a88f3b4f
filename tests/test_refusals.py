"""The failures a probe found in the readers, one test each, with messages checked by hand:
the file, the line (counted by hand, blank lines included), the value as written and what
is allowed. The fuzzing of every reader is in ``test_fuzz_readers.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

import statecraft as sc
from statecraft.errors import MAX_MESSAGE, ScenarioError
from statecraft.io import detect_format, read_text
from statecraft.io.deu import read_deu

CELL_LIMIT = "a cell is longer than 131,072 characters, the most a CSV cell may hold"


def refusal(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        sc.load(path)
    return str(info.value)


# --- format detection and long cells -----------------------------------------------------


def test_a_long_description_on_the_first_lines_is_read(tmp_path: Path) -> None:
    """Format detection used the csv module, whose cells stop at 131,072 characters: a YAML
    file with a longer description on its first lines crashed. It is read now."""
    path = tmp_path / "long.yaml"
    path.write_text(
        "description: " + "a" * 200_000 + "\nname: long\nissues: [{id: x, label: X, "
        "scale: {low: 0, high: 1}}]\nactors: [{id: a, capability: 1, stances: "
        "{x: {position: 0.5, salience: 1}}}]\n"
    )
    assert len(sc.load(path).description) == 200_000


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ('"' + "a" * 200_000 + '",issue,capability,position,salience\n', ".csv"),
        ("'#A'\t'" + "a" * 200_000 + "'\t''\n", ".txt"),
        ('T,"' + "a" * 200_000 + '",1,1,\nActor,Description,Power,P,S\n', ".csv"),
    ],
)
def test_a_cell_over_the_csv_limit_is_refused_by_line(
    text: str, suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"long{suffix}"
    path.write_text(text)
    assert refusal(path) == f"{path}, line 1: malformed CSV: {CELL_LIMIT}"


def test_detection_reads_no_csv() -> None:
    long = "a" * 300_000
    assert detect_format("f.txt", f"'#A'\t'{long}'\n") == "decide"
    assert detect_format("f.csv", f"Name,{long},2,1,\nActor,Description,Power\n") == "ktab"
    assert detect_format("f", f'["{long}"]') == "json"


# --- decide ------------------------------------------------------------------------------

DECIDE = [
    "'#A'\t'us'\t'United States'\t''",  # 1
    "'#A'\t'eu'\t'Europe'\t''",  # 2
    "'#P'\t'cuts'\t'Cuts'\t''",  # 3
    "'#M'\t'cuts'\t0",  # 4
    "'#M'\t'cuts'\t100",  # 5
    "'#D'\t'us'\t'cuts'\t20\t0.5\t1",  # 6
    "'#D'\t'eu'\t'cuts'\t80\t0.9\t2",  # 7
    "",  # 8
]


def test_decide_reads_the_example() -> None:
    s = read_text("\n".join(DECIDE), "decide", file="d.txt", name="d")
    assert [a.id for a in s.actors] == ["us", "eu"]
    assert s.actors[1].capability.value == 2


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            "'#A'\t'us'\t'USA'\t''",
            "d.txt, line 9: #A actor 'us' twice, on lines 1 and 9; one #A per actor",
        ),
        (
            "'#P'\t'cuts'\t'Cuts again'\t''",
            "d.txt, line 9: #P issue 'cuts' twice, on lines 3 and 9; one #P per issue",
        ),
        (
            "'#D'\t'us'\t'cuts'\t90\t0.5\t1",
            "d.txt, line 9: #D for actor 'us' on issue 'cuts' twice, on lines 6 and 9; one #D "
            "per actor and issue",
        ),
        (
            "'#A'\t'us '\t'USA'\t''",  # cells are stripped: the same actor
            "d.txt, line 9: #A actor 'us' twice, on lines 1 and 9; one #A per actor",
        ),
    ],
)
def test_decide_duplicate_records_name_both_lines(record: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join([*DECIDE, record]), "decide", file="d.txt")
    assert str(info.value) == message


def test_decide_names_that_become_one_id() -> None:
    lines = ["'#A'\t'a b'\t''\t''", "'#A'\t'a-b'\t''\t''", *DECIDE[2:5]]
    lines += ["'#D'\t'a b'\t'cuts'\t20\t0.5\t1", "'#D'\t'a-b'\t'cuts'\t80\t0.5\t1"]
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "decide", file="d.txt")
    assert str(info.value) == (
        "d.txt, line 2: 'a b' (line 1) and 'a-b' (line 2) both become the id 'a-b'; rename one"
    )


def test_decide_validation_errors_name_the_record_line() -> None:
    lines = list(DECIDE)
    lines[6] = "'#D'\t'eu'\t'cuts'\t80\t1.7\t2"  # line 7: salience on 0-1
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "decide", file="d.txt")
    assert str(info.value).startswith(
        "d.txt, line 7 (actors[1].stances.cuts.salience): salience must lie between 0 and 1 "
        "(got 1.7)"
    )


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e999"])
def test_decide_numbers_must_be_finite(cell: str) -> None:
    lines = list(DECIDE)
    lines[5] = f"'#D'\t'us'\t'cuts'\t{cell}\t0.5\t1"
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "decide", file="d.txt")
    assert str(info.value) == f"d.txt, line 6: position: expected a finite number (got '{cell}')"


# --- KTAB --------------------------------------------------------------------------------

KTAB = [
    "T,d,2,1,",  # 1
    "",  # 2
    "Actor,Description,Power,P,S",  # 3
    "",  # 4
    "a,A,1,20,30",  # 5
    "",  # 6
    "b,B,1,60,30",  # 7
]


def test_ktab_lines_count_blank_lines() -> None:
    lines = list(KTAB)
    lines[6] = "b,B,1,60"  # line 7
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "ktab", file="k.csv")
    assert str(info.value) == (
        "k.csv, line 7: an actor row needs 5 cells (actor, description, power, then a "
        "position and a salience per dimension); this one has 4"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("b,B,1,60,170", "P salience: KTAB's values lie on 0..100 (got '170')"),
        ("b,B,1,60,170.50", "P salience: KTAB's values lie on 0..100 (got '170.50')"),
        ("b,B,1,-5,30", "P position: KTAB's values lie on 0..100 (got '-5')"),
        ("b,B,lots,60,30", "power: expected a finite number (got 'lots')"),
        ("b,B,nan,60,30", "power: expected a finite number (got 'nan')"),
    ],
)
def test_ktab_values_are_shown_as_written(row: str, message: str) -> None:
    lines = list(KTAB)
    lines[6] = row
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "ktab", file="k.csv")
    assert str(info.value) == f"k.csv, line 7: {message}"


def test_ktab_validation_errors_name_the_row() -> None:
    lines = list(KTAB)
    lines[6] = "b,B,0,60,30"  # power 0: the scenario refuses a capability of 0
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), "ktab", file="k.csv")
    assert str(info.value).startswith("k.csv, line 7 (actors[1].capability): ")


# --- DEU tables --------------------------------------------------------------------------

DEU_HEADER = "prnr\tisnr\tprname\tintro\tpcom\tpde\tscom\tsde\trp\tout"


def deu(tmp_path: Path, *rows: str, header: str = DEU_HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "t.tsv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def deu_refusal(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        read_deu(path)
    return str(info.value)


def test_deu_without_actor_columns(tmp_path: Path) -> None:
    path = deu(tmp_path, "p1\ti1\t0\t50", header="prnr\tisnr\trp\tout")
    message = deu_refusal(path)
    assert message.startswith(
        f"{path}, line 1: not a DEU table: no actor column; it needs p<actor> columns "
        "(positions, with s<actor> for saliences) for some of the actors com, ep, at, be,"
    )
    assert "concatenate" not in message


def test_deu_header_only(tmp_path: Path) -> None:
    path = deu(tmp_path)
    assert deu_refusal(path) == f"{path}, line 1: the DEU table has a header but no rows"


def test_deu_every_salience_zero(tmp_path: Path) -> None:
    path = deu(tmp_path, "p1\ti1\tCars\t26-01-00\t100\t0\t0\t0\t0\t50")
    assert deu_refusal(path) == (
        f"{path}: no issue of the DEU table can be used: every row was skipped "
        "(every salience 0: 1)"
    )


@pytest.mark.parametrize("isnr", ["-i1", "issue one", "i" * 65, "i/1"])
def test_deu_issue_ids_are_checked_without_pydantic_text(isnr: str, tmp_path: Path) -> None:
    path = deu(tmp_path, "", f"p1\t{isnr}\tCars\t26-01-00\t100\t0\t50\t50\t0\t50")
    message = deu_refusal(path)  # the row is on line 3: line 2 is blank
    shown = repr(isnr) if len(repr(isnr)) <= 80 else repr(isnr)[:77] + "..."
    assert message == (
        f"{path}, line 3: column 'isnr': an id starts with a letter or digit and holds "
        f"only letters, digits, '_', '-' and '.' (at most 64 characters) (got {shown})"
    )


def test_deu_proposal_ids_are_names(tmp_path: Path) -> None:
    """A proposal id names a scenario, which may be any text; an empty one is skipped."""
    row = "\ti1\tCars\t26-01-00\t100\t0\t50\t50\t0\t50"
    table = read_deu(deu(tmp_path, "2001/0267/COD" + row, row.replace("i1", "i2")))
    assert [i.proposal for i in table.issues] == ["2001/0267/COD"]
    assert table.skipped == {"no proposal id": 1}


def test_deu_duplicate_issue_names_both_lines(tmp_path: Path) -> None:
    row = "p1\ti1\tCars\t26-01-00\t100\t0\t50\t50\t0\t50"
    path = deu(tmp_path, row, "", row)
    assert deu_refusal(path) == (
        f"{path}, line 4: issue 'i1' has two rows, lines 2 and 4; an issue has one row"
    )


def test_deu_latin1_names_the_file_line_and_byte(tmp_path: Path) -> None:
    rows = ["p1\ti1\tCars\t26-01-00\t100\t0\t50\t50\t0\t50", "p1\ti2\tCafé\t26-01-00\t1\t2\t3"]
    path = deu(tmp_path, *rows, encoding="latin-1")
    # line 3 is "p1<tab>i2<tab>Caf" then the byte 0xe9: it is the 10th character
    assert deu_refusal(path) == (
        f"{path}, line 3: the file is not UTF-8 text: byte 0xe9 at column 10 cannot start or "
        "continue a UTF-8 character (a Latin-1 or Windows file?); save it as UTF-8"
    )


def test_deu_cell_over_the_csv_limit(tmp_path: Path) -> None:
    path = deu(tmp_path, "p1\ti1\t" + "x" * 140_000 + "\t26-01-00\t100\t0\t50\t50\t0\t50")
    assert deu_refusal(path) == f"{path}, line 2: malformed CSV: {CELL_LIMIT}"


def test_deu_text_with_nul(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        read_deu("upload", text=DEU_HEADER + "\np1\ti1\x00\n")
    assert str(info.value) == (
        "upload, line 2: the text holds a NUL character at column 6 (a binary file, or UTF-16 "
        "text?); a scenario is UTF-8 text"
    )


# --- JSON and YAML -----------------------------------------------------------------------

JSON_HEAD = '{"name": "x", "issues": [{"id": "a", "label": "A", "scale": {"low": '


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("NaN", "NaN and Infinity are not JSON numbers; give a finite number"),
        ("-Infinity", "NaN and Infinity are not JSON numbers; give a finite number"),
        ("1e400", "the number is too large: numbers lie within ±1.8e308"),
        ("-" + "9" * 400, "the number is too large: numbers lie within ±1.8e308"),
        ("9" * 309, "the number is too large: numbers lie within ±1.8e308"),  # 1e309 - 1
    ],
)
def test_json_refuses_what_json_does_not_hold(number: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(JSON_HEAD + number + ', "high": 1}}], "actors": []}')
    shown = repr(number) if len(repr(number)) <= 80 else repr(number)[:77] + "..."
    assert refusal(path) == f"{path} (issues[0].scale.low): {problem} (got {shown})"


@pytest.mark.parametrize("number", ["1e999", "-1e400", "9" * 400, "9" * 309])
def test_yaml_refuses_numbers_beyond_a_float(number: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\nissues:\n  - id: a\n    scale: {{low: {number}, high: 1}}\n")
    shown = repr(number) if len(repr(number)) <= 80 else repr(number)[:77] + "..."
    assert refusal(path) == (
        f"{path}, line 4: the number is too large: numbers lie within ±1.8e308 (got {shown})"
    )


def test_yaml_control_character(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\ntitle: a\x07b\n")
    assert refusal(path) == (
        f"{path}, line 2: malformed YAML: the character '\\x07' at column 9 is not allowed in "
        "YAML (control characters are not)"
    )


@pytest.mark.parametrize("text", ["&a [*a]\n", "name: x\nissues: &a {b: *a}\n"])
def test_yaml_alias_inside_its_anchor(text: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    assert refusal(path).startswith(
        f"{path}, line {text.count(chr(10))}: the YAML nests more than 64 levels deep, too deep "
        "for a scenario (is an alias inside the anchor it names?)"
    )


@pytest.mark.parametrize(
    ("value", "tag"),
    [("!!int abc", "!!int"), ("!!float x", "!!float"), ("!!timestamp 2001-99-99", "!!timestamp")],
)
def test_yaml_value_its_tag_cannot_take(value: str, tag: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\ntitle: {value}\n")
    written = value.split(" ", 1)[1]
    assert (
        refusal(path)
        == f"{path}, line 2: malformed YAML: not a valid {tag} value (got {written!r})"
    )


def test_json_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{\n  "name": "x",\n  "title": oops\n}')
    assert refusal(path) == f"{path}, line 3: malformed JSON: Expecting value (column 12)"


# --- encodings, byte-order marks, NUL ----------------------------------------------------


def test_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + sc.dumps(sc.load("ec-emissions-1994")).encode())
    assert sc.load(path).name == "ec-emissions-1994"
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + sc.dumps(sc.load("ec-emissions-1994"), "json").encode())
    assert sc.load(path).name == "ec-emissions-1994"


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_are_named(encoding: str, name: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("name: x\n".encode(encoding))
    assert refusal(path) == (
        f"{path}: the file is {name} text (it starts with a {name} byte-order mark); save it "
        "as UTF-8"
    )


def test_utf16_without_a_mark_is_told_by_its_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("actor,issue\n".encode("utf-16-le"))
    assert refusal(path).startswith(f"{path}, line 1: the text holds a NUL character at column 2")


def test_latin1_scenario_names_line_column_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("name: x\n\ntitle: Caf\xe9\n".encode("latin-1"))
    assert refusal(path) == (
        f"{path}, line 3: the file is not UTF-8 text: byte 0xe9 at column 11 cannot start or "
        "continue a UTF-8 character (a Latin-1 or Windows file?); save it as UTF-8"
    )


def test_nul_in_a_csv_table(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("actor,issue,capability,position,salience\n\na\x00,x,1,2,0.5\n")
    assert refusal(path).startswith(f"{path}, line 3: the text holds a NUL character at column 2")


# --- paths and message shape -------------------------------------------------------------


@pytest.mark.parametrize("name", ["a\x00b.yaml", "x" * 5000 + ".yaml"])
def test_unusable_paths(name: str) -> None:
    with pytest.raises(ScenarioError) as info:
        sc.load(name)
    message = str(info.value)
    assert "no such file" in message or "cannot read the file" in message
    assert len(message) <= MAX_MESSAGE


def test_messages_are_one_bounded_line(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("actor,issue,capability,position,salience," + "z" * 100_000 + "\n")
    message = refusal(path)
    assert message.startswith(f"{path}, line 1: unknown column 'zzzz")
    assert len(message) <= MAX_MESSAGE
    error = ScenarioError("first line\n  second line", file="f")
    assert str(error) == "f: first line second line"
