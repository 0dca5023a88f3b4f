"""What the run store's errors say, found by a new user's trial: a password in a URL's query
string is masked like one before the @; a database's message is one line (no SQLAlchemy
link, no driver class, no damaged bytes quoted); a full disk and a read-only store are said
as such; a damaged store stops a command before it runs; a run listed as complete reads."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statecraft.cli import app as cli
from statecraft.store import Store, StoreError, mask, open_store
from statecraft.store import backends as backends_module
from statecraft.store.backends import _SQLite, words
from tests.test_store_damage import _page_size, _three
from tests.test_store_web import _client, served  # noqa: F401 - a fixture

runner = CliRunner()
SECRET = "hunter2"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"postgresql://u@h:1/x?password={SECRET}", "postgresql://u@h:1/x?password=***"),
        (
            f"postgresql://u@h/x?sslmode=require&sslpassword={SECRET}&application_name=sc",
            "postgresql://u@h/x?sslmode=require&sslpassword=***&application_name=sc",
        ),
        (f"mssql+pyodbc://h/x?PWD={SECRET}", "mssql+pyodbc://h/x?PWD=***"),
        (f"mssql://h/x;Pwd={SECRET};Trusted=yes", "mssql://h/x;Pwd=***;Trusted=yes"),
        (f"db://h/x?api_key={SECRET}&token={SECRET}", "db://h/x?api_key=***&token=***"),
        (f"db://h/x?client_secret={SECRET}", "db://h/x?client_secret=***"),
        # a driver's key=value connection string, quoted or not
        (f"host=h password={SECRET} dbname=x", "host=h password=*** dbname=x"),
        (f"host=h password='{SECRET} 2' dbname=x", "host=h password=*** dbname=x"),
        # nothing secret: as it was
        ("postgresql://u@h/x?sslmode=require&port=5", "postgresql://u@h/x?sslmode=require&port=5"),
        ("/data/runs?old/runs.sqlite", "/data/runs?old/runs.sqlite"),
    ],
)
def test_mask_hides_a_password_in_the_query(text: str, shown: str) -> None:
    assert mask(text) == shown


def test_a_database_message_in_one_line() -> None:
    said = (
        "(psycopg.OperationalError) connection failed: connection to server at "
        '"127.0.0.1", port 1 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?\n"
        "[SQL: SELECT 1]\n[parameters: {'a': 1}]\n"
        "(Background on this error at: https://sqlalche.me/e/21/e3q8)"
    )
    assert words(said) == (
        'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused; Is the server running on that host and accepting TCP/IP connections?"
    )
    blob = "Could not decode to UTF-8 column 'body' with text '{\"actors\": [\n\xff\xfe"
    assert words(blob) == "column 'body' holds bytes that are not UTF-8 text (a damaged page)"


def test_a_query_password_never_shows_and_errors_are_one_line(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://analyst@127.0.0.1:1/runs?password={SECRET}&sslmode=disable"
    for args in (
        ["forecast", "karabakh-2020", "-m", "compromise"],
        ["runs", "list"],
        ["runs", "check"],
        ["runs", "show", "latest"],
        ["runs", "export", "latest"],
        ["runs", "delete", "latest"],
    ):
        result = runner.invoke(cli, [*args, "--store", url])
        assert result.exit_code == 2, args
        assert SECRET not in result.output, args
        assert "?password=***&sslmode=disable" in result.output, args
        assert result.output.strip().count("\n") == 0, result.output  # one line
        assert "sqlalche.me" not in result.output
        assert "psycopg.OperationalError" not in result.output
        assert "Connection refused" in result.output
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert SECRET not in str(caught.value)
    assert "\n" not in str(caught.value)
    with _client(url) as client:
        answer = client.get("/api/runs")
    assert answer.status_code == 503
    assert SECRET not in answer.text
    assert "sqlalche.me" not in answer.text


# --- a full disk, a read-only store -------------------------------------------------------


def _failing_writes(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Every write transaction of a SQLite store fails with SQLite's ``message``."""
    real = _SQLite.transaction

    def transaction(self: _SQLite, *, write: bool) -> Any:
        if write:
            raise sqlite3.OperationalError(message)
        return real(self, write=write)

    monkeypatch.setattr(_SQLite, "transaction", transaction)


