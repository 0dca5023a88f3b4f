"""The public Python API: pinned, small, and usable from a notebook."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

import statecraft as sc
from tests.child import loaded_in_child


def test_public_api_is_pinned() -> None:
    # Derived, not repeated: every public name the package serves (it imports each on first
    # use, from the table _WHERE) is in __all__, once, sorted, and nothing else is; each
    # resolves to the object its module defines.
    import importlib

    assert sc.__all__ == sorted(sc.__all__)
    assert len(set(sc.__all__)) == len(sc.__all__)
    assert [n for n in sc.__all__ if n != "__version__"] == sorted(sc._WHERE)
    for name, (module, attr) in sc._WHERE.items():
        assert getattr(sc, name) is getattr(importlib.import_module(module), attr), name
    assert sorted(dir(sc)) == sorted(sc.__all__)
    for name in sc.__all__:
        value = getattr(sc, name)
        if callable(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_notebook_flow_gives_a_dataframe() -> None:
    s = sc.load("ec-emissions-1994")
    r = sc.forecast(s, model="compromise")
    frame = r.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [
        "scenario",
        "issue",
        "label",
        "model",
        "forecast",
        "status_quo",
        "actual",
        "error",
    ]
    assert len(frame) == 1
    assert round(float(frame.loc[0, "forecast"]), 3) == 7.390


def test_forecast_accepts_a_name_a_list_and_model_instances() -> None:
    r = sc.forecast("ec-emissions-1994", ["median", sc.get_model("compromise")])
    assert r.model_names == ("median", "compromise")
    assert r.primary == "median"


def test_errors_share_a_base_class() -> None:
    assert issubclass(sc.ScenarioError, sc.StatecraftError)
    assert issubclass(sc.UnknownModel, sc.StatecraftError)


def test_every_entry_point_takes_a_name_as_well_as_a_scenario() -> None:
    s = sc.load("karabakh-2020")
    by_name = sc.simulate("karabakh-2020", "compromise", draws=300, seed=4)
    by_scenario = sc.simulate(s, "compromise", draws=300, seed=4)
    assert by_name.to_dict() == by_scenario.to_dict()
    assert sc.one_at_a_time("karabakh-2020").base == sc.one_at_a_time(s).base
    # a patch by its name, as the command line and the web app take it
    by_patch_name = sc.compare("karabakh-2020", ["us-engaged"])
    by_patch = sc.compare(s, [sc.load_patch("us-engaged", scenario=s)])
    frame = by_patch_name.to_frame()
    assert list(frame.columns)[:3] == ["scenario", "issue", "model"]
    assert frame.equals(by_patch.to_frame())
    assert set(frame["scenario"]) == {"base", "us-engaged"}
    assert "built-in scenario's name" in (sc.simulate.__doc__ or "")


def test_import_and_the_command_lines_start_import_no_engine() -> None:
    """`import statecraft` and the command line's start import neither NumPy, pydantic nor
    pandas (issue 19): each name is imported when first used."""
    import subprocess
    import sys

    engine = ("numpy", "pydantic", "pandas", "statecraft.scenario")
    assert loaded_in_child("import statecraft, statecraft.cli", engine, timeout=60) == set()
    version = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "statecraft", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.stdout.strip().startswith("statecraft ")
    imported = {line.split("|")[-1].strip() for line in version.stderr.splitlines()}
    assert not {"numpy", "pydantic", "pandas"} & imported


def test_simulate_imports_only_what_it_runs() -> None:
    """The simulate command's module, and the names it reads from statecraft and
    statecraft.api, import neither the other analyses, the report nor the run store (issue
    19): they are filled on first use."""
    code = (
        "import statecraft.cli.simulate\n"
        "from statecraft import simulate\nfrom statecraft.api import options_for"
    )
    others = (
        "statecraft.analysis.brief",
        "statecraft.analysis.advise",
        "statecraft.analysis.risk",
        "statecraft.analysis.timeline",
        "statecraft.report",
        "statecraft.store",
        "statecraft.analysis.backtest",
    )
    assert loaded_in_child(code, others, timeout=60) == set()


def test_recording_a_simulation_imports_no_other_analysis(tmp_path: Path) -> None:
    """Saving a simulate run in the run store recognises the result's kind without importing
    the other analyses' modules (issue 19: about 70 ms of the million-draw row)."""
    code = (
        "from statecraft import load, simulate\n"
        "from statecraft.store import open_store\n"
        f"store = open_store({str(tmp_path / 'runs.db')!r})\n"
        "store.save(simulate(load('karabakh-2020'), 'compromise', draws=100))\n"
        "assert list(store.runs()['command']) == ['simulate']"
    )
    others = (
        "statecraft.analysis.counterfactual",
        "statecraft.analysis.risk",
        "statecraft.analysis.sensitivity",
        "statecraft.analysis.timeline",
        "statecraft.analysis.backtest",
    )
    assert loaded_in_child(code, others, timeout=60) == set()


def test_the_lazy_names_are_the_objects_themselves() -> None:
    from statecraft import api
    from statecraft.analysis.uncertainty import simulate as engine_simulate
    from statecraft.store import StoreError

    assert api.StoreError is StoreError
    assert sc.simulate.__wrapped__ is engine_simulate  # type: ignore[attr-defined]
    assert set(api.__all__) <= set(dir(api))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = api.nothing  # type: ignore[attr-defined]


def test_an_unknown_name_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'forcast'"):
        _ = sc.forcast  # type: ignore[attr-defined]
