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

from typing import TYPE_CHECKING, Any

from statecraft._lazy import attribute

if TYPE_CHECKING:  # the same names, for type checkers, editors and the layers contract
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

# Each name is imported from its module the first time it is read (PEP 562), then kept here:
# a command imports only what it uses (``statecraft simulate`` needs neither the report, the
# store's readers nor the backtest).
_WHERE: dict[str, tuple[str, str | None]] = {
    "BASELINES": ("statecraft.analysis.backtest", "BASELINES"),
    "CHARTS": ("statecraft.report.registry", "CHARTS"),
    "Chart": ("statecraft.report.registry", "Chart"),
    "ChartInputs": ("statecraft.report.registry", "ChartInputs"),
    "EUResult": ("statecraft.models.expected_utility", "EUResult"),
    "ExchangeDetails": ("statecraft.models.exchange", "ExchangeDetails"),
    "MissingInput": ("statecraft.report.registry", "MissingInput"),
    "NoRun": ("statecraft.store", "NoRun"),
    "NoStore": ("statecraft.store", "NoStore"),
    "SEED_MAX": ("statecraft.errors", "SEED_MAX"),
    "SUFFIXES": ("statecraft.io", "SUFFIXES"),
    "SpatialDetails": ("statecraft.models.spatial", "SpatialDetails"),
    "StoreError": ("statecraft.store", "StoreError"),
    "WEIGHT_RULES": ("statecraft.analysis.brief", "WEIGHT_RULES"),
    "as_patch": ("statecraft.analysis.counterfactual", "as_patch"),
    "backtest": ("statecraft.analysis.backtest", "backtest"),
    "build_scenario": ("statecraft.io", "build_scenario"),
    "builtin_patch": ("statecraft.analysis.counterfactual", "builtin_patch"),
    "builtin_patches": ("statecraft.analysis.counterfactual", "builtin_patches"),
    "builtin_timelines": ("statecraft.analysis.timeline", "builtin_timelines"),
    "capability_rule": ("statecraft.io.deu_fitted", "capability_rule"),
    "charts": ("statecraft.report.charts", None),
    "check_label": ("statecraft.store", "check_label"),
    "check_models": ("statecraft.analysis.uncertainty", "check_models"),
    "check_seed": ("statecraft.errors", "check_seed"),
    "decode_text": ("statecraft.io", "decode"),
    "default_location": ("statecraft.store", "default_location"),
    "detect_format": ("statecraft.io", "detect_format"),
    "fitted": ("statecraft.analysis.fitted", None),
    "get_chart": ("statecraft.report.registry", "get_chart"),
    "is_linked": ("statecraft.models", "is_linked"),
    "is_timeline": ("statecraft.analysis.timeline", "is_timeline"),
    "load_builtin": ("statecraft.io", "load_builtin"),
    "load_yaml_data": ("statecraft.io.native", "load_yaml_data"),
    "losses": ("statecraft.io", "losses"),
    "mask_location": ("statecraft.store", "mask"),
    "option_rows": ("statecraft.models", "option_rows"),
    "options_for": ("statecraft.models", "options_for"),
    "parse_memory": ("statecraft.analysis.kernel", "parse_memory"),
    "patch_from_data": ("statecraft.analysis.counterfactual", "patch_from_data"),
    "read_deu": ("statecraft.io.deu", "read_deu"),
    "render_report": ("statecraft.report.html", "render_report"),
    "render_timeline_report": ("statecraft.report.timeline_report", "render_timeline_report"),
    "report": ("statecraft.report.html", "report"),
    "snapshot_scenario": ("statecraft.analysis.timeline", "snapshot_scenario"),
    "split_stack": ("statecraft.analysis.counterfactual", "split_stack"),
    "svg": ("statecraft.report.html", "svg"),
    "textsafe": ("statecraft.textsafe", None),
    "timeline_chart": ("statecraft.report.timeline_chart", "timeline_chart"),
    "timeline_report": ("statecraft.report.timeline_report", "timeline_report"),
    "uncertain_inputs": ("statecraft.analysis.uncertainty", "uncertain_inputs"),
    "weight_shares": ("statecraft.runner", "weight_shares"),
}


def __getattr__(name: str) -> Any:
    return attribute(__name__, _WHERE, globals(), name)


def __dir__() -> list[str]:
    return sorted(__all__)


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
