"""The run store under concurrent and killed writers, on every backend."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from statecraft import forecast
from statecraft.io._validate import build_scenario
from statecraft.store import (
    open_store,
)
from tests.conftest import ROOT, TINY

runner = CliRunner()
FIXTURE_V1 = ROOT / "tests" / "data" / "store-v1.sql"


def _tiny(**capability: float) -> Any:
    data = json.loads(json.dumps(TINY))
    for actor in data["actors"]:
        if actor["id"] in capability and isinstance(actor["capability"], dict):
            actor["capability"]["value"] = capability[actor["id"]]
        elif actor["id"] in capability:
            actor["capability"] = capability[actor["id"]]
    return build_scenario(data, file=None)


# --- concurrent and killed writers --------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from statecraft import forecast
    from statecraft.store import open_store
    from tests.test_store import _tiny

    location, ready, go, n = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    result = forecast(_tiny(), "compromise")
    if sys.argv[5] == "keep":
        with open_store(location) as store:
            ready.touch()
            while not go.exists():
                time.sleep(0.002)
            for _ in range(n):
                store.save(result)
    else:  # open, save, close: as many short commands would
        ready.touch()
        while not go.exists():
            time.sleep(0.002)
        for _ in range(n):
            with open_store(location) as store:
                store.save(result)
    """
)


def _wait_for(paths: list[Path], procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in paths):
        for proc in procs:
            assert proc.poll() is None, proc.communicate()[1].decode()
        assert time.monotonic() < deadline, "a child process never got ready"
        time.sleep(0.01)


def _python(code: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _writers_at_once(
    location: str, tmp_path: Path, *, processes: int, runs: int, mode: str
) -> None:
    """Start the writers, wait until each is ready, let them go together, see them end well."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{k}" for k in range(processes)]
    writers = [_python(WRITER, location, str(r), str(go), str(runs), mode) for r in ready]
    _wait_for(ready, writers)
    go.touch()
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err.decode()


def test_two_processes_writing_at_once_all_land(location: str, tmp_path: Path) -> None:
    open_store(location).close()  # created before, so that both find it
    _writers_at_once(location, tmp_path, processes=2, runs=15, mode="keep")
    with open_store(location) as s:
        assert len(s) == 30
        ids = s.runs()["id"].tolist()
        assert len(set(ids)) == 30
        assert all(s.get(i).frame("forecasts").shape[0] == 2 for i in ids)


def test_processes_opening_a_new_store_at_once(tmp_path: Path) -> None:
    """Short-lived writers that open a store not yet made, save and close, all at once:
    SQLite's lock on switching to WAL and on the last close's checkpoint is waited out."""
    location = str(tmp_path / "runs.sqlite")
    _writers_at_once(location, tmp_path, processes=4, runs=5, mode="reopen")
    with open_store(location) as s:
        assert len(s) == 20


KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from statecraft import forecast
    from statecraft.store import open_store
    import statecraft.store as sm
    from tests.test_store import _tiny

    location, ready = sys.argv[1], Path(sys.argv[2])
    with open_store(location) as store:
        store.save(forecast(_tiny(), "compromise"))
        store.save(forecast(_tiny(), "median"))

        def stalling(plain):
            def execute(self, sql, params=None):
                rows = plain(self, sql, params)
                if sql.startswith("INSERT INTO statecraft_results"):
                    ready.touch()  # the run's row and one table are written, not committed
                    time.sleep(600)
                return rows

            return execute

        for tx in (sm._SQLiteTx, sm._SQLAlchemyTx):
            tx.execute = stalling(tx.execute)
        store.save(forecast(_tiny(a=9), "compromise"))
    """
)


def test_a_killed_writer_leaves_the_earlier_runs(location: str, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    child = _python(KILLED, location, str(ready))
    _wait_for([ready], [child])
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    assert child.returncode == -signal.SIGKILL
    if "://" not in location:
        conn = sqlite3.connect(location)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    with open_store(location) as s:
        runs = s.runs()
        assert runs["models"].tolist() == ["median", "compromise"]  # the third is not there
        for run_id in runs["id"]:
            assert s.get(run_id).scenario() == _tiny()
        with s._db.transaction(write=False) as tx:
            assert tx.execute("SELECT COUNT(*) FROM statecraft_results")[0][0] == 4
            assert tx.execute("SELECT COUNT(*) FROM statecraft_inputs")[0][0] == 1
        s.save(forecast(_tiny(), "nash"))  # and the store takes new runs
        assert len(s) == 3
