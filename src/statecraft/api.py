"""What the front ends (command line, web app) use beyond the top-level `statecraft` namespace.

The top-level ``statecraft`` namespace is the API for notebooks and scripts; a front end also
needs a few of the pieces behind it: reading a scenario from data it already holds, the
options a model takes, the counterfactual patches that ship with the built-in scenarios,
checks made before any work, the backtest and its fitted families, the formats' losses, the
run store's location and errors, the chart registry and the report, the web app, and the classes of
the models' details (a front end picks how to show a model's details by their class, never
by the model's name). They are re-exported here under their own names, so that a front end
never imports a private or deep module (``statecraft.io._validate``, say) and a change
behind one of these names shows up here.

Each name is the object itself, documented where it is defined. The charts and the report
import without the ``report`` extra; drawing them needs it (matplotlib, Jinja2).
``create_app`` is imported when first asked for: it needs the ``web`` extra (FastAPI).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statecraft.analysis import fitted
from statecraft.analysis.backtest import BASELINES, backtest
from statecraft.analysis.counterfactual import builtin_patch, builtin_patches, patch_from_data
from statecraft.analysis.uncertainty import check_models, uncertain_inputs
from statecraft.io import SUFFIXES, detect_format, load_builtin, losses
from statecraft.io._validate import build_scenario
from statecraft.io.deu import read_deu
from statecraft.io.native import load_yaml_data
from statecraft.models import is_linked, options_for
from statecraft.models.exchange import ExchangeDetails
from statecraft.models.expected_utility import EUResult
from statecraft.models.spatial import SpatialDetails
from statecraft.report import charts
from statecraft.report.html import render_report, report, svg
from statecraft.report.registry import CHARTS, Chart, ChartInputs, MissingInput, get_chart
from statecraft.store import NoStore, StoreError, default_location

if TYPE_CHECKING:
    from statecraft.web import create_app

__all__ = [
    "BASELINES",
    "CHARTS",
    "SUFFIXES",
    "Chart",
    "ChartInputs",
    "EUResult",
    "ExchangeDetails",
    "MissingInput",
    "NoStore",
    "SpatialDetails",
    "StoreError",
    "backtest",
    "build_scenario",
    "builtin_patch",
    "builtin_patches",
    "charts",
    "check_models",
    "create_app",
    "default_location",
    "detect_format",
    "fitted",
    "get_chart",
    "is_linked",
    "load_builtin",
    "load_yaml_data",
    "losses",
    "options_for",
    "patch_from_data",
    "read_deu",
    "render_report",
    "report",
    "svg",
    "uncertain_inputs",
]


def __getattr__(name: str) -> Any:
    # The web app needs FastAPI (the web extra): import it only when it is asked for, so that
    # the rest of this module imports without it (an ImportError says what is missing).
    if name == "create_app":
        from statecraft.web import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