@pytest.mark.parametrize(("free", "full"), [(4096, True), (10 << 30, False)])
def test_an_io_error_on_a_full_disk_says_the_disk_is_full(
    free: int, full: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite says "disk I/O error" where a write finds no room (in WAL mode): beside a
    disk with (almost) nothing free that is a full disk; beside one with room, it is not
    called full."""
    path = tmp_path / "runs.sqlite"
    open_store(path).close()
    _failing_writes(monkeypatch, "disk I/O error")
    monkeypatch.setattr(backends_module, "_free_bytes", lambda path: free)
    result = runner.invoke(
        cli, ["forecast", "karabakh-2020", "-m", "compromise", "--store", str(path)]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    said = f"the run store {path}: the disk is full (4,096 bytes free)"
    assert (said in result.stderr) is full
    assert "disk I/O error" in result.stderr


def test_unable_to_open_beside_a_folder_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's "unable to open database file" for a store in a folder this user may not
    write (its journal files cannot be made there) is said to be a read-only store. (The
    tests may run as root, whom a mode does not stop: the refusal is put in place.)"""
    path = tmp_path / "runs.sqlite"
    open_store(path).close()

    def cannot_open(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(_SQLite, "_connect", staticmethod(cannot_open))
    monkeypatch.setattr(
        backends_module.os, "access", lambda p, mode: Path(p) != tmp_path.absolute()
    )
    result = runner.invoke(
        cli, ["forecast", "karabakh-2020", "-m", "compromise", "--store", str(path)]
    )
    assert result.exit_code == 2
    assert (
        f"cannot open the run store {path}: it is read-only to this user: its folder cannot "
        "be written"
    ) in " ".join(result.stderr.split())


# --- damaged pages ------------------------------------------------------------------------


def _scribbled(path: Path, word: bytes) -> None:
    """The text of the overflow pages holding ``word`` overwritten with 0xff bytes (their
    next-page numbers kept): the file's structure is whole, the text is not UTF-8."""
    size = _page_size(path)
    data = bytearray(path.read_bytes())
    pages = [
        k
        for k in range(1, len(data) // size)
        if word in data[k * size : (k + 1) * size] and data[k * size] not in (2, 5, 10, 13)
    ]
    assert pages, "no overflow page holds the word: the store's layout has changed"
    for k in pages:
        data[k * size + 4 : (k + 1) * size] = b"\xff" * (size - 4)
    path.write_bytes(bytes(data))


def test_damaged_text_is_listed_unreadable_and_a_new_run_mends_it(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    a, x, b = _three(path)  # x: Karabakh, whose scenario runs over overflow pages
    _scribbled(path, b"karabakh")
    where = ("--store", str(path))
    listed = {
        r["id"]: r
        for r in json.loads(runner.invoke(cli, ["runs", "list", "-f", "json", *where]).stdout)
    }
    assert listed[x]["status"] == "unreadable"  # not "complete": it cannot be shown
    assert listed[a]["status"] == listed[b]["status"] == "complete"
    shown = runner.invoke(cli, ["runs", "show", x, *where])
    assert shown.exit_code == 2
    assert (
        f"run {x} in {path} cannot be read: its input: column 'body' holds bytes that are "
        "not UTF-8 text (a damaged page)"
    ) in " ".join(shown.stderr.split())
    assert "{" not in shown.stderr  # no blob of stored JSON
    with _client(str(path), record=False) as client:
        one = client.get(f"/api/runs/{x}")
    assert one.status_code == 503
    assert "its input: column 'body' holds bytes that are not UTF-8 text" in one.json()["error"]
    assert "Could not decode" not in one.text
    # The file's pages are whole: a forecast of Karabakh runs, and writes the scenario's
    # text afresh, so the earlier run reads again.
    made = runner.invoke(cli, ["forecast", "karabakh-2020", "-m", "compromise", *where])
    assert made.exit_code == 0
    with open_store(path, create=False, write=False) as s:
        found = s.check()
    assert not found.damaged
    assert found.runs == 4


def _broken_pages(path: Path) -> None:
    """The root page of the runs table overwritten: SQLite's quick check fails."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'statecraft_runs'")
    page = root.fetchone()[0]
    conn.close()
    size = _page_size(path)
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xa5" * size)


def test_a_damaged_store_stops_serve_before_it_starts(
    served: list[dict[str, Any]],  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    path = tmp_path / "runs.sqlite"
    _three(path)
    _broken_pages(path)
    result = runner.invoke(cli, ["serve", "--store", str(path)])
    assert result.exit_code == 2
    assert f"the run store {path} is damaged (SQLite's quick check: " in result.output
    assert served == []
    opened = open_store(path)  # opening reads only the schema's pages
    assert isinstance(opened, Store)
    with pytest.raises(StoreError, match="is damaged"):
        opened.check_writable()
    opened.close()
    rows = runner.invoke(cli, ["runs", "list", *("--store", str(path))]).stdout
    assert "nan" not in rows  # what cannot be read shows as –
    assert "None" not in rows
    assert "│ –" in rows
