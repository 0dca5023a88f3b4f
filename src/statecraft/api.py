"""What the front ends (command line, web app) use beyond the top-level `statecraft` namespace.

The top-level ``statecraft`` namespace is the API for notebooks and scripts; a front end also
needs a few of the pieces behind it: reading a scenario from data it already holds, the
options a model takes, the counterfactual patches that ship with the built-in scenarios,
checks made before any work, the backtest, its capability rules and its fitted families, the
formats' losses, the run store's location and errors, the chart registry and the report,
what makes output text safe (:mod:`statecraft.textsafe`: strict JSON, CSV cells), and the
classes of the models' details (a front end picks how to show a model's details by their
class, never by the model's name). They are re-exported here under their own names, so that
a front end never imports a private or deep module (``statecraft.io._validate``, say) and a
change behind one of these names shows up here.

Each name is the object itself, documented where it is defined. The charts and the report
import without the ``report`` extra; drawing them needs it (matplotlib, Jinja2). The web app
is not here: this module sits below the front ends (docs/contributing/architecture.md), and
``statecraft serve`` imports :func:`statecraft.web.create_app` itself.
"""

from __future__ import annotations

from statecraft import textsafe
from statecraft.analysis import fitted
from statecraft.analysis.backtest import BASELINES, backtest
from statecraft.analysis.brief import WEIGHT_RULES
from statecraft.analysis.counterfactual import (
    as_patch,
    builtin_patch,
    builtin_patches,
    patch_from_data,
    split_stack,
)
from statecraft.analysis.kernel import parse_memory
from statecraft.analysis.timeline import builtin_timelines, is_timeline, snapshot_scenario
from statecraft.analysis.uncertainty import check_models, uncertain_inputs
from statecraft.errors import SEED_MAX, check_seed
from statecraft.io import SUFFIXES, build_scenario, detect_format, load_builtin, losses
from statecraft.io import decode as decode_text
from statecraft.io.deu import read_deu
from statecraft.io.deu_fitted import capability_rule
from statecraft.io.native import load_yaml_data
from statecraft.models import is_linked, option_rows, options_for
from statecraft.models.exchange import ExchangeDetails
from statecraft.models.expected_utility import EUResult
from statecraft.models.spatial import SpatialDetails
from statecraft.report import charts
from statecraft.report.html import render_report, report, svg
from statecraft.report.registry import CHARTS, Chart, ChartInputs, MissingInput, get_chart
from statecraft.report.timeline_chart import timeline_chart
from statecraft.report.timeline_report import render_timeline_report, timeline_report
from statecraft.runner import weight_shares
from statecraft.store import NoRun, NoStore, StoreError, check_label, default_location
from statecraft.store import mask as mask_location

__all__ = [
    "BASELINES",
    "CHARTS",
    "SEED_MAX",
    "SUFFIXES",
    "WEIGHT_RULES",
    "Chart",
    "ChartInputs",
    "EUResult",
    "ExchangeDetails",
    "MissingInput",
    "NoRun",
    "NoStore",
    "SpatialDetails",
    "StoreError",
    "as_patch",
    "backtest",
    "build_scenario",
    "builtin_patch",
    "builtin_patches",
    "builtin_timelines",
    "capability_rule",
    "charts",
    "check_label",
    "check_models",
    "check_seed",
    "decode_text",
    "default_location",
    "detect_format",
    "fitted",
    "get_chart",
    "is_linked",
    "is_timeline",
    "load_builtin",
    "load_yaml_data",
    "losses",
    "mask_location",
    "option_rows",
    "options_for",
    "parse_memory",
    "patch_from_data",
    "read_deu",
    "render_report",
    "render_timeline_report",
    "report",
    "snapshot_scenario",
    "split_stack",
    "svg",
    "textsafe",
    "timeline_chart",
    "timeline_report",
    "uncertain_inputs",
    "weight_shares",
]
