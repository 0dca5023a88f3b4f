"""The run store's secrets and failures at every front door: a password in a store URL
never shows (CLI errors, `runs list`, the web's /api/runs, its error bodies and its log, a
Store's location and repr); `serve` checks its store before it starts; the web app says
why a run was not recorded; a damaged store is never a 500."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from statecraft import forecast
from statecraft.cli import app as cli
from statecraft.io._validate import build_scenario
from statecraft.store import StoreError, mask, open_store
from statecraft.store.backends import _SQLAlchemy
from tests.conftest import TINY
from tests.test_store_damage import _capped, _three

pytest.importorskip("sqlalchemy")

runner = CliRunner()
SECRET = "hunter2"
# a driver that is not installed, and one that is but whose server is not there (port 1)
MYSQL = f"mysql://analyst:{SECRET}@db.example/forecasts"
POSTGRES = f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:1/forecasts"
EC_FORECAST = {"scenario": "ec-emissions-1994", "models": ["compromise"]}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (MYSQL, "mysql://analyst:***@db.example/forecasts"),
        ("postgresql://u:p@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p@ss@h:5432/db", "postgresql://u:***@h:5432/db"),  # an unescaped @
        ("postgresql://u:p%40ss@h/db?sslmode=require", "postgresql://u:***@h/db?sslmode=require"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),  # no password: as it was
        ("sqlite:////tmp/runs.sqlite", "sqlite:////tmp/runs.sqlite"),
        ("/home/ann/runs:old@2020.sqlite", "/home/ann/runs:old@2020.sqlite"),  # a path
        (f"cannot use {MYSQL!r}: no driver", "cannot use 'mysql://analyst:***@db.example/"),
    ],
)
def test_mask(url: str, shown: str) -> None:
    assert mask(url).startswith(shown)
    assert "hunter2" not in mask(url)


def test_the_password_is_scrubbed_from_the_drivers_words() -> None:
    backend = _SQLAlchemy("postgresql+psycopg://ann:s3cr%40t@localhost:1/runs")
    assert backend.location == "postgresql+psycopg://ann:***@localhost:1/runs"
    assert backend.scrub("auth failed for ann with s3cr@t") == "auth failed for ann with ***"
    backend.close()


@pytest.mark.parametrize("url", [MYSQL, POSTGRES])
def test_no_password_from_the_command_line(url: str, tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    for args in (
        ["forecast", "ec-emissions-1994", "-m", "compromise", "--store", url],
        ["runs", "list", "--store", url],
        ["runs", "show", "latest", "--store", url],
        ["runs", "check", "--store", url],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, args
        assert SECRET not in result.output
        assert "analyst:***@" in result.output
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert SECRET not in str(caught.value)


def test_a_store_says_where_it_is_without_the_password(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:
        assert repr(s) == f"<Store {path}>"
    with open_store(path, write=False) as s:
        assert repr(s) == f"<Store {path} (read-only)>"


# --- serve -------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.Server.run replaced: the servers `serve` would have started."""
    uvicorn = pytest.importorskip("uvicorn")
    started: list[dict[str, Any]] = []

    def run(server: Any) -> None:
        started.append({"host": server.config.host, "port": server.config.port})

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return started


