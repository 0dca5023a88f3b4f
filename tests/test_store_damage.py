"""A run store that cannot be used: damaged (a row of bad JSON, overwritten pages, a file
that is no database), read-only, full, of a newer schema. Every command says so: `runs`
commands name or skip the runs they cannot read and `runs check` says which they are; a
command that records fails with status 2 rather than leave a run unrecorded in silence."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from statecraft import forecast, load
from statecraft.cli import app
from statecraft.io._validate import build_scenario
from statecraft.store import Store, StoreError, open_store
from statecraft.store.backends import _SQLite
from tests.conftest import TINY

runner = CliRunner()


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _three(path: Path) -> list[str]:
    """A store with three runs: EC emissions, Karabakh, EC emissions again."""
    with open_store(path) as s:
        return [
            s.save(forecast(load(name), "compromise"))
            for name in ("ec-emissions-1994", "karabakh-2020", "ec-emissions-1994")
        ]


def _sql(path: Path, statement: str, *params: Any) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement, params)
    conn.close()


# --- one row of bad JSON ----------------------------------------------------------------


def test_a_row_of_bad_json_is_named_by_every_runs_command(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    a, x, b = _three(path)
    _sql(path, "UPDATE statecraft_runs SET models = '[\"compro' WHERE id = ?", x)
    where = ("--store", str(path))

    listed = _cli("runs", "list", *where)
    assert listed.exit_code == 0
    assert {a, x, b} <= set(listed.stdout.split())
    assert f"1 run cannot be read ({x})" in listed.stderr
    rows = {r["id"]: r for r in json.loads(_cli("runs", "list", "-f", "json", *where).stdout)}
    assert rows[x]["status"] == "unreadable"
    assert rows[x]["created"] is None
    assert rows[a]["status"] == "complete"
    assert rows[a]["models"] == "compromise"

    for args in (["show", x], ["export", x], ["diff", a, x]):
        result = _cli("runs", *args, *where)
        assert result.exit_code == 2, args
        assert f"run {x} in {path} cannot be read: its models is not JSON" in result.stderr
    assert _cli("runs", "show", a, *where).exit_code == 0
    assert _cli("runs", "diff", a, b, *where).exit_code == 0

    check = _cli("runs", "check", *where)
    assert check.exit_code == 1
    assert "integrity: ok" in check.stdout  # the file is whole: the row's text is wrong
    assert "runs: 2 of 3 read back whole" in check.stdout
    assert x in check.stdout
    assert "models is not JSON" in check.stdout
    found = json.loads(_cli("runs", "check", "-f", "json", *where).stdout)
    assert found["damaged"] is True
    assert [u["id"] for u in found["unreadable"]] == [x]

    assert _cli("runs", "delete", x, *where).exit_code == 0  # an unreadable run can go
    assert _cli("runs", "check", *where).exit_code == 0


def test_bad_json_in_a_table_and_a_missing_input(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    a, x, b = _three(path)
    _sql(path, "UPDATE statecraft_results SET records = 'nan nan' WHERE run_id = ?", a)
    _sql(path, "PRAGMA foreign_keys = OFF")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM statecraft_inputs WHERE body LIKE '%karabakh%'")
    conn.close()
    with open_store(path, create=False, write=False) as s:
        found = s.check()
        with pytest.raises(StoreError, match=f"run {a} .* its table 'forecasts' is not JSON"):
            s.get(a)
        with pytest.raises(StoreError, match=f"run {a} .*: its table 'forecasts'"):
            s.table("forecasts")
        assert s.get(b).id == b
    assert found.damaged
    assert found.integrity == ("ok",)
    assert dict(found.unreadable)[x].startswith("its input (sha256")
    assert "table 'forecasts' is not JSON" in dict(found.unreadable)[a]


# --- overwritten pages --------------------------------------------------------------------


def _page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    return size


def test_an_overwritten_overflow_page_loses_one_run(tmp_path: Path) -> None:
    """The first overflow page holding Karabakh's text (its scenario, kept once, runs over
    several pages) gets a next-page number past the end of the file: SQLite then reads
    that run as 'database disk image is malformed'; the other two stay whole."""
    path = tmp_path / "runs.sqlite"
    a, x, b = _three(path)
    size = _page_size(path)
    data = bytearray(path.read_bytes())
    pages = [
        k
        for k in range(1, len(data) // size)  # page 1 (k = 0) holds the file header
        if b"karabakh" in data[k * size : (k + 1) * size]
        and data[k * size] not in (2, 5, 10, 13)  # not a b-tree page: an overflow page
        and int.from_bytes(data[k * size : k * size + 4], "big") != 0  # not its chain's last
    ]
    assert pages, "no overflow page of the Karabakh run: the store's layout has changed"
    data[pages[0] * size : pages[0] * size + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    where = ("--store", str(path))

    check = _cli("runs", "check", *where)
    assert check.exit_code == 1
    assert "integrity: damaged" in check.stdout
    assert "runs: 2 of 3 read back whole" in check.stdout
    assert x in check.stdout
    assert "database disk image is malformed" in check.stdout
    shown = _cli("runs", "show", x, *where)
    assert shown.exit_code == 2
    assert "is damaged (database disk image is malformed)" in shown.stderr
    assert "runs check" in shown.stderr
    for run in (a, b):
        assert _cli("runs", "export", run, *where).exit_code == 0
    assert _cli("runs", "list", *where).exit_code == 0


def test_an_overwritten_runs_table(tmp_path: Path) -> None:
    """The root page of statecraft_runs overwritten with garbage: no run can be read. The
    ids still read (from the table's index), so `runs list` and `runs check` name every run
    as unreadable; the commands that read one say the store is damaged (status 2); a
    forecast into it prints its results, then says it was not recorded, status 2."""
    path = tmp_path / "runs.sqlite"
    ids = _three(path)
    conn = sqlite3.connect(path)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'statecraft_runs'"
    ).fetchone()[0]
    conn.close()
    size = _page_size(path)
    with path.open("r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\xa5" * size)
    where = ("--store", str(path))
    listed = json.loads(_cli("runs", "list", "-f", "json", *where).stdout)
    assert sorted(r["id"] for r in listed) == sorted(ids)
    assert {r["status"] for r in listed} == {"unreadable"}
    for args in (["show", "latest"], ["export", ids[0]], ["delete", ids[0]]):
        result = _cli("runs", *args, *where)
        assert result.exit_code == 2, args
        assert "is damaged (database disk image is malformed)" in result.stderr
    check = _cli("runs", "check", "-f", "json", *where)
    assert check.exit_code == 1
    found = json.loads(check.stdout)
    assert found["damaged"]
    assert found["integrity"] != ["ok"]
    assert found["readable"] == 0
    assert {u["why"] for u in found["unreadable"]} == {"database disk image is malformed"}
    made = _cli("forecast", "ec-emissions-1994", "-m", "compromise", "-f", "json", *where)
    assert made.exit_code == 2
    assert json.loads(made.stdout)["issues"]  # the results, whole, on standard output
    assert "error: this run is not recorded: the run store" in made.stderr
    assert "damaged" in made.stderr


def test_a_file_that_is_no_database(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    path.write_bytes(os.urandom(4096) * 3)
    where = ("--store", str(path))
    for args in (["runs", "list"], ["runs", "check"], ["runs", "show", "latest"]):
        result = _cli(*args, *where)
        assert result.exit_code == 2, args
        assert "file is not a database" in result.stderr
    made = _cli("forecast", "ec-emissions-1994", "-m", "compromise", *where)
    assert made.exit_code == 2
    assert "file is not a database" in made.stderr
    assert "--no-store" in made.stderr
    assert made.stdout == ""  # refused before it ran


# --- full, read-only, newer -------------------------------------------------------------


def _capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SQLite connection may not grow its file: SQLite's own 'database or disk is
    full' (SQLITE_FULL) when a run is written, as on a full disk."""
    connect = _SQLite._connect

    def capped(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(_SQLite, "_connect", staticmethod(capped))


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "ec-emissions-1994", "-m", "compromise", "-f", "json"],
        ["simulate", "ec-emissions-1994", "-n", "20", "-f", "json"],
        ["compare", "karabakh-2020", "us-engaged", "-f", "json"],
    ],
)
def test_a_full_disk(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:  # a store of one small run: the next needs new pages
        s.save(forecast(build_scenario(TINY, file=None), "compromise"))
    _capped(monkeypatch)
    result = _cli(*args, "--store", str(path))
    assert result.exit_code == 2
    assert json.loads(result.stdout)  # the results are printed, then the error
    assert (
        f"error: this run is not recorded: cannot record the run in the run store {path}: "
        "the disk is full (database or disk is full)"
    ) in " ".join(result.stderr.split())
    monkeypatch.undo()
    with open_store(path) as s:
        assert len(s) == 1


def _query_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SQLite connection refuses to write, with SQLite's words for a read-only file
    (the tests may run as root, whom a file's mode does not stop)."""
    connect = _SQLite._connect

    def readonly(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(_SQLite, "_connect", staticmethod(readonly))


def test_a_read_only_store_refuses_a_run_before_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "runs.sqlite"
    _three(path)
    _query_only(monkeypatch)
    result = _cli("forecast", "ec-emissions-1994", "-m", "compromise", "--store", str(path))
    assert result.exit_code == 2
    assert f"the run store {path}: it is read-only to this user" in result.stderr
    assert "--no-store" in result.stderr
    assert result.stdout == ""


def test_a_read_only_store_is_read_read_only(tmp_path: Path) -> None:
    """The runs commands that read open the file read-only (SQLite's mode=ro): they list,
    show, export and check it, and write nothing; a write through them is refused."""
    path = tmp_path / "runs.sqlite"
    ids = _three(path)
    before = path.read_bytes()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        where = ("--store", str(path))
        assert _cli("runs", "list", *where).exit_code == 0
        assert json.loads(_cli("runs", "export", ids[0], *where).stdout)["id"] == ids[0]
        assert _cli("runs", "check", *where).exit_code == 0
        with open_store(path, create=False, write=False) as s:
            assert isinstance(s, Store)
            assert not s.writable
            with pytest.raises(StoreError, match="opened to read only"):
                s.save(forecast(load("ec-emissions-1994"), "compromise"))
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                s._db._conn.execute("DELETE FROM statecraft_meta")  # type: ignore[attr-defined]
        if os.geteuid() != 0:  # the file's mode stops a writer but root
            deleted = _cli("runs", "delete", ids[0], *where)
            assert deleted.exit_code == 2
            assert "read-only" in deleted.stderr or "readonly" in deleted.stderr
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)
    assert path.read_bytes() == before
    wal = tmp_path / "runs.sqlite-wal"  # SQLite's reader makes it where it may: empty
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_store_of_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    _three(path)
    _sql(path, "UPDATE statecraft_meta SET value = '99' WHERE key = 'schema_version'")
    made = _cli("forecast", "ec-emissions-1994", "-m", "compromise", "--store", str(path))
    assert made.exit_code == 2
    assert "has schema version 99, written by a newer Statecraft" in made.stderr
    assert made.stdout == ""
    listed = _cli("runs", "list", "--store", str(path))
    assert listed.exit_code == 2
    assert "upgrade Statecraft" in listed.stderr


def test_an_empty_store_file(tmp_path: Path) -> None:
    """A zero-byte file (the start of a store that was never written) has no runs."""
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"")
    assert "no runs recorded yet" in _cli("runs", "list", "--store", str(path)).stdout
    assert _cli("runs", "show", "latest", "--store", str(path)).exit_code == 2


# --- whatever the bytes ---------------------------------------------------------------------

_BASE: list[bytes] = []


def _base_store() -> bytes:
    """The bytes of a store of three runs, made once."""
    if not _BASE:
        import tempfile

        folder = Path(tempfile.mkdtemp())
        _three(folder / "runs.sqlite")
        _BASE.append((folder / "runs.sqlite").read_bytes())
    return _BASE[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=600)),
        min_size=1,
        max_size=4,
    )
)
def test_whatever_the_bytes_no_runs_command_crashes(patches: list[tuple[float, bytes]]) -> None:
    """Bytes overwritten anywhere in a store (the header included): every runs command ends
    with status 0, 1 (check: damaged) or 2 and a message, never a traceback."""
    import tempfile

    data = bytearray(_base_store())
    for where, junk in patches:
        at = int(where * len(data))
        data[at : at + len(junk)] = junk
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "runs.sqlite"
        path.write_bytes(bytes(data))
        for args in (
            ["list"],
            ["list", "-f", "json"],
            ["check"],
            ["show", "latest"],
            ["export", "latest"],
            ["diff", "latest", "latest"],
        ):
            result = _cli("runs", *args, "--store", str(path))  # no traceback, no exception
            assert result.exit_code in (0, 1, 2), (args, result.output)
            if result.exit_code == 2:
                assert result.stderr.startswith("error: "), (args, result.output)


def test_a_schema_damaged_past_decoding_is_named(tmp_path: Path) -> None:
    """Found by the test above: four bytes in the schema page make SQLite's own message
    quote a byte that is not UTF-8, which the sqlite3 module fails to decode. The place is
    in the schema's text on the first page (its 4,096 bytes), where hypothesis found it: a
    fixed offset, since a share of the file's length moves with what the runs hold."""
    data = bytearray(_base_store())
    at = 3844
    data[at : at + 4] = b"\x00\x00\x00\x80"
    path = tmp_path / "runs.sqlite"
    path.write_bytes(bytes(data))
    for args in (["list"], ["check"], ["show", "latest"]):
        result = _cli("runs", *args, "--store", str(path))
        assert result.exit_code in (1, 2), (args, result.output)
        assert "Traceback" not in result.output
