"""What the front ends (command line, web app) use beyond the top-level `statecraft` namespace.

The top-level ``statecraft`` namespace is the API for notebooks and scripts; a front end also
needs a few of the pieces behind it: the options a model takes, the counterfactual patches
that ship with the built-in scenarios, the backtest and its fitted families, the formats'
losses, the run store's location and errors, the charts and the report, the web app, and
the classes of the models' details (a front end picks how to show a model's details by
their class, never by the model's name). They are re-exported here under their own names,
so that a front end never imports a private or deep module (``statecraft.io.deu``, say) and
a change behind one of these names shows up here.

Each name is the object itself, documented where it is defined. The charts and the report
import without the ``report`` extra; drawing them needs it (matplotlib, Jinja2).
``create_app`` is imported when first asked for: it needs the ``web`` extra (FastAPI).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statecraft.analysis import fitted
from statecraft.analysis.backtest import BASELINES, backtest
from statecraft.analysis.counterfactual import builtin_patches
from statecraft.analysis.uncertainty import uncertain_inputs
from statecraft.io import SUFFIXES, losses
from statecraft.io.deu import read_deu
from statecraft.models import options_for
from statecraft.models.exchange import ExchangeDetails
from statecraft.models.expected_utility import EUResult
from statecraft.models.spatial import SpatialDetails
from statecraft.report import charts
from statecraft.report.html import render_report
from statecraft.store import NoStore, StoreError, default_location

if TYPE_CHECKING:
    from statecraft.web import create_app

__all__ = [
    "BASELINES",
    "SUFFIXES",
    "EUResult",
    "ExchangeDetails",
    "NoStore",
    "SpatialDetails",
    "StoreError",
    "backtest",
    "builtin_patches",
    "charts",
    "create_app",
    "default_location",
    "fitted",
    "losses",
    "options_for",
    "read_deu",
    "render_report",
    "uncertain_inputs",
]


def __getattr__(name: str) -> Any:
    # The web app needs FastAPI (the web extra): import it only when it is asked for, so that
    # the rest of this module imports without it (an ImportError says what is missing).
    if name == "create_app":
        from statecraft.web import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
