"""The run store: what a run keeps, reading it back, diffs and the schema, on SQLite and
(where a server can be started) PostgreSQL. Concurrent and killed writers are in
test_store_processes.py, the command line in test_store_cli.py."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import statecraft.store as store_module
from statecraft import forecast, load
from statecraft.analysis.backtest import backtest
from statecraft.analysis.counterfactual import compare, load_patch
from statecraft.analysis.uncertainty import simulate
from statecraft.io._validate import build_scenario
from statecraft.io.deu import read_deu
from statecraft.io.native import dumps_json
from statecraft.store import (
    SCHEMA_VERSION,
    NoStore,
    Store,
    StoreError,
    _changes,
    _json,
    _SQLAlchemy,
    diff,
    open_store,
)
from tests.conftest import ROOT, TINY
from tests.test_deu import _table

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


def test_the_backends_are_the_ones_named(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.sqlite") as a:
        assert a._db.dialect == "sqlite"
        assert not isinstance(a._db, _SQLAlchemy)
    with open_store(f"sqlite:///{tmp_path / 'b.sqlite'}") as b:  # a plain sqlite URL: stdlib
        assert not isinstance(b._db, _SQLAlchemy)
    pytest.importorskip("sqlalchemy")
    with open_store(f"sqlite+pysqlite:///{tmp_path / 'c.sqlite'}") as c:
        assert isinstance(c._db, _SQLAlchemy)


# --- what a run keeps -------------------------------------------------------------------


def test_forecast_round_trip(store: Store) -> None:
    s = _tiny()
    result = forecast(s, ["compromise", "median"])
    run_id = store.save(result, arguments={"scenario": "tiny.yaml"}, elapsed=0.25)
    run = store.get(run_id)
    assert run.id == run_id
    assert len(run_id) == 8
    assert run.command == "forecast"
    assert run.models == ("compromise", "median")
    assert run.input_kind == "scenario"
    assert run.input_name == "tiny"
    assert run.input_hash == hashlib.sha256(dumps_json(s).encode()).hexdigest()
    assert run.scenario() == s
    assert run.arguments == {"scenario": "tiny.yaml"}
    assert run.seed == 0  # the seed of the stochastic models, 0 unless given
    assert run.status == "complete"
    assert run.elapsed == 0.25
    assert run.version == store_module.__version__
    assert run.parameters["primary"] == "compromise"
    assert set(run.parameters["options"]) == {"compromise", "median"}
    assert run.document == json.loads(json.dumps(result.to_dict()))
    got = run.frame("forecasts")
    want = result.to_frame()
    assert list(got["issue"]) == list(want["issue"])
    np.testing.assert_allclose(got["forecast"], want["forecast"])
    winners = run.frame("winners")
    assert set(winners["model"]) == {"compromise", "median", "actual"}
    top = result.winners.ranking[0]
    row = winners[(winners.model == "compromise") & (winners.actor == top.actor)]
    assert row["gain"].item() == pytest.approx(top.gain)
    with pytest.raises(KeyError, match="has no table 'nope'; it has: forecasts, winners"):
        run.frame("nope")


def test_simulation_keeps_seed_draws_and_options(store: Store) -> None:
    s = _tiny()
    result = simulate(s, "compromise", draws=50, seed=7)
    run = store.get(store.save(result, parameters={"options": {}}))
    assert run.command == "simulate"
    assert run.seed == 7
    assert run.parameters == {"draws": 50, "draws_done": 50, "block": 4096, "options": {}}
    summary = run.frame("summary")
    np.testing.assert_allclose(summary["mean"], result.to_frame()["mean"])
    assert run.status == "complete"
    assert abs(run.frame("biggest_winner")["probability"].sum() - 1) < 1e-9


def test_an_interrupted_simulation_says_so(store: Store) -> None:
    import dataclasses

    result = simulate(_tiny(), "compromise", draws=20, seed=1)
    cut = dataclasses.replace(result, requested=40)  # as if stopped half-way
    run = store.get(store.save(cut))
    assert run.status == "interrupted"
    assert run.parameters["draws"] == 40
    assert run.parameters["draws_done"] == 20


def test_comparison_keeps_its_patches(store: Store) -> None:
    s = load("karabakh-2020")
    patch = load_patch("us-engaged", scenario=s)
    result = compare(s, [patch], "compromise", draws=20, seed=3)
    run = store.get(store.save(result))
    assert run.command == "compare"
    assert run.seed == 3
    assert [p["name"] for p in run.parameters["patches"]] == ["us-engaged"]
    assert run.parameters["patches"][0]["changes"]
    frame = run.frame("forecasts")
    assert set(frame["scenario"]) == {"base", "us-engaged"}
    assert set(run.frame("intervals")["scenario"]) == {"base", "us-engaged"}


def test_backtest_keeps_the_table_as_it_was(store: Store, tmp_path: Path) -> None:
    path = _table(tmp_path)
    result = backtest(read_deu(path), ["compromise"], replicates=20, seed=2)
    run = store.get(store.save(result, source=path))
    assert run.command == "backtest"
    assert run.input_kind == "deu-table"
    assert run.input_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.input == path.read_text()
    assert run.frame("leaderboard")["model"].tolist() == ["compromise"]
    assert run.frame("forecasts")["issue"].tolist() == [i.issue for i in result.table.issues]
    with pytest.raises(StoreError, match="not a scenario"):
        run.scenario()


def test_backtest_needs_its_source(store: Store, tmp_path: Path) -> None:
    result = backtest(read_deu(_table(tmp_path)), ["compromise"], replicates=20)
    with pytest.raises(StoreError, match="give source=PATH"):
        store.save(result)


def test_only_results_of_the_four_commands_are_kept(store: Store) -> None:
    with pytest.raises(TypeError, match="not a dict"):
        store.save({"forecast": 1})
    assert len(store) == 0


def test_one_input_row_per_distinct_scenario(store: Store) -> None:
    for _ in range(3):
        store.save(forecast(_tiny(), "compromise"))
    store.save(forecast(_tiny(a=5), "compromise"))
    with store._db.transaction(write=False) as tx:
        assert tx.execute("SELECT COUNT(*) FROM statecraft_inputs")[0][0] == 2
    assert len(store) == 4


def test_listing_filters_and_tables_across_runs(store: Store) -> None:
    first = store.save(forecast(_tiny(), "compromise"))
    second = store.save(forecast(_tiny(a=5), "compromise"))
    third = store.save(simulate(_tiny(), "compromise", draws=10))
    runs = store.runs()
    assert runs["id"].tolist() == [third, second, first]  # newest first
    assert runs.loc[2, "scenario"] == "tiny"
    assert runs.loc[2, "models"] == "compromise"
    assert store.runs(command="forecast")["id"].tolist() == [second, first]
    assert store.runs(limit=1)["id"].tolist() == [third]
    assert store.runs(scenario="nowhere").empty
    over_time = store.table("forecasts", command="forecast")
    assert over_time["run"].unique().tolist() == [first, second]  # oldest first
    tax = over_time[over_time.issue == "tax"].set_index("run")["forecast"]
    assert tax[first] != tax[second]  # Alpha's capability changed


def test_naming_runs(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(["abcd0001", "abcd0002", "ffff0003"])
    monkeypatch.setattr(store_module.secrets, "token_hex", lambda n: next(ids))
    for _ in range(3):
        store.save(forecast(_tiny(), "compromise"))
    assert store.resolve("latest") == "ffff0003"
    assert store.resolve("ABCD0001") == "abcd0001"
    assert store.resolve("ff") == "ffff0003"
    with pytest.raises(StoreError, match="'abcd' names more than one run"):
        store.resolve("abcd")
    with pytest.raises(StoreError, match="no run '1234'"):
        store.resolve("1234")
    with pytest.raises(StoreError, match="a run is named by its id"):
        store.resolve("x'; DROP TABLE statecraft_runs; --")


def test_a_colliding_id_is_drawn_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(["00000001", "00000001", "00000002"])
    monkeypatch.setattr(store_module.secrets, "token_hex", lambda n: next(ids))
    assert store.save(forecast(_tiny(), "compromise")) == "00000001"
    assert store.save(forecast(_tiny(), "compromise")) == "00000002"


def test_latest_in_an_empty_store(store: Store) -> None:
    with pytest.raises(StoreError, match="no runs recorded"):
        store.resolve("latest")


def test_delete_keeps_shared_inputs(store: Store) -> None:
    a = store.save(forecast(_tiny(), "compromise"))
    b = store.save(forecast(_tiny(), "median"))
    c = store.save(forecast(_tiny(a=5), "median"))
    store.delete(c)
    with store._db.transaction(write=False) as tx:
        assert tx.execute("SELECT COUNT(*) FROM statecraft_inputs")[0][0] == 1
        assert tx.execute("SELECT COUNT(*) FROM statecraft_results")[0][0] == 4
    store.delete(a)
    assert store.get(b).scenario() == _tiny()
    assert store.runs()["id"].tolist() == [b]


def test_json_has_no_nan() -> None:
    text = _json({"x": float("nan"), "y": [np.float64(2.5), float("inf")], "z": np.int64(3)})
    assert json.loads(text) == {"x": None, "y": [2.5, None], "z": 3}


# --- diffs ------------------------------------------------------------------------------


def test_a_run_and_itself_agree(store: Store) -> None:
    run = store.get(store.save(forecast(_tiny(), ["compromise", "median"])))
    d = diff(run, run)
    assert d.same
    assert d.values.empty
    assert not d.setup
    assert not d.inputs


def test_diff_names_what_changed_and_by_how_much(store: Store) -> None:
    before = forecast(_tiny(), ["compromise", "median"])
    after = forecast(_tiny(a=6), ["compromise"])
    a = store.get(store.save(before))
    b = store.get(store.save(after))
    d = diff(a, b)
    assert ("models", ["compromise", "median"], ["compromise"]) in d.setup
    assert d.inputs == (("actors.a.capability.value", 3, 6),)
    # the compromise on 'tax' moves by what the capabilities say, recomputed by hand:
    # tax: a 60 (cap 3, sal 1), b 0 (cap 1, sal .5), c 100 (cap 4 on tax, sal .25)
    old = (3 * 1 * 60 + 1 * 0.5 * 0 + 4 * 0.25 * 100) / (3 * 1 + 1 * 0.5 + 4 * 0.25)
    new = (6 * 1 * 60 + 1 * 0.5 * 0 + 4 * 0.25 * 100) / (6 * 1 + 1 * 0.5 + 4 * 0.25)
    row = d.values[
        (d.values.table == "forecasts")
        & (d.values.key == "issue=tax, model=compromise")
        & (d.values.column == "forecast")
    ]
    assert row["a"].item() == pytest.approx(old)
    assert row["b"].item() == pytest.approx(new)
    assert row["difference"].item() == pytest.approx(new - old)
    # the median model ran only in the first: its rows are listed apart, not as numbers
    assert ("forecasts", "issue=tax, model=median", a.id) in d.unmatched
    assert not (d.values.key.str.contains("median")).any()
    assert diff(a, b, tolerance=100).values.empty


def test_diff_of_backtests_on_different_tables(store: Store, tmp_path: Path) -> None:
    path = _table(tmp_path)
    a = store.get(store.save(backtest(read_deu(path), ["compromise"], replicates=20), source=path))
    other = tmp_path / "other"
    other.mkdir()
    path2 = _table(other)
    path2.write_text(path2.read_text() + "\n")
    b = store.get(
        store.save(backtest(read_deu(path2), ["compromise"], replicates=20), source=path2)
    )
    d = diff(a, b)
    assert d.inputs == (("sha256", a.input_hash, b.input_hash),)
    assert d.values.empty  # same numbers: a blank line changes nothing


json_leaf = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3)
json_tree = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(json_tree)
def test_no_changes_between_equal_values(x: Any) -> None:
    assert list(_changes(x, json.loads(json.dumps(x)))) == []


@given(json_tree, json_tree)
def test_changes_found_iff_values_differ(x: Any, y: Any) -> None:
    assert bool(list(_changes(x, y))) == (x != y)


# --- the schema -------------------------------------------------------------------------


def test_a_new_store_has_the_current_schema(tmp_path: Path) -> None:
    with open_store(tmp_path / "runs.sqlite") as s:
        assert s.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / "runs.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_an_older_store_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:
        kept = s.save(forecast(_tiny(), "compromise"))
    # A later Statecraft adds a column: its migration runs when it opens this store.
    migration = ("ALTER TABLE statecraft_runs ADD COLUMN label TEXT",)
    monkeypatch.setattr(store_module, "_MIGRATIONS", {SCHEMA_VERSION: migration})
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with open_store(path) as s:
        assert s.schema_version == SCHEMA_VERSION + 1
        assert s.get(kept).scenario() == _tiny()
        with s._db.transaction(write=False) as tx:
            columns = {r[1] for r in tx.execute("PRAGMA table_info(statecraft_runs)")}
        assert "label" in columns
        s.save(forecast(_tiny(), "median"))
        assert len(s) == 2
    with open_store(tmp_path / "fresh.sqlite") as fresh:  # a new store takes the same path
        assert fresh.schema_version == SCHEMA_VERSION + 1


def test_a_failed_migration_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "runs.sqlite"
    with open_store(path) as s:
        kept = s.save(forecast(_tiny(), "compromise"))
    broken = ("ALTER TABLE statecraft_runs ADD COLUMN label TEXT", "THIS IS NOT SQL")
    monkeypatch.setattr(store_module, "_MIGRATIONS", {SCHEMA_VERSION: broken})
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="not a usable run store"):
        open_store(path)
    monkeypatch.undo()
    monkeypatch.setenv("STATECRAFT_STORE", str(path))
    with open_store(path) as s:  # still version 1, without the half-added column
        assert s.schema_version == SCHEMA_VERSION
        assert s.get(kept).command == "forecast"
        with s._db.transaction(write=False) as tx:
            columns = {r[1] for r in tx.execute("PRAGMA table_info(statecraft_runs)")}
        assert "label" not in columns


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE statecraft_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 99, written by a newer Statecraft"):
        open_store(path)


def test_a_store_of_schema_version_1_reads(tmp_path: Path) -> None:
    """A store written by the first schema (a dump kept in tests/data) opens and reads with
    this version, whatever migrations have been added since."""
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE_V1.read_text(encoding="utf-8"))
    conn.close()
    with open_store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        runs = s.runs()
        assert runs["command"].tolist() == ["simulate", "forecast"]
        old = s.get(runs["id"].iloc[1])
        assert old.scenario().name == "tiny"
        assert old.frame("forecasts")["forecast"].notna().all()
        s.save(forecast(_tiny(), "compromise"))
        assert len(s) == 3


def test_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database, it is text" * 100)
    with pytest.raises(StoreError, match=r"junk\.sqlite: file is not a database"):
        open_store(junk)
    lookalike = tmp_path / "lookalike.sqlite"
    conn = sqlite3.connect(lookalike)
    conn.execute("CREATE TABLE statecraft_runs (x TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="no schema version"):
        open_store(lookalike)


def test_missing_and_unwritable_places(tmp_path: Path) -> None:
    with pytest.raises(NoStore, match="no run store at"):
        open_store(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder of the run store"):
        open_store(a_file / "runs.sqlite")


def test_database_urls_need_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    with pytest.raises(StoreError, match=r"pip install 'statecraft\[postgres\]'"):
        open_store("postgresql+psycopg://someone@localhost/runs")


def test_a_bad_database_url() -> None:
    pytest.importorskip("sqlalchemy")
    with pytest.raises(StoreError, match="cannot use 'nosuchdb://x' as the run store"):
        open_store("nosuchdb://x")


def test_a_password_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sqlalchemy")
    backend = _SQLAlchemy("postgresql+psycopg://ann:secret@localhost:1/runs")
    assert "secret" not in backend.location
    backend.close()


def test_default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STATECRAFT_STORE", str(tmp_path / "x.sqlite"))
    assert store_module.default_location() == str(tmp_path / "x.sqlite")
    monkeypatch.delenv("STATECRAFT_STORE")
    monkeypatch.setattr("platformdirs.user_data_path", lambda app: tmp_path / app)
    assert store_module.default_location() == str(tmp_path / "statecraft" / "runs.sqlite")
