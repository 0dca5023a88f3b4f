"""What the front ends (command line, web app) use beyond the top-level `statecraft` namespace.

The top-level ``statecraft`` namespace is the API for notebooks and scripts; a front end also
needs a few of the pieces behind it: reading a scenario from data it already holds, the
counterfactual patches that ship with the built-in scenarios, checks made before any work,
the run store's errors, and the charts and report. They are re-exported here under their
own names, so that a front end never imports a private module
(``statecraft.io._validate``, say) and a change behind one of these names shows up here.

Each name is the object itself, documented where it is defined. The charts and the report
import without the ``report`` extra; drawing them needs it (matplotlib, Jinja2).
"""

from statecraft.analysis.counterfactual import builtin_patch, builtin_patches, patch_from_data
from statecraft.analysis.uncertainty import check_models
from statecraft.io import detect_format, load_builtin
from statecraft.io._validate import build_scenario
from statecraft.io.native import load_yaml_data
from statecraft.models import is_linked, options_for
from statecraft.report import charts
from statecraft.report.html import report, svg
from statecraft.store import NoStore, StoreError

__all__ = [
    "NoStore",
    "StoreError",
    "build_scenario",
    "builtin_patch",
    "builtin_patches",
    "charts",
    "check_models",
    "detect_format",
    "is_linked",
    "load_builtin",
    "load_yaml_data",
    "options_for",
    "patch_from_data",
    "report",
    "svg",
]