def test_serve_checks_its_store_before_it_starts(
    served: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = tmp_path / "newer.sqlite"
    _three(newer)
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("UPDATE statecraft_meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database " * 500)
    for store, says in (
        (MYSQL, "mysql://analyst:***@db.example/forecasts"),
        (str(newer), "has schema version 7, written by a newer Statecraft"),
        (str(junk), "file is not a database"),
    ):
        result = runner.invoke(cli, ["serve", "--store", store])
        assert result.exit_code == 2, store
        assert says in result.output
        assert "the server could not record its runs (or give --no-store)" in result.output
        assert SECRET not in result.output
    assert served == []  # no server started
    assert runner.invoke(cli, ["serve", "--store", MYSQL, "--no-store"]).exit_code == 0
    good = tmp_path / "good.sqlite"
    assert runner.invoke(cli, ["serve", "--store", str(good)]).exit_code == 0
    assert len(served) == 2
    with open_store(good) as s:  # the check took its write back
        assert len(s) == 0


# --- the web app -------------------------------------------------------------------------


def _client(store: str, **kw: Any) -> Any:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2")
    from fastapi.testclient import TestClient

    from statecraft.web import create_app

    return TestClient(create_app(store=store, **kw), base_url="http://localhost")


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_no_password_from_the_web(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg")
    log = logging.getLogger("statecraft.web")
    kept = _Kept()
    monkeypatch.setattr(log, "disabled", False)  # whatever configured logging before
    log.addHandler(kept)
    try:
        _ask_the_web(kept)
    finally:
        log.removeHandler(kept)


def _ask_the_web(kept: _Kept) -> None:
    for url in (MYSQL, POSTGRES):
        with _client(url) as client:
            answers = [
                client.get("/api/runs"),
                client.get("/api/runs/abcd"),
                client.post(
                    "/api/forecast",
                    json={"scenario": "ec-emissions-1994", "models": ["compromise"]},
                ),
            ]
        assert [a.status_code for a in answers] == [503, 503, 200]
        for a in answers:
            assert SECRET not in a.text
            assert "analyst:***@" in a.text
        body = answers[2].json()
        assert body["run_id"] is None
        assert body["not_recorded"].startswith("cannot use 'mysql://analyst:***@") or (
            "postgresql+psycopg://analyst:***@127.0.0.1:1/forecasts" in body["not_recorded"]
        )
        assert body["forecast"]["issues"]  # the result stands
    assert len(kept.lines) == 2
    assert all(line.startswith("a run was not recorded: ") for line in kept.lines)
    assert "analyst:***@" in kept.lines[0]
    assert SECRET not in "".join(kept.lines)


def test_the_web_says_why_a_run_was_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:
        s.save(forecast(build_scenario(TINY, file=None), "compromise"))
    with _client(str(path)) as client:
        _capped(monkeypatch)  # the disk fills once the server is up
        body = client.post("/api/forecast", json=EC_FORECAST).json()
        assert body["run_id"] is None
        assert "the disk is full (database or disk is full)" in body["not_recorded"]
        compared = client.post(
            "/api/compare", json={"scenario": "karabakh-2020", "patches": ["us-engaged"]}
        ).json()
        assert "the disk is full" in compared["not_recorded"]
        monkeypatch.undo()
        body = client.post("/api/forecast", json=EC_FORECAST).json()
        assert body["run_id"] is not None
        assert body["not_recorded"] is None
    with _client(str(path), record=False) as client:
        body = client.post("/api/forecast", json=EC_FORECAST).json()
        assert body == {
            **body,
            "run_id": None,
            "not_recorded": "this server keeps no runs (--no-store)",
        }


def test_a_study_says_why_it_was_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:
        s.save(forecast(build_scenario(TINY, file=None), "compromise"))
    with _client(str(path)) as client:
        _capped(monkeypatch)
        started = client.post("/api/studies", json={"scenario": "karabakh-2020", "draws": 200})
        assert started.status_code == 202
        deadline = time.monotonic() + 60
        while True:
            state = client.get(f"/api/studies/{started.json()['id']}").json()
            if state["status"] not in ("running", "recording") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert state["status"] == "done"
    assert state["result"]["draws"] == 200
    assert state["run_id"] is None
    assert "the disk is full" in state["not_recorded"]


def test_a_damaged_store_is_never_a_500(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    a, x, _ = _three(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE statecraft_runs SET models = '{' WHERE id = ?", (x,))
    conn.close()
    with _client(str(path)) as client:
        listed = client.get("/api/runs")
        assert listed.status_code == 200
        status = {r["id"]: r["status"] for r in listed.json()}
        assert status[x] == "unreadable"
        assert status[a] == "complete"
        one = client.get(f"/api/runs/{x}")
        assert one.status_code == 503
        assert f"run {x} in {path} cannot be read: its models is not JSON" in one.json()["error"]
        assert client.get(f"/api/runs/{a}").status_code == 200
        assert client.get("/api/runs/00000000").status_code == 404
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x00garbage" * 1000)
    with _client(str(junk), record=False) as client:
        answer = client.get("/api/runs")
        assert answer.status_code == 503
        assert "file is not a database" in json.loads(answer.text)["error"]
