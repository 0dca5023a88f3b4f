"""The public Python API: pinned, small, and usable from a notebook."""

from __future__ import annotations

import pandas as pd

import statecraft as sc

PUBLIC = [
    "Actor",
    "ActorGain",
    "Comparison",
    "Forecast",
    "Format",
    "Issue",
    "IssueArrays",
    "IssueForecast",
    "Model",
    "NotApplicable",
    "Patch",
    "Perturbation",
    "Quantity",
    "Run",
    "RunDiff",
    "Scale",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Simulation",
    "Source",
    "Stance",
    "StatecraftError",
    "Store",
    "UnknownModel",
    "Winners",
    "__version__",
    "apply_patch",
    "available_models",
    "builtin_names",
    "compare",
    "diff_runs",
    "dumps",
    "forecast",
    "get_model",
    "load",
    "load_patch",
    "one_at_a_time",
    "open_store",
    "read_text",
    "save",
    "simulate",
    "sobol_indices",
    "winners",
]


def test_public_api_is_pinned() -> None:
    assert sorted(sc.__all__) == PUBLIC
    for name in sc.__all__:
        assert hasattr(sc, name), name


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
