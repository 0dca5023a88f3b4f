"""The public Python API: pinned, small, and usable from a notebook."""

from __future__ import annotations

import inspect

import pandas as pd

import statecraft as sc


def test_public_api_is_pinned() -> None:
    # Derived, not repeated: every public name the package binds (bar its subpackages and
    # modules) is in __all__, once, sorted, and nothing else is.
    bound = sorted(
        name
        for name, value in vars(sc).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    )
    assert sc.__all__ == sorted(sc.__all__)
    assert len(set(sc.__all__)) == len(sc.__all__)
    assert [n for n in sc.__all__ if n != "__version__"] == bound
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
