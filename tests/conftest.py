"""Shared fixtures: a small valid scenario as data, file writers, and the shared data folder."""

from __future__ import annotations

import copy
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from statecraft.store import Store, open_store

# The `shared` marker: skipped without ../shared/data, a failure when skipped in CI.
pytest_plugins = ["tests.shared_marker", "pytester"]

# Property tests check results, not speed: no per-example deadline (a loaded 2-core CI
# machine made a 12 ms example take 320 ms once, and hypothesis reported a flaky failure).
settings.register_profile("statecraft", deadline=None)
settings.load_profile("statecraft")

ROOT = Path(__file__).resolve().parents[1]
# The folder that tests/shared_marker.py's shared_data() names (test_shared_marker.py checks
# that they agree; that module is not imported here, so that pytest can load it as a plugin).
SHARED_DATA = Path(os.environ.get("STATECRAFT_SHARED_DATA") or ROOT.parent / "shared" / "data")


def _renew_dask_offload_thread() -> None:
    """In a process forked from one that ran Dask: a fresh offload thread for Dask.

    distributed keeps one module-level thread pool (``distributed.utils._offload_executor``)
    to deserialise tasks. A forked child inherits the pool but not its thread, so its first
    task waits for ever. ``make mutation`` forks each mutant's test run from the process that
    ran every test once (mutmut's stats), so without this the Dask tests hung in every mutant
    until pytest-timeout stopped them (counted as a kill); ``tests/test_fork_dask.py``
    checks that a forked child runs a Dask study."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    dask_utils = sys.modules.get("distributed.utils")
    if dask_utils is not None and hasattr(dask_utils, "_offload_executor"):
        dask_utils._offload_executor = ThreadPoolExecutor(1, thread_name_prefix="Dask-Offload")


os.register_at_fork(after_in_child=_renew_dask_offload_thread)


def _forget_the_parents_forkserver() -> None:
    """In a forked child: forget multiprocessing's forkserver, which is the parent's.

    The web app's workers start through a forkserver (``statecraft.web.workers``). A child
    forked after that inherits the server's pid, and its next process start asks
    ``os.waitpid`` about a process that is not its child: ``ChildProcessError``. mutmut forks
    each mutant's test run from a process that ran every test once, so every mutant whose
    tests reach a web route failed that test for this reason alone (counted as a kill,
    whatever the mutant). The child closes only its own copy of the server's "alive" pipe
    (the parent's server goes on) and starts its own server when it needs one;
    ``tests/test_fork_forkserver.py`` checks that a forked child starts a process."""
    import sys
    import threading

    forkserver = sys.modules.get("multiprocessing.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    if server is None or server._forkserver_pid is None:
        return
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
    server._forkserver_alive_fd = None
    server._forkserver_address = None
    server._forkserver_pid = None
    server._lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_the_parents_forkserver)

#: For a test that reads SHARED_DATA: it skips with a message where the folder is absent,
#: and fails if it skips in CI (tests/shared_marker.py).
requires_shared = pytest.mark.shared

TINY: dict[str, Any] = {
    "name": "tiny",
    "title": "A tiny test scenario",
    "issues": [
        {
            "id": "tax",
            "label": "Tax rate",
            "scale": {"low": 0, "high": 100, "low_meaning": "no tax", "high_meaning": "all"},
            "status_quo": 20,
            "actual": 40,
        },
        {"id": "date", "label": "Start date", "scale": {"low": 0, "high": 10}},
    ],
    "actors": [
        {
            "id": "a",
            "name": "Alpha",
            "capability": {"value": 3, "source": "test", "note": "the strongest"},
            "roles": ["belligerent"],
            "stances": {
                "tax": {"position": 60, "salience": 1.0},
                "date": {"position": 2, "salience": 0.5},
            },
        },
        {
            "id": "b",
            "name": "Beta",
            "capability": 1,
            "stances": {
                "tax": {"position": 0, "salience": 0.5},
                "date": {"position": 8, "salience": 1.0},
            },
        },
        {
            "id": "c",
            "capability": 2,
            "stances": {"tax": {"position": 100, "salience": 0.25, "capability": 4}},
        },
    ],
}


@pytest.fixture
def tiny() -> dict[str, Any]:
    """A fresh deep copy of the tiny scenario's data, free to mutate."""
    return copy.deepcopy(TINY)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[Any, str], Path]:
    def write(data: Any, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _run_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test records its runs in a store of its own, never in the user's data folder."""
    monkeypatch.setenv("STATECRAFT_STORE", str(tmp_path_factory.mktemp("store") / "runs.sqlite"))
    monkeypatch.delenv("STATECRAFT_NO_STORE", raising=False)


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    candidates = [Path(found).parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on a Unix socket, as a SQLAlchemy URL without a
    database; skipped where PostgreSQL's programs or the psycopg driver are missing."""
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    folder = _postgres_bin()
    if folder is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            owner = None
        if owner is None or runuser is None:
            pytest.skip("running as root without a 'postgres' user to run PostgreSQL as")
        as_user = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="statecraft-pg-"))
    base.chmod(0o755)
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = base / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        subprocess.run(
            [*as_user, str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "statecraft"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_user,
                str(folder / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "log"),
                "-o",
                f"-k {base} -p {port} -c listen_addresses='' -c fsync=off",
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {exc}")
    try:
        yield f"postgresql+psycopg://statecraft@/{{database}}?host={base}&port={port}"
    finally:
        subprocess.run(
            [*as_user, str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new, empty database on the throwaway server, as a SQLAlchemy URL."""
    import sqlalchemy

    name = f"t{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(
        postgres_server.format(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return postgres_server.format(database=name)


# --- the run store: one per backend (SQLite by path, SQLite through SQLAlchemy, PostgreSQL)


@pytest.fixture(params=["sqlite", "sqlalchemy-sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "runs.sqlite")
    if request.param == "sqlalchemy-sqlite":
        pytest.importorskip("sqlalchemy")
        return f"sqlite+pysqlite:///{tmp_path / 'runs.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location) as opened:
        yield opened


@pytest.fixture(scope="session")
def dev_backtest() -> Any:
    """The backtest of the DEU III development file (every model and baseline, defaults,
    200 bootstrap replicates, seed 0, 10 folds), made once for the tests that read it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data folder {SHARED_DATA}, which is absent")
    from statecraft.analysis.backtest import backtest
    from statecraft.io.deu import read_deu

    return backtest(read_deu(SHARED_DATA / "deu3" / "deu3-dev.tsv"), replicates=200)
